/*
 * tml_depthwise_3x3.h - DEPTHWISE_CONV_2D with a 3x3 filter, depth multiplier 1,
 * dilation 1 and stride 1 or 2 (the same both ways), one channel at a time.
 *
 * Per channel, the input rows the next output row needs are widened to int16 with the
 * input offset added ((x + input_offset), 0 in the padding) into a ring of 3 rows in a
 * scratch buffer; an output row is then computed two pixels at a time from 16-bit pairs
 * of neighbouring columns, so that one 32-bit load gives two taps and most products
 * are dual 16x16 multiply-accumulates (SMLAD on the Arm DSP extension, the same
 * arithmetic in portable C elsewhere). With the weight pairs W01 = (w0, w1) and
 * W12 = (w1, w2) of a filter row and the column pairs of a ring row starting at the
 * first tap of output x:
 *   stride 1, A = (c0, c1), B = (c2, c3):
 *     out[x]   += SMLAD(A, W01) + SMLABT(B, W12)     c0 w0 + c1 w1 + c2 w2
 *     out[x+1] += SMLATB(A, W01) + SMLAD(B, W12)     c1 w0 + c2 w1 + c3 w2
 *   stride 2, P0 = (c0, c1), P1 = (c2, c3), P2 = (c4, c5):
 *     out[x]   += SMLAD(P0, W01) + SMLABT(P1, W12)   c0 w0 + c1 w1 + c2 w2
 *     out[x+1] += SMLAD(P1, W01) + SMLABT(P2, W12)   c2 w0 + c3 w1 + c4 w2
 * The ring holds padded rows r (input row r - pad_h) in slot r % 3, and its words
 * interleaved by slot (word 3 j + slot holds padded columns 2j, 2j + 1, column c being
 * input column c - pad_w), so the taps of all three rows are at fixed offsets from one
 * pointer; which filter row goes with which slot rotates from output row to output row.
 *
 * Requantization: weights and bias doubled (a = 2 acc) and the short exact form of
 * tml_fast_common.h with the output zero point folded into its rounding constant:
 *   y = (SMMLAR(a, m, 2^(e-1) + zp 2^e) - (a < 0)) >> e, then the activation clamp;
 * equal to TFLM's for every input where |a| < 2^31 and |x| + 2^(e-1) + |zp| 2^e < 2^31
 * (x = SaturatingRoundingDoublingHighMul(acc, m)); the compiler checks both for every
 * channel from the constant weights and bias (compiler/src/ops/depthwise_conv_2d.cc).
 *
 * Prepared offline:
 *   weights uint32_t[channels][3]: the filter rows ky = 0..2 of a channel as the bytes
 *         (w0, w1, w1, w2) (w0 in bits 0-7), widened by SXTB16 / SXTB16 ROR #8 into
 *         W01 / W12;
 *   bias int32_t[channels]; multiplier int32_t[channels] in [2^30, 2^31); shift
 *         int8_t[channels]: the right shift e in [1, 30] (the rounding constant
 *         2^(e-1) + zp 2^e is formed per channel).
 *   words the words per ring row: enough for the padded columns the output row reads
 *         (stride 1: (output_w + 1) / 2 + 1, stride 2: output_w + 1).
 *   scratch uint32_t[3 * words], 4-byte aligned, or NULL when 3 * words <=
 *         TML_DW3X3_LOCAL_WORDS (a ring on the stack: no arena for most layers).
 * Layouts: input [batches, input_h, input_w, channels], output [batches, output_h,
 * output_w, channels].
 *
 * Order contract (in-place execution, compiler/src/ops/depthwise_conv_2d.cc): batch by
 * batch, channel by channel, output row by output row; output row oy of a channel is
 * written after that channel's input rows up to oy * stride - pad_h + 2 are read (into
 * the ring), and it writes that channel's bytes only. The output may therefore share
 * the input's memory at a distance that is a multiple of the channel count. (The column
 * plane, cols = 1, reads all of a channel's input before writing any of its output.)
 */
#ifndef TML_DEPTHWISE_3X3_H
#define TML_DEPTHWISE_3X3_H

#include "tml_fast_common.h"

/* Rings of up to this many words (3 * words) live on the stack (scratch NULL); larger
 * ones in the arena (a planned scratch buffer). */
#define TML_DW3X3_LOCAL_WORDS 78

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, channels;
  int32_t output_h, output_w;
  int32_t stride; /* 1 or 2 */
  int32_t pad_h, pad_w;
  int32_t input_offset;  /* -input zero point */
  int32_t output_offset; /* output zero point zp */
  int32_t act_min, act_max;
  int32_t words; /* per ring row */
  const uint32_t *weights;
  const int32_t *bias;
  const int32_t *multiplier;
  const int8_t *shift;
  int32_t cols; /* 1: the column plane (see below; Helium ignores it) */
} tml_dw3x3_s8_params_t;

