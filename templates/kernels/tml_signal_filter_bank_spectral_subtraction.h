/*
 * tml_signal_filter_bank_spectral_subtraction.h - SignalFilterBankSpectralSubtraction
 * (TFLM signal library): per channel, a low-pass noise estimate (state kept across
 * invokes, zeroed by NAME_reset()) and the signal minus that estimate, floored at
 * min_signal_remaining of the signal. Even channels use `smoothing`, odd ones
 * `alternate_smoothing`. The estimate is copied to the second output.
 */
#ifndef TML_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION_H
#define TML_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION_H

#include "tml_common.h"

typedef struct {
  int32_t num_channels;
  int32_t noise_output_size;  /* elements of the noise estimate output, <= num_channels */
  uint32_t smoothing, one_minus_smoothing;
  uint32_t alternate_smoothing, alternate_one_minus_smoothing;
  uint32_t min_signal_remaining;
  uint32_t smoothing_bits;             /* 0..31 */
  uint32_t spectral_subtraction_bits;  /* 0..63 */
  int32_t clamping;
} tml_signal_spectral_subtraction_params_t;

TML_KERNEL void tml_signal_filter_bank_spectral_subtraction(
    const tml_signal_spectral_subtraction_params_t *p, const uint32_t *input, uint32_t *output,
    uint32_t *noise_output, uint32_t *noise_state);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_filter_bank_spectral_subtraction(
    const tml_signal_spectral_subtraction_params_t *p, const uint32_t *input, uint32_t *output,
    uint32_t *noise_output, uint32_t *noise_state) {
  int32_t i;
  for (i = 0; i < p->num_channels; ++i) {
    const int odd = i & 1;
    const uint32_t a = odd ? p->alternate_smoothing : p->smoothing;
    const uint32_t b = odd ? p->alternate_one_minus_smoothing : p->one_minus_smoothing;
    const uint32_t up = input[i] << p->smoothing_bits;
    uint32_t estimate, floor_value, rest;
    noise_state[i] = (uint32_t)(((uint64_t)up * a + (uint64_t)noise_state[i] * b) >>
                                p->spectral_subtraction_bits);
    estimate = noise_state[i];
    if (estimate > up) {
      estimate = up;
      if (p->clamping) noise_state[i] = estimate;
    }
    floor_value = (uint32_t)(((uint64_t)input[i] * p->min_signal_remaining) >>
                             p->spectral_subtraction_bits);
    rest = (up - estimate) >> p->smoothing_bits;
    output[i] = rest > floor_value ? rest : floor_value;
  }
  for (i = 0; i < p->noise_output_size; ++i) noise_output[i] = noise_state[i];
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION_H */
