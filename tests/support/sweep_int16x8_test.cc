// Random configuration sweeps of the 16x8 layers (int16 activations, int8 weights):
// CONV_2D (grouped filters too), DEPTHWISE_CONV_2D and FULLY_CONNECTED, with the three
// bias forms TFLM distinguishes (int64, int32, none with quantized_bias_type INT32 or
// not), and the int16 ADD, SUB, MUL, MAXIMUM, MINIMUM (broadcasting), 2-D pools, SOFTMAX,
// MEAN and SUM, against the C++ reference (reference_int16x8.cc and the int16 forms in
// reference_elementwise.cc); plus the forms TFLM cannot run, which tinymlc must reject.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "reference_ops.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

constexpr int kTensorTypeInt32 = 2;

int64_t Int64(Rng& r, int64_t magnitude) {
  const int64_t v = static_cast<int64_t>(r.Next() % static_cast<uint64_t>(2 * magnitude + 1));
  return v - magnitude;
}

std::vector<uint8_t> PackInt64(const std::vector<int64_t>& v) {
  std::vector<uint8_t> out(v.size() * 8);
  for (size_t i = 0; i < v.size(); ++i) {
    for (int b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<uint8_t>(static_cast<uint64_t>(v[i]) >> (8 * b));
  }
  return out;
}

// Random full-range data, zeros, and the two extremes (saturation of the accumulators).
Cases Int16Cases(Rng& r, const ModelSpec& m) {
  Cases cases;
  for (int kind = 0; kind < 4; ++kind) {
    std::vector<std::vector<uint8_t>> inputs;
    for (int idx : m.inputs) {
      const int64_t n = m.tensors[idx].num_elements();
      std::vector<int16_t> v(n);
      for (auto& x : v) {
        x = kind <= 1 ? static_cast<int16_t>(r.Int(-32768, 32767))
            : kind == 2 ? int16_t{0}
                        : static_cast<int16_t>(Chance(r, 50) ? -32768 : 32767);
      }
      inputs.push_back(PackInt16(v));
    }
    cases.push_back(std::move(inputs));
  }
  return cases;
}

// The bias of a layer with `channels` outputs over `k` products: int64 (sometimes beyond
// int32), int32, or none; `bias_type` is what the option quantized_bias_type says.
struct BiasDraw {
  int input = -1;  // tensor index, or -1 without bias
  int quantized_bias_type = 0;
  const char* name = "no bias";
};
BiasDraw AddBias(Rng& r, ModelSpec& m, int channels, float in_scale, const std::vector<float>& ws,
                 bool allow_int32) {
  BiasDraw d;
  std::vector<float> bs;
  for (float s : ws) bs.push_back(in_scale * s);
  const int kind = r.Int(0, allow_int32 ? 3 : 1);
  if (kind == 0) {
    std::vector<int64_t> v(channels);
    const int64_t mag = Chance(r, 20) ? (int64_t{1} << 40) : (int64_t{1} << 26);
    for (auto& x : v) x = Int64(r, mag);
    TensorSpec t;
    t.name = "bias64";
    t.dtype = DT::kInt64;
    t.shape = {channels};
    t.data = PackInt64(v);
    t.scale = bs;
    t.zero_point.assign(bs.size(), 0);
    t.quant_axis = 0;
    d.input = m.AddTensor(t);
    d.name = "int64 bias";
  } else if (kind == 2) {
    d.input = m.AddTensor(ConstInt32("bias32", {channels}, RandomInt32(channels, r.Next(), -(1 << 26), 1 << 26), bs));
    d.name = "int32 bias";
  } else if (kind == 3) {
    d.quantized_bias_type = kTensorTypeInt32;
    d.name = "no bias, quantized_bias_type INT32";
  }
  return d;
}

// Output scale for sums of k int16 x int8 products: typical outputs of a few thousand
// steps, times a random factor.
float OutScale(Rng& r, float in_scale, float w_scale, int64_t k) {
  const float typical = in_scale * w_scale * 16384.0f * 64.0f * std::sqrt(static_cast<float>(k));
  return typical / 3000.0f * LogUniform(r, 0.1f, 10.0f);
}

TensorSpec Int16Tensor(const std::string& name, std::vector<int32_t> shape, float scale) {
  return Quantized(name, DT::kInt16, std::move(shape), scale, 0);
}

SweepConfig Done(Rng& r, ModelSpec m, int y, const std::string& desc) {
  if (m.outputs.empty()) m.outputs = {y};
  m.description = desc;
  SweepConfig c;
  c.cases = Int16Cases(r, m);
  c.spec = std::move(m);
  return c;
}

SweepConfig GenConv(Rng& r, int) {
  ModelSpec m;
  const int groups = Chance(r, 25) ? r.Int(2, 4) : 1;
  const int filter_c = r.Int(1, 6);
  const int in_c = groups * filter_c;
  const int in_h = r.Int(1, 9), in_w = r.Int(1, 9);
  const float in_scale = LogUniform(r, 1e-5f, 1e-2f);
  const int x = m.AddTensor(Int16Tensor("x", {r.Int(1, 2), in_h, in_w, in_c}, in_scale));
  m.inputs = {x};
  Conv2DOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 2);
  o.stride_w = r.Int(1, 2);
  o.dilation_h = Chance(r, 80) ? 1 : 2;
  o.dilation_w = o.dilation_h;
  o.activation = RandomAct(r);
  int fh = std::min(r.Int(1, 3), in_h), fw = std::min(r.Int(1, 3), in_w);
  if (o.padding == kValid) {
    o.dilation_h = o.dilation_w = 1;
  }
  const int out_c = groups * r.Int(1, 4);
  const bool per_channel = Chance(r, 70);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int64_t k = int64_t{fh} * fw * filter_c;
  const int w = m.AddTensor(ConstInt8("w", {out_c, fh, fw, filter_c}, Weights(r, out_c * k), ws));
  const BiasDraw bias = AddBias(r, m, out_c, in_scale, ws, /*allow_int32=*/true);
  o.quantized_bias_type = bias.quantized_bias_type;
  const int oh = ref::ComputePadding(o.padding, in_h, fh, o.stride_h, o.dilation_h).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, fw, o.stride_w, o.dilation_w).out_size;
  const float out_scale = OutScale(r, in_scale, *std::max_element(ws.begin(), ws.end()), k);
  const int y = m.AddTensor(Int16Tensor("y", {m.tensors[x].shape[0], oh, ow, out_c}, out_scale));
  m.AddOp(op::kConv2D, {x, w, bias.input}, {y}, o);
  return Done(r, std::move(m), y,
              Fmt("CONV_2D int16 %s filter %dx%dx%d->%d groups %d %s stride %dx%d dilation %d %s %s",
                  Shape(m.tensors[x].shape).c_str(), fh, fw, filter_c, out_c, groups,
                  o.padding == kSame ? "SAME" : "VALID", o.stride_h, o.stride_w, o.dilation_h,
                  per_channel ? "per-channel" : "per-tensor", bias.name));
}

