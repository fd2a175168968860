// UNPACK: a tensor cut into `num` slices along `axis`, which each output lacks (TFLM
// UnpackImpl: a byte copy).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Result<AxisBlocks> Analyze(const LowerContext& ctx, bool folding) {
  const auto& o = std::get<PackOptions>(ctx.op().options);
  if (ctx.NumInputs() != 1 || ctx.NumOutputs() < 1 || o.count != ctx.NumOutputs()) {
    return ctx.Error(fmt::format("num {} with {} inputs and {} outputs (expected 1 input and "
                                 "num outputs)",
                                 o.count, ctx.NumInputs(), ctx.NumOutputs()));
  }
  const Tensor* input = ctx.In(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32}, folding));
  const int rank = static_cast<int>(input->shape.size());
  auto axis = ResolveAxis(ctx, o.axis, rank, "axis");
  if (!axis.ok()) return axis.status();
  if (input->shape[axis.value()] != ctx.NumOutputs()) {
    return ctx.Error(fmt::format("input has {} along axis {}, expected {} (one per output)",
                                 input->shape[axis.value()], axis.value(), ctx.NumOutputs()),
                     input);
  }
  std::vector<int32_t> part_shape = input->shape;
  part_shape.erase(part_shape.begin() + axis.value());
  std::vector<const Tensor*> parts;
  for (int i = 0; i < ctx.NumOutputs(); ++i) {
    TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, ctx.Out(i)));
    TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, ctx.Out(i), part_shape));
    parts.push_back(ctx.Out(i));
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

extern const OpDef kUnpack = {88, "UNPACK", "int8, int16, int32, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
