// PAD / PADV2 kernel against hand-computed outputs (5-D padded shapes, raw bytes).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

struct PadCase {
  std::string name;
  tml_pad_params_t p;
  std::vector<int16_t> input;  // element values (elem_size 1 or 2)
  int16_t pad_value;
  std::vector<int16_t> expected;
};

// Packs values as elements of p.elem_size bytes (little-endian hosts).
std::vector<uint8_t> Bytes(const std::vector<int16_t>& v, int32_t elem_size) {
  std::vector<uint8_t> b(v.size() * elem_size);
  for (size_t i = 0; i < v.size(); ++i) std::memcpy(&b[i * elem_size], &v[i], elem_size);
  return b;
}

std::vector<PadCase> Cases() {
  return {
      // [2,2] -> [3,4]: one row on top, one column left, one right.
      //   9 9 9 9 / 9 1 2 9 / 9 3 4 9
      {"Int8RowsAndColumns",
       {1, {1, 1, 1, 3, 4}, {0, 0, 0, 1, 1}, {0, 0, 0, 0, 1}},
       {1, 2, 3, 4},
       9,
       {9, 9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9}},
      // int16 [1,2] -> [1,4], two on the left.
      {"Int16LeftOnly", {2, {1, 1, 1, 1, 4}, {0, 0, 0, 0, 2}, {0, 0, 0, 0, 0}}, {-1, 300}, 7,
       {7, 7, -1, 300}},
      // A 5-D tensor padded in its outermost dimension: [1,1,1,1,2] -> [3,1,1,1,2].
      {"OutermostDimension", {1, {3, 1, 1, 1, 2}, {1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}}, {5, 6}, -3,
       {-3, -3, 5, 6, -3, -3}},
      // No padding at all: a copy.
      {"NoPadding", {1, {1, 1, 2, 1, 2}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}}, {1, 2, 3, 4}, 0,
       {1, 2, 3, 4}},
  };
}

class Pad : public ::testing::TestWithParam<PadCase> {};

TEST_P(Pad, MatchesHandComputedOutput) {
  const PadCase& c = GetParam();
  const std::vector<uint8_t> in = Bytes(c.input, c.p.elem_size);
  const std::vector<uint8_t> pad = Bytes({c.pad_value}, c.p.elem_size);
  std::vector<uint8_t> out(c.expected.size() * c.p.elem_size, 0xAA);
  tml_pad(&c.p, in.data(), pad.data(), out.data());
  EXPECT_EQ(out, Bytes(c.expected, c.p.elem_size));
}

INSTANTIATE_TEST_SUITE_P(Cases, Pad, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<PadCase>& i) { return i.param.name; });

}  // namespace
