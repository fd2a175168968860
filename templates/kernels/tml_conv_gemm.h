/*
 * tml_conv_gemm.h - CONV_2D and FULLY_CONNECTED as a matrix product over int8 weights
 * (widened with SXTB16 as they are read): the fast path the compiler selects when the
 * layer meets the preconditions of the short requantization (tml_fast_common.h).
 * Bit-exact with tml_conv_2d.h / tml_fully_connected.h (and TFLM) on those layers.
 *
 * What the compiler prepares offline (compiler/src/ops/conv_gemm.cc):
 *   K  = filter_h * filter_w * input_c, in the filter's OHWI order; groups = ceil(K / 4).
 *   R  = 4 rows per block for the direct path (scratch == NULL), else 2.
 *   weights  uint32_t[blocks][groups][R]: the int8 weights themselves, output channels in
 *            blocks of R, padded with zero rows to a multiple of 4 rows (blocks =
 *            ceil(output_c / 4) * 4 / R); word r of group g holds taps
 *            4g..4g+3 of row r, tap 4g in bits 0-7 (taps past K are 0). Same bytes as the
 *            model's weights apart from that order and the zero padding.
 *   bias     int32_t[R * blocks]: bias + input_offset * sum(weights), so the kernel
 *            multiplies raw int8 inputs; padding taps read the input zero point, which
 *            contributes w * (zp + input_offset) = 0 as TFLM's skipped taps do.
 *   multiplier[c], shift[c] per output channel (encoded as tml_fast_output() wants), or
 *            one value each for all channels when per_channel is 0.
 * Scratch (@S@): 6 * groups uint32_t (three output pixels' im2col columns, widened to
 * 16-bit pairs; Helium uses the first 3 * groups words for three pixels' taps), plus groups
 * uint32_t (staging of one column's bytes) when input_c is not a multiple of 4, plus
 * 3 * output_c rounded up to even int32_t (the three pixels' accumulators, between the
 * matrix product and the requantization); NULL for a 1x1, stride 1, unpadded layer with
 * input_c a multiple of 4 and a single output pixel (a fully connected layer), which
 * reads the input directly; a direct layer whose groups are a multiple of 4 may instead
 * run through tml_conv_gemm_s8_x16() with a scratch of 2 * groups uint32_t, where the
 * Arm DSP path widens the input once (its 16-bit pairs, as the im2col columns) for all
 * rows.
 *
 * Paths: portable C; Arm DSP (SXTB16 + SMLAD, 2 rows x 3 pixels per group); Helium
 * (__ARM_FEATURE_MVE): 16 taps of a row per VMLADAVA, the row's 4 words read with one
 * gather from the layout above, blocks of 4 rows x 3 pixels in assembly (two passes of
 * 2 rows x 3 pixels: 6 accumulators), the three pixels' taps as int8 bytes in the first
 * 12 * groups bytes of the scratch (pointwise layers: the input pixels themselves; three
 * neighbouring windows of one output row inside the input with 1 or 3 filter rows of a
 * multiple of 16 bytes: read in place), the sums of up to 32 channels then requantized as
 * vectors. All give the same bytes.
 *
 * Order contract (in-place execution, compiler/src/ops/conv_2d.cc): output pixels are
 * produced in increasing order in blocks of at most 3 pixels; a block reads only its own
 * input pixels (the Helium pointwise and in-place window paths while they write the
 * block's outputs; the others copy them to the scratch first; the direct path handles a
 * single pixel). The layer may
 * therefore run with its input placed far enough above its output in the same buffer
 * that no output byte of a block lands on an input pixel the block or a later block
 * reads (InPlaceMinDelta() in compiler/src/ops/op_util.cc, with blocks of 3).
 *
 * Layouts: input NHWC [batches, input_h, input_w, input_c], output NHWC. A fully
 * connected layer is a 1x1 convolution over [1, 1, batches, accum_depth].
 */
#ifndef TML_CONV_GEMM_H
#define TML_CONV_GEMM_H

#include "tml_fast_common.h"

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;
  int32_t input_zero_point;  /* value of padding taps */
  int32_t groups;            /* ceil(K / 4) */
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t per_channel;       /* 0: multiplier[0] and shift[0] for every channel */
  const uint32_t *weights;   /* int8, in blocks of rows, see above */
  const int32_t *bias;       /* [R * blocks], folded */
  const int32_t *multiplier; /* [output_c] or [1] */
  const int8_t *shift;       /* [output_c] or [1]: see tml_fast_output() */
  /* 1: for every channel in the short form (right shift e >= 1), the rounded product
   * plus r = 2^(e-1) + output_offset * 2^e stays within int32 for every input (checked
   * by the compiler), so that the requantization adds rounding and zero point at once
   * (tml_fast_output_r()); with per_channel 0, every channel is in the short form.
   * 2: as 1, and also per_channel 1, every channel in the short form, the activation
   * range all of int8 and output_c even: the im2col path may requantize inside its
   * multiply-accumulate loop (tml_conv_gemm_acc3_rq()).
   * 0: not known. */
  int32_t fold_zp;
  /* fold_zp 2: per pair of channels c, c + 1, 8 words: the two folded biases, then per
   * channel the multiplier, r = 2^(e-1) + output_offset 2^e and e (the right shift).
   * NULL otherwise. */
  const int32_t *rq;
  /* With rq, --optimize speed: the weights doubled, as int16 pairs, per block of 2 rows and
   * group of 4 taps 4 words: row 0 (t0, t2), (t1, t3), row 1 the same; rq's biases are
   * then doubled too. NULL otherwise. */
  const uint32_t *w16;
} tml_conv_gemm_s8_params_t;

TML_KERNEL void tml_conv_gemm_s8(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                 int8_t *output, uint32_t *scratch);
/* A direct layer (the weights in blocks of 4 rows) with groups a multiple of 4 and a
 * scratch of 2 * groups uint32_t for the widened input. */
TML_KERNEL void tml_conv_gemm_s8_x16(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                     int8_t *output, uint32_t *scratch);

/* 1 where tml_conv_gemm_acc3_rq() reads p->rq (the Arm DSP speed path, GCC optimizing, no
 * Helium): the generated file defines a fold_zp 2 layer's records only then (else rq is
 * NULL and the layer takes the separate requantization). */
#if TML_HAVE_DSP && !TML_HAVE_MVE && defined(__GNUC__) && !defined(__clang__) && \
    defined(__OPTIMIZE__) && TML_SPEED_PATHS &&                                          \
    (!defined(TML_CONV_GEMM_UNROLL4) || TML_CONV_GEMM_UNROLL4)
#define TML_CONV_GEMM_RQ_RECORDS 1
#define TML_CONV_GEMM_RQ(records) (records)
/* What a fused layer does not read there (its int8 weights with p->w16; its biases,
 * multipliers and shifts, which its records hold): left out. */
#define TML_CONV_GEMM_W8(weights) NULL
#else
#define TML_CONV_GEMM_RQ_RECORDS 0
#define TML_CONV_GEMM_RQ(records) NULL
#define TML_CONV_GEMM_W8(weights) (weights)
#endif

#ifndef TML_DECLARATIONS_ONLY

/* Paths a model may leave out (tml_common.h): TML_OPT_GEMM_DIRECT, some layer reads its
 * input directly (scratch NULL); TML_OPT_GEMM_IM2COL, some layer goes through im2col;
 * TML_OPT_GEMM_STAGE, such a layer has input_c not a multiple of 4. */
#ifndef TML_OPT_GEMM_DIRECT
#define TML_OPT_GEMM_DIRECT TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_GEMM_IM2COL
#define TML_OPT_GEMM_IM2COL TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_GEMM_STAGE
#define TML_OPT_GEMM_STAGE TML_OPTION_DEFAULT
#endif

/* The Arm DSP inner loops in GCC/Clang assembly: only when the compiler optimizes (at -O0
 * the frame pointer and the unoptimized operands leave too few registers); otherwise the
 * portable C, which computes the same sums. */
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#define TML_CONV_GEMM_ASM 1
#else
#define TML_CONV_GEMM_ASM 0
#endif
/* The im2col path's loop (tml_conv_gemm_acc3()) needs 14 registers in one assembly
 * statement: GCC only (Clang's allocator gives up; it compiles the portable loop, with
 * the same DSP instructions from the intrinsics). */
#if TML_CONV_GEMM_ASM && !defined(__clang__)
#define TML_CONV_GEMM_ASM3 1
#else
#define TML_CONV_GEMM_ASM3 0
#endif
/* The direct path's loop (TML_CONV_GEMM_DIRECT_LOOP) also takes 14 registers: GCC only
 * (Clang for Arm reports "inline assembly requires more registers than available"). */
#if TML_CONV_GEMM_ASM && !defined(__clang__)
#define TML_CONV_GEMM_ASM_DIRECT 1
#else
#define TML_CONV_GEMM_ASM_DIRECT 0
#endif

/* r = 2^(e-1) + zp * 2^e (p->fold_zp). */
TML_INLINE int32_t tml_conv_gemm_round(int32_t e, int32_t zp) {
  return (int32_t)(((uint32_t)1 << (e - 1)) + ((uint32_t)zp << e));
}

#if TML_OPT_GEMM_IM2COL
/* TML_CONV_GEMM_EDGE_RUNS: the gather of windows that cross the input's edges and of
 * windows inside it copies runs of taps (more code); not when the C compiler optimizes
 * for size (the general per-tap loop). */
#ifndef TML_CONV_GEMM_EDGE_RUNS
#if !TML_SPEED_PATHS
#define TML_CONV_GEMM_EDGE_RUNS 0
#else
#define TML_CONV_GEMM_EDGE_RUNS 1
#endif
#endif

/* Coordinates of an output pixel (batch, row, column): the kernel walks them in order
 * instead of dividing the pixel index. */
typedef struct {
  int32_t b, oy, ox;
} tml_conv_gemm_pos_t;

TML_INLINE void tml_conv_gemm_advance(const tml_conv_gemm_s8_params_t *p, tml_conv_gemm_pos_t *q) {
  if (++q->ox == p->output_w) {
    q->ox = 0;
    if (++q->oy == p->output_h) {
      q->oy = 0;
      ++q->b;
    }
  }
}

/* n bytes from src to dst, and n copies of v to dst (Helium: 16 bytes per predicated
 * vector store; the window rows of a convolution are short). */
TML_INLINE void tml_conv_gemm_copy(int8_t *dst, const int8_t *src, int32_t n) {
#if TML_HAVE_MVE
  if (n < 8) {
    for (; n > 0; --n) *dst++ = *src++;
    return;
  }
  for (; n > 0; n -= 16, dst += 16, src += 16) {
    const mve_pred16_t pr = vctp8q((uint32_t)n);
    vstrbq_p_s8(dst, vldrbq_z_s8(src, pr), pr);
  }
#else
  /* A word at a time (unaligned loads and stores where the target has them), the last
   * 0-3 bytes one at a time. */
  int32_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    const uint32_t v = tml_read_s8x4(src + i);
    memcpy(dst + i, &v, 4);
  }
  for (; i < n; ++i) dst[i] = src[i];
#endif
}
TML_INLINE void tml_conv_gemm_fill(int8_t *dst, int8_t v, int32_t n) {
#if TML_HAVE_MVE
  const int8x16_t vv = vdupq_n_s8(v);
  if (n < 8) {
    for (; n > 0; --n) *dst++ = v;
    return;
  }
  for (; n > 0; n -= 16, dst += 16) vstrbq_p_s8(dst, vv, vctp8q((uint32_t)n));
#else
  int32_t i;
  for (i = 0; i < n; ++i) dst[i] = v;
#endif
}

/* The window of the output pixel at q as the K int8 taps themselves, in the filter's
 * order, to dst (padding taps: the input zero point). A window row that lies inside the
 * input with dilation_w 1 is one run of filter_w * input_c bytes. Bytes K to
 * 4 * groups - 1 are left as they are: their weights are 0. */
TML_INLINE void tml_conv_gemm_gather(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                     const tml_conv_gemm_pos_t *q, int8_t *dst) {
  const int32_t c = p->input_c, fw = p->filter_w, in_w = p->input_w;
  const int8_t zp = (int8_t)p->input_zero_point;
  const int32_t ix0 = q->ox * p->stride_w - p->pad_w;
  const int row_run = p->dilation_w == 1 && ix0 >= 0 && ix0 + fw <= in_w;
  int32_t ky, kx, i;
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = q->oy * p->stride_h - p->pad_h + ky * p->dilation_h;
    const int row_inside = iy >= 0 && iy < p->input_h;
    const int8_t *row = input + (q->b * p->input_h + (row_inside ? iy : 0)) * in_w * c;
    int32_t ix = ix0;
    if (row_inside && row_run) {
      const int32_t n = fw * c;
      tml_conv_gemm_copy(dst, row + ix0 * c, n);
      dst += n;
      continue;
    }
#if TML_HAVE_MVE
    if (!row_inside) {
      tml_conv_gemm_fill(dst, zp, fw * c);
      dst += fw * c;
      continue;
    }
#endif
    if (TML_CONV_GEMM_EDGE_RUNS && (!row_inside || p->dilation_w == 1)) {
      /* A row in the padding, or an input row whose window crosses an edge: the padding
       * taps before, the run inside, the padding taps after. */
      const int32_t before = !row_inside ? fw : ix0 < 0 ? (-ix0 < fw ? -ix0 : fw) : 0;
      const int32_t after0 = ix0 + fw - in_w;
      const int32_t after = !row_inside ? 0 : after0 <= 0 ? 0 : after0 < fw - before ? after0 : fw - before;
      const int32_t first = ix0 + before < 0 ? 0 : ix0 + before > in_w ? in_w : ix0 + before;
      const int8_t *src = row + first * c;
      int8_t *const run_end = dst + (fw - after) * c, *const row_end = dst + fw * c;
      for (i = 0; i < before * c; ++i) dst[i] = zp;
      dst += before * c;
      for (; dst != run_end; ++dst, ++src) *dst = *src;
      for (; dst != row_end; ++dst) *dst = zp;
      continue;
    }
    for (kx = 0; kx < fw; ++kx, ix += p->dilation_w) {
      if (!row_inside || ix < 0 || ix >= in_w) {
        tml_conv_gemm_fill(dst, zp, c);
      } else {
        tml_conv_gemm_copy(dst, row + ix * c, c);
      }
      dst += c;
    }
  }
}

#if TML_HAVE_MVE
/* Helium gather of a window (tml_conv_gemm_gather()'s result, same bytes): the window
 * rows of a layer with dilation_w 1 as at most three runs each (padding before, the input
 * run, padding after), copied and filled 16 bytes per predicated step in tail-predicated
 * loops (WLSTP.8: 3 instructions per 16 bytes); other layers take the general gather. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
/* n bytes from src to dst; returns dst + n. */
TML_ALWAYS_INLINE int8_t *tml_gemm_mve_copy(int8_t *dst, const int8_t *src, int32_t n) {
  int8_t *d = dst;
  int8x16_t t;
  __asm__ volatile(
      "wlstp.8 lr, %[n], 2f\n"
      "1:\n"
      "vldrb.8 %q[t], [%[s]], #16\n"
      "vstrb.8 %q[t], [%[d]], #16\n"
      "letp lr, 1b\n"
      "2:\n"
      : [d] "+&r"(d), [s] "+&r"(src), [t] "=&w"(t)
      : [n] "r"(n)
      : "lr", "memory");
  (void)t;
  (void)d;
  (void)src;
  return dst + n;
}
/* n copies of the byte in every lane of v to dst; returns dst + n. */
TML_ALWAYS_INLINE int8_t *tml_gemm_mve_fill(int8_t *dst, int8x16_t v, int32_t n) {
  int8_t *d = dst;
  __asm__ volatile(
      "wlstp.8 lr, %[n], 2f\n"
      "1:\n"
      "vstrb.8 %q[v], [%[d]], #16\n"
      "letp lr, 1b\n"
      "2:\n"
      : [d] "+&r"(d)
      : [n] "r"(n), [v] "w"(v)
      : "lr", "memory");
  (void)d;
  return dst + n;
}
#else
TML_ALWAYS_INLINE int8_t *tml_gemm_mve_copy(int8_t *dst, const int8_t *src, int32_t n) {
  tml_conv_gemm_copy(dst, src, n);
  return dst + n;
}
TML_ALWAYS_INLINE int8_t *tml_gemm_mve_fill(int8_t *dst, int8x16_t v, int32_t n) {
  tml_conv_gemm_fill(dst, (int8_t)vgetq_lane_s8(v, 0), n);
  return dst + n;
}
#endif

#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
/* rows >= 1 runs of n bytes, src + r * stride, to dst + r * n: one tail-predicated copy
 * loop per run (WLSTP.8) inside a counted loop over the runs. */
