// SignalPCAN (TFLM signal library, pcan.cc): per-channel automatic gain control of uint32
// channels given their noise estimate (uint32) and the int16 gain table. Options:
// 'snr_shift' (entry 0).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

// WideDynamicFunction reads lut[4 * msb(x) - 6 + 2] with msb(x) up to 32.
constexpr int64_t kGainLutEntries = 125;

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* noise = ctx.In(1);
  const Tensor* lut = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  int32_t snr_shift = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "snr_shift", &snr_shift));
  for (const Tensor* t : {input, noise, lut, output}) TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, t, 1));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kUInt32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, noise, DType::kUInt32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, lut, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kUInt32));
  const int32_t channels = input->shape[0];
  if (noise->shape[0] < channels || output->shape[0] != channels) {
    return ctx.Error(fmt::format("noise estimate ({}) and output ({}) must cover the input's {} "
                                 "channels",
                                 noise->shape[0], output->shape[0], channels));
  }
  if (lut->shape[0] < kGainLutEntries) {
    return ctx.Error(fmt::format("gain_lut has {} entries: {} are read for uint32 noise estimates",
                                 lut->shape[0], kGainLutEntries),
                     lut);
  }
  if (snr_shift < 0 || snr_shift > 63) return ctx.Error(fmt::format("snr_shift {} is outside 0..63", snr_shift));
  out->kernels = {"tml_signal_common.h", "tml_signal_pcan.h"};
  out->decls = CStruct("tml_signal_pcan_params_t", ctx.Sym("params"))
                   .Field("num_channels", channels).Field("snr_shift", snr_shift).Str();
  out->body = fmt::format("tml_signal_pcan(&{}, {}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(noise), ctx.Ptr(lut), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalPcan = {kCustomOpCodeBase + 9, "SignalPCAN", "uint32, int16 table",
                                  Lower, nullptr};

}  // namespace tinymlc
