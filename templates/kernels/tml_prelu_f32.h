/*
 * tml_prelu_f32.h - PRELU on float32 with broadcasting of alpha (tml_broadcast.h), as
 * TFLM's BroadcastPrelu4DSlowFloat: x >= 0 ? x : x * alpha.
 */
#ifndef TML_PRELU_F32_H
#define TML_PRELU_F32_H

#include "tml_broadcast.h"
#include "tml_float_common.h"

typedef struct {
  tml_broadcast_t shape;
} tml_prelu_f32_params_t;

TML_KERNEL void tml_prelu_f32(const tml_prelu_f32_params_t *p, const float *input,
                              const float *alpha, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_prelu_f32(const tml_prelu_f32_params_t *p, const float *input,
                              const float *alpha, float *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const float *a = input + it.offset1;
    const float *b = alpha + it.offset2;
    for (i = 0; i < inner; ++i) {
      const float v = a[i * step1];
      output[i] = v >= 0.0f ? v : v * b[i * step2];
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_PRELU_F32_H */