TML_ALWAYS_INLINE void tml_gemm_mve_copy_rows(int8_t *dst, const int8_t *src, int32_t n,
                                              int32_t stride, int32_t rows) {
  const int8_t *s;
  int8_t *d;
  int8x16_t t;
  __asm__ volatile(
      "1:\n"
      "mov %[s], %[src]\n"
      "mov %[d], %[dst]\n"
      "wlstp.8 lr, %[n], 3f\n"
      "2:\n"
      "vldrb.8 %q[t], [%[s]], #16\n"
      "vstrb.8 %q[t], [%[d]], #16\n"
      "letp lr, 2b\n"
      "3:\n"
      "add %[src], %[src], %[stride]\n"
      "add %[dst], %[dst], %[n]\n"
      "subs %[rows], %[rows], #1\n"
      "bne 1b\n"
      : [src] "+&r"(src), [dst] "+&r"(dst), [rows] "+&r"(rows), [s] "=&r"(s), [d] "=&r"(d),
        [t] "=&w"(t)
      : [n] "r"(n), [stride] "r"(stride)
      : "lr", "cc", "memory");
  (void)s;
  (void)d;
  (void)t;
  (void)src;
  (void)dst;
  (void)rows;
}
#else
TML_ALWAYS_INLINE void tml_gemm_mve_copy_rows(int8_t *dst, const int8_t *src, int32_t n,
                                              int32_t stride, int32_t rows) {
  for (; rows > 0; --rows, src += stride, dst += n) tml_conv_gemm_copy(dst, src, n);
}
#endif

TML_INLINE void tml_conv_gemm_gather_mve(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                         const tml_conv_gemm_pos_t *q, int8_t *dst,
                                         int8x16_t zv) {
  const int32_t c = p->input_c, fw = p->filter_w, in_w = p->input_w, in_h = p->input_h;
  const int32_t ix0 = q->ox * p->stride_w - p->pad_w;
  const int32_t before = ix0 < 0 ? (-ix0 < fw ? -ix0 : fw) : 0;
  const int32_t after0 = ix0 + fw - in_w;
  const int32_t after = after0 <= 0 ? 0 : after0 < fw - before ? after0 : fw - before;
  const int32_t run = (fw - before - after) * c, pre = before * c, post = after * c;
  const int32_t row_bytes = in_w * c, dh = p->dilation_h, fh = p->filter_h;
  const int32_t first = ix0 + before < 0 ? 0 : ix0 + before > in_w ? in_w : ix0 + before;
  const int8_t *const base = input + q->b * in_h * row_bytes + first * c;
  int32_t iy = q->oy * p->stride_h - p->pad_h, ky;
  if (p->dilation_w != 1) {
    tml_conv_gemm_gather(p, input, q, dst);
    return;
  }
  for (ky = 0; ky < fh; ++ky, iy += dh) {
    if (iy < 0 || iy >= in_h) {
      dst = tml_gemm_mve_fill(dst, zv, fw * c);
      continue;
    }
    if (pre != 0) dst = tml_gemm_mve_fill(dst, zv, pre);
    dst = tml_gemm_mve_copy(dst, base + iy * row_bytes, run);
    if (post != 0) dst = tml_gemm_mve_fill(dst, zv, post);
  }
}
#endif

#if !TML_HAVE_MVE
/* Columns per block of the im2col path without Helium: 3 output pixels at a time. */
#define TML_CONV_GEMM_COLS 3

/* The n / 4 words of taps at src (any alignment), widened into a column of the
 * interleaved scratch (below) from col on. */
TML_INLINE uint32_t *tml_conv_gemm_widen_run(const int8_t *src, int32_t n, uint32_t *col) {
  const int8_t *const end = src + n;
#if TML_SPEED_PATHS
  /* Four words per step while the run has them: the four loads next to each other (they
   * pipeline: 5 cycles on the M4 against 8 when each is followed by its widening and
   * stores), one pointer update and test per 16 taps. */
  for (; end - src >= 16; src += 16) {
    const uint32_t a = tml_read_s8x4(src), b = tml_read_s8x4(src + 4);
    const uint32_t c = tml_read_s8x4(src + 8), d = tml_read_s8x4(src + 12);
    tml_widen_s8x4(a, &col[0], &col[1]);
    tml_widen_s8x4(b, &col[2 * TML_CONV_GEMM_COLS], &col[2 * TML_CONV_GEMM_COLS + 1]);
    tml_widen_s8x4(c, &col[4 * TML_CONV_GEMM_COLS], &col[4 * TML_CONV_GEMM_COLS + 1]);
    tml_widen_s8x4(d, &col[6 * TML_CONV_GEMM_COLS], &col[6 * TML_CONV_GEMM_COLS + 1]);
    col += 8 * TML_CONV_GEMM_COLS;
  }
#endif
  for (; src != end; src += 4) {
    tml_widen_s8x4(tml_read_s8x4(src), &col[0], &col[1]);
    col += 2 * TML_CONV_GEMM_COLS;
  }
  return col;
}

/* im2col of the output pixel at q into column `slot` of the interleaved scratch, widened
 * to 16-bit pairs: word (g * 3 + slot) * 2 + {0, 1} holds group g. input_c a multiple of
 * 4: whole words straight from the input; otherwise the taps are gathered into `stage`
 * (4 * groups bytes) first, then widened a word at a time. */
TML_INLINE void tml_conv_gemm_im2col(const tml_conv_gemm_s8_params_t *p,
                                        const int8_t *input, const tml_conv_gemm_pos_t *q,
                                        uint32_t *col, int8_t *stage) {
  const int32_t oy = q->oy, b = q->b;
  const int32_t c = p->input_c;
  const uint32_t zp4 = ((uint32_t)p->input_zero_point & 0xFFu) * 0x01010101u;
  const int32_t ix0 = q->ox * p->stride_w - p->pad_w, dix = p->dilation_w;
  const int32_t in_w = p->input_w, fw = p->filter_w;
  int32_t ky, kx, i;
  if (TML_OPT_GEMM_STAGE && (c & 3) != 0) {
    const int8_t *const end = stage + 4 * p->groups;
    const int8_t *src;
    const int32_t iy0 = oy * p->stride_h - p->pad_h, fh = p->filter_h;
    if (TML_CONV_GEMM_EDGE_RUNS && dix == 1 && ix0 >= 0 && ix0 + fw <= in_w && iy0 >= 0 &&
        iy0 + (fh - 1) * p->dilation_h < p->input_h) {
      /* The window inside the input: fh runs of fw * c taps, dilation_h rows apart, a
       * word at a time (unaligned loads and stores where the target has them). */
      const int32_t n = fw * c, step = p->dilation_h * in_w * c;
      int8_t *dst = stage;
      src = input + ((b * p->input_h + iy0) * in_w + ix0) * c;
      for (ky = 0; ky < fh; ++ky, src += step, dst += n) {
        for (i = 0; i + 4 <= n; i += 4) {
          const uint32_t v = tml_read_s8x4(src + i);
          memcpy(dst + i, &v, 4);
        }
        for (; i < n; ++i) dst[i] = src[i];
      }
    } else {
      tml_conv_gemm_gather(p, input, q, stage);
    }
    for (src = stage; src != end; src += 4) {
      tml_widen_s8x4(tml_read_s8x4(src), &col[0], &col[1]);
      col += 2 * TML_CONV_GEMM_COLS;
    }
    return;
  }
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dilation_h;
    const int row_inside = iy >= 0 && iy < p->input_h;
    const int8_t *row = input + (b * p->input_h + (row_inside ? iy : 0)) * in_w * c;
    int32_t ix = ix0;
    if (row_inside && dix == 1 && ix0 >= 0 && ix0 + fw <= in_w) {
      /* The window row inside the input: one run of fw * c taps. */
      col = tml_conv_gemm_widen_run(row + ix0 * c, fw * c, col);
      continue;
    }
    for (kx = 0; kx < fw; ++kx, ix += dix) {
      const int inside = row_inside && ix >= 0 && ix < in_w;
      const int8_t *src = row + (inside ? ix : 0) * c;
      if (inside) {
        for (i = 0; i < c; i += 4) {
          tml_widen_s8x4(tml_read_s8x4(src + i), &col[0], &col[1]);
          col += 2 * TML_CONV_GEMM_COLS;
        }
      } else {
        uint32_t ze, zo;
        tml_widen_s8x4(zp4, &ze, &zo);
        for (i = 0; i < c; i += 4) {
          col[0] = ze;
          col[1] = zo;
          col += 2 * TML_CONV_GEMM_COLS;
        }
      }
    }
  }
}

/* A layer whose windows are 3x3 over 3 channels with dilation_w 1 (the usual first layer
 * of an image model): tml_conv_gemm_column() packs each window that lies inside the input
 * itself. TML_CONV_GEMM_EDGE_RUNS (speed paths) only. */
TML_INLINE int tml_conv_gemm_is333(const tml_conv_gemm_s8_params_t *p) {
  return TML_CONV_GEMM_EDGE_RUNS && TML_OPT_GEMM_STAGE && p->input_c == 3 &&
         p->filter_h == 3 && p->filter_w == 3 && p->dilation_w == 1;
}

/* The 27 taps of a tml_conv_gemm_is333() window inside the input, rows r0, r0 + row,
 * r0 + 2 row: the 9 bytes of each row packed into 7 words by word reads that never leave
 * the window's bytes (r0 + 8 is read as a byte, r1 + 5 and r2 + 5 as words whose low
 * bytes are dropped) and widened into the column (tap 27, weight 0, reads as 0). */
#if TML_HAVE_DSP && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__) && \
    TML_CONV_GEMM_COLS == 3
TML_INLINE void tml_conv_gemm_pack333(const int8_t *r0, int32_t row, uint32_t *col) {
  uint32_t a, b, c, d, e, f, g;
  __asm__ __volatile__(
      "ldr %[a], [%[r]]\n\t"
      "ldr %[b], [%[r], #4]\n\t"
      "ldrb %[c], [%[r], #8]\n\t"
      "add %[r], %[r], %[row]\n\t"
      "ldr %[d], [%[r]]\n\t"
      "ldr %[e], [%[r], #3]\n\t"
      "ldr %[f], [%[r], #5]\n\t"
      "add %[r], %[r], %[row]\n\t"
      "orr %[c], %[c], %[d], lsl #8\n\t"
      "ldr %[d], [%[r]]\n\t"
      "ldr %[g], [%[r], #2]\n\t"
      "ldr %[r], [%[r], #5]\n\t"
      "lsr %[f], %[f], #16\n\t"
      "orr %[f], %[f], %[d], lsl #16\n\t"
      "lsr %[r], %[r], #8\n\t"
      "sxtb16 %[d], %[a]\n\t"
      "sxtb16 %[a], %[a], ror #8\n\t"
      "strd %[d], %[a], [%[col]]\n\t"
      "sxtb16 %[d], %[b]\n\t"
      "sxtb16 %[b], %[b], ror #8\n\t"
      "strd %[d], %[b], [%[col], #24]\n\t"
      "sxtb16 %[d], %[c]\n\t"
      "sxtb16 %[c], %[c], ror #8\n\t"
      "strd %[d], %[c], [%[col], #48]\n\t"
      "sxtb16 %[d], %[e]\n\t"
      "sxtb16 %[e], %[e], ror #8\n\t"
      "strd %[d], %[e], [%[col], #72]\n\t"
      "sxtb16 %[d], %[f]\n\t"
      "sxtb16 %[f], %[f], ror #8\n\t"
      "strd %[d], %[f], [%[col], #96]\n\t"
      "sxtb16 %[d], %[g]\n\t"
      "sxtb16 %[g], %[g], ror #8\n\t"
      "strd %[d], %[g], [%[col], #120]\n\t"
      "sxtb16 %[d], %[r]\n\t"
      "sxtb16 %[r], %[r], ror #8\n\t"
      "strd %[d], %[r], [%[col], #144]"
      : [r] "+&r"(r0), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d), [e] "=&r"(e),
        [f] "=&r"(f), [g] "=&r"(g)
      : [row] "r"(row), [col] "r"(col)
      : "memory");
}
#else
TML_INLINE void tml_conv_gemm_pack333(const int8_t *r0, int32_t row, uint32_t *col) {
  const int8_t *const r1 = r0 + row, *const r2 = r1 + row;
  const uint32_t w0 = tml_read_s8x4(r0), w1 = tml_read_s8x4(r0 + 4);
  const uint32_t w2 = (uint32_t)(uint8_t)r0[8] | (tml_read_s8x4(r1) << 8);
  const uint32_t w3 = tml_read_s8x4(r1 + 3);
  const uint32_t w4 = (tml_read_s8x4(r1 + 5) >> 16) | (tml_read_s8x4(r2) << 16);
  const uint32_t w5 = tml_read_s8x4(r2 + 2), w6 = tml_read_s8x4(r2 + 5) >> 8;
  tml_widen_s8x4(w0, &col[0], &col[1]);
  tml_widen_s8x4(w1, &col[2 * TML_CONV_GEMM_COLS], &col[2 * TML_CONV_GEMM_COLS + 1]);
  tml_widen_s8x4(w2, &col[4 * TML_CONV_GEMM_COLS], &col[4 * TML_CONV_GEMM_COLS + 1]);
  tml_widen_s8x4(w3, &col[6 * TML_CONV_GEMM_COLS], &col[6 * TML_CONV_GEMM_COLS + 1]);
  tml_widen_s8x4(w4, &col[8 * TML_CONV_GEMM_COLS], &col[8 * TML_CONV_GEMM_COLS + 1]);
  tml_widen_s8x4(w5, &col[10 * TML_CONV_GEMM_COLS], &col[10 * TML_CONV_GEMM_COLS + 1]);
  tml_widen_s8x4(w6, &col[12 * TML_CONV_GEMM_COLS], &col[12 * TML_CONV_GEMM_COLS + 1]);
}
#endif

/* The im2col column of the output pixel at q (see tml_conv_gemm_im2col()); for a
 * tml_conv_gemm_is333() layer (is333 1) and a window inside the input, inline: its 27
 * taps are the 9 bytes of each of its rows r0, r1, r2, packed into 7 words by word reads
 * that never leave the window's bytes (r0 + 8 is read as a byte, r1 + 5 and r2 + 5 as
 * words whose low bytes are dropped) and widened straight into the column. Tap 27 (weight
 * 0) reads as 0. */
TML_ALWAYS_INLINE void tml_conv_gemm_column(const tml_conv_gemm_s8_params_t *p,
                                            const int8_t *input, const tml_conv_gemm_pos_t *q,
                                            uint32_t *col, int8_t *stage, int is333) {
  if (is333) {
    const int32_t iy0 = q->oy * p->stride_h - p->pad_h, ix0 = q->ox * p->stride_w - p->pad_w;
    const int32_t row = p->dilation_h * p->input_w * 3;
    if (ix0 >= 0 && ix0 + 3 <= p->input_w && iy0 >= 0 &&
        iy0 + 2 * p->dilation_h < p->input_h) {
      tml_conv_gemm_pack333(input + ((q->b * p->input_h + iy0) * p->input_w + ix0) * 3, row,
                            col);
      return;
    } else {
      /* A window on the input's edge: its 27 taps (the padding ones at the input's zero
       * point) gathered into a 3x9 window first, then packed the same way. */
      int8_t win[28];
      const int8_t zp = (int8_t)p->input_zero_point;
      int32_t ky, kx;
      for (ky = 0; ky < 3; ++ky) {
        const int32_t iy = iy0 + ky * p->dilation_h;
        const int row_inside = iy >= 0 && iy < p->input_h;
        for (kx = 0; kx < 3; ++kx) {
          const int32_t ix = ix0 + kx;
          int8_t *const dst = win + 9 * ky + 3 * kx;
          if (row_inside && ix >= 0 && ix < p->input_w) {
            const int8_t *const src = input + ((q->b * p->input_h + iy) * p->input_w + ix) * 3;
            dst[0] = src[0], dst[1] = src[1], dst[2] = src[2];
          } else {
            dst[0] = zp, dst[1] = zp, dst[2] = zp;
          }
        }
      }
      win[27] = 0;
      tml_conv_gemm_pack333(win, 9, col);
      return;
    }
  }
  tml_conv_gemm_im2col(p, input, q, col, stage);
}
#endif /* !TML_HAVE_MVE */

#endif /* TML_OPT_GEMM_IM2COL */

#if TML_OPT_GEMM_DIRECT
/* Output channel c of one pixel. */
TML_INLINE int8_t tml_conv_gemm_out(const tml_conv_gemm_s8_params_t *p, int32_t c,
                                       int32_t acc) {
  const int32_t q = p->per_channel ? c : 0;
  return tml_fast_output(acc, p->multiplier[q], p->shift[q], p->output_offset, p->act_min,
                         p->act_max);
}

