#include "tinymlc/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "flexbuffer.h"
#include "ops/op.h"
#include "ops/tflm_decode.h"
#include "tflite_subset_generated.h"
#include "tflm_compression_generated.h"

namespace tinymlc {
namespace {

constexpr int64_t kMaxModelBytes = int64_t{1} << 31;   // flatbuffers' own limit
constexpr int64_t kMaxTensorBytes = int64_t{1} << 31;  // per tensor and per arena

DType ConvertType(tflite::TensorType t) {
  switch (t) {
    case tflite::TensorType::FLOAT32: return DType::kFloat32;
    case tflite::TensorType::INT8: return DType::kInt8;
    case tflite::TensorType::INT16: return DType::kInt16;
    case tflite::TensorType::INT32: return DType::kInt32;
    case tflite::TensorType::INT64: return DType::kInt64;
    case tflite::TensorType::UINT8: return DType::kUInt8;
    case tflite::TensorType::BOOL: return DType::kBool;
    case tflite::TensorType::INT4: return DType::kInt4;
    case tflite::TensorType::RESOURCE: return DType::kResource;
    case tflite::TensorType::UINT32: return DType::kUInt32;
    case tflite::TensorType::UINT64: return DType::kUInt64;
    default: return DType::kUnsupported;
  }
}

Activation ConvertActivation(tflite::ActivationFunctionType a) {
  return static_cast<Activation>(static_cast<int>(a));
}
Padding ConvertPadding(tflite::Padding p) {
  return p == tflite::Padding::VALID ? Padding::kValid : Padding::kSame;
}
// TFLM knows SAME and VALID only; any other value is an error, not SAME.
template <typename Options>
Status CheckPadding(const Options* p) {
  if (p && p->padding() != tflite::Padding::SAME && p->padding() != tflite::Padding::VALID) {
    return Status::Error(fmt::format("unknown padding {} (expected SAME (0) or VALID (1))",
                                     static_cast<int>(p->padding())));
  }
  return Status::Ok();
}

// Converts builtin options; an absent options table gives the schema's defaults.
Status ConvertOptions(const tflite::Operator* op, int code, Operator* out) {
  using BO = tflite::BuiltinOperator;
  switch (static_cast<BO>(code)) {
    case BO::CONV_2D: {
      Conv2DOptions o;
      const auto* p = op->builtin_options_as_Conv2DOptions();
      TINYMLC_RETURN_IF_ERROR(CheckPadding(p));
      o.padding = p ? ConvertPadding(p->padding()) : Padding::kSame;
      o.stride_w = p ? p->stride_w() : 0;
      o.stride_h = p ? p->stride_h() : 0;
      o.dilation_w = p ? p->dilation_w_factor() : 1;
      o.dilation_h = p ? p->dilation_h_factor() : 1;
      o.activation = p ? ConvertActivation(p->fused_activation_function()) : Activation::kNone;
      o.quantized_bias_type = p ? static_cast<int32_t>(p->quantized_bias_type()) : 0;
      out->options = o;
      break;
    }
    case BO::DEPTHWISE_CONV_2D: {
      DepthwiseConv2DOptions o;
      const auto* p = op->builtin_options_as_DepthwiseConv2DOptions();
      TINYMLC_RETURN_IF_ERROR(CheckPadding(p));
      o.padding = p ? ConvertPadding(p->padding()) : Padding::kSame;
      o.stride_w = p ? p->stride_w() : 0;
      o.stride_h = p ? p->stride_h() : 0;
      o.depth_multiplier = p ? p->depth_multiplier() : 0;
      o.dilation_w = p ? p->dilation_w_factor() : 1;
      o.dilation_h = p ? p->dilation_h_factor() : 1;
      o.activation = p ? ConvertActivation(p->fused_activation_function()) : Activation::kNone;
      out->options = o;
      break;
    }
    case BO::AVERAGE_POOL_2D:
    case BO::L2_POOL_2D:
    case BO::MAX_POOL_2D: {
      Pool2DOptions o;
      const auto* p = op->builtin_options_as_Pool2DOptions();
      TINYMLC_RETURN_IF_ERROR(CheckPadding(p));
      o.padding = p ? ConvertPadding(p->padding()) : Padding::kSame;
      o.stride_w = p ? p->stride_w() : 0;
      o.stride_h = p ? p->stride_h() : 0;
      o.filter_w = p ? p->filter_width() : 0;
      o.filter_h = p ? p->filter_height() : 0;
      o.activation = p ? ConvertActivation(p->fused_activation_function()) : Activation::kNone;
      out->options = o;
      break;
    }
    case BO::FULLY_CONNECTED: {
      FullyConnectedOptions o;
      const auto* p = op->builtin_options_as_FullyConnectedOptions();
      if (p) {
        o.activation = ConvertActivation(p->fused_activation_function());
        o.weights_format = static_cast<int32_t>(p->weights_format());
        o.keep_num_dims = p->keep_num_dims();
        o.quantized_bias_type = static_cast<int32_t>(p->quantized_bias_type());
      }
      out->options = o;
      break;
    }
    case BO::SOFTMAX: {
      SoftmaxOptions o;
      const auto* p = op->builtin_options_as_SoftmaxOptions();
      o.beta = p ? p->beta() : 0.0f;
      out->options = o;
      break;
    }
    case BO::ADD: {
      AddOptions o;
      const auto* p = op->builtin_options_as_AddOptions();
      if (p) o.activation = ConvertActivation(p->fused_activation_function());
      out->options = o;
      break;
    }
    case BO::RESHAPE: {
      ReshapeOptions o;
      const auto* p = op->builtin_options_as_ReshapeOptions();
      if (p && p->new_shape()) o.new_shape.assign(p->new_shape()->begin(), p->new_shape()->end());
      out->options = o;
      break;
    }
    case BO::MUL:
    case BO::SUB:
    case BO::DIV:
    case BO::L2_NORMALIZATION: {
      ActivationOptions o;
      tflite::ActivationFunctionType a = tflite::ActivationFunctionType::NONE;
      if (const auto* p = op->builtin_options_as_MulOptions()) a = p->fused_activation_function();
      if (const auto* p = op->builtin_options_as_SubOptions()) a = p->fused_activation_function();
      if (const auto* p = op->builtin_options_as_DivOptions()) a = p->fused_activation_function();
      if (const auto* p = op->builtin_options_as_L2NormOptions()) a = p->fused_activation_function();
      o.activation = ConvertActivation(a);
      out->options = o;
      break;
    }
    case BO::CONCATENATION: {
      ConcatenationOptions o;
      if (const auto* p = op->builtin_options_as_ConcatenationOptions()) {
        o.axis = p->axis();
        o.activation = ConvertActivation(p->fused_activation_function());
      }
      out->options = o;
      break;
    }
    case BO::STRIDED_SLICE: {
      StridedSliceOptions o;
      if (const auto* p = op->builtin_options_as_StridedSliceOptions()) {
        o.begin_mask = p->begin_mask();
        o.end_mask = p->end_mask();
        o.ellipsis_mask = p->ellipsis_mask();
        o.new_axis_mask = p->new_axis_mask();
        o.shrink_axis_mask = p->shrink_axis_mask();
        o.offset = p->offset();
      }
      out->options = o;
      break;
    }
    case BO::SQUEEZE: {
      SqueezeOptions o;
      const auto* p = op->builtin_options_as_SqueezeOptions();
      if (p && p->squeeze_dims()) o.squeeze_dims.assign(p->squeeze_dims()->begin(), p->squeeze_dims()->end());
      out->options = o;
      break;
    }
    case BO::PACK: {
      PackOptions o;
      if (const auto* p = op->builtin_options_as_PackOptions()) {
        o.count = p->values_count();
        o.axis = p->axis();
      }
      out->options = o;
      break;
    }
    case BO::UNPACK: {
      PackOptions o;
      if (const auto* p = op->builtin_options_as_UnpackOptions()) {
        o.count = p->num();
        o.axis = p->axis();
      }
      out->options = o;
      break;
    }
    case BO::SPLIT:
    case BO::SPLIT_V: {
      SplitOptions o;
      if (const auto* p = op->builtin_options_as_SplitOptions()) o.num_splits = p->num_splits();
      if (const auto* p = op->builtin_options_as_SplitVOptions()) o.num_splits = p->num_splits();
      out->options = o;
      break;
    }
    case BO::GATHER: {
      GatherOptions o;
      if (const auto* p = op->builtin_options_as_GatherOptions()) {
        o.axis = p->axis();
        o.batch_dims = p->batch_dims();
      }
      out->options = o;
      break;
    }
    case BO::SPACE_TO_DEPTH:
    case BO::DEPTH_TO_SPACE: {
      BlockSizeOptions o;
      if (const auto* p = op->builtin_options_as_SpaceToDepthOptions()) o.block_size = p->block_size();
      if (const auto* p = op->builtin_options_as_DepthToSpaceOptions()) o.block_size = p->block_size();
      out->options = o;
      break;
    }
    case BO::RESIZE_BILINEAR: {
      ResizeOptions o;
      if (const auto* p = op->builtin_options_as_ResizeBilinearOptions()) {
        o.align_corners = p->align_corners();
        o.half_pixel_centers = p->half_pixel_centers();
      }
      out->options = o;
      break;
    }
    case BO::RESIZE_NEAREST_NEIGHBOR: {
      ResizeOptions o;
      if (const auto* p = op->builtin_options_as_ResizeNearestNeighborOptions()) {
        o.align_corners = p->align_corners();
        o.half_pixel_centers = p->half_pixel_centers();
      }
      out->options = o;
      break;
    }
    case BO::MEAN:
    case BO::SUM:
    case BO::REDUCE_MAX:
    case BO::REDUCE_MIN:
    case BO::REDUCE_PROD: {
      ReducerOptions o;
      if (const auto* p = op->builtin_options_as_ReducerOptions()) o.keep_dims = p->keep_dims();
      out->options = o;
      break;
    }
    case BO::LEAKY_RELU: {
      LeakyReluOptions o;
      if (const auto* p = op->builtin_options_as_LeakyReluOptions()) o.alpha = p->alpha();
      out->options = o;
      break;
    }
    case BO::TRANSPOSE_CONV: {
      TransposeConvOptions o;
      const auto* p = op->builtin_options_as_TransposeConvOptions();
      TINYMLC_RETURN_IF_ERROR(CheckPadding(p));
      o.padding = p ? ConvertPadding(p->padding()) : Padding::kSame;
      o.stride_w = p ? p->stride_w() : 0;
      o.stride_h = p ? p->stride_h() : 0;
      o.activation = p ? ConvertActivation(p->fused_activation_function()) : Activation::kNone;
      out->options = o;
      break;
    }
    case BO::SVDF: {
      SvdfOptions o;
      if (const auto* p = op->builtin_options_as_SVDFOptions()) {
        o.rank = p->rank();
        o.activation = ConvertActivation(p->fused_activation_function());
      }
      out->options = o;
      break;
    }
    case BO::UNIDIRECTIONAL_SEQUENCE_LSTM: {
      SequenceLstmOptions o;
      if (const auto* p = op->builtin_options_as_UnidirectionalSequenceLSTMOptions()) {
        o.activation = ConvertActivation(p->fused_activation_function());
        o.cell_clip = p->cell_clip();
        o.proj_clip = p->proj_clip();
        o.time_major = p->time_major();
        o.diagonal_recurrent_tensors = p->diagonal_recurrent_tensors();
      }
      out->options = o;
      break;
    }
    case BO::BATCH_MATMUL: {
      BatchMatMulOptions o;
      if (const auto* p = op->builtin_options_as_BatchMatMulOptions()) {
        o.adj_x = p->adj_x();
        o.adj_y = p->adj_y();
      }
      out->options = o;
      break;
    }
    case BO::VAR_HANDLE: {
      VarHandleOptions o;
      if (const auto* p = op->builtin_options_as_VarHandleOptions()) {
        if (p->container()) o.container = p->container()->str();
        if (p->shared_name()) o.shared_name = p->shared_name()->str();
      }
      out->options = o;
      break;
    }
    case BO::CALL_ONCE: {
      CallOnceOptions o;
      if (const auto* p = op->builtin_options_as_CallOnceOptions()) o.init_subgraph = p->init_subgraph_index();
      out->options = o;
      break;
    }
    case BO::IF: {
      IfOptions o;
      if (const auto* p = op->builtin_options_as_IfOptions()) {
        o.then_subgraph = p->then_subgraph_index();
        o.else_subgraph = p->else_subgraph_index();
      }
      out->options = o;
      break;
    }
    case BO::WHILE: {
      WhileOptions o;
      if (const auto* p = op->builtin_options_as_WhileOptions()) {
        o.cond_subgraph = p->cond_subgraph_index();
        o.body_subgraph = p->body_subgraph_index();
      }
      out->options = o;
      break;
    }
    case BO::MIRROR_PAD: {
      // Without an options table TFLM's mode stays kTfLiteMirrorPaddingUnknown, which its
      // kernel treats like SYMMETRIC (offset 0).
      MirrorPadOptions o;
      o.symmetric = true;
      if (const auto* p = op->builtin_options_as_MirrorPadOptions()) {
        if (p->mode() != tflite::MirrorPadMode::REFLECT &&
            p->mode() != tflite::MirrorPadMode::SYMMETRIC) {
          return Status::Error(fmt::format("unknown mirror pad mode {}", static_cast<int>(p->mode())));
        }
        o.symmetric = p->mode() == tflite::MirrorPadMode::SYMMETRIC;
      }
      out->options = o;
      break;
    }
    case BO::CUMSUM: {
      CumsumOptions o;
      if (const auto* p = op->builtin_options_as_CumsumOptions()) {
        o.exclusive = p->exclusive();
        o.reverse = p->reverse();
      }
      out->options = o;
      break;
    }
    case BO::SHAPE: {
      ShapeOptions o;
      if (const auto* p = op->builtin_options_as_ShapeOptions()) o.out_type = static_cast<int32_t>(p->out_type());
      out->options = o;
      break;
    }
    default:
      break;
  }
  return Status::Ok();
}

Status TensorError(const std::string& msg, int index, const std::string& name) {
  return Status::Error(msg).WithTensor(index, name);
}

// TFLM's older weight compression: the model's metadata "COMPRESSION_METADATA" lists, per
// subgraph, the tensors whose buffers hold LUT indices (LutTensor: the value buffer and
// the index width). Read with TFLM's checks (micro_allocator.cc).
struct LutSource {
  uint32_t value_buffer = 0;
  int bits = 0;
};
using LutSources = std::map<std::pair<int, int>, LutSource>;  // (subgraph, tensor)

Status ReadCompressionMetadata(const tflite::Model* model, size_t num_buffers, LutSources* out) {
  if (!model->metadata()) return Status::Ok();
  for (const tflite::Metadata* m : *model->metadata()) {
    if (!m || !m->name() || m->name()->str() != "COMPRESSION_METADATA") continue;
    auto err = [](const std::string& msg) { return Status::Error("COMPRESSION_METADATA: " + msg); };
    const uint32_t b = m->buffer();
    if (b == 0 || b >= num_buffers) return err(fmt::format("buffer index {} out of range", b));
    const auto* data = model->buffers()->Get(b)->data();
    if (!data || data->size() == 0) return err("empty buffer");
    flatbuffers::Verifier verifier(data->data(), data->size());
    if (!tinymlc::tflm_compression::VerifyMetadataBuffer(verifier)) {
      return err("the flatbuffers verifier rejected it (truncated or corrupt)");
    }
    const auto* root = tinymlc::tflm_compression::GetMetadata(data->data());
    if (root->schema_version() > 1) {
      return err(fmt::format("schema version {} (TFLM reads version 1)", root->schema_version()));
    }
    if (!root->subgraphs() || root->subgraphs()->size() == 0) return err("no subgraphs");
    const size_t num_subgraphs = model->subgraphs()->size();
    if (root->subgraphs()->size() > num_subgraphs) {
      return err(fmt::format("{} subgraphs, the model has {}", root->subgraphs()->size(), num_subgraphs));
    }
    for (flatbuffers::uoffset_t k = 0; k < root->subgraphs()->size(); ++k) {
      const auto* sg = root->subgraphs()->Get(k);
      if (!sg->lut_tensors() || sg->lut_tensors()->size() == 0) {
        return err(fmt::format("subgraph {} lists no tensors", k));
      }
      for (const auto* lt : *sg->lut_tensors()) {
        const auto key = std::make_pair(static_cast<int>(k), lt->tensor());
        if (out->count(key)) return err(fmt::format("tensor {} listed twice", lt->tensor()));
        (*out)[key] = {lt->value_buffer(), lt->index_bitwidth()};
      }
    }
  }
  return Status::Ok();
}

// Decodes a COMPRESSION_METADATA tensor as TFLM's DecompressionState does: channels from
// the per-channel quantization (axis 0, or the last axis interleaved), the value table's
// stride the buffer's elements over the number of scales.
Status DecodeLutSource(const Tensor& t, bool has_shape, const LutSource& src,
                       const flatbuffers::Vector<uint8_t>* indices,
                       const flatbuffers::Vector<flatbuffers::Offset<tflite::Buffer>>* buffers,
                       size_t num_buffers, std::vector<uint8_t>* out) {
  const size_t esize = LutElementBytes(t.dtype);
  if (esize == 0) {
    return Status::Error(fmt::format("COMPRESSION_METADATA compresses a {} tensor (TFLM decodes bool, "
                                     "int8, int16, int32, int64 and float32)",
                                     DTypeName(t.dtype)));
  }
  if (!has_shape || t.shape.empty()) {
    return Status::Error("COMPRESSION_METADATA compresses a tensor without a shape (TFLM refuses scalars)");
  }
  if (!indices || indices->size() == 0) return Status::Error("COMPRESSION_METADATA tensor has no data");
  if (src.value_buffer >= num_buffers || !buffers->Get(src.value_buffer)->data()) {
    return Status::Error(fmt::format("COMPRESSION_METADATA value buffer {} is missing", src.value_buffer));
  }
  const auto* values = buffers->Get(src.value_buffer)->data();
  LutLayout lut;
  lut.width = src.bits;
  const int64_t value_count = static_cast<int64_t>(values->size() / esize);
  lut.stride = value_count;
  if (t.quant.scale.size() > 1) {
    const int rank = static_cast<int>(t.shape.size());
    const int64_t scales = static_cast<int64_t>(t.quant.scale.size());
    if (t.quant.axis == 0) {
      lut.alternate = false;
    } else if (t.quant.axis == rank - 1) {
      lut.alternate = true;
    } else {
      return Status::Error(fmt::format("COMPRESSION_METADATA tensor quantized along axis {} (TFLM "
                                       "decodes axis 0 or the last one)",
                                       t.quant.axis));
    }
    lut.stride = value_count / scales;
    if (lut.stride > 255) {
      return Status::Error(fmt::format("COMPRESSION_METADATA value tables of {} elements (TFLM keeps "
                                       "the stride in 8 bits)",
                                       lut.stride));
    }
    lut.channels = t.shape[static_cast<size_t>(lut.alternate ? rank - 1 : 0)];
  }
  return DecodeLutIndices(indices->data(), indices->size(), values->data(), values->size(), lut,
                          esize, t.NumElements(), out);
}

// TFLM decompresses such tensors only in these kernels' weights and biases (and every
// input of CONCATENATION, the value of ASSIGN_VARIABLE); any other reader gets the packed
// indices.
bool ReadsDecompressed(int builtin_code, size_t input) {
  switch (builtin_code) {
    case 3:    // CONV_2D
    case 4:    // DEPTHWISE_CONV_2D
    case 9:    // FULLY_CONNECTED
      return input == 1 || input == 2;
    case 67:   // TRANSPOSE_CONV
      return input == 1 || input == 3;
    case 2:    // CONCATENATION
      return true;
    case 144:  // ASSIGN_VARIABLE
      return input == 1;
    default:
      return false;
  }
}

Status CheckLutReaders(const Graph& g) {
  for (const Operator& op : g.ops) {
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const int t = op.inputs[i];
      if (t < 0 || t >= static_cast<int>(g.tensors.size()) || g.tensors[t].lut_index_bits == 0) continue;
      if (ReadsDecompressed(op.builtin_code, i)) continue;
      Status s = Status::Error(fmt::format("input {} is compressed by COMPRESSION_METADATA, which TFLM's "
                                           "kernel for this operator does not decompress (it would read "
                                           "the packed indices)",
                                           i));
      AtOp(s, op);
      return AtTensor(s, g.tensors[t]);
    }
  }
  for (const Subgraph& sg : g.subgraphs) {
    for (int t : sg.outputs) {
      if (t >= 0 && t < static_cast<int>(g.tensors.size()) && g.tensors[t].lut_index_bits > 0) {
        return AtTensor(Status::Error("a subgraph output is compressed by COMPRESSION_METADATA"), g.tensors[t]);
      }
    }
  }
  return Status::Ok();
}

// TFLM_DECODE (ops/tflm_decode.h) reads its inputs as raw bytes. TFLM's compressor leaves
// an encoded tensor the original's quantization (per-channel scales that no longer match
// its shape of bytes), which no kernel reads: drop it on tensors only TFLM_DECODE reads.
void ClearDecodeInputQuantization(Graph* g) {
  const OpDef* decode = FindCustomOp("TFLM_DECODE");
  if (!decode) return;
  std::vector<int> readers(g->tensors.size(), 0), decode_reads(g->tensors.size(), 0);
  for (const Operator& op : g->ops) {
    for (int t : op.inputs) {
      if (t < 0 || t >= static_cast<int>(g->tensors.size())) continue;
      ++readers[static_cast<size_t>(t)];
      if (op.builtin_code == decode->builtin_code) ++decode_reads[static_cast<size_t>(t)];
    }
  }
  for (const Subgraph& sg : g->subgraphs) {
    for (int t : sg.outputs) {
      if (t >= 0 && t < static_cast<int>(g->tensors.size())) ++readers[static_cast<size_t>(t)];
    }
  }
  for (size_t t = 0; t < g->tensors.size(); ++t) {
    if (decode_reads[t] > 0 && decode_reads[t] == readers[t]) g->tensors[t].quant = Quantization{};
  }
}

}  // namespace

