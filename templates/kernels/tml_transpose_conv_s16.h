/*
 * tml_transpose_conv_s16.h - TRANSPOSE_CONV with int16 activations and int8 weights
 * (TFLM's 16x8 reference integer TransposeConv<int64_t>): geometry and layouts as
 * tml_transpose_conv.h (its params struct; input_offset and output_offset unused, the
 * int16 zero points being 0 as in TFLM's kernel).
 *
 * Every input cell is scattered over its output window: each output cell accumulates
 * input * filter in int64, in the scratch: batches * output_h * output_w * output_c int64
 * plus 7 bytes, the kernel rounding its address up to 8. Then per output element:
 *   out = clamp(MBQM64(acc + bias[oc], output_multiplier[oc], output_shift[oc]),
 *               act_min, act_max)
 * with TFLM's 64-bit MultiplyByQuantizedMultiplier (tml_conv_s16.h); bias int64 or NULL.
 */
#ifndef TML_TRANSPOSE_CONV_S16_H
#define TML_TRANSPOSE_CONV_S16_H

#include "tml_conv_s16.h"
#include "tml_transpose_conv.h"

TML_KERNEL void tml_transpose_conv_s16(const tml_transpose_conv_s8_params_t *p,
                                       const int16_t *input, const int8_t *filter,
                                       const int64_t *bias, int16_t *output, void *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_transpose_conv_s16(const tml_transpose_conv_s8_params_t *p,
                                       const int16_t *input, const int8_t *filter,
                                       const int64_t *bias, int16_t *output, void *scratch) {
  uint8_t *raw = (uint8_t *)scratch;
  int64_t *acc = (int64_t *)(void *)(raw + ((8u - (unsigned)((uintptr_t)raw & 7u)) & 7u));
  const int32_t out_row = p->output_w * p->output_c;
  const int32_t out_image = p->output_h * out_row;
  const int32_t total = p->batches * out_image;
  int32_t b, iy, ix, ic, ky, kx, oc, i;
  for (i = 0; i < total; ++i) {
    acc[i] = 0;
  }
  for (b = 0; b < p->batches; ++b) {
    for (iy = 0; iy < p->input_h; ++iy) {
      const int32_t oy0 = iy * p->stride_h - p->pad_h;
      for (ix = 0; ix < p->input_w; ++ix) {
        const int32_t ox0 = ix * p->stride_w - p->pad_w;
        const int16_t *in_px = input + ((b * p->input_h + iy) * p->input_w + ix) * p->input_c;
        for (ic = 0; ic < p->input_c; ++ic) {
          const int32_t x = (int32_t)in_px[ic];
          for (ky = 0; ky < p->filter_h; ++ky) {
            const int32_t oy = oy0 + ky;
            if (oy < 0 || oy >= p->output_h) {
              continue;
            }
            for (kx = 0; kx < p->filter_w; ++kx) {
              const int32_t ox = ox0 + kx;
              int64_t *acc_px;
              if (ox < 0 || ox >= p->output_w) {
                continue;
              }
              acc_px = acc + b * out_image + oy * out_row + ox * p->output_c;
              for (oc = 0; oc < p->output_c; ++oc) {
                const int8_t w =
                    filter[((oc * p->filter_h + ky) * p->filter_w + kx) * p->input_c + ic];
                acc_px[oc] += (int64_t)(x * (int32_t)w);
              }
            }
          }
        }
      }
    }
  }
  for (i = 0; i < total; ++i) {
    const int32_t c = i % p->output_c;
    int64_t sum = acc[i];
    int32_t v;
    if (bias != NULL) {
      sum += bias[c];
    }
    v = tml_multiply_by_quantized_multiplier_s64(sum, p->output_multiplier[c], p->output_shift[c]);
    output[i] = (int16_t)tml_clamp(v, p->act_min, p->act_max);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_TRANSPOSE_CONV_S16_H */
