// TANH: int8 -> int8 (gemmlowp fixed point on Q4.27; TFLM assumes output scale 1/128
// and zero point 0 and ignores the output's parameters) and int16 -> int16 (TFLM's
// sigmoid table with interpolation; zero points 0, output scale 2^-15).
#include <fmt/format.h>

#include "ops/activation_common.h"
#include "tml_tanh.h"

namespace tinymlc {
namespace {

struct Plan {
  bool is16 = false;
  tml_tanh_s8_params_t s8{};
  tml_tanh_s16_params_t s16{};
};

Result<Plan> Prepare(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8, DType::kInt16}));
  const Tensor* input = ctx.In(0);
  Plan plan;
  plan.is16 = input->dtype == DType::kInt16;
  const int32_t size = static_cast<int32_t>(input->NumElements());
  if (plan.is16) {
    auto s = Int16SigmoidInputScaling(ctx, /*max_pot_shift=*/1);
    if (!s.ok()) return s.status();
    plan.s16 = {size, s->multiplier, s->left_shift};
  } else {
    auto s = Int8SigmoidInputScaling(ctx);
    if (!s.ok()) return s.status();
    plan.s8 = {size, input->zero_point(), s->range_radius, s->multiplier, s->left_shift};
  }
  return plan;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto plan = Prepare(ctx);
  if (!plan.ok()) return plan.status();
  out->kernels = {"tml_fixedpoint.h", "tml_sigmoid_lut.h", "tml_tanh.h"};
  if (plan->is16) {
    out->decls = CStruct("tml_tanh_s16_params_t", ctx.Sym("params"))
                     .Field("size", plan->s16.size)
                     .Field("input_multiplier", plan->s16.input_multiplier)
                     .Field("input_left_shift", plan->s16.input_left_shift)
                     .Str();
  } else {
    out->decls = CStruct("tml_tanh_s8_params_t", ctx.Sym("params"))
                     .Field("size", plan->s8.size)
                     .Field("input_zero_point", plan->s8.input_zero_point)
                     .Field("input_range_radius", plan->s8.input_range_radius)
                     .Field("input_multiplier", plan->s8.input_multiplier)
                     .Field("input_left_shift", plan->s8.input_left_shift)
                     .Str();
  }
  out->body = fmt::format("{}(&{}, {}, {});", plan->is16 ? "tml_tanh_s16" : "tml_tanh_s8",
                          ctx.Sym("params"), ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  const LowerContext ctx(g, op, "fold");
  auto plan = Prepare(ctx);
  if (!plan.ok()) return plan.status();
  *out = plan->is16 ? FoldUnary<int16_t>(g, op, plan->s16, tml_tanh_s16)
                    : FoldUnary<int8_t>(g, op, plan->s8, tml_tanh_s8);
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kTanh = {28, "TANH", "int8, int16", Lower, Macs, Fold};

}  // namespace tinymlc
