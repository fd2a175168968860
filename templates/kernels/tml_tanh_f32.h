/*
 * tml_tanh_f32.h - TANH on float32, as TFLM's reference float Tanh: tanhf. Needs <math.h>.
 */
#ifndef TML_TANH_F32_H
#define TML_TANH_F32_H

#include "tml_float_common.h"

TML_KERNEL void tml_tanh_f32(const tml_unary_f32_params_t *p, const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_tanh_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = tanhf(input[i]);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_TANH_F32_H */
