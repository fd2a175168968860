#include "ops/signal_common.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <variant>

#include "tml_signal_rfft.h"

namespace tinymlc {
namespace {

Status Entry(const LowerContext& ctx, int index, const char* key, const FlexValue** v) {
  const auto* co = std::get_if<CustomOptions>(&ctx.op().options);
  const size_t n = co ? co->map.size() : 0;
  if (index < 0 || static_cast<size_t>(index) >= n) {
    return ctx.Error(fmt::format("custom option '{}' missing: TFLM reads it as entry {} of the "
                                 "options map, which has {} entries",
                                 key, index, n));
  }
  const auto& e = co->map[static_cast<size_t>(index)];
  if (e.first != key) {
    return ctx.Error(fmt::format("custom options entry {} is '{}': TFLM reads '{}' there "
                                 "(the map's keys in sorted order)",
                                 index, e.first, key));
  }
  if (e.second.kind != FlexValue::Kind::kInt && e.second.kind != FlexValue::Kind::kUInt &&
      e.second.kind != FlexValue::Kind::kBool) {
    return ctx.Error(fmt::format("custom option '{}' has flexbuffer type {}: expected an inline "
                                 "integer or bool",
                                 key, e.second.fb_type));
  }
  *v = &e.second;
  return Status::Ok();
}

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

// floor(0.5 + SAMP_MAX * v): kiss_fft's KISS_FFT_COS/SIN (SAMP_MAX 32767 or 2147483647).
int64_t Fixed(double v, double samp_max) { return static_cast<int64_t>(std::floor(0.5 + samp_max * v)); }

std::string IntArray(const char* ctype, const std::string& name, const std::vector<int64_t>& v) {
  std::string s = fmt::format("static const {} {}[{}] = {{", ctype, name, v.size());
  for (size_t i = 0; i < v.size(); ++i) s += fmt::format("{}{}{}", i % 16 == 0 ? "\n  " : " ", v[i], ",");
  return s + "\n};\n";
}

std::string FloatArray(const std::string& name, const std::vector<float>& v) {
  std::string s = fmt::format("static const float {}[{}] = {{", name, v.size());
  for (size_t i = 0; i < v.size(); ++i) s += fmt::format("{}{},", i % 8 == 0 ? "\n  " : " ", CFloatLiteral(v[i]));
  return s + "\n};\n";
}

}  // namespace

Status SignalFftParams(const LowerContext& ctx, int32_t fft_length, int32_t input_length,
                       int64_t frames, bool inverse, DType dt, std::string* decls,
                       int64_t* table_bytes) {
  const bool int32 = dt == DType::kInt32, f32 = dt == DType::kFloat32;
  const int32_t half = fft_length / 2;
  const std::vector<int32_t> stages = Stages(half);
  if (stages.size() > 2 * TML_RFFT_MAX_STAGES) return ctx.Error("too many FFT stages");
  const double pi = 3.141592653589793238462643383279502884197169399375105820974944;
  const double sign = inverse ? -1.0 : 1.0;
  const double samp_max = int32 ? 2147483647.0 : 32767.0;
  std::vector<int64_t> tw, super;
  std::vector<float> twf, superf;  // float32: (float)cos|sin
  for (int32_t i = 0; i < half; ++i) {
    double phase = -2 * pi * i / half;
    phase *= sign;
    tw.push_back(Fixed(std::cos(phase), samp_max));
    tw.push_back(Fixed(std::sin(phase), samp_max));
    twf.push_back(static_cast<float>(std::cos(phase)));
    twf.push_back(static_cast<float>(std::sin(phase)));
  }
  for (int32_t i = 0; i < half / 2; ++i) {
    double phase = -3.14159265358979323846264338327 * (static_cast<double>(i + 1) / half + .5);
    phase *= sign;
    super.push_back(Fixed(std::cos(phase), samp_max));
    super.push_back(Fixed(std::sin(phase), samp_max));
    superf.push_back(static_cast<float>(std::cos(phase)));
    superf.push_back(static_cast<float>(std::sin(phase)));
  }
  std::string stage_list;
  for (int32_t v : stages) stage_list += fmt::format("{}, ", v);
  const char* ctype = int32 ? "int32_t" : "int16_t";
  *decls += f32 ? FloatArray(ctx.Sym("twiddles"), twf) + FloatArray(ctx.Sym("super_twiddles"), superf)
                : IntArray(ctype, ctx.Sym("twiddles"), tw) + IntArray(ctype, ctx.Sym("super_twiddles"), super);
  *decls += CStruct(f32 ? "tml_signal_rfft_f32_params_t"
                        : (int32 ? "tml_signal_rfft_s32_params_t" : "tml_signal_rfft_s16_params_t"),
                    ctx.Sym("params"))
                .Field("fft_length", fft_length).Field("input_length", input_length)
                .Field("frames", frames).Field("num_stages", static_cast<int64_t>(stages.size() / 2))
                .Field("stages", "{" + stage_list + "}")
                .Field("twiddles", ctx.Sym("twiddles"))
                .Field("super_twiddles", ctx.Sym("super_twiddles"))
                .Field("inverse", inverse ? 1 : 0).Str();
  *table_bytes = static_cast<int64_t>((int32 || f32 ? 4 : 2) * (tw.size() + super.size()));
  return Status::Ok();
}

Status SignalIntOption(const LowerContext& ctx, int index, const char* key, int32_t* value) {
  const FlexValue* v = nullptr;
  TINYMLC_RETURN_IF_ERROR(Entry(ctx, index, key, &v));
  *value = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v->as_int)));
  return Status::Ok();
}

Status SignalBoolOption(const LowerContext& ctx, int index, const char* key, bool* value) {
  const FlexValue* v = nullptr;
  TINYMLC_RETURN_IF_ERROR(Entry(ctx, index, key, &v));
  *value = v->as_uint != 0;
  return Status::Ok();
}

Status SignalIntOptionByKey(const LowerContext& ctx, const char* key, int32_t* value) {
  const auto* co = std::get_if<CustomOptions>(&ctx.op().options);
  if (co) {
    for (size_t i = 0; i < co->map.size(); ++i) {
      if (co->map[i].first == key) return SignalIntOption(ctx, static_cast<int>(i), key, value);
    }
  }
  return ctx.Error(fmt::format("custom option '{}' missing", key));
}

Status SignalConstInt16(const LowerContext& ctx, const Tensor* t, std::vector<int16_t>* values) {
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, t));
  values->resize(static_cast<size_t>(t->NumElements()));
  if (t->data.size() != values->size() * 2) return ctx.Error("constant data size mismatch", t);
  if (!values->empty()) std::memcpy(values->data(), t->data.data(), t->data.size());
  return Status::Ok();
}

Status SignalCheckRank1(const LowerContext& ctx, const Tensor* t) { return CheckRank(ctx, t, 1); }

}  // namespace tinymlc
