// Random configuration sweeps of the elementwise operators, reductions and comparisons
// (MUL, SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, LESS ... NOT_EQUAL, ABS, NEG, RSQRT,
// MEAN, SUM, REDUCE_MAX). Every configuration is built with model_builder, compiled
// with tinymlc, run as C and compared layer by layer with the independent C++
// reference (compile_harness.h); failing configurations are saved as regressions.
//
// Shapes are random with NumPy broadcasting up to rank 8 (one operand often constant,
// or the operands swapped), scales and zero points random (some equal, some giving
// multipliers above 1), fused activations random. About one configuration in eight is
// a two-operator model whose first operator has only constant inputs: tinymlc folds it
// at compile time, and its value (a graph output) is compared too.
//
// Counts: SweepCount(default) per op (TINYMLC_SWEEP_COUNT=500 for a long run); seeds
// are fixed, so every run is reproducible.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "reference_ops.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

// ---- Random helpers (the shared ones: sweep_util.h) ------------------------------------

int32_t ZeroPoint(Rng& r) {
  static const int32_t kEdges[] = {0, -128, 127};
  return Chance(r, 30) ? kEdges[r.Int(0, 2)] : r.Int(-128, 127);
}

std::vector<int8_t> RandomValues(Rng& r, int64_t n, int lo = -128, int hi = 127) {
  std::vector<int8_t> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<int8_t>(r.Int(lo, hi));
  return v;
}

// Input bytes for one int8 tensor: kind 0 = uniform, 1 = all at the zero point,
// 2 = only -128 / 127, 3 = within +-3 of the zero point (many equal values).
// lo clips the values from below (RSQRT: nothing under the zero point).
std::vector<uint8_t> CaseData(Rng& r, const TensorSpec& t, int kind, int lo) {
  const int zp = t.zero_point0();
  std::vector<int8_t> v(static_cast<size_t>(t.num_elements()));
  for (auto& x : v) {
    int q = r.Int(-128, 127);
    if (kind == 1) q = zp;
    if (kind == 2) q = Chance(r, 50) ? -128 : 127;
    if (kind == 3) q = std::clamp(zp + r.Int(-3, 3), -128, 127);
    x = static_cast<int8_t>(std::max(q, lo));
  }
  return PackInt8(v);
}

// Float bytes: random values mixed with signed zeros, denormals, huge values and (if
// `infinities`) infinities. Constants stay finite: the emitter writes float constants
// as C literals, which cannot express infinity.
std::vector<uint8_t> FloatData(Rng& r, int64_t n, bool infinities = true) {
  static const float kSpecial[] = {0.0f, -0.0f, 1e-40f, -3.0e38f, INFINITY, -INFINITY};
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) {
    x = Chance(r, 20) ? kSpecial[r.Int(0, infinities ? 5 : 3)] : r.Uniform(-100.0f, 100.0f);
  }
  return PackFloat(v);
}

