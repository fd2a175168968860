// RESIZE_NEAREST_NEIGHBOR: NHWC, constant int32 size [height, width]; float32, int8,
// int16. TFLM picks the source row/column with float arithmetic (scale, offset 0.5
// with half_pixel_centers, round with align_corners else floor, clamp); the compiler
// evaluates that same float expression here and emits the picks as offset tables.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

// TFLM's GetNearestNeighbor, in float exactly as written there.
int32_t NearestSource(int32_t value, int32_t in_size, int32_t out_size, bool align_corners,
                      bool half_pixel_centers) {
  const float scale = (align_corners && out_size > 1)
                          ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                          : static_cast<float>(in_size) / static_cast<float>(out_size);
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  const float pos = (static_cast<float>(value) + offset) * scale;
  int32_t v = std::min(align_corners ? static_cast<int32_t>(std::round(pos))
                                     : static_cast<int32_t>(std::floor(pos)),
                       in_size - 1);
  if (half_pixel_centers) v = std::max<int32_t>(0, v);
  return v;
}

struct Picks {
  std::vector<int32_t> rows, cols;  // source row / column per output row / column
};

Result<Picks> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16}, folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  auto size = ConstInts(ctx, ctx.In(1), "size");
  if (!size.ok()) return size.status();
  if (ctx.In(1)->shape.size() != 1 || size->size() != 2) {
    return ctx.Error("size must be 1-D with 2 values (height, width)", ctx.In(1));
  }
  const int64_t out_h = size.value()[0], out_w = size.value()[1];
  if (out_h < 1 || out_w < 1) {
    return ctx.Error(fmt::format("size {}x{} is invalid", out_h, out_w), ctx.In(1));
  }
  const auto& s = input->shape;
  TINYMLC_RETURN_IF_ERROR(CheckShape(
      ctx, output, {s[0], static_cast<int32_t>(out_h), static_cast<int32_t>(out_w), s[3]}));
  const auto& o = std::get<ResizeOptions>(ctx.op().options);
  Picks p;
  for (int32_t y = 0; y < out_h; ++y) {
    p.rows.push_back(NearestSource(y, s[1], static_cast<int32_t>(out_h), o.align_corners,
                                   o.half_pixel_centers));
  }
  for (int32_t x = 0; x < out_w; ++x) {
    p.cols.push_back(NearestSource(x, s[2], static_cast<int32_t>(out_w), o.align_corners,
                                   o.half_pixel_centers));
  }
  for (int32_t v : p.rows) {
    if (v < 0) return ctx.Error("a source row falls outside the input (TFLM would read there)");
  }
  for (int32_t v : p.cols) {
    if (v < 0) return ctx.Error("a source column falls outside the input (TFLM would read there)");
  }
  return p;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto p = Analyze(ctx, /*folding=*/false);
  if (!p.ok()) return p.status();
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const int64_t pixel = input->shape[3] * static_cast<int64_t>(DTypeSize(input->dtype));
  auto batch_bytes = FitsInt32(ctx, pixel * input->shape[1] * input->shape[2], "image size in bytes");
  if (!batch_bytes.ok()) return batch_bytes.status();
  std::vector<int32_t> rows, cols;
  for (int32_t v : p->rows) rows.push_back(static_cast<int32_t>(v * pixel * input->shape[2]));
  for (int32_t v : p->cols) cols.push_back(static_cast<int32_t>(v * pixel));
  out->kernels = {"tml_resize_nearest_neighbor.h"};
  out->decls = CArray("int32_t", ctx.Sym("row_offset"), rows) +
               CArray("int32_t", ctx.Sym("col_offset"), cols) +
               CStruct("tml_resize_nearest_neighbor_params_t", ctx.Sym("params"))
                   .Field("batches", input->shape[0])
                   .Field("out_height", output->shape[1])
                   .Field("out_width", output->shape[2])
                   .Field("depth_bytes", pixel)
                   .Field("input_batch_bytes", batch_bytes.value())
                   .Field("row_offset", ctx.Sym("row_offset"))
                   .Field("col_offset", ctx.Sym("col_offset"))
                   .Str();
  out->body = fmt::format("tml_resize_nearest_neighbor(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(output));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto p = Analyze(ctx, /*folding=*/true);
  if (!p.ok()) return p.status();
  const Tensor* input = ctx.In(0);
  const std::vector<int64_t> st = RowMajorStrides(input->shape);
  std::vector<int64_t> src;
  ForEachIndex(ctx.Out(0)->shape, [&](const std::vector<int32_t>& i) {
    src.push_back(i[0] * st[0] + p->rows[i[1]] * st[1] + p->cols[i[2]] * st[2] + i[3]);
  });
  out->push_back(CopyElements(input->data, src, DTypeSize(input->dtype)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kResizeNearestNeighbor = {97, "RESIZE_NEAREST_NEIGHBOR", "int8, int16, float32",
    Lower, nullptr, Fold};

}  // namespace tinymlc
