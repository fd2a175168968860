/*
 * tml_softmax_s16.h - SOFTMAX on int16 input to int16 output, as TFLM's reference
 * SoftmaxInt16: input zero point 0, output scale 1/32768 and zero point 0 (checked by
 * the compiler).
 *
 * Two tables of 513 int16 entries, computed by the compiler the way TFLM's
 * LUTPopulate<int16_t> fills them at prepare time:
 *   exp_lut:   exp(x) for x in [-10, 0] (input -32768..32767), output in Q0.15;
 *   recip_lut: 1 / (1 + x) for x in [0, 1], output in Q0.15.
 * A lookup takes the high 9 bits of the (int16) argument as the index and interpolates
 * linearly with the low 7 bits.
 *
 * Per row of `depth` elements: diff = x - max (<= 0) is scaled by
 * input_multiplier / input_shift (QuantizeMultiplier of input_scale * beta / (10/65535),
 * so that -65535 means -10) and moved to [-32768, 32767] for exp_lut. The sum of the
 * exponentials (each <= 32767, depth <= 65536) is normalised to [1, 2), looked up in
 * recip_lut, and each exponential multiplied by that reciprocal; outputs in [0, 32767].
 * The exponentials are kept in `output` between the two passes, so output must not
 * overlap input.
 */
#ifndef TML_SOFTMAX_S16_H
#define TML_SOFTMAX_S16_H

#include "tml_common.h"

#define TML_LUT_S16_SIZE 513

typedef struct {
  int32_t outer_size;
  int32_t depth;
  int32_t input_multiplier;
  int32_t input_shift; /* left shift if > 0, right shift if < 0 */
  const int16_t *exp_lut;   /* TML_LUT_S16_SIZE entries */
  const int16_t *recip_lut; /* TML_LUT_S16_SIZE entries */
} tml_softmax_s16_params_t;

TML_KERNEL void tml_softmax_s16(const tml_softmax_s16_params_t *p, const int16_t *input,
                                int16_t *output);
/* Table lookup with linear interpolation (TFLM's LUTLookup for int16). */
TML_KERNEL int16_t tml_lut_lookup_s16(int16_t value, const int16_t *lut);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int16_t tml_lut_lookup_s16(int16_t value, const int16_t *lut) {
  const int32_t index = 256 + ((int32_t)value >> 7); /* 0 .. 511 */
  const int32_t offset = (int32_t)value & 0x7f;
  const int32_t base = lut[index];
  /* TFLM keeps the slope in an int16_t. */
  const int32_t slope = (int16_t)(lut[index + 1] - lut[index]);
  const int32_t delta = (slope * offset + 64) >> 7;
  return (int16_t)(base + delta);
}

TML_KERNEL void tml_softmax_s16(const tml_softmax_s16_params_t *p, const int16_t *input,
                                int16_t *output) {
  int32_t row, c;
  for (row = 0; row < p->outer_size; ++row) {
    const int16_t *in = input + (int64_t)row * p->depth;
    int16_t *out = output + (int64_t)row * p->depth;
    int32_t max_in_row = INT16_MIN;
    uint32_t sum_of_exps = 0; /* Q16.15; below 2^31 for depth <= 65536 */
    int32_t headroom_plus_one, shifted_sum, right_shift;
    int16_t reciprocal;
    for (c = 0; c < p->depth; ++c) {
      if (in[c] > max_in_row) {
        max_in_row = in[c];
      }
    }
    for (c = 0; c < p->depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      const int32_t scaled =
          tml_multiply_by_quantized_multiplier(diff, p->input_multiplier, p->input_shift);
      const int32_t sym = tml_clamp(scaled + 32767, INT16_MIN, INT16_MAX);
      const int32_t e = tml_lut_lookup_s16((int16_t)sym, p->exp_lut);
      out[c] = (int16_t)e;
      sum_of_exps += (uint32_t)e;
    }
    /* Normalise the sum to 16 bits below its leading one: [1, 2) as 32768 .. 65535. */
    headroom_plus_one = 0;
    while (headroom_plus_one < 31 && (sum_of_exps & (0x80000000u >> headroom_plus_one)) == 0u) {
      ++headroom_plus_one;
    }
    if (headroom_plus_one < 1) {
      headroom_plus_one = 1; /* unreachable for depth <= 65536 */
    }
    shifted_sum =
        (int32_t)((((int64_t)sum_of_exps << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    /* 1/(1 + x) of x = normalised sum - 1, moved from [0, 65535] to [-32768, 32767]. */
    reciprocal = tml_lut_lookup_s16(
        (int16_t)tml_clamp(shifted_sum - (32768 + 65536), INT16_MIN, INT16_MAX), p->recip_lut);
    right_shift = 31 - headroom_plus_one;
    if (right_shift < 1) {
      right_shift = 1; /* unreachable: the sum holds exp(0) ~ 32767 */
    }
    for (c = 0; c < p->depth; ++c) {
      const int64_t round = (int64_t)1 << (right_shift - 1);
      const int64_t v = ((int64_t)out[c] * reciprocal + round) >> right_shift;
      out[c] = (int16_t)(v < 0 ? 0 : (v > INT16_MAX ? INT16_MAX : v));
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SOFTMAX_S16_H */
