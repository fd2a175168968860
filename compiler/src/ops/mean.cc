// MEAN: int8 or int16 average over constant axes, as TFLM's QuantizedMeanOrSum (TFLM micro has
// no special int8 path: every MEAN, e.g. over H and W, takes this one).
#include "ops/float_ops.h"
#include "ops/reduce_common.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_reduce_sum_s8_params_t* p) {
  return PrepareMeanOrSum(ctx, /*mean=*/true, p);
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatMean(ctx, out);
  tml_reduce_sum_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  LowerMeanOrSum(ctx, p, out);
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.inputs[0]].NumElements(); }

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatMean(g, op, out);
  if (FirstInputIs(g, op, DType::kInt16)) {
    return FoldUnary<tml_reduce_sum_s8_params_t, int16_t, int16_t>(g, op, Prepare,
                                                                   tml_reduce_sum_s16, out);
  }
  return FoldUnary<tml_reduce_sum_s8_params_t, int8_t, int8_t>(g, op, Prepare, tml_reduce_sum_s8,
                                                               out);
}

}  // namespace

extern const OpDef kMean = {40, "MEAN", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
