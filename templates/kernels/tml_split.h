/*
 * tml_split.h - cutting a tensor along one axis: SPLIT, SPLIT_V and UNPACK (TFLM
 * reference SplitImpl / UnpackImpl; all three copy the same way).
 *
 * With the axis at position a, output i is outer_size blocks of copy_bytes[i] bytes
 * (copy_bytes[i] = dim_i(a) * product of dims after a * element size; UNPACK: one
 * element along the removed axis). The input is read in order: for each outer index
 * k, block k of output 0, block k of output 1, ... Pure byte movement.
 */
#ifndef TML_SPLIT_H
#define TML_SPLIT_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t num_outputs;
  int32_t outer_size;
  const int32_t *copy_bytes;  /* num_outputs entries */
} tml_split_params_t;

TML_KERNEL void tml_split(const tml_split_params_t *p, const void *input,
                          void *const *outputs);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_split(const tml_split_params_t *p, const void *input,
                          void *const *outputs) {
  const uint8_t *in = (const uint8_t *)input;
  int32_t k, i;
  for (k = 0; k < p->outer_size; ++k) {
    for (i = 0; i < p->num_outputs; ++i) {
      const size_t n = (size_t)p->copy_bytes[i];
      memcpy((uint8_t *)outputs[i] + (size_t)k * n, in, n);
      in += n;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SPLIT_H */
