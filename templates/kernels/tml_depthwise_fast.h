/*
 * tml_depthwise_fast.h - DEPTHWISE_CONV_2D with depth multiplier 1 and a channel count
 * that is a multiple of 4, or a depth multiplier that is a multiple of 4, four output
 * channels at a time (one 32-bit load of the input, or one byte broadcast to the 4
 * channels that share it, two SXTAB16 that also add the input offset, four 16x16
 * multiply-accumulates), with the short requantization of tml_fast_common.h. The
 * compiler selects it when the layer meets that form's preconditions; bit-exact with
 * tml_depthwise_conv_2d.h there.
 *
 * Runs of 4 or more output pixels along x whose taps all lie inside the input (depth
 * multiplier 1) go through tml_depthwise_fast_run(): per group of 4 channels, the
 * weights are widened once into a local table, the input offset is folded into the bias
 * (input_offset * sum of the taps used), and the run reuses both; the compiler checks
 * that every partial sum of that order stays in int32. Other pixels go one at a time.
 *
 * Helium (__ARM_FEATURE_MVE): 4 channels per vector in 32-bit lanes, the same layouts,
 * runs with the input offset folded into the bias, vector requantization; same bytes.
 *
 * tml_depthwise_fast_s8_padded() (3x3, depth multiplier 1, dilation 1, small planes): on
 * the Cortex-M4/M7 speed path the input is first copied with its padding into a scratch,
 * so that every pixel is an interior one, and each pixel's groups of 4 channels run in
 * one assembly loop requantized from records (p->rq); elsewhere as above.
 *
 * Prepared offline (compiler/src/ops/depthwise_conv_2d.cc):
 *   weights  uint32_t[channels / 4][filter_h * filter_w]: the int8 filter, the 4
 *            channels c0..c3 of a tap in one word (c0 in bits 0-7), the taps of a group
 *            of 4 channels consecutive (row-major), widened by the kernel into the pairs
 *            (w[c0], w[c2]) and (w[c1], w[c3]);
 *   bias     int32_t[channels];
 *   multiplier[c], shift[c] (encoded as tml_fast_output() wants).
 * Layouts: input [batches, input_h, input_w, input_c], output [batches, output_h,
 * output_w, channels], channels = input_c * depth_multiplier (output channel o reads
 * input channel o / depth_multiplier). Taps in the padding are skipped, as in TFLM.
 *
 * Order contract (in-place execution, compiler/src/ops/depthwise_conv_2d.cc): output
 * pixels are produced in increasing order, one pixel or one row's interior run (at most
 * output_w pixels) at a time, and a pixel or run reads only its own windows.
 */
#ifndef TML_DEPTHWISE_FAST_H
#define TML_DEPTHWISE_FAST_H

#include "tml_fast_common.h"

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, channels; /* channels: output channels */
  int32_t input_c, depth_multiplier;  /* 1 (channels % 4 == 0) or a multiple of 4 */
  int32_t filter_h, filter_w;
  int32_t output_h, output_w;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;
  int32_t input_offset;
  int32_t output_offset;
  int32_t act_min, act_max;
  const uint32_t *weights;
  const int32_t *bias;
  const int32_t *multiplier;
  const int8_t *shift; /* see tml_fast_output() */
  /* tml_depthwise_fast_s8_padded()'s records on the path that reads them, else NULL: per
   * group of 4 channels 16 words, the 4 biases + input_offset * sum of the channel's taps,
   * then per channel m, r = 2^(e-1) + output_offset 2^e and e (every channel in the short
   * form with r inside int32, the activation range all of int8: checked by the compiler). */
  const int32_t *rq;
} tml_depthwise_fast_s8_params_t;

/* The interior run [*lo, *hi) of an output row whose taps inside the input span nky
 * filter rows (see tml_depthwise_fast_run()); *lo = *hi = output_w when there is none.
 * The compiler asks it which layers have runs (TML_OPT_DW_RUN). */
TML_KERNEL void tml_depthwise_fast_run_bounds(const tml_depthwise_fast_s8_params_t *p,
                                              int32_t nky, int32_t *lo, int32_t *hi);

TML_KERNEL void tml_depthwise_fast_s8(const tml_depthwise_fast_s8_params_t *p,
                                      const int8_t *input, int8_t *output);

/* Bytes of the padded copy tml_depthwise_fast_s8_padded() takes for a 3x3 layer with depth
 * multiplier 1 and dilation 1: the padded rows and columns the outputs read, all channels. */