#if !TML_HAVE_MVE
/* tml_fast_output() for the activation range all of int8. */
TML_INLINE int8_t tml_conv_gemm_out_full(int32_t acc, int32_t m, int32_t shift, int32_t zp) {
#if TML_OPT_FAST_TFLM
  if (TML_FAST_UNLIKELY(shift < -32)) return tml_fast_output_tflm(acc, m, shift, zp, -128, 127);
#endif
  return (int8_t)tml_requant_short((int32_t)((uint32_t)acc << 1), m, shift, zp, -128, 127);
}

/* Rows 0-3 of a block of the direct path over all groups: for each group the input word
 * at x (any alignment), widened once, against the block's 4 words at w (int8, widened
 * here, two rows per LDRD); x and w end past the last group. Arm DSP: the loop in
 * assembly, so that the compiler keeps it in registers; portable: the same sums. */
#if TML_CONV_GEMM_ASM_DIRECT
/* One group: the input word (LDR, post-increment) widened into xa, xb; the 4 rows' words
 * with one LDM (1 + 4 cycles against 6 for two LDRD), each widened through u. */
#define TML_CONV_GEMM_D_ROW(A, W)                                                          \
  "sxtb16 %[u], %[" W "]\n\t"                                                              \
  "sxtb16 %[" W "], %[" W "], ror #8\n\t"                                                  \
  "smlad %[" A "], %[xa], %[u], %[" A "]\n\t"                                              \
  "smlad %[" A "], %[xb], %[" W "], %[" A "]\n\t"
#define TML_CONV_GEMM_D_GROUP                                                              \
  "ldr %[xa], [%[x]], #4\n\t"                                                              \
  "ldmia %[w]!, {%[w0], %[w1], %[w2], %[w3]}\n\t"                                          \
  "sxtb16 %[xb], %[xa], ror #8\n\t"                                                        \
  "sxtb16 %[xa], %[xa]\n\t"                                                                \
  TML_CONV_GEMM_D_ROW("a0", "w0") TML_CONV_GEMM_D_ROW("a1", "w1")                          \
  TML_CONV_GEMM_D_ROW("a2", "w2") TML_CONV_GEMM_D_ROW("a3", "w3")
/* BODY (GROUPS groups) until w reaches E_; the LDM wants its registers in ascending
 * order: r8-r11. */
#define TML_CONV_GEMM_DIRECT_LOOP(X_, W_, E_, BODY)                                        \
  do {                                                                                     \
    register uint32_t w0_ __asm__("r8");                                                   \
    register uint32_t w1_ __asm__("r9");                                                   \
    register uint32_t w2_ __asm__("r10");                                                  \
    register uint32_t w3_ __asm__("r11");                                                  \
    uint32_t xa_, xb_, u_;                                                                 \
    __asm__("1:\n\t" BODY                                                                  \
            "cmp %[w], %[end]\n\t"                                                         \
            "bne 1b"                                                                       \
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x] "+r"(X_),     \
              [w] "+r"(W_), [xa] "=&r"(xa_), [xb] "=&r"(xb_), [u] "=&r"(u_),               \
              [w0] "=&r"(w0_), [w1] "=&r"(w1_), [w2] "=&r"(w2_), [w3] "=&r"(w3_)           \
            : [end] "r"(E_)                                                                \
            : "cc", "memory");                                                             \
  } while (0)
#define TML_CONV_GEMM_DIRECT_LOOP4(x, w, end)                                              \
  TML_CONV_GEMM_DIRECT_LOOP(x, w, end, TML_CONV_GEMM_D_GROUP TML_CONV_GEMM_D_GROUP         \
                                       TML_CONV_GEMM_D_GROUP TML_CONV_GEMM_D_GROUP)
#define TML_CONV_GEMM_DIRECT_LOOP1(x, w, end)                                              \
  TML_CONV_GEMM_DIRECT_LOOP(x, w, end, TML_CONV_GEMM_D_GROUP)
/* TML_CONV_GEMM_DIRECT_BLOCKS (GCC, not when optimizing for size): whole blocks of rows
 * in one assembly statement, for layers whose groups are a multiple of 4: per block the
 * 4 biases (two LDRD), the loop above, the 4 accumulators stored (two STRD); the block
 * loop's own state (input start, bias and accumulator pointers, end, block bytes) lives in
 * 24 bytes of stack that the statement reserves, since the matrix loop takes all 14
 * registers. The requantization then runs over the stored accumulators. */
#if !defined(__clang__) && TML_SPEED_PATHS
#define TML_CONV_GEMM_DIRECT_BLOCKS 1
#define TML_CONV_GEMM_DB_GROUP                                                             \
  "ldr %[xa], [%[x]], #4\n\t"                                                              \
  "ldmia %[w]!, {%[b], %[acc], %[n], %[w3]}\n\t"                                           \
  "sxtb16 %[xb], %[xa], ror #8\n\t"                                                        \
  "sxtb16 %[xa], %[xa]\n\t"                                                                \
  TML_CONV_GEMM_D_ROW("a0", "b") TML_CONV_GEMM_D_ROW("a1", "acc")                          \
  TML_CONV_GEMM_D_ROW("a2", "n") TML_CONV_GEMM_D_ROW("a3", "w3")
/* The same with the input already widened (2 words per group, one LDRD). */
#define TML_CONV_GEMM_DB_GROUP16                                                           \
  "ldrd %[xa], %[xb], [%[x]], #8\n\t"                                                       \
  "ldmia %[w]!, {%[b], %[acc], %[n], %[w3]}\n\t"                                           \
  TML_CONV_GEMM_D_ROW("a0", "b") TML_CONV_GEMM_D_ROW("a1", "acc")                          \
  TML_CONV_GEMM_D_ROW("a2", "n") TML_CONV_GEMM_D_ROW("a3", "w3")
/* acc[0 .. 4 n) for the n blocks of 4 rows from w (block_bytes bytes each: 4 words per
 * group, groups a multiple of 4) and bias, against the input at x (int8, or, X16, widened
 * to 16-bit pairs); acc_end = acc + 4 n. */
#define TML_CONV_GEMM_DIRECT_BLOCKS_FN(NAME, GROUP)                                        \
  __attribute__((noinline)) TML_HELPER void NAME(const void *x, const uint32_t *w,          \
                                                 const int32_t *bias, int32_t *acc,         \
                                                 int32_t *acc_end, int32_t block_bytes) {   \
    register const int32_t *b_ __asm__("r8") = bias;                                       \
    register int32_t *acc_ __asm__("r9") = acc;                                            \
    register int32_t *n_ __asm__("r10") = acc_end;                                         \
    register uint32_t w3_ __asm__("r11");                                                  \
    int32_t a0_, a1_, a2_, a3_;                                                            \
    uint32_t xa_, xb_, u_;                                                                 \
    __asm__ volatile(TML_CONV_GEMM_DB_ASM(GROUP)                                            \
                     : [x] "+r"(x), [w] "+r"(w), [g] "+r"(block_bytes), [b] "+r"(b_),       \
                       [acc] "+r"(acc_), [n] "+r"(n_), [w3] "=&r"(w3_), [a0] "=&r"(a0_),    \
                       [a1] "=&r"(a1_), [a2] "=&r"(a2_), [a3] "=&r"(a3_), [xa] "=&r"(xa_),  \
                       [xb] "=&r"(xb_), [u] "=&r"(u_)                                      \
                     :                                                                     \
                     : "cc", "memory");                                                    \
  }
#define TML_CONV_GEMM_DB_ASM(GROUP)                                                        \
  "sub sp, sp, #24\n\t"                                                                     \
  "str %[x], [sp]\n\t"                                                                      \
  "str %[b], [sp, #4]\n\t"                                                                  \
  "str %[acc], [sp, #8]\n\t"                                                                \
  "str %[n], [sp, #12]\n\t"                                                                 \
  "str %[g], [sp, #16]\n"                                                                    \
  "2:\n\t"                                                                                   \
  "ldr %[b], [sp, #4]\n\t"                                                                  \
  "ldrd %[a0], %[a1], [%[b]], #8\n\t"                                                       \
  "ldrd %[a2], %[a3], [%[b]], #8\n\t"                                                       \
  "str %[b], [sp, #4]\n\t"                                                                  \
  "ldr %[x], [sp]\n\t"                                                                      \
  "ldr %[g], [sp, #16]\n\t"                                                                 \
  "add %[g], %[w], %[g]\n"                                                                   \
  "1:\n\t" GROUP GROUP GROUP GROUP                                                          \
  "cmp %[w], %[g]\n\t"                                                                       \
  "bne 1b\n\t"                                                                               \
  "ldr %[acc], [sp, #8]\n\t"                                                                \
  "strd %[a0], %[a1], [%[acc]], #8\n\t"                                                     \
  "strd %[a2], %[a3], [%[acc]], #8\n\t"                                                     \
  "str %[acc], [sp, #8]\n\t"                                                                \
  "ldr %[n], [sp, #12]\n\t"                                                                 \
  "cmp %[acc], %[n]\n\t"                                                                     \
  "bne 2b\n\t"                                                                               \
  "add sp, sp, #24"
/* The LDM list must ascend: the weight words go to r8-r11 (bias, acc and end pointers
 * while they are on the stack). */
TML_CONV_GEMM_DIRECT_BLOCKS_FN(tml_conv_gemm_direct_blocks, TML_CONV_GEMM_DB_GROUP)
TML_CONV_GEMM_DIRECT_BLOCKS_FN(tml_conv_gemm_direct_blocks16, TML_CONV_GEMM_DB_GROUP16)
#else
#define TML_CONV_GEMM_DIRECT_BLOCKS 0
#endif
#else
#define TML_CONV_GEMM_DIRECT_LOOP1(x, w, end)                                              \
  do {                                                                                     \
    while ((w) != (end)) {                                                                 \
      uint32_t xa_, xb_, wa_, wb_;                                                         \
      tml_widen_s8x4(tml_read_s8x4(x), &xa_, &xb_);                                        \
      tml_widen_s8x4((w)[0], &wa_, &wb_);                                                  \
      a0 = tml_dot2(xb_, wb_, tml_dot2(xa_, wa_, a0));                                     \
      tml_widen_s8x4((w)[1], &wa_, &wb_);                                                  \
      a1 = tml_dot2(xb_, wb_, tml_dot2(xa_, wa_, a1));                                     \
      tml_widen_s8x4((w)[2], &wa_, &wb_);                                                  \
      a2 = tml_dot2(xb_, wb_, tml_dot2(xa_, wa_, a2));                                     \
      tml_widen_s8x4((w)[3], &wa_, &wb_);                                                  \
      a3 = tml_dot2(xb_, wb_, tml_dot2(xa_, wa_, a3));                                     \
      (x) += 4;                                                                            \
      (w) += 4;                                                                            \
    }                                                                                      \
  } while (0)
#define TML_CONV_GEMM_DIRECT_LOOP4 TML_CONV_GEMM_DIRECT_LOOP1
#endif
#endif /* !TML_HAVE_MVE */

#if TML_HAVE_MVE && (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#define TML_GEMM_DIRECT_MVE_ASM 1
/* The n = 4 groups taps of the 4 rows at w (direct layout: word 4 g + r) for the input at
 * x, 16 per step, in assembly (VMLADAVA wants even accumulator registers; the compilers
 * shuffle them otherwise): one load, and per row a gather from a vector of addresses
 * (w + 16 i, advanced by 64 bytes per step with writeback; rows 1-3 at + 4, 8, 12); tail
 * predicated over the n bytes (DLSTP.8), as in tml_gemm_mve_block3(). */
TML_ALWAYS_INLINE void tml_gemm_direct_mve_rows4(const int8_t *x, const uint32_t *w, int32_t n,
                                                 int32_t *acc) {
  register int32_t a0 __asm__("r0") = acc[0];
  register int32_t a1 __asm__("r2") = acc[1];
  register int32_t a2 __asm__("r4") = acc[2];
  register int32_t a3 __asm__("r6") = acc[3];
  uint32x4_t qa = vaddq_n_u32(vshlq_n_u32(vidupq_n_u32(0u, 4), 2), (uint32_t)(uintptr_t)w - 64u);
  int8x16_t xa;
  uint32x4_t wr;
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n"
      "vldrb.8 %q[xa], [%[x]], #16\n"
      "vldrw.u32 %q[wr], [%q[qa], #64]!\n"
      "vmladava.s8 %[a0], %q[xa], %q[wr]\n"
      "vldrw.u32 %q[wr], [%q[qa], #4]\n"
      "vmladava.s8 %[a1], %q[xa], %q[wr]\n"
      "vldrw.u32 %q[wr], [%q[qa], #8]\n"
      "vmladava.s8 %[a2], %q[xa], %q[wr]\n"
      "vldrw.u32 %q[wr], [%q[qa], #12]\n"
      "vmladava.s8 %[a3], %q[xa], %q[wr]\n"
      "letp lr, 1b\n"
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x] "+r"(x),
        [qa] "+w"(qa), [xa] "=&w"(xa), [wr] "=&w"(wr)
      : [n] "r"(n)
      : "lr", "memory");
  (void)xa;
  (void)wr;
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}
#else
#define TML_GEMM_DIRECT_MVE_ASM 0
#endif

/* One output pixel of a 1x1, stride 1, unpadded layer with input_c a multiple of 4
 * (a fully connected layer), read straight from the input: no scratch. Four rows at a
 * time share each widened input word. */
TML_INLINE void tml_conv_gemm_direct(const tml_conv_gemm_s8_params_t *p, const int8_t *in,
                                        int8_t *out, uint32_t *x16) {
  const uint32_t *w = p->weights;
  const int32_t oc = p->output_c;
  int32_t c;
  (void)x16; /* the Arm DSP path's */
#if TML_HAVE_MVE
  /* 16 taps of a row at a time: a gather of its 4 words (one per group, 4 rows per
   * group), one multiply-accumulate across the vector (VMLADAVA); the last 1-3 groups
   * predicated (inactive lanes read as 0). */
  const int32_t groups = p->groups, full = groups & ~3;
  const uint32x4_t offs = vidupq_n_u32(0, 4);
  const mve_pred16_t pw = vctp32q((uint32_t)(groups & 3)), pb = vctp8q((uint32_t)(4 * (groups & 3)));
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  int32x4_t m = vdupq_n_s32(p->multiplier[0]), e = vdupq_n_s32(p->shift[0]);
  for (c = 0; c < oc; c += 4, w += 4 * groups) {
    int32_t a0 = p->bias[c], a1 = p->bias[c + 1], a2 = p->bias[c + 2], a3 = p->bias[c + 3];
    int32_t j;
#if TML_GEMM_DIRECT_MVE_ASM
    j = groups; /* the tail too: predicated */
    (void)full;
    {
      int32_t r[4];
      r[0] = a0;
      r[1] = a1;
      r[2] = a2;
      r[3] = a3;
      tml_gemm_direct_mve_rows4(in, w, 4 * groups, r);
      a0 = r[0];
      a1 = r[1];
      a2 = r[2];
      a3 = r[3];
    }
#else
    for (j = 0; j < full; j += 4) {
      const int8x16_t x = vldrbq_s8(in + 4 * j);
      const uint32_t *wj = w + 4 * j;
      a0 = vmladavaq_s8(a0, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj, offs)));
      a1 = vmladavaq_s8(a1, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj + 1, offs)));
      a2 = vmladavaq_s8(a2, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj + 2, offs)));
      a3 = vmladavaq_s8(a3, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj + 3, offs)));
    }
#endif
    if (j < groups) {
      const int8x16_t x = vldrbq_z_s8(in + 4 * j, pb);
      const uint32_t *wj = w + 4 * j;
      a0 = vmladavaq_s8(a0, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj, offs, pw)));
      a1 = vmladavaq_s8(a1, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj + 1, offs, pw)));
      a2 = vmladavaq_s8(a2, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj + 2, offs, pw)));
      a3 = vmladavaq_s8(a3, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj + 3, offs, pw)));
    }
    {
      /* The 4 outputs requantized together (rows past output_c: not stored). */
      const mve_pred16_t live = vctp32q((uint32_t)(oc - c));
      int32x4_t acc = vsetq_lane_s32(a0, vdupq_n_s32(a1), 0);
      acc = vsetq_lane_s32(a2, acc, 2);
      acc = vsetq_lane_s32(a3, acc, 3);
      if (p->per_channel) {
        m = vldrwq_z_s32(p->multiplier + c, live);
        e = vldrbq_z_s32(p->shift + c, live);
      }
      tml_mve_output4(acc, m, e, zp, act_min, act_max, out + c, live);
    }
  }
#else
  /* Groups in steps of 4 (not when optimizing for size), then one at a time. */
#if !TML_SPEED_PATHS
  const int32_t groups4 = 0;
#else
  const int32_t groups4 = p->groups & ~3;
