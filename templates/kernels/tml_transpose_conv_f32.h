/*
 * tml_transpose_conv_f32.h - float32 TRANSPOSE_CONV (NHWC input, OHWI filter), as TFLM's
 * reference float TransposeConv: the output is zeroed, then every input value is
 * scattered, in input order (batch, y, x, channel) and for each filter_y, filter_x,
 * output channel, as output += input * filter for the outputs inside the image; then
 * bias (if any) is added and the activation clamp applied. The sums happen in that order,
 * each rounded to float. The output is the accumulator: it must not overlap the input.
 */
#ifndef TML_TRANSPOSE_CONV_F32_H
#define TML_TRANSPOSE_CONV_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t batches, input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w, pad_h, pad_w;
  float act_min, act_max;
} tml_transpose_conv_f32_params_t;

TML_KERNEL void tml_transpose_conv_f32(const tml_transpose_conv_f32_params_t *p,
                                       const float *input, const float *filter,
                                       const float *bias, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_transpose_conv_f32(const tml_transpose_conv_f32_params_t *p,
                                       const float *input, const float *filter,
                                       const float *bias, float *output) {
  const int32_t n = p->batches * p->output_h * p->output_w * p->output_c;
  int32_t i, b, iy, ix, ic, fy, fx, oc;
  for (i = 0; i < n; ++i) {
    output[i] = 0.0f;
  }
  for (b = 0; b < p->batches; ++b) {
    for (iy = 0; iy < p->input_h; ++iy) {
      for (ix = 0; ix < p->input_w; ++ix) {
        const float *in = input + (((size_t)b * (size_t)p->input_h + (size_t)iy) * (size_t)p->input_w +
                                   (size_t)ix) * (size_t)p->input_c;
        const int32_t oy0 = iy * p->stride_h - p->pad_h;
        const int32_t ox0 = ix * p->stride_w - p->pad_w;
        for (ic = 0; ic < p->input_c; ++ic) {
          const float v = in[ic];
          for (fy = 0; fy < p->filter_h; ++fy) {
            const int32_t oy = oy0 + fy;
            for (fx = 0; fx < p->filter_w; ++fx) {
              const int32_t ox = ox0 + fx;
              float *out;
              if (oy < 0 || oy >= p->output_h || ox < 0 || ox >= p->output_w) {
                continue;
              }
              out = output + (((size_t)b * (size_t)p->output_h + (size_t)oy) * (size_t)p->output_w +
                              (size_t)ox) * (size_t)p->output_c;
              for (oc = 0; oc < p->output_c; ++oc) {
                const float w = filter[(((size_t)oc * (size_t)p->filter_h + (size_t)fy) *
                                            (size_t)p->filter_w + (size_t)fx) * (size_t)p->input_c +
                                       (size_t)ic];
                out[oc] += v * w;
              }
            }
          }
        }
      }
    }
  }
  for (i = 0; i < n; ++i) {
    float acc = output[i];
    if (bias != NULL) {
      acc += bias[i % p->output_c];
    }
    output[i] = tml_act_f32(acc, p->act_min, p->act_max);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_TRANSPOSE_CONV_F32_H */
