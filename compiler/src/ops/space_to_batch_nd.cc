// SPACE_TO_BATCH_ND: 3-D NHC or 4-D NHWC (TFLM's limits), constant int32 block_shape
// and paddings; float32 and int8. The output shape must be the one the block and
// paddings give.
//
// Padding value: TFLM's reference kernel memsets padded cells with the low byte of
// SpaceToBatchParams::output_offset, but the micro kernel allocates those params in
// Init and never sets them: they hold whatever the fresh arena held there, 0 in
// TFLM's host runs (the golden data). So padded bytes are 0 -- not the zero point.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int32_t kPadByte = 0;

struct S2B {
  int32_t block_h = 1, block_w = 1, pad_top = 0, pad_left = 0;
  std::vector<int32_t> in4, out4;  // NHWC, width 1 for 3-D
};

std::vector<int32_t> As4D(const std::vector<int32_t>& s) {
  return s.size() == 4 ? s : std::vector<int32_t>{s[0], s[1], 1, s[2]};
}

Result<S2B> Analyze(const LowerContext& ctx, bool folding) {
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
  auto pads = ConstInts(ctx, ctx.In(2), "paddings");
  if (!pads.ok()) return pads.status();
  if (static_cast<int>(block->size()) != spatial || static_cast<int>(pads->size()) != 2 * spatial) {
    return ctx.Error(fmt::format("block_shape needs {} values and paddings {} for rank {}",
                                 spatial, 2 * spatial, rank),
                     ctx.In(1));
  }
  S2B g;
  g.in4 = As4D(input->shape);
  std::vector<int32_t> want = input->shape;
  int64_t block_count = 1;
  for (int d = 0; d < spatial; ++d) {
    const int64_t b = block.value()[d], p0 = pads.value()[2 * d], p1 = pads.value()[2 * d + 1];
    if (b < 1) return ctx.Error(fmt::format("block_shape[{}] = {} must be >= 1", d, b), ctx.In(1));
    const int64_t padded = input->shape[d + 1] + p0 + p1;
    if (p0 < 0 || p1 < 0 || padded % b != 0) {
      return ctx.Error(fmt::format("paddings {} {} are invalid for dimension {} with block {}", p0,
                                   p1, d + 1, b),
                       ctx.In(2));
    }
    block_count *= b;
    want[d + 1] = static_cast<int32_t>(padded / b);
  }
  want[0] = static_cast<int32_t>(input->shape[0] * block_count);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  g.out4 = As4D(output->shape);
  g.block_h = static_cast<int32_t>(block.value()[0]);
  g.block_w = spatial == 2 ? static_cast<int32_t>(block.value()[1]) : 1;
  g.pad_top = static_cast<int32_t>(pads.value()[0]);
  g.pad_left = spatial == 2 ? static_cast<int32_t>(pads.value()[2]) : 0;
  return g;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto g = Analyze(ctx, /*folding=*/false);
  if (!g.ok()) return g.status();
  const Tensor* input = ctx.In(0);
  out->kernels = {"tml_space_to_batch_nd.h"};
  out->decls = CStruct("tml_space_to_batch_nd_params_t", ctx.Sym("params"))
                   .Field("in_batches", g->in4[0])
                   .Field("in_height", g->in4[1])
                   .Field("in_width", g->in4[2])
                   .Field("out_batches", g->out4[0])
                   .Field("out_height", g->out4[1])
                   .Field("out_width", g->out4[2])
                   .Field("block_height", g->block_h)
                   .Field("block_width", g->block_w)
                   .Field("pad_top", g->pad_top)
                   .Field("pad_left", g->pad_left)
                   .Field("depth_bytes", g->in4[3] * static_cast<int64_t>(DTypeSize(input->dtype)))
                   .Field("pad_byte", kPadByte)
                   .Str();
  out->body = fmt::format("tml_space_to_batch_nd(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto g = Analyze(ctx, /*folding=*/true);
  if (!g.ok()) return g.status();
  const Tensor* input = ctx.In(0);
  const std::vector<int64_t> st = RowMajorStrides(g->in4);
  const int32_t in_batches = g->in4[0];
  std::vector<int64_t> src;
  ForEachIndex(g->out4, [&](const std::vector<int32_t>& i) {
    const int32_t pos = i[0] / in_batches;
    const int32_t h = i[1] * g->block_h + pos / g->block_w - g->pad_top;
    const int32_t w = i[2] * g->block_w + pos % g->block_w - g->pad_left;
    const bool inside = h >= 0 && h < g->in4[1] && w >= 0 && w < g->in4[2];
    src.push_back(inside ? (i[0] % in_batches) * st[0] + h * st[1] + w * st[2] + i[3] : -1);
  });
  const std::vector<uint8_t> pad(DTypeSize(input->dtype), static_cast<uint8_t>(kPadByte));
  out->push_back(CopyElements(input->data, src, pad.size(), pad.data()));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSpaceToBatchNd = {38, "SPACE_TO_BATCH_ND", "int8, float32",
    Lower, nullptr, Fold};

}  // namespace tinymlc
