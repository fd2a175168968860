// The quantizer's rules (tinymlc/quantize.h) against hand-computed values.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "tinymlc/quantize.h"

namespace tinymlc {
namespace {

TEST(QuantizeRules, ActivationParamsRangeHoldsZero) {
  // [0, 6]: scale 6/255, zero at the bottom of the int8 range.
  QuantParams q = ChooseActivationParams(0.0f, 6.0f);
  EXPECT_FLOAT_EQ(q.scale, 6.0f / 255.0f);
  EXPECT_EQ(q.zero_point, -128);
  // [2, 5] is widened to [0, 5].
  q = ChooseActivationParams(2.0f, 5.0f);
  EXPECT_FLOAT_EQ(q.scale, 5.0f / 255.0f);
  EXPECT_EQ(q.zero_point, -128);
  // [-3, -1] is widened to [-3, 0]: zero at the top.
  q = ChooseActivationParams(-3.0f, -1.0f);
  EXPECT_FLOAT_EQ(q.scale, 3.0f / 255.0f);
  EXPECT_EQ(q.zero_point, 127);
}

TEST(QuantizeRules, ActivationParamsNudgeZeroPoint) {
  // [-1, 1]: -128 + 127.5 = -0.5 from the min end, 127 - 127.5 = -0.5 from the max end
  // (smaller error): rounded half away from zero to -1.
  QuantParams q = ChooseActivationParams(-1.0f, 1.0f);
  EXPECT_FLOAT_EQ(q.scale, 2.0f / 255.0f);
  EXPECT_EQ(q.zero_point, -1);
  // [-1, 3]: scale 4/255, zero point -128 + 63.75 = -64.25 -> -64.
  q = ChooseActivationParams(-1.0f, 3.0f);
  EXPECT_FLOAT_EQ(q.scale, 4.0f / 255.0f);
  EXPECT_EQ(q.zero_point, -64);
  // 0.0 maps exactly to the zero point: the real value of zp is 0.
  EXPECT_EQ((q.zero_point - q.zero_point) * q.scale, 0.0f);
  // An empty range.
  q = ChooseActivationParams(0.0f, 0.0f);
  EXPECT_EQ(q.scale, 1.0f);
  EXPECT_EQ(q.zero_point, 0);
}

TEST(QuantizeRules, WeightsPerChannelAxis0) {
  // Two output channels of 3 weights: max|w| 1.27 and an all-zero channel.
  const std::vector<float> w = {0.5f, -1.27f, 0.1f, 0.0f, 0.0f, 0.0f};
  const SymmetricWeights q = QuantizeWeightsSymmetric(w, {2, 1, 1, 3}, 0, true);
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 0.01f);
  EXPECT_EQ(q.scales[1], 1.0f);
  EXPECT_EQ(q.values, (std::vector<int8_t>{50, -127, 10, 0, 0, 0}));
}

TEST(QuantizeRules, WeightsPerChannelLastAxisAndPerTensor) {
  // Depthwise [1, 1, 2, 2]: channel = index % 2. ch0 {1, -3}, ch1 {-2.2, 4}.
  const std::vector<float> w = {1.0f, -2.2f, -3.0f, 4.0f};
  SymmetricWeights q = QuantizeWeightsSymmetric(w, {1, 1, 2, 2}, 3, true);
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 3.0f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[1], 4.0f / 127.0f);
  // 1 * 127 / 3 = 42.33; -2.2 * 127 / 4 = -69.85.
  EXPECT_EQ(q.values, (std::vector<int8_t>{42, -70, -127, 127}));
  q = QuantizeWeightsSymmetric(w, {1, 1, 2, 2}, 3, false);
  ASSERT_EQ(q.scales.size(), 1u);
  EXPECT_FLOAT_EQ(q.scales[0], 4.0f / 127.0f);
  // 1 * 127 / 4 = 31.75; -3 * 127 / 4 = -95.25.
  EXPECT_EQ(q.values, (std::vector<int8_t>{32, -70, -95, 127}));
}

TEST(QuantizeRules, BiasInt32) {
  QuantizedBias b = QuantizeBiasInt32({1.0f, -0.5f}, 0.5f, {0.01f, 0.02f});
  ASSERT_EQ(b.scales.size(), 2u);
  EXPECT_FLOAT_EQ(b.scales[0], 0.005f);
  EXPECT_FLOAT_EQ(b.scales[1], 0.01f);
  EXPECT_EQ(b.values, (std::vector<int32_t>{200, -50}));
  // One weight scale for every channel; saturation to int32.
  b = QuantizeBiasInt32({1e10f, -1e10f, 0.25f}, 0.001f, {0.001f});
  EXPECT_EQ(b.values, (std::vector<int32_t>{std::numeric_limits<int32_t>::max(),
                                            std::numeric_limits<int32_t>::min(), 250000}));
}

