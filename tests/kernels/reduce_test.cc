// The reductions (tml_reduce.h: MEAN/SUM and REDUCE_MAX) against hand-computed outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

struct ReduceCase {
  std::string name;
  tml_reduce_shape_t shape;
  int32_t count;
  std::vector<int8_t> input;
  std::vector<int8_t> sum, max;  // expected outputs of each kernel
};

// Inputs {1..6} as [2, 3] and {0..7} as [2, 2, 2]. The sum kernel uses input zero point
// 1, output zero point -2 and multiplier 0.5 (2^30, 0): (sum - count) / 2 rounded half up.
std::vector<ReduceCase> Cases() {
  return {
      // over axis 1: sums 6, 15 -> (3, 12) / 2 -> 2, 6 -> 0, 4; maxima 3, 6.
      {"Rows", {1, {2}, {3}, 1, {3}, {1}}, 3, {1, 2, 3, 4, 5, 6}, {0, 4}, {3, 6}},
      // over axis 0: sums 5, 7, 9 -> 3, 5, 7 -> 1.5, 2.5, 3.5 -> 2, 3, 4 -> 0, 1, 2.
      {"Columns", {1, {3}, {1}, 1, {2}, {3}}, 2, {1, 2, 3, 4, 5, 6}, {0, 1, 2}, {4, 5, 6}},
      // [2, 2, 2] over axes 0 and 2 (two inner loops): elements {0, 1, 4, 5} and
      // {2, 3, 6, 7}: sums 10, 18 -> 6, 14 -> 3, 7 -> 1, 5; maxima 5, 7.
      {"TwoInnerLoops", {1, {2}, {2}, 2, {2, 2}, {4, 1}}, 4, {0, 1, 2, 3, 4, 5, 6, 7}, {1, 5},
       {5, 7}},
      // Nothing reduced: every element on its own: (q - 1) / 2 - 2 (-64.5 rounds up).
      {"NoAxes", {1, {3}, {1}, 1, {1}, {0}}, 1, {-128, 1, 127}, {-66, -2, 61}, {-128, 1, 127}},
  };
}

class Reduce : public ::testing::TestWithParam<ReduceCase> {};

TEST_P(Reduce, SumMatchesHandComputedOutput) {
  const ReduceCase& c = GetParam();
  tml_reduce_sum_s8_params_t p{c.shape, c.count, 1, -2, 1 << 30, 0};
  std::vector<int8_t> out(c.sum.size(), 0x55);
  tml_reduce_sum_s8(&p, c.input.data(), out.data());
  EXPECT_EQ(out, c.sum);
}

TEST_P(Reduce, MaxMatchesHandComputedOutput) {
  const ReduceCase& c = GetParam();
  tml_reduce_max_s8_params_t p{c.shape};
  std::vector<int8_t> out(c.max.size(), 0x55);
  tml_reduce_max_s8(&p, c.input.data(), out.data());
  EXPECT_EQ(out, c.max);
}

INSTANTIATE_TEST_SUITE_P(Cases, Reduce, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ReduceCase>& i) { return i.param.name; });

// The sum wraps like TFLM's int32 accumulator and saturates at the output range.
TEST(ReduceSum, SaturatesTheOutput) {
  const tml_reduce_shape_t shape = {1, {1}, {0}, 1, {4}, {1}};
  tml_reduce_sum_s8_params_t p{shape, 4, -128, 0, 1 << 30, 1};  // multiplier 1
  const std::vector<int8_t> in = {127, 127, 127, 127};
  int8_t out = 0;
  tml_reduce_sum_s8(&p, in.data(), &out);  // 508 + 512 = 1020 -> 127
  EXPECT_EQ(out, 127);
}

}  // namespace
