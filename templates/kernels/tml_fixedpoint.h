/*
 * tml_fixedpoint.h - gemmlowp's fixed-point transcendental functions on int32, as
 * TFLM's reference kernels use them (LOGISTIC, TANH, LOG_SOFTMAX).
 *
 * A value in Qm.n ("m integer bits") is an int32 raw value r standing for
 * r / 2^(31 - m). Functions take the integer bits of their input as a run-time
 * argument where gemmlowp has a template parameter. Every step reproduces gemmlowp's
 * rounding and saturation: SaturatingRoundingDoublingHighMul for products (from
 * tml_common.h), rounding-to-nearest right shifts, saturating left shifts, and plain
 * (wrapping) int32 additions where gemmlowp uses operator+ / operator-; those are
 * done in uint32 here so that no signed overflow occurs.
 */
#ifndef TML_FIXEDPOINT_H
#define TML_FIXEDPOINT_H

#include "tml_common.h"

/* a + b and a - b with two's complement wrap-around. */
TML_KERNEL int32_t tml_fp_add(int32_t a, int32_t b);
TML_KERNEL int32_t tml_fp_sub(int32_t a, int32_t b);
/* x * 2^exponent, exponent in [0, 31], saturating to the int32 range (gemmlowp
 * SaturatingRoundingMultiplyByPOT with a non-negative exponent). */
TML_KERNEL int32_t tml_fp_sat_shift_left(int32_t x, int32_t exponent);
/* Changes a raw value from src_bits to dst_bits integer bits (gemmlowp Rescale):
 * a saturating left shift or a rounding right shift. Bits in [0, 31]. */
TML_KERNEL int32_t tml_fp_rescale(int32_t x, int32_t src_bits, int32_t dst_bits);
/* (a + b) / 2 rounded half away from zero, computed without overflow. */
TML_KERNEL int32_t tml_fp_rounding_half_sum(int32_t a, int32_t b);
/* exp(a) for a in [-1/4, 0): Q0.31 -> Q0.31. */
TML_KERNEL int32_t tml_fp_exp_on_interval(int32_t a);
/* exp(a) for a <= 0 with `integer_bits` (0..5) integer bits -> Q0.31; exp(0) is
 * INT32_MAX. */
TML_KERNEL int32_t tml_fp_exp_on_negative_values(int32_t a, int32_t integer_bits);
/* 1 / (1 + a) for a in [0, 1): Q0.31 -> Q0.31 (Newton-Raphson, 3 steps). */
TML_KERNEL int32_t tml_fp_one_over_one_plus_x(int32_t a);
/* (1 - a) / (1 + a) for a in [0, 1): Q0.31 -> Q0.31. */
TML_KERNEL int32_t tml_fp_one_minus_x_over_one_plus_x(int32_t a);
/* logistic(a) = 1 / (1 + exp(-a)), `integer_bits` (0..5) -> Q0.31. */
TML_KERNEL int32_t tml_fp_logistic(int32_t a, int32_t integer_bits);
/* tanh(a), `integer_bits` (0..4) -> Q0.31. */
TML_KERNEL int32_t tml_fp_tanh(int32_t a, int32_t integer_bits);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_fp_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

TML_KERNEL int32_t tml_fp_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}

TML_KERNEL int32_t tml_fp_sat_shift_left(int32_t x, int32_t exponent) {
  int32_t limit;
  if (exponent == 0) {
    return x;
  }
  limit = (int32_t)(((uint32_t)1 << (31 - exponent)) - 1u);
  if (x > limit) {
    return INT32_MAX;
  }
  if (x < -limit) {
    return INT32_MIN;
  }
  return (int32_t)((uint32_t)x << exponent);
}

TML_KERNEL int32_t tml_fp_rescale(int32_t x, int32_t src_bits, int32_t dst_bits) {
  if (src_bits >= dst_bits) {
    return tml_fp_sat_shift_left(x, src_bits - dst_bits);
  }
  return tml_rounding_divide_by_pot(x, dst_bits - src_bits);
}

TML_KERNEL int32_t tml_fp_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

TML_KERNEL int32_t tml_fp_exp_on_interval(int32_t a) {
  /* Taylor series around -1/8 in x = a + 1/8:
   * exp(a) = exp(-1/8) * (1 + x + x^2/2 + x^3/6 + x^4/24). */
  const int32_t exp_minus_one_eighth = 1895147668; /* Q0.31 */
  const int32_t one_third = 715827883;             /* Q0.31 */
  const int32_t x = tml_fp_add(a, (int32_t)1 << 28);
  const int32_t x2 = tml_sat_rounding_doubling_high_mul(x, x);
  const int32_t x3 = tml_sat_rounding_doubling_high_mul(x2, x);
  const int32_t x4 = tml_sat_rounding_doubling_high_mul(x2, x2);
  const int32_t x4_over_4 = tml_rounding_divide_by_pot(x4, 2);
  const int32_t poly = tml_rounding_divide_by_pot(
      tml_fp_add(tml_sat_rounding_doubling_high_mul(tml_fp_add(x4_over_4, x3), one_third), x2),
      1);
  return tml_fp_add(exp_minus_one_eighth,
                    tml_sat_rounding_doubling_high_mul(exp_minus_one_eighth, tml_fp_add(x, poly)));
}

