// FULLY_CONNECTED (per-tensor and per-channel) against hand-computed outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;

struct FcCase {
  std::string name;
  tml_fully_connected_s8_params_t p;
  std::vector<int8_t> input, filter;
  std::vector<int32_t> bias;                        // empty: NULL
  std::vector<int32_t> channel_multiplier, channel_shift;  // empty: per-tensor
  std::vector<int8_t> expected;
};

tml_fully_connected_s8_params_t Params(int32_t batches, int32_t accum_depth,
                                       int32_t output_depth, int32_t input_offset,
                                       int32_t filter_offset, int32_t output_offset,
                                       int32_t act_min, int32_t act_max) {
  tml_fully_connected_s8_params_t p{};
  p.batches = batches;
  p.accum_depth = accum_depth;
  p.output_depth = output_depth;
  p.input_offset = input_offset;
  p.filter_offset = filter_offset;
  p.output_offset = output_offset;
  p.output_multiplier = kHalf;  // * 0.5 * 2^1 = exactly 1
  p.output_shift = 1;
  p.act_min = act_min, p.act_max = act_max;
  return p;
}

std::vector<FcCase> Cases() {
  return {
      // Per-tensor: input + 1 = [2 3 4]; filter - 2 = [-1 -2 -3] and [0 0 0]
      //   o0: -2 - 6 - 12 = -20 + 5 = -15, + 1 = -14      o1: 0 + 7 = 7, + 1 = 8
      {"PerTensorWithFilterOffset", Params(1, 3, 2, 1, -2, 1, -128, 127), {1, 2, 3},
       {1, 0, -1, 2, 2, 2}, {5, 7}, {}, {}, {-14, 8}},
      // Per-channel: TFLM ignores filter_offset (-2 here) on this path.
      //   o0: [1 0 -1].[2 3 4] = -2 + 5 = 3, scale 1, + 1 = 4
      //   o1: [2 2 2].[2 3 4] = 18 + 7 = 25, scale 0.25 with double rounding:
      //       SRDHM(25, 0.5) = 12.5 -> 13, 13 / 2 = 6.5 -> 7, + 1 = 8   (exact 6.25 would give 6)
      {"PerChannelIgnoresFilterOffset", Params(1, 3, 2, 1, -2, 1, -128, 127), {1, 2, 3},
       {1, 0, -1, 2, 2, 2}, {5, 7}, {kHalf, kHalf}, {1, -1}, {4, 8}},
      // Two batches, no bias, saturation: 127*127*2 = 32258 -> 127; -128*127*2 -> -128.
      {"BatchesNoBiasSaturate", Params(2, 2, 1, 0, 0, 0, -128, 127), {127, 127, -128, -128},
       {127, 127}, {}, {}, {}, {127, -128}},
      // Fused ReLU6-style range [0, 6] (zero point 0): [3, -4, 10]
      {"ActivationRange", Params(3, 1, 1, 0, 0, 0, 0, 6), {3, -4, 10}, {1}, {}, {}, {},
       {3, 0, 6}},
  };
}

class FullyConnected : public ::testing::TestWithParam<FcCase> {};

TEST_P(FullyConnected, MatchesHandComputedOutput) {
  FcCase c = GetParam();
  if (!c.channel_multiplier.empty()) {
    c.p.per_channel_multiplier = c.channel_multiplier.data();
    c.p.per_channel_shift = c.channel_shift.data();
  }
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_fully_connected_s8(&c.p, c.input.data(), c.filter.data(),
                         c.bias.empty() ? nullptr : c.bias.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, FullyConnected, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<FcCase>& i) { return i.param.name; });

}  // namespace
