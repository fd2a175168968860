/*
 * tml_depthwise_3x3.h - DEPTHWISE_CONV_2D with a 3x3 filter, depth multiplier 1,
 * dilation 1 and stride 1 or 2 (the same both ways), one channel at a time.
 *
 * Cortex-M4 (DSP extension) and portable C: per channel and strip of output rows, the
 * padded input rows the strip reads are widened to int16 (CHW: one channel's rows,
 * `pitch` halfwords apart) in the arena's scratch (the rows a strip shares with the next
 * are moved up, not widened again), then the outputs are computed two neighbouring pixels
 * at a time from 16-bit pairs of neighbouring columns, so that one 32-bit load gives two
 * taps and most products are dual 16x16 multiply-accumulates (SMLAD; the same arithmetic
 * in portable C). With the weight pairs U = (w0, w1) and V = (w1, w2) of a filter row and
 * the words of a plane row starting at the first tap of output x (x even):
 *   stride 1, A = (c0, c1), B = (c2, c3):
 *     out[x]   += SMLAD(A, U) + SMLABT(B, V)     c0 w0 + c1 w1 + c2 w2
 *     out[x+1] += SMLATB(A, U) + SMLAD(B, V)     c1 w0 + c2 w1 + c3 w2
 *   stride 2, P0 = (c0, c1), P1 = (c2, c3), P2 = (c4, c5):
 *     out[x]   += SMLAD(P0, U) + SMLABT(P1, V)   c0 w0 + c1 w1 + c2 w2
 *     out[x+1] += SMLAD(P1, U) + SMLABT(P2, V)   c2 w0 + c3 w1 + c4 w2
 * The input offset is folded into the bias (B = 2 (bias + input_offset * sum of the
 * taps)) and the padding holds the input zero point (-input_offset), whose products
 * cancel it: the plane is the input bytes sign-extended, two per word (LDRSB, PKHBT).
 * The multiply-accumulate pass keeps the 6 weight pairs, 2 accumulators and the row
 * pointers in registers and stores the sums to an int32 buffer (at stride 1 the plane's
 * rows run on into each other, so a strip is one loop of `pitch` outputs per row, those
 * past the row's end never stored); a second pass requantizes them. Stride-1 planes no
 * wider than tall (cols = the interleave NL: 8 for rows of at most 6 outputs, e.g. KWS's
 * 25 x 5 and VWW's 6 x 6; 16, 32, 64 for rows up to 62 on the M4 assembly path, in bands,
 * 4 channels at a time) take the column plane instead (see there): 2 x 2 blocks of
 * outputs requantized from registers.
 *
 * Requantization: weights doubled (a = 2 acc) and the short exact form of
 * tml_fast_common.h with the output zero point folded into its rounding constant:
 *   y = (SMMLAR(a, m, 2^(e-1) + zp 2^e) - (a < 0)) >> e, then the activation clamp;
 * equal to TFLM's for every input where |a| < 2^31 and |x| + 2^(e-1) + |zp| 2^e < 2^31
 * (x = SaturatingRoundingDoublingHighMul(acc, m)); the compiler checks both for every
 * channel from the constant weights and bias (compiler/src/ops/depthwise_conv_2d.cc).
 * The sums of the first pass are of at most 9 products of 2 w x (|.| < 2^19); a = sum +
 * B is formed modulo 2^32 and is the checked 2 acc.
 *
 * Prepared offline:
 *   weights uint32_t[channels][3]: the filter rows ky = 0..2 of a channel as the bytes
 *         (w0, w1, w1, w2) (w0 in bits 0-7), widened by SXTB16 / SXTB16 ROR #8 into
 *         U / V;
 *   bias int32_t[channels]; multiplier int32_t[channels] in [2^30, 2^31); shift
 *         int8_t[channels]: the right shift e in [1, 30] (the rounding constant
 *         2^(e-1) + zp 2^e is formed per channel).
 *   words the words per ring row of the Helium path: (output_w + 1) / 2 + 1 at stride 1,
 *         output_w + 1 at stride 2.
 *   scratch tml_dw3x3_scratch_bytes(p) bytes, 4-byte aligned, in the arena.
 * Layouts: input [batches, input_h, input_w, channels], output [batches, output_h,
 * output_w, channels].
 *
 * Order contract (in-place execution, compiler/src/ops/depthwise_conv_2d.cc): batch by
 * batch, channel by channel, output row by output row; output row oy of a channel is
 * written after that channel's input rows up to oy * stride - pad_h + 2 are read, and it
 * writes that channel's bytes only. The output may therefore share the input's memory at
 * a distance that is a multiple of the channel count. (The M4 column plane at NL 8 reads
 * all of a channel's input before writing any of its output; its bands keep the rows two
 * bands share in the scratch.)
 */
#ifndef TML_DEPTHWISE_3X3_H
#define TML_DEPTHWISE_3X3_H

#include "tml_fast_common.h"

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, channels;
  int32_t output_h, output_w;
  int32_t stride; /* 1 or 2 */
  int32_t pad_h, pad_w;
  int32_t input_offset;  /* -input zero point */
  int32_t output_offset; /* output zero point zp */
  int32_t act_min, act_max;
  int32_t words; /* per ring row (Helium) */
  const uint32_t *weights;
  const int32_t *bias;
  const int32_t *multiplier;
  const int8_t *shift;
  int32_t cols; /* the M4 column plane's interleave (8, 16, 32 or 64; see below), 0: none;
                 * Helium ignores it */
  int32_t quad; /* 1: the M4 speed paths may widen 4 channels' planes together (4 times
                 * the scratch); 0: one plane at a time */
} tml_dw3x3_s8_params_t;

/* The scratch the layer needs (bytes, a multiple of 4): the larger of the M4 plane and
 * its row sums, and the Helium lines or ring. The compiler plans it in the arena. */
TML_KERNEL int32_t tml_dw3x3_scratch_bytes(const tml_dw3x3_s8_params_t *p);

TML_KERNEL void tml_dw3x3_s8(const tml_dw3x3_s8_params_t *p, const int8_t *input,
                             int8_t *output, uint32_t *scratch);

/* Scratch bytes of the M4 path: its strip of output rows is the largest whose plane rows
 * and row sums fit (at least one output row). */
#ifndef TML_DW3X3_BUDGET
#define TML_DW3X3_BUDGET 1536
#endif
/* Interleaved columns of the column plane (see below): p->cols, one of these. */
#define TML_DW3X3_NL_MIN 8
#define TML_DW3X3_NL_MAX 64
/* Interleaves above 8 hold bands of the plane: the 4 planes within this many bytes. */
#ifndef TML_DW3X3_COLS_BUDGET
#define TML_DW3X3_COLS_BUDGET 8192
#endif

#ifndef TML_DECLARATIONS_ONLY

/* The Helium path's local pitch (halfwords per line), its lines at most, and output rows
 * at most in its column layout. */
#define TML_DW3X3_MVE_PITCH 60
#define TML_DW3X3_MVE_LINES 16
#define TML_DW3X3_MVE_COLS_MAX 8

/* The padded input rows a layer reads: 0 .. (output_h - 1) * stride + 2. */
TML_INLINE int32_t tml_dw3x3_mve_rows(const tml_dw3x3_s8_params_t *p) {
  return (p->output_h - 1) * p->stride + 3;
}

/* The Helium channel-vector layout (4, below): bytes of its per-group records and of the
 * padded input copy, 0 when the layer does not take it (channels not a multiple of 16, or
 * more than TML_DW3X3_MVE_VEC_BUDGET bytes: only small planes of many channels, where one
 * channel's plane is too small for 4-pixel vectors to pay for its widening; nor with
 * quad 0, the small scratch of --optimize ram / size). */
#define TML_DW3X3_MVE_REC 100
#ifndef TML_DW3X3_MVE_VEC_BUDGET
#define TML_DW3X3_MVE_VEC_BUDGET 12288
#endif
TML_INLINE int32_t tml_dw3x3_mve_vec_bytes(const tml_dw3x3_s8_params_t *p) {
  const int32_t ph = (p->output_h - 1) * p->stride + 3, pw = (p->output_w - 1) * p->stride + 3;
  const int32_t n = ph * pw * p->channels + TML_DW3X3_MVE_REC * (p->channels / 4);
  return p->quad && (p->channels & 15) == 0 && p->output_w <= TML_DW3X3_MVE_COLS_MAX &&
                 n <= TML_DW3X3_MVE_VEC_BUDGET
             ? n
             : 0;
}

/* The layout tml_dw3x3_s8() and the channel body use: 4 channel vectors (all channels
 * at once, tml_dw3x3_mve_vec_bytes()); 3 columns (whole plane), 2 rows (whole plane), 1 a
 * ring of 3 rows, all at the local pitch; 0 a ring in the arena. */
TML_INLINE int tml_dw3x3_mve_layout(const tml_dw3x3_s8_params_t *p) {
  const int fit = p->stride == 1 ? p->output_w + 2 <= TML_DW3X3_MVE_PITCH
                                 : p->output_w + 1 <= TML_DW3X3_MVE_PITCH / 2;
  if (tml_dw3x3_mve_vec_bytes(p) > 0) return 4;
  if (p->stride == 1 && p->output_w <= TML_DW3X3_MVE_COLS_MAX && p->output_h > p->output_w &&
      p->output_w + 2 <= TML_DW3X3_MVE_LINES && p->output_h + 2 <= TML_DW3X3_MVE_PITCH) {
    return 3;
  }
  /* (Stride 2 measured no faster as a whole plane: the ring.) */
  if (fit && p->stride == 1 && tml_dw3x3_mve_rows(p) <= TML_DW3X3_MVE_LINES) return 2;
  return fit;
}

/* The M4 plane: one channel's padded input rows, `pitch` halfwords apart. */
typedef struct {
  int32_t pitch;        /* halfwords per plane row (even) */
  int32_t nrows, ncols; /* input rows and columns read */
  int32_t spitch;       /* sums per output row */
  int32_t strip;        /* output rows per strip */
  int32_t rows;         /* plane rows in the scratch: a strip's, and one more */
  int32_t planes;       /* 4: four channels' planes widened together, else 1 */
} tml_dw3x3_geo_t;

/* Scratch budget of the 4-plane strips (channel counts that are multiples of 4). */
#ifndef TML_DW3X3_BUDGET4
#define TML_DW3X3_BUDGET4 4096
#endif

TML_INLINE void tml_dw3x3_geo(const tml_dw3x3_s8_params_t *p, tml_dw3x3_geo_t *g) {
  const int32_t s = p->stride, oh = p->output_h, ow = p->output_w;
  int32_t n;
  /* Stride 1: padded columns 0 .. ow + 1, rounded up to whole words; stride 2: 0 .. 2 ow,
   * and the pairs' last word. */
  g->pitch = s == 1 ? (ow + 3) & ~1 : 2 * ow + 2;
  g->spitch = s == 1 ? g->pitch : (ow + 1) & ~1;
  n = (oh - 1) * s + 3 - p->pad_h;
  g->nrows = p->input_h < n ? p->input_h : n;
  n = (ow - 1) * s + 3 - p->pad_w;
  g->ncols = p->input_w < n ? p->input_w : n;
  /* A strip of n output rows reads (n - 1) s + 3 plane rows; the passes read one word past
   * them (pairs that end past a row). */
  /* Four planes (speed paths only: the compiler, which sizes the scratch, has them) when
   * the channels come in fours. */
  g->planes = TML_SPEED_PATHS && p->quad && (p->channels & 3) == 0 ? 4 : 1;
  n = g->planes == 4
          ? (TML_DW3X3_BUDGET4 - 4 * (4 - s) * g->pitch * 2) / (4 * s * g->pitch * 2 + g->spitch * 4)
          : (TML_DW3X3_BUDGET - (4 - s) * g->pitch * 2) / (s * g->pitch * 2 + g->spitch * 4);
  g->strip = n < 1 ? 1 : n > oh ? oh : n;
  g->rows = (g->strip - 1) * s + 4;
}

/* Words per column of the column plane the layer holds at once: the whole plane at
 * interleave 8, else a band of at most TML_DW3X3_COLS_BUDGET bytes for the 4 planes. */
TML_INLINE int32_t tml_dw3x3_band_words(const tml_dw3x3_s8_params_t *p) {
  const int32_t words = (p->output_h + 1) / 2 + 1;
  const int32_t cap = TML_DW3X3_COLS_BUDGET / (16 * (p->cols > 0 ? p->cols : 1));
  return p->cols == TML_DW3X3_NL_MIN || words <= cap ? words : cap;
}

