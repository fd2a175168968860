// SOFTMAX: int8 -> int8 (output scale 1/256, zero point -128), int8 -> int16 (scale
// 1/65536, zero point -32768, as TFLM accepts) or int16 -> int16 (input zero point 0,
// output scale 1/32768 and zero point 0; TFLM's table-based SoftmaxInt16), any beta.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "ops/float_ops.h"
#include "ops/op_util.h"

namespace tinymlc {
namespace {

constexpr int kScaledDiffIntegerBits = 5;
constexpr int kLutS16Size = 513;

// A 513-entry int16 table of f as TFLM's LUTPopulate<int16_t> fills it at prepare time
// (single-precision float throughout, as there): 512 samples over the input range of
// an int16 with the given quantization, each corrected by half the error of the linear
// interpolation at its interval's midpoint, plus the end point.
std::vector<int32_t> PopulateLutS16(float input_scale, int32_t input_zero_point,
                                    float output_scale, int32_t output_zero_point,
                                    float (*f)(float)) {
  const float in_min = input_scale * static_cast<float>(-32768 - input_zero_point);
  const float in_max = input_scale * static_cast<float>(32767 - input_zero_point);
  const float out_min = output_scale * static_cast<float>(-32768 - output_zero_point);
  const float out_max = output_scale * static_cast<float>(32767 - output_zero_point);
  const int steps = kLutS16Size - 1;
  const float step = (in_max - in_min) / static_cast<float>(steps);
  const float half_step = step / 2.0f;
  const float inv = 65536.0f / (out_max - out_min);
  auto saturate = [](float v) {
    return static_cast<int32_t>(std::min(std::max(v, -32768.0f), 32767.0f));
  };
  std::vector<int32_t> lut(kLutS16Size);
  for (int i = 0; i < steps; ++i) {
    const float x = in_min + static_cast<float>(i) * step;
    const float y = f(x);
    const float y_mid = f(x + half_step);
    const float y_next = f(in_min + static_cast<float>(i + 1) * step);
    const float sample = std::round(y * inv);
    const float interpolated = std::round((y_next * inv + std::round(y * inv)) / 2.0f);
    const float exact_mid = std::round(y_mid * inv);
    const float correction = std::round((interpolated - exact_mid) / 2.0f);
    lut[i] = saturate(sample - correction);
  }
  lut[steps] = saturate(std::round(f(in_max) * inv));
  return lut;
}

float ExpF(float x) { return std::exp(x); }
float OneOverOnePlusX(float x) { return 1.0f / (1.0f + x); }

// int16 -> int16 (TFLM's CalculateSoftmaxParams and InitializeLutForInt16).
Status LowerS16(LowerContext& ctx, const SoftmaxOptions& o, LayerCode* out) {
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  if (input->shape.empty()) return ctx.Error("input must have rank >= 1", input);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  if (input->zero_point() != 0) {
    return ctx.Error(fmt::format("int16 input must have zero point 0 (has {})", input->zero_point()),
                     input);
  }
  if (output->zero_point() != 0 ||
      !(std::fabs(output->scale() - 1.0f / 32768) <= 0.001f * (1.0f / 32768))) {
    return ctx.Error(fmt::format("int16 output of an int16 input must have scale 1/32768 and zero "
                                 "point 0 (has {} and {})",
                                 output->scale(), output->zero_point()),
                     output);
  }
  if (!std::isfinite(o.beta) || o.beta <= 0.0f) {
    return ctx.Error(fmt::format("beta {} is not finite and positive", o.beta));
  }
  const int32_t depth = input->shape.back();
  // Each exponential is at most 32767: TFLM's int32 sum overflows beyond this depth.
  if (depth > 65536) {
    return ctx.Error(fmt::format("last dimension {} exceeds 65536 (TFLM's int32 sum of "
                                 "exponentials would overflow)", depth),
                     input);
  }
  // -65535 steps of the scaled difference stand for -10.
  const double rescale = static_cast<double>(input->scale()) * static_cast<double>(o.beta) /
                         (10.0 / 65535.0);
  const QuantizedMultiplier m = QuantizeMultiplier(rescale);
  // The exp table spans [-10, 0] (input zero point 32767), 1/(1+x) spans [0, 1]; both
  // outputs span [-1, 1].
  const float range = 65535.0f;
  const std::vector<int32_t> exp_lut =
      PopulateLutS16(10.0f / range, 32767, 2.0f / range, 0, ExpF);
  const std::vector<int32_t> recip_lut =
      PopulateLutS16(1.0f / range, -32768, 2.0f / range, 0, OneOverOnePlusX);
  out->kernels = {"tml_softmax_s16.h"};
  out->decls = CArray("int16_t", ctx.Sym("exp_lut"), exp_lut);
  out->decls += CArray("int16_t", ctx.Sym("recip_lut"), recip_lut);
  out->decls += CStruct("tml_softmax_s16_params_t", ctx.Sym("params"))
                    .Field("outer_size", depth > 0 ? input->NumElements() / depth : 0)
                    .Field("depth", depth)
                    .Field("input_multiplier", m.multiplier)
                    .Field("input_shift", m.shift)
                    .Field("exp_lut", ctx.Sym("exp_lut"))
                    .Field("recip_lut", ctx.Sym("recip_lut"))
                    .Str();
  out->body = fmt::format("tml_softmax_s16(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatSoftmax(ctx, out);
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<SoftmaxOptions>(ctx.op().options);
  if (input->dtype == DType::kInt16) return LowerS16(ctx, o, out);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt8));
  const bool out16 = output->dtype == DType::kInt16;
  if (!out16) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  if (input->shape.empty()) return ctx.Error("input must have rank >= 1", input);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  // TFLM requires these output parameters: int16 output scale 1/65536 within 0.1 %
  // (TF_LITE_ENSURE_NEAR), zero point -32768; int8 exactly 1/256 and -128.
  if (out16) {
    if (output->zero_point() != -32768 ||
        !(std::fabs(output->scale() - 1.0f / 65536) <= 0.001f * (1.0f / 65536))) {
      return ctx.Error(fmt::format("int16 output must have scale 1/65536 and zero point -32768 (has {} and {})",
                                   output->scale(), output->zero_point()),
                       output);
    }
  } else if (output->zero_point() != -128 ||
      output->scale() != 1.0f / 256) {
    return ctx.Error(fmt::format("int8 output must have scale 1/256 and zero point -128 (has {} and {})",
                                 output->scale(), output->zero_point()),
                     output);
  }
  if (!std::isfinite(o.beta) || o.beta <= 0.0f) {
    return ctx.Error(fmt::format("beta {} is not finite and positive", o.beta));
  }
  // TFLM's QuantizeMultiplierGreaterThanOne: the input scaling must be above 1.
  const double real_scaling = static_cast<double>(o.beta) * static_cast<double>(input->scale()) *
                              static_cast<double>(1 << (31 - kScaledDiffIntegerBits));
  if (!(real_scaling > 1.0)) {
    return ctx.Error(fmt::format("beta {} times input scale {} is not above 2^-{} (TFLM requires it)",
                                 o.beta, input->scale(), 31 - kScaledDiffIntegerBits),
                     input);
  }
  const SoftmaxScaling s = PreprocessSoftmaxScaling(static_cast<double>(o.beta),
                                                    static_cast<double>(input->scale()),
                                                    kScaledDiffIntegerBits);
  const int32_t depth = input->shape.back();
  out->kernels = {"tml_softmax.h"};
  out->decls = CStruct("tml_softmax_s8_params_t", ctx.Sym("params"))
                   .Field("outer_size", depth > 0 ? input->NumElements() / depth : 0)
                   .Field("depth", depth)
                   .Field("input_multiplier", s.input_multiplier)
                   .Field("input_left_shift", s.input_left_shift)
                   .Field("diff_min", s.diff_min)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {});", out16 ? "tml_softmax_s8_s16" : "tml_softmax_s8",
                          ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSoftmax = {25, "SOFTMAX", "int8, int8 -> int16, int16, float32", Lower, nullptr};

}  // namespace tinymlc
