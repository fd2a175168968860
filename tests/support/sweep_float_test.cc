// Random configuration sweeps of the float32 kernels (templates/kernels/tml_*_f32.h):
// FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, AVERAGE/MAX_POOL_2D, SOFTMAX, MEAN, ADD,
// SUB, MUL, MAXIMUM, MINIMUM (broadcasting), RELU, RELU6, LOGISTIC, TANH, ELU, HARD_SWISH, LEAKY_RELU,
// PRELU, the math ops (EXP, LOG, SQRT, RSQRT, SQUARE, SIN, COS, ABS, FLOOR, CEIL, ROUND), and float models with an int8 core (QUANTIZE -> int8 layer -> DEQUANTIZE).
// Each configuration is compiled with tinymlc, run as C (gcc -O2, the generated file's
// FP-contraction switch in force) and compared byte for byte, layer by layer, with the
// C++ float reference (reference_float.cc), which follows TFLM's float reference
// kernels' order of operations.
//
// Inputs mix uniform values with signed zeros, denormals, values near FLT_MAX and
// infinities, so that the activation clamps (TFLM clamps NONE to [-FLT_MAX, FLT_MAX])
// and the libm edges are exercised.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "reference_ops.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

std::vector<float> FloatValues(Rng& r, int64_t n, float range, bool specials) {
  static const float kSpecial[] = {0.0f, -0.0f, 1e-40f, -3.0e38f, 3.0e38f, INFINITY, -INFINITY};
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) {
    x = specials && Chance(r, 5) ? kSpecial[r.Int(0, 6)] : r.Uniform(-range, range);
  }
  return v;
}

