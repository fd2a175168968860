// LOG_SOFTMAX int8 -> int8 (output scale 16/256, zero point 127) against hand values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

// Input scale 1/16: input_scale * 2^26 = 2^22 -> multiplier 2^30, left shift 23;
// reverse scaling 2^(31-23) / 2^30 = 2^-22 -> (2^30, -21): right shift 21;
// diff_min = -floor(31 * 2^26 / 2^23) = -248.
tml_log_softmax_s8_params_t Params(int32_t outer, int32_t depth) {
  return {outer, depth, 1 << 30, 23, 1 << 30, 21, -248};
}

TEST(LogSoftmax, LogApproximatesTheNaturalLog) {
  // x in Q12.19, log(x) in Q5.26; within 2^-19 of the real value.
  for (double x : {1.0, 1.5, 2.0, 3.0, 4.0, 100.0, 4095.0}) {
    const int32_t raw = static_cast<int32_t>(std::lround(x * (1 << 19)));
    EXPECT_NEAR(tml_log_softmax_log_q12_to_q5(raw), std::log(x) * (1 << 26), 128) << x;
  }
}

TEST(LogSoftmax, HandValues) {
  // Depth 2, three rows:
  //   [5, 5]:    log(1/2) = -0.6931 * 16 = -11.09 -> -11 + 127 = 116 (both)
  //   [16, 0]:   x = [1, 0]: log(1 + e^-1) = 0.31326 -> -5.01 -> 122; -1.31326 -> -21.01 -> 106
  //   [0, -128]: diff -8 (above diff_min -248 and the reverse-scaled cut of about -512):
  //              log(1 + e^-8) = 0.00034 -> 127; -8.00034 * 16 = -128.005 -> -128 + 127 = -1
  const std::vector<int8_t> in = {5, 5, 16, 0, 0, -128};
  std::vector<int8_t> out(in.size());
  const tml_log_softmax_s8_params_t p = Params(3, 2);
  tml_log_softmax_s8(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{116, 116, 122, 106, 127, -1}));
  // Depth 4, equal values: log(1/4) = -1.3863 * 16 = -22.18 -> 105.
  const std::vector<int8_t> in4 = {-7, -7, -7, -7};
  std::vector<int8_t> out4(4);
  const tml_log_softmax_s8_params_t p4 = Params(1, 4);
  tml_log_softmax_s8(&p4, in4.data(), out4.data());
  EXPECT_EQ(out4, (std::vector<int8_t>{105, 105, 105, 105}));
}

TEST(LogSoftmax, DiffsBelowTheCutGiveTheMinimum) {
  // Input scale 1: multiplier 2^30, shift 27, diff_min -15, reverse (2^30, -25). A
  // difference of -16 is below diff_min, so it is left out of the sum, and the output
  // cut max(diff_min - 1, about -32) = -16 gives it the minimum.
  const tml_log_softmax_s8_params_t p = {1, 3, 1 << 30, 27, 1 << 30, 25, -15};
  const int8_t in[3] = {100, 84, 99};  // diffs 0, -16, -1
  int8_t out[3];
  tml_log_softmax_s8(&p, in, out);
  // log(1 + e^-1 + e^-16) = 0.31326: 0 -> -0.31326 * 16 = -5.01 -> 122;
  // -1 -> -21.01 -> 106; -16 -> -128.
  EXPECT_EQ(std::vector<int8_t>(out, out + 3), (std::vector<int8_t>{122, -128, 106}));
}

}  // namespace
