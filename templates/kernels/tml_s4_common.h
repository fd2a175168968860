/*
 * tml_s4_common.h - helpers of the int4-weight kernels (tml_conv_2d_s4.h,
 * tml_depthwise_conv_2d_s4.h, tml_fully_connected_s4.h).
 *
 * Packed int4 (TFLite INT4, TFLM's UnpackDenseInt4IntoInt8 order): element 2i sits in
 * the low nibble of byte i, element 2i + 1 in its high nibble, both two's complement in
 * [-8, 7]; a tensor with an odd count leaves the last high nibble unused. The weights
 * stay packed in flash; a kernel unpacks the part it is about to use (one output
 * channel's row, or a block of depthwise channels) into a small scratch buffer and runs
 * an int8 dot product over it.
 *
 * tml_s4_dot(): sum over i < n of w[i] * (x[i] + input_offset) plus acc; with the Arm
 * DSP instructions (SXTAB16 adds the offset while widening the input, SMLAD), with
 * Helium (8 taps per VMLADAVA, widened by the loads), or in portable C. Ranges: x and
 * w int8 (w within [-16, 15] here), input_offset in [-127, 128]: every path computes
 * the same int32 sum as long as it does not overflow (TFLM's 32-bit accumulator).
 */
#ifndef TML_S4_COMMON_H
#define TML_S4_COMMON_H

#include "tml_fast_common.h"

/* dst[i] = element (first + i) of the packed tensor + offset, for i < n (offset in
 * [-8, 8]: the sum stays within int8). */
TML_KERNEL void tml_s4_unpack(const int8_t *packed, int32_t first, int32_t n, int32_t offset,
                              int8_t *dst);

TML_KERNEL int32_t tml_s4_dot(const int8_t *x, const int8_t *w, int32_t n, int32_t input_offset,
                              int32_t acc);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_s4_unpack(const int8_t *packed, int32_t first, int32_t n, int32_t offset,
                              int8_t *dst) {
  const uint8_t *src = (const uint8_t *)packed + (first >> 1);
  int32_t i = 0;
  if ((first & 1) != 0 && n > 0) {
    dst[0] = (int8_t)((int32_t)((uint32_t)(*src++ >> 4) ^ 8u) - 8 + offset);
    i = 1;
  }
  for (; i + 1 < n; i += 2) {
    const uint32_t b = *src++;
    dst[i] = (int8_t)((int32_t)((b & 15u) ^ 8u) - 8 + offset);
    dst[i + 1] = (int8_t)((int32_t)((b >> 4) ^ 8u) - 8 + offset);
  }
  if (i < n) {
    dst[i] = (int8_t)((int32_t)((*src & 15u) ^ 8u) - 8 + offset);
  }
}

TML_KERNEL int32_t tml_s4_dot(const int8_t *x, const int8_t *w, int32_t n, int32_t input_offset,
                              int32_t acc) {
  int32_t i;
#if TML_HAVE_MVE
  const int16_t off = (int16_t)input_offset;
  for (i = 0; i < n; i += 8) {
    const mve_pred16_t p = vctp16q((uint32_t)(n - i));
    const int16x8_t vx = vaddq_x_n_s16(vldrbq_z_s16(x + i, p), off, p);
    acc = vmladavaq_p_s16(acc, vx, vldrbq_z_s16(w + i, p), p);
  }
#else
  i = 0;
#if TML_HAVE_DSP
  {
    const int32_t off2 = (int32_t)(((uint32_t)(uint16_t)(int16_t)input_offset) * 0x10001u);
    for (; i + 4 <= n; i += 4) {
      const uint32_t xv = tml_read_s8x4(x + i);
      uint32_t we, wo;
      tml_widen_s8x4(tml_read_s8x4(w + i), &we, &wo);
      acc = __smlad(__sxtab16(off2, (int32_t)xv), (int32_t)we, acc);
      acc = __smlad(__sxtab16(off2, (int32_t)((xv >> 8) | (xv << 24))), (int32_t)wo, acc);
    }
  }
#endif
  for (; i < n; ++i) {
    acc += (int32_t)w[i] * ((int32_t)x[i] + input_offset);
  }
#endif
  return acc;
}

/* dst[i] = element (first + i) of the packed tensor as int16, for i < n; dst[n] = 0 when
 * n is odd (so that the row is a whole number of int16 pairs). */
TML_INLINE void tml_s4_unpack16(const int8_t *packed, int32_t first, int32_t n, int16_t *dst) {
  const uint8_t *src = (const uint8_t *)packed + (first >> 1);
  int32_t i = 0;
  if ((first & 1) != 0 && n > 0) {
    dst[0] = (int16_t)((int32_t)((uint32_t)(*src++ >> 4) ^ 8u) - 8);
    i = 1;
  }
  for (; i + 1 < n; i += 2) {
    const uint32_t b = *src++;
    dst[i] = (int16_t)((int32_t)((b & 15u) ^ 8u) - 8);
    dst[i + 1] = (int16_t)((int32_t)((b >> 4) ^ 8u) - 8);
  }
  if (i < n) {
    dst[i] = (int16_t)((int32_t)((*src & 15u) ^ 8u) - 8);
  }
  if ((n & 1) != 0) {
    dst[n] = 0;
  }
}

/* The sums over i < 2 * pairs of w[i] * x0[i] and w[i] * x1[i] (two columns against one
 * row, int16 values whose products and sums stay within int32) added to acc[0], acc[1]. */
TML_INLINE void tml_s4_dot16x2(const int16_t *w, const int16_t *x0, const int16_t *x1,
                               int32_t pairs, int32_t *acc) {
  int32_t a0 = acc[0], a1 = acc[1];
  int32_t i;
#if TML_HAVE_MVE
  const int32_t n = 2 * pairs;
  for (i = 0; i < n; i += 8) {
    const mve_pred16_t p = vctp16q((uint32_t)(n - i));
    const int16x8_t vw = vldrhq_z_s16(w + i, p);
    a0 = vmladavaq_p_s16(a0, vldrhq_z_s16(x0 + i, p), vw, p);
    a1 = vmladavaq_p_s16(a1, vldrhq_z_s16(x1 + i, p), vw, p);
  }
#elif TML_HAVE_DSP
  for (i = 0; i < pairs; ++i) {
    uint32_t wv, v0, v1;
    memcpy(&wv, w + 2 * i, 4);
    memcpy(&v0, x0 + 2 * i, 4);
    memcpy(&v1, x1 + 2 * i, 4);
    a0 = __smlad((int32_t)v0, (int32_t)wv, a0);
    a1 = __smlad((int32_t)v1, (int32_t)wv, a1);
  }
#else
  for (i = 0; i < 2 * pairs; ++i) {
    a0 += (int32_t)w[i] * x0[i];
    a1 += (int32_t)w[i] * x1[i];
  }
#endif
  acc[0] = a0;
  acc[1] = a1;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_S4_COMMON_H */
