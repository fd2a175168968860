/*
 * tml_abs.h - ABS of an int8 tensor, as TFLM's AbsEvalQuantized.
 *
 * Per element: v = |in - input_zero_point| (in [0, 255]);
 *   rescale == 0 (equal input and output scales): out = clamp(v + output_zero_point),
 *   rescale == 1: out = clamp(mbqm(v, multiplier, shift) + output_zero_point),
 * clamped to [-128, 127]; multiplier/shift from float(input_scale / output_scale).
 */
#ifndef TML_ABS_H
#define TML_ABS_H

#include "tml_common.h"

typedef struct {
  int32_t size;
  int32_t input_zero_point, output_zero_point;
  int32_t rescale;
  int32_t multiplier, shift; /* shift in [-31, 30] */
} tml_abs_s8_params_t;

TML_KERNEL void tml_abs_s8(const tml_abs_s8_params_t *p, const int8_t *input, int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_abs_s8(const tml_abs_s8_params_t *p, const int8_t *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const int32_t centered = (int32_t)input[i] - p->input_zero_point;
    int32_t v = centered < 0 ? -centered : centered;
    if (p->rescale) {
      v = tml_multiply_by_quantized_multiplier(v, p->multiplier, p->shift);
    }
    /* int32 addition that wraps like TFLM's for out-of-range multipliers. */
    v = (int32_t)((uint32_t)v + (uint32_t)p->output_zero_point);
    output[i] = (int8_t)tml_clamp(v, -128, 127);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ABS_H */
