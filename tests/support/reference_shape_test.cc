// The shape and data-movement reference ops (reference_shape.cc) on small models whose
// outputs were worked out by hand, mostly where TFLM's behaviour is not the obvious one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reference_ops.h"

namespace tinymlc::testing {
namespace {

struct RefCase {
  std::string name;
  int code;
  std::vector<int32_t> in_shape;
  std::vector<TensorSpec> params;  // constant inputs after the data input
  std::vector<int32_t> out_shape;
  OpOptions options;
  std::vector<int8_t> input, expected;
};

std::vector<RefCase> Cases() {
  const std::vector<int8_t> k5 = {0, 1, 2, 3, 4};
  const std::vector<int8_t> k3 = {10, 20, 30};
  const auto size = [](int w) { return ConstInt32("size", {2}, {1, w}); };
  return {
      // begin -1, end 0, stride -2: 4, 2.
      {"StridedSliceNegativeStride", 45, {5},
       {ConstInt32("b", {1}, {-1}), ConstInt32("e", {1}, {0}), ConstInt32("s", {1}, {-2})},
       {2}, {}, k5, {4, 2}},
      // end_mask with a negative stride runs to the first element: 3, 2, 1, 0.
      {"StridedSliceEndMaskBackwards", 45, {5},
       {ConstInt32("b", {1}, {3}), ConstInt32("e", {1}, {4}), ConstInt32("s", {1}, {-1})},
       {4}, StridedSliceOpts{0, 1, 0, 0, 0, false}, k5, {3, 2, 1, 0}},
      // Width 3 -> 4: scale 0.75, source floor(x * 0.75) = 0 0 1 2.
      {"NearestNeighborFloor", 97, {1, 1, 3, 1}, {size(4)}, {1, 1, 4, 1},
       ResizeNearestNeighborOpts{false, false}, k3, {10, 10, 20, 30}},
      // align_corners: scale 2/3, round(x * 2/3) = 0 1 1 2.
      {"NearestNeighborAlignCorners", 97, {1, 1, 3, 1}, {size(4)}, {1, 1, 4, 1},
       ResizeNearestNeighborOpts{true, false}, k3, {10, 20, 20, 30}},
      // half_pixel_centers: floor((x + 0.5) * 0.75) = 0 1 1 2.
      {"NearestNeighborHalfPixel", 97, {1, 1, 3, 1}, {size(4)}, {1, 1, 4, 1},
       ResizeNearestNeighborOpts{false, true}, k3, {10, 20, 20, 30}},
      // PAD without constant_values pads int8 with the output zero point (-5 here).
      {"PadWithZeroPoint", 34, {1, 2}, {ConstInt32("p", {2, 2}, {0, 0, 1, 2})}, {1, 5}, {},
       {7, 8}, {-5, 7, 8, -5, -5}},
      // SPACE_TO_BATCH_ND pads with byte 0 whatever the zero point (TFLM's unset params).
      {"SpaceToBatchPadsWithZeroBytes", 38, {1, 1, 3, 1},
       {ConstInt32("block", {2}, {1, 2}), ConstInt32("pads", {2, 2}, {0, 0, 1, 0})},
       {2, 1, 2, 1}, {}, {1, 2, 3}, {0, 2, 1, 3}},
      // GATHER with batch_dims 1: row b picks its own index.
      {"GatherBatchDims", 36, {2, 3}, {ConstInt32("i", {2, 1}, {2, 0})}, {2, 1},
       GatherOpts{1, 1}, {0, 1, 2, 10, 11, 12}, {2, 10}},
  };
}

class RefShape : public ::testing::TestWithParam<RefCase> {};

TEST_P(RefShape, MatchesHandComputedOutput) {
  const RefCase& c = GetParam();
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", c.in_shape, 0.1f, -5));
  std::vector<int> inputs = {x};
  for (const TensorSpec& p : c.params) inputs.push_back(m.AddTensor(p));
  const int y = m.AddTensor(Int8Tensor("y", c.out_shape, 0.1f, -5));
  m.AddOp(c.code, inputs, {y}, c.options);
  m.inputs = {x};
  m.outputs = {y};
  EXPECT_EQ(UnpackInt8(RunReference(m, {PackInt8(c.input)}).at(0)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, RefShape, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<RefCase>& i) { return i.param.name; });

}  // namespace
}  // namespace tinymlc::testing
