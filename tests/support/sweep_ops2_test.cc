// Random configuration sweeps of the TFLM operators of batch 2: MIRROR_PAD, GATHER_ND,
// EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE, CUMSUM, L2_POOL_2D and int8/int32 DIV. Each
// configuration is built with model_builder, compiled with tinymlc, run as C, and every
// layer compared with the independent C++ reference (reference_ops2.cc). Index inputs
// computed at run time get valid values (DYNAMIC_UPDATE_SLICE: any values, which TFLM
// clamps). 60 configurations per op (scaled by TINYMLC_SWEEP_SCALE in ctest).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

int64_t Elements(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int32_t d : s) n *= d;
  return n;
}

std::vector<int32_t> RandomShape(Rng& r, int rank, int max_dim) {
  std::vector<int32_t> s(rank);
  for (auto& d : s) d = r.Int(1, max_dim);
  return s;
}

TensorSpec Tensor(const std::string& name, DT dt, std::vector<int32_t> shape, Rng& r,
                  float scale = 0.f) {
  if (dt == DT::kInt8) {
    return Quantized(name, dt, std::move(shape), scale > 0.f ? scale : r.Uniform(0.005f, 0.5f),
                     r.Int(-128, 127));
  }
  return Plain(name, dt, std::move(shape));
}

// Random bytes for one graph input of the listed types.
std::vector<uint8_t> RandomData(Rng& r, const TensorSpec& t) {
  const int64_t n = t.num_elements();
  if (t.dtype == DT::kFloat32) {
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v) x = r.Uniform(-20.f, 20.f);
    return PackFloat(v);
  }
  if (t.dtype == DT::kInt32) {
    std::vector<int32_t> v(static_cast<size_t>(n));
    for (auto& x : v) x = r.Int(-100000, 100000);
    return PackInt32(v);
  }
  std::vector<uint8_t> b(static_cast<size_t>(n) * DTSize(t.dtype));
  for (auto& x : b) x = static_cast<uint8_t>(r.Int(0, 255));
  return b;
}

// Four cases; `fill(case, input index, spec)` may provide an input's bytes (empty = random).
using Fill = std::function<std::vector<uint8_t>(Rng&, int, const TensorSpec&)>;
SweepConfig Configure(Rng& r, ModelSpec m, const std::string& desc, const Fill& fill = nullptr) {
  SweepConfig c;
  m.description = desc;
  for (int k = 0; k < 4; ++k) {
    std::vector<std::vector<uint8_t>> in;
    for (size_t i = 0; i < m.inputs.size(); ++i) {
      const TensorSpec& t = m.tensors[m.inputs[i]];
      std::vector<uint8_t> b = fill ? fill(r, static_cast<int>(i), t) : std::vector<uint8_t>{};
      in.push_back(b.empty() ? RandomData(r, t) : b);
    }
    c.cases.push_back(std::move(in));
  }
  c.spec = std::move(m);
  return c;
}

std::vector<uint8_t> IndexBytes(const std::vector<int64_t>& v, DT dt) {
  std::vector<uint8_t> b(v.size() * DTSize(dt));
  for (size_t i = 0; i < v.size(); ++i) {
    if (dt == DT::kInt64) {
      std::memcpy(b.data() + 8 * i, &v[i], 8);
    } else {
      const int32_t x = static_cast<int32_t>(v[i]);
      std::memcpy(b.data() + 4 * i, &x, 4);
    }
  }
  return b;
}

TensorSpec ConstIndex(const std::string& name, DT dt, std::vector<int32_t> shape,
                      const std::vector<int64_t>& v) {
  TensorSpec t = Plain(name, dt, std::move(shape));
  t.data = IndexBytes(v, dt);
  return t;
}

// ---- MIRROR_PAD ----------------------------------------------------------------------------
SweepConfig GenMirrorPad(Rng& r, int) {
  const DT dt = r.Int(0, 1) ? DT::kInt8 : DT::kFloat32;
  const int mode = r.Int(0, 1);  // REFLECT, SYMMETRIC
  const int offset = mode == 0 ? 1 : 0;
  const int rank = r.Int(1, 4);
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 6);
  std::vector<int64_t> pads;
  std::vector<int32_t> out_shape;
  for (int d = 0; d < rank; ++d) {
    const int l = r.Int(0, in_shape[d] - offset), rr = r.Int(0, in_shape[d] - offset);
    pads.push_back(l);
    pads.push_back(rr);
    out_shape.push_back(in_shape[d] + l + rr);
  }
  const TensorSpec x = Tensor("x", dt, in_shape, r);
  TensorSpec y = x;
  y.name = "y";
  y.shape = out_shape;
  const DT pdt = r.Int(0, 1) ? DT::kInt64 : DT::kInt32;
  const ModelSpec m = OneOp(op::kMirrorPad, {x, ConstIndex("paddings", pdt, {rank, 2}, pads)}, y,
                            MirrorPadOpts{mode});
  return Configure(r, m,
                   Fmt("MIRROR_PAD %s %s %s -> %s paddings %s", DTName(dt),
                       mode ? "SYMMETRIC" : "REFLECT", Shape(in_shape).c_str(),
                       Shape(out_shape).c_str(), DTName(pdt)));
}

