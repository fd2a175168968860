/*
 * tml_float_common.h - what the float32 kernels (tml_*_f32.h) share.
 *
 * Bit-exactness with TFLM's float reference kernels needs the same operations in the
 * same order, each rounded to float: the C compiler must not contract a * b + c into a
 * fused multiply-add (one rounding instead of two). This file switches contraction off
 * for everything after it in the translation unit: `#pragma STDC FP_CONTRACT OFF` for
 * clang (whose default is to contract within an expression), and the function
 * optimization option fp-contract=off for gcc (whose default in the GNU dialects is
 * -ffp-contract=fast; gcc ignores the STDC pragma). A non-fused multiply-accumulate
 * instruction (Arm VMLA.F32) rounds twice and stays exact. -ffast-math (or
 * -funsafe-math-optimizations, -fassociative-math) lets the compiler reorder sums and
 * breaks exactness: do not build float models with it.
 *
 * The compiler includes these kernels too (C++) to fold constant layers, so the same
 * switch holds there (a host with an FMA unit, e.g. AArch64, would otherwise fold with
 * fused multiply-adds).
 *
 * Where TFLM calls a libm function (expf, tanhf, expm1f) the kernels call the same one
 * from <math.h> (the generated file includes it for such layers).
 */
#ifndef TML_FLOAT_COMMON_H
#define TML_FLOAT_COMMON_H

#include "tml_common.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

/* Parameters of the elementwise unary float kernels. */
typedef struct {
  int32_t size;
} tml_unary_f32_params_t;

/* TFLM's ActivationFunctionWithMinMax: std::min(std::max(x, lo), hi), NaN kept. */
TML_KERNEL float tml_act_f32(float x, float lo, float hi);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL float tml_act_f32(float x, float lo, float hi) {
  const float y = (x < lo) ? lo : x;
  return (hi < y) ? hi : y;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_FLOAT_COMMON_H */
