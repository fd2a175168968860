// L2_NORMALIZATION: int8 -> int8 along the last dimension, as TFLM's integer path.
// Its arithmetic produces values in units of 1/128 around 0, so the output must be
// quantized with scale 1/128 and zero point 0 (what the TFLite converter writes and
// TFLite's kernel requires; TFLM's micro kernel ignores the output quantization).
// TFLM supports no fused activation and inputs of rank <= 4.
#include <fmt/format.h>

#include <cstring>

#include "ops/elementwise_util.h"  // ConstValues
#include "ops/op_util.h"
#include "tml_l2_normalization.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_l2_normalization_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  if (input->shape.empty() || input->shape.size() > 4) {
    return ctx.Error(fmt::format("rank {} is not supported (TFLM: 1 to 4)", input->shape.size()),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  if (output->scale() != 1.0f / 128.0f || output->zero_point() != 0) {
    return ctx.Error(fmt::format("output quantization (scale {}, zero point {}) must be scale "
                                 "1/128, zero point 0: the int8 kernel's fixed output format",
                                 output->scale(), output->zero_point()),
                     output);
  }
  const auto& o = std::get<ActivationOptions>(ctx.op().options);
  if (o.activation != Activation::kNone) {
    return ctx.Error(fmt::format("fused activation {} is not supported (TFLM supports none)",
                                 ActivationName(o.activation)));
  }
  const int32_t depth = input->shape.back();
  *p = tml_l2_normalization_s8_params_t{};
  p->depth = depth;
  p->outer = depth == 0 ? 0 : static_cast<int32_t>(input->NumElements() / depth);
  p->input_offset = -input->zero_point();
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  tml_l2_normalization_s8_params_t p;
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  out->kernels = {"tml_l2_normalization.h"};
  out->decls = CStruct("tml_l2_normalization_s8_params_t", ctx.Sym("params"))
                   .Field("outer", p.outer)
                   .Field("depth", p.depth)
                   .Field("input_offset", p.input_offset)
                   .Str();
  out->body = fmt::format("tml_l2_normalization_s8(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldUnary<tml_l2_normalization_s8_params_t, int8_t, int8_t>(
      g, op, Prepare, tml_l2_normalization_s8, out);
}

}  // namespace

extern const OpDef kL2Normalization = {11, "L2_NORMALIZATION", "int8", Lower, nullptr, Fold};

}  // namespace tinymlc
