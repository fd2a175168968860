// PRELU: per-element alpha, equal shapes and broadcast.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;  // 0.5 in Q0.31

// input_scale = output_scale (ratio 1: (2^30, 1)); alpha_scale 1/4 (ratio 1/4: (2^30, -1)).
// Offsets: input zero point 2, alpha zero point -1, output zero point -3.
tml_prelu_params_t Params() {
  tml_prelu_params_t p{};
  p.input_offset = -2;
  p.alpha_offset = 1;
  p.output_offset = -3;
  p.multiplier_1 = kHalf, p.shift_1 = 1;
  p.multiplier_2 = kHalf, p.shift_2 = -1;
  return p;
}

TEST(Prelu, EqualShapes) {
  tml_prelu_params_t p = Params();
  p.size = 4;
  // x = q - 2; alpha real = (a + 1) / 4.
  //   q = 10: x = 8 >= 0 -> 8 - 3 = 5
  //   q = -2, a = 3: x = -4, x * (a + 1) = -16, / 4 = -4, - 3 = -7
  //   q = 0, a = 1:  x = -2, -4 / 4 = -1, - 3 = -4
  //   q = 1, a = 0:  x = -1, -1 / 4 = -0.25 -> 0, - 3 = -3
  const int8_t in[4] = {10, -2, 0, 1};
  const int8_t alpha[4] = {100, 3, 1, 0};
  int8_t out[4];
  tml_prelu_s8(&p, in, alpha, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{5, -7, -4, -3}));
  int16_t in16[4] = {10, -2, 0, 1}, out16[4];
  tml_prelu_s16(&p, in16, alpha, out16);
  EXPECT_EQ(std::vector<int16_t>(out16, out16 + 4), (std::vector<int16_t>{5, -7, -4, -3}));
}

TEST(Prelu, AlphaBroadcastAlongChannels) {
  // Input [2, 3], alpha [3]: alpha strides (0, 1).
  tml_prelu_params_t p = Params();
  p.shape.rank = 2, p.shape.dims[0] = 2, p.shape.dims[1] = 3;
  p.shape.strides1[0] = 3, p.shape.strides1[1] = 1;
  p.shape.strides2[0] = 0, p.shape.strides2[1] = 1;
  const int8_t in[6] = {-2, -2, -2, 6, -6, 2};  // x = -4, -4, -4, 4, -8, 0
  const int8_t alpha[3] = {3, 7, -1};            // real (a + 1) / 4 = 1, 2, 0
  int8_t out[6];
  tml_prelu_broadcast_s8(&p, in, alpha, out);
  // -4*1-3, -4*2-3, 0-3, 4-3, -8*2-3, 0-3
  EXPECT_EQ(std::vector<int8_t>(out, out + 6), (std::vector<int8_t>{-7, -11, -3, 1, -19, -3}));
}

}  // namespace
