/*
 * tml_broadcast_to.h - BROADCAST_TO as TFLM's reference BroadcastTo: the input repeated
 * along its size-1 (or missing) dimensions to fill the output. The walk is
 * tml_broadcast.h's with input 1 the input (input 2, planned as the output itself, is
 * unused); type-blind, `elem_bytes` per element.
 * A row whose input stride is 1 is one memcpy, a broadcast row repeats one element.
 * BROADCAST_ARGS (tml_broadcast_args_s32 / _s64): the broadcast shape of two 1-D shape
 * tensors, as TFLM's BroadcastArgs: aligned from the back, a missing entry reads 1; an
 * entry of 1 takes the other's; values go through int as in TFLM.
 */
#ifndef TML_BROADCAST_TO_H
#define TML_BROADCAST_TO_H

#include <string.h>

#include "tml_broadcast.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t elem_bytes;
} tml_broadcast_to_params_t;

TML_KERNEL void tml_broadcast_to(const tml_broadcast_to_params_t *p, const void *input,
                                 void *output);
TML_KERNEL void tml_broadcast_args_s32(const int32_t *shape1, int32_t n1, const int32_t *shape2,
                                       int32_t n2, int32_t *output, int32_t n_out);
TML_KERNEL void tml_broadcast_args_s64(const int64_t *shape1, int32_t n1, const int64_t *shape2,
                                       int32_t n2, int64_t *output, int32_t n_out);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_broadcast_to(const tml_broadcast_to_params_t *p, const void *input,
                                 void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t eb = (size_t)p->elem_bytes;
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step = p->shape.strides1[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const uint8_t *src = in + (size_t)it.offset1 * eb;
    if (step == 1) {
      memcpy(out, src, (size_t)inner * eb);
    } else {
      for (i = 0; i < inner; ++i) {
        memcpy(out + (size_t)i * eb, src, eb);
      }
    }
    out += (size_t)inner * eb;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#define TML_BROADCAST_ARGS_BODY                                              \
  int32_t i;                                                                 \
  for (i = 0; i < n_out; ++i) {                                              \
    const int32_t a = i < n1 ? (int32_t)shape1[n1 - 1 - i] : 1;              \
    const int32_t b = i < n2 ? (int32_t)shape2[n2 - 1 - i] : 1;              \
    output[n_out - 1 - i] = a == 1 ? b : a;                                  \
  }

TML_KERNEL void tml_broadcast_args_s32(const int32_t *shape1, int32_t n1, const int32_t *shape2,
                                       int32_t n2, int32_t *output, int32_t n_out) {
  TML_BROADCAST_ARGS_BODY
}

TML_KERNEL void tml_broadcast_args_s64(const int64_t *shape1, int32_t n1, const int64_t *shape2,
                                       int32_t n2, int64_t *output, int32_t n_out) {
  TML_BROADCAST_ARGS_BODY
}

#undef TML_BROADCAST_ARGS_BODY

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_BROADCAST_TO_H */
