/*
 * tml_softmax.h - SOFTMAX on int8 input to int8 output (output scale 1/256, zero
 * point -128) or to int16 output (tml_softmax_s8_s16: scale 1/65536, zero point -32768),
 * as TFLM's reference integer softmax (gemmlowp fixed point, 5 integer
 * bits for the scaled difference, 12 for the sum of exponentials).
 *
 * input_multiplier / input_left_shift / diff_min come from the compiler
 * (PreprocessSoftmaxScaling and CalculateInputRadius with beta and the input scale).
 * Rows of `depth` elements along the last dimension, `outer_size` rows.
 * input_left_shift >= 0 (from QuantizeMultiplierGreaterThanOne); diff_min <= 0.
 * TFLM aborts when a row's sum of exponentials reaches 512 (possible only for
 * depth >= 512); this kernel then clamps the final shift to 31 instead.
 */
#ifndef TML_SOFTMAX_H
#define TML_SOFTMAX_H

#include "tml_common.h"

typedef struct {
  int32_t outer_size;
  int32_t depth;
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;
} tml_softmax_s8_params_t;

TML_KERNEL void tml_softmax_s8(const tml_softmax_s8_params_t *p, const int8_t *input,
                               int8_t *output);
TML_KERNEL void tml_softmax_s8_s16(const tml_softmax_s8_params_t *p, const int8_t *input,
                                   int16_t *output);

/* Fixed-point pieces of the softmax (gemmlowp semantics). Qm.n: int32 raw value with
 * m integer bits, value = raw / 2^(31 - m). */

/* x * 2^exponent, exponent in [1, 30], saturating (gemmlowp Rescale to fewer
 * integer bits). */
TML_KERNEL int32_t tml_softmax_sat_shift_left(int32_t x, int32_t exponent);
/* (a + b) / 2 rounded half away from zero. */
TML_KERNEL int32_t tml_softmax_rounding_half_sum(int32_t a, int32_t b);
/* exp(a) for a in [-1/4, 0), Q0.31 -> Q0.31. */
TML_KERNEL int32_t tml_softmax_exp_on_interval(int32_t a);
/* exp(a) for a <= 0, Q5.26 -> Q0.31 (exp(0) = INT32_MAX). */
TML_KERNEL int32_t tml_softmax_exp_on_negative_values(int32_t a);
/* 1 / (1 + a) for a in [0, 1), Q0.31 -> Q0.31. */
TML_KERNEL int32_t tml_softmax_one_over_one_plus_x(int32_t a);
/* Leading zero bits of x (32 for 0). */
TML_KERNEL int32_t tml_softmax_clz(uint32_t x);
/* Reciprocal of x (Qk.(31-k), k = x_integer_digits, x > 0): returns the Q0.31 mantissa
 * of 1/x and sets *num_bits_over_unit so that 1/x = result * 2^-num_bits_over_unit. */
TML_KERNEL int32_t tml_softmax_get_reciprocal(int32_t x, int32_t x_integer_digits,
                                              int32_t *num_bits_over_unit);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_softmax_sat_shift_left(int32_t x, int32_t exponent) {
  const int32_t limit = (int32_t)(((uint32_t)1 << (31 - exponent)) - 1u);
  if (x > limit) {
    return INT32_MAX;
  }
  if (x < -limit) {
    return INT32_MIN;
  }
  return (int32_t)((uint32_t)x << exponent);
}

TML_KERNEL int32_t tml_softmax_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

TML_KERNEL int32_t tml_softmax_exp_on_interval(int32_t a) {
  /* Taylor series around -1/8 in t = a + 1/8:
   * exp(a) = exp(-1/8) * (1 + t + t^2/2 + t^3/6 + t^4/24). */
  const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0.31 */
  const int32_t one_third = 715827883;             /* 1/3 in Q0.31 */
  const int32_t t = a + ((int32_t)1 << 28);
  const int32_t t2 = tml_sat_rounding_doubling_high_mul(t, t);
  const int32_t t3 = tml_sat_rounding_doubling_high_mul(t2, t);
  const int32_t t4 = tml_sat_rounding_doubling_high_mul(t2, t2);
  const int32_t t4_over_4 = tml_rounding_divide_by_pot(t4, 2);
  /* ((t^4/4 + t^3) / 3 + t^2) / 2 = t^4/24 + t^3/6 + t^2/2 */
  const int32_t higher = tml_rounding_divide_by_pot(
      tml_sat_rounding_doubling_high_mul(t4_over_4 + t3, one_third) + t2, 1);
  return exp_minus_one_eighth +
         tml_sat_rounding_doubling_high_mul(exp_minus_one_eighth, t + higher);
}

TML_KERNEL int32_t tml_softmax_exp_on_negative_values(int32_t a) {
  /* exp(-2^k) in Q0.31 for k = -2 .. 4. */
  const int32_t exp_of_minus_pow2[7] = {1672461947, 1302514674, 790015084, 290630308,
                                        39332535,   720401,     242};
  const int32_t quarter = (int32_t)1 << 24; /* 1/4 in Q5.26 */
  /* a = frac - remainder: frac = (a mod 1/4) - 1/4 lies in [-1/4, 0) and is done by the
   * series; remainder >= 0 is a multiple of 1/4 whose bit 26 + k (2^k in Q5.26) selects
   * a factor exp(-2^k). */
  const int32_t frac = (a & (quarter - 1)) - quarter;
  const int32_t remainder = (int32_t)((uint32_t)frac - (uint32_t)a);
  int32_t result = tml_softmax_exp_on_interval(tml_softmax_sat_shift_left(frac, 5));
  int32_t k;
  for (k = 0; k < 7; ++k) {
    if ((remainder & ((int32_t)1 << (24 + k))) != 0) {
      result = tml_sat_rounding_doubling_high_mul(result, exp_of_minus_pow2[k]);
    }
  }
  /* With 5 integer bits there is no separate clamp below -32. */
  return a == 0 ? INT32_MAX : result;
}

