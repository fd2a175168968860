/*
 * tml_conv_s16_fast.h - the fast paths of the 16x8 CONV_2D, FULLY_CONNECTED and
 * DEPTHWISE_CONV_2D (tml_conv_s16.h is the reference): the same sums of products,
 * computed two int16 taps at a time with SMLALD (dual 16x16 multiply, 64-bit accumulate)
 * on cores with the Arm DSP extension, and with the same pair arithmetic in portable C
 * elsewhere; the depthwise kernel sums each window in int32 (see there).
 *
 * Exactness: the reference sums the products w * x in int64 and the 32-bit accumulator
 * keeps the low 32 bits of that sum. SMLALD adds both products to a 64-bit accumulator
 * exactly (|w * x| <= 2^22, at most 2^25 terms), so any order of the same products
 * gives the same int64 sum, and tml_s16_finish() scales it as the reference does.
 *
 * Pairing: four int8 weights w0..w3 (one word, any alignment) widen with SXTB16 to the
 * pairs (w0, w2) and (w1, w3) (tml_widen_s8x4); the four int16 inputs x0..x3 (two
 * words) are repacked to (x0, x2) and (x1, x3) (PKHBT / PKHTB), so the weights need no
 * reordering. Two output channels share each input load. Where the filter row is
 * contiguous in the input (dilation 1, no groups) the taps of a whole filter row are
 * one dot product, so small input depths (the first layer's 1 or 3 channels) also run
 * four taps per step.
 *
 * FULLY_CONNECTED: the fast path when input_offset and filter_offset are 0 (the
 * converter's int16 inputs are symmetric, int8 weights per channel or zero-point 0);
 * other layers take the reference loop.
 */
#ifndef TML_CONV_S16_FAST_H
#define TML_CONV_S16_FAST_H

#include "tml_common.h"
#include "tml_conv_s16.h"
#include "tml_fast_common.h"

TML_KERNEL void tml_conv_2d_s16_fast(const tml_conv_s16_params_t *p, const int16_t *input,
                                     const int8_t *filter, const int64_t *bias,
                                     int16_t *output);
TML_KERNEL void tml_conv_2d_s16_fast_acc32(const tml_conv_s16_params_t *p,
                                           const int16_t *input, const int8_t *filter,
                                           const int32_t *bias, int16_t *output);
TML_KERNEL void tml_fully_connected_s16_fast(const tml_fully_connected_s16_params_t *p,
                                             const int16_t *input, const int8_t *filter,
                                             const int64_t *bias, int16_t *output);
TML_KERNEL void tml_depthwise_conv_2d_s16_fast(const tml_conv_s16_params_t *p,
                                               const int16_t *input, const int8_t *filter,
                                               const int64_t *bias, int16_t *output);
TML_KERNEL void tml_fully_connected_s16_fast_acc32(const tml_fully_connected_s16_params_t *p,
                                                   const int16_t *input, const int8_t *filter,
                                                   const int32_t *bias, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* acc + x.lo * w.lo + x.hi * w.hi in 64 bits (SMLALD). */
TML_INLINE int64_t tml_dot2_s64(uint32_t x, uint32_t w, int64_t acc) {
#if TML_HAVE_DSP
  return __smlald((int32_t)x, (int32_t)w, acc);
#else
  return acc + (int64_t)tml_pair_lo(x) * tml_pair_lo(w) + (int64_t)tml_pair_hi(x) * tml_pair_hi(w);
#endif
}

/* The pairs (x0, x2) and (x1, x3) of the int16 x01 = (x0, x1), x23 = (x2, x3). */
TML_INLINE void tml_s16_pairs(uint32_t x01, uint32_t x23, uint32_t *even, uint32_t *odd) {
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__))
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(*even) : "r"(x01), "r"(x23));
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(*odd) : "r"(x23), "r"(x01));
#else
  *even = (x01 & 0xFFFFu) | (x23 << 16);
  *odd = (x01 >> 16) | (x23 & 0xFFFF0000u);
#endif
}

/* *s0 += sum_r sum_i w0[r * w_step + i] * x[r * x_step + i], *s1 the same with w1, for
 * r < rows (>= 1) and i < n: the taps of `rows` filter rows in one call. Out of line: the
 * loop needs nearly every register of an M-profile core. */
