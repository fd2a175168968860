// HARD_SWISH: int8 -> int8 as TFLM's reference kernel (int16 fixed point). The
// multipliers are derived in float as TFLM's HardSwishPrepare: the input on a
// "hires" scale input_scale / 128, rescaled to the output (hires / output_scale, whose
// exponent must be <= 0) and to the "reluish" scale 3 / 32768; both Q0.31 multipliers
// are then rounded to Q0.15.
#include <fmt/format.h>

#include <limits>

#include "ops/activation_common.h"
#include "ops/float_ops.h"
#include "tml_hard_swish.h"

namespace tinymlc {
namespace {

// TFLM's DownScaleInt32ToInt16Multiplier.
int32_t ToQ15(int32_t multiplier) {
  constexpr int32_t kRounding = 1 << 15;
  if (multiplier >= std::numeric_limits<int32_t>::max() - kRounding) return 32767;
  return (multiplier + kRounding) >> 16;
}

Result<tml_hard_swish_s8_params_t> Prepare(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8}));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const float hires_input_scale = (1.0f / 128.0f) * input->scale();
  const float reluish_scale = 3.0f / 32768.0f;
  // The hi-res scale in float, each ratio in double (TFLM's HardSwishPrepare as built
  // in pip tflite-micro 0.dev20261023182759: mulss, then cvtss2sd and divsd).
  const QuantizedMultiplier out_m =
      QuantizeMultiplier(static_cast<double>(hires_input_scale) / output->scale());
  if (out_m.shift > 0) {
    return ctx.Error(fmt::format("input_scale / (128 * output_scale) = {} is not below 1 (TFLM "
                                 "requires it)",
                                 hires_input_scale / output->scale()),
                     output);
  }
  const QuantizedMultiplier relu_m =
      QuantizeMultiplier(static_cast<double>(hires_input_scale) / reluish_scale);
  if (relu_m.shift > 31) {
    return ctx.Error(fmt::format("input scale {} is too large", input->scale()), input);
  }
  tml_hard_swish_s8_params_t p{};
  p.size = static_cast<int32_t>(input->NumElements());
  p.input_zero_point = input->zero_point();
  p.output_zero_point = output->zero_point();
  p.output_multiplier = ToQ15(out_m.multiplier);
  p.output_exponent = out_m.shift;
  p.reluish_multiplier = ToQ15(relu_m.multiplier);
  p.reluish_exponent = relu_m.shift;
  return p;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "hard_swish");
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  out->kernels = {"tml_hard_swish.h"};
  out->decls = CStruct("tml_hard_swish_s8_params_t", ctx.Sym("params"))
                   .Field("size", p->size)
                   .Field("input_zero_point", p->input_zero_point)
                   .Field("output_zero_point", p->output_zero_point)
                   .Field("output_multiplier", p->output_multiplier)
                   .Field("output_exponent", p->output_exponent)
                   .Field("reluish_multiplier", p->reluish_multiplier)
                   .Field("reluish_exponent", p->reluish_exponent)
                   .Str();
  out->body = fmt::format("tml_hard_swish_s8(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "hard_swish", out);
  const LowerContext ctx(g, op, "fold");
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  *out = FoldUnary<int8_t>(g, op, p.value(), tml_hard_swish_s8);
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kHardSwish = {117, "HARD_SWISH", "int8, float32", Lower, Macs, Fold};

}  // namespace tinymlc
