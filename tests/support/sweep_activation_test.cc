// Random configuration sweeps of the activation operators: RELU, RELU6, RELU_N1_TO_1,
// LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH, ELU, LOG_SOFTMAX, plus chains of them.
// Every configuration is built with model_builder, compiled with tinymlc, run as C,
// and every layer compared with the independent C++ reference (reference_activation.cc)
// through compile_harness.h.
//
// Each configuration draws a shape (rank 0-5), the dtype (int16 where TFLM's kernel
// takes it), scales and zero points, op parameters, and now and then a second copy of
// the op on a constant input, which the compiler folds (its result is a graph output).
// Cases: uniform random, every element at the zero point, only the extremes, and a
// ramp through all 256 int8 values (or a wide int16 ramp).
//
// Counts: ~100 configurations per op by default (TINYMLC_SWEEP_COUNT=500 for a long
// run); seeds are fixed. A failing configuration is saved to
// tests/support/regressions/<OP>/ and replayed by regression_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "reference_ops.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

// ---- Random helpers (the shared ones: sweep_util.h) ---------------------------------------

// Rank 0-5, at most ~300 elements, odd sizes common; rank >= 1 when required.
std::vector<int32_t> RandomShape(Rng& r, int min_rank = 0) {
  const int rank = std::max(min_rank, Chance(r, 5) ? 0 : r.Int(1, 5));
  std::vector<int32_t> s(rank);
  int64_t total = 1;
  for (auto& v : s) {
    v = r.Int(1, rank <= 2 ? 40 : 7);
    if (total * v > 300) v = 1;
    total *= v;
  }
  return s;
}

// Element values for one case: 0 uniform, 1 the zero point, 2 the extremes, 3 a ramp
// (all 256 int8 values in turn; for int16 a coarse ramp over the whole range).
std::vector<uint8_t> CaseData(Rng& r, const TensorSpec& t, int kind) {
  const int64_t n = t.num_elements();
  const bool is16 = t.dtype == DT::kInt16;
  const int32_t lo = is16 ? -32768 : -128, hi = is16 ? 32767 : 127;
  const int32_t start = r.Int(lo, hi);
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    switch (kind) {
      case 0: v[i] = is16 && Chance(r, 50) ? r.Int(-4096, 4096) : r.Int(lo, hi); break;
      case 1: v[i] = t.zero_point0(); break;
      case 2: v[i] = Chance(r, 50) ? lo : hi; break;
      default:
        v[i] = is16 ? lo + static_cast<int32_t>((start - lo + i * 257) % 65536)
                    : lo + static_cast<int32_t>((start - lo + i) % 256);
        break;
    }
  }
  if (is16) return PackInt16(std::vector<int16_t>(v.begin(), v.end()));
  return PackInt8(std::vector<int8_t>(v.begin(), v.end()));
}

Cases MakeCases(Rng& r, const ModelSpec& m) {
  Cases cases;
  for (int kind : {0, 0, 1, 2, 3}) {
    std::vector<std::vector<uint8_t>> c;
    for (int t : m.inputs) c.push_back(CaseData(r, m.tensors[t], kind));
    cases.push_back(std::move(c));
  }
  return cases;
}

// ---- One activation layer ------------------------------------------------------------------
// Each Add* appends one operator reading tensor x (int8 or int16) with random op
// parameters and output quantization, describes it in *desc and returns the output.

struct Layer {
  ModelSpec& m;
  Rng& r;
  std::string* desc;
  const TensorSpec& in(int x) const { return m.tensors[x]; }
  int Output(const std::string& name, int x, float scale, int32_t zp) {
    return m.AddTensor(Quantized(name, in(x).dtype, in(x).shape, scale, zp));
  }
  void Describe(int code, int x, int y, const std::string& extra) {
    const TensorSpec &a = in(x), &b = m.tensors[y];
    *desc += Fmt("%s %s%s%s in(s=%g,zp=%d) out(s=%g,zp=%d)%s; ", BuiltinName(code), DTName(a.dtype),
                 Shape(a.shape).c_str(), a.is_constant() ? " (const)" : "", a.scale0(),
                 a.zero_point0(), b.scale0(), b.zero_point0(), extra.c_str());
  }
};

// Output scale near the input's (the usual converter result), sometimes far from it.
float NearScale(Rng& r, float in_scale) {
  if (Chance(r, 25)) return in_scale;
  return in_scale * (Chance(r, 85) ? LogUniform(r, 0.25f, 4.0f) : LogUniform(r, 1e-2f, 100.0f));
}

