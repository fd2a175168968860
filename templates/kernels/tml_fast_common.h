/*
 * tml_fast_common.h - helpers of the fast int8 kernels (tml_conv_gemm.h,
 * tml_depthwise_fast.h): 16-bit pair arithmetic with Arm DSP instructions where the
 * target has them (__ARM_FEATURE_DSP: Cortex-M4/M7/M33/M55...) and the same results in
 * portable C elsewhere, and a short form of TFLM's requantization.
 *
 * Packed pairs: a uint32_t holds two int16 values, element 0 in bits 0-15 ("lo") and
 * element 1 in bits 16-31 ("hi"). tml_widen_s8x4() turns 4 int8 bytes b0..b3 (little
 * endian word) into the pairs (b0, b2) and (b1, b3), what SXTB16 and SXTB16 ROR #8 give.
 * Weights stay int8 in flash: the compiler stores 4 consecutive taps of a row as one
 * word, so widening weights and inputs the same way pairs every tap with its input and a
 * dot product needs no PKHBT shuffling (the CMSIS-NN "reordered" trick).
 *
 * Short requantization. For an accumulator acc, Q0.31 multiplier m in [2^30, 2^31)
 * and TFLM shift s = l - e (left shift l >= 0, right shift e >= 1, never both):
 *   TFLM: y = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc * 2^l, m), e)
 *   here: a = acc * 2  (l = 0: layers with a left shift keep TFLM's form; the kernel
 *                       doubles the accumulator, weights and bias stay as they are)
 *         y = (((a * m + 2^31) >> 32) + 2^(e-1) - (a < 0)) >> e
 * Equal for every acc, because (1) with m > 0 the high multiply never saturates and its
 * "round half away from zero" nudge reduces to floor((p + 2^30) / 2^31) for any product
 * p (the -1 in gemmlowp's negative nudge cancels the truncation toward zero), which is
 * (2p + 2^31) >> 32; (2) RoundingDivideByPOT(x, e) = (x + 2^(e-1) - (x < 0)) >> e for
 * e >= 1, and x < 0 may be replaced by a < 0 (they differ only when x = 0, where both
 * give the same quotient). Preconditions, checked by the compiler for each layer from
 * the constant weights and bias: |a| < 2^31 and |x| + 2^(e-1) < 2^31 for every input.
 * Channels that miss them use TFLM's arithmetic as written (tml_fast_output()).
 */
#ifndef TML_FAST_COMMON_H
#define TML_FAST_COMMON_H

#include <stdint.h>
#include <string.h>

#include "tml_common.h"

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define TML_HAVE_DSP 1
#else
#define TML_HAVE_DSP 0
#endif

/* Helium (M-profile vector extension, integer part: Cortex-M55/M85). The fast kernels
 * take their MVE paths there; the scalar helpers below still use the DSP instructions,
 * which every MVE core has. */
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TML_HAVE_MVE 1
#else
#define TML_HAVE_MVE 0
#endif

/* Four int8 at p (any alignment) as a little-endian word. */
TML_INLINE uint32_t tml_read_s8x4(const int8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Pairs (b0, b2) and (b1, b3) of the bytes of w, each sign-extended. */
TML_INLINE void tml_widen_s8x4(uint32_t w, uint32_t *even, uint32_t *odd) {
#if TML_HAVE_DSP
  *even = (uint32_t)__sxtb16((int32_t)w);
#if defined(__GNUC__) || defined(__clang__)
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(*odd) : "r"(w));
#else
  *odd = (uint32_t)__sxtb16((int32_t)((w >> 8) | (w << 24)));
#endif
#else
  *even = ((w & 0x80u) ? 0xFF00u : 0u) | (w & 0xFFu) |
          (((w >> 16) & 0xFFu) << 16) | ((w & 0x800000u) ? 0xFF000000u : 0u);
  w >>= 8;
  *odd = ((w & 0x80u) ? 0xFF00u : 0u) | (w & 0xFFu) |
         (((w >> 16) & 0xFFu) << 16) | ((w & 0x800000u) ? 0xFF000000u : 0u);
#endif
}

TML_INLINE int32_t tml_pair_lo(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v & 0xFFFFu); }
TML_INLINE int32_t tml_pair_hi(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v >> 16); }

/* acc + x.lo * w.lo + x.hi * w.hi (SMLAD). */
TML_INLINE int32_t tml_dot2(uint32_t x, uint32_t w, int32_t acc) {
#if TML_HAVE_DSP
  return __smlad((int32_t)x, (int32_t)w, acc);
#else
  return acc + tml_pair_lo(x) * tml_pair_lo(w) + tml_pair_hi(x) * tml_pair_hi(w);
#endif
}

/* round + ((a * m + 2^31) >> 32) (SMMLAR). */
TML_INLINE int32_t tml_mul_high_round_add(int32_t a, int32_t m, int32_t round) {
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__))
  int32_t r;
  __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(m), "r"(round));
  return r;
#else
  return (int32_t)(((int64_t)a * m + (int64_t)round * 4294967296LL + 2147483648LL) >> 32);
#endif
}

/* One output in the short form with the output zero point folded into the rounding
 * constant, for a layer whose activation range is all of int8: r = 2^(e-1) + zp 2^e
 * (within int32 for every input, checked by the compiler), so that
 * ((x + 2^(e-1) - (a < 0)) >> e) + zp = (x + r - (a < 0)) >> e with a = 2 acc and
 * x = tml_mul_high_round_add(a, m, 0). Used by tml_conv_gemm.h (fold_zp layers) and
 * tml_conv_pw8.h. */
