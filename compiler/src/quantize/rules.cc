// The TF converter's quantization rules (tinymlc/quantize.h): activation parameters from
// a range, symmetric per-channel weights, int32 bias, and the calibration range choices.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tinymlc/quantize.h"

namespace tinymlc {

QuantParams ChooseActivationParams(float rmin, float rmax) {
  constexpr double kQMin = -128.0, kQMax = 127.0;
  const double lo = std::min(0.0, static_cast<double>(rmin));
  const double hi = std::max(0.0, static_cast<double>(rmax));
  QuantParams q;
  if (!(hi > lo)) {  // all zeros (or NaN): any scale represents 0 exactly
    q.scale = 1.0f;
    q.zero_point = 0;
    return q;
  }
  const double scale = (hi - lo) / (kQMax - kQMin);
  // The zero point from whichever end loses less precision, then nudged to an integer
  // in [qmin, qmax] so that 0.0 is exact.
  const double zp_from_min = kQMin - lo / scale;
  const double zp_from_max = kQMax - hi / scale;
  const double err_min = std::fabs(kQMin) + std::fabs(lo / scale);
  const double err_max = std::fabs(kQMax) + std::fabs(hi / scale);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  q.scale = static_cast<float>(scale);
  q.zero_point = zp < kQMin ? static_cast<int32_t>(kQMin)
                 : zp > kQMax ? static_cast<int32_t>(kQMax)
                              : static_cast<int32_t>(std::round(zp));
  return q;
}

QuantParams ChooseActivationParams16(float rmin, float rmax) {
  const double m = std::max(std::fabs(static_cast<double>(rmin)), std::fabs(static_cast<double>(rmax)));
  QuantParams q;
  q.zero_point = 0;
  q.scale = m > 0.0 ? static_cast<float>(m / 32767.0) : 1.0f;
  return q;
}

SymmetricWeights QuantizeWeightsSymmetric(const std::vector<float>& w,
                                          const std::vector<int32_t>& shape, int axis,
                                          bool per_channel) {
  SymmetricWeights out;
  // Elements are [outer][channel][inner] around `axis`.
  int64_t outer = 1, channels = 1, inner = 1;
  for (int d = 0; d < static_cast<int>(shape.size()); ++d) {
    if (d < axis) outer *= shape[d];
    else if (d == axis) channels = shape[d];
    else inner *= shape[d];
  }
  if (!per_channel) {
    inner *= channels;
    channels = 1;
  }
  std::vector<float> absmax(static_cast<size_t>(channels), 0.0f);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      for (int64_t i = 0; i < inner; ++i) {
        const float v = std::fabs(w[static_cast<size_t>((o * channels + c) * inner + i)]);
        absmax[static_cast<size_t>(c)] = std::max(absmax[static_cast<size_t>(c)], v);
      }
    }
  }
  out.scales.resize(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    const float m = absmax[static_cast<size_t>(c)];
    out.scales[static_cast<size_t>(c)] = m > 0.0f ? static_cast<float>(static_cast<double>(m) / 127.0) : 1.0f;
  }
  out.values.resize(w.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const double s = out.scales[static_cast<size_t>(c)];
      for (int64_t i = 0; i < inner; ++i) {
        const size_t k = static_cast<size_t>((o * channels + c) * inner + i);
        const double q = std::round(static_cast<double>(w[k]) / s);
        out.values[k] = static_cast<int8_t>(std::min(127.0, std::max(-127.0, q)));
      }
    }
  }
  return out;
}

namespace {

// Bias values round(b / s) over scales s = input_scale * weight_scale[c] (the product in
// double, rounded once to float as the converter stores it; one weight scale serves every
// channel), saturated to [lo, hi].
template <typename T>
void QuantizeBias(const std::vector<float>& bias, float input_scale, const std::vector<float>& weight_scales,
                  double lo, double hi, std::vector<T>* values, std::vector<float>* scales) {
  scales->resize(bias.size());
  values->resize(bias.size());
  for (size_t c = 0; c < bias.size(); ++c) {
    const float ws = weight_scales.size() == 1 ? weight_scales[0] : weight_scales[c];
    const float s = static_cast<float>(static_cast<double>(input_scale) * static_cast<double>(ws));
    (*scales)[c] = s;
    const double q = s > 0.0f ? std::round(static_cast<double>(bias[c]) / static_cast<double>(s)) : 0.0;
    (*values)[c] = static_cast<T>(std::min(hi, std::max(lo, q)));
  }
}

}  // namespace

