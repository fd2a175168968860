// ELU: the kernel indexes the compiler's table with the input byte read as uint8.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

TEST(Elu, IndexesTheTableByUnsignedByte) {
  // table[i] = i - 128 (as int8), so input v maps to (uint8)v - 128:
  //   0 -> -128, 127 -> -1, -128 (128) -> 0, -1 (255) -> 127.
  int8_t table[256];
  for (int i = 0; i < 256; ++i) table[i] = static_cast<int8_t>(i - 128);
  const tml_elu_s8_params_t p = {4, table};
  const int8_t in[4] = {0, 127, -128, -1};
  int8_t out[4];
  tml_elu_s8(&p, in, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{-128, -1, 0, 127}));
}

}  // namespace
