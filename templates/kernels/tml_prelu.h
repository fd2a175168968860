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
 * variants walk the output with the shared broadcast walk (tml_broadcast.h, `shape`:
 * input 1 the input, input 2 alpha; a stride of 0 marks a broadcast dimension).
 */
#ifndef TML_PRELU_H
#define TML_PRELU_H

#include "tml_broadcast.h"

#define TML_PRELU_MAX_RANK 8 /* = TML_BROADCAST_MAX_RANK */

typedef struct {
  int32_t size; /* elements (equal shapes) */
  int32_t input_offset, alpha_offset, output_offset;
  int32_t multiplier_1, shift_1;
  int32_t multiplier_2, shift_2;
  tml_broadcast_t shape; /* broadcast only */
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

/* The body of tml_prelu_broadcast_s8/_s16: the walk of tml_broadcast.h, each element
 * clamped to [LO, HI] and stored as T. */
#define TML_PRELU_BROADCAST_BODY(T, LO, HI)                                     \
  const int32_t inner = p->shape.dims[p->shape.rank - 1];                       \
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];                   \
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];                   \
  tml_broadcast_iter_t it;                                                      \
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);                     \
  int32_t r, i;                                                                 \
  for (r = 0; r < rows; ++r) {                                                  \
    const T *x = input + it.offset1;                                            \
    const int8_t *a = alpha + it.offset2;                                       \
    for (i = 0; i < inner; ++i) {                                               \
      output[i] = (T)tml_clamp(tml_prelu_element(p, x[i * step1], a[i * step2]), \
                               LO, HI);                                         \
    }                                                                           \
    output += inner;                                                            \
    tml_broadcast_next_row(&p->shape, &it);                                     \
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
  TML_PRELU_BROADCAST_BODY(int8_t, INT8_MIN, INT8_MAX)
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
  TML_PRELU_BROADCAST_BODY(int16_t, INT16_MIN, INT16_MAX)
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_PRELU_H */
