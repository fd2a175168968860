/*
 * tml_conv_2d_s4.h - CONV_2D, int8 activations, int4 weights (packed two per byte, see
 * tml_s4_common.h; per-channel or per-tensor scales, symmetric), int32 bias. Computes
 * what TFLM computes: it unpacks the whole filter to int8 and runs its reference
 * integer conv (tml_conv_2d.h here), the same sums with the same requantization.
 *
 * Parameters and layouts: tml_conv_2d_s8_params_t (tml_conv_2d.h); filter is the packed
 * OHWI tensor, ceil(output_c * filter_h * filter_w * filter_c / 2) bytes.
 * K = filter_h * filter_w * filter_c, kp = K rounded up to even.
 * Scratch: (block + 1) * kp int16: the im2col columns of `block` output pixels (input +
 * input_offset in the filter's tap order, 0 for taps in the padding) and one output
 * channel's row, unpacked from the packed weights once per block of pixels.
 * Inner loop: two pixels against one row, 2 taps per SMLAD (Arm DSP) or 8 per VMLADAVA
 * (Helium), or portable C; the int32 sums are TFLM's (its accumulator does not overflow
 * for these ranges below ~2^16 taps).
 *
 * Order: output pixels in blocks of `block`, all channels of a block before the next;
 * the block's input windows are copied to the scratch first, so the output may overlap
 * the input only as far as tml_conv_2d_s8 allows with blocks of `block` pixels (the
 * compiler does not run it in place).
 */
#ifndef TML_CONV_2D_S4_H
#define TML_CONV_2D_S4_H

#include "tml_conv_2d.h"
#include "tml_s4_common.h"

TML_KERNEL void tml_conv_2d_s4(const tml_conv_2d_s8_params_t *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               int16_t *scratch, int32_t block);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_conv_2d_s4(const tml_conv_2d_s8_params_t *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               int16_t *scratch, int32_t block) {
  const int32_t groups = p->input_c / p->filter_c;
  const int32_t filters_per_group = p->output_c / groups;
  const int32_t k = p->filter_h * p->filter_w * p->filter_c;
  const int32_t kp = (k + 1) & ~1;
  const int32_t plane = p->output_h * p->output_w;
  const int32_t npix = p->batches * plane;
  int16_t *row = scratch + block * kp;
  int32_t p0, g, j, oc;
  for (p0 = 0; p0 < npix; p0 += block) {
    const int32_t nb = npix - p0 < block ? npix - p0 : block;
    for (g = 0; g < groups; ++g) {
      const int32_t c0 = g * p->filter_c;
      for (j = 0; j < nb; ++j) {
        const int32_t pix = p0 + j, b = pix / plane, oy = (pix % plane) / p->output_w;
        const int32_t ox = pix % p->output_w;
        const int32_t iy0 = oy * p->stride_h - p->pad_h, ix0 = ox * p->stride_w - p->pad_w;
        int16_t *col = scratch + j * kp;
        int32_t ky, kx, ic;
        for (ky = 0; ky < p->filter_h; ++ky) {
          const int32_t iy = iy0 + ky * p->dilation_h;
          for (kx = 0; kx < p->filter_w; ++kx) {
            const int32_t ix = ix0 + kx * p->dilation_w;
            if (iy < 0 || iy >= p->input_h || ix < 0 || ix >= p->input_w) {
              for (ic = 0; ic < p->filter_c; ++ic) {
                col[ic] = 0;
              }
            } else {
              const int8_t *in_px =
                  input + ((b * p->input_h + iy) * p->input_w + ix) * p->input_c + c0;
              for (ic = 0; ic < p->filter_c; ++ic) {
                col[ic] = (int16_t)(in_px[ic] + p->input_offset);
              }
            }
            col += p->filter_c;
          }
        }
        if (kp != k) {
          *col = 0;
        }
      }
      for (oc = g * filters_per_group; oc < (g + 1) * filters_per_group; ++oc) {
        const int32_t m = p->output_multiplier[oc], s = p->output_shift[oc];
        const int32_t b0 = bias != NULL ? bias[oc] : 0;
        tml_s4_unpack16(filter, oc * k, k, row);
        for (j = 0; j < nb; j += 2) {
          const int16_t *x0 = scratch + j * kp;
          const int16_t *x1 = j + 1 < nb ? x0 + kp : x0;
          int32_t acc[2] = {0, 0};
          int32_t i;
          tml_s4_dot16x2(row, x0, x1, kp / 2, acc);
          for (i = 0; i < 2 && j + i < nb; ++i) {
            const int32_t v = tml_multiply_by_quantized_multiplier(acc[i] + b0, m, s) +
                              p->output_offset;
            output[(p0 + j + i) * p->output_c + oc] = (int8_t)tml_clamp(v, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_2D_S4_H */