// TRANSPOSE_CONV 16x8 (TFLM's TransposeConv<int64_t>): int64 bias or none.
SweepConfig GenTransposeConv(Rng& r, int) {
  ModelSpec m;
  const int in_c = r.Int(1, 5), in_h = r.Int(1, 6), in_w = r.Int(1, 6), batches = r.Int(1, 2);
  const float in_scale = LogUniform(r, 1e-5f, 1e-2f);
  TransposeConvOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 3);
  o.stride_w = r.Int(1, 3);
  o.activation = RandomAct(r);
  const int fh = r.Int(1, 4), fw = r.Int(1, 4), out_c = r.Int(1, 5);
  const int oh = o.padding == kSame ? in_h * o.stride_h : (in_h - 1) * o.stride_h + fh;
  const int ow = o.padding == kSame ? in_w * o.stride_w : (in_w - 1) * o.stride_w + fw;
  const int shape = m.AddTensor(ConstInt32("output_shape", {4}, {batches, oh, ow, out_c}));
  const bool per_channel = Chance(r, 70);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int64_t k = int64_t{fh} * fw * in_c;
  const int w = m.AddTensor(ConstInt8("w", {out_c, fh, fw, in_c}, Weights(r, out_c * k), ws));
  const int x = m.AddTensor(Int16Tensor("x", {batches, in_h, in_w, in_c}, in_scale));
  m.inputs = {x};
  const BiasDraw bias = AddBias(r, m, out_c, in_scale, ws, /*allow_int32=*/false);
  const float out_scale = OutScale(r, in_scale, *std::max_element(ws.begin(), ws.end()), k);
  const int y = m.AddTensor(Int16Tensor("y", {batches, oh, ow, out_c}, out_scale));
  std::vector<int> inputs = {shape, w, x};
  if (bias.input >= 0) inputs.push_back(bias.input);
  m.AddOp(op::kTransposeConv, inputs, {y}, o);
  return Done(r, std::move(m), y,
              Fmt("TRANSPOSE_CONV int16 [%d,%d,%d,%d] filter %dx%dx%d->%d %s stride %dx%d act %d %s %s",
                  batches, in_h, in_w, in_c, fh, fw, in_c, out_c,
                  o.padding == kSame ? "SAME" : "VALID", o.stride_h, o.stride_w, o.activation,
                  per_channel ? "per-channel" : "per-tensor", bias.name));
}

