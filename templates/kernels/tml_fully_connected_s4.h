/*
 * tml_fully_connected_s4.h - FULLY_CONNECTED, int8 activations, int4 weights (packed
 * two per byte, see tml_s4_common.h), int32 bias. TFLM unpacks the filter to int8 and
 * runs its reference integer fully connected (tml_fully_connected.h here): the same
 * sums, per-tensor or per-channel requantization, filter_offset added on the
 * per-tensor path only.
 *
 * Parameters and layouts: tml_fully_connected_s8_params_t (tml_fully_connected.h);
 * filter is the packed [output_depth, accum_depth] tensor, ceil(output_depth *
 * accum_depth / 2) bytes; filter_offset in [-8, 8].
 * Scratch: accum_depth int8 (one output row, unpacked with the filter offset added).
 *
 * Order: output row by output row, every batch of a row before the next row: the
 * output must not overlap the input.
 */
#ifndef TML_FULLY_CONNECTED_S4_H
#define TML_FULLY_CONNECTED_S4_H

#include "tml_fully_connected.h"
#include "tml_s4_common.h"

TML_KERNEL void tml_fully_connected_s4(const tml_fully_connected_s8_params_t *p,
                                       const int8_t *input, const int8_t *filter,
                                       const int32_t *bias, int8_t *output, int8_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_fully_connected_s4(const tml_fully_connected_s8_params_t *p,
                                       const int8_t *input, const int8_t *filter,
                                       const int32_t *bias, int8_t *output, int8_t *scratch) {
  const int per_channel = p->per_channel_multiplier != NULL && p->per_channel_shift != NULL;
  const int32_t filter_offset = per_channel ? 0 : p->filter_offset;
  int32_t b, o;
  for (o = 0; o < p->output_depth; ++o) {
    const int32_t m = per_channel ? p->per_channel_multiplier[o] : p->output_multiplier;
    const int32_t s = per_channel ? p->per_channel_shift[o] : p->output_shift;
    const int32_t b0 = bias != NULL ? bias[o] : 0;
    tml_s4_unpack(filter, o * p->accum_depth, p->accum_depth, filter_offset, scratch);
    for (b = 0; b < p->batches; ++b) {
      int32_t acc = tml_s4_dot(input + b * p->accum_depth, scratch, p->accum_depth,
                               p->input_offset, 0);
      acc = tml_multiply_by_quantized_multiplier(acc + b0, m, s) + p->output_offset;
      output[b * p->output_depth + o] = (int8_t)tml_clamp(acc, p->act_min, p->act_max);
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_FULLY_CONNECTED_S4_H */
