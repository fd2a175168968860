// GATHER kernel against hand-computed outputs, including the run-time index check.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

TEST(Gather, RowsOfAMatrix) {
  // [3,2] = 1..6, axis 0, indices [2,0,2] -> [3,2].
  const tml_gather_params_t p = {1, 1, 3, 3, 2};
  const std::vector<int8_t> in = {1, 2, 3, 4, 5, 6};
  const std::vector<int32_t> idx = {2, 0, 2};
  std::vector<int8_t> out(6, 0);
  EXPECT_EQ(tml_gather(&p, in.data(), idx.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<int8_t>{5, 6, 1, 2, 5, 6}));
}

TEST(Gather, BatchDims) {
  // [2,3] float, axis 1, batch_dims 1, indices [2,1] = {2, 0}: batch b takes its own row.
  const tml_gather_params_t p = {2, 1, 3, 1, 4};
  const std::vector<float> in = {0.f, 1.f, 2.f, 10.f, 11.f, 12.f};
  const std::vector<int32_t> idx = {2, 0};
  std::vector<float> out(2, -1.f);
  EXPECT_EQ(tml_gather(&p, in.data(), idx.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<float>{2.f, 10.f}));
}

TEST(Gather, IndexOutOfRangeIsAnError) {
  const tml_gather_params_t p = {1, 1, 3, 1, 2};
  const std::vector<int8_t> in = {1, 2, 3, 4, 5, 6};
  std::vector<int8_t> out(2, 0);
  for (int32_t bad : {3, -1}) {
    const std::vector<int32_t> idx = {bad};
    EXPECT_EQ(tml_gather(&p, in.data(), idx.data(), out.data()), -1) << bad;
  }
}

}  // namespace
