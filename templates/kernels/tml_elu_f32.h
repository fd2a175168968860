/*
 * tml_elu_f32.h - ELU on float32, as TFLM's reference float Elu: x < 0 ? expm1f(x) : x.
 * Needs <math.h>.
 */
#ifndef TML_ELU_F32_H
#define TML_ELU_F32_H

#include "tml_float_common.h"

TML_KERNEL void tml_elu_f32(const tml_unary_f32_params_t *p, const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_elu_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const float v = input[i];
    output[i] = v < 0.0f ? expm1f(v) : v;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ELU_F32_H */
