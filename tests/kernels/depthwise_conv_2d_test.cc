// DEPTHWISE_CONV_2D against hand-computed outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;

struct DwCase {
  std::string name;
  tml_depthwise_conv_2d_s8_params_t p;
  std::vector<int8_t> input, filter;
  std::vector<int32_t> bias;  // empty: NULL
  std::vector<int32_t> multiplier, shift;
  std::vector<int8_t> expected;
};

tml_depthwise_conv_2d_s8_params_t Params(int32_t ih, int32_t iw, int32_t ic, int32_t fh,
                                         int32_t fw, int32_t depth_multiplier, int32_t oh,
                                         int32_t ow, int32_t stride, int32_t dilation,
                                         int32_t pad, int32_t input_offset,
                                         int32_t output_offset) {
  tml_depthwise_conv_2d_s8_params_t p{};
  p.batches = 1;
  p.input_h = ih, p.input_w = iw, p.input_c = ic;
  p.filter_h = fh, p.filter_w = fw;
  p.depth_multiplier = depth_multiplier;
  p.output_h = oh, p.output_w = ow, p.output_c = ic * depth_multiplier;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dilation;
  p.pad_h = p.pad_w = pad;
  p.input_offset = input_offset;
  p.output_offset = output_offset;
  p.act_min = -128, p.act_max = 127;
  return p;
}

const std::vector<int8_t> k3x3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

std::vector<DwCase> Cases() {
  return {
      // 2x2 input, 2 channels, depth multiplier 2 -> 4 output channels, 2x2 VALID filter.
      //   input (y,x): [1,10] [2,20] / [3,30] [4,40]
      //   filter [1,2,2,4] per tap (oc0..oc3): (0,0) [1 1 1 0] (0,1) [1 -1 0 0]
      //                                         (1,0) [1 0 0 0] (1,1) [1 2 0 -1]
      //   oc0 = ic0 m0: 1+2+3+4 = 10        oc1 = ic0 m1: 1-2+0+2*4 = 7
      //   oc2 = ic1 m0: 10 (+ bias 5) = 15  oc3 = ic1 m1: -40
      {"DepthMultiplier2", Params(2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0),
       {1, 10, 2, 20, 3, 30, 4, 40}, {1, 1, 1, 0, 1, -1, 0, 0, 1, 0, 0, 0, 1, 2, 0, -1},
       {0, 0, 5, 0}, {kHalf, kHalf, kHalf, kHalf}, {1, 1, 1, 1}, {10, 7, 15, -40}},
      // 2x2 ones, stride 2, pad 1, input_offset -1 (zero point 1), no bias:
      //   (0,0) only tap (0,0): 1-1 = 0          (0,1) taps (0,1),(0,2): 1 + 2 = 3
      //   (1,0) taps (1,0),(2,0): 3 + 6 = 9      (1,1) (1,1),(1,2),(2,1),(2,2): 4+5+7+8 = 24
      {"PaddingStrideInputOffset", Params(3, 3, 1, 2, 2, 1, 2, 2, 2, 1, 1, -1, 0), k3x3,
       {1, 1, 1, 1}, {}, {kHalf}, {1}, {0, 3, 9, 24}},
      // Dilation 2 reads the corners: (1-1)+(3-1)+(7-1)+(9-1) = 16; * 0.5 = 8; - 10 = -2
      {"Dilation2Scaled", Params(3, 3, 1, 2, 2, 1, 1, 1, 1, 2, 0, -1, -10), k3x3, {1, 1, 1, 1},
       {}, {kHalf}, {0}, {-2}},
  };
}

class DepthwiseConv2d : public ::testing::TestWithParam<DwCase> {};

TEST_P(DepthwiseConv2d, MatchesHandComputedOutput) {
  DwCase c = GetParam();
  c.p.output_multiplier = c.multiplier.data();
  c.p.output_shift = c.shift.data();
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_depthwise_conv_2d_s8(&c.p, c.input.data(), c.filter.data(),
                           c.bias.empty() ? nullptr : c.bias.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, DepthwiseConv2d, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<DwCase>& i) { return i.param.name; });

}  // namespace
