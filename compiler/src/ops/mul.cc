// MUL: int8 * int8 -> int8 (or int16 * int16 -> int16) with broadcasting, as TFLM's
// reference integer MUL.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_mul.h"
#include "tml_mul_s16.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, tml_mul_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  for (const Tensor* t : {in1, in2, output}) TINYMLC_RETURN_IF_ERROR(CheckQuantizedLike(ctx, t, in1));
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p->shape));
  auto act = FusedActivationRange(ctx, output);
  if (!act.ok()) return act.status();
  // TFLM (CalculateOpDataMul): s1 * s2 / s_out in double, any shift.
  const QuantizedMultiplier m =
      QuantizeMultiplier(static_cast<double>(in1->scale()) * static_cast<double>(in2->scale()) /
                         static_cast<double>(output->scale()));
  p->input1_offset = -in1->zero_point();
  p->input2_offset = -in2->zero_point();
  p->output_offset = output->zero_point();
  p->output_multiplier = m.multiplier;
  p->output_shift = m.shift;
  p->act_min = act->min;
  p->act_max = act->max;
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatBinary(ctx, out, "mul");
  tml_mul_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  const bool s16 = ctx.In(0)->dtype == DType::kInt16;
  out->kernels = {"tml_broadcast.h", "tml_mul.h"};
  if (s16) out->kernels.push_back("tml_mul_s16.h");
  out->decls = CStruct("tml_mul_s8_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("input1_offset", p.input1_offset)
                   .Field("input2_offset", p.input2_offset)
                   .Field("output_offset", p.output_offset)
                   .Field("output_multiplier", p.output_multiplier)
                   .Field("output_shift", p.output_shift)
                   .Field("act_min", p.act_min)
                   .Field("act_max", p.act_max)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {}, {});", s16 ? "tml_mul_s16" : "tml_mul_s8",
                          ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatBinary(g, op, "mul", out);
  if (FirstInputIs(g, op, DType::kInt16)) {
    return FoldBinary<tml_mul_s8_params_t, int16_t, int16_t>(g, op, Prepare, tml_mul_s16, out);
  }
  return FoldBinary<tml_mul_s8_params_t, int8_t>(g, op, Prepare, tml_mul_s8, out);
}

}  // namespace

extern const OpDef kMul = {18, "MUL", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
