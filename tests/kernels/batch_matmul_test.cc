// BATCH_MATMUL against hand-computed outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;

// [2x3] x [3x2], row-major, no broadcast, x1 requantization.
tml_batch_matmul_s8_params_t Plain() {
  tml_batch_matmul_s8_params_t p{};
  p.batch[0] = p.batch[1] = p.batch[2] = 1;
  p.rows = 2, p.cols = 2, p.depth = 3;
  p.lhs_row_stride = 3, p.lhs_depth_stride = 1;
  p.rhs_depth_stride = 2, p.rhs_col_stride = 1;
  p.output_multiplier = kHalf, p.output_shift = 1;
  return p;
}

struct BatchMatMulCase {
  std::string name;
  tml_batch_matmul_s8_params_t p;
  std::vector<int8_t> lhs, rhs, expected;
};

std::vector<BatchMatMulCase> Cases() {
  // [1 2 3; 4 5 6] x [1 0; 0 1; 1 1] = [4 5; 10 11].
  const std::vector<int8_t> lhs = {1, 2, 3, 4, 5, 6}, rhs = {1, 0, 0, 1, 1, 1};
  const std::vector<int8_t> lhs_t = {1, 4, 2, 5, 3, 6}, rhs_t = {1, 0, 1, 0, 1, 1};
  std::vector<BatchMatMulCase> cases = {{"Plain", Plain(), lhs, rhs, {4, 5, 10, 11}}};
  // The same operands stored transposed (adj_x / adj_y become strides).
  BatchMatMulCase adj{"TransposedOperands", Plain(), lhs_t, rhs_t, {4, 5, 10, 11}};
  adj.p.lhs_row_stride = 1, adj.p.lhs_depth_stride = 2;
  adj.p.rhs_depth_stride = 1, adj.p.rhs_col_stride = 3;
  cases.push_back(adj);
  // Offsets: (lhs + 1) x (rhs - 1): [2 3 4; 5 6 7] x [0 -1; -1 0; 0 0] = [-3 -2; -6 -5],
  // x0.5 = [-1.5 -1; -3 -2.5] -> [-1 -1; -3 -2] (ties up), + output_offset -5.
  BatchMatMulCase off{"OffsetsAndRounding", Plain(), lhs, rhs, {-6, -6, -8, -7}};
  off.p.lhs_offset = 1, off.p.rhs_offset = -1, off.p.output_offset = -5;
  off.p.output_shift = 0;
  cases.push_back(off);
  // Two lhs batches against one rhs (rhs batch stride 0), second batch = 2 x first,
  // saturating: [4 5; 10 11] and [8 10; 20 22], x8 -> [32 40; 80 88], [64 80; 127 127].
  BatchMatMulCase bc{"BroadcastRhsSaturate", Plain(), lhs, rhs, {32, 40, 80, 88, 64, 80, 127, 127}};
  for (int8_t v : {2, 4, 6, 8, 10, 12}) bc.lhs.push_back(v);
  bc.p.batch[2] = 2;
  bc.p.lhs_batch_stride[2] = 6;
  bc.p.output_shift = 4;
  cases.push_back(bc);
  return cases;
}

class BatchMatMul : public ::testing::TestWithParam<BatchMatMulCase> {};

TEST_P(BatchMatMul, MatchesHandComputedOutput) {
  const BatchMatMulCase& c = GetParam();
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_batch_matmul_s8(&c.p, c.lhs.data(), c.rhs.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, BatchMatMul, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BatchMatMulCase>& i) {
                           return i.param.name;
                         });

}  // namespace
