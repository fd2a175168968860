// SignalFilterBankSquareRoot (TFLM signal library): rounded square roots of uint64
// channels >> scale_bits (an int32 scalar input, read at run time) into uint32.
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* bits = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, bits, 0));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 1));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kUInt64));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bits, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kUInt32));
  if (output->shape[0] < input->shape[0]) {
    return ctx.Error(fmt::format("output has {} elements, fewer than the input's {}", output->shape[0],
                                 input->shape[0]),
                     output);
  }
  out->kernels = {"tml_signal_common.h", "tml_signal_filter_bank_square_root.h"};
  out->body = fmt::format("tml_signal_filter_bank_square_root({}, {}, {}, {});", input->shape[0],
                          "(const void *)" + ctx.Ptr(input), ctx.Ptr(bits), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalFilterBankSquareRoot = {kCustomOpCodeBase + 6, "SignalFilterBankSquareRoot",
                                                  "uint64, int32 -> uint32", Lower, nullptr};

}  // namespace tinymlc
