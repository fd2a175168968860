// The 16x8 kernels (tml_conv_s16.h): the int64 requantization against exact rational
// arithmetic, and hand-computed layers that tell the 64-bit and 32-bit accumulators,
// grouped filters and the fully-connected offsets apart.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

// round-half-up(x * m16 / 2^(15 - shift)), m16 = the 16-bit multiplier TFLM derives.
int64_t Expected(int64_t x, int32_t multiplier, int32_t shift) {
  const int64_t m16 = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const __int128 p = static_cast<__int128>(x) * m16;
  const int s = 15 - shift;
  // floor((p + 2^(s-1)) / 2^s) with floor division.
  const __int128 num = p + (static_cast<__int128>(1) << (s - 1));
  __int128 q = num / (static_cast<__int128>(1) << s);
  if (num < 0 && q * (static_cast<__int128>(1) << s) != num) --q;
  return static_cast<int64_t>(q);
}

TEST(ConvS16, MultiplyByQuantizedMultiplier64MatchesExactRounding) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200000; ++i) {
    const int32_t shift = static_cast<int32_t>(rng() % 39) - 31;  // [-31, 7]
    int32_t m = static_cast<int32_t>((1u << 30) + rng() % (1u << 30));
    if (i % 50 == 0) m = 0x7FFFFFFF;  // the saturated 16-bit multiplier
    // |x * 2^shift| small enough for an int32 result.
    const int lim = 30 - shift < 46 ? 30 - shift : 46;
    const int64_t x = static_cast<int64_t>(rng() % (uint64_t{1} << lim)) - (int64_t{1} << (lim - 1));
    ASSERT_EQ(tml_multiply_by_quantized_multiplier_s64(x, m, shift), Expected(x, m, shift))
        << "x=" << x << " m=" << m << " shift=" << shift;
  }
}

tml_fully_connected_s16_params_t Fc(int32_t accum, int32_t depth, const int32_t* mult,
                                    const int32_t* shift) {
  tml_fully_connected_s16_params_t p{};
  p.batches = 1;
  p.accum_depth = accum;
  p.output_depth = depth;
  p.act_min = -32768;
  p.act_max = 32767;
  p.output_multiplier = mult;
  p.output_shift = shift;
  return p;
}

TEST(ConvS16, FullyConnectedAccumulators) {
  // Multiplier 0.5 (2^30, shift 0). Sum = 32767 * 127 * 2 = 8322818.
  const int32_t mult[1] = {1 << 30}, shift[1] = {0};
  const std::vector<int16_t> in = {32767, 32767};
  const std::vector<int8_t> w = {127, 127};
  tml_fully_connected_s16_params_t p = Fc(2, 1, mult, shift);
  int16_t out = 0;
  // 64-bit: a bias of -8322818 + 100 leaves 100, times 0.5 = 50.
  const int64_t b64[1] = {-8322818 + 100};
  tml_fully_connected_s16(&p, in.data(), w.data(), b64, &out);
  EXPECT_EQ(out, 50);
  // 32-bit: 8322818 + (2^31 - 1) wraps negative in int32 (in 64 bits it would clamp to
  // +32767).
  const int32_t b32[1] = {INT32_MAX};
  tml_fully_connected_s16_acc32(&p, in.data(), w.data(), b32, &out);
  EXPECT_EQ(out, -32768);
  // Offsets (TFLM's fully-connected kernel applies them): (3 + 1) * (10 - 2) * 0.5 + 7 = 23.
  const std::vector<int16_t> in1 = {10};
  const std::vector<int8_t> w1 = {3};
  tml_fully_connected_s16_params_t q = Fc(1, 1, mult, shift);
  q.input_offset = -2;
  q.filter_offset = 1;
  q.output_offset = 7;
  tml_fully_connected_s16(&q, in1.data(), w1.data(), nullptr, &out);
  EXPECT_EQ(out, 23);
}

TEST(ConvS16, GroupedConvolutionReadsItsGroup) {
  // 1x1 input with 4 channels, 2 groups of 2, 2 filters (one per group), multiplier 1.
  const int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {1, 1};
  tml_conv_s16_params_t p{};
  p.batches = 1;
  p.input_h = p.input_w = 1;
  p.input_c = 4;
  p.filter_h = p.filter_w = 1;
  p.filter_c = 2;
  p.output_h = p.output_w = 1;
  p.output_c = 2;
  p.depth_multiplier = 1;
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  p.act_min = -32768;
  p.act_max = 32767;
  p.output_multiplier = mult;
  p.output_shift = shift;
  const std::vector<int16_t> in = {1, 2, 300, 400};
  const std::vector<int8_t> w = {1, 1, 1, -1};  // filter 0: c0 + c1; filter 1: c2 - c3
  const int64_t bias[2] = {10, 0};
  int16_t out[2] = {0, 0};
  tml_conv_2d_s16(&p, in.data(), w.data(), bias, out);
  EXPECT_EQ(out[0], 13);
  EXPECT_EQ(out[1], -100);
}

}  // namespace
