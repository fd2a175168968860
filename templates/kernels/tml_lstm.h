/*
 * tml_lstm.h - UNIDIRECTIONAL_SEQUENCE_LSTM, int8 activations, int8 weights, int32
 * biases, int8 hidden (output) state and int16 cell state, as TFLM micro's integer
 * LSTM (lstm_eval.h EvalLstm<int8_t, int8_t, int16_t, int32_t>): the standard LSTM
 * without peephole, projection, layer norm or CIFG.
 *
 * Layouts: input  [batches, time_steps, input_size] ([time_steps, batches, ...] when
 *                  time_major); output likewise with state_size
 *          input_to_* [state_size, input_size], recurrent_to_* [state_size, state_size],
 *          *_bias [state_size]
 *          hidden [batches, state_size] int8, cell [batches, state_size] int16: variable
 *                  tensors, read and updated in place (they persist across invokes)
 *          scratch 3 * state_size int16
 * Batches are independent: each (batch, time step) is one step on that batch's row of
 * the state, in time order. One step, every gate with its own weights:
 *   fc(x, W, b) = clamp16(mbqm(b + sum W * (x + offset), gate multiplier, shift))
 *   gate = act(clamp16(fc(input, input_to_gate, bias) + fc(hidden, recurrent_to_gate)))
 *     in Q3.12; act = sigmoid (forget, input, output gates) or tanh (cell gate), both
 *     TFLM's int16 reference LOGISTIC / TANH (tml_logistic.h, tml_tanh.h), to Q0.15
 *   cell = clamp16(mbqm(forget * cell, forget_cell)) ; then
 *   cell = clamp16(cell + clamp16(mbqm(input * cell_gate, input_cell)));
 *   cell = clamp(cell, -cell_clip, cell_clip) when use_cell_clip
 *   hidden = clamp8(mbqm(tanh(cell) * output, hidden) + hidden_zero_point)   (the output
 *     gate reads the hidden state of the previous step), output row = hidden.
 */
#ifndef TML_LSTM_H
#define TML_LSTM_H

#include <string.h>

#include "tml_common.h"
#include "tml_logistic.h"
#include "tml_tanh.h"

typedef struct {
  int32_t input_multiplier, input_shift;          /* input FC -> Q3.12 */
  int32_t recurrent_multiplier, recurrent_shift;  /* recurrent FC -> Q3.12 */
} tml_lstm_gate_params_t;

typedef struct {
  int32_t batches, time_steps, input_size, state_size;
  int32_t time_major;
  int32_t input_offset;   /* -input zero point */
  int32_t hidden_offset;  /* -hidden state zero point */
  tml_lstm_gate_params_t input_gate, forget_gate, cell_gate, output_gate;
  int32_t forget_cell_multiplier, forget_cell_shift;  /* Q0.15 * cell -> cell */
  int32_t input_cell_multiplier, input_cell_shift;    /* Q0.15 * Q0.15 -> cell */
  int32_t hidden_multiplier, hidden_shift;            /* Q0.15 * Q0.15 -> hidden */
  int32_t hidden_zero_point;
  int32_t use_cell_clip;                   /* TFLM: cell_clip > 0 */
  int32_t cell_clip;                       /* quantized clip, [0, 32767] */
  tml_tanh_s16_params_t cell_tanh;         /* tanh of the cell state (size: state_size) */
  tml_logistic_s16_params_t gate_sigmoid;  /* Q3.12 -> Q0.15 (size: state_size) */
  tml_tanh_s16_params_t gate_tanh;         /* Q3.12 -> Q0.15 (size: state_size) */
} tml_lstm_s8_params_t;

typedef struct {
  const int8_t *input;
  const int8_t *input_to_input, *input_to_forget, *input_to_cell, *input_to_output;
  const int8_t *recurrent_to_input, *recurrent_to_forget, *recurrent_to_cell,
      *recurrent_to_output;
  const int32_t *input_bias, *forget_bias, *cell_bias, *output_bias;
  int8_t *hidden;  /* variable */
  int16_t *cell;   /* variable */
  int8_t *output;
} tml_lstm_s8_tensors_t;