TML_HELPER TML_FAST_NOINLINE void tml_s16_dot_2rows(const int16_t *x, ptrdiff_t x_step,
                                                    const int8_t *w0, const int8_t *w1,
                                                    ptrdiff_t w_step, int32_t n, int32_t rows,
                                                    int64_t *s0, int64_t *s1) {
  int64_t a0 = *s0, a1 = *s1;
  for (;;) {
    const int16_t *xp = x;
    const int8_t *p0 = w0;
    const int8_t *p1 = w1;
    const int16_t *const end4 = x + (n & ~3);
    const int16_t *const end = x + n;
    while (xp < end4) {
      uint32_t x01, x23, xe, xo, we, wo;
      memcpy(&x01, xp, 4);
      memcpy(&x23, xp + 2, 4);
      tml_s16_pairs(x01, x23, &xe, &xo);
      tml_widen_s8x4(tml_read_s8x4(p0), &we, &wo);
      a0 = tml_dot2_s64(xe, we, a0);
      a0 = tml_dot2_s64(xo, wo, a0);
      tml_widen_s8x4(tml_read_s8x4(p1), &we, &wo);
      a1 = tml_dot2_s64(xe, we, a1);
      a1 = tml_dot2_s64(xo, wo, a1);
      xp += 4;
      p0 += 4;
      p1 += 4;
    }
    while (xp < end) {
      a0 += (int32_t)*p0++ * (int32_t)*xp;
      a1 += (int32_t)*p1++ * (int32_t)*xp;
      ++xp;
    }
    if (--rows <= 0) {
      break;
    }
    x += x_step;
    w0 += w_step;
    w1 += w_step;
  }
  *s0 = a0;
  *s1 = a1;
}

TML_HELPER void tml_conv_s16_fast_run(const tml_conv_s16_params_t *p, const int16_t *input,
                                      const int8_t *filter, int acc32, const int64_t *bias64,
                                      const int32_t *bias32, int16_t *output) {
  /* Index arithmetic in ptrdiff_t: the width of a pointer (32-bit on the cores). */
  int32_t b, oy, ox, oc, kx;
  const int32_t fc = p->filter_c;
  const int32_t groups_filters = p->output_c / (p->input_c / fc); /* filters per group */
  const int grouped = groups_filters != p->output_c;
  const ptrdiff_t filter_px = (ptrdiff_t)p->filter_w * fc;         /* one filter row */
  const ptrdiff_t filter_oc = (ptrdiff_t)p->filter_h * filter_px;  /* one filter */
  const ptrdiff_t in_row_len = (ptrdiff_t)p->input_w * p->input_c;
  const int rows_contiguous = p->dilation_w == 1 && !grouped;
  int16_t *out = output;
  for (b = 0; b < p->batches; ++b) {
    const int16_t *in_b = input + (ptrdiff_t)b * p->input_h * in_row_len;
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      /* The filter rows inside the input. */
      int32_t ky_lo = 0, ky_hi = p->filter_h;
      while (ky_lo < ky_hi && iy0 + ky_lo * p->dilation_h < 0) {
        ++ky_lo;
      }
      while (ky_hi > ky_lo && iy0 + (ky_hi - 1) * p->dilation_h >= p->input_h) {
        --ky_hi;
      }
      for (ox = 0; ox < p->output_w; ++ox, out += p->output_c) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        /* The filter columns inside the input (dilation 1: one run of columns). */
        int32_t kx_lo = 0, kx_hi = p->filter_w;
        if (rows_contiguous) {
          if (ix0 < 0) {
            kx_lo = -ix0;
          }
          if (ix0 + kx_hi > p->input_w) {
            kx_hi = p->input_w - ix0;
          }
        }
        for (oc = 0; oc < p->output_c;) {
          const int32_t group = grouped ? oc / groups_filters : 0;
          const int two =
              oc + 1 < p->output_c && (!grouped || (oc + 1) / groups_filters == group);
          const int8_t *f0 = filter + (ptrdiff_t)oc * filter_oc;
          const int8_t *f1 = two ? f0 + filter_oc : f0;
          const ptrdiff_t in_c0 = (ptrdiff_t)group * fc;
          int64_t s0 = 0, s1 = 0;
          if (ky_lo < ky_hi) {
            /* All filter rows in one call per run of columns. */
            const int16_t *in_row =
                in_b + (ptrdiff_t)(iy0 + ky_lo * p->dilation_h) * in_row_len + in_c0;
            const ptrdiff_t in_step = (ptrdiff_t)p->dilation_h * in_row_len;
            const ptrdiff_t f_row = (ptrdiff_t)ky_lo * filter_px;
            if (rows_contiguous) {
              if (kx_lo < kx_hi) {
                tml_s16_dot_2rows(in_row + (ptrdiff_t)(ix0 + kx_lo) * p->input_c, in_step,
                                  f0 + f_row + kx_lo * fc, f1 + f_row + kx_lo * fc, filter_px,
                                  (kx_hi - kx_lo) * fc, ky_hi - ky_lo, &s0, &s1);
              }
            } else {
              for (kx = 0; kx < p->filter_w; ++kx) {
                const int32_t ix = ix0 + kx * p->dilation_w;
                if (ix < 0 || ix >= p->input_w) {
                  continue;
                }
                tml_s16_dot_2rows(in_row + (ptrdiff_t)ix * p->input_c, in_step,
                                  f0 + f_row + kx * fc, f1 + f_row + kx * fc, filter_px, fc,
                                  ky_hi - ky_lo, &s0, &s1);
              }
            }
          }
          out[oc] = tml_s16_finish(s0, acc32, bias64, bias32, oc, p->output_multiplier[oc],
                                   p->output_shift[oc], 0, p->act_min, p->act_max);
          if (two) {
            out[oc + 1] =
                tml_s16_finish(s1, acc32, bias64, bias32, oc + 1, p->output_multiplier[oc + 1],
                               p->output_shift[oc + 1], 0, p->act_min, p->act_max);
          }
          oc += two ? 2 : 1;
        }
      }
    }
  }
}

