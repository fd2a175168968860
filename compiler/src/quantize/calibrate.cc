// Calibration for `tinymlc quantize`: the calibration files, and a float evaluator over
// the IR that runs subgraph 0 with the compiler's float kernels (templates/kernels
// tml_*_f32.h, the code the generated C runs; ops with a float constant-folding function
// run that) and hands every float tensor's values to a visitor.
#include "quantize/calibrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ops/float_ops.h"
#include "ops/op.h"
#include "tinymlc/quant.h"
#include "tinymlc/quantize.h"
#include "tml_conv_2d_f32.h"
#include "tml_depthwise_conv_2d_f32.h"
#include "tml_fully_connected_f32.h"
#include "tml_pool_2d_f32.h"
#include "tml_resize_bilinear_f32.h"
#include "tml_softmax_f32.h"

namespace tinymlc {

namespace {

using namespace qop;  // NOLINT: the builtin codes

// ---- .npy and raw files --------------------------------------------------------------

// The value of `key` in a .npy header dict ("'descr': '<f4', ..."), without quotes.
std::string HeaderField(const std::string& header, const std::string& key) {
  const size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) return "";
  size_t p = header.find(':', k);
  if (p == std::string::npos) return "";
  ++p;
  while (p < header.size() && header[p] == ' ') ++p;
  if (p >= header.size()) return "";
  if (header[p] == '\'') {
    const size_t e = header.find('\'', p + 1);
    return e == std::string::npos ? "" : header.substr(p + 1, e - p - 1);
  }
  if (header[p] == '(') {
    const size_t e = header.find(')', p);
    return e == std::string::npos ? "" : header.substr(p + 1, e - p - 1);
  }
  size_t e = p;
  while (e < header.size() && header[e] != ',' && header[e] != '}') ++e;
  return header.substr(p, e - p);
}

template <typename T>
void AppendAs(const uint8_t* p, size_t n, std::vector<float>* out) {
  for (size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, p + i * sizeof(T), sizeof(T));
    out->push_back(static_cast<float>(v));
  }
}

// The values of one file as float32.
Result<std::vector<float>> ReadValues(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Error(fmt::format("{}: cannot read the calibration file", path));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<float> values;
  const bool npy = bytes.size() >= 10 && bytes[0] == 0x93 && std::memcmp(&bytes[1], "NUMPY", 5) == 0;
  if (!npy) {
    if (bytes.size() % 4 != 0) {
      return Status::Error(fmt::format("{}: {} bytes, not a whole number of float32 values (a raw "
                                       "calibration file is little-endian float32; or use .npy)",
                                       path, bytes.size()));
    }
    AppendAs<float>(bytes.data(), bytes.size() / 4, &values);
    return values;
  }
  const int major = bytes[6];
  size_t header_len = 0, start = 0;
  if (major == 1) {
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8);
    start = 10;
  } else if (bytes.size() >= 12 && (major == 2 || major == 3)) {
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8) |
                 (static_cast<size_t>(bytes[10]) << 16) | (static_cast<size_t>(bytes[11]) << 24);
    start = 12;
  } else {
    return Status::Error(fmt::format("{}: unsupported .npy version {}", path, major));
  }
  if (start + header_len > bytes.size()) return Status::Error(fmt::format("{}: truncated .npy header", path));
  const std::string header(reinterpret_cast<const char*>(&bytes[start]), header_len);
  const std::string descr = HeaderField(header, "descr");
  if (HeaderField(header, "fortran_order").find("True") != std::string::npos) {
    return Status::Error(fmt::format("{}: Fortran-order .npy arrays are not supported", path));
  }
  const uint8_t* data = bytes.data() + start + header_len;
  const size_t avail = bytes.size() - start - header_len;
  struct Kind {
    const char* descr;
    size_t size;
    void (*append)(const uint8_t*, size_t, std::vector<float>*);
  };
  static const Kind kKinds[] = {
      {"<f4", 4, AppendAs<float>},   {"<f8", 8, AppendAs<double>},  {"|i1", 1, AppendAs<int8_t>},
      {"|u1", 1, AppendAs<uint8_t>}, {"<i2", 2, AppendAs<int16_t>}, {"<i4", 4, AppendAs<int32_t>},
  };
  for (const Kind& k : kKinds) {
    if (descr != k.descr) continue;
    // The element count from the shape (a trailing partial element is an error).
    int64_t count = 1;
    const std::string shape = HeaderField(header, "shape");
    size_t p = 0;
    while (p < shape.size()) {
      while (p < shape.size() && (shape[p] < '0' || shape[p] > '9')) ++p;
      if (p >= shape.size()) break;
      int64_t d = 0;
      while (p < shape.size() && shape[p] >= '0' && shape[p] <= '9') {
        d = d * 10 + (shape[p] - '0');
        if (d > (int64_t{1} << 40)) return Status::Error(fmt::format("{}: .npy shape too large", path));
        ++p;
      }
      count *= d;
      if (count > (int64_t{1} << 40)) return Status::Error(fmt::format("{}: .npy shape too large", path));
    }
    if (static_cast<uint64_t>(count) * k.size > avail) {
      return Status::Error(fmt::format("{}: .npy shape ({}) needs {} bytes, the file holds {}", path,
                                       shape, static_cast<uint64_t>(count) * k.size, avail));
    }
    k.append(data, static_cast<size_t>(count), &values);
    return values;
  }
  return Status::Error(fmt::format("{}: .npy dtype '{}' is not supported (float32, float64, int8, "
                                   "uint8, int16, int32)",
                                   path, descr));
}

}  // namespace

