// TANH: int8 -> int8 (gemmlowp fixed point on Q4.27; TFLM assumes output scale 1/128
// and zero point 0 and ignores the output's parameters) and int16 -> int16 (TFLM's
// sigmoid table with interpolation; zero points 0, output scale 2^-15).
#include "ops/activation_common.h"
#include "ops/float_ops.h"
#include "tml_tanh.h"

namespace tinymlc {
namespace {

const SigmoidFamily<tml_tanh_s8_params_t, tml_tanh_s16_params_t> kFamily = {
    "tanh", /*max_pot_shift=*/1, /*check_int8_output_zp=*/false, /*int8_output_zp=*/0,
    tml_tanh_s8, tml_tanh_s16};

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "tanh");
  return kFamily.Lower(ctx, out);
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "tanh", out);
  return kFamily.Fold(g, op, out);
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kTanh = {28, "TANH", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
