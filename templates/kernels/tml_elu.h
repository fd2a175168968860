/*
 * tml_elu.h - ELU on int8 as TFLM: a 256-entry lookup table built at compile time
 * (TFLM builds it at prepare time from float math: for every int8 value v,
 * clamp(round(f(input_scale * (v - input_zero_point)) / output_scale) +
 * output_zero_point) with f(x) = x < 0 ? exp(x) - 1 : x). The table is indexed by the
 * input byte read as uint8 (entries 0..127 for inputs 0..127, 128..255 for -128..-1).
 */
#ifndef TML_ELU_H
#define TML_ELU_H

#include "tml_common.h"

typedef struct {
  int32_t size;        /* elements */
  const int8_t *table; /* 256 entries */
} tml_elu_s8_params_t;

TML_KERNEL void tml_elu_s8(const tml_elu_s8_params_t *p, const int8_t *input,
                           int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_elu_s8(const tml_elu_s8_params_t *p, const int8_t *input,
                           int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; ++i) {
    output[i] = p->table[(uint8_t)input[i]];
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ELU_H */
