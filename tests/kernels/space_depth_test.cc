// SPACE_TO_DEPTH, DEPTH_TO_SPACE, BATCH_TO_SPACE_ND and SPACE_TO_BATCH_ND kernels
// against hand-computed outputs.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

// [1,2,4,1] rows 1 2 3 4 / 5 6 7 8 <-> [1,1,2,4] with block 2.
const std::vector<int8_t> kSpace = {1, 2, 3, 4, 5, 6, 7, 8};
const std::vector<int8_t> kDepth = {1, 2, 5, 6, 3, 4, 7, 8};

TEST(SpaceToDepth, Block2) {
  const tml_space_to_depth_params_t p = {1, 1, 2, 2, 1};
  std::vector<int8_t> out(8, 0);
  tml_space_to_depth(&p, kSpace.data(), out.data());
  EXPECT_EQ(out, kDepth);
}

TEST(DepthToSpace, Block2) {
  const tml_depth_to_space_params_t p = {1, 1, 2, 2, 1};
  std::vector<int8_t> out(8, 0);
  tml_depth_to_space(&p, kDepth.data(), out.data());
  EXPECT_EQ(out, kSpace);
}

TEST(BatchToSpaceNd, BlockWithTopCrop) {
  // [2,2,1,1]: batch 0 = {1,2}, batch 1 = {3,4}; block 2x1, crop_top 1 -> [1,3,1,1].
  // out_h = 2h + n - 1: (n0,h0) cropped, (n1,h0) -> 0, (n0,h1) -> 1, (n1,h1) -> 2.
  const tml_batch_to_space_nd_params_t p = {2, 2, 1, 1, 3, 1, 2, 1, 1, 0, 1};
  const std::vector<int8_t> in = {1, 2, 3, 4};
  std::vector<int8_t> out(3, 0);
  tml_batch_to_space_nd(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{3, 2, 4}));
}

TEST(SpaceToBatchNd, LeftPaddingUsesThePadByte) {
  // [1,1,3,1] = 1 2 3, block 1x2, pad_left 1 -> [2,1,2,1]: batch n reads input column
  // 2w + n - 1: n0 -> (pad, 2), n1 -> (1, 3).
  const tml_space_to_batch_nd_params_t p = {1, 1, 3, 2, 1, 2, 1, 2, 0, 1, 1, 5};
  const std::vector<int8_t> in = {1, 2, 3};
  std::vector<int8_t> out(4, 0);
  tml_space_to_batch_nd(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{5, 2, 1, 3}));
}

}  // namespace
