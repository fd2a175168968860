// The reference's arithmetic primitives against values worked out by hand from the
// definitions in TFLM (quantization_util.cc, common.h, kernel_util.cc, padding.h) and
// gemmlowp (fixedpoint.h).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "reference_ops.h"

namespace tinymlc::testing {
namespace {

using namespace ref;  // NOLINT

TEST(RefArith, SaturatingRoundingDoublingHighMul) {
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29);  // 0.5 * 0.5
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(100, 1 << 30), 50);
  // Ties: +1.5 -> 2 but -1.5 -> -1 (the nudge rounds ties toward +infinity).
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(3, 1 << 30), 2);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-3, 1 << 30), -1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-5, 1 << 30), -2);  // -2.5 -> -2
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(kMin, kMin), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(kMin, 1 << 30), -(1 << 30));
}

TEST(RefArith, RoundingDivideByPOT) {
  EXPECT_EQ(RoundingDivideByPOT(5, 1), 3);    // 2.5 -> 3
  EXPECT_EQ(RoundingDivideByPOT(-5, 1), -3);  // -2.5 -> -3 (away from zero)
  EXPECT_EQ(RoundingDivideByPOT(4, 1), 2);
  EXPECT_EQ(RoundingDivideByPOT(-4, 1), -2);
  EXPECT_EQ(RoundingDivideByPOT(7, 2), 2);    // 1.75
  EXPECT_EQ(RoundingDivideByPOT(6, 2), 2);    // 1.5
  EXPECT_EQ(RoundingDivideByPOT(-6, 2), -2);  // -1.5
  EXPECT_EQ(RoundingDivideByPOT(-7, 2), -2);  // -1.75
  EXPECT_EQ(RoundingDivideByPOT(-5, 2), -1);  // -1.25
  EXPECT_EQ(RoundingDivideByPOT(123, 0), 123);
  EXPECT_EQ(RoundingDivideByPOT(std::numeric_limits<int32_t>::max(), 31), 1);
}

TEST(RefArith, MultiplyByQuantizedMultiplier) {
  EXPECT_EQ(MultiplyByQuantizedMultiplier(100, 1 << 30, 0), 50);    // x 0.5
  EXPECT_EQ(MultiplyByQuantizedMultiplier(100, 1 << 30, -1), 25);   // x 0.25
  EXPECT_EQ(MultiplyByQuantizedMultiplier(100, 1 << 30, 1), 100);   // x 1.0
  EXPECT_EQ(MultiplyByQuantizedMultiplier(100, 1 << 30, 3), 400);   // x 4.0
  // Double rounding: 3 x 0.25: high mul gives 1.5 -> 2, then 2 / 2 = 1 -> 1.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(3, 1 << 30, -1), 1);
  // -3 x 0.25: high mul -1.5 -> -1, then -1 / 2 = -0.5 -> -1.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-3, 1 << 30, -1), -1);
  // 5 x 0.25 = 1.25: 2.5 -> 3, 3/2 = 1.5 -> 2 (single rounding would give 1).
  EXPECT_EQ(MultiplyByQuantizedMultiplier(5, 1 << 30, -1), 2);
}

TEST(RefArith, QuantizeMultiplier) {
  auto q = [](double d) {
    const Multiplier m = QuantizeMultiplier(d);
    return std::make_pair(m.multiplier, m.shift);
  };
  EXPECT_EQ(q(0.0), std::make_pair(0, 0));
  EXPECT_EQ(q(0.5), std::make_pair(1 << 30, 0));
  EXPECT_EQ(q(1.0), std::make_pair(1 << 30, 1));
  EXPECT_EQ(q(0.75), std::make_pair(1610612736, 0));
  EXPECT_EQ(q(0.375), std::make_pair(1610612736, -1));
  EXPECT_EQ(q(3.0), std::make_pair(1610612736, 2));
  // 1/3 = 0.666.. * 2^-1: round(0.666.. * 2^31) = 1431655765.
  EXPECT_EQ(q(1.0 / 3.0), std::make_pair(1431655765, -1));
  // Rounds up to 2^31: becomes 2^30 with the exponent raised.
  EXPECT_EQ(q(1.0 - std::ldexp(1.0, -40)), std::make_pair(1 << 30, 1));
  // Exponent below -31 flushes to zero.
  EXPECT_EQ(q(std::ldexp(1.0, -40)), std::make_pair(0, 0));
  EXPECT_EQ(q(std::ldexp(0.5, -31)), std::make_pair(1 << 30, -31));
}