TML_KERNEL int32_t tml_depthwise_fast_padded_bytes(const tml_depthwise_fast_s8_params_t *p);

/* tml_depthwise_fast_s8() with a scratch of tml_depthwise_fast_padded_bytes(p) bytes: on
 * the Cortex-M4/M7 speed path (TML_DW_PADDED_RECORDS, with p->rq) such a layer first
 * copies its input with the padding (the input zero point: with the input offset folded
 * into the bias its taps add input_zero_point * w, which the fold's input_offset * w
 * cancels) into the scratch, then computes every pixel from it in assembly, 4 channels per
 * step, requantized from registers; elsewhere as tml_depthwise_fast_s8(). Every input byte
 * of a batch is read before any output of it is written. */
TML_KERNEL void tml_depthwise_fast_s8_padded(const tml_depthwise_fast_s8_params_t *p,
                                             const int8_t *input, int8_t *output,
                                             int8_t *scratch);

/* 1 where tml_depthwise_fast_s8_padded() reads p->rq (Arm DSP without Helium, GCC
 * optimizing, speed paths): the generated file defines the records only then. */
#if TML_HAVE_DSP && !TML_HAVE_MVE && defined(__GNUC__) && !defined(__clang__) && \
    defined(__OPTIMIZE__) && TML_SPEED_PATHS
#define TML_DW_PADDED_RECORDS 1
#define TML_DW_PADDED_RQ(records) (records)
/* What such a layer does not read there (its biases, multipliers and shifts: the records
 * hold them): left out. */
#define TML_DW_PADDED_W8(array) NULL
#else
#define TML_DW_PADDED_RECORDS 0
#define TML_DW_PADDED_RQ(records) NULL
#define TML_DW_PADDED_W8(array) (array)
#endif

#ifndef TML_DECLARATIONS_ONLY

/* (b0 + off, b2 + off) and (b1 + off, b3 + off) for the bytes of w. */
TML_INLINE void tml_widen_add_s8x4(uint32_t w, uint32_t off2, uint32_t *even, uint32_t *odd) {
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__))
  *even = (uint32_t)__sxtab16((int32_t)off2, (int32_t)w);
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(*odd) : "r"(off2), "r"(w));
#else
  const int32_t off = tml_pair_lo(off2);
  uint32_t e, o;
  tml_widen_s8x4(w, &e, &o);
  *even = (uint32_t)(uint16_t)(tml_pair_lo(e) + off) |
          ((uint32_t)(uint16_t)(tml_pair_hi(e) + off) << 16);
  *odd = (uint32_t)(uint16_t)(tml_pair_lo(o) + off) |
         ((uint32_t)(uint16_t)(tml_pair_hi(o) + off) << 16);
#endif
}

/* acc + x.lo * w.lo (SMLABB) and acc + x.hi * w.hi (SMLATT). */
TML_INLINE int32_t tml_mla_lo(uint32_t x, uint32_t w, int32_t acc) {
#if TML_HAVE_DSP
  return __smlabb((int32_t)x, (int32_t)w, acc);
#else
  return acc + tml_pair_lo(x) * tml_pair_lo(w);
#endif
}
TML_INLINE int32_t tml_mla_hi(uint32_t x, uint32_t w, int32_t acc) {
#if TML_HAVE_DSP
  return __smlatt((int32_t)x, (int32_t)w, acc);
#else
  return acc + tml_pair_hi(x) * tml_pair_hi(w);
#endif
}

/* First tap index k in [0, n) with 0 <= i0 + k * d < size, and one past the last. */
TML_INLINE void tml_depthwise_fast_range(int32_t i0, int32_t d, int32_t n, int32_t size,
                                            int32_t *k0, int32_t *k1) {
  int32_t lo = 0, hi = n;
  if (i0 < 0) {
    lo = (-i0 + d - 1) / d;
  }
  if (i0 + (hi - 1) * d >= size) {
    hi = size - i0 <= 0 ? 0 : (size - i0 + d - 1) / d;
  }
  *k0 = lo;
  *k1 = hi < lo ? lo : hi;
}

/* One tap of 4 channels: input word at xp (input offset folded into the bias), widened
 * weight pairs we, wo. */
