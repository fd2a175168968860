/*
 * tml_int4w_s8.h - CONV_2D (ungrouped, incl. pointwise) and FULLY_CONNECTED with int8
 * activations and weights in [-8, 7] stored as 4-bit words: the int4 weights of an int4
 * model (TFLite INT4, which TFLM unpacks to int8 and runs through its reference kernels),
 * or int8 weights that happen to fit 4 bits (the compiler picks this form per layer,
 * ops/sparse_weights.cc). Computes what TFLM's reference kernels compute on the unpacked
 * weights: the same integer sums, the same requantization.
 *
 * Columns, bias (input offset folded in), requantization and order: as tml_sparse_s8.h
 * (tml_gemm_columns_t), two columns at a time.
 * Weights: output channels in pairs (2r, 2r + 1; an odd last channel pairs with a row of
 *          zeros), groups = ceil(k / 4) words per pair: byte j of word g is
 *          (tap 4g+j of row 2r+1 << 4) | (tap 4g+j of row 2r & 15), taps past k 0.
 *          Masking a word with 0xF0F0F0F0 leaves row 2r+1's 4 taps times 16 in its bytes,
 *          shifting it left by 4 first row 2r's: SXTB16 and SXTB16 ROR #8 widen them to
 *          the int16 pairs (t0, t2), (t1, t3) of both rows, with no table and no unpacking.
 * Inputs:  two columns widened once per group of 4 taps into 4 words: column 0's
 *          (x0, x2), (x1, x3), then column 1's (tml_int4w_widen2()); one SMLAD per 2
 *          taps, row and column: 2 rows x 2 columns per step. Helium reads the int8
 *          columns as they are: 16 taps per VMLADAVA (tml_int4w_dot_mve()).
 * Sums:    the taps times 16 are multiplied, so the kernel sums 16 * sum w * x and
 *          shifts it right by 4, which is exact (every term is a multiple of 16); Helium
 *          widens the nibbles to the weights themselves (arithmetic shifts). Range:
 *          16 * 128 * sum |w| <= INT32_MAX per row, and |bias| + 128 * sum |w| within
 *          int32 (both checked by the compiler).
 * Scratch: 16 * groups bytes (two widened columns), 16 * ceil(output_c / 2) bytes (the
 *          sums of both columns), then 2 * k bytes when the layer gathers its windows
 *          (im2col).
 */
#ifndef TML_INT4W_S8_H
#define TML_INT4W_S8_H

#include "tml_sparse_s8.h"

typedef struct {
  tml_gemm_columns_t cols;
  int32_t output_c;
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t per_channel;           /* 0: multiplier[0], shift[0] for every channel */
  const uint32_t *weights;       /* [ceil(output_c / 2)][ceil(k / 4)], see above */
  const int32_t *bias;           /* [output_c] bias + input_offset * sum(w) */
  const int32_t *multiplier;     /* [output_c] or [1] */
  const int32_t *shift;          /* [output_c] or [1], encoded (tml_sparse_s8.h) */
} tml_int4w_s8_params_t;