#endif
  const int32_t groups1 = p->groups - groups4;
  /* The parameters in locals: the loops' "memory" clobber would reload them from p. */
  const int32_t *bias = p->bias;
  const int32_t *const mult = p->multiplier;
  const int8_t *const shift = p->shift;
  const int32_t zp = p->output_offset;
  const int per_channel = p->per_channel != 0;
  const int full = p->act_min == -128 && p->act_max == 127;
  /* One rounding constant for a layer with one multiplier and shift (else the zero point
   * is added per output: computing r per channel costs as much). */
  const int fold = p->fold_zp && !per_channel;
  const int32_t r = fold ? tml_conv_gemm_round(shift[0], zp) : 0;
#if TML_CONV_GEMM_ASM_DIRECT && TML_CONV_GEMM_DIRECT_BLOCKS
  if (groups1 == 0 && full) {
    /* Up to 8 blocks (32 channels) at a time through the stack; the input widened once
     * into x16 when there is one. */
    int32_t acc[32];
    if (x16 != NULL) {
      int32_t g;
      for (g = 0; g < groups4; ++g) tml_widen_s8x4(tml_read_s8x4(in + 4 * g), &x16[2 * g], &x16[2 * g + 1]);
    }
    for (c = 0; c < oc; c += 32, w += 8 * 4 * groups4) {
      const int32_t n = oc - c < 32 ? oc - c : 32, nb = (n + 3) >> 2;
      int32_t i;
      if (x16 != NULL) {
        tml_conv_gemm_direct_blocks16(x16, w, bias + c, acc, acc + 4 * nb, 16 * groups4);
      } else {
        tml_conv_gemm_direct_blocks(in, w, bias + c, acc, acc + 4 * nb, 16 * groups4);
      }
      if (fold) {
        for (i = 0; i < n; ++i) out[c + i] = tml_fast_output_r(acc[i], mult[0], shift[0], r);
      } else if (per_channel) {
        for (i = 0; i < n; ++i) out[c + i] = tml_conv_gemm_out_full(acc[i], mult[c + i], shift[c + i], zp);
      } else {
        for (i = 0; i < n; ++i) out[c + i] = tml_conv_gemm_out_full(acc[i], mult[0], shift[0], zp);
      }
    }
    return;
  }
#endif
  for (c = 0; c < oc; c += 4, bias += 4) {
    const int8_t *x = in;
    const uint32_t *end = w + 4 * groups4;
    int32_t a0 = bias[0], a1 = bias[1], a2 = bias[2], a3 = bias[3];
    if (w != end) TML_CONV_GEMM_DIRECT_LOOP4(x, w, end);
    end = w + 4 * groups1;
    if (w != end) TML_CONV_GEMM_DIRECT_LOOP1(x, w, end);
#if TML_SPEED_PATHS
    if (full && c + 4 <= oc) {
      /* The common case: 4 outputs in order, no range tests. */
      int8_t *const o = out + c;
      if (fold) {
        o[0] = tml_fast_output_r(a0, mult[0], shift[0], r);
        o[1] = tml_fast_output_r(a1, mult[0], shift[0], r);
        o[2] = tml_fast_output_r(a2, mult[0], shift[0], r);
        o[3] = tml_fast_output_r(a3, mult[0], shift[0], r);
      } else if (per_channel) {
        const int32_t *const m = mult + c;
        const int8_t *const e = shift + c;
        o[0] = tml_conv_gemm_out_full(a0, m[0], e[0], zp);
        o[1] = tml_conv_gemm_out_full(a1, m[1], e[1], zp);
        o[2] = tml_conv_gemm_out_full(a2, m[2], e[2], zp);
        o[3] = tml_conv_gemm_out_full(a3, m[3], e[3], zp);
      } else {
        o[0] = tml_conv_gemm_out_full(a0, mult[0], shift[0], zp);
        o[1] = tml_conv_gemm_out_full(a1, mult[0], shift[0], zp);
        o[2] = tml_conv_gemm_out_full(a2, mult[0], shift[0], zp);
        o[3] = tml_conv_gemm_out_full(a3, mult[0], shift[0], zp);
      }
      continue;
    }
#else
    (void)full, (void)per_channel, (void)fold, (void)r, (void)mult, (void)shift, (void)zp;
#endif
    out[c] = tml_conv_gemm_out(p, c, a0);
    if (c + 1 < oc) out[c + 1] = tml_conv_gemm_out(p, c + 1, a1);
    if (c + 2 < oc) out[c + 2] = tml_conv_gemm_out(p, c + 2, a2);
    if (c + 3 < oc) out[c + 3] = tml_conv_gemm_out(p, c + 3, a3);
  }
#endif
}

#endif /* TML_OPT_GEMM_DIRECT */

#if TML_OPT_GEMM_IM2COL && TML_HAVE_MVE
/* 16 taps (4 groups from group j) of the 4 rows at w (2 rows per block: rows 0, 1 at w,
 * w + 1; rows 2, 3 at w + 2 * groups, + 1) for the two pixels xa, xb: a gather of each
 * row's 4 words (word offsets `offs` = {0, 2, 4, 6}), one VMLADAVA per row and pixel.
 * TAIL: the last 1-3 groups, predicated (inactive lanes read as 0). */
#define TML_GEMM_MVE_STEP(TAIL)                                                             \
  do {                                                                                      \
    const int8x16_t xa = TAIL ? vldrbq_z_s8(x0 + 4 * j, pb) : vldrbq_s8(x0 + 4 * j);         \
    const int8x16_t xb = TAIL ? vldrbq_z_s8(x1 + 4 * j, pb) : vldrbq_s8(x1 + 4 * j);         \
    const uint32_t *const wj = w + 2 * j;                                                   \
    int8x16_t wr;                                                                           \
    wr = vreinterpretq_s8_u32(TAIL ? vldrwq_gather_shifted_offset_z_u32(wj, offs, pw)        \
                                   : vldrwq_gather_shifted_offset_u32(wj, offs));           \
    a0 = vmladavaq_s8(a0, xa, wr);                                                          \
    b0 = vmladavaq_s8(b0, xb, wr);                                                          \
    wr = vreinterpretq_s8_u32(TAIL ? vldrwq_gather_shifted_offset_z_u32(wj + 1, offs, pw)    \
                                   : vldrwq_gather_shifted_offset_u32(wj + 1, offs));       \
    a1 = vmladavaq_s8(a1, xa, wr);                                                          \
    b1 = vmladavaq_s8(b1, xb, wr);                                                          \
    wr = vreinterpretq_s8_u32(TAIL ? vldrwq_gather_shifted_offset_z_u32(wj + w2, offs, pw)   \
                                   : vldrwq_gather_shifted_offset_u32(wj + w2, offs));      \
    a2 = vmladavaq_s8(a2, xa, wr);                                                          \
    b2 = vmladavaq_s8(b2, xb, wr);                                                          \
    wr = vreinterpretq_s8_u32(TAIL ? vldrwq_gather_shifted_offset_z_u32(wj + w2 + 1, offs, pw) \
                                   : vldrwq_gather_shifted_offset_u32(wj + w2 + 1, offs));  \
    a3 = vmladavaq_s8(a3, xa, wr);                                                          \
    b3 = vmladavaq_s8(b3, xb, wr);                                                          \
  } while (0)

#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#define TML_GEMM_MVE_ASM 1
/* The n = 4 groups taps of the 4 rows of a block (the im2col layout: rows 0, 1
 * interleaved at w, rows 2, 3 at w + 2 groups words = w + 2 n bytes) for the three pixels
 * at x0, x1 and x2 to acc[0..3], acc[4..7] and acc[8..11]: one assembly statement of two
 * passes (rows 0 and 1, then rows 2 and 3; VMLADAVA wants even accumulator registers,
 * which the compilers shuffle otherwise), 6 accumulators from 0 (the caller adds the
 * bias). The rows' 4 words of a step are one gather from a vector of addresses (w + 8 i,
 * VIDUP; advanced by 32 bytes per step with writeback; the second row at + 4): 3 loads,
 * 2 gathers and 6 VMLADAVA per 96 MACs in a tail-predicated loop over the n bytes
 * (DLSTP.8: in the last step, byte lanes past n and the word lanes of their groups neither
 * load nor count). Between the passes the input pointers go back by the bytes the loop
 * stepped over (n rounded up to 16). */
TML_ALWAYS_INLINE void tml_gemm_mve_block3(const int8_t *x0_, const int8_t *x1_,
                                           const int8_t *x2_, const uint32_t *w_, int32_t n_,
                                           int32_t *acc_) {
  /* Every operand in a named register (12 of them, r7 left to the compiler): GCC finds
   * no allocation on its own at -O2. */
  register const int8_t *x0 __asm__("r1") = x0_;
  register const int8_t *x1 __asm__("r3") = x1_;
  register const int8_t *x2 __asm__("r5") = x2_;
  register const uint32_t *w __asm__("r9") = w_;
  register int32_t n __asm__("r11") = n_;
  register int32_t *acc __asm__("r12") = acc_;
  register int32_t a0 __asm__("r0");
  register int32_t a1 __asm__("r2");
  register int32_t b0 __asm__("r4");
  register int32_t b1 __asm__("r6");
  register int32_t c0 __asm__("r8");
  register int32_t c1 __asm__("r10");
  int8x16_t xa, xb, xc;
  uint32x4_t wr, qa;
#define TML_GEMM_MVE_LOOP3(L)                                                                \
  "dlstp.8 lr, %[n]\n"                                                                       \
  L ":\n"                                                                                    \
  "vldrb.8 %q[xa], [%[x0]], #16\n"                                                           \
  "vldrb.8 %q[xb], [%[x1]], #16\n"                                                           \
  "vldrb.8 %q[xc], [%[x2]], #16\n"                                                           \
  "vldrw.u32 %q[wr], [%q[qa], #32]!\n"                                                       \
  "vmladava.s8 %[a0], %q[xa], %q[wr]\n"                                                      \
  "vmladava.s8 %[b0], %q[xb], %q[wr]\n"                                                      \
  "vmladava.s8 %[c0], %q[xc], %q[wr]\n"                                                      \
  "vldrw.u32 %q[wr], [%q[qa], #4]\n"                                                         \
  "vmladava.s8 %[a1], %q[xa], %q[wr]\n"                                                      \
  "vmladava.s8 %[b1], %q[xb], %q[wr]\n"                                                      \
  "vmladava.s8 %[c1], %q[xc], %q[wr]\n"                                                      \
  "letp lr, " L "b\n"
  __asm__ volatile(
      "sub %[a0], %[w], #32\n"
      "vidup.u32 %q[qa], %[a0], #8\n"
      "movs %[a0], #0\n"
      "movs %[a1], #0\n"
      "movs %[b0], #0\n"
      "movs %[b1], #0\n"
      "movs %[c0], #0\n"
      "movs %[c1], #0\n"
      TML_GEMM_MVE_LOOP3("1")
      "strd %[a0], %[a1], [%[acc]]\n"
      "strd %[b0], %[b1], [%[acc], #16]\n"
      "strd %[c0], %[c1], [%[acc], #32]\n"
      "add %[a0], %[n], #15\n"
      "bic %[a0], %[a0], #15\n"
      "sub %[x0], %[x0], %[a0]\n"
      "sub %[x1], %[x1], %[a0]\n"
      "sub %[x2], %[x2], %[a0]\n"
      "add %[a0], %[w], %[n], lsl #1\n"
      "sub %[a0], %[a0], #32\n"
      "vidup.u32 %q[qa], %[a0], #8\n"
      "movs %[a0], #0\n"
      "movs %[a1], #0\n"
      "movs %[b0], #0\n"
      "movs %[b1], #0\n"
      "movs %[c0], #0\n"
      "movs %[c1], #0\n"
      TML_GEMM_MVE_LOOP3("2")
      "strd %[a0], %[a1], [%[acc], #8]\n"
      "strd %[b0], %[b1], [%[acc], #24]\n"
      "strd %[c0], %[c1], [%[acc], #40]\n"
      : [a0] "=&r"(a0), [a1] "=&r"(a1), [b0] "=&r"(b0), [b1] "=&r"(b1), [c0] "=&r"(c0),
        [c1] "=&r"(c1), [x0] "+r"(x0), [x1] "+r"(x1), [x2] "+r"(x2), [qa] "=&w"(qa),
        [xa] "=&w"(xa), [xb] "=&w"(xb), [xc] "=&w"(xc), [wr] "=&w"(wr)
      : [w] "r"(w), [n] "r"(n), [acc] "r"(acc)
      : "lr", "memory");
#undef TML_GEMM_MVE_LOOP3
  (void)a0;
  (void)a1;
  (void)b0;
  (void)b1;
  (void)c0;
  (void)c1;
  (void)xa;
  (void)xb;
  (void)xc;
  (void)wr;
  (void)qa;
  (void)x0;
  (void)x1;
  (void)x2;
}

/* tml_gemm_mve_block3() for three neighbouring windows of one output row that lie inside
 * the input, read in place: the windows at x0, x0 + d and x0 + 2 d (the second and third
 * through byte gathers with the offsets o1 = d + i, o2 = 2 d + i; 2 d + 15 <= 255), each
 * window ROWS (1 or 3) runs of `run` bytes (a multiple of 16), `skip` bytes from the end
 * of one run to the start of the next. K = ROWS * run. */
#define TML_GEMM_MVE_ROW(L)                                                                  \
  "dlstp.8 lr, %[run]\n"                                                                     \
  L ":\n"                                                                                    \
  "vldrb.u8 %q[xb], [%[x0], %q[o1]]\n"                                                       \
  "vldrb.u8 %q[xc], [%[x0], %q[o2]]\n"                                                       \
  "vldrb.8 %q[xa], [%[x0]], #16\n"                                                           \
  "vldrw.u32 %q[wr], [%q[qa], #32]!\n"                                                       \
  "vmladava.s8 %[a0], %q[xa], %q[wr]\n"                                                      \
  "vmladava.s8 %[b0], %q[xb], %q[wr]\n"                                                      \
  "vmladava.s8 %[c0], %q[xc], %q[wr]\n"                                                      \
  "vldrw.u32 %q[wr], [%q[qa], #4]\n"                                                         \
  "vmladava.s8 %[a1], %q[xa], %q[wr]\n"                                                      \
  "vmladava.s8 %[b1], %q[xb], %q[wr]\n"                                                      \
  "vmladava.s8 %[c1], %q[xc], %q[wr]\n"                                                      \
  "letp lr, " L "b\n"
#define TML_GEMM_MVE_ZERO6                                                                   \
  "movs %[a0], #0\n"                                                                         \
  "movs %[a1], #0\n"                                                                         \
  "movs %[b0], #0\n"                                                                         \
  "movs %[b1], #0\n"                                                                         \
  "movs %[c0], #0\n"                                                                         \
  "movs %[c1], #0\n"
#define TML_GEMM_MVE_ROWS_FN(NAME, ROWS_A, ROWS_B, REWIND, WB)                               \
  TML_ALWAYS_INLINE void NAME(const int8_t *x0_, uint8x16_t o1, uint8x16_t o2,               \
                              const uint32_t *w_, int32_t run_, int32_t skip_, int32_t *acc_) { \
    register const int8_t *x0 __asm__("r1") = x0_;                                           \
    register int32_t skip __asm__("r3") = skip_;                                             \
    register const uint32_t *w __asm__("r9") = w_;                                           \
    register int32_t run __asm__("r11") = run_;                                              \
    register int32_t *acc __asm__("r12") = acc_;                                             \
    register int32_t a0 __asm__("r0");                                                       \
    register int32_t a1 __asm__("r2");                                                       \
    register int32_t b0 __asm__("r4");                                                       \
    register int32_t b1 __asm__("r6");                                                       \
    register int32_t c0 __asm__("r8");                                                       \
    register int32_t c1 __asm__("r10");                                                      \
    int8x16_t xa, xb, xc;                                                                    \
    uint32x4_t wr, qa;                                                                       \
    __asm__ volatile(                                                                        \
        "sub %[a0], %[w], #32\n"                                                             \
        "vidup.u32 %q[qa], %[a0], #8\n"                                                      \
        TML_GEMM_MVE_ZERO6                                                                   \
        ROWS_A                                                                               \
        "strd %[a0], %[a1], [%[acc]]\n"                                                      \
        "strd %[b0], %[b1], [%[acc], #16]\n"                                                 \
        "strd %[c0], %[c1], [%[acc], #32]\n"                                                 \
        REWIND                                                                               \
        WB                                                                                   \
        "sub %[a0], %[a0], #32\n"                                                            \
        "vidup.u32 %q[qa], %[a0], #8\n"                                                      \
        TML_GEMM_MVE_ZERO6                                                                   \
        ROWS_B                                                                               \
        "strd %[a0], %[a1], [%[acc], #8]\n"                                                  \
        "strd %[b0], %[b1], [%[acc], #24]\n"                                                 \
        "strd %[c0], %[c1], [%[acc], #40]\n"                                                 \
        : [a0] "=&r"(a0), [a1] "=&r"(a1), [b0] "=&r"(b0), [b1] "=&r"(b1), [c0] "=&r"(c0),    \
          [c1] "=&r"(c1), [x0] "+r"(x0), [qa] "=&w"(qa), [xa] "=&w"(xa), [xb] "=&w"(xb),     \
          [xc] "=&w"(xc), [wr] "=&w"(wr)                                                     \
        : [w] "r"(w), [run] "r"(run), [skip] "r"(skip), [acc] "r"(acc), [o1] "w"(o1),        \
          [o2] "w"(o2)                                                                       \
        : "lr", "memory");                                                                   \
    (void)a0;                                                                                \
    (void)a1;                                                                                \
    (void)b0;                                                                                \
    (void)b1;                                                                                \
    (void)c0;                                                                                \
    (void)c1;                                                                                \
    (void)xa;                                                                                \
    (void)xb;                                                                                \
    (void)xc;                                                                                \
    (void)wr;                                                                                \
    (void)qa;                                                                                \
    (void)x0;                                                                                \
  }
