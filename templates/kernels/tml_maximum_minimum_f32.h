/*
 * tml_maximum_minimum_f32.h - MAXIMUM / MINIMUM of two float32 tensors with
 * broadcasting (tml_broadcast.h), as TFLM's MaximumOp / MinimumOp: a > b ? a : b and
 * a < b ? a : b (a NaN in the first input gives the second).
 */
#ifndef TML_MAXIMUM_MINIMUM_F32_H
#define TML_MAXIMUM_MINIMUM_F32_H

#include "tml_broadcast.h"
#include "tml_float_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t maximum; /* 1: MAXIMUM, 0: MINIMUM */
} tml_maximum_minimum_f32_params_t;

TML_KERNEL void tml_maximum_minimum_f32(const tml_maximum_minimum_f32_params_t *p,
                                        const float *input1, const float *input2,
                                        float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_maximum_minimum_f32(const tml_maximum_minimum_f32_params_t *p,
                                        const float *input1, const float *input2,
                                        float *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const float *a = input1 + it.offset1;
    const float *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const float x = a[i * step1];
      const float y = b[i * step2];
      if (p->maximum) {
        output[i] = x > y ? x : y;
      } else {
        output[i] = x < y ? x : y;
      }
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_MAXIMUM_MINIMUM_F32_H */
