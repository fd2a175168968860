/*
 * tml_comparisons.h - LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL and NOT_EQUAL of
 * two int8 tensors with broadcasting, giving bool (one byte, 0 or 1), as TFLM's
 * reference ComparisonWithScaling / BroadcastComparison4DSlowWithScaling.
 *
 * Both inputs are brought to a common real scale first:
 *   a = mbqm((in1 + input1_offset) << left_shift, input1_multiplier, input1_shift),
 *   b likewise with input 2 (the multiplier is the input's own scale, < 1),
 * then the three-way comparison of a and b selects the result: if_less (a < b),
 * if_equal (a == b) or if_greater (a > b), e.g. 1, 1, 0 for LESS_EQUAL.
 * Ranges: offsets in [-127, 128], left_shift 8, shifts in [-31, 0].
 */
#ifndef TML_COMPARISONS_H
#define TML_COMPARISONS_H

#include "tml_broadcast.h"
#include "tml_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t input1_offset, input2_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift;
  int32_t input2_multiplier, input2_shift;
  int32_t if_less, if_equal, if_greater; /* 0 or 1 */
} tml_compare_s8_params_t;

TML_KERNEL void tml_compare_s8(const tml_compare_s8_params_t *p, const int8_t *input1,
                               const int8_t *input2, uint8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_compare_s8(const tml_compare_s8_params_t *p, const int8_t *input1,
                               const int8_t *input2, uint8_t *output) {
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
      const int32_t x = tml_multiply_by_quantized_multiplier(
          ((int32_t)a[i * step1] + p->input1_offset) * unit, p->input1_multiplier,
          p->input1_shift);
      const int32_t y = tml_multiply_by_quantized_multiplier(
          ((int32_t)b[i * step2] + p->input2_offset) * unit, p->input2_multiplier,
          p->input2_shift);
      const int32_t result = x < y ? p->if_less : (x == y ? p->if_equal : p->if_greater);
      output[i] = (uint8_t)result;
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_COMPARISONS_H */