// Cases: three random ones at the op's natural range, one small, one with specials.
Cases FloatCases(Rng& r, const ModelSpec& m, float range) {
  Cases cases;
  for (int kind = 0; kind < 5; ++kind) {
    std::vector<std::vector<uint8_t>> c;
    for (int t : m.inputs) {
      const TensorSpec& ts = m.tensors[t];
      if (ts.dtype != DT::kFloat32) {
        c.push_back(PackInt8(RandomInt8(static_cast<size_t>(ts.num_elements()), r.Next())));
        continue;
      }
      const float rr = kind == 3 ? range / 64.0f : range;
      c.push_back(PackFloat(FloatValues(r, ts.num_elements(), rr, kind == 4)));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

TensorSpec F(const std::string& name, std::vector<int32_t> shape) {
  return Plain(name, DT::kFloat32, std::move(shape));
}

TensorSpec FConst(const std::string& name, std::vector<int32_t> shape, Rng& r, float range) {
  TensorSpec t = F(name, std::move(shape));
  t.data = PackFloat(FloatValues(r, t.num_elements(), range, false));
  return t;
}

int FloatAct(Rng& r) { return RandomAct(r); }

SweepConfig Config(Rng& r, ModelSpec m, const std::string& desc, float range = 8.0f) {
  SweepConfig c;
  m.description = desc;
  c.cases = FloatCases(r, m, range);
  c.spec = std::move(m);
  return c;
}

int OutSize(int padding, int in, int f, int stride, int dilation) {
  return ref::ComputePadding(padding, in, f, stride, dilation).out_size;
}

SweepConfig GenFullyConnected(Rng& r, int) {
  const int batches = r.Int(1, 3), accum = r.Int(1, 48), out = r.Int(1, 24);
  FcOpts o;
  o.activation = FloatAct(r);
  const bool bias = Chance(r, 80);
  std::vector<TensorSpec> ins = {F("x", {batches, accum}), FConst("w", {out, accum}, r, 1.0f)};
  if (bias) ins.push_back(FConst("b", {out}, r, 2.0f));
  return Config(r, OneOp(op::kFullyConnected, ins, F("y", {batches, out}), o),
                Fmt("FC b%d k%d n%d act%d bias%d", batches, accum, out, o.activation, bias));
}

SweepConfig GenConv(Rng& r, int, bool depthwise) {
  const int b = r.Int(1, 2), h = r.Int(1, 9), w = r.Int(1, 9), c = r.Int(1, 6);
  const int fh = r.Int(1, 3), fw = r.Int(1, 3);
  const int sh = r.Int(1, 2), sw = r.Int(1, 2);
  const int dh = Chance(r, 20) ? 2 : 1, dw = Chance(r, 20) ? 2 : 1;
  const int padding = Chance(r, 50) ? kSame : kValid;
  const int act = FloatAct(r);
  const bool bias = Chance(r, 80);
  const int oh = OutSize(padding, h, fh, sh, dh), ow = OutSize(padding, w, fw, sw, dw);
  if (oh <= 0 || ow <= 0) return GenConv(r, 0, depthwise);
  if (depthwise) {
    const int mult = r.Int(1, 2), oc = c * mult;
    DepthwiseOpts o;
    o.padding = padding, o.stride_h = sh, o.stride_w = sw, o.dilation_h = dh, o.dilation_w = dw;
    o.depth_multiplier = mult, o.activation = act;
    std::vector<TensorSpec> ins = {F("x", {b, h, w, c}), FConst("w", {1, fh, fw, oc}, r, 1.0f)};
    if (bias) ins.push_back(FConst("b", {oc}, r, 2.0f));
    return Config(r, OneOp(op::kDepthwiseConv2D, ins, F("y", {b, oh, ow, oc}), o),
                  Fmt("DW x[%d,%d,%d,%d] f%dx%d m%d s%d,%d d%d,%d pad%d act%d bias%d", b, h, w, c,
                      fh, fw, mult, sh, sw, dh, dw, padding, act, bias));
  }
  const int groups = (c % 2 == 0 && Chance(r, 15)) ? 2 : 1;
  const int oc = r.Int(1, 6) * groups;
  Conv2DOpts o;
  o.padding = padding, o.stride_h = sh, o.stride_w = sw, o.dilation_h = dh, o.dilation_w = dw;
  o.activation = act;
  std::vector<TensorSpec> ins = {F("x", {b, h, w, c}),
                                 FConst("w", {oc, fh, fw, c / groups}, r, 1.0f)};
  if (bias) ins.push_back(FConst("b", {oc}, r, 2.0f));
  return Config(r, OneOp(op::kConv2D, ins, F("y", {b, oh, ow, oc}), o),
                Fmt("CONV x[%d,%d,%d,%d] f%dx%dx%d oc%d s%d,%d d%d,%d pad%d act%d bias%d", b, h,
                    w, c, fh, fw, c / groups, oc, sh, sw, dh, dw, padding, act, bias));
}

SweepConfig GenPool(Rng& r, int, int code) {
  const int b = r.Int(1, 2), h = r.Int(1, 9), w = r.Int(1, 9), c = r.Int(1, 5);
  PoolOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.filter_h = r.Int(1, std::min(h, 4)), o.filter_w = r.Int(1, std::min(w, 4));
  o.stride_h = r.Int(1, 3), o.stride_w = r.Int(1, 3);
  o.activation = FloatAct(r);
  const int oh = OutSize(o.padding, h, o.filter_h, o.stride_h, 1);
  const int ow = OutSize(o.padding, w, o.filter_w, o.stride_w, 1);
  return Config(r, OneOp(code, {F("x", {b, h, w, c})}, F("y", {b, oh, ow, c}), o),
                Fmt("%s x[%d,%d,%d,%d] f%dx%d s%d,%d pad%d act%d", BuiltinName(code), b, h, w, c,
                    o.filter_h, o.filter_w, o.stride_h, o.stride_w, o.padding, o.activation));
}

SweepConfig GenSoftmax(Rng& r, int) {
  const int outer = r.Int(1, 4), depth = r.Int(1, 40);
  SoftmaxOpts o;
  static const float kBetas[] = {1.0f, 0.5f, 2.0f, 0.1234f};
  o.beta = kBetas[r.Int(0, 3)];
  return Config(r, OneOp(op::kSoftmax, {F("x", {outer, depth})}, F("y", {outer, depth}), o),
                Fmt("SOFTMAX [%d,%d] beta %g", outer, depth, static_cast<double>(o.beta)), 20.0f);
}

// MEAN or REDUCE_MAX over random axes.
SweepConfig GenReduce(Rng& r, int code) {
  const int rank = r.Int(1, 4);
  std::vector<int32_t> shape;
  for (int d = 0; d < rank; ++d) shape.push_back(r.Int(1, 6));
  std::vector<int32_t> axes;
  for (int d = 0; d < rank; ++d) {
    if (Chance(r, 50)) axes.push_back(Chance(r, 30) ? d - rank : d);
  }
  if (axes.empty()) axes.push_back(r.Int(0, rank - 1));
  if (rank == 4 && Chance(r, 40)) axes = {1, 2};
  ReducerOpts o;
  o.keep_dims = Chance(r, 50);
  std::vector<int32_t> out;
  for (int d = 0; d < rank; ++d) {
    const bool reduced = std::any_of(axes.begin(), axes.end(),
                                     [&](int32_t a) { return a == d || a + rank == d; });
    if (!reduced) out.push_back(shape[d]);
    else if (o.keep_dims) out.push_back(1);
  }
  TensorSpec axis = Plain("axis", DT::kInt32, {static_cast<int32_t>(axes.size())});
  axis.data = PackInt32(axes);
  return Config(r, OneOp(code, {F("x", shape), axis}, F("y", out), o),
                Fmt("%s %s axes %s keep%d", BuiltinName(code), Shape(shape).c_str(),
                    Shape(axes).c_str(), o.keep_dims));
}

SweepConfig GenResizeBilinear(Rng& r, int) {
  const std::vector<int32_t> in = {r.Int(1, 2), r.Int(1, 8), r.Int(1, 8), r.Int(1, 5)};
  const int oh = Chance(r, 15) ? 1 : r.Int(1, 17), ow = Chance(r, 15) ? 1 : r.Int(1, 17);
  ResizeBilinearOpts o;
  o.align_corners = Chance(r, 35);
  o.half_pixel_centers = !o.align_corners && Chance(r, 50);
  TensorSpec size = Plain("size", DT::kInt32, {2});
  size.data = PackInt32({oh, ow});
  return Config(r, OneOp(op::kResizeBilinear, {F("x", in), size}, F("y", {in[0], oh, ow, in[3]}), o),
                Fmt("RESIZE_BILINEAR %s -> %dx%d%s%s", Shape(in).c_str(), oh, ow,
                    o.align_corners ? " align_corners" : "",
                    o.half_pixel_centers ? " half_pixel_centers" : ""));
}

// TRANSPOSE_CONV: the converter's output size (SAME: in * stride, VALID: (in - 1) *
// stride + filter) or now and then any size; bias or not.
SweepConfig GenTransposeConv(Rng& r, int) {
  const int b = r.Int(1, 2), h = r.Int(1, 6), w = r.Int(1, 6), ic = r.Int(1, 6), oc = r.Int(1, 6);
  const int fh = r.Int(1, 4), fw = r.Int(1, 4);
  TransposeConvOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 3);
  o.stride_w = Chance(r, 70) ? o.stride_h : r.Int(1, 3);
  o.activation = FloatAct(r);
  int oh = o.padding == kSame ? h * o.stride_h : (h - 1) * o.stride_h + fh;
  int ow = o.padding == kSame ? w * o.stride_w : (w - 1) * o.stride_w + fw;
  if (Chance(r, 15)) oh = r.Int(1, oh + 2), ow = r.Int(1, ow + 2);
  TensorSpec shape = Plain("output_shape", DT::kInt32, {4});
  shape.data = PackInt32({b, oh, ow, oc});
  std::vector<TensorSpec> ins = {shape, FConst("w", {oc, fh, fw, ic}, r, 1.0f), F("x", {b, h, w, ic})};
  const bool bias = Chance(r, 60);
  if (bias) ins.push_back(FConst("bias", {oc}, r, 2.0f));
  return Config(r, OneOp(op::kTransposeConv, ins, F("y", {b, oh, ow, oc}), o),
                Fmt("TRANSPOSE_CONV [%d,%d,%d,%d] filter %dx%d -> %d out %dx%d %s stride %dx%d act %d bias %d",
                    b, h, w, ic, fh, fw, oc, oh, ow, o.padding == kSame ? "SAME" : "VALID",
                    o.stride_h, o.stride_w, o.activation, bias));
}

// Two broadcastable shapes and their broadcast.
void BroadcastShapes(Rng& r, std::vector<int32_t>* a, std::vector<int32_t>* b,
                     std::vector<int32_t>* out, int max_rank) {
  const int rank = r.Int(1, max_rank);
  a->clear(), b->clear(), out->clear();
  for (int d = 0; d < rank; ++d) {
    const int n = r.Int(1, 5);
    const int kind = r.Int(0, 3);  // 0 both, 1 a broadcast, 2 b broadcast, 3 both n
    a->push_back(kind == 1 ? 1 : n);
    b->push_back(kind == 2 ? 1 : n);
    out->push_back(n);
  }
  if (rank > 1 && Chance(r, 30)) {
    b->erase(b->begin(), b->begin() + r.Int(1, rank - 1));
    for (size_t d = 0; d < out->size(); ++d) {
      const size_t lead = out->size() - b->size();
      (*out)[d] = d < lead ? (*a)[d] : std::max((*a)[d], (*b)[d - lead]);
    }
  }
}

SweepConfig GenBinary(Rng& r, int, int code) {
  std::vector<int32_t> a, b, out;
  BroadcastShapes(r, &a, &b, &out, code == op::kPrelu ? 4 : 6);
  if (code == op::kPrelu) {
    // PRELU's output has the input's shape: alpha broadcasts into it.
    for (size_t d = 0; d < b.size(); ++d) {
      const size_t i = a.size() - b.size() + d;
      if (b[d] != a[i]) b[d] = 1;
    }
    out = a;
  }
  OpOptions o;
  const int act = FloatAct(r);
  if (code == op::kAdd) o = AddOpts{act};
  if (code == op::kSub) o = SubOpts{act};
  if (code == op::kMul) o = MulOpts{act};
  if (code == op::kDiv) o = DivOpts{act};
  const bool const_b = Chance(r, 30);
  TensorSpec tb = const_b ? FConst("b", b, r, 4.0f) : F("b", b);
  return Config(r, OneOp(code, {F("a", a), tb}, F("y", out), o),
                Fmt("%s %s %s%s act%d", BuiltinName(code), Shape(a).c_str(), Shape(b).c_str(),
                    const_b ? " const" : "", act));
}

SweepConfig GenUnary(Rng& r, int, int code) {
  const int rank = r.Int(1, 4);
  std::vector<int32_t> shape;
  for (int d = 0; d < rank; ++d) shape.push_back(r.Int(1, 6));
  OpOptions o;
  float alpha = 0.0f;
  if (code == op::kLeakyRelu) {
    static const float kAlphas[] = {0.2f, 0.01f, 1.5f, -0.3f};
    alpha = kAlphas[r.Int(0, 3)];
    o = LeakyReluOpts{alpha};
  }
  return Config(r, OneOp(code, {F("x", shape)}, F("y", shape), o),
                Fmt("%s %s alpha %g", BuiltinName(code), Shape(shape).c_str(),
                    static_cast<double>(alpha)),
                code == op::kLogistic || code == op::kTanh || code == op::kElu ? 20.0f : 8.0f);
}

// Float I/O around an int8 layer: QUANTIZE float -> int8, FULLY_CONNECTED int8,
// DEQUANTIZE int8 -> float, then a float activation.
SweepConfig GenQuantizedCore(Rng& r, int) {
  ModelSpec m;
  const int k = r.Int(1, 32), n = r.Int(1, 16);
  const QuantParams qin = ChooseQuantParams(-4.0f, 4.0f);
  const int x = m.AddTensor(F("x", {1, k}));
  const int xq = m.AddActivation("xq", DT::kInt8, {1, k}, qin.scale, qin.zero_point);
  TensorSpec w = Quantized("w", DT::kInt8, {n, k}, 0.02f, 0);
  w.data = PackInt8(Weights(r, static_cast<int64_t>(n) * k));
  const int wi = m.AddTensor(w);
  const float out_scale = AccOutputScale(r, qin.scale, 0.02f, k);
  const int yq = m.AddActivation("yq", DT::kInt8, {1, n}, out_scale, RandomZeroPoint(r));
  const int y = m.AddTensor(F("y", {1, n}));
  const int z = m.AddTensor(F("z", {1, n}));
  m.AddOp(op::kQuantize, {x}, {xq});
  m.AddOp(op::kFullyConnected, {xq, wi, -1}, {yq}, FcOpts{});
  m.AddOp(op::kDequantize, {yq}, {y});
  m.AddOp(op::kLogistic, {y}, {z});
  m.inputs = {x};
  m.outputs = {z};
  return Config(r, m, Fmt("QUANTIZE/FC/DEQUANTIZE/LOGISTIC k%d n%d out_scale %g", k, n,
                          static_cast<double>(out_scale)),
                4.0f);
}

struct Sweep {
  std::string name;
  int count;
  uint64_t seed;
  std::function<SweepConfig(Rng&, int)> gen;
};

std::vector<Sweep> Sweeps() {
  std::vector<Sweep> v = {
      {"F32_FULLY_CONNECTED", 80, 12001, GenFullyConnected},
      {"F32_CONV_2D", 80, 12003, [](Rng& r, int i) { return GenConv(r, i, false); }},
      {"F32_DEPTHWISE_CONV_2D", 80, 12004, [](Rng& r, int i) { return GenConv(r, i, true); }},
      {"F32_AVERAGE_POOL_2D", 40, 12005,
       [](Rng& r, int i) { return GenPool(r, i, op::kAveragePool2D); }},
      {"F32_MAX_POOL_2D", 40, 12006, [](Rng& r, int i) { return GenPool(r, i, op::kMaxPool2D); }},
      {"F32_SOFTMAX", 40, 12007, GenSoftmax},
      {"F32_MEAN", 40, 12008, [](Rng& r, int) { return GenReduce(r, op::kMean); }},
      {"F32_RESIZE_BILINEAR", 40, 12011, GenResizeBilinear},
      {"F32_TRANSPOSE_CONV", 60, 12012, GenTransposeConv},
      {"F32_REDUCE_MAX", 40, 12010, [](Rng& r, int) { return GenReduce(r, op::kReduceMax); }},
      {"F32_QUANTIZED_CORE", 40, 12009, GenQuantizedCore},
  };
  for (int code : {op::kAdd, op::kSub, op::kMul, op::kDiv, op::kPrelu, op::kMaximum, op::kMinimum}) {
    v.push_back({std::string("F32_") + BuiltinName(code), 40, 12100 + static_cast<uint64_t>(code),
                 [code](Rng& r, int i) { return GenBinary(r, i, code); }});
  }
  for (int code : {op::kRelu, op::kRelu6, op::kLogistic, op::kTanh, op::kElu, op::kHardSwish,
                   op::kLeakyRelu, op::kExp, op::kLog, op::kSqrt, op::kRsqrt, op::kSquare, op::kSin,
                   op::kCos, op::kAbs, op::kFloor, op::kCeil, op::kRound}) {
    v.push_back({std::string("F32_") + BuiltinName(code), 40, 12200 + static_cast<uint64_t>(code),
                 [code](Rng& r, int i) { return GenUnary(r, i, code); }});
  }
  return v;
}

class SweepFloat : public ::testing::TestWithParam<Sweep> {};

TEST_P(SweepFloat, MatchesReference) {
  const Sweep& s = GetParam();
  ExpectClean(RunSweep(s.name, SweepCount(s.count), s.seed, s.gen));
}

INSTANTIATE_TEST_SUITE_P(Ops, SweepFloat, ::testing::ValuesIn(Sweeps()),
                         [](const ::testing::TestParamInfo<Sweep>& info) {
                           std::string name = info.param.name;
                           name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
                           return name;
                         });

// The layers with multiply-adds built the way a compiler would contract them into fused
// multiply-adds without the generated file's FP_CONTRACT switch (gcc's GNU dialect at
// -O2 on a CPU with FMA; clang too), still byte for byte equal to the reference.
TEST(SweepFloatContraction, FmaTargetStaysExact) {
  if (!__builtin_cpu_supports("fma")) GTEST_SKIP() << "no FMA unit on this CPU";
  for (const char* cc : {"gcc", "clang"}) {
    if (!ProgramAvailable(cc)) continue;
    HarnessOptions o;
    o.cc = cc;
    o.cflags = "-std=gnu11 -O2 -march=haswell -Wall -Wextra -Wpedantic -Werror";
    const std::string tag = std::string("F32_FMA_") + cc;
    ExpectClean(RunSweep(tag + "_FULLY_CONNECTED", SweepCount(40), 12001, GenFullyConnected, o));
    ExpectClean(RunSweep(tag + "_CONV_2D", SweepCount(40), 12003,
                         [](Rng& r, int i) { return GenConv(r, i, false); }, o));
    ExpectClean(RunSweep(tag + "_DEPTHWISE_CONV_2D", SweepCount(40), 12004,
                         [](Rng& r, int i) { return GenConv(r, i, true); }, o));
  }
}

}  // namespace
}  // namespace tinymlc::testing

