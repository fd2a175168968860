// UNIDIRECTIONAL_SEQUENCE_LSTM (one unit) against hand-computed steps.
//
// All weights are 0, so every gate's Q3.12 pre-activation is its bias (FC multiplier
// x1). Bias 0 gives sigmoid = 16384 (0.5 in Q0.15) and tanh = 0, so each step:
//   cell = cell * 0.5 (forget, multiplier 2^-15) + 0.5 * 0 (input * cell gate)
//   hidden = mbqm(tanh(cell) * 16384, 2^-23) + 3
// tanh(cell) with a cell scale of 2^-11: x = cell * 6 indexes the sigmoid table with
// 8 fractional bits: tanh(500) -> x 3000, entries 11/12 (40149, 40794), fraction 184:
// (40149 * 256 + 184 * 645 - 2^23 + 128) >> 8 = 7845; hidden = 7845 * 16384 / 2^23
// = 15.3 -> 15, + 3 = 18. Next step cell 250, tanh -> 3980, hidden 7.8 -> 8, + 3 = 11.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;

tml_lstm_s8_params_t OneUnit() {
  tml_lstm_s8_params_t p{};
  p.batches = 1, p.time_steps = 2, p.input_size = 1, p.state_size = 1;
  const tml_lstm_gate_params_t x1 = {kHalf, 1, kHalf, 1};
  p.input_gate = p.forget_gate = p.cell_gate = p.output_gate = x1;
  p.forget_cell_multiplier = kHalf, p.forget_cell_shift = -14;  // 2^-15
  p.input_cell_multiplier = kHalf, p.input_cell_shift = -29;    // 2^-30
  p.hidden_multiplier = kHalf, p.hidden_shift = -22;            // 2^-23
  p.hidden_zero_point = 3;
  p.cell_tanh = {1, 6, 0};  // cell scale 2^-11: 3 << 1
  p.gate_sigmoid = {1, 3, 0};
  p.gate_tanh = {1, 3, 0};
  return p;
}

struct LstmRun {
  std::vector<int8_t> output;
  int8_t hidden;
  int16_t cell;
};

LstmRun RunTwoSteps(const tml_lstm_s8_params_t& p, int16_t cell0) {
  const int8_t zero_w = 0;
  const int32_t zero_b = 0;
  const std::vector<int8_t> input = {5, -7};  // irrelevant: the weights are 0
  LstmRun r{std::vector<int8_t>(2, 0x55), 0, cell0};
  tml_lstm_s8_tensors_t t{};
  t.input = input.data();
  t.input_to_input = t.input_to_forget = t.input_to_cell = t.input_to_output = &zero_w;
  t.recurrent_to_input = t.recurrent_to_forget = t.recurrent_to_cell = t.recurrent_to_output =
      &zero_w;
  t.input_bias = t.forget_bias = t.cell_bias = t.output_bias = &zero_b;
  t.hidden = &r.hidden;
  t.cell = &r.cell;
  t.output = r.output.data();
  int16_t scratch[3];
  tml_lstm_s8(&p, &t, scratch);
  return r;
}

TEST(Lstm, TwoStepsHalveTheCell) {
  const LstmRun r = RunTwoSteps(OneUnit(), 1000);
  EXPECT_EQ(r.output, (std::vector<int8_t>{18, 11}));
  EXPECT_EQ(r.cell, 250);
  EXPECT_EQ(r.hidden, 11);
}

// Clip 400: 1000 * 0.5 = 500 -> 400; tanh(400): x 2400, entries 9/10 (38841, 39498),
// fraction 96 -> 6319, hidden 12.3 -> 12 + 3 = 15; then 200: x 1200, entries 4/5
// (35493, 36169), fraction 176 -> (9086208 + 118976 - 2^23 + 128) >> 8 = 3190,
// hidden 6.2 -> 6 + 3 = 9.
TEST(Lstm, CellClip) {
  tml_lstm_s8_params_t p = OneUnit();
  p.use_cell_clip = 1;
  p.cell_clip = 400;
  const LstmRun r = RunTwoSteps(p, 1000);
  EXPECT_EQ(r.output, (std::vector<int8_t>{15, 9}));
  EXPECT_EQ(r.cell, 200);
}

}  // namespace
