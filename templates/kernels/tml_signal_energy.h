/*
 * tml_signal_energy.h - SignalEnergy (TFLM signal library): re^2 + im^2 of the complex
 * int16 spectrum bins [start, end), as uint32. Other output elements are not written
 * (as TFLM).
 */
#ifndef TML_SIGNAL_ENERGY_H
#define TML_SIGNAL_ENERGY_H

#include "tml_common.h"

typedef struct {
  int32_t start_index, end_index;
} tml_signal_energy_params_t;

TML_KERNEL void tml_signal_energy(const tml_signal_energy_params_t *p, const int16_t *input,
                                  uint32_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_energy(const tml_signal_energy_params_t *p, const int16_t *input,
                                  uint32_t *output) {
  int32_t i;
  for (i = p->start_index; i < p->end_index; ++i) {
    const int32_t re = input[2 * i], im = input[2 * i + 1];
    /* TFLM sums in int32 (wraps only for two -32768 parts): the same bits in uint32. */
    output[i] = (uint32_t)(re * re) + (uint32_t)(im * im);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_ENERGY_H */
