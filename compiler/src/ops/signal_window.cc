// SignalWindow (TFLM signal library, signal/micro/kernels/window.cc): int16 frames times
// an int16 window, >> shift, saturated. Options: 'shift' (entry 0).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* window = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  int32_t shift = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "shift", &shift));
  if (input->shape.empty()) return ctx.Error("input must have rank 1 or more", input);
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, window, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, static_cast<int>(input->shape.size())));
  for (const Tensor* t : {input, window, output}) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kInt16));
  const int64_t size = input->NumElements(), wsize = window->shape[0];
  if (wsize <= 0 || size % wsize != 0) {
    return ctx.Error(fmt::format("the window's {} samples do not divide the input's {}", wsize, size),
                     window);
  }
  if (output->NumElements() != size) {
    return ctx.Error(fmt::format("output has {} elements, the input {}", output->NumElements(), size),
                     output);
  }
  if (shift < 0 || shift > 31) return ctx.Error(fmt::format("shift {} is outside 0..31", shift));
  out->kernels = {"tml_signal_window.h"};
  out->decls = CStruct("tml_signal_window_params_t", ctx.Sym("params"))
                   .Field("size", size).Field("window_size", wsize).Field("shift", shift).Str();
  out->body = fmt::format("tml_signal_window(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(window), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalWindow = {kCustomOpCodeBase + 1, "SignalWindow", "int16", Lower, nullptr};

}  // namespace tinymlc
