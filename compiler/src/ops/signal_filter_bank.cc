// SignalFilterBank (TFLM signal library, filter_bank.cc): mel channels of a uint32 energy
// spectrum into uint64. Inputs: spectrum, weights, unweights (int16), then the constant
// int16 tables channel_frequency_starts, channel_weight_starts, channel_widths
// (num_channels + 1 entries each; checked here against the spectrum and weights, which
// TFLM does not). Options: 'num_channels' (entry 0).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

// The uint64 output as void * (the arena aligns it to 4 bytes: the kernel uses memcpy).
std::string DataPtr(const LowerContext& ctx, const Tensor* t) { return "(void *)" + ctx.Ptr(t); }

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 6, 6, 1));
  int32_t channels = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "num_channels", &channels));
  for (int i = 0; i < 6; ++i) TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, ctx.In(i), 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 1));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kUInt32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.In(1), DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.In(2), DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kUInt64));
  std::vector<int16_t> fstart, wstart, width;
  TINYMLC_RETURN_IF_ERROR(SignalConstInt16(ctx, ctx.In(3), &fstart));
  TINYMLC_RETURN_IF_ERROR(SignalConstInt16(ctx, ctx.In(4), &wstart));
  TINYMLC_RETURN_IF_ERROR(SignalConstInt16(ctx, ctx.In(5), &width));
  if (channels < 1 || channels > 4096) return ctx.Error(fmt::format("num_channels {} outside 1..4096", channels));
  const size_t n = static_cast<size_t>(channels) + 1;
  if (fstart.size() < n || wstart.size() < n || width.size() < n) {
    return ctx.Error(fmt::format("the channel tables need num_channels + 1 = {} entries", n));
  }
  const int64_t weights = std::min(ctx.In(1)->NumElements(), ctx.In(2)->NumElements());
  for (size_t i = 0; i < n; ++i) {
    if (fstart[i] < 0 || wstart[i] < 0 || width[i] < 0 || fstart[i] + width[i] > input->shape[0] ||
        wstart[i] + width[i] > weights) {
      return ctx.Error(fmt::format("channel {} (frequency start {}, weight start {}, width {}) reads "
                                   "outside the {} bins or the {} weights",
                                   i, fstart[i], wstart[i], width[i], input->shape[0], weights));
    }
  }
  if (output->shape[0] > channels) {
    return ctx.Error(fmt::format("output has {} elements, more than the {} channels", output->shape[0],
                                 channels),
                     output);
  }
  out->kernels = {"tml_signal_filter_bank.h"};
  out->decls = CStruct("tml_signal_filter_bank_params_t", ctx.Sym("params"))
                   .Field("num_channels", channels).Field("output_size", output->shape[0]).Str();
  out->body = fmt::format("tml_signal_filter_bank(&{}, {}, {}, {}, {}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.In(2)), ctx.Ptr(ctx.In(3)),
                          ctx.Ptr(ctx.In(4)), ctx.Ptr(ctx.In(5)), DataPtr(ctx, output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalFilterBank = {kCustomOpCodeBase + 5, "SignalFilterBank",
                                        "uint32, int16 tables -> uint64", Lower, nullptr};

}  // namespace tinymlc
