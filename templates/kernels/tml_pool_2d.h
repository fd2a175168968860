/*
 * tml_pool_2d.h - AVERAGE_POOL_2D and MAX_POOL_2D on int8 NHWC tensors, as TFLM's
 * reference integer pooling. Input and output share scale and zero point.
 *
 * Average: sum over the window clipped to the input (padding not counted), divided
 * by the number of taps, rounding half away from zero; then clamped to
 * [act_min, act_max]. Max: the largest tap, clamped. Every window must overlap the
 * input (true for TFLite SAME/VALID padding); TFLM rejects an empty window, this kernel
 * writes clamp(0) for it.
 *
 * Average pooling with a channel count that is a multiple of 4 and at most 256 taps per
 * window sums 4 channels at a time in two words of 16-bit lanes (channels c, c+2 and
 * c+1, c+3: SXTAB16 on the Arm DSP extension, the same lane arithmetic in C elsewhere);
 * 256 taps of int8 stay within int16, so the lanes hold the exact sums.
 */
#ifndef TML_POOL_2D_H
#define TML_POOL_2D_H

#include <string.h>

#include "tml_common.h"

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32) && \
    (defined(__GNUC__) || defined(__clang__))
#define TML_POOL_DSP 1
#else
#define TML_POOL_DSP 0
#endif

typedef struct {
  int32_t batches;
  int32_t input_h, input_w;
  int32_t channels;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w;
  int32_t stride_h, stride_w;
  int32_t pad_h, pad_w;
  int32_t act_min, act_max;
} tml_pool_2d_s8_params_t;

TML_KERNEL void tml_average_pool_2d_s8(const tml_pool_2d_s8_params_t *p, const int8_t *input,
                                       int8_t *output);
TML_KERNEL void tml_max_pool_2d_s8(const tml_pool_2d_s8_params_t *p, const int8_t *input,
                                   int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* Window of output (oy, ox) clipped to the input: rows [*y0, *y1), columns [*x0, *x1)
 * in filter coordinates; origin (*iy, *ix) in input coordinates. */
TML_KERNEL void tml_pool_2d_window(const tml_pool_2d_s8_params_t *p, int32_t oy, int32_t ox,
                                   int32_t *iy, int32_t *ix, int32_t *y0, int32_t *y1,
                                   int32_t *x0, int32_t *x1);

TML_KERNEL void tml_pool_2d_window(const tml_pool_2d_s8_params_t *p, int32_t oy, int32_t ox,
                                   int32_t *iy, int32_t *ix, int32_t *y0, int32_t *y1,
                                   int32_t *x0, int32_t *x1) {
  *iy = oy * p->stride_h - p->pad_h;
  *ix = ox * p->stride_w - p->pad_w;
  *y0 = *iy < 0 ? -*iy : 0;
  *x0 = *ix < 0 ? -*ix : 0;
  *y1 = p->input_h - *iy < p->filter_h ? p->input_h - *iy : p->filter_h;
  *x1 = p->input_w - *ix < p->filter_w ? p->input_w - *ix : p->filter_w;
}

#if !TML_POOL_DSP
/* (low 16 bits of acc) + (low byte of b, sign-extended), modulo 2^16. */
TML_INLINE uint32_t tml_pool_lane_add(uint32_t acc, uint32_t b) {
  b &= 0xFFu;
  return (acc + (b | (0u - (b & 0x80u)))) & 0xFFFFu;
}
#endif

/* even += (b0, b2), odd += (b1, b3) of the 4 int8 bytes in w, in 16-bit lanes. */
TML_INLINE void tml_pool_add_s8x4(uint32_t w, uint32_t *even, uint32_t *odd) {
#if TML_POOL_DSP
  __asm__("sxtab16 %0, %0, %1" : "+r"(*even) : "r"(w));
  __asm__("sxtab16 %0, %0, %1, ror #8" : "+r"(*odd) : "r"(w));
#else
  const uint32_t e = *even, o = *odd;
  *even = tml_pool_lane_add(e, w) | (tml_pool_lane_add(e >> 16, w >> 16) << 16);
  *odd = tml_pool_lane_add(o, w >> 8) | (tml_pool_lane_add(o >> 16, w >> 24) << 16);
#endif
}

/* The signed 16-bit lane in bits 0-15 of v. */
TML_INLINE int32_t tml_pool_lane(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v & 0xFFFFu); }

/* sum / count rounded half away from zero (TFLM), clamped. */
TML_INLINE int8_t tml_pool_average(int32_t sum, int32_t count, int32_t act_min, int32_t act_max) {
  if (count > 0) {
    sum = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
  }
  return (int8_t)tml_clamp(sum, act_min, act_max);
}