#define TML_DW_TAP2(xp, we, wo)                                   \
  do {                                                            \
    uint32_t xe_, xo_;                                            \
    tml_widen_s8x4(tml_read_s8x4(xp), &xe_, &xo_);                \
    a0 = tml_mla_lo(xe_, (we), a0);                               \
    a2 = tml_mla_hi(xe_, (we), a2);                               \
    a1 = tml_mla_lo(xo_, (wo), a1);                               \
    a3 = tml_mla_hi(xo_, (wo), a3);                               \
  } while (0)

/* One tap of 4 channels: input word at xp (4 channels, or one byte broadcast to the 4
 * channels that share it), weight word w. */
#define TML_DW_TAP(xp, w)                                                               \
  do {                                                                                  \
    uint32_t xe_, xo_, we_, wo_;                                                        \
    const uint32_t xw_ = bcast ? (uint32_t)(uint8_t)*(xp) * 0x01010101u : tml_read_s8x4(xp); \
    tml_widen_s8x4((w), &we_, &wo_);                                                    \
    tml_widen_add_s8x4(xw_, off2, &xe_, &xo_);                                          \
    a0 = tml_mla_lo(xe_, we_, a0);                                                      \
    a2 = tml_mla_hi(xe_, we_, a2);                                                      \
    a1 = tml_mla_lo(xo_, wo_, a1);                                                      \
    a3 = tml_mla_hi(xo_, wo_, a3);                                                      \
  } while (0)

/* All channels of one output pixel over the nky x nkx taps inside the input (nky, nkx
 * >= 1): `x` points at the input pixel of the first such tap, `w` at that tap's weight
 * word in the first group of 4 channels. bcast (a constant where it is inlined): 0 for
 * depth multiplier 1 (4 input channels per word), 1 for a multiple of 4 (one input byte
 * broadcast to 4 channels). Pointer walks only (rows of 3 taps unrolled). */
#if TML_HAVE_MVE
/* MVE: 4 channels per vector in 32-bit lanes (VLDRB.S32 widens 4 input bytes or 4
 * weight bytes as it loads), one VMUL and VADD per tap, and the 4 outputs requantized
 * together (tml_mve_output4()). */
TML_ALWAYS_INLINE void tml_depthwise_fast_pixel_body(const tml_depthwise_fast_s8_params_t *p,
                                                    const int8_t *x, const uint32_t *w,
                                                    int32_t nky, int32_t nkx, int8_t *out,
                                                    const int bcast) {
  const int32_t c = p->channels, taps = p->filter_h * p->filter_w;
  const int32_t x_step = p->dilation_w * p->input_c;
  const int32_t x_row = p->dilation_h * p->input_w * p->input_c - nkx * x_step;
  const int32_t quads_per_input = p->depth_multiplier >> 2; /* bcast */
  int32_t q_left = quads_per_input;
  const int32_t w_skip = p->filter_w - nkx;
  const int32_t off = p->input_offset;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t *bias = p->bias, *mult = p->multiplier;
  const int8_t *shift = p->shift;
  const int8_t *const out_end = out + c;
  for (; out != out_end; out += 4, w += taps, bias += 4, mult += 4, shift += 4) {
    int32x4_t acc = vldrwq_s32(bias);
    const int8_t *xp = x;
    const int8_t *wp = (const int8_t *)w;
    int32_t ky = nky;
    do {
      int32_t kx = nkx;
      do {
        const int32x4_t xv = bcast ? vdupq_n_s32(*xp + off) : vaddq_n_s32(vldrbq_s32(xp), off);
        acc = vaddq_s32(acc, vmulq_s32(xv, vldrbq_s32(wp)));
        xp += x_step;
        wp += 4;
      } while (--kx != 0);
      xp += x_row;
      wp += 4 * w_skip;
    } while (--ky != 0);
    tml_mve_output4(acc, vldrwq_s32(mult), vldrbq_s32(shift), zp, act_min, act_max, out,
                    vctp32q(4));
    if (!bcast) {
      x += 4;
    } else if (--q_left == 0) {
      q_left = quads_per_input;
      ++x;
    }
  }
}
#else
TML_ALWAYS_INLINE void tml_depthwise_fast_pixel_body(const tml_depthwise_fast_s8_params_t *p,
                                                    const int8_t *x, const uint32_t *w,
                                                    int32_t nky, int32_t nkx, int8_t *out,
                                                    const int bcast) {
  const int32_t c = p->channels, taps = p->filter_h * p->filter_w;
  const int32_t x_step = p->dilation_w * p->input_c;
  const int32_t x_row = p->dilation_h * p->input_w * p->input_c - nkx * x_step;
  const int32_t quads_per_input = p->depth_multiplier >> 2; /* bcast */
  int32_t q_left = quads_per_input;
  const int32_t w_skip = p->filter_w - nkx;
  const uint32_t off2 = ((uint32_t)p->input_offset & 0xFFFFu) * 0x00010001u;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t *bias = p->bias, *mult = p->multiplier;
  const int8_t *shift = p->shift;
  const int8_t *const out_end = out + c;
  for (; out != out_end; out += 4, w += taps, bias += 4, mult += 4, shift += 4) {
    int32_t a0 = bias[0], a1 = bias[1], a2 = bias[2], a3 = bias[3];
    const int8_t *xp = x;
    const uint32_t *wp = w;
    int32_t ky = nky;
    if (nkx == 3) {
      do {
        TML_DW_TAP(xp, wp[0]);
        xp += x_step;
        TML_DW_TAP(xp, wp[1]);
        xp += x_step;
        TML_DW_TAP(xp, wp[2]);
        xp += x_step + x_row;
        wp += 3 + w_skip;
      } while (--ky != 0);
    } else {
      do {
        int32_t kx = nkx;
        do {
          TML_DW_TAP(xp, *wp);
          xp += x_step;
          ++wp;
        } while (--kx != 0);
        xp += x_row;
        wp += w_skip;
      } while (--ky != 0);
    }
    {
      const int8_t y0 = tml_fast_output(a0, mult[0], shift[0], zp, act_min, act_max);
      const int8_t y1 = tml_fast_output(a1, mult[1], shift[1], zp, act_min, act_max);
      const int8_t y2 = tml_fast_output(a2, mult[2], shift[2], zp, act_min, act_max);
      const int8_t y3 = tml_fast_output(a3, mult[3], shift[3], zp, act_min, act_max);
      out[0] = y0;
      out[1] = y1;
      out[2] = y2;
      out[3] = y3;
    }
    if (!bcast) {
      x += 4;
    } else if (--q_left == 0) {
      q_left = quads_per_input;
      ++x;
    }
  }
}
#endif /* TML_HAVE_MVE */

