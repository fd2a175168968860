/*
 * tml_common.h - fixed-point helpers shared by the tinymlc int8 kernels.
 *
 * Every kernel file in templates/kernels is plain C99 that compiles on its own.
 * The emitter copies the files a model needs into the generated NAME.c, where
 * TML_KERNEL is `static inline`; the kernel tests compile them with TML_KERNEL
 * defined empty so that the functions get external linkage.
 *
 * Arithmetic matches TensorFlow Lite Micro's reference kernels (double rounding,
 * i.e. TFLITE_SINGLE_ROUNDING not defined).
 */
#ifndef TML_COMMON_H
#define TML_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifndef TML_KERNEL
#define TML_KERNEL static inline
#endif

/* (a * b * 2) >> 32 with rounding and saturation (gemmlowp's
 * SaturatingRoundingDoublingHighMul). */
TML_KERNEL int32_t tml_sat_rounding_doubling_high_mul(int32_t a, int32_t b);

/* x / 2^exponent, rounding half away from zero (gemmlowp's RoundingDivideByPOT).
 * exponent in [0, 31]. */
TML_KERNEL int32_t tml_rounding_divide_by_pot(int32_t x, int32_t exponent);

/* x * multiplier * 2^shift with TFLM's MultiplyByQuantizedMultiplier rounding.
 * multiplier is Q0.31 in [2^30, 2^31) (or 0); shift in [-31, 30]. */
TML_KERNEL int32_t tml_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                        int32_t shift);

TML_KERNEL int32_t tml_clamp(int32_t v, int32_t lo, int32_t hi);

#endif /* TML_COMMON_H */