/* One run per window: rows 2, 3 of the block at w + 2 run. */
TML_GEMM_MVE_ROWS_FN(tml_gemm_mve_block3_rows1, TML_GEMM_MVE_ROW("1"), TML_GEMM_MVE_ROW("2"),
                     "sub %[x0], %[x0], %[run]\n", "add %[a0], %[w], %[run], lsl #1\n")
/* Three runs per window: rows 2, 3 of the block at w + 2 K = w + 6 run; the pass moves x0
 * by 3 run + 2 skip. */
TML_GEMM_MVE_ROWS_FN(tml_gemm_mve_block3_rows3,
                     TML_GEMM_MVE_ROW("1") "add %[x0], %[x0], %[skip]\n" TML_GEMM_MVE_ROW("2")
                     "add %[x0], %[x0], %[skip]\n" TML_GEMM_MVE_ROW("3"),
                     TML_GEMM_MVE_ROW("4") "add %[x0], %[x0], %[skip]\n" TML_GEMM_MVE_ROW("5")
                     "add %[x0], %[x0], %[skip]\n" TML_GEMM_MVE_ROW("6"),
                     "add %[a0], %[run], %[skip]\n"
                     "add %[a0], %[a0], %[a0]\n"
                     "add %[a0], %[a0], %[run]\n"
                     "sub %[x0], %[x0], %[a0]\n",
                     "add %[a0], %[run], %[run], lsl #1\n"
                     "add %[a0], %[w], %[a0], lsl #1\n")
#undef TML_GEMM_MVE_ROWS_FN
#undef TML_GEMM_MVE_ZERO6
#undef TML_GEMM_MVE_ROW

/* The in-place windows of tml_gemm_mve_block3_rows1/3(): offsets, run, skip, rows. */
typedef struct {
  uint8x16_t o1, o2;
  int32_t run, skip, rows;
} tml_gemm_mve_rows_t;

/* tml_mve_output4()'s arithmetic before the store, with the shifts prepared per block of
 * channels: left (TFLM's left shift) and negr (minus the right shift). */
TML_ALWAYS_INLINE int32x4_t tml_gemm_mve_requant(int32x4_t x, int32x4_t m, int32x4_t left,
                                                 int32x4_t negr, int32_t zp, int32x4_t lo,
                                                 int32x4_t hi, const int tflm) {
  if (TML_OPT_FAST_TFLM && tflm) {
    x = vqrdmulhq_s32(vshlq_s32(x, left), m);
    x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, negr), 31));
  } else {
    (void)left;
    x = vqrdmulhq_s32(x, m);
    x = vqaddq_s32(x, vshrq_n_s32(x, 31));
  }
  x = vaddq_n_s32(vrshlq_s32(x, negr), zp);
  return vminq_s32(vmaxq_s32(x, lo), hi);
}

/* The shifts of tml_gemm_mve_requant() from the encoded shifts (tml_fast_output()).
 * tflm 0: every channel of the layer is in the short form (e >= 1), whatever the model's
 * other layers need (TML_OPT_FAST_TFLM). */
TML_ALWAYS_INLINE void tml_gemm_mve_shifts(int32x4_t enc, int32x4_t *left, int32x4_t *negr,
                                           const int tflm) {
  if (TML_OPT_FAST_TFLM && tflm) {
    const int32x4_t s = vpselq_s32(vaddq_n_s32(enc, 64), vnegq_s32(enc), vcmpltq_n_s32(enc, -32));
    *left = vmaxq_s32(s, vdupq_n_s32(0));
    *negr = vminq_s32(s, vdupq_n_s32(0));
  } else {
    *left = enc;
    *negr = vnegq_s32(enc);
  }
}

/* All output channels of three pixels (tml_gemm_mve_block3()), in chunks of `chunk`
 * channels (a multiple of 4; the sums in acc[], 12 per block of 4 channels: the scratch
 * past the windows): the chunk's sums to acc[], then its requantization (bias added),
 * 4 channels of a pixel per vector; whole blocks store without predication. */
TML_ALWAYS_INLINE void tml_conv_gemm_pixels3_body(
    const tml_conv_gemm_s8_params_t *p, const int8_t *x0, const int8_t *x1, const int8_t *x2,
    int8_t *out0, int8_t *out1, int8_t *out2, const tml_gemm_mve_rows_t *rows, int32_t *acc,
    int32_t chunk, const int mode, const int tflm) {
  const int32_t oc = p->output_c, groups = p->groups, nb = 4 * groups;
  const int32_t zp = p->output_offset;
  const int32x4_t lo = vdupq_n_s32(p->act_min), hi = vdupq_n_s32(p->act_max);
  const int32_t *const bias = p->bias;
  const int32_t *const mult = p->multiplier;
  const int8_t *const shift = p->shift;
  const int per_channel = p->per_channel != 0;
  const uint32_t *w = p->weights;
  int32x4_t m = vdupq_n_s32(mult[0]), left, negr;
  int32_t c0;
  tml_gemm_mve_shifts(vdupq_n_s32(shift[0]), &left, &negr, tflm);
  for (c0 = 0; c0 < oc; c0 += chunk) {
    const int32_t c1 = oc - c0 < chunk ? oc : c0 + chunk;
    int32_t c;
    int32_t *a;
    if (mode == 0) {
      for (c = c0, a = acc; c < c1; c += 4, w += 4 * groups, a += 12) {
        tml_gemm_mve_block3(x0, x1, x2, w, nb, a);
      }
    } else if (mode == 1) {
      for (c = c0, a = acc; c < c1; c += 4, w += 4 * groups, a += 12) {
        tml_gemm_mve_block3_rows1(x0, rows->o1, rows->o2, w, rows->run, rows->skip, a);
      }
    } else {
      for (c = c0, a = acc; c < c1; c += 4, w += 4 * groups, a += 12) {
        tml_gemm_mve_block3_rows3(x0, rows->o1, rows->o2, w, rows->run, rows->skip, a);
      }
    }
    for (c = c0, a = acc; c < c1; c += 4, a += 12) {
      /* Rows past output_c are zero rows (the compiler pads to a multiple of 4, the bias
       * too); their outputs are not stored. */
      const int32x4_t b = vldrwq_s32(bias + c);
      int32x4_t y0, y1, y2;
      if (per_channel) {
        if (c + 4 <= oc) {
          m = vldrwq_s32(mult + c);
          tml_gemm_mve_shifts(vldrbq_s32(shift + c), &left, &negr, tflm);
        } else {
          const mve_pred16_t live = vctp32q((uint32_t)(oc - c));
          m = vldrwq_z_s32(mult + c, live);
          tml_gemm_mve_shifts(vldrbq_z_s32(shift + c, live), &left, &negr, tflm);
        }
      }
      y0 = tml_gemm_mve_requant(vaddq_s32(vld1q_s32(a), b), m, left, negr, zp, lo, hi, tflm);
      y1 = tml_gemm_mve_requant(vaddq_s32(vld1q_s32(a + 4), b), m, left, negr, zp, lo, hi, tflm);
      y2 = tml_gemm_mve_requant(vaddq_s32(vld1q_s32(a + 8), b), m, left, negr, zp, lo, hi, tflm);
      if (c + 4 <= oc) {
        vstrbq_s32(out0 + c, y0);
        vstrbq_s32(out1 + c, y1);
        vstrbq_s32(out2 + c, y2);
      } else {
        const mve_pred16_t live = vctp32q((uint32_t)(oc - c));
        vstrbq_p_s32(out0 + c, y0, live);
        vstrbq_p_s32(out1 + c, y1, live);
        vstrbq_p_s32(out2 + c, y2, live);
      }
    }
  }
}
/* mode 0: the windows at x0, x1, x2 (tml_gemm_mve_block3()); 1, 3: in place, 1 or 3
 * filter rows (tml_gemm_mve_block3_rows1/3(), x0 only). */
__attribute__((noinline)) TML_HELPER void tml_conv_gemm_pixels3_mve(
    const tml_conv_gemm_s8_params_t *p, const int8_t *x0, const int8_t *x1, const int8_t *x2,
    int8_t *out0, int8_t *out1, int8_t *out2, int32_t *acc, int32_t chunk) {
  tml_conv_gemm_pixels3_body(p, x0, x1, x2, out0, out1, out2, NULL, acc, chunk, 0, 1);
}
#if TML_OPT_FAST_TFLM
/* A layer whose channels are all in the short form, in a model where others are not. */
__attribute__((noinline)) TML_HELPER void tml_conv_gemm_pixels3_short_mve(
    const tml_conv_gemm_s8_params_t *p, const int8_t *x0, const int8_t *x1, const int8_t *x2,
    int8_t *out0, int8_t *out1, int8_t *out2, int32_t *acc, int32_t chunk) {
  tml_conv_gemm_pixels3_body(p, x0, x1, x2, out0, out1, out2, NULL, acc, chunk, 0, 0);
}
#endif
__attribute__((noinline)) TML_HELPER void tml_conv_gemm_pixels3_rows1_mve(
    const tml_conv_gemm_s8_params_t *p, const int8_t *x0, int8_t *out0, int8_t *out1,
    int8_t *out2, const tml_gemm_mve_rows_t *rows, int32_t *acc, int32_t chunk) {
  tml_conv_gemm_pixels3_body(p, x0, x0, x0, out0, out1, out2, rows, acc, chunk, 1, 1);
}
__attribute__((noinline)) TML_HELPER void tml_conv_gemm_pixels3_rows3_mve(
    const tml_conv_gemm_s8_params_t *p, const int8_t *x0, int8_t *out0, int8_t *out1,
    int8_t *out2, const tml_gemm_mve_rows_t *rows, int32_t *acc, int32_t chunk) {
  tml_conv_gemm_pixels3_body(p, x0, x0, x0, out0, out1, out2, rows, acc, chunk, 3, 1);
}
#else
#define TML_GEMM_MVE_ASM 0
#endif

#if !TML_GEMM_MVE_ASM
/* All output channels of two output pixels whose taps (tml_conv_gemm_gather()) are at x0
 * and x1, 4 channels at a time: 16 taps per step (TML_GEMM_MVE_STEP), then the 4
 * channels of each pixel requantized together (tml_mve_output4()). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
TML_HELPER void tml_conv_gemm_pixels2_mve(const tml_conv_gemm_s8_params_t *p, const int8_t *x0,
                                      const int8_t *x1, int8_t *out0, int8_t *out1) {
  const int32_t oc = p->output_c, groups = p->groups, full = groups & ~3, w2 = 2 * groups;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t *bias = p->bias;
  const uint32_t *w = p->weights;
  const uint32x4_t offs = vidupq_n_u32(0, 2);
  const mve_pred16_t pw = vctp32q((uint32_t)(groups & 3)), pb = vctp8q((uint32_t)(4 * (groups & 3)));
  int32x4_t m = vdupq_n_s32(p->multiplier[0]), e = vdupq_n_s32(p->shift[0]);
  int32_t c;
  for (c = 0; c < oc; c += 4, w += 4 * groups) {
    /* Rows past output_c are zero rows (the compiler pads to a multiple of 4); their
     * outputs are not stored. */
    const mve_pred16_t live = vctp32q((uint32_t)(oc - c));
    int32_t a0 = bias[c], a1 = bias[c + 1], a2 = bias[c + 2], a3 = bias[c + 3], j;
    int32_t b0 = a0, b1 = a1, b2 = a2, b3 = a3;
    for (j = 0; j < full; j += 4) TML_GEMM_MVE_STEP(0);
    if (j < groups) TML_GEMM_MVE_STEP(1);
    if (p->per_channel) {
      m = vldrwq_z_s32(p->multiplier + c, live);
      e = vldrbq_z_s32(p->shift + c, live);
    }
    {
      int32x4_t acc = vsetq_lane_s32(a0, vdupq_n_s32(a1), 0);
      acc = vsetq_lane_s32(a2, acc, 2);
      acc = vsetq_lane_s32(a3, acc, 3);
      tml_mve_output4(acc, m, e, zp, act_min, act_max, out0 + c, live);
      acc = vsetq_lane_s32(b0, vdupq_n_s32(b1), 0);
      acc = vsetq_lane_s32(b2, acc, 2);
      acc = vsetq_lane_s32(b3, acc, 3);
      tml_mve_output4(acc, m, e, zp, act_min, act_max, out1 + c, live);
    }
  }
}
#endif /* !TML_GEMM_MVE_ASM */
#if !TML_GEMM_MVE_ASM
/* Three pixels as two pairs (the last pair repeats x2: same bytes stored twice). */
TML_INLINE void tml_conv_gemm_pixels3_mve(const tml_conv_gemm_s8_params_t *p, const int8_t *x0,
                                          const int8_t *x1, const int8_t *x2, int8_t *out0,
                                          int8_t *out1, int8_t *out2, int32_t *acc,
                                          int32_t chunk) {
  (void)acc, (void)chunk;
  tml_conv_gemm_pixels2_mve(p, x0, x1, out0, out1);
  tml_conv_gemm_pixels2_mve(p, x2, x2, out2, out2);
}
#endif
#undef TML_GEMM_MVE_STEP
/* The in-place windows of tml_conv_gemm_s8() need the assembly blocks. */
#if TML_GEMM_MVE_ASM
#define TML_GEMM_MVE_IN_PLACE 1
#else
#define TML_GEMM_MVE_IN_PLACE 0
#endif
#undef TML_GEMM_MVE_ASM
#endif

#if TML_OPT_GEMM_IM2COL && !TML_HAVE_MVE
/* The matrix product of the im2col path: 2 rows (output channels) x 3 columns (output
 * pixels) per block, one group of 4 taps at a time. Per group the two rows' words at w
 * are widened once (4 registers: the weights stay in registers for the 3 columns) and
 * each column's 2 words (one LDRD) go against both rows: 6 accumulators + 6
 * temporaries + the two pointers. The Arm DSP loop is written in assembly, UNROLL
 * groups per step (the end of the columns it runs to, the same for every block, read
 * from memory at the end of a step: no register is left for it); the portable loop
 * computes the same sums. */
#if TML_CONV_GEMM_ASM3
#define TML_CONV_GEMM_G3_COL(A0, A1, OX)                                                   \
  "ldrd %[x0], %[x1], [%[x], #" OX "]\n\t"                                                 \
  "smlad %[" A0 "], %[x0], %[w0], %[" A0 "]\n\t"                                           \
  "smlad %[" A1 "], %[x0], %[w2], %[" A1 "]\n\t"                                           \
  "smlad %[" A0 "], %[x1], %[w1], %[" A0 "]\n\t"                                           \
  "smlad %[" A1 "], %[x1], %[w3], %[" A1 "]\n\t"
#define TML_CONV_GEMM_G3(OW, OX0, OX1, OX2)                                                \
  "ldr.w %[w0], [%[w], #" OW "]\n\t"                                                       \
  "ldr.w %[w2], [%[w], #" OW "+4]\n\t"                                                     \
  "sxtb16 %[w1], %[w0], ror #8\n\t"                                                        \
  "sxtb16 %[w0], %[w0]\n\t"                                                                \
  "sxtb16 %[w3], %[w2], ror #8\n\t"                                                        \
  "sxtb16 %[w2], %[w2]\n\t"                                                                \
  TML_CONV_GEMM_G3_COL("a00", "a10", OX0)                                                  \
  TML_CONV_GEMM_G3_COL("a01", "a11", OX1)                                                  \
  TML_CONV_GEMM_G3_COL("a02", "a12", OX2)
