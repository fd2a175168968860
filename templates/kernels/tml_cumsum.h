/*
 * tml_cumsum.h - CUMSUM (TFLM reference CumSum): running sums along one axis, with
 * TFLM's exclusive (each output leaves its own element out) and reverse (sums run from
 * the end) flags.
 *
 * The tensor is viewed as [outer, depth, inner] (outer = product of the dims before the
 * axis, inner = after it). Each of the outer * inner lines is summed on its own, in
 * axis order (reversed with `reverse`).
 *
 * float32: the running sum is a float starting at 0.f, as TFLM's.
 * int8 (TFLM's quantized CumSum): each input becomes
 *   scaled = MBQM((x - zp_in) * 2^20, input_multiplier, input_shift)
 * and the int32 running sum starts, as in TFLM, at the scaled value of -zp_in (not 0);
 * each output is MBQM(sum, output_multiplier, output_shift) + zp_out clamped to int8.
 * The int32 sum wraps on overflow as TFLM's does in practice (unsigned arithmetic here).
 */
#ifndef TML_CUMSUM_H
#define TML_CUMSUM_H

#include "tml_float_common.h"

typedef struct {
  int32_t outer, depth, inner;
  int32_t exclusive, reverse;
  /* int8 only. */
  int32_t input_offset; /* -zp_in */
  int32_t input_multiplier, input_shift;
  int32_t output_multiplier, output_shift;
  int32_t output_offset; /* zp_out */
} tml_cumsum_params_t;

TML_KERNEL void tml_cumsum_f32(const tml_cumsum_params_t *p, const float *input, float *output);
TML_KERNEL void tml_cumsum_s8(const tml_cumsum_params_t *p, const int8_t *input,
                              int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_cumsum_f32(const tml_cumsum_params_t *p, const float *input, float *output) {
  int32_t o, i, k;
  for (o = 0; o < p->outer; ++o) {
    for (i = 0; i < p->inner; ++i) {
      float acc = 0.f;
      for (k = 0; k < p->depth; ++k) {
        const int32_t d = p->reverse ? p->depth - 1 - k : k;
        const int32_t at = (o * p->depth + d) * p->inner + i;
        if (p->exclusive) {
          output[at] = acc;
          acc += input[at];
        } else {
          acc += input[at];
          output[at] = acc;
        }
      }
    }
  }
}

TML_KERNEL void tml_cumsum_s8(const tml_cumsum_params_t *p, const int8_t *input,
                              int8_t *output) {
  const int32_t start = tml_multiply_by_quantized_multiplier(
      (int32_t)((uint32_t)p->input_offset << 20), p->input_multiplier, p->input_shift);
  int32_t o, i, k;
  for (o = 0; o < p->outer; ++o) {
    for (i = 0; i < p->inner; ++i) {
      uint32_t acc = (uint32_t)start;
      for (k = 0; k < p->depth; ++k) {
        const int32_t d = p->reverse ? p->depth - 1 - k : k;
        const int32_t at = (o * p->depth + d) * p->inner + i;
        const int32_t y = p->input_offset + (int32_t)input[at];
        const int32_t scaled = tml_multiply_by_quantized_multiplier(
            (int32_t)((uint32_t)y << 20), p->input_multiplier, p->input_shift);
        int32_t sum;
        if (p->exclusive) {
          sum = (int32_t)acc;
          acc += (uint32_t)scaled;
        } else {
          acc += (uint32_t)scaled;
          sum = (int32_t)acc;
        }
        output[at] = (int8_t)tml_clamp(
            tml_multiply_by_quantized_multiplier(sum, p->output_multiplier, p->output_shift) +
                p->output_offset,
            -128, 127);
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_CUMSUM_H */
