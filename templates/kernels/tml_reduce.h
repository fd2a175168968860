/*
 * tml_reduce.h - int8 reductions over a set of axes: MEAN and SUM (one kernel; they
 * differ only in the multiplier the compiler derives) and REDUCE_MAX, as TFLM's
 * reference QuantizedMeanOrSum and ReduceGeneric.
 *
 * The compiler splits the input's dimensions into the kept ones ("outer", in output
 * order) and the reduced ones ("inner"), each with its input strides, merging
 * dimensions that are contiguous. Output element k is the reduction over the inner
 * loops starting at the input offset of the k-th position of the outer loops; the
 * output is written in order (TFLM's ReducedOutputOffset order).
 *
 * tml_reduce_sum_s8: acc = sum of the `count` inputs (int32, wrapping),
 *   out = clamp(mbqm(acc - input_zero_point * count, multiplier, shift)
 *               + output_zero_point, -128, 127).
 *   For SUM multiplier/shift come from input_scale / output_scale; for MEAN the
 *   compiler folds in 1 / count the way TFLM does at run time.
 * tml_reduce_max_s8: the largest raw value (scales and zero points are equal).
 * Every dimension is >= 1; outer_rank and inner_rank in [1, TML_REDUCE_MAX_RANK].
 */
#ifndef TML_REDUCE_H
#define TML_REDUCE_H

#include "tml_common.h"

#define TML_REDUCE_MAX_RANK 8

typedef struct {
  int32_t outer_rank;
  int32_t outer_dims[TML_REDUCE_MAX_RANK];
  int32_t outer_strides[TML_REDUCE_MAX_RANK]; /* input elements */
  int32_t inner_rank;
  int32_t inner_dims[TML_REDUCE_MAX_RANK];
  int32_t inner_strides[TML_REDUCE_MAX_RANK];
} tml_reduce_shape_t;

typedef struct {
  tml_reduce_shape_t shape;
  int32_t count; /* inputs per output: product of inner_dims */
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* shift in [-31, 30] */
} tml_reduce_sum_s8_params_t;

typedef struct {
  tml_reduce_shape_t shape;
} tml_reduce_max_s8_params_t;

TML_KERNEL void tml_reduce_sum_s8(const tml_reduce_sum_s8_params_t *p, const int8_t *input,
                                  int8_t *output);
TML_KERNEL void tml_reduce_max_s8(const tml_reduce_max_s8_params_t *p, const int8_t *input,
                                  int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* Odometer step over `rank` loops; keeps *offset = sum(index[d] * strides[d]).
 * Returns 0 after the last position (everything wrapped back to 0). */
TML_KERNEL int32_t tml_reduce_step(int32_t rank, const int32_t *dims, const int32_t *strides,
                                   int32_t *index, int32_t *offset);
/* Total positions of `rank` loops. */
TML_KERNEL int32_t tml_reduce_positions(int32_t rank, const int32_t *dims);

TML_KERNEL int32_t tml_reduce_step(int32_t rank, const int32_t *dims, const int32_t *strides,
                                   int32_t *index, int32_t *offset) {
  int32_t d;
  for (d = rank - 1; d >= 0; --d) {
    *offset += strides[d];
    if (++index[d] < dims[d]) {
      return 1;
    }
    *offset -= strides[d] * dims[d];
    index[d] = 0;
  }
  return 0;
}

TML_KERNEL int32_t tml_reduce_positions(int32_t rank, const int32_t *dims) {
  int32_t n = 1;
  int32_t d;
  for (d = 0; d < rank; ++d) {
    n *= dims[d];
  }
  return n;
}

TML_KERNEL void tml_reduce_sum_s8(const tml_reduce_sum_s8_params_t *p, const int8_t *input,
                                  int8_t *output) {
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
      output[k] = (int8_t)tml_clamp(shifted, -128, 127);
    }
    (void)tml_reduce_step(s->outer_rank, s->outer_dims, s->outer_strides, outer_index, &base);
  }
}

TML_KERNEL void tml_reduce_max_s8(const tml_reduce_max_s8_params_t *p, const int8_t *input,
                                  int8_t *output) {
  const tml_reduce_shape_t *s = &p->shape;
  const int32_t outputs = tml_reduce_positions(s->outer_rank, s->outer_dims);
  int32_t outer_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t inner_index[TML_REDUCE_MAX_RANK] = {0};
  int32_t base = 0;
  int32_t k;
  for (k = 0; k < outputs; ++k) {
    int8_t best = -128;
    int32_t offset = 0;
    do {
      const int8_t v = input[base + offset];
      best = v > best ? v : best;
    } while (tml_reduce_step(s->inner_rank, s->inner_dims, s->inner_strides, inner_index,
                             &offset));
    output[k] = best;
    (void)tml_reduce_step(s->outer_rank, s->outer_dims, s->outer_strides, outer_index, &base);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_REDUCE_H */
