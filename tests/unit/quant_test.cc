// Compile-time quantization arithmetic against hand-computed values.
#include "tinymlc/quant.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace tinymlc {
namespace {

struct MultiplierCase {
  double real;
  int32_t multiplier;
  int32_t shift;
};

class QuantizeMultiplierTest : public ::testing::TestWithParam<MultiplierCase> {};

TEST_P(QuantizeMultiplierTest, MatchesHandComputed) {
  const MultiplierCase c = GetParam();
  const QuantizedMultiplier q = QuantizeMultiplier(c.real);
  EXPECT_EQ(q.multiplier, c.multiplier) << "real " << c.real;
  EXPECT_EQ(q.shift, c.shift) << "real " << c.real;
}

INSTANTIATE_TEST_SUITE_P(
    HandComputed, QuantizeMultiplierTest,
    ::testing::Values(
        MultiplierCase{0.0, 0, 0},                  // zero stays zero
        MultiplierCase{0.5, 1 << 30, 0},            // frexp(0.5) = 0.5 * 2^0
        MultiplierCase{1.0, 1 << 30, 1},            // 0.5 * 2^1
        MultiplierCase{0.75, 1610612736, 0},        // 0.75 * 2^31
        MultiplierCase{0.1, 1717986918, -3},        // 0.8 * 2^-3; 0.8 * 2^31 = 1717986918.4
        MultiplierCase{1.0 - 1.0 / (1LL << 40), 1 << 30, 1},  // significand rounds up to 2^31
        MultiplierCase{1.0 / (1LL << 40), 0, 0},    // exponent below -31 flushes to zero
        MultiplierCase{3.0, 1610612736, 2}));       // 0.75 * 2^2

struct MbqmCase {
  int32_t x, multiplier, shift, expected;
};

class MultiplyByQuantizedMultiplierTest : public ::testing::TestWithParam<MbqmCase> {};

TEST_P(MultiplyByQuantizedMultiplierTest, MatchesHandComputed) {
  const MbqmCase c = GetParam();
  EXPECT_EQ(MultiplyByQuantizedMultiplier(c.x, c.multiplier, c.shift), c.expected)
      << c.x << " * " << c.multiplier << " * 2^" << c.shift;
}

INSTANTIATE_TEST_SUITE_P(
    HandComputed, MultiplyByQuantizedMultiplierTest,
    ::testing::Values(
        MbqmCase{100, 1 << 30, 0, 50},           // 100 * 0.5
        MbqmCase{1000, 1610612736, -2, 188},     // 750 / 4 = 187.5 -> 188 (half away from 0)
        MbqmCase{-1000, 1610612736, -2, -188},   // -187.5 -> -188
        MbqmCase{1001, 1610612736, -2, 188},     // 750.75 -> 751 (doubling high mul), /4 -> 187.75
        MbqmCase{3, 1 << 30, 2, 6},              // left shift: 3 * 4 * 0.5
        MbqmCase{std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::min(), 0,
                 std::numeric_limits<int32_t>::max()},  // saturation
        // Left shifts wrap modulo 2^32 as the kernels' (and TFLM's int32 product) do:
        MbqmCase{1 << 29, 1 << 30, 2, -(1 << 30)},  // 2^31 wraps to -2^31, * 0.5
        MbqmCase{3, 1 << 30, 31, -(1 << 30)},       // 3 * 2^31 = -2^31 mod 2^32
        MbqmCase{3, 1 << 30, 32, 0},                // 0 from 2^32 on
        MbqmCase{-7, 1 << 30, 90, 0}));

TEST(ActivationRange, Relu6WithNegativeZeroPoint) {
  // quantize(6) = -128 + round(6 / 0.05) = -8; quantize(0) = -128.
  const ActivationRange r = ActivationRangeQuantized(Activation::kRelu6, 0.05f, -128, -128, 127);
  EXPECT_EQ(r.min, -128);
  EXPECT_EQ(r.max, -8);
}

TEST(ActivationRange, ReluN1To1) {
  const ActivationRange r = ActivationRangeQuantized(Activation::kReluN1To1, 0.01f, 0, -128, 127);
  EXPECT_EQ(r.min, -100);
  EXPECT_EQ(r.max, 100);
}

TEST(ActivationRange, ReluClampsAtZeroPointAndSaturates) {
  const ActivationRange relu = ActivationRangeQuantized(Activation::kRelu, 0.1f, 5, -128, 127);
  EXPECT_EQ(relu.min, 5);
  EXPECT_EQ(relu.max, 127);
  // 6 / 0.001 is far above 127: the upper bound stays at qmax.
  const ActivationRange r6 = ActivationRangeQuantized(Activation::kRelu6, 0.001f, 0, -128, 127);
  EXPECT_EQ(r6.max, 127);
  const ActivationRange none = ActivationRangeQuantized(Activation::kNone, 0.1f, 5, -128, 127);
  EXPECT_EQ(none.min, -128);
  EXPECT_EQ(none.max, 127);
}

TEST(Padding, OutSizeSameAndValid) {
  EXPECT_EQ(ComputeOutSize(Padding::kSame, 10, 3, 2, 1), 5);   // ceil(10 / 2)
  EXPECT_EQ(ComputeOutSize(Padding::kValid, 10, 3, 2, 1), 4);  // (10 + 2 - 3) / 2
  EXPECT_EQ(ComputeOutSize(Padding::kValid, 10, 3, 1, 2), 6);  // effective filter 5
  EXPECT_EQ(ComputeOutSize(Padding::kSame, 7, 3, 0, 1), 0);    // stride 0 is invalid
}

TEST(Padding, LeadingPadding) {
  EXPECT_EQ(ComputePadding(2, 1, 10, 3, 5), 0);  // total 4*2 + 3 - 10 = 1 -> 0 before, 1 after
  EXPECT_EQ(ComputePadding(1, 1, 5, 3, 5), 1);   // total 2 -> 1 each side
  EXPECT_EQ(ComputePadding(1, 2, 5, 3, 5), 2);   // effective 5: total 4 -> 2
  EXPECT_EQ(ComputePadding(1, 1, 5, 3, 3), 0);   // VALID output: no padding
}

TEST(Softmax, ScalingForPowerOfTwoScale) {
  // beta * scale * 2^(31-5) = 2^-4 * 2^26 = 2^22 = 0.5 * 2^23 -> (2^30, 23);
  // radius = 31 * 2^26 / 2^23 = 248.
  const SoftmaxScaling s = PreprocessSoftmaxScaling(1.0, 0.0625, 5);
  EXPECT_EQ(s.input_multiplier, 1 << 30);
  EXPECT_EQ(s.input_left_shift, 23);
  EXPECT_EQ(s.diff_min, -248);
}

TEST(Softmax, LargeBetaIsCapped) {
  // beta * scale * 2^26 above 2^31 - 1 is capped there: (2^31 - 1) = (2^31 - 1)/2^31 * 2^31
  // -> multiplier 2^31 - 1, shift 31; radius = floor(31 * 2^26 / 2^31) = 0.
  const SoftmaxScaling s = PreprocessSoftmaxScaling(1000.0, 1.0, 5);
  EXPECT_EQ(s.input_multiplier, 2147483647);
  EXPECT_EQ(s.input_left_shift, 31);
  EXPECT_EQ(s.diff_min, 0);
}

}  // namespace
}  // namespace tinymlc
