/*
 * tml_logistic_f32.h - LOGISTIC on float32, as TFLM's reference float Logistic: 1 above
 * 16.619047164916992188, expf(x) below -9, else 1 / (1 + expf(-x)). Needs <math.h>.
 */
#ifndef TML_LOGISTIC_F32_H
#define TML_LOGISTIC_F32_H

#include "tml_float_common.h"

TML_KERNEL void tml_logistic_f32(const tml_unary_f32_params_t *p, const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_logistic_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const float v = input[i];
    float r;
    if (v > 16.619047164916992188f) {
      r = 1.0f;
    } else if (v < -9.f) {
      r = expf(v);
    } else {
      r = 1.f / (1.f + expf(-v));
    }
    output[i] = r;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_LOGISTIC_F32_H */
