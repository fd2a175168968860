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
 * Scratch (@S@): 4 * groups uint32_t (two output pixels' im2col columns, widened to
 * 16-bit pairs), plus groups uint32_t (staging of one column's bytes) when input_c is not
 * a multiple of 4; NULL for a 1x1, stride 1, unpadded layer with input_c a multiple of 4 and
 * a single output pixel (a fully connected layer), which reads the input directly.
 *
 * Paths: portable C; Arm DSP (SXTB16 + SMLAD, 2 rows x 2 pixels per group); Helium
 * (__ARM_FEATURE_MVE): 16 taps of a row per VMLADAVA, the row's 4 words read with one
 * gather from the layout above, 4 rows x 2 pixels, the two pixels' taps as int8 bytes in
 * the first 8 * groups bytes of the scratch (pointwise layers: the input pixels
 * themselves), vector requantization. All give the same bytes.
 *
 * Order contract (in-place execution, compiler/src/ops/conv_2d.cc): output pixels are
 * produced in increasing order in blocks of at most 2 pixels; a block reads only its own
 * input pixels (the Helium pointwise path while it writes the block's outputs; the others
 * copy them to the scratch first; the direct path handles a single pixel). The layer may
 * therefore run with its input placed far enough above its output in the same buffer
 * that no output byte of a block lands on an input pixel the block or a later block
 * reads (InPlaceMinDelta() in compiler/src/ops/op_util.cc, with blocks of 2).
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
} tml_conv_gemm_s8_params_t;

TML_KERNEL void tml_conv_gemm_s8(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                 int8_t *output, uint32_t *scratch);

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

#if TML_OPT_GEMM_IM2COL
/* The window of output pixel `pix` (row-major over batches, output_h, output_w) as the
 * K int8 taps themselves, in the filter's order, to dst (padding taps: the input zero
 * point). Bytes K to 4 * groups - 1 are left as they are: their weights are 0. */
TML_INLINE void tml_conv_gemm_gather(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                     int32_t pix, int8_t *dst) {
  const int32_t ox = pix % p->output_w;
  const int32_t oy = (pix / p->output_w) % p->output_h;
  const int32_t b = pix / (p->output_w * p->output_h);
  const int32_t c = p->input_c;
  const int8_t zp = (int8_t)p->input_zero_point;
  const int32_t ix0 = ox * p->stride_w - p->pad_w;
  int32_t ky, kx, i;
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dilation_h;
    const int row_inside = iy >= 0 && iy < p->input_h;
    const int8_t *row = input + (b * p->input_h + (row_inside ? iy : 0)) * p->input_w * c;
    int32_t ix = ix0;
    for (kx = 0; kx < p->filter_w; ++kx, ix += p->dilation_w) {
      if (!row_inside || ix < 0 || ix >= p->input_w) {
        for (i = 0; i < c; ++i) dst[i] = zp;
      } else if (c == 3) {
        dst[0] = row[ix * 3];
        dst[1] = row[ix * 3 + 1];
        dst[2] = row[ix * 3 + 2];
      } else if ((c & 3) == 0) {
        for (i = 0; i < c; i += 4) memcpy(dst + i, row + ix * c + i, 4);
      } else {
        for (i = 0; i < c; ++i) dst[i] = row[ix * c + i];
      }
      dst += c;
    }
  }
}

#if !TML_HAVE_MVE
/* im2col of output pixel `pix` into column `slot` of the interleaved scratch, widened to
 * 16-bit pairs: word (g * 2 + slot) * 2 + {0, 1} holds group g. input_c a multiple of 4:
 * whole words straight from the input; otherwise the taps are gathered into `stage`
 * (4 * groups bytes) first, then widened a word at a time. */