int32_t ZeroPointFor(Rng& r, DT dt) { return dt == DT::kInt16 ? 0 : RandomZeroPoint(r); }

// RELU, RELU_N1_TO_1, RELU6 (RELU6 ignores the output quantization in TFLM).
int AddRelu(Layer& l, int code, int x) {
  const float s = NearScale(l.r, l.in(x).scale0());
  const int y = l.Output("relu/out", x, s, ZeroPointFor(l.r, l.in(x).dtype));
  l.m.AddOp(code, {x}, {y});
  l.Describe(code, x, y, "");
  return y;
}

int AddLeakyRelu(Layer& l, int x) {
  float alpha;
  switch (l.r.Int(0, 9)) {
    case 0: alpha = 0.0f; break;
    case 1: alpha = -l.r.Uniform(0.0f, 2.0f); break;  // negative alpha
    case 2: alpha = l.r.Uniform(1.0f, 5.0f); break;   // alpha > 1
    default: alpha = l.r.Uniform(0.0f, 1.0f); break;
  }
  const float s = NearScale(l.r, l.in(x).scale0());
  const int y = l.Output("leaky_relu/out", x, s, ZeroPointFor(l.r, l.in(x).dtype));
  if (Chance(l.r, 5)) {  // no options table: alpha 0
    l.m.AddOp(op::kLeakyRelu, {x}, {y});
    alpha = 0.0f;
  } else {
    l.m.AddOp(op::kLeakyRelu, {x}, {y}, LeakyReluOpts{alpha});
  }
  l.Describe(op::kLeakyRelu, x, y, Fmt(" alpha=%g", alpha));
  return y;
}

// PRELU: alpha constant (usually) or a second graph input, shaped like a suffix of the
// input's shape with some dimensions 1, or [1], or the input's shape.
int AddPrelu(Layer& l, int x) {
  const std::vector<int32_t> shape = l.in(x).shape;
  std::vector<int32_t> as;
  switch (l.r.Int(0, 4)) {
    case 0: as = shape; break;
    case 1: as = {1}; break;
    default: {
      const int keep = shape.empty() ? 0 : l.r.Int(1, static_cast<int>(shape.size()));
      for (size_t d = shape.size() - keep; d < shape.size(); ++d) {
        as.push_back(Chance(l.r, 60) ? shape[d] : 1);
      }
      break;
    }
  }
  // The output has the broadcast shape (alpha may have the higher rank for [1] inputs).
  std::vector<int32_t> out = shape.size() >= as.size() ? shape : as;
  for (size_t i = 0; i < std::min(shape.size(), as.size()); ++i) {
    int32_t& o = out[out.size() - 1 - i];
    o = std::max(shape[shape.size() - 1 - i], as[as.size() - 1 - i]);
  }
  const float alpha_scale = LogUniform(l.r, 1e-3f, 0.05f);
  const int32_t alpha_zp = RandomZeroPoint(l.r);
  TensorSpec alpha = Quantized("prelu/alpha", DT::kInt8, as, alpha_scale, alpha_zp);
  const bool alpha_const = Chance(l.r, 85);
  if (alpha_const) {
    std::vector<int8_t> v(static_cast<size_t>(alpha.num_elements()));
    for (auto& e : v) e = static_cast<int8_t>(l.r.Int(-128, 127));
    alpha.data = PackInt8(v);
  }
  const int a = l.m.AddTensor(alpha);
  if (!alpha_const) l.m.inputs.push_back(a);
  const TensorSpec in = l.in(x);
  const float s = NearScale(l.r, in.scale0());
  const int y = l.m.AddTensor(Quantized("prelu/out", in.dtype, out, s, ZeroPointFor(l.r, in.dtype)));
  l.m.AddOp(op::kPrelu, {x, a}, {y});
  l.Describe(op::kPrelu, x, y,
             Fmt(" alpha%s%s(s=%g,zp=%d)", Shape(as).c_str(), alpha_const ? " const" : " input",
                 alpha_scale, alpha_zp));
  return y;
}

// LOGISTIC / TANH. int8: the output parameters TFLM assumes (1/256, -128 and 1/128, 0),
// now and then others (TFLM ignores the scale, and for TANH the zero point). int16:
// zero points 0, output scale 2^-15, input scale a power of two (TFLM's exact path) or
// anything up to 32767 / (3 * 4096).
int AddSigmoidLike(Layer& l, int code, int x) {
  const bool tanh = code == op::kTanh;
  float s;
  int32_t zp;
  if (l.in(x).dtype == DT::kInt16) {
    s = 1.0f / 32768;
    zp = 0;
  } else if (Chance(l.r, 85)) {
    s = tanh ? 1.0f / 128 : 1.0f / 256;
    zp = tanh ? 0 : -128;
  } else {
    s = LogUniform(l.r, 1e-3f, 0.1f);
    zp = tanh ? RandomZeroPoint(l.r) : -128;
  }
  const int y = l.Output(tanh ? "tanh/out" : "logistic/out", x, s, zp);
  l.m.AddOp(code, {x}, {y});
  l.Describe(code, x, y, "");
  return y;
}

