/*
 * tml_div_f32.h - float32 DIV with NumPy broadcasting, as TFLM's reference float Div /
 * BroadcastDiv: out = input1 / input2 through the fused activation clamp
 * (tml_binary_f32.h).
 */
#ifndef TML_DIV_F32_H
#define TML_DIV_F32_H

#include "tml_binary_f32.h"

typedef tml_binary_f32_params_t tml_div_f32_params_t;

TML_KERNEL void tml_div_f32(const tml_div_f32_params_t *p, const float *input1,
                           const float *input2, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_div_f32(const tml_div_f32_params_t *p, const float *input1,
                           const float *input2, float *output) {
  TML_BINARY_F32_BODY(/)
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DIV_F32_H */
