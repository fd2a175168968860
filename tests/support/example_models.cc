#include "example_models.h"

#include <algorithm>
#include <cmath>

#include "reference_ops.h"

namespace tinymlc::testing {

namespace {

constexpr double kTwoPi = 6.283185307179586;

// Adds a FULLY_CONNECTED layer with per-tensor symmetric weights [out, in].
int AddDense(ModelSpec& m, const std::string& name, int input, const std::vector<float>& w,
             const std::vector<float>& b, int out_features, QuantParams out_q, int activation) {
  const int in_features = static_cast<int>(w.size()) / out_features;
  const QuantizedWeights qw = QuantizeWeightsSymmetric(w, {out_features, in_features}, 0, false);
  const float in_scale = m.tensors[input].scale0();
  const int wt = m.AddTensor(ConstInt8(name + "/weights", {out_features, in_features}, qw.values,
                                       qw.scales));
  const int bt = m.AddTensor(ConstInt32(name + "/bias", {out_features},
                                        QuantizeBias(b, in_scale, qw.scales),
                                        {in_scale * qw.scales[0]}));
  const int out =
      m.AddTensor(Int8Tensor(name, {1, out_features}, out_q.scale, out_q.zero_point));
  FcOpts opts;
  opts.activation = activation;
  m.AddOp(op::kFullyConnected, {input, wt, bt}, {out}, opts);
  return out;
}

// AVERAGE_POOL_2D of a [1, size, size, channels] map down to one pixel, then RESHAPE to
// [1, channels] with a constant shape tensor; both keep the input's quantization `q`.
int AddPoolAndFlatten(ModelSpec& m, int input, int size, int channels, QuantParams q,
                      const std::string& shape_name) {
  const int pool = m.AddTensor(Int8Tensor("pool", {1, 1, 1, channels}, q.scale, q.zero_point));
  PoolOpts po;
  po.padding = kValid;
  po.filter_w = po.filter_h = po.stride_w = po.stride_h = size;
  m.AddOp(op::kAveragePool2D, {input}, {pool}, po);
  const int shape = m.AddTensor(ConstInt32(shape_name, {2}, {1, channels}));
  const int flat = m.AddTensor(Int8Tensor("flat", {1, channels}, q.scale, q.zero_point));
  ReshapeOpts ro;
  ro.has_new_shape = true;
  ro.new_shape = {1, channels};
  m.AddOp(op::kReshape, {pool, shape}, {flat}, ro);
  return flat;
}

// Floats quantized to int8 bytes (round half away from zero, saturated).
std::vector<uint8_t> QuantizeInt8(const std::vector<float>& values, QuantParams q) {
  std::vector<int8_t> out;
  for (float v : values) {
    out.push_back(static_cast<int8_t>(
        std::clamp<long>(std::lround(v / q.scale) + q.zero_point, -128, 127)));
  }
  return PackInt8(out);
}

// Dequantized range of tensor `t` over the given inputs.
void ObservedRange(const ModelSpec& m, int t, const std::vector<std::vector<uint8_t>>& inputs,
                   float* lo, float* hi) {
  *lo = 0.0f;
  *hi = 0.0f;
  for (const auto& in : inputs) {
    const ReferenceResult r = RunReferenceAll(m, {in});
    if (!r.ok) continue;
    for (int8_t q : UnpackInt8(r.tensors[t])) {
      const float v = (q - m.tensors[t].zero_point0()) * m.tensors[t].scale0();
      *lo = std::min(*lo, v);
      *hi = std::max(*hi, v);
    }
  }
}

}  // namespace

ModelSpec MakeSineModel() {
  constexpr int kUnits = 16;
  const double h = kTwoPi / kUnits;
  // f(x) = sum_i c_i * relu(x - k_i), k_i = i*h, interpolating sin at the knots.
  std::vector<double> slope(kUnits), c(kUnits);
  for (int i = 0; i < kUnits; ++i) slope[i] = (std::sin((i + 1) * h) - std::sin(i * h)) / h;
  for (int i = 0; i < kUnits; ++i) c[i] = i == 0 ? slope[0] : slope[i] - slope[i - 1];

  ModelSpec m;
  m.description = "tinymlc example_sine: y ~ sin(x), x in [0, 2pi]";
  const QuantParams in_q = ChooseQuantParams(0.0f, static_cast<float>(kTwoPi));
  const int x = m.AddTensor(Int8Tensor("x", {1, 1}, in_q.scale, in_q.zero_point));
  m.inputs = {x};

  // Layer 1: h1_i = relu(x - k_i).
  std::vector<float> w1(kUnits, 1.0f), b1(kUnits);
  for (int i = 0; i < kUnits; ++i) b1[i] = static_cast<float>(-i * h);
  const int h1 = AddDense(m, "dense_1", x, w1, b1, kUnits,
                          ChooseQuantParams(0.0f, static_cast<float>(kTwoPi)), kActRelu);
  // Layer 2: h2_i = relu(|c_i| * h1_i) (diagonal).
  std::vector<float> w2(kUnits * kUnits, 0.0f), b2(kUnits, 0.0f);
  float h2_max = 0.0f;
  for (int i = 0; i < kUnits; ++i) {
    w2[i * kUnits + i] = static_cast<float>(std::fabs(c[i]));
    h2_max = std::max(h2_max, static_cast<float>(std::fabs(c[i]) * (kTwoPi - i * h)));
  }
  const int h2 = AddDense(m, "dense_2", h1, w2, b2, kUnits, ChooseQuantParams(0.0f, h2_max),
                          kActRelu);
  // Layer 3: y = sum_i sign(c_i) * h2_i.
  std::vector<float> w3(kUnits), b3(1, 0.0f);
  for (int i = 0; i < kUnits; ++i) w3[i] = c[i] >= 0 ? 1.0f : -1.0f;
  const int y = AddDense(m, "y", h2, w3, b3, 1, ChooseQuantParams(-1.05f, 1.05f), kActNone);
  m.outputs = {y};
  return m;
}

namespace {

struct CnnTensors {
  int dw = -1, logits = -1;
};

// The CNN with the given output ranges for the depthwise and fully connected layers.
ModelSpec BuildCnn(float dw_lo, float dw_hi, float fc_lo, float fc_hi, CnnTensors* ids) {
  ModelSpec m;
  m.description = "tinymlc example_cnn: 8x8 image -> 3 classes";
  const float in_scale = 1.0f / 64;  // inputs in [-2, 2)
  const int x = m.AddTensor(Int8Tensor("image", {1, 8, 8, 1}, in_scale, 0));
  m.inputs = {x};

  // CONV_2D 3x3, 4 output channels, SAME, stride 2, RELU6, per-channel weights.
  const std::vector<int32_t> conv_shape = {4, 3, 3, 1};
  const QuantizedWeights cw =
      QuantizeWeightsSymmetric(RandomFloats(36, 11, -0.6f, 0.6f), conv_shape, 0, true);
  const int conv_w = m.AddTensor(ConstInt8("conv/weights", conv_shape, cw.values, cw.scales));
  std::vector<float> conv_bias_scales;
  for (float s : cw.scales) conv_bias_scales.push_back(in_scale * s);
  const int conv_b = m.AddTensor(ConstInt32(
      "conv/bias", {4}, QuantizeBias(RandomFloats(4, 12, -0.5f, 0.5f), in_scale, cw.scales),
      conv_bias_scales));
  const QuantParams conv_q = ChooseQuantParams(0.0f, 6.0f);
  const int conv = m.AddTensor(Int8Tensor("conv", {1, 4, 4, 4}, conv_q.scale, conv_q.zero_point));
  Conv2DOpts co;
  co.padding = kSame;
  co.stride_w = co.stride_h = 2;
  co.activation = kActRelu6;
  m.AddOp(op::kConv2D, {x, conv_w, conv_b}, {conv}, co);

  // DEPTHWISE_CONV_2D 3x3, depth_multiplier 2 -> 8 channels, per-channel weights.
  const std::vector<int32_t> dw_shape = {1, 3, 3, 8};
  const QuantizedWeights dw =
      QuantizeWeightsSymmetric(RandomFloats(72, 21, -0.5f, 0.5f), dw_shape, 3, true);
  const int dw_w = m.AddTensor(ConstInt8("dw/weights", dw_shape, dw.values, dw.scales, {}, 3));
  std::vector<float> dw_bias_scales;
  for (float s : dw.scales) dw_bias_scales.push_back(conv_q.scale * s);
  const int dw_b = m.AddTensor(ConstInt32(
      "dw/bias", {8}, QuantizeBias(RandomFloats(8, 22, -0.2f, 0.2f), conv_q.scale, dw.scales),
      dw_bias_scales, 0));
  const QuantParams dw_q = ChooseQuantParams(dw_lo, dw_hi);
  ids->dw = m.AddTensor(Int8Tensor("dw", {1, 4, 4, 8}, dw_q.scale, dw_q.zero_point));
  DepthwiseOpts dwo;
  dwo.padding = kSame;
  dwo.depth_multiplier = 2;
  m.AddOp(op::kDepthwiseConv2D, {conv, dw_w, dw_b}, {ids->dw}, dwo);

  // AVERAGE_POOL_2D over the whole 4x4 map, RESHAPE to [1, 8].
  const int flat = AddPoolAndFlatten(m, ids->dw, 4, 8, dw_q, "reshape/shape");

  // FULLY_CONNECTED 8 -> 3, per-tensor weights.
  const QuantizedWeights fw =
      QuantizeWeightsSymmetric(RandomFloats(24, 31, -1.0f, 1.0f), {3, 8}, 0, false);
  const int fc_w = m.AddTensor(ConstInt8("fc/weights", {3, 8}, fw.values, fw.scales));
  const int fc_b = m.AddTensor(ConstInt32(
      "fc/bias", {3}, QuantizeBias(RandomFloats(3, 32, -0.3f, 0.3f), dw_q.scale, fw.scales),
      {dw_q.scale * fw.scales[0]}));
  const QuantParams fc_q = ChooseQuantParams(fc_lo, fc_hi);
  ids->logits = m.AddTensor(Int8Tensor("logits", {1, 3}, fc_q.scale, fc_q.zero_point));
  m.AddOp(op::kFullyConnected, {flat, fc_w, fc_b}, {ids->logits}, FcOpts{});

  // SOFTMAX: int8 output with TFLite's fixed quantization (1/256, -128).
  const int probs = m.AddTensor(Int8Tensor("probs", {1, 3}, 1.0f / 256, -128));
  m.AddOp(op::kSoftmax, {ids->logits}, {probs}, SoftmaxOpts{1.0f});
  m.outputs = {probs};
  return m;
}

}  // namespace

ModelSpec MakeCnnModel() {
  // Calibration: fixed-seed random images; each layer's range is measured with the
  // layers before it already at their final quantization, plus a 10% margin.
  std::vector<std::vector<uint8_t>> calib;
  for (uint64_t s = 0; s < 16; ++s) calib.push_back(PackInt8(RandomInt8(64, 1000 + s)));
  CnnTensors ids;
  float dw_lo, dw_hi, fc_lo, fc_hi;
  ModelSpec m = BuildCnn(-16.0f, 16.0f, -16.0f, 16.0f, &ids);
  ObservedRange(m, ids.dw, calib, &dw_lo, &dw_hi);
  m = BuildCnn(1.1f * dw_lo, 1.1f * dw_hi, -16.0f, 16.0f, &ids);
  ObservedRange(m, ids.logits, calib, &fc_lo, &fc_hi);
  return BuildCnn(1.1f * dw_lo, 1.1f * dw_hi, 1.1f * fc_lo, 1.1f * fc_hi, &ids);
}

namespace {

// Adds SOFTMAX (beta 1) with TFLite's fixed int8 output quantization (1/256, -128).
int AddSoftmax(ModelSpec& m, int logits, int classes) {
  const int probs = m.AddTensor(Int8Tensor("probs", {1, classes}, 1.0f / 256, -128));
  m.AddOp(op::kSoftmax, {logits}, {probs}, SoftmaxOpts{1.0f});
  return probs;
}

// The stripes classifier with the given logit range.
ModelSpec BuildStripes(float fc_lo, float fc_hi, int* logits) {
  constexpr int kSize = 16;
  ModelSpec m;
  m.description = "tinymlc example_stripes: 16x16 grey image in [0,1] -> vertical / horizontal";
  const QuantParams in_q = ChooseQuantParams(0.0f, 1.0f);
  const int x = m.AddTensor(Int8Tensor("image", {1, kSize, kSize, 1}, in_q.scale, in_q.zero_point));
  m.inputs = {x};

  // CONV_2D 3x3 VALID RELU: Sobel x, -Sobel x, Sobel y, -Sobel y (a RELU keeps each sign
  // of each gradient in its own channel). |Sobel| <= 4 for pixels in [0, 1].
  const float sobel_x[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
  const float sobel_y[9] = {-1, -2, -1, 0, 0, 0, 1, 2, 1};
  std::vector<float> w;
  for (int c = 0; c < 4; ++c) {
    const float* k = c < 2 ? sobel_x : sobel_y;
    const float sign = c % 2 == 0 ? 1.0f : -1.0f;
    for (int i = 0; i < 9; ++i) w.push_back(sign * k[i]);
  }
  const std::vector<int32_t> conv_shape = {4, 3, 3, 1};
  const QuantizedWeights cw = QuantizeWeightsSymmetric(w, conv_shape, 0, true);
  const int conv_w = m.AddTensor(ConstInt8("edges/weights", conv_shape, cw.values, cw.scales));
  std::vector<float> bias_scales;
  for (float s : cw.scales) bias_scales.push_back(in_q.scale * s);
  const int conv_b = m.AddTensor(ConstInt32(
      "edges/bias", {4}, QuantizeBias({0, 0, 0, 0}, in_q.scale, cw.scales), bias_scales));
  const QuantParams edge_q = ChooseQuantParams(0.0f, 4.0f);
  const int edges =
      m.AddTensor(Int8Tensor("edges", {1, kSize - 2, kSize - 2, 4}, edge_q.scale, edge_q.zero_point));
  Conv2DOpts co;
  co.padding = kValid;
  co.activation = kActRelu;
  m.AddOp(op::kConv2D, {x, conv_w, conv_b}, {edges}, co);

  // AVERAGE_POOL_2D over the whole map (the mean strength of each gradient sign), flattened.
  const int flat = AddPoolAndFlatten(m, edges, kSize - 2, 4, edge_q, "flat/shape");

  // FULLY_CONNECTED 4 -> 2: class 0 (vertical stripes) is horizontal gradient minus
  // vertical gradient, class 1 the opposite; scaled by 4 so the softmax is decisive.
  const std::vector<float> fc = {4, 4, -4, -4, -4, -4, 4, 4};
  *logits = AddDense(m, "logits", flat, fc, {0, 0}, 2, ChooseQuantParams(fc_lo, fc_hi), kActNone);
  m.outputs = {AddSoftmax(m, *logits, 2)};
  return m;
}

}  // namespace

std::vector<float> StripesImage(bool vertical, int period, int phase, uint64_t seed) {
  constexpr int kSize = 16;
  Rng rng(seed);
  std::vector<float> img(kSize * kSize);
  for (int y = 0; y < kSize; ++y) {
    for (int x = 0; x < kSize; ++x) {
      const int along = vertical ? x : y;
      const float base = ((along + phase) / (period / 2)) % 2 == 0 ? 0.2f : 0.8f;
      img[y * kSize + x] = std::clamp(base + rng.Uniform(-0.1f, 0.1f), 0.0f, 1.0f);
    }
  }
  return img;
}

ModelSpec MakeStripesModel() {
  // Calibration: quantized stripe images of both orientations; logit range + 10 %.
  const QuantParams in_q = ChooseQuantParams(0.0f, 1.0f);
  std::vector<std::vector<uint8_t>> calib;
  for (int i = 0; i < 8; ++i) {
    calib.push_back(QuantizeInt8(StripesImage(i % 2 == 0, 2 + 2 * (i % 4), i, 500 + i), in_q));
  }
  int logits = -1;
  ModelSpec m = BuildStripes(-16.0f, 16.0f, &logits);
  float lo, hi;
  ObservedRange(m, logits, calib, &lo, &hi);
  return BuildStripes(1.1f * lo, 1.1f * hi, &logits);
}

namespace {

constexpr int kToneSamples = 64;
constexpr int kToneBins[3] = {4, 8, 16};  // 500, 1000 and 2000 Hz at 8 kHz

// The tone detector with the given ranges for the correlations, magnitudes and logits.
ModelSpec BuildTone(float corr_max, float fc_max, int* corr, int* logits) {
  ModelSpec m;
  m.description = "tinymlc example_tone: 64 audio samples in [-1,1] -> 500 / 1000 / 2000 Hz";
  const QuantParams in_q = ChooseQuantParams(-1.0f, 1.0f);
  const int x = m.AddTensor(Int8Tensor("audio", {1, kToneSamples}, in_q.scale, in_q.zero_point));
  m.inputs = {x};
  // FULLY_CONNECTED 64 -> 6: correlation with cos and sin at each bin (a 3-bin DFT).
  std::vector<float> w;
  for (int bin : kToneBins) {
    for (int part = 0; part < 2; ++part) {
      for (int n = 0; n < kToneSamples; ++n) {
        const double a = kTwoPi * bin * n / kToneSamples;
        w.push_back(static_cast<float>(part == 0 ? std::cos(a) : std::sin(a)) / 8.0f);
      }
    }
  }
  *corr = AddDense(m, "dft", x, w, std::vector<float>(6, 0.0f), 6,
                   ChooseQuantParams(-corr_max, corr_max), kActNone);
  // ABS: |cos part| + |sin part| (below) is within sqrt(2) of the bin's magnitude.
  const QuantParams mag_q = ChooseQuantParams(0.0f, corr_max);
  const int mag = m.AddTensor(Int8Tensor("magnitude", {1, 6}, mag_q.scale, mag_q.zero_point));
  m.AddOp(op::kAbs, {*corr}, {mag});
  // FULLY_CONNECTED 6 -> 3: the two parts of each bin summed.
  std::vector<float> sum(18, 0.0f);
  for (int c = 0; c < 3; ++c) sum[c * 6 + 2 * c] = sum[c * 6 + 2 * c + 1] = 1.0f;
  *logits = AddDense(m, "logits", mag, sum, {0, 0, 0}, 3, ChooseQuantParams(0.0f, fc_max),
                     kActNone);
  m.outputs = {AddSoftmax(m, *logits, 3)};
  return m;
}

}  // namespace

std::vector<float> ToneSamples(int tone, float amplitude, float phase, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> s(kToneSamples);
  for (int n = 0; n < kToneSamples; ++n) {
    const double a = kTwoPi * kToneBins[tone] * n / kToneSamples + phase;
    s[n] = std::clamp(amplitude * static_cast<float>(std::sin(a)) + rng.Uniform(-0.05f, 0.05f),
                      -1.0f, 1.0f);
  }
  return s;
}

ModelSpec MakeToneModel() {
  const QuantParams in_q = ChooseQuantParams(-1.0f, 1.0f);
  std::vector<std::vector<uint8_t>> calib;
  for (int i = 0; i < 9; ++i) {
    calib.push_back(QuantizeInt8(ToneSamples(i % 3, 0.95f, 0.7f * static_cast<float>(i), 700 + i), in_q));
  }
  int corr = -1, logits = -1;
  ModelSpec m = BuildTone(8.0f, 16.0f, &corr, &logits);
  float lo, hi;
  ObservedRange(m, corr, calib, &lo, &hi);
  const float corr_max = 1.1f * std::max(-lo, hi);
  m = BuildTone(corr_max, 16.0f, &corr, &logits);
  ObservedRange(m, logits, calib, &lo, &hi);
  return BuildTone(corr_max, 1.1f * hi, &corr, &logits);
}

std::vector<ExampleModel> ExampleModels() {
  return {
      {"example_sine.tflite",
       "int8 MLP 1 -> 16 -> 16 -> 1 (FULLY_CONNECTED, RELU) approximating sin(x) on [0, 2pi]",
       MakeSineModel()},
      {"example_cnn.tflite",
       "int8 8x8x1 CNN: CONV_2D, DEPTHWISE_CONV_2D (x2), AVERAGE_POOL_2D, RESHAPE, "
       "FULLY_CONNECTED, SOFTMAX",
       MakeCnnModel()},
      {"example_stripes.tflite",
       "int8 16x16x1 image in [0,1]: CONV_2D (Sobel), AVERAGE_POOL_2D, RESHAPE, "
       "FULLY_CONNECTED, SOFTMAX: vertical or horizontal stripes",
       MakeStripesModel()},
      {"example_tone.tflite",
       "int8 64 audio samples in [-1,1]: FULLY_CONNECTED (3-bin DFT), ABS, FULLY_CONNECTED, "
       "SOFTMAX: a 500, 1000 or 2000 Hz tone at 8 kHz",
       MakeToneModel()},
  };
}

}  // namespace tinymlc::testing