SweepConfig GenDepthwise(Rng& r, int) {
  ModelSpec m;
  const int in_c = r.Int(1, 6), dm = r.Int(1, 3);
  const int in_h = r.Int(1, 9), in_w = r.Int(1, 9);
  const float in_scale = LogUniform(r, 1e-5f, 1e-2f);
  const int x = m.AddTensor(Int16Tensor("x", {1, in_h, in_w, in_c}, in_scale));
  m.inputs = {x};
  DepthwiseOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 2);
  o.stride_w = r.Int(1, 2);
  o.depth_multiplier = dm;
  o.activation = RandomAct(r);
  const int fh = std::min(r.Int(1, 3), in_h), fw = std::min(r.Int(1, 3), in_w);
  const int out_c = in_c * dm;
  const bool per_channel = Chance(r, 70);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int w = m.AddTensor(ConstInt8("w", {1, fh, fw, out_c}, Weights(r, int64_t{fh} * fw * out_c), ws, {}, 3));
  const BiasDraw bias = AddBias(r, m, out_c, in_scale, ws, /*allow_int32=*/false);
  const int oh = ref::ComputePadding(o.padding, in_h, fh, o.stride_h, 1).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, fw, o.stride_w, 1).out_size;
  const float out_scale = OutScale(r, in_scale, *std::max_element(ws.begin(), ws.end()), fh * fw);
  const int y = m.AddTensor(Int16Tensor("y", {1, oh, ow, out_c}, out_scale));
  m.AddOp(op::kDepthwiseConv2D, {x, w, bias.input}, {y}, o);
  return Done(r, std::move(m), y,
              Fmt("DEPTHWISE_CONV_2D int16 %s filter %dx%d x%d %s stride %dx%d %s %s",
                  Shape(m.tensors[x].shape).c_str(), fh, fw, dm,
                  o.padding == kSame ? "SAME" : "VALID", o.stride_h, o.stride_w,
                  per_channel ? "per-channel" : "per-tensor", bias.name));
}

SweepConfig GenFullyConnected(Rng& r, int) {
  ModelSpec m;
  const int batches = r.Int(1, 3), accum = Chance(r, 15) ? r.Int(100, 900) : r.Int(1, 40);
  const float in_scale = LogUniform(r, 1e-5f, 1e-2f);
  // TFLM's fully-connected kernel applies the zero points; the converter makes them 0.
  const int32_t in_zp = Chance(r, 20) ? r.Int(-1000, 1000) : 0;
  const int x = m.AddTensor(Quantized("x", DT::kInt16, {batches, accum}, in_scale, in_zp));
  m.inputs = {x};
  FcOpts o;
  o.activation = RandomAct(r);
  const int out_c = r.Int(1, 12);
  const bool per_channel = Chance(r, 50);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int w = m.AddTensor(ConstInt8("w", {out_c, accum}, Weights(r, int64_t{out_c} * accum), ws));
  const BiasDraw bias = AddBias(r, m, out_c, in_scale, ws, /*allow_int32=*/true);
  o.quantized_bias_type = bias.quantized_bias_type;
  const int32_t out_zp = Chance(r, 20) ? r.Int(-1000, 1000) : 0;
  const float out_scale = OutScale(r, in_scale, *std::max_element(ws.begin(), ws.end()), accum);
  const int y = m.AddTensor(Quantized("y", DT::kInt16, {batches, out_c}, out_scale, out_zp));
  m.AddOp(op::kFullyConnected, {x, w, bias.input}, {y}, o);
  return Done(r, std::move(m), y,
              Fmt("FULLY_CONNECTED int16 [%d,%d] -> %d %s zp in %d out %d %s", batches, accum,
                  out_c, per_channel ? "per-channel" : "per-tensor", in_zp, out_zp, bias.name));
}

