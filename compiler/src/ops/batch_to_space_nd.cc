// BATCH_TO_SPACE_ND: 3-D NHC or 4-D NHWC (TFLM's limits), constant int32 block_shape
// and crops; float32 and int8. The output shape must be the one the block and crops
// give (TFLM trusts the model's output shape).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

struct B2S {
  int32_t block_h = 1, block_w = 1, crop_top = 0, crop_left = 0;
  std::vector<int32_t> in4, out4;  // NHWC, width 1 for 3-D
};

std::vector<int32_t> As4D(const std::vector<int32_t>& s) {
  return s.size() == 4 ? s : std::vector<int32_t>{s[0], s[1], 1, s[2]};
}

Result<B2S> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(ctx, input, {DType::kFloat32, DType::kInt8}, folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const int rank = static_cast<int>(input->shape.size());
  if (rank < 3 || rank > 4 || output->shape.size() != input->shape.size()) {
    return ctx.Error(fmt::format("input and output must both be 3-D or 4-D (ranks {} and {})",
                                 rank, output->shape.size()),
                     input);
  }
  const int spatial = rank - 2;
  auto block = ConstInts(ctx, ctx.In(1), "block_shape");
  if (!block.ok()) return block.status();
  auto crops = ConstInts(ctx, ctx.In(2), "crops");
  if (!crops.ok()) return crops.status();
  if (static_cast<int>(block->size()) != spatial || static_cast<int>(crops->size()) != 2 * spatial) {
    return ctx.Error(fmt::format("block_shape needs {} values and crops {} for rank {}", spatial,
                                 2 * spatial, rank),
                     ctx.In(1));
  }
  B2S g;
  g.in4 = As4D(input->shape);
  std::vector<int32_t> want = input->shape;
  int64_t block_count = 1;
  for (int d = 0; d < spatial; ++d) {
    const int64_t b = block.value()[d], c0 = crops.value()[2 * d], c1 = crops.value()[2 * d + 1];
    if (b < 1) return ctx.Error(fmt::format("block_shape[{}] = {} must be >= 1", d, b), ctx.In(1));
    if (c0 < 0 || c1 < 0 || c0 + c1 >= input->shape[d + 1] * b) {
      return ctx.Error(fmt::format("crops {} {} are invalid for dimension {}", c0, c1, d + 1),
                       ctx.In(2));
    }
    block_count *= b;
    want[d + 1] = static_cast<int32_t>(input->shape[d + 1] * b - c0 - c1);
  }
  if (input->shape[0] % block_count != 0) {
    return ctx.Error(fmt::format("batch {} is not a multiple of the block size {}",
                                 input->shape[0], block_count),
                     input);
  }
  want[0] = static_cast<int32_t>(input->shape[0] / block_count);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  g.out4 = As4D(output->shape);
  g.block_h = static_cast<int32_t>(block.value()[0]);
  g.block_w = spatial == 2 ? static_cast<int32_t>(block.value()[1]) : 1;
  g.crop_top = static_cast<int32_t>(crops.value()[0]);
  g.crop_left = spatial == 2 ? static_cast<int32_t>(crops.value()[2]) : 0;
  return g;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto g = Analyze(ctx, /*folding=*/false);
  if (!g.ok()) return g.status();
  const Tensor* input = ctx.In(0);
  out->kernels = {"tml_batch_to_space_nd.h"};
  out->decls = CStruct("tml_batch_to_space_nd_params_t", ctx.Sym("params"))
                   .Field("in_batches", g->in4[0])
                   .Field("in_height", g->in4[1])
                   .Field("in_width", g->in4[2])
                   .Field("out_batches", g->out4[0])
                   .Field("out_height", g->out4[1])
                   .Field("out_width", g->out4[2])
                   .Field("block_height", g->block_h)
                   .Field("block_width", g->block_w)
                   .Field("crop_top", g->crop_top)
                   .Field("crop_left", g->crop_left)
                   .Field("depth_bytes", g->in4[3] * static_cast<int64_t>(DTypeSize(input->dtype)))
                   .Str();
  out->body = fmt::format("tml_batch_to_space_nd(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto g = Analyze(ctx, /*folding=*/true);
  if (!g.ok()) return g.status();
  const std::vector<int64_t> st = RowMajorStrides(g->in4);
  const int32_t out_batches = g->out4[0];
  std::vector<int64_t> src;
  // Output (b, h, w, c) comes from input batch (block position) * out_batches + b.
  ForEachIndex(g->out4, [&](const std::vector<int32_t>& i) {
    const int32_t h = i[1] + g->crop_top, w = i[2] + g->crop_left;
    const int32_t n = ((h % g->block_h) * g->block_w + w % g->block_w) * out_batches + i[0];
    src.push_back(n * st[0] + (h / g->block_h) * st[1] + (w / g->block_w) * st[2] + i[3]);
  });
  out->push_back(CopyElements(ctx.In(0)->data, src, DTypeSize(ctx.In(0)->dtype)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kBatchToSpaceNd = {37, "BATCH_TO_SPACE_ND", "int8, float32",
    Lower, nullptr, Fold};

}  // namespace tinymlc
