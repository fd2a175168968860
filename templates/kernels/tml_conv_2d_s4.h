/*
 * tml_conv_2d_s4.h - CONV_2D, int8 activations, int4 weights (packed two per byte, see
 * tml_s4_common.h; per-channel or per-tensor scales, symmetric), int32 bias. Computes
 * what TFLM computes: it unpacks the whole filter to int8 and runs its reference
 * integer conv (tml_conv_2d.h here), the same sums with the same requantization.
 *
 * Parameters and layouts: tml_conv_2d_s8_params_t (tml_conv_2d.h); filter is the packed
 * OHWI tensor, ceil(output_c * filter_h * filter_w * filter_c / 2) bytes.
 * Scratch: filter_h * filter_w * filter_c int8 (one output channel's unpacked row).
 *
 * Order: output channel by output channel (each row is unpacked once), every output
 * pixel of a channel before the next channel: the output must not overlap the input.
 */
#ifndef TML_CONV_2D_S4_H
#define TML_CONV_2D_S4_H

#include "tml_conv_2d.h"
#include "tml_s4_common.h"

TML_KERNEL void tml_conv_2d_s4(const tml_conv_2d_s8_params_t *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_conv_2d_s4(const tml_conv_2d_s8_params_t *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               int8_t *scratch) {
  const int32_t filters_per_group = p->output_c / (p->input_c / p->filter_c);
  const int32_t row = p->filter_h * p->filter_w * p->filter_c;
  int32_t b, oy, ox, oc, ky, kx;
  for (oc = 0; oc < p->output_c; ++oc) {
    const int32_t c0 = (oc / filters_per_group) * p->filter_c;
    const int32_t m = p->output_multiplier[oc], s = p->output_shift[oc];
    const int32_t b0 = bias != NULL ? bias[oc] : 0;
    int8_t *out = output + oc;
    tml_s4_unpack(filter, oc * row, row, 0, scratch);
    for (b = 0; b < p->batches; ++b) {
      for (oy = 0; oy < p->output_h; ++oy) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        for (ox = 0; ox < p->output_w; ++ox) {
          const int32_t ix0 = ox * p->stride_w - p->pad_w;
          int32_t acc = 0;
          for (ky = 0; ky < p->filter_h; ++ky) {
            const int32_t iy = iy0 + ky * p->dilation_h;
            if (iy < 0 || iy >= p->input_h) {
              continue;
            }
            for (kx = 0; kx < p->filter_w; ++kx) {
              const int32_t ix = ix0 + kx * p->dilation_w;
              if (ix < 0 || ix >= p->input_w) {
                continue;
              }
              acc = tml_s4_dot(
                  input + ((b * p->input_h + iy) * p->input_w + ix) * p->input_c + c0,
                  scratch + (ky * p->filter_w + kx) * p->filter_c, p->filter_c, p->input_offset,
                  acc);
            }
          }
          acc = tml_multiply_by_quantized_multiplier(acc + b0, m, s) + p->output_offset;
          *out = (int8_t)tml_clamp(acc, p->act_min, p->act_max);
          out += p->output_c;
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_2D_S4_H */
