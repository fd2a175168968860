// QUANTIZE: float32 -> int8, and int8 -> int8 (requantize).
#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  const int64_t size = output->NumElements();
  if (input->dtype == DType::kFloat32) {
    out->kernels = {"tml_quantize.h"};
    out->needs_math = true;
    out->decls = CStruct("tml_quantize_f32_s8_params_t", ctx.Sym("params"))
                     .Field("size", size)
                     .FloatField("scale", output->scale())
                     .Field("zero_point", output->zero_point())
                     .Str();
    out->body = fmt::format("tml_quantize_f32_s8(&{}, {}, {});", ctx.Sym("params"),
                            ctx.Ptr(input), ctx.Ptr(output));
    return Status::Ok();
  }
  if (input->dtype == DType::kInt8) {
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
    const QuantizedMultiplier q = QuantizeMultiplier(static_cast<double>(input->scale()) /
                                                     static_cast<double>(output->scale()));
    out->kernels = {"tml_quantize.h"};
    out->decls = CStruct("tml_requantize_s8_params_t", ctx.Sym("params"))
                     .Field("size", size)
                     .Field("input_zero_point", input->zero_point())
                     .Field("output_zero_point", output->zero_point())
                     .Field("multiplier", q.multiplier)
                     .Field("shift", q.shift)
                     .Str();
    out->body = fmt::format("tml_requantize_s8_s8(&{}, {}, {});", ctx.Sym("params"),
                            ctx.Ptr(input), ctx.Ptr(output));
    return Status::Ok();
  }
  return ctx.Error(fmt::format("input dtype {} is not supported (float32 or int8)",
                               DTypeName(input->dtype)),
                   input);
}

}  // namespace

extern const OpDef kQuantize = {114, "QUANTIZE", Lower, nullptr};

}  // namespace tinymlc
