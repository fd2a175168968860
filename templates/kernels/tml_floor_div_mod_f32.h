/*
 * tml_floor_div_mod_f32.h - FLOOR_DIV and FLOOR_MOD of two float32 tensors with
 * broadcasting (tml_broadcast.h), as TFLM's reference FloorDiv / FloorMod:
 * floor_div: (float)floor((double)a / (double)b) (the quotient in double, as TFLM);
 * floor_mod: m = fmodf(a, b); m + b when m != 0 and m and b differ in sign, else m.
 * TFLM fails FLOOR_DIV's invoke when any divisor element is 0 (or -0), before computing:
 * tml_floor_div_has_zero(input2, count) returns 1 then, and the generated code returns
 * an error from NAME_invoke() (the compiler refuses a constant divisor holding 0).
 */
#ifndef TML_FLOOR_DIV_MOD_F32_H
#define TML_FLOOR_DIV_MOD_F32_H

#include <math.h>

#include "tml_broadcast.h"
#include "tml_float_common.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t is_mod; /* 1: FLOOR_MOD, 0: FLOOR_DIV */
} tml_floor_div_mod_f32_params_t;

TML_KERNEL void tml_floor_div_mod_f32(const tml_floor_div_mod_f32_params_t *p,
                                      const float *input1, const float *input2, float *output);
TML_KERNEL int32_t tml_floor_div_has_zero(const float *input2, int32_t count);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_floor_div_has_zero(const float *input2, int32_t count) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    if (input2[i] == 0.0f) {
      return 1;
    }
  }
  return 0;
}

TML_KERNEL void tml_floor_div_mod_f32(const tml_floor_div_mod_f32_params_t *p,
                                      const float *input1, const float *input2, float *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const float *a = input1 + it.offset1;
    const float *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const float x = a[i * step1];
      const float y = b[i * step2];
      if (p->is_mod) {
        const float m = fmodf(x, y);
        output[i] = (m != 0.0f && ((y < 0.0f) != (m < 0.0f))) ? m + y : m;
      } else {
        output[i] = (float)floor((double)x / (double)y);
      }
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_FLOOR_DIV_MOD_F32_H */
