// Each reference op on small models whose outputs were worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "reference_ops.h"

namespace tinymlc::testing {
namespace {

std::vector<int8_t> Run1(const ModelSpec& m, const std::vector<int8_t>& in) {
  const auto out = RunReference(m, {PackInt8(in)});
  return UnpackInt8(out.at(0));
}

// 3x3 single-channel input with scale 1 and zero point 1: real values 1..9.
const std::vector<int8_t> kImage = {2, 3, 4, 5, 6, 7, 8, 9, 10};

ModelSpec Conv2x2(Conv2DOpts o, std::vector<int32_t> out_shape, bool with_bias) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {1, 3, 3, 1}, 1.0f, 1));
  // Filter of real ones (q = 2, scale 0.5). Bias q = 1 (real 0.5).
  const int w = m.AddTensor(ConstInt8("w", {1, 2, 2, 1}, {2, 2, 2, 2}, {0.5f}));
  std::vector<int> inputs = {in, w};
  if (with_bias) inputs.push_back(m.AddTensor(ConstInt32("b", {1}, {1}, {0.5f})));
  const int out = m.AddTensor(Int8Tensor("out", std::move(out_shape), 1.0f, 2));
  m.AddOp(op::kConv2D, inputs, {out}, o);
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

TEST(RefOps, Conv2DValid) {
  Conv2DOpts o;
  o.padding = kValid;
  // Window sums of 1..9: 12, 16, 24, 28. Output = sum + 2 (no bias).
  EXPECT_EQ(Run1(Conv2x2(o, {1, 2, 2, 1}, false), kImage), (std::vector<int8_t>{14, 18, 26, 30}));
  // Bias 0.5 makes every value x.5, rounded up: 12.5 -> 13.
  EXPECT_EQ(Run1(Conv2x2(o, {1, 2, 2, 1}, true), kImage), (std::vector<int8_t>{15, 19, 27, 31}));
}

TEST(RefOps, Conv2DSameStride2AndRelu6) {
  Conv2DOpts o;
  o.padding = kSame;
  o.stride_w = o.stride_h = 2;
  // Output 2x2; total padding 1 goes after: windows {1,2,4,5}, {3,6}, {7,8}, {9}.
  // acc = 2*sum + 1 -> (sum + 0.5) rounded up: 12.5->13, 9.5->10, 15.5->16, 9.5->10.
  EXPECT_EQ(Run1(Conv2x2(o, {1, 2, 2, 1}, true), kImage), (std::vector<int8_t>{15, 12, 18, 12}));
  o.activation = kActRelu6;  // real range [0, 6] -> q [2, 8]
  EXPECT_EQ(Run1(Conv2x2(o, {1, 2, 2, 1}, true), kImage), (std::vector<int8_t>{8, 8, 8, 8}));
}

TEST(RefOps, Conv2DDilation) {
  Conv2DOpts o;
  o.padding = kValid;
  o.dilation_w = o.dilation_h = 2;
  // The dilated 2x2 filter touches the corners 1, 3, 7, 9: sum 20 -> 20 + 2.
  EXPECT_EQ(Run1(Conv2x2(o, {1, 1, 1, 1}, false), kImage), (std::vector<int8_t>{22}));
}

TEST(RefOps, Conv2DPerChannelMultiplier) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {1, 2, 2, 1}, 1.0f, 0));
  // Channel 0: ones with scale 0.5 (q 2); channel 1: ones with scale 0.25 (q 4).
  const int w = m.AddTensor(ConstInt8("w", {2, 2, 2, 1}, {2, 2, 2, 2, 4, 4, 4, 4}, {0.5f, 0.25f}));
  const int b = m.AddTensor(ConstInt32("b", {2}, {1, 2}, {0.5f, 0.25f}));
  const int out = m.AddTensor(Int8Tensor("out", {1, 1, 1, 2}, 1.0f, 2));
  Conv2DOpts o;
  o.padding = kValid;
  m.AddOp(op::kConv2D, {in, w, b}, {out}, o);
  m.inputs = {in};
  m.outputs = {out};
  // Inputs 1,2,3,6: sum 12. ch0: (24 + 1) * 0.5 = 12.5 -> 13; ch1: (48 + 2) * 0.25 =
  // 12.5 -> high mul 25, then 25/2 = 12.5 -> 13. Plus zero point 2.
  EXPECT_EQ(Run1(m, {1, 2, 3, 6}), (std::vector<int8_t>{15, 15}));
}

