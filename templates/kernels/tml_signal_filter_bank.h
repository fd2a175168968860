/*
 * tml_signal_filter_bank.h - SignalFilterBank (TFLM signal library): triangular mel
 * filters over a uint32 energy spectrum. Channel i (0..num_channels) sums
 * weights[ws + j] * input[fs + j] over its width, plus the previous channel's unweighted
 * sum; channel 0 is scratch and dropped, channels 1..output_size are written (uint64).
 * Products and sums are taken modulo 2^64 with the int16 weights sign-extended, as
 * TFLM's uint64 arithmetic does. The output is written with memcpy: the arena aligns
 * tensors to 4 bytes, not 8.
 */
#ifndef TML_SIGNAL_FILTER_BANK_H
#define TML_SIGNAL_FILTER_BANK_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t num_channels;
  int32_t output_size;  /* <= num_channels */
} tml_signal_filter_bank_params_t;

TML_KERNEL void tml_signal_filter_bank(const tml_signal_filter_bank_params_t *p,
                                       const uint32_t *input, const int16_t *weights,
                                       const int16_t *unweights, const int16_t *freq_starts,
                                       const int16_t *weight_starts, const int16_t *widths,
                                       void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_filter_bank(const tml_signal_filter_bank_params_t *p,
                                       const uint32_t *input, const int16_t *weights,
                                       const int16_t *unweights, const int16_t *freq_starts,
                                       const int16_t *weight_starts, const int16_t *widths,
                                       void *output) {
  uint64_t acc = 0, next = 0;
  int32_t i, j;
  for (i = 0; i <= p->num_channels; ++i) {
    const int32_t fs = freq_starts[i], ws = weight_starts[i];
    for (j = 0; j < widths[i]; ++j) {
      const uint64_t x = input[fs + j];
      acc += (uint64_t)(int64_t)weights[ws + j] * x;
      next += (uint64_t)(int64_t)unweights[ws + j] * x;
    }
    if (i >= 1 && i <= p->output_size) {
      memcpy((uint8_t *)output + 8 * (i - 1), &acc, sizeof acc);
    }
    acc = next;
    next = 0;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_FILTER_BANK_H */