TML_KERNEL void tml_average_pool_2d_s8(const tml_pool_2d_s8_params_t *p, const int8_t *input,
                                       int8_t *output) {
  int32_t b, oy, ox, c, ky, kx;
  if ((p->channels & 3) == 0 && p->filter_h * p->filter_w <= 256) {
    const int32_t ch = p->channels, row = p->input_w * ch;
    for (b = 0; b < p->batches; ++b) {
      const int8_t *in_b = input + b * p->input_h * row;
      for (oy = 0; oy < p->output_h; ++oy) {
        for (ox = 0; ox < p->output_w; ++ox) {
          int8_t *out = output + ((b * p->output_h + oy) * p->output_w + ox) * ch;
          int32_t iy, ix, y0, y1, x0, x1, count;
          tml_pool_2d_window(p, oy, ox, &iy, &ix, &y0, &y1, &x0, &x1);
          count = (y1 > y0 ? y1 - y0 : 0) * (x1 > x0 ? x1 - x0 : 0);
          for (c = 0; c < ch; c += 4) {
            uint32_t even = 0, odd = 0;
            const int8_t *src = in_b + (iy + y0) * row + (ix + x0) * ch + c;
            for (ky = y0; ky < y1; ++ky, src += row) {
              const int8_t *q = src;
              for (kx = x0; kx < x1; ++kx, q += ch) {
                uint32_t w;
                memcpy(&w, q, 4);
                tml_pool_add_s8x4(w, &even, &odd);
              }
            }
            out[c] = tml_pool_average(tml_pool_lane(even), count, p->act_min, p->act_max);
            out[c + 1] = tml_pool_average(tml_pool_lane(odd), count, p->act_min, p->act_max);
            out[c + 2] = tml_pool_average(tml_pool_lane(even >> 16), count, p->act_min, p->act_max);
            out[c + 3] = tml_pool_average(tml_pool_lane(odd >> 16), count, p->act_min, p->act_max);
          }
        }
      }
    }
    return;
  }
  for (b = 0; b < p->batches; ++b) {
    const int8_t *in_b = input + b * p->input_h * p->input_w * p->channels;
    for (oy = 0; oy < p->output_h; ++oy) {
      for (ox = 0; ox < p->output_w; ++ox) {
        int8_t *out = output + ((b * p->output_h + oy) * p->output_w + ox) * p->channels;
        int32_t iy, ix, y0, y1, x0, x1;
        tml_pool_2d_window(p, oy, ox, &iy, &ix, &y0, &y1, &x0, &x1);
        for (c = 0; c < p->channels; ++c) {
          int32_t sum = 0;
          int32_t count = 0;
          for (ky = y0; ky < y1; ++ky) {
            for (kx = x0; kx < x1; ++kx) {
              sum += in_b[((iy + ky) * p->input_w + ix + kx) * p->channels + c];
              ++count;
            }
          }
          /* TFLM fails the whole op on an empty window; padding computed from the
           * model never produces one. Guard the division anyway. */
          if (count > 0) {
            sum = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
          }
          out[c] = (int8_t)tml_clamp(sum, p->act_min, p->act_max);
        }
      }
    }
  }
}

TML_KERNEL void tml_max_pool_2d_s8(const tml_pool_2d_s8_params_t *p, const int8_t *input,
                                   int8_t *output) {
  int32_t b, oy, ox, c, ky, kx;
  for (b = 0; b < p->batches; ++b) {
    const int8_t *in_b = input + b * p->input_h * p->input_w * p->channels;
    for (oy = 0; oy < p->output_h; ++oy) {
      for (ox = 0; ox < p->output_w; ++ox) {
        int8_t *out = output + ((b * p->output_h + oy) * p->output_w + ox) * p->channels;
        int32_t iy, ix, y0, y1, x0, x1;
        tml_pool_2d_window(p, oy, ox, &iy, &ix, &y0, &y1, &x0, &x1);
        for (c = 0; c < p->channels; ++c) {
          int32_t best = INT8_MIN;
          for (ky = y0; ky < y1; ++ky) {
            for (kx = x0; kx < x1; ++kx) {
              const int32_t v = in_b[((iy + ky) * p->input_w + ix + kx) * p->channels + c];
              if (v > best) {
                best = v;
              }
            }
          }
          out[c] = (int8_t)tml_clamp(best, p->act_min, p->act_max);
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_POOL_2D_H */
