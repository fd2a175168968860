// Random configuration sweeps of the core operators (issue 2): kernel configurations
// the real models do not exercise (dilation, depth multiplier > 1, broadcast ADD, odd
// sizes, SAME padding with stride 2, per-tensor weights, ...). Every configuration is
// built with model_builder, compiled with tinymlc, run as C, and every layer compared
// with the independent C++ reference (compile_harness.h).
//
// Counts: ~100 configurations per op by default (TINYMLC_SWEEP_COUNT=x20 for a long
// run); seeds are fixed, so a run is reproducible. A failing configuration is saved
// to tests/support/regressions/<OP>/ and replayed by regression_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstdio>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "reference_ops.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

// ---- Random helpers (the shared ones: sweep_util.h) -------------------------------------

// A fused activation's name, for descriptions.
const char* ActName(int a) {
  switch (a) {
    case kActNone: return "NONE";
    case kActRelu: return "RELU";
    case kActRelu6: return "RELU6";
    case kActReluN1To1: return "RELU_N1_TO_1";
    default: return "?";
  }
}

float MaxScale(const std::vector<float>& s) { return *std::max_element(s.begin(), s.end()); }

// VALID padding needs the dilated filter to fit: lower the dilation, then the size.
void FitValid(int in, int* filter, int* dilation) {
  while ((*filter - 1) * *dilation + 1 > in) {
    if (*dilation > 1) {
      --*dilation;
    } else {
      --*filter;
    }
  }
}

// ---- Layers (shared by the single-op sweeps and the chains) -------------------------------
// Each adds one operator after tensor `x` with random parameters that fit x's shape,
// appends a description to *desc and returns the output tensor.

int AddConvLayer(Rng& r, ModelSpec& m, int x, std::string* desc) {
  const std::vector<int32_t> in_shape = m.tensors[x].shape;
  const int in_h = in_shape[1], in_w = in_shape[2], in_c = in_shape[3];
  static const int kFilters[][2] = {{1, 1}, {3, 3}, {5, 5}, {1, 3}, {3, 1}, {2, 3},
                                    {5, 2}, {2, 2}, {4, 4}, {1, 5}, {3, 5}, {7, 1}};
  const auto& f = kFilters[r.Int(0, static_cast<int>(std::size(kFilters)) - 1)];
  Conv2DOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 3);
  o.stride_w = Chance(r, 70) ? o.stride_h : r.Int(1, 3);
  o.dilation_h = Chance(r, 50) ? 1 : r.Int(1, 3);
  o.dilation_w = Chance(r, 70) ? o.dilation_h : r.Int(1, 3);
  o.activation = RandomAct(r);
  int fh = f[0], fw = f[1];
  if (o.padding == kValid) {  // VALID needs the dilated filter to fit
    FitValid(in_h, &fh, &o.dilation_h);
    FitValid(in_w, &fw, &o.dilation_w);
  }
  const int out_c = Chance(r, 10) ? r.Int(9, 24) : r.Int(1, 8);
  const bool per_channel = Chance(r, 50);
  const bool has_bias = Chance(r, 75);
  const int64_t k = static_cast<int64_t>(fh) * fw * in_c;
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/true);
  const float in_scale = m.tensors[x].scale0();
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), k);
  const int32_t out_zp = RandomZeroPoint(r);
  const int oh = ref::ComputePadding(o.padding, in_h, fh, o.stride_h, o.dilation_h).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, fw, o.stride_w, o.dilation_w).out_size;

  const int w = m.AddTensor(ConstInt8("conv/filter", {out_c, fh, fw, in_c},
                                      Weights(r, static_cast<int64_t>(out_c) * k), ws));
  std::vector<int> inputs = {x, w};
  if (has_bias) {
    std::vector<float> bs;
    for (float s : ws) bs.push_back(in_scale * s);
    inputs.push_back(m.AddTensor(ConstInt32("conv/bias", {out_c}, Bias(r, out_c, k), bs)));
  } else if (Chance(r, 50)) {
    inputs.push_back(-1);  // optional bias written as -1
  }
  const int y = m.AddTensor(Int8Tensor("conv/out", {in_shape[0], oh, ow, out_c}, out_scale, out_zp));
  m.AddOp(op::kConv2D, inputs, {y}, o);
  *desc += Fmt("CONV_2D in%s filter %dx%dx%d->%d %s stride %dx%d dilation %dx%d %s %s%s "
               "in(s=%g,zp=%d) out(s=%g,zp=%d); ",
               Shape(in_shape).c_str(), fh, fw, in_c, out_c,
               o.padding == kSame ? "SAME" : "VALID", o.stride_h, o.stride_w, o.dilation_h,
               o.dilation_w, ActName(o.activation), per_channel ? "per-channel" : "per-tensor",
               has_bias ? " bias" : " no-bias", in_scale, m.tensors[x].zero_point0(), out_scale,
               out_zp);
  return y;
}

// only3x3: the form of tml_depthwise_3x3.h (3x3, depth multiplier 1, dilation 1, stride 1
// or 2 both ways). stride1_full: stride 1 and no activation (with only3x3: the column
// plane's bands on the M4 speed path when the channels come in fours).
int AddDepthwiseLayer(Rng& r, ModelSpec& m, int x, std::string* desc, int max_dm = 4,
                      bool only3x3 = false, bool stride1_full = false, bool no_act = false) {
  const std::vector<int32_t> in_shape = m.tensors[x].shape;
  const int in_h = in_shape[1], in_w = in_shape[2], in_c = in_shape[3];
  static const int kFilters[][2] = {{1, 1}, {3, 3}, {5, 5}, {3, 1}, {1, 3}, {2, 2}, {4, 3}, {3, 5}};
  const auto& f = kFilters[only3x3 ? 1 : r.Int(0, static_cast<int>(std::size(kFilters)) - 1)];
  DepthwiseOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = stride1_full ? 1 : only3x3 ? r.Int(1, 2) : r.Int(1, 3);
  o.stride_w = only3x3 || Chance(r, 70) ? o.stride_h : r.Int(1, 3);
  o.dilation_h = only3x3 || Chance(r, 50) ? 1 : r.Int(1, 3);
  o.dilation_w = only3x3 || Chance(r, 70) ? o.dilation_h : r.Int(1, 3);
  o.depth_multiplier = only3x3 ? 1 : r.Int(1, max_dm);
  o.activation = RandomAct(r);
  if (stride1_full || no_act) o.activation = kActNone;
  int fh = f[0], fw = f[1];
  if (o.padding == kValid) {
    FitValid(in_h, &fh, &o.dilation_h);
    FitValid(in_w, &fw, &o.dilation_w);
  }
  const int out_c = in_c * o.depth_multiplier;
  const bool per_channel = Chance(r, 50);
  const bool has_bias = Chance(r, 75);
  const int64_t k = static_cast<int64_t>(fh) * fw;
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/!no_act);
  const float in_scale = m.tensors[x].scale0();
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), k);
  const int32_t out_zp = RandomZeroPoint(r);
  const int oh = ref::ComputePadding(o.padding, in_h, fh, o.stride_h, o.dilation_h).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, fw, o.stride_w, o.dilation_w).out_size;

  const int w = m.AddTensor(ConstInt8("dw/filter", {1, fh, fw, out_c},
                                      Weights(r, k * out_c), ws, {}, 3));
  std::vector<int> inputs = {x, w};
  if (has_bias) {
    std::vector<float> bs;
    for (float s : ws) bs.push_back(in_scale * s);
    inputs.push_back(m.AddTensor(ConstInt32("dw/bias", {out_c}, Bias(r, out_c, k), bs)));
  }
  const int y = m.AddTensor(Int8Tensor("dw/out", {in_shape[0], oh, ow, out_c}, out_scale, out_zp));
  m.AddOp(op::kDepthwiseConv2D, inputs, {y}, o);
  *desc += Fmt("DEPTHWISE_CONV_2D in%s filter %dx%d dm %d %s stride %dx%d dilation %dx%d %s %s%s "
               "in(s=%g,zp=%d) out(s=%g,zp=%d); ",
               Shape(in_shape).c_str(), fh, fw, o.depth_multiplier,
               o.padding == kSame ? "SAME" : "VALID", o.stride_h, o.stride_w, o.dilation_h,
               o.dilation_w, ActName(o.activation), per_channel ? "per-channel" : "per-tensor",
               has_bias ? " bias" : " no-bias", in_scale, m.tensors[x].zero_point0(), out_scale,
               out_zp);
  return y;
}

// Pooling: SAME with strides 1-3 on odd sizes, filters larger than the stride.
int AddPoolLayer(Rng& r, ModelSpec& m, int x, bool average, std::string* desc) {
  const std::vector<int32_t> in_shape = m.tensors[x].shape;
  const int in_h = in_shape[1], in_w = in_shape[2];
  PoolOpts o;
  o.padding = Chance(r, 60) ? kSame : kValid;
  o.stride_h = r.Int(1, 3);
  o.stride_w = Chance(r, 70) ? o.stride_h : r.Int(1, 3);
  o.filter_h = r.Int(1, 5);
  o.filter_w = Chance(r, 60) ? o.filter_h : r.Int(1, 5);
  if (Chance(r, 10)) {  // global pooling
    o.padding = kValid;
    o.filter_h = in_h;
    o.filter_w = in_w;
  }
  if (o.padding == kValid) {
    o.filter_h = std::min(o.filter_h, in_h);
    o.filter_w = std::min(o.filter_w, in_w);
  }
  o.activation = RandomAct(r);
  const int oh = ref::ComputePadding(o.padding, in_h, o.filter_h, o.stride_h, 1).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, o.filter_w, o.stride_w, 1).out_size;
  // TFLM pools keep the quantization (PoolingPrepare requires equal scale and zero point).
  const TensorSpec& in = m.tensors[x];
  const float out_scale = in.scale0();
  const int32_t out_zp = in.zero_point0();  // TFLM requires equal quantization
  const float in_scale = in.scale0();
  const int32_t in_zp = in.zero_point0();
  const int y = m.AddTensor(
      Int8Tensor(average ? "avgpool/out" : "maxpool/out", {in_shape[0], oh, ow, in_shape[3]},
                 out_scale, out_zp));
  m.AddOp(average ? op::kAveragePool2D : op::kMaxPool2D, {x}, {y}, o);
  *desc += Fmt("%s in%s filter %dx%d stride %dx%d %s %s in(s=%g,zp=%d) out zp %d; ",
               average ? "AVERAGE_POOL_2D" : "MAX_POOL_2D", Shape(in_shape).c_str(), o.filter_h,
               o.filter_w, o.stride_h, o.stride_w, o.padding == kSame ? "SAME" : "VALID",
               ActName(o.activation), in_scale, in_zp, out_zp);
  return y;
}

