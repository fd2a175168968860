/*
 * tml_sparse24_s8.h - CONV_2D (ungrouped, incl. pointwise) and FULLY_CONNECTED with int8
 * activations and int8 weights in the 2:4 pattern (at most 2 nonzero weights in every
 * group of 4 consecutive taps of a row, what prune_low_magnitude(sparsity_m_by_n=(2, 4))
 * makes): per group the 2 weights and their positions in 4 bits (the compiler picks this
 * form per layer, ops/sparse_weights.cc). 5 bits per tap instead of 8.
 *
 * Columns, bias (input offset folded in), requantization and order: as tml_sparse_s8.h
 * (tml_gemm_columns_t; scratch 2 * k bytes when im2col).
 * Rows: k taps in groups = ceil(k / 4) groups (taps past k hold weight 0). Row oc's
 *       weights: 2 * groups int8 at weights + oc * 2 * groups, group g's two weights at
 *       2g, 2g + 1; its codes: (groups + 1) / 2 bytes at codes + oc * ((groups + 1) / 2),
 *       group 2i in the low nibble of byte i, 2i + 1 in the high one; a group's nibble is
 *       p0 | p1 << 2, the positions (0..3) of its two weights within the group, both below
 *       k - 4g in the last group (a missing weight is 0 at any such position).
 */
#ifndef TML_SPARSE24_S8_H
#define TML_SPARSE24_S8_H

#include "tml_sparse_s8.h"

typedef struct {
  tml_gemm_columns_t cols;
  int32_t output_c;
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t per_channel;           /* 0: multiplier[0], shift[0] for every channel */
  const int8_t *weights;         /* [output_c][2 * groups] */
  const uint8_t *codes;          /* [output_c][(groups + 1) / 2] */
  const int32_t *bias;           /* [output_c] bias + input_offset * sum(w) */
  const int32_t *multiplier;     /* [output_c] or [1] */
  const int32_t *shift;          /* [output_c] or [1], encoded as in tml_sparse_s8.h */
} tml_sparse24_s8_params_t;

TML_KERNEL void tml_sparse24_s8(const tml_sparse24_s8_params_t *p, const int8_t *input,
                                int8_t *output, int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* One row against one column (the positions of the last group lie below k, so that no
 * tap past the column is read). */
TML_INLINE int32_t tml_sparse24_dot1(const int8_t *w, const uint8_t *code, int32_t groups,
                                     const int8_t *x, int32_t acc) {
  int32_t g;
  /* Two groups per step: their 4 weights from one word, widened to the pairs (g0 w0,
   * g1 w0) and (g0 w1, g1 w1) (SXTB16), each met by its two inputs (SMLABB, SMLABT). */
  for (g = 0; g + 1 < groups; g += 2, w += 4) {
    const uint32_t c = *code++;
    const int8_t *x4 = x + 4 * g;
    uint32_t even, odd;
    tml_widen_s8x4(tml_read_s8x4(w), &even, &odd);
    acc = tml_sparse_mac2(x4[c & 3u], x4[4 + ((c >> 4) & 3u)], even, acc);
    acc = tml_sparse_mac2(x4[(c >> 2) & 3u], x4[4 + (c >> 6)], odd, acc);
  }
  if (g < groups) {
    const uint32_t c = *code;
    acc += w[0] * x[4 * g + (int32_t)(c & 3u)] + w[1] * x[4 * g + (int32_t)((c >> 2) & 3u)];
  }
  return acc;
}

/* The same against two columns. */
TML_INLINE void tml_sparse24_dot2(const int8_t *w, const uint8_t *code, int32_t groups,
                                  const int8_t *x0, const int8_t *x1, int32_t *acc0,
                                  int32_t *acc1) {
  int32_t a0 = *acc0, a1 = *acc1, g;
  for (g = 0; g < groups; ++g, w += 2) {
    const uint32_t c = (uint32_t)code[g >> 1] >> (4 * (g & 1));
    const int32_t q0 = 4 * g + (int32_t)(c & 3u), q1 = 4 * g + (int32_t)((c >> 2) & 3u);
    a0 += w[0] * x0[q0] + w[1] * x0[q1];
    a1 += w[0] * x1[q0] + w[1] * x1[q1];
  }
  *acc0 = a0;
  *acc1 = a1;
}

TML_KERNEL void tml_sparse24_s8(const tml_sparse24_s8_params_t *p, const int8_t *input,
                                int8_t *output, int8_t *scratch) {
  const int32_t k = p->cols.k, groups = (k + 3) / 4, code_bytes = (groups + 1) / 2;
  const int32_t output_c = p->output_c, zp = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max;
  int32_t j, oc;
  for (j = 0; j < p->cols.columns; j += 2) {
    const int8_t *c0, *c1;
    const int two = tml_gemm_column_pair(&p->cols, input, j, scratch, &c0, &c1);
    int8_t *out0 = output + j * output_c;
    for (oc = 0; oc < output_c; ++oc) {
      const int8_t *w = p->weights + oc * 2 * groups;
      const uint8_t *code = p->codes + oc * code_bytes;
      const int32_t c = p->per_channel ? oc : 0;
      int32_t a0 = p->bias[oc], a1 = a0;
      if (two) {
        tml_sparse24_dot2(w, code, groups, c0, c1, &a0, &a1);
        out0[output_c + oc] =
            tml_gemm_out(a1, p->multiplier[c], p->shift[c], zp, act_min, act_max);
      } else {
        a0 = tml_sparse24_dot1(w, code, groups, c0, a0);
      }
      out0[oc] = tml_gemm_out(a0, p->multiplier[c], p->shift[c], zp, act_min, act_max);
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SPARSE24_S8_H */
