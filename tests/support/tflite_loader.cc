#include "tflite_loader.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "tflite_subset_generated.h"

namespace tinymlc::testing {

namespace {

bool FromTfl(tflite::TensorType t, DT* out) {
  switch (t) {
    case tflite::TensorType::FLOAT32: *out = DT::kFloat32; return true;
    case tflite::TensorType::INT8: *out = DT::kInt8; return true;
    case tflite::TensorType::INT16: *out = DT::kInt16; return true;
    case tflite::TensorType::INT32: *out = DT::kInt32; return true;
    case tflite::TensorType::UINT8: *out = DT::kUInt8; return true;
    case tflite::TensorType::INT64: *out = DT::kInt64; return true;
    case tflite::TensorType::BOOL: *out = DT::kBool; return true;
    default: return false;
  }
}

template <typename T>
std::vector<T> ToVector(const flatbuffers::Vector<T>* v) {
  if (v == nullptr) return {};
  return std::vector<T>(v->begin(), v->end());
}

// Decodes the options of the builtins model_builder.h knows about.
OpOptions DecodeOptions(const tflite::Operator* o, int code) {
  switch (code) {
    case op::kConv2D:
      if (const auto* p = o->builtin_options_as_Conv2DOptions()) {
        Conv2DOpts r;
        r.padding = static_cast<int>(p->padding());
        r.stride_w = p->stride_w();
        r.stride_h = p->stride_h();
        r.dilation_w = p->dilation_w_factor();
        r.dilation_h = p->dilation_h_factor();
        r.activation = static_cast<int>(p->fused_activation_function());
        return r;
      }
      break;
    case op::kDepthwiseConv2D:
      if (const auto* p = o->builtin_options_as_DepthwiseConv2DOptions()) {
        DepthwiseOpts r;
        r.padding = static_cast<int>(p->padding());
        r.stride_w = p->stride_w();
        r.stride_h = p->stride_h();
        r.dilation_w = p->dilation_w_factor();
        r.dilation_h = p->dilation_h_factor();
        r.depth_multiplier = p->depth_multiplier();
        r.activation = static_cast<int>(p->fused_activation_function());
        return r;
      }
      break;
    case op::kAveragePool2D:
    case op::kL2Pool2D:
    case op::kMaxPool2D:
      if (const auto* p = o->builtin_options_as_Pool2DOptions()) {
        PoolOpts r;
        r.padding = static_cast<int>(p->padding());
        r.stride_w = p->stride_w();
        r.stride_h = p->stride_h();
        r.filter_w = p->filter_width();
        r.filter_h = p->filter_height();
        r.activation = static_cast<int>(p->fused_activation_function());
        return r;
      }
      break;
    case op::kFullyConnected:
      if (const auto* p = o->builtin_options_as_FullyConnectedOptions()) {
        FcOpts r;
        r.activation = static_cast<int>(p->fused_activation_function());
        r.keep_num_dims = p->keep_num_dims();
        return r;
      }
      break;
    case op::kSoftmax:
      if (const auto* p = o->builtin_options_as_SoftmaxOptions()) return SoftmaxOpts{p->beta()};
      break;
    case op::kAdd:
      if (const auto* p = o->builtin_options_as_AddOptions()) {
        return AddOpts{static_cast<int>(p->fused_activation_function())};
      }
      break;
    case op::kReshape:
      if (const auto* p = o->builtin_options_as_ReshapeOptions()) {
        ReshapeOpts r;
        r.has_new_shape = p->new_shape() != nullptr;
        r.new_shape = ToVector(p->new_shape());
        return r;
      }
      break;
    case op::kMul:
      if (const auto* p = o->builtin_options_as_MulOptions()) {
        return MulOpts{static_cast<int>(p->fused_activation_function())};
      }
      break;
    case op::kSub:
      if (const auto* p = o->builtin_options_as_SubOptions()) {
        return SubOpts{static_cast<int>(p->fused_activation_function())};
      }
      break;
    case op::kMean:
    case op::kSum:
    case op::kReduceMax:
      if (const auto* p = o->builtin_options_as_ReducerOptions()) return ReducerOpts{p->keep_dims()};
      break;
    // Layers.
    case op::kTransposeConv:
      if (const auto* p = o->builtin_options_as_TransposeConvOptions()) {
        TransposeConvOpts r;
        r.padding = static_cast<int>(p->padding());
        r.stride_w = p->stride_w();
        r.stride_h = p->stride_h();
        r.activation = static_cast<int>(p->fused_activation_function());
        return r;
      }
      break;
    case op::kBatchMatMul:
      if (const auto* p = o->builtin_options_as_BatchMatMulOptions()) {
        return BatchMatMulOpts{p->adj_x(), p->adj_y()};
      }
      break;
    case op::kL2Normalization:
      if (const auto* p = o->builtin_options_as_L2NormOptions()) {
        return L2NormOpts{static_cast<int>(p->fused_activation_function())};
      }
      break;
    case op::kSvdf:
      if (const auto* p = o->builtin_options_as_SVDFOptions()) {
        return SvdfOpts{p->rank(), static_cast<int>(p->fused_activation_function())};
      }
      break;
    case op::kUnidirectionalSequenceLstm:
      if (const auto* p = o->builtin_options_as_UnidirectionalSequenceLSTMOptions()) {
        LstmOpts r;
        r.activation = static_cast<int>(p->fused_activation_function());
        r.cell_clip = p->cell_clip();
        r.proj_clip = p->proj_clip();
        r.time_major = p->time_major();
        return r;
      }
      break;
    // Shape and data movement.
    case op::kConcatenation:
      if (const auto* p = o->builtin_options_as_ConcatenationOptions()) {
        return ConcatenationOpts{p->axis(), static_cast<int>(p->fused_activation_function())};
      }
      break;
    case op::kStridedSlice:
      if (const auto* p = o->builtin_options_as_StridedSliceOptions()) {
        return StridedSliceOpts{p->begin_mask(),    p->end_mask(),         p->ellipsis_mask(),
                                p->new_axis_mask(), p->shrink_axis_mask(), p->offset()};
      }
      break;
    case op::kSqueeze:
      if (const auto* p = o->builtin_options_as_SqueezeOptions()) {
        return SqueezeOpts{ToVector(p->squeeze_dims())};
      }
      break;
    case op::kPack:
      if (const auto* p = o->builtin_options_as_PackOptions()) {
        return PackOpts{p->values_count(), p->axis()};
      }
      break;
    case op::kUnpack:
      if (const auto* p = o->builtin_options_as_UnpackOptions()) return UnpackOpts{p->num(), p->axis()};
      break;
    case op::kSplit:
      if (const auto* p = o->builtin_options_as_SplitOptions()) return SplitOpts{p->num_splits()};
      break;
    case op::kSplitV:
      if (const auto* p = o->builtin_options_as_SplitVOptions()) return SplitVOpts{p->num_splits()};
      break;
    case op::kMirrorPad:
      if (const auto* p = o->builtin_options_as_MirrorPadOptions()) {
        return MirrorPadOpts{static_cast<int>(p->mode())};
      }
      break;
    case op::kCumsum:
      if (const auto* p = o->builtin_options_as_CumsumOptions()) {
        return CumsumOpts{p->exclusive(), p->reverse()};
      }
      break;
    case op::kGather:
      if (const auto* p = o->builtin_options_as_GatherOptions()) {
        return GatherOpts{p->axis(), p->batch_dims()};
      }
      break;
    case op::kSpaceToDepth:
      if (const auto* p = o->builtin_options_as_SpaceToDepthOptions()) {
        return SpaceToDepthOpts{p->block_size()};
      }
      break;
    case op::kDepthToSpace:
      if (const auto* p = o->builtin_options_as_DepthToSpaceOptions()) {
        return DepthToSpaceOpts{p->block_size()};
      }
      break;
    case op::kResizeBilinear:
      if (const auto* p = o->builtin_options_as_ResizeBilinearOptions()) {
        return ResizeBilinearOpts{p->align_corners(), p->half_pixel_centers()};
      }
      break;
    case op::kResizeNearestNeighbor:
      if (const auto* p = o->builtin_options_as_ResizeNearestNeighborOptions()) {
        return ResizeNearestNeighborOpts{p->align_corners(), p->half_pixel_centers()};
      }
      break;
    case op::kShape:
      if (const auto* p = o->builtin_options_as_ShapeOptions()) {
        ShapeOpts r;
        if (FromTfl(p->out_type(), &r.out_type)) return r;
      }
      break;
    case op::kLeakyRelu:
      if (const auto* p = o->builtin_options_as_LeakyReluOptions()) return LeakyReluOpts{p->alpha()};
      break;
    default:
      break;
  }
  return std::monostate{};
}

}  // namespace

bool ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  bytes->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return !f.bad();
}

