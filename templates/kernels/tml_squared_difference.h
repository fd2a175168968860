/*
 * tml_squared_difference.h - SQUARED_DIFFERENCE of two int8 tensors with broadcasting,
 * as TFLM's quantized SquaredDifference (left shift 7 on both inputs).
 *
 * Per element: a = mbqm((in1 + input1_offset) << left_shift, input1_multiplier, input1_shift),
 *              b likewise with input 2, d = a - b,
 *              out = clamp(mbqm(d * d, output_multiplier, output_shift) + output_offset,
 *                          -128, 127).
 * Ranges: offsets in [-127, 128], left_shift 7, input shifts in [-31, 0], so
 * |d| <= 255 * 128 and d * d < 2^31; output_shift in [-31, 30].
 */
#ifndef TML_SQUARED_DIFFERENCE_H
#define TML_SQUARED_DIFFERENCE_H

#include "tml_broadcast.h"
#include "tml_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift;
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
} tml_squared_difference_s8_params_t;

TML_KERNEL void tml_squared_difference_s8(const tml_squared_difference_s8_params_t *p,
                                          const int8_t *input1, const int8_t *input2,
                                          int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_squared_difference_s8(const tml_squared_difference_s8_params_t *p,
                                          const int8_t *input1, const int8_t *input2,
                                          int8_t *output) {
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
      const int32_t diff = a_scaled - b_scaled;
      const int32_t scaled = tml_multiply_by_quantized_multiplier(
          diff * diff, p->output_multiplier, p->output_shift);
      /* int32 addition that wraps like TFLM's for out-of-range multipliers. */
      const int32_t shifted = (int32_t)((uint32_t)scaled + (uint32_t)p->output_offset);
      output[i] = (int8_t)tml_clamp(shifted, -128, 127);
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SQUARED_DIFFERENCE_H */
