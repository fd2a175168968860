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

#ifndef TML_DECLARATIONS_ONLY

/* One output element from one element of each input. */
TML_KERNEL int8_t tml_add_s8_element(const tml_add_s8_params_t *p, int8_t x1, int8_t x2);

TML_KERNEL int8_t tml_add_s8_element(const tml_add_s8_params_t *p, int8_t x1, int8_t x2) {
  /* |x + offset| <= 255, so the shift by left_shift (20) cannot overflow. */
  const int32_t a = ((int32_t)x1 + p->input1_offset) * ((int32_t)1 << p->left_shift);
  const int32_t b = ((int32_t)x2 + p->input2_offset) * ((int32_t)1 << p->left_shift);
  /* All shifts are <= 0 here, where TFLM's MultiplyByQuantizedMultiplierSmallerThanOneExp
   * and MultiplyByQuantizedMultiplier coincide. */
  const int32_t a_scaled =
      tml_multiply_by_quantized_multiplier(a, p->input1_multiplier, p->input1_shift);
  const int32_t b_scaled =
      tml_multiply_by_quantized_multiplier(b, p->input2_multiplier, p->input2_shift);
  const int32_t sum = tml_multiply_by_quantized_multiplier(a_scaled + b_scaled,
                                                           p->output_multiplier,
                                                           p->output_shift) +
                      p->output_offset;
  return (int8_t)tml_clamp(sum, p->act_min, p->act_max);
}

TML_KERNEL void tml_add_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = tml_add_s8_element(p, input1[i], input2[i]);
  }
}

TML_KERNEL void tml_add_broadcast_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                                     const int8_t *input2, int8_t *output) {
  int32_t index[TML_ADD_MAX_RANK];
  int32_t total = 1;
  int32_t n, d;
  for (d = 0; d < TML_ADD_MAX_RANK; ++d) {
    index[d] = 0;
    total *= p->out_dims[d];
  }
  /* Output is dense row-major; walk it in order with an odometer over out_dims. */
  for (n = 0; n < total; ++n) {
    int32_t off1 = 0;
    int32_t off2 = 0;
    for (d = 0; d < TML_ADD_MAX_RANK; ++d) {
      off1 += index[d] * p->input1_strides[d];
      off2 += index[d] * p->input2_strides[d];
    }
    output[n] = tml_add_s8_element(p, input1[off1], input2[off2]);
    for (d = TML_ADD_MAX_RANK - 1; d >= 0; --d) {
      if (++index[d] < p->out_dims[d]) {
        break;
      }
      index[d] = 0;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ADD_H */
