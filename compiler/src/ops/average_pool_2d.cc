// AVERAGE_POOL_2D on int8 (shared lowering in pool_common.cc).
#include "ops/float_ops.h"
#include "ops/pool_common.h"

namespace tinymlc {
namespace {
Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatPool2D(ctx, out, false);
  return LowerPool2D(ctx, out, "tml_average_pool_2d_s8");
}
}  // namespace

extern const OpDef kAveragePool2D = {1, "AVERAGE_POOL_2D", "int8, float32", Lower, Pool2DMacs};

}  // namespace tinymlc
