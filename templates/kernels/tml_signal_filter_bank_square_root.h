/*
 * tml_signal_filter_bank_square_root.h - SignalFilterBankSquareRoot (TFLM signal
 * library): the rounded square root of each uint64 channel, shifted right by the
 * run-time scale_bits (SignalFftAutoScale's output), as uint32. The input is read with
 * memcpy: the arena aligns tensors to 4 bytes, not 8.
 */
#ifndef TML_SIGNAL_FILTER_BANK_SQUARE_ROOT_H
#define TML_SIGNAL_FILTER_BANK_SQUARE_ROOT_H

#include <string.h>

#include "tml_signal_common.h"

TML_KERNEL void tml_signal_filter_bank_square_root(int32_t num_channels, const void *input,
                                                   const int32_t *scale_bits, uint32_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_filter_bank_square_root(int32_t num_channels, const void *input,
                                                   const int32_t *scale_bits, uint32_t *output) {
  int32_t i;
  const int32_t shift = *scale_bits;
  for (i = 0; i < num_channels; ++i) {
    uint64_t x;
    memcpy(&x, (const uint8_t *)input + 8 * i, sizeof x);
    /* A shift of 32 or more is undefined in TFLM's C++: give 0 rather than trap. */
    output[i] = (shift >= 0 && shift < 32) ? tml_signal_sqrt64(x) >> shift : 0u;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_FILTER_BANK_SQUARE_ROOT_H */
