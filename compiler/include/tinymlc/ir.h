// The compiler's own graph IR. The importer converts a TFLite flatbuffer into this;
// nothing after the importer sees flatbuffers types.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "tinymlc/status.h"

namespace tinymlc {

// kInt4: TFLite INT4, two values per byte (element 2i in the low nibble of byte i,
// 2i + 1 in the high one, each sign-extended; an odd count leaves the last high nibble
// unused). Only the constant weights of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED.
// kResource: a resource variable's handle (VAR_HANDLE's output); it has no bytes of its own,
// the compiler resolves it to the variable's storage (passes/resource_variables.h).
// kUInt32, kUInt64: the signal library's (TFLM signal/) spectra, energies and filter bank sums.
enum class DType { kFloat32, kInt8, kInt16, kInt32, kInt64, kUInt8, kBool, kInt4, kResource, kUInt32, kUInt64, kUnsupported };

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
  int subgraph = 0;              // the subgraph holding the tensor
  int local_index = -1;          // its index in that subgraph (for messages)
  std::vector<uint8_t> data;     // constant data, little-endian
  // A view (passes/patch.h): this tensor is bytes [view_offset, view_offset + Bytes()) of
  // tensor view_of (a band of rows of an NHWC tensor); it has no memory of its own.
  int view_of = -1;
  int64_t view_offset = 0;
  // An output nothing reads, given its producer's dtype (passes/unread_outputs.h): the
  // layer hooks do not report it.
  bool unreported = false;
  // The model stores this constant LUT-compressed under its COMPRESSION_METADATA (TFLM's
  // older compression scheme): the importer decoded `data`; this is the index width.
  int lut_index_bits = 0;
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
  // >= 0: a band of output rows of a patched layer (passes/patch.h): the output height is
  // the output tensor's and this is the band's top padding (0 inside the image).
  int32_t band_pad_h = -1;
};
struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
  // >= 0: a band of output rows of a patched layer (passes/patch.h): the output height is
  // the output tensor's and this is the band's top padding (0 inside the image).
  int32_t band_pad_h = -1;
};
struct Pool2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_w = 1, filter_h = 1;
  Activation activation = Activation::kNone;
  // >= 0: a band of output rows of a patched layer (passes/patch.h): the output height is
  // the output tensor's and this is the band's top padding (0 inside the image).
  int32_t band_pad_h = -1;
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
// Stateful graphs: resource variables and control flow (see Graph::subgraphs).
struct VarHandleOptions {
  std::string container, shared_name;
};
struct CallOnceOptions {
  int32_t init_subgraph = -1;
};
struct IfOptions {
  int32_t then_subgraph = -1, else_subgraph = -1;
};
struct WhileOptions {
  int32_t cond_subgraph = -1, body_subgraph = -1;
};
struct MirrorPadOptions {
  bool symmetric = false;  // tflite::MirrorPadMode: REFLECT (0) or SYMMETRIC (1)
};
struct CumsumOptions {
  bool exclusive = false, reverse = false;
};
// A custom operator (TFLM's signal library: SignalWindow, SignalRfft, ...): its custom_code
// and its flexbuffer options map, read by the importer's bounds-checked reader
// (flexbuffer.h). Entries are in the file's order, which flexbuffers sort by key: TFLM's
// kernels read them by position (FlexbufferWrapper::ElementAsInt32(i)).
struct FlexValue {
  enum class Kind { kInt, kUInt, kBool, kFloat, kOther };
  Kind kind = Kind::kOther;
  int fb_type = 0;       // the flexbuffer type code
  int64_t as_int = 0;    // the inline bytes sign-extended at the map's width (ElementAsInt64)
  uint64_t as_uint = 0;  // the same bytes zero-extended (ElementAsUInt64, ElementAsBool)
  double as_float = 0;   // kFloat only
};
struct CustomOptions {
  std::string code;
  std::vector<std::pair<std::string, FlexValue>> map;
};

using OpOptions =
    std::variant<std::monostate, Conv2DOptions, DepthwiseConv2DOptions, Pool2DOptions,
                 FullyConnectedOptions, SoftmaxOptions, AddOptions, ReshapeOptions,
                 ActivationOptions, ConcatenationOptions, StridedSliceOptions, SqueezeOptions,
                 PackOptions, SplitOptions, GatherOptions, BlockSizeOptions, ResizeOptions,
                 ReducerOptions, LeakyReluOptions, TransposeConvOptions, SvdfOptions,
                 SequenceLstmOptions, BatchMatMulOptions, ShapeOptions, VarHandleOptions,
                 CallOnceOptions, IfOptions, WhileOptions, MirrorPadOptions,
                 CumsumOptions, CustomOptions>;

struct Operator {
  int index = -1;              // index in Graph::ops (all subgraphs, in subgraph order)
  int subgraph = 0;            // the subgraph holding the operator
  int local_index = -1;        // its index in that subgraph (for messages)
  int builtin_code = -1;       // max(deprecated_builtin_code, builtin_code)
  std::string name;            // builtin name, "CONV_2D"; "CUSTOM(name)" for custom ops
  int version = 1;
  std::vector<int> inputs;     // tensor indices; -1 for an omitted optional input
  std::vector<int> outputs;
  OpOptions options;
  // After the patch rewrite (passes/patch.h): the patch a copy of a prefix operator
  // computes (0 ..; -1 for every other operator), and for every operator its index in
  // the model (-1 without the rewrite).
  int patch = -1;
  int patch_source = -1;
};

// A subgraph of the model. The importer concatenates every subgraph into one Graph:
// subgraph k's tensors and operators are the ranges below of Graph::tensors and
// Graph::ops (tensor and operator indices in the IR are global; Tensor::local_index and
// Operator::local_index give the file's). Subgraph 0 is the model; the others run when
// an operator calls them (CALL_ONCE, IF, WHILE).
struct Subgraph {
  std::string name;
  int first_tensor = 0, num_tensors = 0;
  int first_op = 0, num_ops = 0;
  std::vector<int> inputs;     // global tensor indices
  std::vector<int> outputs;
};

struct Graph {
  std::string source_path;     // the model file, for messages
  std::vector<Tensor> tensors;
  std::vector<Operator> ops;   // execution order within each subgraph, subgraph 0 first
  std::vector<int> inputs;     // subgraph 0's
  std::vector<int> outputs;
  std::vector<Subgraph> subgraphs;  // empty for a graph built by hand: one subgraph
  const Tensor* TensorOrNull(int index) const {
    return index >= 0 && index < static_cast<int>(tensors.size()) ? &tensors[index] : nullptr;
  }
};

// Error context in the file's terms: the subgraph and the index inside it (a graph built
// without the importer has local_index -1: the global index is the local one).
inline Status& AtOp(Status& s, const Operator& op) {
  return s.WithSubgraph(op.subgraph).WithOp(op.local_index >= 0 ? op.local_index : op.index, op.name);
}
inline Status& AtTensor(Status& s, const Tensor& t) {
  return s.WithSubgraph(t.subgraph).WithTensor(t.local_index >= 0 ? t.local_index : t.index, t.name);
}
inline Status AtOp(Status&& s, const Operator& op) { return AtOp(s, op); }
inline Status AtTensor(Status&& s, const Tensor& t) { return AtTensor(s, t); }

// The builtin operator's name for a TFLite builtin code ("BUILTIN_<n>" if unknown).
std::string BuiltinName(int builtin_code);

}  // namespace tinymlc
