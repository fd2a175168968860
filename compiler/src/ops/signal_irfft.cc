// SignalIrfft (TFLM signal library, irfft.cc + kiss_fftri): each frame of fft_length / 2
// + 1 complex int16 values (re, im interleaved) back to fft_length real samples, in
// kiss_fft's 16-bit fixed point with the inverse tables and butterflies. int16, int32 and float32,
// fft_length a power of two >= 4. Options: 'T' (by key), 'fft_length' (entry 1).
#include <fmt/format.h>

#include "ops/signal_common.h"

namespace tinymlc {
namespace {

constexpr int kTensorTypeInt16 = 7, kTensorTypeInt32 = 2, kTensorTypeFloat32 = 0;

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  int32_t type = 0, fft_length = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOptionByKey(ctx, "T", &type));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "fft_length", &fft_length));
  if (type != kTensorTypeInt16 && type != kTensorTypeInt32 && type != kTensorTypeFloat32) {
    return ctx.Error(fmt::format("option T = {}: int16 (7), int32 (2) or float32 (0) expected", type));
  }
  const bool s32 = type == kTensorTypeInt32, f32 = type == kTensorTypeFloat32;
  const DType dt = f32 ? DType::kFloat32 : (s32 ? DType::kInt32 : DType::kInt16);
  const int64_t es = s32 || f32 ? 4 : 2;
  const char* suffix = f32 ? "f32" : (s32 ? "s32" : "s16");
  const char* ctype = f32 ? "float" : (s32 ? "int32_t" : "int16_t");
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, dt));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, dt));
  if (input->shape.empty()) return ctx.Error("input must have rank 1 or more", input);
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, static_cast<int>(input->shape.size())));
  if (fft_length < 4 || fft_length > 32768 || (fft_length & (fft_length - 1)) != 0) {
    return ctx.Error(fmt::format("fft_length {} is not a power of two in [4, 32768]", fft_length));
  }
  if (input->shape.back() != fft_length + 2) {
    return ctx.Error(fmt::format("input frames must hold fft_length / 2 + 1 complex values ({} values)",
                                 fft_length + 2),
                     input);
  }
  const int64_t frames = input->NumElements() / (fft_length + 2);
  if (output->shape.back() != fft_length || output->NumElements() != frames * fft_length) {
    return ctx.Error(fmt::format("output must hold {} frames of {} samples", frames, fft_length), output);
  }
  std::string decls;
  int64_t table_bytes = 0;
  TINYMLC_RETURN_IF_ERROR(SignalFftParams(ctx, fft_length, fft_length, frames, /*inverse=*/true, dt, &decls,
                                          &table_bytes));
  out->kernels = {f32 ? "tml_signal_rfft_f32.h" : (s32 ? "tml_signal_rfft_s32.h" : "tml_signal_rfft.h")};
  out->decls = decls;
  out->weight_bytes = table_bytes;
  out->scratch_bytes = es * fft_length;
  out->body = fmt::format("tml_signal_irfft_{}(&{}, {}, {}, ({} *)(void *)@S@);", suffix,
                          ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(output), ctype);
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalIrfft = {kCustomOpCodeBase + 14, "SignalIrfft", "int16, int32, float32", Lower, nullptr};

}  // namespace tinymlc
