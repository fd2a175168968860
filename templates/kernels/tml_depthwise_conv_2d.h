/*
 * tml_depthwise_conv_2d.h - DEPTHWISE_CONV_2D, int8 activations, int8 weights
 * (per-channel or per-tensor), int32 bias, as TFLM's reference integer depthwise conv.
 *
 * Layouts: input  [batches, input_h, input_w, input_c]
 *          filter [1, filter_h, filter_w, output_c], output_c = input_c * depth_multiplier
 *          bias   [output_c] or NULL
 *          output [batches, output_h, output_w, output_c]
 * Output channel oc = ic * depth_multiplier + m reads input channel ic.
 */
#ifndef TML_DEPTHWISE_CONV_2D_H
#define TML_DEPTHWISE_CONV_2D_H

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t depth_multiplier;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;
  int32_t input_offset;
  int32_t output_offset;
  int32_t act_min, act_max;
  const int32_t *output_multiplier;  /* [output_c] */
  const int32_t *output_shift;       /* [output_c] */
} tml_depthwise_conv_2d_s8_params_t;

TML_KERNEL void tml_depthwise_conv_2d_s8(const tml_depthwise_conv_2d_s8_params_t *p,
                                         const int8_t *input, const int8_t *filter,
                                         const int32_t *bias, int8_t *output);

#endif /* TML_DEPTHWISE_CONV_2D_H */
