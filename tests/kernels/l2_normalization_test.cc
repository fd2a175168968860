// L2_NORMALIZATION against hand-computed outputs (output in units of 1/128).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

struct L2Case {
  std::string name;
  int32_t depth, input_offset;
  std::vector<int8_t> input, expected;
};

std::vector<L2Case> Cases() {
  return {
      // (3, 4) / 5 * 128 = (76.8, 102.4).
      {"ThreeFourFive", 2, 0, {3, 4}, {77, 102}},
      // Zero point 10: (13, 14) -> (3, 4); (-5, 10) -> (-15, 0) / 15 = -1 -> -128.
      {"ZeroPoint", 2, -10, {13, 14, -5, 10}, {77, 102, -128, 0}},
      // A sum of squares <= 1 uses the multiplier INT32_MAX (~1): 1 -> 128 -> 127, and a
      // row at the zero point stays 0.
      {"SumOneAndZero", 3, 0, {0, 1, 0, 0, 0, 0}, {0, 127, 0, 0, 0, 0}},
      // (-100, 0, 0): -1 -> -128; (60, 80, 0) / 100 = (0.6, 0.8) -> (76.8, 102.4).
      {"Rows", 3, 0, {-100, 0, 0, 60, 80, 0}, {-128, 0, 0, 77, 102, 0}},
  };
}

class L2Normalization : public ::testing::TestWithParam<L2Case> {};

TEST_P(L2Normalization, MatchesHandComputedOutput) {
  const L2Case& c = GetParam();
  tml_l2_normalization_s8_params_t p{};
  p.depth = c.depth;
  p.outer = static_cast<int32_t>(c.input.size()) / c.depth;
  p.input_offset = c.input_offset;
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_l2_normalization_s8(&p, c.input.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, L2Normalization, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<L2Case>& i) { return i.param.name; });

// multiplier * 2^(shift - 31) approximates 1/sqrt(x) closely (TFLM's fixed point).
TEST(L2NormalizationInvSqrt, ApproximatesOneOverSqrt) {
  for (int32_t x : {2, 3, 25, 1000, 65025, 1 << 20, (1 << 29) - 1, 1 << 29, 2000000000}) {
    int32_t m = 0, s = 0;
    tml_l2_normalization_inv_sqrt(x, &m, &s);
    EXPECT_LE(s, 0) << x;
    const double got = m * std::pow(2.0, s - 31);
    EXPECT_NEAR(got * std::sqrt(static_cast<double>(x)), 1.0, 1e-5) << x;  // 5 Newton steps
  }
  int32_t m = 0, s = 1;
  tml_l2_normalization_inv_sqrt(0, &m, &s);
  EXPECT_EQ(m, INT32_MAX);
  EXPECT_EQ(s, 0);
}

}  // namespace