TML_KERNEL void tml_dw3x3_s8(const tml_dw3x3_s8_params_t *p, const int8_t *input,
                             int8_t *output, uint32_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* TML_OPT_DW3X3_CLAMP: some layer's activation range is not the full int8 range. */
#ifndef TML_OPT_DW3X3_CLAMP
#define TML_OPT_DW3X3_CLAMP TML_OPTION_DEFAULT
#endif
/* TML_OPT_DW3X3_COLS: some layer uses the column plane (cols = 1). */
#ifndef TML_OPT_DW3X3_COLS
#define TML_OPT_DW3X3_COLS TML_OPTION_DEFAULT
#endif

/* (x.lo + off.lo, x.hi + off.hi) with x's bytes 0 and 2 sign-extended (SXTAB16). */
TML_INLINE uint32_t tml_dw3x3_sxtab16(uint32_t off2, uint32_t x) {
#if TML_HAVE_DSP
  return (uint32_t)__sxtab16((int32_t)off2, (int32_t)x);
#else
  const int32_t lo = (int32_t)(int8_t)(uint8_t)(x & 0xFFu) + tml_pair_lo(off2);
  const int32_t hi = (int32_t)(int8_t)(uint8_t)((x >> 16) & 0xFFu) + tml_pair_hi(off2);
  return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
#endif
}

/* acc + x.lo * w.hi (SMLABT) and acc + x.hi * w.lo (SMLATB). */
TML_INLINE int32_t tml_dw3x3_mla_bt(uint32_t x, uint32_t w, int32_t acc) {
#if TML_HAVE_DSP
  return __smlabt((int32_t)x, (int32_t)w, acc);
#else
  return acc + tml_pair_lo(x) * tml_pair_hi(w);
#endif
}
TML_INLINE int32_t tml_dw3x3_mla_tb(uint32_t x, uint32_t w, int32_t acc) {
#if TML_HAVE_DSP
  return __smlatb((int32_t)x, (int32_t)w, acc);
#else
  return acc + tml_pair_hi(x) * tml_pair_lo(w);
#endif
}

/* Requantized a = 2 acc (see above); full: the activation range is [-128, 127]. */
TML_ALWAYS_INLINE int8_t tml_dw3x3_out(int32_t a, int32_t m, int32_t round, int32_t e,
                                       int32_t act_min, int32_t act_max, const int full) {
  int32_t y = tml_mul_high_round_add(a, m, round);
  y = (y - (int32_t)((uint32_t)a >> 31)) >> e;
#if TML_HAVE_DSP
  if (full) return (int8_t)__builtin_arm_ssat(y, 8);
#else
  if (full) {
    y = y < -128 ? -128 : y;
    return (int8_t)(y > 127 ? 127 : y);
  }
#endif
  y = y < act_min ? act_min : y;
  return (int8_t)(y > act_max ? act_max : y);
}

/* One output row of one channel: `r` at ring word 0 of the row's first tap column,
 * weight pairs of the filter rows in ring slots 0, 1, 2, n output pixels `step` bytes
 * apart from `out`. stride, full: constants where it is inlined. */
TML_ALWAYS_INLINE void tml_dw3x3_row_body(const uint32_t *r, uint32_t u0, uint32_t v0,
                                          uint32_t u1, uint32_t v1, uint32_t u2, uint32_t v2,
                                          int8_t *out, int32_t step, int32_t n, int32_t bias,
                                          int32_t m, int32_t round, int32_t e,
                                          int32_t act_min, int32_t act_max, const int stride,
                                          const int full) {
  const int8_t *const end = out + (n >> 1) * 2 * step;
  while (out != end) {
    int32_t a0 = bias, a1 = bias;
    if (stride == 1) {
      uint32_t x0 = r[0], x1 = r[3];
      a0 = tml_dot2(x0, u0, a0);
      a1 = tml_dw3x3_mla_tb(x0, u0, a1);
      a0 = tml_dw3x3_mla_bt(x1, v0, a0);
      a1 = tml_dot2(x1, v0, a1);
      x0 = r[1];
      x1 = r[4];
      a0 = tml_dot2(x0, u1, a0);
      a1 = tml_dw3x3_mla_tb(x0, u1, a1);
      a0 = tml_dw3x3_mla_bt(x1, v1, a0);
      a1 = tml_dot2(x1, v1, a1);
      x0 = r[2];
      x1 = r[5];
      a0 = tml_dot2(x0, u2, a0);
      a1 = tml_dw3x3_mla_tb(x0, u2, a1);
      a0 = tml_dw3x3_mla_bt(x1, v2, a0);
      a1 = tml_dot2(x1, v2, a1);
      r += 3;
    } else {
      uint32_t x0 = r[0], x1 = r[3], x2 = r[6];
      a0 = tml_dot2(x0, u0, a0);
      a0 = tml_dw3x3_mla_bt(x1, v0, a0);
      a1 = tml_dot2(x1, u0, a1);
      a1 = tml_dw3x3_mla_bt(x2, v0, a1);
      x0 = r[1];
      x1 = r[4];
      x2 = r[7];
      a0 = tml_dot2(x0, u1, a0);
      a0 = tml_dw3x3_mla_bt(x1, v1, a0);
      a1 = tml_dot2(x1, u1, a1);
      a1 = tml_dw3x3_mla_bt(x2, v1, a1);
      x0 = r[2];
      x1 = r[5];
      x2 = r[8];
      a0 = tml_dot2(x0, u2, a0);
      a0 = tml_dw3x3_mla_bt(x1, v2, a0);
      a1 = tml_dot2(x1, u2, a1);
      a1 = tml_dw3x3_mla_bt(x2, v2, a1);
      r += 6;
    }
    *out = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
    out += step;
    *out = tml_dw3x3_out(a1, m, round, e, act_min, act_max, full);
    out += step;
  }
  if (n & 1) {
    int32_t a0 = bias;
    a0 = tml_dot2(r[0], u0, a0);
    a0 = tml_dw3x3_mla_bt(r[3], v0, a0);
    a0 = tml_dot2(r[1], u1, a0);
    a0 = tml_dw3x3_mla_bt(r[4], v1, a0);
    a0 = tml_dot2(r[2], u2, a0);
    a0 = tml_dw3x3_mla_bt(r[5], v2, a0);
    out[0] = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
  }
}

/* tml_dw3x3_row_body() with nl words from one column pair to the next (the column plane:
 * TML_DW3X3_NL). (A copy: with the ring's body sharing it, GCC allocated the ring's loop
 * worse.) stride, full, nl: constants where it is inlined. */
TML_ALWAYS_INLINE void tml_dw3x3_col_body(const uint32_t *r, uint32_t u0, uint32_t v0,
                                          uint32_t u1, uint32_t v1, uint32_t u2, uint32_t v2,
                                          int8_t *out, int32_t step, int32_t n, int32_t bias,
                                          int32_t m, int32_t round, int32_t e,
                                          int32_t act_min, int32_t act_max, const int stride,
                                          const int full, const int nl) {
  const int8_t *const end = out + (n >> 1) * 2 * step;
  while (out != end) {
    int32_t a0 = bias, a1 = bias;
    if (stride == 1) {
      uint32_t x0 = r[0], x1 = r[nl];
      a0 = tml_dot2(x0, u0, a0);
      a1 = tml_dw3x3_mla_tb(x0, u0, a1);
      a0 = tml_dw3x3_mla_bt(x1, v0, a0);
      a1 = tml_dot2(x1, v0, a1);
      x0 = r[1];
      x1 = r[nl + 1];
      a0 = tml_dot2(x0, u1, a0);
      a1 = tml_dw3x3_mla_tb(x0, u1, a1);
      a0 = tml_dw3x3_mla_bt(x1, v1, a0);
      a1 = tml_dot2(x1, v1, a1);
      x0 = r[2];
      x1 = r[nl + 2];
      a0 = tml_dot2(x0, u2, a0);
      a1 = tml_dw3x3_mla_tb(x0, u2, a1);
      a0 = tml_dw3x3_mla_bt(x1, v2, a0);
      a1 = tml_dot2(x1, v2, a1);
      r += nl;
    } else {
      uint32_t x0 = r[0], x1 = r[nl], x2 = r[2 * nl];
      a0 = tml_dot2(x0, u0, a0);
      a0 = tml_dw3x3_mla_bt(x1, v0, a0);
      a1 = tml_dot2(x1, u0, a1);
      a1 = tml_dw3x3_mla_bt(x2, v0, a1);
      x0 = r[1];
      x1 = r[nl + 1];
      x2 = r[2 * nl + 1];
      a0 = tml_dot2(x0, u1, a0);
      a0 = tml_dw3x3_mla_bt(x1, v1, a0);
      a1 = tml_dot2(x1, u1, a1);
      a1 = tml_dw3x3_mla_bt(x2, v1, a1);
      x0 = r[2];
      x1 = r[nl + 2];
      x2 = r[2 * nl + 2];
      a0 = tml_dot2(x0, u2, a0);
      a0 = tml_dw3x3_mla_bt(x1, v2, a0);
      a1 = tml_dot2(x1, u2, a1);
      a1 = tml_dw3x3_mla_bt(x2, v2, a1);
      r += 2 * nl;
    }
    *out = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
    out += step;
    *out = tml_dw3x3_out(a1, m, round, e, act_min, act_max, full);
    out += step;
  }
  if (n & 1) {
    int32_t a0 = bias;
    a0 = tml_dot2(r[0], u0, a0);
    a0 = tml_dw3x3_mla_bt(r[nl], v0, a0);
    a0 = tml_dot2(r[1], u1, a0);
    a0 = tml_dw3x3_mla_bt(r[nl + 1], v1, a0);
    a0 = tml_dot2(r[2], u2, a0);
    a0 = tml_dw3x3_mla_bt(r[nl + 2], v2, a0);
    out[0] = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
  }
}

/* All output rows of channel ch: `x`, `o` at the channel's byte of the first input and
 * output pixel of the batch. stride, full: constants where it is inlined. The layer's
 * fields are read into locals first: the ring's stores could alias them otherwise. */
TML_ALWAYS_INLINE void tml_dw3x3_channel_body(const tml_dw3x3_s8_params_t *p, const int8_t *x,
                                              int8_t *o, uint32_t *ring, int32_t ch,
                                              const int stride, const int full) {
  const int32_t c = p->channels, ih = p->input_h, oh = p->output_h, ow = p->output_w;
  const int32_t in_row = p->input_w * c, out_row = ow * c, pad_h = p->pad_h;
  const int32_t words = p->words, pad = p->pad_w, off = p->input_offset, c2 = 2 * c;
  const uint32_t off2 = ((uint32_t)off & 0xFFFFu) * 0x00010001u;
  const int32_t bias = (int32_t)((uint32_t)p->bias[ch] << 1), m = p->multiplier[ch];
  const int32_t e = p->shift[ch];
  const int32_t round = (int32_t)(((uint32_t)1 << (e - 1)) + (uint32_t)p->output_offset * ((uint32_t)1 << e));
  const int32_t act_min = p->act_min, act_max = p->act_max;
  const uint32_t *const q = p->weights + 3 * ch;
  /* Where a row's input columns go, the same for every row: `lead` column 0 alone in the
   * high half of word `first` (pad_w odd), then `nfull` whole words of two columns, then
   * `tail` one column in a low half (the other halves of those words are padding: 0);
   * the words of padding alone stay zero from tml_dw3x3_s8()'s start. */
  const int32_t first = pad >> 1;
  const int32_t lead = (pad & 1) && first < words;
  int32_t nfull = (p->input_w - lead) >> 1, room = words - first - lead, tail;
  /* Weight pairs of filter row ky, doubled: w[2 ky] = W01, w[2 ky + 1] = W12; twice over,
   * so that w + 2 (3 - base) lists them in ring-slot order. */
  uint32_t w[12];
  int32_t ky, oy, next = 0, slot = 0, base = 0;
  room = room < 0 ? 0 : room;
  nfull = nfull > room ? room : nfull;
  tail = p->input_w - lead - 2 * nfull > 0 && nfull < room;
  for (ky = 0; ky < 3; ++ky) {
    uint32_t even, odd;
    tml_widen_s8x4(q[ky], &even, &odd);
    w[2 * ky] = w[2 * ky + 6] = (even << 1) & 0xFFFEFFFEu;
    w[2 * ky + 1] = w[2 * ky + 7] = (odd << 1) & 0xFFFEFFFEu;
  }
  for (oy = 0; oy < oh; ++oy, o += out_row) {
    /* Slot k holds padded row oy * stride + ((k - base) mod 3), base = oy * stride mod 3. */
    const uint32_t *wr = w + (base == 0 ? 0 : 2 * (3 - base));
    for (; next <= oy * stride + 2; ++next) {
      const int32_t iy = next - pad_h;
      uint32_t *d = ring + slot;
      if (iy >= 0 && iy < ih) {
        /* Input row iy widened, input offset added. */
        const int8_t *xp = x + iy * in_row;
        int32_t k;
        d += 3 * first;
        if (lead) {
          *d = (uint32_t)(xp[0] + off) << 16; /* low half: padding column pad_w - 1 */
          d += 3;
          xp += c;
        }
        for (k = nfull; k != 0; --k, d += 3, xp += c2) {
          *d = tml_dw3x3_sxtab16(off2, (uint32_t)(uint8_t)xp[0] | ((uint32_t)(uint8_t)xp[c] << 16));
        }
        if (tail) *d = (uint32_t)(xp[0] + off) & 0xFFFFu; /* high half: padding */
      } else {
        /* A row in the padding. */
        int32_t j;
        for (j = 0; j < words; ++j, d += 3) *d = 0;
      }
      slot = slot == 2 ? 0 : slot + 1;
    }
    tml_dw3x3_row_body(ring, wr[0], wr[1], wr[2], wr[3], wr[4], wr[5], o, c, ow, bias, m,
                       round, e, act_min, act_max, stride, full);
    base += stride;
    base = base >= 3 ? base - 3 : base;
  }
}

#if TML_OPT_DW3X3_COLS && !TML_HAVE_MVE
/* The column plane (cols = 1: stride 1, narrow planes, output_w + 2 <= TML_DW3X3_NL and
 * output_h >= output_w, e.g. KWS's 25 x 5): the channel's whole padded plane widened at
 * once, column-major, then each output column computed as a "row" along y by
 * tml_dw3x3_row_body() with the transposed taps, so the long dimension is the inner
 * loop. Padded column L, padded rows 2 j and 2 j + 1 are in word TML_DW3X3_NL j + L of
 * the plane (cwords = (output_h + 1) / 2 + 1 words per column), so the taps of three
 * neighbouring columns are at fixed offsets from one pointer. Every input byte of the
 * channel is read before any of its outputs is written: the order contract holds for any
 * distance. */
#define TML_DW3X3_NL 8
/* Two neighbouring output columns of the plane at once (not at -Os: code size): `r` at
 * word 0 of the first column's first tap line, n outputs per column, rows `step` bytes
 * apart from `o`, the second column `c` bytes after the first. Blocks of 2 x 2 outputs
 * share the 8 words they read (4 lines, 2 column pairs): 24 dual multiply-accumulates for
 * 36 products. */
TML_ALWAYS_INLINE void tml_dw3x3_cols2(const uint32_t *r, const uint32_t *w, int8_t *o,
                                       int32_t c, int32_t step, int32_t n, int32_t bias,
                                       int32_t m, int32_t round, int32_t e, int32_t act_min,
                                       int32_t act_max, const int full) {
  const uint32_t u0 = w[0], v0 = w[1], u1 = w[2], v1 = w[3], u2 = w[4], v2 = w[5];
  int32_t j;
  for (j = n >> 1; j != 0; --j, r += TML_DW3X3_NL, o += 2 * step) {
    int32_t a0 = bias, a1 = bias, b0 = bias, b1 = bias;
    uint32_t x0 = r[0], x1 = r[TML_DW3X3_NL];
    a0 = tml_dot2(x0, u0, a0);
    a1 = tml_dw3x3_mla_tb(x0, u0, a1);
    a0 = tml_dw3x3_mla_bt(x1, v0, a0);
    a1 = tml_dot2(x1, v0, a1);
    x0 = r[1];
    x1 = r[TML_DW3X3_NL + 1];
    a0 = tml_dot2(x0, u1, a0);
    a1 = tml_dw3x3_mla_tb(x0, u1, a1);
    a0 = tml_dw3x3_mla_bt(x1, v1, a0);
    a1 = tml_dot2(x1, v1, a1);
    b0 = tml_dot2(x0, u0, b0);
    b1 = tml_dw3x3_mla_tb(x0, u0, b1);
    b0 = tml_dw3x3_mla_bt(x1, v0, b0);
    b1 = tml_dot2(x1, v0, b1);
    x0 = r[2];
    x1 = r[TML_DW3X3_NL + 2];
    a0 = tml_dot2(x0, u2, a0);
    a1 = tml_dw3x3_mla_tb(x0, u2, a1);
    a0 = tml_dw3x3_mla_bt(x1, v2, a0);
    a1 = tml_dot2(x1, v2, a1);
    b0 = tml_dot2(x0, u1, b0);
    b1 = tml_dw3x3_mla_tb(x0, u1, b1);
    b0 = tml_dw3x3_mla_bt(x1, v1, b0);
    b1 = tml_dot2(x1, v1, b1);
    x0 = r[3];
    x1 = r[TML_DW3X3_NL + 3];
    b0 = tml_dot2(x0, u2, b0);
    b1 = tml_dw3x3_mla_tb(x0, u2, b1);
    b0 = tml_dw3x3_mla_bt(x1, v2, b0);
    b1 = tml_dot2(x1, v2, b1);
    o[0] = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
    o[c] = tml_dw3x3_out(b0, m, round, e, act_min, act_max, full);
    o[step] = tml_dw3x3_out(a1, m, round, e, act_min, act_max, full);
    o[step + c] = tml_dw3x3_out(b1, m, round, e, act_min, act_max, full);
  }
  if (n & 1) {
    /* The last row: one output per column. */
    int32_t a0 = bias, b0 = bias;
    uint32_t x0 = r[0], x1 = r[TML_DW3X3_NL];
    a0 = tml_dot2(x0, u0, a0);
    a0 = tml_dw3x3_mla_bt(x1, v0, a0);
    x0 = r[1];
    x1 = r[TML_DW3X3_NL + 1];
    a0 = tml_dot2(x0, u1, a0);
    a0 = tml_dw3x3_mla_bt(x1, v1, a0);
    b0 = tml_dot2(x0, u0, b0);
    b0 = tml_dw3x3_mla_bt(x1, v0, b0);
    x0 = r[2];
    x1 = r[TML_DW3X3_NL + 2];
    a0 = tml_dot2(x0, u2, a0);
    a0 = tml_dw3x3_mla_bt(x1, v2, a0);
    b0 = tml_dot2(x0, u1, b0);
    b0 = tml_dw3x3_mla_bt(x1, v1, b0);
    x0 = r[3];
    x1 = r[TML_DW3X3_NL + 3];
    b0 = tml_dot2(x0, u2, b0);
    b0 = tml_dw3x3_mla_bt(x1, v2, b0);
    o[0] = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
    o[c] = tml_dw3x3_out(b0, m, round, e, act_min, act_max, full);
  }
}
/* widen: 0 when tml_dw3x3_widen4() has filled the plane. */
TML_ALWAYS_INLINE void tml_dw3x3_cols_body(const tml_dw3x3_s8_params_t *p, const int8_t *x,
                                           int8_t *o, uint32_t *plane, int32_t ch, int widen,
                                           const int full) {
  const int32_t c = p->channels, ih = p->input_h, iw = p->input_w, oh = p->output_h;
  const int32_t ow = p->output_w, in_row = iw * c, in_row2 = 2 * in_row, pad = p->pad_h;
  const int32_t pad_w = p->pad_w, off = p->input_offset, words = (oh + 1) / 2 + 1;
  const uint32_t off2 = ((uint32_t)off & 0xFFFFu) * 0x00010001u;
  const int32_t bias = (int32_t)((uint32_t)p->bias[ch] << 1), m = p->multiplier[ch];
  const int32_t e = p->shift[ch];
  const int32_t round = (int32_t)(((uint32_t)1 << (e - 1)) + (uint32_t)p->output_offset * ((uint32_t)1 << e));
  const int32_t act_min = p->act_min, act_max = p->act_max, ostep = ow * c;
  const uint32_t *const q = p->weights + 3 * ch;
  /* Along a column as along a ring row (tml_dw3x3_channel_body()), with pad_h, input_h. */
  const int32_t first = pad >> 1;
  const int32_t lead = (pad & 1) && first < words;
  int32_t nfull = (ih - lead) >> 1, room = words - first - lead, tail, kx, ix;
  const int32_t nin = iw < ow + 2 - pad_w ? iw : ow + 2 - pad_w;
  /* Transposed weight pairs: column kx as (w(0,kx), w(1,kx)), (w(1,kx), w(2,kx)), doubled. */
  uint32_t w[6];
  room = room < 0 ? 0 : room;
  nfull = nfull > room ? room : nfull;
  tail = ih - lead - 2 * nfull > 0 && nfull < room;
  for (kx = 0; kx < 3; ++kx) {
    const int sh = kx == 2 ? 24 : 8 * kx;
    uint32_t even, odd;
    tml_widen_s8x4(((q[0] >> sh) & 0xFFu) | (((q[1] >> sh) & 0xFFu) * 0x00010100u) |
                       (((q[2] >> sh) & 0xFFu) << 24),
                   &even, &odd);
    w[2 * kx] = (even << 1) & 0xFFFEFFFEu;
    w[2 * kx + 1] = (odd << 1) & 0xFFFEFFFEu;
  }
  for (ix = 0; widen && ix < nin; ++ix) {
    /* Input column ix widened, input offset added: padded column pad_w + ix. */
    const int8_t *xp = x + ix * c;
    uint32_t *d = plane + pad_w + ix + TML_DW3X3_NL * first;
    int32_t k;
    if (lead) {
      *d = (uint32_t)(xp[0] + off) << 16; /* low half: padding row pad_h - 1 */
      d += TML_DW3X3_NL;
      xp += in_row;
    }
    for (k = nfull; k != 0; --k, d += TML_DW3X3_NL, xp += in_row2) {
      *d = tml_dw3x3_sxtab16(off2, (uint32_t)(uint8_t)xp[0] | ((uint32_t)(uint8_t)xp[in_row] << 16));
    }
    if (tail) *d = (uint32_t)(xp[0] + off) & 0xFFFFu; /* high half: padding */
  }
  kx = 0;
#if !defined(__OPTIMIZE_SIZE__)
  for (; kx + 1 < ow; kx += 2, o += 2 * c) {
    tml_dw3x3_cols2(plane + kx, w, o, c, ostep, oh, bias, m, round, e, act_min, act_max, full);
  }
#endif
  for (; kx < ow; ++kx, o += c) {
    tml_dw3x3_col_body(plane + kx, w[0], w[1], w[2], w[3], w[4], w[5], o, ostep, oh, bias, m,
                       round, e, act_min, act_max, 1, full, TML_DW3X3_NL);
  }
}
#endif

#if TML_HAVE_MVE
/* Helium (__ARM_FEATURE_MVE) replaces the channel body above: same results, same order
 * contract. Outputs are computed 4 per vector in 32-bit lanes from a buffer of padded
 * input lines of the channel, widened to int16 with the input offset added (0 in the
 * padding): one widening load and one VMLA (vector by scalar weight) per tap, then the
 * 4 outputs requantized together with TFLM's arithmetic (VQRDMULH, then
 * RoundingDivideByPOT as x - (x < 0) + zp 2^e rounded by VRSHL; the compiler's bound on
 * |x| + 2^(e-1) + |zp| 2^e keeps that sum in int32) and stored with one byte scatter
 * (output pixels are `channels` bytes apart). Lines are widened from the strided input
 * bytes by VLDRB gathers, 8 at a time. The layouts all put the taps of 4 neighbouring
 * outputs in 4 consecutive halfwords (no gathers in the loop); a row line: stride 1:
 * padded column c at halfword c; stride 2: even padded columns 2j at halfword j, odd
 * ones 2j + 1 at halfword odd + j:
 *   rows, ring: 3 row lines, refilled as the output rows advance (the general case);
 *   rows, whole plane (the padded rows read fit TML_DW3X3_MVE_LINES lines): each padded
 *     row in its own line, all read before any output of the channel is written, then
 *     every output row in one call;
 *   columns (stride 1, rows of at most TML_DW3X3_MVE_COLS_MAX outputs and more rows than
 *     that, e.g. 5 wide planes, where 4-wide vectors along x would be mostly empty): the
 *     whole padded plane column-major, outputs along y, one output column per line.
 * Lines are TML_DW3X3_MVE_PITCH halfwords apart in a local buffer (TML_DW3X3_MVE_LINES
 * lines: 1920 bytes of stack) when they fit, so that every tap is at a constant offset
 * (VLDRH's immediate reaches 254 bytes); otherwise the ring is the arena's (2 * words
 * halfwords per row). */

/* Halfwords per line in the local buffer; output rows at most in the column layout. */
#define TML_DW3X3_MVE_PITCH 60
#define TML_DW3X3_MVE_COLS_MAX 8

/* n input bytes `s` apart from x, plus off, into d[0 .. n). */
TML_INLINE void tml_dw3x3_mve_widen(int16_t *d, const int8_t *x, int32_t s, int32_t n,
                                    int32_t off) {
  if (7 * s <= 65535) {
    const uint16x8_t offs = vmulq_n_u16(vidupq_n_u16(0u, 1), (uint16_t)s);
    for (; n > 0; n -= 8, d += 8, x += 8 * s) {
      const mve_pred16_t pr = vctp16q((uint32_t)n);
      const int16x8_t v = vldrbq_gather_offset_z_s16(x, offs, pr);
      vstrhq_p_s16(d, vaddq_x_n_s16(v, (int16_t)off, pr), pr);
    }
  } else {
    for (; n > 0; --n, ++d, x += s) *d = (int16_t)(*x + off);
  }
}

/* A channel's constants: requantization vectors, bias, m, zpe = zp 2^e, ne = -e; the
 * taps in line order (3 per line, 9). */
typedef struct {
  int32x4_t bias, m, zpe, ne;
  int32_t w[9];
} tml_dw3x3_mve_k_t;

/* A tap of 4 neighbouring outputs: the halfwords at r, widened; all lanes (tail 0) or
 * those of pr (tail 1, the others 0 and not read). */
#define TML_DW3X3_MVE_TAP(r, wk)                                                            \
  acc = vmlaq_n_s32(acc, tail ? vldrhq_z_s32((r), pr) : vldrhq_s32(r), (wk))

/* 4 neighbouring outputs (tail: those of pr): line k at r + k * rw at the first output's
 * first tap (stride 2: its even half; the odd half `odd` halfwords further); output i
 * stored at out + offs[i]. stride, full, tail: constants where it is inlined. */
TML_ALWAYS_INLINE void tml_dw3x3_mve_vec(const int16_t *r, int32_t rw, int32_t odd,
                                         const tml_dw3x3_mve_k_t *k, int8_t *out,
                                         uint32x4_t offs, int32_t act_min, int32_t act_max,
                                         mve_pred16_t pr, const int stride, const int full,
                                         const int tail) {
  int32x4_t acc = k->bias, x;
  if (stride == 1) {
    TML_DW3X3_MVE_TAP(r, k->w[0]);
    TML_DW3X3_MVE_TAP(r + 1, k->w[1]);
    TML_DW3X3_MVE_TAP(r + 2, k->w[2]);
    TML_DW3X3_MVE_TAP(r + rw, k->w[3]);
    TML_DW3X3_MVE_TAP(r + rw + 1, k->w[4]);
    TML_DW3X3_MVE_TAP(r + rw + 2, k->w[5]);
    TML_DW3X3_MVE_TAP(r + 2 * rw, k->w[6]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + 1, k->w[7]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + 2, k->w[8]);
  } else {
    TML_DW3X3_MVE_TAP(r, k->w[0]);
    TML_DW3X3_MVE_TAP(r + odd, k->w[1]);
    TML_DW3X3_MVE_TAP(r + 1, k->w[2]);
    TML_DW3X3_MVE_TAP(r + rw, k->w[3]);
    TML_DW3X3_MVE_TAP(r + rw + odd, k->w[4]);
    TML_DW3X3_MVE_TAP(r + rw + 1, k->w[5]);
    TML_DW3X3_MVE_TAP(r + 2 * rw, k->w[6]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + odd, k->w[7]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + 1, k->w[8]);
  }
  x = vqrdmulhq_s32(acc, k->m);
  x = vaddq_s32(vaddq_s32(x, vshrq_n_s32(x, 31)), k->zpe);
  x = vrshlq_s32(x, k->ne);
  if (full) {
    x = vshrq_n_s32(vqshlq_n_s32(x, 24), 24); /* clamp to [-128, 127] */
  } else {
    x = vminq_s32(vmaxq_s32(x, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
  }
  if (tail) {
    vstrbq_scatter_offset_p_s32(out, offs, x, pr);
  } else {
    vstrbq_scatter_offset_s32(out, offs, x);
  }
}
#undef TML_DW3X3_MVE_TAP

#define TML_DW3X3_MVE_ASM 0
#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#undef TML_DW3X3_MVE_ASM
#define TML_DW3X3_MVE_ASM 1
/* `lines` lines of n outputs at the local pitch and full range (line l: rm + l line_step
 * bytes, its outputs out_step bytes after line l - 1's), in assembly so that the 9
 * taps, the pointer and the 8 vectors all stay in registers (the compilers spill them
 * otherwise; not at -O0: too few registers there), in a tail-predicated loop
 * (DLSTP/LETP: the last vector's extra lanes neither load nor store). Out of line, so
 * that nothing else is live around it. rm points at the middle line (every tap within
 * VLDRH's +-254-byte immediate) and is also the scatter's base (addresses wrap): the
 * offsets ov = out - rm + i step advance by 4 step - 8 as rm advances by 8 bytes. */
#define TML_DW3X3_MVE_LOOP(name, t1, t2, t3, t4, t5, t6, t7, t8, t9)                        \
  __attribute__((noinline)) TML_HELPER void name(                                            \
      const int16_t *rm, int32_t n, uint32x4_t ov, int32_t sv_step, const tml_dw3x3_mve_k_t *k, \
      int32_t lines, int32_t line_step, int32_t out_step) {                                   \
    const int32_t w0 = k->w[0], w1 = k->w[1], w2 = k->w[2], w3 = k->w[3], w4 = k->w[4];      \
    const int32_t w5 = k->w[5], w6 = k->w[6], w7 = k->w[7], w8 = k->w[8];                    \
    const int32x4_t bias = k->bias, m = k->m, zpe = k->zpe, ne = k->ne;                      \
    const uint32x4_t sv = vdupq_n_u32((uint32_t)sv_step);                                    \
    int32x4_t u0, u1;                                                                         \
    for (;;) {                                                                                \
    const int16_t *r = rm;                                                                    \
    uint32x4_t o = ov;                                                                        \
    __asm__ volatile(                                                                         \
        "ldr lr, %[n]\n"                                                                      \
        "dlstp.32 lr, lr\n"                                                                   \
        "1:\n"                                                                                \
        "vmov %q[u1], %q[bias]\n"                                                             \
        "vldrh.s32 %q[u0], [%[r], #" t1 "]\n vmla.s32 %q[u1], %q[u0], %[w0]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t2 "]\n vmla.s32 %q[u1], %q[u0], %[w1]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t3 "]\n vmla.s32 %q[u1], %q[u0], %[w2]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t4 "]\n vmla.s32 %q[u1], %q[u0], %[w3]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t5 "]\n vmla.s32 %q[u1], %q[u0], %[w4]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t6 "]\n vmla.s32 %q[u1], %q[u0], %[w5]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t7 "]\n vmla.s32 %q[u1], %q[u0], %[w6]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t8 "]\n vmla.s32 %q[u1], %q[u0], %[w7]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t9 "]\n vmla.s32 %q[u1], %q[u0], %[w8]\n"               \
        "vqrdmulh.s32 %q[u1], %q[u1], %q[m]\n"                                                \
        "vshr.s32 %q[u0], %q[u1], #31\n"                                                      \
        "vadd.i32 %q[u1], %q[u1], %q[u0]\n"                                                   \
        "vadd.i32 %q[u1], %q[u1], %q[zpe]\n"                                                  \
        "vrshl.s32 %q[u1], %q[u1], %q[ne]\n"                                                  \
        "vqshl.s32 %q[u1], %q[u1], #24\n"                                                     \
        "vshr.s32 %q[u1], %q[u1], #24\n"                                                      \
        "vstrb.32 %q[u1], [%[r], %q[ov]]\n"                                                   \
        "vadd.i32 %q[ov], %q[ov], %q[sv]\n"                                                   \
        "adds %[r], #8\n"                                                                     \
        "letp lr, 1b\n"                                                                       \
        : [r] "+l"(r), [ov] "+w"(o), [u0] "=&w"(u0), [u1] "=&w"(u1)                          \
        : [n] "m"(n), [w0] "r"(w0), [w1] "r"(w1), [w2] "r"(w2), [w3] "r"(w3), [w4] "r"(w4),  \
          [w5] "r"(w5), [w6] "r"(w6), [w7] "r"(w7), [w8] "r"(w8), [bias] "w"(bias),           \
          [m] "w"(m), [zpe] "w"(zpe), [ne] "w"(ne), [sv] "w"(sv)                              \
        : "lr", "memory");                                                                    \
    if (--lines == 0) break;                                                                  \
    rm = (const int16_t *)(const void *)((const char *)rm + line_step);                       \
    ov = vaddq_n_u32(ov, (uint32_t)(out_step - line_step));                                   \
    }                                                                                         \
    (void)u0;                                                                                 \
    (void)u1;                                                                                 \
  }
