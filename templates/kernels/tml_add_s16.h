/*
 * tml_add_s16.h - ADD with int16 inputs and output (TFLM's general int16 path, taken
 * whenever the model does not ask for power-of-two scales): the arithmetic of
 * tml_add.h's tml_add_s8_element with left_shift 15 and int16 values, with the same
 * parameters (tml_add_s8_params_t) and the same broadcasting up to rank 6.
 *
 * (x + offset) * 2^15 can leave int32 only for a zero point far from 0 (the converter
 * makes them 0); it wraps as TFLM's int32 product does.
 */
#ifndef TML_ADD_S16_H
#define TML_ADD_S16_H

#include "tml_add.h"

TML_KERNEL int16_t tml_add_s16_element(const tml_add_s8_params_t *p, int16_t x1, int16_t x2);
/* Equal shapes: p->size elements. Element i of both inputs is read before element i of
 * the output is written. */
TML_KERNEL void tml_add_s16(const tml_add_s8_params_t *p, const int16_t *input1,
                            const int16_t *input2, int16_t *output);
TML_KERNEL void tml_add_broadcast_s16(const tml_add_s8_params_t *p, const int16_t *input1,
                                      const int16_t *input2, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int16_t tml_add_s16_element(const tml_add_s8_params_t *p, int16_t x1, int16_t x2) {
  const int32_t a = (int32_t)((uint32_t)((int32_t)x1 + p->input1_offset) << p->left_shift);
  const int32_t b = (int32_t)((uint32_t)((int32_t)x2 + p->input2_offset) << p->left_shift);
  const int32_t a_scaled =
      tml_multiply_by_quantized_multiplier(a, p->input1_multiplier, p->input1_shift);
  const int32_t b_scaled =
      tml_multiply_by_quantized_multiplier(b, p->input2_multiplier, p->input2_shift);
  const int32_t sum = tml_multiply_by_quantized_multiplier(
      (int32_t)((uint32_t)a_scaled + (uint32_t)b_scaled), p->output_multiplier, p->output_shift);
  return (int16_t)tml_clamp((int32_t)((uint32_t)sum + (uint32_t)p->output_offset), p->act_min,
                            p->act_max);
}

TML_KERNEL void tml_add_s16(const tml_add_s8_params_t *p, const int16_t *input1,
                            const int16_t *input2, int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = tml_add_s16_element(p, input1[i], input2[i]);
  }
}

TML_KERNEL void tml_add_broadcast_s16(const tml_add_s8_params_t *p, const int16_t *input1,
                                      const int16_t *input2, int16_t *output) {
  TML_ADD_BROADCAST_BODY(int16_t, tml_add_s16_element)
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ADD_S16_H */
