/*
 * tml_dynamic_update_slice.h - DYNAMIC_UPDATE_SLICE (TFLM DynamicUpdateSlice): the
 * operand with the update written over the block starting at start_indices.
 *
 * Shapes have TML_DUS_RANK (6) dimensions, padded with leading 1s. The start index of
 * dimension d (int32 or int64 at run time, the padded dimensions' taken as 0) is clamped
 * to [0, dims[d] - update_dims[d]] as TFLM does. The operand is copied to the output
 * first (skipped when they share memory), then the update row by row. Raw bytes:
 * elem_size is the size of one element. `rank` is the model's rank (start_indices holds
 * that many values).
 */
#ifndef TML_DYNAMIC_UPDATE_SLICE_H
#define TML_DYNAMIC_UPDATE_SLICE_H

#include <string.h>

#include "tml_common.h"

#define TML_DUS_RANK 6

typedef struct {
  int32_t elem_size;
  int32_t rank;
  int32_t indices_are_int64;
  int32_t dims[TML_DUS_RANK];
  int32_t update_dims[TML_DUS_RANK];
} tml_dynamic_update_slice_params_t;

TML_KERNEL void tml_dynamic_update_slice(const tml_dynamic_update_slice_params_t *p,
                                         const void *operand, const void *update,
                                         const void *start_indices, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_dynamic_update_slice(const tml_dynamic_update_slice_params_t *p,
                                         const void *operand, const void *update,
                                         const void *start_indices, void *output) {
  const size_t es = (size_t)p->elem_size;
  const uint8_t *src = (const uint8_t *)update;
  uint8_t *out = (uint8_t *)output;
  int32_t start[TML_DUS_RANK];
  size_t stride[TML_DUS_RANK];
  int32_t index[TML_DUS_RANK - 1] = {0, 0, 0, 0, 0};
  size_t total = 1, base = 0;
  int32_t rows = 1, r, d;
  const size_t row_bytes = (size_t)p->update_dims[TML_DUS_RANK - 1] * es;
  for (d = 0; d < TML_DUS_RANK; ++d) {
    const int32_t k = d - (TML_DUS_RANK - p->rank);
    int64_t s = 0;
    const int64_t hi = (int64_t)p->dims[d] - (int64_t)p->update_dims[d];
    if (k >= 0) {
      s = p->indices_are_int64 ? ((const int64_t *)start_indices)[k]
                               : (int64_t)((const int32_t *)start_indices)[k];
    }
    s = s < 0 ? 0 : s;
    start[d] = (int32_t)(s > hi ? hi : s);
    total *= (size_t)p->dims[d];
  }
  if (output != operand) {
    memcpy(output, operand, total * es);
  }
  stride[TML_DUS_RANK - 1] = 1;
  for (d = TML_DUS_RANK - 2; d >= 0; --d) {
    stride[d] = stride[d + 1] * (size_t)p->dims[d + 1];
  }
  for (d = 0; d < TML_DUS_RANK; ++d) {
    base += (size_t)start[d] * stride[d];
  }
  for (d = 0; d < TML_DUS_RANK - 1; ++d) {
    rows *= p->update_dims[d];
  }
  if (row_bytes == 0) {
    return;
  }
  for (r = 0; r < rows; ++r) {
    size_t at = base;
    for (d = 0; d < TML_DUS_RANK - 1; ++d) {
      at += (size_t)index[d] * stride[d];
    }
    memcpy(out + at * es, src, row_bytes);
    src += row_bytes;
    for (d = TML_DUS_RANK - 2; d >= 0; --d) {
      if (++index[d] < p->update_dims[d]) {
        break;
      }
      index[d] = 0;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DYNAMIC_UPDATE_SLICE_H */
