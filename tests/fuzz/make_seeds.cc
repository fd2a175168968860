// tinymlc_fuzz_seeds OUTDIR: writes the fuzzers' builder-made seed models into OUTDIR
// (run at build time; nothing here is committed). The example models plus one small
// model per operator family, so that the structure-aware mutator starts from graphs
// that reach lowering, folding and the planner for most operators. A seed does not
// have to compile: one that fails validation still exercises the error paths.
#include <cstdio>
#include <string>
#include <vector>

#include "example_models.h"
#include "model_builder.h"

namespace {

using namespace tinymlc::testing;  // NOLINT(google-build-using-namespace)

constexpr float kScale = 0.05f;

struct Seed {
  std::string name;
  ModelSpec spec;
};

// x [1,4,4,2] int8 -> OP(x, extra...) -> y (int8, `out_shape`).
ModelSpec Unary(int code, std::vector<int32_t> out_shape, OpOptions options = {},
                float out_scale = kScale, int64_t out_zp = 0) {
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {1, 4, 4, 2}, kScale, 0));
  const int y = m.AddTensor(Int8Tensor("y", std::move(out_shape), out_scale, out_zp));
  m.AddOp(code, {x}, {y}, std::move(options));
  m.inputs = {x};
  m.outputs = {y};
  return m;
}

// x [1,4,4,2] int8, constant `extra` inputs -> OP -> y.
ModelSpec WithConsts(int code, std::vector<TensorSpec> extra, std::vector<int32_t> out_shape,
                     OpOptions options = {}, bool extra_first = false) {
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {1, 4, 4, 2}, kScale, 0));
  std::vector<int> ins = {x};
  for (TensorSpec& t : extra) {
    const int c = m.AddTensor(std::move(t));
    if (extra_first) {
      ins.insert(ins.begin(), c);
    } else {
      ins.push_back(c);
    }
  }
  const int y = m.AddTensor(Int8Tensor("y", std::move(out_shape), kScale, 0));
  m.AddOp(code, ins, {y}, std::move(options));
  m.inputs = {x};
  m.outputs = {y};
  return m;
}

// a, b [1,4,4,2] int8 -> OP -> y (dtype/shape given).
ModelSpec Binary(int code, DT out_dtype = DT::kInt8, OpOptions options = {}) {
  ModelSpec m;
  const int a = m.AddTensor(Int8Tensor("a", {1, 4, 4, 2}, kScale, 1));
  const int b = m.AddTensor(Int8Tensor("b", {1, 1, 1, 2}, 0.04f, -2));
  const int y = out_dtype == DT::kInt8 ? m.AddTensor(Int8Tensor("y", {1, 4, 4, 2}, 0.1f, 0))
                                       : m.AddActivation("y", out_dtype, {1, 4, 4, 2});
  m.AddOp(code, {a, b}, {y}, std::move(options));
  m.inputs = {a, b};
  m.outputs = {y};
  return m;
}

TensorSpec Weights(const std::string& name, std::vector<int32_t> shape, int axis, int channels) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  std::vector<float> scales(static_cast<size_t>(channels), 0.01f);
  for (int c = 0; c < channels; ++c) scales[static_cast<size_t>(c)] = 0.01f + 0.002f * c;
  return ConstInt8(name, std::move(shape), RandomInt8(static_cast<size_t>(n), 7, -127, 127),
                   scales, std::vector<int64_t>(static_cast<size_t>(channels), 0), axis);
}

TensorSpec Bias(int channels) {
  std::vector<float> scales(static_cast<size_t>(channels), kScale * 0.01f);
  return ConstInt32("bias", {channels}, RandomInt32(static_cast<size_t>(channels), 9, -500, 500),
                    scales);
}

