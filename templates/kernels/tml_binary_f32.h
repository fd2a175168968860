/*
 * tml_binary_f32.h - what the float32 elementwise binary kernels (ADD, SUB, MUL, DIV)
 * share: their parameters and the broadcast walk (tml_broadcast.h), as TFLM's reference
 * float Add/Sub/Mul/Div and their Broadcast*Slow forms: each output element is
 * input1 OP input2 through the fused activation clamp [act_min, act_max] (TFLM's
 * ActivationFunctionWithMinMax), in row-major output order.
 */
#ifndef TML_BINARY_F32_H
#define TML_BINARY_F32_H

#include "tml_broadcast.h"
#include "tml_float_common.h"

typedef struct {
  tml_broadcast_t shape;
  float act_min, act_max;
} tml_binary_f32_params_t;

/* The body of `void tml_X_f32(const tml_binary_f32_params_t *p, const float *input1,
 * const float *input2, float *output)` for the C operator OP. */
#define TML_BINARY_F32_BODY(OP)                                                       \
  const int32_t inner = p->shape.dims[p->shape.rank - 1];                             \
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];                         \
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];                         \
  tml_broadcast_iter_t it;                                                            \
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);                           \
  int32_t r, i;                                                                       \
  for (r = 0; r < rows; ++r) {                                                        \
    const float *a = input1 + it.offset1;                                             \
    const float *b = input2 + it.offset2;                                             \
    for (i = 0; i < inner; ++i) {                                                     \
      output[i] = tml_act_f32(a[i * step1] OP b[i * step2], p->act_min, p->act_max);  \
    }                                                                                 \
    output += inner;                                                                  \
    tml_broadcast_next_row(&p->shape, &it);                                           \
  }

#endif /* TML_BINARY_F32_H */
