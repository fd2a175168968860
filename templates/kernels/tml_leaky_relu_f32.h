/*
 * tml_leaky_relu_f32.h - LEAKY_RELU on float32, as TFLM's reference float LeakyRelu:
 * x > 0 ? x : x * alpha (alpha may be above 1 or negative, so no max()).
 */
#ifndef TML_LEAKY_RELU_F32_H
#define TML_LEAKY_RELU_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t size;
  float alpha;
} tml_leaky_relu_f32_params_t;

TML_KERNEL void tml_leaky_relu_f32(const tml_leaky_relu_f32_params_t *p, const float *input,
                                   float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_leaky_relu_f32(const tml_leaky_relu_f32_params_t *p, const float *input,
                                   float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const float v = input[i];
    output[i] = v > 0.0f ? v : v * p->alpha;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_LEAKY_RELU_F32_H */