#define TML_CONV_GEMM_LOOP3(BODY, WSTEP, XSTEP)                                            \
  do {                                                                                     \
    uint32_t w0_, w1_, w2_, w3_, x0_, x1_;                                                 \
    __asm__("1:\n\t" BODY                                                                  \
            "add %[w], %[w], #" WSTEP "\n\t"                                               \
            "add %[x], %[x], #" XSTEP "\n\t"                                               \
            "ldr %[x0], %[end]\n\t"                                                        \
            "cmp %[x], %[x0]\n\t"                                                          \
            "bne 1b"                                                                       \
            : [a00] "+r"(a00), [a01] "+r"(a01), [a02] "+r"(a02), [a10] "+r"(a10),          \
              [a11] "+r"(a11), [a12] "+r"(a12), [w] "+r"(w), [x] "+r"(x),                  \
              [w0] "=&r"(w0_), [w1] "=&r"(w1_), [w2] "=&r"(w2_), [w3] "=&r"(w3_),          \
              [x0] "=&r"(x0_), [x1] "=&r"(x1_)                                             \
            : [end] "m"(xend)                                                              \
            : "cc", "memory");                                                             \
  } while (0)
/* The 8-group BODY (every instruction 32-bit: 84 bytes a group) as a loop entered at
 * its group `skip` (a branch to label + entry = 84 skip bytes; the pointers start skip
 * groups before the columns and weights): the first step takes the groups % 8 (or 8)
 * groups, the others 8 each, with no test for the remainder. */
#define TML_CONV_GEMM_ENTRY_TEXT(BODY)                                                     \
  "ldr %[x0], %[entry]\n\t"                                                                \
  "adr %[x1], 1f\n\t"                                                                      \
  "add %[x1], %[x1], %[x0]\n\t"                                                            \
  "mov pc, %[x1]\n\t"                                                                      \
  ".p2align 2\n"                                                                           \
  "1:\n\t" BODY                                                                            \
  "add %[w], %[w], #64\n\t"                                                                \
  "add %[x], %[x], #192\n\t"                                                               \
  "ldr %[x0], %[end]\n\t"                                                                  \
  "cmp %[x], %[x0]\n\t"                                                                    \
  "bne 1b"
/* The 8 groups of a step of the entered loop. */
#define TML_CONV_GEMM_BODY8                                                                \
  TML_CONV_GEMM_G3("0", "0", "8", "16") TML_CONV_GEMM_G3("8", "24", "32", "40")            \
  TML_CONV_GEMM_G3("16", "48", "56", "64") TML_CONV_GEMM_G3("24", "72", "80", "88")        \
  TML_CONV_GEMM_G3("32", "96", "104", "112") TML_CONV_GEMM_G3("40", "120", "128", "136")   \
  TML_CONV_GEMM_G3("48", "144", "152", "160") TML_CONV_GEMM_G3("56", "168", "176", "184")
/* One group of the int16 weights (p->w16): its 4 words with one LDM (64 bytes a group,
 * every instruction 32-bit), then the 3 columns as above. */
#define TML_CONV_GEMM_G3W(OX0, OX1, OX2)                                                   \
  "ldmia.w %[w]!, {%[w0], %[w1], %[w2], %[w3]}\n\t"                                        \
  TML_CONV_GEMM_G3_COL("a00", "a10", OX0)                                                  \
  TML_CONV_GEMM_G3_COL("a01", "a11", OX1)                                                  \
  TML_CONV_GEMM_G3_COL("a02", "a12", OX2)
#define TML_CONV_GEMM_BODY8W                                                               \
  TML_CONV_GEMM_G3W("0", "8", "16") TML_CONV_GEMM_G3W("24", "32", "40")                    \
  TML_CONV_GEMM_G3W("48", "56", "64") TML_CONV_GEMM_G3W("72", "80", "88")                  \
  TML_CONV_GEMM_G3W("96", "104", "112") TML_CONV_GEMM_G3W("120", "128", "136")             \
  TML_CONV_GEMM_G3W("144", "152", "160") TML_CONV_GEMM_G3W("168", "176", "184")
#define TML_CONV_GEMM_LOOP3_ENTRY(BODY)                                                    \
  do {                                                                                     \
    uint32_t w0_, w1_, w2_, w3_, x0_, x1_;                                                 \
    __asm__(TML_CONV_GEMM_ENTRY_TEXT(BODY)                                                 \
            : [a00] "+r"(a00), [a01] "+r"(a01), [a02] "+r"(a02), [a10] "+r"(a10),          \
              [a11] "+r"(a11), [a12] "+r"(a12), [w] "+r"(w), [x] "+r"(x),                  \
              [w0] "=&r"(w0_), [w1] "=&r"(w1_), [w2] "=&r"(w2_), [w3] "=&r"(w3_),          \
              [x0] "=&r"(x0_), [x1] "=&r"(x1_)                                             \
            : [end] "m"(xend), [entry] "m"(entry)                                          \
            : "cc", "memory");                                                             \
  } while (0)
/* BODY once, no loop (the last groups). */
#define TML_CONV_GEMM_STEP3(BODY, WSTEP, XSTEP)                                            \
  do {                                                                                     \
    uint32_t w0_, w1_, w2_, w3_, x0_, x1_;                                                 \
    __asm__(BODY                                                                           \
            "add %[w], %[w], #" WSTEP "\n\t"                                               \
            "add %[x], %[x], #" XSTEP                                                      \
            : [a00] "+r"(a00), [a01] "+r"(a01), [a02] "+r"(a02), [a10] "+r"(a10),          \
              [a11] "+r"(a11), [a12] "+r"(a12), [w] "+r"(w), [x] "+r"(x),                  \
              [w0] "=&r"(w0_), [w1] "=&r"(w1_), [w2] "=&r"(w2_), [w3] "=&r"(w3_),          \
              [x0] "=&r"(x0_), [x1] "=&r"(x1_)                                             \
            :                                                                              \
            : "memory");                                                                   \
  } while (0)
/* The requantization of accumulator A inside tml_conv_gemm_acc3_rq()'s assembly, with
 * w0 = m, w1 = e, w2 = r = 2^(e-1) + zp 2^e (the record's values) and w3 a temporary:
 *   a = 2 acc; y = SMMLAR(a, m, r - (a < 0)) >> e, saturated to int8
 * (tml_fast_output_r()'s value: SMMLAR adds its accumulator before the rounding shift,
 * so r - (a < 0) may go in at once). */
#define TML_CONV_GEMM_DOUBLE(A) "lsl %[" A "], %[" A "], #1\n\t"
#define TML_CONV_GEMM_AS_IS(A)
/* DBL: TML_CONV_GEMM_DOUBLE (the sums are acc), or TML_CONV_GEMM_AS_IS (p->w16: weights and
 * biases doubled at compile time, the sums are 2 acc already). */
#define TML_CONV_GEMM_RQ1(A, DBL)                                                          \
  DBL(A)                                                                                   \
  "add %[w3], %[w2], %[" A "], asr #31\n\t"                                                \
  "smmlar %[" A "], %[" A "], %[w0], %[w3]\n\t"                                            \
  "asr %[" A "], %[" A "], %[w1]\n\t"                                                      \
  "ssat %[" A "], #8, %[" A "]\n\t"
/* One row (channel) of a block: its record's m, r, e from x + OFF, its three outputs to
 * x1, x1 + oc and x1 + 2 oc (x0 = oc). */
#define TML_CONV_GEMM_RQ_ROW(OFF, A0, A1, A2, DBL)                                         \
  "ldr %[w0], [%[x], #" OFF "]\n\t"                                                        \
  "ldr %[w2], [%[x], #" OFF "+4]\n\t"                                                      \
  "ldr %[w1], [%[x], #" OFF "+8]\n\t"                                                      \
  TML_CONV_GEMM_RQ1(A0, DBL)                                                               \
  "strb %[" A0 "], [%[x1]]\n\t"                                                            \
  TML_CONV_GEMM_RQ1(A1, DBL)                                                               \
  "strb %[" A1 "], [%[x1], %[x0]]\n\t"                                                     \
  TML_CONV_GEMM_RQ1(A2, DBL)                                                               \
  "strb %[" A2 "], [%[x1], %[x0], lsl #1]\n\t"
#else
#define TML_CONV_GEMM_LOOP3_C(GROUPS_PER_STEP)                                             \
  do {                                                                                     \
    while (w != end) {                                                                     \
      int32_t g_;                                                                          \
      for (g_ = 0; g_ < (GROUPS_PER_STEP); ++g_, w += 2, x += 6) {                         \
        uint32_t w0a_, w0b_, w1a_, w1b_;                                                   \
        tml_widen_s8x4(w[0], &w0a_, &w0b_);                                                \
        tml_widen_s8x4(w[1], &w1a_, &w1b_);                                                \
        a00 = tml_dot2(x[1], w0b_, tml_dot2(x[0], w0a_, a00));                             \
        a10 = tml_dot2(x[1], w1b_, tml_dot2(x[0], w1a_, a10));                             \
        a01 = tml_dot2(x[3], w0b_, tml_dot2(x[2], w0a_, a01));                             \
        a11 = tml_dot2(x[3], w1b_, tml_dot2(x[2], w1a_, a11));                             \
        a02 = tml_dot2(x[5], w0b_, tml_dot2(x[4], w0a_, a02));                             \
        a12 = tml_dot2(x[5], w1b_, tml_dot2(x[4], w1a_, a12));                             \
      }                                                                                    \
    }                                                                                      \
  } while (0)
#endif

/* Activation ranges the requantization loop is specialized for (RANGE, a constant where
 * tml_conv_gemm_out3() is inlined): all of int8; int8's lower end and a lower upper
 * bound (ReLU6, ReLU-N with the output zero point at -128); any other. */
#define TML_CONV_GEMM_RANGE_CLAMP 0
#define TML_CONV_GEMM_RANGE_FULL 1
#define TML_CONV_GEMM_RANGE_UPPER 2

#if TML_OPT_FAST_TFLM
/* TFLM's MultiplyByQuantizedMultiplier(acc, m, -right) for 0 <= m < 2^31, right >= 1,
 * any acc, in a form without the 64-bit division: SaturatingRoundingDoublingHighMul
 * never saturates with m >= 0 and equals x = floor((acc m + 2^30) / 2^31) (the -1 of
 * gemmlowp's negative nudge cancels the truncation toward zero), |x| < 2^31 - 1; then
 * RoundingDivideByPOT(x, right) = (t >> right) + bit (right - 1) of t with t = x - (x < 0)
 * (ties away from zero). */
TML_INLINE int32_t tml_conv_gemm_tflm_right(int32_t acc, int32_t m, int32_t right) {
  const int64_t prod = (int64_t)acc * m + ((int64_t)1 << 30);
  const int32_t x = (int32_t)(prod >> 31);
  const int32_t t = x + (x >> 31);
  return (t >> right) + ((t >> (right - 1)) & 1);
}

/* tml_conv_gemm_out3() for a channel with TFLM's arithmetic as written (e = TFLM's shift
 * - 64): out of line and storing its own outputs, so that the common path keeps its
 * registers and stores. */
TML_HELPER TML_FAST_NOINLINE void tml_conv_gemm_out3_tflm(const int32_t *acc, int32_t m,
                                                          int32_t e, int32_t zp,
                                                          int32_t act_min, int32_t act_max,
                                                          int8_t *y0, int8_t *y1, int8_t *y2) {
  const int32_t right = -(e + 64);
  if (right >= 1 && m >= 0) {
    *y0 = (int8_t)tml_clamp(tml_conv_gemm_tflm_right(acc[0], m, right) + zp, act_min, act_max);
    *y1 = (int8_t)tml_clamp(tml_conv_gemm_tflm_right(acc[1], m, right) + zp, act_min, act_max);
    *y2 = (int8_t)tml_clamp(tml_conv_gemm_tflm_right(acc[2], m, right) + zp, act_min, act_max);
    return;
  }
  *y0 = tml_fast_output_tflm(acc[0], m, e, zp, act_min, act_max);
  *y1 = tml_fast_output_tflm(acc[1], m, e, zp, act_min, act_max);
  *y2 = tml_fast_output_tflm(acc[2], m, e, zp, act_min, act_max);
}
#endif

/* Requantization of one channel's three outputs (tml_fast_output() on each, the short
 * form's rounding constant computed once); e >= 1 (the caller takes channels with TFLM's
 * arithmetic to tml_conv_gemm_out3_tflm()). */
TML_ALWAYS_INLINE void tml_conv_gemm_out3(int32_t acc0, int32_t acc1, int32_t acc2, int32_t m,
                                          int32_t e, int32_t zp, int32_t act_min,
                                          int32_t act_max, int range, int8_t *y0, int8_t *y1,
                                          int8_t *y2) {
  {
    const int32_t round = (int32_t)((uint32_t)1 << (e - 1));
    const int32_t a0 = (int32_t)((uint32_t)acc0 << 1), a1 = (int32_t)((uint32_t)acc1 << 1);
    const int32_t a2 = (int32_t)((uint32_t)acc2 << 1);
    int32_t v0 = tml_mul_high_round_add(a0, m, round);
    int32_t v1 = tml_mul_high_round_add(a1, m, round);
    int32_t v2 = tml_mul_high_round_add(a2, m, round);
    v0 = ((v0 - (int32_t)((uint32_t)a0 >> 31)) >> e) + zp;
    v1 = ((v1 - (int32_t)((uint32_t)a1 >> 31)) >> e) + zp;
    v2 = ((v2 - (int32_t)((uint32_t)a2 >> 31)) >> e) + zp;
#if TML_HAVE_DSP
    if (range != TML_CONV_GEMM_RANGE_CLAMP) {
      v0 = (int32_t)__builtin_arm_ssat(v0, 8);
      v1 = (int32_t)__builtin_arm_ssat(v1, 8);
      v2 = (int32_t)__builtin_arm_ssat(v2, 8);
      if (range == TML_CONV_GEMM_RANGE_FULL) {
        *y0 = (int8_t)v0;
        *y1 = (int8_t)v1;
        *y2 = (int8_t)v2;
        return;
      }
      *y0 = (int8_t)(v0 > act_max ? act_max : v0);
      *y1 = (int8_t)(v1 > act_max ? act_max : v1);
      *y2 = (int8_t)(v2 > act_max ? act_max : v2);
      return;
    }
#else
    (void)range;
#endif
    v0 = v0 < act_min ? act_min : v0;
    v1 = v1 < act_min ? act_min : v1;
    v2 = v2 < act_min ? act_min : v2;
    *y0 = (int8_t)(v0 > act_max ? act_max : v0);
    *y1 = (int8_t)(v1 > act_max ? act_max : v1);
    *y2 = (int8_t)(v2 > act_max ? act_max : v2);
  }
}

/* Groups per loop step of tml_conv_gemm_acc3(): 8 (the last 1-7 groups straight-line:
 * 4, 2, 1), or 2 in the small paths (TML_SPEED_PATHS 0: -Os or --optimize size) (the last group straight-line). */
#ifndef TML_CONV_GEMM_UNROLL4
#if !TML_SPEED_PATHS
#define TML_CONV_GEMM_UNROLL4 0
#else
#define TML_CONV_GEMM_UNROLL4 1
#endif
#endif

/* The accumulators of all output channels of three output pixels whose im2col columns
 * are in `col`, 2 channels at a time: acc[3 c + i] is channel c of pixel i (acc holds
 * 3 * output_c rounded up to even entries; the padding rows of the weights are zero).
 * The requantization is a separate loop (tml_conv_gemm_requant3()), so that each loop
 * keeps its values in registers. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
TML_HELPER void tml_conv_gemm_acc3(const tml_conv_gemm_s8_params_t *p, const uint32_t *col,
                                   int32_t *acc) {
  const int32_t groups = p->groups;
  const int32_t *bias = p->bias;
  const int32_t *const bias_end = bias + ((p->output_c + 1) & ~1);
  const uint32_t *w = p->weights;
#if TML_CONV_GEMM_UNROLL4
  const int32_t step_groups = groups & ~7, rest_groups = groups & 7;
#else
  const int32_t step_groups = groups & ~1, rest_groups = groups & 1;
#endif
#if TML_CONV_GEMM_ASM3 && TML_CONV_GEMM_UNROLL4
  /* Steps of 8 groups, the first one entered at group `skip` (TML_CONV_GEMM_LOOP3_ENTRY):
   * the column and weight pointers start skip groups early (as addresses: they are only
   * read from the groups the step runs). */
  const int32_t steps = (groups + 7) >> 3, skip = 8 * steps - groups;
  const int32_t entry = 84 * skip;
  const uintptr_t col0 = (uintptr_t)col - (uintptr_t)(24 * skip);
  const uint32_t *const xend = (const uint32_t *)(col0 + (uintptr_t)(192 * steps));
  (void)step_groups, (void)rest_groups;
  for (; bias != bias_end; bias += 2, acc += 6) {
    int32_t a00 = bias[0], a10 = bias[1];
    int32_t a01 = a00, a02 = a00, a11 = a10, a12 = a10;
    const uint32_t *x = (const uint32_t *)col0;
    w = (const uint32_t *)((uintptr_t)w - (uintptr_t)(8 * skip));
    TML_CONV_GEMM_LOOP3_ENTRY(TML_CONV_GEMM_BODY8);
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a02;
    acc[3] = a10;
    acc[4] = a11;
    acc[5] = a12;
  }
