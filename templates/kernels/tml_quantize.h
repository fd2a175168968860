/*
 * tml_quantize.h - QUANTIZE float32 -> int8 and int8 -> int8 (requantize), as TFLM's
 * reference kernels.
 *
 * f32 -> s8: out = clamp(round_half_away(in / scale) + zero_point, -128, 127), with
 *   the division and rounding done as TFLM does them (see the implementation).
 * s8 -> s8:  out = clamp(mbqm(in - input_zero_point, multiplier, shift)
 *                        + output_zero_point, -128, 127).
 * Needs <math.h> (roundf/round); the emitter includes it only for models with float I/O.
 */
#ifndef TML_QUANTIZE_H
#define TML_QUANTIZE_H

#include <math.h>

#include "tml_common.h"

typedef struct {
  int32_t size;
  float scale;
  int32_t zero_point;
} tml_quantize_f32_s8_params_t;

typedef struct {
  int32_t size;
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier;
  int32_t shift;
} tml_requantize_s8_params_t;

TML_KERNEL void tml_quantize_f32_s8(const tml_quantize_f32_s8_params_t *p, const float *input,
                                    int8_t *output);
TML_KERNEL void tml_requantize_s8_s8(const tml_requantize_s8_params_t *p, const int8_t *input,
                                     int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_quantize_f32_s8(const tml_quantize_f32_s8_params_t *p, const float *input,
                                    int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    /* TFLM: static_cast<int32_t>(round(val / static_cast<float>(scale))) + zero_point,
     * i.e. a single-precision division, then roundf (ties away from zero). */
    float r = roundf(input[i] / p->scale);
    int32_t q;
    /* Converting a float outside int32 range is undefined in C (and in TFLM). Any
     * |r| >= 512 saturates the int8 result whatever the zero point, so clamp first;
     * NaN becomes 0, as the Arm float-to-int conversion does. */
    if (isnan(r)) {
      r = 0.0f;
    } else if (r > 512.0f) {
      r = 512.0f;
    } else if (r < -512.0f) {
      r = -512.0f;
    }
    q = (int32_t)r + p->zero_point;
    output[i] = (int8_t)tml_clamp(q, INT8_MIN, INT8_MAX);
  }
}

TML_KERNEL void tml_requantize_s8_s8(const tml_requantize_s8_params_t *p, const int8_t *input,
                                     int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const int32_t v = tml_multiply_by_quantized_multiplier(
                          (int32_t)input[i] - p->input_zero_point, p->multiplier, p->shift) +
                      p->output_zero_point;
    output[i] = (int8_t)tml_clamp(v, INT8_MIN, INT8_MAX);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_QUANTIZE_H */
