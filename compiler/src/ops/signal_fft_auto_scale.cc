// SignalFftAutoScale (TFLM signal library, fft_auto_scale_kernel.cc): an int16 frame
// shifted left as far as it fits, and the shift (int32 scalar, the second output).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 2));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const Tensor* bits = ctx.Out(1);
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, bits, 0));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bits, DType::kInt32));
  // TFLM scales output->dims[0] elements of the input.
  if (output->shape[0] > input->shape[0]) {
    return ctx.Error(fmt::format("output has {} elements, the input only {}", output->shape[0],
                                 input->shape[0]),
                     output);
  }
  out->kernels = {"tml_signal_common.h", "tml_signal_fft_auto_scale.h"};
  out->body = fmt::format("tml_signal_fft_auto_scale({}, {}, {}, {});", output->shape[0],
                          ctx.Ptr(input), ctx.Ptr(output), ctx.Ptr(bits));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalFftAutoScale = {kCustomOpCodeBase + 2, "SignalFftAutoScale",
                                          "int16 -> int16, int32", Lower, nullptr};

}  // namespace tinymlc
