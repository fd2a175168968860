/*
 * tml_signal_overlap_add.h - SignalOverlapAdd (TFLM signal library): each frame of
 * frame_size values is added into the row's buffer (the state, zeros after
 * NAME_reset()); its first frame_step values are output and the buffer moves on by
 * frame_step (zeros enter at the end). int16 adds saturate; float32 adds as TFLM.
 */
#ifndef TML_SIGNAL_OVERLAP_ADD_H
#define TML_SIGNAL_OVERLAP_ADD_H

#include "tml_common.h"

typedef struct {
  int32_t rows, n_frames, frame_size, frame_step;
} tml_signal_overlap_add_params_t;

/* state: rows * frame_size values of the element type. */
TML_KERNEL void tml_signal_overlap_add_s16(const tml_signal_overlap_add_params_t *p,
                                           const int16_t *input, int16_t *output, int16_t *state);
TML_KERNEL void tml_signal_overlap_add_f32(const tml_signal_overlap_add_params_t *p,
                                           const float *input, float *output, float *state);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_signal_overlap_add_s16(const tml_signal_overlap_add_params_t *p,
                                           const int16_t *input, int16_t *output, int16_t *state) {
  const int32_t size = p->frame_size, step = p->frame_step;
  int32_t r, f, i;
  for (r = 0; r < p->rows; ++r) {
    int16_t *buf = state + r * size;
    for (f = 0; f < p->n_frames; ++f) {
      const int32_t k = r * p->n_frames + f;
      const int16_t *x = input + k * size;
      int16_t *y = output + k * step;
      for (i = 0; i < size; ++i) {
        const int32_t v = (int32_t)x[i] + buf[i];
        buf[i] = (int16_t)(v < -32768 ? -32768 : (v > 32767 ? 32767 : v));
      }
      for (i = 0; i < step; ++i) y[i] = buf[i];
      for (i = 0; i < size - step; ++i) buf[i] = buf[i + step];
      for (; i < size; ++i) buf[i] = 0;
    }
  }
}

TML_KERNEL void tml_signal_overlap_add_f32(const tml_signal_overlap_add_params_t *p,
                                           const float *input, float *output, float *state) {
  const int32_t size = p->frame_size, step = p->frame_step;
  int32_t r, f, i;
  for (r = 0; r < p->rows; ++r) {
    float *buf = state + r * size;
    for (f = 0; f < p->n_frames; ++f) {
      const int32_t k = r * p->n_frames + f;
      const float *x = input + k * size;
      float *y = output + k * step;
      for (i = 0; i < size; ++i) buf[i] += x[i];
      for (i = 0; i < step; ++i) y[i] = buf[i];
      for (i = 0; i < size - step; ++i) buf[i] = buf[i + step];
      for (; i < size; ++i) buf[i] = 0.0f;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_OVERLAP_ADD_H */
