// LOGISTIC int8 and int16 against hand-derived values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

// Input scale 1/16, zero point 3: input_scale * 2^27 = 2^23 = 0.5 * 2^24, so the
// multiplier is 2^30 with shift 24 (x * 2^23 exactly: Q4.27 of x / 16), and the radius
// is floor(15 * 2^27 / 2^24) = 120.
tml_logistic_s8_params_t Int8Params(int32_t size) { return {size, 3, 120, 1 << 30, 24}; }

TEST(Logistic, Int8HandValues) {
  // q - 3 = x:  0 -> 0.5 -> 0 on the output (scale 1/256, zero point -128)
  //  16 (1.0):  sigmoid = 0.731059 * 256 = 187.15 -> 187 - 128 = 59
  // -16 (-1.0): 0.268941 * 256 = 68.85 -> 69 - 128 = -59
  //  32 (2.0):  0.880797 * 256 = 225.48 -> 225 - 128 = 97
  //  119 (7.44): 0.999413 * 256 = 255.85 -> 256 - 128 = 128 -> clamped 127
  //  x >= 120 -> 127 and x <= -120 -> -128 without evaluating
  const std::vector<int8_t> in = {3, 19, -13, 35, 122, 123, -117, -128};
  const std::vector<int8_t> expected = {0, 59, -59, 97, 127, 127, -128, -128};
  std::vector<int8_t> out(in.size());
  const tml_logistic_s8_params_t p = Int8Params(static_cast<int32_t>(in.size()));
  tml_logistic_s8(&p, in.data(), out.data());
  EXPECT_EQ(out, expected);
}

TEST(Logistic, Int8WithinOneOfTheRealFunction) {
  std::vector<int8_t> in, out(256);
  for (int v = -128; v <= 127; ++v) in.push_back(static_cast<int8_t>(v));
  const tml_logistic_s8_params_t p = Int8Params(256);
  tml_logistic_s8(&p, in.data(), out.data());
  for (int i = 0; i < 256; ++i) {
    const double real = 1.0 / (1.0 + std::exp(-(in[i] - 3) / 16.0));
    EXPECT_NEAR(out[i], std::min(127.0, std::round(real * 256) - 128), 1.0) << int{in[i]};
  }
}

TEST(Logistic, Int16TableInterpolation) {
  // Input scale 2^-12 (power of two): multiplier 3, shift 0, i.e. x = 3q on the table
  // scale 1/(3 * 4096); |x| >> 9 indexes the table, the low 9 bits interpolate.
  //   q = 0:    (32768 << 9 + 512) >> 10 = 16384 (0.5)
  //   q = 512:  x = 1536 -> entry 3 (34813), no fraction: (34813 * 512 + 512) >> 10 = 17407
  //   q = -512: (2^25 - 34813 * 512 + 511) >> 10 = 15361
  //   q = 600:  x = 1800 -> entry 3, fraction 264: 34813 * 512 + 264 * (35493 - 34813)
  //             = 17824256 + 179520, + 512 -> 18004288 >> 10 = 17582
  const tml_logistic_s16_params_t p = {4, 3, 0};
  const int16_t in[4] = {0, 512, -512, 600};
  int16_t out[4];
  tml_logistic_s16(&p, in, out);
  EXPECT_EQ(std::vector<int16_t>(out, out + 4), (std::vector<int16_t>{16384, 17407, 15361, 17582}));
}

TEST(Logistic, Int16SaturatesBeyondTheTable) {
  // Multiplier 24576, shift 0: q = 100 gives x = 2457600, index >= 255: the saturated
  // value (0x7FFF << 10 + 512) >> 10 = 32767, and for negative inputs
  // (2^25 - (0x7FFF << 10) + 511) >> 10 = 1.
  const tml_logistic_s16_params_t p = {2, 24576, 0};
  const int16_t in[2] = {100, -100};
  int16_t out[2];
  tml_logistic_s16(&p, in, out);
  EXPECT_EQ(out[0], 32767);
  EXPECT_EQ(out[1], 1);
}

}  // namespace
