/*
 * tml_hard_swish_f32.h - HARD_SWISH on float32, as TFLM's reference float HardSwish:
 * x * std::min(6, std::max(0, x + 3)) / 6, multiplied then divided, NaN in x + 3 taken
 * as 0 by std::max's comparison.
 */
#ifndef TML_HARD_SWISH_F32_H
#define TML_HARD_SWISH_F32_H

#include "tml_float_common.h"

TML_KERNEL void tml_hard_swish_f32(const tml_unary_f32_params_t *p, const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_hard_swish_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    const float v = input[i];
    const float s = v + 3.0f;
    const float lo = (0.0f < s) ? s : 0.0f;
    const float c = (lo < 6.0f) ? lo : 6.0f;
    const float prod = v * c;
    output[i] = prod / 6.0f;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_HARD_SWISH_F32_H */
