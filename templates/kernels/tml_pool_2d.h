/*
 * tml_pool_2d.h - AVERAGE_POOL_2D and MAX_POOL_2D on int8 NHWC tensors, as TFLM's
 * reference integer pooling. Input and output share scale and zero point.
 *
 * Average: sum over the window clipped to the input (padding not counted), divided
 * by the number of taps, rounding half away from zero; then clamped to
 * [act_min, act_max]. Max: the largest tap, clamped.
 */
#ifndef TML_POOL_2D_H
#define TML_POOL_2D_H

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t input_h, input_w;
  int32_t channels;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w;
  int32_t stride_h, stride_w;
  int32_t pad_h, pad_w;
  int32_t act_min, act_max;
} tml_pool_2d_s8_params_t;

TML_KERNEL void tml_average_pool_2d_s8(const tml_pool_2d_s8_params_t *p, const int8_t *input,
                                       int8_t *output);
TML_KERNEL void tml_max_pool_2d_s8(const tml_pool_2d_s8_params_t *p, const int8_t *input,
                                   int8_t *output);

#endif /* TML_POOL_2D_H */