#else
#if TML_CONV_GEMM_ASM3
  const uint32_t *const xend = col + 6 * step_groups;
#endif
  for (; bias != bias_end; bias += 2, acc += 6) {
    int32_t a00 = bias[0], a10 = bias[1];
    int32_t a01 = a00, a02 = a00, a11 = a10, a12 = a10;
    const uint32_t *x = col;
#if TML_CONV_GEMM_ASM3
    if (step_groups != 0) {
#if TML_CONV_GEMM_UNROLL4
      TML_CONV_GEMM_LOOP3(TML_CONV_GEMM_G3("0", "0", "8", "16")
                          TML_CONV_GEMM_G3("8", "24", "32", "40")
                          TML_CONV_GEMM_G3("16", "48", "56", "64")
                          TML_CONV_GEMM_G3("24", "72", "80", "88")
                          TML_CONV_GEMM_G3("32", "96", "104", "112")
                          TML_CONV_GEMM_G3("40", "120", "128", "136")
                          TML_CONV_GEMM_G3("48", "144", "152", "160")
                          TML_CONV_GEMM_G3("56", "168", "176", "184"), "64", "192");
#else
      TML_CONV_GEMM_LOOP3(TML_CONV_GEMM_G3("0", "0", "8", "16")
                          TML_CONV_GEMM_G3("8", "24", "32", "40"), "16", "48");
#endif
    }
#if TML_CONV_GEMM_UNROLL4
    if (rest_groups & 4) {
      TML_CONV_GEMM_STEP3(TML_CONV_GEMM_G3("0", "0", "8", "16")
                          TML_CONV_GEMM_G3("8", "24", "32", "40")
                          TML_CONV_GEMM_G3("16", "48", "56", "64")
                          TML_CONV_GEMM_G3("24", "72", "80", "88"), "32", "96");
    }
    if (rest_groups & 2) {
      TML_CONV_GEMM_STEP3(TML_CONV_GEMM_G3("0", "0", "8", "16")
                          TML_CONV_GEMM_G3("8", "24", "32", "40"), "16", "48");
    }
#endif
    if (rest_groups & 1) TML_CONV_GEMM_STEP3(TML_CONV_GEMM_G3("0", "0", "8", "16"), "8", "24");
#else
    const uint32_t *end = w + 2 * step_groups;
#if TML_CONV_GEMM_UNROLL4
    TML_CONV_GEMM_LOOP3_C(8);
#else
    TML_CONV_GEMM_LOOP3_C(2);
#endif
    end = w + 2 * rest_groups;
    TML_CONV_GEMM_LOOP3_C(1);
#endif
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a02;
    acc[3] = a10;
    acc[4] = a11;
    acc[5] = a12;
  }
#endif
}

/* Outputs of three pixels from tml_conv_gemm_acc3()'s accumulators. RANGE and
 * PER_CHANNEL are constants where it is inlined. */
TML_ALWAYS_INLINE void tml_conv_gemm_requant3_body(const tml_conv_gemm_s8_params_t *p,
                                                   const int32_t *acc, int8_t *out0,
                                                   int8_t *out1, int8_t *out2, int range,
                                                   int per_channel) {
  const int32_t oc = p->output_c;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t *mult = p->multiplier;
  const int8_t *shift = p->shift;
  int32_t m = mult[0], e = shift[0], c;
  for (c = 0; c < oc; ++c) {
    /* Channel c's accumulators: acc[6 (c / 2) + 3 (c % 2) + i]. */
    const int32_t *a = acc + 3 * c;
    if (per_channel) {
      m = mult[c];
      e = shift[c];
    }
#if TML_OPT_FAST_TFLM
    if (TML_FAST_UNLIKELY(e < -32)) {
      tml_conv_gemm_out3_tflm(a, m, e, zp, act_min, act_max, out0 + c, out1 + c, out2 + c);
      continue;
    }
#endif
    tml_conv_gemm_out3(a[0], a[1], a[2], m, e, zp, act_min, act_max, range, out0 + c,
                       out1 + c, out2 + c);
  }
}

/* Switches (tml_common.h) for the variants of the requantization loop that some layer of
 * the model needs: activation range all of int8 (RQ_FULL), int8's lower end (RQ_UPPER),
 * another (RQ_CLAMP); one multiplier and shift for all channels (RQ_UNIFORM; without it
 * every layer is per channel). */
#ifndef TML_OPT_GEMM_RQ_FULL
#define TML_OPT_GEMM_RQ_FULL TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_GEMM_RQ_UPPER
#define TML_OPT_GEMM_RQ_UPPER TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_GEMM_RQ_CLAMP
#define TML_OPT_GEMM_RQ_CLAMP TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_GEMM_RQ_UNIFORM
#define TML_OPT_GEMM_RQ_UNIFORM TML_OPTION_DEFAULT
#endif

#define TML_CONV_GEMM_REQUANT3_RANGE(RANGE)                                                \
  do {                                                                                     \
    if (!TML_OPT_GEMM_RQ_UNIFORM || p->per_channel) {                                      \
      tml_conv_gemm_requant3_body(p, acc, out0, out1, out2, RANGE, 1);                     \
    } else {                                                                               \
      tml_conv_gemm_requant3_body(p, acc, out0, out1, out2, RANGE, 0);                     \
    }                                                                                      \
  } while (0)

/* Switches (tml_common.h): some layer has fold_zp 2 (TML_OPT_GEMM_FUSED), some such layer
 * has p->w16 (TML_OPT_GEMM_W16). */
#ifndef TML_OPT_GEMM_FUSED
#define TML_OPT_GEMM_FUSED TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_GEMM_W16
#define TML_OPT_GEMM_W16 TML_OPTION_DEFAULT
#endif
#if TML_CONV_GEMM_ASM3 && TML_CONV_GEMM_UNROLL4 && TML_OPT_GEMM_RQ_FULL && \
    TML_CONV_GEMM_RQ_RECORDS && TML_OPT_GEMM_FUSED
#define TML_CONV_GEMM_ACC3_RQ 1
/* tml_conv_gemm_acc3() and tml_conv_gemm_requant3() in one pass for a layer with
 * fold_zp 2 and a full block of three pixels: each pair of rows is requantized as soon
 * as its sums are in registers (no accumulator buffer), the outputs of the three pixels
 * at out, out + output_c and out + 2 output_c. The block's columns are in the scratch,
 * so the order contract is unchanged.
 *
 * One assembly block runs the loop over the pairs of channels: the loop's state waits in
 * a frame of 8 words below the stack pointer (every register is in use in the
 * multiply-accumulate loop), each pair's biases and requantization constants come from
 * its record in p->rq. Per pair, beyond the groups: about 85 cycles on the M4. */
/* The loop's text for the weights as int8 words (BODY8, the pointer advanced per step) or
 * as int16 pairs (BODY8W: the LDMs advance it). */
#define TML_CONV_GEMM_ACC3_RQ_TEXT(BODY, WSTEP, DBL)                                            \
  "sub sp, sp, #32\n\t"                                                                    \
  "str %[a00], [sp, #0]\n\t"                                                               \
  "str %[a01], [sp, #4]\n\t"                                                               \
  "str %[a02], [sp, #8]\n\t"                                                               \
  "str %[a10], [sp, #12]\n\t"                                                              \
  "str %[a11], [sp, #16]\n\t"                                                              \
  "str %[a12], [sp, #20]\n\t"                                                              \
  "str %[x], [sp, #24]\n\t"                                                                \
  "str %[x0], [sp, #28]\n"                                                                  \
  "2:\n\t"                                                                                 \
  "ldr %[x], [sp, #16]\n\t"                                                                \
  "ldrd %[a00], %[a10], [%[x]]\n\t"                                                        \
  "mov %[a01], %[a00]\n\t"                                                                 \
  "mov %[a02], %[a00]\n\t"                                                                 \
  "mov %[a11], %[a10]\n\t"                                                                 \
  "mov %[a12], %[a10]\n\t"                                                                 \
  "ldr %[x], [sp, #0]\n\t"                                                                 \
  "ldr %[x0], [sp, #8]\n\t"                                                                \
  "adr %[x1], 1f\n\t"                                                                      \
  "add %[x1], %[x1], %[x0]\n\t"                                                            \
  "mov pc, %[x1]\n\t"                                                                      \
  ".p2align 2\n"                                                                            \
  "1:\n\t" BODY WSTEP                                                                       \
  "add %[x], %[x], #192\n\t"                                                               \
  "ldr %[x0], [sp, #4]\n\t"                                                                \
  "cmp %[x], %[x0]\n\t"                                                                    \
  "bne 1b\n\t"                                                                             \
  "ldr %[x], [sp, #16]\n\t"                                                                \
  "ldr %[x1], [sp, #24]\n\t"                                                               \
  "ldr %[x0], [sp, #28]\n\t"                                                               \
  TML_CONV_GEMM_RQ_ROW("8", "a00", "a01", "a02", DBL)                                      \
  "add %[x1], %[x1], #1\n\t"                                                               \
  TML_CONV_GEMM_RQ_ROW("20", "a10", "a11", "a12", DBL)                                     \
  "add %[x1], %[x1], #1\n\t"                                                               \
  "add %[x], %[x], #32\n\t"                                                                \
  "str %[x1], [sp, #24]\n\t"                                                               \
  "str %[x], [sp, #16]\n\t"                                                                \
  "ldr %[x0], [sp, #12]\n\t"                                                               \
  "ldr %[x1], [sp, #20]\n\t"                                                               \
  "sub %[w], %[w], %[x0]\n\t"                                                              \
  "cmp %[x], %[x1]\n\t"                                                                    \
  "bne 2b\n\t"                                                                             \
  "add sp, sp, #32"
#define TML_CONV_GEMM_ACC3_RQ_OPERANDS                                                     \
  : [a00] "+r"(a00), [a01] "+r"(a01), [a02] "+r"(a02), [a10] "+r"(a10), [a11] "+r"(a11),   \
    [a12] "+r"(a12), [w] "+r"(w), [x] "+r"(x), [w0] "+r"(w0), [w1] "+r"(w1),               \
    [w2] "+r"(w2), [w3] "+r"(w3), [x0] "+r"(x0), [x1] "+r"(x1)                             \
  :                                                                                        \
  : "cc", "memory"
/* The frame: [0] first column word (skip groups early), [4] its end, [8] the entry
 * offset into the 8-group step (GROUP bytes a group), [12] the weights' early start per
 * pair (8 skip bytes for int8 words; 0 for int16 pairs: the LDMs of the groups run load
 * exactly a pair's), [16] the record, [20] the end of the records, [24] the output,
 * [28] oc. They go in through the registers the loop uses. */
#define TML_CONV_GEMM_ACC3_RQ_FRAME(GROUP, WSKIP, WEIGHTS)                                 \
  const uint32_t groups = (uint32_t)p->groups;                                             \
  const uint32_t steps = (groups + 7u) >> 3, skip = 8u * steps - groups;                   \
  uint32_t a00 = (uint32_t)(uintptr_t)col - 24u * skip;                                    \
  uint32_t a01 = a00 + 192u * steps;                                                       \
  uint32_t a02 = (GROUP) * skip;                                                           \
  uint32_t a10 = (WSKIP) * skip;                                                           \
  uint32_t a11 = (uint32_t)(uintptr_t)p->rq;                                               \
  uint32_t a12 = a11 + 16u * (uint32_t)p->output_c;                                        \
  uint32_t x = (uint32_t)(uintptr_t)out;                                                   \
  uint32_t x0 = (uint32_t)p->output_c;                                                     \
  uint32_t w = (uint32_t)(uintptr_t)(WEIGHTS) - (WSKIP) * skip;                            \
  uint32_t x1 = 0
__attribute__((noinline)) TML_HELPER void tml_conv_gemm_acc3_rq(const tml_conv_gemm_s8_params_t *p,
                                                               const uint32_t *col, int8_t *out) {
  TML_CONV_GEMM_ACC3_RQ_FRAME(84u, 8u, p->weights);
  uint32_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;
  __asm__ __volatile__(TML_CONV_GEMM_ACC3_RQ_TEXT(TML_CONV_GEMM_BODY8, "add %[w], %[w], #64\n\t",
                                                  TML_CONV_GEMM_DOUBLE)
                       TML_CONV_GEMM_ACC3_RQ_OPERANDS);
}
#if TML_OPT_GEMM_W16
/* The same with p->w16 (--optimize speed): 26 cycles a group instead of 28, and no
 * doubling per output (the int16 weights and the records' biases are doubled). LDM wants
 * ascending registers: w0..w3 in r8..r11. */
__attribute__((noinline)) TML_HELPER void tml_conv_gemm_acc3_rq16(const tml_conv_gemm_s8_params_t *p,
                                                                 const uint32_t *col, int8_t *out) {
  TML_CONV_GEMM_ACC3_RQ_FRAME(64u, 0u, p->w16);
  register uint32_t w0 __asm__("r8") = 0;
  register uint32_t w1 __asm__("r9") = 0;
  register uint32_t w2 __asm__("r10") = 0;
  register uint32_t w3 __asm__("r11") = 0;
  __asm__ __volatile__(TML_CONV_GEMM_ACC3_RQ_TEXT(TML_CONV_GEMM_BODY8W, "", TML_CONV_GEMM_AS_IS)
                       TML_CONV_GEMM_ACC3_RQ_OPERANDS);
}
#endif
#undef TML_CONV_GEMM_ACC3_RQ_TEXT
#undef TML_CONV_GEMM_ACC3_RQ_OPERANDS
#undef TML_CONV_GEMM_ACC3_RQ_FRAME
#else
#define TML_CONV_GEMM_ACC3_RQ 0
#endif

#if TML_OPT_GEMM_RQ_FULL
/* tml_conv_gemm_requant3_body() for the activation range all of int8 and a p->fold_zp
 * layer: rounding and zero point in one constant. */
TML_ALWAYS_INLINE void tml_conv_gemm_requant3_round(const tml_conv_gemm_s8_params_t *p,
                                                    const int32_t *acc, int8_t *out0,
                                                    int8_t *out1, int8_t *out2,
                                                    int per_channel) {
  const int32_t oc = p->output_c;
  const int32_t *const mult = p->multiplier, zp = p->output_offset;
  const int8_t *const shift = p->shift;
  /* 2^(e-1) + zp 2^e = k 2^(e-1) with k = 2 zp + 1: two instructions per channel. */
  const uint32_t k = 2u * (uint32_t)zp + 1u;
  int32_t m = mult[0], e = shift[0], r = tml_conv_gemm_round(e, zp), c;
#if TML_CONV_GEMM_ASM
  if (per_channel) {
    /* The loop below in assembly (GCC and Clang keep neither the three output pointers
     * nor the loads' order): per channel, 35 cycles on the M4 for its three outputs. It
     * stops before a channel in TFLM's form (e < -32), which C finishes. */
    const int32_t *a = acc, *mp = mult;
    const int8_t *sh = shift, *const se = shift + oc;
    int8_t *y0 = out0, *y1 = out1, *y2 = out2;
    (void)m, (void)e, (void)r, (void)c;
    while (sh != se) {
      uint32_t e_, m_, r_, t_, u_;
      __asm__ __volatile__("1:\n\t"
              "ldrsb %[e], [%[s]]\n\t"
              "ldr %[m], [%[mp]], #4\n\t"
              "cmn %[e], #32\n\t"
              "blt 2f\n\t"
              "ldr %[t], [%[a]], #4\n\t"
              "sub %[u], %[e], #1\n\t"
              "lsl %[r], %[k], %[u]\n\t"
              "lsl %[t], %[t], #1\n\t"
              "smmlar %[u], %[t], %[m], %[r]\n\t"
              "sub %[u], %[u], %[t], lsr #31\n\t"
              "ldr %[t], [%[a]], #4\n\t"
              "asr %[u], %[u], %[e]\n\t"
              "ssat %[u], #8, %[u]\n\t"
              "strb %[u], [%[y0]], #1\n\t"
              "lsl %[t], %[t], #1\n\t"
              "smmlar %[u], %[t], %[m], %[r]\n\t"
              "sub %[u], %[u], %[t], lsr #31\n\t"
              "ldr %[t], [%[a]], #4\n\t"
              "asr %[u], %[u], %[e]\n\t"
              "ssat %[u], #8, %[u]\n\t"
              "strb %[u], [%[y1]], #1\n\t"
              "lsl %[t], %[t], #1\n\t"
              "smmlar %[u], %[t], %[m], %[r]\n\t"
              "sub %[u], %[u], %[t], lsr #31\n\t"
              "add %[s], %[s], #1\n\t"
              "asr %[u], %[u], %[e]\n\t"
              "ssat %[u], #8, %[u]\n\t"
              "strb %[u], [%[y2]], #1\n\t"
              "cmp %[s], %[se]\n\t"
              "bne 1b\n\t"
              "b 3f\n"
              "2:\n\t"
              "sub %[mp], %[mp], #4\n"
              "3:"
              : [a] "+r"(a), [mp] "+r"(mp), [s] "+r"(sh), [y0] "+r"(y0), [y1] "+r"(y1),
                [y2] "+r"(y2), [e] "=&r"(e_), [m] "=&r"(m_), [r] "=&r"(r_), [t] "=&r"(t_),
                [u] "=&r"(u_)
              : [k] "r"(k), [se] "r"(se)
              : "cc", "memory");
      if (sh != se) {
#if TML_OPT_FAST_TFLM
        tml_conv_gemm_out3_tflm(a, *mp, *sh, zp, -128, 127, y0, y1, y2);
        a += 3, ++mp, ++sh, ++y0, ++y1, ++y2;
#else
        break; /* no such channel in a model without TFLM's form */
#endif
      }
    }
    return;
  }
#endif
  for (c = 0; c < oc; ++c, acc += 3) {
    /* The three accumulators read first, next to each other (the loads pipeline). */
    const int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2];
    if (per_channel) {
      m = mult[c];
      e = shift[c];
#if TML_OPT_FAST_TFLM
      if (TML_FAST_UNLIKELY(e < -32)) {
        tml_conv_gemm_out3_tflm(acc, m, e, zp, -128, 127, out0 + c, out1 + c, out2 + c);
        continue;
      }
#endif
      r = (int32_t)(k << (e - 1));
    }
    out0[c] = tml_fast_output_r(a0, m, e, r);
    out1[c] = tml_fast_output_r(a1, m, e, r);
    out2[c] = tml_fast_output_r(a2, m, e, r);
  }
}
#endif

