// Test support: describe a TFLite model in memory and write it as a valid .tflite file.
//
// A ModelSpec is a plain description of subgraph 0: tensors (activations and
// constants), operators in execution order, graph inputs and outputs. Serialize()
// turns it into a flatbuffer with the TFLite layout ("TFL3", version 3, buffer 0 the
// empty sentinel, one buffer per constant tensor, OperatorCode with both
// deprecated_builtin_code and builtin_code). The same ModelSpec is what the
// independent C++ reference (reference_ops.h) executes, so a test can build a model,
// compile it with tinymlc and compare against RunReference() bit for bit.
//
// Adding an operator with options: add a struct to the option structs below, add it
// to OpOptions, and add one WriteOptions overload in model_builder.cc (and, for the
// loader, one case in tflite_loader.cc). Operators without options need nothing.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tinymlc::testing {

// Element types the builder can write (values follow tflite::TensorType only through
// the mapping in model_builder.cc). kInt4: two values per byte, element 2i in the low
// nibble of byte i (PackInt4()).
enum class DT { kFloat32, kInt8, kInt16, kInt32, kUInt8, kInt64, kBool, kInt4, kResource, kUInt32, kUInt64 };

// Bytes per element of a DT.
int DTSize(DT dtype);
const char* DTName(DT dtype);

// TFLite builtin operator codes used by the tests (the values of tflite::BuiltinOperator).
namespace op {
constexpr int kAdd = 0;
constexpr int kAveragePool2D = 1;
constexpr int kConv2D = 3;
constexpr int kDepthwiseConv2D = 4;
constexpr int kDequantize = 6;
constexpr int kFullyConnected = 9;
constexpr int kMaxPool2D = 17;
constexpr int kReshape = 22;
constexpr int kSoftmax = 25;
constexpr int kQuantize = 114;
// Layers.
constexpr int kL2Normalization = 11;
constexpr int kSvdf = 27;
constexpr int kUnidirectionalSequenceLstm = 44;
constexpr int kTransposeConv = 67;
constexpr int kBatchMatMul = 126;
// Elementwise, reductions, comparisons.
constexpr int kMul = 18;
constexpr int kMean = 40;
constexpr int kSub = 41;
constexpr int kMaximum = 55;
constexpr int kMinimum = 57;
constexpr int kLess = 58;
constexpr int kNeg = 59;
constexpr int kGreater = 61;
constexpr int kGreaterEqual = 62;
constexpr int kLessEqual = 63;
constexpr int kEqual = 71;
constexpr int kNotEqual = 72;
constexpr int kSum = 74;
constexpr int kRsqrt = 76;
constexpr int kReduceMax = 82;
constexpr int kSquaredDifference = 99;
constexpr int kAbs = 101;
// Float32 math.
constexpr int kFloor = 8;
constexpr int kDiv = 42;
constexpr int kExp = 47;
constexpr int kSin = 66;
constexpr int kLog = 73;
constexpr int kSqrt = 75;
constexpr int kSquare = 92;
constexpr int kCeil = 104;
constexpr int kCos = 108;
constexpr int kRound = 116;
// Shape and data movement.
constexpr int kConcatenation = 2;
constexpr int kDepthToSpace = 5;
constexpr int kResizeBilinear = 23;
constexpr int kSpaceToDepth = 26;
constexpr int kPad = 34;
constexpr int kGather = 36;
constexpr int kBatchToSpaceNd = 37;
constexpr int kSpaceToBatchNd = 38;
constexpr int kTranspose = 39;
constexpr int kSqueeze = 43;
constexpr int kStridedSlice = 45;
constexpr int kSplit = 49;
constexpr int kPadV2 = 60;
constexpr int kSlice = 65;
constexpr int kExpandDims = 70;
constexpr int kShape = 77;
constexpr int kPack = 83;
constexpr int kUnpack = 88;
constexpr int kResizeNearestNeighbor = 97;
constexpr int kSplitV = 102;
// Activations.
constexpr int kLogistic = 14;
constexpr int kRelu = 19;
constexpr int kReluN1To1 = 20;
constexpr int kRelu6 = 21;
constexpr int kTanh = 28;
constexpr int kLogSoftmax = 50;
constexpr int kPrelu = 54;
constexpr int kLeakyRelu = 98;
constexpr int kElu = 111;
constexpr int kHardSwish = 117;
// TFLM operators, batch 2.
constexpr int kEmbeddingLookup = 7;
constexpr int kL2Pool2D = 12;
constexpr int kMirrorPad = 100;
constexpr int kGatherNd = 107;
constexpr int kCumsum = 128;
constexpr int kDynamicUpdateSlice = 151;
// Stateful graphs: control flow and resource variables.
constexpr int kIf = 118;
constexpr int kWhile = 119;
constexpr int kCallOnce = 129;
constexpr int kVarHandle = 142;
constexpr int kReadVariable = 143;
constexpr int kAssignVariable = 144;
}  // namespace op
const char* BuiltinName(int builtin_code);  // "CONV_2D", ... or "BUILTIN_<n>"

