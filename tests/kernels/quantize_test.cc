// QUANTIZE float32 -> int8/int16 and int8/int16 -> int8/int16 against hand-computed values.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

struct QuantizeCase {
  float scale;
  int32_t zero_point;
  float input;
  int8_t expected;
};

// out = clamp(roundf(in / scale) + zero_point): single-precision division, rounding
// half away from zero.
class QuantizeF32 : public ::testing::TestWithParam<QuantizeCase> {};

TEST_P(QuantizeF32, MatchesHandValue) {
  const QuantizeCase c = GetParam();
  const tml_quantize_f32_s8_params_t p{1, c.scale, c.zero_point};
  int8_t out = 0x55;
  tml_quantize_f32_s8(&p, &c.input, &out);
  EXPECT_EQ(out, c.expected) << c.input << " / " << c.scale << " + " << c.zero_point;
}

constexpr float kInf = std::numeric_limits<float>::infinity();

INSTANTIATE_TEST_SUITE_P(
    Cases, QuantizeF32,
    ::testing::Values(QuantizeCase{0.5f, 0, 1.25f, 3},     // 2.5 -> 3
                      QuantizeCase{0.5f, 0, -1.25f, -3},   // -2.5 -> -3
                      QuantizeCase{0.5f, 0, 0.75f, 2},     // 1.5 -> 2
                      QuantizeCase{0.5f, 0, -0.75f, -2},   // -1.5 -> -2
                      QuantizeCase{0.5f, 0, 0.2f, 0},      // 0.4 -> 0
                      QuantizeCase{0.5f, 0, -0.2f, 0},     // -0.4 -> -0 -> 0
                      QuantizeCase{0.5f, 10, 1.25f, 13},   // 3 + 10
                      QuantizeCase{0.5f, -128, -0.25f, -128},  // -0.5 -> -1, -129 -> -128
                      QuantizeCase{0.5f, 0, 63.75f, 127},  // 127.5 -> 128 -> 127
                      QuantizeCase{0.5f, 0, -64.25f, -128},  // -128.5 -> -129 -> -128
                      QuantizeCase{0.5f, 0, 1e30f, 127}, QuantizeCase{0.5f, 0, -1e30f, -128},
                      QuantizeCase{0.5f, 0, kInf, 127}, QuantizeCase{0.5f, 3, -kInf, -128},
                      // 0.25f / 0.1f in float is 2.5f exactly (the true quotient
                      // 2.49999996... rounds up to it) -> 3. A double division would
                      // give 2.49999996 -> 2.
                      QuantizeCase{0.1f, 0, 0.25f, 3}));

TEST(QuantizeF32, NanGivesZeroPoint) {
  const tml_quantize_f32_s8_params_t p{1, 0.5f, -7};
  const float in = std::numeric_limits<float>::quiet_NaN();
  int8_t out = 0x55;
  tml_quantize_f32_s8(&p, &in, &out);
  EXPECT_EQ(out, -7);
}

TEST(QuantizeF32, WholeBuffer) {
  const tml_quantize_f32_s8_params_t p{4, 0.25f, 1};
  const std::vector<float> in = {0.0f, 0.125f, -0.125f, 1.0f};  // 0, 0.5, -0.5, 4
  std::vector<int8_t> out(4, 0x55);
  tml_quantize_f32_s8(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{1, 2, 0, 5}));
}

struct RequantizeCase {
  int32_t input_zero_point, output_zero_point, multiplier, shift;
  std::vector<int8_t> input, expected;
};

// out = clamp(MBQM(in - input_zp, multiplier, shift) + output_zp).
class Requantize : public ::testing::TestWithParam<RequantizeCase> {};

