/*
 * tml_svdf.h - SVDF, int8 input/output, int8 feature weights, int16 time weights and
 * int16 activation state (tml_svdf_s8), or int8 time weights and int8 state
 * (tml_svdf_s8_s8state), int32 bias, as TFLM micro's EvalIntegerSvdfReference<T> with T
 * the type of the time weights and the state.
 *
 * Layouts: input           [batches, input_size]
 *          weights_feature [num_filters, input_size]
 *          weights_time    [num_filters, memory_size]
 *          bias            [num_units] or NULL   (num_filters = num_units * rank)
 *          state           [batches, num_filters, memory_size]  (variable: read and
 *                          updated in place; persists across invokes)
 *          output          [batches, num_units]
 *          scratch         batches * num_filters int32
 * One step:
 *   1. the whole state moves one element towards the front (its first element drops);
 *   2. state[b, f, memory_size - 1] = state_zero_point + clampT(mbqm(
 *        sum_i weights_feature[f, i] * (input[b, i] - input_zero_point),
 *        feature_multiplier, feature_shift))          (stored as T, wrapping)
 *   3. t[b, f] = sum_m weights_time[f, m] * (state[b, f, m] - state_zero_point)
 *   4. out[b, u] = clamp8(mbqm(bias[u] + sum_r t[b, u * rank + r], output_multiplier,
 *        output_shift) + output_zero_point)
 * int32 sums wrap as TFLM's on two's-complement hardware. TFLM applies no fused
 * activation in its integer SVDF.
 */
#ifndef TML_SVDF_H
#define TML_SVDF_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t batches, input_size, num_filters, num_units, rank, memory_size;
  int32_t input_zero_point;
  int32_t state_zero_point;
  int32_t output_zero_point;
  int32_t feature_multiplier, feature_shift;  /* input * weights_feature -> state */
  int32_t output_multiplier, output_shift;    /* state * weights_time -> output */
} tml_svdf_s8_params_t;

TML_KERNEL void tml_svdf_s8(const tml_svdf_s8_params_t *p, const int8_t *input,
                            const int8_t *weights_feature, const int16_t *weights_time,
                            const int32_t *bias, int16_t *state, int8_t *output,
                            int32_t *scratch);
TML_KERNEL void tml_svdf_s8_s8state(const tml_svdf_s8_params_t *p, const int8_t *input,
                                    const int8_t *weights_feature, const int8_t *weights_time,
                                    const int32_t *bias, int8_t *state, int8_t *output,
                                    int32_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* The kernel for one type T of time weights and state, range [T_MIN, T_MAX]: written
 * once, instantiated for int16_t (tml_svdf_s8) and int8_t (tml_svdf_s8_s8state). */
#define TML_SVDF_DEFINE(NAME, T, T_MIN, T_MAX) \
TML_KERNEL void NAME(const tml_svdf_s8_params_t *p, const int8_t *input,                      \
                            const int8_t *weights_feature, const T *weights_time,             \
                            const int32_t *bias, T *state, int8_t *output,                    \
                            int32_t *scratch) {                                               \
  const int32_t filters = p->num_filters, memory = p->memory_size;                            \
  const int32_t state_size = p->batches * filters * memory;                                   \
  /* uint32_t accumulators: wrap like TFLM's int32 ones, without UB. */                       \
  uint32_t *filter_sums = (uint32_t *)(void *)scratch; /* [batches, filters] */               \
  int32_t b, f, i, m, u, r;                                                                   \
                                                                                              \
  /* 1. Shift the state by one element. */                                                    \
  if (state_size > 1) {                                                                       \
    memmove(state, state + 1, (size_t)(state_size - 1) * sizeof(T));                          \
  }                                                                                           \
                                                                                              \
  /* 2. Feature matmul into the newest state column. */                                       \
  for (b = 0; b < p->batches; ++b) {                                                          \
    const int8_t *in = input + b * p->input_size;                                             \
    for (f = 0; f < filters; ++f) {                                                           \
      const int8_t *w = weights_feature + f * p->input_size;                                  \
      uint32_t dot = 0u;                                                                      \
      int32_t v;                                                                              \
      for (i = 0; i < p->input_size; ++i) {                                                   \
        dot += (uint32_t)((int32_t)w[i] * ((int32_t)in[i] - p->input_zero_point));            \
      }                                                                                       \
      v = tml_multiply_by_quantized_multiplier((int32_t)dot, p->feature_multiplier,           \
                                               p->feature_shift);                             \
      v = tml_clamp(v, T_MIN, T_MAX);                                                         \
      state[(b * filters + f) * memory + memory - 1] = (T)(p->state_zero_point + v);          \
    }                                                                                         \
  }                                                                                           \
                                                                                              \
  /* 3. Time weights: one dot product per (batch, filter) over the memory. */                 \
  for (b = 0; b < p->batches; ++b) {                                                          \
    for (f = 0; f < filters; ++f) {                                                           \
      const T *s = state + (b * filters + f) * memory;                                        \
      const T *w = weights_time + f * memory;                                                 \
      uint32_t dot = 0u;                                                                      \
      for (m = 0; m < memory; ++m) {                                                          \
        dot += (uint32_t)w[m] * (uint32_t)((int32_t)s[m] - p->state_zero_point);              \
      }                                                                                       \
      filter_sums[b * filters + f] = dot;                                                     \
    }                                                                                         \
  }                                                                                           \
                                                                                              \
  /* 4. Bias, reduction over the rank, requantization. */                                     \
  for (b = 0; b < p->batches; ++b) {                                                          \
    for (u = 0; u < p->num_units; ++u) {                                                      \
      uint32_t sum = bias != NULL ? (uint32_t)bias[u] : 0u;                                   \
      int32_t v;                                                                              \
      for (r = 0; r < p->rank; ++r) {                                                         \
        sum += filter_sums[b * filters + u * p->rank + r];                                    \
      }                                                                                       \
      v = tml_multiply_by_quantized_multiplier((int32_t)sum, p->output_multiplier,            \
                                               p->output_shift);                              \
      output[b * p->num_units + u] = (int8_t)tml_clamp(v + p->output_zero_point, -128, 127);  \
    }                                                                                         \
  }                                                                                           \
}

TML_SVDF_DEFINE(tml_svdf_s8, int16_t, INT16_MIN, INT16_MAX)
TML_SVDF_DEFINE(tml_svdf_s8_s8state, int8_t, INT8_MIN, INT8_MAX)
#undef TML_SVDF_DEFINE

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SVDF_H */