TML_KERNEL int32_t tml_dw3x3_scratch_bytes(const tml_dw3x3_s8_params_t *p) {
  tml_dw3x3_geo_t g;
  int32_t m4, mve;
  tml_dw3x3_geo(p, &g);
  /* The column plane: up to 4 planes (channels widened 4 at a time, speed paths only). */
  m4 = g.planes * g.rows * g.pitch * 2 + g.strip * g.spitch * 4;
  if (p->cols) {
    /* The 4 planes (bands of them above 8; those layers take the row plane where the
     * assembly path does not apply: room for both). */
    const int32_t cp = (p->quad ? 4 : 1) * p->cols * tml_dw3x3_band_words(p) * 4;
    m4 = p->cols == TML_DW3X3_NL_MIN || cp > m4 ? cp : m4;
  }
  /* Helium: the lines at the local pitch (see below), or a ring of 3 rows of 2 words
   * halfwords. */
  switch (tml_dw3x3_mve_layout(p)) {
    case 4: mve = tml_dw3x3_mve_vec_bytes(p); break;
    case 3: mve = (p->output_w + 2) * TML_DW3X3_MVE_PITCH * 2; break;
    case 2: mve = tml_dw3x3_mve_rows(p) * TML_DW3X3_MVE_PITCH * 2; break;
    case 1: mve = 3 * TML_DW3X3_MVE_PITCH * 2; break;
    default: mve = 12 * p->words; break;
  }
  return m4 > mve ? m4 : mve;
}

/* TML_OPT_DW3X3_CLAMP: some layer's activation range is not the full int8 range. */
#ifndef TML_OPT_DW3X3_CLAMP
#define TML_OPT_DW3X3_CLAMP TML_OPTION_DEFAULT
#endif
/* TML_OPT_DW3X3_COLS: some layer uses the column plane (cols = 1). */
#ifndef TML_OPT_DW3X3_COLS
#define TML_OPT_DW3X3_COLS TML_OPTION_DEFAULT
#endif
#if TML_HAVE_MVE && TML_OPT_DW3X3_COLS && !defined(TML_OPT_DW3X3_S1)
#define TML_OPT_DW3X3_S1 1 /* Helium: column-plane layers are stride 1 layers */
#endif
/* TML_OPT_DW3X3_S1 / TML_OPT_DW3X3_S2: some layer has stride 1 / 2 (and no column plane). */
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

#if !TML_HAVE_MVE
/* Products of 16-bit halves: (x.lo w.lo + x.hi w.hi), x.lo w.hi, x.hi w.lo, each plus acc
 * (SMLAD, SMLABT, SMLATB) or alone (first: SMUAD, SMULBT, SMULTB). */
#if TML_HAVE_DSP
TML_INLINE int32_t tml_dw3x3_mul_bt(uint32_t x, uint32_t w) {
#if defined(__GNUC__) || defined(__clang__)
  int32_t r;
  __asm__("smulbt %0, %1, %2" : "=r"(r) : "r"(x), "r"(w));
  return r;
#else
  return __smlabt((int32_t)x, (int32_t)w, 0);
#endif
}
TML_INLINE int32_t tml_dw3x3_mul_tb(uint32_t x, uint32_t w) {
#if defined(__GNUC__) || defined(__clang__)
  int32_t r;
  __asm__("smultb %0, %1, %2" : "=r"(r) : "r"(x), "r"(w));
  return r;
#else
  return __smlatb((int32_t)x, (int32_t)w, 0);
#endif
}
#define TML_DW3X3_DOT(x, w, acc, first) \
  ((first) ? __smuad((int32_t)(x), (int32_t)(w)) : __smlad((int32_t)(x), (int32_t)(w), (acc)))
#define TML_DW3X3_BT(x, w, acc, first) \
  ((first) ? tml_dw3x3_mul_bt(x, w) : __smlabt((int32_t)(x), (int32_t)(w), (acc)))
#define TML_DW3X3_TB(x, w, acc, first) \
  ((first) ? tml_dw3x3_mul_tb(x, w) : __smlatb((int32_t)(x), (int32_t)(w), (acc)))
#else
#define TML_DW3X3_DOT(x, w, acc, first) \
  (((first) ? 0 : (acc)) + tml_pair_lo(x) * tml_pair_lo(w) + tml_pair_hi(x) * tml_pair_hi(w))
#define TML_DW3X3_BT(x, w, acc, first) (((first) ? 0 : (acc)) + tml_pair_lo(x) * tml_pair_hi(w))
#define TML_DW3X3_TB(x, w, acc, first) (((first) ? 0 : (acc)) + tml_pair_hi(x) * tml_pair_lo(w))
#endif

/* One filter row of two neighbouring outputs: the plane row's words at r (the first
 * output's first tap), weight pairs u, v; into s0, s1 (first: the first row). */
#define TML_DW3X3_ROW(r, u, v, first)                                   \
  do {                                                                  \
    const uint32_t x0_ = (r)[0], x1_ = (r)[1];                          \
    s0 = TML_DW3X3_DOT(x0_, u, s0, first);                              \
    s0 = TML_DW3X3_BT(x1_, v, s0, 0);                                   \
    if (stride == 1) {                                                  \
      s1 = TML_DW3X3_TB(x0_, u, s1, first);                             \
      s1 = TML_DW3X3_DOT(x1_, v, s1, 0);                                \
    } else {                                                            \
      s1 = TML_DW3X3_DOT(x1_, u, s1, first);                            \
      s1 = TML_DW3X3_BT((r)[2], v, s1, 0);                              \
    }                                                                   \
  } while (0)

/* One output pair: sums of the 3 rows into s[0], s[1]; the row pointers advanced. */
#define TML_DW3X3_PAIR()                \
  do {                                  \
    int32_t s0, s1;                     \
    TML_DW3X3_ROW(r0, u0, v0, 1);       \
    TML_DW3X3_ROW(r1, u1, v1, 0);       \
    TML_DW3X3_ROW(r2, u2, v2, 0);       \
    r0 += stride;                       \
    r1 += stride;                       \
    r2 += stride;                       \
    s[0] = s0;                          \
    s[1] = s1;                          \
    s += 2;                             \
  } while (0)

#if TML_OPT_DW3X3_S1 || TML_OPT_DW3X3_S2
/* The multiply-accumulate pass: `lines` output rows of n output pairs, line l's plane
 * rows at r + l * 2 pw (stride 2; pw words per plane row), its sums at
 * sums + l * spitch; w: the weight pairs U, V of filter rows 0..2. At stride 1 the caller
 * passes one line of all the strip's pairs (rows run on). stride: a constant. */
TML_ALWAYS_INLINE void tml_dw3x3_mac_body(const uint32_t *r, int32_t pw, const uint32_t *w,
                                          int32_t *sums, int32_t n, int32_t lines,
                                          int32_t spitch, const int stride) {
  const uint32_t u0 = w[0], v0 = w[1], u1 = w[2], v1 = w[3], u2 = w[4], v2 = w[5];
  for (; lines > 0; --lines, r += 2 * pw, sums += spitch) {
    const uint32_t *r0 = r, *r1 = r + pw, *r2 = r + 2 * pw;
    int32_t *s = sums;
    int32_t *const end = sums + 2 * n;
    /* Two pairs per iteration (the loop's bound is reloaded from the stack: every
     * register is taken). */
    if (n & 1) TML_DW3X3_PAIR();
    while (s != end) {
      TML_DW3X3_PAIR();
      TML_DW3X3_PAIR();
    }
  }
}
#undef TML_DW3X3_PAIR
#undef TML_DW3X3_ROW

/* The stride-1 pass on the Arm DSP path in GCC assembly (14 registers: the 6 weight
 * pairs, the 3 row pointers, the sums pointer, 2 sums and 2 words; the end of the sums
 * read from memory): each row's two words with one post-indexed LDRD (the pointer
 * advances with it), the two sums stored with one STRD. Same products and order as
 * TML_DW3X3_PAIR(). */
#if TML_HAVE_DSP && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__) && \
    TML_SPEED_PATHS && TML_OPT_DW3X3_S1
#define TML_DW3X3_S1_ASM 1
#define TML_DW3X3_S1_PAIR                                                                   \
  "ldrd %[x0], %[x1], [%[r0]], #4\n\t"                                                     \
  "smuad %[s0], %[x0], %[u0]\n\t"                                                          \
  "smultb %[s1], %[x0], %[u0]\n\t"                                                         \
  "smlabt %[s0], %[x1], %[v0], %[s0]\n\t"                                                  \
  "smlad %[s1], %[x1], %[v0], %[s1]\n\t"                                                   \
  "ldrd %[x0], %[x1], [%[r1]], #4\n\t"                                                     \
  "smlad %[s0], %[x0], %[u1], %[s0]\n\t"                                                   \
  "smlatb %[s1], %[x0], %[u1], %[s1]\n\t"                                                  \
  "smlabt %[s0], %[x1], %[v1], %[s0]\n\t"                                                  \
  "smlad %[s1], %[x1], %[v1], %[s1]\n\t"                                                   \
  "ldrd %[x0], %[x1], [%[r2]], #4\n\t"                                                     \
  "smlad %[s0], %[x0], %[u2], %[s0]\n\t"                                                   \
  "smlatb %[s1], %[x0], %[u2], %[s1]\n\t"                                                  \
  "smlabt %[s0], %[x1], %[v2], %[s0]\n\t"                                                  \
  "smlad %[s1], %[x1], %[v2], %[s1]\n\t"                                                   \
  "strd %[s0], %[s1], [%[s]], #8\n\t"
#define TML_DW3X3_S1_OPERANDS                                                               \
  : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [s] "+&r"(s), [s0] "=&r"(s0),         \
    [s1] "=&r"(s1), [x0] "=&r"(x0), [x1] "=&r"(x1)                                         \
  : [u0] "r"(u0), [v0] "r"(v0), [u1] "r"(u1), [v1] "r"(v1), [u2] "r"(u2), [v2] "r"(v2),   \
    [end] "m"(end)                                                                          \
  : "cc", "memory"
TML_DW3X3_NOINLINE TML_HELPER void tml_dw3x3_mac_s1(const uint32_t *r, int32_t pw,
                                                    const uint32_t *w, int32_t *sums,
                                                    int32_t n, int32_t lines, int32_t spitch) {
  const uint32_t u0 = w[0], v0 = w[1], u1 = w[2], v1 = w[3], u2 = w[4], v2 = w[5];
  const uint32_t *r0 = r, *r1 = r + pw, *r2 = r + 2 * pw;
  int32_t *s = sums;
  int32_t *const end = sums + 2 * n;
  uint32_t x0, x1;
  int32_t s0, s1;
  (void)lines, (void)spitch; /* stride 1: one line of all the strip's pairs */
  if (n & 1) __asm__ __volatile__(TML_DW3X3_S1_PAIR TML_DW3X3_S1_OPERANDS);
  if (n > 1) {
    __asm__ __volatile__("1:\n\t" TML_DW3X3_S1_PAIR TML_DW3X3_S1_PAIR
                         "ldr %[x0], %[end]\n\t"
                         "cmp %[s], %[x0]\n\t"
                         "bne 1b" TML_DW3X3_S1_OPERANDS);
  }
}
#undef TML_DW3X3_S1_PAIR
#undef TML_DW3X3_S1_OPERANDS
#else
#define TML_DW3X3_S1_ASM 0
#endif

#define TML_DW3X3_MAC(name, stride)                                                         \
  TML_DW3X3_NOINLINE TML_HELPER void name(const uint32_t *r, int32_t pw, const uint32_t *w, \
                                          int32_t *sums, int32_t n, int32_t lines,         \
                                          int32_t spitch) {                                \
    tml_dw3x3_mac_body(r, pw, w, sums, n, lines, spitch, stride);                          \
  }
#if TML_OPT_DW3X3_S1 && !TML_DW3X3_S1_ASM
TML_DW3X3_MAC(tml_dw3x3_mac_s1, 1)
#endif
#if TML_OPT_DW3X3_S2
TML_DW3X3_MAC(tml_dw3x3_mac_s2, 2)
#endif
#undef TML_DW3X3_MAC

/* (lo.lo, hi.lo): PKHBT. */
TML_INLINE uint32_t tml_dw3x3_pack(int32_t lo, int32_t hi) {
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__))
  uint32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
#else
  return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
#endif
}

/* `rows` rows of n input bytes: row r's byte i at x + r x_row + i x_col, sign-extended,
 * into the plane's halfwords from d + r pitch (d odd when lead: the first byte alone,
 * then two per word). Out of line: the pointers get the registers. */
TML_DW3X3_NOINLINE TML_HELPER void tml_dw3x3_widen(int16_t *d, int32_t pitch, const int8_t *x,
                                                   int32_t x_row, int32_t x_col, int32_t rows,
                                                   int32_t n) {
  const int lead = ((uintptr_t)d & 2u) != 0;
  const int32_t quads = (n - lead) >> 2, pair = ((n - lead) >> 1) & 1, tail = (n - lead) & 1;
  for (; rows > 0; --rows, d += pitch, x += x_row) {
    const int8_t *xp = x;
    int16_t *dp = d;
    uint32_t *dw;
    int32_t k;
    if (lead) {
      *dp++ = *xp;
      xp += x_col;
    }
    dw = (uint32_t *)(void *)dp;
    for (k = quads; k > 0; --k, dw += 2, xp += 4 * x_col) {
      const int32_t a = xp[0], b = xp[x_col], e = xp[2 * x_col], f = xp[3 * x_col];
      dw[0] = tml_dw3x3_pack(a, b);
      dw[1] = tml_dw3x3_pack(e, f);
    }
    if (pair) {
      *dw++ = tml_dw3x3_pack(xp[0], xp[x_col]);
      xp += 2 * x_col;
    }
    if (tail) *(int16_t *)(void *)dw = *xp;
  }
}

