// LEAKY_RELU: identity multiplier for x >= 0, (signed) alpha multiplier for x < 0.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;  // 0.5 in Q0.31

struct LeakyCase {
  std::string name;
  tml_leaky_relu_params_t p;
  std::vector<int32_t> input, expected;
};

std::vector<LeakyCase> Cases() {
  return {
      // Ratio 1 (2^30, 1), alpha 0.25 (2^30, -1): negatives quartered, rounded (SRDHM
      // then RoundingDivideByPOT): -8 -> -2, -6 -> -1.5 -> -2 (away from zero), -2 -> -0.5 -> -1.
      {"QuarterAlpha", {0, 0, 0, kHalf, 1, kHalf, -1, 0}, {-8, -6, -2, 0, 5, 127},
       {-2, -2, -1, 0, 5, 127}},
      // Zero points 3 (input) and 1 (output); alpha = -0.5: magnitude (2^30, 0), the
      // scaled value negated.
      //   q = -1: x = -4 -> 0.5 * -4 = -2, negated 2, + 1 = 3
      //   q = 0:  x = -3 -> -1.5 -> -1 (SRDHM ties up), negated 1, + 1 = 2
      //   q = 3:  x = 0 -> 0 + 1 = 1;   q = 127: 124 + 1 = 125
      {"NegativeAlphaAndZeroPoints", {0, 3, 1, kHalf, 1, kHalf, 0, 1}, {-1, 0, 3, 127},
       {3, 2, 1, 125}},
      // Saturation at the int8 range: ratio 2 (2^30, 2), alpha 2 (2^30, 2).
      {"Saturates", {0, 0, 0, kHalf, 2, kHalf, 2, 0}, {100, -100, 3}, {127, -128, 6}},
  };
}

class LeakyRelu : public ::testing::TestWithParam<LeakyCase> {};

TEST_P(LeakyRelu, Int8MatchesHandValues) {
  LeakyCase c = GetParam();
  c.p.size = static_cast<int32_t>(c.input.size());
  std::vector<int8_t> in(c.input.begin(), c.input.end()), out(c.input.size(), 0x55);
  tml_leaky_relu_s8(&c.p, in.data(), out.data());
  EXPECT_EQ(std::vector<int32_t>(out.begin(), out.end()), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, LeakyRelu, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<LeakyCase>& i) { return i.param.name; });

TEST(LeakyRelu, Int16ClampsToInt16) {
  const tml_leaky_relu_params_t p = {4, 0, 0, kHalf, 2, kHalf, -1, 0};  // ratio 2, alpha 0.25
  const int16_t in[4] = {20000, -20000, -6, 7};
  int16_t out[4];
  tml_leaky_relu_s16(&p, in, out);
  EXPECT_EQ(std::vector<int16_t>(out, out + 4), (std::vector<int16_t>{32767, -5000, -2, 14}));
}

}  // namespace
