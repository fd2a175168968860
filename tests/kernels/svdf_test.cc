// SVDF against hand-computed outputs, including the state carried between calls.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;

tml_svdf_s8_params_t Params(int batches, int input_size, int filters, int rank, int memory) {
  tml_svdf_s8_params_t p{};
  p.batches = batches, p.input_size = input_size, p.num_filters = filters;
  p.num_units = filters / rank, p.rank = rank, p.memory_size = memory;
  p.feature_multiplier = kHalf, p.feature_shift = 1;  // x1
  p.output_multiplier = kHalf, p.output_shift = 1;    // x1
  return p;
}

struct SvdfCase {
  std::string name;
  tml_svdf_s8_params_t p;
  std::vector<int8_t> input, weights_feature;
  std::vector<int16_t> weights_time;
  std::vector<int32_t> bias;  // empty: NULL
  std::vector<int16_t> state, state_after;
  std::vector<int8_t> expected;
};

std::vector<SvdfCase> Cases() {
  std::vector<SvdfCase> cases;
  // One filter, memory 2, state (10, 20). Feature: 1*3 + 2*4 = 11 -> state (20, 11).
  // Time: 20*1 + 11*2 = 42, + bias 8 = 50, x0.5 = 25, + zero point 3 = 28.
  SvdfCase one{"OneFilter", Params(1, 2, 1, 1, 2), {1, 2}, {3, 4}, {1, 2}, {8},
               {10, 20}, {20, 11}, {28}};
  one.p.output_shift = 0;
  one.p.output_zero_point = 3;
  cases.push_back(one);
  // Rank 2 (two filters, one unit), memory 1, input zero point -1, state zero point 4:
  // feature (1+1)*2 = 4 and (1+1)*3 = 6 -> state (8, 10); time (8-4)*5 + (10-4)*7 = 62.
  SvdfCase rank2{"Rank2ZeroPoints", Params(1, 1, 2, 2, 1), {1}, {2, 3}, {5, 7}, {},
                 {0, 0}, {8, 10}, {62}};
  rank2.p.input_zero_point = -1;
  rank2.p.state_zero_point = 4;
  cases.push_back(rank2);
  // Two batches, the feature result saturates at int16 (x2^16): 100*100 * 2^16 -> 32767;
  // batch 1: -100*100 -> -32768. Time weight 1, output x2^-8: 127.99 -> 128 -> 127,
  // -128 -> -128.
  SvdfCase sat{"SaturationAndBatches", Params(2, 1, 1, 1, 1), {100, -100}, {100}, {1}, {},
               {0, 0}, {32767, -32768}, {127, -128}};
  sat.p.feature_shift = 17;
  sat.p.output_shift = -7;
  cases.push_back(sat);
  return cases;
}

class Svdf : public ::testing::TestWithParam<SvdfCase> {};

TEST_P(Svdf, MatchesHandComputedOutput) {
  SvdfCase c = GetParam();
  std::vector<int8_t> out(c.expected.size(), 0x55);
  std::vector<int32_t> scratch(static_cast<size_t>(c.p.batches * c.p.num_filters), 777);
  tml_svdf_s8(&c.p, c.input.data(), c.weights_feature.data(), c.weights_time.data(),
              c.bias.empty() ? nullptr : c.bias.data(), c.state.data(), out.data(), scratch.data());
  EXPECT_EQ(out, c.expected);
  EXPECT_EQ(c.state, c.state_after);
}

INSTANTIATE_TEST_SUITE_P(Cases, Svdf, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<SvdfCase>& i) { return i.param.name; });

// The second call reads the state the first one wrote: (20, 11) -> (11, 11),
// 11*1 + 11*2 + 8 = 41, x0.5 = 20.5 -> 21, + 3 = 24.
TEST(SvdfState, SecondCallSeesFirstCallsState) {
  SvdfCase c = Cases()[0];
  std::vector<int8_t> out(1);
  std::vector<int32_t> scratch(1);
  for (int call = 0; call < 2; ++call) {
    tml_svdf_s8(&c.p, c.input.data(), c.weights_feature.data(), c.weights_time.data(),
                c.bias.data(), c.state.data(), out.data(), scratch.data());
  }
  EXPECT_EQ(c.state, (std::vector<int16_t>{11, 11}));
  EXPECT_EQ(out[0], 24);
}

}  // namespace