QuantizedBias QuantizeBiasInt32(const std::vector<float>& bias, float input_scale,
                                const std::vector<float>& weight_scales) {
  QuantizedBias out;
  QuantizeBias(bias, input_scale, weight_scales, static_cast<double>(std::numeric_limits<int32_t>::min()),
               static_cast<double>(std::numeric_limits<int32_t>::max()), &out.values, &out.scales);
  return out;
}

QuantizedBias64 QuantizeBiasInt64(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales) {
  QuantizedBias64 out;
  // Within int64 (a float bias over any float scale stays far below).
  QuantizeBias(bias, input_scale, weight_scales, -9.0e18, 9.0e18, &out.values, &out.scales);
  return out;
}

namespace {

// The value at which the cumulative count of the histogram reaches `target` (linear
// inside the bin).
float Quantile(const TensorRange& r, double target) {
  const size_t bins = r.histogram.size();
  const double width = (static_cast<double>(r.max) - r.min) / static_cast<double>(bins);
  double cum = 0.0;
  for (size_t b = 0; b < bins; ++b) {
    const double n = static_cast<double>(r.histogram[b]);
    if (n > 0.0 && cum + n >= target) {
      const double frac = std::min(1.0, std::max(0.0, (target - cum) / n));
      return static_cast<float>(r.min + width * (static_cast<double>(b) + frac));
    }
    cum += n;
  }
  return r.max;
}

// Expected squared error of quantizing the histogram's values with the parameters of
// [lo, hi]: clipping outside the representable range, scale^2 / 12 inside.
double ExpectedError(const TensorRange& r, float lo, float hi, bool int16) {
  const QuantParams q = int16 ? ChooseActivationParams16(lo, hi) : ChooseActivationParams(lo, hi);
  const double s = q.scale;
  const double qmin = int16 ? -32768.0 : -128.0, qmax = int16 ? 32767.0 : 127.0;
  const double qlo = (qmin - q.zero_point) * s, qhi = (qmax - q.zero_point) * s;
  const size_t bins = r.histogram.size();
  const double width = (static_cast<double>(r.max) - r.min) / static_cast<double>(bins);
  double err = 0.0;
  for (size_t b = 0; b < bins; ++b) {
    if (r.histogram[b] == 0) continue;
    const double x = r.min + width * (static_cast<double>(b) + 0.5);
    const double e = x < qlo ? (x - qlo) * (x - qlo) : x > qhi ? (x - qhi) * (x - qhi) : s * s / 12.0;
    err += static_cast<double>(r.histogram[b]) * e;
  }
  return err;
}

}  // namespace

void ChooseRange(const TensorRange& r, CalibrationMethod method, double percentile, float* lo,
                 float* hi, bool int16) {
  *lo = r.min;
  *hi = r.max;
  if (method == CalibrationMethod::kMinMax || r.histogram.empty() || !(r.max > r.min)) return;
  uint64_t total = 0;
  for (uint64_t n : r.histogram) total += n;
  if (total == 0) return;
  if (method == CalibrationMethod::kPercentile) {
    const double p = std::min(100.0, std::max(50.0, percentile)) / 100.0;
    *lo = std::max(r.min, Quantile(r, (1.0 - p) * static_cast<double>(total)));
    *hi = std::min(r.max, Quantile(r, p * static_cast<double>(total)));
    if (*lo > *hi) *lo = *hi;
    return;
  }
  // kMse: both ends pulled toward zero by the same fraction, 1 % steps; the widest of
  // equal errors wins.
  double best = ExpectedError(r, r.min, r.max, int16);
  for (int k = 99; k >= 10; --k) {
    const float f = static_cast<float>(k) / 100.0f;
    const float l = r.min < 0.0f ? r.min * f : r.min, h = r.max > 0.0f ? r.max * f : r.max;
    const double e = ExpectedError(r, l, h, int16);
    if (e < best) {
      best = e;
      *lo = l;
      *hi = h;
    }
  }
}

}  // namespace tinymlc
