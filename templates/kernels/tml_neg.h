/*
 * tml_neg.h - NEG of a float32 tensor, as TFLM's reference Negate. (TFLM's NEG kernel
 * supports float32 only; the compiler rejects int8 NEG as TFLM does.)
 */
#ifndef TML_NEG_H
#define TML_NEG_H

#include "tml_common.h"

typedef struct {
  int32_t size;
} tml_neg_f32_params_t;

TML_KERNEL void tml_neg_f32(const tml_neg_f32_params_t *p, const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_neg_f32(const tml_neg_f32_params_t *p, const float *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = -input[i];
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_NEG_H */
