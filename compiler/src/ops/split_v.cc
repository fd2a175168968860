// SPLIT_V: inputs (input, size_splits, axis); the input cut along a constant axis
// into parts of the given sizes (one may be -1: the rest). TFLM takes the sizes from
// the output shapes; the compiler also checks them against size_splits.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Result<AxisBlocks> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, ctx.NumOutputs()));
  if (ctx.NumOutputs() < 1) return ctx.Error("expects at least one output");
  const Tensor* input = ctx.In(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32}, folding));
  auto axis_values = ConstInts(ctx, ctx.In(2), "axis");
  if (!axis_values.ok()) return axis_values.status();
  if (axis_values->size() != 1) return ctx.Error("axis must hold one value", ctx.In(2));
  const int rank = static_cast<int>(input->shape.size());
  auto axis = ResolveAxis(ctx, axis_values.value()[0], rank, "axis", ctx.In(2));
  if (!axis.ok()) return axis.status();
  auto sizes = ConstInts(ctx, ctx.In(1), "size_splits", /*allow_int64=*/true);
  if (!sizes.ok()) return sizes.status();
  const int n = ctx.NumOutputs();
  if (static_cast<int>(sizes->size()) != n) {
    return ctx.Error(fmt::format("size_splits has {} values for {} outputs", sizes->size(), n),
                     ctx.In(1));
  }
  std::vector<const Tensor*> parts;
  int64_t total = 0;
  for (int i = 0; i < n; ++i) {
    const Tensor* o = ctx.Out(i);
    TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, o));
    std::vector<int32_t> want = input->shape;
    want[axis.value()] = o->shape.size() == input->shape.size() ? o->shape[axis.value()] : -1;
    TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, o, want));
    if (sizes.value()[i] != -1 && sizes.value()[i] != want[axis.value()]) {
      return ctx.Error(fmt::format("size_splits[{}] = {} but the output has {} along axis {}", i,
                                   sizes.value()[i], want[axis.value()], axis.value()),
                       o);
    }
    total += want[axis.value()];
    parts.push_back(o);
  }
  if (total != input->shape[axis.value()]) {
    return ctx.Error(fmt::format("outputs add up to {} along axis {}, input has {}", total,
                                 axis.value(), input->shape[axis.value()]),
                     input);
  }
  return BlocksAlongAxis(*input, parts, axis.value());
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto blocks = Analyze(ctx, /*folding=*/false);
  if (!blocks.ok()) return blocks.status();
  return EmitSplit(ctx, 0, blocks.value(), out);
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto blocks = Analyze(ctx, /*folding=*/true);
  if (!blocks.ok()) return blocks.status();
  *out = SplitBytes(*ctx.In(0), blocks.value());
  return Status::Ok();
}

}  // namespace

extern const OpDef kSplitV = {102, "SPLIT_V", "int8, int16, int32, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