// ---- GATHER_ND -----------------------------------------------------------------------------
SweepConfig GenGatherNd(Rng& r, int) {
  const DT dt = r.Int(0, 1) ? DT::kInt8 : DT::kFloat32;
  const int rank = r.Int(1, 4);
  const std::vector<int32_t> p_shape = RandomShape(r, rank, 5);
  const int depth = r.Int(1, rank);
  std::vector<int32_t> i_shape = RandomShape(r, r.Int(0, 2), 3);
  i_shape.push_back(depth);
  std::vector<int32_t> out_shape(i_shape.begin(), i_shape.end() - 1);
  out_shape.insert(out_shape.end(), p_shape.begin() + depth, p_shape.end());
  auto random_indices = [&](Rng& rng) {
    std::vector<int64_t> v(static_cast<size_t>(Elements(i_shape)));
    for (size_t k = 0; k < v.size(); ++k) v[k] = rng.Int(0, p_shape[k % depth] - 1);
    return v;
  };
  const TensorSpec x = Tensor("params", dt, p_shape, r);
  TensorSpec y = x;
  y.name = "y";
  y.shape = out_shape;
  const bool runtime = r.Int(0, 1) == 1;
  const TensorSpec idx = runtime ? Plain("indices", DT::kInt32, i_shape)
                                 : ConstIndex("indices", DT::kInt32, i_shape, random_indices(r));
  const ModelSpec m = OneOp(op::kGatherNd, {x, idx}, y);
  return Configure(r, m,
                   Fmt("GATHER_ND %s %s indices %s (%s)", DTName(dt), Shape(p_shape).c_str(),
                       Shape(i_shape).c_str(), runtime ? "input" : "constant"),
                   [&](Rng& rng, int i, const TensorSpec&) {
                     return i == 1 ? IndexBytes(random_indices(rng), DT::kInt32)
                                   : std::vector<uint8_t>{};
                   });
}

// ---- EMBEDDING_LOOKUP ----------------------------------------------------------------------
SweepConfig GenEmbeddingLookup(Rng& r, int) {
  const int kind = r.Int(0, 2);  // float32, int8, int8 -> float32
  const DT vdt = kind == 0 ? DT::kFloat32 : DT::kInt8;
  const DT odt = kind == 1 ? DT::kInt8 : DT::kFloat32;
  std::vector<int32_t> v_shape = RandomShape(r, r.Int(2, 3), 6);
  const int lookups = r.Int(1, 8);
  TensorSpec value = kind == 2 ? Quantized("table", DT::kInt8, v_shape, r.Uniform(0.01f, 0.5f), 0)
                               : Tensor("table", vdt, v_shape, r);
  const bool runtime = r.Int(0, 1) == 1;
  // Usually constant weights; an input when the lookup is constant (a model needs one).
  if (runtime && r.Int(0, 2) > 0) value.data = RandomData(r, value);
  std::vector<int32_t> out_shape = v_shape;
  out_shape[0] = lookups;
  TensorSpec y = kind == 1 ? value : Plain("y", odt, out_shape);
  y.name = "y";
  y.shape = out_shape;
  y.data.clear();
  auto random_rows = [&](Rng& rng) {
    std::vector<int64_t> v(static_cast<size_t>(lookups));
    for (auto& e : v) e = rng.Int(0, v_shape[0] - 1);
    return v;
  };
  const TensorSpec lookup = runtime ? Plain("lookup", DT::kInt32, {lookups})
                                    : ConstIndex("lookup", DT::kInt32, {lookups}, random_rows(r));
  const ModelSpec m = OneOp(op::kEmbeddingLookup, {lookup, value}, y);
  return Configure(r, m,
                   Fmt("EMBEDDING_LOOKUP %s -> %s table %s%s, %d lookups (%s)", DTName(vdt),
                       DTName(odt), Shape(v_shape).c_str(), value.data.empty() ? " (input)" : "",
                       lookups, runtime ? "input" : "constant"),
                   [&](Rng& rng, int, const TensorSpec& t) {
                     return t.name == "lookup" ? IndexBytes(random_rows(rng), DT::kInt32)
                                               : std::vector<uint8_t>{};
                   });
}

