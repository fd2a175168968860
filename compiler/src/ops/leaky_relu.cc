// LEAKY_RELU: int8 / int16 with two multipliers, identity (input_scale / output_scale)
// for x >= 0 and alpha (input_scale * alpha / output_scale) for x < 0, both computed
// in double from the float scales and alpha, as the TFLM that runs does (the pip
// tflite-micro 0.dev20261023182759: its CalculateOpDataLeakyRelu widens each operand,
// `cvtss2sd` x3 then `mulsd`/`divsd`; older sources divided in float first, which
// moves a multiplier by up to 2^-24 and a rounding tie by one step). A negative
// alpha is supported as in TFLM (its multiplier's magnitude is applied, then negated).
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "ops/activation_common.h"
#include "ops/float_ops.h"
#include "tml_leaky_relu.h"

namespace tinymlc {
namespace {

Result<tml_leaky_relu_params_t> Prepare(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8, DType::kInt16}));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const auto* o = std::get_if<LeakyReluOptions>(&ctx.op().options);
  const float alpha = o ? o->alpha : 0.0f;
  if (!std::isfinite(alpha)) return ctx.Error(fmt::format("alpha {} is not finite", alpha));
  auto identity = CheckedMultiplier(ctx, static_cast<double>(input->scale()) / output->scale(),
                                    "input_scale / output_scale");
  if (!identity.ok()) return identity.status();
  auto scaled_alpha = CheckedMultiplier(
      ctx, static_cast<double>(input->scale()) * alpha / output->scale(),
      "input_scale * alpha / output_scale");
  if (!scaled_alpha.ok()) return scaled_alpha.status();
  if (scaled_alpha->multiplier == INT32_MIN) {
    // TFLM would negate INT32_MIN; a float alpha can never produce it.
    return ctx.Error("alpha multiplier is -2^31");
  }
  tml_leaky_relu_params_t p{};
  p.size = static_cast<int32_t>(input->NumElements());
  p.input_zero_point = input->zero_point();
  p.output_zero_point = output->zero_point();
  p.identity_multiplier = identity->multiplier;
  p.identity_shift = identity->shift;
  p.alpha_multiplier = std::abs(scaled_alpha->multiplier);
  p.alpha_shift = scaled_alpha->shift;
  p.alpha_negative = scaled_alpha->multiplier < 0 ? 1 : 0;
  return p;
}

const char* KernelFn(const Tensor& input) {
  return input.dtype == DType::kInt16 ? "tml_leaky_relu_s16" : "tml_leaky_relu_s8";
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatLeakyRelu(ctx, out);
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  out->kernels = {"tml_leaky_relu.h"};
  out->decls = CStruct("tml_leaky_relu_params_t", ctx.Sym("params"))
                   .Field("size", p->size)
                   .Field("input_zero_point", p->input_zero_point)
                   .Field("output_zero_point", p->output_zero_point)
                   .Field("identity_multiplier", p->identity_multiplier)
                   .Field("identity_shift", p->identity_shift)
                   .Field("alpha_multiplier", p->alpha_multiplier)
                   .Field("alpha_shift", p->alpha_shift)
                   .Field("alpha_negative", p->alpha_negative)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {});", KernelFn(*ctx.In(0)), ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatLeakyRelu(g, op, out);
  const LowerContext ctx(g, op, "fold");
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  *out = g.tensors[op.inputs[0]].dtype == DType::kInt16
             ? FoldUnary<int16_t>(g, op, p.value(), tml_leaky_relu_s16)
             : FoldUnary<int8_t>(g, op, p.value(), tml_leaky_relu_s8);
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kLeakyRelu = {98, "LEAKY_RELU", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
