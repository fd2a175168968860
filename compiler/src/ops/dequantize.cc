// DEQUANTIZE: int8 or int16 -> float32.
#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  if (input->dtype != DType::kInt16) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt8));
  const char* suffix = input->dtype == DType::kInt16 ? "s16" : "s8";
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kFloat32));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  out->kernels = {"tml_dequantize.h"};
  out->needs_math = true;
  out->decls = CStruct(fmt::format("tml_dequantize_{}_f32_params_t", suffix), ctx.Sym("params"))
                   .Field("size", output->NumElements())
                   .FloatField("scale", input->scale())
                   .Field("zero_point", input->zero_point())
                   .Str();
  out->body = fmt::format("tml_dequantize_{}_f32(&{}, {}, {});", suffix, ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kDequantize = {6, "DEQUANTIZE", "int8, int16 -> float32", Lower, nullptr};

}  // namespace tinymlc
