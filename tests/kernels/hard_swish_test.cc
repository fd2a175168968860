// HARD_SWISH int8 and its int16 fixed-point helpers against hand-derived values.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

TEST(HardSwishHelpers, Int16Multiplies) {
  // Rounding: (a * b + 2^14) / 2^15 truncated toward zero (nudge 1 - 2^14 below zero).
  EXPECT_EQ(tml_hard_swish_srdhm16(2048, 16384), 1024);    // 1024.5 -> 1024 (+0.5 nudge, trunc)
  EXPECT_EQ(tml_hard_swish_srdhm16(3, 16384), 2);          // 1.5 -> 2
  EXPECT_EQ(tml_hard_swish_srdhm16(-3, 16384), -1);        // -1.5 -> -1
  EXPECT_EQ(tml_hard_swish_srdhm16(-32768, -32768), 32767);
  // Truncating: a * b / 2^15 toward zero.
  EXPECT_EQ(tml_hard_swish_sdhm16(3, 16384), 1);
  EXPECT_EQ(tml_hard_swish_sdhm16(-3, 16384), -1);
  EXPECT_EQ(tml_hard_swish_sdhm16(-32768, -32768), 32767);
  EXPECT_EQ(tml_hard_swish_sat_shift16(10000, 2), 32767);
  EXPECT_EQ(tml_hard_swish_sat_shift16(-10000, 2), -32768);
  EXPECT_EQ(tml_hard_swish_sat_shift16(-5, 3), -40);
}

TEST(HardSwishHelpers, Int16RoundingDivideByPot) {
  EXPECT_EQ(tml_hard_swish_rdbp16(3, 1), 2);    // 1.5 away from zero
  EXPECT_EQ(tml_hard_swish_rdbp16(-3, 1), -2);
  EXPECT_EQ(tml_hard_swish_rdbp16(682, 4), 43);  // 42.625
  EXPECT_EQ(tml_hard_swish_rdbp16(-32768, 15), -1);
  EXPECT_EQ(tml_hard_swish_rdbp16(7, 0), 7);
  // gemmlowp forms the mask 2^e - 1 in int16: from e = 16 it is -1, and the result is
  // 1 for x >= 0 (even 0) and -1 for x < 0.
  EXPECT_EQ(tml_hard_swish_rdbp16(0, 16), 1);
  EXPECT_EQ(tml_hard_swish_rdbp16(12345, 20), 1);
  EXPECT_EQ(tml_hard_swish_rdbp16(-1, 16), -1);
  EXPECT_EQ(tml_hard_swish_rdbp16(-12345, 31), -1);
}

TEST(HardSwish, Int8HandValues) {
  // Input scale 1/16, output scale 1/32 (zero points 0):
  //   hires = 1/2048; output: (1/2048)/(1/32) = 2^-6 -> Q0.31 2^30, exponent -5 -> Q0.15 16384
  //   reluish: (1/2048)/(3/32768) = 16/3 = 0.6667 * 2^3 -> Q0.31 1431655765, exponent 3
  //            -> Q0.15 (1431655765 + 2^15) >> 16 = 21845
  // x = 16 (1.0): hires 2048, out_pre 1024; reluish 2048 << 2 = 8192, * 21845 -> 5461,
  //   << 1 -> 10922; (10922 + 32768) >> 1 = 21845; 21845 * 1024 / 2^15 = 682 -> / 2^5 -> 21
  //   (hard_swish(1) = 2/3: 21.33 on the output scale)
  // x = 48 (3.0): reluish saturates to 32767; 32767 * 3072 / 2^15 = 3071 -> 95.97 -> 96
  // x = -48 (-3.0): reluish -32768 -> 0; output 0.   x = 0: 0.
  const tml_hard_swish_s8_params_t p = {4, 0, 0, 16384, -5, 21845, 3};
  const int8_t in[4] = {16, 48, -48, 0};
  int8_t out[4];
  tml_hard_swish_s8(&p, in, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{21, 96, 0, 0}));
}

TEST(HardSwish, ZeroPointsAndClamp) {
  // Same scales, input zero point 10, output zero point -100: q = 26 is x = 1.0 -> 21 - 100.
  // q = 127 (x = 7.3) -> 234 - 100 = 134 -> clamped 127.
  const tml_hard_swish_s8_params_t p = {2, 10, -100, 16384, -5, 21845, 3};
  const int8_t in[2] = {26, 127};
  int8_t out[2];
  tml_hard_swish_s8(&p, in, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 2), (std::vector<int8_t>{-79, 127}));
}

}  // namespace