// FULLY_CONNECTED on any input rank; keep_num_dims keeps the leading dimensions.
int AddFcLayer(Rng& r, ModelSpec& m, int x, std::string* desc, int units = -1) {
  const std::vector<int32_t> in_shape = m.tensors[x].shape;
  const int64_t n = m.tensors[x].num_elements();
  FcOpts o;
  o.activation = RandomAct(r);
  o.keep_num_dims = Chance(r, 35);
  // accum: the last dimension, or (keep_num_dims false) the product of some trailing ones.
  int64_t accum = in_shape.back();
  size_t lead = in_shape.size() - 1;
  if (!o.keep_num_dims) {
    while (lead > 0 && Chance(r, 40)) accum *= in_shape[--lead];
  }
  const int64_t batches = n / accum;
  if (units < 0) units = r.Int(1, 12);
  std::vector<int32_t> out_shape;
  if (o.keep_num_dims) {
    out_shape.assign(in_shape.begin(), in_shape.end() - 1);
    out_shape.push_back(units);
  } else {
    out_shape = {static_cast<int32_t>(batches), units};
  }
  const bool per_channel = Chance(r, 35);
  const bool has_bias = Chance(r, 70);
  const std::vector<float> ws = WeightScales(r, units, per_channel, /*tiny_channel=*/true);
  const float in_scale = m.tensors[x].scale0();
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), accum);
  const int32_t out_zp = RandomZeroPoint(r);
  const int w = m.AddTensor(ConstInt8("fc/weights", {units, static_cast<int32_t>(accum)},
                                      Weights(r, units * accum), ws));
  std::vector<int> inputs = {x, w};
  if (has_bias) {
    std::vector<float> bs;
    for (float s : ws) bs.push_back(in_scale * s);
    inputs.push_back(m.AddTensor(ConstInt32("fc/bias", {units}, Bias(r, units, accum), bs)));
  } else if (Chance(r, 50)) {
    inputs.push_back(-1);
  }
  const int y = m.AddTensor(Int8Tensor("fc/out", out_shape, out_scale, out_zp));
  m.AddOp(op::kFullyConnected, inputs, {y}, o);
  *desc += Fmt("FULLY_CONNECTED in%s accum %lld units %d -> out%s keep_num_dims %d %s %s%s "
               "in(s=%g,zp=%d) out(s=%g,zp=%d); ",
               Shape(in_shape).c_str(), static_cast<long long>(accum), units,
               Shape(out_shape).c_str(), o.keep_num_dims ? 1 : 0, ActName(o.activation),
               per_channel ? "per-channel" : "per-tensor", has_bias ? " bias" : " no-bias",
               in_scale, m.tensors[x].zero_point0(), out_scale, out_zp);
  return y;
}

int AddSoftmaxLayer(Rng& r, ModelSpec& m, int x, std::string* desc) {
  float beta = Chance(r, 25) ? 1.0f : LogUniform(r, 0.1f, 3.0f);
  // TFLM requires beta * input_scale * 2^26 > 1 (only tiny scales in chains get near it).
  beta = std::max(beta, 2.0f / (m.tensors[x].scale0() * 67108864.0f));
  // 30%: int16 output (scale 1/65536, zero point -32768), as TFLM's int8 -> int16 softmax.
  const bool out16 = Chance(r, 30);
  const int y = m.AddTensor(out16 ? Quantized("softmax/out", DT::kInt16, m.tensors[x].shape,
                                              1.0f / 65536, -32768)
                                  : Int8Tensor("softmax/out", m.tensors[x].shape, 1.0f / 256, -128));
  m.AddOp(op::kSoftmax, {x}, {y}, SoftmaxOpts{beta});
  *desc += Fmt("SOFTMAX in%s beta %g in(s=%g,zp=%d)%s; ", Shape(m.tensors[x].shape).c_str(), beta,
               m.tensors[x].scale0(), m.tensors[x].zero_point0(), out16 ? " -> int16" : "");
  return y;
}

// RESHAPE to a random factorisation of the element count; with a constant shape input
// (maybe with a -1), with new_shape options, with both or with neither.
int AddReshapeLayer(Rng& r, ModelSpec& m, int x, std::string* desc) {
  const TensorSpec in = m.tensors[x];  // a copy: AddTensor below may reallocate
  int64_t n = in.num_elements();
  std::vector<int32_t> out_shape;
  const int rank = r.Int(1, 5);
  for (int d = 0; d < rank - 1; ++d) {
    std::vector<int32_t> divisors;
    for (int32_t v = 1; v <= n; ++v)
      if (n % v == 0) divisors.push_back(v);
    const int32_t pick = divisors[r.Int(0, static_cast<int>(divisors.size()) - 1)];
    out_shape.push_back(pick);
    n /= pick;
  }
  out_shape.push_back(static_cast<int32_t>(n));
  const int mode = r.Int(0, 3);  // 0: shape tensor, 1: options, 2: both, 3: neither
  std::vector<int> inputs = {x};
  std::vector<int32_t> given = out_shape;
  if (Chance(r, 30)) given[r.Int(0, rank - 1)] = -1;
  if (mode == 0 || mode == 2) {
    inputs.push_back(m.AddTensor(ConstInt32("reshape/shape", {rank}, given)));
  }
  ReshapeOpts o;
  if (mode == 1 || mode == 2) {
    o.has_new_shape = true;
    o.new_shape = out_shape;
  }
  TensorSpec out = in;
  out.name = "reshape/out";
  out.shape = out_shape;
  out.data.clear();
  const int y = m.AddTensor(out);
  if (mode == 3 && Chance(r, 50)) {
    m.AddOp(op::kReshape, inputs, {y});  // no options table at all
  } else {
    m.AddOp(op::kReshape, inputs, {y}, o);
  }
  static const char* kModes[] = {"shape tensor", "new_shape option", "shape tensor + option",
                                 "no shape"};
  *desc += Fmt("RESHAPE %s %s -> %s (%s%s); ", DTName(in.dtype), Shape(in.shape).c_str(),
               Shape(out_shape).c_str(), kModes[mode],
               given != out_shape ? ", -1 in shape" : "");
  return y;
}

// A random activation input [b, h, w, c] (odd sizes common).
int AddImageInput(Rng& r, ModelSpec& m, int max_hw = 12, int max_c = 8) {
  const int b = Chance(r, 20) ? 2 : 1;
  const int h = r.Int(1, max_hw), w = Chance(r, 60) ? h : r.Int(1, max_hw);
  const int c = r.Int(1, max_c);
  const float scale = LogUniform(r, 1e-3f, 0.5f);
  const int32_t zp = RandomZeroPoint(r);
  const int x = m.AddTensor(Int8Tensor("input", {b, h, w, c}, scale, zp));
  m.inputs.push_back(x);
  return x;
}

// ---- Single-op generators --------------------------------------------------------------------

SweepConfig GenConv(Rng& r, int) {
  ModelSpec m;
  std::string d;
  // 10%: many input channels on a small image (long accumulations).
  const int x = Chance(r, 10) ? AddImageInput(r, m, 5, 48) : AddImageInput(r, m);
  const int y = AddConvLayer(r, m, x, &d);
  return Finish(r, std::move(m), y, d);
}

// CONV_2D 3x3 over 3 input channels (an image model's first layer): the GEMM path packs
// windows inside the input without staging (tml_conv_gemm_column()); windows on the
// edges, dilated rows, both strides, two batches and windows that end at the input's last
// byte all occur.
SweepConfig GenConv3x3x3(Rng& r, int) {
  ModelSpec m;
  const int in_h = r.Int(5, 12), in_w = r.Int(3, 12), out_c = r.Int(1, 10);
  const float in_scale = LogUniform(r, 1e-3f, 0.5f);
  const int x = m.AddTensor(Int8Tensor("input", {r.Int(1, 2), in_h, in_w, 3}, in_scale, RandomZeroPoint(r)));
  m.inputs = {x};
  Conv2DOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 2);
  o.stride_w = r.Int(1, 2);
  o.dilation_h = Chance(r, 25) ? 2 : 1;
  o.dilation_w = Chance(r, 10) ? 2 : 1;
  o.activation = RandomAct(r);
  int fh = 3, fw = 3;
  if (o.padding == kValid) {
    FitValid(in_h, &fh, &o.dilation_h);
    FitValid(in_w, &fw, &o.dilation_w);
  }
  const bool per_channel = Chance(r, 60);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int64_t k = int64_t{fh} * fw * 3;
  const int w = m.AddTensor(ConstInt8("conv/filter", {out_c, fh, fw, 3}, Weights(r, out_c * k), ws));
  std::vector<int> inputs = {x, w};
  if (Chance(r, 75)) {
    std::vector<float> bs;
    for (float sc : ws) bs.push_back(in_scale * sc);
    inputs.push_back(m.AddTensor(ConstInt32("conv/bias", {out_c}, Bias(r, out_c, k), bs)));
  }
  const int oh = ref::ComputePadding(o.padding, in_h, fh, o.stride_h, o.dilation_h).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, fw, o.stride_w, o.dilation_w).out_size;
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), k);
  const int y = m.AddTensor(Int8Tensor("conv/out", {m.tensors[x].shape[0], oh, ow, out_c}, out_scale,
                                       RandomZeroPoint(r)));
  m.AddOp(op::kConv2D, inputs, {y}, o);
  return Finish(r, std::move(m), y,
                Fmt("CONV_2D %s filter %dx%dx3->%d %s stride %dx%d dilation %dx%d %s",
                    Shape(m.tensors[x].shape).c_str(), fh, fw, out_c,
                    o.padding == kSame ? "SAME" : "VALID", o.stride_h, o.stride_w, o.dilation_h,
                    o.dilation_w, per_channel ? "per-channel" : "per-tensor"));
}

