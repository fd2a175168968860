#include "sweep_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <utility>

namespace tinymlc::testing {

// ---- Random helpers -------------------------------------------------------------------

bool Chance(Rng& r, int percent) { return r.Int(0, 99) < percent; }

float LogUniform(Rng& r, float lo, float hi) {
  return lo * std::pow(hi / lo, r.Uniform(0.0f, 1.0f));
}

int32_t RandomZeroPoint(Rng& r) {
  switch (r.Int(0, 9)) {
    case 0: return 0;
    case 1: return -128;
    case 2: return 127;
    default: return r.Int(-128, 127);
  }
}

int RandomAct(Rng& r) {
  static const int kActs[] = {kActNone, kActRelu, kActRelu6, kActReluN1To1};
  return kActs[r.Int(0, 3)];
}

std::vector<uint8_t> Int8Data(Rng& r, int64_t n, int kind, int32_t zp) {
  std::vector<int8_t> v(static_cast<size_t>(n));
  for (auto& x : v) {
    if (kind == 1) {
      x = static_cast<int8_t>(zp);
    } else if (kind == 2) {
      x = static_cast<int8_t>(Chance(r, 50) ? -128 : 127);
    } else {
      x = static_cast<int8_t>(r.Int(-128, 127));
    }
  }
  return PackInt8(v);
}

Cases Int8Cases(Rng& r, const ModelSpec& m) {
  Cases cases;
  for (int kind : {0, 0, 1, 2}) {
    std::vector<std::vector<uint8_t>> c;
    for (int t : m.inputs) {
      const TensorSpec& ts = m.tensors[t];
      c.push_back(Int8Data(r, ts.num_elements(), kind, ts.zero_point0()));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<int8_t> Weights(Rng& r, int64_t n) {
  std::vector<int8_t> v(static_cast<size_t>(n));
  const bool with_min = Chance(r, 10);
  for (auto& x : v) x = static_cast<int8_t>(r.Int(with_min ? -128 : -127, 127));
  return v;
}

std::vector<float> WeightScales(Rng& r, int channels, bool per_channel, bool tiny_channel) {
  const float base = LogUniform(r, 1e-3f, 0.05f);
  if (!per_channel) return {base};
  std::vector<float> s(channels);
  for (auto& x : s) x = base * LogUniform(r, 0.125f, 1.0f);
  // Converters give an all-zero channel a tiny scale: its multiplier underflows to 0.
  // (Only with 2+ channels: the output scale follows the largest weight scale, and a
  // tiny output scale puts the activation clamp bounds outside int32, where TFLM's
  // float -> int32 conversion is undefined behaviour.)
  if (tiny_channel && channels > 1 && Chance(r, 8)) {
    s[r.Int(0, channels - 1)] = Chance(r, 50) ? 1e-10f : 1e-30f;
  }
  return s;
}

float AccOutputScale(Rng& r, float in_scale, float w_scale, int64_t k) {
  if (Chance(r, 10)) return in_scale * w_scale / LogUniform(r, 1.0f, 3.0f);
  const double acc_std = 5400.0 * std::sqrt(static_cast<double>(std::max<int64_t>(1, k)));
  return static_cast<float>(in_scale * w_scale * acc_std / 50.0 * LogUniform(r, 0.25f, 4.0f));
}

std::vector<int32_t> Bias(Rng& r, int n, int64_t k) {
  const int32_t span = static_cast<int32_t>(
      std::min(16000000.0, 2.0 * 5400.0 * std::sqrt(static_cast<double>(std::max<int64_t>(1, k)))));
  std::vector<int32_t> b(n);
  for (auto& x : b) x = r.Int(-span, span);
  return b;
}

// ---- Descriptions -----------------------------------------------------------------------

std::string Shape(const std::vector<int32_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

std::string Fmt(const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  va_list again;
  va_copy(again, ap);
  const int n = std::vsnprintf(nullptr, 0, format, ap);
  va_end(ap);
  std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, format, again);
  va_end(again);
  return out;
}

// ---- Tensors and models -----------------------------------------------------------------

TensorSpec Quantized(const std::string& name, DT dt, std::vector<int32_t> shape, float scale,
                     int64_t zp) {
  TensorSpec t;
  t.name = name;
  t.dtype = dt;
  t.shape = std::move(shape);
  t.scale = {scale};
  t.zero_point = {zp};
  return t;
}

TensorSpec Plain(const std::string& name, DT dt, std::vector<int32_t> shape) {
  TensorSpec t;
  t.name = name;
  t.dtype = dt;
  t.shape = std::move(shape);
  return t;
}

ModelSpec OneOp(int code, const std::vector<TensorSpec>& inputs,
                const std::vector<TensorSpec>& outs, OpOptions options) {
  ModelSpec m;
  std::vector<int> ins, ys;
  for (const TensorSpec& t : inputs) {
    ins.push_back(m.AddTensor(t));
    if (!t.is_constant() && !t.is_variable) m.inputs.push_back(ins.back());
  }
  for (const TensorSpec& t : outs) ys.push_back(m.AddTensor(t));
  m.AddOp(code, ins, ys, options);
  m.outputs = ys;
  return m;
}

ModelSpec OneOp(int code, const std::vector<TensorSpec>& inputs, const TensorSpec& out,
                OpOptions options) {
  return OneOp(code, inputs, std::vector<TensorSpec>{out}, std::move(options));
}

SweepConfig Finish(Rng& r, ModelSpec m, int y, const std::string& desc) {
  m.outputs = {y};
  m.description = desc;
  SweepConfig c;
  c.cases = Int8Cases(r, m);
  c.spec = std::move(m);
  return c;
}

// ---- Checks -----------------------------------------------------------------------------

void ExpectClean(const SweepStats& s) {
  ::testing::Test::RecordProperty("configurations", s.configs);
  EXPECT_GT(s.configs, 0);
  EXPECT_EQ(s.failures, 0) << s.failures << " of " << s.configs << " configurations failed:\n"
                           << JoinMessages(s);
}

void ExpectRejected(const std::vector<Rejection>& cases) {
  std::vector<ModelSpec> models;
  std::vector<Cases> inputs;  // [model][case][input]
  for (const Rejection& c : cases) {
    models.push_back(c.model);
    std::vector<std::vector<uint8_t>> in;
    for (int t : c.model.inputs) {
      in.push_back(std::vector<uint8_t>(static_cast<size_t>(c.model.tensors[t].num_bytes())));
    }
    inputs.push_back({in});
  }
  const BatchResult r = CompileAndRunBatch(models, inputs);
  ASSERT_EQ(r.model_errors.size(), cases.size()) << r.error;
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_NE(r.model_errors[i].find(cases[i].message), std::string::npos)
        << cases[i].what << ": expected an error containing '" << cases[i].message
        << "', got: '" << r.model_errors[i] << "'\n"
        << DescribeModel(cases[i].model);
  }
}

}  // namespace tinymlc::testing
