/*
 * tml_relu.h - the standalone RELU family (RELU, RELU_N1_TO_1, RELU6) on int8 and
 * int16, as TFLM's activations.cc.
 *
 * tml_relu_s8 / _s16 (RELU, RELU_N1_TO_1): requantize then clamp,
 *   out = clamp(output_offset + MultiplyByQuantizedMultiplier(in - input_offset,
 *               multiplier, shift), act_min, act_max)
 *   with multiplier/shift for input_scale / output_scale and the clamp bounds
 *   (0 and, for RELU_N1_TO_1, -1 and 1 quantized on the output) chosen by the compiler.
 *
 * tml_relu6_s8 / _s16 (RELU6): TFLM clamps the input values to [zero, six] (the input
 * zero point and 6.0 quantized with the input's parameters) without requantizing.
 */
#ifndef TML_RELU_H
#define TML_RELU_H

#include "tml_common.h"

typedef struct {
  int32_t size; /* elements */
  int32_t input_offset;  /* input zero point (subtracted) */
  int32_t output_offset; /* output zero point (added) */
  int32_t multiplier;    /* Q0.31 */
  int32_t shift;         /* [-31, 30] */
  int32_t act_min, act_max;
} tml_relu_params_t;

typedef struct {
  int32_t size;
  int32_t lower; /* input zero point */
  int32_t upper; /* 6.0 on the input scale, clamped to the type */
} tml_relu6_params_t;

TML_KERNEL void tml_relu_s8(const tml_relu_params_t *p, const int8_t *input, int8_t *output);
TML_KERNEL void tml_relu_s16(const tml_relu_params_t *p, const int16_t *input,
                             int16_t *output);
TML_KERNEL void tml_relu6_s8(const tml_relu6_params_t *p, const int8_t *input,
                             int8_t *output);
TML_KERNEL void tml_relu6_s16(const tml_relu6_params_t *p, const int16_t *input,
                              int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* One requantized, clamped element. */
TML_KERNEL int32_t tml_relu_element(const tml_relu_params_t *p, int32_t x);

TML_KERNEL int32_t tml_relu_element(const tml_relu_params_t *p, int32_t x) {
  const int32_t v = p->output_offset + tml_multiply_by_quantized_multiplier(
                                           x - p->input_offset, p->multiplier, p->shift);
  return tml_clamp(v, p->act_min, p->act_max);
}

TML_KERNEL void tml_relu_s8(const tml_relu_params_t *p, const int8_t *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int8_t)tml_relu_element(p, input[i]);
  }
}

TML_KERNEL void tml_relu_s16(const tml_relu_params_t *p, const int16_t *input,
                             int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int16_t)tml_relu_element(p, input[i]);
  }
}

TML_KERNEL void tml_relu6_s8(const tml_relu6_params_t *p, const int8_t *input,
                             int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    /* TFLM: val > upper ? upper : val < lower ? lower : val */
    const int32_t v = input[i];
    output[i] = (int8_t)(v > p->upper ? p->upper : (v < p->lower ? p->lower : v));
  }
}

TML_KERNEL void tml_relu6_s16(const tml_relu6_params_t *p, const int16_t *input,
                              int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const int32_t v = input[i];
    output[i] = (int16_t)(v > p->upper ? p->upper : (v < p->lower ? p->lower : v));
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_RELU_H */