#undef TML_DW_TAP

/* The two forms, out of line so that the 4 accumulators, the widened pairs and the
 * pointers stay in registers. TML_OPT_DW_MULT1 / TML_OPT_DW_BCAST: some layer has depth
 * multiplier 1 / a multiple of 4. */
#ifndef TML_OPT_DW_MULT1
#define TML_OPT_DW_MULT1 TML_OPTION_DEFAULT
#endif
#ifndef TML_OPT_DW_BCAST
#define TML_OPT_DW_BCAST TML_OPTION_DEFAULT
#endif
#if defined(__GNUC__) || defined(__clang__)
#define TML_DW_NOINLINE __attribute__((noinline))
#else
#define TML_DW_NOINLINE
#endif
#if TML_OPT_DW_MULT1
TML_DW_NOINLINE TML_HELPER void tml_depthwise_fast_pixel(const tml_depthwise_fast_s8_params_t *p,
                                                     const int8_t *x, const uint32_t *w,
                                                     int32_t nky, int32_t nkx, int8_t *out) {
  tml_depthwise_fast_pixel_body(p, x, w, nky, nkx, out, 0);
}
#endif
#if TML_OPT_DW_BCAST
TML_DW_NOINLINE TML_HELPER void tml_depthwise_fast_pixel_bcast(
    const tml_depthwise_fast_s8_params_t *p, const int8_t *x, const uint32_t *w, int32_t nky,
    int32_t nkx, int8_t *out) {
  tml_depthwise_fast_pixel_body(p, x, w, nky, nkx, out, 1);
}
#endif

/* Taps whose weights tml_depthwise_fast_run() widens into a local table. */
#define TML_DW_RUN_MAX_TAPS 25

/* TML_OPT_DW_RUN: some layer has a run of interior pixels (see below). */
#ifndef TML_OPT_DW_RUN
#define TML_OPT_DW_RUN TML_OPTION_DEFAULT
#endif
#if TML_OPT_DW_RUN && TML_HAVE_MVE
/* MVE: the run as below, a group of 4 channels at a time over all n pixels: the input
 * offset folded into the bias once per group (every tap is inside), then per pixel and
 * tap one widening load each of input and weights, a VMUL and a VADD (rows of 3 taps
 * unrolled), and the 4 outputs requantized together. Out of line: registers. */