TEST(RefArith, ActivationRange) {
  auto r = [](int act, float scale, int32_t zp) {
    const ActRange a = ActivationRange(act, scale, zp);
    return std::make_pair(a.min, a.max);
  };
  EXPECT_EQ(r(kActNone, 0.05f, -10), std::make_pair(-128, 127));
  EXPECT_EQ(r(kActRelu, 0.05f, -10), std::make_pair(-10, 127));
  EXPECT_EQ(r(kActRelu6, 0.05f, -10), std::make_pair(-10, 110));  // 6 / 0.05 = 120
  EXPECT_EQ(r(kActRelu6, 0.01f, 0), std::make_pair(0, 127));      // 600 clamps to 127
  EXPECT_EQ(r(kActReluN1To1, 0.01f, 0), std::make_pair(-100, 100));
  EXPECT_EQ(r(kActRelu, 0.1f, -128), std::make_pair(-128, 127));
  // TFLM does not reconcile an out-of-range zero point: min ends up above max.
  EXPECT_EQ(r(kActRelu, 0.1f, 200), std::make_pair(200, 127));
  // The bound is rounded in float: 6 / 0.04f = 150.0000021 in float math -> 150.
  EXPECT_EQ(r(kActRelu6, 0.04f, -128), std::make_pair(-128, 22));
  const ActRange i16 = ActivationRange(kActRelu6, 0.001f, 0, DT::kInt16);
  EXPECT_EQ(i16.min, 0);
  EXPECT_EQ(i16.max, 6000);
}

TEST(RefArith, Padding) {
  auto p = [](int pad, int in, int f, int s, int d) {
    const PadInfo x = ComputePadding(pad, in, f, s, d);
    return std::make_pair(x.out_size, x.padding);
  };
  EXPECT_EQ(p(kSame, 8, 3, 2, 1), std::make_pair(4, 0));  // total 1: extra row at the end
  EXPECT_EQ(p(kSame, 7, 3, 2, 1), std::make_pair(4, 1));  // total 2
  EXPECT_EQ(p(kValid, 7, 3, 2, 1), std::make_pair(3, 0));
  EXPECT_EQ(p(kSame, 5, 3, 1, 2), std::make_pair(5, 2));  // dilated filter spans 5
  EXPECT_EQ(p(kValid, 5, 3, 1, 2), std::make_pair(1, 0));
  EXPECT_EQ(p(kSame, 49, 10, 2, 1), std::make_pair(25, 4));  // total 9 -> 4 before
  EXPECT_EQ(p(kSame, 4, 1, 1, 1), std::make_pair(4, 0));
  EXPECT_EQ(p(-1, 8, 3, 1, 1), std::make_pair(0, 0));  // unknown padding (no options)
}

TEST(RefArith, ConvAndFullyConnectedMultipliers) {
  const std::vector<Multiplier> m = ConvMultipliers(0.5f, {0.5f, 0.25f}, 0.25f, 2);
  EXPECT_EQ(m[0].multiplier, 1 << 30);  // 0.5 * 0.5 / 0.25 = 1.0
  EXPECT_EQ(m[0].shift, 1);
  EXPECT_EQ(m[1].shift, 0);  // 0.5
  // One filter scale is broadcast to every channel.
  const std::vector<Multiplier> t = ConvMultipliers(0.5f, {0.25f}, 0.25f, 3);
  EXPECT_EQ(t[2].multiplier, 1 << 30);
  EXPECT_EQ(t[2].shift, 0);
  const Multiplier fc = FullyConnectedMultiplier(0.5f, 0.5f, 0.25f);
  EXPECT_EQ(fc.multiplier, 1 << 30);
  EXPECT_EQ(fc.shift, 1);
}

// FULLY_CONNECTED forms input_scale * filter_scale in double, as CONV_2D does (the
// TFLM that runs; older TFLM sources rounded the product to float first). This scale
// triple, from a search over scales, tells the two derivations apart.
TEST(RefArith, FullyConnectedUsesDoubleProduct) {
  const float in = 0.0244801156f, w = 0.0103415027f, out = 0.0147271985f;
  const Multiplier fc = FullyConnectedMultiplier(in, w, out);
  const Multiplier conv = ConvMultipliers(in, {w}, out, 1)[0];
  const Multiplier float_product = QuantizeMultiplier(static_cast<double>(in * w) / out);
  EXPECT_EQ(fc.multiplier, conv.multiplier);
  EXPECT_EQ(fc.shift, conv.shift);
  EXPECT_NE(fc.multiplier, float_product.multiplier);
}

