// NEG: float32 only. TFLM's NEG kernel has no int8 path (it fails such models at
// invoke), so int8 NEG is rejected here too.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "tml_neg.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_neg_f32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  if (input->dtype != DType::kFloat32) {
    return ctx.Error(fmt::format("dtype {} is not supported: TFLM's NEG kernel supports float32 "
                                 "only",
                                 DTypeName(input->dtype)),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kFloat32));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  p->size = static_cast<int32_t>(input->NumElements());
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  tml_neg_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  out->kernels = {"tml_neg.h"};
  out->decls = CStruct("tml_neg_f32_params_t", ctx.Sym("params")).Field("size", p.size).Str();
  out->body = fmt::format("tml_neg_f32(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldUnary<tml_neg_f32_params_t, float, float>(g, op, Prepare, tml_neg_f32, out);
}

}  // namespace

extern const OpDef kNeg = {59, "NEG", "float32", Lower, nullptr, Fold};

}  // namespace tinymlc
