/*
 * tml_softmax_f32.h - SOFTMAX on float32 over the last dimension, as TFLM's reference
 * float Softmax: max from -FLT_MAX (std::max's comparison); e_c = expf((x_c - max) *
 * beta) stored in the output while sum += e_c in order; then out_c = e_c / sum.
 * Needs <math.h>.
 */
#ifndef TML_SOFTMAX_F32_H
#define TML_SOFTMAX_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t outer, depth;
  float beta;
} tml_softmax_f32_params_t;

TML_KERNEL void tml_softmax_f32(const tml_softmax_f32_params_t *p, const float *input,
                                float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_softmax_f32(const tml_softmax_f32_params_t *p, const float *input,
                                float *output) {
  int32_t i, c;
  for (i = 0; i < p->outer; ++i) {
    const float *in = input + i * p->depth;
    float *out = output + i * p->depth;
    float max = -3.40282347e+38f;
    float sum = 0.f;
    for (c = 0; c < p->depth; ++c) {
      max = (max < in[c]) ? in[c] : max;
    }
    for (c = 0; c < p->depth; ++c) {
      const float diff = in[c] - max;
      const float e = expf(diff * p->beta);
      out[c] = e;
      sum += e;
    }
    for (c = 0; c < p->depth; ++c) {
      out[c] = out[c] / sum;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SOFTMAX_F32_H */
