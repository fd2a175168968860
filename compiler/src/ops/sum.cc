// SUM: int8 or int16 sum over constant axes, requantized to the output scale, as TFLM's
// QuantizedMeanOrSum with compute_sum.
#include "ops/reduce_common.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_reduce_sum_s8_params_t* p) {
  return PrepareMeanOrSum(ctx, /*mean=*/false, p);
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  tml_reduce_sum_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  LowerMeanOrSum(ctx, p, out);
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.inputs[0]].NumElements(); }

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (FirstInputIs(g, op, DType::kInt16)) {
    return FoldUnary<tml_reduce_sum_s8_params_t, int16_t, int16_t>(g, op, Prepare,
                                                                   tml_reduce_sum_s16, out);
  }
  return FoldUnary<tml_reduce_sum_s8_params_t, int8_t, int8_t>(g, op, Prepare, tml_reduce_sum_s8,
                                                               out);
}

}  // namespace

extern const OpDef kSum = {74, "SUM", "int8, int16", Lower, Macs, Fold};

}  // namespace tinymlc
