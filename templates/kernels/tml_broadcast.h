/*
 * tml_broadcast.h - the loop shared by the binary elementwise kernels (MUL, SUB,
 * MAXIMUM/MINIMUM, SQUARED_DIFFERENCE, the comparisons): NumPy broadcasting of two
 * inputs to a dense row-major output.
 *
 * The compiler describes the walk in a tml_broadcast_t: `rank` loops (1 <= rank <=
 * TML_BROADCAST_MAX_RANK), dims[rank - 1] the innermost, and for each input its element
 * stride per loop (0 where that input is broadcast). Adjacent dimensions that are
 * contiguous in both inputs are merged at compile time, so equal shapes give a single
 * loop of every element with strides 1 and 1.
 *
 * Usage, one output row (innermost loop) at a time:
 *   tml_broadcast_iter_t it;
 *   int32_t r, rows = tml_broadcast_begin(b, &it);
 *   for (r = 0; r < rows; ++r) {
 *     ... elements i in [0, b->dims[b->rank - 1]): in1[it.offset1 + i * inner stride1],
 *         in2[it.offset2 + i * inner stride2] ...
 *     tml_broadcast_next_row(b, &it);
 *   }
 *
 * tml_broadcast3_t / tml_broadcast3_iter_t are the same walk over three inputs (SELECT_V2:
 * condition, x, y), with strides[k][d] the stride of input k in loop d.
 */
#ifndef TML_BROADCAST_H
#define TML_BROADCAST_H

#include "tml_common.h"

#define TML_BROADCAST_MAX_RANK 8

typedef struct {
  int32_t rank;
  int32_t dims[TML_BROADCAST_MAX_RANK];
  int32_t strides1[TML_BROADCAST_MAX_RANK]; /* input 1, in elements; 0 = broadcast */
  int32_t strides2[TML_BROADCAST_MAX_RANK]; /* input 2 */
} tml_broadcast_t;

typedef struct {
  int32_t index[TML_BROADCAST_MAX_RANK];
  int32_t offset1; /* first element of the current row in input 1 */
  int32_t offset2;
} tml_broadcast_iter_t;

/* Resets `it` to the first row; returns the number of rows (product of the outer dims). */
TML_KERNEL int32_t tml_broadcast_begin(const tml_broadcast_t *b, tml_broadcast_iter_t *it);
/* Moves `it` to the next row (odometer over all loops but the innermost). */
TML_KERNEL void tml_broadcast_next_row(const tml_broadcast_t *b, tml_broadcast_iter_t *it);

typedef struct {
  int32_t rank;
  int32_t dims[TML_BROADCAST_MAX_RANK];
  int32_t strides[3][TML_BROADCAST_MAX_RANK]; /* per input, in elements; 0 = broadcast */
} tml_broadcast3_t;

typedef struct {
  int32_t index[TML_BROADCAST_MAX_RANK];
  int32_t offset[3]; /* first element of the current row in each input */
} tml_broadcast3_iter_t;

TML_KERNEL int32_t tml_broadcast3_begin(const tml_broadcast3_t *b, tml_broadcast3_iter_t *it);
TML_KERNEL void tml_broadcast3_next_row(const tml_broadcast3_t *b, tml_broadcast3_iter_t *it);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_broadcast_begin(const tml_broadcast_t *b, tml_broadcast_iter_t *it) {
  int32_t rows = 1;
  int32_t d;
  for (d = 0; d < TML_BROADCAST_MAX_RANK; ++d) {
    it->index[d] = 0;
  }
  for (d = 0; d + 1 < b->rank; ++d) {
    rows *= b->dims[d];
  }
  it->offset1 = 0;
  it->offset2 = 0;
  return rows;
}

TML_KERNEL void tml_broadcast_next_row(const tml_broadcast_t *b, tml_broadcast_iter_t *it) {
  int32_t d;
  for (d = b->rank - 2; d >= 0; --d) {
    it->offset1 += b->strides1[d];
    it->offset2 += b->strides2[d];
    if (++it->index[d] < b->dims[d]) {
      return;
    }
    /* Wrap this loop and carry into the next outer one. */
    it->offset1 -= b->strides1[d] * b->dims[d];
    it->offset2 -= b->strides2[d] * b->dims[d];
    it->index[d] = 0;
  }
}

TML_KERNEL int32_t tml_broadcast3_begin(const tml_broadcast3_t *b, tml_broadcast3_iter_t *it) {
  int32_t rows = 1;
  int32_t d, k;
  for (d = 0; d < TML_BROADCAST_MAX_RANK; ++d) {
    it->index[d] = 0;
  }
  for (d = 0; d + 1 < b->rank; ++d) {
    rows *= b->dims[d];
  }
  for (k = 0; k < 3; ++k) {
    it->offset[k] = 0;
  }
  return rows;
}

TML_KERNEL void tml_broadcast3_next_row(const tml_broadcast3_t *b, tml_broadcast3_iter_t *it) {
  int32_t d, k;
  for (d = b->rank - 2; d >= 0; --d) {
    for (k = 0; k < 3; ++k) {
      it->offset[k] += b->strides[k][d];
    }
    if (++it->index[d] < b->dims[d]) {
      return;
    }
    for (k = 0; k < 3; ++k) {
      it->offset[k] -= b->strides[k][d] * b->dims[d];
    }
    it->index[d] = 0;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_BROADCAST_H */
