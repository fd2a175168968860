// TANH int8 and int16 against hand-derived values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

// Input scale 1/16, zero point -2: multiplier 2^30, shift 24 (as LOGISTIC), radius 120.
tml_tanh_s8_params_t Int8Params(int32_t size) { return {size, -2, 120, 1 << 30, 24}; }

TEST(Tanh, Int8HandValues) {
  // x = q + 2, output scale 1/128, zero point 0:
  //   0 -> 0     8 (0.5): 0.462117 * 128 = 59.15 -> 59     -8 -> -59
  //   16 (1.0): 0.761594 * 128 = 97.48 -> 97               x >= 120 -> 127, x <= -120 -> -128
  //   100 (6.25): 0.999993 * 128 = 127.999 -> 128 -> clamped 127
  const std::vector<int8_t> in = {-2, 6, -10, 14, 98, 118, -122};
  const std::vector<int8_t> expected = {0, 59, -59, 97, 127, 127, -128};
  std::vector<int8_t> out(in.size());
  const tml_tanh_s8_params_t p = Int8Params(static_cast<int32_t>(in.size()));
  tml_tanh_s8(&p, in.data(), out.data());
  EXPECT_EQ(out, expected);
}

TEST(Tanh, Int8WithinOneOfTheRealFunction) {
  std::vector<int8_t> in, out(256);
  for (int v = -128; v <= 127; ++v) in.push_back(static_cast<int8_t>(v));
  const tml_tanh_s8_params_t p = Int8Params(256);
  tml_tanh_s8(&p, in.data(), out.data());
  for (int i = 0; i < 256; ++i) {
    const double real = std::tanh((in[i] + 2) / 16.0) * 128;
    EXPECT_NEAR(out[i], std::max(-128.0, std::min(127.0, std::round(real))), 1.0) << int{in[i]};
  }
}

TEST(Tanh, Int16TableInterpolation) {
  // Input scale 2^-12: power of two with shift 0 -> multiplier 3, shift 0; |x| >> 8
  // indexes the table (tanh(x) = 2 sigmoid(2x) - 1):
  //   q = 0:    entry 0 (32768 << 8) - 2^23 + 128 = 128 >> 8 = 0
  //   q = 512:  x = 1536 -> entry 6 (36843): 9431808 - 8388608 + 128 = 1043328 >> 8 = 4075
  //   q = -512: -9431808 + 8388608 + 127 = -1043073 >> 8 = -4075 (arithmetic shift)
  //   q = 100:  x = 300 -> entry 1 (33451), fraction 44: 33451 * 256 + 44 * (34133 - 33451)
  //             = 8563456 + 30008 = 8593464, - 8388608 + 128 = 204984 >> 8 = 800
  const tml_tanh_s16_params_t p = {4, 3, 0};
  const int16_t in[4] = {0, 512, -512, 100};
  int16_t out[4];
  tml_tanh_s16(&p, in, out);
  EXPECT_EQ(std::vector<int16_t>(out, out + 4), (std::vector<int16_t>{0, 4075, -4075, 800}));
}

TEST(Tanh, Int16GeneralScaleRoundsTheRescale) {
  // multiplier 20000, shift 2: x = (q * 20000 + 2) >> 2; q = 1 -> 5000 (entry 19, fraction
  // 136): 45102 * 256 + 136 * 581 = 11546112 + 79016 = 11625128 - 8388608 + 128 = 3236648
  // >> 8 = 12643.
  const tml_tanh_s16_params_t p = {1, 20000, 2};
  const int16_t in[1] = {1};
  int16_t out[1];
  tml_tanh_s16(&p, in, out);
  EXPECT_EQ(out[0], 12643);
}

}  // namespace