TML_KERNEL int32_t tml_softmax_one_over_one_plus_x(int32_t a) {
  /* Newton-Raphson for 1/d with d = (1 + a)/2 in [1/2, 1), iterates in Q2.29. */
  const int32_t d = tml_softmax_rounding_half_sum(a, INT32_MAX);
  const int32_t c48_17 = 1515870810;      /* 48/17 in Q2.29 */
  const int32_t c_neg32_17 = -1010580540; /* -32/17 in Q2.29 */
  const int32_t one_q2 = (int32_t)1 << 29;
  int32_t x = c48_17 + tml_sat_rounding_doubling_high_mul(d, c_neg32_17);
  int32_t i;
  for (i = 0; i < 3; ++i) {
    const int32_t dx = tml_sat_rounding_doubling_high_mul(d, x);
    const int32_t err = one_q2 - dx;
    /* x * err is Q4.27; back to Q2.29 with a saturating shift by 2. */
    x = x + tml_softmax_sat_shift_left(tml_sat_rounding_doubling_high_mul(x, err), 2);
  }
  /* x ~ 1/d = 2/(1+a) in Q2.29, i.e. 1/(1+a) in Q1.30; to Q0.31 saturating. */
  return tml_softmax_sat_shift_left(x, 1);
}

TML_KERNEL int32_t tml_softmax_clz(uint32_t x) {
  int32_t n = 0;
  if (x == 0u) {
    return 32;
  }
  while ((x & 0x80000000u) == 0u) {
    x <<= 1;
    ++n;
  }
  return n;
}

TML_KERNEL int32_t tml_softmax_get_reciprocal(int32_t x, int32_t x_integer_digits,
                                              int32_t *num_bits_over_unit) {
  const int32_t headroom_plus_one = tml_softmax_clz((uint32_t)x);
  /* Normalise x to [1, 2), i.e. 1 + s with s in [0, 1) as Q0.31. */
  const uint32_t normalised = headroom_plus_one < 32 ? (uint32_t)x << headroom_plus_one : 0u;
  const int32_t s = (int32_t)(normalised - 0x80000000u);
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  return tml_softmax_one_over_one_plus_x(s);
}

/* The rows of either output type: out8 (int8, 8 output bits) or out16 (int16, 16). */
TML_HELPER void tml_softmax_rows(const tml_softmax_s8_params_t *p, const int8_t *input,
                                 int8_t *out8, int16_t *out16) {
  const int32_t out_bits = out16 != NULL ? 16 : 8;
  const int32_t out_min = out16 != NULL ? INT16_MIN : INT8_MIN;
  const int32_t out_max = out16 != NULL ? INT16_MAX : INT8_MAX;
  int32_t row, c;
  for (row = 0; row < p->outer_size; ++row) {
    const int8_t *in = input + row * p->depth;
    int32_t max_in_row = INT8_MIN;
    uint32_t sum_of_exps = 0; /* Q12.19; TFLM's plain int32 add, kept wrap-safe */
    int32_t num_bits_over_unit;
    int32_t reciprocal;
    int32_t exponent;
    for (c = 0; c < p->depth; ++c) {
      if (in[c] > max_in_row) {
        max_in_row = in[c];
      }
    }
    for (c = 0; c < p->depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      if (diff >= p->diff_min) {
        /* Q5.26 scaled difference; input_left_shift >= 0. */
        const int32_t scaled = tml_multiply_by_quantized_multiplier(
            diff, p->input_multiplier, p->input_left_shift);
        /* Q0.31 -> Q12.19 */
        sum_of_exps += (uint32_t)tml_rounding_divide_by_pot(
            tml_softmax_exp_on_negative_values(scaled), 12);
      }
    }
    reciprocal = tml_softmax_get_reciprocal((int32_t)sum_of_exps, 12, &num_bits_over_unit);
    /* TFLM aborts (TFLITE_CHECK) unless 0 <= exponent <= 31, i.e. unless the sum of
     * exponentials is below 512; keep the shift defined if that ever happens. */
    exponent = num_bits_over_unit + 31 - out_bits;
    if (exponent > 31) {
      exponent = 31;
    } else if (exponent < 0) {
      exponent = 0;
    }
    for (c = 0; c < p->depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      int32_t v = out_min;
      if (diff >= p->diff_min) {
        const int32_t scaled = tml_multiply_by_quantized_multiplier(
            diff, p->input_multiplier, p->input_left_shift);
        const int32_t e = tml_softmax_exp_on_negative_values(scaled);
        v = tml_rounding_divide_by_pot(tml_sat_rounding_doubling_high_mul(reciprocal, e),
                                       exponent) +
            out_min;
      }
      v = tml_clamp(v, out_min, out_max);
      if (out16 != NULL) {
        out16[row * p->depth + c] = (int16_t)v;
      } else {
        out8[row * p->depth + c] = (int8_t)v;
      }
    }
  }
}

TML_KERNEL void tml_softmax_s8(const tml_softmax_s8_params_t *p, const int8_t *input,
                               int8_t *output) {
  tml_softmax_rows(p, input, output, NULL);
}

TML_KERNEL void tml_softmax_s8_s16(const tml_softmax_s8_params_t *p, const int8_t *input,
                                   int16_t *output) {
  tml_softmax_rows(p, input, NULL, output);
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SOFTMAX_H */
