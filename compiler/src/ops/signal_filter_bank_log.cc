// SignalFilterBankLog (TFLM signal library): scaled natural log of uint32 channels into
// int16. Options: 'input_correction_bits' (entry 0), 'output_scale' (entry 1).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  int32_t correction = 0, scale = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "input_correction_bits", &correction));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "output_scale", &scale));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 1));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kUInt32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt16));
  if (correction < 0 || correction > 31) {
    return ctx.Error(fmt::format("input_correction_bits {} is outside 0..31", correction));
  }
  if (output->shape[0] < input->shape[0]) {
    return ctx.Error(fmt::format("output has {} elements, fewer than the input's {}", output->shape[0],
                                 input->shape[0]),
                     output);
  }
  out->kernels = {"tml_signal_common.h", "tml_signal_filter_bank_log.h"};
  out->decls = CStruct("tml_signal_filter_bank_log_params_t", ctx.Sym("params"))
                   .Field("num_channels", input->shape[0]).Field("input_correction_bits", correction)
                   .Field("output_scale", scale).Str();
  out->body = fmt::format("tml_signal_filter_bank_log(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalFilterBankLog = {kCustomOpCodeBase + 7, "SignalFilterBankLog",
                                           "uint32 -> int16", Lower, nullptr};

}  // namespace tinymlc
