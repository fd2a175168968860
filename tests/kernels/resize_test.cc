// RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR (int8) kernels against hand-computed
// outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

TEST(ResizeNearestNeighbor, OffsetTablesTwoBatches) {
  // [2,2,2,1] -> [2,3,3,1], source rows {0,0,1}, columns {0,1,1} (byte offsets: rows
  // times in_width 2, columns times 1).
  const int32_t rows[] = {0, 0, 2}, cols[] = {0, 1, 1};
  const tml_resize_nearest_neighbor_params_t p = {2, 3, 3, 1, 4, rows, cols};
  const std::vector<int8_t> in = {1, 2, 3, 4, -1, -2, -3, -4};
  std::vector<int8_t> out(18, 0);
  tml_resize_nearest_neighbor(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{1, 2, 2, 1, 2, 2, 3, 4, 4,  //
                                      -1, -2, -2, -1, -2, -2, -3, -4, -4}));
}

struct BilinearCase {
  std::string name;
  std::vector<int8_t> input;  // [1,1,2,1]
  int32_t half_pixel;
  std::vector<int8_t> expected;  // [1,1,4,1]
};

// Width 2 -> 4: scale_10 = (2048 + 2) / 4 = 512; height 1 -> 1: 1024.
//  plain: x positions 0, 512, 1024, 1536 (1/1024 px) -> weights (1,0) (.5,.5) (0,1) (0,1).
//  half pixel: x * 512 - 256 -> -256 (clamped to pixel 0), 256, 768, 1280 (pixel 1).
std::vector<BilinearCase> BilinearCases() {
  return {
      {"Plain", {0, 100}, 0, {0, 50, 100, 100}},
      // (-1 + 2) / 2 = 0.5 -> 1 and (-2 + 1) / 2 = -0.5 -> -1: ties away from zero.
      {"TiesAwayFromZeroUp", {-1, 2}, 0, {-1, 1, 2, 2}},
      {"TiesAwayFromZeroDown", {-2, 1}, 0, {-2, -1, 1, 1}},
      // 100 * 256 / 1024 = 25, 100 * 768 / 1024 = 75 (exact, + 0.5 truncated).
      {"HalfPixelCenters", {0, 100}, 1, {0, 25, 75, 100}},
  };
}

class ResizeBilinear : public ::testing::TestWithParam<BilinearCase> {};

TEST_P(ResizeBilinear, MatchesHandComputedOutput) {
  const BilinearCase& c = GetParam();
  const tml_resize_bilinear_params_t p = {1, 1, 2, 1, 4, 1, 1024, 512, c.half_pixel};
  std::vector<int8_t> out(4, 0x55);
  tml_resize_bilinear_s8(&p, c.input.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, ResizeBilinear, ::testing::ValuesIn(BilinearCases()),
                         [](const ::testing::TestParamInfo<BilinearCase>& i) { return i.param.name; });

}  // namespace
