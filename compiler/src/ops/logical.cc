// LOGICAL_AND, LOGICAL_OR (bool x bool -> bool, broadcasting) and LOGICAL_NOT (bool ->
// bool) as TFLM's logical.cc and elementwise.cc (templates/kernels/tml_logical.h). TFLM
// broadcasts through BroadcastBinaryFunction4DSlow: inputs of different shapes must have
// rank <= 4.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "tml_logical.h"

namespace tinymlc {
namespace {

Status CheckBroadcastRank4(const LowerContext& ctx, const Tensor* in1, const Tensor* in2,
                           const Tensor* output) {
  if (in1->shape != in2->shape && output->shape.size() > 4) {
    return ctx.Error(fmt::format("broadcasting of rank {} (TFLM broadcasts this op up to rank 4)",
                                 output->shape.size()),
                     output);
  }
  return Status::Ok();
}

template <int kAnd>
Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  for (const Tensor* t : {ctx.In(0), ctx.In(1), ctx.Out(0)}) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kBool));
  }
  TINYMLC_RETURN_IF_ERROR(CheckBroadcastRank4(ctx, ctx.In(0), ctx.In(1), ctx.Out(0)));
  tml_logical_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, ctx.In(0), ctx.In(1), ctx.Out(0), &p.shape));
  out->kernels = {"tml_broadcast.h", "tml_logical.h"};
  out->decls = CStruct("tml_logical_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("is_and", kAnd)
                   .Str();
  out->body = fmt::format("tml_logical_binary(&{}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status LowerNot(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.In(0), DType::kBool));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.Out(0), DType::kBool));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, ctx.Out(0), ctx.In(0)->shape));
  out->kernels = {"tml_broadcast.h", "tml_logical.h"};
  out->body = fmt::format("tml_logical_not({}, {}, {});", ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)),
                          ctx.Out(0)->NumElements());
  return Status::Ok();
}

}  // namespace

extern const OpDef kLogicalOr = {84, "LOGICAL_OR", "bool", Lower<0>, nullptr};
extern const OpDef kLogicalAnd = {86, "LOGICAL_AND", "bool", Lower<1>, nullptr};
extern const OpDef kLogicalNot = {87, "LOGICAL_NOT", "bool", LowerNot, nullptr};

}  // namespace tinymlc
