#include "tinymlc/quant.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace tinymlc {

QuantizedMultiplier QuantizeMultiplier(double real_multiplier) {
  QuantizedMultiplier out;
  // 0, and (hostile models only) a ratio of scales that overflowed or is not a number.
  if (real_multiplier == 0.0 || !std::isfinite(real_multiplier)) return out;
  int exponent = 0;
  const double significand = std::frexp(real_multiplier, &exponent);
  int64_t fixed = static_cast<int64_t>(std::round(significand * static_cast<double>(1LL << 31)));
  if (fixed == (1LL << 31)) {
    fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    fixed = 0;
  }
  out.multiplier = static_cast<int32_t>(fixed);
  out.shift = exponent;
  return out;
}

ActivationRange ActivationRangeQuantized(Activation act, float output_scale,
                                         int32_t output_zero_point, int32_t qmin,
                                         int32_t qmax) {
  auto quantize = [&](float x) {
    return output_zero_point + static_cast<int32_t>(std::round(x / output_scale));
  };
  ActivationRange r{qmin, qmax};
  switch (act) {
    case Activation::kRelu:
      r.min = std::max(qmin, quantize(0.0f));
      break;
    case Activation::kRelu6:
      r.min = std::max(qmin, quantize(0.0f));
      r.max = std::min(qmax, quantize(6.0f));
      break;
    case Activation::kReluN1To1:
      r.min = std::max(qmin, quantize(-1.0f));
      r.max = std::min(qmax, quantize(1.0f));
      break;
    default:
      break;
  }
  return r;
}

int32_t ComputeOutSize(Padding padding, int32_t in_size, int32_t filter_size, int32_t stride,
                       int32_t dilation) {
  if (stride <= 0) return 0;
  const int64_t effective = (static_cast<int64_t>(filter_size) - 1) * dilation + 1;
  if (padding == Padding::kSame) {
    return static_cast<int32_t>((static_cast<int64_t>(in_size) + stride - 1) / stride);
  }
  const int64_t n = (static_cast<int64_t>(in_size) + stride - effective) / stride;
  return static_cast<int32_t>(std::max<int64_t>(n, 0));
}

int32_t ComputePadding(int32_t stride, int32_t dilation, int32_t in_size, int32_t filter_size,
                       int32_t out_size) {
  const int64_t effective = (static_cast<int64_t>(filter_size) - 1) * dilation + 1;
  int64_t total = (static_cast<int64_t>(out_size) - 1) * stride + effective - in_size;
  if (total < 0) total = 0;
  return static_cast<int32_t>(total / 2);
}

SoftmaxScaling PreprocessSoftmaxScaling(double beta, double input_scale, int integer_bits) {
  SoftmaxScaling s;
  const double max_real = static_cast<double>((1LL << 31) - 1);
  const double real = std::min(beta * input_scale * static_cast<double>(1 << (31 - integer_bits)),
                               max_real);
  const QuantizedMultiplier q = QuantizeMultiplier(real);
  s.input_multiplier = q.multiplier;
  s.input_left_shift = q.shift;
  // CalculateInputRadius with 31 total signed bits.
  // ldexp: defined for any shift (the operators refuse scalings at or below 1, where TFLM's
  // shift would be negative).
  const double max_input_rescaled = 1.0 * static_cast<double>((1 << integer_bits) - 1) *
                                    static_cast<double>(1LL << (31 - integer_bits)) /
                                    std::ldexp(1.0, q.shift);
  const int radius = static_cast<int>(std::floor(max_input_rescaled));
  s.diff_min = static_cast<int32_t>(-1.0 * radius);
  return s;
}

namespace {
int32_t SatRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (1LL << 31));
}
int32_t RoundingDivideByPot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
}  // namespace

int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : (shift < -31 ? 31 : -shift);
  // x * 2^left modulo 2^32, as TFLM's int32 product x * (1 << left) wraps and as the
  // kernels compute it (tml_multiply_by_quantized_multiplier); defined for any shift a
  // hostile model can ask for (0 from 32 on).
  const uint32_t shifted = left >= 32 ? 0u : static_cast<uint32_t>(x) << left;
  return RoundingDivideByPot(
      SatRoundingDoublingHighMul(static_cast<int32_t>(shifted), multiplier), right);
}

}  // namespace tinymlc
