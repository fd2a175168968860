/*
 * tml_add.h - ADD of two int8 tensors with their own scales, as TFLM's reference
 * integer add (left_shift 20, inputs rescaled to twice the larger input scale).
 *
 * Per element: a = (in1 + input1_offset) << left_shift, b likewise;
 *   a = mbqm_smaller_than_one(a, input1_multiplier, input1_shift), b likewise;
 *   out = clamp(mbqm_smaller_than_one(a + b, output_multiplier, output_shift)
 *               + output_offset, act_min, act_max).
 * tml_add_s8 handles equal shapes (`size` elements). tml_add_broadcast_s8 walks the
 * output shape (rank <= TML_ADD_MAX_RANK, padded with leading 1s) and reads each input
 * through its strides, a stride of 0 marking a broadcast dimension.
 */
#ifndef TML_ADD_H
#define TML_ADD_H

#include "tml_common.h"

#define TML_ADD_MAX_RANK 6

typedef struct {
  int32_t size;  /* elements, for tml_add_s8 */
  int32_t input1_offset, input2_offset, output_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift;  /* shift <= 0 */
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
  /* Broadcast only: */
  int32_t out_dims[TML_ADD_MAX_RANK];
  int32_t input1_strides[TML_ADD_MAX_RANK];
  int32_t input2_strides[TML_ADD_MAX_RANK];
} tml_add_s8_params_t;

TML_KERNEL void tml_add_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output);
TML_KERNEL void tml_add_broadcast_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                                     const int8_t *input2, int8_t *output);

#endif /* TML_ADD_H */