TML_KERNEL int32_t tml_fp_exp_on_negative_values(int32_t a, int32_t integer_bits) {
  /* exp(-2^k) in Q0.31 for k = -2 .. 4. */
  static const int32_t exp_of_minus_pow2[7] = {1672461947, 1302514674, 790015084, 290630308,
                                               39332535,   720401,     242};
  const int32_t fractional_bits = 31 - integer_bits;
  const int32_t quarter = (int32_t)1 << (fractional_bits - 2);
  /* a = (a mod 1/4 - 1/4) - remainder with the first part in [-1/4, 0) and the
   * remainder a non-negative multiple of 1/4. */
  const int32_t a_mod_quarter_minus_quarter = tml_fp_sub(a & (quarter - 1), quarter);
  const int32_t remainder = tml_fp_sub(a_mod_quarter_minus_quarter, a);
  int32_t result =
      tml_fp_exp_on_interval(tml_fp_rescale(a_mod_quarter_minus_quarter, integer_bits, 0));
  int32_t k;
  /* Only powers of two below 2^integer_bits can occur in the remainder. */
  for (k = -2; k <= 4 && k < integer_bits; ++k) {
    if ((remainder & ((int32_t)1 << (fractional_bits + k))) != 0) {
      result = tml_sat_rounding_doubling_high_mul(result, exp_of_minus_pow2[k + 2]);
    }
  }
  return a == 0 ? INT32_MAX : result;
}

/* Newton-Raphson iterations for 1 / half_denominator, half_denominator in [1/2, 1)
 * (Q0.31); returns the estimate in Q2.29. */
TML_KERNEL int32_t tml_fp_reciprocal_q2(int32_t half_denominator);

TML_KERNEL int32_t tml_fp_reciprocal_q2(int32_t half_denominator) {
  const int32_t c48_over_17 = 1515870810;      /* 48/17 in Q2.29 */
  const int32_t c_neg32_over_17 = -1010580540; /* -32/17 in Q2.29 */
  const int32_t one_q2 = (int32_t)1 << 29;
  int32_t x = tml_fp_add(c48_over_17,
                         tml_sat_rounding_doubling_high_mul(half_denominator, c_neg32_over_17));
  int32_t i;
  for (i = 0; i < 3; ++i) {
    const int32_t error =
        tml_fp_sub(one_q2, tml_sat_rounding_doubling_high_mul(half_denominator, x));
    /* x * error is Q4.27; back to Q2.29. */
    x = tml_fp_add(x, tml_fp_rescale(tml_sat_rounding_doubling_high_mul(x, error), 4, 2));
  }
  return x;
}

TML_KERNEL int32_t tml_fp_one_over_one_plus_x(int32_t a) {
  /* x ~ 2 / (1 + a) in Q2.29 = 1 / (1 + a) in Q1.30. */
  const int32_t x = tml_fp_reciprocal_q2(tml_fp_rounding_half_sum(a, INT32_MAX));
  return tml_fp_rescale(x, 1, 0);
}

TML_KERNEL int32_t tml_fp_one_minus_x_over_one_plus_x(int32_t a) {
  /* 2 / (1 + a) - 1 = (1 - a) / (1 + a), in Q2.29. */
  const int32_t x = tml_fp_reciprocal_q2(tml_fp_rounding_half_sum(a, INT32_MAX));
  return tml_fp_rescale(tml_fp_sub(x, (int32_t)1 << 29), 2, 0);
}

TML_KERNEL int32_t tml_fp_logistic(int32_t a, int32_t integer_bits) {
  int32_t abs_a;
  int32_t positive_result;
  if (a == 0) {
    return (int32_t)1 << 30; /* 1/2 */
  }
  abs_a = a > 0 ? a : tml_fp_sub(0, a);
  /* logistic(|a|) = 1 / (1 + exp(-|a|)) */
  positive_result = tml_fp_one_over_one_plus_x(
      tml_fp_exp_on_negative_values(tml_fp_sub(0, abs_a), integer_bits));
  return a > 0 ? positive_result : tml_fp_sub(INT32_MAX, positive_result);
}

TML_KERNEL int32_t tml_fp_tanh(int32_t a, int32_t integer_bits) {
  int32_t minus_abs_a;
  int32_t t;
  if (a == 0) {
    return 0;
  }
  minus_abs_a = a < 0 ? a : tml_fp_sub(0, a);
  /* tanh(|a|) = (1 - exp(-2|a|)) / (1 + exp(-2|a|)); -2|a| is the same raw value
   * read with one more integer bit. */
  t = tml_fp_one_minus_x_over_one_plus_x(
      tml_fp_exp_on_negative_values(minus_abs_a, integer_bits + 1));
  return a < 0 ? tml_fp_sub(0, t) : t;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_FIXEDPOINT_H */
