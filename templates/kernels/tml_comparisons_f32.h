/*
 * tml_comparisons_f32.h - LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL and NOT_EQUAL
 * of two float32 tensors with broadcasting (tml_broadcast.h), giving bool (one byte, 0 or
 * 1), as TFLM's reference Comparison / BroadcastComparison4DSlow on float: the C
 * comparison of the two values. The three-way outcome selects the result: if_less
 * (a < b), if_equal (a == b), if_greater (a > b); a NaN compares unordered and gives
 * if_unordered (1 for NOT_EQUAL, else 0, as the C operators).
 */
#ifndef TML_COMPARISONS_F32_H
#define TML_COMPARISONS_F32_H

#include "tml_broadcast.h"
#include "tml_float_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t if_less, if_equal, if_greater, if_unordered; /* 0 or 1 */
} tml_compare_f32_params_t;

TML_KERNEL void tml_compare_f32(const tml_compare_f32_params_t *p, const float *input1,
                                const float *input2, uint8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_compare_f32(const tml_compare_f32_params_t *p, const float *input1,
                                const float *input2, uint8_t *output) {
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
      int32_t result;
      if (x < y) {
        result = p->if_less;
      } else if (x == y) {
        result = p->if_equal;
      } else if (x > y) {
        result = p->if_greater;
      } else {
        result = p->if_unordered;
      }
      output[i] = (uint8_t)result;
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_COMPARISONS_F32_H */