// ADD / SUB / MUL: up to rank 4, each operand the output shape with some dimensions 1
// (or a [1]), scales apart by up to 4x, now and then a constant operand (folded when
// both are constant is not drawn: one input is always live).
SweepConfig GenBinary(Rng& r, int code) {
  ModelSpec m;
  const int rank = r.Int(1, 4);
  std::vector<int32_t> out(rank);
  for (auto& d : out) d = r.Int(1, rank <= 2 ? 9 : 4);
  auto operand = [&]() {
    if (Chance(r, 10)) return std::vector<int32_t>{1};
    std::vector<int32_t> sh = out;
    for (auto& d : sh) {
      if (Chance(r, 30)) d = 1;
    }
    return sh;
  };
  std::vector<int32_t> sa = Chance(r, 40) ? out : operand(), sb = Chance(r, 40) ? out : operand();
  for (size_t d = 0; d < out.size(); ++d) {  // the output is their broadcast shape
    const int32_t da = sa.size() == out.size() ? sa[d] : 1, db = sb.size() == out.size() ? sb[d] : 1;
    out[d] = std::max(da, db);
  }
  const float s1 = LogUniform(r, 1e-4f, 1e-2f), s2 = s1 * LogUniform(r, 0.25f, 4.0f);
  const int x = m.AddTensor(Int16Tensor("a", sa, s1));
  int y;
  if (Chance(r, 20)) {
    std::vector<int16_t> v(static_cast<size_t>(Quantized("b", DT::kInt16, sb, s2, 0).num_elements()));
    for (auto& e : v) e = static_cast<int16_t>(r.Int(-32768, 32767));
    TensorSpec t = Int16Tensor("b", sb, s2);
    t.data = PackInt16(v);
    y = m.AddTensor(t);
    m.inputs = {x};
  } else {
    y = m.AddTensor(Int16Tensor("b", sb, s2));
    m.inputs = {x, y};
  }
  const float so = code == op::kMul ? s1 * s2 * LogUniform(r, 3000.0f, 300000.0f)
                                    : std::max(s1, s2) * LogUniform(r, 0.3f, 4.0f);
  const int z = m.AddTensor(Int16Tensor("out", out, so));
  const int act = RandomAct(r);
  if (code == op::kMaximum || code == op::kMinimum) m.AddOp(code, {x, y}, {z});
  if (code == op::kAdd) m.AddOp(code, {x, y}, {z}, AddOpts{act});
  if (code == op::kSub) m.AddOp(code, {x, y}, {z}, SubOpts{act});
  if (code == op::kMul) m.AddOp(code, {x, y}, {z}, MulOpts{act});
  return Done(r, std::move(m), z,
              Fmt("%s int16 %s x %s -> %s", BuiltinName(code),
                  Shape(sa).c_str(), Shape(sb).c_str(), Shape(out).c_str()));
}

SweepConfig GenPool(Rng& r, bool average) {
  ModelSpec m;
  const int in_h = r.Int(1, 10), in_w = r.Int(1, 10), ch = r.Int(1, 6);
  const float scale = LogUniform(r, 1e-4f, 1e-2f);
  const int x = m.AddTensor(Int16Tensor("x", {r.Int(1, 2), in_h, in_w, ch}, scale));
  m.inputs = {x};
  PoolOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.filter_h = r.Int(1, std::min(in_h, 4));
  o.filter_w = r.Int(1, std::min(in_w, 4));
  o.stride_h = r.Int(1, 3);
  o.stride_w = r.Int(1, 3);
  o.activation = RandomAct(r);
  const int oh = ref::ComputePadding(o.padding, in_h, o.filter_h, o.stride_h, 1).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, o.filter_w, o.stride_w, 1).out_size;
  const int y = m.AddTensor(Int16Tensor("y", {m.tensors[x].shape[0], oh, ow, ch}, scale));
  m.AddOp(average ? op::kAveragePool2D : op::kMaxPool2D, {x}, {y}, o);
  return Done(r, std::move(m), y,
              Fmt("%s int16 %s filter %dx%d stride %dx%d %s", average ? "AVERAGE_POOL_2D" : "MAX_POOL_2D",
                  Shape(m.tensors[x].shape).c_str(), o.filter_h, o.filter_w, o.stride_h, o.stride_w,
                  o.padding == kSame ? "SAME" : "VALID"));
}

