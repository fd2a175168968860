/*
 * tml_tanh.h - TANH as TFLM's reference integer kernels.
 *
 * int8 -> int8 (tml_tanh_s8): x = input - input_zero_point; x <= -radius gives -128,
 * x >= radius gives 127, otherwise x is rescaled to Q4.27 with (input_multiplier,
 * input_left_shift), gemmlowp's fixed-point tanh gives Q0.31 and the output is that
 * / 2^24 (rounded), clamped: output scale 1/128, zero point 0 (TFLM assumes both and
 * ignores the output tensor's parameters). radius = floor(15 * 2^27 / 2^shift).
 *
 * int16 -> int16 (tml_tanh_s16): zero points 0, output scale 2^-15. As LOGISTIC s16,
 * using tanh(x) = 2 * sigmoid(2x) - 1: |x| / 2^8 indexes tml_sigmoid_table_u16 with 8
 * bits of interpolation.
 */
#ifndef TML_TANH_H
#define TML_TANH_H

#include "tml_common.h"
#include "tml_fixedpoint.h"
#include "tml_sigmoid_lut.h"

typedef struct {
  int32_t size; /* elements */
  int32_t input_zero_point;
  int32_t input_range_radius; /* >= 0 */
  int32_t input_multiplier;   /* Q0.31 */
  int32_t input_left_shift;   /* >= 0 */
} tml_tanh_s8_params_t;

typedef struct {
  int32_t size;
  int32_t input_multiplier; /* (0, 32767] */
  int32_t input_left_shift; /* [0, 31] */
} tml_tanh_s16_params_t;

TML_KERNEL void tml_tanh_s8(const tml_tanh_s8_params_t *p, const int8_t *input,
                            int8_t *output);
TML_KERNEL void tml_tanh_s16(const tml_tanh_s16_params_t *p, const int16_t *input,
                             int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_tanh_s8(const tml_tanh_s8_params_t *p, const int8_t *input,
                            int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const int32_t x = (int32_t)input[i] - p->input_zero_point;
    int32_t v;
    if (x <= -p->input_range_radius) {
      v = INT8_MIN;
    } else if (x >= p->input_range_radius) {
      v = INT8_MAX;
    } else {
      const int32_t x_q4 =
          tml_multiply_by_quantized_multiplier(x, p->input_multiplier, p->input_left_shift);
      v = tml_clamp(tml_rounding_divide_by_pot(tml_fp_tanh(x_q4, 4), 24), INT8_MIN, INT8_MAX);
    }
    output[i] = (int8_t)v;
  }
}

TML_KERNEL void tml_tanh_s16(const tml_tanh_s16_params_t *p, const int16_t *input,
                             int16_t *output) {
  const int32_t round =
      p->input_left_shift > 0 ? (int32_t)1 << (p->input_left_shift - 1) : 0;
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const int32_t x = ((int32_t)input[i] * p->input_multiplier + round) >> p->input_left_shift;
    const uint32_t abs_x = (uint32_t)(x < 0 ? -x : x);
    const uint32_t index = abs_x >> 8;
    int32_t y; /* sigmoid(|x|) in 0.16 scaled by 2^8 */
    if (index >= 255u) {
      y = 0xFFFF << 8;
    } else {
      const uint32_t lo = tml_sigmoid_table_u16[index];
      const uint32_t hi = tml_sigmoid_table_u16[index + 1u];
      y = (int32_t)((lo << 8) + (abs_x & 0xFFu) * (hi - lo));
    }
    /* 2 * sigmoid - 1, rounded, in Q0.15. */
    y = x >= 0 ? y - (1 << 23) + (1 << 7) : -y + (1 << 23) + (1 << 7) - 1;
    output[i] = (int16_t)(y >> 8);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_TANH_H */