TML_DW_NOINLINE TML_HELPER void tml_depthwise_fast_run(const tml_depthwise_fast_s8_params_t *p, const int8_t *x,
                                   const uint32_t *w, int32_t nky, int8_t *out, int32_t n) {
  const int32_t c = p->channels, taps = p->filter_h * p->filter_w, fw = p->filter_w;
  const int32_t ntaps = nky * fw;
  const int32_t x_step = p->dilation_w * c, row_step = p->dilation_h * p->input_w * c;
  const int32_t x_pix = p->stride_w * c;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const mve_pred16_t all = vctp32q(4);
  const int8_t *const out_end = out + c;
  const int32_t *bias = p->bias, *mult = p->multiplier;
  const int8_t *shift = p->shift;
  for (; out != out_end; out += 4, x += 4, w += taps, bias += 4, mult += 4, shift += 4) {
    const int8_t *const wb = (const int8_t *)w, *const wend = wb + 4 * ntaps;
    const int32x4_t m = vldrwq_s32(mult), e = vldrbq_s32(shift);
    const int8_t *xi = x;
    int8_t *o = out;
    int32x4_t sum = vdupq_n_s32(0), fb;
    int32_t i, t;
    for (t = 0; t < ntaps; ++t) sum = vaddq_s32(sum, vldrbq_s32(wb + 4 * t));
    fb = vmlaq_n_s32(vldrwq_s32(bias), sum, p->input_offset);
    for (i = 0; i < n; ++i, xi += x_pix, o += c) {
      int32x4_t acc = fb;
      const int8_t *xr = xi, *wp = wb;
      if (fw == 3) {
        for (; wp != wend; wp += 12, xr += row_step) {
          acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(xr), vldrbq_s32(wp)));
          acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(xr + x_step), vldrbq_s32(wp + 4)));
          acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(xr + 2 * x_step), vldrbq_s32(wp + 8)));
        }
      } else {
        for (; wp != wend; xr += row_step) {
          const int8_t *xp = xr;
          const int8_t *const rend = wp + 4 * fw;
          for (; wp != rend; wp += 4, xp += x_step) {
            acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(xp), vldrbq_s32(wp)));
          }
        }
      }
      tml_mve_output4(acc, m, e, zp, act_min, act_max, o, all);
    }
  }
}
#elif TML_OPT_DW_RUN

/* A run of n output pixels along x, all of whose filter_w taps per row lie inside the
 * input, depth multiplier 1: `x` points at channel 0 of the input pixel of tap (ky0, 0)
 * of the first pixel, `w` at weight word (ky0, 0) of the first group of 4 channels, nky
 * rows (nky * filter_w <= TML_DW_RUN_MAX_TAPS). Group of 4 channels outermost: its
 * weights are widened once into a local table and reused for the whole run. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
TML_HELPER void tml_depthwise_fast_run(const tml_depthwise_fast_s8_params_t *p, const int8_t *x,
                                   const uint32_t *w, int32_t nky, int8_t *out, int32_t n) {
  const int32_t c = p->channels, taps = p->filter_h * p->filter_w, fw = p->filter_w;
  const int32_t ntaps = nky * fw;
  const int32_t x_step = p->dilation_w * c;
  const int32_t x_row = p->dilation_h * p->input_w * c - (fw - 1) * x_step;
  const int32_t x_pix = p->stride_w * c;
  const int32_t x_next3 = x_row + x_step; /* 3 taps per row: from tap 1 to the next row */
  const int32_t off = p->input_offset;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const int8_t *const out_end = out + c;
  const int32_t *bias = p->bias, *mult = p->multiplier;
  const int8_t *shift = p->shift;
  uint32_t wt[2 * TML_DW_RUN_MAX_TAPS];
  int32_t t;
  for (; out != out_end; out += 4, x += 4, w += taps, bias += 4, mult += 4, shift += 4) {
    const int8_t *xi = x;
    int8_t *o = out;
    int32_t i, b0, b1, b2, b3;
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    /* Widened weights, and the input offset folded into the bias (every tap is inside). */
    for (t = 0; t < ntaps; ++t) {
      tml_widen_s8x4(w[t], &wt[2 * t], &wt[2 * t + 1]);
      s0 += tml_pair_lo(wt[2 * t]);
      s2 += tml_pair_hi(wt[2 * t]);
      s1 += tml_pair_lo(wt[2 * t + 1]);
      s3 += tml_pair_hi(wt[2 * t + 1]);
    }
    b0 = bias[0] + off * s0;
    b1 = bias[1] + off * s1;
    b2 = bias[2] + off * s2;
    b3 = bias[3] + off * s3;
    for (i = 0; i < n; ++i, xi += x_pix, o += c) {
      int32_t a0 = b0, a1 = b1, a2 = b2, a3 = b3;
      const int8_t *xp = xi;
      const uint32_t *wp = wt;
      const uint32_t *const wend = wt + 2 * ntaps;
      if (fw == 3) {
        while (wp != wend) {
          TML_DW_TAP2(xp, wp[0], wp[1]);
          xp += x_step;
          TML_DW_TAP2(xp, wp[2], wp[3]);
          TML_DW_TAP2(xp + x_step, wp[4], wp[5]);
          xp += x_next3;
          wp += 6;
        }
      } else {
        while (wp != wend) {
          const uint32_t *const rend = wp + 2 * fw;
          for (;;) {
            TML_DW_TAP2(xp, wp[0], wp[1]);
            wp += 2;
            if (wp == rend) break;
            xp += x_step;
          }
          xp += x_row;
        }
      }
      {
        const int8_t y0 = tml_fast_output(a0, mult[0], shift[0], zp, act_min, act_max);
        const int8_t y1 = tml_fast_output(a1, mult[1], shift[1], zp, act_min, act_max);
        const int8_t y2 = tml_fast_output(a2, mult[2], shift[2], zp, act_min, act_max);
        const int8_t y3 = tml_fast_output(a3, mult[3], shift[3], zp, act_min, act_max);
        o[0] = y0;
        o[1] = y1;
        o[2] = y2;
        o[3] = y3;
      }
    }
  }
}

