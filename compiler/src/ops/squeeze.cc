// SQUEEZE: removes size-1 dimensions (those in squeeze_dims, or all of them); no
// code, the output aliases the input's memory (TFLM copies the bytes).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 8;

Status Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input,
      {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64, DType::kUInt8,
       DType::kBool},
      folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const int rank = static_cast<int>(input->shape.size());
  if (rank > kMaxRank) {
    return ctx.Error(fmt::format("rank {} is above TFLM's limit of {}", rank, kMaxRank), input);
  }
  const auto& o = std::get<SqueezeOptions>(ctx.op().options);
  std::vector<bool> squeeze(rank, false);
  if (o.squeeze_dims.empty()) {
    for (int d = 0; d < rank; ++d) squeeze[d] = input->shape[d] == 1;
  }
  for (int32_t dim : o.squeeze_dims) {
    auto d = ResolveAxis(ctx, dim, rank, "squeeze_dims entry");
    if (!d.ok()) return d.status();
    if (input->shape[d.value()] != 1) {
      return ctx.Error(fmt::format("squeeze_dims names dimension {} of size {}, not 1", d.value(),
                                   input->shape[d.value()]),
                       input);
    }
    squeeze[d.value()] = true;
  }
  std::vector<int32_t> want;
  for (int d = 0; d < rank; ++d) {
    if (!squeeze[d]) want.push_back(input->shape[d]);
  }
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

extern const OpDef kSqueeze = {43, "SQUEEZE", "any", Lower, nullptr, Fold};

}  // namespace tinymlc
