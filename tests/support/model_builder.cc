#include "model_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <tuple>
#include <type_traits>

#include "flatbuffers/flexbuffers.h"
#include "tflite_subset_generated.h"

namespace tinymlc::testing {

namespace {

tflite::TensorType ToTfl(DT dtype) {
  switch (dtype) {
    case DT::kFloat32: return tflite::TensorType::FLOAT32;
    case DT::kInt8: return tflite::TensorType::INT8;
    case DT::kInt16: return tflite::TensorType::INT16;
    case DT::kInt32: return tflite::TensorType::INT32;
    case DT::kUInt8: return tflite::TensorType::UINT8;
    case DT::kInt64: return tflite::TensorType::INT64;
    case DT::kBool: return tflite::TensorType::BOOL;
    case DT::kInt4: return tflite::TensorType::INT4;
    case DT::kResource: return tflite::TensorType::RESOURCE;
    case DT::kUInt32: return tflite::TensorType::UINT32;
    case DT::kUInt64: return tflite::TensorType::UINT64;
  }
  return tflite::TensorType::FLOAT32;
}

tflite::Padding ToPadding(int p) { return static_cast<tflite::Padding>(p); }
tflite::ActivationFunctionType ToAct(int a) {
  return static_cast<tflite::ActivationFunctionType>(a);
}

using OptionsRef = std::pair<tflite::BuiltinOptions, flatbuffers::Offset<void>>;

// One overload per options struct: how it is written into the flatbuffer.
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder&, const std::monostate&) {
  return {tflite::BuiltinOptions::NONE, 0};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const Conv2DOpts& o) {
  return {tflite::BuiltinOptions::Conv2DOptions,
          tflite::CreateConv2DOptions(fbb, ToPadding(o.padding), o.stride_w, o.stride_h,
                                      ToAct(o.activation), o.dilation_w, o.dilation_h,
                                      static_cast<tflite::TensorType>(o.quantized_bias_type))
              .Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const DepthwiseOpts& o) {
  return {tflite::BuiltinOptions::DepthwiseConv2DOptions,
          tflite::CreateDepthwiseConv2DOptions(fbb, ToPadding(o.padding), o.stride_w,
                                               o.stride_h, o.depth_multiplier,
                                               ToAct(o.activation), o.dilation_w,
                                               o.dilation_h)
              .Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const PoolOpts& o) {
  return {tflite::BuiltinOptions::Pool2DOptions,
          tflite::CreatePool2DOptions(fbb, ToPadding(o.padding), o.stride_w, o.stride_h,
                                      o.filter_w, o.filter_h, ToAct(o.activation))
              .Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const FcOpts& o) {
  return {tflite::BuiltinOptions::FullyConnectedOptions,
          tflite::CreateFullyConnectedOptions(
              fbb, ToAct(o.activation), tflite::FullyConnectedOptionsWeightsFormat::DEFAULT,
              o.keep_num_dims, /*asymmetric_quantize_inputs=*/false,
              static_cast<tflite::TensorType>(o.quantized_bias_type))
              .Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const SoftmaxOpts& o) {
  return {tflite::BuiltinOptions::SoftmaxOptions,
          tflite::CreateSoftmaxOptions(fbb, o.beta).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const AddOpts& o) {
  return {tflite::BuiltinOptions::AddOptions,
          tflite::CreateAddOptions(fbb, ToAct(o.activation)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const ReshapeOpts& o) {
  flatbuffers::Offset<flatbuffers::Vector<int32_t>> shape = 0;
  if (o.has_new_shape) shape = fbb.CreateVector(o.new_shape);
  return {tflite::BuiltinOptions::ReshapeOptions,
          tflite::CreateReshapeOptions(fbb, shape).Union()};
}

OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const MulOpts& o) {
  return {tflite::BuiltinOptions::MulOptions,
          tflite::CreateMulOptions(fbb, ToAct(o.activation)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const DivOpts& o) {
  return {tflite::BuiltinOptions::DivOptions,
          tflite::CreateDivOptions(fbb, ToAct(o.activation)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const MirrorPadOpts& o) {
  return {tflite::BuiltinOptions::MirrorPadOptions,
          tflite::CreateMirrorPadOptions(fbb, static_cast<tflite::MirrorPadMode>(o.mode)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const CumsumOpts& o) {
  return {tflite::BuiltinOptions::CumsumOptions,
          tflite::CreateCumsumOptions(fbb, o.exclusive, o.reverse).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const SubOpts& o) {
  return {tflite::BuiltinOptions::SubOptions,
          tflite::CreateSubOptions(fbb, ToAct(o.activation)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const ReducerOpts& o) {
  return {tflite::BuiltinOptions::ReducerOptions,
          tflite::CreateReducerOptions(fbb, o.keep_dims).Union()};
}

// Layers.
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const TransposeConvOpts& o) {
  return {tflite::BuiltinOptions::TransposeConvOptions,
          tflite::CreateTransposeConvOptions(fbb, ToPadding(o.padding), o.stride_w, o.stride_h,
                                             ToAct(o.activation))
              .Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const BatchMatMulOpts& o) {
  return {tflite::BuiltinOptions::BatchMatMulOptions,
          tflite::CreateBatchMatMulOptions(fbb, o.adj_x, o.adj_y).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const L2NormOpts& o) {
  return {tflite::BuiltinOptions::L2NormOptions,
          tflite::CreateL2NormOptions(fbb, ToAct(o.activation)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const SvdfOpts& o) {
  return {tflite::BuiltinOptions::SVDFOptions,
          tflite::CreateSVDFOptions(fbb, o.rank, ToAct(o.activation)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const LstmOpts& o) {
  return {tflite::BuiltinOptions::UnidirectionalSequenceLSTMOptions,
          tflite::CreateUnidirectionalSequenceLSTMOptions(fbb, ToAct(o.activation), o.cell_clip,
                                                          o.proj_clip, o.time_major)
              .Union()};
}

// Shape and data movement.
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const ConcatenationOpts& o) {
  return {tflite::BuiltinOptions::ConcatenationOptions,
          tflite::CreateConcatenationOptions(fbb, o.axis, ToAct(o.activation)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const StridedSliceOpts& o) {
  return {tflite::BuiltinOptions::StridedSliceOptions,
          tflite::CreateStridedSliceOptions(fbb, o.begin_mask, o.end_mask, o.ellipsis_mask,
                                            o.new_axis_mask, o.shrink_axis_mask, o.offset)
              .Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const SqueezeOpts& o) {
  flatbuffers::Offset<flatbuffers::Vector<int32_t>> dims = 0;
  if (!o.squeeze_dims.empty()) dims = fbb.CreateVector(o.squeeze_dims);
  return {tflite::BuiltinOptions::SqueezeOptions, tflite::CreateSqueezeOptions(fbb, dims).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const PackOpts& o) {
  return {tflite::BuiltinOptions::PackOptions,
          tflite::CreatePackOptions(fbb, o.values_count, o.axis).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const UnpackOpts& o) {
  return {tflite::BuiltinOptions::UnpackOptions,
          tflite::CreateUnpackOptions(fbb, o.num, o.axis).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const SplitOpts& o) {
  return {tflite::BuiltinOptions::SplitOptions,
          tflite::CreateSplitOptions(fbb, o.num_splits).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const SplitVOpts& o) {
  return {tflite::BuiltinOptions::SplitVOptions,
          tflite::CreateSplitVOptions(fbb, o.num_splits).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const GatherOpts& o) {
  return {tflite::BuiltinOptions::GatherOptions,
          tflite::CreateGatherOptions(fbb, o.axis, o.batch_dims).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const SpaceToDepthOpts& o) {
  return {tflite::BuiltinOptions::SpaceToDepthOptions,
          tflite::CreateSpaceToDepthOptions(fbb, o.block_size).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const DepthToSpaceOpts& o) {
  return {tflite::BuiltinOptions::DepthToSpaceOptions,
          tflite::CreateDepthToSpaceOptions(fbb, o.block_size).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const ResizeBilinearOpts& o) {
  return {tflite::BuiltinOptions::ResizeBilinearOptions,
          tflite::CreateResizeBilinearOptions(fbb, o.align_corners, o.half_pixel_centers).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const ResizeNearestNeighborOpts& o) {
  return {tflite::BuiltinOptions::ResizeNearestNeighborOptions,
          tflite::CreateResizeNearestNeighborOptions(fbb, o.align_corners, o.half_pixel_centers)
              .Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const ShapeOpts& o) {
  return {tflite::BuiltinOptions::ShapeOptions,
          tflite::CreateShapeOptions(fbb, ToTfl(o.out_type)).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const VarHandleOpts& o) {
  const auto container = fbb.CreateString(o.container);
  const auto shared_name = fbb.CreateString(o.shared_name);
  return {tflite::BuiltinOptions::VarHandleOptions,
          tflite::CreateVarHandleOptions(fbb, container, shared_name).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const CallOnceOpts& o) {
  return {tflite::BuiltinOptions::CallOnceOptions,
          tflite::CreateCallOnceOptions(fbb, o.init_subgraph).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const IfOpts& o) {
  return {tflite::BuiltinOptions::IfOptions,
          tflite::CreateIfOptions(fbb, o.then_subgraph, o.else_subgraph).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const WhileOpts& o) {
  return {tflite::BuiltinOptions::WhileOptions,
          tflite::CreateWhileOptions(fbb, o.cond_subgraph, o.body_subgraph).Union()};
}
OptionsRef WriteOptions(flatbuffers::FlatBufferBuilder& fbb, const LeakyReluOpts& o) {
  return {tflite::BuiltinOptions::LeakyReluOptions,
          tflite::CreateLeakyReluOptions(fbb, o.alpha).Union()};
}

template <typename T>
std::vector<uint8_t> PackRaw(const std::vector<T>& v) {
  std::vector<uint8_t> out(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}
template <typename T>
std::vector<T> UnpackRaw(const std::vector<uint8_t>& b) {
  std::vector<T> out(b.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), b.data(), out.size() * sizeof(T));
  return out;
}

}  // namespace

int DTSize(DT dtype) {
  switch (dtype) {
    case DT::kFloat32: return 4;
    case DT::kInt8: return 1;
    case DT::kInt16: return 2;
    case DT::kInt32: return 4;
    case DT::kUInt8: return 1;
    case DT::kInt64: return 8;
    case DT::kBool: return 1;
    case DT::kInt4: return 1;  // two per byte: TensorSpec::num_bytes()
    case DT::kResource: return 0;
    case DT::kUInt32: return 4;
    case DT::kUInt64: return 8;
  }
  return 1;
}

const char* DTName(DT dtype) {
  switch (dtype) {
    case DT::kFloat32: return "float32";
    case DT::kInt8: return "int8";
    case DT::kInt16: return "int16";
    case DT::kInt32: return "int32";
    case DT::kUInt8: return "uint8";
    case DT::kInt64: return "int64";
    case DT::kBool: return "bool";
    case DT::kInt4: return "int4";
    case DT::kResource: return "resource";
    case DT::kUInt32: return "uint32";
    case DT::kUInt64: return "uint64";
  }
  return "?";
}

const char* BuiltinName(int code) {
  if (code >= 0 && code <= static_cast<int>(tflite::BuiltinOperator::MAX)) {
    const char* name = tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(code));
    if (name && *name) return name;
  }
  return "UNKNOWN_BUILTIN";
}

int64_t TensorSpec::num_elements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

int ModelSpec::AddTensor(TensorSpec t) {
  tensors.push_back(std::move(t));
  return static_cast<int>(tensors.size()) - 1;
}

int ModelSpec::AddActivation(const std::string& name, DT dtype, std::vector<int32_t> shape,
                             float scale, int64_t zero_point) {
  TensorSpec t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  if (scale != 0.0f) {
    t.scale = {scale};
    t.zero_point = {zero_point};
  }
  return AddTensor(std::move(t));
}

int ModelSpec::AddOp(int builtin_code, std::vector<int> in, std::vector<int> out,
                     OpOptions options) {
  OpSpec o;
  o.builtin_code = builtin_code;
  o.inputs = std::move(in);
  o.outputs = std::move(out);
  o.options = std::move(options);
  ops.push_back(std::move(o));
  return static_cast<int>(ops.size()) - 1;
}

int ModelSpec::AddCustomOp(const std::string& custom_code, std::vector<int> in, std::vector<int> out,
                           std::vector<uint8_t> custom_options) {
  const int k = AddOp(32, std::move(in), std::move(out));
  ops[static_cast<size_t>(k)].custom_code = custom_code;
  ops[static_cast<size_t>(k)].custom_options = std::move(custom_options);
  return k;
}

FlexMapBuilder& FlexMapBuilder::Int(const std::string& key, int64_t value) {
  ints_.emplace_back(key, value);
  return *this;
}

FlexMapBuilder& FlexMapBuilder::Bool(const std::string& key, bool value) {
  bools_.emplace_back(key, value);
  return *this;
}

std::vector<uint8_t> FlexMapBuilder::Finish() const {
  flexbuffers::Builder fbb;
  fbb.Map([&]() {
    for (const auto& kv : ints_) fbb.Int(kv.first.c_str(), kv.second);
    for (const auto& kv : bools_) fbb.Bool(kv.first.c_str(), kv.second);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

std::string ModelSpec::Validate() const {
  const int n = static_cast<int>(tensors.size());
  auto bad = [n](int i) { return i < -1 || i >= n; };
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorSpec& t = tensors[i];
    if (t.is_constant() && static_cast<int64_t>(t.data.size()) != t.num_bytes()) {
      return "tensor " + std::to_string(i) + " '" + t.name + "': " +
             std::to_string(t.data.size()) + " data bytes, shape needs " +
             std::to_string(t.num_bytes());
    }
    if (!t.zero_point.empty() && t.zero_point.size() != t.scale.size()) {
      return "tensor " + std::to_string(i) + ": scale and zero_point sizes differ";
    }
  }
  for (size_t k = 0; k < ops.size(); ++k) {
    for (int i : ops[k].inputs)
      if (bad(i)) return "op " + std::to_string(k) + ": input index out of range";
    for (int i : ops[k].outputs)
      if (bad(i) || i < 0) return "op " + std::to_string(k) + ": output index out of range";
  }
  for (int i : inputs)
    if (bad(i) || i < 0) return "graph input index out of range";
  for (int i : outputs)
    if (bad(i) || i < 0) return "graph output index out of range";
  return "";
}

std::vector<uint8_t> ModelSpec::Serialize() const {
  flatbuffers::FlatBufferBuilder fbb(1024);

  // Buffers: 0 is the empty sentinel, then one per constant tensor (of every subgraph).
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers;
  buffers.push_back(tflite::CreateBuffer(fbb));
  // Operator codes, one per distinct (builtin, version), in order of first use.
  std::map<std::tuple<int, int, std::string>, uint32_t> code_index;
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes;
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraph_list;
  std::vector<const ModelSpec*> graphs = {this};
  for (const ModelSpec& sg : subgraphs) graphs.push_back(&sg);
  for (size_t gi = 0; gi < graphs.size(); ++gi) {
  const ModelSpec& g = *graphs[gi];
  const std::vector<TensorSpec>& tensors = g.tensors;
  const std::vector<OpSpec>& ops = g.ops;
  std::vector<uint32_t> tensor_buffer(tensors.size(), 0);
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!tensors[i].is_constant()) continue;
    fbb.ForceVectorAlignment(tensors[i].data.size(), sizeof(uint8_t), 16);
    auto data = fbb.CreateVector(tensors[i].data);
    tensor_buffer[i] = static_cast<uint32_t>(buffers.size());
    buffers.push_back(tflite::CreateBuffer(fbb, data));
  }

  std::vector<flatbuffers::Offset<tflite::Tensor>> fb_tensors;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorSpec& t = tensors[i];
    flatbuffers::Offset<tflite::QuantizationParameters> quant = 0;
    if (!t.scale.empty()) {
      std::vector<int64_t> zp = t.zero_point;
      zp.resize(t.scale.size(), 0);
      const auto scale = fbb.CreateVector(t.scale);
      const auto zero_point = fbb.CreateVector(zp);
      quant = tflite::CreateQuantizationParameters(fbb, 0, 0, scale, zero_point,
                                                   tflite::QuantizationDetails::NONE, 0,
                                                   t.quant_axis);
    }
    const auto shape = fbb.CreateVector(t.shape);
    const auto name = fbb.CreateString(t.name);
    fb_tensors.push_back(tflite::CreateTensor(fbb, shape, ToTfl(t.dtype), tensor_buffer[i], name,
                                              quant, t.is_variable));
  }

  std::vector<flatbuffers::Offset<tflite::Operator>> fb_ops;
  for (const OpSpec& o : ops) {
    auto key = std::make_tuple(o.builtin_code, o.version, o.custom_code);
    auto it = code_index.find(key);
    if (it == code_index.end()) {
      const int8_t deprecated = static_cast<int8_t>(std::min(o.builtin_code, 127));
      it = code_index.emplace(key, static_cast<uint32_t>(codes.size())).first;
      const auto custom = o.custom_code.empty() ? flatbuffers::Offset<flatbuffers::String>()
                                                 : fbb.CreateString(o.custom_code);
      codes.push_back(tflite::CreateOperatorCode(
          fbb, deprecated, custom, o.version, static_cast<tflite::BuiltinOperator>(o.builtin_code)));
    }
    OptionsRef opts{tflite::BuiltinOptions::NONE, 0};
    if (!o.omit_options) {
      opts = std::visit([&fbb](const auto& v) { return WriteOptions(fbb, v); }, o.options);
    }
    const auto op_inputs = fbb.CreateVector(o.inputs);
    const auto op_outputs = fbb.CreateVector(o.outputs);
    const auto custom_options = o.custom_options.empty()
                                    ? flatbuffers::Offset<flatbuffers::Vector<uint8_t>>()
                                    : fbb.CreateVector(o.custom_options);
    fb_ops.push_back(tflite::CreateOperator(fbb, it->second, op_inputs, op_outputs, opts.first,
                                            opts.second, custom_options));
  }

  // Every child object is created in its own statement: the evaluation order of
  // function arguments is unspecified (gcc and clang differ), and it decides the
  // byte layout, which must be the same with every compiler.
  const auto sg_tensors = fbb.CreateVector(fb_tensors);
  const auto sg_inputs = fbb.CreateVector(g.inputs);
  const auto sg_outputs = fbb.CreateVector(g.outputs);
  const auto sg_ops = fbb.CreateVector(fb_ops);
  const auto sg_name = fbb.CreateString(gi == 0 ? std::string("main") : "subgraph" + std::to_string(gi));
  const auto subgraph =
      tflite::CreateSubGraph(fbb, sg_tensors, sg_inputs, sg_outputs, sg_ops, sg_name);
  subgraph_list.push_back(subgraph);
  }
  const auto model_codes = fbb.CreateVector(codes);
  const auto model_subgraphs = fbb.CreateVector(subgraph_list);
  const auto model_description = fbb.CreateString(description);
  const auto model_buffers = fbb.CreateVector(buffers);
  const auto model = tflite::CreateModel(fbb, /*version=*/3, model_codes, model_subgraphs,
                                         model_description, model_buffers);
  tflite::FinishModelBuffer(fbb, model);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

bool ModelSpec::WriteFile(const std::string& path, std::string* error) const {
  const std::string problem = Validate();
  if (!problem.empty()) {
    if (error) *error = "invalid model: " + problem;
    return false;
  }
  const std::vector<uint8_t> bytes = Serialize();
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    if (error) *error = "cannot open " + path + " for writing";
    return false;
  }
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) {
    if (error) *error = "cannot write " + path;
    return false;
  }
  return true;
}

// ---- Data helpers --------------------------------------------------------------

std::vector<uint8_t> PackInt8(const std::vector<int8_t>& v) { return PackRaw(v); }
std::vector<uint8_t> PackInt16(const std::vector<int16_t>& v) { return PackRaw(v); }

std::vector<uint8_t> PackInt4(const std::vector<int8_t>& v) {
  std::vector<uint8_t> out((v.size() + 1) / 2, 0);
  for (size_t i = 0; i < v.size(); ++i) {
    const uint8_t nib = static_cast<uint8_t>(v[i]) & 0x0F;
    out[i / 2] = static_cast<uint8_t>(out[i / 2] | (i % 2 ? nib << 4 : nib));
  }
  return out;
}

std::vector<int8_t> UnpackInt4(const std::vector<uint8_t>& b, int64_t n) {
  std::vector<int8_t> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const int nib = (b[static_cast<size_t>(i / 2)] >> (i % 2 ? 4 : 0)) & 0x0F;
    out[static_cast<size_t>(i)] = static_cast<int8_t>(nib >= 8 ? nib - 16 : nib);
  }
  return out;
}
std::vector<uint8_t> PackInt32(const std::vector<int32_t>& v) { return PackRaw(v); }
std::vector<uint8_t> PackFloat(const std::vector<float>& v) { return PackRaw(v); }
std::vector<int8_t> UnpackInt8(const std::vector<uint8_t>& b) { return UnpackRaw<int8_t>(b); }
std::vector<int16_t> UnpackInt16(const std::vector<uint8_t>& b) {
  return UnpackRaw<int16_t>(b);
}
std::vector<int32_t> UnpackInt32(const std::vector<uint8_t>& b) {
  return UnpackRaw<int32_t>(b);
}
std::vector<float> UnpackFloat(const std::vector<uint8_t>& b) { return UnpackRaw<float>(b); }

uint64_t Rng::Next() {
  state_ += 0x9E3779B97F4A7C15ull;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

int32_t Rng::Int(int32_t lo, int32_t hi) {
  const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo) + 1;
  return static_cast<int32_t>(lo + static_cast<int64_t>(Next() % span));
}

float Rng::Uniform(float lo, float hi) {
  // 24 random bits -> [0, 1) exactly representable in float.
  const float u = static_cast<float>(Next() >> 40) / 16777216.0f;
  return lo + (hi - lo) * u;
}

std::vector<int8_t> RandomInt8(size_t n, uint64_t seed, int lo, int hi) {
  Rng rng(seed);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(rng.Int(lo, hi));
  return v;
}

std::vector<int32_t> RandomInt32(size_t n, uint64_t seed, int32_t lo, int32_t hi) {
  Rng rng(seed);
  std::vector<int32_t> v(n);
  for (auto& x : v) x = rng.Int(lo, hi);
  return v;
}

std::vector<float> RandomFloats(size_t n, uint64_t seed, float lo, float hi) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = rng.Uniform(lo, hi);
  return v;
}

QuantParams ChooseQuantParams(float rmin, float rmax) {
  rmin = std::min(rmin, 0.0f);
  rmax = std::max(rmax, 0.0f);
  QuantParams q;
  if (rmax == rmin) return q;  // all zero: any scale works
  q.scale = (rmax - rmin) / 255.0f;
  const double zp = -128.0 - static_cast<double>(rmin) / q.scale;
  q.zero_point = static_cast<int32_t>(std::lround(std::min(127.0, std::max(-128.0, zp))));
  return q;
}

QuantizedWeights QuantizeWeightsSymmetric(const std::vector<float>& w,
                                          const std::vector<int32_t>& shape, int axis,
                                          bool per_channel) {
  QuantizedWeights out;
  out.values.resize(w.size());
  const int rank = static_cast<int>(shape.size());
  int64_t inner = 1;
  for (int d = axis + 1; d < rank; ++d) inner *= shape[d];
  const int channels = per_channel ? shape[axis] : 1;
  auto channel_of = [&](size_t i) -> int {
    return per_channel ? static_cast<int>((static_cast<int64_t>(i) / inner) % shape[axis]) : 0;
  };
  std::vector<float> max_abs(channels, 0.0f);
  for (size_t i = 0; i < w.size(); ++i) {
    max_abs[channel_of(i)] = std::max(max_abs[channel_of(i)], std::fabs(w[i]));
  }
  out.scales.resize(channels);
  for (int c = 0; c < channels; ++c) {
    out.scales[c] = max_abs[c] > 0.0f ? max_abs[c] / 127.0f : 1.0f;
  }
  for (size_t i = 0; i < w.size(); ++i) {
    const long q = std::lround(w[i] / out.scales[channel_of(i)]);
    out.values[i] = static_cast<int8_t>(std::max(-127L, std::min(127L, q)));
  }
  return out;
}

std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales) {
  std::vector<int32_t> out(bias.size());
  for (size_t c = 0; c < bias.size(); ++c) {
    const double s = static_cast<double>(input_scale) *
                     weight_scales[weight_scales.size() == 1 ? 0 : c];
    out[c] = static_cast<int32_t>(std::llround(bias[c] / s));
  }
  return out;
}

TensorSpec Int8Tensor(const std::string& name, std::vector<int32_t> shape, float scale,
                      int64_t zero_point) {
  TensorSpec t;
  t.name = name;
  t.dtype = DT::kInt8;
  t.shape = std::move(shape);
  t.scale = {scale};
  t.zero_point = {zero_point};
  return t;
}

TensorSpec ConstInt8(const std::string& name, std::vector<int32_t> shape,
                     const std::vector<int8_t>& values, std::vector<float> scales,
                     std::vector<int64_t> zero_points, int32_t quant_axis) {
  TensorSpec t;
  t.name = name;
  t.dtype = DT::kInt8;
  t.shape = std::move(shape);
  t.data = PackInt8(values);
  zero_points.resize(scales.size(), 0);
  t.scale = std::move(scales);
  t.zero_point = std::move(zero_points);
  t.quant_axis = quant_axis;
  return t;
}

TensorSpec ConstInt32(const std::string& name, std::vector<int32_t> shape,
                      const std::vector<int32_t>& values, std::vector<float> scales,
                      int32_t quant_axis) {
  TensorSpec t;
  t.name = name;
  t.dtype = DT::kInt32;
  t.shape = std::move(shape);
  t.data = PackInt32(values);
  t.zero_point.assign(scales.size(), 0);
  t.scale = std::move(scales);
  t.quant_axis = quant_axis;
  return t;
}

}  // namespace tinymlc::testing