// CONV_2D with pruned channels (the compiler's ConstantChannels()): a third of the output
// channels have all-zero weights and a bias anywhere in int32 (VWW's have +-2^30: twice
// that overflows, so TFLM's requantization of the bias alone is the output), and now and
// then one channel the tiny scale that gives a multiplier of 0. Pointwise (input_c a
// multiple of 4) or 3x3 over 3 channels; an even output_c and no activation (the fused
// requantization of tml_conv_gemm_acc3_rq()) most of the time.
SweepConfig GenConvPruned(Rng& r, int) {
  ModelSpec m;
  const bool pointwise = Chance(r, 50);
  const int in_c = pointwise ? 4 * r.Int(1, 12) : 3;
  const int in_h = r.Int(1, 9), in_w = r.Int(3, 12);
  const int out_c = Chance(r, 80) ? 2 * r.Int(1, 10) : r.Int(1, 9);
  const float in_scale = LogUniform(r, 1e-3f, 0.5f);
  const int x = m.AddTensor(Int8Tensor("input", {r.Int(1, 2), in_h, in_w, in_c}, in_scale, RandomZeroPoint(r)));
  m.inputs = {x};
  Conv2DOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = o.stride_w = pointwise ? 1 : r.Int(1, 2);
  o.activation = Chance(r, 75) ? kActNone : RandomAct(r);
  int fh = pointwise ? 1 : 3, fw = fh;
  if (o.padding == kValid) {
    FitValid(in_h, &fh, &o.dilation_h);
    FitValid(in_w, &fw, &o.dilation_w);
  }
  const std::vector<float> ws = WeightScales(r, out_c, /*per_channel=*/true, /*tiny_channel=*/true);
  const int64_t k = int64_t{fh} * fw * in_c;
  std::vector<int8_t> weights = Weights(r, out_c * k);
  std::vector<int32_t> bias = Bias(r, out_c, k);
  for (int c = 0; c < out_c; ++c) {
    if (!Chance(r, 33)) continue;
    std::fill(weights.begin() + c * k, weights.begin() + (c + 1) * k, int8_t{0});
    static const int32_t kBig[] = {1 << 30, -(1 << 30), (1 << 30) + 256, INT32_MAX, INT32_MIN, 1 << 29};
    bias[c] = Chance(r, 60) ? kBig[r.Int(0, 5)] : r.Int(-(1 << 20), 1 << 20);
  }
  const int w = m.AddTensor(ConstInt8("conv/filter", {out_c, fh, fw, in_c}, weights, ws));
  std::vector<float> bs;
  for (float sc : ws) bs.push_back(in_scale * sc);
  const int b = m.AddTensor(ConstInt32("conv/bias", {out_c}, bias, bs));
  const int oh = ref::ComputePadding(o.padding, in_h, fh, o.stride_h, o.dilation_h).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, fw, o.stride_w, o.dilation_w).out_size;
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), k);
  const int y = m.AddTensor(Int8Tensor("conv/out", {m.tensors[x].shape[0], oh, ow, out_c}, out_scale,
                                       RandomZeroPoint(r)));
  m.AddOp(op::kConv2D, {x, w, b}, {y}, o);
  return Finish(r, std::move(m), y,
                Fmt("CONV_2D pruned %s filter %dx%dx%d->%d %s stride %d",
                    Shape(m.tensors[x].shape).c_str(), fh, fw, in_c, out_c,
                    o.padding == kSame ? "SAME" : "VALID", o.stride_h));
}

// CONV_2D 1x1 over 8 input channels (tml_conv_pw8.h where every channel has the short
// requantization and the activation range is all of int8: no activation, or ReLU with the
// output zero point at -128): one or two batches, 1 to 40 pixels, 1 to 24 output channels.
SweepConfig GenPointwise8(Rng& r, int) {
  ModelSpec m;
  const int in_h = r.Int(1, 5), in_w = r.Int(1, 8), out_c = r.Int(1, 24);
  const float in_scale = LogUniform(r, 1e-3f, 0.5f);
  const int x = m.AddTensor(Int8Tensor("input", {r.Int(1, 2), in_h, in_w, 8}, in_scale, RandomZeroPoint(r)));
  m.inputs = {x};
  Conv2DOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.activation = Chance(r, 70) ? kActNone : RandomAct(r);
  const bool per_channel = Chance(r, 70);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int w = m.AddTensor(ConstInt8("conv/filter", {out_c, 1, 1, 8}, Weights(r, out_c * 8), ws));
  std::vector<int> inputs = {x, w};
  if (Chance(r, 75)) {
    std::vector<float> bs;
    for (float sc : ws) bs.push_back(in_scale * sc);
    inputs.push_back(m.AddTensor(ConstInt32("conv/bias", {out_c}, Bias(r, out_c, 8), bs)));
  }
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), 8);
  const int y = m.AddTensor(Int8Tensor("conv/out", {m.tensors[x].shape[0], in_h, in_w, out_c}, out_scale,
                                       Chance(r, 30) ? -128 : RandomZeroPoint(r)));
  m.AddOp(op::kConv2D, inputs, {y}, o);
  return Finish(r, std::move(m), y,
                Fmt("CONV_2D 1x1 %s -> %d %s", Shape(m.tensors[x].shape).c_str(), out_c,
                    per_channel ? "per-channel" : "per-tensor"));
}

// Grouped CONV_2D (Keras Conv2D(groups=g)): the filter depth is input depth / groups.
SweepConfig GenGroupedConv(Rng& r, int) {
  ModelSpec m;
  const int groups = r.Int(2, 4), filter_c = r.Int(1, 4), per_group = r.Int(1, 3);
  const int in_h = r.Int(1, 9), in_w = r.Int(1, 9), in_c = groups * filter_c, out_c = groups * per_group;
  const float in_scale = LogUniform(r, 1e-3f, 0.5f);
  const int x = m.AddTensor(Int8Tensor("input", {r.Int(1, 2), in_h, in_w, in_c}, in_scale, RandomZeroPoint(r)));
  m.inputs = {x};
  Conv2DOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 2);
  o.stride_w = r.Int(1, 2);
  o.activation = RandomAct(r);
  int fh = r.Int(1, 3), fw = r.Int(1, 3);
  if (o.padding == kValid) {
    FitValid(in_h, &fh, &o.dilation_h);
    FitValid(in_w, &fw, &o.dilation_w);
  }
  const bool per_channel = Chance(r, 60);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int64_t k = int64_t{fh} * fw * filter_c;
  const int w = m.AddTensor(ConstInt8("conv/filter", {out_c, fh, fw, filter_c}, Weights(r, out_c * k), ws));
  std::vector<int> inputs = {x, w};
  if (Chance(r, 75)) {
    std::vector<float> bs;
    for (float sc : ws) bs.push_back(in_scale * sc);
    inputs.push_back(m.AddTensor(ConstInt32("conv/bias", {out_c}, Bias(r, out_c, k), bs)));
  }
  const int oh = ref::ComputePadding(o.padding, in_h, fh, o.stride_h, o.dilation_h).out_size;
  const int ow = ref::ComputePadding(o.padding, in_w, fw, o.stride_w, o.dilation_w).out_size;
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), k);
  const int y = m.AddTensor(Int8Tensor("conv/out", {m.tensors[x].shape[0], oh, ow, out_c}, out_scale,
                                       RandomZeroPoint(r)));
  m.AddOp(op::kConv2D, inputs, {y}, o);
  return Finish(r, std::move(m), y,
                Fmt("CONV_2D grouped %s filter %dx%dx%d->%d groups %d %s stride %dx%d %s",
                    Shape(m.tensors[x].shape).c_str(), fh, fw, filter_c, out_c, groups,
                    o.padding == kSame ? "SAME" : "VALID", o.stride_h, o.stride_w,
                    per_channel ? "per-channel" : "per-tensor"));
}

SweepConfig GenDepthwise(Rng& r, int) {
  ModelSpec m;
  std::string d;
  const int x = Chance(r, 10) ? AddImageInput(r, m, 5, 40) : AddImageInput(r, m, 12, 6);
  const int y = AddDepthwiseLayer(r, m, x, &d);
  return Finish(r, std::move(m), y, d);
}

