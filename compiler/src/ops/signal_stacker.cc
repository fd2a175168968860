// SignalStacker (TFLM signal library, stacker.cc): the last left + right + 1 int16 frames
// stacked, and a bool 'valid' output. Options: 'num_channels' (entry 0),
// 'stacker_left_context' (1), 'stacker_right_context' (2), 'stacker_step' (3).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 2));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const Tensor* valid = ctx.Out(1);
  int32_t ch = 0, left = 0, right = 0, step = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "num_channels", &ch));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "stacker_left_context", &left));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 2, "stacker_right_context", &right));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 3, "stacker_step", &step));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, valid, 0));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, valid, DType::kBool));
  if (ch < 1 || ch > 65536 || left < 0 || right < 0 || left + right > 4096 || step < 1 ||
      step > left + right + 1) {
    return ctx.Error(fmt::format("num_channels {}, left {}, right {}, step {}: need channels >= 1, "
                                 "contexts >= 0, 1 <= step <= left + right + 1",
                                 ch, left, right, step));
  }
  const int64_t buffer = int64_t{ch} * (left + right + 1);
  if (input->shape[0] < ch || output->shape[0] < buffer) {
    return ctx.Error(fmt::format("input ({}) or output ({}) smaller than num_channels {} / the "
                                 "stack {}",
                                 input->shape[0], output->shape[0], ch, buffer));
  }
  out->kernels = {"tml_signal_stacker.h"};
  out->decls = CStruct("tml_signal_stacker_params_t", ctx.Sym("params"))
                   .Field("channels", ch).Field("left", left).Field("buffer_size", buffer)
                   .Field("step_size", int64_t{ch} * step).Str();
  out->state_bytes = ((buffer * 2 + 3) & ~int64_t{3}) + 8;
  out->body = fmt::format("tml_signal_stacker(&{}, {}, {}, {}, @P@);", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output), ctx.Ptr(valid));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalStacker = {kCustomOpCodeBase + 12, "SignalStacker",
                                     "int16 -> int16, bool (state)", Lower, nullptr};

}  // namespace tinymlc
