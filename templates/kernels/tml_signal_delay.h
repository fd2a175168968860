/*
 * tml_signal_delay.h - SignalDelay (TFLM signal library): each row of the int16 input
 * (its last dimension, frame_size samples) comes out delay_length samples later. The
 * state holds each row's last delay_length samples (zeros after NAME_reset()), oldest
 * first: the output is (state, input)[0, frame_size), the new state the rest.
 */
#ifndef TML_SIGNAL_DELAY_H
#define TML_SIGNAL_DELAY_H

#include "tml_common.h"

typedef struct {
  int32_t rows, frame_size, delay;
} tml_signal_delay_params_t;

/* state: rows * delay int16. */
TML_KERNEL void tml_signal_delay(const tml_signal_delay_params_t *p, const int16_t *input,
                                 int16_t *output, int16_t *state);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_delay(const tml_signal_delay_params_t *p, const int16_t *input,
                                 int16_t *output, int16_t *state) {
  int32_t r, j;
  const int32_t n = p->frame_size, d = p->delay;
  for (r = 0; r < p->rows; ++r) {
    const int16_t *x = input + r * n;
    int16_t *y = output + r * n;
    int16_t *s = state + r * d;
    for (j = 0; j < n; ++j) y[j] = j < d ? s[j] : x[j - d];
    /* Forward: s[j] takes element n + j > j of (state, input). */
    for (j = 0; j < d; ++j) s[j] = n + j < d ? s[n + j] : x[n + j - d];
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_DELAY_H */
