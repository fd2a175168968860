/*
 * tml_gather_nd.h - GATHER_ND (TFLM GatherNd): slices of the params tensor picked by
 * int32 index tuples (which may be computed at run time).
 *
 * The indices are [n_slices, index_depth] (index_depth <= 5); tuple i addresses the
 * first index_depth dimensions of params, whose sizes are dims[] and element strides
 * strides[]. Output slice i (slice_bytes bytes) = the params slice at
 * sum_j indices[i][j] * strides[j]. Byte movement only.
 *
 * Returns 0, or -1 when an index is outside [0, dims[j]) (TFLM does not check; it
 * would read outside the params). The output is then incomplete.
 */
#ifndef TML_GATHER_ND_H
#define TML_GATHER_ND_H

#include <string.h>

#include "tml_common.h"

#define TML_GATHER_ND_MAX_DEPTH 5

typedef struct {
  int32_t n_slices;
  int32_t index_depth;
  int32_t dims[TML_GATHER_ND_MAX_DEPTH];
  int32_t strides[TML_GATHER_ND_MAX_DEPTH]; /* in elements */
  int32_t elem_size;
  int32_t slice_bytes;
} tml_gather_nd_params_t;

TML_KERNEL int32_t tml_gather_nd(const tml_gather_nd_params_t *p, const void *params,
                                 const int32_t *indices, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_gather_nd(const tml_gather_nd_params_t *p, const void *params,
                                 const int32_t *indices, void *output) {
  const uint8_t *in = (const uint8_t *)params;
  uint8_t *out = (uint8_t *)output;
  const size_t n = (size_t)p->slice_bytes;
  int32_t i, j;
  for (i = 0; i < p->n_slices; ++i) {
    size_t from = 0;
    for (j = 0; j < p->index_depth; ++j) {
      const int32_t index = indices[i * p->index_depth + j];
      if (index < 0 || index >= p->dims[j]) {
        return -1;
      }
      from += (size_t)index * (size_t)p->strides[j];
    }
    memcpy(out, in + from * (size_t)p->elem_size, n);
    out += n;
  }
  return 0;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_GATHER_ND_H */