// SOFTMAX int16 -> int16: rows of 1..300, input scale * beta from "a row spans far
// beyond exp(-10)" to "a row spans a fraction of one", plus a row of near-ties.
SweepConfig GenSoftmax(Rng& r, int) {
  ModelSpec m;
  const int depth = Chance(r, 20) ? r.Int(1, 4) : (Chance(r, 70) ? r.Int(1, 40) : r.Int(40, 300));
  std::vector<int32_t> shape = Chance(r, 50) ? std::vector<int32_t>{r.Int(1, 4), depth}
                                             : std::vector<int32_t>{1, r.Int(1, 3), r.Int(1, 3), depth};
  if (Chance(r, 10)) shape = {depth};
  const float scale = LogUniform(r, 1e-5f, 3e-3f);
  const float beta = Chance(r, 30) ? 1.0f : LogUniform(r, 0.2f, 5.0f);
  const int x = m.AddTensor(Int16Tensor("logits", shape, scale));
  m.inputs = {x};
  const int y = m.AddTensor(Int16Tensor("probs", shape, 1.0f / 32768));
  m.AddOp(op::kSoftmax, {x}, {y}, SoftmaxOpts{beta});
  SweepConfig c = Done(r, std::move(m), y,
                       Fmt("SOFTMAX int16 %s scale %g beta %g", Shape(shape).c_str(), scale, beta));
  std::vector<int16_t> v(static_cast<size_t>(c.spec.tensors[x].num_elements()));
  const int center = r.Int(-30000, 30000), spread = r.Int(1, 2000);
  for (auto& e : v) e = static_cast<int16_t>(std::clamp(center + r.Int(-spread, spread), -32768, 32767));
  c.cases.push_back({PackInt16(v)});
  return c;
}

TEST(SweepInt16x8, Softmax) {
  ExpectClean(RunSweep("SOFTMAX_S16", SweepCount(80), 2608, GenSoftmax));
}

TEST(SweepInt16x8, Add) {
  ExpectClean(RunSweep("ADD_S16", SweepCount(60), 2604, [](Rng& r, int) { return GenBinary(r, op::kAdd); }));
}

TEST(SweepInt16x8, Sub) {
  ExpectClean(RunSweep("SUB_S16", SweepCount(40), 2605, [](Rng& r, int) { return GenBinary(r, op::kSub); }));
}

TEST(SweepInt16x8, Mul) {
  ExpectClean(RunSweep("MUL_S16", SweepCount(40), 2606, [](Rng& r, int) { return GenBinary(r, op::kMul); }));
}

TEST(SweepInt16x8, MaximumMinimum) {
  ExpectClean(RunSweep("MAXIMUM_MINIMUM_S16", SweepCount(40), 2610, [](Rng& r, int i) {
    return GenBinary(r, i % 2 == 0 ? op::kMaximum : op::kMinimum);
  }));
}

// MEAN / SUM: rank 1..4, random axes (some negative, maybe repeated), keep_dims or not,
// zero points mostly 0 as the converter makes them; sometimes a folded constant copy.
SweepConfig GenReduce(Rng& r, int code) {
  const int rank = r.Int(1, 4);
  std::vector<int32_t> shape(rank);
  for (auto& d : shape) d = r.Int(1, rank <= 2 ? 12 : 6);
  std::vector<int32_t> axes;
  for (int d = 0; d < rank; ++d) {
    if (Chance(r, 50)) axes.push_back(Chance(r, 25) ? d - rank : d);
  }
  if (axes.empty()) axes.push_back(r.Int(0, rank - 1));
  if (Chance(r, 10)) axes.push_back(axes[0]);
  ReducerOpts o;
  o.keep_dims = Chance(r, 50);
  std::vector<int32_t> out_shape;
  int64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    const bool reduced = std::any_of(axes.begin(), axes.end(), [&](int32_t a) { return a == d || a == d - rank; });
    if (reduced) count *= shape[d];
    if (!reduced) out_shape.push_back(shape[d]);
    if (reduced && o.keep_dims) out_shape.push_back(1);
  }
  const float si = LogUniform(r, 1e-5f, 1e-2f);
  const float so = si * (code == op::kSum ? std::sqrt(static_cast<float>(count)) : 1.0f) *
                   LogUniform(r, 0.25f, 4.0f);
  const int32_t zi = Chance(r, 20) ? r.Int(-3000, 3000) : 0;
  const int32_t zo = Chance(r, 20) ? r.Int(-3000, 3000) : 0;
  ModelSpec m;
  const int x = m.AddTensor(Quantized("x", DT::kInt16, shape, si, zi));
  const int axis = m.AddTensor(ConstInt32("axis", {static_cast<int32_t>(axes.size())}, axes));
  const int y = m.AddTensor(Quantized("y", DT::kInt16, out_shape, so, zo));
  m.AddOp(code, {x, axis}, {y}, o);
  m.inputs = {x};
  const bool fold = Chance(r, 15);
  if (fold) {
    std::vector<int16_t> v(static_cast<size_t>(m.tensors[x].num_elements()));
    for (auto& e : v) e = static_cast<int16_t>(r.Int(-32768, 32767));
    TensorSpec t = Quantized("c", DT::kInt16, shape, si, zi);
    t.data = PackInt16(v);
    const int cx = m.AddTensor(t);
    const int y2 = m.AddTensor(Quantized("folded", DT::kInt16, out_shape, so, zo));
    m.AddOp(code, {cx, axis}, {y2}, o);
    m.outputs = {y, y2};
  }
  SweepConfig c = Done(r, std::move(m), y,
                       Fmt("%s int16 %s axes %s keep_dims=%d in(s=%g,zp=%d) out(s=%g,zp=%d)%s",
                           BuiltinName(code), Shape(shape).c_str(), Shape(axes).c_str(), o.keep_dims,
                           si, zi, so, zo, fold ? " + folded copy" : ""));
  return c;
}

