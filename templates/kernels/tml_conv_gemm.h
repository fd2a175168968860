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
 *            blocks of R (rows past output_c are 0); word r of group g holds taps
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
 * Order contract (in-place execution, compiler/src/ops/conv_2d.cc): output pixels are
 * produced in increasing order in blocks of at most 2 pixels; a block reads only its own
 * input pixels (copied to the scratch before the first output byte of the block is
 * written for the im2col path; the direct path handles a single pixel). The layer may
 * therefore run with its input placed far enough above its output in the same buffer
 * that no block writes below an input pixel a later block reads (InPlaceMinDelta() in
 * compiler/src/ops/op_util.cc).
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

/* im2col of output pixel `pix` (row-major over batches, output_h, output_w) into column
 * `slot` of the interleaved scratch: word (g * 2 + slot) * 2 + {0, 1} holds group g.
 * input_c a multiple of 4: whole words straight from the input; otherwise the K bytes are
 * gathered into `stage` (4 * groups bytes) first, then widened a word at a time. */
TML_INLINE void tml_conv_gemm_im2col(const tml_conv_gemm_s8_params_t *p,
                                        const int8_t *input, int32_t pix, uint32_t *col,
                                        int8_t *stage) {
  const int32_t ox = pix % p->output_w;
  const int32_t oy = (pix / p->output_w) % p->output_h;
  const int32_t b = pix / (p->output_w * p->output_h);
  const int32_t c = p->input_c;
  const uint32_t zp4 = ((uint32_t)p->input_zero_point & 0xFFu) * 0x01010101u;
  const int8_t zp = (int8_t)p->input_zero_point;
  const int32_t ix0 = ox * p->stride_w - p->pad_w, dix = p->dilation_w;
  const int32_t in_w = p->input_w, fw = p->filter_w;
  int8_t *dst = stage;
  int32_t ky, kx, i;
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dilation_h;
    const int row_inside = iy >= 0 && iy < p->input_h;
    const int8_t *row = input + (b * p->input_h + (row_inside ? iy : 0)) * in_w * c;
    int32_t ix = ix0;
    for (kx = 0; kx < fw; ++kx, ix += dix) {
      const int inside = row_inside && ix >= 0 && ix < in_w;
      const int8_t *src = row + (inside ? ix : 0) * c;
      if ((c & 3) == 0) {
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
      } else if (!inside) {
        for (i = 0; i < c; ++i) dst[i] = zp;
        dst += c;
      } else if (c == 3) {
        dst[0] = src[0];
        dst[1] = src[1];
        dst[2] = src[2];
        dst += 3;
      } else {
        for (i = 0; i < c; ++i) dst[i] = src[i];
        dst += c;
      }
    }
  }
  if ((c & 3) != 0) {
    const int32_t k = p->filter_h * p->filter_w * c;
    const int8_t *end = stage + 4 * p->groups;
    for (i = k; i < 4 * p->groups; ++i) stage[i] = 0; /* taps past K (weights 0) */
    for (dst = stage; dst != end; dst += 4) {
      tml_widen_s8x4(tml_read_s8x4(dst), &col[0], &col[1]);
      col += 4;
    }
  }
}

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
}

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

TML_KERNEL void tml_conv_gemm_s8(const tml_conv_gemm_s8_params_t *p, const int8_t *input,
                                 int8_t *output, uint32_t *scratch) {
  const int32_t npix = p->batches * p->output_h * p->output_w;
  const int32_t oc = p->output_c;
  int8_t *stage;
  int32_t pix;
  if (scratch == NULL) {
    for (pix = 0; pix < npix; ++pix) {
      tml_conv_gemm_direct(p, input + pix * p->input_c, output + pix * oc);
    }
    return;
  }
  stage = (int8_t *)(void *)(scratch + 4 * p->groups);
  for (pix = 0; pix < npix; pix += 2) {
    /* A last odd pixel is computed twice (same column in both slots), stored once. */
    const int32_t next = pix + 1 < npix ? 1 : 0;
    int8_t *out0 = output + pix * oc;
    int8_t *out1 = out0 + next * oc;
    tml_conv_gemm_im2col(p, input, pix, scratch, stage);
    tml_conv_gemm_im2col(p, input, pix + next, scratch + 2, stage);
    tml_conv_gemm_pixels2(p, scratch, out0, out1);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_GEMM_H */
