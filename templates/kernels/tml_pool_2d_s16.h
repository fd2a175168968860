/*
 * tml_pool_2d_s16.h - AVERAGE_POOL_2D and MAX_POOL_2D on int16, as TFLM's reference
 * integer pooling for int16: the parameters and window of tml_pool_2d.h; the average
 * is the int32 window sum divided by the count of taps inside the input, rounded half
 * away from zero; the maximum starts from INT16_MIN; both clamped to the activation.
 */
#ifndef TML_POOL_2D_S16_H
#define TML_POOL_2D_S16_H

#include "tml_pool_2d.h"

TML_KERNEL void tml_average_pool_2d_s16(const tml_pool_2d_s8_params_t *p, const int16_t *input,
                                        int16_t *output);
TML_KERNEL void tml_max_pool_2d_s16(const tml_pool_2d_s8_params_t *p, const int16_t *input,
                                    int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* One pooling over every output: average (1) or maximum (0). */
TML_HELPER void tml_pool_2d_s16_run(const tml_pool_2d_s8_params_t *p, const int16_t *input,
                                    int16_t *output, int average) {
  int32_t b, oy, ox, c, ky, kx;
  for (b = 0; b < p->batches; ++b) {
    const int16_t *in_b = input + (int64_t)b * p->input_h * p->input_w * p->channels;
    for (oy = 0; oy < p->output_h; ++oy) {
      for (ox = 0; ox < p->output_w; ++ox) {
        int16_t *out = output + (((int64_t)b * p->output_h + oy) * p->output_w + ox) * p->channels;
        int32_t iy, ix, y0, y1, x0, x1;
        tml_pool_2d_window(p, oy, ox, &iy, &ix, &y0, &y1, &x0, &x1);
        for (c = 0; c < p->channels; ++c) {
          int32_t acc = average ? 0 : INT16_MIN;
          int32_t count = 0;
          for (ky = y0; ky < y1; ++ky) {
            for (kx = x0; kx < x1; ++kx) {
              const int32_t v = in_b[((iy + ky) * p->input_w + ix + kx) * p->channels + c];
              if (average) {
                acc += v;
              } else if (v > acc) {
                acc = v;
              }
              ++count;
            }
          }
          if (average && count > 0) {
            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          }
          out[c] = (int16_t)tml_clamp(acc, p->act_min, p->act_max);
        }
      }
    }
  }
}

TML_KERNEL void tml_average_pool_2d_s16(const tml_pool_2d_s8_params_t *p, const int16_t *input,
                                        int16_t *output) {
  tml_pool_2d_s16_run(p, input, output, 1);
}

TML_KERNEL void tml_max_pool_2d_s16(const tml_pool_2d_s8_params_t *p, const int16_t *input,
                                    int16_t *output) {
  tml_pool_2d_s16_run(p, input, output, 0);
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_POOL_2D_S16_H */
