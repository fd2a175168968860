// DEPTH_TO_SPACE: NHWC, channels spread into block x block patches (float32, int8).
#include <fmt/format.h>

#include <cstdint>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Result<int> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(ctx, input, {DType::kFloat32, DType::kInt8}, folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  const int block = std::get<BlockSizeOptions>(ctx.op().options).block_size;
  if (block < 1) return ctx.Error(fmt::format("block_size {} must be >= 1", block));
  const auto& s = input->shape;
  const int64_t area = int64_t{block} * block;
  if (s[3] % area != 0) {
    return ctx.Error(fmt::format("depth {} is not a multiple of block_size^2 = {}", s[3], area),
                     input);
  }
  const int64_t height = int64_t{s[1]} * block, width = int64_t{s[2]} * block;
  if (height > INT32_MAX || width > INT32_MAX) {
    return ctx.Error(fmt::format("block_size {} makes the output {}x{}: larger than int32", block,
                                 height, width),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {s[0], static_cast<int32_t>(height),
                                                   static_cast<int32_t>(width),
                                                   static_cast<int32_t>(s[3] / area)}));
  return block;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto block = Analyze(ctx, /*folding=*/false);
  if (!block.ok()) return block.status();
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  out->kernels = {"tml_depth_to_space.h"};
  out->decls = CStruct("tml_depth_to_space_params_t", ctx.Sym("params"))
                   .Field("batches", input->shape[0])
                   .Field("in_height", input->shape[1])
                   .Field("in_width", input->shape[2])
                   .Field("block", block.value())
                   .Field("depth_bytes", output->shape[3] * static_cast<int64_t>(DTypeSize(input->dtype)))
                   .Str();
  out->body = fmt::format("tml_depth_to_space(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto block = Analyze(ctx, /*folding=*/true);
  if (!block.ok()) return block.status();
  const Tensor* input = ctx.In(0);
  const int bs = block.value();
  const int32_t depth = ctx.Out(0)->shape[3];
  const std::vector<int64_t> st = RowMajorStrides(input->shape);
  std::vector<int64_t> src;
  ForEachIndex(ctx.Out(0)->shape, [&](const std::vector<int32_t>& i) {
    src.push_back(i[0] * st[0] + (i[1] / bs) * st[1] + (i[2] / bs) * st[2] +
                  ((i[1] % bs) * bs + i[2] % bs) * depth + i[3]);
  });
  out->push_back(CopyElements(input->data, src, DTypeSize(input->dtype)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kDepthToSpace = {5, "DEPTH_TO_SPACE", "int8, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
