/*
 * tml_fully_connected.h - FULLY_CONNECTED, int8 activations, int8 weights, int32 bias,
 * as TFLM's reference integer fully connected.
 *
 * Layouts: input  [batches, accum_depth]   (any shape flattened to that)
 *          filter [output_depth, accum_depth]
 *          bias   [output_depth] or NULL
 *          output [batches, output_depth]
 * acc = bias[o] + sum (filter + filter_offset) * (input + input_offset);
 * out = clamp(mbqm(acc, mult, shift) + output_offset, act_min, act_max) where
 * mult/shift are per_channel_multiplier[o]/per_channel_shift[o] when those are not
 * NULL, else output_multiplier/output_shift.
 */
#ifndef TML_FULLY_CONNECTED_H
#define TML_FULLY_CONNECTED_H

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t accum_depth;
  int32_t output_depth;
  int32_t input_offset;   /* -input zero point */
  int32_t filter_offset;  /* -filter zero point (0 for symmetric weights) */
  int32_t output_offset;  /* output zero point */
  int32_t output_multiplier;
  int32_t output_shift;
  const int32_t *per_channel_multiplier;  /* [output_depth] or NULL */
  const int32_t *per_channel_shift;       /* [output_depth] or NULL */
  int32_t act_min, act_max;
} tml_fully_connected_s8_params_t;

TML_KERNEL void tml_fully_connected_s8(const tml_fully_connected_s8_params_t *p,
                                       const int8_t *input, const int8_t *filter,
                                       const int32_t *bias, int8_t *output);

#endif /* TML_FULLY_CONNECTED_H */
