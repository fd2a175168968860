// SUB: int8 - int8 -> int8 (or int16 - int16 -> int16, left shift 15) with broadcasting,
// as TFLM's reference quantized SUB.
#include <fmt/format.h>

#include <algorithm>

#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_sub.h"
#include "tml_sub_s16.h"

namespace tinymlc {
namespace {

constexpr int kLeftShift = 20;
constexpr int kLeftShift16 = 15;

Status Prepare(const LowerContext& ctx, tml_sub_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  for (const Tensor* t : {in1, in2, output}) TINYMLC_RETURN_IF_ERROR(CheckQuantizedLike(ctx, t, in1));
  const int left_shift = in1->dtype == DType::kInt16 ? kLeftShift16 : kLeftShift;
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p->shape));
  auto act = FusedActivationRange(ctx, output);
  if (!act.ok()) return act.status();
  // TFLM's CalculateOpDataSub, as built in the TFLM that runs (pip tflite-micro
  // 0.dev20261023182759), works in double like ADD: twice the larger float input scale
  // widened, each ratio and the output factor in double (older sources used float).
  const double twice_max = 2.0 * static_cast<double>(std::max(in1->scale(), in2->scale()));
  const double out_factor = static_cast<double>(1 << left_shift) * static_cast<double>(output->scale());
  auto m1 = MultiplierSmallerThanOne(ctx, static_cast<double>(in1->scale()) / twice_max,
                                     "input 1 multiplier", in1);
  if (!m1.ok()) return m1.status();
  auto m2 = MultiplierSmallerThanOne(ctx, static_cast<double>(in2->scale()) / twice_max,
                                     "input 2 multiplier", in2);
  if (!m2.ok()) return m2.status();
  auto mo = MultiplierSmallerThanOne(ctx, twice_max / out_factor,
                                     "output multiplier (2 * max input scale / (2^left_shift * output scale))",
                                     output);
  if (!mo.ok()) return mo.status();
  SetInputRescale(p, *in1, *in2, left_shift, m1.value(), m2.value());
  p->output_offset = output->zero_point();
  p->output_multiplier = mo->multiplier;
  p->output_shift = mo->shift;
  p->act_min = act->min;
  p->act_max = act->max;
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatBinary(ctx, out, "sub");
  tml_sub_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  const bool s16 = ctx.In(0)->dtype == DType::kInt16;
  out->kernels = {"tml_broadcast.h", "tml_sub.h"};
  if (s16) out->kernels.push_back("tml_sub_s16.h");
  CStruct params("tml_sub_s8_params_t", ctx.Sym("params"));
  out->decls = InputRescaleFields(params, p)
                   .Field("output_offset", p.output_offset)
                   .Field("output_multiplier", p.output_multiplier)
                   .Field("output_shift", p.output_shift)
                   .Field("act_min", p.act_min)
                   .Field("act_max", p.act_max)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {}, {});", s16 ? "tml_sub_s16" : "tml_sub_s8",
                          ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatBinary(g, op, "sub", out);
  if (FirstInputIs(g, op, DType::kInt16)) {
    return FoldBinary<tml_sub_s8_params_t, int16_t, int16_t>(g, op, Prepare, tml_sub_s16, out);
  }
  return FoldBinary<tml_sub_s8_params_t, int8_t>(g, op, Prepare, tml_sub_s8, out);
}

}  // namespace

extern const OpDef kSub = {41, "SUB", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
