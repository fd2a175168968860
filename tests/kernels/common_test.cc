// Fixed-point helpers of tml_common.h against hand-computed values.
#include <gtest/gtest.h>

#include <cstdint>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kMin = INT32_MIN;
constexpr int32_t kMax = INT32_MAX;
constexpr int32_t kHalf = 1 << 30;  // 0.5 in Q0.31

struct BinaryCase {
  int32_t a, b, expected;
};

// SaturatingRoundingDoublingHighMul = round(a * b / 2^31): the int64 product plus
// 2^30 (or 1 - 2^30 when negative), divided by 2^31 truncating toward zero. Ties
// therefore go toward +infinity for both signs.
class SatRoundingDoublingHighMul : public ::testing::TestWithParam<BinaryCase> {};

TEST_P(SatRoundingDoublingHighMul, MatchesHandValue) {
  const BinaryCase c = GetParam();
  EXPECT_EQ(tml_sat_rounding_doubling_high_mul(c.a, c.b), c.expected) << c.a << " * " << c.b;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SatRoundingDoublingHighMul,
    ::testing::Values(
        // (-1) * (-1) = +1 does not fit: saturates.
        BinaryCase{kMin, kMin, kMax},
        // (2^31-1)^2 = 2^62 - 2^32 + 1; (+2^30) / 2^31 = 2^31 - 2 + 0.50000000047 -> 2^31 - 2.
        BinaryCase{kMax, kMax, 2147483646},
        // -2^31 (2^31-1) = -2^62 + 2^31; (+1 - 2^30) / 2^31 = -(2^31 - 1) - 0.4999999995 -> -(2^31 - 1).
        BinaryCase{kMin, kMax, -2147483647},
        // 2^30 * 2^30 / 2^31 = 2^29 exactly.
        BinaryCase{kHalf, kHalf, 1 << 29},
        // 1 * 0.5 = 0.5 -> 1 (tie up), -1 * 0.5 = -0.5 -> 0 (tie up, toward zero here).
        BinaryCase{1, kHalf, 1}, BinaryCase{-1, kHalf, 0},
        // 3 * 0.5 = 1.5 -> 2, -3 * 0.5 = -1.5 -> -1.
        BinaryCase{3, kHalf, 2}, BinaryCase{-3, kHalf, -1},
        // -5 * 0.5 = -2.5 -> -2; -2.5000000005 (b = 2^30 + 1) -> -3.
        BinaryCase{-5, kHalf, -2}, BinaryCase{-5, kHalf + 1, -3},
        // anything * 0 = 0
        BinaryCase{kMin, 0, 0}));

// RoundingDivideByPOT = x / 2^e rounded to nearest, ties away from zero.
class RoundingDivideByPot : public ::testing::TestWithParam<BinaryCase> {};

TEST_P(RoundingDivideByPot, MatchesHandValue) {
  const BinaryCase c = GetParam();
  EXPECT_EQ(tml_rounding_divide_by_pot(c.a, c.b), c.expected) << c.a << " / 2^" << c.b;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RoundingDivideByPot,
    ::testing::Values(BinaryCase{7, 0, 7}, BinaryCase{-7, 0, -7},     // exponent 0: identity
                      BinaryCase{5, 1, 3}, BinaryCase{-5, 1, -3},     // +-2.5 -> +-3
                      BinaryCase{-4, 1, -2},                          // exact
                      BinaryCase{-6, 2, -2},                          // -1.5 -> -2
                      BinaryCase{-7, 2, -2},                          // -1.75 -> -2
                      BinaryCase{-5, 2, -1},                          // -1.25 -> -1
                      BinaryCase{6, 2, 2}, BinaryCase{5, 2, 1},       // 1.5 -> 2, 1.25 -> 1
                      BinaryCase{kMax, 31, 1},                        // 0.99999 -> 1
                      BinaryCase{kMin, 31, -1},                       // exactly -1
                      BinaryCase{1 << 30, 31, 1},                     // 0.5 -> 1
                      BinaryCase{-(1 << 30), 31, -1},                 // -0.5 -> -1
                      BinaryCase{(1 << 30) - 1, 31, 0},               // 0.49999 -> 0
                      BinaryCase{kMin, 1, -(1 << 30)}));              // exact

struct MbqmCase {
  int32_t x, multiplier, shift, expected;
};

// MultiplyByQuantizedMultiplier (double rounding):
// RoundingDivideByPOT(SRDHM(x * 2^max(shift, 0), multiplier), max(-shift, 0)).
class MultiplyByQuantizedMultiplier : public ::testing::TestWithParam<MbqmCase> {};

TEST_P(MultiplyByQuantizedMultiplier, MatchesHandValue) {
  const MbqmCase c = GetParam();
  EXPECT_EQ(tml_multiply_by_quantized_multiplier(c.x, c.multiplier, c.shift), c.expected)
      << c.x << " * " << c.multiplier << " * 2^" << c.shift;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MultiplyByQuantizedMultiplier,
    ::testing::Values(
        // x * 0.5 * 2^1 = x exactly (the "identity" multiplier).
        MbqmCase{-77, kHalf, 1, -77},
        // 3 * 0.5 = 1.5 -> 2; -3 * 0.5 = -1.5 -> -1 (SRDHM ties up, no second rounding).
        MbqmCase{3, kHalf, 0, 2}, MbqmCase{-3, kHalf, 0, -1},
        // Double rounding: 5 * 0.25 = 1.25, but SRDHM(5, 0.5) = 2.5 -> 3, then 3 / 2 = 1.5 -> 2.
        MbqmCase{5, kHalf, -1, 2},
        // -5 * 0.25 = -1.25: SRDHM -> -2.5 -> -2, then -2 / 2 = -1.
        MbqmCase{-5, kHalf, -1, -1},
        // Left shift first: 3 * 4 = 12, * 0.5 = 6.
        MbqmCase{3, kHalf, 2, 6},
        // 2^29 * 2^2 wraps to -2^31 in int32 as in TFLM; * 0.5 = -2^30.
        MbqmCase{1 << 29, kHalf, 2, -(1 << 30)},
        // Largest right shift: SRDHM(max, max) = 2^31 - 2, / 2^31 = 0.99999 -> 1.
        MbqmCase{kMax, kMax, -31, 1},
        // 1000 * 1518500250 / 2^31 = 707.1068 -> 707; 707 / 8 = 88.375 -> 88.
        MbqmCase{1000, 1518500250, -3, 88},
        // Zero multiplier.
        MbqmCase{12345, 0, 0, 0},
        // Left shifts a hostile model's scales give: x * 2^shift modulo 2^32, so
        // 3 * 2^31 wraps to -2^31 (* 0.5 = -2^30), and from 2^32 on it is 0.
        MbqmCase{3, kHalf, 31, -(1 << 30)}, MbqmCase{3, kHalf, 32, 0}, MbqmCase{-7, kHalf, 90, 0}));

TEST(Clamp, ClampsToRange) {
  EXPECT_EQ(tml_clamp(-129, -128, 127), -128);
  EXPECT_EQ(tml_clamp(128, -128, 127), 127);
  EXPECT_EQ(tml_clamp(5, 0, 6), 5);
  EXPECT_EQ(tml_clamp(7, 0, 6), 6);
  EXPECT_EQ(tml_clamp(-1, 0, 6), 0);
  EXPECT_EQ(tml_clamp(3, 3, 3), 3);
}

}  // namespace