// ---- DYNAMIC_UPDATE_SLICE ------------------------------------------------------------------
SweepConfig GenDynamicUpdateSlice(Rng& r, int) {
  const int t = r.Int(0, 2);
  const DT dt = t == 0 ? DT::kFloat32 : t == 1 ? DT::kInt8 : DT::kInt32;
  const int rank = r.Int(1, 4);
  const std::vector<int32_t> shape = RandomShape(r, rank, 6);
  std::vector<int32_t> u_shape(rank);
  for (int d = 0; d < rank; ++d) u_shape[d] = r.Int(1, shape[d]);
  const DT idt = r.Int(0, 1) ? DT::kInt64 : DT::kInt32;
  auto random_start = [&](Rng& rng) {
    std::vector<int64_t> v(static_cast<size_t>(rank));
    for (int d = 0; d < rank; ++d) v[d] = rng.Int(-2, shape[d] + 1);  // clamped by the op
    return v;
  };
  const TensorSpec x = Tensor("operand", dt, shape, r);
  TensorSpec u = x;
  u.name = "update";
  u.shape = u_shape;
  TensorSpec y = x;
  y.name = "y";
  const bool runtime = r.Int(0, 2) > 0;
  const TensorSpec start = runtime ? Plain("start", idt, {rank})
                                   : ConstIndex("start", idt, {rank}, random_start(r));
  const ModelSpec m = OneOp(op::kDynamicUpdateSlice, {x, u, start}, y);
  return Configure(r, m,
                   Fmt("DYNAMIC_UPDATE_SLICE %s %s update %s start %s (%s)", DTName(dt),
                       Shape(shape).c_str(), Shape(u_shape).c_str(), DTName(idt),
                       runtime ? "input" : "constant"),
                   [&](Rng& rng, int i, const TensorSpec&) {
                     return i == 2 ? IndexBytes(random_start(rng), idt) : std::vector<uint8_t>{};
                   });
}

// ---- CUMSUM --------------------------------------------------------------------------------
SweepConfig GenCumsum(Rng& r, int) {
  const DT dt = r.Int(0, 1) ? DT::kInt8 : DT::kFloat32;
  const int rank = r.Int(1, 4);
  const std::vector<int32_t> shape = RandomShape(r, rank, 6);
  int axis = r.Int(0, rank - 1);
  const float in_scale = r.Uniform(0.005f, 0.2f);
  const TensorSpec x = Tensor("x", dt, shape, r, in_scale);
  TensorSpec y = Tensor("y", dt, shape, r, in_scale * r.Uniform(0.5f, 2.0f * shape[axis]));
  if (r.Int(0, 3) == 0) axis -= rank;
  const CumsumOpts o{r.Int(0, 1) == 1, r.Int(0, 1) == 1};
  TensorSpec a = Plain("axis", DT::kInt32, {});
  a.data = PackInt32({axis});
  const ModelSpec m = OneOp(op::kCumsum, {x, a}, y, o);
  return Configure(r, m,
                   Fmt("CUMSUM %s %s axis %d exclusive %d reverse %d", DTName(dt),
                       Shape(shape).c_str(), axis, o.exclusive, o.reverse));
}

// ---- L2_POOL_2D ----------------------------------------------------------------------------
SweepConfig GenL2Pool(Rng& r, int) {
  const int n = r.Int(1, 2), h = r.Int(1, 9), w = r.Int(1, 9), ch = r.Int(1, 5);
  PoolOpts o;
  o.padding = r.Int(0, 1) ? kValid : kSame;
  o.filter_h = r.Int(1, std::min(h, 4));
  o.filter_w = r.Int(1, std::min(w, 4));
  o.stride_h = r.Int(1, 3);
  o.stride_w = r.Int(1, 3);
  o.activation = RandomAct(r);
  auto out = [&](int in, int f, int s) {
    return o.padding == kSame ? (in + s - 1) / s : (in - f + s) / s;
  };
  const std::vector<int32_t> out_shape = {n, out(h, o.filter_h, o.stride_h),
                                          out(w, o.filter_w, o.stride_w), ch};
  const ModelSpec m = OneOp(op::kL2Pool2D, {Plain("x", DT::kFloat32, {n, h, w, ch})},
                            Plain("y", DT::kFloat32, out_shape), o);
  return Configure(r, m,
                   Fmt("L2_POOL_2D [%d,%d,%d,%d] filter %dx%d stride %dx%d %s act %d", n, h, w, ch,
                       o.filter_h, o.filter_w, o.stride_h, o.stride_w,
                       o.padding == kSame ? "SAME" : "VALID", o.activation));
}

