// SPLIT: inputs (axis, input); the input cut into NumOutputs() equal parts along a
// constant axis (TFLM SplitImpl: every output has output 0's size; num_splits is not
// read).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Result<AxisBlocks> Analyze(const LowerContext& ctx, bool folding) {
  if (ctx.NumInputs() != 2 || ctx.NumOutputs() < 1 || !ctx.In(0) || !ctx.In(1)) {
    return ctx.Error(fmt::format("expects inputs (axis, input) and at least one output, has {} "
                                 "inputs and {} outputs",
                                 ctx.NumInputs(), ctx.NumOutputs()));
  }
  const Tensor* input = ctx.In(1);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32}, folding));
  auto axis_values = ConstInts(ctx, ctx.In(0), "axis");
  if (!axis_values.ok()) return axis_values.status();
  if (axis_values->size() != 1) return ctx.Error("axis must hold one value", ctx.In(0));
  const int rank = static_cast<int>(input->shape.size());
  auto axis = ResolveAxis(ctx, axis_values.value()[0], rank, "axis", ctx.In(0));
  if (!axis.ok()) return axis.status();
  const int n = ctx.NumOutputs();
  if (input->shape[axis.value()] % n != 0) {
    return ctx.Error(fmt::format("dimension {} ({}) does not split into {} equal parts",
                                 axis.value(), input->shape[axis.value()], n),
                     input);
  }
  std::vector<int32_t> part_shape = input->shape;
  part_shape[axis.value()] /= n;
  std::vector<const Tensor*> parts;
  for (int i = 0; i < n; ++i) {
    TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, ctx.Out(i)));
    TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, ctx.Out(i), part_shape));
    parts.push_back(ctx.Out(i));
  }
  return BlocksAlongAxis(*input, parts, axis.value());
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto blocks = Analyze(ctx, /*folding=*/false);
  if (!blocks.ok()) return blocks.status();
  return EmitSplit(ctx, 1, blocks.value(), out);
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto blocks = Analyze(ctx, /*folding=*/true);
  if (!blocks.ok()) return blocks.status();
  *out = SplitBytes(*ctx.In(1), blocks.value());
  return Status::Ok();
}

}  // namespace

extern const OpDef kSplit = {49, "SPLIT", "int8, int16, int32, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