// 3x3 depthwise in the shapes the compiler gives tml_depthwise_3x3.h (output rows of at
// least 5 pixels at stride 1, 12 at stride 2), in turn: narrow and tall planes (its Helium
// column layout), rows up to 60 wide (rows at its local pitch) and wider rows (the arena's
// ring); odd channel counts, padding, clamps, 2 batches.
// One 3x3 depthwise layer (depth multiplier 1) over a b x h x w x c input
// (AddDepthwiseLayer()'s stride1_full).
SweepConfig Depthwise3x3On(Rng& r, int b, int h, int w, int c, bool stride1_full) {
  ModelSpec m;
  std::string d;
  const float scale = LogUniform(r, 1e-3f, 0.5f);
  const int x = m.AddTensor(Int8Tensor("input", {b, h, w, c}, scale, RandomZeroPoint(r)));
  m.inputs.push_back(x);
  const int y = AddDepthwiseLayer(r, m, x, &d, 1, /*only3x3=*/true, stride1_full);
  return Finish(r, std::move(m), y, d);
}

SweepConfig GenDepthwise3x3(Rng& r, int i) {
  int h = 0, w = 0;
  switch (i % 4) {
    case 0: w = r.Int(5, 12); h = r.Int(w + 1, 40); break;
    case 1: w = r.Int(12, 62); h = r.Int(3, 10); break;
    case 2: w = r.Int(13, 40); h = r.Int(w, 48); break;  // the wider column-plane interleaves, bands
    default: w = r.Int(60, 140); h = r.Int(3, 5); break;
  }
  const int b = Chance(r, 20) ? 2 : 1;
  const int c = Chance(r, 25) ? r.Int(9, 40) : r.Int(1, 8);
  return Depthwise3x3On(r, b, h, w, c, false);
}

// 3x3 depthwise on small planes of channel counts that are multiples of 4 (the late layers
// of image models: narrower rows than tml_depthwise_3x3.h takes): tml_depthwise_fast_s8,
// and, where every channel takes the short form over all of int8 and the padded input is
// small, its padded-copy path (tml_depthwise_fast_s8_padded(): the M4 speed path's
// assembly); both strides, padding, clamps, 2 batches.
SweepConfig GenDepthwisePadded(Rng& r, int) {
  const int w = r.Int(2, 10), h = r.Int(3, 10);
  const int b = Chance(r, 20) ? 2 : 1;
  const int c = 4 * r.Int(1, 16);
  ModelSpec m;
  std::string d;
  const float scale = LogUniform(r, 1e-3f, 0.5f);
  const int x = m.AddTensor(Int8Tensor("input", {b, h, w, c}, scale, RandomZeroPoint(r)));
  m.inputs.push_back(x);
  // Mostly no activation (all of int8: the padded path's form), else a random one.
  const int y = AddDepthwiseLayer(r, m, x, &d, 1, /*only3x3=*/true, /*stride1_full=*/false,
                                  /*no_act=*/Chance(r, 75));
  return Finish(r, std::move(m), y, d);
}

// 3x3 depthwise on small planes of many channels (multiples of 16): the Helium channel-
// vector layout of tml_depthwise_3x3.h (output rows of 5 to 8 pixels, the padded plane and
// its records within TML_DW3X3_MVE_VEC_BUDGET); clamps, padding, 2 batches; narrower
// rows and stride 2 go to tml_depthwise_fast_s8.
SweepConfig GenDepthwise3x3Channels(Rng& r, int) {
  const int w = r.Int(5, 10), h = r.Int(3, 9);
  const int b = Chance(r, 20) ? 2 : 1;
  const int c = 16 * r.Int(1, 6);
  return Depthwise3x3On(r, b, h, w, c, false);
}

// Planes for the column plane's wider interleaves (16, 32, 64) and its bands: stride 1, the
// channels in fours, no activation, rows at least as long as they are wide.
SweepConfig GenDepthwise3x3Bands(Rng& r, int) {
  const int w = r.Int(13, 50), h = r.Int(w, 60);
  const int b = Chance(r, 15) ? 2 : 1;
  const int c = 4 * r.Int(1, 4);
  return Depthwise3x3On(r, b, h, w, c, true);
}

SweepConfig GenFullyConnected(Rng& r, int) {
  ModelSpec m;
  std::string d;
  std::vector<int32_t> shape;
  switch (r.Int(0, 3)) {
    case 0: shape = {1, Chance(r, 15) ? r.Int(65, 700) : r.Int(1, 64)}; break;  // one row
    case 1: shape = {r.Int(2, 5), r.Int(1, 40)}; break;                         // batches
    case 2: shape = {r.Int(1, 2), r.Int(1, 4), r.Int(1, 4), r.Int(1, 8)}; break;  // rank 4
    default: shape = {r.Int(1, 3), r.Int(1, 5), r.Int(1, 16)}; break;           // rank 3
  }
  const float scale = LogUniform(r, 1e-3f, 0.5f);
  const int32_t zp = RandomZeroPoint(r);
  const int x = m.AddTensor(Int8Tensor("input", shape, scale, zp));
  m.inputs = {x};
  const int y = AddFcLayer(r, m, x, &d);
  return Finish(r, std::move(m), y, d);
}

SweepConfig GenPool(Rng& r, bool average) {
  ModelSpec m;
  std::string d;
  const int x = AddImageInput(r, m, 13, 6);
  const int y = AddPoolLayer(r, m, x, average, &d);
  return Finish(r, std::move(m), y, d);
}

// ADD: random broadcast patterns up to rank 6, [1]-shaped and rank-0 inputs, constant
// second operand, different scales.
SweepConfig GenAdd(Rng& r, int) {
  ModelSpec m;
  const int rank = r.Int(1, 6);
  std::vector<int32_t> out(rank);
  const int64_t budget = 600;
  int64_t total = 1;
  for (auto& v : out) {
    v = r.Int(1, rank <= 3 ? 6 : 3);
    if (total * v > budget) v = 1;
    total *= v;
  }
  auto operand = [&](bool full) {
    std::vector<int32_t> s;
    switch (full ? 9 : r.Int(0, 9)) {
      case 0: return std::vector<int32_t>{1};  // [1]
      case 1: return std::vector<int32_t>{};   // scalar (rank 0)
      case 2: return std::vector<int32_t>(out.end() - 1, out.end());  // last dim only
      default: break;
    }
    // A suffix of the output's dims, each kept or set to 1.
    const int r_in = full ? rank : r.Int(1, rank);
    for (int d = rank - r_in; d < rank; ++d) s.push_back(full || Chance(r, 60) ? out[d] : 1);
    return s;
  };
  std::vector<int32_t> sa, sb;
  switch (r.Int(0, 4)) {
    case 0: sa = out; sb = out; break;                          // no broadcast
    case 1: sa = out; sb = operand(false); break;
    case 2: sa = operand(false); sb = out; break;
    default:  // both broadcast; the output is their broadcast shape
      sa = operand(false);
      sb = operand(false);
      break;
  }
  // Output shape = broadcast(sa, sb) (may be smaller than `out` in case 3/4).
  const size_t orank = std::max(sa.size(), sb.size());
  std::vector<int32_t> so(orank);
  for (size_t i = 0; i < orank; ++i) {
    const int32_t a = i < sa.size() ? sa[sa.size() - 1 - i] : 1;
    const int32_t b = i < sb.size() ? sb[sb.size() - 1 - i] : 1;
    so[orank - 1 - i] = std::max(a, b);
  }
  const float s1 = LogUniform(r, 1e-3f, 0.5f);
  // 5%: an extreme ratio (the smaller input's multiplier underflows to 0).
  const float s2 = Chance(r, 20)  ? s1
                   : Chance(r, 5) ? s1 * (Chance(r, 50) ? 1e-11f : 1e11f)
                                  : s1 * LogUniform(r, 0.01f, 100.0f);
  const float so_scale = std::max(s1, s2) * LogUniform(r, 0.5f, 4.0f);
  const int32_t z1 = RandomZeroPoint(r), z2 = RandomZeroPoint(r), zo = RandomZeroPoint(r);
  AddOpts o;
  o.activation = RandomAct(r);
  const bool b_const = Chance(r, 25);
  const int a = m.AddTensor(Int8Tensor("a", sa, s1, z1));
  int b;
  if (b_const) {
    TensorSpec t = Int8Tensor("b", sb, s2, z2);
    std::vector<int8_t> v(static_cast<size_t>(t.num_elements()));
    for (auto& e : v) e = static_cast<int8_t>(r.Int(-128, 127));
    t.data = PackInt8(v);
    b = m.AddTensor(t);
  } else {
    b = m.AddTensor(Int8Tensor("b", sb, s2, z2));
  }
  const int y = m.AddTensor(Int8Tensor("sum", so, so_scale, zo));
  const bool swap = Chance(r, 20);  // constant as the first operand
  m.AddOp(op::kAdd, swap ? std::vector<int>{b, a} : std::vector<int>{a, b}, {y}, o);
  m.inputs = {a};
  if (!b_const) m.inputs.push_back(b);
  const std::string d = Fmt("ADD %s%s + %s%s -> %s %s s1=%g zp1=%d s2=%g zp2=%d out(s=%g,zp=%d)%s",
                            Shape(sa).c_str(), "", Shape(sb).c_str(), b_const ? " (const)" : "",
                            Shape(so).c_str(), ActName(o.activation), s1, z1, s2, z2, so_scale,
                            zo, swap ? " operands swapped" : "");
  return Finish(r, std::move(m), y, d);
}

