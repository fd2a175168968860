/*
 * tml_signal_filter_bank_square_root.h - SignalFilterBankSquareRoot (TFLM signal
 * library): the rounded square root of each uint64 channel, shifted right by the
 * run-time scale_bits (SignalFftAutoScale's output), as uint32.
 */
#ifndef TML_SIGNAL_FILTER_BANK_SQUARE_ROOT_H
#define TML_SIGNAL_FILTER_BANK_SQUARE_ROOT_H

#include "tml_signal_common.h"

TML_KERNEL void tml_signal_filter_bank_square_root(int32_t num_channels, const uint64_t *input,
                                                   const int32_t *scale_bits, uint32_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_filter_bank_square_root(int32_t num_channels, const uint64_t *input,
                                                   const int32_t *scale_bits, uint32_t *output) {
  int32_t i;
  const int32_t shift = *scale_bits;
  for (i = 0; i < num_channels; ++i) {
    /* A shift of 32 or more is undefined in TFLM's C++: give 0 rather than trap. */
    output[i] = (shift >= 0 && shift < 32) ? tml_signal_sqrt64(input[i]) >> shift : 0u;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_FILTER_BANK_SQUARE_ROOT_H */