// Values of tflite::Padding and tflite::ActivationFunctionType.
enum Padding { kSame = 0, kValid = 1 };
enum Activation { kActNone = 0, kActRelu = 1, kActReluN1To1 = 2, kActRelu6 = 3 };

struct TensorSpec {
  std::string name;
  DT dtype = DT::kInt8;
  std::vector<int32_t> shape;
  // Quantization: empty scale = unquantized. One entry = per tensor; several =
  // per channel along quant_axis.
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quant_axis = 0;
  // Raw little-endian bytes of a constant tensor; empty = activation (no data).
  std::vector<uint8_t> data;
  bool is_variable = false;

  bool is_constant() const { return !data.empty(); }
  int64_t num_elements() const;
  int64_t num_bytes() const {
    return dtype == DT::kInt4 ? (num_elements() + 1) / 2 : num_elements() * DTSize(dtype);
  }
  // First scale / zero point (what TFLM keeps in TfLiteTensor::params), 0 if none.
  float scale0() const { return scale.empty() ? 0.0f : scale[0]; }
  int32_t zero_point0() const {
    return zero_point.empty() ? 0 : static_cast<int32_t>(zero_point[0]);
  }
};

// Options. Field values use the TFLite enums (Padding, Activation above).
struct Conv2DOpts {
  int padding = kSame;
  int stride_w = 1, stride_h = 1;
  int dilation_w = 1, dilation_h = 1;
  int activation = kActNone;
  int quantized_bias_type = 0;  // TFLite TensorType (2 = INT32), written when non-zero
};
struct DepthwiseOpts {
  int padding = kSame;
  int stride_w = 1, stride_h = 1;
  int dilation_w = 1, dilation_h = 1;
  int depth_multiplier = 1;
  int activation = kActNone;
};
struct PoolOpts {
  int padding = kValid;
  int stride_w = 1, stride_h = 1;
  int filter_w = 1, filter_h = 1;
  int activation = kActNone;
};
struct FcOpts {
  int activation = kActNone;
  bool keep_num_dims = false;
  int quantized_bias_type = 0;  // as in Conv2DOpts
};
struct SoftmaxOpts {
  float beta = 1.0f;
};
struct AddOpts {
  int activation = kActNone;
};
struct ReshapeOpts {
  std::vector<int32_t> new_shape;
  bool has_new_shape = false;  // false: write an empty ReshapeOptions table
};
struct MulOpts {  // MulOptions
  int activation = kActNone;
};
struct SubOpts {  // SubOptions
  int activation = kActNone;
};
struct DivOpts {  // DivOptions
  int activation = kActNone;
};
struct ReducerOpts {  // MEAN, SUM, REDUCE_MAX
  bool keep_dims = false;
};
// Layers.
struct TransposeConvOpts {  // TransposeConvOptions
  int padding = kSame;
  int stride_w = 1, stride_h = 1;
  int activation = kActNone;
};
struct BatchMatMulOpts {  // BatchMatMulOptions
  bool adj_x = false, adj_y = false;
};
struct L2NormOpts {  // L2NormOptions
  int activation = kActNone;
};
struct SvdfOpts {  // SVDFOptions
  int rank = 1;
  int activation = kActNone;
};
struct LstmOpts {  // UnidirectionalSequenceLSTMOptions
  int activation = 4;  // ActivationFunctionType TANH (the cell gate's nonlinearity)
  float cell_clip = 0.0f, proj_clip = 0.0f;
  bool time_major = false;
};
// Shape and data movement.
struct ConcatenationOpts {
  int axis = 0;
  int activation = kActNone;
};
struct StridedSliceOpts {
  int begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
};
struct SqueezeOpts {
  std::vector<int32_t> squeeze_dims;  // empty: every size-1 dimension
};
struct PackOpts {
  int values_count = 0;
  int axis = 0;
};
struct UnpackOpts {
  int num = 0;
  int axis = 0;
};
struct SplitOpts {
  int num_splits = 0;
};
struct SplitVOpts {
  int num_splits = 0;
};
struct GatherOpts {
  int axis = 0;
  int batch_dims = 0;
};
struct SpaceToDepthOpts {
  int block_size = 1;
};
struct DepthToSpaceOpts {
  int block_size = 1;
};
struct ResizeBilinearOpts {
  bool align_corners = false, half_pixel_centers = false;
};
struct ResizeNearestNeighborOpts {
  bool align_corners = false, half_pixel_centers = false;
};
struct ShapeOpts {
  DT out_type = DT::kInt32;
};
// Activations.
struct LeakyReluOpts {
  float alpha = 0.0f;
};
// TFLM operators, batch 2.
struct MirrorPadOpts {
  int mode = 0;  // tflite::MirrorPadMode: REFLECT 0, SYMMETRIC 1
};
struct CumsumOpts {
  bool exclusive = false, reverse = false;
};
// Stateful graphs (subgraph indices into ModelSpec: 0 is the model, k its subgraphs[k-1]).
struct VarHandleOpts {
  std::string container, shared_name;
};
struct CallOnceOpts {
  int init_subgraph = 1;
};
struct IfOpts {
  int then_subgraph = 1, else_subgraph = 2;
};
struct WhileOpts {
  int cond_subgraph = 1, body_subgraph = 2;
};
using OpOptions = std::variant<std::monostate, Conv2DOpts, DepthwiseOpts, PoolOpts, FcOpts,
                               SoftmaxOpts, AddOpts, ReshapeOpts,
                               MulOpts, SubOpts, ReducerOpts,
                               TransposeConvOpts, BatchMatMulOpts, L2NormOpts, SvdfOpts, LstmOpts,
                               ConcatenationOpts, StridedSliceOpts, SqueezeOpts, PackOpts,
                               UnpackOpts, SplitOpts, SplitVOpts, GatherOpts, SpaceToDepthOpts,
                               DepthToSpaceOpts, ResizeBilinearOpts, ResizeNearestNeighborOpts,
                               ShapeOpts, LeakyReluOpts, DivOpts, VarHandleOpts, CallOnceOpts,
                               IfOpts, WhileOpts, MirrorPadOpts, CumsumOpts>;