#endif /* TML_OPT_DW_RUN */

/* The interior run [*lo, *hi) of an output row whose taps inside the input span nky
 * filter rows: every tap column inside the input, depth multiplier 1, nky * filter_w <=
 * TML_DW_RUN_MAX_TAPS and at least 4 pixels; else *lo = *hi = output_w (pixel by pixel).
 * The compiler asks it which layers have runs (TML_OPT_DW_RUN). */
TML_KERNEL void tml_depthwise_fast_run_bounds(const tml_depthwise_fast_s8_params_t *p,
                                              int32_t nky, int32_t *lo, int32_t *hi) {
  const int32_t run_lo = (p->pad_w + p->stride_w - 1) / p->stride_w;
  int32_t run_hi = (p->input_w - 1 - (p->filter_w - 1) * p->dilation_w + p->pad_w);
  run_hi = run_hi < 0 ? 0 : run_hi / p->stride_w + 1;
  if (run_hi > p->output_w) run_hi = p->output_w;
  if (p->depth_multiplier != 1 || nky <= 0 || nky * p->filter_w > TML_DW_RUN_MAX_TAPS ||
      run_hi - run_lo < 4) {
    *lo = *hi = p->output_w;
    return;
  }
  *lo = run_lo;
  *hi = run_hi;
}

TML_KERNEL void tml_depthwise_fast_s8(const tml_depthwise_fast_s8_params_t *p,
                                      const int8_t *input, int8_t *output) {
  const int32_t c = p->channels;
  int32_t b, oy, ox, ch;
  for (b = 0; b < p->batches; ++b) {
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      int32_t ky0, ky1;
      tml_depthwise_fast_range(iy0, p->dilation_h, p->filter_h, p->input_h, &ky0, &ky1);
#if TML_OPT_DW_RUN
      int32_t run_lo, run_hi;
      tml_depthwise_fast_run_bounds(p, ky1 - ky0, &run_lo, &run_hi);
#endif
      for (ox = 0; ox < p->output_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int8_t *out = output + ((b * p->output_h + oy) * p->output_w + ox) * c;
        int32_t kx0, kx1;
#if TML_OPT_DW_RUN
        if (ox == run_lo) {
          tml_depthwise_fast_run(
              p,
              input + ((b * p->input_h + iy0 + ky0 * p->dilation_h) * p->input_w + ix0) * c,
              p->weights + ky0 * p->filter_w, ky1 - ky0, out, run_hi - run_lo);
          ox = run_hi - 1;
          continue;
        }
#endif
        tml_depthwise_fast_range(ix0, p->dilation_w, p->filter_w, p->input_w, &kx0, &kx1);
        if (ky1 <= ky0 || kx1 <= kx0) {
          /* No tap inside the input: the bias alone. */
          for (ch = 0; ch < c; ++ch) {
            out[ch] = tml_fast_output(p->bias[ch], p->multiplier[ch], p->shift[ch],
                                      p->output_offset, p->act_min, p->act_max);
          }
          continue;
        }
        {
          const int8_t *x = input + ((b * p->input_h + iy0 + ky0 * p->dilation_h) * p->input_w +
                                     ix0 + kx0 * p->dilation_w) * p->input_c;
          const uint32_t *w = p->weights + ky0 * p->filter_w + kx0;
#if TML_OPT_DW_MULT1 && TML_OPT_DW_BCAST
          if (p->depth_multiplier == 1) {
            tml_depthwise_fast_pixel(p, x, w, ky1 - ky0, kx1 - kx0, out);
          } else {
            tml_depthwise_fast_pixel_bcast(p, x, w, ky1 - ky0, kx1 - kx0, out);
          }
#elif TML_OPT_DW_MULT1
          tml_depthwise_fast_pixel(p, x, w, ky1 - ky0, kx1 - kx0, out);
#else
          tml_depthwise_fast_pixel_bcast(p, x, w, ky1 - ky0, kx1 - kx0, out);
#endif
        }
      }
    }
  }
}


