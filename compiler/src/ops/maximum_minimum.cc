// MAXIMUM and MINIMUM: elementwise larger/smaller of two int8, int16 (or float32) tensors with
// broadcasting. TFLM compares the raw values and ignores quantization (no prepare
// step at all), so neither do we.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_maximum_minimum.h"
#include "tml_maximum_minimum_s16.h"

namespace tinymlc {
namespace {

template <bool kMaximum>
Status Prepare(const LowerContext& ctx, tml_maximum_minimum_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  // int8 or int16, all three the same (TFLM dispatches on the output's type and reads
  // the inputs as that type); the first input decides which is expected.
  const DType dtype = ctx.In(0)->dtype == DType::kInt16 ? DType::kInt16 : DType::kInt8;
  for (const Tensor* t : {ctx.In(0), ctx.In(1), ctx.Out(0)}) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, dtype));
  }
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, ctx.In(0), ctx.In(1), ctx.Out(0), &p->shape));
  p->maximum = kMaximum ? 1 : 0;
  return Status::Ok();
}

template <bool kMaximum>
Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatMaximumMinimum(ctx, out, kMaximum);
  tml_maximum_minimum_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare<kMaximum>(ctx, &p));
  const bool s16 = ctx.In(0)->dtype == DType::kInt16;
  out->kernels = {"tml_broadcast.h", "tml_maximum_minimum.h"};
  if (s16) out->kernels.push_back("tml_maximum_minimum_s16.h");
  out->decls = CStruct("tml_maximum_minimum_s8_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("maximum", p.maximum)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {}, {});",
                          s16 ? "tml_maximum_minimum_s16" : "tml_maximum_minimum_s8", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

template <bool kMaximum>
Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatMaximumMinimum(g, op, kMaximum, out);
  if (FirstInputIs(g, op, DType::kInt16)) {
    return FoldBinary<tml_maximum_minimum_s8_params_t, int16_t, int16_t>(
        g, op, Prepare<kMaximum>, tml_maximum_minimum_s16, out);
  }
  return FoldBinary<tml_maximum_minimum_s8_params_t, int8_t>(g, op, Prepare<kMaximum>,
                                                             tml_maximum_minimum_s8, out);
}

}  // namespace

extern const OpDef kMaximum = {55, "MAXIMUM", "int8, int16, float32", Lower<true>, nullptr, Fold<true>};
extern const OpDef kMinimum = {57, "MINIMUM", "int8, int16, float32", Lower<false>, nullptr, Fold<false>};

}  // namespace tinymlc
