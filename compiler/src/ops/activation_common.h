// Checks and compile-time evaluation shared by the activation ops (RELU family,
// LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH, ELU, LOG_SOFTMAX).
//
// Each of these op files includes its C kernel header (templates/kernels) and derives
// the kernel's params struct in one Prepare() function. Lower() writes that struct
// into the generated C; the OpDef's fold function runs the very same kernel on the
// constant input at compile time, so a folded result is what the emitted code would
// have computed.
#pragma once

#include <fmt/format.h>

#include <cstring>
#include <initializer_list>
#include <string>
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

// LOGISTIC and TANH: the same checks, parameters and code, with their own kernels
// (tml_<name>.h: tml_<name>_s8 / _s16 and their params structs, which have the same
// fields). max_pot_shift: see Int16SigmoidInputScaling; int8_output_zp: the int8 output
// zero point TFLM requires (or none).
template <typename P8, typename P16>
struct SigmoidFamily {
  const char* name;  // "logistic", "tanh"
  int max_pot_shift;
  bool check_int8_output_zp;
  int32_t int8_output_zp;
  void (*s8)(const P8*, const int8_t*, int8_t*);
  void (*s16)(const P16*, const int16_t*, int16_t*);

  struct Plan {
    bool is16 = false;
    P8 p8{};
    P16 p16{};
  };

  Result<Plan> Prepare(const LowerContext& ctx) const {
    TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8, DType::kInt16}));
    const Tensor* input = ctx.In(0);
    const Tensor* output = ctx.Out(0);
    Plan plan;
    plan.is16 = input->dtype == DType::kInt16;
    const int32_t size = static_cast<int32_t>(input->NumElements());
    if (plan.is16) {
      auto sc = Int16SigmoidInputScaling(ctx, max_pot_shift);
      if (!sc.ok()) return sc.status();
      plan.p16 = {size, sc->multiplier, sc->left_shift};
      return plan;
    }
    if (check_int8_output_zp && output->zero_point() != int8_output_zp) {
      return ctx.Error(fmt::format("int8 output must have zero point {} (has {})", int8_output_zp,
                                   output->zero_point()),
                       output);
    }
    auto sc = Int8SigmoidInputScaling(ctx);
    if (!sc.ok()) return sc.status();
    plan.p8 = {size, input->zero_point(), sc->range_radius, sc->multiplier, sc->left_shift};
    return plan;
  }

  Status Lower(LowerContext& ctx, LayerCode* out) const {
    auto plan = Prepare(ctx);
    if (!plan.ok()) return plan.status();
    const std::string n = name;
    out->kernels = {"tml_fixedpoint.h", "tml_sigmoid_lut.h", "tml_" + n + ".h"};
    if (plan->is16) {
      out->decls = CStruct("tml_" + n + "_s16_params_t", ctx.Sym("params"))
                       .Field("size", plan->p16.size)
                       .Field("input_multiplier", plan->p16.input_multiplier)
                       .Field("input_left_shift", plan->p16.input_left_shift)
                       .Str();
    } else {
      out->decls = CStruct("tml_" + n + "_s8_params_t", ctx.Sym("params"))
                       .Field("size", plan->p8.size)
                       .Field("input_zero_point", plan->p8.input_zero_point)
                       .Field("input_range_radius", plan->p8.input_range_radius)
                       .Field("input_multiplier", plan->p8.input_multiplier)
                       .Field("input_left_shift", plan->p8.input_left_shift)
                       .Str();
    }
    out->body = fmt::format("tml_{}_{}(&{}, {}, {});", n, plan->is16 ? "s16" : "s8",
                            ctx.Sym("params"), ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
    return Status::Ok();
  }

  Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) const {
    const LowerContext ctx(g, op, "fold");
    auto plan = Prepare(ctx);
    if (!plan.ok()) return plan.status();
    *out = plan->is16 ? FoldUnary<int16_t>(g, op, plan->p16, s16)
                      : FoldUnary<int8_t>(g, op, plan->p8, s8);
    return Status::Ok();
  }
};

}  // namespace tinymlc
