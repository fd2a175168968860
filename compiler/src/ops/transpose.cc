// TRANSPOSE: constant permutation, rank <= 5 (TFLM's limits); float32, int8, int16.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 5;

Result<std::vector<int>> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16}, folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const int rank = static_cast<int>(input->shape.size());
  if (rank > kMaxRank) {
    return ctx.Error(fmt::format("rank {} is above TFLM's limit of {}", rank, kMaxRank), input);
  }
  auto perm = ConstInts(ctx, ctx.In(1), "perm");
  if (!perm.ok()) return perm.status();
  if (ctx.In(1)->shape.size() != 1 || static_cast<int>(perm->size()) != rank) {
    return ctx.Error(fmt::format("perm must be 1-D with {} values", rank), ctx.In(1));
  }
  std::vector<int> p(rank);
  std::vector<bool> seen(rank, false);
  std::vector<int32_t> want(rank);
  for (int d = 0; d < rank; ++d) {
    const int64_t v = perm.value()[d];
    if (v < 0 || v >= rank || seen[v]) {
      return ctx.Error(fmt::format("perm [{}] is not a permutation of 0..{}",
                                   fmt::join(perm.value(), ","), rank - 1),
                       ctx.In(1));
    }
    seen[v] = true;
    p[d] = static_cast<int>(v);
    want[d] = input->shape[v];
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  return p;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto perm = Analyze(ctx, /*folding=*/false);
  if (!perm.ok()) return perm.status();
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const int64_t es = static_cast<int64_t>(DTypeSize(input->dtype));
  const std::vector<int64_t> in_strides = RowMajorStrides(input->shape);
  std::vector<int32_t> step;
  for (int d : perm.value()) {
    auto s = FitsInt32(ctx, in_strides[d] * es, "input stride in bytes");
    if (!s.ok()) return s.status();
    step.push_back(s.value());
  }
  out->kernels = {"tml_transpose.h"};
  out->decls = CStruct("tml_transpose_params_t", ctx.Sym("params"))
                   .Field("elem_size", es)
                   .Field("out_dims", CInts(PadFront(output->shape, kMaxRank)))
                   .Field("in_step", CInts(PadFront(step, kMaxRank, 0)))
                   .Str();
  out->body = fmt::format("tml_transpose(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto perm = Analyze(ctx, /*folding=*/true);
  if (!perm.ok()) return perm.status();
  const Tensor* input = ctx.In(0);
  const std::vector<int64_t> in_strides = RowMajorStrides(input->shape);
  std::vector<int64_t> src;
  ForEachIndex(ctx.Out(0)->shape, [&](const std::vector<int32_t>& i) {
    int64_t s = 0;
    for (size_t d = 0; d < i.size(); ++d) s += i[d] * in_strides[perm.value()[d]];
    src.push_back(s);
  });
  out->push_back(CopyElements(input->data, src, DTypeSize(input->dtype)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kTranspose = {39, "TRANSPOSE", "int8, int16, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