// ---- DIV (int8, int32) ---------------------------------------------------------------------
SweepConfig GenDiv(Rng& r, int) {
  const bool s8 = r.Int(0, 3) > 0;
  const DT dt = s8 ? DT::kInt8 : DT::kInt32;
  const int rank = r.Int(1, 4);
  const std::vector<int32_t> shape = RandomShape(r, rank, 5);
  std::vector<int32_t> s1 = shape, s2 = shape;
  for (int d = 0; d < rank; ++d) {
    if (r.Int(0, 3) == 0) s1[d] = 1;
    else if (r.Int(0, 3) == 0) s2[d] = 1;
  }
  if (r.Int(0, 4) == 0) s2.erase(s2.begin(), s2.begin() + r.Int(0, rank - 1));
  std::vector<int32_t> out_shape = s1;  // the broadcast shape
  for (size_t k = 0; k < s2.size(); ++k) {
    int32_t& d = out_shape[out_shape.size() - s2.size() + k];
    d = std::max(d, s2[k]);
  }
  const float sa = r.Uniform(0.01f, 0.2f), sb = r.Uniform(0.01f, 0.2f);
  const TensorSpec a = Tensor("a", dt, s1, r, sa), b = Tensor("b", dt, s2, r, sb);
  const TensorSpec y = Tensor("y", dt, out_shape, r, sa / sb * r.Uniform(0.005f, 0.2f));
  const int act = RandomAct(r);
  const ModelSpec m = OneOp(op::kDiv, {a, b}, y, DivOpts{act});
  return Configure(r, m,
                   Fmt("DIV %s %s / %s act %d", DTName(dt), Shape(s1).c_str(), Shape(s2).c_str(),
                       act),
                   [&](Rng& rng, int i, const TensorSpec& t) {
                     if (i != 1 || t.dtype != DT::kInt32) return std::vector<uint8_t>{};
                     std::vector<int32_t> v(static_cast<size_t>(t.num_elements()));
                     for (auto& e : v) e = rng.Int(1, 1000) * (rng.Int(0, 1) ? 1 : -1);
                     return PackInt32(v);
                   });
}

struct SweepDef {
  const char* name;
  SweepConfig (*gen)(Rng&, int);
  int code;
  int count;
};

const SweepDef kSweeps[] = {
    {"MIRROR_PAD", GenMirrorPad, op::kMirrorPad, 60},
    {"GATHER_ND", GenGatherNd, op::kGatherNd, 60},
    {"EMBEDDING_LOOKUP", GenEmbeddingLookup, op::kEmbeddingLookup, 60},
    {"DYNAMIC_UPDATE_SLICE", GenDynamicUpdateSlice, op::kDynamicUpdateSlice, 60},
    {"CUMSUM", GenCumsum, op::kCumsum, 60},
    {"L2_POOL_2D", GenL2Pool, op::kL2Pool2D, 60},
    {"DIV_S8_S32", GenDiv, op::kDiv, 80},
};

class Ops2Sweep : public ::testing::TestWithParam<SweepDef> {};

TEST_P(Ops2Sweep, MatchesReference) {
  const SweepDef& d = GetParam();
  const int count = SweepCount(d.count);
  const SweepStats s = RunSweep(d.name, count, /*seed=*/0x0b520000u + static_cast<uint64_t>(d.code),
                                [&d](Rng& r, int i) { return d.gen(r, i); });
  EXPECT_EQ(s.configs, count);
  EXPECT_EQ(s.failures, 0) << JoinMessages(s);
}

INSTANTIATE_TEST_SUITE_P(Ops, Ops2Sweep, ::testing::ValuesIn(kSweeps),
                         [](const ::testing::TestParamInfo<SweepDef>& i) {
                           return std::string(i.param.name);
                         });

