/*
 * tml_depthwise_conv_2d_s4.h - DEPTHWISE_CONV_2D, int8 activations, int4 weights (packed
 * two per byte, see tml_s4_common.h; per-channel or per-tensor scales, symmetric), int32
 * bias. TFLM unpacks the filter to int8 and runs its reference integer depthwise conv
 * (tml_depthwise_conv_2d.h here): the same sums and requantization.
 *
 * Parameters and layouts: tml_depthwise_conv_2d_s8_params_t (tml_depthwise_conv_2d.h);
 * filter is the packed [1, filter_h, filter_w, output_c] tensor, ceil(filter_h *
 * filter_w * output_c / 2) bytes.
 * Scratch: filter_h * filter_w * min(output_c, TML_S4_DW_BLOCK) int8: the taps of one
 * block of output channels, unpacked (tap t of block channel j at t * block + j).
 *
 * Order: blocks of TML_S4_DW_BLOCK output channels, every output pixel of a block before
 * the next block: the output must not overlap the input.
 */
#ifndef TML_DEPTHWISE_CONV_2D_S4_H
#define TML_DEPTHWISE_CONV_2D_S4_H

#include "tml_depthwise_conv_2d.h"
#include "tml_s4_common.h"

#define TML_S4_DW_BLOCK 16

TML_KERNEL void tml_depthwise_conv_2d_s4(const tml_depthwise_conv_2d_s8_params_t *p,
                                         const int8_t *input, const int8_t *filter,
                                         const int32_t *bias, int8_t *output, int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_depthwise_conv_2d_s4(const tml_depthwise_conv_2d_s8_params_t *p,
                                         const int8_t *input, const int8_t *filter,
                                         const int32_t *bias, int8_t *output, int8_t *scratch) {
  const int32_t taps = p->filter_h * p->filter_w;
  const int32_t dm = p->depth_multiplier;
  int32_t c0, t, b, oy, ox, ky, kx, j;
  for (c0 = 0; c0 < p->output_c; c0 += TML_S4_DW_BLOCK) {
    const int32_t nb = p->output_c - c0 < TML_S4_DW_BLOCK ? p->output_c - c0 : TML_S4_DW_BLOCK;
    for (t = 0; t < taps; ++t) {
      tml_s4_unpack(filter, t * p->output_c + c0, nb, 0, scratch + t * nb);
    }
    for (b = 0; b < p->batches; ++b) {
      for (oy = 0; oy < p->output_h; ++oy) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        for (ox = 0; ox < p->output_w; ++ox) {
          const int32_t ix0 = ox * p->stride_w - p->pad_w;
          int8_t *out = output + ((b * p->output_h + oy) * p->output_w + ox) * p->output_c + c0;
          int32_t acc[TML_S4_DW_BLOCK];
          for (j = 0; j < nb; ++j) {
            acc[j] = 0;
          }
          for (ky = 0; ky < p->filter_h; ++ky) {
            const int32_t iy = iy0 + ky * p->dilation_h;
            if (iy < 0 || iy >= p->input_h) {
              continue;
            }
            for (kx = 0; kx < p->filter_w; ++kx) {
              const int32_t ix = ix0 + kx * p->dilation_w;
              const int8_t *in_px;
              const int8_t *w = scratch + (ky * p->filter_w + kx) * nb;
              if (ix < 0 || ix >= p->input_w) {
                continue;
              }
              in_px = input + ((b * p->input_h + iy) * p->input_w + ix) * p->input_c;
              if (dm == 1) {
                in_px += c0;
                for (j = 0; j < nb; ++j) {
                  acc[j] += (int32_t)w[j] * ((int32_t)in_px[j] + p->input_offset);
                }
              } else {
                for (j = 0; j < nb; ++j) {
                  acc[j] += (int32_t)w[j] * ((int32_t)in_px[(c0 + j) / dm] + p->input_offset);
                }
              }
            }
          }
          for (j = 0; j < nb; ++j) {
            const int32_t oc = c0 + j;
            int32_t v = acc[j] + (bias != NULL ? bias[oc] : 0);
            v = tml_multiply_by_quantized_multiplier(v, p->output_multiplier[oc],
                                                     p->output_shift[oc]);
            v += p->output_offset;
            out[j] = (int8_t)tml_clamp(v, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEPTHWISE_CONV_2D_S4_H */
