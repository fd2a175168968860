/*
 * tml_concatenation.h - joining tensors along one axis: CONCATENATION and PACK
 * (TFLM reference Concatenation / PackImpl; both copy the same way).
 *
 * With the axis at position a, every input i is outer_size blocks of copy_bytes[i]
 * bytes (copy_bytes[i] = dim_i(a) * product of dims after a * element size; PACK:
 * every input has the same block size, one element along the new axis). The output
 * is, for each outer index k, block k of input 0, block k of input 1, ... Pure byte
 * movement, so one kernel serves every element type. No rescaling: TFLM requires int8
 * inputs to share the output's scale and zero point.
 */
#ifndef TML_CONCATENATION_H
#define TML_CONCATENATION_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t num_inputs;
  int32_t outer_size;
  const int32_t *copy_bytes;  /* num_inputs entries */
} tml_concatenation_params_t;

TML_KERNEL void tml_concatenation(const tml_concatenation_params_t *p,
                                  const void *const *inputs, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_concatenation(const tml_concatenation_params_t *p,
                                  const void *const *inputs, void *output) {
  uint8_t *out = (uint8_t *)output;
  int32_t k, i;
  for (k = 0; k < p->outer_size; ++k) {
    for (i = 0; i < p->num_inputs; ++i) {
      const size_t n = (size_t)p->copy_bytes[i];
      memcpy(out, (const uint8_t *)inputs[i] + (size_t)k * n, n);
      out += n;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONCATENATION_H */