/* A channel's requantization: a = sum + bias (the folded bias, doubled), m, the rounding
 * constant, e; the activation range. */
typedef struct {
  uint32_t bias;
  int32_t m, round, e, act_min, act_max;
} tml_dw3x3_rq_t;

/* `rows` rows of ow sums, `skip` sums after each row's, requantized to outputs c bytes
 * apart from o (the rows' outputs follow each other). full: a constant where it is
 * inlined. */
#if TML_HAVE_DSP && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__) && \
    TML_SPEED_PATHS
#define TML_DW3X3_RQ_ASM 1
/* a += bias; a = SMMLAR(a, m, round - (a < 0)) >> e, saturated to int8 (t a temporary). */
#define TML_DW3X3_RQ1(A)                                                                    \
  "add %[" A "], %[" A "], %[bias]\n\t"                                                     \
  "add %[t], %[round], %[" A "], asr #31\n\t"                                              \
  "smmlar %[" A "], %[" A "], %[m], %[t]\n\t"                                              \
  "asr %[" A "], %[" A "], %[e]\n\t"                                                       \
  "ssat %[" A "], #8, %[" A "]\n\t"
#else
#define TML_DW3X3_RQ_ASM 0
#endif
TML_ALWAYS_INLINE void tml_dw3x3_requant_body(const int32_t *sp, int32_t skip, int8_t *o,
                                              int32_t c, int32_t rows, int32_t ow,
                                              const tml_dw3x3_rq_t *rq, const int full) {
  const uint32_t bias = rq->bias;
  const int32_t m = rq->m, round = rq->round, e = rq->e;
  const int32_t act_min = rq->act_min, act_max = rq->act_max, c2 = 2 * c;
  const int32_t quads = ow >> 2, rest = ow & 3;
  do {
    const int32_t *const end = sp + 4 * quads;
    int32_t k;
#if TML_DW3X3_RQ_ASM
    /* The quads in GCC assembly (Arm DSP speed path, full range): the sums read with two
     * LDRD, each output as tml_dw3x3_out() with r - (a < 0) added inside the SMMLAR. */
    if (full && sp != end) {
      int32_t a0, a1, a2, a3, t;
      __asm__ __volatile__("1:\n\t"
                           "ldrd %[a0], %[a1], [%[sp]], #8\n\t"
                           "ldrd %[a2], %[a3], [%[sp]], #8\n\t"
                           TML_DW3X3_RQ1("a0") "strb %[a0], [%[o]]\n\t"
                           TML_DW3X3_RQ1("a1") "strb %[a1], [%[o], %[c]]\n\t"
                           "add %[o], %[o], %[c], lsl #1\n\t"
                           TML_DW3X3_RQ1("a2") "strb %[a2], [%[o]]\n\t"
                           TML_DW3X3_RQ1("a3") "strb %[a3], [%[o], %[c]]\n\t"
                           "add %[o], %[o], %[c], lsl #1\n\t"
                           "cmp %[sp], %[end]\n\t"
                           "bne 1b"
                           : [sp] "+&r"(sp), [o] "+&r"(o), [a0] "=&r"(a0), [a1] "=&r"(a1),
                             [a2] "=&r"(a2), [a3] "=&r"(a3), [t] "=&r"(t)
                           : [end] "r"(end), [c] "r"(c), [bias] "r"(bias), [m] "r"(m),
                             [round] "r"(round), [e] "r"(e)
                           : "cc", "memory");
    }
#endif
    while (sp != end) {
      const int32_t a0 = (int32_t)((uint32_t)sp[0] + bias), a1 = (int32_t)((uint32_t)sp[1] + bias);
      const int32_t a2 = (int32_t)((uint32_t)sp[2] + bias), a3 = (int32_t)((uint32_t)sp[3] + bias);
      sp += 4;
      o[0] = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
      o[c] = tml_dw3x3_out(a1, m, round, e, act_min, act_max, full);
      o += c2;
      o[0] = tml_dw3x3_out(a2, m, round, e, act_min, act_max, full);
      o[c] = tml_dw3x3_out(a3, m, round, e, act_min, act_max, full);
      o += c2;
    }
    for (k = rest; k > 0; --k, o += c) {
      *o = tml_dw3x3_out((int32_t)((uint32_t)*sp++ + bias), m, round, e, act_min, act_max, full);
    }
    sp += skip;
  } while (--rows != 0);
}
#define TML_DW3X3_REQUANT(name, full)                                                          \
  TML_DW3X3_NOINLINE TML_HELPER void name(const int32_t *sp, int32_t skip, int8_t *o,          \
                                          int32_t c, int32_t rows, int32_t ow,                 \
                                          const tml_dw3x3_rq_t *rq) {                          \
    tml_dw3x3_requant_body(sp, skip, o, c, rows, ow, rq, full);                                \
  }
TML_DW3X3_REQUANT(tml_dw3x3_requant, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_REQUANT(tml_dw3x3_requant_clamp, 0)
#endif
#undef TML_DW3X3_REQUANT
#ifdef TML_DW3X3_RQ1
#undef TML_DW3X3_RQ1
#endif

/* n words of v from d. */
TML_INLINE void tml_dw3x3_fill(uint32_t *d, uint32_t v, int32_t n) {
  for (; n > 0; --n) *d++ = v;
}

#if TML_SPEED_PATHS
/* (lo.hi, hi.hi): PKHTB. */
TML_INLINE uint32_t tml_dw3x3_pack_hi(uint32_t lo, uint32_t hi) {
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__))
  uint32_t r;
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hi), "r"(lo));
  return r;
#else
  return (lo >> 16) | (hi & 0xFFFF0000u);
#endif
}

/* tml_dw3x3_widen() for four channels at once (speed paths only): the bytes of channels
 * 0..3 of a pixel are one word, whose pairs (c0, c2) and (c1, c3) (SXTB16) are repacked
 * with the next pixel's into the four planes, plane k (channel k) at d + k psz
 * halfwords. */
TML_DW3X3_NOINLINE TML_HELPER void tml_dw3x3_widen_q(int16_t *d, int32_t psz, int32_t pitch,
                                                     const int8_t *x, int32_t x_row,
                                                     int32_t x_col, int32_t rows, int32_t n) {
  const int lead = ((uintptr_t)d & 2u) != 0;
  const int32_t pairs = (n - lead) >> 1, tail = (n - lead) & 1, pw = psz >> 1;
  for (; rows > 0; --rows, d += pitch, x += x_row) {
    const int8_t *xp = x;
    int16_t *dp = d;
    uint32_t *dw, e0, o0, e1, o1;
    int32_t k;
    if (lead) {
      tml_widen_s8x4(tml_read_s8x4(xp), &e0, &o0);
      dp[0] = (int16_t)e0;
      dp[psz] = (int16_t)o0;
      dp[2 * psz] = (int16_t)(e0 >> 16);
      dp[3 * psz] = (int16_t)(o0 >> 16);
      ++dp;
      xp += x_col;
    }
    dw = (uint32_t *)(void *)dp;
    for (k = pairs; k > 0; --k, ++dw, xp += 2 * x_col) {
      const uint32_t v0 = tml_read_s8x4(xp), v1 = tml_read_s8x4(xp + x_col);
      tml_widen_s8x4(v0, &e0, &o0);
      tml_widen_s8x4(v1, &e1, &o1);
      dw[0] = tml_dw3x3_pack((int32_t)e0, (int32_t)e1);
      dw[pw] = tml_dw3x3_pack((int32_t)o0, (int32_t)o1);
      dw[2 * pw] = tml_dw3x3_pack_hi(e0, e1);
      dw[3 * pw] = tml_dw3x3_pack_hi(o0, o1);
    }
    if (tail) {
      dp = (int16_t *)(void *)dw;
      tml_widen_s8x4(tml_read_s8x4(xp), &e0, &o0);
      dp[0] = (int16_t)e0;
      dp[psz] = (int16_t)o0;
      dp[2 * psz] = (int16_t)(e0 >> 16);
      dp[3 * psz] = (int16_t)(o0 >> 16);
    }
  }
}
#endif

/* Channel ch's weight pairs: (w(k,0), w(k,1)), (w(k,1), w(k,2)) of filter row k, doubled;
 * and its requantization (the bias folded with the input offset times the sum of the
 * taps). */
TML_INLINE void tml_dw3x3_prep(const tml_dw3x3_s8_params_t *p, int32_t ch, uint32_t *w,
                               tml_dw3x3_rq_t *rq) {
  const uint32_t *const q = p->weights + 3 * ch;
  int32_t i, sum = 0;
  for (i = 0; i < 3; ++i) {
    const uint32_t row = q[i];
    uint32_t even, odd;
    sum += (int8_t)(uint8_t)(row & 0xFFu) + (int8_t)(uint8_t)((row >> 8) & 0xFFu) + (int8_t)(uint8_t)(row >> 24);
    tml_widen_s8x4(row, &even, &odd);
    w[2 * i] = (even << 1) & 0xFFFEFFFEu;
    w[2 * i + 1] = (odd << 1) & 0xFFFEFFFEu;
  }
  rq->bias = ((uint32_t)p->bias[ch] + (uint32_t)p->input_offset * (uint32_t)sum) << 1;
  rq->m = p->multiplier[ch];
  rq->e = p->shift[ch];
  rq->round = (int32_t)(((uint32_t)1 << (rq->e - 1)) + (uint32_t)p->output_offset * ((uint32_t)1 << rq->e));
  rq->act_min = p->act_min;
  rq->act_max = p->act_max;
}

/* `planes` channels (1, or 4 with the speed paths) from channel ch: strips of output
 * rows, each with its plane rows widened (the rows it shares with the previous strip
 * moved up), then per channel summed and requantized. `x`, `o` at channel ch's byte of
 * the batch's first input and output pixel; plane k (channel ch + k) at plane + k psz
 * words; the planes' padding holds the input zero point. Each channel keeps the order
 * contract on its own bytes. full, planes: constants where it is inlined. */
TML_ALWAYS_INLINE void tml_dw3x3_channel_body(const tml_dw3x3_s8_params_t *p,
                                              const tml_dw3x3_geo_t *g, const int8_t *x,
                                              int8_t *o, uint32_t *plane, int32_t *sums,
                                              int32_t ch, const int full, const int planes) {
  const int32_t stride = p->stride, pitch = g->pitch, pw = pitch >> 1;
  const int32_t oh = p->output_h, ow = p->output_w, c = p->channels;
  const int32_t in_row = p->input_w * c, out_row = ow * c;
  const int32_t strip = g->strip, keep = 3 - stride, psz = g->rows * pw;
  const uint32_t zp2 = ((uint32_t)-p->input_offset & 0xFFFFu) * 0x00010001u;
  uint32_t w[4][6];
  tml_dw3x3_rq_t rq[4];
  int32_t i, y0, n = 0;
  for (i = 0; i < planes; ++i) tml_dw3x3_prep(p, ch + i, w[i], &rq[i]);
  for (y0 = 0; y0 < oh; y0 += n) {
    /* Plane row k of the strip: padded row y0 s + k, input row y0 s + k - pad_t; those
     * from k0 to k1 inside the input rows read. */
    const int32_t need = ((n = oh - y0 < strip ? oh - y0 : strip) - 1) * stride + 3;
    const int32_t top = y0 * stride - p->pad_h;
    int32_t k = 0, k0 = -top, k1 = g->nrows - top;
    if (y0 > 0) {
      /* The previous strip's last `keep` rows are this one's first. */
      for (i = 0; i < planes; ++i) {
        memmove(plane + i * psz, plane + i * psz + ((strip - 1) * stride + 3 - keep) * pw,
                (size_t)(keep * pw) * sizeof(uint32_t));
      }
      k = keep;
    }
    k0 = k0 < k ? k : k0;
    k1 = k1 > need ? need : k1;
    for (i = 0; i < planes; ++i) {
      uint32_t *const pl = plane + i * psz;
      if (k1 <= k0) {
        tml_dw3x3_fill(pl + k * pw, zp2, (need - k) * pw);
      } else {
        tml_dw3x3_fill(pl + k * pw, zp2, (k0 - k) * pw);
        tml_dw3x3_fill(pl + k1 * pw, zp2, (need - k1) * pw);
      }
    }
    if (k1 > k0) {
      int16_t *const d = (int16_t *)(void *)(plane + k0 * pw) + p->pad_w;
      const int8_t *const xr = x + (top + k0) * in_row;
#if TML_SPEED_PATHS
      if (planes == 4) {
        tml_dw3x3_widen_q(d, 2 * psz, pitch, xr, in_row, c, k1 - k0, g->ncols);
      } else
#endif
      {
        tml_dw3x3_widen(d, pitch, xr, in_row, c, k1 - k0, g->ncols);
      }
    }
    for (i = 0; i < planes; ++i) {
      const uint32_t *const pl = plane + i * psz;
      int8_t *const oy = o + i + y0 * out_row;
#if TML_OPT_DW3X3_S1 && TML_OPT_DW3X3_S2
      if (stride == 1) {
        tml_dw3x3_mac_s1(pl, pw, w[i], sums, n * pw, 1, 0);
      } else {
        tml_dw3x3_mac_s2(pl, pw, w[i], sums, (ow + 1) >> 1, n, g->spitch);
      }
#elif TML_OPT_DW3X3_S1
      tml_dw3x3_mac_s1(pl, pw, w[i], sums, n * pw, 1, 0);
#else
      tml_dw3x3_mac_s2(pl, pw, w[i], sums, (ow + 1) >> 1, n, g->spitch);
#endif
#if TML_OPT_DW3X3_CLAMP
      if (!full) {
        tml_dw3x3_requant_clamp(sums, g->spitch - ow, oy, c, n, ow, &rq[i]);
        continue;
      }
#endif
      tml_dw3x3_requant(sums, g->spitch - ow, oy, c, n, ow, &rq[i]);
    }
  }
  (void)full;
}

