// AVERAGE_POOL_2D on int8 and int16 (shared lowering in pool_common.cc).
#include "ops/pool_common.h"

namespace tinymlc {
namespace {
Status Lower(LowerContext& ctx, LayerCode* out) {
  return LowerPool2D(ctx, out, "tml_average_pool_2d_s8");
}
}  // namespace

extern const OpDef kAveragePool2D = {1, "AVERAGE_POOL_2D", "int8, int16", Lower, Pool2DMacs};

}  // namespace tinymlc