#define TML_DW3X3_MVE_LOOP1(name, t1, t2, t3, t4, t5, t6, t7, t8, t9)                        \
  __attribute__((noinline)) TML_HELPER void name(const int16_t *rm, int32_t n, uint32x4_t ov, \
                                               int32_t sv_step, const tml_dw3x3_mve_k_t *k) { \
    const int32_t w0 = k->w[0], w1 = k->w[1], w2 = k->w[2], w3 = k->w[3], w4 = k->w[4];      \
    const int32_t w5 = k->w[5], w6 = k->w[6], w7 = k->w[7], w8 = k->w[8];                    \
    const int32x4_t bias = k->bias, m = k->m, zpe = k->zpe, ne = k->ne;                      \
    const uint32x4_t sv = vdupq_n_u32((uint32_t)sv_step);                                    \
    int32x4_t u0, u1;                                                                         \
    const int16_t *r = rm;                                                                    \
    uint32x4_t o = ov;                                                                        \
    __asm__ volatile(                                                                         \
        "ldr lr, %[n]\n"                                                                      \
        "dlstp.32 lr, lr\n"                                                                   \
        "1:\n"                                                                                \
        "vmov %q[u1], %q[bias]\n"                                                             \
        "vldrh.s32 %q[u0], [%[r], #" t1 "]\n vmla.s32 %q[u1], %q[u0], %[w0]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t2 "]\n vmla.s32 %q[u1], %q[u0], %[w1]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t3 "]\n vmla.s32 %q[u1], %q[u0], %[w2]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t4 "]\n vmla.s32 %q[u1], %q[u0], %[w3]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t5 "]\n vmla.s32 %q[u1], %q[u0], %[w4]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t6 "]\n vmla.s32 %q[u1], %q[u0], %[w5]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t7 "]\n vmla.s32 %q[u1], %q[u0], %[w6]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t8 "]\n vmla.s32 %q[u1], %q[u0], %[w7]\n"               \
        "vldrh.s32 %q[u0], [%[r], #" t9 "]\n vmla.s32 %q[u1], %q[u0], %[w8]\n"               \
        "vqrdmulh.s32 %q[u1], %q[u1], %q[m]\n"                                                \
        "vshr.s32 %q[u0], %q[u1], #31\n"                                                      \
        "vadd.i32 %q[u1], %q[u1], %q[u0]\n"                                                   \
        "vadd.i32 %q[u1], %q[u1], %q[zpe]\n"                                                  \
        "vrshl.s32 %q[u1], %q[u1], %q[ne]\n"                                                  \
        "vqshl.s32 %q[u1], %q[u1], #24\n"                                                     \
        "vshr.s32 %q[u1], %q[u1], #24\n"                                                      \
        "vstrb.32 %q[u1], [%[r], %q[ov]]\n"                                                   \
        "vadd.i32 %q[ov], %q[ov], %q[sv]\n"                                                   \
        "adds %[r], #8\n"                                                                     \
        "letp lr, 1b\n"                                                                       \
        : [r] "+l"(r), [ov] "+w"(o), [u0] "=&w"(u0), [u1] "=&w"(u1)                          \
        : [n] "m"(n), [w0] "r"(w0), [w1] "r"(w1), [w2] "r"(w2), [w3] "r"(w3), [w4] "r"(w4),  \
          [w5] "r"(w5), [w6] "r"(w6), [w7] "r"(w7), [w8] "r"(w8), [bias] "w"(bias),           \
          [m] "w"(m), [zpe] "w"(zpe), [ne] "w"(ne), [sv] "w"(sv)                              \
        : "lr", "memory");                                                                    \
    (void)u0;                                                                                 \
    (void)u1;                                                                                 \
  }
