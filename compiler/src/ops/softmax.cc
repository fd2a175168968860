// SOFTMAX: int8 -> int8 (output scale 1/256, zero point -128) or int8 -> int16 (scale
// 1/65536, zero point -32768, as TFLM accepts), any beta.
#include <fmt/format.h>

#include <cmath>

#include "ops/float_ops.h"
#include "ops/op_util.h"

namespace tinymlc {
namespace {

constexpr int kScaledDiffIntegerBits = 5;

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatSoftmax(ctx, out);
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<SoftmaxOptions>(ctx.op().options);
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

extern const OpDef kSoftmax = {25, "SOFTMAX", "int8, int8 -> int16, float32", Lower, nullptr};

}  // namespace tinymlc
