/*
 * tml_logistic.h - LOGISTIC (sigmoid) as TFLM's reference integer kernels.
 *
 * int8 -> int8 (tml_logistic_s8): x = input - input_zero_point; x <= -radius gives
 * -128, x >= radius gives 127, otherwise x is rescaled to Q4.27 with
 * (input_multiplier, input_left_shift) (TFLM's MultiplyByQuantizedMultiplier; the
 * shift may be positive), gemmlowp's fixed-point logistic gives Q0.31, and the output
 * is that / 2^23 (rounded) - 128, i.e. output scale 1/256 and zero point -128 (TFLM
 * requires the zero point and assumes the scale). input_range_radius keeps every
 * rescaled x inside Q4.27: floor(15 * 2^27 / 2^input_left_shift).
 *
 * int16 -> int16 (tml_logistic_s16): input and output zero point 0, output scale
 * 2^-15. x = (input * input_multiplier + round) >> input_left_shift puts the input
 * on the scale 1/(3 * 4096) (the compiler folds TFLM's power-of-two special case
 * into multiplier 3, shift 0); |x| / 2^9 indexes tml_sigmoid_table_u16 with 9 bits of
 * linear interpolation, negative inputs use sigmoid(-x) = 1 - sigmoid(x).
 */
#ifndef TML_LOGISTIC_H
#define TML_LOGISTIC_H

#include "tml_common.h"
#include "tml_fixedpoint.h"
#include "tml_sigmoid_lut.h"

typedef struct {
  int32_t size; /* elements */
  int32_t input_zero_point;
  int32_t input_range_radius; /* >= 0 */
  int32_t input_multiplier;   /* Q0.31 */
  int32_t input_left_shift;   /* >= 0 */
} tml_logistic_s8_params_t;

typedef struct {
  int32_t size;
  int32_t input_multiplier; /* (0, 32767] */
  int32_t input_left_shift; /* [0, 31] */
} tml_logistic_s16_params_t;

TML_KERNEL void tml_logistic_s8(const tml_logistic_s8_params_t *p, const int8_t *input,
                                int8_t *output);
TML_KERNEL void tml_logistic_s16(const tml_logistic_s16_params_t *p, const int16_t *input,
                                 int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_logistic_s8(const tml_logistic_s8_params_t *p, const int8_t *input,
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
      const int32_t y_q0 = tml_fp_logistic(x_q4, 4);
      v = tml_clamp(tml_rounding_divide_by_pot(y_q0, 23) + INT8_MIN, INT8_MIN, INT8_MAX);
    }
    output[i] = (int8_t)v;
  }
}

TML_KERNEL void tml_logistic_s16(const tml_logistic_s16_params_t *p, const int16_t *input,
                                 int16_t *output) {
  const int32_t round =
      p->input_left_shift > 0 ? (int32_t)1 << (p->input_left_shift - 1) : 0;
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    /* |input * multiplier| <= 2^30, so neither the product nor the sum overflows. */
    const int32_t x = ((int32_t)input[i] * p->input_multiplier + round) >> p->input_left_shift;
    const uint32_t abs_x = (uint32_t)(x < 0 ? -x : x);
    const uint32_t index = abs_x >> 9;
    uint32_t y; /* sigmoid(|x|) in 0.16 scaled by 2^9 */
    if (index >= 255u) {
      y = (uint32_t)0x7FFF << 10;
    } else {
      const uint32_t lo = tml_sigmoid_table_u16[index];
      const uint32_t hi = tml_sigmoid_table_u16[index + 1u];
      y = (lo << 9) + (abs_x & 0x1FFu) * (hi - lo);
    }
    y = x >= 0 ? y + (1u << 9) : (1u << 25) - y + (1u << 9) - 1u;
    output[i] = (int16_t)(y >> 10);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_LOGISTIC_H */
