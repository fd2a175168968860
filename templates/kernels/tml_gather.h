/*
 * tml_gather.h - GATHER (TFLM Gather): picks slices of the input along `axis` by
 * int32 indices (which may be computed at run time).
 *
 * The input is viewed as [batch_size, outer_size, axis_size, inner] (inner_bytes =
 * product of the dims after the axis * element size) and the indices as
 * [batch_size, coord_size]. Output block (b, o, c) = input block
 * (b, o, indices[b * coord_size + c]). Byte movement only.
 *
 * Returns 0, or -1 when an index is outside [0, axis_size) (TFLM does not check; it
 * would read outside the input). The output is then incomplete.
 */
#ifndef TML_GATHER_H
#define TML_GATHER_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t batch_size;
  int32_t outer_size;
  int32_t axis_size;
  int32_t coord_size;
  int32_t inner_bytes;
} tml_gather_params_t;

TML_KERNEL int32_t tml_gather(const tml_gather_params_t *p, const void *input,
                              const int32_t *indices, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_gather(const tml_gather_params_t *p, const void *input,
                              const int32_t *indices, void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t n = (size_t)p->inner_bytes;
  int32_t b, o, c;
  for (b = 0; b < p->batch_size; ++b) {
    const int32_t *batch_indices = indices + b * p->coord_size;
    for (o = 0; o < p->outer_size; ++o) {
      const uint8_t *block = in + (size_t)(b * p->outer_size + o) * (size_t)p->axis_size * n;
      for (c = 0; c < p->coord_size; ++c) {
        const int32_t index = batch_indices[c];
        if (index < 0 || index >= p->axis_size) {
          return -1;
        }
        memcpy(out, block + (size_t)index * n, n);
        out += n;
      }
    }
  }
  return 0;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_GATHER_H */
