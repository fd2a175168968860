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
 *
 * Defining TML_DECLARATIONS_ONLY before including any kernel header keeps only the
 * types and prototypes (used by the C++ kernel tests, which link the C definitions
 * from a separately compiled library).
 *
 * Integer conventions: `>>` on negative values is assumed to be arithmetic and
 * conversions of out-of-range unsigned values to int32_t are assumed to wrap (both
 * implementation-defined, true for gcc/clang on every supported target). Places where
 * TFLM lets int32 arithmetic wrap on purpose use unsigned arithmetic here so that no
 * signed overflow (undefined behaviour) occurs.
 */
#ifndef TML_COMMON_H
#define TML_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifndef TML_KERNEL
#if defined(__GNUC__) || defined(__clang__)
/* A model uses only some functions of a kernel file: unused ones are not an error. */
#define TML_KERNEL static inline __attribute__((unused))
#else
#define TML_KERNEL static inline
#endif
#endif

/* A kernel's internal helpers (file-local, whatever TML_KERNEL is): not an error when a
 * model leaves them unused. */
#ifndef TML_HELPER
#if defined(__GNUC__) || defined(__clang__)
#define TML_HELPER static __attribute__((unused))
#define TML_INLINE static inline __attribute__((unused))
#else
#define TML_HELPER static
#define TML_INLINE static inline
#endif
#endif

/* Code paths of a kernel that a model may not need (TML_OPT_* switches). A generated
 * model defines TML_OPTIONS_SELECTED and sets to 1 exactly the switches its layers use
 * (LayerCode::options, compiler/src/ops), so that the other paths are not compiled;
 * elsewhere (kernel tests, hand-written callers) every path is compiled. A kernel
 * declares a switch with
 *   #ifndef TML_OPT_X
 *   #define TML_OPT_X TML_OPTION_DEFAULT
 *   #endif
 * and a path it leaves out is one no layer of the model can reach. */
#ifdef TML_OPTIONS_SELECTED
#define TML_OPTION_DEFAULT 0
#else
#define TML_OPTION_DEFAULT 1
#endif

/* TML_SPEED_PATHS: 1 compiles the kernels' fast paths that cost flash (wider blocks,
 * unrolled loops), 0 their small paths. `tinymlc compile --optimize speed|size` sets it;
 * by default (balanced) it follows the C compiler: 0 when it optimizes for size (-Os). */
#ifndef TML_SPEED_PATHS
#if defined(__OPTIMIZE_SIZE__)
#define TML_SPEED_PATHS 0
#else
#define TML_SPEED_PATHS 1
#endif
#endif

/* Always inlined: a body written once and specialized on constant arguments. */
#if defined(__GNUC__) || defined(__clang__)
#define TML_ALWAYS_INLINE static inline __attribute__((always_inline, unused))
#else
#define TML_ALWAYS_INLINE static inline
#endif

/* (a * b * 2) >> 32 with rounding and saturation (gemmlowp's
 * SaturatingRoundingDoublingHighMul). */
TML_KERNEL int32_t tml_sat_rounding_doubling_high_mul(int32_t a, int32_t b);

/* x / 2^exponent, rounding half away from zero (gemmlowp's RoundingDivideByPOT).
 * exponent in [0, 31]. */
TML_KERNEL int32_t tml_rounding_divide_by_pot(int32_t x, int32_t exponent);

/* x * multiplier * 2^shift with TFLM's MultiplyByQuantizedMultiplier rounding.
 * multiplier is Q0.31 in [2^30, 2^31) (or 0); shift >= -31 (TFLM's range is [-31, 30];
 * a larger left shift, which only a hostile model's scales give, wraps like TFLM's int32
 * product). */
TML_KERNEL int32_t tml_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                        int32_t shift);

TML_KERNEL int32_t tml_clamp(int32_t v, int32_t lo, int32_t hi);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_sat_rounding_doubling_high_mul(int32_t a, int32_t b) {
  int64_t product;
  int64_t nudge;
  /* The only product that does not fit: (-1) * (-1) = +1 in Q0.31. */
  if (a == INT32_MIN && b == INT32_MIN) {
    return INT32_MAX;
  }
  product = (int64_t)a * (int64_t)b;
  /* Round half away from zero; C99 division truncates toward zero. */
  nudge = product >= 0 ? ((int64_t)1 << 30) : (int64_t)1 - ((int64_t)1 << 30);
  return (int32_t)((product + nudge) / ((int64_t)1 << 31));
}

TML_KERNEL int32_t tml_rounding_divide_by_pot(int32_t x, int32_t exponent) {
  const int32_t mask = (int32_t)(((uint32_t)1 << exponent) - 1u);
  const int32_t remainder = x & mask;
  /* Ties go up for x >= 0 and down for x < 0, i.e. away from zero. */
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

TML_KERNEL int32_t tml_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                        int32_t shift) {
  const int32_t left_shift = shift > 0 ? shift : 0;
  const int32_t right_shift = shift > 0 ? 0 : -shift;
  /* TFLM computes x * (1 << left_shift) in int32 and lets it wrap: x * 2^left_shift
   * modulo 2^32, which is 0 from 32 on (only a hostile model's scales ask for that). */
  const int32_t shifted = left_shift >= 32 ? 0 : (int32_t)((uint32_t)x << left_shift);
  return tml_rounding_divide_by_pot(tml_sat_rounding_doubling_high_mul(shifted, multiplier),
                                    right_shift);
}

TML_KERNEL int32_t tml_clamp(int32_t v, int32_t lo, int32_t hi) {
  if (v < lo) {
    v = lo;
  }
  if (v > hi) {
    v = hi;
  }
  return v;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_COMMON_H */