TML_INLINE void tml_conv_gemm_im2col(const tml_conv_gemm_s8_params_t *p,
                                        const int8_t *input, int32_t pix, uint32_t *col,
                                        int8_t *stage) {
  const int32_t ox = pix % p->output_w;
  const int32_t oy = (pix / p->output_w) % p->output_h;
  const int32_t b = pix / (p->output_w * p->output_h);
  const int32_t c = p->input_c;
  const uint32_t zp4 = ((uint32_t)p->input_zero_point & 0xFFu) * 0x01010101u;
  const int32_t ix0 = ox * p->stride_w - p->pad_w, dix = p->dilation_w;
  const int32_t in_w = p->input_w, fw = p->filter_w;
  int32_t ky, kx, i;
  if (TML_OPT_GEMM_STAGE && (c & 3) != 0) {
    const int8_t *const end = stage + 4 * p->groups;
    const int8_t *src;
    tml_conv_gemm_gather(p, input, pix, stage);
    for (src = stage; src != end; src += 4) {
      tml_widen_s8x4(tml_read_s8x4(src), &col[0], &col[1]);
      col += 4;
    }
    return;
  }
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dilation_h;
    const int row_inside = iy >= 0 && iy < p->input_h;
    const int8_t *row = input + (b * p->input_h + (row_inside ? iy : 0)) * in_w * c;
    int32_t ix = ix0;
    for (kx = 0; kx < fw; ++kx, ix += dix) {
      const int inside = row_inside && ix >= 0 && ix < in_w;
      const int8_t *src = row + (inside ? ix : 0) * c;
      if (inside) {
        for (i = 0; i < c; i += 4) {
          tml_widen_s8x4(tml_read_s8x4(src + i), &col[0], &col[1]);
          col += 4;
        }
      } else {
        uint32_t ze, zo;
        tml_widen_s8x4(zp4, &ze, &zo);
        for (i = 0; i < c; i += 4) {
          col[0] = ze;
          col[1] = zo;
          col += 4;
        }
      }
    }
  }
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

/* One output pixel of a 1x1, stride 1, unpadded layer with input_c a multiple of 4
 * (a fully connected layer), read straight from the input: no scratch. Four rows at a
 * time share each widened input word. */
TML_INLINE void tml_conv_gemm_direct(const tml_conv_gemm_s8_params_t *p, const int8_t *in,
                                        int8_t *out) {
  const uint32_t *w = p->weights;
  const int32_t oc = p->output_c;
  int32_t c;
#if TML_HAVE_MVE
  /* 16 taps of a row at a time: a gather of its 4 words (one per group, 4 rows per
   * group), one multiply-accumulate across the vector (VMLADAVA); the last 1-3 groups
   * predicated (inactive lanes read as 0). */
  const int32_t groups = p->groups, full = groups & ~3;
  const uint32x4_t offs = vidupq_n_u32(0, 4);
  const mve_pred16_t pw = vctp32q((uint32_t)(groups & 3)), pb = vctp8q((uint32_t)(4 * (groups & 3)));
  for (c = 0; c < oc; c += 4, w += 4 * groups) {
    int32_t a0 = p->bias[c], a1 = p->bias[c + 1], a2 = p->bias[c + 2], a3 = p->bias[c + 3];
    int32_t j;
    for (j = 0; j < full; j += 4) {
      const int8x16_t x = vldrbq_s8(in + 4 * j);
      const uint32_t *wj = w + 4 * j;
      a0 = vmladavaq_s8(a0, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj, offs)));
      a1 = vmladavaq_s8(a1, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj + 1, offs)));
      a2 = vmladavaq_s8(a2, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj + 2, offs)));
      a3 = vmladavaq_s8(a3, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_u32(wj + 3, offs)));
    }
    if (j < groups) {
      const int8x16_t x = vldrbq_z_s8(in + 4 * j, pb);
      const uint32_t *wj = w + 4 * j;
      a0 = vmladavaq_s8(a0, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj, offs, pw)));
      a1 = vmladavaq_s8(a1, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj + 1, offs, pw)));
      a2 = vmladavaq_s8(a2, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj + 2, offs, pw)));
      a3 = vmladavaq_s8(a3, x, vreinterpretq_s8_u32(vldrwq_gather_shifted_offset_z_u32(wj + 3, offs, pw)));
    }
    out[c] = tml_conv_gemm_out(p, c, a0);
    if (c + 1 < oc) out[c + 1] = tml_conv_gemm_out(p, c + 1, a1);
    if (c + 2 < oc) out[c + 2] = tml_conv_gemm_out(p, c + 2, a2);
    if (c + 3 < oc) out[c + 3] = tml_conv_gemm_out(p, c + 3, a3);
  }