#define TML_DW3X3_CHANNEL(name, full, planes)                                                 \
  TML_DW3X3_NOINLINE TML_HELPER void name(const tml_dw3x3_s8_params_t *p,                     \
                                          const tml_dw3x3_geo_t *g, const int8_t *x,          \
                                          int8_t *o, uint32_t *plane, int32_t *sums,          \
                                          int32_t ch) {                                       \
    tml_dw3x3_channel_body(p, g, x, o, plane, sums, ch, full, planes);                        \
  }
TML_DW3X3_CHANNEL(tml_dw3x3_channel, 1, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_CHANNEL(tml_dw3x3_channel_clamp, 0, 1)
#endif
#if TML_SPEED_PATHS
TML_DW3X3_CHANNEL(tml_dw3x3_quad, 1, 4)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_CHANNEL(tml_dw3x3_quad_clamp, 0, 4)
#endif
#endif
#undef TML_DW3X3_CHANNEL
#endif /* TML_OPT_DW3X3_S1 || TML_OPT_DW3X3_S2 */

#if TML_OPT_DW3X3_COLS
/* The column plane (cols = NL, 8, 16, 32 or 64: stride 1, planes with output_w + 2 <= NL, e.g.
 * KWS's 25 x 5, VWW's 6 x 6 to 48 x 48): the channel's padded plane
 * widened at once (input offset added, 0 in the padding), column-major, then each output
 * column computed along y with the transposed taps, so that the long dimension is the
 * inner loop. Padded column L, padded rows 2 j and 2 j + 1 are in word NL j + L
 * of the plane (cwords = (output_h + 1) / 2 + 1 words per column), so that the taps of
 * three neighbouring columns are at fixed offsets from one pointer. At NL 8 every input
 * byte of the channel is read before any of its outputs is written; above, the plane is
 * held in bands of output rows (tml_dw3x3_band_words()), each band's input rows read
 * before its outputs are written: output row oy after input rows up to oy - pad_h + 2, the
 * row plane's order contract. */

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

/* One or two (two) neighbouring output columns: `r` at word 0 of the first column's first
 * tap line, n outputs per column, rows `step` bytes apart from `o`, the second column `c`
 * bytes after the first. Blocks of 2 x 2 outputs share the 8 words they read (4 lines, 2
 * column pairs): 24 dual multiply-accumulates for 36 products. two, full: constants where
 * it is inlined. */
#if TML_HAVE_DSP && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__) && \
    TML_SPEED_PATHS
#define TML_DW3X3_COLS_ASM 1
/* What the 2 x 2 blocks of tml_dw3x3_cols2() read besides the plane (the weights from
 * memory: 14 registers hold the 4 sums, 4 plane words, one weight pair, the pointers and
 * a temporary). */
typedef struct {
  uint32_t w[6];  /* u0, v0, u1, v1, u2, v2 */
  int32_t bias;   /* 24 */
  int32_t m;      /* 28 */
  int32_t round;  /* 32 */
  int32_t e;      /* 36 */
  int32_t step;   /* 40 */
  int32_t c;      /* 44 */
  const uint32_t *end; /* 48: r after the last block of the current column pair */
  const uint32_t *r0;  /* 52: the current column pair's first word */
  int8_t *o0;          /* 56: its first output */
  const uint32_t *stop; /* 60: r0 after the last column pair */
  int32_t c2;          /* 64: 2 c, from one column pair's outputs to the next's */
} tml_dw3x3_cf_t;

/* The 2 x 2 blocks of column pairs in GCC assembly (Arm DSP speed path, full range): the
 * same products and order per sum as tml_dw3x3_cols2()'s loop, grouped by weight pair;
 * each output as tml_dw3x3_out() with r - (a < 0) added inside the SMMLAR. From the pair
 * at r = f->r0, o = f->o0 down to f->end, then the next pair (2 words, 2 c bytes on) until
 * f->stop. */
TML_ALWAYS_INLINE void tml_dw3x3_cols2_asm(const uint32_t *r, int8_t *o, const tml_dw3x3_cf_t *f,
                                           const int nl) {
  uint32_t x0, x1, x2, x3, u, v, t;
  int32_t a0, a1, b0, b1;
  __asm__ __volatile__(
      "1:\n\t"
      "ldr %[x0], [%[r]]\n\t"
      "ldr %[x1], [%[r], %[n0]]\n\t"
      "ldr %[x2], [%[r], #4]\n\t"
      "ldr %[x3], [%[r], %[n1]]\n\t"
      "ldrd %[u], %[v], [%[f]]\n\t"
      "ldr %[a0], [%[f], #24]\n\t"
      "smlatb %[a1], %[x0], %[u], %[a0]\n\t"
      "smlad %[b0], %[x2], %[u], %[a0]\n\t"
      "smlatb %[b1], %[x2], %[u], %[a0]\n\t"
      "smlad %[a0], %[x0], %[u], %[a0]\n\t"
      "smlabt %[a0], %[x1], %[v], %[a0]\n\t"
      "smlad %[a1], %[x1], %[v], %[a1]\n\t"
      "smlabt %[b0], %[x3], %[v], %[b0]\n\t"
      "smlad %[b1], %[x3], %[v], %[b1]\n\t"
      "ldrd %[u], %[v], [%[f], #8]\n\t"
      "ldr %[x0], [%[r], #8]\n\t"
      "ldr %[x1], [%[r], %[n2]]\n\t"
      "smlad %[a0], %[x2], %[u], %[a0]\n\t"
      "smlatb %[a1], %[x2], %[u], %[a1]\n\t"
      "smlabt %[a0], %[x3], %[v], %[a0]\n\t"
      "smlad %[a1], %[x3], %[v], %[a1]\n\t"
      "smlad %[b0], %[x0], %[u], %[b0]\n\t"
      "smlatb %[b1], %[x0], %[u], %[b1]\n\t"
      "smlabt %[b0], %[x1], %[v], %[b0]\n\t"
      "smlad %[b1], %[x1], %[v], %[b1]\n\t"
      "ldrd %[u], %[v], [%[f], #16]\n\t"
      "ldr %[x2], [%[r], #12]\n\t"
      "ldr %[x3], [%[r], %[n3]]\n\t"
      "smlad %[a0], %[x0], %[u], %[a0]\n\t"
      "smlatb %[a1], %[x0], %[u], %[a1]\n\t"
      "smlabt %[a0], %[x1], %[v], %[a0]\n\t"
      "smlad %[a1], %[x1], %[v], %[a1]\n\t"
      "smlad %[b0], %[x2], %[u], %[b0]\n\t"
      "smlatb %[b1], %[x2], %[u], %[b1]\n\t"
      "smlabt %[b0], %[x3], %[v], %[b0]\n\t"
      "smlad %[b1], %[x3], %[v], %[b1]\n\t"
      /* x0 = m, x1 = round, x2 = e, u = step, v = c */
      "ldrd %[x0], %[x1], [%[f], #28]\n\t"
      "ldr %[x2], [%[f], #36]\n\t"
      "ldrd %[u], %[v], [%[f], #40]\n\t"
      "add %[t], %[x1], %[a0], asr #31\n\t"
      "smmlar %[a0], %[a0], %[x0], %[t]\n\t"
      "add %[t], %[x1], %[b0], asr #31\n\t"
      "smmlar %[b0], %[b0], %[x0], %[t]\n\t"
      "add %[t], %[x1], %[a1], asr #31\n\t"
      "smmlar %[a1], %[a1], %[x0], %[t]\n\t"
      "add %[t], %[x1], %[b1], asr #31\n\t"
      "smmlar %[b1], %[b1], %[x0], %[t]\n\t"
      "asr %[a0], %[a0], %[x2]\n\t"
      "asr %[b0], %[b0], %[x2]\n\t"
      "asr %[a1], %[a1], %[x2]\n\t"
      "asr %[b1], %[b1], %[x2]\n\t"
      "ssat %[a0], #8, %[a0]\n\t"
      "ssat %[b0], #8, %[b0]\n\t"
      "ssat %[a1], #8, %[a1]\n\t"
      "ssat %[b1], #8, %[b1]\n\t"
      "strb %[a0], [%[o]]\n\t"
      "strb %[b0], [%[o], %[v]]\n\t"
      "add %[o], %[o], %[u]\n\t"
      "ldr %[t], [%[f], #48]\n\t"
      "strb %[a1], [%[o]]\n\t"
      "strb %[b1], [%[o], %[v]]\n\t"
      "add %[o], %[o], %[u]\n\t"
      "add %[r], %[r], %[n0]\n\t"
      "cmp %[r], %[t]\n\t"
      "bne 1b\n\t"
      "ldrd %[r], %[o], [%[f], #52]\n\t"
      "ldr %[t], [%[f], #64]\n\t"
      "ldr %[x0], [%[f], #48]\n\t"
      "ldr %[x1], [%[f], #60]\n\t"
      "add %[r], %[r], #8\n\t"
      "add %[o], %[o], %[t]\n\t"
      "add %[x0], %[x0], #8\n\t"
      "strd %[r], %[o], [%[f], #52]\n\t"
      "str %[x0], [%[f], #48]\n\t"
      "cmp %[r], %[x1]\n\t"
      "bne 1b"
      : [r] "+&r"(r), [o] "+&r"(o), [a0] "=&r"(a0), [a1] "=&r"(a1), [b0] "=&r"(b0),
        [b1] "=&r"(b1), [x0] "=&r"(x0), [x1] "=&r"(x1), [x2] "=&r"(x2), [x3] "=&r"(x3),
        [u] "=&r"(u), [v] "=&r"(v), [t] "=&r"(t)
      : [f] "r"(f), [n0] "i"(4 * nl), [n1] "i"(4 * nl + 4), [n2] "i"(4 * nl + 8),
        [n3] "i"(4 * nl + 12)
      : "cc", "memory");
}
#else
#define TML_DW3X3_COLS_ASM 0
#endif

TML_ALWAYS_INLINE void tml_dw3x3_cols2(const uint32_t *r, uint32_t u0, uint32_t v0,
                                       uint32_t u1, uint32_t v1, uint32_t u2, uint32_t v2,
                                       int8_t *o, int32_t c, int32_t step, int32_t n,
                                       int32_t bias, int32_t m, int32_t round, int32_t e,
                                       int32_t act_min, int32_t act_max, int32_t nl,
                                       const int full, const int two) {
  int32_t j;
  for (j = n >> 1; j != 0; --j, r += nl, o += 2 * step) {
    int32_t a0 = bias, a1 = bias, b0 = bias, b1 = bias;
    uint32_t x0 = r[0], x1 = r[nl];
    a0 = TML_DW3X3_DOT(x0, u0, a0, 0);
    a1 = TML_DW3X3_TB(x0, u0, a1, 0);
    a0 = TML_DW3X3_BT(x1, v0, a0, 0);
    a1 = TML_DW3X3_DOT(x1, v0, a1, 0);
    x0 = r[1];
    x1 = r[nl + 1];
    a0 = TML_DW3X3_DOT(x0, u1, a0, 0);
    a1 = TML_DW3X3_TB(x0, u1, a1, 0);
    a0 = TML_DW3X3_BT(x1, v1, a0, 0);
    a1 = TML_DW3X3_DOT(x1, v1, a1, 0);
    if (two) {
      b0 = TML_DW3X3_DOT(x0, u0, b0, 0);
      b1 = TML_DW3X3_TB(x0, u0, b1, 0);
      b0 = TML_DW3X3_BT(x1, v0, b0, 0);
      b1 = TML_DW3X3_DOT(x1, v0, b1, 0);
    }
    x0 = r[2];
    x1 = r[nl + 2];
    a0 = TML_DW3X3_DOT(x0, u2, a0, 0);
    a1 = TML_DW3X3_TB(x0, u2, a1, 0);
    a0 = TML_DW3X3_BT(x1, v2, a0, 0);
    a1 = TML_DW3X3_DOT(x1, v2, a1, 0);
    if (two) {
      b0 = TML_DW3X3_DOT(x0, u1, b0, 0);
      b1 = TML_DW3X3_TB(x0, u1, b1, 0);
      b0 = TML_DW3X3_BT(x1, v1, b0, 0);
      b1 = TML_DW3X3_DOT(x1, v1, b1, 0);
      x0 = r[3];
      x1 = r[nl + 3];
      b0 = TML_DW3X3_DOT(x0, u2, b0, 0);
      b1 = TML_DW3X3_TB(x0, u2, b1, 0);
      b0 = TML_DW3X3_BT(x1, v2, b0, 0);
      b1 = TML_DW3X3_DOT(x1, v2, b1, 0);
    }
    o[0] = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
    o[step] = tml_dw3x3_out(a1, m, round, e, act_min, act_max, full);
    if (two) {
      o[c] = tml_dw3x3_out(b0, m, round, e, act_min, act_max, full);
      o[step + c] = tml_dw3x3_out(b1, m, round, e, act_min, act_max, full);
    }
  }
  if (n & 1) {
    /* The last row: one output per column. */
    int32_t a0 = bias, b0 = bias;
    uint32_t x0 = r[0], x1 = r[nl];
    a0 = TML_DW3X3_DOT(x0, u0, a0, 0);
    a0 = TML_DW3X3_BT(x1, v0, a0, 0);
    x0 = r[1];
    x1 = r[nl + 1];
    a0 = TML_DW3X3_DOT(x0, u1, a0, 0);
    a0 = TML_DW3X3_BT(x1, v1, a0, 0);
    b0 = TML_DW3X3_DOT(x0, u0, b0, 0);
    b0 = TML_DW3X3_BT(x1, v0, b0, 0);
    x0 = r[2];
    x1 = r[nl + 2];
    a0 = TML_DW3X3_DOT(x0, u2, a0, 0);
    a0 = TML_DW3X3_BT(x1, v2, a0, 0);
    o[0] = tml_dw3x3_out(a0, m, round, e, act_min, act_max, full);
    if (two) {
      b0 = TML_DW3X3_DOT(x0, u1, b0, 0);
      b0 = TML_DW3X3_BT(x1, v1, b0, 0);
      x0 = r[3];
      x1 = r[nl + 3];
      b0 = TML_DW3X3_DOT(x0, u2, b0, 0);
      b0 = TML_DW3X3_BT(x1, v2, b0, 0);
      o[c] = tml_dw3x3_out(b0, m, round, e, act_min, act_max, full);
    }
  }
}

#if !TML_SPEED_PATHS
/* Small paths (TML_SPEED_PATHS 0: -Os, --optimize size): one column at a time, out of line (registers: the widening's values are dead). */
#define TML_DW3X3_COL1(name, full)                                                            \
  TML_DW3X3_NOINLINE TML_HELPER void name(const uint32_t *r, const uint32_t *w, int8_t *o,    \
                                          int32_t step, int32_t n, int32_t bias, int32_t m,   \
                                          int32_t round, int32_t e, int32_t act_min,          \
                                          int32_t act_max) {                                  \
    tml_dw3x3_cols2(r, w[0], w[1], w[2], w[3], w[4], w[5], o, 0, step, n, bias, m, round, e,  \
                    act_min, act_max, TML_DW3X3_NL_MIN, full, 0);                             \
  }
TML_DW3X3_COL1(tml_dw3x3_col1, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_COL1(tml_dw3x3_col1_clamp, 0)
#endif
#undef TML_DW3X3_COL1
#endif

/* Where the input rows go along a plane column: `lead` row 0 alone in the high half of
 * word `first` (pad_h odd), then `nfull` whole words of two rows, then `tail` one row in a
 * low half (the other halves of those words are padding: 0). */
typedef struct {
  int32_t first, lead, nfull, tail, nin;
  int32_t row; /* the input row read first */
} tml_dw3x3_colgeo_t;

/* Where the input rows of plane words j0 .. j0 + nw - 1 go (word j: padded rows 2 j,
 * 2 j + 1). */
TML_INLINE void tml_dw3x3_bandgeo(const tml_dw3x3_s8_params_t *p, int32_t j0, int32_t nw,
                                  tml_dw3x3_colgeo_t *cg) {
  const int32_t lo = 2 * j0 - p->pad_h, ih = p->input_h;
  int32_t room, r;
  cg->first = lo < 0 ? (-lo) >> 1 : 0;
  cg->first = cg->first > nw ? nw : cg->first;
  cg->lead = cg->first < nw && lo + 2 * cg->first < 0;
  room = nw - cg->first - cg->lead;
  r = lo + 2 * (cg->first + cg->lead);
  cg->nfull = r < ih ? (ih - r) >> 1 : 0;
  cg->nfull = cg->nfull > room ? room : cg->nfull;
  cg->tail = cg->nfull < room && r + 2 * cg->nfull < ih;
  cg->row = cg->lead ? 0 : r;
  cg->nin = p->input_w < p->output_w + 2 - p->pad_w ? p->input_w : p->output_w + 2 - p->pad_w;
}

TML_INLINE void tml_dw3x3_colgeo(const tml_dw3x3_s8_params_t *p, tml_dw3x3_colgeo_t *cg) {
  tml_dw3x3_bandgeo(p, 0, (p->output_h + 1) / 2 + 1, cg);
}

/* widen: 0 when tml_dw3x3_widen4() has filled the plane. full: a constant where it is
 * inlined. */
TML_ALWAYS_INLINE void tml_dw3x3_cols_body(const tml_dw3x3_s8_params_t *p, const int8_t *x,
                                           int8_t *o, uint32_t *plane, int32_t ch, int widen,
                                           const int full) {
  const int32_t c = p->channels, ow = p->output_w, in_row = p->input_w * c;
  const int32_t in_row2 = 2 * in_row, off = p->input_offset;
  const uint32_t off2 = ((uint32_t)off & 0xFFFFu) * 0x00010001u;
  const int32_t bias = (int32_t)((uint32_t)p->bias[ch] << 1), m = p->multiplier[ch];
  const int32_t e = p->shift[ch];
  const int32_t round = (int32_t)(((uint32_t)1 << (e - 1)) + (uint32_t)p->output_offset * ((uint32_t)1 << e));
  const int32_t act_min = p->act_min, act_max = p->act_max, ostep = ow * c;
  const int32_t nl = TML_DW3X3_NL_MIN; /* (the other interleaves: assembly only) */
  const uint32_t *const q = p->weights + 3 * ch;
  tml_dw3x3_colgeo_t cg;
  int32_t kx, ix;
  /* Transposed weight pairs: column kx as (w(0,kx), w(1,kx)), (w(1,kx), w(2,kx)), doubled. */
  uint32_t w[6];
  tml_dw3x3_colgeo(p, &cg);
  for (kx = 0; kx < 3; ++kx) {
    const int sh = kx == 2 ? 24 : 8 * kx;
    uint32_t even, odd;
    tml_widen_s8x4(((q[0] >> sh) & 0xFFu) | (((q[1] >> sh) & 0xFFu) * 0x00010100u) |
                       (((q[2] >> sh) & 0xFFu) << 24),
                   &even, &odd);
    w[2 * kx] = (even << 1) & 0xFFFEFFFEu;
    w[2 * kx + 1] = (odd << 1) & 0xFFFEFFFEu;
  }
  if (widen) {
    const int32_t lead = cg.lead, nfull = cg.nfull, tail = cg.tail, nin = cg.nin;
    uint32_t *const d0 = plane + p->pad_w + nl * cg.first;
    for (ix = 0; ix < nin; ++ix) {
      /* Input column ix widened, input offset added: padded column pad_w + ix. */
      const int8_t *xp = x + ix * c;
      uint32_t *d = d0 + ix;
      int32_t k;
      if (lead) {
        *d = (uint32_t)(xp[0] + off) << 16; /* low half: padding row pad_h - 1 */
        d += nl;
        xp += in_row;
      }
      for (k = nfull; k != 0; --k, d += nl, xp += in_row2) {
        *d = tml_dw3x3_sxtab16(off2, (uint32_t)(uint8_t)xp[0] | ((uint32_t)(uint8_t)xp[in_row] << 16));
      }
      if (tail) *d = (uint32_t)(xp[0] + off) & 0xFFFFu; /* high half: padding */
    }
  }
  kx = 0;
#if TML_SPEED_PATHS
  /* Two columns at a time (speed paths only: code size). */
  for (; kx + 1 < ow; kx += 2, o += 2 * c) {
    tml_dw3x3_cols2(plane + kx, w[0], w[1], w[2], w[3], w[4], w[5], o, c, ostep,
                    p->output_h, bias, m, round, e, act_min, act_max, nl, full, 1);
  }
#endif
  for (; kx < ow; ++kx, o += c) {
#if !TML_SPEED_PATHS
#if TML_OPT_DW3X3_CLAMP
    if (!full) {
      tml_dw3x3_col1_clamp(plane + kx, w, o, ostep, p->output_h, bias, m, round, e, act_min,
                           act_max);
      continue;
    }
#endif
    tml_dw3x3_col1(plane + kx, w, o, ostep, p->output_h, bias, m, round, e, act_min, act_max);
#else
    tml_dw3x3_cols2(plane + kx, w[0], w[1], w[2], w[3], w[4], w[5], o, c, ostep,
                    p->output_h, bias, m, round, e, act_min, act_max, nl, full, 0);
#endif
  }
  (void)full;
}
#if TML_DW3X3_COLS_ASM
/* The outputs tml_dw3x3_cols2_asm() leaves: the last row of an odd height, the last column
 * of an odd width (nl: a constant where it is inlined). */
TML_ALWAYS_INLINE void tml_dw3x3_cols_tails(const tml_dw3x3_s8_params_t *p, int8_t *o,
                                            const uint32_t *plane, const tml_dw3x3_cf_t *f,
                                            int32_t n, const int32_t nl) {
  const int32_t c = p->channels, ow = p->output_w;
  int32_t kx;
  if (n & 1) {
    for (kx = 0; kx + 1 < ow; kx += 2) {
      tml_dw3x3_cols2(plane + kx + nl * (n >> 1), f->w[0], f->w[1], f->w[2], f->w[3],
                      f->w[4], f->w[5], o + kx * c + (n - 1) * f->step, c, f->step, 1, f->bias,
                      f->m, f->round, f->e, -128, 127, nl, 1, 1);
    }
  }
  if (ow & 1) {
    tml_dw3x3_cols2(plane + ow - 1, f->w[0], f->w[1], f->w[2], f->w[3], f->w[4], f->w[5],
                    o + (ow - 1) * c, c, f->step, n, f->bias, f->m, f->round, f->e, -128, 127,
                    nl, 1, 0);
  }
}

/* n output rows of one channel of the column plane on the assembly path (full range; the
 * plane or band filled by tml_dw3x3_widen4()): f's step and c set by the caller, the rest
 * here. The weight pairs
 * transposed with SXTB16 and PKHBT/PKHTB from the rows (w0, w1, w1, w2): row ky's bytes 0,
 * 2 are (w(ky,0), w(ky,1)), bytes 1, 3 (w(ky,1), w(ky,2)); then doubled (SADD16). */
TML_DW3X3_NOINLINE TML_HELPER void tml_dw3x3_cols_asm(const tml_dw3x3_s8_params_t *p,
                                                      int8_t *o, const uint32_t *plane,
                                                      int32_t ch, int32_t n,
                                                      tml_dw3x3_cf_t *f) {
  const uint32_t *const q = p->weights + 3 * ch;
  const int32_t c = p->channels, ow = p->output_w, nl = p->cols;
  const int32_t e = p->shift[ch];
  uint32_t a, b, cc, a2, b2, c2, t;
  __asm__ __volatile__(
      "ldr %[a], [%[q]]\n\t"
      "ldr %[b], [%[q], #4]\n\t"
      "ldr %[cc], [%[q], #8]\n\t"
      "sxtb16 %[a2], %[a], ror #8\n\t"
      "sxtb16 %[a], %[a]\n\t"
      "sxtb16 %[b2], %[b], ror #8\n\t"
      "sxtb16 %[b], %[b]\n\t"
      "sxtb16 %[c2], %[cc], ror #8\n\t"
      "sxtb16 %[cc], %[cc]\n\t"
      "sadd16 %[a], %[a], %[a]\n\t"
      "sadd16 %[b], %[b], %[b]\n\t"
      "sadd16 %[cc], %[cc], %[cc]\n\t"
      "sadd16 %[a2], %[a2], %[a2]\n\t"
      "sadd16 %[b2], %[b2], %[b2]\n\t"
      "sadd16 %[c2], %[c2], %[c2]\n\t"
      /* u0 = (a0, b0), v0 = (b0, c0) */
      "pkhbt %[t], %[a], %[b], lsl #16\n\t"
      "str %[t], [%[f]]\n\t"
      "pkhbt %[t], %[b], %[cc], lsl #16\n\t"
      "str %[t], [%[f], #4]\n\t"
      /* u1 = (a1, b1), v1 = (b1, c1) */
      "pkhtb %[t], %[b], %[a], asr #16\n\t"
      "str %[t], [%[f], #8]\n\t"
      "pkhtb %[t], %[cc], %[b], asr #16\n\t"
      "str %[t], [%[f], #12]\n\t"
      /* u2 = (a2, b2), v2 = (b2, c2) */
      "pkhtb %[t], %[b2], %[a2], asr #16\n\t"
      "str %[t], [%[f], #16]\n\t"
      "pkhtb %[t], %[c2], %[b2], asr #16\n\t"
      "str %[t], [%[f], #20]\n\t"
      : [a] "=&r"(a), [b] "=&r"(b), [cc] "=&r"(cc), [a2] "=&r"(a2), [b2] "=&r"(b2),
        [c2] "=&r"(c2), [t] "=&r"(t)
      : [q] "r"(q), [f] "r"(f)
      : "memory");
  f->bias = (int32_t)((uint32_t)p->bias[ch] << 1);
  f->m = p->multiplier[ch];
  f->e = e;
  f->round = (int32_t)(((uint32_t)1 << (e - 1)) + (uint32_t)p->output_offset * ((uint32_t)1 << e));
  f->c2 = 2 * c;
  if (n > 1 && ow > 1) {
    /* Every whole column pair and row pair in one pass. */
    f->end = plane + nl * (n >> 1);
    f->r0 = plane;
    f->o0 = o;
    f->stop = plane + (ow & ~1);
    /* The interleave as an immediate in the assembly. */
    if (nl == 8) {
      tml_dw3x3_cols2_asm(plane, o, f, 8);
    } else if (nl == 16) {
      tml_dw3x3_cols2_asm(plane, o, f, 16);
    } else if (nl == 32) {
      tml_dw3x3_cols2_asm(plane, o, f, 32);
    } else {
      tml_dw3x3_cols2_asm(plane, o, f, 64);
    }
  }
  /* The interleave a constant in the C below too. */
  if (nl == 8) {
    tml_dw3x3_cols_tails(p, o, plane, f, n, 8);
  } else if (nl == 16) {
    tml_dw3x3_cols_tails(p, o, plane, f, n, 16);
  } else if (nl == 32) {
    tml_dw3x3_cols_tails(p, o, plane, f, n, 32);
  } else {
    tml_dw3x3_cols_tails(p, o, plane, f, n, 64);
  }
}
#endif
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
#if TML_SPEED_PATHS
/* Speed paths only (TML_SPEED_PATHS): the planes of 4 channels (channel counts that are multiples of 4) widened
 * together, one 32-bit load per pixel and row for the 4 channels (SXTAB16 pairs the bytes
 * 0, 2 and 1, 3, then the two rows of a word are packed), plane k (channel x + k) at
 * plane + k psz words. The same words as tml_dw3x3_cols_body()'s widening. */
TML_DW3X3_NOINLINE TML_HELPER void tml_dw3x3_widen4(const tml_dw3x3_s8_params_t *p,
                                                    const int8_t *x, uint32_t *plane,
                                                    int32_t psz,
                                                    const tml_dw3x3_colgeo_t *cgp) {
  const int32_t c = p->channels, in_row = p->input_w * c, in_row2 = 2 * in_row;
  const int32_t nl = p->cols;
  const uint32_t off2 = ((uint32_t)p->input_offset & 0xFFFFu) * 0x00010001u;
  const tml_dw3x3_colgeo_t cg = *cgp;
  int32_t ix;
  x += cg.row * in_row;
#if TML_DW3X3_COLS_ASM
  if (cg.nin > 0) {
    /* GCC assembly: the same words, the stores interleaved with the arithmetic. */
    struct {
      const int8_t *xp; /* 0: the column's first input byte */
      uint32_t *d;      /* 4: its first plane word */
      int32_t cols;     /* 8: columns left */
      int32_t nfull;    /* 12 */
      int32_t lead;     /* 16 */
      int32_t tail;     /* 20 */
      int32_t c;        /* 24 */
    } f;
    const int32_t pszb = 4 * psz;
    const int8_t *xq;
    uint32_t *q, *q2, v0, v1, e0, e1, t;
    int32_t k;
    f.xp = x;
    f.d = plane + p->pad_w + nl * cg.first;
    f.cols = cg.nin, f.nfull = cg.nfull, f.lead = cg.lead, f.tail = cg.tail, f.c = c;
    __asm__ __volatile__(
        "2:\n\t"
        "ldrd %[xq], %[q], [%[f]]\n\t"
        "ldr %[t], [%[f], #24]\n\t"
        "add %[k], %[xq], %[t]\n\t"
        "add %[e0], %[q], #4\n\t"
        "strd %[k], %[e0], [%[f]]\n\t"
        "add %[q2], %[q], %[psz], lsl #1\n\t"
        "ldr %[t], [%[f], #16]\n\t"
        "cmp %[t], #0\n\t"
        "beq 3f\n\t"
        /* input row 0 alone in the high halves */
        "ldr %[v0], [%[xq]]\n\t"
        "add %[xq], %[xq], %[in_row]\n\t"
        "sxtab16 %[e0], %[off2], %[v0]\n\t"
        "sxtab16 %[v0], %[off2], %[v0], ror #8\n\t"
        "lsl %[t], %[e0], #16\n\t"
        "str %[t], [%[q]]\n\t"
        "lsl %[t], %[v0], #16\n\t"
        "str %[t], [%[q], %[psz]]\n\t"
        "bfc %[e0], #0, #16\n\t"
        "str %[e0], [%[q2]]\n\t"
        "bfc %[v0], #0, #16\n\t"
        "str %[v0], [%[q2], %[psz]]\n\t"
        "add %[q], %[q], %[nl4]\n\t"
        "add %[q2], %[q2], %[nl4]\n\t"
        "3:\n\t"
        "ldr %[k], [%[f], #12]\n\t"
        "cmp %[k], #0\n\t"
        "beq 5f\n\t"
        "4:\n\t"
        "ldr %[v0], [%[xq]]\n\t"
        "ldr %[v1], [%[xq], %[in_row]]\n\t"
        "add %[xq], %[xq], %[in_row], lsl #1\n\t"
        "sxtab16 %[e0], %[off2], %[v0]\n\t"
        "sxtab16 %[e1], %[off2], %[v1]\n\t"
        "pkhbt %[t], %[e0], %[e1], lsl #16\n\t"
        "str %[t], [%[q]]\n\t"
        "sxtab16 %[v0], %[off2], %[v0], ror #8\n\t"
        "sxtab16 %[v1], %[off2], %[v1], ror #8\n\t"
        "pkhbt %[t], %[v0], %[v1], lsl #16\n\t"
        "str %[t], [%[q], %[psz]]\n\t"
        "pkhtb %[t], %[e1], %[e0], asr #16\n\t"
        "str %[t], [%[q2]]\n\t"
        "pkhtb %[t], %[v1], %[v0], asr #16\n\t"
        "str %[t], [%[q2], %[psz]]\n\t"
        "add %[q], %[q], %[nl4]\n\t"
        "add %[q2], %[q2], %[nl4]\n\t"
        "subs %[k], %[k], #1\n\t"
        "bne 4b\n\t"
        "5:\n\t"
        "ldr %[t], [%[f], #20]\n\t"
        "cmp %[t], #0\n\t"
        "beq 6f\n\t"
        /* the last input row alone in the low halves */
        "ldr %[v0], [%[xq]]\n\t"
        "sxtab16 %[e0], %[off2], %[v0]\n\t"
        "sxtab16 %[v0], %[off2], %[v0], ror #8\n\t"
        "uxth %[t], %[e0]\n\t"
        "str %[t], [%[q]]\n\t"
        "uxth %[t], %[v0]\n\t"
        "str %[t], [%[q], %[psz]]\n\t"
        "lsr %[e0], %[e0], #16\n\t"
        "str %[e0], [%[q2]]\n\t"
        "lsr %[v0], %[v0], #16\n\t"
        "str %[v0], [%[q2], %[psz]]\n\t"
        "6:\n\t"
        "ldr %[t], [%[f], #8]\n\t"
        "subs %[t], %[t], #1\n\t"
        "str %[t], [%[f], #8]\n\t"
        "bne 2b"
        : [xq] "=&r"(xq), [q] "=&r"(q), [q2] "=&r"(q2), [k] "=&r"(k), [v0] "=&r"(v0),
          [v1] "=&r"(v1), [e0] "=&r"(e0), [e1] "=&r"(e1), [t] "=&r"(t)
        : [f] "r"(&f), [off2] "r"(off2), [psz] "r"(pszb), [in_row] "r"(in_row),
          [nl4] "r"(4 * nl)
        : "cc", "memory");
    (void)in_row2, (void)ix;
    return;
  }
#endif
  for (ix = 0; ix < cg.nin; ++ix) {
    const int8_t *xp = x + ix * c;
    uint32_t *d = plane + p->pad_w + ix + nl * cg.first;
    uint32_t v0, v1, e0, e1, o0, o1;
    int32_t k;
    if (cg.lead) {
      memcpy(&v0, xp, 4);
      e0 = tml_dw3x3_sxtab16(off2, v0);
      o0 = tml_dw3x3_sxtab16(off2, v0 >> 8);
      d[0] = e0 << 16;
      d[psz] = o0 << 16;
      d[2 * psz] = e0 & 0xFFFF0000u;
      d[3 * psz] = o0 & 0xFFFF0000u;
      d += nl;
      xp += in_row;
    }
    for (k = cg.nfull; k != 0; --k, d += nl, xp += in_row2) {
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
    if (cg.tail) {
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
#endif
#endif /* TML_OPT_DW3X3_COLS */
#undef TML_DW3X3_DOT
#undef TML_DW3X3_BT
#undef TML_DW3X3_TB
#endif /* !TML_HAVE_MVE */

#if TML_HAVE_MVE
/* Helium (__ARM_FEATURE_MVE) replaces the M4 path above: same results, same order
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
 *     whole padded plane column-major, outputs along y, one output column per line;
 *   channel vectors (channels a multiple of 16, rows of at most TML_DW3X3_MVE_COLS_MAX
 *     outputs, within TML_DW3X3_MVE_VEC_BUDGET bytes: VWW's 6 x 6 x 128): not per channel
 *     at all but 4 channels per vector, every output pixel in turn (tml_dw3x3_mve_chv()).
 * Lines are TML_DW3X3_MVE_PITCH halfwords apart (at most TML_DW3X3_MVE_LINES lines: 1920
 * bytes of the arena's scratch) when they fit, so that every tap is at a constant offset
 * (VLDRH's immediate reaches 254 bytes); otherwise the ring has 2 * words halfwords per
 * row. */

/* n input bytes `s` apart from x, plus off, into d[0 .. n). */
TML_INLINE void tml_dw3x3_mve_widen(int16_t *d, const int8_t *x, int32_t s, int32_t n,
                                    int32_t off) {
  if (7 * s <= 65535) {
    const uint16x8_t offs = vmulq_n_u16(vidupq_n_u16(0u, 1), (uint16_t)s);
#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
    /* A tail-predicated loop (WLSTP.16: the last step's extra lanes neither load nor
     * store): one gather, one add, one store per 8 halfwords. */
    const int32_t s8 = 8 * s;
    int16x8_t t;
    __asm__ volatile(
        "wlstp.16 lr, %[n], 2f\n"
        "1:\n"
        "vldrb.s16 %q[t], [%[x], %q[offs]]\n"
        "vadd.i16 %q[t], %q[t], %[off]\n"
        "vstrh.16 %q[t], [%[d]], #16\n"
        "add %[x], %[x], %[s8]\n"
        "letp lr, 1b\n"
        "2:\n"
        : [d] "+&r"(d), [x] "+&r"(x), [t] "=&w"(t)
        : [n] "r"(n), [offs] "w"(offs), [off] "r"(off), [s8] "r"(s8)
        : "lr", "memory");
    (void)t;
    (void)d;
    (void)x;
    return;
#endif
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
  const int32_t *taps; /* the 9 taps in line order: into w */
  int32_t w[18];       /* the taps twice over (w + 3 r: the rows rotated by r), or transposed */
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
    TML_DW3X3_MVE_TAP(r, k->taps[0]);
    TML_DW3X3_MVE_TAP(r + 1, k->taps[1]);
    TML_DW3X3_MVE_TAP(r + 2, k->taps[2]);
    TML_DW3X3_MVE_TAP(r + rw, k->taps[3]);
    TML_DW3X3_MVE_TAP(r + rw + 1, k->taps[4]);
    TML_DW3X3_MVE_TAP(r + rw + 2, k->taps[5]);
    TML_DW3X3_MVE_TAP(r + 2 * rw, k->taps[6]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + 1, k->taps[7]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + 2, k->taps[8]);
  } else {
    TML_DW3X3_MVE_TAP(r, k->taps[0]);
    TML_DW3X3_MVE_TAP(r + odd, k->taps[1]);
    TML_DW3X3_MVE_TAP(r + 1, k->taps[2]);
    TML_DW3X3_MVE_TAP(r + rw, k->taps[3]);
    TML_DW3X3_MVE_TAP(r + rw + odd, k->taps[4]);
    TML_DW3X3_MVE_TAP(r + rw + 1, k->taps[5]);
    TML_DW3X3_MVE_TAP(r + 2 * rw, k->taps[6]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + odd, k->taps[7]);
    TML_DW3X3_MVE_TAP(r + 2 * rw + 1, k->taps[8]);
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
    const int32_t w0 = k->taps[0], w1 = k->taps[1], w2 = k->taps[2], w3 = k->taps[3], w4 = k->taps[4];      \
    const int32_t w5 = k->taps[5], w6 = k->taps[6], w7 = k->taps[7], w8 = k->taps[8];                    \
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
    const int32_t w0 = k->taps[0], w1 = k->taps[1], w2 = k->taps[2], w3 = k->taps[3], w4 = k->taps[4];      \
    const int32_t w5 = k->taps[5], w6 = k->taps[6], w7 = k->taps[7], w8 = k->taps[8];                    \
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
 * constants at the local pitch. stride, full: constants where it is inlined. */
TML_ALWAYS_INLINE void tml_dw3x3_mve_loop(const int16_t *r, int32_t rw, int32_t odd,
                                          const tml_dw3x3_mve_k_t *k, int8_t *out, int32_t lane,
                                          int32_t n, int32_t lines, int32_t lstep, int32_t ostep,
                                          int32_t act_min, int32_t act_max, const int stride,
                                          const int full) {
  const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0u, 1), (uint32_t)lane);
  const int32_t step = 4 * lane;
  int32_t l;
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

/* Clamped layers: the loop out of line (the channel bodies' frames stay small). */
#define TML_DW3X3_MVE_LOOP_CLAMP(name, stride)                                                \
  TML_DW3X3_NOINLINE TML_HELPER void name(const int16_t *r, int32_t rw, int32_t odd,          \
                                          const tml_dw3x3_mve_k_t *k, int8_t *out,            \
                                          int32_t lane, int32_t n, int32_t lines,             \
                                          int32_t lstep, int32_t ostep, int32_t act_min,      \
                                          int32_t act_max) {                                  \
    tml_dw3x3_mve_loop(r, rw, odd, k, out, lane, n, lines, lstep, ostep, act_min, act_max,    \
                       stride, 0);                                                            \
  }
TML_DW3X3_MVE_LOOP_CLAMP(tml_dw3x3_mve_loop_clamp_s1, 1)
TML_DW3X3_MVE_LOOP_CLAMP(tml_dw3x3_mve_loop_clamp_s2, 2)
#undef TML_DW3X3_MVE_LOOP_CLAMP

/* tml_dw3x3_mve_loop(), or its assembly form where it applies; one (a constant): lines
 * is 1. */
TML_ALWAYS_INLINE void tml_dw3x3_mve_lines(const int16_t *r, int32_t rw, int32_t odd,
                                           const tml_dw3x3_mve_k_t *k, int8_t *out, int32_t lane,
                                           int32_t n, int32_t lines, int32_t lstep,
                                           int32_t ostep, int32_t act_min, int32_t act_max,
                                           const int stride, const int full, const int one) {
  (void)one;
#if TML_DW3X3_MVE_ASM
  if (full && rw == TML_DW3X3_MVE_PITCH) {
    const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0u, 1), (uint32_t)lane);
    const int32_t step = 4 * lane;
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
  if (!full) {
    if (stride == 1) {
      tml_dw3x3_mve_loop_clamp_s1(r, rw, odd, k, out, lane, n, lines, lstep, ostep, act_min,
                                  act_max);
    } else {
      tml_dw3x3_mve_loop_clamp_s2(r, rw, odd, k, out, lane, n, lines, lstep, ostep, act_min,
                                  act_max);
    }
    return;
  }
  tml_dw3x3_mve_loop(r, rw, odd, k, out, lane, n, lines, lstep, ostep, act_min, act_max, stride,
                     1);
}

TML_ALWAYS_INLINE void tml_dw3x3_mve_channel_body(const tml_dw3x3_s8_params_t *p,
                                                  const int8_t *x, int8_t *o, uint32_t *ring32,
                                                  int32_t ch, int layout, const int stride,
                                                  const int full) {
  const int32_t c = p->channels, ih = p->input_h, iw = p->input_w, oh = p->output_h;
  const int32_t ow = p->output_w, in_row = iw * c, out_row = ow * c, pad_h = p->pad_h;
  const int32_t pad = p->pad_w, off = p->input_offset;
  const int32_t rw = layout ? TML_DW3X3_MVE_PITCH : 2 * p->words;
  const int32_t odd = layout ? TML_DW3X3_MVE_PITCH / 2 : ow + 1;
  const int32_t e = p->shift[ch];
  const int32_t act_min = p->act_min, act_max = p->act_max;
  const uint32_t *const q = p->weights + 3 * ch;
  int16_t *const ring = (int16_t *)(void *)ring32;
  int32_t j, oy, next = 0, slot = 0, base = 0;
  tml_dw3x3_mve_k_t k;
  k.bias = vdupq_n_s32(p->bias[ch]);
  k.m = vdupq_n_s32(p->multiplier[ch]);
  k.zpe = vdupq_n_s32((int32_t)((uint32_t)p->output_offset << e));
  k.ne = vdupq_n_s32(-e);
  k.taps = k.w;
  for (j = 0; j < 3; ++j) {
    /* Transposed (the column layout): tap (j, t) at 3 t + j; else at 3 j + t and 3 j + t + 9. */
    const uint32_t v = q[j];
    const int32_t t0 = (int8_t)(uint8_t)(v & 0xFFu), t1 = (int8_t)(uint8_t)((v >> 8) & 0xFFu);
    const int32_t t2 = (int8_t)(uint8_t)(v >> 24);
    if (stride == 1 && layout == 3) {
      k.w[j] = t0;
      k.w[j + 3] = t1;
      k.w[j + 6] = t2;
    } else {
      k.w[3 * j] = k.w[3 * j + 9] = t0;
      k.w[3 * j + 1] = k.w[3 * j + 10] = t1;
      k.w[3 * j + 2] = k.w[3 * j + 11] = t2;
    }
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
        tml_dw3x3_mve_lines(ring, TML_DW3X3_MVE_PITCH, TML_DW3X3_MVE_PITCH / 2, &k, o, c, ow, oh,
                            stride * TML_DW3X3_MVE_PITCH, out_row, act_min, act_max, stride,
                            full, 0);
        return;
      }
      /* Slot k holds padded row oy * stride + ((k - base) mod 3), base = oy * stride mod 3. */
      k.taps = k.w + (base == 0 ? 0 : 3 * (3 - base));
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

/* The Helium forms, out of line so that the taps, accumulators and pointers get the
 * registers. */
#define TML_DW3X3_MVE_CHANNEL(name, stride, full)                                           \
  TML_DW3X3_NOINLINE TML_HELPER void name(const tml_dw3x3_s8_params_t *p, const int8_t *x,   \
                                          int8_t *o, uint32_t *ring, int32_t ch,            \
                                          int layout) {                                     \
    tml_dw3x3_mve_channel_body(p, x, o, ring, ch, layout, stride, full);                    \
  }
#if TML_OPT_DW3X3_S1
TML_DW3X3_MVE_CHANNEL(tml_dw3x3_mve_channel_s1, 1, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_MVE_CHANNEL(tml_dw3x3_mve_channel_s1_clamp, 1, 0)
#endif
#endif
#if TML_OPT_DW3X3_S2
TML_DW3X3_MVE_CHANNEL(tml_dw3x3_mve_channel_s2, 2, 1)
#if TML_OPT_DW3X3_CLAMP
TML_DW3X3_MVE_CHANNEL(tml_dw3x3_mve_channel_s2_clamp, 2, 0)
#endif
#endif
#undef TML_DW3X3_MVE_CHANNEL

/* The channel-vector layout (4): every channel at once, 4 channels per vector in 32-bit
 * lanes, as TFLM's loops run (pixel by pixel). The scratch holds, per group g of 4
 * channels, a record of TML_DW3X3_MVE_REC bytes: the bias with the input offset folded
 * in (bias + input_offset * sum of the 9 taps), the multipliers, zp 2^e, -e (int32 x 4
 * each), then the 9 taps' 4 weights (int8, tap t at byte 64 + 4 t); after the records
 * the padded input ((output_h - 1) stride + 3 rows, (output_w - 1) stride + 3 columns,
 * the padding the input zero point, whose products cancel their share of the folded
 * offset), group-major: padded pixel (r, col)'s channels 4 g .. 4 g + 3 at word
 * (r * channels / 4 + g) * columns + col, so that the 3 taps of a filter row are 3
 * consecutive words. Per output pixel and group: 9 widening loads of each, VMUL, VADD,
 * the requantization of the other Helium forms and one VSTRB. The whole input is copied
 * before any output is written (in place at any distance). */
TML_INLINE void tml_dw3x3_mve_vec_prep(const tml_dw3x3_s8_params_t *p, int8_t *rec) {
  const int32_t c = p->channels, off = p->input_offset, zp = p->output_offset;
  const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0u, 1), 12u);
  int32_t g, ky;
  for (g = 0; g < c; g += 4, rec += TML_DW3X3_MVE_REC) {
    /* Channel ch's filter row ky: the bytes (w0, w1, w1, w2) of word 3 ch + ky. */
    const int8_t *const w = (const int8_t *)(const void *)(p->weights + 3 * g);
    const int32x4_t e = vldrbq_s32(p->shift + g);
    int32x4_t sum = vdupq_n_s32(0);
    for (ky = 0; ky < 3; ++ky) {
      const int32x4_t t0 = vldrbq_gather_offset_s32(w + 4 * ky, offs);
      const int32x4_t t1 = vldrbq_gather_offset_s32(w + 4 * ky + 1, offs);
      const int32x4_t t2 = vldrbq_gather_offset_s32(w + 4 * ky + 3, offs);
      vstrbq_s32(rec + 64 + 12 * ky, t0);
      vstrbq_s32(rec + 68 + 12 * ky, t1);
      vstrbq_s32(rec + 72 + 12 * ky, t2);
      sum = vaddq_s32(sum, vaddq_s32(t0, vaddq_s32(t1, t2)));
    }
    vstrwq_s32((int32_t *)(void *)rec, vmlaq_n_s32(vldrwq_s32(p->bias + g), sum, off));
    vstrwq_s32((int32_t *)(void *)(rec + 16), vldrwq_s32(p->multiplier + g));
    vstrwq_s32((int32_t *)(void *)(rec + 32), vshlq_s32(vdupq_n_s32(zp), e));
    vstrwq_s32((int32_t *)(void *)(rec + 48), vnegq_s32(e));
  }
}

TML_INLINE void tml_dw3x3_mve_vec_fill(const tml_dw3x3_s8_params_t *p, const int8_t *x,
                                       int8_t *plane) {
  const int32_t c = p->channels, s = p->stride;
  const int32_t ph = (p->output_h - 1) * s + 3, pw = (p->output_w - 1) * s + 3;
  const int32_t gw = 4 * pw; /* bytes from one group's row to the next group's */
  const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0u, 1), (uint32_t)gw);
  const uint8x16_t zp = vdupq_n_u8((uint8_t)(-p->input_offset));
  int32_t r, col, g;
  for (r = 0; r < ph; ++r) {
    const int32_t iy = r - p->pad_h;
    for (col = 0; col < pw; ++col) {
      const int32_t ix = col - p->pad_w;
      const int inside = iy >= 0 && iy < p->input_h && ix >= 0 && ix < p->input_w;
      const uint8_t *src = (const uint8_t *)x + (iy * p->input_w + ix) * c;
      int8_t *d = plane + r * c * pw + 4 * col;
      for (g = 0; g < c; g += 16, d += 4 * gw) {
        const uint8x16_t v = inside ? vld1q_u8(src + g) : zp;
        vstrwq_scatter_offset_u32((uint32_t *)(void *)d, offs, vreinterpretq_u32_u8(v));
      }
    }
  }
}

/* One output pixel's groups (n of them): filter rows at r0, r1, r2 (each step gw bytes
 * to the next group), the records at k, the outputs at o. In assembly where it applies
 * (the compilers spill the vectors otherwise), in a low-overhead loop; the pointers in
 * low registers (the widening loads' and narrowing store's encodings). */
TML_ALWAYS_INLINE void tml_dw3x3_mve_chv_pixel(const int8_t *r0, const int8_t *r1,
                                               const int8_t *r2, int32_t gw, const int8_t *k,
                                               int8_t *o, int32_t n, int32x4_t lo,
                                               int32x4_t hi) {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
  int32x4_t acc, t1, t2;
#define TML_DW3X3_MVE_TAP(r, i, w)                                                          \
  "vldrb.s32 %q[t1], [%[" r "], #" i "]\n"                                                  \
  "vldrb.s32 %q[t2], [%[k], #" w "]\n"                                                      \
  "vmul.i32 %q[t1], %q[t1], %q[t2]\n"                                                       \
  "vadd.i32 %q[acc], %q[acc], %q[t1]\n"
  __asm__ volatile(
      "dls lr, %[n]\n"
      "1:\n"
      "vldrw.u32 %q[acc], [%[k]]\n"
      TML_DW3X3_MVE_TAP("r0", "0", "64") TML_DW3X3_MVE_TAP("r0", "4", "68")
      TML_DW3X3_MVE_TAP("r0", "8", "72") TML_DW3X3_MVE_TAP("r1", "0", "76")
      TML_DW3X3_MVE_TAP("r1", "4", "80") TML_DW3X3_MVE_TAP("r1", "8", "84")
      TML_DW3X3_MVE_TAP("r2", "0", "88") TML_DW3X3_MVE_TAP("r2", "4", "92")
      TML_DW3X3_MVE_TAP("r2", "8", "96")
      "vldrw.u32 %q[t2], [%[k], #16]\n"
      "vqrdmulh.s32 %q[acc], %q[acc], %q[t2]\n"
      "vshr.s32 %q[t1], %q[acc], #31\n"
      "vldrw.u32 %q[t2], [%[k], #32]\n"
      "vadd.i32 %q[acc], %q[acc], %q[t1]\n"
      "vadd.i32 %q[acc], %q[acc], %q[t2]\n"
      "vldrw.u32 %q[t2], [%[k], #48]\n"
      "vrshl.s32 %q[acc], %q[acc], %q[t2]\n"
      "vmax.s32 %q[acc], %q[acc], %q[lo]\n"
      "vmin.s32 %q[acc], %q[acc], %q[hi]\n"
      "vstrb.32 %q[acc], [%[o]], #4\n"
      "adds %[k], #100\n"
      "add %[r0], %[r0], %[gw]\n"
      "add %[r1], %[r1], %[gw]\n"
      "add %[r2], %[r2], %[gw]\n"
      "le lr, 1b\n"
      : [r0] "+&l"(r0), [r1] "+&l"(r1), [r2] "+&l"(r2), [k] "+&l"(k), [o] "+&l"(o),
        [acc] "=&w"(acc), [t1] "=&w"(t1), [t2] "=&w"(t2)
      : [n] "r"(n), [gw] "r"(gw), [lo] "w"(lo), [hi] "w"(hi)
      : "lr", "memory");
#undef TML_DW3X3_MVE_TAP
  (void)acc;
  (void)t1;
  (void)t2;
#else
  for (; n > 0; --n, o += 4, k += TML_DW3X3_MVE_REC, r0 += gw, r1 += gw, r2 += gw) {
    int32x4_t acc = vldrwq_s32((const int32_t *)(const void *)k), y;
    int32_t t;
    for (t = 0; t < 3; ++t) {
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(r0 + 4 * t), vldrbq_s32(k + 64 + 4 * t)));
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(r1 + 4 * t), vldrbq_s32(k + 76 + 4 * t)));
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(r2 + 4 * t), vldrbq_s32(k + 88 + 4 * t)));
    }
    y = vqrdmulhq_s32(acc, vldrwq_s32((const int32_t *)(const void *)(k + 16)));
    y = vaddq_s32(vaddq_s32(y, vshrq_n_s32(y, 31)),
                  vldrwq_s32((const int32_t *)(const void *)(k + 32)));
    y = vrshlq_s32(y, vldrwq_s32((const int32_t *)(const void *)(k + 48)));
    vstrbq_s32(o, vminq_s32(vmaxq_s32(y, lo), hi));
  }
