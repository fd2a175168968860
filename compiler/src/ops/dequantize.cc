// DEQUANTIZE: int8 -> float32.
#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kFloat32));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  out->kernels = {"tml_dequantize.h"};
  out->needs_math = true;
  out->decls = CStruct("tml_dequantize_s8_f32_params_t", ctx.Sym("params"))
                   .Field("size", output->NumElements())
                   .FloatField("scale", input->scale())
                   .Field("zero_point", input->zero_point())
                   .Str();
  out->body = fmt::format("tml_dequantize_s8_f32(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kDequantize = {6, "DEQUANTIZE", Lower, nullptr};

}  // namespace tinymlc
