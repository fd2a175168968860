/*
 * tml_transpose.h - TRANSPOSE (TFLM reference Transpose): output[i0..i4] =
 * input[i_perm^-1...], written in output order.
 *
 * The compiler pads both shapes to TML_TRANSPOSE_RANK (5) dimensions with leading
 * 1s and gives, for each output dimension d, in_step[d]: how many bytes the input
 * position moves when output index d grows by one (input stride of dimension
 * perm[d] times elem_size). Byte movement only; elem_size is 1, 2, 4 or 8.
 */
#ifndef TML_TRANSPOSE_H
#define TML_TRANSPOSE_H

#include <string.h>

#include "tml_common.h"

#define TML_TRANSPOSE_RANK 5

typedef struct {
  int32_t elem_size;
  int32_t out_dims[TML_TRANSPOSE_RANK];
  int32_t in_step[TML_TRANSPOSE_RANK];  /* bytes */
} tml_transpose_params_t;

TML_KERNEL void tml_transpose(const tml_transpose_params_t *p, const void *input,
                              void *output);

#ifndef TML_DECLARATIONS_ONLY

/* n elements to consecutive out, reading in every `step` bytes. */
TML_KERNEL void tml_transpose_row(uint8_t *out, const uint8_t *in, int32_t n, int32_t step,
                                  size_t elem_size);

TML_KERNEL void tml_transpose_row(uint8_t *out, const uint8_t *in, int32_t n, int32_t step,
                                  size_t elem_size) {
  int32_t i;
  /* Constant-size memcpy compiles to plain loads and stores. */
  switch (elem_size) {
    case 1:
      for (i = 0; i < n; ++i, in += step) out[i] = *in;
      break;
    case 2:
      for (i = 0; i < n; ++i, in += step, out += 2) memcpy(out, in, 2);
      break;
    case 4:
      for (i = 0; i < n; ++i, in += step, out += 4) memcpy(out, in, 4);
      break;
    default:
      for (i = 0; i < n; ++i, in += step, out += elem_size) memcpy(out, in, elem_size);
      break;
  }
}

TML_KERNEL void tml_transpose(const tml_transpose_params_t *p, const void *input,
                              void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t es = (size_t)p->elem_size;
  const int32_t row = p->out_dims[TML_TRANSPOSE_RANK - 1];
  int32_t index[TML_TRANSPOSE_RANK - 1] = {0, 0, 0, 0};
  int32_t rows = 1;
  int32_t r, d;
  for (d = 0; d < TML_TRANSPOSE_RANK - 1; ++d) {
    rows *= p->out_dims[d];
  }
  for (r = 0; r < rows; ++r) {
    int32_t offset = 0;
    for (d = 0; d < TML_TRANSPOSE_RANK - 1; ++d) {
      offset += index[d] * p->in_step[d];
    }
    tml_transpose_row(out, in + offset, row, p->in_step[TML_TRANSPOSE_RANK - 1], es);
    out += (size_t)row * es;
    for (d = TML_TRANSPOSE_RANK - 2; d >= 0; --d) {
      if (++index[d] < p->out_dims[d]) {
        break;
      }
      index[d] = 0;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_TRANSPOSE_H */
