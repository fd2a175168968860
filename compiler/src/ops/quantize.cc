// QUANTIZE: float32 -> int8/int16, and int8/int16/int32 -> int8/int16/int32 (requantize,
// not int32 -> int32), the pairs TFLM's reference kernel evaluates for these types.
#include <fmt/format.h>

#include "ops/activation_common.h"
#include "ops/op_util.h"

namespace tinymlc {
namespace {

const char* Suffix(DType t) {
  return t == DType::kInt16 ? "s16" : t == DType::kInt32 ? "s32" : "s8";
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const bool int_input = input->dtype == DType::kInt8 || input->dtype == DType::kInt16 ||
                         input->dtype == DType::kInt32;
  if (output->dtype != DType::kInt16 && !(output->dtype == DType::kInt32 && int_input &&
                                          input->dtype != DType::kInt32)) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt8));
  }
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  const int64_t size = output->NumElements();
  out->kernels = {"tml_quantize.h"};
  if (input->dtype == DType::kFloat32) {
    out->needs_math = true;
    const std::string type = fmt::format("tml_quantize_f32_{}_params_t", Suffix(output->dtype));
    out->decls = CStruct(type, ctx.Sym("params"))
                     .Field("size", size)
                     .FloatField("scale", output->scale())
                     .Field("zero_point", output->zero_point())
                     .Str();
    out->body = fmt::format("tml_quantize_f32_{}(&{}, {}, {});", Suffix(output->dtype),
                            ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(output));
    return Status::Ok();
  }
  if (int_input) {
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
    // A ratio of 2^30 or more needs a left shift over 30, where TFLM's
    // MultiplyByQuantizedMultiplier overflows int32 (x * (1 << left_shift)): refused.
    auto checked = CheckedMultiplier(ctx, static_cast<double>(input->scale()) /
                                              static_cast<double>(output->scale()),
                                     "input_scale / output_scale");
    if (!checked.ok()) return checked.status();
    const QuantizedMultiplier q = checked.value();
    out->decls = CStruct("tml_requantize_s8_params_t", ctx.Sym("params"))
                     .Field("size", size)
                     .Field("input_zero_point", input->zero_point())
                     .Field("output_zero_point", output->zero_point())
                     .Field("multiplier", q.multiplier)
                     .Field("shift", q.shift)
                     .Str();
    out->body = fmt::format("tml_requantize_{}_{}(&{}, {}, {});", Suffix(input->dtype),
                            Suffix(output->dtype), ctx.Sym("params"), ctx.Ptr(input),
                            ctx.Ptr(output));
    return Status::Ok();
  }
  return ctx.Error(fmt::format("input dtype {} is not supported (float32, int8, int16 or int32)",
                               DTypeName(input->dtype)),
                   input);
}

}  // namespace

extern const OpDef kQuantize = {114, "QUANTIZE", "float32 -> int8, int16; int8, int16 -> int8, int16, int32; int32 -> int8, int16",
    Lower, nullptr};

}  // namespace tinymlc
