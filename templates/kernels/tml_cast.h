/*
 * tml_cast.h - CAST as TFLM's cast.cc: each element converted with the C conversion
 * (C++'s static_cast): integer to integer wraps modulo 2^N (two's complement), float to
 * integer truncates toward zero, bool (one byte, 0 or 1) to number gives 0 or 1.
 * A float outside the target integer's range is undefined behaviour in C and C++ alike:
 * TFLM's result then depends on its compiler (scalar truncation or a vectorized,
 * saturating pack), so such values are not bit-exact with TFLM.
 *
 * One function per (input, output) type pair that TFLM runs: tml_cast_<in>_<out> with
 * <in> in s8, s16, s32, f32, b (bool) and <out> in s8, s16, s32, f32; `count` elements.
 */
#ifndef TML_CAST_H
#define TML_CAST_H

#include "tml_common.h"

#ifdef TML_DECLARATIONS_ONLY
#define TML_CAST_FN(NAME, IN_T, OUT_T) \
  TML_KERNEL void NAME(const IN_T *input, OUT_T *output, int32_t count);
#else
#define TML_CAST_FN(NAME, IN_T, OUT_T)                                    \
  TML_KERNEL void NAME(const IN_T *input, OUT_T *output, int32_t count);  \
  TML_KERNEL void NAME(const IN_T *input, OUT_T *output, int32_t count) { \
    int32_t i;                                                            \
    for (i = 0; i < count; ++i) {                                         \
      output[i] = (OUT_T)input[i];                                        \
    }                                                                     \
  }
#endif

#define TML_CAST_FROM(IN, IN_T)                      \
  TML_CAST_FN(tml_cast_##IN##_s8, IN_T, int8_t)      \
  TML_CAST_FN(tml_cast_##IN##_s16, IN_T, int16_t)    \
  TML_CAST_FN(tml_cast_##IN##_s32, IN_T, int32_t)    \
  TML_CAST_FN(tml_cast_##IN##_f32, IN_T, float)

TML_CAST_FROM(s8, int8_t)
TML_CAST_FROM(s16, int16_t)
TML_CAST_FROM(s32, int32_t)
TML_CAST_FROM(f32, float)
TML_CAST_FROM(b, uint8_t)

#undef TML_CAST_FROM
#undef TML_CAST_FN

#endif /* TML_CAST_H */
