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

#if TML_HAVE_MVE
/* Helium: two pixels at a time, 4 channels per step. Each pixel's 8 input bytes widened to
 * int16 by one gather in the table's pair order (0, 2, 1, 3, 4, 6, 5, 7), so that a
 * channel's 4 pair words are one int16x8 vector: one VMLADAVA.S16 per channel and pixel
 * from the folded bias. The 4 channels' sums requantized together (tml_conv_pw8_out4());
 * the last oc % 4 channels one at a time. Both pixels' inputs are read before any of
 * their outputs is written. */

/* y = ((2 acc * m + 2^31) >> 32) + r - (2 acc < 0) (VRMULH: SMMLAR's sum), >> e (VSHL by
 * -e, arithmetic), saturated to int8 by two saturating narrows (32 -> 16 -> 8 bits, into
 * the low byte of each lane), stored. */
TML_ALWAYS_INLINE void tml_conv_pw8_out4(int32x4_t acc, int32x4_t m, int32x4_t r,
                                         int32x4_t neg_e, int8_t *out) {
  const int32x4_t a = vaddq_s32(acc, acc);
  int32x4_t y = vaddq_s32(vrmulhq_s32(a, m), r);
  int16x8_t y16;
  y = vsubq_s32(y, vreinterpretq_s32_u32(vshrq_n_u32(vreinterpretq_u32_s32(a), 31)));
  y = vshlq_s32(y, neg_e);
  y16 = vqmovnbq_s32(vuninitializedq_s16(), y);
  vstrbq_s32(out, vreinterpretq_s32_s8(vqmovnbq_s16(vuninitializedq_s8(), y16)));
}

TML_KERNEL void tml_conv_pw8_s8(const tml_conv_pw8_s8_params_t *p, const int8_t *input,
                                int8_t *output) {
  static const uint16_t order[8] = {0, 2, 1, 3, 4, 6, 5, 7};
  const uint16x8_t offs = vld1q_u16(order);
  const uint32x4_t rec = vidupq_n_u32(0u, 8); /* word offsets of 4 records */
  const int32_t oc = p->output_c, npix = p->pixels;
  int32_t pix;
  for (pix = 0; pix < npix; pix += 2) {
    const int32_t next = pix + 1 < npix ? 1 : 0;
    const int16x8_t xa = vldrbq_gather_offset_s16(input + 8 * pix, offs);
    const int16x8_t xb = vldrbq_gather_offset_s16(input + 8 * (pix + next), offs);
    int8_t *const oa = output + oc * pix, *const ob = output + oc * (pix + next);
    const int32_t *t = p->table;
    int32_t c;
    for (c = 0; c + 4 <= oc; c += 4, t += 32) {
      const int16x8_t w0 = vldrhq_s16((const int16_t *)(const void *)(t + 1));
      const int16x8_t w1 = vldrhq_s16((const int16_t *)(const void *)(t + 9));
      const int16x8_t w2 = vldrhq_s16((const int16_t *)(const void *)(t + 17));
      const int16x8_t w3 = vldrhq_s16((const int16_t *)(const void *)(t + 25));
      int32x4_t va = vdupq_n_s32(vmladavaq_s16(t[0], xa, w0));
      int32x4_t vb = vdupq_n_s32(vmladavaq_s16(t[0], xb, w0));
      const int32x4_t m = vldrwq_gather_shifted_offset_s32(t + 5, rec);
      const int32x4_t r = vldrwq_gather_shifted_offset_s32(t + 6, rec);
      const int32x4_t neg_e = vnegq_s32(vldrwq_gather_shifted_offset_s32(t + 7, rec));
      va = vsetq_lane_s32(vmladavaq_s16(t[8], xa, w1), va, 1);
      vb = vsetq_lane_s32(vmladavaq_s16(t[8], xb, w1), vb, 1);
      va = vsetq_lane_s32(vmladavaq_s16(t[16], xa, w2), va, 2);
      vb = vsetq_lane_s32(vmladavaq_s16(t[16], xb, w2), vb, 2);
      va = vsetq_lane_s32(vmladavaq_s16(t[24], xa, w3), va, 3);
      vb = vsetq_lane_s32(vmladavaq_s16(t[24], xb, w3), vb, 3);
      tml_conv_pw8_out4(va, m, r, neg_e, oa + c);
      tml_conv_pw8_out4(vb, m, r, neg_e, ob + c);
    }
    for (; c < oc; ++c, t += 8) {
      const int16x8_t wc = vldrhq_s16((const int16_t *)(const void *)(t + 1));
      const int32_t a = vmladavaq_s16(t[0], xa, wc), b = vmladavaq_s16(t[0], xb, wc);
      oa[c] = tml_fast_output_r(a, t[5], t[7], t[6]);
      ob[c] = tml_fast_output_r(b, t[5], t[7], t[6]);
    }
  }
}
#else
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
      /* One output channel; four per loop step when output_c is a multiple of 4 (one
       * compare and branch for four; speed paths only). */
#define TML_CONV_PW8_CHANNEL                                                                   \
  "ldmia %[t]!, {%[acc], %[w0], %[w1], %[w2], %[w3]}\n\t"                                      \
  "smlad %[acc], %[x0], %[w0], %[acc]\n\t"                                                     \
  "smlad %[acc], %[x1], %[w1], %[acc]\n\t"                                                     \
  "smlad %[acc], %[x2], %[w2], %[acc]\n\t"                                                     \
  "smlad %[acc], %[x3], %[w3], %[acc]\n\t"                                                     \
  "ldmia %[t]!, {%[w0], %[w1], %[w2]}\n\t"                                                     \
  "lsl %[acc], %[acc], #1\n\t"                                                                 \
  "smmlar %[w3], %[acc], %[w0], %[w1]\n\t"                                                     \
  "sub %[w3], %[w3], %[acc], lsr #31\n\t"                                                      \
  "asr %[w3], %[w3], %[w2]\n\t"                                                                \
  "ssat %[w3], #8, %[w3]\n\t"                                                                  \
  "strb %[w3], [%[o]], #1\n\t"
#if TML_SPEED_PATHS
#define TML_CONV_PW8_BY4                                                                       \
  "tst %[oc], #3\n\t"                                                                          \
  "bne 2f\n"                                                                                   \
  "1:\n\t" TML_CONV_PW8_CHANNEL TML_CONV_PW8_CHANNEL TML_CONV_PW8_CHANNEL TML_CONV_PW8_CHANNEL \
  "cmp %[t], %[end]\n\t"                                                                       \
  "bne 1b\n\t"                                                                                 \
  "b 3f\n"
#else
#define TML_CONV_PW8_BY4
#endif
      __asm__ __volatile__(TML_CONV_PW8_BY4
                           "2:\n\t"
                           TML_CONV_PW8_CHANNEL
                           "cmp %[t], %[end]\n\t"
                           "bne 2b\n"
                           "3:"
                           : [t] "+r"(t), [o] "+r"(o), [acc] "=&r"(acc), [w0] "=&r"(w0),
                             [w1] "=&r"(w1), [w2] "=&r"(w2), [w3] "=&r"(w3)
                           : [x0] "r"(x0), [x1] "r"(x1), [x2] "r"(x2), [x3] "r"(x3),
                             [end] "r"(table_end), [oc] "r"(oc)
                           : "cc", "memory");
#undef TML_CONV_PW8_CHANNEL
#undef TML_CONV_PW8_BY4
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
#endif /* TML_HAVE_MVE */

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CONV_PW8_H */
