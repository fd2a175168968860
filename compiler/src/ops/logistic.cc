// LOGISTIC: int8 -> int8 (gemmlowp fixed point on Q4.27, output zero point -128
// required by TFLM, output scale assumed 1/256) and int16 -> int16 (TFLM's sigmoid
// table with interpolation; zero points 0, output scale 2^-15).
#include "ops/activation_common.h"
#include "ops/float_ops.h"
#include "tml_logistic.h"

namespace tinymlc {
namespace {

const SigmoidFamily<tml_logistic_s8_params_t, tml_logistic_s16_params_t> kFamily = {
    "logistic", /*max_pot_shift=*/0, /*check_int8_output_zp=*/true, /*int8_output_zp=*/-128,
    tml_logistic_s8, tml_logistic_s16};

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "logistic");
  return kFamily.Lower(ctx, out);
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "logistic", out);
  return kFamily.Fold(g, op, out);
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kLogistic = {14, "LOGISTIC", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