SweepConfig GenReshape(Rng& r, int) {
  ModelSpec m;
  std::string d;
  static const DT kTypes[] = {DT::kInt8, DT::kInt8, DT::kFloat32, DT::kInt16, DT::kInt32};
  const DT dt = kTypes[r.Int(0, 4)];
  std::vector<int32_t> shape(r.Int(1, 4));
  for (auto& v : shape) v = r.Int(1, 6);
  TensorSpec t;
  t.name = "input";
  t.dtype = dt;
  t.shape = shape;
  if (dt == DT::kInt8 || dt == DT::kInt16) {
    t.scale = {LogUniform(r, 1e-3f, 0.5f)};
    t.zero_point = {dt == DT::kInt8 ? RandomZeroPoint(r) : 0};
  }
  const int x = m.AddTensor(t);
  m.inputs = {x};
  int y = AddReshapeLayer(r, m, x, &d);
  if (dt == DT::kInt8 && Chance(r, 40)) y = AddReshapeLayer(r, m, y, &d);  // reshape of a reshape
  m.outputs = {y};
  m.description = d;
  SweepConfig c;
  for (int k = 0; k < 2; ++k) {
    std::vector<uint8_t> bytes(static_cast<size_t>(t.num_bytes()));
    for (auto& b : bytes) b = static_cast<uint8_t>(r.Int(0, 255));
    if (dt == DT::kFloat32) {  // keep the floats finite and non-NaN
      std::vector<float> f(static_cast<size_t>(t.num_elements()));
      for (auto& v : f) v = r.Uniform(-1000.0f, 1000.0f);
      bytes = PackFloat(f);
    }
    c.cases.push_back({bytes});
  }
  c.spec = std::move(m);
  return c;
}

SweepConfig GenSoftmax(Rng& r, int) {
  ModelSpec m;
  std::string d;
  std::vector<int32_t> shape;
  const int depth = Chance(r, 20) ? r.Int(1, 4) : (Chance(r, 70) ? r.Int(1, 40) : r.Int(40, 300));
  if (Chance(r, 50)) {
    shape = {r.Int(1, 4), depth};
  } else {
    shape = {1, r.Int(1, 3), r.Int(1, 3), depth};
  }
  if (Chance(r, 10)) shape = {depth};  // rank 1
  // 10%: beta * scale * 2^26 near or above 2^31 (the multiplier saturates).
  const float scale = Chance(r, 10) ? LogUniform(r, 5.0f, 40.0f) : LogUniform(r, 5e-3f, 0.5f);
  const int32_t zp = RandomZeroPoint(r);
  const int x = m.AddTensor(Int8Tensor("logits", shape, scale, zp));
  m.inputs = {x};
  const int y = AddSoftmaxLayer(r, m, x, &d);
  SweepConfig c = Finish(r, std::move(m), y, d);
  // Plus a case with a narrow spread (many near-ties around the maximum).
  const TensorSpec& in = c.spec.tensors[x];
  std::vector<int8_t> v(static_cast<size_t>(in.num_elements()));
  const int center = r.Int(-120, 120);
  for (auto& e : v) e = static_cast<int8_t>(std::clamp(center + r.Int(-3, 3), -128, 127));
  c.cases.push_back({PackInt8(v)});
  return c;
}

// A quantized tensor of `dtype` (int8 or int16; int16 mostly with zero point 0, as
// converters write it).
TensorSpec QuantTensor(Rng& r, const std::string& name, const std::vector<int32_t>& shape,
                       DT dtype, float scale) {
  if (dtype == DT::kInt8) return Int8Tensor(name, shape, scale, RandomZeroPoint(r));
  TensorSpec t = Int8Tensor(name, shape, scale, Chance(r, 70) ? 0 : r.Int(-3000, 3000));
  t.dtype = DT::kInt16;
  return t;
}

// Cases for one int8 or int16 input: random, random, zero point, extremes.
Cases QuantCases(Rng& r, const TensorSpec& t) {
  Cases cases;
  const int64_t n = t.num_elements();
  for (int kind : {0, 0, 1, 2}) {
    if (t.dtype == DT::kInt8) {
      cases.push_back({Int8Data(r, n, kind, t.zero_point0())});
      continue;
    }
    std::vector<int16_t> v(static_cast<size_t>(n));
    for (auto& x : v) {
      x = static_cast<int16_t>(kind == 1   ? t.zero_point0()
                               : kind == 2 ? (Chance(r, 50) ? -32768 : 32767)
                                           : r.Int(-32768, 32767));
    }
    cases.push_back({PackInt16(v)});
  }
  return cases;
}

// QUANTIZE float32 -> int8/int16 (ties, out-of-range values) and int8/int16 -> int8/int16.
SweepConfig GenQuantize(Rng& r, int) {
  ModelSpec m;
  std::vector<int32_t> shape(r.Int(1, 4));
  for (auto& v : shape) v = r.Int(1, 7);
  const DT out_dt = Chance(r, 30) ? DT::kInt16 : DT::kInt8;
  const int32_t qrange = out_dt == DT::kInt16 ? 33000 : 140;
  // Power-of-two scales make x / scale exact, so the .5 ties really are ties.
  const bool pow2 = Chance(r, 40);
  const float out_scale = pow2 ? std::ldexp(1.0f, r.Int(-10, 2)) : LogUniform(r, 1e-3f, 2.0f);
  const int y_proto = m.AddTensor(QuantTensor(r, "output", shape, out_dt, out_scale));
  const int32_t out_zp = m.tensors[y_proto].zero_point0();
  const int choice = r.Int(0, 99);
  const bool from_float = choice < 45;
  SweepConfig c;
  std::string d;
  int x;
  if (from_float) {
    TensorSpec t;
    t.name = "input";
    t.dtype = DT::kFloat32;
    t.shape = shape;
    x = m.AddTensor(t);
    d = Fmt("QUANTIZE float32%s -> %s s=%g%s zp=%d", Shape(shape).c_str(), DTName(out_dt),
            out_scale, pow2 ? " (power of two)" : "", out_zp);
  } else {
    const DT in_dt = choice < 75 ? DT::kInt8 : DT::kInt16;
    const float in_scale = Chance(r, 15) ? out_scale : LogUniform(r, 1e-3f, 2.0f);
    x = m.AddTensor(QuantTensor(r, "input", shape, in_dt, in_scale));
    d = Fmt("QUANTIZE %s%s s=%g zp=%d -> %s s=%g zp=%d (ratio %g)", DTName(in_dt),
            Shape(shape).c_str(), in_scale, m.tensors[x].zero_point0(), DTName(out_dt),
            out_scale, out_zp, in_scale / out_scale);
  }
  const int y = y_proto;
  m.AddOp(op::kQuantize, {x}, {y});
  m.inputs = {x};
  m.outputs = {y};
  m.description = d;
  const int64_t n = m.tensors[x].num_elements();
  if (from_float) {
    for (int kind = 0; kind < 4; ++kind) {
      std::vector<float> f(static_cast<size_t>(n));
      const float lo = static_cast<float>(-qrange - out_zp), hi = static_cast<float>(qrange - out_zp);
      for (auto& v : f) {
        const float q = static_cast<float>(r.Int(-qrange - out_zp, qrange - out_zp));
        switch (kind) {
          case 0: v = out_scale * r.Uniform(lo, hi); break;                            // random
          case 1: v = out_scale * (q + 0.5f); break;                                  // ties
          case 2: v = out_scale * (q - 0.5f) * (Chance(r, 50) ? 1.0f : -1.0f); break;  // ties
          default:  // exact grid points, 0, huge values
            v = Chance(r, 20) ? 0.0f : Chance(r, 20) ? (Chance(r, 50) ? 1e30f : -1e30f)
                                                       : out_scale * q;
            break;
        }
      }
      c.cases.push_back({PackFloat(f)});
    }
  } else {
    c.cases = QuantCases(r, m.tensors[x]);
  }
  c.spec = std::move(m);
  return c;
}

SweepConfig GenDequantize(Rng& r, int) {
  ModelSpec m;
  std::vector<int32_t> shape(r.Int(1, 4));
  for (auto& v : shape) v = r.Int(1, 7);
  const float scale = Chance(r, 30) ? std::ldexp(1.0f, r.Int(-10, 2)) : LogUniform(r, 1e-4f, 10.0f);
  const DT in_dt = Chance(r, 30) ? DT::kInt16 : DT::kInt8;
  const int x = m.AddTensor(QuantTensor(r, "input", shape, in_dt, scale));
  TensorSpec t;
  t.name = "output";
  t.dtype = DT::kFloat32;
  t.shape = shape;
  const int y = m.AddTensor(t);
  m.AddOp(op::kDequantize, {x}, {y});
  m.inputs = {x};
  m.outputs = {y};
  m.description = Fmt("DEQUANTIZE %s%s s=%g zp=%d -> float32", DTName(in_dt),
                      Shape(shape).c_str(), scale, m.tensors[x].zero_point0());
  SweepConfig c;
  c.cases = QuantCases(r, m.tensors[x]);
  c.spec = std::move(m);
  return c;
}

