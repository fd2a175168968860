// AVERAGE_POOL_2D and MAX_POOL_2D against hand-computed outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

tml_pool_2d_s8_params_t Params(int32_t batches, int32_t ih, int32_t iw, int32_t channels,
                               int32_t filter, int32_t oh, int32_t ow, int32_t stride,
                               int32_t pad, int32_t act_min, int32_t act_max) {
  tml_pool_2d_s8_params_t p{};
  p.batches = batches;
  p.input_h = ih, p.input_w = iw;
  p.channels = channels;
  p.filter_h = p.filter_w = filter;
  p.output_h = oh, p.output_w = ow;
  p.stride_h = p.stride_w = stride;
  p.pad_h = p.pad_w = pad;
  p.act_min = act_min, p.act_max = act_max;
  return p;
}

// 3x3 input with 2 channels: channel 0 is 1..9, channel 1 is -1..-9.
const std::vector<int8_t> kTwoChannels = {1,  -1, 2,  -2, 3,  -3, 4,  -4, 5,
                                          -5, 6,  -6, 7,  -7, 8,  -8, 9,  -9};

struct PoolCase {
  std::string name;
  bool average;
  tml_pool_2d_s8_params_t p;
  std::vector<int8_t> input, expected;
};

std::vector<PoolCase> Cases() {
  return {
      // 2x2 window, stride 2, SAME (pad 0 top/left, 1 bottom/right) -> 2x2 output.
      // Windows: (0,0) {1,2,4,5}  (0,1) {3,6}  (1,0) {7,8}  (1,1) {9}. The divisor is the
      // number of in-bounds taps; rounding is half away from zero:
      //   ch0: 12/4 = 3   9/2 = 4.5 -> 5    15/2 = 7.5 -> 8    9/1 = 9
      //   ch1: -3         -4.5 -> -5        -7.5 -> -8         -9
      {"AverageEdgeWindowsDivideByTapCount", true, Params(1, 3, 3, 2, 2, 2, 2, 2, 0, -128, 127),
       kTwoChannels, {3, -3, 5, -5, 8, -8, 9, -9}},
      // Same with activation range [-4, 4].
      {"AverageClamped", true, Params(1, 3, 3, 2, 2, 2, 2, 2, 0, -4, 4), kTwoChannels,
       {3, -3, 4, -4, 4, -4, 4, -4}},
      // 3x3 window, stride 1, pad 1, on a 1x3 row [-1 -1 -2], 1 channel:
      //   x=0: {-1,-1} -> -2/2 = -1     x=1: {-1,-1,-2} -> -4/3 = -1.33 -> -1
      //   x=2: {-1,-2} -> -3/2 = -1.5 -> -2
      {"AveragePaddingLeftAndRight", true, Params(1, 1, 3, 1, 3, 1, 3, 1, 1, -128, 127),
       {-1, -1, -2}, {-1, -1, -2}},
      // Filter 3, stride 1, pad 1 on a 1x3 row, 2 channels [1 1 3] and [-1 -1 -3]:
      //   x=0 {1,1} -> 1    x=1 {1,1,3} -> 5/3 = 1.67 -> 2    x=2 {1,3} -> 2
      //   ch1 mirrors: -1, -1.67 -> -2, -2
      {"AverageThirds", true, Params(1, 1, 3, 2, 3, 1, 3, 1, 1, -128, 127),
       {1, -1, 1, -1, 3, -3}, {1, -1, 2, -2, 2, -2}},
      // Max over the same windows: padding never contributes (ch1 stays negative).
      //   ch0: 5 6 8 9     ch1: -1 -3 -7 -9
      {"MaxEdgeWindows", false, Params(1, 3, 3, 2, 2, 2, 2, 2, 0, -128, 127), kTwoChannels,
       {5, -1, 6, -3, 8, -7, 9, -9}},
      // Max with activation range [-5, 7]: 5 6 7 7 / -1 -3 -5 -5
      {"MaxClamped", false, Params(1, 3, 3, 2, 2, 2, 2, 2, 0, -5, 7), kTwoChannels,
       {5, -1, 6, -3, 7, -5, 7, -5}},
      // Two batches of a 2x2 single-channel input, global 2x2 window.
      {"MaxBatches", false, Params(2, 2, 2, 1, 2, 1, 1, 2, 0, -128, 127),
       {-128, -7, -9, -100, 1, 0, 127, -1}, {-7, 127}},
  };
}

