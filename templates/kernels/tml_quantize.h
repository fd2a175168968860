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

#endif /* TML_QUANTIZE_H */