TEST(RefOps, Conv2DGroupedAndBatched) {
  ModelSpec m;
  // 2 input channels, filter depth 1 -> 2 groups; batch 2.
  const int in = m.AddTensor(Int8Tensor("in", {2, 1, 1, 2}, 1.0f, 0));
  const int w = m.AddTensor(ConstInt8("w", {2, 1, 1, 1}, {3, -2}, {1.0f}));
  const int out = m.AddTensor(Int8Tensor("out", {2, 1, 1, 2}, 1.0f, 0));
  Conv2DOpts o;
  o.padding = kValid;
  m.AddOp(op::kConv2D, {in, w}, {out}, o);
  m.inputs = {in};
  m.outputs = {out};
  EXPECT_EQ(Run1(m, {5, 7, -1, 100}), (std::vector<int8_t>{15, -14, -3, -128}));
}

TEST(RefOps, DepthwiseMultiplier2) {
  ModelSpec m;
  // 2x2x2 input, depth multiplier 2 -> 4 channels, 2x2 VALID filter -> 1x1 output.
  const int in = m.AddTensor(Int8Tensor("in", {1, 2, 2, 2}, 1.0f, 0));
  // filter[0, y, x, oc]: oc 0,1 read input ch 0; oc 2,3 read input ch 1.
  const std::vector<int8_t> w = {1, 0, 1, 2,  //
                                 1, 0, 1, 2,  //
                                 1, 1, 1, 2,  //
                                 1, 1, 1, 2};
  const int wt = m.AddTensor(ConstInt8("w", {1, 2, 2, 4}, w, {1.0f, 1.0f, 0.5f, 0.5f}, {}, 3));
  const int b = m.AddTensor(ConstInt32("b", {4}, {0, 10, 0, 1}, {1.0f, 1.0f, 0.5f, 0.5f}, 0));
  const int out = m.AddTensor(Int8Tensor("out", {1, 1, 1, 4}, 1.0f, -1));
  DepthwiseOpts o;
  o.padding = kValid;
  o.depth_multiplier = 2;
  m.AddOp(op::kDepthwiseConv2D, {in, wt, b}, {out}, o);
  m.inputs = {in};
  m.outputs = {out};
  // Input channel 0 = 1,2,3,4 (sum 10, bottom row 3+4 = 7), channel 1 = 5,6,7,8 (26).
  // oc0 = 10 - 1 = 9; oc1 = 7 + 10 - 1 = 16; oc2 = 26 * 0.5 - 1 = 12;
  // oc3 = (2*26 + 1) * 0.5 = 26.5 -> 27, -1 = 26.
  EXPECT_EQ(Run1(m, {1, 5, 2, 6, 3, 7, 4, 8}), (std::vector<int8_t>{9, 16, 12, 26}));
}

TEST(RefOps, DepthwiseSamePaddingDilation) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {1, 3, 3, 1}, 1.0f, 1));
  const int w = m.AddTensor(ConstInt8("w", {1, 3, 3, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1}, {1.0f}, {}, 3));
  const int out = m.AddTensor(Int8Tensor("out", {1, 3, 3, 1}, 1.0f, 0));
  DepthwiseOpts o;
  o.padding = kSame;
  o.dilation_w = o.dilation_h = 2;  // effective 5x5, padding 2
  m.AddOp(op::kDepthwiseConv2D, {in, w}, {out}, o);
  m.inputs = {in};
  m.outputs = {out};
  // Each output sums the inputs at offsets -2, 0, +2 that exist: corners see the
  // 4 corners (1+3+7+9 = 20), edges 2 cells (2+8, 4+6), the centre only itself.
  EXPECT_EQ(Run1(m, kImage), (std::vector<int8_t>{20, 10, 20, 10, 5, 10, 20, 10, 20}));
}

ModelSpec Fc(FcOpts o, bool bias, std::vector<float> w_scales, std::vector<int32_t> in_shape,
             std::vector<int32_t> out_shape) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", std::move(in_shape), 1.0f, 0));
  const int w = m.AddTensor(ConstInt8("w", {2, 3}, {1, 0, -1, 2, 2, 2}, std::move(w_scales)));
  std::vector<int> inputs = {in, w};
  if (bias) inputs.push_back(m.AddTensor(ConstInt32("b", {2}, {10, -5})));
  const int out = m.AddTensor(Int8Tensor("out", std::move(out_shape), 2.0f, 0));
  m.AddOp(op::kFullyConnected, inputs, {out}, o);
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