struct OpSpec {
  int builtin_code = 0;
  std::vector<int> inputs;   // tensor indices; -1 = optional input left out
  std::vector<int> outputs;
  OpOptions options;         // monostate = no builtin_options
  // Write no builtin_options table even when `options` holds one (TFLM then sees
  // zero-initialised parameters). Note that a written table leaves out every field
  // equal to its schema default (flatbuffers never stores defaults), so e.g. a
  // Conv2DOpts with padding kSame already yields "padding field absent".
  bool omit_options = false;
  int version = 1;           // OperatorCode.version
  // A custom operator (builtin CUSTOM, 32): its custom_code and its custom_options bytes
  // (a flexbuffer map, see FlexMapBuilder below). Empty custom_code: a builtin.
  std::string custom_code;
  std::vector<uint8_t> custom_options;
};

struct ModelSpec {
  std::vector<TensorSpec> tensors;
  std::vector<OpSpec> ops;
  std::vector<int> inputs, outputs;
  std::string description = "tinymlc test model";
  // Further subgraphs of the model (CALL_ONCE, IF, WHILE call them): subgraphs[k-1] is
  // subgraph k, with its own tensors, operators, inputs and outputs (its own
  // `subgraphs` and `description` are ignored). The C++ reference runs subgraph 0 only.
  std::vector<ModelSpec> subgraphs;