TML_KERNEL void tml_conv_2d_s16_fast(const tml_conv_s16_params_t *p, const int16_t *input,
                                     const int8_t *filter, const int64_t *bias,
                                     int16_t *output) {
  tml_conv_s16_fast_run(p, input, filter, 0, bias, NULL, output);
}

TML_KERNEL void tml_conv_2d_s16_fast_acc32(const tml_conv_s16_params_t *p,
                                           const int16_t *input, const int8_t *filter,
                                           const int32_t *bias, int16_t *output) {
  tml_conv_s16_fast_run(p, input, filter, 1, NULL, bias, output);
}

TML_HELPER void tml_fully_connected_s16_fast_run(const tml_fully_connected_s16_params_t *p,
                                                 const int16_t *input, const int8_t *filter,
                                                 int acc32, const int64_t *bias64,
                                                 const int32_t *bias32, int16_t *output) {
  int32_t b, oc;
  if (p->input_offset != 0 || p->filter_offset != 0) {
    tml_fully_connected_s16_run(p, input, filter, acc32, bias64, bias32, output);
    return;
  }
  for (b = 0; b < p->batches; ++b) {
    const int16_t *in = input + (int64_t)b * p->accum_depth;
    int16_t *out = output + (int64_t)b * p->output_depth;
    for (oc = 0; oc < p->output_depth; oc += 2) {
      const int two = oc + 1 < p->output_depth;
      const int8_t *w0 = filter + (int64_t)oc * p->accum_depth;
      const int8_t *w1 = two ? w0 + p->accum_depth : w0;
      int64_t s0 = 0, s1 = 0;
      if (p->accum_depth > 0) {
        tml_s16_dot_2rows(in, 0, w0, w1, 0, p->accum_depth, 1, &s0, &s1);
      }
      out[oc] = tml_s16_finish(s0, acc32, bias64, bias32, oc, p->output_multiplier[oc],
                               p->output_shift[oc], p->output_offset, p->act_min, p->act_max);
      if (two) {
        out[oc + 1] = tml_s16_finish(s1, acc32, bias64, bias32, oc + 1,
                                     p->output_multiplier[oc + 1], p->output_shift[oc + 1],
                                     p->output_offset, p->act_min, p->act_max);
      }
    }
  }
}

TML_KERNEL void tml_fully_connected_s16_fast(const tml_fully_connected_s16_params_t *p,
                                             const int16_t *input, const int8_t *filter,
                                             const int64_t *bias, int16_t *output) {
  tml_fully_connected_s16_fast_run(p, input, filter, 0, bias, NULL, output);
}

TML_KERNEL void tml_fully_connected_s16_fast_acc32(const tml_fully_connected_s16_params_t *p,
                                                   const int16_t *input, const int8_t *filter,
                                                   const int32_t *bias, int16_t *output) {
  tml_fully_connected_s16_fast_run(p, input, filter, 1, NULL, bias, output);
}

/* DEPTHWISE_CONV_2D: each output's window sums in int32 (exact: at most 511 taps of
 * |w * x| <= 2^22), pointers stepped per tap; with depth multiplier 1, two channels per
 * input word (SMLABB / SMLATB where the compiler finds them). Larger windows take the
 * reference loop. */