// HARD_SWISH (int8): the output scale must exceed input_scale / 128 (TFLM).
int AddHardSwish(Layer& l, int x) {
  const float in_s = l.in(x).scale0();
  float s;
  switch (l.r.Int(0, 9)) {
    case 0: s = in_s / 128 * LogUniform(l.r, 1.01f, 4.0f); break;  // output exponent 0 / -1
    case 1: s = in_s * LogUniform(l.r, 600.0f, 5000.0f); break;    // exponent <= -16
    default: s = NearScale(l.r, in_s); break;
  }
  const int y = l.Output("hard_swish/out", x, s, RandomZeroPoint(l.r));
  l.m.AddOp(op::kHardSwish, {x}, {y});
  l.Describe(op::kHardSwish, x, y, "");
  return y;
}

int AddElu(Layer& l, int x) {
  const int y = l.Output("elu/out", x, NearScale(l.r, l.in(x).scale0()), RandomZeroPoint(l.r));
  l.m.AddOp(op::kElu, {x}, {y});
  l.Describe(op::kElu, x, y, "");
  return y;
}

int AddLogSoftmax(Layer& l, int x) {
  const int y = l.Output("log_softmax/out", x, 16.0f / 256, 127);
  l.m.AddOp(op::kLogSoftmax, {x}, {y});
  l.Describe(op::kLogSoftmax, x, y, "");
  return y;
}

int AddActivation(Layer& l, int code, int x) {
  switch (code) {
    case op::kRelu:
    case op::kRelu6:
    case op::kReluN1To1: return AddRelu(l, code, x);
    case op::kLeakyRelu: return AddLeakyRelu(l, x);
    case op::kPrelu: return AddPrelu(l, x);
    case op::kLogistic:
    case op::kTanh: return AddSigmoidLike(l, code, x);
    case op::kHardSwish: return AddHardSwish(l, x);
    case op::kElu: return AddElu(l, x);
    default: return AddLogSoftmax(l, x);
  }
}

bool TakesInt16(int code) {
  return code != op::kHardSwish && code != op::kElu && code != op::kLogSoftmax;
}

// Input quantization for `code` and dtype.
void InputQuant(Rng& r, int code, DT dt, float* scale, int32_t* zp) {
  *zp = ZeroPointFor(r, dt);
  if (dt == DT::kInt16) {
    const bool sigmoid = code == op::kLogistic || code == op::kTanh;
    if (sigmoid && Chance(r, 35)) {
      *scale = std::ldexp(1.0f, code == op::kTanh && Chance(r, 50) ? -11 : -12);  // exact path
    } else {
      *scale = sigmoid ? LogUniform(r, 1e-5f, 2.6f) : LogUniform(r, 1e-5f, 1e-2f);
    }
    if (!sigmoid && code != op::kRelu && code != op::kReluN1To1 && Chance(r, 30)) {
      *zp = r.Int(-300, 300);  // RELU6 / LEAKY_RELU / PRELU accept int16 zero points
    }
    return;
  }
  *scale = code == op::kLogSoftmax ? LogUniform(r, 1e-4f, 1.0f) : LogUniform(r, 1e-3f, 0.5f);
  if (Chance(r, 10)) *scale = LogUniform(r, 1e-6f, 8.0f);  // saturating / flat extremes
}

// One op on a random input; sometimes also the same op on a constant input (folded).
SweepConfig GenSingle(Rng& r, int code) {
  ModelSpec m;
  std::string d;
  Layer l{m, r, &d};
  const DT dt = TakesInt16(code) && Chance(r, 25) ? DT::kInt16 : DT::kInt8;
  float scale;
  int32_t zp;
  InputQuant(r, code, dt, &scale, &zp);
  const std::vector<int32_t> shape = RandomShape(r, code == op::kLogSoftmax ? 1 : 0);
  const int x = m.AddTensor(Quantized("input", dt, shape, scale, zp));
  m.inputs.push_back(x);
  m.outputs.push_back(AddActivation(l, code, x));
  if (Chance(r, 15)) {
    TensorSpec c = m.tensors[x];
    c.name = "const_input";
    c.data = CaseData(r, c, r.Int(0, 3) == 3 ? 3 : 0);
    m.outputs.push_back(AddActivation(l, code, m.AddTensor(c)));
  }
  m.description = d;
  SweepConfig cfg;
  cfg.cases = MakeCases(r, m);
  cfg.spec = std::move(m);
  return cfg;
}

