#include "ops/shape_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "ops/op_util.h"

namespace tinymlc {

Status CheckMovementType(const LowerContext& ctx, const Tensor* t,
                         std::initializer_list<DType> allowed, bool folding) {
  if (t == nullptr) return ctx.Error("a required input is missing (tensor index -1)");
  if (folding && DTypeSize(t->dtype) > 0) return Status::Ok();
  for (DType d : allowed) {
    if (t->dtype == d) return Status::Ok();
  }
  std::vector<std::string> names;
  for (DType d : allowed) names.push_back(DTypeName(d));
  return ctx.Error(fmt::format("dtype {} is not supported here (TFLM's kernel takes {})",
                               t->dtype == DType::kUnsupported
                                   ? fmt::format("#{}", t->tflite_type)
                                   : std::string(DTypeName(t->dtype)),
                               fmt::join(names, ", ")),
                   t);
}

Status CheckSameType(const LowerContext& ctx, const Tensor* a, const Tensor* b) {
  if (a->dtype != b->dtype) {
    return ctx.Error(fmt::format("dtype {} differs from the input's {}", DTypeName(b->dtype),
                                 DTypeName(a->dtype)),
                     b);
  }
  return Status::Ok();
}

Result<std::vector<int64_t>> ConstInts(const LowerContext& ctx, const Tensor* t, const char* what,
                                       bool allow_int64) {
  if (!t->is_constant) {
    return ctx.Error(fmt::format("{} must be a constant tensor", what), t);
  }
  if (t->dtype != DType::kInt32 && !(allow_int64 && t->dtype == DType::kInt64)) {
    return ctx.Error(fmt::format("{} has dtype {}, expected int32{}", what, DTypeName(t->dtype),
                                 allow_int64 ? " or int64" : ""),
                     t);
  }
  const size_t es = DTypeSize(t->dtype);
  const size_t n = static_cast<size_t>(t->NumElements());
  if (t->data.size() < n * es) return ctx.Error(fmt::format("{} has too little data", what), t);
  std::vector<int64_t> v(n);
  for (size_t i = 0; i < n; ++i) {
    if (es == 4) {
      int32_t x;
      std::memcpy(&x, t->data.data() + i * 4, 4);
      v[i] = x;
    } else {
      std::memcpy(&v[i], t->data.data() + i * 8, 8);
    }
  }
  return v;
}

Result<int> ResolveAxis(const LowerContext& ctx, int64_t axis, int rank, const char* what,
                        const Tensor* t) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    return ctx.Error(fmt::format("{} {} is out of range for rank {}", what, axis, rank), t);
  }
  return static_cast<int>(a);
}

int64_t DimProduct(const std::vector<int32_t>& shape, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end && i < shape.size(); ++i) p *= shape[i];
  return p;
}

std::vector<int64_t> RowMajorStrides(const std::vector<int32_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

std::vector<int32_t> PadFront(const std::vector<int32_t>& shape, size_t rank, int32_t fill) {
  std::vector<int32_t> out(rank > shape.size() ? rank - shape.size() : 0, fill);
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

std::string CInts(const std::vector<int32_t>& v) { return fmt::format("{{{}}}", fmt::join(v, ", ")); }

Result<int32_t> FitsInt32(const LowerContext& ctx, int64_t v, const char* what) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return ctx.Error(fmt::format("{} ({}) does not fit in int32", what, v));
  }
  return static_cast<int32_t>(v);
}

AxisBlocks BlocksAlongAxis(const Tensor& whole, const std::vector<const Tensor*>& parts,
                           int axis) {
  AxisBlocks b;
  b.outer = DimProduct(whole.shape, 0, static_cast<size_t>(axis));
  const int64_t es = static_cast<int64_t>(DTypeSize(whole.dtype));
  for (const Tensor* t : parts) {
    // Everything after the axis, the part's own extent along it (1 for PACK/UNPACK,
    // whose parts lack the axis: their size over outer is the same thing).
    b.block_bytes.push_back(t->NumElements() / std::max<int64_t>(b.outer, 1) * es);
  }
  return b;
}

namespace {
Result<std::string> BlockArray(const LowerContext& ctx, const AxisBlocks& blocks) {
  std::vector<int32_t> v;
  for (int64_t n : blocks.block_bytes) {
    auto x = FitsInt32(ctx, n, "block size in bytes");
    if (!x.ok()) return x.status();
    v.push_back(x.value());
  }
  return CArray("int32_t", ctx.Sym("block_bytes"), v);
}
}  // namespace

