/*
 * tml_arg_min_max.h - ARG_MAX and ARG_MIN over one axis, int32 indices, as TFLM's
 * reference ArgMinMax: the input seen as [outer, axis_size, inner]; for each (outer,
 * inner) the index of the first extreme value along the axis (a later element wins only
 * when strictly greater for arg max, strictly less for arg min).
 * float32 is NaN-aware as TFLM's GetComparefunction: a NaN candidate never wins, any
 * non-NaN candidate replaces a NaN current value (all-NaN gives 0).
 * Layout: input [outer][axis_size][inner], output [outer][inner]; all sizes >= 1.
 */
#ifndef TML_ARG_MIN_MAX_H
#define TML_ARG_MIN_MAX_H

#include "tml_common.h"

typedef struct {
  int32_t outer, axis_size, inner;
  int32_t is_max; /* 1: ARG_MAX, 0: ARG_MIN */
} tml_arg_min_max_params_t;

TML_KERNEL void tml_arg_min_max_s8(const tml_arg_min_max_params_t *p, const int8_t *input,
                                   int32_t *output);
TML_KERNEL void tml_arg_min_max_f32(const tml_arg_min_max_params_t *p, const float *input,
                                    int32_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_arg_min_max_s8(const tml_arg_min_max_params_t *p, const int8_t *input,
                                   int32_t *output) {
  int32_t o, j, i;
  for (o = 0; o < p->outer; ++o) {
    for (j = 0; j < p->inner; ++j) {
      const int8_t *v = input + (o * p->axis_size) * p->inner + j;
      int8_t best = v[0];
      int32_t best_index = 0;
      for (i = 1; i < p->axis_size; ++i) {
        const int8_t c = v[i * p->inner];
        if (p->is_max ? c > best : c < best) {
          best = c;
          best_index = i;
        }
      }
      output[o * p->inner + j] = best_index;
    }
  }
}

TML_KERNEL void tml_arg_min_max_f32(const tml_arg_min_max_params_t *p, const float *input,
                                    int32_t *output) {
  int32_t o, j, i;
  for (o = 0; o < p->outer; ++o) {
    for (j = 0; j < p->inner; ++j) {
      const float *v = input + (o * p->axis_size) * p->inner + j;
      float best = v[0];
      int32_t best_index = 0;
      for (i = 1; i < p->axis_size; ++i) {
        const float c = v[i * p->inner];
        /* c != c: NaN (no <math.h> needed). */
        const int32_t wins = c == c && (best != best || (p->is_max ? c > best : c < best));
        if (wins) {
          best = c;
          best_index = i;
        }
      }
      output[o * p->inner + j] = best_index;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ARG_MIN_MAX_H */