// conv -> depthwise -> pool -> reshape -> fully connected -> softmax, each with random
// parameters; sometimes QUANTIZE/DEQUANTIZE at the ends and a residual ADD.
SweepConfig GenChain(Rng& r, int) {
  ModelSpec m;
  std::string d;
  const bool float_io = Chance(r, 30);
  int x;
  const int h = r.Int(3, 10), w = Chance(r, 60) ? h : r.Int(3, 10), ch = r.Int(1, 4);
  const float in_scale = LogUniform(r, 2e-3f, 0.1f);
  const int32_t in_zp = RandomZeroPoint(r);
  if (float_io) {
    TensorSpec t;
    t.name = "image_f32";
    t.dtype = DT::kFloat32;
    t.shape = {1, h, w, ch};
    const int f = m.AddTensor(t);
    m.inputs = {f};
    x = m.AddTensor(Int8Tensor("image", {1, h, w, ch}, in_scale, in_zp));
    m.AddOp(op::kQuantize, {f}, {x});
    d += "QUANTIZE; ";
  } else {
    x = m.AddTensor(Int8Tensor("image", {1, h, w, ch}, in_scale, in_zp));
    m.inputs = {x};
  }
  x = AddConvLayer(r, m, x, &d);
  const int skip = x;
  x = AddDepthwiseLayer(r, m, x, &d, Chance(r, 50) ? 1 : 3);
  if (Chance(r, 30) && m.tensors[x].shape == m.tensors[skip].shape) {
    const TensorSpec& a = m.tensors[x];
    const float s = std::max(a.scale0(), m.tensors[skip].scale0()) * LogUniform(r, 1.0f, 2.0f);
    const int y = m.AddTensor(Int8Tensor("residual", a.shape, s, RandomZeroPoint(r)));
    m.AddOp(op::kAdd, {x, skip}, {y}, AddOpts{RandomAct(r)});
    d += "ADD (residual); ";
    x = y;
  }
  x = AddPoolLayer(r, m, x, Chance(r, 50), &d);
  x = AddReshapeLayer(r, m, x, &d);
  x = AddFcLayer(r, m, x, &d, r.Int(2, 10));
  x = AddSoftmaxLayer(r, m, x, &d);
  if (float_io) {
    TensorSpec t;
    t.name = "probs_f32";
    t.dtype = DT::kFloat32;
    t.shape = m.tensors[x].shape;
    const int y = m.AddTensor(t);
    m.AddOp(op::kDequantize, {x}, {y});
    d += "DEQUANTIZE; ";
    x = y;
  }
  m.outputs = {x};
  // 25%: an intermediate tensor is a graph output too (must survive until the end).
  if (Chance(r, 25)) {
    m.outputs.insert(m.outputs.begin() + r.Int(0, 1), skip);
    d += "extra output: conv; ";
  }
  m.description = d;
  SweepConfig c;
  const int64_t n = static_cast<int64_t>(h) * w * ch;
  for (int kind = 0; kind < 3; ++kind) {
    if (float_io) {
      std::vector<float> f(static_cast<size_t>(n));
      for (auto& v : f) {
        v = kind == 1 ? 0.0f : in_scale * (r.Uniform(-130.0f, 130.0f) - static_cast<float>(in_zp));
      }
      c.cases.push_back({PackFloat(f)});
    } else {
      c.cases.push_back({Int8Data(r, n, kind, in_zp)});
    }
  }
  c.spec = std::move(m);
  return c;
}

// ---- Tests -------------------------------------------------------------------------------------

TEST(SweepCore, Conv2D) { ExpectClean(RunSweep("CONV_2D", SweepCount(100), 2001, GenConv)); }
TEST(SweepCore, Pointwise8) {
  ExpectClean(RunSweep("CONV_2D_1X1X8", SweepCount(60), 2032, GenPointwise8));
}
TEST(SweepCore, Conv2D3x3x3) {
  ExpectClean(RunSweep("CONV_2D_3X3X3", SweepCount(60), 2031, GenConv3x3x3));
}
TEST(SweepCore, Conv2DPruned) {
  ExpectClean(RunSweep("CONV_2D_PRUNED", SweepCount(60), 2033, GenConvPruned));
}

TEST(SweepCore, GroupedConv2D) {
  ExpectClean(RunSweep("CONV_2D_GROUPED", SweepCount(60), 2013, GenGroupedConv));
}

TEST(SweepCore, DepthwiseConv2D) {
  ExpectClean(RunSweep("DEPTHWISE_CONV_2D", SweepCount(100), 2002, GenDepthwise));
}

TEST(SweepCore, Depthwise3x3) {
  ExpectClean(RunSweep("DEPTHWISE_CONV_2D_3X3", SweepCount(60), 2014, GenDepthwise3x3));
}

TEST(SweepCore, DepthwisePadded) {
  ExpectClean(RunSweep("DEPTHWISE_CONV_2D_PADDED", SweepCount(40), 2022, GenDepthwisePadded));
}

TEST(SweepCore, Depthwise3x3Channels) {
  ExpectClean(RunSweep("DEPTHWISE_CONV_2D_3X3_CHANNELS", SweepCount(40), 2020,
                       GenDepthwise3x3Channels));
}

TEST(SweepCore, Depthwise3x3Bands) {
  ExpectClean(RunSweep("DEPTHWISE_CONV_2D_3X3_BANDS", SweepCount(20), 2021, GenDepthwise3x3Bands));
}

TEST(SweepCore, FullyConnected) {
  ExpectClean(RunSweep("FULLY_CONNECTED", SweepCount(100), 2003, GenFullyConnected));
}

TEST(SweepCore, AveragePool2D) {
  ExpectClean(RunSweep("AVERAGE_POOL_2D", SweepCount(80), 2004,
                       [](Rng& r, int) { return GenPool(r, true); }));
}

TEST(SweepCore, MaxPool2D) {
  ExpectClean(RunSweep("MAX_POOL_2D", SweepCount(80), 2005,
                       [](Rng& r, int) { return GenPool(r, false); }));
}

TEST(SweepCore, Add) { ExpectClean(RunSweep("ADD", SweepCount(120), 2006, GenAdd)); }

TEST(SweepCore, Reshape) { ExpectClean(RunSweep("RESHAPE", SweepCount(60), 2007, GenReshape)); }

TEST(SweepCore, Softmax) { ExpectClean(RunSweep("SOFTMAX", SweepCount(100), 2008, GenSoftmax)); }

TEST(SweepCore, Quantize) {
  ExpectClean(RunSweep("QUANTIZE", SweepCount(80), 2009, GenQuantize));
}

TEST(SweepCore, Dequantize) {
  ExpectClean(RunSweep("DEQUANTIZE", SweepCount(60), 2010, GenDequantize));
}

TEST(SweepCore, Chains) { ExpectClean(RunSweep("CHAIN", SweepCount(40), 2011, GenChain)); }

// One batch of every kind through clang (different warnings, optimiser and float code).
TEST(SweepCore, MixedWithClang) {
  if (!ProgramAvailable("clang")) GTEST_SKIP() << "clang not installed";
  HarnessOptions opts;
  opts.cc = "clang";
  const auto gen = [](Rng& r, int i) {
    switch (i % 10) {
      case 0: return GenConv(r, i);
      case 1: return GenDepthwise(r, i);
      case 2: return GenFullyConnected(r, i);
      case 3: return GenPool(r, true);
      case 4: return GenPool(r, false);
      case 5: return GenAdd(r, i);
      case 6: return GenSoftmax(r, i);
      case 7: return GenQuantize(r, i);
      case 8: return GenDequantize(r, i);
      default: return GenChain(r, i);
    }
  };
  ExpectClean(RunSweep("MIXED_CLANG", SweepCount(40), 2012, gen, opts));
}

// int4 weights (ai-edge-quantizer's models: int8 activations, 4-bit weights): every
// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED filter of a generated layer or chain
// becomes int4 (its int8 values divided by 16, rounded down, into [-8, 7], the scales
// times 16 so that the outputs keep their range). The reference runs TFLM's way: the
// filter unpacked to int8, then the int8 kernel. TFLM itself agrees on these models
// (checked with the pip tflite-micro on the exported configurations).
SweepConfig WithInt4Weights(SweepConfig c) {
  ModelSpec& m = c.spec;
  int converted = 0;
  for (const OpSpec& o : m.ops) {
    if (o.builtin_code != op::kConv2D && o.builtin_code != op::kDepthwiseConv2D &&
        o.builtin_code != op::kFullyConnected) {
      continue;
    }
    if (o.inputs.size() < 2 || o.inputs[1] < 0) continue;
    TensorSpec& w = m.tensors[o.inputs[1]];
    if (w.dtype != DT::kInt8 || !w.is_constant()) continue;
    std::vector<int8_t> v = UnpackInt8(w.data);
    for (auto& x : v) x = static_cast<int8_t>(x >> 4);
    w.data = PackInt4(v);
    w.dtype = DT::kInt4;
    for (float& sc : w.scale) sc *= 16.0f;
    if (o.builtin_code == op::kFullyConnected && w.scale.size() > 1) {
      // TFLM takes int4 FULLY_CONNECTED weights per tensor only.
      w.scale = {*std::max_element(w.scale.begin(), w.scale.end())};
      w.zero_point = {0};
    }
    if (o.inputs.size() > 2 && o.inputs[2] >= 0) {
      // The bias scale stays input scale x filter scale (TFLM checks it within 2%).
      TensorSpec& b = m.tensors[o.inputs[2]];
      const float in_scale = m.tensors[o.inputs[0]].scale0();
      b.scale.clear();
      for (float sc : m.tensors[o.inputs[1]].scale) b.scale.push_back(in_scale * sc);
      b.zero_point.assign(b.scale.size(), 0);
    }
    ++converted;
  }
  m.description += Fmt(" [int4 weights: %d filters]", converted);
  return c;
}

TEST(SweepInt4, Conv2D) {
  ExpectClean(RunSweep("CONV_2D_INT4", SweepCount(80), 2401,
                       [](Rng& r, int i) { return WithInt4Weights(GenConv(r, i)); }));
}

TEST(SweepInt4, GroupedConv2D) {
  ExpectClean(RunSweep("CONV_2D_GROUPED_INT4", SweepCount(40), 2402,
                       [](Rng& r, int i) { return WithInt4Weights(GenGroupedConv(r, i)); }));
}

TEST(SweepInt4, DepthwiseConv2D) {
  ExpectClean(RunSweep("DEPTHWISE_CONV_2D_INT4", SweepCount(80), 2403,
                       [](Rng& r, int i) { return WithInt4Weights(GenDepthwise(r, i)); }));
}

TEST(SweepInt4, FullyConnected) {
  ExpectClean(RunSweep("FULLY_CONNECTED_INT4", SweepCount(80), 2404,
                       [](Rng& r, int i) { return WithInt4Weights(GenFullyConnected(r, i)); }));
}