TEST(QuantizeRules, Int16ActivationsSymmetric) {
  // 16x8: zero point 0, scale max(|min|, |max|) / 32767, whatever the sign of the range.
  QuantParams q = ChooseActivationParams16(-0.5f, 2.0f);
  EXPECT_EQ(q.zero_point, 0);
  EXPECT_FLOAT_EQ(q.scale, 2.0f / 32767.0f);
  q = ChooseActivationParams16(-3.0f, 1.0f);
  EXPECT_EQ(q.zero_point, 0);
  EXPECT_FLOAT_EQ(q.scale, 3.0f / 32767.0f);
  q = ChooseActivationParams16(0.0f, 0.0f);
  EXPECT_EQ(q.scale, 1.0f);
}

TEST(QuantizeRules, BiasInt64) {
  // 16x8 layers: the int32 rule's values without its saturation.
  const QuantizedBias64 b = QuantizeBiasInt64({1e10f, -0.5f}, 0.001f, {0.001f, 0.02f});
  ASSERT_EQ(b.scales.size(), 2u);
  EXPECT_FLOAT_EQ(b.scales[1], 0.00002f);
  EXPECT_NEAR(static_cast<double>(b.values[0]), 1e16, 1e10);  // float operands
  EXPECT_GT(b.values[0], int64_t{std::numeric_limits<int32_t>::max()});
  EXPECT_EQ(b.values[1], -25000);
}

TEST(QuantizeRules, RangeMseInt16) {
  // 10 million values in [0, 1) and one outlier at 9.5: with int8 rounding (scale^2 / 12
  // per value, 255 steps) clipping the outlier pays (the finer scale saves more than its
  // (9.5 - hi)^2); with int16 rounding (65,535 steps) it does not, and the range keeps it.
  TensorRange r;
  r.min = 0.0f;
  r.max = 10.0f;
  r.seen = true;
  r.histogram.assign(10, 0);
  r.histogram[0] = 10000000;
  r.histogram[9] = 1;
  float lo = -1, hi = -1;
  ChooseRange(r, CalibrationMethod::kMse, 0.0, &lo, &hi);
  EXPECT_LT(hi, 9.5f);
  ChooseRange(r, CalibrationMethod::kMse, 0.0, &lo, &hi, /*int16=*/true);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_FLOAT_EQ(hi, 9.5f);
}

TensorRange OutlierHistogram() {
  // 99 values in [0, 1) and one in [9, 10) over [0, 10].
  TensorRange r;
  r.min = 0.0f;
  r.max = 10.0f;
  r.seen = true;
  r.histogram.assign(10, 0);
  r.histogram[0] = 99;
  r.histogram[9] = 1;
  return r;
}

TEST(QuantizeRules, RangeMinMaxAndPercentile) {
  const TensorRange r = OutlierHistogram();
  float lo = 0, hi = 0;
  ChooseRange(r, CalibrationMethod::kMinMax, 99.0, &lo, &hi);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 10.0f);
  // The 99th percentile is the top of bin 0 (99 of 100 values); the 1st is 1/99 into it.
  ChooseRange(r, CalibrationMethod::kPercentile, 99.0, &lo, &hi);
  EXPECT_FLOAT_EQ(hi, 1.0f);
  EXPECT_NEAR(lo, 1.0f / 99.0f, 1e-6);
  // 100: the whole range.
  ChooseRange(r, CalibrationMethod::kPercentile, 100.0, &lo, &hi);
  EXPECT_EQ(hi, 10.0f);
}

TEST(QuantizeRules, RangeMse) {
  // The outlier (bin centre 9.5) costs (9.5 - hi)^2 once clipped, far more than the finer
  // scale saves on the 99 others: the best range is the smallest that still holds 9.5.
  const TensorRange r = OutlierHistogram();
  float lo = -1, hi = -1;
  ChooseRange(r, CalibrationMethod::kMse, 0.0, &lo, &hi);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_FLOAT_EQ(hi, 9.5f);
  // Without the outlier (all 100 values in bin 0) the range shrinks to 10 % (the limit of
  // the search).
  TensorRange flat = r;
  flat.histogram[0] = 100;
  flat.histogram[9] = 0;
  ChooseRange(flat, CalibrationMethod::kMse, 0.0, &lo, &hi);
  EXPECT_FLOAT_EQ(hi, 1.0f);
}

}  // namespace
}  // namespace tinymlc