  // Convenience: append and return the new index.
  int AddTensor(TensorSpec t);
  int AddActivation(const std::string& name, DT dtype, std::vector<int32_t> shape,
                    float scale = 0.0f, int64_t zero_point = 0);
  int AddOp(int builtin_code, std::vector<int> inputs, std::vector<int> outputs,
            OpOptions options = {});
  // A custom op (TFLM's signal library: "SignalWindow", ...) with flexbuffer options.
  int AddCustomOp(const std::string& custom_code, std::vector<int> inputs, std::vector<int> outputs,
                  std::vector<uint8_t> custom_options);

  // The .tflite bytes. Deterministic: the same spec gives the same bytes.
  std::vector<uint8_t> Serialize() const;
  // Returns false and sets *error (if non-null) when the file cannot be written.
  bool WriteFile(const std::string& path, std::string* error) const;
  // Structural checks (indices in range, constants' byte sizes); "" when fine.
  std::string Validate() const;
};

// ---- Custom options ------------------------------------------------------------

// A flexbuffer map of scalars (ints and bools), the custom options of TFLM's signal
// ops; written with the flatbuffers library's flexbuffers::Builder (keys sorted).
class FlexMapBuilder {
 public:
  FlexMapBuilder& Int(const std::string& key, int64_t value);
  FlexMapBuilder& Bool(const std::string& key, bool value);
  std::vector<uint8_t> Finish() const;

 private:
  std::vector<std::pair<std::string, int64_t>> ints_;
  std::vector<std::pair<std::string, bool>> bools_;
};

// ---- Data helpers --------------------------------------------------------------

std::vector<uint8_t> PackInt8(const std::vector<int8_t>& v);
std::vector<uint8_t> PackInt16(const std::vector<int16_t>& v);
// Values in [-8, 7], two per byte (TFLite INT4); UnpackInt4 as TFLM's
// UnpackDenseInt4IntoInt8 (n values).
std::vector<uint8_t> PackInt4(const std::vector<int8_t>& v);
std::vector<int8_t> UnpackInt4(const std::vector<uint8_t>& b, int64_t n);
std::vector<uint8_t> PackInt32(const std::vector<int32_t>& v);
std::vector<uint8_t> PackFloat(const std::vector<float>& v);
std::vector<int8_t> UnpackInt8(const std::vector<uint8_t>& b);
std::vector<int16_t> UnpackInt16(const std::vector<uint8_t>& b);
std::vector<int32_t> UnpackInt32(const std::vector<uint8_t>& b);
std::vector<float> UnpackFloat(const std::vector<uint8_t>& b);

// Small deterministic PRNG (splitmix64): identical sequences on every platform and
// standard library, unlike std::*_distribution.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  int32_t Int(int32_t lo, int32_t hi);  // uniform in [lo, hi]
  float Uniform(float lo, float hi);    // uniform in [lo, hi)

 private:
  uint64_t state_;
};

std::vector<int8_t> RandomInt8(size_t n, uint64_t seed, int lo = -128, int hi = 127);
std::vector<int32_t> RandomInt32(size_t n, uint64_t seed, int32_t lo, int32_t hi);
std::vector<float> RandomFloats(size_t n, uint64_t seed, float lo, float hi);

// Asymmetric int8 parameters covering [min(rmin,0), max(rmax,0)] (zero exactly
// representable), like TFLite's converter.
struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};
QuantParams ChooseQuantParams(float rmin, float rmax);

// Symmetric int8 weights (zero point 0, values in [-127, 127]) quantized per channel
// along `axis` of `shape` (one scale per channel = max|w| / 127), or per tensor when
// per_channel is false.
struct QuantizedWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;
};
QuantizedWeights QuantizeWeightsSymmetric(const std::vector<float>& w,
                                          const std::vector<int32_t>& shape, int axis,
                                          bool per_channel);

// int32 bias with scale input_scale * weight_scale[c] (zero point 0), rounded.
std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales);

// TensorSpec shortcuts.
TensorSpec Int8Tensor(const std::string& name, std::vector<int32_t> shape, float scale,
                      int64_t zero_point);
TensorSpec ConstInt8(const std::string& name, std::vector<int32_t> shape,
                     const std::vector<int8_t>& values, std::vector<float> scales,
                     std::vector<int64_t> zero_points = {}, int32_t quant_axis = 0);
TensorSpec ConstInt32(const std::string& name, std::vector<int32_t> shape,
                      const std::vector<int32_t>& values, std::vector<float> scales = {},
                      int32_t quant_axis = 0);

}  // namespace tinymlc::testing
