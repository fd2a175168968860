// Checks and compile-time evaluation shared by the activation ops (RELU family,
// LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH, ELU, LOG_SOFTMAX).
//
// Each of these op files includes its C kernel header (templates/kernels) and derives
// the kernel's params struct in one Prepare() function. Lower() writes that struct
// into the generated C; the OpDef's fold function runs the very same kernel on the
// constant input at compile time, so a folded result is what the emitted code would
// have computed.
#pragma once

#include <cstring>
#include <initializer_list>
#include <vector>

#include "ops/op_util.h"

namespace tinymlc {

// One input and one output with the same dtype (one of `dtypes`) and shape, each
// quantized per tensor.
Status CheckUnaryActivation(const LowerContext& ctx, std::initializer_list<DType> dtypes);

// QuantizeMultiplier(real), rejected with an error naming `what` when the shift is
// above 30: TFLM's MultiplyByQuantizedMultiplier would shift left by 31 or more.
Result<QuantizedMultiplier> CheckedMultiplier(const LowerContext& ctx, double real,
                                              const char* what);

// RELU and RELU_N1_TO_1 (TFLM's CalculateReluOpData / ReluQuantized): requantize
// from the input to the output scale, then clamp to [act_min, act_max] quantized on the
// output (act_max = +infinity: no upper bound). int8, and int16 with zero points 0.
Status LowerRequantizingRelu(LowerContext& ctx, LayerCode* out, float act_min, float act_max);
Status FoldRequantizingRelu(const Graph& g, const Operator& op, float act_min, float act_max,
                            FoldedOutputs* out);

// zero_point + round(value / scale) as TFLM computes it in float, saturated to int32.
int32_t QuantizeFloatValue(float value, float scale, int32_t zero_point);

// LOGISTIC / TANH int8 input scaling (TFLM's prepare): the input is rescaled to Q4.27
// by input_scale * 2^27 = multiplier * 2^(left_shift - 31) (frexp, no renormalisation),
// and inputs at or beyond range_radius = floor(15 * 2^27 / 2^left_shift) saturate.
struct Int8SigmoidScaling {
  int32_t multiplier = 0;
  int32_t left_shift = 0;
  int32_t range_radius = 0;
};
Result<Int8SigmoidScaling> Int8SigmoidInputScaling(const LowerContext& ctx);

// LOGISTIC / TANH int16 (TFLM's prepare): zero points 0, output scale 2^-15, input
// rescaled to 1/(3 * 4096) by (input * multiplier + round) >> left_shift. A power-of-two
// input scale whose shift 12 + log2(scale) is at most max_pot_shift (0 for LOGISTIC, 1
// for TANH) takes TFLM's exact path, returned here already as multiplier 3 << shift,
// left_shift 0.
struct Int16SigmoidScaling {
  int32_t multiplier = 0;
  int32_t left_shift = 0;
};
Result<Int16SigmoidScaling> Int16SigmoidInputScaling(const LowerContext& ctx, int max_pot_shift);

// The constant data of a tensor as elements of T (the tensor's C type).
template <typename T>
std::vector<T> ConstantElements(const Tensor& t) {
  std::vector<T> v(t.data.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), t.data.data(), v.size() * sizeof(T));
  return v;
}

// Raw little-endian bytes of elements.
template <typename T>
std::vector<uint8_t> ElementBytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Folds a unary op: out = kernel(params, constant input), one output of the same
// element type and count.
template <typename T, typename Params>
FoldedOutputs FoldUnary(const Graph& g, const Operator& op, const Params& params,
                        void (*kernel)(const Params*, const T*, T*)) {
  const std::vector<T> in = ConstantElements<T>(g.tensors[op.inputs[0]]);
  std::vector<T> out(static_cast<size_t>(g.tensors[op.outputs[0]].NumElements()));
  kernel(&params, in.data(), out.data());
  return {ElementBytes(out)};
}

}  // namespace tinymlc
