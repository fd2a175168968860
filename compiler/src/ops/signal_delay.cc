// SignalDelay (TFLM signal library, delay.cc): int16 rows delayed by delay_length
// samples across invokes (state: each row's last delay_length samples, zeroed by
// NAME_reset()). Options: 'delay_length' (entry 0).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  int32_t delay = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "delay_length", &delay));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt16));
  if (input->shape.empty() || input->shape.back() <= 0) return ctx.Error("input needs a last dimension", input);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  if (delay < 0 || delay > (1 << 20)) return ctx.Error(fmt::format("delay_length {} is outside 0..2^20", delay));
  const int32_t frame = input->shape.back();
  const int64_t rows = input->NumElements() / frame;
  out->kernels = {"tml_signal_delay.h"};
  out->decls = CStruct("tml_signal_delay_params_t", ctx.Sym("params"))
                   .Field("rows", rows).Field("frame_size", frame).Field("delay", delay).Str();
  out->state_bytes = rows * delay * 2;
  out->body = fmt::format("tml_signal_delay(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output), delay > 0 ? "(int16_t *)(void *)@P@" : "NULL");
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalDelay = {kCustomOpCodeBase + 10, "SignalDelay", "int16 (state)", Lower,
                                   nullptr};

}  // namespace tinymlc
