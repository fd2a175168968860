/*
 * tml_reduce_f32.h - float32 MEAN over a set of axes, as TFLM's reference float Mean
 * (and its 4-D special case over H and W, which sums in the same order): per output,
 * sum (from 0.f) of its inputs in the input's row-major order, divided by the count as
 * a float. The loops are those of tml_reduce.h (tml_reduce_shape_t).
 * tml_reduce_max_f32: REDUCE_MAX as TFLM's ReduceGeneric<float>: starts from -FLT_MAX
 * and takes an input when it is greater (so NaNs never win and an all -inf or all-NaN
 * reduction gives -FLT_MAX, as in TFLM).
 */
#ifndef TML_REDUCE_F32_H
#define TML_REDUCE_F32_H

#include <float.h>

#include "tml_float_common.h"
#include "tml_reduce.h"

typedef struct {
  tml_reduce_shape_t shape;
  int32_t count; /* inputs per output */
} tml_mean_f32_params_t;

TML_KERNEL void tml_mean_f32(const tml_mean_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_reduce_max_f32(const tml_reduce_max_s8_params_t *p, const float *input,
                                   float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_mean_f32(const tml_mean_f32_params_t *p, const float *input, float *output) {
  const tml_reduce_shape_t *s = &p->shape;
  const int32_t outputs = tml_reduce_positions(s->outer_rank, s->outer_dims);
  const float count = (float)p->count;
  int32_t outer_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t inner_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t base = 0;
  int32_t k;
  for (k = 0; k < outputs; ++k) {
    float acc = 0.f;
    int32_t offset = 0;
    do {
      acc += input[base + offset];
    } while (tml_reduce_step(s->inner_rank, s->inner_dims, s->inner_strides, inner_index,
                             &offset));
    output[k] = acc / count;
    (void)tml_reduce_step(s->outer_rank, s->outer_dims, s->outer_strides, outer_index, &base);
  }
}

TML_KERNEL void tml_reduce_max_f32(const tml_reduce_max_s8_params_t *p, const float *input,
                                   float *output) {
  const tml_reduce_shape_t *s = &p->shape;
  const int32_t outputs = tml_reduce_positions(s->outer_rank, s->outer_dims);
  int32_t outer_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t inner_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t base = 0;
  int32_t k;
  for (k = 0; k < outputs; ++k) {
    float best = -FLT_MAX;
    int32_t offset = 0;
    do {
      const float v = input[base + offset];
      best = v > best ? v : best;
    } while (tml_reduce_step(s->inner_rank, s->inner_dims, s->inner_strides, inner_index,
                             &offset));
    output[k] = best;
    (void)tml_reduce_step(s->outer_rank, s->outer_dims, s->outer_strides, outer_index, &base);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_REDUCE_F32_H */
