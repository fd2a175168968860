/*
 * tml_pool_2d_f32.h - float32 AVERAGE_POOL_2D and MAX_POOL_2D (NHWC), as TFLM's
 * reference float AveragePool and MaxPool: the window clamped to the image; average =
 * (sum in filter_y, filter_x order from 0.f) / (float)count; max from -FLT_MAX with
 * std::max's comparison; then the fused activation clamp.
 */
#ifndef TML_POOL_2D_F32_H
#define TML_POOL_2D_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t batches, input_h, input_w, channels;
  int32_t output_h, output_w;
  int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
  float act_min, act_max;
} tml_pool_2d_f32_params_t;

TML_KERNEL void tml_average_pool_2d_f32(const tml_pool_2d_f32_params_t *p, const float *input,
                                        float *output);
TML_KERNEL void tml_max_pool_2d_f32(const tml_pool_2d_f32_params_t *p, const float *input,
                                    float *output);

#ifndef TML_DECLARATIONS_ONLY

/* is_max: 0 average, 1 max. */
TML_INLINE void tml_pool_2d_f32(const tml_pool_2d_f32_params_t *p, const float *input,
                                float *output, int is_max) {
  int32_t b, oy, ox, c, fy, fx;
  for (b = 0; b < p->batches; ++b) {
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      const int32_t fy0 = in_y0 < 0 ? -in_y0 : 0;
      const int32_t fy1 =
          p->filter_h < p->input_h - in_y0 ? p->filter_h : p->input_h - in_y0;
      for (ox = 0; ox < p->output_w; ++ox) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        const int32_t fx0 = in_x0 < 0 ? -in_x0 : 0;
        const int32_t fx1 =
            p->filter_w < p->input_w - in_x0 ? p->filter_w : p->input_w - in_x0;
        for (c = 0; c < p->channels; ++c) {
          float acc = is_max ? -3.40282347e+38f : 0.f;
          float count = 0.f;
          float value;
          for (fy = fy0; fy < fy1; ++fy) {
            for (fx = fx0; fx < fx1; ++fx) {
              const float v =
                  input[((b * p->input_h + in_y0 + fy) * p->input_w + in_x0 + fx) * p->channels +
                        c];
              if (is_max) {
                acc = (acc < v) ? v : acc;
              } else {
                acc += v;
              }
              count += 1.0f;
            }
          }
          value = is_max ? acc : acc / count;
          output[((b * p->output_h + oy) * p->output_w + ox) * p->channels + c] =
              tml_act_f32(value, p->act_min, p->act_max);
        }
      }
    }
  }
}

TML_KERNEL void tml_average_pool_2d_f32(const tml_pool_2d_f32_params_t *p, const float *input,
                                        float *output) {
  tml_pool_2d_f32(p, input, output, 0);
}

TML_KERNEL void tml_max_pool_2d_f32(const tml_pool_2d_f32_params_t *p, const float *input,
                                    float *output) {
  tml_pool_2d_f32(p, input, output, 1);
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_POOL_2D_F32_H */
