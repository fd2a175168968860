/*
 * tml_signal_window.h - SignalWindow (TFLM signal library): each frame of `window_size`
 * int16 samples times the int16 window, shifted right by `shift` (arithmetic), saturated
 * to int16. The input holds size / window_size frames back to back.
 */
#ifndef TML_SIGNAL_WINDOW_H
#define TML_SIGNAL_WINDOW_H

#include "tml_common.h"

typedef struct {
  int32_t size;         /* input elements, a multiple of window_size */
  int32_t window_size;
  int32_t shift;        /* 0..31 */
} tml_signal_window_params_t;

TML_KERNEL void tml_signal_window(const tml_signal_window_params_t *p, const int16_t *input,
                                  const int16_t *window, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_window(const tml_signal_window_params_t *p, const int16_t *input,
                                  const int16_t *window, int16_t *output) {
  int32_t i, j;
  for (i = 0; i < p->size; i += p->window_size) {
    for (j = 0; j < p->window_size; ++j) {
      const int32_t v = ((int32_t)input[i + j] * window[j]) >> p->shift;
      output[i + j] = (int16_t)(v < -32768 ? -32768 : (v > 32767 ? 32767 : v));
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_WINDOW_H */
