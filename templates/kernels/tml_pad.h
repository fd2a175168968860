/*
 * tml_pad.h - PAD and PADV2 (TFLM reference Pad): the input is copied into the
 * middle of the output and every other element is set to one pad value.
 *
 * Shapes have TML_PAD_RANK (5) dimensions, padded with leading 1s (padding 0), as
 * TFLM extends them. The output is written in order, one row (last dimension) at a
 * time: a row whose outer index lies in a border is all padding; any other row is
 * left[4] pad values, one input row, right[4] pad values. Works on raw bytes:
 * elem_size is the size of one element (1, 2, 4 or 8) and of *pad_value.
 * Padding amounts are >= 0 and out_dims[d] = in_dims[d] + left[d] + right[d].
 */
#ifndef TML_PAD_H
#define TML_PAD_H

#include <string.h>

#include "tml_common.h"

#define TML_PAD_RANK 5

typedef struct {
  int32_t elem_size;
  int32_t out_dims[TML_PAD_RANK];
  int32_t left[TML_PAD_RANK];   /* elements of padding before the input, per dimension */
  int32_t right[TML_PAD_RANK];  /* and after it */
} tml_pad_params_t;

TML_KERNEL void tml_pad(const tml_pad_params_t *p, const void *input, const void *pad_value,
                        void *output);

#ifndef TML_DECLARATIONS_ONLY

/* Sets `count` elements at dst to *value (doubling memcpy: few calls for long runs). */
TML_KERNEL void tml_pad_fill(uint8_t *dst, const void *value, int32_t count, size_t elem_size);

TML_KERNEL void tml_pad_fill(uint8_t *dst, const void *value, int32_t count, size_t elem_size) {
  const size_t total = (size_t)count * elem_size;
  size_t done;
  if (count <= 0) {
    return;
  }
  memcpy(dst, value, elem_size);
  done = elem_size;
  while (done < total) {
    const size_t chunk = done < total - done ? done : total - done;
    memcpy(dst + done, dst, chunk);
    done += chunk;
  }
}

TML_KERNEL void tml_pad(const tml_pad_params_t *p, const void *input, const void *pad_value,
                        void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t es = (size_t)p->elem_size;
  const int32_t row = p->out_dims[TML_PAD_RANK - 1];
  const int32_t left = p->left[TML_PAD_RANK - 1];
  const int32_t inner = row - left - p->right[TML_PAD_RANK - 1];
  int32_t index[TML_PAD_RANK - 1] = {0, 0, 0, 0};
  int32_t rows = 1;
  int32_t r, d;
  for (d = 0; d < TML_PAD_RANK - 1; ++d) {
    rows *= p->out_dims[d];
  }
  for (r = 0; r < rows; ++r) {
    int border = 0;
    for (d = 0; d < TML_PAD_RANK - 1; ++d) {
      if (index[d] < p->left[d] || index[d] >= p->out_dims[d] - p->right[d]) {
        border = 1;
      }
    }
    if (border) {
      tml_pad_fill(out, pad_value, row, es);
    } else {
      tml_pad_fill(out, pad_value, left, es);
      memcpy(out + (size_t)left * es, in, (size_t)inner * es);
      in += (size_t)inner * es;
      tml_pad_fill(out + (size_t)(left + inner) * es, pad_value, row - left - inner, es);
    }
    out += (size_t)row * es;
    for (d = TML_PAD_RANK - 2; d >= 0; --d) {
      if (++index[d] < p->out_dims[d]) {
        break;
      }
      index[d] = 0;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_PAD_H */