TML_KERNEL void tml_int4w_s8(const tml_int4w_s8_params_t *p, const int8_t *input, int8_t *output,
                             int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* Columns c0 and c1 (k int8 each) as int16 pairs, per 4 taps c0's (x0, x2), (x1, x3),
 * then c1's; taps past k are 0. */
TML_INLINE void tml_int4w_widen2(const int8_t *c0, const int8_t *c1, int32_t k, uint32_t *dst) {
  int32_t i = 0;
  for (; i + 4 <= k; i += 4, dst += 4) {
    tml_widen_s8x4(tml_read_s8x4(c0 + i), &dst[0], &dst[1]);
    tml_widen_s8x4(tml_read_s8x4(c1 + i), &dst[2], &dst[3]);
  }
  if (i < k) {
    int8_t t0[4] = {0, 0, 0, 0}, t1[4] = {0, 0, 0, 0};
    memcpy(t0, c0 + i, (size_t)(k - i));
    memcpy(t1, c1 + i, (size_t)(k - i));
    tml_widen_s8x4(tml_read_s8x4(t0), &dst[0], &dst[1]);
    tml_widen_s8x4(tml_read_s8x4(t1), &dst[2], &dst[3]);
  }
}

/* One group of 4 taps of a pair of rows (word v) against the widened columns x: the
 * sums s[0] (row 2r, column 0), s[1] (row 2r, column 1), s[2] (row 2r + 1, column 0),
 * s[3] (row 2r + 1, column 1), all times 16. */
TML_INLINE void tml_int4w_group(uint32_t v, const uint32_t *x, int32_t *s) {
  uint32_t e0, o0, e1, o1;
  tml_widen_s8x4((v << 4) & 0xF0F0F0F0u, &e0, &o0);
  tml_widen_s8x4(v & 0xF0F0F0F0u, &e1, &o1);
  s[0] = tml_dot2(x[1], o0, tml_dot2(x[0], e0, s[0]));
  s[1] = tml_dot2(x[3], o0, tml_dot2(x[2], e0, s[1]));
  s[2] = tml_dot2(x[1], o1, tml_dot2(x[0], e1, s[2]));
  s[3] = tml_dot2(x[3], o1, tml_dot2(x[2], e1, s[3]));
}

/* The same for column 0 alone: s[0] and s[2]. */
TML_INLINE void tml_int4w_group1(uint32_t v, const uint32_t *x, int32_t *s) {
  uint32_t e0, o0, e1, o1;
  tml_widen_s8x4((v << 4) & 0xF0F0F0F0u, &e0, &o0);
  tml_widen_s8x4(v & 0xF0F0F0F0u, &e1, &o1);
  s[0] = tml_dot2(x[1], o0, tml_dot2(x[0], e0, s[0]));
  s[2] = tml_dot2(x[1], o1, tml_dot2(x[0], e1, s[2]));
}

#if TML_HAVE_DSP && !TML_HAVE_MVE && defined(__GNUC__) && !defined(__clang__) && \
    defined(__OPTIMIZE__)
#define TML_INT4W_ASM 1
/* One group of the assembly loops: the word at W and the column words at X0..X3 (the
 * loads side by side, they pipeline), the weight pairs of each row made as its
 * multiply-adds need them. */
#define TML_INT4W_LOADS2(W, X0, X1, X2, X3)                      \
  "ldr %[v], [%[w], #" W "]\n\t"                                  \
  "ldr %[a], [%[x], #" X0 "]\n\t"                                 \
  "ldr %[b], [%[x], #" X1 "]\n\t"                                 \
  "ldr %[c], [%[x], #" X2 "]\n\t"                                 \
  "ldr %[d], [%[x], #" X3 "]\n\t"
#define TML_INT4W_LOADS1(W, X0, X1)                              \
  "ldr %[v], [%[w], #" W "]\n\t"                                  \
  "ldr %[a], [%[x], #" X0 "]\n\t"                                 \
  "ldr %[b], [%[x], #" X1 "]\n\t"
#define TML_INT4W_ROW0                                           \
  "lsl %[e], %[v], #4\n\t"                                        \
  "and %[e], %[e], #0xF0F0F0F0\n\t"                               \
  "and %[v], %[v], #0xF0F0F0F0\n\t"                               \
  "sxtb16 %[o], %[e], ror #8\n\t"                                 \
  "sxtb16 %[e], %[e]\n\t"
#define TML_INT4W_ROW1                                           \
  "sxtb16 %[o], %[v], ror #8\n\t"                                 \
  "sxtb16 %[e], %[v]\n\t"
#define TML_INT4W_MAC(S, A, B) \
  "smlad %[" S "], %[" A "], %[e], %[" S "]\n\t" \
  "smlad %[" S "], %[" B "], %[o], %[" S "]\n\t"
#define TML_INT4W_GROUP2(W, X0, X1, X2, X3)                                            \
  TML_INT4W_LOADS2(W, X0, X1, X2, X3)                                                  \
  TML_INT4W_ROW0 TML_INT4W_MAC("s00", "a", "b") TML_INT4W_MAC("s01", "c", "d")         \
  TML_INT4W_ROW1 TML_INT4W_MAC("s10", "a", "b") TML_INT4W_MAC("s11", "c", "d")
#define TML_INT4W_GROUP1(W, X0, X1)                                                    \
  TML_INT4W_LOADS1(W, X0, X1)                                                          \
  TML_INT4W_ROW0 TML_INT4W_MAC("s00", "a", "b") TML_INT4W_ROW1 TML_INT4W_MAC("s10", "a", "b")
#else
#define TML_INT4W_ASM 0
#endif

/* The sums of a pair of rows (groups words at w) against the widened columns x (column 1
 * only when two), as tml_int4w_group() orders them, each shifted back by 4. */
TML_INLINE void tml_int4w_dot(const uint32_t *w, int32_t groups, const uint32_t *x, int two,
                              int32_t *s) {
  int32_t g = 0;
  s[0] = s[1] = s[2] = s[3] = 0;
#if TML_INT4W_ASM
  /* Two groups per step. */
  if (groups >= 2) {
    int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0;
    uint32_t v, e, o, a, b, c, d;
    const uint32_t *wp = w, *end = w + (groups & ~1);
    const uint32_t *xp = x;
    if (two) {
      __asm__ __volatile__(
          "1:\n\t"
          TML_INT4W_GROUP2("0", "0", "4", "8", "12")
          TML_INT4W_GROUP2("4", "16", "20", "24", "28")
          "add %[w], %[w], #8\n\t"
          "add %[x], %[x], #32\n\t"
          "cmp %[w], %[end]\n\t"
          "bne 1b"
          : [w] "+r"(wp), [x] "+r"(xp), [s00] "+r"(s00), [s01] "+r"(s01), [s10] "+r"(s10),
            [s11] "+r"(s11), [v] "=&r"(v), [e] "=&r"(e), [o] "=&r"(o), [a] "=&r"(a),
            [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d)
          : [end] "r"(end)
          : "cc", "memory");
    } else {
      __asm__ __volatile__(
          "1:\n\t"
          TML_INT4W_GROUP1("0", "0", "4")
          TML_INT4W_GROUP1("4", "16", "20")
          "add %[w], %[w], #8\n\t"
          "add %[x], %[x], #32\n\t"
          "cmp %[w], %[end]\n\t"
          "bne 1b"
          : [w] "+r"(wp), [x] "+r"(xp), [s00] "+r"(s00), [s10] "+r"(s10), [v] "=&r"(v),
            [e] "=&r"(e), [o] "=&r"(o), [a] "=&r"(a), [b] "=&r"(b)
          : [end] "r"(end)
          : "cc", "memory");
    }
    s[0] = s00, s[1] = s01, s[2] = s10, s[3] = s11;
    g = groups & ~1;
    x += 4 * g;
  }
#endif
  for (; g < groups; ++g, x += 4) {
    if (two) {
      tml_int4w_group(w[g], x, s);
    } else {
      tml_int4w_group1(w[g], x, s);
    }
  }
  s[0] >>= 4;
  s[1] >>= 4;
  s[2] >>= 4;
  s[3] >>= 4;
}

#if TML_HAVE_MVE
/* Helium: the sums of a pair of rows (their words at w: byte i holds tap i of both rows)
 * against the int8 columns c0 and c1 (c1 only when two), 16 taps per step: the high
 * nibbles by an arithmetic shift right by 4, the low ones by a shift left by 4 first, each
 * row and column one VMLADAVA; the tail by predicated loads (lanes past k read 0). */
TML_INLINE void tml_int4w_dot_mve(const uint32_t *w, int32_t k, const int8_t *c0,
                                  const int8_t *c1, int two, int32_t *s) {
  const int8_t *wb = (const int8_t *)(const void *)w;
  int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0, i;
  for (i = 0; i < k; i += 16) {
    const mve_pred16_t q = vctp8q((uint32_t)(k - i));
    const int8x16_t v = vldrbq_z_s8(wb + i, q);
    const int8x16_t w0 = vshrq_n_s8(vshlq_n_s8(v, 4), 4), w1 = vshrq_n_s8(v, 4);
    const int8x16_t x0 = vldrbq_z_s8(c0 + i, q);
    s00 = vmladavaq_s8(s00, w0, x0);
    s10 = vmladavaq_s8(s10, w1, x0);
    if (two) {
      const int8x16_t x1 = vldrbq_z_s8(c1 + i, q);
      s01 = vmladavaq_s8(s01, w0, x1);
      s11 = vmladavaq_s8(s11, w1, x1);
    }
  }
  s[0] = s00, s[1] = s01, s[2] = s10, s[3] = s11;
}
#endif

TML_KERNEL void tml_int4w_s8(const tml_int4w_s8_params_t *p, const int8_t *input, int8_t *output,
                             int8_t *scratch) {
  const int32_t k = p->cols.k, groups = (k + 3) / 4, output_c = p->output_c;
  const int32_t pairs = (output_c + 1) / 2;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  uint32_t *x = (uint32_t *)(void *)scratch;
  int32_t *sums = (int32_t *)(void *)(scratch + 16 * groups);
  int8_t *gathered = scratch + 16 * groups + 16 * pairs;
  int32_t j, r, oc;
  for (j = 0; j < p->cols.columns; j += 2) {
    const int8_t *c0, *c1;
    const int two = tml_gemm_column_pair(&p->cols, input, j, gathered, &c0, &c1);
    int8_t *out = output + j * output_c;
    /* The sums of every pair of rows (an odd last row's partner is a row of zeros), then
     * the outputs: the requantization runs apart from the multiply-adds, which keep the
     * registers. */
#if TML_HAVE_MVE
    for (r = 0; r < pairs; ++r) {
      tml_int4w_dot_mve(p->weights + r * groups, k, c0, c1, two, sums + 4 * r);
    }
    (void)x;
#else
    tml_int4w_widen2(c0, c1, k, x);
    for (r = 0; r < pairs; ++r) {
      tml_int4w_dot(p->weights + r * groups, groups, x, two, sums + 4 * r);
    }
#endif
    for (oc = 0; oc < output_c; ++oc) {
      /* row oc's sums: column 0 at 2 oc, column 1 next to it (tml_int4w_group()'s order) */
      const int32_t *s = sums + 2 * oc;
      const int32_t q = p->per_channel ? oc : 0;
      const int32_t b = p->bias[oc], m = p->multiplier[q], sh = p->shift[q];
      out[oc] = tml_gemm_out(b + s[0], m, sh, zp, act_min, act_max);
      if (two) {
        out[output_c + oc] = tml_gemm_out(b + s[1], m, sh, zp, act_min, act_max);
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_INT4W_S8_H */
