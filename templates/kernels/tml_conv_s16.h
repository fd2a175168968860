/*
 * tml_conv_s16.h - CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED with int16
 * activations and int8 weights (TFLM's "16x8" quantization). Computes what TFLM's
 * reference integer kernels compute for int16 inputs.
 *
 * Layouts as in the int8 kernels: NHWC activations, OHWI conv filters (the filter
 * depth may divide the input depth: grouped convolution), [1, H, W, C*M] depthwise
 * filters, [output_depth, accum_depth] fully-connected weights.
 *
 * Two accumulators, chosen by TFLM from the bias type:
 *  - 64-bit (int64 bias, or no bias when the model does not ask for int32): the sum
 *    of products and the bias in int64, scaled by tml_multiply_by_quantized_multiplier_s64
 *    (TFLM's MultiplyByQuantizedMultiplier(int64_t, ...): one rounding, 16-bit multiplier);
 *  - 32-bit (int32 bias, or no bias with quantized_bias_type INT32, TFLM since 2024): the
 *    sum and the bias wrap in int32 as TFLM's int32 arithmetic does, scaled by the 32-bit
 *    tml_multiply_by_quantized_multiplier.
 * Both are the same sum of products: the kernels accumulate in int64 and the 32-bit form
 * keeps its low 32 bits (equal to TFLM's int32 sum modulo 2^32).
 *
 * Offsets: TFLM's int16 convolutions ignore the zero points (the converter makes them
 * 0); its fully-connected kernel applies input_offset, output_offset and, per tensor,
 * filter_offset, as the int8 one does.
 */
#ifndef TML_CONV_S16_H
#define TML_CONV_S16_H

#include "tml_common.h"

/* Convolution geometry shared by CONV_2D and DEPTHWISE_CONV_2D. */
typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t filter_c;          /* CONV_2D: filter depth (input_c / groups); DEPTHWISE: 1 */
  int32_t output_h, output_w, output_c;
  int32_t depth_multiplier;  /* DEPTHWISE_CONV_2D only (output_c = input_c * multiplier) */
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;
  int32_t act_min, act_max;
  const int32_t *output_multiplier; /* [output_c] */
  const int32_t *output_shift;      /* [output_c] */
} tml_conv_s16_params_t;

typedef struct {
  int32_t batches, accum_depth, output_depth;
  int32_t input_offset, filter_offset, output_offset;
  int32_t act_min, act_max;
  const int32_t *output_multiplier; /* [output_depth] */
  const int32_t *output_shift;      /* [output_depth] */
} tml_fully_connected_s16_params_t;

/* x * multiplier * 2^shift rounded once, as TFLM's MultiplyByQuantizedMultiplier for
 * int64 x: the multiplier is reduced to 16 bits (rounded, at most 0x7FFF), then
 * (x * m16 + 2^(14 - shift)) >> (15 - shift). |x| < 2^47, shift in [-31, 7]. */
TML_KERNEL int32_t tml_multiply_by_quantized_multiplier_s64(int64_t x, int32_t multiplier,
                                                            int32_t shift);

/* bias64 / bias32: one of them or neither (see the accumulators above). */
TML_KERNEL void tml_conv_2d_s16(const tml_conv_s16_params_t *p, const int16_t *input,
                                const int8_t *filter, const int64_t *bias, int16_t *output);
TML_KERNEL void tml_conv_2d_s16_acc32(const tml_conv_s16_params_t *p, const int16_t *input,
                                      const int8_t *filter, const int32_t *bias,
                                      int16_t *output);
TML_KERNEL void tml_depthwise_conv_2d_s16(const tml_conv_s16_params_t *p, const int16_t *input,
                                          const int8_t *filter, const int64_t *bias,
                                          int16_t *output);
TML_KERNEL void tml_fully_connected_s16(const tml_fully_connected_s16_params_t *p,
                                        const int16_t *input, const int8_t *filter,
                                        const int64_t *bias, int16_t *output);
