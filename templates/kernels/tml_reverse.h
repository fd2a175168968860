/*
 * tml_reverse.h - REVERSE_V2 as TFLM's reference Reverse over contiguous axes: the input
 * seen as [outer][count][inner] (count = product of the reversed dimensions, inner the
 * bytes of everything after them); block i of each outer slice goes to count - 1 - i.
 * Type-blind (TFLM's types all move as bytes).
 */
#ifndef TML_REVERSE_H
#define TML_REVERSE_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t outer, count, inner_bytes;
} tml_reverse_params_t;

TML_KERNEL void tml_reverse(const tml_reverse_params_t *p, const void *input, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_reverse(const tml_reverse_params_t *p, const void *input, void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t block = (size_t)p->inner_bytes;
  int32_t o, i;
  for (o = 0; o < p->outer; ++o) {
    const uint8_t *src = in + (size_t)o * (size_t)p->count * block;
    uint8_t *dst = out + (size_t)o * (size_t)p->count * block;
    for (i = 0; i < p->count; ++i) {
      memcpy(dst + (size_t)(p->count - 1 - i) * block, src + (size_t)i * block, block);
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_REVERSE_H */
