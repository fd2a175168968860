/*
 * tml_maximum_minimum_s16.h - MAXIMUM and MINIMUM of two int16 tensors with
 * broadcasting: the parameters and walk of tml_maximum_minimum.h; the raw int16 values
 * are compared (TFLM ignores the scales and zero points here too).
 */
#ifndef TML_MAXIMUM_MINIMUM_S16_H
#define TML_MAXIMUM_MINIMUM_S16_H

#include "tml_maximum_minimum.h"

TML_KERNEL void tml_maximum_minimum_s16(const tml_maximum_minimum_s8_params_t *p,
                                        const int16_t *input1, const int16_t *input2,
                                        int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_maximum_minimum_s16(const tml_maximum_minimum_s8_params_t *p,
                                        const int16_t *input1, const int16_t *input2,
                                        int16_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const int16_t *a = input1 + it.offset1;
    const int16_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const int16_t x = a[i * step1];
      const int16_t y = b[i * step2];
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

#endif /* TML_MAXIMUM_MINIMUM_S16_H */