TML_KERNEL void tml_fully_connected_s16_acc32(const tml_fully_connected_s16_params_t *p,
                                              const int16_t *input, const int8_t *filter,
                                              const int32_t *bias, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_multiply_by_quantized_multiplier_s64(int64_t x, int32_t multiplier,
                                                            int32_t shift) {
  const int64_t reduced =
      multiplier < 0x7FFF0000 ? (int64_t)((multiplier + (1 << 15)) >> 16) : (int64_t)0x7FFF;
  const int32_t total_shift = 15 - shift;
  const int64_t round = (int64_t)1 << (total_shift - 1);
  return (int32_t)((x * reduced + round) >> total_shift);
}

/* The scaled, clamped result of one output from its sum of products. bias64 and bias32
 * select the accumulator; at most one is non-NULL unless acc32 says which. */
TML_HELPER int16_t tml_s16_finish(int64_t sum, int acc32, const int64_t *bias64,
                                  const int32_t *bias32, int32_t channel, int32_t multiplier,
                                  int32_t shift, int32_t offset, int32_t act_min,
                                  int32_t act_max) {
  int32_t scaled;
  if (acc32) {
    uint32_t acc = (uint32_t)(uint64_t)sum;
    if (bias32 != NULL) {
      acc += (uint32_t)bias32[channel];
    }
    scaled = tml_multiply_by_quantized_multiplier((int32_t)acc, multiplier, shift);
  } else {
    if (bias64 != NULL) {
      sum += bias64[channel];
    }
    scaled = tml_multiply_by_quantized_multiplier_s64(sum, multiplier, shift);
  }
  /* Wraps like TFLM's int32 addition (only an out-of-range offset could overflow). */
  scaled = (int32_t)((uint32_t)scaled + (uint32_t)offset);
  return (int16_t)tml_clamp(scaled, act_min, act_max);
}

/* Sum over one output's window: depth taps per pixel starting at channel c0 of the
 * input; the filter pixel advances by filter_stride_px, its taps by filter_stride_c. */
TML_HELPER void tml_conv_s16_run(const tml_conv_s16_params_t *p, const int16_t *input,
                                 const int8_t *filter, int acc32, const int64_t *bias64,
                                 const int32_t *bias32, int16_t *output, int depthwise) {
  int32_t b, oy, ox, oc, ky, kx, ic;
  const int32_t groups_filters =
      depthwise ? 1 : p->output_c / (p->input_c / p->filter_c); /* filters per group */
  for (b = 0; b < p->batches; ++b) {
    for (oy = 0; oy < p->output_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->output_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int16_t *out = output + (((int64_t)b * p->output_h + oy) * p->output_w + ox) * p->output_c;
        for (oc = 0; oc < p->output_c; ++oc) {
          const int32_t c0 = depthwise ? oc / p->depth_multiplier
                                       : (oc / groups_filters) * p->filter_c;
          int64_t sum = 0;
          for (ky = 0; ky < p->filter_h; ++ky) {
            const int32_t iy = iy0 + ky * p->dilation_h;
            if (iy < 0 || iy >= p->input_h) {
              continue;
            }
            for (kx = 0; kx < p->filter_w; ++kx) {
              const int32_t ix = ix0 + kx * p->dilation_w;
              const int16_t *in_px;
              if (ix < 0 || ix >= p->input_w) {
                continue;
              }
              in_px = input + (((int64_t)b * p->input_h + iy) * p->input_w + ix) * p->input_c + c0;
              if (depthwise) {
                const int8_t w = filter[((int64_t)ky * p->filter_w + kx) * p->output_c + oc];
                sum += (int64_t)w * in_px[0];
              } else {
                const int8_t *w_px =
                    filter + (((int64_t)oc * p->filter_h + ky) * p->filter_w + kx) * p->filter_c;
                for (ic = 0; ic < p->filter_c; ++ic) {
                  sum += (int64_t)((int32_t)w_px[ic] * (int32_t)in_px[ic]);
                }
              }
            }
          }
          out[oc] = tml_s16_finish(sum, acc32, bias64, bias32, oc, p->output_multiplier[oc],
                                   p->output_shift[oc], 0, p->act_min, p->act_max);
        }
      }
    }
  }
}

TML_KERNEL void tml_conv_2d_s16(const tml_conv_s16_params_t *p, const int16_t *input,
                                const int8_t *filter, const int64_t *bias, int16_t *output) {
  tml_conv_s16_run(p, input, filter, 0, bias, NULL, output, 0);
}

TML_KERNEL void tml_conv_2d_s16_acc32(const tml_conv_s16_params_t *p, const int16_t *input,
                                      const int8_t *filter, const int32_t *bias,
                                      int16_t *output) {
  tml_conv_s16_run(p, input, filter, 1, NULL, bias, output, 0);
}

TML_KERNEL void tml_depthwise_conv_2d_s16(const tml_conv_s16_params_t *p, const int16_t *input,
                                          const int8_t *filter, const int64_t *bias,
                                          int16_t *output) {
  tml_conv_s16_run(p, input, filter, 0, bias, NULL, output, 1);
}

TML_HELPER void tml_fully_connected_s16_run(const tml_fully_connected_s16_params_t *p,
                                            const int16_t *input, const int8_t *filter,
                                            int acc32, const int64_t *bias64,
                                            const int32_t *bias32, int16_t *output) {
  int32_t b, oc, d;
  for (b = 0; b < p->batches; ++b) {
    const int16_t *in = input + (int64_t)b * p->accum_depth;
    for (oc = 0; oc < p->output_depth; ++oc) {
      const int8_t *w = filter + (int64_t)oc * p->accum_depth;
      int64_t sum = 0;
      for (d = 0; d < p->accum_depth; ++d) {
        /* Each product fits int32: (|w| + 128) * (|x| + 32768) < 2^25. */
        sum += (int64_t)(((int32_t)w[d] + p->filter_offset) * ((int32_t)in[d] + p->input_offset));
      }
      output[(int64_t)b * p->output_depth + oc] =
          tml_s16_finish(sum, acc32, bias64, bias32, oc, p->output_multiplier[oc],
                         p->output_shift[oc], p->output_offset, p->act_min, p->act_max);
    }
  }
}

TML_KERNEL void tml_fully_connected_s16(const tml_fully_connected_s16_params_t *p,
                                        const int16_t *input, const int8_t *filter,
                                        const int64_t *bias, int16_t *output) {
  tml_fully_connected_s16_run(p, input, filter, 0, bias, NULL, output);
}

TML_KERNEL void tml_fully_connected_s16_acc32(const tml_fully_connected_s16_params_t *p,
                                              const int16_t *input, const int8_t *filter,
                                              const int32_t *bias, int16_t *output) {
  tml_fully_connected_s16_run(p, input, filter, 1, NULL, bias, output);
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_S16_H */
