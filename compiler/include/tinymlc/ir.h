// The compiler's own graph IR. The importer converts a TFLite flatbuffer into this;
// nothing after the importer sees flatbuffers types.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tinymlc {

// kInt4: TFLite INT4, two values per byte (element 2i in the low nibble of byte i,
// 2i + 1 in the high one, each sign-extended; an odd count leaves the last high nibble
// unused). Only the constant weights of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED.
enum class DType { kFloat32, kInt8, kInt16, kInt32, kInt64, kUInt8, kBool, kInt4, kUnsupported };

const char* DTypeName(DType t);          // "float32", "int8", ...
const char* DTypeCName(DType t);         // "float", "int8_t", ...
size_t DTypeSize(DType t);               // bytes per element (0 if unsupported; int4: 1, see Bytes())

struct Quantization {
  std::vector<float> scale;         // one per tensor, or one per channel
  std::vector<int64_t> zero_point;  // same length as scale
  int32_t axis = 0;                 // quantized dimension for per-channel
  bool present() const { return !scale.empty(); }
  bool per_channel() const { return scale.size() > 1; }
};

struct Tensor {
  int index = -1;
  std::string name;
  DType dtype = DType::kUnsupported;
  int tflite_type = -1;          // TFLite TensorType value (for messages)
  std::vector<int32_t> shape;
  Quantization quant;
  bool is_constant = false;      // has data in the model
  bool is_variable = false;
  std::vector<uint8_t> data;     // constant data, little-endian
  int64_t NumElements() const;
  int64_t Bytes() const {  // int4: packed, ceil(elements / 2)
    return dtype == DType::kInt4 ? (NumElements() + 1) / 2
                                 : NumElements() * static_cast<int64_t>(DTypeSize(dtype));
  }
  float scale() const { return quant.scale.empty() ? 0.0f : quant.scale[0]; }
  int32_t zero_point() const {
    return quant.zero_point.empty() ? 0 : static_cast<int32_t>(quant.zero_point[0]);
  }
};

enum class Activation { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5 };
enum class Padding { kSame = 0, kValid = 1 };

const char* ActivationName(Activation a);

struct Conv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
  // TFLite TensorType of the bias the quantizer meant when the model has none (int16x8:
  // INT32 = 2 selects TFLM's 32-bit accumulator).
  int32_t quantized_bias_type = 0;
};
struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
};
struct Pool2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_w = 1, filter_h = 1;
  Activation activation = Activation::kNone;
};
struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  int32_t weights_format = 0;  // only DEFAULT (0) is supported
  bool keep_num_dims = false;
  int32_t quantized_bias_type = 0;  // as in Conv2DOptions
};
struct SoftmaxOptions {
  float beta = 1.0f;
};
struct AddOptions {
  Activation activation = Activation::kNone;
};
struct ReshapeOptions {
  std::vector<int32_t> new_shape;
};

// Options with only a fused activation (MUL, SUB, DIV, L2_NORMALIZATION).
struct ActivationOptions {
  Activation activation = Activation::kNone;
};
struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
};
struct StridedSliceOptions {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0,
          shrink_axis_mask = 0;
  bool offset = false;
};
struct SqueezeOptions {
  std::vector<int32_t> squeeze_dims;
};
struct PackOptions {  // PACK (values_count) and UNPACK (num)
  int32_t count = 0;
  int32_t axis = 0;
};
struct SplitOptions {  // SPLIT and SPLIT_V
  int32_t num_splits = 0;
};
struct GatherOptions {
  int32_t axis = 0;
  int32_t batch_dims = 0;
};
struct BlockSizeOptions {  // SPACE_TO_DEPTH, DEPTH_TO_SPACE
  int32_t block_size = 0;
};
struct ResizeOptions {  // RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR
  bool align_corners = false;
  bool half_pixel_centers = false;
};
struct ReducerOptions {  // MEAN, SUM, REDUCE_MAX, ...
  bool keep_dims = false;
};
struct LeakyReluOptions {
  float alpha = 0.0f;
};
struct TransposeConvOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  Activation activation = Activation::kNone;
};
struct SvdfOptions {
  int32_t rank = 0;
  Activation activation = Activation::kNone;
};
struct SequenceLstmOptions {
  Activation activation = Activation::kNone;
  float cell_clip = 0.0f, proj_clip = 0.0f;
  bool time_major = false;
  bool diagonal_recurrent_tensors = false;
};
struct BatchMatMulOptions {
  bool adj_x = false, adj_y = false;
};
struct ShapeOptions {
  int32_t out_type = 2;  // TFLite TensorType; INT32 by default
};

using OpOptions =
    std::variant<std::monostate, Conv2DOptions, DepthwiseConv2DOptions, Pool2DOptions,
                 FullyConnectedOptions, SoftmaxOptions, AddOptions, ReshapeOptions,
                 ActivationOptions, ConcatenationOptions, StridedSliceOptions, SqueezeOptions,
                 PackOptions, SplitOptions, GatherOptions, BlockSizeOptions, ResizeOptions,
                 ReducerOptions, LeakyReluOptions, TransposeConvOptions, SvdfOptions,
                 SequenceLstmOptions, BatchMatMulOptions, ShapeOptions>;

struct Operator {
  int index = -1;
  int builtin_code = -1;       // max(deprecated_builtin_code, builtin_code)
  std::string name;            // builtin name, "CONV_2D"; "CUSTOM(name)" for custom ops
  int version = 1;
  std::vector<int> inputs;     // tensor indices; -1 for an omitted optional input
  std::vector<int> outputs;
  OpOptions options;
};

struct Graph {
  std::string source_path;     // the model file, for messages
  std::vector<Tensor> tensors;
  std::vector<Operator> ops;   // execution order
  std::vector<int> inputs;
  std::vector<int> outputs;
  const Tensor* TensorOrNull(int index) const {
    return index >= 0 && index < static_cast<int>(tensors.size()) ? &tensors[index] : nullptr;
  }
};

// The builtin operator's name for a TFLite builtin code ("BUILTIN_<n>" if unknown).
std::string BuiltinName(int builtin_code);

}  // namespace tinymlc