Result<Graph> ImportTfliteFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::Error("cannot open file").WithFile(path);
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::Error("cannot read file").WithFile(path);
  if (size > kMaxModelBytes) {
    return Status::Error(fmt::format("file is {} bytes; models over 2 GiB are not supported", size))
        .WithFile(path);
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    return Status::Error("cannot read file").WithFile(path);
  }
  return ImportTfliteBuffer(bytes.data(), bytes.size(), path);
}

Result<Graph> ImportTfliteBuffer(const uint8_t* data, size_t size, const std::string& source_name) {
  auto fail = [&](Status s) { return s.WithFile(source_name); };
  if (size < 8) {
    return fail(Status::Error(fmt::format("not a TFLite model: file is only {} bytes", size)));
  }
  if (!flatbuffers::BufferHasIdentifier(data, tflite::ModelIdentifier())) {
    return fail(Status::Error("not a TFLite model: missing the 'TFL3' file identifier"));
  }
  // Flatbuffers needs the buffer aligned for its scalar reads; copy into aligned storage.
  std::vector<uint64_t> aligned((size + 7) / 8);
  std::memcpy(aligned.data(), data, size);
  const uint8_t* buf = reinterpret_cast<const uint8_t*>(aligned.data());
  flatbuffers::Verifier verifier(buf, size, /*max_depth=*/64, /*max_tables=*/1000000);
  if (!tflite::VerifyModelBuffer(verifier)) {
    return fail(Status::Error(
        "malformed TFLite model: the flatbuffers verifier rejected the file (truncated or corrupt)"));
  }
  const tflite::Model* model = tflite::GetModel(buf);
  if (model->version() != 3) {
    return fail(Status::Error(fmt::format("unsupported TFLite schema version {} (expected 3)",
                                          model->version())));
  }
  if (!model->subgraphs() || model->subgraphs()->size() == 0) {
    return fail(Status::Error("model has no subgraph"));
  }
  const size_t num_subgraphs = model->subgraphs()->size();
  if (num_subgraphs > kMaxSubgraphs) {
    return fail(Status::Error(fmt::format("model has {} subgraphs: more than the {} supported",
                                          num_subgraphs, kMaxSubgraphs)));
  }
  const auto* buffers = model->buffers();
  const size_t num_buffers = buffers ? buffers->size() : 0;
  const auto* codes = model->operator_codes();
  const size_t num_codes = codes ? codes->size() : 0;
  LutSources lut_sources;
  {
    Status cs = ReadCompressionMetadata(model, num_buffers, &lut_sources);
    if (!cs.ok()) return fail(cs);
  }

  // Every subgraph is appended to one Graph (ir.h, Subgraph): subgraph k's tensor i is
  // global tensor first_tensor + i, so nothing after the importer needs to know which
  // subgraph an index came from; messages use the local indices kept in the IR.
  Graph g;
  g.source_path = source_name;
  for (size_t sgi = 0; sgi < num_subgraphs; ++sgi) {
    const int sgk = static_cast<int>(sgi);
    const tflite::SubGraph* sg = model->subgraphs()->Get(static_cast<flatbuffers::uoffset_t>(sgi));
    Subgraph info;
    info.name = sg->name() ? sg->name()->str() : "";
    const int base = static_cast<int>(g.tensors.size());
    const int op_base = static_cast<int>(g.ops.size());
    info.first_tensor = base;
    info.first_op = op_base;
    const size_t num_tensors = sg->tensors() ? sg->tensors()->size() : 0;
    if (g.tensors.size() + num_tensors > kMaxTensors) {
      return fail(Status::Error(
          fmt::format("{} tensors: more than the {} supported", g.tensors.size() + num_tensors,
                      kMaxTensors)).WithSubgraph(sgk));
    }
    g.tensors.resize(base + num_tensors);
    for (size_t i = 0; i < num_tensors; ++i) {
      const tflite::Tensor* t = sg->tensors()->Get(static_cast<flatbuffers::uoffset_t>(i));
      Tensor& out = g.tensors[base + i];
      out.index = base + static_cast<int>(i);
      out.subgraph = sgk;
      out.local_index = static_cast<int>(i);
      out.name = t->name() ? t->name()->str() : fmt::format("tensor_{}", i);
      out.tflite_type = static_cast<int>(t->type());
      out.dtype = ConvertType(t->type());
      out.is_variable = t->is_variable();
      auto terr = [&](const std::string& msg) {
        return fail(TensorError(msg, out.local_index, out.name).WithSubgraph(sgk));
      };
      if (t->shape()) {
        if (t->shape()->size() > 8) return terr(fmt::format("rank {} is not supported (max 8)", t->shape()->size()));
        out.shape.assign(t->shape()->begin(), t->shape()->end());
      }
      int64_t elements = 1;
      for (int32_t d : out.shape) {
        if (d < 0) return terr(fmt::format("negative dimension {} in shape", d));
        elements *= d;
        if (elements > kMaxTensorBytes) return terr("shape has more than 2^31 elements");
      }
      if (elements * static_cast<int64_t>(std::max<size_t>(DTypeSize(out.dtype), 1)) > kMaxTensorBytes) {
        return terr("tensor is larger than 2^31 bytes");
      }
      if (t->sparsity()) return terr("sparse tensors are not supported");
      if (const auto* q = t->quantization()) {
        if (q->details_type() != tflite::QuantizationDetails::NONE) {
          return terr("custom quantization is not supported");
        }
        if (q->scale()) out.quant.scale.assign(q->scale()->begin(), q->scale()->end());
        if (q->zero_point() && q->zero_point()->size() > 0) {
          // The Verifier checks a vector's alignment for its 4-byte length only: 8-byte
          // elements may be misaligned in a hostile file, so copy bytes, never load int64s.
          out.quant.zero_point.resize(q->zero_point()->size());
          std::memcpy(out.quant.zero_point.data(), q->zero_point()->Data(),
                      out.quant.zero_point.size() * sizeof(int64_t));
        }
        out.quant.axis = q->quantized_dimension();
        if (out.quant.zero_point.empty() && !out.quant.scale.empty()) {
          out.quant.zero_point.assign(out.quant.scale.size(), 0);
        }
        if (out.quant.scale.size() != out.quant.zero_point.size()) {
          return terr(fmt::format("quantization has {} scales but {} zero points",
                                  out.quant.scale.size(), out.quant.zero_point.size()));
        }
      }
      const uint32_t b = t->buffer();
      if (b >= num_buffers && b != 0) {
        return terr(fmt::format("buffer index {} out of range ({} buffers)", b, num_buffers));
      }
      if (b != 0 && b < num_buffers) {
        const tflite::Buffer* buffer = buffers->Get(b);
        if (buffer->offset() > 1 || buffer->size() > 0) {
          return terr("external (>2 GiB format) buffers are not supported (the data sits after the "
                      "flatbuffer at an offset; TFLM reads only Buffer.data, so it computes with an "
                      "unset tensor)");
        }
        const auto lut = lut_sources.find(std::make_pair(sgk, static_cast<int>(i)));
        if (lut != lut_sources.end()) {
          Status ls = DecodeLutSource(out, t->shape() != nullptr, lut->second, buffer->data(), buffers,
                                      num_buffers, &out.data);
          if (!ls.ok()) return terr(ls.message());
          out.is_constant = !out.is_variable;
          out.lut_index_bits = lut->second.bits;
        } else if (buffer->data() && buffer->data()->size() > 0) {
          // A variable's buffer holds its initial value; it still lives in the arena.
          out.is_constant = !out.is_variable;
          out.data.assign(buffer->data()->begin(), buffer->data()->end());
          if (out.dtype != DType::kUnsupported &&
              static_cast<int64_t>(out.data.size()) != out.Bytes()) {
            return terr(fmt::format("constant buffer has {} bytes but shape and dtype need {}{}",
                                    out.data.size(), out.Bytes(),
                                    out.dtype == DType::kInt4
                                        ? fmt::format(" ({} int4 values, two per byte)", elements)
                                        : std::string()));
          }
        }
      }
    }

    auto check_index = [&](int idx, const char* what) -> Status {
      if (idx < 0 || idx >= static_cast<int>(num_tensors)) {
        return Status::Error(fmt::format("{} tensor index {} out of range ({} tensors)", what, idx,
                                         num_tensors))
            .WithSubgraph(sgk);
      }
      return Status::Ok();
    };
    if (sg->inputs()) {
      for (int idx : *sg->inputs()) {
        Status s = check_index(idx, "graph input");
        if (!s.ok()) return fail(s);
        info.inputs.push_back(base + idx);
      }
    }
    if (sg->outputs()) {
      for (int idx : *sg->outputs()) {
        Status s = check_index(idx, "graph output");
        if (!s.ok()) return fail(s);
        info.outputs.push_back(base + idx);
      }
    }

    const size_t num_ops = sg->operators() ? sg->operators()->size() : 0;
    if (g.ops.size() + num_ops > kMaxOperators) {
      return fail(Status::Error(
          fmt::format("{} operators: more than the {} supported", g.ops.size() + num_ops,
                      kMaxOperators)).WithSubgraph(sgk));
    }
    g.ops.resize(op_base + num_ops);
    for (size_t i = 0; i < num_ops; ++i) {
      const tflite::Operator* op = sg->operators()->Get(static_cast<flatbuffers::uoffset_t>(i));
      Operator& out = g.ops[op_base + i];
      out.index = op_base + static_cast<int>(i);
      out.subgraph = sgk;
      out.local_index = static_cast<int>(i);
      if (op->opcode_index() >= num_codes) {
        return fail(Status::Error(fmt::format("opcode index {} out of range ({} codes)",
                                              op->opcode_index(), num_codes))
                        .WithSubgraph(sgk).WithOp(out.local_index, "unknown"));
      }
      const tflite::OperatorCode* code = codes->Get(op->opcode_index());
      out.builtin_code = std::max(static_cast<int>(code->deprecated_builtin_code()),
                                  static_cast<int>(code->builtin_code()));
      out.version = code->version();
      if (out.builtin_code == static_cast<int>(tflite::BuiltinOperator::CUSTOM)) {
        out.name = fmt::format("CUSTOM '{}'", code->custom_code() ? code->custom_code()->str() : "");
      } else {
        out.name = BuiltinName(out.builtin_code);
      }
      auto op_fail = [&](Status s) { return fail(s.WithSubgraph(sgk).WithOp(out.local_index, out.name)); };
      if (op->inputs()) {
        for (int idx : *op->inputs()) {
          if (idx != -1) {
            Status s = check_index(idx, "input");
            if (!s.ok()) return op_fail(s);
          }
          out.inputs.push_back(idx == -1 ? -1 : base + idx);
        }
      }
      if (op->outputs()) {
        for (int idx : *op->outputs()) {
          Status s = check_index(idx, "output");
          if (!s.ok()) return op_fail(s);
          out.outputs.push_back(base + idx);
        }
      }
      if (op->large_custom_options_offset() > 1) {
        return op_fail(Status::Error("external (>2 GiB format) custom options are not supported"));
      }
      Status s = ConvertOptions(op, out.builtin_code, &out);
      if (!s.ok()) return op_fail(s);
      if (out.builtin_code == static_cast<int>(tflite::BuiltinOperator::CUSTOM)) {
        // A custom op: its flexbuffer options, and the registry's code for its name.
        CustomOptions co;
        co.code = code->custom_code() ? code->custom_code()->str() : "";
        if (op->custom_options() && op->custom_options()->size() > 0) {
          if (op->custom_options_format() != tflite::CustomOptionsFormat::FLEXBUFFERS) {
            return op_fail(Status::Error("custom options are not in the FLEXBUFFERS format"));
          }
          s = ReadFlexMap(op->custom_options()->data(), op->custom_options()->size(), &co.map);
          if (!s.ok()) return op_fail(s);
        }
        if (const OpDef* def = FindCustomOp(co.code)) {
          out.builtin_code = def->builtin_code;
          out.name = co.code;
        }
        out.options = std::move(co);
      }
    }
    info.num_tensors = static_cast<int>(num_tensors);
    info.num_ops = static_cast<int>(num_ops);
    g.subgraphs.push_back(std::move(info));
  }
  g.inputs = g.subgraphs[0].inputs;
  g.outputs = g.subgraphs[0].outputs;
  ClearDecodeInputQuantization(&g);
  for (const auto& [key, src] : lut_sources) {
    const int k = key.first, t = key.second;
    if (k >= static_cast<int>(g.subgraphs.size()) || t < 0 || t >= g.subgraphs[k].num_tensors ||
        g.tensors[g.subgraphs[k].first_tensor + t].lut_index_bits == 0) {
      return fail(Status::Error(fmt::format("COMPRESSION_METADATA: tensor {} is not a constant of "
                                            "the subgraph",
                                            t))
                      .WithSubgraph(k));
    }
  }
  Status lr = CheckLutReaders(g);
  if (!lr.ok()) return fail(lr);
  Status v = ValidateGraph(g);
  if (!v.ok()) return fail(v);
  return g;
}

}  // namespace tinymlc
