/*
 * tml_math_f32.h - TFLM's elementwise float32 math: EXP (reference Exp), LOG, SQRT, RSQRT,
 * SQUARE, SIN, COS, ABS (micro elementwise.cc), FLOOR, CEIL (reference Floor/Ceil) and
 * ROUND (reference Round: half to even). Each is the libm call TFLM makes on a float
 * (std::exp(float) is expf, ...), so the results are TFLM's on the same C library.
 * Needs <math.h>.
 */
#ifndef TML_MATH_F32_H
#define TML_MATH_F32_H

#include "tml_float_common.h"

TML_KERNEL void tml_exp_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_log_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_sqrt_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_rsqrt_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_square_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_sin_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_cos_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_abs_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_floor_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_ceil_f32(const tml_unary_f32_params_t *p, const float *input, float *output);
TML_KERNEL void tml_round_f32(const tml_unary_f32_params_t *p, const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

/* One loop per op: output[i] = EXPR(x) with x = input[i]. */
#define TML_MATH_F32_LOOP(EXPR)            \
  int32_t i;                               \
  for (i = 0; i < p->size; ++i) {          \
    const float x = input[i];              \
    output[i] = (EXPR);                    \
  }

TML_KERNEL void tml_exp_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(expf(x))
}

TML_KERNEL void tml_log_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(logf(x))
}

TML_KERNEL void tml_sqrt_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(sqrtf(x))
}

TML_KERNEL void tml_rsqrt_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(1.0f / sqrtf(x))
}

TML_KERNEL void tml_square_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(x * x)
}

TML_KERNEL void tml_sin_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(sinf(x))
}

TML_KERNEL void tml_cos_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(cosf(x))
}

TML_KERNEL void tml_abs_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(fabsf(x))
}

TML_KERNEL void tml_floor_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(floorf(x))
}

TML_KERNEL void tml_ceil_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(ceilf(x))
}

/* Half to even, as TFLM's RoundToNearest: floor(x), plus 1 when the rest is above one half,
 * or exactly one half and floor(x) odd (a rest of one half means |x| < 2^23: the parity
 * is taken only then, on a value an int32_t holds). NaN stays NaN. */
TML_INLINE float tml_round_half_even_f32(float x) {
  const float f = floorf(x);
  const float diff = x - f;
  if (diff < 0.5f || (diff == 0.5f && (int32_t)f % 2 == 0)) return f;
  return f + 1.0f;
}

TML_KERNEL void tml_round_f32(const tml_unary_f32_params_t *p, const float *input, float *output) {
  TML_MATH_F32_LOOP(tml_round_half_even_f32(x))
}

#undef TML_MATH_F32_LOOP

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_MATH_F32_H */
