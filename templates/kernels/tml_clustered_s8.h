/*
 * tml_clustered_s8.h - CONV_2D (ungrouped, incl. pointwise) and FULLY_CONNECTED with int8
 * activations and clustered int8 weights: a layer whose weights take at most 16 distinct
 * values (per tensor, or per output channel) is stored as 4-bit indices into a table of
 * those values (the compiler picks this form per layer, ops/sparse_weights.cc). Computes
 * what TFLM's reference kernels compute on the dense weights (the table gives back every
 * weight exactly).
 *
 * Columns, bias (input offset folded in), requantization and order: as tml_sparse_s8.h
 * (tml_gemm_columns_t; scratch 2 * k bytes when im2col).
 * Indices: row oc holds k indices, two per byte (element 2i in the low nibble of byte i,
 *          2i + 1 in the high one), (k + 1) / 2 bytes per row, rows one after the other.
 * Table:   16 int8 values per output channel (table_stride 16), or one table for all
 *          (table_stride 0).
 */
#ifndef TML_CLUSTERED_S8_H
#define TML_CLUSTERED_S8_H

#include "tml_sparse_s8.h"

typedef struct {
  tml_gemm_columns_t cols;
  int32_t output_c;
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t per_channel;           /* 0: multiplier[0], shift[0] for every channel */
  int32_t table_stride;          /* 16 or 0 */
  const uint8_t *indices;        /* [output_c][(k + 1) / 2] */
  const int8_t *table;           /* [output_c][16] or [16] */
  const int32_t *bias;           /* [output_c] bias + input_offset * sum(w) */
  const int32_t *multiplier;     /* [output_c] or [1] */
  const int32_t *shift;          /* [output_c] or [1] */
} tml_clustered_s8_params_t;

TML_KERNEL void tml_clustered_s8(const tml_clustered_s8_params_t *p, const int8_t *input,
                                 int8_t *output, int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_clustered_s8(const tml_clustered_s8_params_t *p, const int8_t *input,
                                 int8_t *output, int8_t *scratch) {
  const int32_t k = p->cols.k, row_bytes = (k + 1) / 2;
  int32_t j, oc, i;
  for (j = 0; j < p->cols.columns; j += 2) {
    const int8_t *x0, *x1;
    const int two = tml_gemm_column_pair(&p->cols, input, j, scratch, &x0, &x1);
    int8_t *out0 = output + j * p->output_c;
    for (oc = 0; oc < p->output_c; ++oc) {
      const uint8_t *ix = p->indices + oc * row_bytes;
      const int8_t *t = p->table + oc * p->table_stride;
      const int32_t c = p->per_channel ? oc : 0;
      int32_t a0 = p->bias[oc], a1 = a0;
      for (i = 0; i + 1 < k; i += 2) {
        const uint32_t b = *ix++;
        const int32_t w0 = t[b & 15u], w1 = t[b >> 4];
        a0 += w0 * x0[i] + w1 * x0[i + 1];
        a1 += w0 * x1[i] + w1 * x1[i + 1];
      }
      if (i < k) {
        const int32_t w0 = t[*ix & 15u];
        a0 += w0 * x0[i];
        a1 += w0 * x1[i];
      }
      out0[oc] = tml_gemm_out(a0, p->multiplier[c], p->shift[c], p->output_offset, p->act_min,
                              p->act_max);
      if (two) {
        out0[p->output_c + oc] = tml_gemm_out(a1, p->multiplier[c], p->shift[c],
                                              p->output_offset, p->act_min, p->act_max);
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CLUSTERED_S8_H */