/* Byte offsets of the taps from rm (pitch 60 halfwords = 120 bytes; stride 2: odd halves
 * 30 halfwords = 60 bytes in). */
TML_DW3X3_MVE_LOOP(tml_dw3x3_mve_loop_s1, "-120", "-118", "-116", "0", "2", "4", "120", "122",
                   "124")
TML_DW3X3_MVE_LOOP(tml_dw3x3_mve_loop_s2, "-120", "-60", "-118", "0", "60", "2", "120", "180",
                   "122")
/* One line (the ring layouts: a call per output row, no line loop). */
TML_DW3X3_MVE_LOOP1(tml_dw3x3_mve_loop1_s1, "-120", "-118", "-116", "0", "2", "4", "120", "122",
                    "124")
TML_DW3X3_MVE_LOOP1(tml_dw3x3_mve_loop1_s2, "-120", "-60", "-118", "0", "60", "2", "120", "180",
                    "122")
#undef TML_DW3X3_MVE_LOOP
#undef TML_DW3X3_MVE_LOOP1
#endif

/* `lines` lines of n outputs: line l's slots k at r + l * lstep + k * rw (halfwords),
 * its output i at out + l * ostep + i * lane; the rest as in tml_dw3x3_mve_vec(). rw, odd:
 * constants at the local pitch; one (a constant): lines is 1. */
