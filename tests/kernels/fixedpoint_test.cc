// gemmlowp fixed-point functions of tml_fixedpoint.h: exact values where the
// arithmetic is hand-traceable, otherwise the real function within a few LSB.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kMax = INT32_MAX;
constexpr int32_t kMin = INT32_MIN;

double ToReal(int32_t raw, int integer_bits) { return std::ldexp(raw, integer_bits - 31); }
int32_t FromReal(double v, int integer_bits) {
  return static_cast<int32_t>(std::lround(std::ldexp(v, 31 - integer_bits)));
}

TEST(FixedPoint, SatShiftLeftAndRescale) {
  EXPECT_EQ(tml_fp_sat_shift_left(3, 4), 48);
  EXPECT_EQ(tml_fp_sat_shift_left(-3, 0), -3);
  EXPECT_EQ(tml_fp_sat_shift_left((1 << 29) - 1, 2), 2147483644);  // limit 2^29 - 1
  EXPECT_EQ(tml_fp_sat_shift_left(1 << 29, 2), kMax);
  EXPECT_EQ(tml_fp_sat_shift_left(-(1 << 29), 2), kMin);
  EXPECT_EQ(tml_fp_sat_shift_left(1, 31), kMax);  // limit 0
  // Fewer integer bits: shift left; more: rounding right shift (ties away from zero).
  EXPECT_EQ(tml_fp_rescale(5, 2, 0), 20);
  EXPECT_EQ(tml_fp_rescale(5, 0, 2), 1);    // 1.25
  EXPECT_EQ(tml_fp_rescale(6, 0, 2), 2);    // 1.5
  EXPECT_EQ(tml_fp_rescale(-6, 0, 2), -2);  // -1.5
  EXPECT_EQ(tml_fp_rounding_half_sum(kMax, kMax), kMax);
  EXPECT_EQ(tml_fp_rounding_half_sum(-1, 0), -1);  // -0.5 away from zero
  EXPECT_EQ(tml_fp_add(kMax, 1), kMin);            // wraps
  EXPECT_EQ(tml_fp_sub(kMin, 1), kMax);
}

TEST(FixedPoint, ExpOnNegativeValuesExactPoints) {
  for (int bits = 0; bits <= 5; ++bits) {
    EXPECT_EQ(tml_fp_exp_on_negative_values(0, bits), kMax) << bits;  // exp(0) = "1"
  }
  // -1/4 exactly: the interval part is -1/4, no barrel-shifter factor, so the result
  // is exp_on_interval(-2^29) for every format.
  const int32_t e_quarter = tml_fp_exp_on_interval(-(1 << 29));
  for (int bits = 0; bits <= 5; ++bits) {
    EXPECT_EQ(tml_fp_exp_on_negative_values(-(1 << (29 - bits)), bits), e_quarter) << bits;
  }
}

TEST(FixedPoint, ExpOnNegativeValuesApproximatesExp) {
  for (int bits = 0; bits <= 5; ++bits) {
    const double lo = -std::ldexp(1.0, bits);
    for (int k = 1; k <= 64; ++k) {
      const double x = lo * k / 64.0;
      const int32_t got = tml_fp_exp_on_negative_values(FromReal(x, bits), bits);
      // The 4th-order Taylor series on [-1/4, 0) is good to about 2.2e-7.
      EXPECT_NEAR(ToReal(got, 0), std::exp(x), 3e-7) << "bits " << bits << " x " << x;
    }
  }
}

TEST(FixedPoint, Reciprocals) {
  for (double a : {0.0, 0.125, 0.5, 0.75, 0.99}) {
    EXPECT_NEAR(ToReal(tml_fp_one_over_one_plus_x(FromReal(a, 0)), 0), 1.0 / (1.0 + a), 1e-8) << a;
    EXPECT_NEAR(ToReal(tml_fp_one_minus_x_over_one_plus_x(FromReal(a, 0)), 0),
                (1.0 - a) / (1.0 + a), 1e-8)
        << a;
  }
}

TEST(FixedPoint, LogisticAndTanh) {
  EXPECT_EQ(tml_fp_logistic(0, 4), 1 << 30);
  EXPECT_EQ(tml_fp_tanh(0, 4), 0);
  for (int bits = 0; bits <= 4; ++bits) {
    for (double x : {-7.9, -3.0, -1.0, -0.3, 0.01, 0.5, 0.9, 2.0, 6.5}) {
      if (std::fabs(x) >= std::ldexp(1.0, bits)) continue;
      const int32_t a = FromReal(x, bits);
      const int32_t s = tml_fp_logistic(a, bits);
      const int32_t t = tml_fp_tanh(a, bits);
      EXPECT_NEAR(ToReal(s, 0), 1.0 / (1.0 + std::exp(-x)), 3e-7) << bits << " " << x;
      EXPECT_NEAR(ToReal(t, 0), std::tanh(x), 6e-7) << bits << " " << x;
      // Negative arguments are derived from the positive ones exactly.
      EXPECT_EQ(tml_fp_logistic(-a, bits), kMax - s);
      EXPECT_EQ(tml_fp_tanh(-a, bits), -t);
    }
  }
}

}  // namespace