TEST(RefArith, AddParams) {
  // Equal scales 1.0: inputs x 0.5 (2^30, 0); output 2 / 2^20 = 2^-19 -> (2^30, -18).
  const AddParams p = PrepareAdd(1.0f, 0, 1.0f, 0, 1.0f, 0, kActNone);
  EXPECT_EQ(p.input1.multiplier, 1 << 30);
  EXPECT_EQ(p.input1.shift, 0);
  EXPECT_EQ(p.output.multiplier, 1 << 30);
  EXPECT_EQ(p.output.shift, -18);
  EXPECT_EQ(AddElement(3, 4, p), 7);
  EXPECT_EQ(AddElement(-3, -4, p), -7);
  EXPECT_EQ(AddElement(100, 100, p), 127);
  EXPECT_EQ(AddElement(-100, -100, p), -128);
  // Different scales: 1.0 and 0.5, output 1.0 with zero points 1, -2, 3.
  const AddParams q = PrepareAdd(1.0f, 1, 0.5f, -2, 1.0f, 3, kActNone);
  EXPECT_EQ(q.input2.multiplier, 1 << 30);
  EXPECT_EQ(q.input2.shift, -1);  // 0.25
  // (5-1)*1 + (8+2)*0.5 = 9, + 3 = 12.
  EXPECT_EQ(AddElement(5, 8, q), 12);
  // (2-1) + (-1+2)*0.5 = 1.5 -> 2 (+3 = 5).
  EXPECT_EQ(AddElement(2, -1, q), 5);
  // RELU with output zero point 3 clamps at 3.
  const AddParams r = PrepareAdd(1.0f, 0, 1.0f, 0, 1.0f, 3, kActRelu);
  EXPECT_EQ(AddElement(-10, 2, r), 3);
}

TEST(RefArith, SoftmaxParams) {
  // beta 1, scale 1: 2^26 -> (2^30, 27); radius floor(31 * 2^26 / 2^27) = 15.
  const SoftmaxParams p = PrepareSoftmax(1.0f, 1.0f);
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.input_left_shift, 27);
  EXPECT_EQ(p.diff_min, -15);
  // scale 1/16: 2^22 -> (2^30, 23); radius 31 * 2^26 / 2^23 = 248.
  const SoftmaxParams q = PrepareSoftmax(1.0f, 1.0f / 16);
  EXPECT_EQ(q.input_left_shift, 23);
  EXPECT_EQ(q.diff_min, -248);
  // A huge beta is capped at 2^31 - 1.
  const SoftmaxParams big = PrepareSoftmax(1e6f, 1.0f);
  EXPECT_EQ(big.input_multiplier, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(big.input_left_shift, 31);
}

TEST(RefArith, FixedPointExpAndReciprocal) {
  const double q31 = 2147483648.0;
  // exp(0) is exactly "one" (INT32_MAX).
  EXPECT_EQ(ExpOnNegativeValuesQ5(0), std::numeric_limits<int32_t>::max());
  for (double x : {-0.01, -0.25, -0.3, -1.0, -2.5, -7.75, -20.0, -31.9}) {
    const int32_t raw = static_cast<int32_t>(std::lround(x * (1 << 26)));
    EXPECT_NEAR(ExpOnNegativeValuesQ5(raw) / q31, std::exp(x), 2e-6) << x;
  }
  for (double x : {-0.25, -0.125, -0.01}) {
    const int32_t raw = static_cast<int32_t>(std::lround(x * q31));
    EXPECT_NEAR(ExpOnInterval(raw) / q31, std::exp(x), 2e-6) << x;
  }
  for (double x : {0.0, 0.1, 0.5, 0.9, 0.999}) {
    const int32_t raw = static_cast<int32_t>(std::lround(x * q31));
    EXPECT_NEAR(OneOverOnePlusX(raw) / q31, 1.0 / (1.0 + x), 2e-6) << x;
  }
}

}  // namespace
}  // namespace tinymlc::testing
