/*
 * tml_fully_connected_f32.h - float32 FULLY_CONNECTED, as TFLM's reference float
 * FullyConnected: for each batch row and output channel, total = sum over d in
 * increasing order of input[d] * filter[out_c][d] (from 0.f), then total + bias
 * (0.f without a bias) through the activation clamp [act_min, act_max].
 * filter is [output_depth, accum_depth]; bias [output_depth] or NULL.
 */
#ifndef TML_FULLY_CONNECTED_F32_H
#define TML_FULLY_CONNECTED_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t batches, accum_depth, output_depth;
  float act_min, act_max;
} tml_fully_connected_f32_params_t;

TML_KERNEL void tml_fully_connected_f32(const tml_fully_connected_f32_params_t *p,
                                        const float *input, const float *filter,
                                        const float *bias, float *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_fully_connected_f32(const tml_fully_connected_f32_params_t *p,
                                        const float *input, const float *filter,
                                        const float *bias, float *output) {
  int32_t b, oc, d;
  for (b = 0; b < p->batches; ++b) {
    const float *row = input + b * p->accum_depth;
    for (oc = 0; oc < p->output_depth; ++oc) {
      const float *w = filter + oc * p->accum_depth;
      float total = 0.f;
      float bias_value = 0.0f;
      for (d = 0; d < p->accum_depth; ++d) {
        const float prod = row[d] * w[d];
        total += prod;
      }
      if (bias != NULL) {
        bias_value = bias[oc];
      }
      output[b * p->output_depth + oc] = tml_act_f32(total + bias_value, p->act_min, p->act_max);
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_FULLY_CONNECTED_F32_H */