// Two or three activations in a row (int8), each requantizing to the next one's input.
SweepConfig GenChain(Rng& r, int) {
  static const int kOps[] = {op::kRelu,    op::kRelu6, op::kReluN1To1, op::kLeakyRelu,
                             op::kPrelu,   op::kLogistic, op::kTanh,   op::kHardSwish,
                             op::kElu,     op::kLogSoftmax};
  ModelSpec m;
  std::string d;
  Layer l{m, r, &d};
  float scale;
  int32_t zp;
  InputQuant(r, op::kRelu, DT::kInt8, &scale, &zp);
  int x = m.AddTensor(Quantized("input", DT::kInt8, RandomShape(r, 1), scale, zp));
  m.inputs.push_back(x);
  const int n = r.Int(2, 3);
  for (int k = 0; k < n; ++k) x = AddActivation(l, kOps[r.Int(0, 9)], x);
  m.outputs.push_back(x);
  m.description = d;
  SweepConfig cfg;
  cfg.cases = MakeCases(r, m);
  cfg.spec = std::move(m);
  return cfg;
}

// ---- Tests -----------------------------------------------------------------------------------

struct Sweep {
  std::string name;
  int count;
  uint64_t seed;
  std::function<SweepConfig(Rng&, int)> gen;
};

std::vector<Sweep> Sweeps() {
  std::vector<Sweep> v;
  for (int code : {op::kRelu, op::kRelu6, op::kReluN1To1, op::kLeakyRelu, op::kPrelu,
                   op::kLogistic, op::kTanh, op::kHardSwish, op::kElu, op::kLogSoftmax}) {
    v.push_back({BuiltinName(code), 100, 7000 + static_cast<uint64_t>(code),
                 [code](Rng& r, int) { return GenSingle(r, code); }});
  }
  v.push_back({"ACTIVATION_CHAIN", 60, 7999, GenChain});
  return v;
}

class SweepActivation : public ::testing::TestWithParam<Sweep> {};

TEST_P(SweepActivation, MatchesReference) {
  const Sweep& s = GetParam();
  ExpectClean(RunSweep(s.name, SweepCount(s.count), s.seed, s.gen));
}

INSTANTIATE_TEST_SUITE_P(Ops, SweepActivation, ::testing::ValuesIn(Sweeps()),
                         [](const ::testing::TestParamInfo<Sweep>& info) {
                           std::string name = info.param.name;
                           name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
                           return name;
                         });

// ---- What TFLM rejects, tinymlc rejects with a clear message ------------------------------

TEST(SweepActivationErrors, RejectedLikeTflm) {
  const TensorSpec x8 = Quantized("x", DT::kInt8, {2, 3}, 0.05f, 3);
  const TensorSpec x16 = Quantized("x", DT::kInt16, {2, 3}, 1.0f / 4096, 0);
  const std::vector<Rejection> cases = {
      {"int8 LOGISTIC output zero point other than -128",
       OneOp(op::kLogistic, {x8}, Quantized("y", DT::kInt8, {2, 3}, 1.0f / 256, 0)),
       "zero point -128"},
      {"LOG_SOFTMAX output scale other than 16/256",
       OneOp(op::kLogSoftmax, {x8}, Quantized("y", DT::kInt8, {2, 3}, 1.0f / 256, 127)),
       "scale 16/256 and zero point 127"},
      {"LOG_SOFTMAX input scale at most 2^-26 (TFLM aborts)",
       OneOp(op::kLogSoftmax, {Quantized("x", DT::kInt8, {2, 3}, 1e-9f, 0)},
             Quantized("y", DT::kInt8, {2, 3}, 16.0f / 256, 127)),
       "not above 2^-26"},
      {"HARD_SWISH with input_scale / 128 >= output_scale",
       OneOp(op::kHardSwish, {x8}, Quantized("y", DT::kInt8, {2, 3}, 1e-4f, 0)), "not below 1"},
      {"int16 RELU with a zero point",
       OneOp(op::kRelu, {Quantized("x", DT::kInt16, {2, 3}, 0.01f, 5)},
             Quantized("y", DT::kInt16, {2, 3}, 0.01f, 0)),
       "zero point 0"},
      {"int16 TANH output scale other than 2^-15",
       OneOp(op::kTanh, {x16}, Quantized("y", DT::kInt16, {2, 3}, 1.0f / 4096, 0)), "2^-15"},
      {"int16 ELU (TFLM: int8 only)",
       OneOp(op::kElu, {x16}, Quantized("y", DT::kInt16, {2, 3}, 1.0f / 4096, 0)),
       "not supported"},
      {"ELU with a subnormal output scale (1 / scale is infinite)",
       OneOp(op::kElu, {x8}, Quantized("y", DT::kInt8, {2, 3}, 1e-45f, 0)),
       "1 / scale is not finite"},
      {"PRELU alpha that does not broadcast",
       OneOp(op::kPrelu, {x8, Quantized("alpha", DT::kInt8, {4}, 0.01f, 0)},
             Quantized("y", DT::kInt8, {2, 3}, 0.05f, 0)),
       "cannot be broadcast"},
      {"RELU changing the dtype",
       OneOp(op::kRelu, {x8}, Quantized("y", DT::kInt16, {2, 3}, 0.05f, 0)), "expected int8"},
      {"an operator outside the supported list (GELU)",
       OneOp(150, {x8}, Quantized("y", DT::kInt8, {2, 3}, 0.05f, 0)), "unsupported operator"},
  };
  ExpectRejected(cases);
}

