// SPACE_TO_DEPTH: NHWC, block x block patches moved into the channels (float32, int8).
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
  if (s[1] % block != 0 || s[2] % block != 0) {
    return ctx.Error(fmt::format("height {} and width {} must be multiples of block_size {}",
                                 s[1], s[2], block),
                     input);
  }
  // block <= 46340 keeps block^2 below 2^31 and the product below 2^62.
  const int64_t depth = block <= 46340 ? int64_t{s[3]} * block * block : INT64_MAX;
  if (depth > INT32_MAX) {
    return ctx.Error(fmt::format("block_size {} makes the output depth {}: larger than int32",
                                 block, depth),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {s[0], s[1] / block, s[2] / block,
                                                   static_cast<int32_t>(depth)}));
  return block;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto block = Analyze(ctx, /*folding=*/false);
  if (!block.ok()) return block.status();
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  out->kernels = {"tml_space_to_depth.h"};
  out->decls = CStruct("tml_space_to_depth_params_t", ctx.Sym("params"))
                   .Field("batches", output->shape[0])
                   .Field("out_height", output->shape[1])
                   .Field("out_width", output->shape[2])
                   .Field("block", block.value())
                   .Field("depth_bytes", input->shape[3] * static_cast<int64_t>(DTypeSize(input->dtype)))
                   .Str();
  out->body = fmt::format("tml_space_to_depth(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto block = Analyze(ctx, /*folding=*/true);
  if (!block.ok()) return block.status();
  const Tensor* input = ctx.In(0);
  const int bs = block.value();
  const int32_t depth = input->shape[3];
  const std::vector<int64_t> st = RowMajorStrides(input->shape);
  std::vector<int64_t> src;
  ForEachIndex(ctx.Out(0)->shape, [&](const std::vector<int32_t>& i) {
    const int32_t sub = i[3] / depth;
    src.push_back(i[0] * st[0] + (i[1] * bs + sub / bs) * st[1] + (i[2] * bs + sub % bs) * st[2] +
                  i[3] % depth);
  });
  out->push_back(CopyElements(input->data, src, DTypeSize(input->dtype)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSpaceToDepth = {26, "SPACE_TO_DEPTH", "int8, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
