// CONV_2D against hand-computed outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;  // multiplier 0.5; with shift 1 the scale is exactly 1

struct ConvCase {
  std::string name;
  tml_conv_2d_s8_params_t p;  // multiplier/shift pointers filled in by the test
  std::vector<int8_t> input, filter;
  std::vector<int32_t> bias;  // empty: NULL
  std::vector<int32_t> multiplier, shift;
  std::vector<int8_t> expected;
};

tml_conv_2d_s8_params_t Params(int32_t batches, int32_t ih, int32_t iw, int32_t ic, int32_t fh,
                               int32_t fw, int32_t oh, int32_t ow, int32_t oc, int32_t stride,
                               int32_t dilation, int32_t pad, int32_t input_offset,
                               int32_t output_offset, int32_t act_min, int32_t act_max) {
  tml_conv_2d_s8_params_t p{};
  p.batches = batches;
  p.input_h = ih, p.input_w = iw, p.input_c = ic;
  p.filter_h = fh, p.filter_w = fw, p.filter_c = ic;
  p.output_h = oh, p.output_w = ow, p.output_c = oc;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dilation;
  p.pad_h = p.pad_w = pad;
  p.input_offset = input_offset;
  p.output_offset = output_offset;
  p.act_min = act_min, p.act_max = act_max;
  return p;
}

const std::vector<int8_t> k3x3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

std::vector<ConvCase> Cases() {
  return {
      // input + 1 = [2 3 4; 5 6 7; 8 9 10], filter [1 0; -1 2], bias 10, scale 1, out -5:
      //   (0,0) 2 - 5 + 2*6 = 9 -> 19 -> 14     (0,1) 3 - 6 + 2*7 = 11 -> 21 -> 16
      //   (1,0) 5 - 8 + 2*9 = 15 -> 25 -> 20    (1,1) 6 - 9 + 2*10 = 17 -> 27 -> 22
      {"Valid2x2WithOffsetsAndBias", Params(1, 3, 3, 1, 2, 2, 2, 2, 1, 1, 1, 0, 1, -5, -128, 127),
       k3x3, {1, 0, -1, 2}, {10}, {kHalf}, {1}, {14, 16, 20, 22}},
      // 3x3 ones, stride 2, pad 1, input_offset 2, no bias. Taps in the padding are
      // skipped, so each output sums its in-bounds taps (value + 2):
      //   (0,0) rows 0-1, cols 0-1: 1+2+4+5 + 4*2 = 20    (0,1) cols 1-2: 2+3+5+6 + 8 = 24
      //   (1,0) rows 1-2: 4+5+7+8 + 8 = 32                (1,1) 5+6+8+9 + 8 = 36
      {"SamePaddingStride2", Params(1, 3, 3, 1, 3, 3, 2, 2, 1, 2, 1, 1, 2, 0, -128, 127), k3x3,
       std::vector<int8_t>(9, 1), {}, {kHalf}, {1}, {20, 24, 32, 36}},
      // 2x2 filter [1 2; 3 4] with dilation 2 reads the corners 1, 3, 7, 9:
      //   1*1 + 2*3 + 3*7 + 4*9 = 64
      {"Dilation2", Params(1, 3, 3, 1, 2, 2, 1, 1, 1, 1, 2, 0, 0, 0, -128, 127), k3x3,
       {1, 2, 3, 4}, {}, {kHalf}, {1}, {64}},
      // 1x1 conv, 2 input channels, 3 output channels with their own scales, 2 batches,
      // output offset 3, activation [-3, 100].
      //   batch 0, input [10, -21]:
      //     oc0 [1 1]   -> -11,      * 0.5 = -5.5 -> -5 (ties up), + 3 = -2
      //     oc1 [2 0]   -> 20 + 1,   * 0.5 = 10.5 -> 11, + 3 = 14
      //     oc2 [-5 -5] -> 55 + 1000, * 1 = 1055, + 3 = 1058 -> 100
      //   batch 1, input [0, 0]: oc0 0 -> 3; oc1 1 * 0.5 = 0.5 -> 1 -> 4; oc2 1000 -> 100
      {"PerChannelScalesBatchesClamp", Params(2, 1, 1, 2, 1, 1, 1, 1, 3, 1, 1, 0, 0, 3, -3, 100),
       {10, -21, 0, 0}, {1, 1, 2, 0, -5, -5}, {0, 1, 1000}, {kHalf, kHalf, kHalf}, {0, 0, 1},
       {-2, 14, 100, 3, 4, 100}},
      // 2 input channels x 2x2 filter taps, 2 output channels (OHWI filter layout), pad 0.
      //   input (y,x,c): (0,0)=[1,-1] (0,1)=[2,-2] (1,0)=[3,-3] (1,1)=[4,-4], input_offset 0
      //   oc0 weights all 1: 1-1+2-2+3-3+4-4 = 0
      //   oc1 weights c0=1, c1=0 at every tap: 1+2+3+4 = 10; scale 2^30 * 2^2 * 2^-31 = 2 -> 20
      {"MultiChannelOhwiLayout", Params(1, 2, 2, 2, 2, 2, 1, 1, 2, 1, 1, 0, 0, 0, -128, 127),
       {1, -1, 2, -2, 3, -3, 4, -4}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0}, {},
       {kHalf, kHalf}, {1, 2}, {0, 20}},
  };
}

class Conv2d : public ::testing::TestWithParam<ConvCase> {};

TEST_P(Conv2d, MatchesHandComputedOutput) {
  ConvCase c = GetParam();
  c.p.output_multiplier = c.multiplier.data();
  c.p.output_shift = c.shift.data();
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_conv_2d_s8(&c.p, c.input.data(), c.filter.data(), c.bias.empty() ? nullptr : c.bias.data(),
                 out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, Conv2d, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ConvCase>& i) { return i.param.name; });

}  // namespace