TEST(RefOps, FullyConnected) {
  // x = 1,2,3: rows give -2 and 12; + bias 10, -5 -> 8, 7; x 0.5 -> 4, 3.5 -> 4.
  EXPECT_EQ(Run1(Fc(FcOpts{}, true, {1.0f}, {1, 3}, {1, 2}), {1, 2, 3}),
            (std::vector<int8_t>{4, 4}));
  // No bias: -1, 6.
  EXPECT_EQ(Run1(Fc(FcOpts{}, false, {1.0f}, {1, 3}, {1, 2}), {1, 2, 3}),
            (std::vector<int8_t>{-1, 6}));
  // RELU clamps at zero point 0.
  EXPECT_EQ(Run1(Fc(FcOpts{kActRelu, false}, false, {1.0f}, {1, 3}, {1, 2}), {1, 2, 3}),
            (std::vector<int8_t>{0, 6}));
  // Per-channel weights (scales 1 and 0.5): row 1 becomes 12 * 0.5 / 2 = 3.
  EXPECT_EQ(Run1(Fc(FcOpts{}, false, {1.0f, 0.5f}, {1, 3}, {1, 2}), {1, 2, 3}),
            (std::vector<int8_t>{-1, 3}));
  // Two batches from a [2,3] input; keep_num_dims only affects shapes. Batch 1 gives
  // -1 x 0.5 = -0.5, which the high multiply rounds to 0 (ties toward +infinity).
  EXPECT_EQ(Run1(Fc(FcOpts{kActNone, true}, false, {1.0f}, {2, 3}, {2, 2}), {1, 2, 3, 0, 0, 1}),
            (std::vector<int8_t>{-1, 6, 0, 1}));
}

TEST(RefOps, FullyConnectedFilterZeroPointPerTensor) {
  ModelSpec m = Fc(FcOpts{}, false, {1.0f}, {1, 3}, {1, 2});
  m.tensors[1].zero_point = {1};  // weights become 0,-1,-2 and 1,1,1
  EXPECT_EQ(Run1(m, {1, 2, 3}), (std::vector<int8_t>{-4, 3}));  // -8/2, 6/2
}

ModelSpec Pool(int code, PoolOpts o, std::vector<int32_t> in_shape, std::vector<int32_t> out_shape) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", std::move(in_shape), 1.0f, 0));
  const int out = m.AddTensor(Int8Tensor("out", std::move(out_shape), 1.0f, 0));
  m.AddOp(code, {in}, {out}, o);
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

TEST(RefOps, AveragePoolRounding) {
  PoolOpts o;
  o.padding = kValid;
  o.filter_w = o.filter_h = 2;
  o.stride_w = o.stride_h = 2;
  const ModelSpec m = Pool(op::kAveragePool2D, o, {1, 2, 2, 4}, {1, 1, 1, 4});
  // Channels: {1,2,3,5} = 2.75 -> 3; {-1,-2,-3,-5} -> -3; {1,2,3,4} = 2.5 -> 3;
  // {-1,-2,-3,-4} = -2.5 -> -3 (ties away from zero).
  const std::vector<int8_t> in = {1, -1, 1, -1, 2, -2, 2, -2, 3, -3, 3, -3, 5, -5, 4, -4};
  EXPECT_EQ(Run1(m, in), (std::vector<int8_t>{3, -3, 3, -3}));
}

TEST(RefOps, AveragePoolSamePaddingCountsOnlyValidCells) {
  PoolOpts o;
  o.padding = kSame;
  o.filter_w = o.filter_h = 3;
  const ModelSpec m = Pool(op::kAveragePool2D, o, {1, 2, 2, 1}, {1, 2, 2, 1});
  // Every 3x3 window covers the whole 2x2 image: (1+2+3+4)/4 = 2.5 -> 3.
  EXPECT_EQ(Run1(m, {1, 2, 3, 4}), (std::vector<int8_t>{3, 3, 3, 3}));
}

TEST(RefOps, MaxPoolWithRelu) {
  PoolOpts o;
  o.padding = kValid;
  o.filter_w = o.filter_h = 2;
  o.stride_w = 1;
  o.stride_h = 1;
  ModelSpec m = Pool(op::kMaxPool2D, o, {1, 3, 3, 1}, {1, 2, 2, 1});
  EXPECT_EQ(Run1(m, {-9, -8, -7, -6, -5, 4, -3, -2, -1}), (std::vector<int8_t>{-5, 4, -2, 4}));
  std::get<PoolOpts>(m.ops[0].options).activation = kActRelu;
  EXPECT_EQ(Run1(m, {-9, -8, -7, -6, -5, 4, -3, -2, -1}), (std::vector<int8_t>{0, 4, 0, 4}));
}

