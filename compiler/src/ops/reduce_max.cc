// REDUCE_MAX: int8 (or float32) maximum over constant axes, as TFLM's ReduceGeneric. For
// int8 TFLM requires equal input and output scales and zero points (it fails the invoke
// otherwise). TFLM has no int16 form.
#include <fmt/format.h>

#include "ops/float_ops.h"
#include "ops/reduce_common.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_reduce_max_s8_params_t* p) {
  int32_t count = 0;
  TINYMLC_RETURN_IF_ERROR(PlanReduce(ctx, &p->shape, &count));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, output));
  if (input->scale() != output->scale() || input->zero_point() != output->zero_point()) {
    return ctx.Error(fmt::format("scale {} and zero point {} differ from the input's {} and {} "
                                 "(TFLM requires them equal)",
                                 output->scale(), output->zero_point(), input->scale(),
                                 input->zero_point()),
                     output);
  }
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatReduceMax(ctx, out);
  tml_reduce_max_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  out->kernels = {"tml_reduce.h"};
  out->decls = CStruct("tml_reduce_max_s8_params_t", ctx.Sym("params"))
                   .Field("shape", ReduceShapeInit(p.shape))
                   .Str();
  out->body = fmt::format("tml_reduce_max_s8(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatReduceMax(g, op, out);
  return FoldUnary<tml_reduce_max_s8_params_t, int8_t, int8_t>(g, op, Prepare, tml_reduce_max_s8,
                                                               out);
}

}  // namespace

extern const OpDef kReduceMax = {82, "REDUCE_MAX", "int8, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
