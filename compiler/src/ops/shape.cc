// SHAPE: the input's static shape as an int32 vector (TFLM supports only int32
// output). Always folded at compile time: it reads no input values (OpDef
// fold_reads_shapes_only), so it produces a constant even for an activation input.
#include <fmt/format.h>

#include <cstring>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Status Analyze(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt32));
  return CheckShape(ctx, output, {static_cast<int32_t>(ctx.In(0)->shape.size())});
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  (void)out;
  TINYMLC_RETURN_IF_ERROR(Analyze(ctx));
  // Only reached when folding was impossible (e.g. a variable output tensor).
  return ctx.Error("SHAPE must be evaluated at compile time; its output cannot be a variable",
                   ctx.Out(0));
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  TINYMLC_RETURN_IF_ERROR(Analyze(ctx));
  const std::vector<int32_t>& dims = ctx.In(0)->shape;
  std::vector<uint8_t> bytes(dims.size() * 4);
  if (!dims.empty()) std::memcpy(bytes.data(), dims.data(), bytes.size());
  out->push_back(std::move(bytes));
  return Status::Ok();
}

}  // namespace

extern const OpDef kShape = {77, "SHAPE", "any -> int32 (folded at compile time)",
    Lower, nullptr, Fold, /*fold_reads_shapes_only=*/true};

}  // namespace tinymlc