Cases MakeCases(Rng& r, const ModelSpec& m, int lo = -128) {
  Cases cases;
  for (int kind : {0, 0, 1, 2, 3}) {
    std::vector<std::vector<uint8_t>> c;
    for (int t : m.inputs) {
      const TensorSpec& ts = m.tensors[t];
      c.push_back(ts.dtype == DT::kFloat32 ? FloatData(r, ts.num_elements())
                                           : CaseData(r, ts, kind, lo));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

// A constant copy of `t` with random data (values >= lo).
TensorSpec Constant(Rng& r, TensorSpec t, int lo = -128) {
  if (t.dtype == DT::kFloat32) {
    t.data = FloatData(r, t.num_elements(), /*infinities=*/false);
  } else {
    t.data = PackInt8(RandomValues(r, t.num_elements(), lo));
  }
  return t;
}

// ---- Model shapes ----------------------------------------------------------------------

// A random shape of rank [min_rank, max_rank] with at most ~budget elements.
std::vector<int32_t> RandomShape(Rng& r, int min_rank, int max_rank, int64_t budget) {
  const int rank = r.Int(min_rank, max_rank);
  std::vector<int32_t> s(rank);
  int64_t total = 1;
  for (auto& d : s) {
    d = r.Int(1, rank <= 3 ? 7 : (rank <= 5 ? 4 : 2));
    if (total * d > budget) d = 1;
    total *= d;
  }
  return s;
}

// Two operand shapes that broadcast together, and their broadcast shape.
struct BinaryShapes {
  std::vector<int32_t> a, b, out;
};
BinaryShapes RandomBinaryShapes(Rng& r) {
  const int max_rank = Chance(r, 10) ? 8 : (Chance(r, 30) ? 6 : 4);
  const std::vector<int32_t> full = RandomShape(r, 1, max_rank, 400);
  // A suffix of `full` (random length), each dimension kept or set to 1.
  auto suffix = [&]() {
    std::vector<int32_t> s;
    for (size_t d = full.size() - r.Int(1, static_cast<int>(full.size())); d < full.size(); ++d) {
      s.push_back(Chance(r, 60) ? full[d] : 1);
    }
    return s;
  };
  BinaryShapes s;
  const int kind = r.Int(0, 9);
  if (kind <= 1) {  // equal shapes: no broadcasting
    s.a = s.b = full;
  } else if (kind <= 3) {  // one operand full, the other a suffix
    s.a = full;
    s.b = suffix();
  } else if (kind == 4) {  // one operand a scalar, [1] or the last dimension only
    s.a = full;
    switch (r.Int(0, 2)) {
      case 0: s.b = {}; break;
      case 1: s.b = {1}; break;
      default: s.b = {full.back()}; break;
    }
  } else {  // each dimension broadcast in a, in b, or in neither: many loops
    int64_t total = 1;
    for (int32_t d : full) {
      if (d == 1 && total * 2 <= 600) d = 2;  // no size-1 dimensions: they merge away
      total *= d;
      const int k = r.Int(0, 4);
      s.a.push_back(k <= 1 ? 1 : d);
      s.b.push_back(k >= 2 && k <= 3 ? 1 : d);
    }
    if (Chance(r, 30)) s.b.erase(s.b.begin(), s.b.begin() + r.Int(0, static_cast<int>(s.b.size()) - 1));
  }
  if (Chance(r, 50)) std::swap(s.a, s.b);
  const size_t rank = std::max(s.a.size(), s.b.size());
  s.out.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    const int32_t x = i < s.a.size() ? s.a[s.a.size() - 1 - i] : 1;
    const int32_t y = i < s.b.size() ? s.b[s.b.size() - 1 - i] : 1;
    s.out[rank - 1 - i] = std::max(x, y);
  }
  return s;
}

// ---- Binary elementwise ops ------------------------------------------------------------

// What differs between the binary ops: the output dtype and scale, the options.
struct BinaryOp {
  int code;
  const char* name;
  // Output scale for input scales s1 and s2 (unused for a bool output).
  std::function<float(Rng&, float s1, float s2)> output_scale;
  bool bool_output = false;
  int options = 0;  // 0: none, 1: MulOpts, 2: SubOpts (random fused activation)
  float max_input_scale = 0.5f;
};

const BinaryOp& Binary(int code) {
  static const std::vector<BinaryOp> ops = [] {
    auto like_add = [](Rng& r, float s1, float s2) {
      return std::max(s1, s2) * LogUniform(r, 0.5f, 4.0f);
    };
    auto product = [](Rng& r, float s1, float s2) {  // |x*y| up to ~128*128 steps
      return Chance(r, 10) ? s1 * s2 / LogUniform(r, 1.0f, 4.0f)  // multiplier > 1
                           : s1 * s2 * 128.0f * LogUniform(r, 0.1f, 4.0f);
    };
    auto square = [](Rng& r, float s1, float s2) {
      const float m = std::max(s1, s2);
      return m * m * 256.0f * LogUniform(r, 0.1f, 4.0f);
    };
    auto none = [](Rng&, float, float) { return 0.0f; };
    auto same_or_any = [](Rng& r, float s1, float) {
      return Chance(r, 50) ? s1 : LogUniform(r, 1e-3f, 1.0f);
    };
    std::vector<BinaryOp> v = {
        {op::kMul, "MUL", product, false, 1},
        {op::kSub, "SUB", like_add, false, 2},
        {op::kMaximum, "MAXIMUM", same_or_any},
        {op::kMinimum, "MINIMUM", same_or_any},
        {op::kSquaredDifference, "SQUARED_DIFFERENCE", square},
    };
    const std::pair<int, const char*> comparisons[] = {
        {op::kLess, "LESS"},   {op::kLessEqual, "LESS_EQUAL"}, {op::kGreater, "GREATER"},
        {op::kGreaterEqual, "GREATER_EQUAL"}, {op::kEqual, "EQUAL"}, {op::kNotEqual, "NOT_EQUAL"}};
    for (const auto& [code, name] : comparisons) v.push_back({code, name, none, true, 0, 0.99f});
    return v;
  }();
  for (const BinaryOp& b : ops) {
    if (b.code == code) return b;
  }
  throw std::runtime_error("no such binary op");
}

OpOptions BinaryOptions(Rng& r, const BinaryOp& b, std::string* desc) {
  if (b.options == 0) return {};
  const int act = RandomAct(r);
  *desc += Fmt(" act=%d", act);
  if (b.options == 1) return MulOpts{act};
  return SubOpts{act};
}

SweepConfig GenBinary(Rng& r, int code) {
  const BinaryOp& b = Binary(code);
  const BinaryShapes s = RandomBinaryShapes(r);
  const float s1 = LogUniform(r, 1e-3f, b.max_input_scale);
  const float s2 = Chance(r, 25) ? s1 : LogUniform(r, 1e-3f, b.max_input_scale);
  const int32_t z1 = ZeroPoint(r), z2 = Chance(r, 25) ? z1 : ZeroPoint(r);
  const float so = b.output_scale(r, s1, s2);
  const int32_t zo = ZeroPoint(r);
  const bool fold = Chance(r, 12);  // first op on constants only (folded by tinymlc)
  const bool b_const = fold || Chance(r, 25);
  const bool swap = Chance(r, 20);
  std::string desc = Fmt("%s a%s(s=%g,zp=%d)%s b%s(s=%g,zp=%d)%s -> %s", b.name, Shape(s.a).c_str(),
                         s1, z1, fold ? " const" : "", Shape(s.b).c_str(), s2, z2,
                         b_const ? " const" : "", Shape(s.out).c_str());
  const OpOptions options = BinaryOptions(r, b, &desc);
  ModelSpec m;
  auto out_tensor = [&](const std::string& name) {
    if (b.bool_output) return Plain(name, DT::kBool, s.out);
    desc += Fmt(" %s(s=%g,zp=%d)", name.c_str(), so, zo);
    return Int8Tensor(name, s.out, so, zo);
  };
  const TensorSpec ta = Int8Tensor("a", s.a, s1, z1);
  const TensorSpec tb = Int8Tensor("b", s.b, s2, z2);
  const int a = m.AddTensor(fold ? Constant(r, ta) : ta);
  const int bt = m.AddTensor(b_const ? Constant(r, tb) : tb);
  const int y = m.AddTensor(out_tensor("y"));
  m.AddOp(b.code, swap ? std::vector<int>{bt, a} : std::vector<int>{a, bt}, {y}, options);
  m.outputs = {y};
  if (fold) {  // the same op again with a graph input in place of b
    const int x = m.AddTensor(tb);
    const int y2 = m.AddTensor(out_tensor("y2"));
    m.AddOp(b.code, swap ? std::vector<int>{x, a} : std::vector<int>{a, x}, {y2}, options);
    m.inputs = {x};
    m.outputs.push_back(y2);
  } else {
    m.inputs = {a};
    if (!b_const) m.inputs.push_back(bt);
  }
  if (swap) desc += " (operands swapped)";
  m.description = desc;
  SweepConfig c;
  c.cases = MakeCases(r, m);
  c.spec = std::move(m);
  return c;
}

// ---- Unary ops -------------------------------------------------------------------------

SweepConfig GenUnary(Rng& r, int code) {
  const std::vector<int32_t> shape = RandomShape(r, 0, 5, 300);
  const bool is_float = code == op::kNeg;
  const float si = LogUniform(r, 1e-3f, 1.0f);
  const int32_t zi = code == op::kRsqrt ? r.Int(-128, 120) : ZeroPoint(r);
  const float so = Chance(r, 30) ? si : LogUniform(r, 1e-3f, 1.0f);
  const int32_t zo = ZeroPoint(r);
  // RSQRT of a negative real fails TFLM's invoke: inputs stay at or above the zero point.
  const int lo = code == op::kRsqrt ? zi : -128;
  const bool fold = Chance(r, 12);
  const TensorSpec in = is_float ? Plain("x", DT::kFloat32, shape)
                                 : Int8Tensor("x", shape, si, zi);
  const TensorSpec out = is_float ? Plain("y", DT::kFloat32, shape)
                                  : Int8Tensor("y", shape, so, zo);
  ModelSpec m;
  const int x = m.AddTensor(in);
  const int y = m.AddTensor(out);
  m.AddOp(code, {x}, {y});
  m.inputs = {x};
  m.outputs = {y};
  if (fold) {
    const int c = m.AddTensor(Constant(r, in, lo));
    TensorSpec out2 = out;
    out2.name = "folded";
    const int y2 = m.AddTensor(out2);
    m.AddOp(code, {c}, {y2});
    m.outputs.push_back(y2);
  }
  m.description = Fmt("%s %s in(s=%g,zp=%d) out(s=%g,zp=%d)%s", BuiltinName(code),
                      Shape(shape).c_str(), si, zi, so, zo, fold ? " + folded copy" : "");
  SweepConfig c;
  c.cases = MakeCases(r, m, lo);
  c.spec = std::move(m);
  return c;
}

// ---- Reductions ------------------------------------------------------------------------

SweepConfig GenReduce(Rng& r, int code) {
  std::vector<int32_t> shape;
  std::vector<int32_t> axes;
  if (Chance(r, 15)) {  // global average pooling as in MobileNet: [N,H,W,C] over H and W
    shape = {r.Int(1, 2), r.Int(1, 9), r.Int(1, 9), r.Int(1, 16)};
    axes = Chance(r, 50) ? std::vector<int32_t>{1, 2} : std::vector<int32_t>{2, 1};
  } else {
    shape = RandomShape(r, 1, 5, 500);
    const int rank = static_cast<int>(shape.size());
    for (int d = 0; d < rank; ++d) {
      if (Chance(r, 45)) axes.push_back(Chance(r, 25) ? d - rank : d);  // some negative
    }
    if (axes.empty()) axes.push_back(r.Int(0, rank - 1));
    if (!axes.empty() && Chance(r, 10)) axes.push_back(axes[0]);  // a duplicate
    std::reverse(axes.begin(), axes.begin() + (Chance(r, 30) ? axes.size() : 0));
  }
  const int rank = static_cast<int>(shape.size());
  ReducerOpts o;
  o.keep_dims = Chance(r, 50);
  std::vector<int32_t> out_shape;
  int64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    const bool reduced = std::any_of(axes.begin(), axes.end(),
                                     [&](int32_t a) { return a == d || a == d - rank; });
    if (reduced) count *= shape[d];
    if (!reduced) out_shape.push_back(shape[d]);
    if (reduced && o.keep_dims) out_shape.push_back(1);
  }
  const float si = LogUniform(r, 1e-3f, 0.5f);
  const int32_t zi = ZeroPoint(r);
  float so = si;
  int32_t zo = zi;
  if (code == op::kSum) {
    so = si * std::sqrt(static_cast<float>(count)) * LogUniform(r, 0.25f, 8.0f);
    zo = ZeroPoint(r);
  } else if (code == op::kMean && Chance(r, 60)) {
    // 5%: a multiplier near 2^-30, where TFLM caps the 1/count shift at 31 + shift.
    so = si * (Chance(r, 8) ? LogUniform(r, 5e8f, 2e9f) : LogUniform(r, 0.25f, 4.0f));
    zo = ZeroPoint(r);
  }
  const bool fold = Chance(r, 12);
  ModelSpec m;
  const TensorSpec in = Int8Tensor("x", shape, si, zi);
  const int x = m.AddTensor(in);
  const int axis = m.AddTensor(ConstInt32("axis", {static_cast<int32_t>(axes.size())}, axes));
  const int y = m.AddTensor(Int8Tensor("y", out_shape, so, zo));
  m.AddOp(code, {x, axis}, {y}, o);
  m.inputs = {x};
  m.outputs = {y};
  if (fold) {
    const int c = m.AddTensor(Constant(r, in));
    const int y2 = m.AddTensor(Int8Tensor("folded", out_shape, so, zo));
    m.AddOp(code, {c, axis}, {y2}, o);
    m.outputs.push_back(y2);
  }
  m.description = Fmt("%s %s axes %s keep_dims=%d -> %s in(s=%g,zp=%d) out(s=%g,zp=%d)%s",
                      BuiltinName(code), Shape(shape).c_str(), Shape(axes).c_str(), o.keep_dims,
                      Shape(out_shape).c_str(), si, zi, so, zo, fold ? " + folded copy" : "");
  SweepConfig c;
  c.cases = MakeCases(r, m);
  c.spec = std::move(m);
  return c;
}

// ---- The sweeps ------------------------------------------------------------------------

struct Sweep {
  int code;
  int count;  // default configurations
  std::function<SweepConfig(Rng&, int)> gen;
};

const std::vector<Sweep>& Sweeps() {
  static const std::vector<Sweep> sweeps = [] {
    std::vector<Sweep> v;
    auto binary = [](int code) { return [code](Rng& r, int) { return GenBinary(r, code); }; };
    auto unary = [](int code) { return [code](Rng& r, int) { return GenUnary(r, code); }; };
    auto reduce = [](int code) { return [code](Rng& r, int) { return GenReduce(r, code); }; };
    for (int code : {op::kMul, op::kSub, op::kMaximum, op::kMinimum, op::kSquaredDifference}) {
      v.push_back({code, 100, binary(code)});
    }
    for (int code : {op::kLess, op::kLessEqual, op::kGreater, op::kGreaterEqual, op::kEqual,
                     op::kNotEqual}) {
      v.push_back({code, 60, binary(code)});
    }
    for (int code : {op::kAbs, op::kNeg, op::kRsqrt}) v.push_back({code, 80, unary(code)});
    for (int code : {op::kMean, op::kSum, op::kReduceMax}) v.push_back({code, 100, reduce(code)});
    return v;
  }();
  return sweeps;
}

class SweepElementwise : public ::testing::TestWithParam<Sweep> {};

TEST_P(SweepElementwise, MatchesReference) {
  const Sweep& s = GetParam();
  ExpectClean(RunSweep(BuiltinName(s.code), SweepCount(s.count),
                       4000 + static_cast<uint64_t>(s.code), s.gen));
}

INSTANTIATE_TEST_SUITE_P(Ops, SweepElementwise, ::testing::ValuesIn(Sweeps()),
                         [](const ::testing::TestParamInfo<Sweep>& info) {
                           std::string name = BuiltinName(info.param.code);
                           name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
                           return name;
                         });

// ---- What TFLM rejects, tinymlc rejects with a clear message ------------------------------

TEST(SweepElementwiseErrors, RejectedLikeTflm) {
  const TensorSpec a = Int8Tensor("a", {2, 3}, 0.05f, 3);
  const TensorSpec b = Int8Tensor("b", {2, 3}, 0.02f, -7);
  const TensorSpec y = Int8Tensor("y", {2, 3}, 0.1f, 0);
  const TensorSpec axis = ConstInt32("axis", {1}, {1});
  const std::vector<Rejection> cases = {
      {"int8 NEG (TFLM: float32 only)", OneOp(op::kNeg, {a}, y), "supports float32 only"},
      {"REDUCE_MAX with requantization",
       OneOp(op::kReduceMax, {a, axis}, Int8Tensor("y", {2}, 0.1f, 3)),
       "TFLM requires them equal"},
      {"comparison of an input with scale >= 1",
       OneOp(op::kLess, {Int8Tensor("a", {2, 3}, 1.5f, 0), b}, Plain("y", DT::kBool, {2, 3})),
       "must be in (0, 1)"},
      {"SUB whose output multiplier is >= 1",
       OneOp(op::kSub, {a, b}, Int8Tensor("y", {2, 3}, 1e-9f, 0)), "must be in (0, 1)"},
      {"MEAN over a non-constant axis",
       OneOp(op::kMean, {a, Plain("axis", DT::kInt32, {1})}, Int8Tensor("y", {2}, 0.05f, 3)),
       "must be constant"},
      {"MUL with a TANH fused activation", OneOp(op::kMul, {a, b}, y, MulOpts{4}), "not supported"},
      {"shapes that do not broadcast",
       OneOp(op::kMaximum, {a, Int8Tensor("b", {2, 2}, 0.05f, 3)}, y), "cannot be broadcast"},
      {"comparison writing int8 instead of bool", OneOp(op::kEqual, {a, b}, y), "expected bool"},
      {"an operator outside the supported list (REDUCE_PROD)",
       OneOp(81, {a, axis}, Int8Tensor("y", {2}, 0.05f, 3)), "unsupported operator"},
  };
  ExpectRejected(cases);
}

// RSQRT of a negative real value fails TFLM's invoke; the generated invoke fails too.
TEST(SweepElementwiseErrors, RsqrtOfNegativeFailsInvoke) {
  const TensorSpec x = Int8Tensor("x", {4}, 0.05f, 10);
  const ModelSpec m = OneOp(op::kRsqrt, {x}, Int8Tensor("y", {4}, 0.1f, -128));
  const std::vector<int8_t> ok = {10, 11, 50, 127}, negative = {10, 11, 9, 127};
  const BatchResult r = CompileAndRunBatch({m}, {{{PackInt8(ok)}, {PackInt8(negative)}}});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("case 1: NAME_invoke() returned 1"), std::string::npos) << r.error;
  ASSERT_EQ(r.results.size(), 1u);
  ASSERT_EQ(r.results[0].size(), 2u);
  EXPECT_EQ(CompareWithReference(m, {PackInt8(ok)}, r.results[0][0]), "");
}

}  // namespace
}  // namespace tinymlc::testing
