/*
 * tml_sparse24p_s8.h - CONV_2D (ungrouped, incl. pointwise) and FULLY_CONNECTED with int8
 * activations and int8 weights in the 2:4 pattern (at most 2 nonzero weights in every
 * group of 4 consecutive taps of a row), stored for speed ("2:4 pairs"): per group its
 * 2 weights and one code byte naming which 2 of its 4 inputs they meet. 6 bits per tap
 * instead of tml_sparse24_s8.h's 5; the compiler picks one form or the other per layer
 * (ops/sparse_weights.cc).
 *
 * Per column the kernel first writes, for every group g of 4 inputs (x0..x3), the 6
 * pairs an index can name, as packed int16 pairs (tml_fast_common.h):
 *   table[6g + s] = (x_a, x_b) for pattern s = 0..5: (a, b) = (0,1) (0,2) (0,3) (1,2)
 *                   (1,3) (2,3)
 * so that a row's group costs one table load and one dual multiply-add (SMLAD) against
 * its two weights: acc += x_a * w_a + x_b * w_b.
 *
 * Columns, bias (input offset folded in), requantization and order: as tml_sparse_s8.h
 * (tml_gemm_columns_t). Scratch: the table, 96 * units bytes (4-byte aligned), then k
 * bytes for the window when im2col.
 * Rows: k taps in groups of 4 (taps past k: weight 0), groups in units of 4: units =
 *       ceil(ceil(k / 4) / 4) per row, 3 words each, rows one after the other:
 *         word 0: bytes w_a(0), w_a(1), w_b(0), w_b(1) (groups 0, 1: SXTB16 and SXTB16
 *                 ROR #8 give their weight pairs)
 *         word 1: the same for groups 2, 3
 *         word 2: the 4 groups' code bytes (group j in byte j)
 *       Unit u of a row has position q = (u + pad) % 4, pad = (4 - units % 4) % 4 (the
 *       last unit has q = 3), and its group j's code is 24 q + 6 j + s: the table word of
 *       that group is table[24 (u - q) + code] (the assembly loop steps four units at a
 *       time).
 */
#ifndef TML_SPARSE24P_S8_H
#define TML_SPARSE24P_S8_H

#include "tml_sparse_s8.h"

typedef struct {
  tml_gemm_columns_t cols;
  int32_t output_c;
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t per_channel;           /* 0: multiplier[0], shift[0] for every channel */
  int32_t units;                 /* units of 4 groups per row */
  const uint32_t *rows;          /* [output_c][units][3] */
  const int32_t *bias;           /* [output_c] bias + input_offset * sum(w) */
  const int32_t *multiplier;     /* [output_c] or [1] */
  const int32_t *shift;          /* [output_c] or [1], encoded as in tml_sparse_s8.h */
} tml_sparse24p_s8_params_t;

/* The scratch bytes of a layer: the pair table, then the gathered window. */
#define TML_SPARSE24P_SCRATCH(units, k, im2col) (96 * (units) + ((im2col) ? (k) : 0))

