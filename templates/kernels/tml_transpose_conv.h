/*
 * tml_transpose_conv.h - TRANSPOSE_CONV, int8 activations, int8 weights (per-channel
 * or per-tensor scales), optional int32 bias, as TFLM's reference integer transpose
 * convolution.
 *
 * Layouts: input   [batches, input_h, input_w, input_c]        (NHWC)
 *          filter  [output_c, filter_h, filter_w, input_c]      (OHWI)
 *          bias    [output_c] or NULL
 *          output  [batches, output_h, output_w, output_c]
 *          scratch [batches * output_h * output_w * output_c] int32 (planned by the
 *                  compiler; contents on entry do not matter)
 * Every input cell (in_y, in_x) is scattered over the output window whose top-left
 * corner is (in_y * stride_h - pad_h, in_x * stride_w - pad_w): each output cell
 * inside the image accumulates filter * (input + input_offset) in int32 (wrapping, as
 * TFLM's int32 accumulator on two's-complement hardware). Then per output element:
 * out = clamp(mbqm(acc + bias[oc], output_multiplier[oc], output_shift[oc])
 *             + output_offset, act_min, act_max).
 * Ranges: input_offset = -input_zero_point in [-127, 128]; output_offset in [-128, 127];
 *         act_min <= act_max within [-128, 127]; pad_h, pad_w >= 0; strides >= 1.
 */
#ifndef TML_TRANSPOSE_CONV_H
#define TML_TRANSPOSE_CONV_H

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  int32_t pad_h, pad_w;  /* top / left padding */
  int32_t input_offset;
  int32_t output_offset;
  int32_t act_min, act_max;
  const int32_t *output_multiplier;  /* [output_c] */
  const int32_t *output_shift;       /* [output_c] */
} tml_transpose_conv_s8_params_t;

TML_KERNEL void tml_transpose_conv_s8(const tml_transpose_conv_s8_params_t *p,
                                      const int8_t *input, const int8_t *filter,
                                      const int32_t *bias, int8_t *output, int32_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_transpose_conv_s8(const tml_transpose_conv_s8_params_t *p,
                                      const int8_t *input, const int8_t *filter,
                                      const int32_t *bias, int8_t *output, int32_t *scratch) {
  const int32_t out_row = p->output_w * p->output_c;
  const int32_t out_image = p->output_h * out_row;
  const int32_t total = p->batches * out_image;
  int32_t b, iy, ix, ic, ky, kx, oc, i;
  /* Accumulators as uint32_t: sums wrap like TFLM's int32 ones, without UB. */
  uint32_t *acc = (uint32_t *)(void *)scratch;

  for (i = 0; i < total; ++i) {
    acc[i] = 0u;
  }
  for (b = 0; b < p->batches; ++b) {
    for (iy = 0; iy < p->input_h; ++iy) {
      const int32_t oy0 = iy * p->stride_h - p->pad_h;
      for (ix = 0; ix < p->input_w; ++ix) {
        const int32_t ox0 = ix * p->stride_w - p->pad_w;
        const int8_t *in_px = input + ((b * p->input_h + iy) * p->input_w + ix) * p->input_c;
        for (ic = 0; ic < p->input_c; ++ic) {
          const int32_t x = (int32_t)in_px[ic] + p->input_offset;
          for (ky = 0; ky < p->filter_h; ++ky) {
            const int32_t oy = oy0 + ky;
            if (oy < 0 || oy >= p->output_h) {
              continue;
            }
            for (kx = 0; kx < p->filter_w; ++kx) {
              const int32_t ox = ox0 + kx;
              uint32_t *acc_px;
              if (ox < 0 || ox >= p->output_w) {
                continue;
              }
              acc_px = acc + b * out_image + oy * out_row + ox * p->output_c;
              for (oc = 0; oc < p->output_c; ++oc) {
                const int8_t w =
                    filter[((oc * p->filter_h + ky) * p->filter_w + kx) * p->input_c + ic];
                acc_px[oc] += (uint32_t)(x * (int32_t)w);
              }
            }
          }
        }
      }
    }
  }
  for (i = 0; i < total; ++i) {
    const int32_t c = i % p->output_c;
    uint32_t sum = acc[i];
    int32_t v;
    if (bias != NULL) {
      sum += (uint32_t)bias[c];
    }
    v = tml_multiply_by_quantized_multiplier((int32_t)sum, p->output_multiplier[c],
                                             p->output_shift[c]);
    v += p->output_offset;
    output[i] = (int8_t)tml_clamp(v, p->act_min, p->act_max);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_TRANSPOSE_CONV_H */
