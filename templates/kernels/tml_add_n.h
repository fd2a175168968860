/*
 * tml_add_n.h - ADD_N of `num_inputs` (>= 2) tensors of `size` elements, as TFLM's
 * reference AddN:
 * tml_add_n_f32: per element, 0.f + in[0] + in[1] + ... in input order;
 * tml_add_n_s8: every input shares one scale and zero point; per element the sum of the
 * rescaled inputs (offset, << left_shift, input multiplier) starting from the rescaled
 * zero (input_offset itself, as TFLM), then the output multiplier, the output zero point
 * and the clamp [act_min, act_max].
 */
#ifndef TML_ADD_N_H
#define TML_ADD_N_H

#include "tml_common.h"

typedef struct {
  int32_t num_inputs, size;
} tml_add_n_f32_params_t;

typedef struct {
  int32_t num_inputs, size;
  int32_t input_offset, output_offset, left_shift;
  int32_t input_multiplier, input_shift;   /* shift <= 0 */
  int32_t output_multiplier, output_shift; /* shift <= 0 */
  int32_t act_min, act_max;
} tml_add_n_s8_params_t;

TML_KERNEL void tml_add_n_f32(const tml_add_n_f32_params_t *p, const float *const *inputs,
                              float *output);
TML_KERNEL void tml_add_n_s8(const tml_add_n_s8_params_t *p, const int8_t *const *inputs,
                             int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_add_n_f32(const tml_add_n_f32_params_t *p, const float *const *inputs,
                              float *output) {
  int32_t i, j;
  for (i = 0; i < p->size; ++i) {
    float x = 0.f;
    for (j = 0; j < p->num_inputs; ++j) {
      x += inputs[j][i];
    }
    output[i] = x;
  }
}

TML_KERNEL void tml_add_n_s8(const tml_add_n_s8_params_t *p, const int8_t *const *inputs,
                             int8_t *output) {
  int32_t i, j;
  for (i = 0; i < p->size; ++i) {
    int32_t acc = tml_multiply_by_quantized_multiplier(
        (int32_t)((uint32_t)p->input_offset << p->left_shift), p->input_multiplier,
        p->input_shift);
    int32_t out;
    for (j = 0; j < p->num_inputs; ++j) {
      const int32_t y = p->input_offset + inputs[j][i];
      acc += tml_multiply_by_quantized_multiplier((int32_t)((uint32_t)y << p->left_shift),
                                                  p->input_multiplier, p->input_shift);
    }
    out = tml_multiply_by_quantized_multiplier(acc, p->output_multiplier, p->output_shift) +
          p->output_offset;
    output[i] = (int8_t)tml_clamp(out, p->act_min, p->act_max);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ADD_N_H */
