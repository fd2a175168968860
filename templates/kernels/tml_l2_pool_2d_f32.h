/*
 * tml_l2_pool_2d_f32.h - float32 L2_POOL_2D (NHWC), as TFLM's reference L2Pool: over
 * the window clamped to the image, sum_squares += v * v in filter_y, filter_x order
 * from 0.f; result sqrtf(sum_squares / count) (count an int converted to float), then
 * the fused activation clamp. Parameters as tml_pool_2d_f32.h's.
 */
#ifndef TML_L2_POOL_2D_F32_H
#define TML_L2_POOL_2D_F32_H

#include "tml_float_common.h"
#include "tml_pool_2d_f32.h"

TML_KERNEL void tml_l2_pool_2d_f32(const tml_pool_2d_f32_params_t *p, const float *input,
                                   float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_l2_pool_2d_f32(const tml_pool_2d_f32_params_t *p, const float *input,
                                   float *output) {
  int32_t b, oy, ox, c, fy, fx;
  for (b = 0; b < p->batches; ++b) {
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      const int32_t fy0 = in_y0 < 0 ? -in_y0 : 0;
      const int32_t fy1 = p->filter_h < p->input_h - in_y0 ? p->filter_h : p->input_h - in_y0;
      for (ox = 0; ox < p->output_w; ++ox) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        const int32_t fx0 = in_x0 < 0 ? -in_x0 : 0;
        const int32_t fx1 = p->filter_w < p->input_w - in_x0 ? p->filter_w : p->input_w - in_x0;
        for (c = 0; c < p->channels; ++c) {
          float sum_squares = 0.f;
          int32_t count = 0;
          for (fy = fy0; fy < fy1; ++fy) {
            for (fx = fx0; fx < fx1; ++fx) {
              const float v =
                  input[((b * p->input_h + in_y0 + fy) * p->input_w + in_x0 + fx) * p->channels +
                        c];
              sum_squares += v * v;
              ++count;
            }
          }
          output[((b * p->output_h + oy) * p->output_w + ox) * p->channels + c] =
              tml_act_f32(sqrtf(sum_squares / (float)count), p->act_min, p->act_max);
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_L2_POOL_2D_F32_H */