#else
  for (c = 0; c < oc; c += 4) {
    const int8_t *x = in;
    const uint32_t *end = w + 4 * p->groups;
    int32_t a0 = p->bias[c], a1 = p->bias[c + 1], a2 = p->bias[c + 2], a3 = p->bias[c + 3];
    while (w != end) {
      uint32_t xa, xb, wa, wb;
      tml_widen_s8x4(tml_read_s8x4(x), &xa, &xb);
      tml_widen_s8x4(w[0], &wa, &wb);
      a0 = tml_dot2(xa, wa, a0);
      a0 = tml_dot2(xb, wb, a0);
      tml_widen_s8x4(w[1], &wa, &wb);
      a1 = tml_dot2(xa, wa, a1);
      a1 = tml_dot2(xb, wb, a1);
      tml_widen_s8x4(w[2], &wa, &wb);
      a2 = tml_dot2(xa, wa, a2);
      a2 = tml_dot2(xb, wb, a2);
      tml_widen_s8x4(w[3], &wa, &wb);
      a3 = tml_dot2(xa, wa, a3);
      a3 = tml_dot2(xb, wb, a3);
      x += 4;
      w += 4;
    }
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
#undef TML_GEMM_MVE_STEP
#endif

#if TML_OPT_GEMM_IM2COL && !TML_HAVE_MVE
/* One group of 4 taps: 2 rows (w[0], w[1], int8) x 2 columns (x[0..3], widened). */
#define TML_CONV_GEMM_GROUP(x, w)          \
  do {                                     \
    const uint32_t x0a_ = (x)[0], x0b_ = (x)[1], x1a_ = (x)[2], x1b_ = (x)[3]; \
    uint32_t wa_, wb_;                     \
    tml_widen_s8x4((w)[0], &wa_, &wb_);    \
    a00 = tml_dot2(x0a_, wa_, a00);        \
    a00 = tml_dot2(x0b_, wb_, a00);        \
    a01 = tml_dot2(x1a_, wa_, a01);        \
    a01 = tml_dot2(x1b_, wb_, a01);        \
    tml_widen_s8x4((w)[1], &wa_, &wb_);    \
    a10 = tml_dot2(x0a_, wa_, a10);        \
    a10 = tml_dot2(x0b_, wb_, a10);        \
    a11 = tml_dot2(x1a_, wa_, a11);        \
    a11 = tml_dot2(x1b_, wb_, a11);        \
  } while (0)

/* All output channels of two output pixels whose im2col columns are in `col`. Kept out of
 * line so that the inner loop has the registers to itself (4 accumulators, 4 inputs,
 * 2 weights, 3 pointers); two groups per iteration. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
TML_HELPER void tml_conv_gemm_pixels2(const tml_conv_gemm_s8_params_t *p, const uint32_t *col,
                                  int8_t *out0, int8_t *out1) {
  /* Parameters in locals: stores to the int8 output may alias anything. */
  const int32_t oc = p->output_c, pairs2 = p->groups >> 1, odd = p->groups & 1;
  const int32_t zp = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t qstep = p->per_channel ? 1 : 0;
  const int32_t *bias = p->bias, *mult = p->multiplier;
  const int8_t *shift = p->shift;
  const uint32_t *w = p->weights;
  int32_t c;
  for (c = 0; c < oc; c += 2) {
    int32_t a00 = bias[c], a10 = bias[c + 1];
    int32_t a01 = a00, a11 = a10;
    const uint32_t *x = col;
    const uint32_t *end = w + 4 * pairs2;
    while (w != end) {
      TML_CONV_GEMM_GROUP(x, w);
      TML_CONV_GEMM_GROUP(x + 4, w + 2);
      x += 8;
      w += 4;
    }
    if (odd) {
      TML_CONV_GEMM_GROUP(x, w);
      w += 2;
    }
    {
      const int32_t m = *mult, e = *shift;
      const int8_t y1 = tml_fast_output(a01, m, e, zp, act_min, act_max);
      const int8_t y0 = tml_fast_output(a00, m, e, zp, act_min, act_max);
      out1[c] = y1;
      out0[c] = y0;
      mult += qstep;
      shift += qstep;
    }
    if (c + 1 < oc) {
      const int32_t m = *mult, e = *shift;
      const int8_t y1 = tml_fast_output(a11, m, e, zp, act_min, act_max);
      const int8_t y0 = tml_fast_output(a10, m, e, zp, act_min, act_max);
      out1[c + 1] = y1;
      out0[c + 1] = y0;
      mult += qstep;
      shift += qstep;
    }
  }
}

