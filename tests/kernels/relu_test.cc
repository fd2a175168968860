// RELU / RELU_N1_TO_1 (requantize + clamp) and RELU6 (clamp on the input scale).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;  // 0.5 in Q0.31

struct ReluCase {
  std::string name;
  tml_relu_params_t p;
  std::vector<int32_t> input, expected;
};

// Ratio 1 is (2^30, shift 1); ratio 0.5 is (2^30, shift 0). MultiplyByQuantizedMultiplier
// rounds the halves of the 0.5 case toward +infinity (SRDHM): 3 -> 2, -3 -> -1.
std::vector<ReluCase> Cases() {
  return {
      {"Ratio1ClampAtZeroPoint", {0, 0, 0, kHalf, 1, 0, 127}, {-5, 0, 7, 127, -128},
       {0, 0, 7, 127, 0}},
      {"OffsetsShiftTheClamp", {0, -3, 10, kHalf, 1, 10, 127}, {-3, 0, -10, 117, 118},
       {10, 13, 10, 127, 127}},
      // (x - 1) / 2 + 5 clamped to [3, 6] (a RELU_N1_TO_1 shape):
      //   4 -> 1.5 -> 2 -> 7 -> 6      -2 -> -1.5 -> -1 -> 4      2 -> 0.5 -> 1 -> 6
      //   -20 -> -10.5 -> -10 -> -5 -> 3                          9 -> 4 -> 9 -> 6
      {"HalfRatioRoundsUpAndClampsBothSides", {0, 1, 5, kHalf, 0, 3, 6}, {4, -2, 2, -20, 9},
       {6, 4, 6, 3, 6}},
  };
}

class Relu : public ::testing::TestWithParam<ReluCase> {};

TEST_P(Relu, Int8AndInt16MatchHandValues) {
  ReluCase c = GetParam();
  c.p.size = static_cast<int32_t>(c.input.size());
  std::vector<int8_t> in8(c.input.begin(), c.input.end()), out8(c.input.size(), 0x55);
  tml_relu_s8(&c.p, in8.data(), out8.data());
  EXPECT_EQ(std::vector<int32_t>(out8.begin(), out8.end()), c.expected);
  // The int16 kernel computes the same with the int16 range.
  std::vector<int16_t> in16(c.input.begin(), c.input.end()), out16(c.input.size(), 0x5555);
  tml_relu_s16(&c.p, in16.data(), out16.data());
  EXPECT_EQ(std::vector<int32_t>(out16.begin(), out16.end()), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, Relu, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ReluCase>& i) { return i.param.name; });

TEST(Relu, Int16UsesTheWholeRange) {
  const tml_relu_params_t p = {4, 0, 0, kHalf, 1, 0, 32767};  // ratio 1, RELU
  const int16_t in[4] = {-32768, -1, 1000, 32767};
  int16_t out[4];
  tml_relu_s16(&p, in, out);
  EXPECT_EQ(std::vector<int16_t>(out, out + 4), (std::vector<int16_t>{0, 0, 1000, 32767}));
}

TEST(Relu6, ClampsToZeroPointAndSixWithoutRequantizing) {
  // Input zero point -10, six = -10 + 6 / 0.25 = 14.
  const tml_relu6_params_t p = {6, -10, 14};
  const int8_t in[6] = {-128, -11, -10, 0, 14, 127};
  int8_t out[6];
  tml_relu6_s8(&p, in, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 6), (std::vector<int8_t>{-10, -10, -10, 0, 14, 14}));
  const tml_relu6_params_t p16 = {3, 0, 24576};  // scale 2^-12: 6.0 -> 24576
  const int16_t in16[3] = {-5, 100, 30000};
  int16_t out16[3];
  tml_relu6_s16(&p16, in16, out16);
  EXPECT_EQ(std::vector<int16_t>(out16, out16 + 3), (std::vector<int16_t>{0, 100, 24576}));
}

}  // namespace
