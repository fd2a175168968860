/*
 * tml_rsqrt.h - RSQRT of an int8 tensor through a 256-entry table.
 *
 * TFLM's RsqrtEvalQuantized computes, per value v = in - input_zero_point, a
 * fixed-point 1/sqrt(v) by Newton-Raphson and requantizes it; the result depends only
 * on the int8 input, so the compiler evaluates it for every input value and passes
 * the table (table[in + 128]). Inputs below the zero point (negative reals) make TFLM
 * fail the invoke: the kernel stops there and returns -1 (0 on success), leaving the
 * outputs before that element written, as TFLM does.
 */
#ifndef TML_RSQRT_H
#define TML_RSQRT_H

#include "tml_common.h"

typedef struct {
  int32_t size;
  int32_t input_zero_point;
  const int8_t *table; /* 256 entries, indexed by input + 128 */
} tml_rsqrt_s8_params_t;

TML_KERNEL int32_t tml_rsqrt_s8(const tml_rsqrt_s8_params_t *p, const int8_t *input,
                                int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int32_t tml_rsqrt_s8(const tml_rsqrt_s8_params_t *p, const int8_t *input,
                                int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    if ((int32_t)input[i] < p->input_zero_point) {
      return -1;
    }
    output[i] = p->table[(int32_t)input[i] + 128];
  }
  return 0;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_RSQRT_H */