TEST(RefOps, AddBroadcast) {
  ModelSpec m;
  const int a = m.AddTensor(Int8Tensor("a", {1, 2, 2, 1}, 1.0f, 0));
  const int b = m.AddTensor(Int8Tensor("b", {2, 1, 1, 3}, 1.0f, 0));
  const int out = m.AddTensor(Int8Tensor("out", {2, 2, 2, 3}, 1.0f, 0));
  m.AddOp(op::kAdd, {a, b}, {out}, AddOpts{});
  m.inputs = {a, b};
  m.outputs = {out};
  const auto r = RunReference(m, {PackInt8({1, 2, 3, 4}), PackInt8({10, 20, 30, -10, -20, -30})});
  const std::vector<int8_t> expect = {11, 21, 31, 12, 22, 32, 13, 23, 33, 14, 24, 34,
                                      -9, -19, -29, -8, -18, -28, -7, -17, -27, -6, -16, -26};
  EXPECT_EQ(UnpackInt8(r[0]), expect);
}

TEST(RefOps, AddRank6AndConstantOperand) {
  ModelSpec m;
  const int a = m.AddTensor(Int8Tensor("a", {1, 1, 2, 1, 1, 2}, 0.5f, 0));
  const int c = m.AddTensor(ConstInt8("c", {1}, {4}, {0.5f}));
  const int out = m.AddTensor(Int8Tensor("out", {1, 1, 2, 1, 1, 2}, 0.5f, 0));
  m.AddOp(op::kAdd, {a, c}, {out}, AddOpts{kActRelu});
  m.inputs = {a};
  m.outputs = {out};
  EXPECT_EQ(Run1(m, {1, -2, -9, 100}), (std::vector<int8_t>{5, 2, 0, 104}));
}

TEST(RefOps, SoftmaxHandValues) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {2, 4}, 1.0f, 0));
  const int out = m.AddTensor(Int8Tensor("out", {2, 4}, 1.0f / 256, -128));
  m.AddOp(op::kSoftmax, {in}, {out}, SoftmaxOpts{1.0f});
  m.inputs = {in};
  m.outputs = {out};
  // Row 0: four equal logits -> 0.25 -> 64 - 128. Row 1: the gap to the maximum is
  // below diff_min (-15) for three entries -> -128, and the max gets 1.0 -> 127.
  EXPECT_EQ(Run1(m, {5, 5, 5, 5, 127, -128, 100, 0}),
            (std::vector<int8_t>{-64, -64, -64, -64, 127, -128, -128, -128}));
}

TEST(RefOps, SoftmaxCloseToFloat) {
  ModelSpec m;
  const float scale = 0.1f;
  const int in = m.AddTensor(Int8Tensor("in", {1, 10}, scale, 3));
  const int out = m.AddTensor(Int8Tensor("out", {1, 10}, 1.0f / 256, -128));
  m.AddOp(op::kSoftmax, {in}, {out}, SoftmaxOpts{1.0f});
  m.inputs = {in};
  m.outputs = {out};
  const std::vector<int8_t> x = RandomInt8(10, 99);
  const std::vector<int8_t> y = Run1(m, x);
  double sum = 0.0;
  for (int8_t v : x) sum += std::exp((v - 3) * scale);
  for (int i = 0; i < 10; ++i) {
    const double p = std::exp((x[i] - 3) * scale) / sum;
    EXPECT_NEAR((y[i] + 128) / 256.0, p, 1.0 / 256) << i;
  }
}

TEST(RefOps, SoftmaxInt16Output) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {1, 4}, 1.0f, 0));
  TensorSpec o;
  o.name = "out";
  o.dtype = DT::kInt16;
  o.shape = {1, 4};
  o.scale = {1.0f / 65536};
  o.zero_point = {-32768};
  const int out = m.AddTensor(o);
  m.AddOp(op::kSoftmax, {in}, {out}, SoftmaxOpts{1.0f});
  m.inputs = {in};
  m.outputs = {out};
  const auto r = RunReference(m, {PackInt8({5, 5, 5, 5})});
  // 0.25 * 65536 - 32768 = -16384.
  EXPECT_EQ(UnpackInt16(r[0]), (std::vector<int16_t>{-16384, -16384, -16384, -16384}));
}

