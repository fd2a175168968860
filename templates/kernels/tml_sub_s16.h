/*
 * tml_sub_s16.h - SUB with int16 inputs and output, as TFLM's reference quantized SUB
 * for int16 (left_shift 15): the parameters and broadcasting of tml_sub.h; each input
 * (x + offset) * 2^left_shift rescaled, the difference rescaled to the output, plus the
 * output offset, clamped. Products and sums wrap as TFLM's int32 arithmetic would (only
 * a zero point far from 0 gets there).
 */
#ifndef TML_SUB_S16_H
#define TML_SUB_S16_H

#include "tml_sub.h"

TML_KERNEL void tml_sub_s16(const tml_sub_s8_params_t *p, const int16_t *input1,
                            const int16_t *input2, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_sub_s16(const tml_sub_s8_params_t *p, const int16_t *input1,
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
      const int32_t a_shifted =
          (int32_t)((uint32_t)((int32_t)a[i * step1] + p->input1_offset) << p->left_shift);
      const int32_t b_shifted =
          (int32_t)((uint32_t)((int32_t)b[i * step2] + p->input2_offset) << p->left_shift);
      const int32_t a_scaled =
          tml_multiply_by_quantized_multiplier(a_shifted, p->input1_multiplier, p->input1_shift);
      const int32_t b_scaled =
          tml_multiply_by_quantized_multiplier(b_shifted, p->input2_multiplier, p->input2_shift);
      const int32_t diff = tml_multiply_by_quantized_multiplier(
          (int32_t)((uint32_t)a_scaled - (uint32_t)b_scaled), p->output_multiplier,
          p->output_shift);
      output[i] = (int16_t)tml_clamp((int32_t)((uint32_t)diff + (uint32_t)p->output_offset),
                                     p->act_min, p->act_max);
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SUB_S16_H */
