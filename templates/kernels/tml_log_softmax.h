/*
 * tml_log_softmax.h - LOG_SOFTMAX on int8 -> int8 as TFLM's reference
 * LogSoftmaxQuantized (output scale 16/256, zero point 127, beta 1), along the last
 * dimension: `outer_size` rows of `depth` values.
 *
 * Per row, with d = x - max(row):
 *   sum  = sum over d >= diff_min of exp(d scaled to Q5.26) rescaled to Q12.19
 *   log  = log(sum) in Q5.26 (gemmlowp-style log_x_for_x_greater_than_or_equal_to_1)
 *   cut  = max(diff_min - 1, MBQM(log + INT32_MIN, reverse_scaling_divisor,
 *                                 -reverse_scaling_right_shift))
 *   out  = d > cut ? clamp(RDBP(scaled d - log, 22) + 127) : -128
 * input_multiplier / input_left_shift scale d to Q5.26 (beta * input_scale * 2^26);
 * reverse_scaling_* is the inverse scaling; diff_min = -floor(31 * 2^26 / 2^shift).
 */
#ifndef TML_LOG_SOFTMAX_H
#define TML_LOG_SOFTMAX_H

#include "tml_common.h"
#include "tml_fixedpoint.h"

typedef struct {
  int32_t outer_size;
  int32_t depth;
  int32_t input_multiplier;            /* Q0.31 */
  int32_t input_left_shift;            /* [1, 31] */
  int32_t reverse_scaling_divisor;     /* Q0.31 */
  int32_t reverse_scaling_right_shift; /* >= 0 */
  int32_t diff_min;                    /* <= 0 */
} tml_log_softmax_s8_params_t;

TML_KERNEL void tml_log_softmax_s8(const tml_log_softmax_s8_params_t *p, const int8_t *input,
                                   int8_t *output);

/* log(x) for x >= 1: x in Q12.19, result in Q5.26. */
TML_KERNEL int32_t tml_log_softmax_log_q12_to_q5(int32_t x);

#ifndef TML_DECLARATIONS_ONLY

/* a + b saturated to int32; leading zero bits of x (32 for 0). */
TML_KERNEL int32_t tml_log_softmax_add_sat(int32_t a, int32_t b);
TML_KERNEL int32_t tml_log_softmax_clz(uint32_t x);

TML_KERNEL int32_t tml_log_softmax_add_sat(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  return (int32_t)(sum > INT32_MAX ? INT32_MAX : (sum < INT32_MIN ? INT32_MIN : sum));
}

