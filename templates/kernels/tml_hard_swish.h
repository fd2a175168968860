/*
 * tml_hard_swish.h - HARD_SWISH, x * relu6(x + 3) / 6, on int8 as TFLM's reference
 * kernel, which works in int16 fixed point (gemmlowp int16 semantics):
 *
 *   v      = (input - input_zero_point) * 2^7           ("hires" input, int16)
 *   out_pre = SRDHM16(v, output_multiplier)             (v on the output scale, not yet shifted)
 *   r      = v rescaled by reluish (multiplier, exponent) so that x = 3 maps to 2^15:
 *            exponent > 0: saturating shift by exponent-1, SRDHM16, saturating shift by 1;
 *            exponent <= 0: SRDHM16, then rounding shift right by -exponent;
 *   r      = (r + 2^15) >> 1                             (from [-1, 1] to [0, 1])
 *   out    = RDBP16(SDHM16(r, out_pre), -output_exponent) + output_zero_point,
 *            wrapped to int16 as TFLM's int16 `+=`, then clamped to int8.
 *
 * SRDHM16 rounds (gemmlowp SaturatingRoundingDoublingHighMul on int16); SDHM16
 * truncates toward zero (TFLM's SaturatingDoublingHighMul). RDBP16 is gemmlowp's
 * RoundingDivideByPOT on int16, whose mask (2^e - 1) is computed in int16: for
 * e >= 16 it becomes -1, and the result is then 1 for x >= 0 and -1 for x < 0;
 * that is reproduced here. Multipliers are Q0.15 in [2^14, 2^15 - 1].
 */
#ifndef TML_HARD_SWISH_H
#define TML_HARD_SWISH_H

#include "tml_common.h"

typedef struct {
  int32_t size; /* elements */
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t output_multiplier;   /* Q0.15 */
  int32_t output_exponent;     /* <= 0 */
  int32_t reluish_multiplier;  /* Q0.15 */
  int32_t reluish_exponent;    /* any sign, <= 30 */
} tml_hard_swish_s8_params_t;

TML_KERNEL void tml_hard_swish_s8(const tml_hard_swish_s8_params_t *p, const int8_t *input,
                                  int8_t *output);

/* gemmlowp-on-int16 helpers. */
TML_KERNEL int16_t tml_hard_swish_srdhm16(int16_t a, int16_t b);
TML_KERNEL int16_t tml_hard_swish_sdhm16(int16_t a, int16_t b);
TML_KERNEL int16_t tml_hard_swish_rdbp16(int16_t x, int32_t exponent);
TML_KERNEL int16_t tml_hard_swish_sat_shift16(int16_t x, int32_t amount);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int16_t tml_hard_swish_srdhm16(int16_t a, int16_t b) {
  const int32_t ab = (int32_t)a * (int32_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : 1 - (1 << 14);
  if (a == INT16_MIN && b == INT16_MIN) {
    return INT16_MAX;
  }
  return (int16_t)((ab + nudge) / (1 << 15));
}

TML_KERNEL int16_t tml_hard_swish_sdhm16(int16_t a, int16_t b) {
  if (a == INT16_MIN && b == INT16_MIN) {
    return INT16_MAX;
  }
  return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

TML_KERNEL int16_t tml_hard_swish_rdbp16(int16_t x, int32_t exponent) {
  /* gemmlowp builds the mask in the int16 type itself. */
  const int16_t mask = (int16_t)(uint16_t)((((uint32_t)1 << exponent) - 1u) & 0xFFFFu);
  const int16_t remainder = (int16_t)(x & mask);
  const int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
  return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}

TML_KERNEL int16_t tml_hard_swish_sat_shift16(int16_t x, int32_t amount) {
  const int64_t v = (int64_t)x * ((int64_t)1 << amount);
  return (int16_t)(v > INT16_MAX ? INT16_MAX : (v < INT16_MIN ? INT16_MIN : v));
}

TML_KERNEL void tml_hard_swish_s8(const tml_hard_swish_s8_params_t *p, const int8_t *input,
                                  int8_t *output) {
  const int16_t out_mult = (int16_t)p->output_multiplier;
  const int16_t relu_mult = (int16_t)p->reluish_multiplier;
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    /* |input - zero point| <= 255, so 2^7 times it fits int16. */
    const int16_t hires = (int16_t)(((int32_t)input[i] - p->input_zero_point) * (1 << 7));
    const int16_t out_pre = tml_hard_swish_srdhm16(hires, out_mult);
    int16_t reluish = hires;
    int16_t v;
    if (p->reluish_exponent > 0) {
      reluish = tml_hard_swish_sat_shift16(reluish, p->reluish_exponent - 1);
    }
    reluish = tml_hard_swish_srdhm16(reluish, relu_mult);
    if (p->reluish_exponent > 0) {
      reluish = tml_hard_swish_sat_shift16(reluish, 1);
    } else if (p->reluish_exponent < 0) {
      reluish = tml_hard_swish_rdbp16(reluish, -p->reluish_exponent);
    }
    reluish = (int16_t)(((int32_t)reluish + (1 << 15)) >> 1);
    v = tml_hard_swish_rdbp16(tml_hard_swish_sdhm16(reluish, out_pre), -p->output_exponent);
    /* TFLM adds the zero point to an int16 variable: the sum wraps. */
    v = (int16_t)(uint16_t)(((uint32_t)(int32_t)v + (uint32_t)p->output_zero_point) & 0xFFFFu);
    output[i] = (int8_t)(v > INT8_MAX ? INT8_MAX : (v < INT8_MIN ? INT8_MIN : v));
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_HARD_SWISH_H */
