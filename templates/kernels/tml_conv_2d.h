/*
 * tml_conv_2d.h - CONV_2D, int8 activations, int8 weights (per-channel or per-tensor
 * scales), int32 bias. Computes what TFLM's reference integer conv computes.
 *
 * Layouts: input  [batches, input_h, input_w, input_c]          (NHWC)
 *          filter [output_c, filter_h, filter_w, input_c]        (OHWI)
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

#endif /* TML_CONV_2D_H */
