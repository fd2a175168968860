/*
 * tml_dequantize.h - DEQUANTIZE int8/int16 -> float32, as TFLM's reference kernel:
 * out = (float)(scale * (in - zero_point)) with the product computed as TFLM does.
 */
#ifndef TML_DEQUANTIZE_H
#define TML_DEQUANTIZE_H

#include "tml_common.h"

typedef struct {
  int32_t size;
  float scale;
  int32_t zero_point;
} tml_dequantize_s8_f32_params_t;

typedef tml_dequantize_s8_f32_params_t tml_dequantize_s16_f32_params_t;

TML_KERNEL void tml_dequantize_s8_f32(const tml_dequantize_s8_f32_params_t *p,
                                      const int8_t *input, float *output);
TML_KERNEL void tml_dequantize_s16_f32(const tml_dequantize_s16_f32_params_t *p,
                                       const int16_t *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_dequantize_s8_f32(const tml_dequantize_s8_f32_params_t *p,
                                      const int8_t *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    /* TFLM computes (float)((double)scale * (in - zero_point)). scale has a 24-bit
     * significand and |in - zero_point| <= 255 (8 bits), so that double product is
     * exact and the cast is the only rounding: identical to one IEEE single-precision
     * multiply of the same operands, which avoids soft-float doubles on Cortex-M. */
    output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
  }
}

TML_KERNEL void tml_dequantize_s16_f32(const tml_dequantize_s16_f32_params_t *p,
                                       const int16_t *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    /* |in - zero_point| <= 65535 (17 bits): the double product of TFLM is still exact
     * (24 + 17 < 53 bits) and (float) of it equals the single-precision product. */
    output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEQUANTIZE_H */
