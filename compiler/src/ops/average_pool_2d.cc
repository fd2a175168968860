// AVERAGE_POOL_2D on int8, int16 (shared lowering in pool_common.cc) and float32
// (float_ops.cc).
#include "ops/float_ops.h"
#include "ops/pool_common.h"

namespace tinymlc {
namespace {
Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatPool2D(ctx, out, false);
  return LowerPool2D(ctx, out, "tml_average_pool_2d_s8");
}
}  // namespace

extern const OpDef kAveragePool2D = {1, "AVERAGE_POOL_2D", "int8, int16, float32", Lower, Pool2DMacs};

}  // namespace tinymlc