TML_ALWAYS_INLINE void tml_dw3x3_mve_lines(const int16_t *r, int32_t rw, int32_t odd,
                                           const tml_dw3x3_mve_k_t *k, int8_t *out, int32_t lane,
                                           int32_t n, int32_t lines, int32_t lstep,
                                           int32_t ostep, int32_t act_min, int32_t act_max,
                                           const int stride, const int full, const int one) {
  const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0u, 1), (uint32_t)lane);
  const int32_t step = 4 * lane;
  int32_t l;
  (void)one;
#if TML_DW3X3_MVE_ASM
  if (full && rw == TML_DW3X3_MVE_PITCH) {
    const int16_t *const rm = r + TML_DW3X3_MVE_PITCH;
    const uint32x4_t ov = vaddq_n_u32(offs, (uint32_t)((uintptr_t)out - (uintptr_t)rm));
    if (one) {
      if (stride == 1) {
        tml_dw3x3_mve_loop1_s1(rm, n, ov, step - 8, k);
      } else {
        tml_dw3x3_mve_loop1_s2(rm, n, ov, step - 8, k);
      }
    } else if (stride == 1) {
      tml_dw3x3_mve_loop_s1(rm, n, ov, step - 8, k, lines, 2 * lstep, ostep);
    } else {
      tml_dw3x3_mve_loop_s2(rm, n, ov, step - 8, k, lines, 2 * lstep, ostep);
    }
    return;
  }