#undef TML_CONV_GEMM_GROUP
#endif /* TML_OPT_GEMM_IM2COL */

TML_KERNEL void tml_conv_gemm_s8(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                 int8_t *output, uint32_t *scratch) {
  const int32_t npix = p->batches * p->output_h * p->output_w;
  const int32_t oc = p->output_c;
  int32_t pix;
#if TML_OPT_GEMM_DIRECT
  if (!TML_OPT_GEMM_IM2COL || scratch == NULL) {
    for (pix = 0; pix < npix; ++pix) {
      tml_conv_gemm_direct(p, input + pix * p->input_c, output + pix * oc);
    }
    return;
  }
#endif
#if TML_OPT_GEMM_IM2COL && TML_HAVE_MVE
  {
    /* The two pixels' taps at scratch bytes [0, 4 groups) and [4 groups, 8 groups), or,
     * for a pointwise layer (1x1, stride 1, unpadded) with input_c a multiple of 4, the
     * input pixels themselves (the order contract holds: a block's outputs land below
     * its own input, InPlaceMinDelta() with blocks of 2). */
    int8_t *const x0 = (int8_t *)(void *)scratch, *const x1 = x0 + 4 * p->groups;
    const int pointwise = p->filter_h == 1 && p->filter_w == 1 && p->stride_h == 1 &&
                          p->stride_w == 1 && p->pad_h == 0 && p->pad_w == 0 &&
                          (p->input_c & 3) == 0;
    for (pix = 0; pix < npix; pix += 2) {
      const int32_t next = pix + 1 < npix ? 1 : 0;
      int8_t *out0 = output + pix * oc;
      const int8_t *a = input + pix * p->input_c, *b = a + next * p->input_c;
      if (!pointwise) {
        tml_conv_gemm_gather(p, input, pix, x0);
        if (next) tml_conv_gemm_gather(p, input, pix + 1, x1);
        a = x0;
        b = next ? x1 : x0;
      }
      tml_conv_gemm_pixels2_mve(p, a, b, out0, out0 + next * oc);
    }
  }
#elif TML_OPT_GEMM_IM2COL
  int8_t *const stage = (int8_t *)(void *)(scratch + 4 * p->groups);
  for (pix = 0; pix < npix; pix += 2) {
    /* A last odd pixel is computed twice (same column in both slots), stored once. */
    const int32_t next = pix + 1 < npix ? 1 : 0;
    int8_t *out0 = output + pix * oc;
    int8_t *out1 = out0 + next * oc;
    tml_conv_gemm_im2col(p, input, pix, scratch, stage);
    tml_conv_gemm_im2col(p, input, pix + next, scratch + 2, stage);
    tml_conv_gemm_pixels2(p, scratch, out0, out1);
  }
#else
  (void)scratch;
#endif
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_GEMM_H */
