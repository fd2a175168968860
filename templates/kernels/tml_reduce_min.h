/*
 * tml_reduce_min.h - REDUCE_MIN as TFLM's ReduceGeneric with its min reducer, over the
 * loops of tml_reduce.h (the params are REDUCE_MAX's, tml_reduce_max_s8_params_t):
 * tml_reduce_min_s8: the smallest raw value, from 127 (input and output scales and zero
 * points are equal, as TFLM requires);
 * tml_reduce_min_f32: from FLT_MAX, taking an input when it is less (NaNs never win; an
 * all-+inf or all-NaN reduction gives FLT_MAX, as in TFLM).
 */
#ifndef TML_REDUCE_MIN_H
#define TML_REDUCE_MIN_H

#include <float.h>

#include "tml_reduce.h"

TML_KERNEL void tml_reduce_min_s8(const tml_reduce_max_s8_params_t *p, const int8_t *input,
                                  int8_t *output);
TML_KERNEL void tml_reduce_min_f32(const tml_reduce_max_s8_params_t *p, const float *input,
                                   float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_reduce_min_s8(const tml_reduce_max_s8_params_t *p, const int8_t *input,
                                  int8_t *output) {
  const tml_reduce_shape_t *s = &p->shape;
  const int32_t outputs = tml_reduce_positions(s->outer_rank, s->outer_dims);
  int32_t outer_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t inner_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t base = 0;
  int32_t k;
  for (k = 0; k < outputs; ++k) {
    int8_t best = 127;
    int32_t offset = 0;
    do {
      const int8_t v = input[base + offset];
      best = v < best ? v : best;
    } while (tml_reduce_step(s->inner_rank, s->inner_dims, s->inner_strides, inner_index,
                             &offset));
    output[k] = best;
    (void)tml_reduce_step(s->outer_rank, s->outer_dims, s->outer_strides, outer_index, &base);
  }
}

TML_KERNEL void tml_reduce_min_f32(const tml_reduce_max_s8_params_t *p, const float *input,
                                   float *output) {
  const tml_reduce_shape_t *s = &p->shape;
  const int32_t outputs = tml_reduce_positions(s->outer_rank, s->outer_dims);
  int32_t outer_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t inner_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t base = 0;
  int32_t k;
  for (k = 0; k < outputs; ++k) {
    float best = FLT_MAX;
    int32_t offset = 0;
    do {
      const float v = input[base + offset];
      best = v < best ? v : best;
    } while (tml_reduce_step(s->inner_rank, s->inner_dims, s->inner_strides, inner_index,
                             &offset));
    output[k] = best;
    (void)tml_reduce_step(s->outer_rank, s->outer_dims, s->outer_strides, outer_index, &base);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_REDUCE_MIN_H */
