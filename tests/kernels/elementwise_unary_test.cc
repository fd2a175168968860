// The unary elementwise kernels (ABS, NEG, RSQRT) against hand-computed outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

// ABS with input zero point 3 and output zero point -1: |q - 3| - 1, or with the
// multiplier 0.5 (2^30, 0): |q - 3| / 2 rounded half up, - 1.
TEST(Abs, MatchesHandComputedOutput) {
  struct Case {
    std::string name;
    int32_t rescale;
    std::vector<int8_t> expected;
  };
  const std::vector<int8_t> in = {3, 10, -5, -128, 127, 4};
  const std::vector<Case> cases = {
      {"SameScale", 0, {-1, 6, 7, 127, 123, 0}},
      // 0, 7 -> 3.5 -> 4, 8 -> 4, 131 -> 65.5 -> 66, 124 -> 62, 1 -> 0.5 -> 1.
      {"HalfScale", 1, {-1, 3, 3, 65, 61, 0}},
  };
  for (const Case& c : cases) {
    const tml_abs_s8_params_t p = {static_cast<int32_t>(in.size()), 3, -1, c.rescale, 1 << 30, 0};
    std::vector<int8_t> out(in.size(), 0x55);
    tml_abs_s8(&p, in.data(), out.data());
    EXPECT_EQ(out, c.expected) << c.name;
  }
}

TEST(Neg, FlipsTheSignOfEveryValue) {
  const std::vector<float> in = {1.5f, -0.0f, 0.0f, INFINITY, -3.25e-40f};
  const std::vector<float> want = {-1.5f, 0.0f, -0.0f, -INFINITY, 3.25e-40f};
  std::vector<float> out(in.size(), 7.0f);
  const tml_neg_f32_params_t p = {static_cast<int32_t>(in.size())};
  tml_neg_f32(&p, in.data(), out.data());
  EXPECT_EQ(std::memcmp(out.data(), want.data(), out.size() * sizeof(float)), 0);
}

// RSQRT looks its outputs up (table[q + 128]) and fails at the first input below the
// zero point, leaving the outputs before it written and the rest untouched.
TEST(Rsqrt, LooksUpTheTableAndStopsBelowTheZeroPoint) {
  std::vector<int8_t> table(256);
  for (int q = -128; q <= 127; ++q) table[q + 128] = static_cast<int8_t>(127 - (q + 128) / 2);
  const tml_rsqrt_s8_params_t p = {4, -10, table.data()};
  const std::vector<int8_t> ok = {-10, 0, 127, -9};
  std::vector<int8_t> out(4, 0x55);
  EXPECT_EQ(tml_rsqrt_s8(&p, ok.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<int8_t>{68, 63, 0, 68}));

  const std::vector<int8_t> negative = {0, -11, 5, 5};
  std::vector<int8_t> partial(4, 0x55);
  EXPECT_EQ(tml_rsqrt_s8(&p, negative.data(), partial.data()), -1);
  EXPECT_EQ(partial, (std::vector<int8_t>{63, 0x55, 0x55, 0x55}));
}

}  // namespace
