// Graph validation after import (ValidateGraph, declared in importer.h). The model file
// is untrusted: the flatbuffers Verifier only guarantees that reading it stays inside the
// buffer. Everything below checks what the later stages rely on, so that no bad model
// can crash the compiler, make it allocate without bound, or produce C that reads or
// writes out of bounds. Per-operator rules (input counts, ranks, dtypes, shapes,
// operator-specific quantization) are checked by each op's Lower() (src/ops/).
//
// Order: limits; every tensor that the graph uses (shape, quantization); graph inputs and
// outputs; operator options; data flow (read before written, written twice).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "tinymlc/importer.h"

namespace tinymlc {
namespace {

constexpr int kMaxIoRank = 8;  // TINYML_MAX_RANK in runtime_stub/tinyml_runtime.h

Status TensorError(const std::string& msg, const Tensor& t) {
  return AtTensor(Status::Error(msg), t);
}

struct ZeroPointRange {
  int64_t min, max;
};
ZeroPointRange ZeroPointRangeOf(DType t) {
  switch (t) {
    case DType::kInt8: return {-128, 127};
    case DType::kUInt8: return {0, 255};
    case DType::kInt16: return {-32768, 32767};
    default: return {INT32_MIN, INT32_MAX};  // the IR keeps zero points as int32
  }
}

bool IsQuantizedIntType(DType t) {
  return t == DType::kInt8 || t == DType::kUInt8 || t == DType::kInt16;
}

Status CheckTensor(const Tensor& t) {
  // Dimensions: negative ones and byte sizes over 2^31 are refused by the importer.
  if (!t.is_constant) {
    for (size_t d = 0; d < t.shape.size(); ++d) {
      if (t.shape[d] == 0) {
        return TensorError(fmt::format("dimension {} of shape [{}] is 0: empty tensors are not "
                                       "supported",
                                       d, fmt::join(t.shape, ",")),
                           t);
      }
    }
  }
  const Quantization& q = t.quant;
  for (size_t i = 0; i < q.scale.size(); ++i) {
    const float s = q.scale[i];
    if (!std::isfinite(s)) return TensorError(fmt::format("scale[{}] = {} is not finite", i, s), t);
    if (s < 0.0f || (s == 0.0f && IsQuantizedIntType(t.dtype))) {
      return TensorError(fmt::format("scale[{}] = {} is not positive", i, s), t);
    }
  }
  const ZeroPointRange zr = ZeroPointRangeOf(t.dtype);
  for (size_t i = 0; i < q.zero_point.size(); ++i) {
    if (q.zero_point[i] < zr.min || q.zero_point[i] > zr.max) {
      return TensorError(fmt::format("zero point[{}] = {} is outside the range of {} [{}, {}]", i,
                                     q.zero_point[i], DTypeName(t.dtype), zr.min, zr.max),
                         t);
    }
  }
  if (q.scale.size() > 1) {
    const int rank = static_cast<int>(t.shape.size());
    // A rank-1 tensor with one scale per element (a per-channel bias): TFLM never reads
    // its quantized_dimension (TFLite files carry e.g. 3 there, the filter's axis).
    const bool per_element = rank == 1 && static_cast<int64_t>(q.scale.size()) == t.shape[0];
    if (!per_element && (q.axis < 0 || q.axis >= rank)) {
      return TensorError(fmt::format("per-channel quantization along dimension {}, but the "
                                     "tensor has rank {}",
                                     q.axis, rank),
                         t);
    }
    if (!per_element && static_cast<int64_t>(q.scale.size()) != t.shape[static_cast<size_t>(q.axis)]) {
      return TensorError(fmt::format("{} per-channel scales, but dimension {} has {} channels",
                                     q.scale.size(), q.axis, t.shape[static_cast<size_t>(q.axis)]),
                         t);
    }
  }
  return Status::Ok();
}

// Options that TFLM would reject (or divide by), whatever the operator does with them.
template <typename T, typename = void>
struct HasActivation : std::false_type {};
template <typename T>
struct HasActivation<T, std::void_t<decltype(std::declval<T>().activation)>> : std::true_type {};

Status CheckStrideDilation(int32_t stride_h, int32_t stride_w, int32_t dilation_h,
                           int32_t dilation_w) {
  if (stride_h < 1 || stride_w < 1) {
    return Status::Error(fmt::format("stride {}x{} is invalid (must be >= 1)", stride_h, stride_w));
  }
  if (dilation_h < 1 || dilation_w < 1) {
    return Status::Error(
        fmt::format("dilation {}x{} is invalid (must be >= 1)", dilation_h, dilation_w));
  }
  return Status::Ok();
}

// Kernels compute window positions (out * stride - pad + k * dilation) in int32: refuse
// options that, with these shapes, could leave int32. Covers any padding, since the
// padding never exceeds the effective filter size.
Status CheckWindow(const char* dim, int64_t in_size, int64_t filter, int64_t stride,
                   int64_t dilation) {
  const int64_t reach = in_size * stride + (filter - 1) * dilation + stride + 1;
  if (filter < 0 || reach >= (int64_t{1} << 31)) {
    return Status::Error(fmt::format("{}: input size {}, filter size {}, stride {} and dilation "
                                     "{} overflow 32-bit window arithmetic",
                                     dim, in_size, filter, stride, dilation));
  }
  return Status::Ok();
}

// Spatial sizes of a rank-4 NHWC tensor, or nothing (the op itself rejects other ranks).
bool SpatialDims(const Graph& g, const Operator& op, size_t input, int64_t* h, int64_t* w,
                 size_t first_dim = 1) {
  if (input >= op.inputs.size()) return false;
  const Tensor* t = g.TensorOrNull(op.inputs[input]);
  if (!t || t->shape.size() != 4) return false;
  *h = t->shape[first_dim];
  *w = t->shape[first_dim + 1];
  return true;
}

Status CheckWindows(const Graph& g, const Operator& op) {
  int64_t in_h, in_w, f_h, f_w;
  if (const auto* c = std::get_if<Conv2DOptions>(&op.options)) {
    if (SpatialDims(g, op, 0, &in_h, &in_w) && SpatialDims(g, op, 1, &f_h, &f_w)) {
      TINYMLC_RETURN_IF_ERROR(CheckWindow("height", in_h, f_h, c->stride_h, c->dilation_h));
      return CheckWindow("width", in_w, f_w, c->stride_w, c->dilation_w);
    }
  } else if (const auto* d = std::get_if<DepthwiseConv2DOptions>(&op.options)) {
    if (SpatialDims(g, op, 0, &in_h, &in_w) && SpatialDims(g, op, 1, &f_h, &f_w)) {
      TINYMLC_RETURN_IF_ERROR(CheckWindow("height", in_h, f_h, d->stride_h, d->dilation_h));
      return CheckWindow("width", in_w, f_w, d->stride_w, d->dilation_w);
    }
  } else if (const auto* p = std::get_if<Pool2DOptions>(&op.options)) {
    if (SpatialDims(g, op, 0, &in_h, &in_w)) {
      TINYMLC_RETURN_IF_ERROR(CheckWindow("height", in_h, p->filter_h, p->stride_h, 1));
      return CheckWindow("width", in_w, p->filter_w, p->stride_w, 1);
    }
  } else if (const auto* t = std::get_if<TransposeConvOptions>(&op.options)) {
    if (SpatialDims(g, op, 2, &in_h, &in_w) && SpatialDims(g, op, 1, &f_h, &f_w)) {
      TINYMLC_RETURN_IF_ERROR(CheckWindow("height", in_h, f_h, t->stride_h, 1));
      return CheckWindow("width", in_w, f_w, t->stride_w, 1);
    }
  }
  return Status::Ok();
}

Status CheckOptions(const Operator& op) {
  return std::visit(
      [&](const auto& o) -> Status {
        using T = std::decay_t<decltype(o)>;
        if constexpr (HasActivation<T>::value) {
          const int a = static_cast<int>(o.activation);
          if (a < static_cast<int>(Activation::kNone) || a > static_cast<int>(Activation::kSignBit)) {
            return Status::Error(fmt::format("unknown fused activation function {}", a));
          }
        }
        if constexpr (std::is_same_v<T, Conv2DOptions> || std::is_same_v<T, DepthwiseConv2DOptions>) {
          return CheckStrideDilation(o.stride_h, o.stride_w, o.dilation_h, o.dilation_w);
        } else if constexpr (std::is_same_v<T, TransposeConvOptions>) {
          return CheckStrideDilation(o.stride_h, o.stride_w, 1, 1);
        } else if constexpr (std::is_same_v<T, Pool2DOptions>) {
          TINYMLC_RETURN_IF_ERROR(CheckStrideDilation(o.stride_h, o.stride_w, 1, 1));
          if (o.filter_h < 1 || o.filter_w < 1) {
            return Status::Error(fmt::format("filter size {}x{} is invalid (must be >= 1)",
                                             o.filter_h, o.filter_w));
          }
        } else if constexpr (std::is_same_v<T, SoftmaxOptions>) {
          if (!std::isfinite(o.beta)) return Status::Error(fmt::format("beta {} is not finite", o.beta));
        } else if constexpr (std::is_same_v<T, LeakyReluOptions>) {
          if (!std::isfinite(o.alpha)) {
            return Status::Error(fmt::format("alpha {} is not finite", o.alpha));
          }
        } else if constexpr (std::is_same_v<T, SequenceLstmOptions>) {
          if (!std::isfinite(o.cell_clip) || !std::isfinite(o.proj_clip) || o.cell_clip < 0.0f ||
              o.proj_clip < 0.0f) {
            return Status::Error(fmt::format("clip values {} and {} must be finite and >= 0",
                                             o.cell_clip, o.proj_clip));
          }
        }
        return Status::Ok();
      },
      op.options);
}

}  // namespace

Status ValidateGraph(const Graph& g) {
  if (g.tensors.size() > kMaxTensors) {
    return Status::Error(fmt::format("{} tensors: more than the {} supported", g.tensors.size(),
                                     kMaxTensors));
  }
  if (g.ops.size() > kMaxOperators) {
    return Status::Error(fmt::format("{} operators: more than the {} supported", g.ops.size(),
                                     kMaxOperators));
  }
  const int n = static_cast<int>(g.tensors.size());
  auto in_range = [n](int idx) { return idx >= 0 && idx < n; };
  for (const Operator& op : g.ops) {
    for (const std::vector<int>* list : {&op.inputs, &op.outputs}) {
      for (int idx : *list) {
        if (idx == -1 && list == &op.inputs) continue;  // an omitted optional input
        if (!in_range(idx)) {
          return Status::Error(fmt::format("{} tensor index {} out of range ({} tensors)",
                                           list == &op.inputs ? "input" : "output", idx, n))
              .WithSubgraph(op.subgraph).WithOp(op.local_index >= 0 ? op.local_index : op.index, op.name);
        }
      }
    }
  }
  for (const std::vector<int>* list : {&g.inputs, &g.outputs}) {
    for (int idx : *list) {
      if (!in_range(idx)) {
        return Status::Error(fmt::format("graph {} tensor index {} out of range ({} tensors)",
                                         list == &g.inputs ? "input" : "output", idx, n));
      }
    }
  }

  // Tensors the graph uses (files may carry unused ones; nothing reads those).
  std::vector<int> user_op(n, -2);  // -2 unused, -1 graph input/output only, else first op
  for (const Operator& op : g.ops) {
    for (const std::vector<int>* list : {&op.inputs, &op.outputs}) {
      for (int idx : *list) {
        if (idx >= 0 && user_op[idx] == -2) user_op[idx] = op.index;
      }
    }
  }
  for (const std::vector<int>* list : {&g.inputs, &g.outputs}) {
    for (int idx : *list) user_op[idx] = std::max(user_op[idx], -1);
  }
  for (const Tensor& t : g.tensors) {
    if (user_op[t.index] == -2) continue;
    Status s = CheckTensor(t);
    if (!s.ok()) {
      if (user_op[t.index] >= 0) AtOp(s, g.ops[user_op[t.index]]);
      return s;
    }
  }
  for (const std::vector<int>* list : {&g.inputs, &g.outputs}) {
    for (int idx : *list) {
      const Tensor& t = g.tensors[idx];
      // Operators check the dtypes they read and write; a graph input or output that no
      // operator touches must be checked here (found by fuzzing: an unsupported dtype
      // reached the emitter as a 0-byte element type).
      if (t.dtype == DType::kUnsupported || t.dtype == DType::kInt4) {
        return TensorError(fmt::format("graph {} has an unsupported dtype",
                                       list == &g.inputs ? "input" : "output"),
                           t);
      }
      if (t.shape.size() > static_cast<size_t>(kMaxIoRank)) {
        return TensorError(fmt::format("graph {} has rank {}; the generated API supports at most {}",
                                       list == &g.inputs ? "input" : "output", t.shape.size(),
                                       kMaxIoRank),
                           t);
      }
    }
  }
  for (const Operator& op : g.ops) {
    Status s = CheckOptions(op);
    if (s.ok()) s = CheckWindows(g, op);
    if (!s.ok()) return AtOp(s, op);
  }

  // Data flow: operators run in file order, so every tensor an operator reads must be a
  // constant, a variable, a graph input or the output of an earlier operator. This also
  // rules out cycles.
  std::vector<int> producer(n, -1);
  std::vector<bool> available(n, false);
  for (const Tensor& t : g.tensors) available[t.index] = t.is_constant || t.is_variable;
  for (int idx : g.inputs) {
    const Tensor& t = g.tensors[idx];
    if (t.is_constant) return TensorError("graph input is a constant tensor", t);
    available[idx] = true;
  }
  // The other subgraphs' inputs are written by the operator that calls them.
  for (size_t k = 1; k < g.subgraphs.size(); ++k) {
    for (int idx : g.subgraphs[k].inputs) {
      const Tensor& t = g.tensors[idx];
      if (t.is_constant) return TensorError("subgraph input is a constant tensor", t);
      available[idx] = true;
    }
  }
  for (const Operator& op : g.ops) {
    for (int idx : op.inputs) {
      if (idx < 0) continue;
      if (!available[idx]) {
        const Tensor& t = g.tensors[idx];
        bool written_later = false;
        for (const Operator& later : g.ops) {
          if (later.index <= op.index) continue;
          for (int o : later.outputs) written_later |= o == idx;
        }
        return TensorError(written_later
                               ? "tensor is read before it is written (operators out of order, "
                                 "or a cycle)"
                               : "tensor is read but never written (not a graph input, constant "
                                 "or produced earlier)",
                           t)
            .WithSubgraph(op.subgraph).WithOp(op.local_index >= 0 ? op.local_index : op.index, op.name);
      }
    }
    for (int idx : op.outputs) {
      const Tensor& t = g.tensors[idx];
      if (t.is_constant) {
        return TensorError("operator writes a constant tensor", t).WithSubgraph(op.subgraph).WithOp(op.local_index >= 0 ? op.local_index : op.index, op.name);
      }
      if (producer[idx] >= 0 || (available[idx] && !t.is_variable)) {
        return TensorError(producer[idx] >= 0
                               ? fmt::format("tensor is written more than once (also by "
                                             "operator {})",
                                             producer[idx])
                               : "tensor is written more than once (it is a graph input)",
                           t)
            .WithSubgraph(op.subgraph).WithOp(op.local_index >= 0 ? op.local_index : op.index, op.name);
      }
      producer[idx] = op.index;
      available[idx] = true;
    }
  }
  for (int idx : g.outputs) {
    if (!available[idx]) return TensorError("graph output is never written", g.tensors[idx]);
  }
  for (size_t k = 1; k < g.subgraphs.size(); ++k) {
    for (int idx : g.subgraphs[k].outputs) {
      if (!available[idx]) return TensorError("subgraph output is never written", g.tensors[idx]);
    }
  }

  // Control flow: the subgraphs an operator calls exist and are not subgraph 0 (the
  // model itself); recursion and repeated calls are refused by the compiler
  // (passes/control_flow.h), which plans each subgraph at its one call site.
  if (!g.subgraphs.empty()) {
    const int num_sg = static_cast<int>(g.subgraphs.size());
    for (const Operator& op : g.ops) {
      std::vector<std::pair<const char*, int>> callees;
      if (const auto* o = std::get_if<CallOnceOptions>(&op.options)) {
        callees = {{"init", o->init_subgraph}};
      } else if (const auto* o = std::get_if<IfOptions>(&op.options)) {
        callees = {{"then", o->then_subgraph}, {"else", o->else_subgraph}};
      } else if (const auto* o = std::get_if<WhileOptions>(&op.options)) {
        callees = {{"cond", o->cond_subgraph}, {"body", o->body_subgraph}};
      }
      for (const auto& [what, k] : callees) {
        if (k < 1 || k >= num_sg) {
          return AtOp(Status::Error(fmt::format(
                          "{} subgraph index {} out of range (the model has {} subgraphs; "
                          "subgraph 0 is the model itself)",
                          what, k, num_sg)),
                      op);
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace tinymlc