class Pool2d : public ::testing::TestWithParam<PoolCase> {};

TEST_P(Pool2d, MatchesHandComputedOutput) {
  const PoolCase c = GetParam();
  std::vector<int8_t> out(c.expected.size(), 0x55);
  if (c.average) {
    tml_average_pool_2d_s8(&c.p, c.input.data(), out.data());
  } else {
    tml_max_pool_2d_s8(&c.p, c.input.data(), out.data());
  }
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, Pool2d, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<PoolCase>& i) { return i.param.name; });

}  // namespace

namespace {

// TFLM's integer average pooling, one channel at a time, for comparison with the kernel's
// 4-channel path (channels a multiple of 4, at most 256 taps).
std::vector<int8_t> ReferenceAverage(const tml_pool_2d_s8_params_t& p, const std::vector<int8_t>& in) {
  std::vector<int8_t> out(static_cast<size_t>(p.batches * p.output_h * p.output_w * p.channels));
  for (int b = 0; b < p.batches; ++b)
    for (int oy = 0; oy < p.output_h; ++oy)
      for (int ox = 0; ox < p.output_w; ++ox)
        for (int c = 0; c < p.channels; ++c) {
          int sum = 0, count = 0;
          for (int ky = 0; ky < p.filter_h; ++ky)
            for (int kx = 0; kx < p.filter_w; ++kx) {
              const int y = oy * p.stride_h - p.pad_h + ky, x = ox * p.stride_w - p.pad_w + kx;
              if (y < 0 || y >= p.input_h || x < 0 || x >= p.input_w) continue;
              sum += in[static_cast<size_t>(((b * p.input_h + y) * p.input_w + x) * p.channels + c)];
              ++count;
            }
          int v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
          v = std::min(std::max(v, p.act_min), p.act_max);
          out[static_cast<size_t>(((b * p.output_h + oy) * p.output_w + ox) * p.channels + c)] =
              static_cast<int8_t>(v);
        }
  return out;
}

// The 4-channel path: random windows up to 16x16 = 256 taps (the int16 lane limit), with
// inputs all -128, all 127 (the extreme lane sums) and random.
TEST(Pool2dFourChannels, AverageMatchesPerChannelReference) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 120; ++trial) {
    const int f = 1 + static_cast<int>(rng() % 16), stride = 1 + static_cast<int>(rng() % 3);
    const int ih = f + static_cast<int>(rng() % 6), iw = f + static_cast<int>(rng() % 6);
    const int pad = static_cast<int>(rng() % ((f - 1) / 2 + 1));  // every window overlaps the input
    const int oh = (ih + 2 * pad - f) / stride + 1, ow = (iw + 2 * pad - f) / stride + 1;
    const int channels = 4 * (1 + static_cast<int>(rng() % 4));
    tml_pool_2d_s8_params_t p = Params(1 + trial % 2, ih, iw, channels, f, oh, ow, stride, pad,
                                       trial % 4 == 0 ? -100 : -128, trial % 4 == 0 ? 90 : 127);
    std::vector<int8_t> in(static_cast<size_t>(p.batches * ih * iw * channels));
    for (auto& v : in) {
      v = trial % 3 == 0 ? int8_t{-128} : trial % 3 == 1 ? int8_t{127} : static_cast<int8_t>(rng());
    }
    std::vector<int8_t> out(static_cast<size_t>(p.batches * oh * ow * channels));
    tml_average_pool_2d_s8(&p, in.data(), out.data());
    ASSERT_EQ(out, ReferenceAverage(p, in)) << "trial " << trial << " filter " << f << " stride "
                                            << stride << " pad " << pad;
  }
}

}  // namespace
