/*
 * tml_logical.h - LOGICAL_AND and LOGICAL_OR of two bool tensors with broadcasting
 * (tml_broadcast.h), and LOGICAL_NOT, as TFLM's logical.cc / elementwise.cc: bool is one
 * byte; any nonzero byte reads as true (C++ bool semantics for 0/1 bytes); results are
 * 0 or 1.
 */
#ifndef TML_LOGICAL_H
#define TML_LOGICAL_H

#include "tml_broadcast.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t is_and; /* 1: LOGICAL_AND, 0: LOGICAL_OR */
} tml_logical_params_t;

TML_KERNEL void tml_logical_binary(const tml_logical_params_t *p, const uint8_t *input1,
                                   const uint8_t *input2, uint8_t *output);
TML_KERNEL void tml_logical_not(const uint8_t *input, uint8_t *output, int32_t count);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_logical_binary(const tml_logical_params_t *p, const uint8_t *input1,
                                   const uint8_t *input2, uint8_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const uint8_t *a = input1 + it.offset1;
    const uint8_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const int32_t x = a[i * step1] != 0;
      const int32_t y = b[i * step2] != 0;
      output[i] = (uint8_t)(p->is_and ? (x && y) : (x || y));
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

TML_KERNEL void tml_logical_not(const uint8_t *input, uint8_t *output, int32_t count) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    output[i] = (uint8_t)(input[i] == 0);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_LOGICAL_H */