TML_KERNEL int32_t tml_log_softmax_clz(uint32_t x) {
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

TML_KERNEL int32_t tml_log_softmax_log_q12_to_q5(int32_t x) {
  /* Q0.31 constants. */
  const int32_t log_2 = 1488522236;
  const int32_t sqrt_sqrt_half = 1805811301;
  const int32_t sqrt_half = 1518500250;
  const int32_t alpha_n = 117049297;
  const int32_t alpha_d = 127690142;
  const int32_t alpha_i = 1057819769;
  const int32_t alpha_f = 638450708;
  /* The result is accumulated with 6 integer bits; 1/4 in Q6.25. */
  const int32_t quarter_q6 = (int32_t)1 << 23;
  const int32_t input_bits = 12;
  /* x = r * 2^k with r in [1, 2) taken two ways (around 1 and around sqrt(2)), the
   * one closer to 1 kept. */
  const int32_t a_headroom_plus_1 = tml_log_softmax_clz((uint32_t)x);
  const int32_t r_a = tml_fp_sat_shift_left(
      tml_sat_rounding_doubling_high_mul(tml_fp_sat_shift_left(x, a_headroom_plus_1 - 1),
                                         sqrt_half),
      1);
  const int32_t pow2_a = tml_log_softmax_add_sat(
      tml_fp_sat_shift_left(input_bits - a_headroom_plus_1, 25), quarter_q6);
  const int32_t z_b = tml_sat_rounding_doubling_high_mul(x, sqrt_half);
  const int32_t b_headroom = tml_log_softmax_clz((uint32_t)z_b) - 1;
  const int32_t r_b = tml_fp_sat_shift_left(x, b_headroom);
  const int32_t pow2_b = tml_log_softmax_add_sat(
      tml_fp_sat_shift_left(input_bits - b_headroom, 25), -quarter_q6);
  const int32_t r = r_a < r_b ? r_a : r_b;
  const int32_t pow2 = pow2_a > pow2_b ? pow2_a : pow2_b;
  /* log(r) by a rational approximation in q = 2 * (r - 2^-1/4). */
  const int32_t p = tml_fp_rounding_half_sum(r, sqrt_sqrt_half);
  const int32_t q_half = tml_fp_sub(r, sqrt_sqrt_half);
  const int32_t q = tml_fp_add(q_half, q_half);
  const int32_t q2 = tml_sat_rounding_doubling_high_mul(q, q);
  const int32_t num = tml_fp_add(
      tml_sat_rounding_doubling_high_mul(q, r),
      tml_sat_rounding_doubling_high_mul(tml_sat_rounding_doubling_high_mul(q, q2), alpha_n));
  const int32_t denom_minus_one = tml_fp_add(
      tml_sat_rounding_doubling_high_mul(
          p, tml_fp_add(tml_fp_add(alpha_i, q), tml_sat_rounding_doubling_high_mul(alpha_d, q2))),
      tml_sat_rounding_doubling_high_mul(alpha_f, q));
  const int32_t recip_denom = tml_fp_one_over_one_plus_x(denom_minus_one);
  const int32_t num_q6 = tml_fp_rescale(num, 0, 6);
  const int32_t sum_q6 = tml_fp_add(tml_sat_rounding_doubling_high_mul(pow2, log_2),
                                    tml_sat_rounding_doubling_high_mul(num_q6, recip_denom));
  return tml_fp_rescale(sum_q6, 6, 5);
}

TML_KERNEL void tml_log_softmax_s8(const tml_log_softmax_s8_params_t *p, const int8_t *input,
                                   int8_t *output) {
  int32_t row, c;
  for (row = 0; row < p->outer_size; ++row) {
    const int8_t *in = input + row * p->depth;
    int8_t *out = output + row * p->depth;
    int32_t max_in_row = INT8_MIN;
    int32_t sum_q12 = 0;
    int32_t log_sum_q5;
    int32_t cut;
    for (c = 0; c < p->depth; ++c) {
      if (in[c] > max_in_row) {
        max_in_row = in[c];
      }
    }
    for (c = 0; c < p->depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      if (diff >= p->diff_min) {
        const int32_t diff_q5 =
            tml_multiply_by_quantized_multiplier(diff, p->input_multiplier, p->input_left_shift);
        sum_q12 = tml_fp_add(
            sum_q12, tml_fp_rescale(tml_fp_exp_on_negative_values(diff_q5, 5), 0, 12));
      }
    }
    log_sum_q5 = tml_log_softmax_log_q12_to_q5(sum_q12);
    cut = tml_multiply_by_quantized_multiplier(tml_fp_add(log_sum_q5, INT32_MIN),
                                               p->reverse_scaling_divisor,
                                               -p->reverse_scaling_right_shift);
    if (cut < p->diff_min - 1) {
      cut = p->diff_min - 1;
    }
    for (c = 0; c < p->depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      int32_t v = INT8_MIN;
      if (diff > cut) {
        const int32_t diff_q5 =
            tml_multiply_by_quantized_multiplier(diff, p->input_multiplier, p->input_left_shift);
        v = tml_clamp(tml_rounding_divide_by_pot(tml_fp_sub(diff_q5, log_sum_q5), 22) + INT8_MAX,
                      INT8_MIN, INT8_MAX);
      }
      out[c] = (int8_t)v;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_LOG_SOFTMAX_H */