#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
TML_HELPER void tml_conv_gemm_requant3(const tml_conv_gemm_s8_params_t *p, const int32_t *acc,
                                       int8_t *out0, int8_t *out1, int8_t *out2) {
  (void)p, (void)acc, (void)out0, (void)out1, (void)out2; /* a model with no such layer */
#if TML_OPT_GEMM_RQ_FULL
  if (p->act_min == -128 && p->act_max == 127) {
#if TML_SPEED_PATHS
    if (p->fold_zp) {
      if (!TML_OPT_GEMM_RQ_UNIFORM || p->per_channel) {
        tml_conv_gemm_requant3_round(p, acc, out0, out1, out2, 1);
      } else {
        tml_conv_gemm_requant3_round(p, acc, out0, out1, out2, 0);
      }
      return;
    }
#endif
    TML_CONV_GEMM_REQUANT3_RANGE(TML_CONV_GEMM_RANGE_FULL);
    return;
  }
#endif
#if TML_OPT_GEMM_RQ_UPPER
  if (p->act_min == -128) {
    TML_CONV_GEMM_REQUANT3_RANGE(TML_CONV_GEMM_RANGE_UPPER);
    return;
  }
#endif
#if TML_OPT_GEMM_RQ_CLAMP
  TML_CONV_GEMM_REQUANT3_RANGE(TML_CONV_GEMM_RANGE_CLAMP);
#endif
}

#undef TML_CONV_GEMM_REQUANT3_RANGE
#ifdef TML_CONV_GEMM_LOOP3
#undef TML_CONV_GEMM_LOOP3
#undef TML_CONV_GEMM_LOOP3_ENTRY
#undef TML_CONV_GEMM_ENTRY_TEXT
#undef TML_CONV_GEMM_BODY8
#undef TML_CONV_GEMM_BODY8W
#undef TML_CONV_GEMM_G3W
#undef TML_CONV_GEMM_RQ_ROW
#undef TML_CONV_GEMM_RQ1
#undef TML_CONV_GEMM_DOUBLE
#undef TML_CONV_GEMM_AS_IS
#undef TML_CONV_GEMM_STEP3
#undef TML_CONV_GEMM_G3
#undef TML_CONV_GEMM_G3_COL
#endif
#ifdef TML_CONV_GEMM_LOOP3_C
#undef TML_CONV_GEMM_LOOP3_C
#endif
#endif /* TML_OPT_GEMM_IM2COL */

TML_KERNEL void tml_conv_gemm_s8(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                 int8_t *output, uint32_t *scratch) {
  const int32_t npix = p->batches * p->output_h * p->output_w;
  const int32_t oc = p->output_c;
  int32_t pix;
#if TML_OPT_GEMM_DIRECT
  if (!TML_OPT_GEMM_IM2COL || scratch == NULL) {
    for (pix = 0; pix < npix; ++pix) {
      tml_conv_gemm_direct(p, input + pix * p->input_c, output + pix * oc, NULL);
    }
    return;
  }
#endif
#if TML_OPT_GEMM_IM2COL && TML_HAVE_MVE
  {
    /* The two pixels' taps at scratch bytes [0, 4 groups) and [4 groups, 8 groups), or,
     * for a pointwise layer (1x1, stride 1, unpadded) with input_c a multiple of 4, the
     * input pixels themselves (the order contract holds: a block's outputs land below
     * its own input, InPlaceMinDelta() with blocks of 3). Three pixels per block. */
    int8_t *const x0 = (int8_t *)(void *)scratch, *const x1 = x0 + 4 * p->groups;
    int8_t *const x2 = x1 + 4 * p->groups;
    const int pointwise = p->filter_h == 1 && p->filter_w == 1 && p->stride_h == 1 &&
                          p->stride_w == 1 && p->pad_h == 0 && p->pad_w == 0 &&
                          (p->input_c & 3) == 0;
    const int8x16_t zv = vdupq_n_s8((int8_t)p->input_zero_point);
    /* Windows inside the input (dilation_w 1): filter_h runs of filter_w * input_c bytes
     * straight from the input rows (tml_gemm_mve_copy_rows()); the others through
     * tml_conv_gemm_gather_mve(). */
    const int32_t c = p->input_c, in_w = p->input_w, in_h = p->input_h;
    const int32_t fw = p->filter_w, fh = p->filter_h, run = fw * c;
    const int32_t stride = p->dilation_h * in_w * c, last_row = (fh - 1) * p->dilation_h;
    const int rows_ok = p->dilation_w == 1;
#define TML_GEMM_MVE_WINDOW(dst)                                                             \
  do {                                                                                       \
    const int32_t ix0_ = q.ox * p->stride_w - p->pad_w, iy0_ = q.oy * p->stride_h - p->pad_h; \
    if (rows_ok && ix0_ >= 0 && ix0_ + fw <= in_w && iy0_ >= 0 && iy0_ + last_row < in_h) {    \
      tml_gemm_mve_copy_rows((dst), input + ((q.b * in_h + iy0_) * in_w + ix0_) * c, run,     \
                             stride, fh);                                                    \
    } else {                                                                                 \
      tml_conv_gemm_gather_mve(p, input, &q, (dst), zv);                                     \
    }                                                                                        \
  } while (0)
    /* The sums of a chunk of channel blocks (12 words per block of 4 channels) in the
     * scratch past the three windows: 3 groups + (input_c % 4 != 0 ? groups : 0) +
     * 3 * output_c rounded up to even words there (compiler/src/ops/conv_gemm.cc); a
     * 12-word buffer of the stack when that holds less than one block. */
    int32_t acc_small[12];
    const int32_t cap = 3 * p->groups + ((p->input_c & 3) != 0 ? p->groups : 0) +
                        3 * ((oc + 1) / 2 * 2);
    int32_t *const accbuf = cap >= 12 ? (int32_t *)(void *)(scratch + 3 * p->groups) : acc_small;
    const int32_t chunk = cap >= 12 ? 4 * (cap / 12) : 4;
    tml_conv_gemm_pos_t q = {0, 0, 0};
#if TML_OPT_FAST_TFLM && TML_GEMM_MVE_IN_PLACE
    /* Every shift of the layer a right shift (the short form): the cheaper requantization. */
    int all_short = 1;
    {
      const int32_t ns = p->per_channel ? oc : 1;
      int32_t i;
      for (i = 0; i < ns; ++i) all_short &= p->shift[i] >= 1;
    }
#endif
#if TML_GEMM_MVE_IN_PLACE
    /* Three windows of one output row inside the input, runs of a multiple of 16 bytes,
     * 1 or 3 filter rows, neighbours at most 120 bytes apart: read in place
     * (tml_gemm_mve_block3_rows1/3()), no copy. */
    const int32_t step = p->stride_w * c;
    const int in_place = !pointwise && rows_ok && (fh == 1 || fh == 3) && (run & 15) == 0 &&
                         2 * step + 15 <= 255;
    tml_gemm_mve_rows_t rows_in;
    rows_in.o1 = vaddq_n_u8(vidupq_n_u8(0u, 1), (uint8_t)step);
    rows_in.o2 = vaddq_n_u8(rows_in.o1, (uint8_t)step);
    rows_in.run = run;
    rows_in.skip = stride - run;
    rows_in.rows = fh;
#endif
    for (pix = 0; pix < npix; pix += 3) {
      /* Past the last pixel, a block repeats its last pixel in the remaining slots and
       * stores the repeated outputs again over the same bytes. */
      const int32_t next1 = pix + 1 < npix ? 1 : 0, next2 = pix + 2 < npix ? 1 : 0;
      int8_t *out0 = output + pix * oc;
      int8_t *out1 = out0 + next1 * oc;
      int8_t *out2 = out1 + next2 * oc;
      const int8_t *a = input + pix * p->input_c, *b = a + next1 * p->input_c;
      const int8_t *d = b + next2 * p->input_c;
#if TML_GEMM_MVE_IN_PLACE
      if (in_place && next2 && q.ox + 2 < p->output_w) {
        const int32_t ix0 = q.ox * p->stride_w - p->pad_w, iy0 = q.oy * p->stride_h - p->pad_h;
        if (ix0 >= 0 && ix0 + 2 * p->stride_w + fw <= in_w && iy0 >= 0 && iy0 + last_row < in_h) {
          const int8_t *const x = input + ((q.b * in_h + iy0) * in_w + ix0) * c;
          if (fh == 1) {
            tml_conv_gemm_pixels3_rows1_mve(p, x, out0, out1, out2, &rows_in, accbuf, chunk);
          } else {
            tml_conv_gemm_pixels3_rows3_mve(p, x, out0, out1, out2, &rows_in, accbuf, chunk);
          }
          tml_conv_gemm_advance(p, &q);
          tml_conv_gemm_advance(p, &q);
          tml_conv_gemm_advance(p, &q);
          continue;
        }
      }
#endif
      if (!pointwise) {
        TML_GEMM_MVE_WINDOW(x0);
        a = b = d = x0;
        if (next1) {
          tml_conv_gemm_advance(p, &q);
          TML_GEMM_MVE_WINDOW(x1);
          b = d = x1;
        }
        if (next2) {
          tml_conv_gemm_advance(p, &q);
          TML_GEMM_MVE_WINDOW(x2);
          d = x2;
        }
        tml_conv_gemm_advance(p, &q);
      }
#if TML_OPT_FAST_TFLM && TML_GEMM_MVE_IN_PLACE
      if (all_short) {
        tml_conv_gemm_pixels3_short_mve(p, a, b, d, out0, out1, out2, accbuf, chunk);
        continue;
      }
#endif
      tml_conv_gemm_pixels3_mve(p, a, b, d, out0, out1, out2, accbuf, chunk);
    }
  }
#undef TML_GEMM_MVE_WINDOW
#undef TML_GEMM_MVE_IN_PLACE
#elif TML_OPT_GEMM_IM2COL
  int8_t *const stage = (int8_t *)(void *)(scratch + 2 * TML_CONV_GEMM_COLS * p->groups);
  int32_t *const acc = (int32_t *)(void *)(scratch + 2 * TML_CONV_GEMM_COLS * p->groups + (TML_OPT_GEMM_STAGE && (p->input_c & 3) != 0 ? p->groups : 0));
  const int32_t c = p->input_c;
  const int pointwise = p->filter_h == 1 && p->filter_w == 1 && p->stride_h == 1 &&
                        p->stride_w == 1 && p->pad_h == 0 && p->pad_w == 0 && (c & 3) == 0;
  const int is333 = tml_conv_gemm_is333(p);
  tml_conv_gemm_pos_t q = {0, 0, 0};
  for (pix = 0; pix < npix; pix += TML_CONV_GEMM_COLS) {
    /* Past the last pixel, a block repeats its last column in the remaining slots and
     * stores the repeated outputs again over the same bytes. */
    const int32_t next1 = pix + 1 < npix ? 1 : 0, next2 = pix + 2 < npix ? 1 : 0;
    int8_t *out0 = output + pix * oc;
    int8_t *out1 = out0 + next1 * oc;
    int8_t *out2 = out1 + next2 * oc;
    if (pointwise) {
      /* The columns are the input pixels themselves. */
      const int8_t *in0 = input + pix * c, *in1 = in0 + next1 * c, *in2 = in1 + next2 * c;
      tml_conv_gemm_widen_run(in0, c, scratch);
      tml_conv_gemm_widen_run(in1, c, scratch + 2);
      tml_conv_gemm_widen_run(in2, c, scratch + 4);
    } else if (is333 && next2 && q.ox + 2 < p->output_w &&
               q.ox * p->stride_w - p->pad_w >= 0 &&
               (q.ox + 2) * p->stride_w - p->pad_w + 3 <= p->input_w &&
               q.oy * p->stride_h - p->pad_h >= 0 &&
               q.oy * p->stride_h - p->pad_h + 2 * p->dilation_h < p->input_h) {
      /* Three windows of one output row inside the input. */
      const int32_t row = p->dilation_h * p->input_w * 3, s3 = 3 * p->stride_w;
      const int8_t *const r0 =
          input + ((q.b * p->input_h + q.oy * p->stride_h - p->pad_h) * p->input_w +
                   q.ox * p->stride_w - p->pad_w) * 3;
      tml_conv_gemm_pack333(r0, row, scratch);
      tml_conv_gemm_pack333(r0 + s3, row, scratch + 2);
      tml_conv_gemm_pack333(r0 + 2 * s3, row, scratch + 4);
      q.ox += 2;
      tml_conv_gemm_advance(p, &q);
    } else {
      tml_conv_gemm_column(p, input, &q, scratch, stage, is333);
      if (next1) tml_conv_gemm_advance(p, &q);
      tml_conv_gemm_column(p, input, &q, scratch + 2, stage, is333);
      if (next2) tml_conv_gemm_advance(p, &q);
      tml_conv_gemm_column(p, input, &q, scratch + 4, stage, is333);
      tml_conv_gemm_advance(p, &q);
    }
#if TML_CONV_GEMM_ACC3_RQ
    if (p->fold_zp == 2 && p->rq != NULL) {
      /* The last block (its columns repeat the last pixel's) too: the outputs of its three
       * columns into the accumulators' room (3 output_c bytes at least), then those of the
       * pixels that exist (the layer's biases, multipliers and shifts are left out). */
      int8_t *const y = next2 ? out0 : (int8_t *)(void *)acc;
#if TML_OPT_GEMM_W16
      if (p->w16 != NULL) {
        tml_conv_gemm_acc3_rq16(p, scratch, y);
      } else
#endif
      {
        tml_conv_gemm_acc3_rq(p, scratch, y);
      }
      if (!next2) {
        memcpy(out0, acc, (size_t)oc);
        if (next1) memcpy(out1, (const int8_t *)(const void *)acc + oc, (size_t)oc);
      }
      continue;
    }
#endif
    tml_conv_gemm_acc3(p, scratch, acc);
    tml_conv_gemm_requant3(p, acc, out0, out1, out2);
  }
#else
  (void)scratch;
#endif
}

TML_KERNEL void tml_conv_gemm_s8_x16(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                     int8_t *output, uint32_t *scratch) {
#if TML_OPT_GEMM_DIRECT
  const int32_t npix = p->batches * p->output_h * p->output_w;
  /* Helium reads the int8 input itself. */
  uint32_t *const x16 = TML_HAVE_MVE ? NULL : scratch;
  int32_t pix;
  for (pix = 0; pix < npix; ++pix) {
    tml_conv_gemm_direct(p, input + pix * p->input_c, output + pix * p->output_c, x16);
  }
#else
  (void)p, (void)input, (void)output, (void)scratch;
#endif
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_GEMM_H */
