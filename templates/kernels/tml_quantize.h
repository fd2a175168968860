/*
 * tml_quantize.h - QUANTIZE float32 -> int8/int16 and int8/int16 -> int8/int16
 * (requantize), as TFLM's reference kernels.
 *
 * f32 -> sN: out = clamp(round_half_away(in / scale) + zero_point, min, max), with
 *   the division and rounding done as TFLM does them (see the implementation).
 * sN -> sM:  out = clamp(mbqm(in - input_zero_point, multiplier, shift)
 *                        + output_zero_point, min, max).
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

/* Same fields for the int16 output. */
typedef tml_quantize_f32_s8_params_t tml_quantize_f32_s16_params_t;

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
TML_KERNEL void tml_quantize_f32_s16(const tml_quantize_f32_s16_params_t *p, const float *input,
                                     int16_t *output);
TML_KERNEL void tml_requantize_s8_s16(const tml_requantize_s8_params_t *p, const int8_t *input,
                                      int16_t *output);
TML_KERNEL void tml_requantize_s16_s8(const tml_requantize_s8_params_t *p, const int16_t *input,
                                      int8_t *output);
TML_KERNEL void tml_requantize_s16_s16(const tml_requantize_s8_params_t *p,
                                       const int16_t *input, int16_t *output);
/* int32 on either side (TFLM's Requantize with int32 input or output): the int32
 * arithmetic wraps modulo 2^32 where TFLM's would overflow. */
TML_KERNEL void tml_requantize_s8_s32(const tml_requantize_s8_params_t *p, const int8_t *input,
                                      int32_t *output);
TML_KERNEL void tml_requantize_s16_s32(const tml_requantize_s8_params_t *p,
                                       const int16_t *input, int32_t *output);
TML_KERNEL void tml_requantize_s32_s8(const tml_requantize_s8_params_t *p, const int32_t *input,
                                      int8_t *output);
TML_KERNEL void tml_requantize_s32_s16(const tml_requantize_s8_params_t *p,
                                       const int32_t *input, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* TFLM: static_cast<int32_t>(round(val / static_cast<float>(scale))) + zero_point, i.e.
 * a single-precision division, then roundf (ties away from zero). Converting a float
 * outside the int32 range is undefined in C (and in TFLM). Any |r| >= 2^17 saturates an
 * int8 or int16 result whatever the zero point, so clamp first; NaN becomes 0, as the Arm
 * float-to-int conversion does. */
TML_KERNEL int32_t tml_quantize_f32_value(float value, float scale, int32_t zero_point) {
  float r = roundf(value / scale);
  if (isnan(r)) {
    r = 0.0f;
  } else if (r > 131072.0f) {
    r = 131072.0f;
  } else if (r < -131072.0f) {
    r = -131072.0f;
  }
  return (int32_t)r + zero_point;
}

TML_KERNEL int32_t tml_requantize_value(int32_t value, const tml_requantize_s8_params_t *p) {
  return tml_multiply_by_quantized_multiplier(value - p->input_zero_point, p->multiplier,
                                              p->shift) +
         p->output_zero_point;
}

TML_KERNEL void tml_quantize_f32_s8(const tml_quantize_f32_s8_params_t *p, const float *input,
                                    int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] =
        (int8_t)tml_clamp(tml_quantize_f32_value(input[i], p->scale, p->zero_point), INT8_MIN,
                          INT8_MAX);
  }
}

TML_KERNEL void tml_quantize_f32_s16(const tml_quantize_f32_s16_params_t *p, const float *input,
                                     int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] =
        (int16_t)tml_clamp(tml_quantize_f32_value(input[i], p->scale, p->zero_point), INT16_MIN,
                           INT16_MAX);
  }
}

TML_KERNEL void tml_requantize_s8_s8(const tml_requantize_s8_params_t *p, const int8_t *input,
                                     int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int8_t)tml_clamp(tml_requantize_value(input[i], p), INT8_MIN, INT8_MAX);
  }
}

TML_KERNEL void tml_requantize_s8_s16(const tml_requantize_s8_params_t *p, const int8_t *input,
                                      int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int16_t)tml_clamp(tml_requantize_value(input[i], p), INT16_MIN, INT16_MAX);
  }
}

TML_KERNEL void tml_requantize_s16_s8(const tml_requantize_s8_params_t *p, const int16_t *input,
                                      int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int8_t)tml_clamp(tml_requantize_value(input[i], p), INT8_MIN, INT8_MAX);
  }
}

TML_KERNEL void tml_requantize_s16_s16(const tml_requantize_s8_params_t *p,
                                       const int16_t *input, int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int16_t)tml_clamp(tml_requantize_value(input[i], p), INT16_MIN, INT16_MAX);
  }
}

/* tml_requantize_value() with the zero-point subtraction and addition wrapping. */
TML_INLINE int32_t tml_requantize_value_wrapping(int32_t value, const tml_requantize_s8_params_t *p) {
  const int32_t x = (int32_t)((uint32_t)value - (uint32_t)p->input_zero_point);
  return (int32_t)((uint32_t)tml_multiply_by_quantized_multiplier(x, p->multiplier, p->shift) +
                   (uint32_t)p->output_zero_point);
}

TML_KERNEL void tml_requantize_s8_s32(const tml_requantize_s8_params_t *p, const int8_t *input,
                                      int32_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) output[i] = tml_requantize_value_wrapping(input[i], p);
}

TML_KERNEL void tml_requantize_s16_s32(const tml_requantize_s8_params_t *p,
                                       const int16_t *input, int32_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) output[i] = tml_requantize_value_wrapping(input[i], p);
}

TML_KERNEL void tml_requantize_s32_s8(const tml_requantize_s8_params_t *p, const int32_t *input,
                                      int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int8_t)tml_clamp(tml_requantize_value_wrapping(input[i], p), INT8_MIN, INT8_MAX);
  }
}

TML_KERNEL void tml_requantize_s32_s16(const tml_requantize_s8_params_t *p,
                                       const int32_t *input, int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] =
        (int16_t)tml_clamp(tml_requantize_value_wrapping(input[i], p), INT16_MIN, INT16_MAX);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_QUANTIZE_H */
