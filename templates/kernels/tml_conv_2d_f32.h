/*
 * tml_conv_2d_f32.h - float32 CONV_2D (NHWC input, OHWI filter), as TFLM's reference
 * float Conv: per output value, total (from 0.f) += input * filter over filter_y,
 * filter_x, then input channel, skipping taps outside the image (zero padding), then
 * total + bias (0.f without a bias) through the activation clamp. Grouped convolution:
 * filter_c divides input_c, output channel oc reads input channels of group
 * oc / (output_c / groups).
 */
#ifndef TML_CONV_2D_F32_H
#define TML_CONV_2D_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t batches, input_h, input_w, input_c;
  int32_t filter_h, filter_w, filter_c;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  float act_min, act_max;
} tml_conv_2d_f32_params_t;

TML_KERNEL void tml_conv_2d_f32(const tml_conv_2d_f32_params_t *p, const float *input,
                                const float *filter, const float *bias, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_conv_2d_f32(const tml_conv_2d_f32_params_t *p, const float *input,
                                const float *filter, const float *bias, float *output) {
  const int32_t groups = p->input_c / p->filter_c;
  const int32_t filters_per_group = p->output_c / groups;
  int32_t b, oy, ox, oc, fy, fx, ic;
  for (b = 0; b < p->batches; ++b) {
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->output_w; ++ox) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        for (oc = 0; oc < p->output_c; ++oc) {
          const int32_t group = oc / filters_per_group;
          float total = 0.f;
          float bias_value = 0.0f;
          for (fy = 0; fy < p->filter_h; ++fy) {
            const int32_t in_y = in_y0 + p->dilation_h * fy;
            for (fx = 0; fx < p->filter_w; ++fx) {
              const int32_t in_x = in_x0 + p->dilation_w * fx;
              const float *in;
              const float *w;
              if (in_x < 0 || in_x >= p->input_w || in_y < 0 || in_y >= p->input_h) {
                continue;
              }
              in = input + ((b * p->input_h + in_y) * p->input_w + in_x) * p->input_c +
                   group * p->filter_c;
              w = filter + ((oc * p->filter_h + fy) * p->filter_w + fx) * p->filter_c;
              for (ic = 0; ic < p->filter_c; ++ic) {
                const float prod = in[ic] * w[ic];
                total += prod;
              }
            }
          }
          if (bias != NULL) {
            bias_value = bias[oc];
          }
          output[((b * p->output_h + oy) * p->output_w + ox) * p->output_c + oc] =
              tml_act_f32(total + bias_value, p->act_min, p->act_max);
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_2D_F32_H */
