/*
 * tml_conv_2d.h - CONV_2D, int8 activations, int8 weights (per-channel or per-tensor
 * scales), int32 bias. Computes what TFLM's reference integer conv computes.
 *
 * Layouts: input  [batches, input_h, input_w, input_c]          (NHWC)
 *          filter [output_c, filter_h, filter_w, filter_c]       (OHWI)
 * filter_c divides input_c: groups = input_c / filter_c, output channel oc reads input
 * channels [g * filter_c, (g + 1) * filter_c) of its group g = oc / (output_c / groups).
 *          bias   [output_c] or NULL
 *          output [batches, output_h, output_w, output_c]
 * For each output element: acc = bias[oc] + sum filter * (input + input_offset) over
 * the window (taps that fall into the padding are skipped), then
 * out = clamp(mbqm(acc, output_multiplier[oc], output_shift[oc]) + output_offset,
 *             act_min, act_max).
 * Ranges: input_offset = -input_zero_point in [-127, 128]; output_offset in [-128, 127];
 *         act_min <= act_max within [-128, 127].
 */
#ifndef TML_CONV_2D_H
#define TML_CONV_2D_H

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t filter_c;               /* input_c, or input_c / groups */
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;           /* top / left padding */
  int32_t input_offset;
  int32_t output_offset;
  int32_t act_min, act_max;
  const int32_t *output_multiplier;  /* [output_c] */
  const int32_t *output_shift;       /* [output_c] */
} tml_conv_2d_s8_params_t;

TML_KERNEL void tml_conv_2d_s8(const tml_conv_2d_s8_params_t *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_conv_2d_s8(const tml_conv_2d_s8_params_t *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output) {
  int32_t b, oy, ox, oc, ky, kx, ic;
  const int32_t filters_per_group = p->output_c / (p->input_c / p->filter_c);
  for (b = 0; b < p->batches; ++b) {
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->output_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int8_t *out = output + ((b * p->output_h + oy) * p->output_w + ox) * p->output_c;
        for (oc = 0; oc < p->output_c; ++oc) {
          /* 32-bit accumulator as in TFLM (no overflow below ~2^16 taps). */
          int32_t acc = 0;
          const int32_t c0 = (oc / filters_per_group) * p->filter_c;
          for (ky = 0; ky < p->filter_h; ++ky) {
            const int32_t iy = iy0 + ky * p->dilation_h;
            if (iy < 0 || iy >= p->input_h) {
              continue;
            }
            for (kx = 0; kx < p->filter_w; ++kx) {
              const int32_t ix = ix0 + kx * p->dilation_w;
              const int8_t *in_px;
              const int8_t *w_px;
              if (ix < 0 || ix >= p->input_w) {
                continue;
              }
              in_px = input + ((b * p->input_h + iy) * p->input_w + ix) * p->input_c + c0;
              w_px = filter + ((oc * p->filter_h + ky) * p->filter_w + kx) * p->filter_c;
              for (ic = 0; ic < p->filter_c; ++ic) {
                acc += (int32_t)w_px[ic] * ((int32_t)in_px[ic] + p->input_offset);
              }
            }
          }
          if (bias != NULL) {
            acc += bias[oc];
          }
          acc = tml_multiply_by_quantized_multiplier(acc, p->output_multiplier[oc],
                                                     p->output_shift[oc]);
          acc += p->output_offset;
          out[oc] = (int8_t)tml_clamp(acc, p->act_min, p->act_max);
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_2D_H */
