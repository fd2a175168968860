/*
 * tml_reduce_s16.h - MEAN and SUM on int16, as TFLM's reference QuantizedMeanOrSum
 * instantiated for int16: the loops and parameters of tml_reduce.h (the compiler
 * derives multiplier/shift the same way), an int32 accumulator that wraps like TFLM's,
 * the result clamped to [-32768, 32767].
 */
#ifndef TML_REDUCE_S16_H
#define TML_REDUCE_S16_H

#include "tml_reduce.h"

TML_KERNEL void tml_reduce_sum_s16(const tml_reduce_sum_s8_params_t *p, const int16_t *input,
                                   int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_reduce_sum_s16(const tml_reduce_sum_s8_params_t *p, const int16_t *input,
                                   int16_t *output) {
  const tml_reduce_shape_t *s = &p->shape;
  const int32_t outputs = tml_reduce_positions(s->outer_rank, s->outer_dims);
  /* TFLM subtracts input_zero_point * count once per output (wrapping to int32). */
  const uint32_t zero_sum = (uint32_t)p->input_zero_point * (uint32_t)p->count;
  int32_t outer_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t inner_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t base = 0;
  int32_t k;
  for (k = 0; k < outputs; ++k) {
    uint32_t acc = 0; /* int32 accumulator that wraps like TFLM's */
    int32_t offset = 0;
    do {
      const int32_t v = input[base + offset];
      acc += (uint32_t)v;
    } while (tml_reduce_step(s->inner_rank, s->inner_dims, s->inner_strides, inner_index,
                             &offset));
    {
      const int32_t scaled =
          tml_multiply_by_quantized_multiplier((int32_t)(acc - zero_sum), p->multiplier, p->shift);
      const int32_t shifted = (int32_t)((uint32_t)scaled + (uint32_t)p->output_zero_point);
      output[k] = (int16_t)tml_clamp(shifted, INT16_MIN, INT16_MAX);
    }
    (void)tml_reduce_step(s->outer_rank, s->outer_dims, s->outer_strides, outer_index, &base);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_REDUCE_S16_H */
