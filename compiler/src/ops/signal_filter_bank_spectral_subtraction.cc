// SignalFilterBankSpectralSubtraction (TFLM signal library): noise-estimate subtraction on
// uint32 channels. The estimate is the op's own state (LayerCode::state_bytes): kept
// across invokes, zeroed by NAME_reset() (TFLM zeroes it in Prepare and Reset); the
// second output is a copy of it. Options (entries in key order): 0
// 'alternate_one_minus_smoothing', 1 'alternate_smoothing', 2 'clamping' (bool), 3
// 'min_signal_remaining', 4 'num_channels', 5 'one_minus_smoothing', 6 'smoothing', 7
// 'smoothing_bits', 8 'spectral_subtraction_bits'.
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 2));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const Tensor* noise = ctx.Out(1);
  int32_t alt_oms = 0, alt_s = 0, msr = 0, channels = 0, oms = 0, s = 0, sbits = 0, ssbits = 0;
  bool clamping = false;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "alternate_one_minus_smoothing", &alt_oms));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "alternate_smoothing", &alt_s));
  TINYMLC_RETURN_IF_ERROR(SignalBoolOption(ctx, 2, "clamping", &clamping));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 3, "min_signal_remaining", &msr));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 4, "num_channels", &channels));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 5, "one_minus_smoothing", &oms));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 6, "smoothing", &s));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 7, "smoothing_bits", &sbits));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 8, "spectral_subtraction_bits", &ssbits));
  for (const Tensor* t : {input, output, noise}) {
    TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, t, 1));
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kUInt32));
  }
  if (channels < 1 || channels > input->shape[0] || channels > output->shape[0] ||
      noise->shape[0] > channels) {
    return ctx.Error(fmt::format("num_channels {} does not fit the input ({}), output ({}) and noise "
                                 "estimate ({}) sizes",
                                 channels, input->shape[0], output->shape[0], noise->shape[0]));
  }
  if (sbits < 0 || sbits > 31 || ssbits < 0 || ssbits > 63) {
    return ctx.Error(fmt::format("smoothing_bits {} (0..31) or spectral_subtraction_bits {} (0..63) "
                                 "out of range",
                                 sbits, ssbits));
  }
  auto u = [](int32_t v) { return static_cast<int64_t>(static_cast<uint32_t>(v)); };
  out->kernels = {"tml_signal_filter_bank_spectral_subtraction.h"};
  out->decls = CStruct("tml_signal_spectral_subtraction_params_t", ctx.Sym("params"))
                   .Field("num_channels", channels).Field("noise_output_size", noise->shape[0])
                   .Field("smoothing", fmt::format("{}u", u(s)))
                   .Field("one_minus_smoothing", fmt::format("{}u", u(oms)))
                   .Field("alternate_smoothing", fmt::format("{}u", u(alt_s)))
                   .Field("alternate_one_minus_smoothing", fmt::format("{}u", u(alt_oms)))
                   .Field("min_signal_remaining", fmt::format("{}u", u(msr)))
                   .Field("smoothing_bits", sbits).Field("spectral_subtraction_bits", ssbits)
                   .Field("clamping", clamping ? 1 : 0).Str();
  out->state_bytes = int64_t{4} * channels;
  out->body = fmt::format(
      "tml_signal_filter_bank_spectral_subtraction(&{}, {}, {}, {}, (uint32_t *)(void *)@P@);",
      ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(output), ctx.Ptr(noise));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalFilterBankSpectralSubtraction = {
    kCustomOpCodeBase + 8, "SignalFilterBankSpectralSubtraction", "uint32 (state)", Lower, nullptr};

}  // namespace tinymlc