TML_KERNEL void tml_depthwise_conv_2d_s16_fast(const tml_conv_s16_params_t *p,
                                               const int16_t *input, const int8_t *filter,
                                               const int64_t *bias, int16_t *output) {
  int32_t b, oy, ox, oc, ky, kx;
  const ptrdiff_t in_c = p->input_c;
  const ptrdiff_t out_c = p->output_c;
  const ptrdiff_t in_row_len = (ptrdiff_t)p->input_w * in_c;
  const ptrdiff_t in_ky_step = (ptrdiff_t)p->dilation_h * in_row_len;
  const ptrdiff_t in_kx_step = (ptrdiff_t)p->dilation_w * in_c;
  const ptrdiff_t f_ky_step = (ptrdiff_t)p->filter_w * out_c;
  const int32_t dm = p->depth_multiplier;
  int16_t *out = output;
  if (p->filter_h * p->filter_w > 511) {
    tml_depthwise_conv_2d_s16(p, input, filter, bias, output);
    return;
  }
  for (b = 0; b < p->batches; ++b) {
    const int16_t *in_b = input + (ptrdiff_t)b * p->input_h * in_row_len;
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      int32_t ky_lo = 0, ky_hi = p->filter_h;
      while (ky_lo < ky_hi && iy0 + ky_lo * p->dilation_h < 0) {
        ++ky_lo;
      }
      while (ky_hi > ky_lo && iy0 + (ky_hi - 1) * p->dilation_h >= p->input_h) {
        --ky_hi;
      }
      for (ox = 0; ox < p->output_w; ++ox, out += out_c) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t kx_lo = 0, kx_hi = p->filter_w;
        const int16_t *in_win;
        const int8_t *f_win;
        while (kx_lo < kx_hi && ix0 + kx_lo * p->dilation_w < 0) {
          ++kx_lo;
        }
        while (kx_hi > kx_lo && ix0 + (kx_hi - 1) * p->dilation_w >= p->input_w) {
          --kx_hi;
        }
        if (ky_lo >= ky_hi || kx_lo >= kx_hi) {
          for (oc = 0; oc < p->output_c; ++oc) {
            out[oc] = tml_s16_finish(0, 0, bias, NULL, oc, p->output_multiplier[oc],
                                     p->output_shift[oc], 0, p->act_min, p->act_max);
          }
          continue;
        }
        in_win = in_b + (ptrdiff_t)(iy0 + ky_lo * p->dilation_h) * in_row_len +
                 (ptrdiff_t)(ix0 + kx_lo * p->dilation_w) * in_c;
        f_win = filter + ((ptrdiff_t)ky_lo * p->filter_w + kx_lo) * out_c;
        oc = 0;
        if (dm == 1) {
          for (; oc + 2 <= p->output_c; oc += 2) {
            int32_t a0 = 0, a1 = 0;
            ptrdiff_t in_r = oc, f_r = oc;
            for (ky = ky_lo; ky < ky_hi; ++ky) {
              ptrdiff_t in_t = in_r, f_t = f_r;
              for (kx = kx_lo; kx < kx_hi; ++kx) {
                uint32_t x;
                memcpy(&x, in_win + in_t, 4);
                a0 += (int32_t)(int16_t)(uint16_t)(x & 0xFFFFu) * (int32_t)f_win[f_t];
                a1 += ((int32_t)x >> 16) * (int32_t)f_win[f_t + 1];
                in_t += in_kx_step;
                f_t += out_c;
              }
              in_r += in_ky_step;
              f_r += f_ky_step;
            }
            out[oc] = tml_s16_finish(a0, 0, bias, NULL, oc, p->output_multiplier[oc],
                                     p->output_shift[oc], 0, p->act_min, p->act_max);
            out[oc + 1] = tml_s16_finish(a1, 0, bias, NULL, oc + 1, p->output_multiplier[oc + 1],
                                         p->output_shift[oc + 1], 0, p->act_min, p->act_max);
          }
        }
        for (; oc < p->output_c; ++oc) {
          int32_t a0 = 0;
          ptrdiff_t in_r = oc / dm, f_r = oc;
          for (ky = ky_lo; ky < ky_hi; ++ky) {
            ptrdiff_t in_t = in_r, f_t = f_r;
            for (kx = kx_lo; kx < kx_hi; ++kx) {
              a0 += (int32_t)in_win[in_t] * (int32_t)f_win[f_t];
              in_t += in_kx_step;
              f_t += out_c;
            }
            in_r += in_ky_step;
            f_r += f_ky_step;
          }
          out[oc] = tml_s16_finish(a0, 0, bias, NULL, oc, p->output_multiplier[oc],
                                   p->output_shift[oc], 0, p->act_min, p->act_max);
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_S16_FAST_H */
