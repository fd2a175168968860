// DEQUANTIZE int8 -> float32 against hand-computed values.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

std::vector<float> Dequantize(float scale, int32_t zero_point, const std::vector<int8_t>& in) {
  const tml_dequantize_s8_f32_params_t p{static_cast<int32_t>(in.size()), scale, zero_point};
  std::vector<float> out(in.size(), -1234.5f);
  tml_dequantize_s8_f32(&p, in.data(), out.data());
  return out;
}

TEST(Dequantize, ExactBinaryScale) {
  // 0.5 * (in + 1): all exactly representable.
  EXPECT_EQ(Dequantize(0.5f, -1, {3, -128, 127, -1, 0}),
            (std::vector<float>{2.0f, -63.5f, 64.0f, 0.0f, 0.5f}));
}

TEST(Dequantize, MatchesTflmDoubleProduct) {
  // TFLM: (float)((double)scale * (in - zero_point)). 0.1f = 0.100000001490116..., times 3
  // is 0.30000000447034836 exactly in double; the nearest float is 0.3f
  // (0.30000001192092896), not 0.29999998211860657.
  const float scale = 0.1f;
  const std::vector<float> out = Dequantize(scale, 5, {8, 2, -128, 127});
  const std::vector<int32_t> diffs = {3, -3, -133, 122};
  ASSERT_EQ(out.size(), diffs.size());
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i], static_cast<float>(static_cast<double>(scale) * diffs[i])) << i;
  }
  EXPECT_EQ(out[0], 0.3f);
  EXPECT_EQ(out[1], -0.3f);
}

TEST(Dequantize, ZeroPointMapsToZero) {
  EXPECT_EQ(Dequantize(0.0123f, 17, {17}), (std::vector<float>{0.0f}));
}

TEST(Dequantize, Int16) {
  const tml_dequantize_s16_f32_params_t p{3, 0.5f, -7};
  const int16_t in[3] = {-7, 32767, -32768};
  float out[3];
  tml_dequantize_s16_f32(&p, in, out);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 16387.0f);      // (32767 + 7) * 0.5
  EXPECT_EQ(out[2], -16380.5f);     // (-32768 + 7) * 0.5
}

}  // namespace
