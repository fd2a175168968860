// SLICE: constant begin and size (int32 or int64; size -1 = to the end), rank <= 5.
// TFLM only DCHECKs the ranges; the compiler requires the box to lie in the input.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 5;

Result<SliceBox> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32, DType::kBool},
      folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const int rank = static_cast<int>(input->shape.size());
  if (rank > kMaxRank) {
    return ctx.Error(fmt::format("rank {} is above TFLM's limit of {}", rank, kMaxRank), input);
  }
  auto begin = ConstInts(ctx, ctx.In(1), "begin", /*allow_int64=*/true);
  if (!begin.ok()) return begin.status();
  auto size = ConstInts(ctx, ctx.In(2), "size", /*allow_int64=*/true);
  if (!size.ok()) return size.status();
  if (ctx.In(1)->dtype != ctx.In(2)->dtype) {
    return ctx.Error("begin and size must have the same dtype", ctx.In(2));
  }
  if (static_cast<int>(begin->size()) != rank || static_cast<int>(size->size()) != rank) {
    return ctx.Error(fmt::format("begin and size need {} values each, have {} and {}", rank,
                                 begin->size(), size->size()),
                     ctx.In(1));
  }
  SliceBox box;
  std::vector<int32_t> want;
  for (int d = 0; d < rank; ++d) {
    const int64_t b = begin.value()[d];
    const int64_t n = size.value()[d] == -1 ? input->shape[d] - b : size.value()[d];
    if (b < 0 || n < 0 || b + n > input->shape[d]) {
      return ctx.Error(fmt::format("begin {} size {} is outside dimension {} of size {}", b,
                                   size.value()[d], d, input->shape[d]),
                       ctx.In(1));
    }
    box.start.push_back(b);
    box.stride.push_back(1);
    box.count.push_back(n);
    want.push_back(static_cast<int32_t>(n));
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
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

extern const OpDef kSlice = {65, "SLICE", "int8, int16, int32, float32, bool",
    Lower, nullptr, Fold};

}  // namespace tinymlc
