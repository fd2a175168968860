/*
 * tml_conv_pw8.h - CONV_2D 1x1 (stride 1, unpadded) over 8 input channels: the small
 * pointwise layers of image models (e.g. VWW's 8 -> 16 expansion at 48 x 48), where the
 * blocked matrix product of tml_conv_gemm.h spends more on each block's set-up and on
 * storing and reloading accumulators than on its 2 groups of taps.
 *
 * One pixel at a time: its 8 input bytes widened once into four 16-bit pair words held in
 * registers, then for each output channel one record of the table: the folded bias, the
 * channel's 8 weights as four int16 pair words matching the input's (SXTB16 order: taps
 * (0, 2), (1, 3), (4, 6), (5, 7)), and its requantization constants. Four dual
 * multiply-accumulates and the short exact requantization per output; on the Cortex-M4
 * (Arm DSP, GCC/Clang optimizing) the channel loop is assembly with two LDMs per channel.
 *
 * Prepared offline (compiler/src/ops/conv_gemm.cc) when every channel's constants prove
 * the short form (tml_fast_common.h) and the activation range is all of int8:
 *   table int32_t[output_c][8]: bias + input_offset * sum(weights), the 4 weight pair
 *         words, the multiplier m in [2^30, 2^31), r = 2^(e-1) + zp 2^e (within int32 for
 *         every input, checked), the right shift e in [1, 30];
 *   y = ssat8((SMMLAR(a, m, r) - (a < 0)) >> e) with a = 2 acc, equal to TFLM's
 *   MultiplyByQuantizedMultiplier(acc, m, -e) + zp, clamped to int8.
 * Layouts: input [pixels][8], output [pixels][output_c] (NHWC).
 *
 * Order contract (in-place execution): pixel by pixel in increasing order; a pixel's 8
 * input bytes are read before any of its outputs is written.
 */
#ifndef TML_CONV_PW8_H
#define TML_CONV_PW8_H

#include "tml_fast_common.h"

typedef struct {
  int32_t pixels;   /* batches * height * width */
  int32_t output_c;
  const int32_t *table; /* [output_c][8], see above */
} tml_conv_pw8_s8_params_t;

TML_KERNEL void tml_conv_pw8_s8(const tml_conv_pw8_s8_params_t *p, const int8_t *input,
                                int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#define TML_CONV_PW8_ASM 1
#else
#define TML_CONV_PW8_ASM 0
#endif

TML_KERNEL void tml_conv_pw8_s8(const tml_conv_pw8_s8_params_t *p, const int8_t *input,
                                int8_t *output) {
  const int32_t oc = p->output_c;
  const int32_t *const table_end = p->table + 8 * oc;
  int32_t pix;
  for (pix = 0; pix < p->pixels; ++pix, input += 8) {
    uint32_t x0, x1, x2, x3;
    const int32_t *t = p->table;
    int8_t *o = output;
    output += oc;
    tml_widen_s8x4(tml_read_s8x4(input), &x0, &x1);
    tml_widen_s8x4(tml_read_s8x4(input + 4), &x2, &x3);
#if TML_CONV_PW8_ASM
    {
      /* LDM wants ascending registers: the record in r8-r12. */
      register int32_t acc __asm__("r8");
      register int32_t w0 __asm__("r9");
      register int32_t w1 __asm__("r10");
      register int32_t w2 __asm__("r11");
      register int32_t w3 __asm__("r12");
      __asm__ __volatile__("1:\n\t"
                           "ldmia %[t]!, {%[acc], %[w0], %[w1], %[w2], %[w3]}\n\t"
                           "smlad %[acc], %[x0], %[w0], %[acc]\n\t"
                           "smlad %[acc], %[x1], %[w1], %[acc]\n\t"
                           "smlad %[acc], %[x2], %[w2], %[acc]\n\t"
                           "smlad %[acc], %[x3], %[w3], %[acc]\n\t"
                           "ldmia %[t]!, {%[w0], %[w1], %[w2]}\n\t"
                           "lsl %[acc], %[acc], #1\n\t"
                           "smmlar %[w3], %[acc], %[w0], %[w1]\n\t"
                           "sub %[w3], %[w3], %[acc], lsr #31\n\t"
                           "asr %[w3], %[w3], %[w2]\n\t"
                           "ssat %[w3], #8, %[w3]\n\t"
                           "strb %[w3], [%[o]], #1\n\t"
                           "cmp %[t], %[end]\n\t"
                           "bne 1b"
                           : [t] "+r"(t), [o] "+r"(o), [acc] "=&r"(acc), [w0] "=&r"(w0),
                             [w1] "=&r"(w1), [w2] "=&r"(w2), [w3] "=&r"(w3)
                           : [x0] "r"(x0), [x1] "r"(x1), [x2] "r"(x2), [x3] "r"(x3),
                             [end] "r"(table_end)
                           : "cc", "memory");
    }
#else
    for (; t != table_end; t += 8) {
      int32_t acc = t[0];
      acc = tml_dot2(x0, (uint32_t)t[1], acc);
      acc = tml_dot2(x1, (uint32_t)t[2], acc);
      acc = tml_dot2(x2, (uint32_t)t[3], acc);
      acc = tml_dot2(x3, (uint32_t)t[4], acc);
      *o++ = tml_fast_output_r(acc, t[5], t[7], t[6]);
    }
#endif
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_PW8_H */