TML_KERNEL void tml_sparse24p_s8(const tml_sparse24p_s8_params_t *p, const int8_t *input,
                                 int8_t *output, int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_INLINE uint32_t tml_sparse24p_pack(int32_t lo, int32_t hi) {
  return (uint32_t)(uint16_t)(int16_t)lo | ((uint32_t)(uint16_t)(int16_t)hi << 16);
}

/* The pair table of one column x of k taps (groups past k read 0). */
TML_INLINE void tml_sparse24p_table(const int8_t *x, int32_t k, int32_t groups, uint32_t *t) {
  int32_t g;
  /* Whole groups: (x0, x2) and (x1, x3) widened at once, the other pairs by halves. */
  for (g = 0; 4 * g + 4 <= k; ++g, t += 6) {
    uint32_t e, o;
    tml_widen_s8x4(tml_read_s8x4(x + 4 * g), &e, &o);
    t[0] = (e & 0xFFFFu) | (o << 16);
    t[1] = e;
    t[2] = (e & 0xFFFFu) | (o & 0xFFFF0000u);
    t[3] = (o & 0xFFFFu) | (e & 0xFFFF0000u);
    t[4] = o;
    t[5] = (e >> 16) | (o & 0xFFFF0000u);
  }
  for (; g < groups; ++g, t += 6) {
    int32_t v[4] = {0, 0, 0, 0}, i;
    for (i = 0; i < 4 && 4 * g + i < k; ++i) {
      v[i] = x[4 * g + i];
    }
    t[0] = tml_sparse24p_pack(v[0], v[1]);
    t[1] = tml_sparse24p_pack(v[0], v[2]);
    t[2] = tml_sparse24p_pack(v[0], v[3]);
    t[3] = tml_sparse24p_pack(v[1], v[2]);
    t[4] = tml_sparse24p_pack(v[1], v[3]);
    t[5] = tml_sparse24p_pack(v[2], v[3]);
  }
}

#if TML_HAVE_DSP && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
/* Rows per pass of the assembly (their sums wait on the stack). */
#define TML_SPARSE24P_ROWS 32

/* Unit q of a step (words at s + 12 q): its 2 weight words and 4 code bytes, then the 4
 * table words they name, loads side by side (they pipeline); then 4 weight pairs, 4
 * SMLAD. */
#define TML_SPARSE24P_UNIT(w0, w1, c0, c1, c2, c3)  \
  "ldr %[wa], [%[s], #" w0 "]\n\t"                  \
  "ldr %[wb], [%[s], #" w1 "]\n\t"                  \
  "ldrb %[x0], [%[s], #" c0 "]\n\t"                 \
  "ldrb %[x1], [%[s], #" c1 "]\n\t"                 \
  "ldrb %[x2], [%[s], #" c2 "]\n\t"                 \
  "ldrb %[x3], [%[s], #" c3 "]\n\t"                 \
  "ldr %[x0], [%[t], %[x0], lsl #2]\n\t"            \
  "ldr %[x1], [%[t], %[x1], lsl #2]\n\t"            \
  "ldr %[x2], [%[t], %[x2], lsl #2]\n\t"            \
  "ldr %[x3], [%[t], %[x3], lsl #2]\n\t"            \
  "sxtb16 %[c], %[wa]\n\t"                          \
  "sxtb16 %[wa], %[wa], ror #8\n\t"                 \
  "smlad %[sum], %[x0], %[c], %[sum]\n\t"           \
  "smlad %[sum], %[x1], %[wa], %[sum]\n\t"          \
  "sxtb16 %[c], %[wb]\n\t"                          \
  "sxtb16 %[wb], %[wb], ror #8\n\t"                 \
  "smlad %[sum], %[x2], %[c], %[sum]\n\t"           \
  "smlad %[sum], %[x3], %[wb], %[sum]\n\t"

/* The sums of n >= 1 rows (units >= 1 each) from s on against the table, bias first,
 * into acc[0..n): one assembly loop over the rows, four units per step; a row whose
 * units are not a multiple of 4 enters at unit pad = (4 - units % 4) % 4 of its first
 * step, the stream and table pointers that many units back (so that the row's last
 * unit is the last of a step: the codes of unit q of a step are 24 q + 6 j + s). The row
 * bytes, the first table pointer, pad and the end of acc wait on the stack. Returns the
 * words after the last row. */
TML_INLINE const uint32_t *tml_sparse24p_sums(const uint32_t *s, int32_t n, int32_t units,
                                              const int32_t *bias, const uint32_t *table,
                                              int32_t *acc) {
  const uint32_t pad = (uint32_t)(4 - units % 4) % 4u;
  uint32_t end = (uint32_t)units * 12u;
  uint32_t t = (uint32_t)(uintptr_t)table - pad * 96u;
  uint32_t c = pad, wa = (uint32_t)(uintptr_t)(acc + n);
  uint32_t wb, x0, x1, x2, x3;
  int32_t sum;
  __asm__ __volatile__(
      "sub sp, sp, #16\n\t"
      "strd %[end], %[t], [sp]\n\t"
      "strd %[c], %[wa], [sp, #8]\n"
      "1:\n\t"
      "ldr %[sum], [%[bias]], #4\n\t"
      "ldr %[end], [sp]\n\t"
      "ldr %[t], [sp, #4]\n\t"
      "ldr %[c], [sp, #8]\n\t"
      "add %[end], %[s], %[end]\n\t"
      "cmp %[c], #0\n\t"
      "bne 5f\n"
      "10:\n\t"
      TML_SPARSE24P_UNIT("0", "4", "8", "9", "10", "11")
      "11:\n\t"
      TML_SPARSE24P_UNIT("12", "16", "20", "21", "22", "23")
      "12:\n\t"
      TML_SPARSE24P_UNIT("24", "28", "32", "33", "34", "35")
      "13:\n\t"
      TML_SPARSE24P_UNIT("36", "40", "44", "45", "46", "47")
      "add %[s], %[s], #48\n\t"
      "add %[t], %[t], #384\n\t"
      "cmp %[s], %[end]\n\t"
      "bne 10b\n\t"
      "str %[sum], [%[acc]], #4\n\t"
      "ldr %[c], [sp, #12]\n\t"
      "cmp %[acc], %[c]\n\t"
      "bne 1b\n\t"
      "b 6f\n"
      "5:\n\t" /* enter at unit pad: the stream 12 * pad bytes back */
      "sub %[s], %[s], %[c], lsl #3\n\t"
      "sub %[s], %[s], %[c], lsl #2\n\t"
      "cmp %[c], #2\n\t"
      "beq 12b\n\t"
      "bhi 13b\n\t"
      "b 11b\n"
      "6:\n\t"
      "add sp, sp, #16"
      : [s] "+r"(s), [bias] "+r"(bias), [acc] "+r"(acc), [end] "+r"(end), [t] "+r"(t),
        [c] "+r"(c), [wa] "+r"(wa), [wb] "=&r"(wb), [sum] "=&r"(sum), [x0] "=&r"(x0),
        [x1] "=&r"(x1), [x2] "=&r"(x2), [x3] "=&r"(x3)
      :
      : "cc", "memory");
  return s;
}
#undef TML_SPARSE24P_UNIT
#endif

/* One row's sum against the table (portable C, the same arithmetic). */
TML_INLINE int32_t tml_sparse24p_row(const uint32_t *s, int32_t units, const uint32_t *table,
                                     int32_t acc) {
  const int32_t pad = (4 - units % 4) % 4;
  int32_t u, j;
  for (u = 0; u < units; ++u, s += 3) {
    const uint32_t codes = s[2];
    const int32_t base = 24 * (u - (u + pad) % 4);
    for (j = 0; j < 4; ++j) {
      const uint32_t w = s[j / 2] >> (8 * (j & 1));
      const uint32_t x = table[base + (int32_t)((codes >> (8 * j)) & 0xFFu)];
      acc += tml_pair_lo(x) * (int32_t)(int8_t)(w & 0xFFu) +
             tml_pair_hi(x) * (int32_t)(int8_t)((w >> 16) & 0xFFu);
    }
  }
  return acc;
}

TML_KERNEL void tml_sparse24p_s8(const tml_sparse24p_s8_params_t *p, const int8_t *input,
                                 int8_t *output, int8_t *scratch) {
  const int32_t k = p->cols.k, units = p->units, output_c = p->output_c;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t step = p->per_channel ? 1 : 0;
  uint32_t *const table = (uint32_t *)(void *)scratch;
  int8_t *const window = scratch + 96 * units;
  int32_t j, oc;
  for (j = 0; j < p->cols.columns; ++j) {
    const int8_t *x = input + j * k;
    const int32_t *multiplier = p->multiplier, *shift = p->shift;
    const uint32_t *s = p->rows;
    int8_t *out = output + j * output_c;
    if (p->cols.im2col) {
      tml_gemm_im2col(&p->cols, input, j, window);
      x = window;
    }
    tml_sparse24p_table(x, k, 4 * units, table);
#ifdef TML_SPARSE24P_ROWS
    for (oc = 0; oc < output_c; oc += TML_SPARSE24P_ROWS) {
      int32_t acc[TML_SPARSE24P_ROWS], i;
      const int32_t n = output_c - oc < TML_SPARSE24P_ROWS ? output_c - oc : TML_SPARSE24P_ROWS;
      s = tml_sparse24p_sums(s, n, units, p->bias + oc, table, acc);
      for (i = 0; i < n; ++i) {
        out[oc + i] = tml_gemm_out(acc[i], *multiplier, *shift, zp, act_min, act_max);
        multiplier += step;
        shift += step;
      }
    }
#else
    for (oc = 0; oc < output_c; ++oc, s += 3 * units) {
      const int32_t acc = tml_sparse24p_row(s, units, table, p->bias[oc]);
      out[oc] = tml_gemm_out(acc, *multiplier, *shift, zp, act_min, act_max);
      multiplier += step;
      shift += step;
    }
#endif
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SPARSE24P_S8_H */
