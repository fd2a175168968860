/*
 * tml_depthwise_conv_2d_f32.h - float32 DEPTHWISE_CONV_2D (NHWC input, filter
 * [1, H, W, output_c]), as TFLM's reference float DepthwiseConv: output channel
 * oc = ic * depth_multiplier + m; total (from 0.f) += input * filter over filter_y then
 * filter_x, skipping taps outside the image; then total + bias (0.f without a bias)
 * through the activation clamp.
 */
#ifndef TML_DEPTHWISE_CONV_2D_F32_H
#define TML_DEPTHWISE_CONV_2D_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t batches, input_h, input_w, input_c;
  int32_t filter_h, filter_w, depth_multiplier;
  int32_t output_h, output_w;
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  float act_min, act_max;
} tml_depthwise_conv_2d_f32_params_t;

TML_KERNEL void tml_depthwise_conv_2d_f32(const tml_depthwise_conv_2d_f32_params_t *p,
                                          const float *input, const float *filter,
                                          const float *bias, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_depthwise_conv_2d_f32(const tml_depthwise_conv_2d_f32_params_t *p,
                                          const float *input, const float *filter,
                                          const float *bias, float *output) {
  const int32_t output_c = p->input_c * p->depth_multiplier;
  int32_t b, oy, ox, ic, m, fy, fx;
  for (b = 0; b < p->batches; ++b) {
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->output_w; ++ox) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        for (ic = 0; ic < p->input_c; ++ic) {
          for (m = 0; m < p->depth_multiplier; ++m) {
            const int32_t oc = m + ic * p->depth_multiplier;
            float total = 0.f;
            float bias_value = 0.0f;
            for (fy = 0; fy < p->filter_h; ++fy) {
              const int32_t in_y = in_y0 + p->dilation_h * fy;
              for (fx = 0; fx < p->filter_w; ++fx) {
                const int32_t in_x = in_x0 + p->dilation_w * fx;
                if (in_x >= 0 && in_x < p->input_w && in_y >= 0 && in_y < p->input_h) {
                  const float prod =
                      input[((b * p->input_h + in_y) * p->input_w + in_x) * p->input_c + ic] *
                      filter[(fy * p->filter_w + fx) * output_c + oc];
                  total += prod;
                }
              }
            }
            if (bias != NULL) {
              bias_value = bias[oc];
            }
            output[((b * p->output_h + oy) * p->output_w + ox) * output_c + oc] =
                tml_act_f32(total + bias_value, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEPTHWISE_CONV_2D_F32_H */