#endif
  for (l = 0; l < lines; ++l, r += lstep, out += ostep) {
    const int16_t *rl = r;
    int8_t *ol = out;
    int32_t left = n;
    for (; left >= 4; left -= 4, ol += step, rl += 4) {
      tml_dw3x3_mve_vec(rl, rw, odd, k, ol, offs, act_min, act_max, 0, stride, full, 0);
    }
    if (left > 0) {
      tml_dw3x3_mve_vec(rl, rw, odd, k, ol, offs, act_min, act_max, vctp32q((uint32_t)left),
                        stride, full, 1);
    }
  }
}

/* Lines of the local buffer (TML_DW3X3_MVE_PITCH halfwords each). */
#define TML_DW3X3_MVE_LINES 16

/* The padded input rows a layer reads: 0 .. (output_h - 1) * stride + 2. */
TML_INLINE int32_t tml_dw3x3_mve_rows(const tml_dw3x3_s8_params_t *p) {
  return (p->output_h - 1) * p->stride + 3;
}

/* The layout tml_dw3x3_s8() and the channel body use: 3 columns (whole plane), 2 rows
 * (whole plane), 1 a ring of 3 rows, all at the local pitch; 0 a ring in the arena. */
TML_INLINE int tml_dw3x3_mve_layout(const tml_dw3x3_s8_params_t *p) {
  const int fit = p->stride == 1 ? p->output_w + 2 <= TML_DW3X3_MVE_PITCH
                                 : p->output_w + 1 <= TML_DW3X3_MVE_PITCH / 2;
  if (p->stride == 1 && p->output_w <= TML_DW3X3_MVE_COLS_MAX && p->output_h > p->output_w &&
      p->output_w + 2 <= TML_DW3X3_MVE_LINES && p->output_h + 2 <= TML_DW3X3_MVE_PITCH) {
    return 3;
  }
  /* (Stride 2 measured no faster as a whole plane: the ring.) */
  if (fit && p->stride == 1 && tml_dw3x3_mve_rows(p) <= TML_DW3X3_MVE_LINES) return 2;
  return fit;
}

