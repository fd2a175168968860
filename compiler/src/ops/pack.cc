// PACK: values_count tensors of one shape stacked along a new axis (TFLM PackImpl:
// a byte copy; int8 quantization is not checked or changed).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Result<AxisBlocks> Analyze(const LowerContext& ctx, bool folding) {
  const auto& o = std::get<PackOptions>(ctx.op().options);
  if (ctx.NumInputs() < 1 || ctx.NumOutputs() != 1 || o.count != ctx.NumInputs()) {
    return ctx.Error(fmt::format("values_count {} with {} inputs and {} outputs (expected "
                                 "values_count inputs and 1 output)",
                                 o.count, ctx.NumInputs(), ctx.NumOutputs()));
  }
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, output, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      folding));
  const int rank = static_cast<int>(output->shape.size());
  auto axis = ResolveAxis(ctx, o.axis, rank, "axis");
  if (!axis.ok()) return axis.status();
  std::vector<int32_t> part_shape = output->shape;
  part_shape.erase(part_shape.begin() + axis.value());
  if (output->shape[axis.value()] != ctx.NumInputs()) {
    return ctx.Error(fmt::format("output has {} along axis {}, expected {} (one per input)",
                                 output->shape[axis.value()], axis.value(), ctx.NumInputs()),
                     output);
  }
  std::vector<const Tensor*> parts;
  for (int i = 0; i < ctx.NumInputs(); ++i) {
    const Tensor* in = ctx.In(i);
    if (!in) return ctx.Error(fmt::format("input {} is missing", i));
    TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, output, in));
    TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, in, part_shape));
    parts.push_back(in);
  }
  return BlocksAlongAxis(*output, parts, axis.value());
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto blocks = Analyze(ctx, /*folding=*/false);
  if (!blocks.ok()) return blocks.status();
  return EmitJoin(ctx, blocks.value(), out);
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto blocks = Analyze(ctx, /*folding=*/true);
  if (!blocks.ok()) return blocks.status();
  std::vector<const Tensor*> parts;
  for (int i = 0; i < ctx.NumInputs(); ++i) parts.push_back(ctx.In(i));
  out->push_back(JoinBytes(parts, blocks.value()));
  return Status::Ok();
}

}  // namespace

extern const OpDef kPack = {83, "PACK", "int8, int16, int32, int64, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
