// SignalOverlapAdd (TFLM signal library, overlap_add.cc): frames [..., n_frames,
// frame_size] overlap-added with frame_step into [..., n_frames * frame_step], the
// pending tail kept across invokes (state, zeroed by NAME_reset()). int16 (saturating)
// and float32. Options: 'T' (by key), 'frame_step' (entry 1).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

constexpr int kTensorTypeFloat32 = 0, kTensorTypeInt16 = 7;

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  int32_t type = 0, step = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOptionByKey(ctx, "T", &type));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "frame_step", &step));
  if (type != kTensorTypeInt16 && type != kTensorTypeFloat32) {
    return ctx.Error(fmt::format("option T = {}: int16 (7) or float32 (0) expected", type));
  }
  const DType dt = type == kTensorTypeInt16 ? DType::kInt16 : DType::kFloat32;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, dt));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, dt));
  if (input->shape.size() < 2) return ctx.Error("input needs rank 2 or more", input);
  const int32_t size = input->shape.back(), n_frames = input->shape[input->shape.size() - 2];
  if (step < 1 || step > size) {
    return ctx.Error(fmt::format("frame_step {} is outside 1..frame_size ({})", step, size));
  }
  std::vector<int32_t> want(input->shape.begin(), input->shape.end() - 2);
  want.push_back(n_frames * step);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  const int64_t rows = n_frames * int64_t{size} == 0 ? 0 : input->NumElements() / (int64_t{n_frames} * size);
  const bool s16 = dt == DType::kInt16;
  out->kernels = {"tml_signal_overlap_add.h"};
  out->decls = CStruct("tml_signal_overlap_add_params_t", ctx.Sym("params"))
                   .Field("rows", rows).Field("n_frames", n_frames).Field("frame_size", size)
                   .Field("frame_step", step).Str();
  out->state_bytes = rows * size * (s16 ? 2 : 4);
  out->body = fmt::format("tml_signal_overlap_add_{}(&{}, {}, {}, ({} *)(void *)@P@);", s16 ? "s16" : "f32",
                          ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(output), s16 ? "int16_t" : "float");
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalOverlapAdd = {kCustomOpCodeBase + 13, "SignalOverlapAdd",
                                        "int16, float32 (state)", Lower, nullptr};

}  // namespace tinymlc