TML_INLINE int8_t tml_fast_output_r(int32_t acc, int32_t m, int32_t e, int32_t r) {
  const int32_t a = (int32_t)((uint32_t)acc << 1);
  const int32_t y = (tml_mul_high_round_add(a, m, r) - (int32_t)((uint32_t)a >> 31)) >> e;
#if TML_HAVE_DSP
  return (int8_t)__builtin_arm_ssat(y, 8);
#else
  return (int8_t)(y < -128 ? -128 : y > 127 ? 127 : y);
#endif
}

/* tml_requant_short(): a = 2 * acc, m the multiplier, e >= 1 the right shift; adds the
 * output zero point zp and clamps. */
TML_INLINE int32_t tml_requant_short(int32_t a, int32_t m, int32_t e, int32_t zp,
                                        int32_t act_min, int32_t act_max) {
  int32_t y = tml_mul_high_round_add(a, m, (int32_t)((uint32_t)1 << (e - 1)));
  y = ((y - (int32_t)((uint32_t)a >> 31)) >> e) + zp;
#if TML_HAVE_DSP
  if (act_min == -128 && act_max == 127) {
    /* The builtin, not ACLE's __ssat macro: GCC's macro converts an unsigned result to
     * int32_t inside its own body, which -Wsign-conversion reports. */
    return (int32_t)__builtin_arm_ssat(y, 8);
  }
#endif
  y = y < act_min ? act_min : y;
  return y > act_max ? act_max : y;
}

/* The output of a fast kernel for one channel. shift >= 1: the short form on a = 2 acc
 * (shift the right shift e); shift < -32: TFLM's MultiplyByQuantizedMultiplier on acc
 * with shift + 64 (channels whose bounds do not allow the short form). */
#if defined(__GNUC__) || defined(__clang__)
#define TML_FAST_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TML_FAST_NOINLINE __attribute__((noinline, unused))
#else
#define TML_FAST_UNLIKELY(x) (x)
#define TML_FAST_NOINLINE
#endif

/* TFLM's requantization as written (channels without the short form): out of line, so
 * that the common path stays small where the kernels inline it. */
TML_HELPER TML_FAST_NOINLINE int8_t tml_fast_output_tflm(int32_t acc, int32_t m, int32_t shift,
                                                     int32_t zp, int32_t act_min,
                                                     int32_t act_max) {
  return (int8_t)tml_clamp(tml_multiply_by_quantized_multiplier(acc, m, shift + 64) + zp,
                           act_min, act_max);
}

/* TML_OPT_FAST_TFLM: some channel of some fast layer uses TFLM's arithmetic as written
 * (shift < -32); without it the short form is the only one. */
#ifndef TML_OPT_FAST_TFLM
#define TML_OPT_FAST_TFLM TML_OPTION_DEFAULT
#endif

TML_INLINE int8_t tml_fast_output(int32_t acc, int32_t m, int32_t shift, int32_t zp,
                                     int32_t act_min, int32_t act_max) {
#if TML_OPT_FAST_TFLM
  if (TML_FAST_UNLIKELY(shift < -32)) {
    return tml_fast_output_tflm(acc, m, shift, zp, act_min, act_max);
  }
#endif
  return (int8_t)tml_requant_short((int32_t)((uint32_t)acc << 1), m, shift, zp, act_min,
                                   act_max);
}

#if TML_HAVE_MVE
/* tml_fast_output() of 4 channels at once, stored to the out[i] whose lane is active in
 * `store` (vctp32q(n): the first n): TFLM's
 * MultiplyByQuantizedMultiplier as written, in vector form (the short form equals it):
 *   x = acc << left                         (VSHL: wraps, as TFLM's x * 2^left does)
 *   x = SaturatingRoundingDoublingHighMul   (VQRDMULH: the same value for every input,
 *                                            see the short form's proof above)
 *   x = RoundingDivideByPOT(x, right)       (x - 1 for negative x, saturating, then the
 *                                            round-half-up VRSHL by -right)
 * m: multipliers; enc: shifts as tml_fast_output() takes them (e >= 1: right shift e;
 * below -32: TFLM's shift + 64). */
/* RoundingDivideByPOT(x, -neg_right) per lane, neg_right in [-31, 0]: x - 1 for negative x
 * (saturating) when neg_right < 0, then the round-half-up VRSHL by neg_right. */
TML_INLINE int32x4_t tml_mve_rounding_divide(int32x4_t x, int32x4_t neg_right) {
  x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, neg_right), 31));
  return vrshlq_s32(x, neg_right);
}

TML_INLINE void tml_mve_output4(int32x4_t acc, int32x4_t m, int32x4_t enc, int32_t zp,
                                int32_t act_min, int32_t act_max, int8_t *out,
                                mve_pred16_t store) {
  int32x4_t x;
#if TML_OPT_FAST_TFLM
  const int32x4_t s = vpselq_s32(vaddq_n_s32(enc, 64), vnegq_s32(enc), vcmpltq_n_s32(enc, -32));
  const int32x4_t neg_right = vminq_s32(s, vdupq_n_s32(0));
  x = vqrdmulhq_s32(vshlq_s32(acc, vmaxq_s32(s, vdupq_n_s32(0))), m);
  x = tml_mve_rounding_divide(x, neg_right);
#else
  /* Every shift is a right shift e >= 1 here: the x - 1 for negative x needs no mask. */
  x = vqrdmulhq_s32(acc, m);
  x = vrshlq_s32(vqaddq_s32(x, vshrq_n_s32(x, 31)), vnegq_s32(enc));
#endif
  x = vaddq_n_s32(x, zp);
  x = vminq_s32(vmaxq_s32(x, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
  vstrbq_p_s32(out, x, store);
}
#endif

#endif /* TML_FAST_COMMON_H */