TEST(SweepInt4, Chains) {
  ExpectClean(RunSweep("CHAIN_INT4", SweepCount(40), 2405,
                       [](Rng& r, int i) { return WithInt4Weights(GenChain(r, i)); }));
}

// ---- Patch-based execution (tinymlc --optimize ram, compiler/src/passes/patch.h) --------

// A chain that patching pays off on: a large image, then 2 to 4 of CONV_2D,
// DEPTHWISE_CONV_2D, pools and residual ADDs with random sizes, strides, dilations and
// paddings; the last tensor is the output.
SweepConfig GenPatchChain(Rng& r, int) {
  ModelSpec m;
  std::string d;
  const int h = r.Int(8, 24), w = r.Int(4, 12), ch = r.Int(1, 4);
  int x = m.AddTensor(Int8Tensor("image", {1, h, w, ch}, LogUniform(r, 2e-3f, 0.1f), RandomZeroPoint(r)));
  m.inputs = {x};
  x = AddConvLayer(r, m, x, &d);
  const int layers = r.Int(2, 4);
  for (int k = 0; k < layers; ++k) {
    const int skip = x;
    const int kind = r.Int(0, 3);
    if (kind == 0) {
      x = AddConvLayer(r, m, x, &d);
    } else if (kind == 1) {
      x = AddDepthwiseLayer(r, m, x, &d, Chance(r, 70) ? 1 : 2);
    } else if (kind == 2) {
      x = AddPoolLayer(r, m, x, Chance(r, 50), &d);
    } else {
      x = AddDepthwiseLayer(r, m, x, &d, 1, /*only3x3=*/true);
    }
    if (Chance(r, 40) && m.tensors[x].shape == m.tensors[skip].shape) {
      const TensorSpec& a = m.tensors[x];
      const float s = std::max(a.scale0(), m.tensors[skip].scale0()) * LogUniform(r, 1.0f, 2.0f);
      const int y = m.AddTensor(Int8Tensor("residual", a.shape, s, RandomZeroPoint(r)));
      m.AddOp(op::kAdd, {x, skip}, {y}, AddOpts{RandomAct(r)});
      d += "ADD (residual); ";
      x = y;
    }
  }
  m.outputs = {x};
  m.description = d;
  SweepConfig c;
  c.cases = Int8Cases(r, m);
  c.spec = std::move(m);
  return c;
}

// Random chains compiled with --optimize ram (patches where they shrink the arena): every
// output equal to the C++ reference.
TEST(SweepCore, PatchedChains) {
  HarnessOptions ram;
  ram.tinymlc_args = {"--optimize", "ram"};
  ExpectClean(RunSweep("PATCH_CHAIN", SweepCount(60), 2501, GenPatchChain, ram));
}

// A fixed chain that tinymlc patches (the plan is shown by inspect) gives the reference's
// bytes, as the whole-tensor compile does.
TEST(SweepCore, PatchedChainIsPatched) {
  ModelSpec m;
  std::string d;
  Rng r(77);
  int x = m.AddTensor(Int8Tensor("image", {1, 32, 24, 3}, 0.02f, -5));
  m.inputs = {x};
  Conv2DOpts c1;
  x = m.AddTensor(Int8Tensor("c1", {1, 32, 24, 16}, 0.05f, 3));
  m.AddOp(op::kConv2D, {m.inputs[0], m.AddTensor(ConstInt8("w1", {16, 3, 3, 3}, Weights(r, 16 * 27), {0.01f})),
                        m.AddTensor(ConstInt32("b1", {16}, Bias(r, 16, 27), {0.02f * 0.01f}))},
          {x}, c1);
  DepthwiseOpts dw;
  const int y = m.AddTensor(Int8Tensor("dw", {1, 32, 24, 16}, 0.04f, -2));
  m.AddOp(op::kDepthwiseConv2D, {x, m.AddTensor(ConstInt8("w2", {1, 3, 3, 16}, Weights(r, 144), {0.01f}, {}, 3)),
                                 m.AddTensor(ConstInt32("b2", {16}, Bias(r, 16, 9), {0.05f * 0.01f}))},
          {y}, dw);
  Conv2DOpts c3;
  const int z = m.AddTensor(Int8Tensor("pw", {1, 32, 24, 4}, 0.1f, 1));
  m.AddOp(op::kConv2D, {y, m.AddTensor(ConstInt8("w3", {4, 1, 1, 16}, Weights(r, 64), {0.01f})),
                        m.AddTensor(ConstInt32("b3", {4}, Bias(r, 4, 16), {0.04f * 0.01f}))},
          {z}, c3);
  m.outputs = {z};
  const Cases cases = Int8Cases(r, m);
  // inspect shows a patch plan.
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/patched_chain.tflite";
  const std::vector<uint8_t> bytes = m.Serialize();
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  const std::string cmd = TinymlcPath() + " inspect " + path + " --optimize ram";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  EXPECT_NE(out.find("Patch plan: operators 0.."), std::string::npos) << out.substr(0, 2000);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, std::vector<std::string>{"--optimize", "ram"}}) {
    HarnessOptions o;
    o.tinymlc_args = args;
    const BatchResult b = CompileAndRunBatch({m}, {cases}, o);
    ASSERT_TRUE(b.ok) << b.error;
    for (size_t k = 0; k < cases.size(); ++k) {
      EXPECT_EQ(CompareWithReference(m, cases[k], b.results[0][k]), "") << "case " << k;
    }
  }
}

// Pruned and clustered weights (--sparse, ops/sparse_weights.cc): every int8 CONV_2D and
// FULLY_CONNECTED filter of a generated layer or chain keeps each weight with probability
// `keep` (pruned, mode 0), two of every four taps (2:4, mode 3), or takes its values from
// a few per tensor (clustered: 16 or 3, modes 1 and 2), then compiles with --sparse force /
// size (every such layer compressed) or auto; the reference runs the dense weights as
// TFLM does.
SweepConfig WithPrunedWeights(SweepConfig c, Rng& r, int mode) {
  ModelSpec& m = c.spec;
  int changed = 0;
  for (const OpSpec& o : m.ops) {
    if (o.builtin_code != op::kConv2D && o.builtin_code != op::kFullyConnected) continue;
    if (o.inputs.size() < 2 || o.inputs[1] < 0) continue;
    TensorSpec& w = m.tensors[o.inputs[1]];
    if (w.dtype != DT::kInt8 || !w.is_constant()) continue;
    std::vector<int8_t> v = UnpackInt8(w.data);
    if (mode == 0) {
      const int keep = r.Int(0, 60);  // percent
      for (auto& x : v) {
        if (r.Int(0, 99) >= keep) x = 0;
      }
    } else if (mode == 3) {
      // 2:4 along the taps of each output channel (the filter's innermost axes): two of
      // every four consecutive taps zeroed.
      const size_t k = v.size() / static_cast<size_t>(w.shape[0]);
      for (size_t i = 0; i < v.size(); ++i) {
        const size_t tap = i % k, a = (i / k + tap / 4) % 4;
        if (tap % 4 != a && tap % 4 != (a + 2) % 4) v[i] = 0;
      }
    } else if (mode == 4) {
      // 16 float centroids quantized per output channel as the converter does: each
      // channel takes a few of them and its values are round(c * 127 / max |c| of those),
      // so channels whose largest centroid is the same share a table.
      std::vector<double> centroids;
      for (int i = 0; i < 16; ++i) centroids.push_back(r.Int(-1000, 1000) / 1000.0);
      const size_t k = v.size() / static_cast<size_t>(w.shape[0]);
      for (size_t o = 0; o < v.size() / k; ++o) {
        std::vector<double> pick;
        for (int i = 0, n = r.Int(2, 16); i < n; ++i) pick.push_back(centroids[static_cast<size_t>(r.Int(0, 15))]);
        double big = 0;
        for (double c : pick) big = std::max(big, std::fabs(c));
        for (size_t i = 0; i < k; ++i) {
          const double c = pick[static_cast<size_t>(r.Int(0, static_cast<int>(pick.size()) - 1))];
          v[o * k + i] = static_cast<int8_t>(big > 0 ? std::lround(c * 127.0 / big) : 0);
        }
      }
    } else {
      std::vector<int8_t> table;
      for (int i = 0; i < (mode == 1 ? 16 : 3); ++i) table.push_back(static_cast<int8_t>(r.Int(-127, 127)));
      for (auto& x : v) x = table[static_cast<size_t>(r.Int(0, static_cast<int>(table.size()) - 1))];
    }
    w.data = PackInt8(v);
    ++changed;
  }
  m.description += Fmt(" [%s weights: %d filters]",
                       mode == 0 ? "pruned" : mode == 3 ? "2:4-pruned" : mode == 4 ? "per-channel clustered" : "clustered",
                       changed);
  return c;
}

HarnessOptions SparseFlags(const char* mode) {
  HarnessOptions o;
  o.tinymlc_args = {"--sparse", mode};
  return o;
}

TEST(SweepSparse, Conv2DForce) {
  ExpectClean(RunSweep("CONV_2D_SPARSE", SweepCount(60), 2501,
                       [](Rng& r, int i) { return WithPrunedWeights(GenConv(r, i), r, 0); },
                       SparseFlags("force")));
}

TEST(SweepSparse, Pointwise8Force) {
  ExpectClean(RunSweep("CONV_2D_1X1X8_SPARSE", SweepCount(30), 2502,
                       [](Rng& r, int i) { return WithPrunedWeights(GenPointwise8(r, i), r, 0); },
                       SparseFlags("force")));
}