namespace tinymlc::testing {
namespace {

// Forms of the new float32 ops that TFLM cannot run (or that do not exist there): a clear
// error naming the tensor, no crash.
TEST(SweepFloatErrors, RejectedWithTheTensor) {
  TensorSpec shape = Plain("output_shape", DT::kInt32, {4});
  shape.data = PackInt32({1, 4, 4, 2});
  TensorSpec axis = Plain("axis", DT::kInt32, {1});
  axis.data = PackInt32({1});
  TensorSpec size = Plain("size", DT::kInt32, {2});
  size.data = PackInt32({4, 4});
  const std::vector<Rejection> cases = {
      {"float TRANSPOSE_CONV with int8 weights (hybrid; TFLM fails to allocate it)",
       OneOp(op::kTransposeConv,
             {shape, ConstInt8("w8", {2, 3, 3, 2}, std::vector<int8_t>(36, 1), {0.1f}), F("x", {1, 2, 2, 2})},
             F("y", {1, 4, 4, 2}), TransposeConvOpts{}),
       "w8"},
      {"float REDUCE_MAX into an int8 output",
       OneOp(op::kReduceMax, {F("x", {2, 3}), axis}, Quantized("y8", DT::kInt8, {2}, 0.1f, 0),
             ReducerOpts{}),
       "y8"},
      {"float RESIZE_BILINEAR with both align_corners and half_pixel_centers",
       OneOp(op::kResizeBilinear, {F("x", {1, 2, 2, 1}), size}, F("y", {1, 4, 4, 1}),
             ResizeBilinearOpts{true, true}),
       "cannot both be set"},
  };
  ExpectRejected(cases);
}

}  // namespace
}  // namespace tinymlc::testing
