/*
 * tml_leaky_relu.h - LEAKY_RELU on int8 / int16 as TFLM's QuantizeLeakyRelu:
 *   x = in - input_zero_point
 *   x >= 0: out = output_zero_point + MBQM(x, identity_multiplier, identity_shift)
 *   x <  0: out = output_zero_point +/- MBQM(x, |alpha_multiplier|, alpha_shift)
 *           (minus when alpha is negative: TFLM quantizes alpha's multiplier with its
 *           sign and applies the magnitude, then negates)
 * then clamped to the type. The identity multiplier is input_scale / output_scale,
 * the alpha one input_scale * alpha / output_scale (both derived by the compiler).
 */
#ifndef TML_LEAKY_RELU_H
#define TML_LEAKY_RELU_H

#include "tml_common.h"

typedef struct {
  int32_t size; /* elements */
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t identity_multiplier; /* Q0.31 */
  int32_t identity_shift;      /* [-31, 30] */
  int32_t alpha_multiplier;    /* |multiplier|, Q0.31 */
  int32_t alpha_shift;         /* [-31, 30] */
  int32_t alpha_negative;      /* 1 if alpha < 0 */
} tml_leaky_relu_params_t;

TML_KERNEL void tml_leaky_relu_s8(const tml_leaky_relu_params_t *p, const int8_t *input,
                                  int8_t *output);
TML_KERNEL void tml_leaky_relu_s16(const tml_leaky_relu_params_t *p, const int16_t *input,
                                   int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* One element before clamping. */
TML_KERNEL int32_t tml_leaky_relu_element(const tml_leaky_relu_params_t *p, int32_t in);

TML_KERNEL int32_t tml_leaky_relu_element(const tml_leaky_relu_params_t *p, int32_t in) {
  const int32_t x = in - p->input_zero_point;
  int32_t scaled;
  if (x >= 0) {
    return p->output_zero_point +
           tml_multiply_by_quantized_multiplier(x, p->identity_multiplier, p->identity_shift);
  }
  scaled = tml_multiply_by_quantized_multiplier(x, p->alpha_multiplier, p->alpha_shift);
  return p->output_zero_point + (p->alpha_negative ? -scaled : scaled);
}

TML_KERNEL void tml_leaky_relu_s8(const tml_leaky_relu_params_t *p, const int8_t *input,
                                  int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int8_t)tml_clamp(tml_leaky_relu_element(p, input[i]), INT8_MIN, INT8_MAX);
  }
}

TML_KERNEL void tml_leaky_relu_s16(const tml_leaky_relu_params_t *p, const int16_t *input,
                                   int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] =
        (int16_t)tml_clamp(tml_leaky_relu_element(p, input[i]), INT16_MIN, INT16_MAX);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_LEAKY_RELU_H */
