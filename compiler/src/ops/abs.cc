// ABS: int8 -> int8, as TFLM's AbsEvalQuantized; float32 (fabsf) through float_ops.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_abs.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_abs_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  p->size = static_cast<int32_t>(input->NumElements());
  p->input_zero_point = input->zero_point();
  p->output_zero_point = output->zero_point();
  // TFLM rescales only when the float scales differ, with the quotient in double (as
  // the TFLM build that runs, pip tflite-micro 0.dev20261023182759, computes it).
  p->rescale = input->scale() != output->scale() ? 1 : 0;
  if (p->rescale) {
    const QuantizedMultiplier m =
        QuantizeMultiplier(static_cast<double>(input->scale()) / output->scale());
    p->multiplier = m.multiplier;
    p->shift = m.shift;
  }
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "abs");
  tml_abs_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  out->kernels = {"tml_abs.h"};
  out->decls = CStruct("tml_abs_s8_params_t", ctx.Sym("params"))
                   .Field("size", p.size)
                   .Field("input_zero_point", p.input_zero_point)
                   .Field("output_zero_point", p.output_zero_point)
                   .Field("rescale", p.rescale)
                   .Field("multiplier", p.multiplier)
                   .Field("shift", p.shift)
                   .Str();
  out->body = fmt::format("tml_abs_s8(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "abs", out);
  return FoldUnary<tml_abs_s8_params_t, int8_t, int8_t>(g, op, Prepare, tml_abs_s8, out);
}

}  // namespace

extern const OpDef kAbs = {101, "ABS", "int8, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
