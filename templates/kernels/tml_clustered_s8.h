/*
 * tml_clustered_s8.h - CONV_2D (ungrouped, incl. pointwise) and FULLY_CONNECTED with int8
 * activations and clustered int8 weights: a layer whose weights take at most 16 distinct
 * values (per tensor, or per output channel) is stored as 4-bit indices into a table of
 * those values (the compiler picks this form per layer, ops/sparse_weights.cc). Computes
 * what TFLM's reference kernels compute on the dense weights (the table gives back every
 * weight exactly).
 *
 * Columns, bias (input offset folded in), requantization and order: as tml_sparse_s8.h
 * (tml_gemm_columns_t). Each output channel's row is decoded through the table into
 * scratch (k int8) once per pair of columns, then multiplied as dense int8 (tml_s4_dot():
 * SMLAD on the DSP extension, Helium on MVE). Scratch: k bytes, plus 2 * k in front when
 * im2col.
 * Indices: row oc holds k indices, two per byte (element 2i in the low nibble of byte i,
 *          2i + 1 in the high one), (k + 1) / 2 bytes per row, rows one after the other.
 * Table:   16 int8 values per output channel (table_stride 16), or one table for all
 *          (table_stride 0).
 */
#ifndef TML_CLUSTERED_S8_H
#define TML_CLUSTERED_S8_H

#include "tml_s4_common.h"
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

/* Row oc's k weights through the table into w (int8). */
TML_INLINE void tml_clustered_row(const tml_clustered_s8_params_t *p, int32_t oc, int8_t *w) {
  const int32_t k = p->cols.k;
  const uint8_t *ix = p->indices + oc * ((k + 1) / 2);
  const int8_t *t = p->table + oc * p->table_stride;
  int32_t i;
  for (i = 0; i + 1 < k; i += 2) {
    const uint32_t b = *ix++;
    w[i] = t[b & 15u];
    w[i + 1] = t[b >> 4];
  }
  if (i < k) {
    w[i] = t[*ix & 15u];
  }
}

TML_KERNEL void tml_clustered_s8(const tml_clustered_s8_params_t *p, const int8_t *input,
                                 int8_t *output, int8_t *scratch) {
  const int32_t k = p->cols.k, output_c = p->output_c, zp = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max;
  /* scratch: [two columns when im2col][one decoded row] */
  int8_t *const row = scratch + (p->cols.im2col ? 2 * k : 0);
  int32_t j, oc;
  for (j = 0; j < p->cols.columns; j += 2) {
    const int8_t *x0, *x1;
    const int two = tml_gemm_column_pair(&p->cols, input, j, scratch, &x0, &x1);
    int8_t *out0 = output + j * output_c;
    for (oc = 0; oc < output_c; ++oc) {
      const int32_t c = p->per_channel ? oc : 0;
      const int32_t m = p->multiplier[c], sh = p->shift[c];
      tml_clustered_row(p, oc, row);
      out0[oc] = tml_gemm_out(tml_s4_dot(x0, row, k, 0, p->bias[oc]), m, sh, zp, act_min, act_max);
      if (two) {
        out0[output_c + oc] =
            tml_gemm_out(tml_s4_dot(x1, row, k, 0, p->bias[oc]), m, sh, zp, act_min, act_max);
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CLUSTERED_S8_H */
