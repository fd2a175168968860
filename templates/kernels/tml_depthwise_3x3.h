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
 * the input's memory at a distance that is a multiple of the channel count.
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
} tml_dw3x3_s8_params_t;

TML_KERNEL void tml_dw3x3_s8(const tml_dw3x3_s8_params_t *p, const int8_t *input,
                             int8_t *output, uint32_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* TML_OPT_DW3X3_CLAMP: some layer's activation range is not the full int8 range. */
#ifndef TML_OPT_DW3X3_CLAMP
#define TML_OPT_DW3X3_CLAMP TML_OPTION_DEFAULT
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

/* The forms, out of line so that the weight pairs, accumulators and pointers get the
 * registers. TML_OPT_DW3X3_S1 / TML_OPT_DW3X3_S2: some layer has stride 1 / 2. */
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
#undef TML_DW3X3_CHANNEL

TML_KERNEL void tml_dw3x3_s8(const tml_dw3x3_s8_params_t *p, const int8_t *input,
                             int8_t *output, uint32_t *scratch) {
  uint32_t local[TML_DW3X3_LOCAL_WORDS];
  const int32_t c = p->channels;
  const int32_t in_batch = p->input_h * p->input_w * c, out_batch = p->output_h * p->output_w * c;
  const int full = p->act_min == -128 && p->act_max == 127;
  int32_t b, ch;
  if (scratch == NULL) scratch = local;
  memset(scratch, 0, (size_t)(3 * p->words) * sizeof(uint32_t)); /* the padding columns */
  for (b = 0; b < p->batches; ++b) {
    const int8_t *x = input + b * in_batch;
    int8_t *o = output + b * out_batch;
    for (ch = 0; ch < c; ++ch, ++x, ++o) {
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

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEPTHWISE_3X3_H */
