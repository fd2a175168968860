/*
 * tml_sub.h - SUB of two int8 tensors with broadcasting, as TFLM's reference quantized
 * SUB (reference_ops::Sub / BroadcastQuantSubSlow): both inputs rescaled to a common
 * scale after a left shift, subtracted, rescaled to the output.
 *
 * Per element: a = mbqm((in1 + input1_offset) << left_shift, input1_multiplier, input1_shift),
 *              b likewise with input 2,
 *              out = clamp(mbqm(a - b, output_multiplier, output_shift) + output_offset,
 *                          act_min, act_max).
 * Ranges: offsets in [-127, 128], left_shift 20, every shift in [-31, 0] (TFLM's
 * MultiplyByQuantizedMultiplierSmallerThanOneExp), so nothing overflows int32.
 */
#ifndef TML_SUB_H
#define TML_SUB_H

#include "tml_broadcast.h"
#include "tml_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift;
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} tml_sub_s8_params_t;

TML_KERNEL void tml_sub_s8(const tml_sub_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_sub_s8(const tml_sub_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  const int32_t unit = (int32_t)1 << p->left_shift;
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const int8_t *a = input1 + it.offset1;
    const int8_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const int32_t a_scaled = tml_multiply_by_quantized_multiplier(
          ((int32_t)a[i * step1] + p->input1_offset) * unit, p->input1_multiplier,
          p->input1_shift);
      const int32_t b_scaled = tml_multiply_by_quantized_multiplier(
          ((int32_t)b[i * step2] + p->input2_offset) * unit, p->input2_multiplier,
          p->input2_shift);
      const int32_t diff = tml_multiply_by_quantized_multiplier(
          a_scaled - b_scaled, p->output_multiplier, p->output_shift);
      output[i] = (int8_t)tml_clamp(diff + p->output_offset, p->act_min, p->act_max);
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SUB_H */