// ---- What TFLM rejects (or would read outside a tensor for), tinymlc rejects -------------
TEST(SweepOps2Errors, Rejected) {
  const TensorSpec a = Quantized("a", DT::kInt8, {2, 3}, 0.05f, 3);
  const TensorSpec f = Plain("f", DT::kFloat32, {2, 3});
  const std::vector<Rejection> cases = {
      {"MIRROR_PAD REFLECT wider than the input allows",
       OneOp(op::kMirrorPad, {a, ConstIndex("p", DT::kInt32, {2, 2}, {0, 0, 3, 0})},
             Quantized("y", DT::kInt8, {2, 6}, 0.05f, 3), MirrorPadOpts{0}),
       "REFLECT mode allows"},
      {"MIRROR_PAD of int16",
       OneOp(op::kMirrorPad,
             {Quantized("a", DT::kInt16, {2, 3}, 0.05f, 0),
              ConstIndex("p", DT::kInt32, {2, 2}, {0, 0, 0, 0})},
             Quantized("y", DT::kInt16, {2, 3}, 0.05f, 0), MirrorPadOpts{1}),
       "int16"},
      {"GATHER_ND index depth above the params rank",
       OneOp(op::kGatherNd, {a, ConstIndex("i", DT::kInt32, {1, 3}, {0, 0, 0})},
             Quantized("y", DT::kInt8, {1}, 0.05f, 3)),
       "above the params rank"},
      {"GATHER_ND constant index out of range",
       OneOp(op::kGatherNd, {a, ConstIndex("i", DT::kInt32, {1, 1}, {2})},
             Quantized("y", DT::kInt8, {1, 3}, 0.05f, 3)),
       "outside [0, 2)"},
      {"EMBEDDING_LOOKUP int8 -> float32 with a zero point",
       OneOp(op::kEmbeddingLookup, {ConstIndex("l", DT::kInt32, {1}, {0}), a},
             Plain("y", DT::kFloat32, {1, 3})),
       "zero point 0"},
      {"CUMSUM of int32",
       OneOp(op::kCumsum,
             {Plain("x", DT::kInt32, {4}), ConstIndex("axis", DT::kInt32, {}, {0})},
             Plain("y", DT::kInt32, {4}), CumsumOpts{}),
       "TFLM takes float32 and int8"},
      {"CUMSUM along an axis computed at run time",
       OneOp(op::kCumsum, {f, Plain("axis", DT::kInt32, {})}, Plain("y", DT::kFloat32, {2, 3}),
             CumsumOpts{}),
       "constant"},
      {"L2_POOL_2D of int8",
       OneOp(op::kL2Pool2D, {Quantized("x", DT::kInt8, {1, 2, 2, 1}, 0.05f, 0)},
             Quantized("y", DT::kInt8, {1, 1, 1, 1}, 0.05f, 0), PoolOpts{kValid, 1, 1, 2, 2, kActNone}),
       "float32 only"},
      {"DYNAMIC_UPDATE_SLICE update larger than the operand",
       OneOp(op::kDynamicUpdateSlice,
             {f, Plain("u", DT::kFloat32, {3, 3}), ConstIndex("s", DT::kInt32, {2}, {0, 0})},
             Plain("y", DT::kFloat32, {2, 3})),
       "larger than the operand"},
      {"DIV of int16",
       OneOp(op::kDiv,
             {Quantized("a", DT::kInt16, {2}, 0.05f, 0), Quantized("b", DT::kInt16, {2}, 0.05f, 0)},
             Quantized("y", DT::kInt16, {2}, 0.05f, 0), DivOpts{0}),
       "TFLM: float32, int32, int8"},
  };
  ExpectRejected(cases);
}

// Indices computed at run time: one out of range fails the generated invoke.
TEST(SweepOps2Errors, RuntimeIndexOutOfRangeFailsInvoke) {
  const ModelSpec m = OneOp(op::kGatherNd,
                            {Quantized("x", DT::kInt8, {3, 2}, 0.05f, 0), Plain("i", DT::kInt32, {2, 1})},
                            Quantized("y", DT::kInt8, {2, 2}, 0.05f, 0));
  const std::vector<uint8_t> x = PackInt8({1, 2, 3, 4, 5, 6});
  const std::vector<uint8_t> ok = PackInt32({2, 0}), bad = PackInt32({0, 3});
  const BatchResult r = CompileAndRunBatch({m}, {{{x, ok}, {x, bad}}});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("case 1: NAME_invoke() returned 1"), std::string::npos) << r.error;
  ASSERT_EQ(r.results.size(), 1u);
  ASSERT_EQ(r.results[0].size(), 2u);
  EXPECT_EQ(CompareWithReference(m, {x, ok}, r.results[0][0]), "");
}

}  // namespace
}  // namespace tinymlc::testing
