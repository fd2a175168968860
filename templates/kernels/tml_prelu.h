/*
 * tml_prelu.h - PRELU (leaky relu with a per-element alpha tensor) as TFLM's
 * reference BroadcastPrelu4DSlow, for int8 input/output (and int16 input/output),
 * int8 alpha:
 *   x = in + input_offset
 *   x >= 0: out = MBQM(x, multiplier_1, shift_1)                 (input_scale / output_scale)
 *   x <  0: out = MBQM(x * (alpha + alpha_offset), multiplier_2, shift_2)
 *                                                   (input_scale * alpha_scale / output_scale)
 *   out = clamp(out + output_offset) to the output type.
 * The _s8 / _s16 functions take equal shapes (`size` elements); the _broadcast_
 * variants walk the output shape (padded with leading 1s to TML_PRELU_MAX_RANK) and
 * read input and alpha through strides, 0 marking a broadcast dimension.
 */
#ifndef TML_PRELU_H
#define TML_PRELU_H

#include "tml_common.h"

#define TML_PRELU_MAX_RANK 8

typedef struct {
  int32_t size; /* elements (equal shapes) */
  int32_t input_offset, alpha_offset, output_offset;
  int32_t multiplier_1, shift_1;
  int32_t multiplier_2, shift_2;
  /* Broadcast only: */
  int32_t out_dims[TML_PRELU_MAX_RANK];
  int32_t input_strides[TML_PRELU_MAX_RANK];
  int32_t alpha_strides[TML_PRELU_MAX_RANK];
} tml_prelu_params_t;

TML_KERNEL void tml_prelu_s8(const tml_prelu_params_t *p, const int8_t *input,
                             const int8_t *alpha, int8_t *output);
TML_KERNEL void tml_prelu_broadcast_s8(const tml_prelu_params_t *p, const int8_t *input,
                                       const int8_t *alpha, int8_t *output);
TML_KERNEL void tml_prelu_s16(const tml_prelu_params_t *p, const int16_t *input,
                              const int8_t *alpha, int16_t *output);
TML_KERNEL void tml_prelu_broadcast_s16(const tml_prelu_params_t *p, const int16_t *input,
                                        const int8_t *alpha, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* One element before clamping. */
TML_KERNEL int32_t tml_prelu_element(const tml_prelu_params_t *p, int32_t in, int32_t alpha);
/* Broadcast walk: tml_prelu_total zeroes the odometer `index` over out_dims and
 * returns the element count; tml_prelu_next gives the input and alpha offsets of the
 * element at `index` and advances it. */
TML_KERNEL void tml_prelu_next(const tml_prelu_params_t *p, int32_t *index,
                               int32_t *input_offset, int32_t *alpha_offset);
TML_KERNEL int32_t tml_prelu_total(const tml_prelu_params_t *p, int32_t *index);

TML_KERNEL int32_t tml_prelu_element(const tml_prelu_params_t *p, int32_t in, int32_t alpha) {
  const int32_t x = in + p->input_offset;
  int32_t v;
  if (x >= 0) {
    v = tml_multiply_by_quantized_multiplier(x, p->multiplier_1, p->shift_1);
  } else {
    /* |x| <= 65535 (int16) and |alpha + offset| <= 255: the product fits. */
    v = tml_multiply_by_quantized_multiplier(x * (alpha + p->alpha_offset), p->multiplier_2,
                                             p->shift_2);
  }
  return v + p->output_offset;
}

TML_KERNEL int32_t tml_prelu_total(const tml_prelu_params_t *p, int32_t *index) {
  int32_t total = 1;
  int32_t d;
  for (d = 0; d < TML_PRELU_MAX_RANK; ++d) {
    index[d] = 0;
    total *= p->out_dims[d];
  }
  return total;
}

TML_KERNEL void tml_prelu_next(const tml_prelu_params_t *p, int32_t *index,
                               int32_t *input_offset, int32_t *alpha_offset) {
  int32_t d;
  *input_offset = 0;
  *alpha_offset = 0;
  for (d = 0; d < TML_PRELU_MAX_RANK; ++d) {
    *input_offset += index[d] * p->input_strides[d];
    *alpha_offset += index[d] * p->alpha_strides[d];
  }
  for (d = TML_PRELU_MAX_RANK - 1; d >= 0; --d) {
    if (++index[d] < p->out_dims[d]) {
      break;
    }
    index[d] = 0;
  }
}

TML_KERNEL void tml_prelu_s8(const tml_prelu_params_t *p, const int8_t *input,
                             const int8_t *alpha, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = (int8_t)tml_clamp(tml_prelu_element(p, input[i], alpha[i]), INT8_MIN, INT8_MAX);
  }
}

TML_KERNEL void tml_prelu_broadcast_s8(const tml_prelu_params_t *p, const int8_t *input,
                                       const int8_t *alpha, int8_t *output) {
  int32_t index[TML_PRELU_MAX_RANK];
  const int32_t total = tml_prelu_total(p, index);
  int32_t n, in_off, alpha_off;
  for (n = 0; n < total; ++n) {
    tml_prelu_next(p, index, &in_off, &alpha_off);
    output[n] = (int8_t)tml_clamp(tml_prelu_element(p, input[in_off], alpha[alpha_off]),
                                  INT8_MIN, INT8_MAX);
  }
}

TML_KERNEL void tml_prelu_s16(const tml_prelu_params_t *p, const int16_t *input,
                              const int8_t *alpha, int16_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] =
        (int16_t)tml_clamp(tml_prelu_element(p, input[i], alpha[i]), INT16_MIN, INT16_MAX);
  }
}

TML_KERNEL void tml_prelu_broadcast_s16(const tml_prelu_params_t *p, const int16_t *input,
                                        const int8_t *alpha, int16_t *output) {
  int32_t index[TML_PRELU_MAX_RANK];
  const int32_t total = tml_prelu_total(p, index);
  int32_t n, in_off, alpha_off;
  for (n = 0; n < total; ++n) {
    tml_prelu_next(p, index, &in_off, &alpha_off);
    output[n] = (int16_t)tml_clamp(tml_prelu_element(p, input[in_off], alpha[alpha_off]),
                                   INT16_MIN, INT16_MAX);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_PRELU_H */
