// The join (CONCATENATION / PACK) and split (SPLIT / SPLIT_V / UNPACK) kernels against
// hand-computed outputs: they are inverse byte movements.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

// [2,1] and [2,2] int8 joined along axis 1: outer 2, blocks of 1 and 2 bytes.
const int32_t kBlocks[] = {1, 2};
const std::vector<int8_t> kIn0 = {1, 2}, kIn1 = {3, 4, 5, 6};
const std::vector<int8_t> kJoined = {1, 3, 4, 2, 5, 6};

TEST(Concatenation, JoinsBlocksPerOuterIndex) {
  const tml_concatenation_params_t p = {2, 2, kBlocks};
  const void* const inputs[] = {kIn0.data(), kIn1.data()};
  std::vector<int8_t> out(6, 0);
  tml_concatenation(&p, inputs, out.data());
  EXPECT_EQ(out, kJoined);
}

TEST(Concatenation, PacksInt32AlongAFirstAxis) {
  // PACK of three int32 [2] tensors along axis 0: one block of 8 bytes each.
  const int32_t blocks[] = {8, 8, 8};
  const tml_concatenation_params_t p = {3, 1, blocks};
  const std::vector<int32_t> a = {1, -2}, b = {300000, 4}, c = {-5, 6};
  const void* const inputs[] = {a.data(), b.data(), c.data()};
  std::vector<int32_t> out(6, 0);
  tml_concatenation(&p, inputs, out.data());
  EXPECT_EQ(out, (std::vector<int32_t>{1, -2, 300000, 4, -5, 6}));
}

TEST(Split, CutsBlocksPerOuterIndex) {
  const tml_split_params_t p = {2, 2, kBlocks};
  std::vector<int8_t> out0(2, 0), out1(4, 0);
  void* const outputs[] = {out0.data(), out1.data()};
  tml_split(&p, kJoined.data(), outputs);
  EXPECT_EQ(out0, kIn0);
  EXPECT_EQ(out1, kIn1);
}

TEST(Split, UnpacksInt16Columns) {
  // UNPACK of int16 [2,3] along axis 1: outer 2, three outputs of one element each.
  const int32_t blocks[] = {2, 2, 2};
  const tml_split_params_t p = {3, 2, blocks};
  const std::vector<int16_t> in = {1, 2, 3, 4, 5, 6};
  std::vector<int16_t> a(2), b(2), c(2);
  void* const outputs[] = {a.data(), b.data(), c.data()};
  tml_split(&p, in.data(), outputs);
  EXPECT_EQ(a, (std::vector<int16_t>{1, 4}));
  EXPECT_EQ(b, (std::vector<int16_t>{2, 5}));
  EXPECT_EQ(c, (std::vector<int16_t>{3, 6}));
}

}  // namespace
