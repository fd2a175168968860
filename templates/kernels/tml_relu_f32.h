/*
 * tml_relu_f32.h - RELU and RELU6 on float32, as TFLM's ReluFloat (val < 0 ? 0 : val) and Relu6Float
 * (val > 6 ? 6 : val < 0 ? 0 : val); NaN passes through.
 */
#ifndef TML_RELU_F32_H
#define TML_RELU_F32_H

#include "tml_float_common.h"

TML_KERNEL void tml_relu_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_relu6_f32(const tml_unary_f32_params_t *p, const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_relu_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const float v = input[i];
    output[i] = v < 0.0f ? 0.0f : v;
  }
}

TML_KERNEL void tml_relu6_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const float v = input[i];
    output[i] = v > 6.0f ? 6.0f : v < 0.0f ? 0.0f : v;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_RELU_F32_H */
