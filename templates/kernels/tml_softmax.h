/*
 * tml_softmax.h - SOFTMAX on int8 input to int8 output (output scale 1/256, zero
 * point -128), as TFLM's reference integer softmax (gemmlowp fixed point, 5 integer
 * bits for the scaled difference, 12 for the sum of exponentials).
 *
 * input_multiplier / input_left_shift / diff_min come from the compiler
 * (PreprocessSoftmaxScaling and CalculateInputRadius with beta and the input scale).
 * Rows of `depth` elements along the last dimension, `outer_size` rows.
 */
#ifndef TML_SOFTMAX_H
#define TML_SOFTMAX_H

#include "tml_common.h"

typedef struct {
  int32_t outer_size;
  int32_t depth;
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;
} tml_softmax_s8_params_t;

TML_KERNEL void tml_softmax_s8(const tml_softmax_s8_params_t *p, const int8_t *input,
                               int8_t *output);

#endif /* TML_SOFTMAX_H */
