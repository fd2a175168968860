/*
 * tml_signal_pcan.h - SignalPCAN (TFLM signal library): per-channel automatic gain
 * control. The gain is a piecewise-quadratic function of the channel's noise estimate
 * read from gain_lut (4 entries per bit of the estimate; 125 entries cover uint32);
 * snr = (input * gain) >> snr_shift with 12 fractional bits, then shrunk to 6 fractional
 * bits (x^2 / 4 below 2, x - 1 above).
 */
#ifndef TML_SIGNAL_PCAN_H
#define TML_SIGNAL_PCAN_H

#include "tml_signal_common.h"

typedef struct {
  int32_t num_channels;
  int32_t snr_shift;  /* 0..63 */
} tml_signal_pcan_params_t;

TML_KERNEL void tml_signal_pcan(const tml_signal_pcan_params_t *p, const uint32_t *input,
                                const uint32_t *noise_estimate, const int16_t *gain_lut,
                                uint32_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_HELPER int16_t tml_signal_pcan_gain(uint32_t x, const int16_t *lut) {
  int32_t bits, frac, r;
  if (x <= 2) return lut[x];
  bits = (int32_t)tml_signal_msb32(x);
  lut += 4 * bits - 6;
  frac = (int32_t)(int16_t)(((bits < 11) ? (x << (11 - bits)) : (x >> (bits - 11))) & 0x3FFu);
  r = ((int32_t)lut[2] * frac) >> 5;
  r += (int32_t)((uint32_t)lut[1] << 5);
  r = (int32_t)((uint32_t)r * (uint32_t)frac);  /* TFLM's int32 product, wrapping */
  r = (int32_t)((uint32_t)r + (1u << 14)) >> 15;
  r += lut[0];
  return (int16_t)r;
}

TML_HELPER uint32_t tml_signal_pcan_shrink(uint32_t x) {
  if (x < (2u << 12)) return (x * x) >> (2 + 2 * 12 - 6);
  return (x >> (12 - 6)) - (1u << 6);
}

TML_KERNEL void tml_signal_pcan(const tml_signal_pcan_params_t *p, const uint32_t *input,
                                const uint32_t *noise_estimate, const int16_t *gain_lut,
                                uint32_t *output) {
  int32_t i;
  for (i = 0; i < p->num_channels; ++i) {
    const uint32_t gain = (uint32_t)(int32_t)tml_signal_pcan_gain(noise_estimate[i], gain_lut);
    const uint32_t snr = (uint32_t)(((uint64_t)input[i] * gain) >> p->snr_shift);
    output[i] = tml_signal_pcan_shrink(snr);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_PCAN_H */
