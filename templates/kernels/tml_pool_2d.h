/*
 * tml_pool_2d.h - AVERAGE_POOL_2D and MAX_POOL_2D on int8 NHWC tensors, as TFLM's
 * reference integer pooling. Input and output share scale and zero point.
 *
 * Average: sum over the window clipped to the input (padding not counted), divided
 * by the number of taps, rounding half away from zero; then clamped to
 * [act_min, act_max]. Max: the largest tap, clamped. Every window must overlap the
 * input (true for TFLite SAME/VALID padding); TFLM rejects an empty window, this kernel
 * writes clamp(0) for it.
 */
#ifndef TML_POOL_2D_H
#define TML_POOL_2D_H

#include "tml_common.h"

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

TML_KERNEL void tml_average_pool_2d_s8(const tml_pool_2d_s8_params_t *p, const int8_t *input,
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
