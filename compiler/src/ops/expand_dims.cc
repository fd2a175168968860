// EXPAND_DIMS: inserts a size-1 dimension at a constant int32 axis; no code, the
// output aliases the input's memory (TFLM copies the bytes; float32, int8, int16).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Status Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16}, folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  auto axis = ConstInts(ctx, ctx.In(1), "axis");
  if (!axis.ok()) return axis.status();
  if (ctx.In(1)->shape.size() > 1 || axis->empty()) {
    return ctx.Error("axis must be a scalar or hold one value", ctx.In(1));
  }
  const int rank = static_cast<int>(input->shape.size());
  auto a = ResolveAxis(ctx, axis.value()[0], rank + 1, "axis", ctx.In(1));
  if (!a.ok()) return a.status();
  std::vector<int32_t> want = input->shape;
  want.insert(want.begin() + a.value(), 1);
  return CheckShape(ctx, output, want);
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(Analyze(ctx, /*folding=*/false));
  out->alias_of = ctx.In(0)->index;
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  TINYMLC_RETURN_IF_ERROR(Analyze(ctx, /*folding=*/true));
  out->push_back(ctx.In(0)->data);
  return Status::Ok();
}

}  // namespace

extern const OpDef kExpandDims = {70, "EXPAND_DIMS", "int8, int16, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
