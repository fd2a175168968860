/*
 * tml_strided_slice.h - STRIDED_SLICE and SLICE (TFLM reference StridedSlice /
 * Slice): copies a strided box of the input, in order, to a dense output.
 *
 * The compiler resolves begin/end/strides/masks (or begin/size) exactly as TFLM
 * does and pads to TML_STRIDED_SLICE_RANK (5) dimensions with leading 1s. Axis d
 * is visited count[d] times; its input position starts at the element `start`
 * (in bytes, all axes together) and moves by step[d] bytes (stride * input stride *
 * elem_size; negative for negative strides). Byte movement only; elem_size is 1, 2,
 * 4 or 8. A row whose step equals elem_size is one memcpy.
 */
#ifndef TML_STRIDED_SLICE_H
#define TML_STRIDED_SLICE_H

#include <string.h>

#include "tml_common.h"

#define TML_STRIDED_SLICE_RANK 5

typedef struct {
  int32_t elem_size;
  int32_t start;                          /* bytes from the input's first element */
  int32_t count[TML_STRIDED_SLICE_RANK];  /* output dims */
  int32_t step[TML_STRIDED_SLICE_RANK];   /* bytes */
} tml_strided_slice_params_t;

TML_KERNEL void tml_strided_slice(const tml_strided_slice_params_t *p, const void *input,
                                  void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_strided_slice(const tml_strided_slice_params_t *p, const void *input,
                                  void *output) {
  const uint8_t *in = (const uint8_t *)input + p->start;
  uint8_t *out = (uint8_t *)output;
  const size_t es = (size_t)p->elem_size;
  const int32_t n = p->count[TML_STRIDED_SLICE_RANK - 1];
  const int32_t step = p->step[TML_STRIDED_SLICE_RANK - 1];
  int32_t index[TML_STRIDED_SLICE_RANK - 1] = {0, 0, 0, 0};
  int32_t rows = 1;
  int32_t r, d, i;
  for (d = 0; d < TML_STRIDED_SLICE_RANK - 1; ++d) {
    rows *= p->count[d];
  }
  for (r = 0; r < rows && n > 0; ++r) {
    const uint8_t *src = in;
    for (d = 0; d < TML_STRIDED_SLICE_RANK - 1; ++d) {
      src += index[d] * p->step[d];
    }
    if ((size_t)step == es) {
      memcpy(out, src, (size_t)n * es);
      out += (size_t)n * es;
    } else if (es == 1) {
      for (i = 0; i < n; ++i, src += step) {
        *out++ = *src;
      }
    } else {
      for (i = 0; i < n; ++i, src += step, out += es) {
        memcpy(out, src, es);
      }
    }
    for (d = TML_STRIDED_SLICE_RANK - 2; d >= 0; --d) {
      if (++index[d] < p->count[d]) {
        break;
      }
      index[d] = 0;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_STRIDED_SLICE_H */
