// TRANSPOSE and STRIDED_SLICE / SLICE kernels against hand-computed outputs.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

TEST(Transpose, Int8Matrix) {
  // [2,3] = 0..5, perm [1,0] -> [3,2]. Output dim 3 walks input dim 1 (stride 1 byte),
  // output dim 4 walks input dim 0 (stride 3 bytes).
  const tml_transpose_params_t p = {1, {1, 1, 1, 3, 2}, {0, 0, 0, 1, 3}};
  const std::vector<int8_t> in = {0, 1, 2, 3, 4, 5};
  std::vector<int8_t> out(6, -1);
  tml_transpose(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{0, 3, 1, 4, 2, 5}));
}

TEST(Transpose, Int16ThreeDims) {
  // [2,2,2] = 0..7 (strides 4, 2, 1 elements), perm [2,0,1]: out[a,b,c] = in[b,c,a] =
  // 4b + 2c + a. Steps in bytes: input dims 2, 0, 1 -> 2, 8, 4.
  const tml_transpose_params_t p = {2, {1, 1, 2, 2, 2}, {0, 0, 2, 8, 4}};
  const std::vector<int16_t> in = {0, 1, 2, 3, 4, 5, 6, 7};
  std::vector<int16_t> out(8, -1);
  tml_transpose(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int16_t>{0, 2, 4, 6, 1, 3, 5, 7}));
}

TEST(StridedSlice, NegativeInnerStride) {
  // [2,4] = 0..7, rows 1:2, columns 3:0:-1 -> [1,3] = 7 6 5. Start (1*4 + 3) bytes.
  const tml_strided_slice_params_t p = {1, 7, {1, 1, 1, 1, 3}, {0, 0, 0, 4, -1}};
  const std::vector<int8_t> in = {0, 1, 2, 3, 4, 5, 6, 7};
  std::vector<int8_t> out(3, -1);
  tml_strided_slice(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{7, 6, 5}));
}

TEST(StridedSlice, Int32EverySecondElement) {
  // [6] = 10..15, 1::2 -> 11 13 15: start 4 bytes, step 8 bytes.
  const tml_strided_slice_params_t p = {4, 4, {1, 1, 1, 1, 3}, {0, 0, 0, 0, 8}};
  const std::vector<int32_t> in = {10, 11, 12, 13, 14, 15};
  std::vector<int32_t> out(3, -1);
  tml_strided_slice(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int32_t>{11, 13, 15}));
}

TEST(StridedSlice, ContiguousRowsOfASlice) {
  // SLICE of [3,3] = 0..8, begin [1,1] size [2,2] -> 4 5 7 8 (each row one memcpy).
  const tml_strided_slice_params_t p = {1, 4, {1, 1, 1, 2, 2}, {0, 0, 0, 3, 1}};
  const std::vector<int8_t> in = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<int8_t> out(4, -1);
  tml_strided_slice(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{4, 5, 7, 8}));
}

}  // namespace
