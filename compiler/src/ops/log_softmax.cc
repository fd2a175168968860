// LOG_SOFTMAX: int8 -> int8 along the last dimension, as TFLM's reference
// LogSoftmaxQuantized. TFLM requires output scale 16/256 and zero point 127 and uses
// beta = 1; the input scaling is PreprocessLogSoftmaxScalingExp with 5 integer bits
// (which aborts unless input_scale * 2^26 > 1) plus the reverse scaling divisor.
#include <fmt/format.h>

#include "ops/activation_common.h"
#include "tml_log_softmax.h"

namespace tinymlc {
namespace {

constexpr int kScaledDiffIntegerBits = 5;

Result<tml_log_softmax_s8_params_t> Prepare(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8}));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  if (input->shape.empty()) return ctx.Error("input must have rank >= 1", input);
  if (output->scale() != 16.0f / 256 || output->zero_point() != 127) {
    return ctx.Error(fmt::format("int8 output must have scale 16/256 and zero point 127 (has {} "
                                 "and {})",
                                 output->scale(), output->zero_point()),
                     output);
  }
  const double input_scale = static_cast<double>(input->scale());
  if (!(input_scale * static_cast<double>(1 << (31 - kScaledDiffIntegerBits)) > 1.0)) {
    return ctx.Error(fmt::format("input scale {} is not above 2^-26 (TFLM requires it)",
                                 input->scale()),
                     input);
  }
  const SoftmaxScaling s = PreprocessSoftmaxScaling(1.0, input_scale, kScaledDiffIntegerBits);
  // The inverse of the input scaling, as a multiplier below one.
  const double reverse = static_cast<double>(1 << (31 - s.input_left_shift)) /
                         static_cast<double>(s.input_multiplier);
  const QuantizedMultiplier r = QuantizeMultiplier(reverse);
  if (!(reverse < 1.0) || r.shift > 0) {
    return ctx.Error(fmt::format("input scale {} gives a reverse scaling of {} (TFLM requires it "
                                 "below 1)",
                                 input->scale(), reverse),
                     input);
  }
  const int32_t depth = input->shape.back();
  tml_log_softmax_s8_params_t p{};
  p.outer_size = depth > 0 ? static_cast<int32_t>(input->NumElements() / depth) : 0;
  p.depth = depth;
  p.input_multiplier = s.input_multiplier;
  p.input_left_shift = s.input_left_shift;
  p.reverse_scaling_divisor = r.multiplier;
  p.reverse_scaling_right_shift = -r.shift;
  p.diff_min = s.diff_min;
  return p;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  out->kernels = {"tml_fixedpoint.h", "tml_log_softmax.h"};
  out->decls = CStruct("tml_log_softmax_s8_params_t", ctx.Sym("params"))
                   .Field("outer_size", p->outer_size)
                   .Field("depth", p->depth)
                   .Field("input_multiplier", p->input_multiplier)
                   .Field("input_left_shift", p->input_left_shift)
                   .Field("reverse_scaling_divisor", p->reverse_scaling_divisor)
                   .Field("reverse_scaling_right_shift", p->reverse_scaling_right_shift)
                   .Field("diff_min", p->diff_min)
                   .Str();
  out->body = fmt::format("tml_log_softmax_s8(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  const LowerContext ctx(g, op, "fold");
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  *out = FoldUnary<int8_t>(g, op, p.value(), tml_log_softmax_s8);
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kLogSoftmax = {50, "LOG_SOFTMAX", "int8", Lower, Macs, Fold};

}  // namespace tinymlc