// Pointwise layers of up to 80 columns and 300 input channels, pruned: the Helium path of
// tml_sparse_s8 (columns transposed, 16 per block, a partial last block).
SweepConfig GenPointwiseWide(Rng& r, int) {
  ModelSpec m;
  const int in_h = r.Int(1, 6), in_w = r.Int(1, 7), in_c = r.Int(9, 300), out_c = r.Int(1, 40);
  const float in_scale = LogUniform(r, 1e-3f, 0.5f);
  const int x = m.AddTensor(Int8Tensor("input", {r.Int(1, 2), in_h, in_w, in_c}, in_scale, RandomZeroPoint(r)));
  m.inputs = {x};
  Conv2DOpts o;
  o.activation = Chance(r, 60) ? kActNone : RandomAct(r);
  const bool per_channel = Chance(r, 70);
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const int w = m.AddTensor(ConstInt8("conv/filter", {out_c, 1, 1, in_c}, Weights(r, out_c * in_c), ws));
  std::vector<int> inputs = {x, w};
  if (Chance(r, 75)) {
    std::vector<float> bs;
    for (float sc : ws) bs.push_back(in_scale * sc);
    inputs.push_back(m.AddTensor(ConstInt32("conv/bias", {out_c}, Bias(r, out_c, in_c), bs)));
  }
  const float out_scale = AccOutputScale(r, in_scale, MaxScale(ws), in_c);
  const int y = m.AddTensor(Int8Tensor("conv/out", {m.tensors[x].shape[0], in_h, in_w, out_c}, out_scale,
                                       RandomZeroPoint(r)));
  m.AddOp(op::kConv2D, inputs, {y}, o);
  return Finish(r, std::move(m), y,
                Fmt("CONV_2D 1x1 %s -> %d %s", Shape(m.tensors[x].shape).c_str(), out_c,
                    per_channel ? "per-channel" : "per-tensor"));
}

TEST(SweepSparse, PointwiseWideForce) {
  ExpectClean(RunSweep("CONV_2D_1X1_WIDE_SPARSE", SweepCount(30), 2508,
                       [](Rng& r, int i) { return WithPrunedWeights(GenPointwiseWide(r, i), r, 0); },
                       SparseFlags("force")));
}

TEST(SweepSparse, FullyConnectedForce) {
  ExpectClean(RunSweep("FULLY_CONNECTED_SPARSE", SweepCount(60), 2503,
                       [](Rng& r, int i) { return WithPrunedWeights(GenFullyConnected(r, i), r, 0); },
                       SparseFlags("force")));
}

TEST(SweepSparse, ChainsAuto) {
  ExpectClean(RunSweep("CHAIN_SPARSE", SweepCount(40), 2504,
                       [](Rng& r, int i) { return WithPrunedWeights(GenChain(r, i), r, 0); },
                       SparseFlags("auto")));
}

TEST(SweepSparse, ClusteredSize) {
  ExpectClean(RunSweep("CLUSTERED", SweepCount(60), 2505,
                       [](Rng& r, int i) {
                         const int mode = 1 + i % 2;
                         return WithPrunedWeights(i % 3 == 0 ? GenFullyConnected(r, i) : GenConv(r, i), r, mode);
                       },
                       SparseFlags("size")));
}

TEST(SweepSparse, TwoFourSize) {
  ExpectClean(RunSweep("SPARSE_2_4", SweepCount(60), 2507,
                       [](Rng& r, int i) {
                         return WithPrunedWeights(i % 3 == 0 ? GenFullyConnected(r, i) : GenConv(r, i), r, 3);
                       },
                       SparseFlags("size")));
}

// The same 2:4 layers in the form `--sparse fast` picks (tml_sparse24p_s8.h: a table of
// input pairs per column, rows of 4-group units entered at any of the 4 places of a step).
TEST(SweepSparse, TwoFourFast) {
  ExpectClean(RunSweep("SPARSE_2_4_FAST", SweepCount(60), 2509,
                       [](Rng& r, int i) {
                         return WithPrunedWeights(i % 3 == 0 ? GenFullyConnected(r, i) : GenConv(r, i), r, 3);
                       },
                       SparseFlags("fast")));
}

// Clustered to 16 centroids, quantized per channel (mode 4): tables shared by channels.
TEST(SweepSparse, ClusteredPerChannelSize) {
  ExpectClean(RunSweep("CLUSTERED_PER_CHANNEL", SweepCount(40), 2510,
                       [](Rng& r, int i) {
                         return WithPrunedWeights(i % 2 == 0 ? GenFullyConnected(r, i) : GenConv(r, i), r, 4);
                       },
                       SparseFlags("size")));
}

TEST(SweepSparse, ClusteredForce) {
  ExpectClean(RunSweep("CLUSTERED_FORCE", SweepCount(40), 2506,
                       [](Rng& r, int i) { return WithPrunedWeights(GenChain(r, i), r, 1); },
                       SparseFlags("force")));
}

}  // namespace
}  // namespace tinymlc::testing

namespace tinymlc::testing {
namespace {

// Models TFLM refuses at prepare time (or aborts on with TFLITE_CHECK): tinymlc must
// reject them too instead of generating code (the reference has no opinion on these).
TEST(SweepCoreErrors, RejectedLikeTflm) {
  PoolOpts pool;
  pool.filter_h = pool.filter_w = 2;
  pool.stride_h = pool.stride_w = 2;
  const std::vector<Rejection> cases = {
      {"AVERAGE_POOL_2D output zero point != input zero point (pooling_common.cc PoolingPrepare: "
       "input->params.zero_point == output->params.zero_point)",
       OneOp(op::kAveragePool2D, {Int8Tensor("x", {1, 4, 4, 2}, 0.05f, 3)},
             Int8Tensor("y", {1, 2, 2, 2}, 0.05f, 4), pool),
       "tinymlc rejected"},
      {"MAX_POOL_2D output scale != input scale (pooling_common.cc PoolingPrepare: "
       "|input scale - output scale| <= 1e-6)",
       OneOp(op::kMaxPool2D, {Int8Tensor("x", {1, 4, 4, 2}, 0.05f, 3)},
             Int8Tensor("y", {1, 2, 2, 2}, 0.06f, 3), pool),
       "tinymlc rejected"},
      {"int8 SOFTMAX output scale not exactly 1/256 (softmax_common.cc: "
       "output->params.scale == 1.f / 256)",
       OneOp(op::kSoftmax, {Int8Tensor("x", {1, 8}, 0.1f, 0)},
             Int8Tensor("y", {1, 8}, (1.0f / 256) * 1.0001f, -128), SoftmaxOpts{1.0f}),
       "tinymlc rejected"},
      {"ADD with output multiplier >= 1 (add_common.cc CalculateOpDataAdd -> "
       "QuantizeMultiplierSmallerThanOneExp: TFLITE_CHECK_LT(multiplier, 1))",
       OneOp(op::kAdd, {Int8Tensor("a", {1, 4}, 1.0f, 0), Int8Tensor("b", {1, 4}, 1.0f, 0)},
             Int8Tensor("y", {1, 4}, 1e-7f, 0), AddOpts{}),
       "tinymlc rejected"},
      {"QUANTIZE to a per-channel output (quantize_common.cc: scale->size == 1)",
       [] {
         ModelSpec m;
         const int x = m.AddTensor(Int8Tensor("x", {2, 3}, 0.05f, 0));
         TensorSpec y = Int8Tensor("y", {2, 3}, 0.05f, 0);
         y.scale = {0.05f, 0.1f};
         y.zero_point = {0, 0};
         const int yi = m.AddTensor(y);
         m.AddOp(op::kQuantize, {x}, {yi});
         m.inputs = {x};
         m.outputs = {yi};
         return m;
       }(),
       "tinymlc rejected"},
  };
  ExpectRejected(cases);
}

// int4 where TFLM has no int4 kernel: tinymlc names the op and the tensor.
TEST(SweepInt4Errors, RejectedLikeTflm) {
  auto int4 = [](TensorSpec t) {
    t.data = PackInt4(std::vector<int8_t>(static_cast<size_t>(t.num_elements()), 3));
    t.dtype = DT::kInt4;
    return t;
  };
  const TensorSpec x16 = Quantized("x", DT::kInt16, {1, 4}, 0.001f, 0);
  const TensorSpec w4 = int4(ConstInt8("w", {2, 4}, std::vector<int8_t>(8, 1), {0.01f}));
  const std::vector<Rejection> cases = {
      {"int16 FULLY_CONNECTED with int4 weights (TFLM: int16 input needs int8 weights)",
       OneOp(op::kFullyConnected, {x16, w4}, Quantized("y", DT::kInt16, {1, 2}, 0.01f, 0), FcOpts{}),
       "dtype int4 is not supported here (expected int8)"},
      {"ADD with an int4 constant operand",
       OneOp(op::kAdd, {Int8Tensor("a", {2, 4}, 0.05f, 0), int4(ConstInt8("b", {2, 4}, std::vector<int8_t>(8, 1), {0.05f}))},
             Int8Tensor("y", {2, 4}, 0.1f, 0), AddOpts{}),
       "int4 tensors are supported only as the constant weights (input 1) of CONV_2D, "
       "DEPTHWISE_CONV_2D and FULLY_CONNECTED"},
      {"FULLY_CONNECTED with per-channel int4 weights (fully_connected_common.cc: per-channel "
       "quantization needs int8 weights)",
       OneOp(op::kFullyConnected,
             {Int8Tensor("x", {1, 4}, 0.05f, 0),
              int4(ConstInt8("w", {2, 4}, std::vector<int8_t>(8, 1), {0.01f, 0.02f}))},
             Int8Tensor("y", {1, 2}, 0.1f, 0), FcOpts{}),
       "TFLM's FULLY_CONNECTED takes int4 weights per tensor only"},
  };
  ExpectRejected(cases);
}

}  // namespace
}  // namespace tinymlc::testing
