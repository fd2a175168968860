/*
 * tml_signal_stacker.h - SignalStacker (TFLM signal library): stacks the last
 * left + right + 1 int16 frames of num_channels values (one frame in per invoke; the
 * first frame after NAME_reset() counts left + 1 times) and moves on by `step` frames
 * after each output. Until enough frames are pending the output is left untouched and
 * valid is 0 (as TFLM).
 */
#ifndef TML_SIGNAL_STACKER_H
#define TML_SIGNAL_STACKER_H

#include "tml_common.h"

typedef struct {
  int32_t channels, left, buffer_size, step_size;  /* sizes in int16 values */
} tml_signal_stacker_params_t;

/* state: buffer_size int16, then (4-byte aligned) int32 count and int32 has_first. */
TML_KERNEL void tml_signal_stacker(const tml_signal_stacker_params_t *p, const int16_t *input,
                                   int16_t *output, uint8_t *valid, uint8_t *state);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_stacker(const tml_signal_stacker_params_t *p, const int16_t *input,
                                   int16_t *output, uint8_t *valid, uint8_t *state) {
  int16_t *buf = (int16_t *)(void *)state;
  int32_t *meta = (int32_t *)(void *)(state + (((size_t)p->buffer_size * 2 + 3) & ~(size_t)3));
  int32_t count = meta[0], i, n;
  const int32_t ch = p->channels;
  for (i = 0; i < ch; ++i) buf[count + i] = input[i];
  count += ch;
  if (!meta[1]) {
    /* The first frame, repeated `left` more times. */
    for (n = 0; n < p->left; ++n) {
      for (i = 0; i < ch; ++i) buf[count + i] = buf[count - ch + i];
      count += ch;
    }
    meta[1] = 1;
  }
  if (count >= p->buffer_size) {
    for (i = 0; i < p->buffer_size; ++i) output[i] = buf[i];
    for (i = 0; i < count - p->step_size; ++i) buf[i] = buf[i + p->step_size];
    count -= p->step_size;
    *valid = 1;
  } else {
    *valid = 0;
  }
  meta[0] = count;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_STACKER_H */
