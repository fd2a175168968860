/*
 * tml_signal_framer.h - SignalFramer (TFLM signal library): cuts each row of the int16
 * input (n_frames * frame_step new samples per invoke) into n_frames frames of
 * frame_size samples, frame_step apart, continuing across invokes. Each row's pending
 * samples are the state (with prefill, frame_size - frame_step zeros come first after
 * NAME_reset()). A frame that cannot be filled yet leaves its output untouched and sets
 * valid to 0 (as TFLM).
 */
#ifndef TML_SIGNAL_FRAMER_H
#define TML_SIGNAL_FRAMER_H

#include "tml_common.h"

typedef struct {
  int32_t rows, n_frames, frame_size, frame_step;
  int32_t capacity;  /* frame_size rounded up to a multiple of frame_step */
  int32_t prefill;   /* samples of zeros pending after a reset: frame_size - frame_step, or 0 */
} tml_signal_framer_params_t;

/* state: rows * capacity int16, then (4-byte aligned) rows int32 counts. */
TML_KERNEL void tml_signal_framer(const tml_signal_framer_params_t *p, const int16_t *input,
                                  int16_t *output, uint8_t *valid, uint8_t *state);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_framer(const tml_signal_framer_params_t *p, const int16_t *input,
                                  int16_t *output, uint8_t *valid, uint8_t *state) {
  const int32_t step = p->frame_step, size = p->frame_size;
  int32_t *counts = (int32_t *)(void *)(state + (((size_t)p->rows * (size_t)p->capacity * 2 + 3) & ~(size_t)3));
  int32_t r, f, i;
  *valid = 1;
  for (r = 0; r < p->rows; ++r) {
    int16_t *buf = (int16_t *)(void *)state + r * p->capacity;
    int32_t count = p->prefill + counts[r];
    for (f = 0; f < p->n_frames; ++f) {
      const int32_t k = r * p->n_frames + f;
      const int16_t *x = input + k * step;
      for (i = 0; i < step; ++i) buf[count + i] = x[i];
      count += step;
      if (count >= size) {
        int16_t *y = output + k * size;
        for (i = 0; i < size; ++i) y[i] = buf[i];
        for (i = 0; i < count - step; ++i) buf[i] = buf[i + step];
        count -= step;
      } else {
        *valid = 0;
      }
    }
    counts[r] = count - p->prefill;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_FRAMER_H */