TML_ALWAYS_INLINE void tml_dw3x3_mve_channel_body(const tml_dw3x3_s8_params_t *p,
                                                  const int8_t *x, int8_t *o, uint32_t *ring32,
                                                  int32_t ch, const int stride, const int full) {
  const int32_t c = p->channels, ih = p->input_h, iw = p->input_w, oh = p->output_h;
  const int32_t ow = p->output_w, in_row = iw * c, out_row = ow * c, pad_h = p->pad_h;
  const int32_t pad = p->pad_w, off = p->input_offset;
  const int layout = tml_dw3x3_mve_layout(p);
  const int32_t rw = layout ? TML_DW3X3_MVE_PITCH : 2 * p->words;
  const int32_t odd = layout ? TML_DW3X3_MVE_PITCH / 2 : ow + 1;
  const int32_t e = p->shift[ch];
  const int32_t act_min = p->act_min, act_max = p->act_max;
  const uint32_t *const q = p->weights + 3 * ch;
  int16_t *const ring = (int16_t *)(void *)ring32;
  /* The taps twice over (w + 3 (3 - base) lists them in ring-slot order), and transposed. */
  int32_t w[18], wt[9], j, oy, next = 0, slot = 0, base = 0;
  tml_dw3x3_mve_k_t k;
  k.bias = vdupq_n_s32(p->bias[ch]);
  k.m = vdupq_n_s32(p->multiplier[ch]);
  k.zpe = vdupq_n_s32((int32_t)((uint32_t)p->output_offset << e));
  k.ne = vdupq_n_s32(-e);
  for (j = 0; j < 3; ++j) {
    const uint32_t v = q[j];
    w[3 * j] = w[3 * j + 9] = wt[j] = (int8_t)(uint8_t)(v & 0xFFu);
    w[3 * j + 1] = w[3 * j + 10] = wt[j + 3] = (int8_t)(uint8_t)((v >> 8) & 0xFFu);
    w[3 * j + 2] = w[3 * j + 11] = wt[j + 6] = (int8_t)(uint8_t)(v >> 24);
  }
  if (stride == 1 && layout == 3) {
    /* Columns: input column i is line pad + i, input row iy at halfword pad_h + iy. */
    /* Only the padded rows 0 .. output_h + 1 and columns 0 .. output_w + 1 read. */
    const int32_t nin = iw < ow + 2 - pad ? iw : ow + 2 - pad;
    const int32_t nrow = ih < oh + 2 - pad_h ? ih : oh + 2 - pad_h;
    for (j = 0; j < nin; ++j) {
      tml_dw3x3_mve_widen(ring + (pad + j) * TML_DW3X3_MVE_PITCH + pad_h, x + j * c, in_row,
                          nrow, off);
    }
    memcpy(k.w, wt, sizeof(wt));
    tml_dw3x3_mve_lines(ring, TML_DW3X3_MVE_PITCH, 0, &k, o, out_row, oh, ow,
                        TML_DW3X3_MVE_PITCH, c, act_min, act_max, 1, full, 0);
    return;
  }
  {
    /* Rows: the input columns a row keeps are padded columns pad .. pad + nin - 1. */
    int32_t nin = stride == 1 ? ow + 2 - pad : 2 * ow + 1 - pad;
    /* Whole plane: the padded rows read, each in its own line (pad_h + iy). */
    const int32_t rows = tml_dw3x3_mve_rows(p);
    const int plane = stride == 1 && layout == 2; /* (stride 2: never, see above) */
    nin = nin > iw ? iw : nin;
    for (oy = 0; oy < oh; ++oy, o += out_row) {
      for (; next <= (plane ? rows - 1 : oy * stride + 2); ++next) {
        const int32_t iy = next - pad_h;
        int16_t *const d = ring + (plane ? next : slot) * rw;
        if (iy >= 0 && iy < ih) {
          const int8_t *xp = x + iy * in_row;
          if (stride == 1) {
            tml_dw3x3_mve_widen(d + pad, xp, c, nin, off);
          } else {
            /* Input column i is padded column pad + i: even ones, then odd ones. */
            const int32_t i0 = pad & 1, i1 = 1 - i0;
            tml_dw3x3_mve_widen(d + ((pad + i0) >> 1), xp + i0 * c, 2 * c, (nin - i0 + 1) >> 1,
                                off);
            tml_dw3x3_mve_widen(d + odd + ((pad + i1 - 1) >> 1), xp + i1 * c, 2 * c,
                                (nin - i1 + 1) >> 1, off);
          }
        } else if (!plane) {
          memset(d, 0, (size_t)rw * sizeof(int16_t)); /* a row in the padding */
        } /* whole plane: padding rows stay 0 from tml_dw3x3_s8()'s start */
        slot = slot == 2 ? 0 : slot + 1;
      }
      if (plane) {
        /* Every output row at once, in natural tap order. */
        memcpy(k.w, w, sizeof(k.w));
        tml_dw3x3_mve_lines(ring, TML_DW3X3_MVE_PITCH, TML_DW3X3_MVE_PITCH / 2, &k, o, c, ow, oh,
                            stride * TML_DW3X3_MVE_PITCH, out_row, act_min, act_max, stride,
                            full, 0);
        return;
      }
      /* Slot k holds padded row oy * stride + ((k - base) mod 3), base = oy * stride mod 3. */
      memcpy(k.w, w + (base == 0 ? 0 : 3 * (3 - base)), sizeof(k.w));
      if (layout) {
        tml_dw3x3_mve_lines(ring, TML_DW3X3_MVE_PITCH, TML_DW3X3_MVE_PITCH / 2, &k, o, c, ow, 1,
                            0, 0, act_min, act_max, stride, full, 1);
      } else {
        tml_dw3x3_mve_lines(ring, rw, odd, &k, o, c, ow, 1, 0, 0, act_min, act_max, stride,
                            full, 1);
      }
      base += stride;
      base = base >= 3 ? base - 3 : base;
    }
  }
}
#define tml_dw3x3_channel_body tml_dw3x3_mve_channel_body
#endif /* TML_HAVE_MVE */

/* The forms, out of line so that the weight pairs, accumulators and pointers get the
 * registers. TML_OPT_DW3X3_S1 / TML_OPT_DW3X3_S2: some layer has stride 1 / 2. */
#if TML_HAVE_MVE && TML_OPT_DW3X3_COLS && !defined(TML_OPT_DW3X3_S1)
#define TML_OPT_DW3X3_S1 1 /* Helium: column-plane layers are stride 1 layers */
#endif
#ifndef TML_OPT_DW3X3_S1
#define TML_OPT_DW3X3_S1 TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_DW3X3_S2
#define TML_OPT_DW3X3_S2 TML_OPTION_DEFAULT
#endif
#if defined(__GNUC__) || defined(__clang__)
#define TML_DW3X3_NOINLINE __attribute__((noinline))
#else
#define TML_DW3X3_NOINLINE
#endif
#define TML_DW3X3_CHANNEL(name, stride, full)                                                \
  TML_DW3X3_NOINLINE TML_HELPER void name(const tml_dw3x3_s8_params_t *p, const int8_t *x,   \
                                          int8_t *o, uint32_t *ring, int32_t ch) {          \
    tml_dw3x3_channel_body(p, x, o, ring, ch, stride, full);                                \
  }
