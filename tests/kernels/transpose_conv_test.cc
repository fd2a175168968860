// TRANSPOSE_CONV against hand-computed outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;  // Q0.31 0.5: (kHalf, 1) is x1, (kHalf, 0) is x0.5

struct TransposeConvCase {
  std::string name;
  tml_transpose_conv_s8_params_t p;
  std::vector<int32_t> multiplier, shift;  // per output channel
  std::vector<int8_t> input, filter;
  std::vector<int32_t> bias;  // empty: NULL
  std::vector<int8_t> expected;
};

tml_transpose_conv_s8_params_t Params(int in_h, int in_w, int in_c, int f_h, int f_w,
                                      int out_h, int out_w, int out_c, int stride, int pad) {
  tml_transpose_conv_s8_params_t p{};
  p.batches = 1;
  p.input_h = in_h, p.input_w = in_w, p.input_c = in_c;
  p.filter_h = f_h, p.filter_w = f_w;
  p.output_h = out_h, p.output_w = out_w, p.output_c = out_c;
  p.stride_h = p.stride_w = stride;
  p.pad_h = p.pad_w = pad;
  p.act_min = -128, p.act_max = 127;
  return p;
}

std::vector<TransposeConvCase> Cases() {
  std::vector<TransposeConvCase> cases;
  // Stride 2, VALID, 2x2 filter: every input cell becomes a 2x2 tile in * filter.
  //   in [1 2; 3 4], filter [1 2; 3 4], x1.
  cases.push_back({"Stride2Tiles", Params(2, 2, 1, 2, 2, 4, 4, 1, 2, 0), {kHalf}, {1},
                   {1, 2, 3, 4}, {1, 2, 3, 4}, {},
                   {1, 2, 2, 4,  3, 4, 6, 8,  3, 6, 4, 8,  9, 12, 12, 16}});
  // Stride 1, 3x3 ones, padding 1 on a 2x2 output: every input reaches every output:
  //   (1+1)+(2+1)+(3+1)+(4+1) = 14 (input_offset 1), + bias 5 = 19, x0.5 = 9.5 -> 10
  //   (the high multiply rounds ties up), + output_offset -3 = 7, act_max 6 -> 6.
  TransposeConvCase overlap{"Stride1OverlapBiasClamp", Params(2, 2, 1, 3, 3, 2, 2, 1, 1, 1),
                            {kHalf}, {0}, {1, 2, 3, 4}, std::vector<int8_t>(9, 1), {5},
                            {6, 6, 6, 6}};
  overlap.p.input_offset = 1;
  overlap.p.output_offset = -3;
  overlap.p.act_max = 6;
  cases.push_back(overlap);
  // Two input and two output channels, per-channel scales, 1x1 input, 1x2 filter,
  // stride 1, output 1x2: out[x][oc] = sum_ic in[ic] * f[oc][0][x][ic].
  //   in (3, -2); f oc0: x0 (1, 1), x1 (2, 0); oc1: x0 (-1, 4), x1 (0, 5)
  //   oc0 (x1): x0 1, x1 6;  oc1 (x0.5): x0 -11 -> -5.5 -> -5 (tie up), x1 -10 -> -5.
  cases.push_back({"PerChannel", Params(1, 1, 2, 1, 2, 1, 2, 2, 1, 0), {kHalf, kHalf}, {1, 0},
                   {3, -2}, {1, 1, 2, 0, -1, 4, 0, 5}, {}, {1, -5, 6, -5}});
  return cases;
}

class TransposeConv : public ::testing::TestWithParam<TransposeConvCase> {};

TEST_P(TransposeConv, MatchesHandComputedOutput) {
  TransposeConvCase c = GetParam();
  c.p.output_multiplier = c.multiplier.data();
  c.p.output_shift = c.shift.data();
  std::vector<int8_t> out(c.expected.size(), 0x55);
  std::vector<int32_t> scratch(c.expected.size(), 12345);  // contents must not matter
  tml_transpose_conv_s8(&c.p, c.input.data(), c.filter.data(),
                        c.bias.empty() ? nullptr : c.bias.data(), out.data(), scratch.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, TransposeConv, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<TransposeConvCase>& i) {
                           return i.param.name;
                         });

}  // namespace