TEST_P(Requantize, MatchesHandValues) {
  const RequantizeCase c = GetParam();
  const tml_requantize_s8_params_t p{static_cast<int32_t>(c.input.size()), c.input_zero_point,
                                     c.output_zero_point, c.multiplier, c.shift};
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_requantize_s8_s8(&p, c.input.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Requantize,
    ::testing::Values(
        // Scale 1 (0.5 * 2^1): only the zero point moves, 1 -> -3: in - 4.
        RequantizeCase{1, -3, 1 << 30, 1, {0, 10, -124, -125}, {-4, 6, -128, -128}},
        // Scale 0.5: (4-1)*0.5 = 1.5 -> 2 -> -1; (-2-1)*0.5 = -1.5 -> -1 (SRDHM ties up) -> -4;
        // (2-1)*0.5 = 0.5 -> 1 -> -2; (0-1)*0.5 = -0.5 -> 0 -> -3.
        RequantizeCase{1, -3, 1 << 30, 0, {4, -2, 2, 0}, {-1, -4, -2, -3}},
        // Scale 2 (0.5 * 2^2): 126*2 - 3 = 249 -> 127; -129*2 - 3 -> -128; 5*2 - 3 = 7.
        RequantizeCase{1, -3, 1 << 30, 2, {127, -128, 6}, {127, -128, 7}}));

// int16 paths: the same arithmetic, int16 saturation.
TEST(QuantizeF32S16, RoundsAndSaturates) {
  const tml_quantize_f32_s16_params_t p{6, 0.5f, 3};
  const float in[6] = {1.25f, -1.25f, 16383.75f, 1e30f, -1e30f, -16386.0f};
  // 2.5 -> 3 (+3 = 6); -2.5 -> -3 (0); 32767.5 -> 32768 (+3) -> 32767; -32772 + 3 -> -32768.
  int16_t out[6];
  tml_quantize_f32_s16(&p, in, out);
  EXPECT_EQ(std::vector<int16_t>(out, out + 6),
            (std::vector<int16_t>{6, 0, 32767, 32767, -32768, -32768}));
}

TEST(Requantize16, EveryTypePair) {
  // Scale 2 (0.5 * 2^2), zero points 1 -> -3.
  const tml_requantize_s8_params_t p{3, 1, -3, 1 << 30, 2};
  const int8_t in8[3] = {127, -128, 6};
  const int16_t in16[3] = {20000, -20000, 6};
  int16_t out16[3];
  int8_t out8[3];
  tml_requantize_s8_s16(&p, in8, out16);
  EXPECT_EQ(std::vector<int16_t>(out16, out16 + 3), (std::vector<int16_t>{249, -261, 7}));
  tml_requantize_s16_s16(&p, in16, out16);
  EXPECT_EQ(std::vector<int16_t>(out16, out16 + 3), (std::vector<int16_t>{32767, -32768, 7}));
  tml_requantize_s16_s8(&p, in16, out8);
  EXPECT_EQ(std::vector<int8_t>(out8, out8 + 3), (std::vector<int8_t>{127, -128, 7}));
}

TEST(Requantize32, IntoAndOutOfInt32) {
  // Scale 2 (0.5 * 2^2), zero points 1 -> -3: y = 2 * (x - 1) - 3.
  const tml_requantize_s8_params_t p{3, 1, -3, 1 << 30, 2};
  const int8_t in8[3] = {127, -128, 6};
  const int16_t in16[3] = {20000, -20000, 6};
  const int32_t in32[3] = {100000, -100000, 6};
  int32_t out32[3];
  int16_t out16[3];
  int8_t out8[3];
  tml_requantize_s8_s32(&p, in8, out32);
  EXPECT_EQ(std::vector<int32_t>(out32, out32 + 3), (std::vector<int32_t>{249, -261, 7}));
  tml_requantize_s16_s32(&p, in16, out32);
  EXPECT_EQ(std::vector<int32_t>(out32, out32 + 3), (std::vector<int32_t>{39995, -40005, 7}));
  tml_requantize_s32_s16(&p, in32, out16);
  EXPECT_EQ(std::vector<int16_t>(out16, out16 + 3), (std::vector<int16_t>{32767, -32768, 7}));
  tml_requantize_s32_s8(&p, in32, out8);
  EXPECT_EQ(std::vector<int8_t>(out8, out8 + 3), (std::vector<int8_t>{127, -128, 7}));
  // int32 input at the edge: x - zero point wraps modulo 2^32 (TFLM's int32 arithmetic
  // on two's-complement hardware) instead of being undefined.
  const tml_requantize_s8_params_t q{1, -1, 0, 1 << 30, 0};  // scale 0.5
  const int32_t edge[1] = {INT32_MAX};
  tml_requantize_s32_s8(&q, edge, out8);
  EXPECT_EQ(out8[0], -128);  // INT32_MAX + 1 wraps to INT32_MIN; half of it saturates
}

}  // namespace