// An activation whose input is constant is evaluated by the compiler: the generated C
// has no call of its kernel, only the folded constant (the sweeps check its values).
TEST(SweepActivationFolding, ConstantInputsAreFolded) {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/tinymlc_fold_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  struct Folded {
    int code;
    const char* kernel_call;
  };
  const Folded ops[] = {{op::kRelu, "tml_relu_s8(&"},           {op::kRelu6, "tml_relu6_s8(&"},
                        {op::kLeakyRelu, "tml_leaky_relu_s8(&"}, {op::kPrelu, "tml_prelu_s8(&"},
                        {op::kLogistic, "tml_logistic_s8(&"},   {op::kTanh, "tml_tanh_s8(&"},
                        {op::kHardSwish, "tml_hard_swish_s8(&"}, {op::kElu, "tml_elu_s8(&"},
                        {op::kLogSoftmax, "tml_log_softmax_s8(&"}};
  for (const Folded& f : ops) {
    ModelSpec m;
    // A live path (ELU, or RELU6 when ELU is the folded op) keeps a graph input.
    const int live = f.code == op::kElu ? op::kRelu6 : op::kElu;
    const int x = m.AddTensor(Quantized("x", DT::kInt8, {4}, 0.05f, 0));
    const int y0 = m.AddTensor(Quantized("y0", DT::kInt8, {4}, 0.05f, 0));
    m.AddOp(live, {x}, {y0});
    TensorSpec c = Quantized("c", DT::kInt8, {4}, 0.05f, 0);
    c.data = PackInt8({-100, -1, 0, 90});
    const int ci = m.AddTensor(c);
    std::vector<int> ins = {ci};
    if (f.code == op::kPrelu) {
      TensorSpec a = Quantized("alpha", DT::kInt8, {4}, 0.01f, 0);
      a.data = PackInt8({10, 20, 30, 40});
      ins.push_back(m.AddTensor(a));
    }
    const float out_scale = f.code == op::kLogistic ? 1.0f / 256 : f.code == op::kLogSoftmax ? 16.0f / 256 : 0.05f;
    const int32_t out_zp = f.code == op::kLogistic ? -128 : f.code == op::kLogSoftmax ? 127 : 0;
    const int y1 = m.AddTensor(Quantized("y1", DT::kInt8, {4}, out_scale, out_zp));
    m.AddOp(f.code, ins, {y1}, f.code == op::kLeakyRelu ? OpOptions{LeakyReluOpts{0.2f}} : OpOptions{});
    m.inputs = {x};
    m.outputs = {y0, y1};
    const fs::path model = dir / "m.tflite";
    std::string error;
    ASSERT_TRUE(m.WriteFile(model.string(), &error)) << error;
    const std::string cmd = TinymlcPath() + " compile " + model.string() + " -o " +
                            (dir / "out").string() + " --name m > " + (dir / "log").string() +
                            " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << BuiltinName(f.code) << ": " << cmd;
    std::ifstream in(dir / "out" / "m.c");
    std::stringstream src;
    src << in.rdbuf();
    const std::string text = src.str();
    EXPECT_NE(text.find(std::string("operator 1: ") + BuiltinName(f.code) + " folded at compile time"),
              std::string::npos)
        << BuiltinName(f.code);
    EXPECT_EQ(text.find(f.kernel_call), std::string::npos) << BuiltinName(f.code);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tinymlc::testing
