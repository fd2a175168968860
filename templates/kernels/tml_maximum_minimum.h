/*
 * tml_maximum_minimum.h - MAXIMUM and MINIMUM of two int8 tensors with broadcasting,
 * as TFLM's reference MaximumMinimumBroadcastSlow: the raw int8 values are compared,
 * with no requantization (TFLM ignores the tensors' scales and zero points here).
 */
#ifndef TML_MAXIMUM_MINIMUM_H
#define TML_MAXIMUM_MINIMUM_H

#include "tml_broadcast.h"
#include "tml_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t maximum; /* 1: MAXIMUM, 0: MINIMUM */
} tml_maximum_minimum_s8_params_t;

TML_KERNEL void tml_maximum_minimum_s8(const tml_maximum_minimum_s8_params_t *p,
                                       const int8_t *input1, const int8_t *input2,
                                       int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_maximum_minimum_s8(const tml_maximum_minimum_s8_params_t *p,
                                       const int8_t *input1, const int8_t *input2,
                                       int8_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const int8_t *a = input1 + it.offset1;
    const int8_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const int8_t x = a[i * step1];
      const int8_t y = b[i * step2];
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

#endif /* TML_MAXIMUM_MINIMUM_H */