Status EmitJoin(LowerContext& ctx, const AxisBlocks& blocks, LayerCode* out) {
  auto arr = BlockArray(ctx, blocks);
  if (!arr.ok()) return arr.status();
  std::vector<std::string> ptrs;
  for (int i = 0; i < ctx.NumInputs(); ++i) ptrs.push_back(ctx.Ptr(ctx.In(i)));
  out->kernels = {"tml_concatenation.h"};
  out->decls = arr.value() + CStruct("tml_concatenation_params_t", ctx.Sym("params"))
                                 .Field("num_inputs", ctx.NumInputs())
                                 .Field("outer_size", blocks.outer)
                                 .Field("copy_bytes", ctx.Sym("block_bytes"))
                                 .Str();
  out->body = fmt::format(
      "{{\n    const void *const inputs[{}] = {{{}}};\n    tml_concatenation(&{}, inputs, {});\n  }}",
      ptrs.size(), fmt::join(ptrs, ", "), ctx.Sym("params"), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status EmitSplit(LowerContext& ctx, int input_index, const AxisBlocks& blocks, LayerCode* out) {
  auto arr = BlockArray(ctx, blocks);
  if (!arr.ok()) return arr.status();
  std::vector<std::string> ptrs;
  for (int i = 0; i < ctx.NumOutputs(); ++i) ptrs.push_back(ctx.Ptr(ctx.Out(i)));
  out->kernels = {"tml_split.h"};
  out->decls = arr.value() + CStruct("tml_split_params_t", ctx.Sym("params"))
                                 .Field("num_outputs", ctx.NumOutputs())
                                 .Field("outer_size", blocks.outer)
                                 .Field("copy_bytes", ctx.Sym("block_bytes"))
                                 .Str();
  out->body = fmt::format(
      "{{\n    void *const outputs[{}] = {{{}}};\n    tml_split(&{}, {}, outputs);\n  }}",
      ptrs.size(), fmt::join(ptrs, ", "), ctx.Sym("params"), ctx.Ptr(ctx.In(input_index)));
  return Status::Ok();
}

std::vector<uint8_t> JoinBytes(const std::vector<const Tensor*>& parts, const AxisBlocks& blocks) {
  std::vector<uint8_t> out;
  for (int64_t k = 0; k < blocks.outer; ++k) {
    for (size_t i = 0; i < parts.size(); ++i) {
      const auto first = parts[i]->data.begin() + k * blocks.block_bytes[i];
      out.insert(out.end(), first, first + blocks.block_bytes[i]);
    }
  }
  return out;
}

FoldedOutputs SplitBytes(const Tensor& whole, const AxisBlocks& blocks) {
  FoldedOutputs out(blocks.block_bytes.size());
  auto from = whole.data.begin();
  for (int64_t k = 0; k < blocks.outer; ++k) {
    for (size_t i = 0; i < blocks.block_bytes.size(); ++i) {
      out[i].insert(out[i].end(), from, from + blocks.block_bytes[i]);
      from += blocks.block_bytes[i];
    }
  }
  return out;
}

Status EmitSliceBox(LowerContext& ctx, const SliceBox& box, LayerCode* out) {
  constexpr size_t kRank = 5;
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const int64_t es = static_cast<int64_t>(DTypeSize(input->dtype));
  if (output->NumElements() == 0) {
    out->body = "/* empty output: nothing to copy */";
    return Status::Ok();
  }
  const std::vector<int64_t> in_strides = RowMajorStrides(input->shape);
  int64_t start = 0;
  std::vector<int32_t> count, step;
  for (size_t d = 0; d < box.start.size(); ++d) {
    start += box.start[d] * in_strides[d] * es;
    auto s = FitsInt32(ctx, box.stride[d] * in_strides[d] * es, "input step in bytes");
    if (!s.ok()) return s.status();
    step.push_back(s.value());
    count.push_back(static_cast<int32_t>(box.count[d]));
  }
  auto start32 = FitsInt32(ctx, start, "input offset in bytes");
  if (!start32.ok()) return start32.status();
  out->kernels = {"tml_strided_slice.h"};
  out->decls = CStruct("tml_strided_slice_params_t", ctx.Sym("params"))
                   .Field("elem_size", es)
                   .Field("start", start32.value())
                   .Field("count", CInts(PadFront(count, kRank)))
                   .Field("step", CInts(PadFront(step, kRank, 0)))
                   .Str();
  out->body = fmt::format("tml_strided_slice(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

std::vector<uint8_t> FoldSliceBox(const Tensor& input, const SliceBox& box) {
  const std::vector<int64_t> in_strides = RowMajorStrides(input.shape);
  std::vector<int32_t> counts(box.count.begin(), box.count.end());
  std::vector<int64_t> src;
  ForEachIndex(counts, [&](const std::vector<int32_t>& i) {
    int64_t s = 0;
    for (size_t d = 0; d < i.size(); ++d) s += (box.start[d] + i[d] * box.stride[d]) * in_strides[d];
    src.push_back(s);
  });
  return CopyElements(input.data, src, DTypeSize(input.dtype));
}

std::vector<uint8_t> CopyElements(const std::vector<uint8_t>& data,
                                  const std::vector<int64_t>& src, size_t elem_size,
                                  const uint8_t* pad) {
  std::vector<uint8_t> out(src.size() * elem_size);
  for (size_t i = 0; i < src.size(); ++i) {
    const uint8_t* from = src[i] < 0 ? pad : data.data() + static_cast<size_t>(src[i]) * elem_size;
    if (from == nullptr) continue;  // padding without a pad value: zero bytes
    std::memcpy(out.data() + i * elem_size, from, elem_size);
  }
  return out;
}

}  // namespace tinymlc