Result<CalibrationData> LoadCalibrationDir(const std::string& dir, const Graph& graph) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::Error(fmt::format("{}: the calibration folder does not exist or is not a folder", dir));
  }
  if (graph.inputs.size() != 1) {
    return Status::Error(fmt::format("the model has {} inputs; calibration folders hold samples of "
                                     "a single-input model",
                                     graph.inputs.size()))
        .WithFile(graph.source_path);
  }
  const Tensor& in = graph.tensors[graph.inputs[0]];
  const int64_t n = in.NumElements();
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  if (ec) return Status::Error(fmt::format("{}: cannot list the calibration folder: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  CalibrationData data;
  for (const std::string& path : files) {
    auto values = ReadValues(path);
    if (!values.ok()) return values.status();
    const std::vector<float>& v = values.value();
    if (n <= 0 || v.empty() || static_cast<int64_t>(v.size()) % n != 0) {
      return Status::Error(fmt::format("{}: {} values, not a whole number of samples of the input '{}' "
                                       "([{}], {} values)",
                                       path, v.size(), in.name, fmt::join(in.shape, ","), n));
    }
    for (size_t off = 0; off < v.size(); off += static_cast<size_t>(n)) {
      data.samples.push_back({std::vector<float>(v.begin() + static_cast<std::ptrdiff_t>(off),
                                                 v.begin() + static_cast<std::ptrdiff_t>(off + n))});
    }
  }
  if (data.samples.empty()) return Status::Error(fmt::format("{}: no calibration files", dir));
  return data;
}

// ---- The float evaluator ---------------------------------------------------------------

namespace {

std::vector<uint8_t> FloatBytes(const float* v, size_t n) {
  std::vector<uint8_t> b(n * sizeof(float));
  if (n) std::memcpy(b.data(), v, b.size());
  return b;
}

const float* F(const Tensor* t) {
  return t ? reinterpret_cast<const float*>(t->data.data()) : nullptr;
}

Result<FloatRange> Act(const LowerContext& ctx, Activation a) { return FloatActivationRange(ctx, a); }

}  // namespace

namespace {

const QuantOpRule kRules[] = {
    {kConv2D, "CONV_2D", OutputRule::kCalibrated, 0},
    {kDepthwiseConv2D, "DEPTHWISE_CONV_2D", OutputRule::kCalibrated, 0},
    {kFullyConnected, "FULLY_CONNECTED", OutputRule::kCalibrated, 0},
    {kTransposeConv, "TRANSPOSE_CONV", OutputRule::kCalibrated, 2},
    {kAdd, "ADD", OutputRule::kCalibrated, 0},
    {kSub, "SUB", OutputRule::kCalibrated, 0},
    {kMul, "MUL", OutputRule::kCalibrated, 0},
    {kMean, "MEAN", OutputRule::kCalibrated, 0},
    {kRelu, "RELU", OutputRule::kCalibrated, 0},
    {kRelu6, "RELU6", OutputRule::kCalibrated, 0},
    {kReluN1To1, "RELU_N1_TO_1", OutputRule::kCalibrated, 0},
    {kLeakyRelu, "LEAKY_RELU", OutputRule::kCalibrated, 0},
    {kPrelu, "PRELU", OutputRule::kCalibrated, 0, false},
    {kElu, "ELU", OutputRule::kCalibrated, 0, false},
    {kHardSwish, "HARD_SWISH", OutputRule::kCalibrated, 0, false},
    {kSoftmax, "SOFTMAX", OutputRule::kFixed, 0},
    {kLogistic, "LOGISTIC", OutputRule::kFixed, 0},
    {kTanh, "TANH", OutputRule::kFixed, 0},
    {kAveragePool2D, "AVERAGE_POOL_2D", OutputRule::kSameAsInput, 0},
    {kMaxPool2D, "MAX_POOL_2D", OutputRule::kSameAsInput, 0},
    {kReduceMax, "REDUCE_MAX", OutputRule::kSameAsInput, 0, false},
    {kReshape, "RESHAPE", OutputRule::kSameAsInput, 0},
    {kSqueeze, "SQUEEZE", OutputRule::kSameAsInput, 0},
    {kExpandDims, "EXPAND_DIMS", OutputRule::kSameAsInput, 0},
    {kPad, "PAD", OutputRule::kSameAsInput, 0},
    {kPadV2, "PADV2", OutputRule::kSameAsInput, 0},
    {kStridedSlice, "STRIDED_SLICE", OutputRule::kSameAsInput, 0},
    {kSlice, "SLICE", OutputRule::kSameAsInput, 0},
    {kSplit, "SPLIT", OutputRule::kSameAsInput, 1},
    {kSplitV, "SPLIT_V", OutputRule::kSameAsInput, 0},
    {kUnpack, "UNPACK", OutputRule::kSameAsInput, 0},
    {kTranspose, "TRANSPOSE", OutputRule::kSameAsInput, 0},
    {kGather, "GATHER", OutputRule::kSameAsInput, 0, false},
    {kSpaceToDepth, "SPACE_TO_DEPTH", OutputRule::kSameAsInput, 0, false},
    {kDepthToSpace, "DEPTH_TO_SPACE", OutputRule::kSameAsInput, 0, false},
    {kSpaceToBatchNd, "SPACE_TO_BATCH_ND", OutputRule::kSameAsInput, 0, false},
    {kBatchToSpaceNd, "BATCH_TO_SPACE_ND", OutputRule::kSameAsInput, 0, false},
    {kResizeNearestNeighbor, "RESIZE_NEAREST_NEIGHBOR", OutputRule::kSameAsInput, 0},
    {kResizeBilinear, "RESIZE_BILINEAR", OutputRule::kSameAsInput, 0, false},
    {kConcatenation, "CONCATENATION", OutputRule::kSharedWithInputs, 0},
    {kPack, "PACK", OutputRule::kSharedWithInputs, 0},
    {kMaximum, "MAXIMUM", OutputRule::kSharedWithInputs, 0},
    {kMinimum, "MINIMUM", OutputRule::kSharedWithInputs, 0},
};

}  // namespace

const QuantOpRule* FindQuantOpRule(int builtin_code) {
  for (const QuantOpRule& r : kRules) {
    if (r.builtin_code == builtin_code) return &r;
  }
  return nullptr;
}

std::string QuantOpNames() {
  std::string s;
  for (const QuantOpRule& r : kRules) s += (s.empty() ? "" : ", ") + std::string(r.name);
  return s;
}

Status FloatEvaluator::Init(const Graph& graph) {
  graph_ = graph;
  const int num_ops = graph_.subgraphs.empty() ? static_cast<int>(graph_.ops.size())
                                               : graph_.subgraphs[0].num_ops;
  for (int i = 0; i < num_ops; ++i) {
    const Operator& op = graph_.ops[i];
    if (!FindQuantOpRule(op.builtin_code)) {
      return AtOp(Status::Error("the quantizer does not support this operator (it takes " +
                                QuantOpNames() + ")"),
                  op);
    }
    for (int t : op.inputs) {
      if (t >= 0 && graph_.tensors[t].dtype != DType::kFloat32 && !graph_.tensors[t].is_constant) {
        Status s = Status::Error(fmt::format("{} input: the quantizer takes float32 models",
                                             DTypeName(graph_.tensors[t].dtype)));
        AtOp(s, op);
        return AtTensor(s, graph_.tensors[t]);
      }
    }
    // The float lowering's checks (shapes, options, activations) before anything runs.
    const OpDef* def = FindOp(op.builtin_code);
    LowerContext ctx(graph_, op, "quantize");
    LayerCode code;
    if (!def) return AtOp(Status::Error("unknown operator"), op);
    const int c = op.builtin_code;
    const bool own = c == kConv2D || c == kDepthwiseConv2D || c == kFullyConnected ||
                     c == kAveragePool2D || c == kMaxPool2D || c == kSoftmax || c == kReshape ||
                     c == kAdd || c == kMaximum || c == kMinimum || c == kResizeBilinear;
    if (!own && !def->fold) return AtOp(Status::Error("internal error: no float evaluation"), op);
    if (op.outputs.empty()) return AtOp(Status::Error("the operator has no output"), op);
    TINYMLC_RETURN_IF_ERROR(def->lower(ctx, &code));
  }
  ops_ = num_ops;
  return Status::Ok();
}

Status FloatEvaluator::Run(const std::vector<std::vector<float>>& inputs,
                           const std::function<void(int, const float*, size_t)>& visit) {
  if (inputs.size() != graph_.inputs.size()) {
    return Status::Error(fmt::format("{} inputs given, the model has {}", inputs.size(), graph_.inputs.size()));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor& t = graph_.tensors[graph_.inputs[i]];
    if (static_cast<int64_t>(inputs[i].size()) != t.NumElements()) {
      return AtTensor(Status::Error(fmt::format("calibration sample has {} values, the input {}",
                                                inputs[i].size(), t.NumElements())),
                      t);
    }
    t.data = FloatBytes(inputs[i].data(), inputs[i].size());
    t.is_constant = true;
    visit(t.index, inputs[i].data(), inputs[i].size());
  }
  for (int i = 0; i < ops_; ++i) {
    const Operator& op = graph_.ops[i];
    LowerContext ctx(graph_, op, "quantize");
    const Tensor* in = ctx.In(0);
    const Tensor* w = ctx.NumInputs() > 1 ? ctx.In(1) : nullptr;
    const Tensor* bias = ctx.NumInputs() > 2 ? ctx.In(2) : nullptr;
    const Tensor* out_t = ctx.Out(0);
    std::vector<float> out(static_cast<size_t>(out_t->NumElements()));
    FoldedOutputs folded;  // the outputs of the ops run by their folding functions
    switch (op.builtin_code) {
      case kConv2D: {
        const auto& o = std::get<Conv2DOptions>(op.options);
        auto act = Act(ctx, o.activation);
        if (!act.ok()) return act.status();
        tml_conv_2d_f32_params_t p{};
        p.batches = in->shape[0]; p.input_h = in->shape[1]; p.input_w = in->shape[2]; p.input_c = in->shape[3];
        p.filter_h = w->shape[1]; p.filter_w = w->shape[2]; p.filter_c = w->shape[3];
        p.output_h = out_t->shape[1]; p.output_w = out_t->shape[2]; p.output_c = w->shape[0];
        p.stride_h = o.stride_h; p.stride_w = o.stride_w;
        p.dilation_h = o.dilation_h; p.dilation_w = o.dilation_w;
        p.pad_h = ComputePadding(o.stride_h, o.dilation_h, p.input_h, p.filter_h, p.output_h);
        p.pad_w = ComputePadding(o.stride_w, o.dilation_w, p.input_w, p.filter_w, p.output_w);
        p.act_min = act->min; p.act_max = act->max;
        tml_conv_2d_f32(&p, F(in), F(w), F(bias), out.data());
        break;
      }
      case kDepthwiseConv2D: {
        const auto& o = std::get<DepthwiseConv2DOptions>(op.options);
        auto act = Act(ctx, o.activation);
        if (!act.ok()) return act.status();
        tml_depthwise_conv_2d_f32_params_t p{};
        p.batches = in->shape[0]; p.input_h = in->shape[1]; p.input_w = in->shape[2]; p.input_c = in->shape[3];
        p.filter_h = w->shape[1]; p.filter_w = w->shape[2]; p.depth_multiplier = w->shape[3] / in->shape[3];
        p.output_h = out_t->shape[1]; p.output_w = out_t->shape[2];
        p.stride_h = o.stride_h; p.stride_w = o.stride_w;
        p.dilation_h = o.dilation_h; p.dilation_w = o.dilation_w;
        p.pad_h = ComputePadding(o.stride_h, o.dilation_h, p.input_h, p.filter_h, p.output_h);
        p.pad_w = ComputePadding(o.stride_w, o.dilation_w, p.input_w, p.filter_w, p.output_w);
        p.act_min = act->min; p.act_max = act->max;
        tml_depthwise_conv_2d_f32(&p, F(in), F(w), F(bias), out.data());
        break;
      }
      case kFullyConnected: {
        const auto& o = std::get<FullyConnectedOptions>(op.options);
        auto act = Act(ctx, o.activation);
        if (!act.ok()) return act.status();
        tml_fully_connected_f32_params_t p{};
        p.accum_depth = w->shape[1];
        p.output_depth = w->shape[0];
        p.batches = static_cast<int32_t>(in->NumElements() / p.accum_depth);
        p.act_min = act->min; p.act_max = act->max;
        tml_fully_connected_f32(&p, F(in), F(w), F(bias), out.data());
        break;
      }
      case kAveragePool2D:
      case kMaxPool2D: {
        const auto& o = std::get<Pool2DOptions>(op.options);
        auto act = Act(ctx, o.activation);
        if (!act.ok()) return act.status();
        tml_pool_2d_f32_params_t p{};
        p.batches = in->shape[0]; p.input_h = in->shape[1]; p.input_w = in->shape[2]; p.channels = in->shape[3];
        p.output_h = out_t->shape[1]; p.output_w = out_t->shape[2];
        p.filter_h = o.filter_h; p.filter_w = o.filter_w; p.stride_h = o.stride_h; p.stride_w = o.stride_w;
        p.pad_h = ComputePadding(o.stride_h, 1, p.input_h, o.filter_h, p.output_h);
        p.pad_w = ComputePadding(o.stride_w, 1, p.input_w, o.filter_w, p.output_w);
        p.act_min = act->min; p.act_max = act->max;
        if (op.builtin_code == kMaxPool2D) {
          tml_max_pool_2d_f32(&p, F(in), out.data());
        } else {
          tml_average_pool_2d_f32(&p, F(in), out.data());
        }
        break;
      }
      case kSoftmax: {
        const auto* o = std::get_if<SoftmaxOptions>(&op.options);
        tml_softmax_f32_params_t p{};
        p.depth = in->shape.back();
        p.outer = static_cast<int32_t>(in->NumElements() / p.depth);
        p.beta = o ? o->beta : 1.0f;
        tml_softmax_f32(&p, F(in), out.data());
        break;
      }
      case kReshape:
        std::memcpy(out.data(), F(in), out.size() * sizeof(float));
        break;
      case kResizeBilinear: {
        // The float lowering's geometry (resize_bilinear.cc): scale (in - 1) / (out - 1)
        // with align_corners (and more than one output), in / out otherwise.
        const auto& o = std::get<ResizeOptions>(op.options);
        auto scale = [&](int32_t i, int32_t n) {
          return o.align_corners && n > 1 ? static_cast<float>(i - 1) / static_cast<float>(n - 1)
                                          : static_cast<float>(i) / static_cast<float>(n);
        };
        tml_resize_bilinear_f32_params_t p{};
        p.batches = in->shape[0]; p.in_height = in->shape[1]; p.in_width = in->shape[2];
        p.out_height = out_t->shape[1]; p.out_width = out_t->shape[2]; p.depth = in->shape[3];
        p.height_scale = scale(p.in_height, p.out_height);
        p.width_scale = scale(p.in_width, p.out_width);
        p.half_pixel_centers = o.half_pixel_centers ? 1 : 0;
        tml_resize_bilinear_f32(&p, F(in), out.data());
        break;
      }
      case kAdd:
        TINYMLC_RETURN_IF_ERROR(FoldFloatBinary(graph_, op, "add", &folded));
        break;
      case kMaximum:
      case kMinimum:
        TINYMLC_RETURN_IF_ERROR(FoldFloatMaximumMinimum(graph_, op, op.builtin_code == kMaximum, &folded));
        break;
      default: {
        const OpDef* def = FindOp(op.builtin_code);
        if (!def || !def->fold) return AtOp(Status::Error("internal error: no float evaluation"), op);
        TINYMLC_RETURN_IF_ERROR(def->fold(graph_, op, &folded));
        break;
      }
    }
    if (folded.empty()) folded.push_back(FloatBytes(out.data(), out.size()));
    if (folded.size() != op.outputs.size()) {
      return AtOp(Status::Error("internal error: float evaluation gave the wrong number of outputs"), op);
    }
    for (size_t k = 0; k < op.outputs.size(); ++k) {
      Tensor& t = graph_.tensors[op.outputs[k]];
      if (static_cast<int64_t>(folded[k].size()) != t.NumElements() * 4) {
        return AtOp(Status::Error("internal error: float evaluation gave the wrong size"), op);
      }
      t.data = std::move(folded[k]);
      t.is_constant = true;
      std::vector<float> v(static_cast<size_t>(t.NumElements()));
      if (!v.empty()) std::memcpy(v.data(), t.data.data(), t.data.size());
      visit(t.index, v.data(), v.size());
    }
  }
  return Status::Ok();
}

}  // namespace tinymlc
