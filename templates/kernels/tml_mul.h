/*
 * tml_mul.h - MUL of two int8 tensors with broadcasting, as TFLM's reference integer
 * MUL (reference_integer_ops::Mul / BroadcastMul6DSlow).
 *
 * Per element: out = clamp(mbqm((in1 + input1_offset) * (in2 + input2_offset),
 *                               output_multiplier, output_shift) + output_offset,
 *                          act_min, act_max)
 * with mbqm = TFLM's MultiplyByQuantizedMultiplier. Ranges: offsets in [-127, 128] (the
 * negated zero points), so the product fits in 17 bits; output_shift in [-31, 30]
 * (a positive shift multiplies before the high mul and wraps like TFLM's int32).
 */
#ifndef TML_MUL_H
#define TML_MUL_H

#include "tml_broadcast.h"
#include "tml_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} tml_mul_s8_params_t;

TML_KERNEL void tml_mul_s8(const tml_mul_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_mul_s8(const tml_mul_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const int8_t *a = input1 + it.offset1;
    const int8_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const int32_t product =
          ((int32_t)a[i * step1] + p->input1_offset) * ((int32_t)b[i * step2] + p->input2_offset);
      const int32_t scaled =
          tml_multiply_by_quantized_multiplier(product, p->output_multiplier, p->output_shift);
      /* int32 addition that wraps like TFLM's for out-of-range multipliers. */
      const int32_t shifted = (int32_t)((uint32_t)scaled + (uint32_t)p->output_offset);
      output[i] = (int8_t)tml_clamp(shifted, p->act_min, p->act_max);
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_MUL_H */
