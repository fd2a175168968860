/*
 * tml_signal_fft_auto_scale.h - SignalFftAutoScale (TFLM signal library): shifts an int16
 * frame left by the most bits that keep its largest magnitude within int16 and returns
 * that count. As TFLM's MaxAbs16: the running maximum is an int16, so -(-32768) wraps to
 * -32768 (and a later sample may replace it); MostSignificantBit32(0) is 32, so an
 * all-zero (or wrapped) frame gets 0 bits.
 */
#ifndef TML_SIGNAL_FFT_AUTO_SCALE_H
#define TML_SIGNAL_FFT_AUTO_SCALE_H

#include "tml_signal_common.h"

TML_KERNEL void tml_signal_fft_auto_scale(int32_t size, const int16_t *input, int16_t *output,
                                          int32_t *scale_bits);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_fft_auto_scale(int32_t size, const int16_t *input, int16_t *output,
                                          int32_t *scale_bits) {
  int16_t max = 0;
  int32_t i, bits;
  for (i = 0; i < size; ++i) {
    const int16_t v = input[i];
    if (v > max) {
      max = v;
    } else if (-v > max) {
      max = (int16_t)(-v);
    }
  }
  bits = 16 - (int32_t)tml_signal_msb32((uint32_t)(int32_t)max) - 1;
  if (bits < 0) bits = 0;
  for (i = 0; i < size; ++i) output[i] = (int16_t)(input[i] * (1 << bits));
  *scale_bits = bits;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_FFT_AUTO_SCALE_H */