#if TML_OPT_DW3X3_S1
TML_DW3X3_CHANNEL(tml_dw3x3_channel_s1, 1, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_CHANNEL(tml_dw3x3_channel_s1_clamp, 1, 0)
#endif
#endif
#if TML_OPT_DW3X3_S2
TML_DW3X3_CHANNEL(tml_dw3x3_channel_s2, 2, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_CHANNEL(tml_dw3x3_channel_s2_clamp, 2, 0)
#endif
#endif
#if TML_OPT_DW3X3_COLS && !TML_HAVE_MVE
#define TML_DW3X3_COLS(name, full)                                                           \
  TML_DW3X3_NOINLINE TML_HELPER void name(const tml_dw3x3_s8_params_t *p, const int8_t *x,   \
                                          int8_t *o, uint32_t *plane, int32_t ch,           \
                                          int widen) {                                      \
    tml_dw3x3_cols_body(p, x, o, plane, ch, widen, full);                                   \
  }
TML_DW3X3_COLS(tml_dw3x3_cols, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_COLS(tml_dw3x3_cols_clamp, 0)
#endif
#undef TML_DW3X3_COLS
#define TML_DW3X3_NOINLINE_COLS TML_DW3X3_NOINLINE
#if !defined(__OPTIMIZE_SIZE__)
/* Not at -Os: the planes of 4 channels (channel counts that are multiples of 4) widened
 * together, one 32-bit load per pixel and row for the 4 channels (SXTAB16 pairs the bytes
 * 0, 2 and 1, 3, then the two rows of a word are packed), plane k (channel x + k) at
 * plane + k TML_DW3X3_NL cwords. The same words as tml_dw3x3_cols_body()'s widening. */
TML_DW3X3_NOINLINE_COLS TML_HELPER void tml_dw3x3_widen4(const tml_dw3x3_s8_params_t *p,
                                                        const int8_t *x, uint32_t *plane) {
  const int32_t c = p->channels, ih = p->input_h, iw = p->input_w, oh = p->output_h;
  const int32_t ow = p->output_w, in_row = iw * c, in_row2 = 2 * in_row, pad = p->pad_h;
  const int32_t pad_w = p->pad_w, words = (oh + 1) / 2 + 1, psz = TML_DW3X3_NL * words;
  const uint32_t off2 = ((uint32_t)p->input_offset & 0xFFFFu) * 0x00010001u;
  const int32_t first = pad >> 1;
  const int32_t lead = (pad & 1) && first < words;
  int32_t nfull = (ih - lead) >> 1, room = words - first - lead, tail, ix;
  const int32_t nin = iw < ow + 2 - pad_w ? iw : ow + 2 - pad_w;
  room = room < 0 ? 0 : room;
  nfull = nfull > room ? room : nfull;
  tail = ih - lead - 2 * nfull > 0 && nfull < room;
  for (ix = 0; ix < nin; ++ix) {
    const int8_t *xp = x + ix * c;
    uint32_t *d = plane + pad_w + ix + TML_DW3X3_NL * first;
    uint32_t v0, v1, e0, e1, o0, o1;
    int32_t k;
    if (lead) {
      memcpy(&v0, xp, 4);
      e0 = tml_dw3x3_sxtab16(off2, v0);
      o0 = tml_dw3x3_sxtab16(off2, v0 >> 8);
      d[0] = e0 << 16;
      d[psz] = o0 << 16;
      d[2 * psz] = e0 & 0xFFFF0000u;
      d[3 * psz] = o0 & 0xFFFF0000u;
      d += TML_DW3X3_NL;
      xp += in_row;
    }
    for (k = nfull; k != 0; --k, d += TML_DW3X3_NL, xp += in_row2) {
      memcpy(&v0, xp, 4);
      memcpy(&v1, xp + in_row, 4);
      e0 = tml_dw3x3_sxtab16(off2, v0);
      e1 = tml_dw3x3_sxtab16(off2, v1);
      o0 = tml_dw3x3_sxtab16(off2, v0 >> 8);
      o1 = tml_dw3x3_sxtab16(off2, v1 >> 8);
      d[0] = (e0 & 0xFFFFu) | (e1 << 16);
      d[psz] = (o0 & 0xFFFFu) | (o1 << 16);
      d[2 * psz] = (e0 >> 16) | (e1 & 0xFFFF0000u);
      d[3 * psz] = (o0 >> 16) | (o1 & 0xFFFF0000u);
    }
    if (tail) {
      memcpy(&v0, xp, 4);
      e0 = tml_dw3x3_sxtab16(off2, v0);
      o0 = tml_dw3x3_sxtab16(off2, v0 >> 8);
      d[0] = e0 & 0xFFFFu;
      d[psz] = o0 & 0xFFFFu;
      d[2 * psz] = e0 >> 16;
      d[3 * psz] = o0 >> 16;
    }
  }
}
/* Stack words: 4 planes of up to 16 cwords, or one of up to 32. */
#define TML_DW3X3_LOCAL_ALL (TML_DW3X3_NL * 64)
#else
#define TML_DW3X3_LOCAL_ALL (TML_DW3X3_NL * 32)
#endif
#else
#define TML_DW3X3_LOCAL_ALL TML_DW3X3_LOCAL_WORDS
#endif
#undef TML_DW3X3_CHANNEL

TML_KERNEL void tml_dw3x3_s8(const tml_dw3x3_s8_params_t *p, const int8_t *input,
                             int8_t *output, uint32_t *scratch) {
  uint32_t local[TML_DW3X3_LOCAL_ALL];
  const int32_t c = p->channels;
  const int32_t in_batch = p->input_h * p->input_w * c, out_batch = p->output_h * p->output_w * c;
  const int full = p->act_min == -128 && p->act_max == 127;
  int32_t b, ch;
#if TML_OPT_DW3X3_COLS && !TML_HAVE_MVE
  const int32_t psz = TML_DW3X3_NL * ((p->output_h + 1) / 2 + 1);
#if !defined(__OPTIMIZE_SIZE__)
  const int quad = (c & 3) == 0 && 4 * psz <= TML_DW3X3_LOCAL_ALL;
#else
  const int quad = 0;
#endif
#endif
#if TML_HAVE_MVE
  /* The local lines (see the Helium part above): 3 (a ring of rows), the padded rows
   * read, or output_w + 2 columns. */
  uint32_t mve_local[TML_DW3X3_MVE_LINES * TML_DW3X3_MVE_PITCH / 2];
  const int layout = tml_dw3x3_mve_layout(p);
  if (layout) {
    const int32_t lines = layout == 3 ? p->output_w + 2 : layout == 2 ? tml_dw3x3_mve_rows(p) : 3;
    scratch = mve_local;
    memset(scratch, 0, (size_t)lines * TML_DW3X3_MVE_PITCH * 2u);
  } else
#endif
#if TML_OPT_DW3X3_COLS && !TML_HAVE_MVE
  if (p->cols) {
    /* The column plane(s) (the padding stays 0: every channel writes the same words). */
    scratch = local;
    memset(scratch, 0, (size_t)((quad ? 4 : 1) * psz) * sizeof(uint32_t));
  } else
#endif
  {
    if (scratch == NULL) scratch = local;
    memset(scratch, 0, (size_t)(3 * p->words) * sizeof(uint32_t)); /* the padding columns */
  }
  for (b = 0; b < p->batches; ++b) {
    const int8_t *x = input + b * in_batch;
    int8_t *o = output + b * out_batch;
    for (ch = 0; ch < c; ++ch, ++x, ++o) {
#if TML_OPT_DW3X3_COLS && !TML_HAVE_MVE
      if (p->cols) {
        uint32_t *const plane = quad ? scratch + (ch & 3) * psz : scratch;
#if !defined(__OPTIMIZE_SIZE__)
        if (quad && (ch & 3) == 0) tml_dw3x3_widen4(p, x, scratch);
#endif
#if TML_OPT_DW3X3_CLAMP
        if (!full) {
          tml_dw3x3_cols_clamp(p, x, o, plane, ch, !quad);
          continue;
        }
#endif
        tml_dw3x3_cols(p, x, o, plane, ch, !quad);
        continue;
      }
#endif
#if TML_OPT_DW3X3_S1
      if (p->stride == 1) {
#if TML_OPT_DW3X3_CLAMP
        if (!full) {
          tml_dw3x3_channel_s1_clamp(p, x, o, scratch, ch);
          continue;
        }
#endif
        tml_dw3x3_channel_s1(p, x, o, scratch, ch);
        continue;
      }
#endif
#if TML_OPT_DW3X3_S2
#if TML_OPT_DW3X3_CLAMP
      if (!full) {
        tml_dw3x3_channel_s2_clamp(p, x, o, scratch, ch);
        continue;
      }
#endif
      tml_dw3x3_channel_s2(p, x, o, scratch, ch);
#endif
    }
  }
  (void)full;
}

#undef TML_DW3X3_NOINLINE
#if TML_HAVE_MVE
#undef tml_dw3x3_channel_body
#endif

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEPTHWISE_3X3_H */