TEST(SweepInt16x8, MeanSum) {
  ExpectClean(RunSweep("MEAN_SUM_S16", SweepCount(60), 2609, [](Rng& r, int i) {
    return GenReduce(r, i % 3 == 2 ? op::kSum : op::kMean);
  }));
}

TEST(SweepInt16x8, Pools) {
  ExpectClean(RunSweep("POOL_2D_S16", SweepCount(60), 2607, [](Rng& r, int i) { return GenPool(r, i % 2 == 0); }));
}

TEST(SweepInt16x8, Conv2D) { ExpectClean(RunSweep("CONV_2D_S16", SweepCount(60), 2601, GenConv)); }

TEST(SweepInt16x8, TransposeConv) {
  ExpectClean(RunSweep("TRANSPOSE_CONV_S16", SweepCount(60), 2611, GenTransposeConv));
}

TEST(SweepInt16x8, DepthwiseConv2D) {
  ExpectClean(RunSweep("DEPTHWISE_CONV_2D_S16", SweepCount(60), 2602, GenDepthwise));
}

TEST(SweepInt16x8, FullyConnected) {
  ExpectClean(RunSweep("FULLY_CONNECTED_S16", SweepCount(60), 2603, GenFullyConnected));
}

TEST(SweepInt16x8Errors, RejectedLikeTflm) {
  const TensorSpec x = Int16Tensor("x", {1, 4, 4, 2}, 0.001f);
  const TensorSpec w = ConstInt8("w", {2, 1, 1, 2}, {1, 2, 3, 4}, {0.01f});
  const TensorSpec dw = ConstInt8("w", {1, 1, 1, 2}, {1, 2}, {0.01f}, {}, 3);
  const TensorSpec b32 = ConstInt32("b", {2}, {1, 2}, {1e-5f});
  const TensorSpec y = Int16Tensor("y", {1, 4, 4, 2}, 0.01f);
  const TensorSpec y8 = Quantized("y", DT::kInt8, {1, 4, 4, 2}, 0.01f, 0);
  const std::vector<Rejection> cases = {
      {"int16 DEPTHWISE_CONV_2D with an int32 bias (TFLM reads it as int64)",
       OneOp(op::kDepthwiseConv2D, {x, dw, b32}, y, DepthwiseOpts{}), "expected int64"},
      {"int16 CONV_2D into an int8 output", OneOp(op::kConv2D, {x, w, b32}, y8, Conv2DOpts{}),
       "(expected int16)"},
      {"int16 SOFTMAX with output scale 1/65536 (TFLM wants 1/32768 for int16 input)",
       OneOp(op::kSoftmax, {x}, Int16Tensor("y", {1, 4, 4, 2}, 1.0f / 65536), SoftmaxOpts{1.0f}),
       "scale 1/32768"},
      {"int16 SOFTMAX with an input zero point",
       OneOp(op::kSoftmax, {Quantized("x", DT::kInt16, {2, 3}, 0.001f, 5)},
             Int16Tensor("y", {2, 3}, 1.0f / 32768), SoftmaxOpts{1.0f}),
       "zero point 0"},
  };
  ExpectRejected(cases);
}

}  // namespace
}  // namespace tinymlc::testing