TML_KERNEL int32_t tml_depthwise_fast_padded_bytes(const tml_depthwise_fast_s8_params_t *p) {
  return ((p->output_h - 1) * p->stride_h + 3) * ((p->output_w - 1) * p->stride_w + 3) *
         p->channels;
}

#if TML_DW_PADDED_RECORDS
#define TML_DW_PADDED_ASM 1
/* One tap of a group of 4 channels: the input word at ADDR and the weight word at wp
 * (SXTB16: the pairs (c0, c2) and (c1, c3)), one SMLABB/SMLATT per channel. */
#define TML_DW_PADDED_TAP(ADDR)                                                            \
  "ldr %[x], " ADDR "\n\t"                                                                \
  "ldr %[w], [%[wp]], #4\n\t"                                                             \
  "sxtb16 %[xo], %[x], ror #8\n\t"                                                        \
  "sxtb16 %[x], %[x]\n\t"                                                                 \
  "sxtb16 %[wo], %[w], ror #8\n\t"                                                        \
  "sxtb16 %[w], %[w]\n\t"                                                                 \
  "smlabb %[a0], %[x], %[w], %[a0]\n\t"                                                   \
  "smlatt %[a2], %[x], %[w], %[a2]\n\t"                                                   \
  "smlabb %[a1], %[xo], %[wo], %[a1]\n\t"                                                 \
  "smlatt %[a3], %[xo], %[wo], %[a3]\n\t"
/* A filter row: the taps at r, r + cs, r + 2 cs; then the next row. */
#define TML_DW_PADDED_ROW                                                                  \
  TML_DW_PADDED_TAP("[%[r]]")                                                              \
  TML_DW_PADDED_TAP("[%[r], %[cs]]")                                                       \
  TML_DW_PADDED_TAP("[%[r], %[cs], lsl #1]")                                               \
  "add %[r], %[r], %[rs]\n\t"
/* Channel A's output from its record at q (m, r, e): a = 2 acc,
 * y = ssat8(SMMLAR(a, m, r - (a < 0)) >> e) (tml_fast_output_r()). */
#define TML_DW_PADDED_RQ1(A)                                                               \
  "ldrd %[w], %[wo], [%[q]], #8\n\t"                                                      \
  "ldr %[x], [%[q]], #4\n\t"                                                              \
  "lsl %[" A "], %[" A "], #1\n\t"                                                         \
  "add %[xo], %[wo], %[" A "], asr #31\n\t"                                                \
  "smmlar %[" A "], %[" A "], %[w], %[xo]\n\t"                                             \
  "asr %[" A "], %[" A "], %[x]\n\t"                                                       \
  "ssat %[" A "], #8, %[" A "]\n\t"                                                        \
  "strb %[" A "], [%[o]], #1\n\t"

/* All channels of the output pixel whose window starts at r in the padded copy (rows rs
 * bytes apart, columns cs = channels bytes apart), in one assembly loop over the groups
 * of 4 channels (14 registers: the 4 sums, 4 temporaries, the window, weight, record and
 * output pointers, rs and cs; the end of the records waits on the stack). */