bool LoadTfliteBuffer(const uint8_t* data, size_t size, ModelSpec* out, std::string* error) {
  auto fail = [error](const std::string& msg) {
    if (error) *error = msg;
    return false;
  };
  flatbuffers::Verifier verifier(data, size);
  if (!tflite::VerifyModelBuffer(verifier)) return fail("not a valid TFLite flatbuffer");
  const tflite::Model* model = tflite::GetModel(data);
  if (model->subgraphs() == nullptr || model->subgraphs()->size() == 0)
    return fail("model has no subgraph");
  const tflite::SubGraph* sg = model->subgraphs()->Get(0);
  const auto* buffers = model->buffers();

  ModelSpec spec;
  if (model->description()) spec.description = model->description()->str();
  if (sg->tensors()) {
    for (flatbuffers::uoffset_t i = 0; i < sg->tensors()->size(); ++i) {
      const tflite::Tensor* t = sg->tensors()->Get(i);
      TensorSpec ts;
      ts.name = t->name() ? t->name()->str() : "";
      if (!FromTfl(t->type(), &ts.dtype)) {
        return fail("tensor " + std::to_string(i) + ": unsupported type " +
                    tflite::EnumNameTensorType(t->type()));
      }
      ts.shape = ToVector(t->shape());
      ts.is_variable = t->is_variable();
      if (const auto* q = t->quantization()) {
        ts.scale = ToVector(q->scale());
        ts.zero_point = ToVector(q->zero_point());
        ts.zero_point.resize(ts.scale.size(), 0);
        ts.quant_axis = q->quantized_dimension();
      }
      if (buffers && t->buffer() < buffers->size()) {
        const tflite::Buffer* b = buffers->Get(t->buffer());
        if (b->offset() > 1) return fail("tensor " + std::to_string(i) + ": external buffer");
        if (b->data() && b->data()->size() > 0) ts.data = ToVector(b->data());
      }
      spec.tensors.push_back(std::move(ts));
    }
  }
  spec.inputs = ToVector(sg->inputs());
  spec.outputs = ToVector(sg->outputs());
  if (sg->operators()) {
    for (flatbuffers::uoffset_t k = 0; k < sg->operators()->size(); ++k) {
      const tflite::Operator* o = sg->operators()->Get(k);
      if (!model->operator_codes() || o->opcode_index() >= model->operator_codes()->size())
        return fail("operator " + std::to_string(k) + ": bad opcode index");
      const tflite::OperatorCode* code = model->operator_codes()->Get(o->opcode_index());
      OpSpec os;
      os.builtin_code = std::max(static_cast<int>(code->builtin_code()),
                                 static_cast<int>(code->deprecated_builtin_code()));
      os.version = code->version();
      os.inputs = ToVector(o->inputs());
      os.outputs = ToVector(o->outputs());
      os.omit_options = o->builtin_options() == nullptr;
      os.options = DecodeOptions(o, os.builtin_code);
      spec.ops.push_back(std::move(os));
    }
  }
  const std::string problem = spec.Validate();
  if (!problem.empty()) return fail(problem);
  *out = std::move(spec);
  return true;
}

bool LoadTfliteFile(const std::string& path, ModelSpec* model, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!ReadFileBytes(path, &bytes)) {
    if (error) *error = "cannot read " + path;
    return false;
  }
  std::string e;
  if (!LoadTfliteBuffer(bytes.data(), bytes.size(), model, &e)) {
    if (error) *error = path + ": " + e;
    return false;
  }
  return true;
}

}  // namespace tinymlc::testing
