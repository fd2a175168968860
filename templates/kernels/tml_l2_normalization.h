/*
 * tml_l2_normalization.h - L2_NORMALIZATION, int8 -> int8 along the last dimension,
 * as TFLM's reference integer L2Normalization (output scale 1/128, zero point 0).
 *
 * Layout: input and output [outer, depth] (any shape flattened to that).
 * For each row: x = input + input_offset, sum = sum x^2 (int32), then 1/sqrt(sum) as a
 * Q0.31 multiplier and shift exactly as TFLM's GetInvSqrtQuantizedMultiplierExp
 * (gemmlowp Newton-Raphson in Q3.28), and
 * out = clamp(mbqm(x, inv_sqrt, inv_shift + 7), -128, 127).
 * The sum of squares wraps like TFLM's int32 one (only possible beyond 33025
 * elements per row).
 * Range: input_offset = -input zero point in [-127, 128].
 */
#ifndef TML_L2_NORMALIZATION_H
#define TML_L2_NORMALIZATION_H

#include "tml_common.h"

typedef struct {
  int32_t outer;         /* number of rows */
  int32_t depth;         /* elements per row (last dimension) */
  int32_t input_offset;  /* -input zero point */
} tml_l2_normalization_s8_params_t;

/* 1/sqrt(x) for x >= 0 as TFLM's GetInvSqrtQuantizedMultiplierExp with
 * kReverseShift: *multiplier in Q0.31, *shift <= 0 (x <= 1 gives INT32_MAX, 0). */
TML_KERNEL void tml_l2_normalization_inv_sqrt(int32_t x, int32_t *multiplier, int32_t *shift);

TML_KERNEL void tml_l2_normalization_s8(const tml_l2_normalization_s8_params_t *p,
                                        const int8_t *input, int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* gemmlowp SaturatingRoundingMultiplyByPOT<e> for 0 < e < 31: x * 2^e, saturated. */
TML_KERNEL int32_t tml_l2_normalization_sat_shl(int32_t x, int32_t e) {
  const int32_t limit = (int32_t)(((uint32_t)1 << (31 - e)) - 1u);
  if (x > limit) {
    return INT32_MAX;
  }
  if (x < -limit) {
    return INT32_MIN;
  }
  return (int32_t)((uint32_t)x << e);
}

TML_KERNEL void tml_l2_normalization_inv_sqrt(int32_t x, int32_t *multiplier, int32_t *shift) {
  /* Constants in Q3.28 (three integer bits) and Q0.31. */
  const int32_t one_q3 = (int32_t)1 << 28;
  const int32_t three_halves_q3 = ((int32_t)1 << 28) + ((int32_t)1 << 27);
  const int32_t half_sqrt2_q0 = 1518500250; /* sqrt(2) / 2 */
  int32_t s = 11;
  int32_t leading_zeros = 0;
  int32_t pairs;
  int32_t half_x;
  int32_t y;
  int i;
  if (x <= 1) {
    *multiplier = INT32_MAX;
    *shift = 0;
    return;
  }
  while (x >= ((int32_t)1 << 29)) {
    x /= 4;
    ++s;
  }
  while (((uint32_t)x & (0x80000000u >> leading_zeros)) == 0u) {
    ++leading_zeros;
  }
  /* Normalize into [2^27, 2^29) by an even shift. */
  pairs = (leading_zeros - 1) / 2 - 1;
  s -= pairs;
  x = (int32_t)((uint32_t)x << (2 * pairs));
  /* Newton-Raphson for 1/sqrt(x / 2^28 ...): y <- 1.5 y - (x/2) y^3, from y = 1. */
  half_x = tml_rounding_divide_by_pot(x >> 1, 1);
  y = one_q3;
  for (i = 0; i < 5; ++i) {
    const int32_t y3 = tml_l2_normalization_sat_shl(
        tml_sat_rounding_doubling_high_mul(tml_sat_rounding_doubling_high_mul(y, y), y), 6);
    const uint32_t diff = (uint32_t)tml_sat_rounding_doubling_high_mul(three_halves_q3, y) -
                          (uint32_t)tml_sat_rounding_doubling_high_mul(half_x, y3);
    y = tml_l2_normalization_sat_shl((int32_t)diff, 3);
  }
  y = tml_sat_rounding_doubling_high_mul(y, half_sqrt2_q0);
  if (s < 0) {
    y = (int32_t)((uint32_t)y << -s);
    s = 0;
  }
  *multiplier = y;
  *shift = -s;
}

TML_KERNEL void tml_l2_normalization_s8(const tml_l2_normalization_s8_params_t *p,
                                        const int8_t *input, int8_t *output) {
  int32_t row, d;
  for (row = 0; row < p->outer; ++row) {
    const int8_t *in = input + row * p->depth;
    int8_t *out = output + row * p->depth;
    uint32_t sum = 0u;
    int32_t inv_sqrt, inv_shift;
    for (d = 0; d < p->depth; ++d) {
      const int32_t x = (int32_t)in[d] + p->input_offset;
      sum += (uint32_t)(x * x);
    }
    tml_l2_normalization_inv_sqrt((int32_t)sum, &inv_sqrt, &inv_shift);
    for (d = 0; d < p->depth; ++d) {
      const int32_t x = (int32_t)in[d] + p->input_offset;
      const int32_t v = tml_multiply_by_quantized_multiplier(x, inv_sqrt, inv_shift + 7);
      out[d] = (int8_t)tml_clamp(v, -128, 127);
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_L2_NORMALIZATION_H */