TML_ALWAYS_INLINE void tml_depthwise_fast_padded_pixel(const tml_depthwise_fast_s8_params_t *p,
                                                       const int8_t *r, int32_t rs,
                                                       int8_t *o) {
  const uint32_t *wp = p->weights;
  const int32_t *q = p->rq;
  int32_t a0 = (int32_t)(uintptr_t)(q + 4 * p->channels), a1, a2, a3;
  uint32_t x, xo, w, wo;
  __asm__ __volatile__(
      "str %[a0], [sp, #-8]!\n"
      "1:\n\t"
      "ldrd %[a0], %[a1], [%[q]]\n\t"
      "ldrd %[a2], %[a3], [%[q], #8]\n\t"
      "add %[q], %[q], #16\n\t"
      TML_DW_PADDED_ROW TML_DW_PADDED_ROW TML_DW_PADDED_ROW
      "sub %[r], %[r], %[rs], lsl #1\n\t"
      "sub %[r], %[r], %[rs]\n\t"
      "add %[r], %[r], #4\n\t"
      TML_DW_PADDED_RQ1("a0") TML_DW_PADDED_RQ1("a1") TML_DW_PADDED_RQ1("a2")
      TML_DW_PADDED_RQ1("a3")
      "ldr %[x], [sp]\n\t"
      "cmp %[q], %[x]\n\t"
      "bne 1b\n\t"
      "add sp, sp, #8"
      : [a0] "+r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [r] "+r"(r),
        [wp] "+r"(wp), [q] "+r"(q), [o] "+r"(o), [x] "=&r"(x), [xo] "=&r"(xo), [w] "=&r"(w),
        [wo] "=&r"(wo)
      : [rs] "r"(rs), [cs] "r"(p->channels)
      : "cc", "memory");
}
#undef TML_DW_PADDED_RQ1
#undef TML_DW_PADDED_ROW
#undef TML_DW_PADDED_TAP
#else
#define TML_DW_PADDED_ASM 0
#endif

TML_KERNEL void tml_depthwise_fast_s8_padded(const tml_depthwise_fast_s8_params_t *p,
                                             const int8_t *input, int8_t *output,
                                             int8_t *scratch) {
#if TML_DW_PADDED_ASM
  if (scratch != NULL && p->rq != NULL && p->filter_h == 3 && p->filter_w == 3 &&
      p->depth_multiplier == 1 && p->dilation_h == 1 && p->dilation_w == 1) {
    const int32_t c = p->channels, ph = (p->output_h - 1) * p->stride_h + 3;
    const int32_t pw = (p->output_w - 1) * p->stride_w + 3, rs = pw * c;
    const int32_t in_row = p->input_w * c;
    const int8_t zp = (int8_t)-p->input_offset;
    /* The input columns the padded rows hold: [x0, x1) at padded column x0 + pad_w. */
    const int32_t x0 = p->pad_w > 0 ? 0 : -p->pad_w;
    const int32_t x1 = p->input_w < pw - p->pad_w ? p->input_w : pw - p->pad_w;
    int32_t b, y, oy, ox;
    for (b = 0; b < p->batches; ++b) {
      const int8_t *const x = input + b * p->input_h * in_row;
      int8_t *const o = output + b * p->output_h * p->output_w * c;
      for (y = 0; y < ph; ++y) {
        int8_t *const d = scratch + y * rs;
        const int32_t iy = y - p->pad_h;
        if (iy < 0 || iy >= p->input_h || x1 <= x0) {
          memset(d, zp, (size_t)rs);
          continue;
        }
        memset(d, zp, (size_t)((x0 + p->pad_w) * c));
        memcpy(d + (x0 + p->pad_w) * c, x + iy * in_row + x0 * c, (size_t)((x1 - x0) * c));
        memset(d + (x1 + p->pad_w) * c, zp, (size_t)((pw - x1 - p->pad_w) * c));
      }
      for (oy = 0; oy < p->output_h; ++oy) {
        for (ox = 0; ox < p->output_w; ++ox) {
          tml_depthwise_fast_padded_pixel(
              p, scratch + oy * p->stride_h * rs + ox * p->stride_w * c, rs,
              o + (oy * p->output_w + ox) * c);
        }
      }
    }
    return;
  }
#endif
  (void)scratch;
  tml_depthwise_fast_s8(p, input, output);
}

#undef TML_DW_TAP2
#undef TML_DW_RUN_MAX_TAPS

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEPTHWISE_FAST_H */