#endif
}

TML_DW3X3_NOINLINE TML_HELPER void tml_dw3x3_mve_chv(const tml_dw3x3_s8_params_t *p,
                                                     const int8_t *x, int8_t *o, int8_t *rec) {
  const int32_t c = p->channels, s = p->stride, ow = p->output_w;
  const int32_t pw = (ow - 1) * s + 3, row = c * pw, gw = 4 * pw;
  const int32x4_t lo = vdupq_n_s32(p->act_min), hi = vdupq_n_s32(p->act_max);
  int8_t *const plane = rec + TML_DW3X3_MVE_REC * (c / 4);
  int32_t oy, ox;
  tml_dw3x3_mve_vec_fill(p, x, plane);
  for (oy = 0; oy < p->output_h; ++oy) {
    for (ox = 0; ox < ow; ++ox, o += c) {
      const int8_t *const r0 = plane + oy * s * row + 4 * s * ox;
      tml_dw3x3_mve_chv_pixel(r0, r0 + row, r0 + 2 * row, gw, rec, o, c / 4, lo, hi);
    }
  }
}
#endif /* TML_HAVE_MVE */

TML_KERNEL void tml_dw3x3_s8(const tml_dw3x3_s8_params_t *p, const int8_t *input,
                             int8_t *output, uint32_t *scratch) {
  const int32_t c = p->channels;
  const int32_t in_batch = p->input_h * p->input_w * c, out_batch = p->output_h * p->output_w * c;
  const int full = p->act_min == -128 && p->act_max == 127;
  int32_t b, ch;
#if TML_HAVE_MVE
  /* The lines of tml_dw3x3_mve_layout(): output_w + 2 columns, the padded rows read, or a
   * ring of 3 rows at the local pitch; else the ring of 2 words halfwords per row. */
  const int layout = tml_dw3x3_mve_layout(p);
  const int32_t lines = layout == 3 ? p->output_w + 2 : layout == 2 ? tml_dw3x3_mve_rows(p) : 3;
  if (layout == 4) {
    tml_dw3x3_mve_vec_prep(p, (int8_t *)(void *)scratch);
    for (b = 0; b < p->batches; ++b) {
      tml_dw3x3_mve_chv(p, input + b * in_batch, output + b * out_batch,
                        (int8_t *)(void *)scratch);
    }
    (void)full;
    return;
  }
  memset(scratch, 0, layout ? (size_t)lines * TML_DW3X3_MVE_PITCH * 2u
                            : (size_t)(3 * p->words) * sizeof(uint32_t));
  for (b = 0; b < p->batches; ++b) {
    const int8_t *x = input + b * in_batch;
    int8_t *o = output + b * out_batch;
    for (ch = 0; ch < c; ++ch, ++x, ++o) {
#if TML_OPT_DW3X3_S1
      if (p->stride == 1) {
#if TML_OPT_DW3X3_CLAMP
        if (!full) {
          tml_dw3x3_mve_channel_s1_clamp(p, x, o, scratch, ch, layout);
          continue;
        }
#endif
        tml_dw3x3_mve_channel_s1(p, x, o, scratch, ch, layout);
        continue;
      }
#endif
#if TML_OPT_DW3X3_S2
#if TML_OPT_DW3X3_CLAMP
      if (!full) {
        tml_dw3x3_mve_channel_s2_clamp(p, x, o, scratch, ch, layout);
        continue;
      }
#endif
      tml_dw3x3_mve_channel_s2(p, x, o, scratch, ch, layout);
#endif
    }
  }
#else
#if TML_OPT_DW3X3_COLS
  /* Interleaves above 8: the assembly path's bands only, else the row plane below. */
  if (p->cols == TML_DW3X3_NL_MIN ||
      (TML_DW3X3_COLS_ASM && p->cols && p->quad && (c & 3) == 0 && full)) {
    /* The column plane(s) (the padding stays 0: every channel writes the same words). */
    const int32_t nl = p->cols, nwb = tml_dw3x3_band_words(p), psz = nl * nwb;
#if TML_SPEED_PATHS
    const int quad = p->quad && (c & 3) == 0;
#else
    const int quad = 0;
#endif
    tml_dw3x3_colgeo_t cg;
    memset(scratch, 0, (size_t)((quad ? 4 : 1) * psz) * sizeof(uint32_t));
#if TML_DW3X3_COLS_ASM
    if (quad && full) {
      /* Bands of 2 (nwb - 1) output rows (one band: the whole plane), 4 channels at a time:
       * their input rows widened (the words no input row reaches zeroed), then each
       * channel's outputs. */
      const int32_t oh = p->output_h, band = 2 * (nwb - 1), ostep = p->output_w * c;
      tml_dw3x3_cf_t f;
      f.step = ostep;
      f.c = c;
      for (b = 0; b < p->batches; ++b) {
        const int8_t *const x = input + b * in_batch;
        int8_t *const o = output + b * out_batch;
        for (ch = 0; ch < c; ch += 4) {
          int32_t oy0;
          for (oy0 = 0; oy0 < oh; oy0 += band) {
            /* After the first band, word 0 is the previous band's last (its input rows may
             * be overwritten by now, in place): moved, not read again. */
            const int32_t rows = oh - oy0 < band ? oh - oy0 : band, nw = (rows + 1) / 2 + 1;
            const int32_t keep = oy0 > 0;
            uint32_t *const base = scratch + keep * nl;
            int32_t k, end;
            tml_dw3x3_bandgeo(p, (oy0 >> 1) + keep, nw - keep, &cg);
            end = cg.first + cg.lead + cg.nfull + cg.tail;
            for (k = 0; k < 4 && keep; ++k) {
              memcpy(scratch + k * psz, scratch + k * psz + (nwb - 1) * nl,
                     (size_t)nl * sizeof(uint32_t));
            }
            if (band < oh && (cg.first > 0 || end < nw - keep)) {
              /* (One band: those words keep the first memset's zeros.) */
              for (k = 0; k < 4; ++k) {
                memset(base + k * psz, 0, (size_t)(cg.first * nl) * sizeof(uint32_t));
                memset(base + k * psz + end * nl, 0,
                       (size_t)((nw - keep - end) * nl) * sizeof(uint32_t));
              }
            }
            if (cg.nin > 0 && nw > keep) tml_dw3x3_widen4(p, x + ch, base, psz, &cg);
            for (k = 0; k < 4; ++k) {
              tml_dw3x3_cols_asm(p, o + oy0 * ostep + ch + k, scratch + k * psz, ch + k, rows, &f);
            }
          }
        }
      }
      return;
    }
#endif
    tml_dw3x3_colgeo(p, &cg);
    for (b = 0; b < p->batches; ++b) {
      const int8_t *x = input + b * in_batch;
      int8_t *o = output + b * out_batch;
      for (ch = 0; ch < c; ++ch, ++x, ++o) {
        uint32_t *const plane = quad ? scratch + (ch & 3) * psz : scratch;
#if TML_SPEED_PATHS
        if (quad && (ch & 3) == 0 && cg.nin > 0) tml_dw3x3_widen4(p, x, scratch, psz, &cg);
#endif
#if TML_OPT_DW3X3_CLAMP
        if (!full) {
          tml_dw3x3_cols_clamp(p, x, o, plane, ch, !quad);
          continue;
        }
#endif
        tml_dw3x3_cols(p, x, o, plane, ch, !quad);
      }
    }
    return;
  }
#endif
#if TML_OPT_DW3X3_S1 || TML_OPT_DW3X3_S2
  {
    /* The plane's padding columns (and every column not read) hold the input zero point. */
    const uint32_t zp2 = ((uint32_t)-p->input_offset & 0xFFFFu) * 0x00010001u;
    tml_dw3x3_geo_t g;
    uint32_t *pl, *pl_end;
    tml_dw3x3_geo(p, &g);
    pl_end = scratch + g.planes * g.rows * (g.pitch >> 1);
    for (pl = scratch; pl != pl_end; ++pl) *pl = zp2;
    for (b = 0; b < p->batches; ++b) {
      const int8_t *x = input + b * in_batch;
      int8_t *o = output + b * out_batch;
#if TML_SPEED_PATHS
      if (g.planes == 4) {
        for (ch = 0; ch < c; ch += 4, x += 4, o += 4) {
#if TML_OPT_DW3X3_CLAMP
          if (!full) {
            tml_dw3x3_quad_clamp(p, &g, x, o, scratch, (int32_t *)(void *)pl_end, ch);
            continue;
          }
#endif
          tml_dw3x3_quad(p, &g, x, o, scratch, (int32_t *)(void *)pl_end, ch);
        }
        continue;
      }
#endif
      for (ch = 0; ch < c; ++ch, ++x, ++o) {
#if TML_OPT_DW3X3_CLAMP
        if (!full) {
          tml_dw3x3_channel_clamp(p, &g, x, o, scratch, (int32_t *)(void *)pl_end, ch);
          continue;
        }
#endif
        tml_dw3x3_channel(p, &g, x, o, scratch, (int32_t *)(void *)pl_end, ch);
      }
    }
  }
#endif
#endif
  (void)full;
}

#undef TML_DW3X3_NOINLINE

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEPTHWISE_3X3_H */
