/*
 * tml_mirror_pad.h - MIRROR_PAD (TFLM MirrorPad): the input surrounded by mirror
 * images of itself. REFLECT (offset 1) leaves the edge element out of the mirror
 * (in [1,2,3] padded by 2 on the left: 3,2,1,2,3), SYMMETRIC (offset 0) repeats it
 * (2,1,1,2,3).
 *
 * Shapes have TML_MIRROR_PAD_RANK (5) dimensions, padded with leading 1s (padding 0).
 * Output coordinate o of a dimension of input size n and left padding l reads input
 * coordinate
 *   o < l:          l - 1 + offset - o
 *   l <= o < l + n: o - l
 *   o >= l + n:     n - 1 - offset - min(o - l - n, n - 1 - offset)
 * (TFLM's GetInputDimension; the compiler keeps l <= n - offset, so the left side
 * never needs its clamp.) The output is written in order, one row (last dimension) at a
 * time. Works on raw bytes: elem_size is the size of one element.
 */
#ifndef TML_MIRROR_PAD_H
#define TML_MIRROR_PAD_H

#include <string.h>

#include "tml_common.h"

#define TML_MIRROR_PAD_RANK 5

typedef struct {
  int32_t elem_size;
  int32_t offset; /* 1 REFLECT, 0 SYMMETRIC */
  int32_t in_dims[TML_MIRROR_PAD_RANK];
  int32_t out_dims[TML_MIRROR_PAD_RANK];
  int32_t left[TML_MIRROR_PAD_RANK]; /* padding before the input, per dimension */
} tml_mirror_pad_params_t;

TML_KERNEL void tml_mirror_pad(const tml_mirror_pad_params_t *p, const void *input,
                               void *output);

#ifndef TML_DECLARATIONS_ONLY

/* The input coordinate that output coordinate o of dimension d reads. */
TML_KERNEL int32_t tml_mirror_pad_source(const tml_mirror_pad_params_t *p, int32_t d, int32_t o);

TML_KERNEL int32_t tml_mirror_pad_source(const tml_mirror_pad_params_t *p, int32_t d, int32_t o) {
  const int32_t n = p->in_dims[d];
  const int32_t l = p->left[d];
  if (o < l) {
    return l - 1 + p->offset - o;
  }
  if (o - l < n) {
    return o - l;
  }
  {
    const int32_t last = n - 1 - p->offset;
    const int32_t k = o - l - n;
    return last - (k < last ? k : last);
  }
}

TML_KERNEL void tml_mirror_pad(const tml_mirror_pad_params_t *p, const void *input,
                               void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t es = (size_t)p->elem_size;
  const int32_t row = p->out_dims[TML_MIRROR_PAD_RANK - 1];
  int32_t index[TML_MIRROR_PAD_RANK - 1] = {0, 0, 0, 0};
  int32_t rows = 1;
  int32_t r, d, x;
  for (d = 0; d < TML_MIRROR_PAD_RANK - 1; ++d) {
    rows *= p->out_dims[d];
  }
  for (r = 0; r < rows; ++r) {
    /* First element of the input row this output row reads from. */
    size_t src = 0;
    for (d = 0; d < TML_MIRROR_PAD_RANK - 1; ++d) {
      src = src * (size_t)p->in_dims[d] + (size_t)tml_mirror_pad_source(p, d, index[d]);
    }
    src *= (size_t)p->in_dims[TML_MIRROR_PAD_RANK - 1];
    for (x = 0; x < row; ++x) {
      const size_t s = src + (size_t)tml_mirror_pad_source(p, TML_MIRROR_PAD_RANK - 1, x);
      memcpy(out, in + s * es, es);
      out += es;
    }
    for (d = TML_MIRROR_PAD_RANK - 2; d >= 0; --d) {
      if (++index[d] < p->out_dims[d]) {
        break;
      }
      index[d] = 0;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_MIRROR_PAD_H */