TML_KERNEL void tml_lstm_s8(const tml_lstm_s8_params_t *p, const tml_lstm_s8_tensors_t *t,
                            int16_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* clamp16(mbqm(bias + sum_j w[row, j] * (x[j] + offset))), as TFLM's integer
 * FullyConnected with an int16 output (bias may be NULL). */
TML_KERNEL int32_t tml_lstm_fc_row(const int8_t *x, int32_t size, int32_t offset,
                                   const int8_t *w_row, const int32_t *bias, int32_t multiplier,
                                   int32_t shift) {
  uint32_t acc = bias != NULL ? (uint32_t)*bias : 0u; /* wraps like TFLM's int32 */
  int32_t j;
  for (j = 0; j < size; ++j) {
    acc += (uint32_t)((int32_t)w_row[j] * ((int32_t)x[j] + offset));
  }
  return tml_clamp(tml_multiply_by_quantized_multiplier((int32_t)acc, multiplier, shift),
                   INT16_MIN, INT16_MAX);
}

/* One gate for one batch row: out = act(clamp16(fc(x) + fc(h))), sigmoid or tanh. */
TML_KERNEL void tml_lstm_gate(const tml_lstm_s8_params_t *p, const tml_lstm_gate_params_t *g,
                              const int8_t *x, const int8_t *w_in, const int32_t *bias,
                              const int8_t *h, const int8_t *w_rec, int use_tanh,
                              int16_t *out) {
  const int32_t n = p->state_size;
  int32_t s;
  for (s = 0; s < n; ++s) {
    const int32_t from_input = tml_lstm_fc_row(x, p->input_size, p->input_offset,
                                               w_in + s * p->input_size, bias + s,
                                               g->input_multiplier, g->input_shift);
    const int32_t from_hidden = tml_lstm_fc_row(h, n, p->hidden_offset, w_rec + s * n, NULL,
                                                g->recurrent_multiplier, g->recurrent_shift);
    out[s] = (int16_t)tml_clamp(from_input + from_hidden, INT16_MIN, INT16_MAX);
  }
  if (use_tanh) {
    tml_tanh_s16(&p->gate_tanh, out, out);
  } else {
    tml_logistic_s16(&p->gate_sigmoid, out, out);
  }
}

TML_KERNEL void tml_lstm_s8(const tml_lstm_s8_params_t *p, const tml_lstm_s8_tensors_t *t,
                            int16_t *scratch) {
  const int32_t n = p->state_size;
  int16_t *forget = scratch;      /* later tanh(cell) */
  int16_t *input = scratch + n;   /* later the output gate */
  int16_t *cell_gate = scratch + 2 * n;
  int32_t b, step, s;
  for (b = 0; b < p->batches; ++b) {
    int8_t *h = t->hidden + b * n;
    int16_t *c = t->cell + b * n;
    for (step = 0; step < p->time_steps; ++step) {
      const int32_t row = p->time_major ? step * p->batches + b : b * p->time_steps + step;
      const int8_t *x = t->input + row * p->input_size;
      tml_lstm_gate(p, &p->forget_gate, x, t->input_to_forget, t->forget_bias, h,
                    t->recurrent_to_forget, 0, forget);
      tml_lstm_gate(p, &p->input_gate, x, t->input_to_input, t->input_bias, h,
                    t->recurrent_to_input, 0, input);
      tml_lstm_gate(p, &p->cell_gate, x, t->input_to_cell, t->cell_bias, h,
                    t->recurrent_to_cell, 1, cell_gate);
      for (s = 0; s < n; ++s) {
        int32_t v = tml_multiply_by_quantized_multiplier((int32_t)forget[s] * (int32_t)c[s],
                                                         p->forget_cell_multiplier,
                                                         p->forget_cell_shift);
        const int32_t ig = tml_multiply_by_quantized_multiplier(
            (int32_t)input[s] * (int32_t)cell_gate[s], p->input_cell_multiplier,
            p->input_cell_shift);
        v = tml_clamp(v, INT16_MIN, INT16_MAX);
        v = tml_clamp(v + tml_clamp(ig, INT16_MIN, INT16_MAX), INT16_MIN, INT16_MAX);
        if (p->use_cell_clip) {
          v = tml_clamp(v, -p->cell_clip, p->cell_clip);
        }
        c[s] = (int16_t)v;
      }
      tml_lstm_gate(p, &p->output_gate, x, t->input_to_output, t->output_bias, h,
                    t->recurrent_to_output, 0, input);
      tml_tanh_s16(&p->cell_tanh, c, forget);
      for (s = 0; s < n; ++s) {
        const int32_t v = tml_multiply_by_quantized_multiplier(
            (int32_t)forget[s] * (int32_t)input[s], p->hidden_multiplier, p->hidden_shift);
        h[s] = (int8_t)tml_clamp(v + p->hidden_zero_point, INT8_MIN, INT8_MAX);
      }
      memcpy(t->output + row * n, h, (size_t)n * sizeof(int8_t));
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_LSTM_H */
