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
 * NULL, else output_multiplier/output_shift. On the per-channel path filter_offset is
 * ignored (taken as 0), as TFLM's FullyConnectedPerChannel does.
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

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_fully_connected_s8(const tml_fully_connected_s8_params_t *p,
                                       const int8_t *input, const int8_t *filter,
                                       const int32_t *bias, int8_t *output) {
  /* TFLM's per-channel variant never adds the filter offset (weights are symmetric by
   * spec); its per-tensor variant does. Mirror both. */
  const int per_channel = p->per_channel_multiplier != NULL && p->per_channel_shift != NULL;
  const int32_t filter_offset = per_channel ? 0 : p->filter_offset;
  int32_t b, o, d;
  for (b = 0; b < p->batches; ++b) {
    const int8_t *in_row = input + b * p->accum_depth;
    for (o = 0; o < p->output_depth; ++o) {
      const int8_t *w_row = filter + o * p->accum_depth;
      int32_t acc = 0;
      for (d = 0; d < p->accum_depth; ++d) {
        acc += ((int32_t)w_row[d] + filter_offset) * ((int32_t)in_row[d] + p->input_offset);
      }
      if (bias != NULL) {
        acc += bias[o];
      }
      if (per_channel) {
        acc = tml_multiply_by_quantized_multiplier(acc, p->per_channel_multiplier[o],
                                                   p->per_channel_shift[o]);
      } else {
        acc = tml_multiply_by_quantized_multiplier(acc, p->output_multiplier, p->output_shift);
      }
      acc += p->output_offset;
      output[b * p->output_depth + o] = (int8_t)tml_clamp(acc, p->act_min, p->act_max);
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_FULLY_CONNECTED_H */
