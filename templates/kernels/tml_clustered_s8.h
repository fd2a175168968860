/*
 * tml_clustered_s8.h - CONV_2D (ungrouped, incl. pointwise) and FULLY_CONNECTED with int8
 * activations and clustered int8 weights: a layer whose weights take at most 16 distinct
 * values (per tensor, or per output channel) is stored as 4-bit indices into a table of
 * those values (the compiler picks this form per layer, ops/sparse_weights.cc). Computes
 * what TFLM's reference kernels compute on the dense weights (the table gives back every
 * weight exactly).
 *
 * Columns, bias (input offset folded in), requantization and order: as tml_sparse_s8.h
 * (tml_gemm_columns_t; scratch 2 * k bytes when im2col). The table look-ups give the
 * weights as int16 pairs for SMLAD (tml_clustered_dot()).
 * Indices: row oc holds k indices, two per byte (element 2i in the low nibble of byte i,
 *          2i + 1 in the high one), (k + 1) / 2 bytes per row, rows one after the other.
 * Table:   16 int8 values per output channel (table_stride 16), or one table for all
 *          (table_stride 0), or (table_index not NULL) tables of 16 shared by channels:
 *          channel oc reads table + 16 * table_index[oc]. Per-channel quantization of a
 *          tensor clustered to 16 float values gives each channel those values over its own
 *          scale, max |w| / 127: channels whose largest value is the same centroid get the
 *          same table, so a tensor needs few (the compiler merges channels whose values fit
 *          one table of 16).
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
  int32_t table_stride;          /* 16 or 0 (unused with table_index) */
  const uint8_t *indices;        /* [output_c][(k + 1) / 2] */
  const int8_t *table;           /* [output_c][16], [16] or [tables][16] */
  const uint8_t *table_index;    /* NULL, or [output_c]: channel oc's table */
  const int32_t *bias;           /* [output_c] bias + input_offset * sum(w) */
  const int32_t *multiplier;     /* [output_c] or [1] */
  const int32_t *shift;          /* [output_c] or [1] */
} tml_clustered_s8_params_t;

TML_KERNEL void tml_clustered_s8(const tml_clustered_s8_params_t *p, const int8_t *input,
                                 int8_t *output, int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* The sums of row (indices ix, table t) against column x0 (and x1 when two): 4 taps per
 * step, their weights looked up as the int16 pairs (w0, w2) and (w1, w3) that the
 * widened inputs (x0, x2), (x1, x3) meet (SXTB16, SMLAD on the DSP extension). */
TML_INLINE void tml_clustered_dot(const uint8_t *ix, const int8_t *t, int32_t k, const int8_t *x0,
                                  const int8_t *x1, int two, int32_t *acc0, int32_t *acc1) {
  int32_t a0 = *acc0, a1 = *acc1, i;
  for (i = 0; i + 4 <= k; i += 4, ix += 2) {
    const uint32_t b0 = ix[0], b1 = ix[1];
    const uint32_t even = (uint32_t)(uint16_t)t[b0 & 15u] | ((uint32_t)(uint16_t)t[b1 & 15u] << 16);
    const uint32_t odd = (uint32_t)(uint16_t)t[b0 >> 4] | ((uint32_t)(uint16_t)t[b1 >> 4] << 16);
    uint32_t xe, xo;
    tml_widen_s8x4(tml_read_s8x4(x0 + i), &xe, &xo);
    a0 = tml_dot2(xo, odd, tml_dot2(xe, even, a0));
    if (two) {
      tml_widen_s8x4(tml_read_s8x4(x1 + i), &xe, &xo);
      a1 = tml_dot2(xo, odd, tml_dot2(xe, even, a1));
    }
  }
  for (; i < k; ++i) {
    const uint32_t b = ix[(i & 3) >> 1];
    const int32_t w = t[(i & 1) ? b >> 4 : b & 15u];
    a0 += w * x0[i];
    a1 += w * x1[i];
  }
  *acc0 = a0;
  *acc1 = a1;
}

TML_KERNEL void tml_clustered_s8(const tml_clustered_s8_params_t *p, const int8_t *input,
                                 int8_t *output, int8_t *scratch) {
  const int32_t k = p->cols.k, row_bytes = (k + 1) / 2, output_c = p->output_c;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  int32_t j, oc;
  for (j = 0; j < p->cols.columns; j += 2) {
    const int8_t *x0, *x1;
    const int two = tml_gemm_column_pair(&p->cols, input, j, scratch, &x0, &x1);
    int8_t *out0 = output + j * output_c;
    for (oc = 0; oc < output_c; ++oc) {
      const int32_t c = p->per_channel ? oc : 0;
      const int32_t m = p->multiplier[c], sh = p->shift[c];
      int32_t a0 = p->bias[oc], a1 = a0;
      const int8_t *t = p->table_index ? p->table + 16 * p->table_index[oc]
                                       : p->table + oc * p->table_stride;
      tml_clustered_dot(p->indices + oc * row_bytes, t, k, x0, x1, two, &a0, &a1);
      out0[oc] = tml_gemm_out(a0, m, sh, zp, act_min, act_max);
      if (two) {
        out0[output_c + oc] = tml_gemm_out(a1, m, sh, zp, act_min, act_max);
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CLUSTERED_S8_H */