TEST(RefOps, QuantizeFloatToInt8) {
  ModelSpec m;
  const int in = m.AddActivation("in", DT::kFloat32, {5});
  const int out = m.AddTensor(Int8Tensor("out", {5}, 0.5f, 1));
  m.AddOp(op::kQuantize, {in}, {out});
  m.inputs = {in};
  m.outputs = {out};
  // round(x / 0.5) + 1, ties away from zero, clamped.
  const auto r = RunReference(m, {PackFloat({0.25f, -0.25f, 100.0f, -0.74f, -1000.0f})});
  EXPECT_EQ(UnpackInt8(r[0]), (std::vector<int8_t>{2, 0, 127, 0, -128}));
}

TEST(RefOps, Requantize) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {4}, 1.0f, 0));
  const int out = m.AddTensor(Int8Tensor("out", {4}, 2.0f, 0));
  m.AddOp(op::kQuantize, {in}, {out});
  m.inputs = {in};
  m.outputs = {out};
  // x 0.5 via MultiplyByQuantizedMultiplier: 1.5 -> 2 but -1.5 -> -1.
  EXPECT_EQ(Run1(m, {3, -3, 5, -128}), (std::vector<int8_t>{2, -1, 3, -64}));
  m.tensors[1].zero_point = {-10};
  m.tensors[0].zero_point = {4};
  EXPECT_EQ(Run1(m, {6, 0, 127, -128}), (std::vector<int8_t>{-9, -12, 52, -76}));
}

TEST(RefOps, Dequantize) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {3}, 0.5f, 1));
  const int out = m.AddActivation("out", DT::kFloat32, {3});
  m.AddOp(op::kDequantize, {in}, {out});
  m.inputs = {in};
  m.outputs = {out};
  const auto r = RunReference(m, {PackInt8({3, -128, 1})});
  EXPECT_EQ(UnpackFloat(r[0]), (std::vector<float>{1.0f, -64.5f, 0.0f}));
}

TEST(RefOps, ReshapeCopiesBytes) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {1, 2, 3}, 1.0f, 0));
  const int shape = m.AddTensor(ConstInt32("shape", {2}, {3, 2}));
  const int out = m.AddTensor(Int8Tensor("out", {3, 2}, 1.0f, 0));
  m.AddOp(op::kReshape, {in, shape}, {out});
  m.inputs = {in};
  m.outputs = {out};
  EXPECT_EQ(Run1(m, {1, 2, 3, 4, 5, 6}), (std::vector<int8_t>{1, 2, 3, 4, 5, 6}));
}

TEST(RefOps, ReportsErrors) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {4}, 1.0f, 0));
  const int out = m.AddTensor(Int8Tensor("out", {4}, 1.0f, 0));
  m.AddOp(10 /* HASHTABLE_LOOKUP: not implemented */, {in, in}, {out});
  m.inputs = {in};
  m.outputs = {out};
  ReferenceResult r = RunReferenceAll(m, {PackInt8({1, 2, 3, 4})});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("op 0 (HASHTABLE_LOOKUP)"), std::string::npos) << r.error;
  EXPECT_THROW(RunReference(m, {PackInt8({1, 2, 3, 4})}), std::runtime_error);
  r = RunReferenceAll(m, {PackInt8({1, 2})});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("needs 4"), std::string::npos) << r.error;
  EXPECT_TRUE(ReferenceSupports(op::kConv2D));
  EXPECT_FALSE(ReferenceSupports(10));
}

TEST(RefOps, IntermediateTensorsAreReturned) {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {1, 2}, 1.0f, 0));
  const int mid = m.AddTensor(Int8Tensor("mid", {2}, 1.0f, 0));
  const int out = m.AddTensor(Int8Tensor("out", {2}, 1.0f, 0));
  m.AddOp(op::kReshape, {in}, {mid});
  m.AddOp(op::kAdd, {mid, mid}, {out}, AddOpts{});
  m.inputs = {in};
  m.outputs = {out};
  const ReferenceResult r = RunReferenceAll(m, {PackInt8({3, -4})});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(UnpackInt8(r.tensors[mid]), (std::vector<int8_t>{3, -4}));
  EXPECT_EQ(UnpackInt8(r.outputs[0]), (std::vector<int8_t>{6, -8}));
}

}  // namespace
}  // namespace tinymlc::testing
