// STRIDED_SLICE: constant int32 begin/end/strides, input rank <= 4, as TFLM micro:
// begin_mask, end_mask and shrink_axis_mask are honoured; ellipsis_mask,
// new_axis_mask and offset are ignored (TFLM's kernel zeroes them). The output shape
// is checked the way TFLM's Prepare does, the copied box is computed the way its
// kernel does (the two use slightly different index helpers). A shrunk axis must
// select exactly one element: TFLM writes nothing there otherwise (negative stride or
// begin out of range).
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 4;

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return std::max(lo, std::min(v, hi)); }

struct Spec {
  std::vector<int64_t> begin, end, strides;
  int begin_mask = 0, end_mask = 0, shrink_mask = 0;
  bool Bit(int mask, int axis) const { return (mask >> axis) & 1; }
};

// Prepare's helpers (strided_slice::StartForAxis / StopForAxis).
int64_t PrepareStart(const Spec& s, int64_t size, int axis) {
  if (size == 0) return 0;
  int64_t start = s.begin[axis];
  if (s.Bit(s.begin_mask, axis)) start = s.strides[axis] > 0 ? INT_MIN : INT_MAX;
  if (start < 0) start += size;
  return s.strides[axis] > 0 ? Clamp(start, 0, size) : Clamp(start, -1, size - 1);
}
int64_t PrepareStop(const Spec& s, int64_t size, int axis, int64_t start) {
  if (size == 0) return 0;
  if (s.Bit(s.shrink_mask, axis)) return start + 1;
  int64_t stop = s.end[axis];
  if (s.Bit(s.end_mask, axis)) stop = s.strides[axis] > 0 ? INT_MAX : INT_MIN;
  if (stop < 0) stop += size;
  return s.strides[axis] > 0 ? Clamp(stop, 0, size) : Clamp(stop, -1, size - 1);
}

// The kernel's helpers (StridedSliceStartForAxis / StridedSliceEndForAxis).
int64_t KernelStart(const Spec& s, int64_t size, int axis) {
  int64_t start = s.begin[axis];
  const int64_t stride = s.strides[axis];
  if (start < 0) start += size;
  start = stride > 0 ? Clamp(start, 0, size) : Clamp(start, -1, size - 1);
  if (s.Bit(s.begin_mask, axis)) start = stride > 0 ? 0 : size - 1;
  return start;
}
int64_t KernelEnd(const Spec& s, int64_t size, int axis, int64_t start) {
  if (s.Bit(s.shrink_mask, axis)) return start >= size ? start : start + 1;
  int64_t end = s.end[axis];
  const int64_t stride = s.strides[axis];
  if (end < 0) end += size;
  end = stride > 0 ? Clamp(end, 0, size) : Clamp(end, -1, size - 1);
  if (s.Bit(s.end_mask, axis)) end = stride > 0 ? size : -1;
  return end;
}

int64_t Iterations(int64_t start, int64_t stop, int64_t stride) {
  int64_t n = 0;
  for (int64_t i = start; stride > 0 ? i < stop : i > stop; i += stride) ++n;
  return n;
}

Result<SliceBox> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 4, 4, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32, DType::kBool},
      folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const int rank = static_cast<int>(input->shape.size());
  if (rank > kMaxRank) {
    return ctx.Error(fmt::format("input rank {} is above TFLM's limit of {}", rank, kMaxRank), input);
  }
  Spec s;
  const char* names[3] = {"begin", "end", "strides"};
  std::vector<int64_t>* dest[3] = {&s.begin, &s.end, &s.strides};
  for (int k = 0; k < 3; ++k) {
    auto v = ConstInts(ctx, ctx.In(k + 1), names[k]);
    if (!v.ok()) return v.status();
    if (static_cast<int>(v->size()) != rank) {
      return ctx.Error(fmt::format("{} has {} values, the input rank is {}", names[k], v->size(),
                                   rank),
                       ctx.In(k + 1));
    }
    *dest[k] = v.value();
  }
  const auto& o = std::get<StridedSliceOptions>(ctx.op().options);
  s.begin_mask = o.begin_mask;
  s.end_mask = o.end_mask;
  s.shrink_mask = o.shrink_axis_mask;

  // Prepare: the output shape.
  std::vector<int32_t> want;
  for (int d = 0; d < rank; ++d) {
    if (s.strides[d] == 0) return ctx.Error(fmt::format("stride {} is 0", d), ctx.In(3));
    const int64_t begin = PrepareStart(s, input->shape[d], d);
    const int64_t end = PrepareStop(s, input->shape[d], d, begin);
    if (!s.Bit(s.shrink_mask, d)) {
      const float q = static_cast<float>(end - begin) / static_cast<float>(s.strides[d]);
      want.push_back(std::max(0, static_cast<int32_t>(std::ceil(q))));
    }
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));

  // The kernel: the box it copies.
  SliceBox box;
  for (int d = 0; d < rank; ++d) {
    const int64_t start = KernelStart(s, input->shape[d], d);
    const int64_t stop = KernelEnd(s, input->shape[d], d, start);
    const int64_t n = Iterations(start, stop, s.strides[d]);
    if (s.Bit(s.shrink_mask, d) && n != 1) {
      return ctx.Error(fmt::format("shrink_axis_mask axis {} selects {} elements (begin {}, "
                                   "stride {}); TFLM would leave the output unwritten",
                                   d, n, s.begin[d], s.strides[d]),
                       ctx.In(1));
    }
    box.start.push_back(start);
    box.stride.push_back(s.strides[d]);
    box.count.push_back(n);
  }
  int64_t elements = 1;
  for (int64_t n : box.count) elements *= n;
  if (elements != output->NumElements()) {
    return ctx.Error(fmt::format("TFLM's kernel would write {} elements, the output has {}",
                                 elements, output->NumElements()),
                     output);
  }
  return box;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto box = Analyze(ctx, /*folding=*/false);
  if (!box.ok()) return box.status();
  return EmitSliceBox(ctx, box.value(), out);
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto box = Analyze(ctx, /*folding=*/true);
  if (!box.ok()) return box.status();
  out->push_back(FoldSliceBox(*ctx.In(0), box.value()));
  return Status::Ok();
}

}  // namespace

extern const OpDef kStridedSlice = {45, "STRIDED_SLICE", "int8, int16, int32, float32, bool",
    Lower, nullptr, Fold};

}  // namespace tinymlc
