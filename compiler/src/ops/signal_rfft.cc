// SignalRfft (TFLM signal library, rfft.cc + kiss_fftr): the real FFT of each frame of
// the input's last dimension, zero-padded to fft_length. int16 only here (kiss_fft's
// 16-bit fixed point; TFLM also has int32 and float32 variants), fft_length a power of
// two >= 4 (kiss_fft's radix-4/2 stages; TFLM's radix-3/5 and generic stages are not
// implemented). Options: 'T' (by key: the TensorType), 'fft_length' (entry 1).
// The twiddle tables are computed here as kiss_fft_alloc / kiss_fftr_alloc do:
// floor(0.5 + 32767 * cos|sin(phase)) in double.
#include <fmt/format.h>

#include <cmath>

#include "ops/signal_common.h"
#include "tml_signal_rfft.h"

namespace tinymlc {
namespace {

constexpr int kTensorTypeInt16 = 7;

// kiss_fft's factorization: radix 4 while it divides, then 2, ... (powers of two only).
std::vector<int32_t> Stages(int32_t n) {
  std::vector<int32_t> s;
  int32_t p = 4;
  const double floor_sqrt = std::floor(std::sqrt(static_cast<double>(n)));
  do {
    while (n % p) {
      p = p == 4 ? 2 : (p == 2 ? 3 : p + 2);
      if (p > floor_sqrt) p = n;
    }
    n /= p;
    s.push_back(p);
    s.push_back(n);
  } while (n > 1);
  return s;
}

int16_t Q15(double v) { return static_cast<int16_t>(std::floor(0.5 + 32767.0 * v)); }

std::string Int16Array(const std::string& name, const std::vector<int16_t>& v) {
  std::string s = fmt::format("static const int16_t {}[{}] = {{", name, v.size());
  for (size_t i = 0; i < v.size(); ++i) s += fmt::format("{}{}{}", i % 16 == 0 ? "\n  " : " ", v[i], ",");
  return s + "\n};\n";
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  int32_t type = 0, fft_length = 0;
  TINYMLC_RETURN_IF_ERROR(SignalIntOptionByKey(ctx, "T", &type));
  TINYMLC_RETURN_IF_ERROR(SignalIntOption(ctx, 1, "fft_length", &fft_length));
  if (type != kTensorTypeInt16) {
    return ctx.Error(fmt::format("option T = {}: only int16 (7) is supported (TFLM's int32 and "
                                 "float32 RFFT are not implemented)",
                                 type));
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt16));
  if (input->shape.empty()) return ctx.Error("input must have rank 1 or more", input);
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, static_cast<int>(input->shape.size())));
  if (fft_length < 4 || fft_length > 32768 || (fft_length & (fft_length - 1)) != 0) {
    return ctx.Error(fmt::format("fft_length {} is not a power of two in [4, 32768]", fft_length));
  }
  const int32_t in_len = input->shape.back();
  if (in_len <= 0 || in_len > fft_length) {
    return ctx.Error(fmt::format("frames of {} samples do not fit fft_length {}", in_len, fft_length),
                     input);
  }
  const int64_t frames = input->NumElements() / in_len;
  if (output->shape.back() != fft_length + 2 || output->NumElements() != frames * (fft_length + 2)) {
    return ctx.Error(fmt::format("output must hold {} frames of {} int16 (fft_length / 2 + 1 "
                                 "complex values)",
                                 frames, fft_length + 2),
                     output);
  }
  const int32_t half = fft_length / 2;
  const std::vector<int32_t> stages = Stages(half);
  if (stages.size() > 2 * TML_RFFT_MAX_STAGES) return ctx.Error("too many FFT stages");
  const double pi = 3.141592653589793238462643383279502884197169399375105820974944;
  std::vector<int16_t> tw, super;
  for (int32_t i = 0; i < half; ++i) {
    const double phase = -2 * pi * i / half;
    tw.push_back(Q15(std::cos(phase)));
    tw.push_back(Q15(std::sin(phase)));
  }
  for (int32_t i = 0; i < half / 2; ++i) {
    const double phase = -3.14159265358979323846264338327 * (static_cast<double>(i + 1) / half + .5);
    super.push_back(Q15(std::cos(phase)));
    super.push_back(Q15(std::sin(phase)));
  }
  std::string stage_list;
  for (int32_t v : stages) stage_list += fmt::format("{}, ", v);
  out->kernels = {"tml_signal_rfft.h"};
  out->decls = Int16Array(ctx.Sym("twiddles"), tw) + Int16Array(ctx.Sym("super_twiddles"), super) +
               CStruct("tml_signal_rfft_s16_params_t", ctx.Sym("params"))
                   .Field("fft_length", fft_length).Field("input_length", in_len)
                   .Field("frames", frames).Field("num_stages", static_cast<int64_t>(stages.size() / 2))
                   .Field("stages", "{" + stage_list + "}")
                   .Field("twiddles", ctx.Sym("twiddles"))
                   .Field("super_twiddles", ctx.Sym("super_twiddles")).Str();
  out->weight_bytes = static_cast<int64_t>(2 * (tw.size() + super.size()));
  out->scratch_bytes = int64_t{4} * fft_length;
  out->body = fmt::format("tml_signal_rfft_s16(&{}, {}, {}, (int16_t *)(void *)@S@);", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSignalRfft = {kCustomOpCodeBase + 3, "SignalRfft", "int16", Lower, nullptr};

}  // namespace tinymlc
