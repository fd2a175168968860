/*
 * tml_fill.h - FILL and ZEROS_LIKE, type-blind (they move bytes):
 * tml_fill: `count` copies of the one element at `value` (`elem_bytes` bytes) into
 * `output`, as TFLM's FillImpl (every output element = the scalar value).
 * tml_zeros: `bytes` zero bytes (ZEROS_LIKE: integer 0 and float +0.0f are all-zero
 * bytes).
 */
#ifndef TML_FILL_H
#define TML_FILL_H

#include <string.h>

#include "tml_common.h"

TML_KERNEL void tml_fill(const void *value, int32_t elem_bytes, void *output, int32_t count);
TML_KERNEL void tml_zeros(void *output, int32_t bytes);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_fill(const void *value, int32_t elem_bytes, void *output, int32_t count) {
  uint8_t *out = (uint8_t *)output;
  int32_t i;
  for (i = 0; i < count; ++i) {
    memcpy(out + (size_t)i * (size_t)elem_bytes, value, (size_t)elem_bytes);
  }
}

TML_KERNEL void tml_zeros(void *output, int32_t bytes) {
  memset(output, 0, (size_t)bytes);
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_FILL_H */
