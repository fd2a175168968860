/*
 * tml_dequantize.h - DEQUANTIZE int8 -> float32, as TFLM's reference kernel:
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

TML_KERNEL void tml_dequantize_s8_f32(const tml_dequantize_s8_f32_params_t *p,
                                      const int8_t *input, float *output);

#endif /* TML_DEQUANTIZE_H */
