#include "ops/activation_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "tml_relu.h"

namespace tinymlc {
namespace {

Result<tml_relu_params_t> PrepareRelu(const LowerContext& ctx, float act_min, float act_max) {
  TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8, DType::kInt16}));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const bool is16 = input->dtype == DType::kInt16;
  if (is16 && (input->zero_point() != 0 || output->zero_point() != 0)) {
    return ctx.Error("int16 input and output must have zero point 0",
                     input->zero_point() != 0 ? input : output);
  }
  // TFLM divides the scales in double (the build that runs, pip tflite-micro
  // 0.dev20261023182759, widens each operand; older sources divided in float).
  auto m = CheckedMultiplier(ctx, static_cast<double>(input->scale()) / output->scale(),
                             "input_scale / output_scale");
  if (!m.ok()) return m.status();
  const int32_t qmin = is16 ? -32768 : -128;
  const int32_t qmax = is16 ? 32767 : 127;
  tml_relu_params_t p{};
  p.size = static_cast<int32_t>(input->NumElements());
  p.input_offset = input->zero_point();
  p.output_offset = output->zero_point();
  p.multiplier = m->multiplier;
  p.shift = m->shift;
  p.act_min = std::max(qmin, QuantizeFloatValue(act_min, output->scale(), output->zero_point()));
  p.act_max = std::isinf(act_max) ? qmax
                                  : std::min(qmax, QuantizeFloatValue(act_max, output->scale(),
                                                                      output->zero_point()));
  return p;
}

// TFLM's CheckedLog2: log2 of x in float, rounded; true when x is a power of two
// within 1e-3 in the exponent.
bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(x_log2);
  *log2_result = static_cast<int>(rounded);
  return std::fabs(x_log2 - rounded) < 1e-3f;
}

}  // namespace

Result<Int8SigmoidScaling> Int8SigmoidInputScaling(const LowerContext& ctx) {
  constexpr int kInputIntegerBits = 4;
  const Tensor* input = ctx.In(0);
  const double real = static_cast<double>(input->scale()) *
                      static_cast<double>(1 << (31 - kInputIntegerBits));
  int shift = 0;
  const double q = std::frexp(real, &shift);
  const double fixed = std::round(q * static_cast<double>(1LL << 31));
  if (shift < 0 || shift > 62 || fixed >= 2147483648.0) {
    return ctx.Error(fmt::format("input scale {} is outside the range TFLM supports here",
                                 input->scale()),
                     input);
  }
  Int8SigmoidScaling s;
  s.multiplier = static_cast<int32_t>(fixed);
  s.left_shift = shift;
  // CalculateInputRadius(4, shift, 31), in double as TFLM.
  const double radius = 1.0 * ((1 << kInputIntegerBits) - 1) *
                        static_cast<double>(1LL << (31 - kInputIntegerBits)) /
                        static_cast<double>(1LL << shift);
  s.range_radius = static_cast<int32_t>(std::floor(radius));
  return s;
}

Result<Int16SigmoidScaling> Int16SigmoidInputScaling(const LowerContext& ctx, int max_pot_shift) {
  constexpr int kInputIntegerBits = 3;
  constexpr int kOutputFractionalBits = 15;
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  for (const Tensor* t : {input, output}) {
    if (t->zero_point() != 0) {
      return ctx.Error(fmt::format("int16 tensors must have zero point 0 (has {})", t->zero_point()),
                       t);
    }
  }
  int out_log2 = 0;
  if (!CheckedLog2(output->scale(), &out_log2) || out_log2 != -kOutputFractionalBits) {
    return ctx.Error(fmt::format("int16 output scale must be 2^-{} (has {})", kOutputFractionalBits,
                                 output->scale()),
                     output);
  }
  Int16SigmoidScaling s;
  int in_log2 = 0;
  const bool pot = CheckedLog2(input->scale(), &in_log2);
  const int pot_shift = (15 - kInputIntegerBits) + in_log2;
  if (pot && pot_shift >= 0 && pot_shift <= max_pot_shift) {
    s.multiplier = 3 << pot_shift;
    s.left_shift = 0;
    return s;
  }
  // Multiplier to the table's input scale 1/(3 * 4096), doubled while it fits 15 bits.
  double multiplier = static_cast<double>(input->scale()) * 4096.0 * 3.0;
  while (multiplier <= 32767.0 / 2.0 && s.left_shift <= 30) {
    ++s.left_shift;
    multiplier *= 2.0;
  }
  if (multiplier >= 32768.0) {
    return ctx.Error(fmt::format("input scale {} is too large (TFLM needs input_scale * 3 * 4096 "
                                 "<= 32767)",
                                 input->scale()),
                     input);
  }
  s.multiplier = static_cast<int32_t>(multiplier);
  return s;
}

int32_t QuantizeFloatValue(float value, float scale, int32_t zero_point) {
  const float r = std::round(value / scale);
  const double v = static_cast<double>(r) + zero_point;
  if (!(v > -2147483648.0)) return std::numeric_limits<int32_t>::min();
  if (v >= 2147483647.0) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(v);
}

Status LowerRequantizingRelu(LowerContext& ctx, LayerCode* out, float act_min, float act_max) {
  auto p = PrepareRelu(ctx, act_min, act_max);
  if (!p.ok()) return p.status();
  out->kernels = {"tml_relu.h"};
  out->decls = CStruct("tml_relu_params_t", ctx.Sym("params"))
                   .Field("size", p->size)
                   .Field("input_offset", p->input_offset)
                   .Field("output_offset", p->output_offset)
                   .Field("multiplier", p->multiplier)
                   .Field("shift", p->shift)
                   .Field("act_min", p->act_min)
                   .Field("act_max", p->act_max)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {});",
                          ctx.In(0)->dtype == DType::kInt16 ? "tml_relu_s16" : "tml_relu_s8",
                          ctx.Sym("params"), ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldRequantizingRelu(const Graph& g, const Operator& op, float act_min, float act_max,
                            FoldedOutputs* out) {
  const LowerContext ctx(g, op, "fold");
  auto p = PrepareRelu(ctx, act_min, act_max);
  if (!p.ok()) return p.status();
  *out = g.tensors[op.inputs[0]].dtype == DType::kInt16
             ? FoldUnary<int16_t>(g, op, p.value(), tml_relu_s16)
             : FoldUnary<int8_t>(g, op, p.value(), tml_relu_s8);
  return Status::Ok();
}

Status CheckUnaryActivation(const LowerContext& ctx, std::initializer_list<DType> dtypes) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  if (std::find(dtypes.begin(), dtypes.end(), input->dtype) == dtypes.end()) {
    std::vector<std::string> names;
    for (DType d : dtypes) names.push_back(DTypeName(d));
    return ctx.Error(fmt::format("input dtype {} is not supported (expected {})",
                                 DTypeName(input->dtype), fmt::join(names, " or ")),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  return CheckShape(ctx, output, input->shape);
}

Result<QuantizedMultiplier> CheckedMultiplier(const LowerContext& ctx, double real,
                                              const char* what) {
  const QuantizedMultiplier m = QuantizeMultiplier(real);
  if (m.shift > 30) {
    return ctx.Error(fmt::format("{} {} is too large (at least 2^30)", what, real));
  }
  return m;
}

}  // namespace tinymlc
