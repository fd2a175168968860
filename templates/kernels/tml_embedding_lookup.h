/*
 * tml_embedding_lookup.h - EMBEDDING_LOOKUP (TFLM EmbeddingLookUp): output row i is row
 * lookup[i] of the value table (rows x row_elems elements).
 *
 * tml_embedding_lookup copies rows as raw bytes (float32 -> float32, int8 -> int8);
 * tml_embedding_lookup_s8_f32 is TFLM's hybrid path, int8 rows dequantized to float32 as
 * (float)(int)v * scale (the table's zero point is 0).
 *
 * Both return 0, or -1 when a row index is outside [0, rows) (TFLM's Eval fails the
 * same way). The output is then incomplete.
 */
#ifndef TML_EMBEDDING_LOOKUP_H
#define TML_EMBEDDING_LOOKUP_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t lookups;   /* elements of the lookup vector */
  int32_t rows;      /* first dimension of the table */
  int32_t row_elems; /* elements per row */
  int32_t elem_size; /* bytes per element (copying form) */
  float scale;       /* int8 table scale (dequantizing form) */
} tml_embedding_lookup_params_t;

TML_KERNEL int32_t tml_embedding_lookup(const tml_embedding_lookup_params_t *p,
                                        const int32_t *lookup, const void *value, void *output);
TML_KERNEL int32_t tml_embedding_lookup_s8_f32(const tml_embedding_lookup_params_t *p,
                                               const int32_t *lookup, const int8_t *value,
                                               float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_embedding_lookup(const tml_embedding_lookup_params_t *p,
                                        const int32_t *lookup, const void *value, void *output) {
  const size_t row_bytes = (size_t)p->row_elems * (size_t)p->elem_size;
  const uint8_t *table = (const uint8_t *)value;
  uint8_t *out = (uint8_t *)output;
  int32_t i;
  if (p->rows == 0) {
    return 0;
  }
  for (i = 0; i < p->lookups; ++i) {
    const int32_t row = lookup[i];
    if (row < 0 || row >= p->rows) {
      return -1;
    }
    memcpy(out + (size_t)i * row_bytes, table + (size_t)row * row_bytes, row_bytes);
  }
  return 0;
}

TML_KERNEL int32_t tml_embedding_lookup_s8_f32(const tml_embedding_lookup_params_t *p,
                                               const int32_t *lookup, const int8_t *value,
                                               float *output) {
  int32_t i, k;
  for (i = 0; i < p->lookups; ++i) {
    const int32_t row = lookup[i];
    const int8_t *src;
    if (row < 0 || row >= p->rows) {
      return -1;
    }
    src = value + (size_t)row * (size_t)p->row_elems;
    for (k = 0; k < p->row_elems; ++k) {
      output[k] = (float)(int32_t)src[k] * p->scale;
    }
    output += p->row_elems;
  }
  return 0;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_EMBEDDING_LOOKUP_H */
