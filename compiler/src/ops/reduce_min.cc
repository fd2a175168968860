// REDUCE_MIN: int8 (or float32) minimum over constant axes, as TFLM's ReduceGeneric with
// its min reducer (reduce_common.cc); the twin of REDUCE_MAX (reduce_max.cc). For int8
// TFLM requires equal input and output scales and zero points. TFLM has no int16 form.
// Kernels: templates/kernels/tml_reduce_min.h.
#include <fmt/format.h>

#include "ops/reduce_common.h"
#include "tml_reduce_min.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_reduce_max_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  if (input->dtype == DType::kFloat32) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kFloat32));
  } else {
    TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, input));
    TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, output));
    if (input->scale() != output->scale() || input->zero_point() != output->zero_point()) {
      return ctx.Error(fmt::format("scale {} and zero point {} differ from the input's {} and {} "
                                   "(TFLM requires them equal)",
                                   output->scale(), output->zero_point(), input->scale(),
                                   input->zero_point()),
                       output);
    }
  }
  int32_t count = 0;
  return PlanReduce(ctx, &p->shape, &count);
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  tml_reduce_max_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  const bool f32 = ctx.In(0)->dtype == DType::kFloat32;
  out->kernels = {"tml_reduce.h", "tml_reduce_min.h"};
  out->decls = CStruct("tml_reduce_max_s8_params_t", ctx.Sym("params"))
                   .Field("shape", ReduceShapeInit(p.shape))
                   .Str();
  out->body = fmt::format("tml_reduce_min_{}(&{}, {}, {});", f32 ? "f32" : "s8", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (FirstInputIs(g, op, DType::kFloat32)) {
    return FoldUnary<tml_reduce_max_s8_params_t, float, float>(g, op, Prepare, tml_reduce_min_f32,
                                                               out);
  }
  return FoldUnary<tml_reduce_max_s8_params_t, int8_t, int8_t>(g, op, Prepare, tml_reduce_min_s8,
                                                               out);
}

}  // namespace

extern const OpDef kReduceMin = {89, "REDUCE_MIN", "int8, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
