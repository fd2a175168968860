/*
 * tml_mul_s16.h - MUL with int16 inputs and output, as TFLM's reference integer MUL for
 * int16: the parameters and broadcasting of tml_mul.h; (x1 + offset1) * (x2 + offset2)
 * in int32 (wrapping as TFLM's product does should a zero point make it leave int32),
 * scaled by the output multiplier, plus the output offset, clamped.
 */
#ifndef TML_MUL_S16_H
#define TML_MUL_S16_H

#include "tml_mul.h"

TML_KERNEL void tml_mul_s16(const tml_mul_s8_params_t *p, const int16_t *input1,
                            const int16_t *input2, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_mul_s16(const tml_mul_s8_params_t *p, const int16_t *input1,
                            const int16_t *input2, int16_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const int16_t *a = input1 + it.offset1;
    const int16_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const int32_t product = (int32_t)((uint32_t)((int32_t)a[i * step1] + p->input1_offset) *
                                        (uint32_t)((int32_t)b[i * step2] + p->input2_offset));
      const int32_t scaled =
          tml_multiply_by_quantized_multiplier(product, p->output_multiplier, p->output_shift);
      const int32_t shifted = (int32_t)((uint32_t)scaled + (uint32_t)p->output_offset);
      output[i] = (int16_t)tml_clamp(shifted, p->act_min, p->act_max);
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_MUL_S16_H */
