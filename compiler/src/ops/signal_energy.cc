// SignalEnergy (TFLM signal library, energy.cc): re^2 + im^2 of complex int16 bins
// [start_index, end_index) into uint32. Options: 'end_index' (entry 0), 'start_index' (1).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  int32_t end = 0, start = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 0, "end_index", &end));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "start_index", &start));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 1));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 1));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kUInt32));
  const int64_t bins = input->shape[0] / 2;
  if (start < 0 || start > end || end > bins || end > output->shape[0]) {
    return ctx.Error(fmt::format("bins [{}, {}) do not fit the input's {} complex values and the "
                                 "output's {}",
                                 start, end, bins, output->shape[0]));
  }
  out->kernels = {"tml_signal_energy.h"};
  out->decls = CStruct("tml_signal_energy_params_t", ctx.Sym("params"))
                   .Field("start_index", start).Field("end_index", end).Str();
  out->body = fmt::format("tml_signal_energy(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalEnergy = {kCustomOpCodeBase + 4, "SignalEnergy", "int16 -> uint32", Lower,
                                    nullptr};

}  // namespace tinymlc
