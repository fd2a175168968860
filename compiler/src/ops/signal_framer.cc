// SignalFramer (TFLM signal library, framer.cc): int16 rows cut into overlapping frames
// across invokes, and a bool 'valid' output. Options: 'frame_size' (entry 0),
// 'frame_step' (1), 'prefill' (2, bool).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 2));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const Tensor* valid = ctx.Out(1);
  int32_t size = 0, step = 0;
  bool prefill = false;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "frame_size", &size));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "frame_step", &step));
  TINYMLC_RETURN_IF_ERROR(SignalBoolOption(ctx, 2, "prefill", &prefill));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, valid, DType::kBool));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, valid, 0));
  if (input->shape.empty()) return ctx.Error("input needs a last dimension", input);
  if (size < 1 || step < 1 || size > (1 << 20) || step > (1 << 20)) {
    return ctx.Error(fmt::format("frame_size {} and frame_step {} must be in 1..2^20", size, step));
  }
  const int32_t inner = input->shape.back();
  if (inner < step || inner % step != 0) {
    return ctx.Error(fmt::format("the input's last dimension {} is not a multiple of frame_step {}",
                                 inner, step),
                     input);
  }
  const int32_t n_frames = inner / step;
  const int64_t rows = input->NumElements() / inner;
  std::vector<int32_t> want(input->shape.begin(), input->shape.end() - 1);
  want.push_back(n_frames);
  want.push_back(size);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  const int32_t capacity = (size + step - 1) / step * step;
  const int32_t pre = prefill ? size - step : 0;
  if (pre < 0) return ctx.Error(fmt::format("prefill with frame_step {} > frame_size {}", step, size));
  out->kernels = {"tml_signal_framer.h"};
  out->decls = CStruct("tml_signal_framer_params_t", ctx.Sym("params"))
                   .Field("rows", rows).Field("n_frames", n_frames).Field("frame_size", size)
                   .Field("frame_step", step).Field("capacity", capacity).Field("prefill", pre).Str();
  out->state_bytes = ((rows * capacity * 2 + 3) & ~int64_t{3}) + rows * 4;
  out->body = fmt::format("tml_signal_framer(&{}, {}, {}, {}, @P@);", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output), ctx.Ptr(valid));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalFramer = {kCustomOpCodeBase + 11, "SignalFramer", "int16 -> int16, bool (state)",
                                    Lower, nullptr};

}  // namespace tinymlc