std::vector<Seed> Seeds() {
  std::vector<Seed> s;
  for (const ExampleModel& e : ExampleModels()) {
    s.push_back({e.file_name.substr(0, e.file_name.rfind('.')), e.spec});
  }

  Conv2DOpts conv;
  conv.padding = kSame;
  conv.stride_w = conv.stride_h = 2;
  conv.activation = kActRelu6;
  s.push_back({"conv_2d", WithConsts(op::kConv2D, {Weights("w", {3, 3, 3, 2}, 0, 3), Bias(3)},
                                     {1, 2, 2, 3}, conv)});
  DepthwiseOpts dw;
  dw.depth_multiplier = 2;
  s.push_back({"depthwise_conv_2d",
               WithConsts(op::kDepthwiseConv2D, {Weights("w", {1, 3, 3, 4}, 3, 4), Bias(4)},
                          {1, 4, 4, 4}, dw)});
  s.push_back({"fully_connected",
               WithConsts(op::kFullyConnected, {Weights("w", {5, 32}, 0, 1), Bias(5)}, {1, 5},
                          FcOpts{kActRelu, false})});
  TransposeConvOpts tc;
  tc.stride_w = tc.stride_h = 2;
  s.push_back({"transpose_conv",
               WithConsts(op::kTransposeConv,
                          {ConstInt32("out_shape", {4}, {1, 8, 8, 3}), Weights("w", {3, 3, 3, 2}, 0, 3)},
                          {1, 8, 8, 3}, tc, /*extra_first=*/true)});
  PoolOpts pool;
  pool.stride_w = pool.stride_h = 2;
  pool.filter_w = pool.filter_h = 2;
  s.push_back({"average_pool_2d", Unary(op::kAveragePool2D, {1, 2, 2, 2}, pool)});
  s.push_back({"max_pool_2d", Unary(op::kMaxPool2D, {1, 2, 2, 2}, pool)});
  s.push_back({"softmax", Unary(op::kSoftmax, {1, 4, 4, 2}, SoftmaxOpts{1.0f}, 1.0f / 256, -128)});
  s.push_back({"log_softmax",
               Unary(op::kLogSoftmax, {1, 4, 4, 2}, {}, 16.0f / 256, 127)});
  s.push_back({"logistic", Unary(op::kLogistic, {1, 4, 4, 2}, {}, 1.0f / 256, -128)});
  s.push_back({"tanh", Unary(op::kTanh, {1, 4, 4, 2}, {}, 1.0f / 128, 0)});
  for (auto [name, code] : std::vector<std::pair<std::string, int>>{
           {"relu", op::kRelu}, {"relu6", op::kRelu6}, {"relu_n1_to_1", op::kReluN1To1},
           {"hard_swish", op::kHardSwish}, {"elu", op::kElu}, {"abs", op::kAbs},
           {"neg", op::kNeg}, {"rsqrt", op::kRsqrt}, {"l2_normalization", op::kL2Normalization}}) {
    s.push_back({name, Unary(code, {1, 4, 4, 2})});
  }
  s.push_back({"leaky_relu", Unary(op::kLeakyRelu, {1, 4, 4, 2}, LeakyReluOpts{0.2f})});
  s.push_back({"add", Binary(op::kAdd, DT::kInt8, AddOpts{kActRelu})});
  s.push_back({"mul", Binary(op::kMul, DT::kInt8, MulOpts{kActNone})});
  s.push_back({"sub", Binary(op::kSub, DT::kInt8, SubOpts{kActNone})});
  s.push_back({"maximum", Binary(op::kMaximum)});
  s.push_back({"minimum", Binary(op::kMinimum)});
  s.push_back({"squared_difference", Binary(op::kSquaredDifference)});
  s.push_back({"prelu", Binary(op::kPrelu)});
  for (auto [name, code] : std::vector<std::pair<std::string, int>>{
           {"less", op::kLess}, {"greater_equal", op::kGreaterEqual}, {"equal", op::kEqual}}) {
    s.push_back({name, Binary(code, DT::kBool)});
  }
  s.push_back({"mean", WithConsts(op::kMean, {ConstInt32("axis", {2}, {1, 2})}, {1, 1, 1, 2},
                                  ReducerOpts{true})});
  s.push_back({"sum", WithConsts(op::kSum, {ConstInt32("axis", {1}, {3})}, {1, 4, 4},
                                 ReducerOpts{false})});
  s.push_back({"reduce_max", WithConsts(op::kReduceMax, {ConstInt32("axis", {1}, {1})},
                                        {1, 1, 4, 2}, ReducerOpts{true})});
  ReshapeOpts reshape;
  reshape.new_shape = {1, 32};
  reshape.has_new_shape = true;
  s.push_back({"reshape", WithConsts(op::kReshape, {ConstInt32("shape", {2}, {1, 32})}, {1, 32},
                                     reshape)});
  s.push_back({"pad", WithConsts(op::kPad, {ConstInt32("pads", {4, 2}, {0, 0, 1, 1, 1, 1, 0, 0})},
                                 {1, 6, 6, 2})});
  s.push_back({"transpose", WithConsts(op::kTranspose, {ConstInt32("perm", {4}, {0, 2, 1, 3})},
                                       {1, 4, 4, 2})});
  s.push_back({"strided_slice",
               WithConsts(op::kStridedSlice,
                          {ConstInt32("begin", {4}, {0, 1, 0, 0}), ConstInt32("end", {4}, {1, 4, 4, 2}),
                           ConstInt32("strides", {4}, {1, 2, 1, 1})},
                          {1, 2, 4, 2}, StridedSliceOpts{})});
  s.push_back({"slice", WithConsts(op::kSlice,
                                   {ConstInt32("begin", {4}, {0, 1, 1, 0}),
                                    ConstInt32("size", {4}, {1, 2, 2, 2})},
                                   {1, 2, 2, 2})});
  s.push_back({"expand_dims",
               WithConsts(op::kExpandDims, {ConstInt32("axis", {1}, {0})}, {1, 1, 4, 4, 2})});
  s.push_back({"squeeze", Unary(op::kSqueeze, {4, 4, 2}, SqueezeOpts{{0}})});
  s.push_back({"space_to_depth", Unary(op::kSpaceToDepth, {1, 2, 2, 8}, SpaceToDepthOpts{2})});
  s.push_back({"depth_to_space", Unary(op::kDepthToSpace, {1, 8, 8, 0}, DepthToSpaceOpts{2})});
  s.push_back({"resize_bilinear",
               WithConsts(op::kResizeBilinear, {ConstInt32("size", {2}, {8, 8})}, {1, 8, 8, 2},
                          ResizeBilinearOpts{false, true})});
  s.push_back({"resize_nearest_neighbor",
               WithConsts(op::kResizeNearestNeighbor, {ConstInt32("size", {2}, {2, 2})},
                          {1, 2, 2, 2}, ResizeNearestNeighborOpts{})});
  s.push_back({"gather", WithConsts(op::kGather, {ConstInt32("idx", {2}, {3, 0})}, {1, 2, 4, 2},
                                    GatherOpts{1, 0})});
  s.push_back({"space_to_batch_nd",
               WithConsts(op::kSpaceToBatchNd,
                          {ConstInt32("block", {2}, {2, 2}), ConstInt32("pads", {2, 2}, {0, 0, 0, 0})},
                          {4, 2, 2, 2})});
  s.push_back({"batch_to_space_nd",
               WithConsts(op::kBatchToSpaceNd,
                          {ConstInt32("block", {2}, {1, 1}), ConstInt32("crops", {2, 2}, {0, 0, 0, 0})},
                          {1, 4, 4, 2})});
  {
    ModelSpec m;
    const int x = m.AddTensor(Int8Tensor("x", {1, 4, 4, 2}, kScale, 0));
    const int axis = m.AddTensor(ConstInt32("axis", {}, {3}));
    const int y0 = m.AddTensor(Int8Tensor("y0", {1, 4, 4, 1}, kScale, 0));
    const int y1 = m.AddTensor(Int8Tensor("y1", {1, 4, 4, 1}, kScale, 0));
    m.AddOp(op::kSplit, {axis, x}, {y0, y1}, SplitOpts{2});
    const int cat = m.AddTensor(Int8Tensor("cat", {1, 4, 4, 2}, kScale, 0));
    m.AddOp(op::kConcatenation, {y1, y0}, {cat}, ConcatenationOpts{3, kActNone});
    const int packed = m.AddTensor(Int8Tensor("packed", {2, 1, 4, 4, 2}, kScale, 0));
    m.AddOp(op::kPack, {cat, x}, {packed}, PackOpts{2, 0});
    const int u0 = m.AddTensor(Int8Tensor("u0", {1, 4, 4, 2}, kScale, 0));
    const int u1 = m.AddTensor(Int8Tensor("u1", {1, 4, 4, 2}, kScale, 0));
    m.AddOp(op::kUnpack, {packed}, {u0, u1}, UnpackOpts{2, 0});
    const int shape = m.AddActivation("shape", DT::kInt32, {4});
    m.AddOp(op::kShape, {u1}, {shape}, ShapeOpts{});
    const int r = m.AddTensor(Int8Tensor("r", {1, 4, 4, 2}, kScale, 0));
    m.AddOp(op::kReshape, {u0, shape}, {r});
    m.inputs = {x};
    m.outputs = {r};
    s.push_back({"split_concat_pack_unpack_shape", m});
  }
  {
    ModelSpec m;
    const int x = m.AddActivation("x", DT::kFloat32, {1, 8});
    const int q = m.AddTensor(Int8Tensor("q", {1, 8}, kScale, 3));
    m.AddOp(op::kQuantize, {x}, {q});
    const int q2 = m.AddTensor(Int8Tensor("q2", {1, 8}, 0.1f, -3));
    m.AddOp(op::kQuantize, {q}, {q2});
    const int y = m.AddActivation("y", DT::kFloat32, {1, 8});
    m.AddOp(op::kDequantize, {q2}, {y});
    m.inputs = {x};
    m.outputs = {y};
    s.push_back({"quantize_dequantize", m});
  }
  {
    ModelSpec m;
    const int a = m.AddTensor(Int8Tensor("a", {1, 3, 4}, kScale, 0));
    const int b = m.AddTensor(Int8Tensor("b", {1, 4, 5}, kScale, 0));
    const int y = m.AddTensor(Int8Tensor("y", {1, 3, 5}, 0.1f, 0));
    m.AddOp(op::kBatchMatMul, {a, b}, {y}, BatchMatMulOpts{});
    m.inputs = {a, b};
    m.outputs = {y};
    s.push_back({"batch_matmul", m});
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
    return 2;
  }
  for (const Seed& seed : Seeds()) {
    std::string error;
    const std::string path = std::string(argv[1]) + "/builder_" + seed.name + ".tflite";
    if (!seed.spec.WriteFile(path, &error)) {
      std::fprintf(stderr, "tinymlc_fuzz_seeds: %s\n", error.c_str());
      return 1;
    }
  }
  return 0;
}
