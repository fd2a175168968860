// GATHER: slices of the input along `axis` picked by int32 indices, with TFLM's
// batch_dims; float32 and int8 data. The indices may be an activation: the kernel then
// checks them at run time and invoke returns TINYML_ERROR for one out of range (TFLM
// would read outside the input).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

struct GatherGeometry {
  int64_t batch = 1, outer = 1, axis_size = 1, inner = 1, coords = 1;
};

Result<GatherGeometry> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* indices = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, indices, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(
      CheckMovementType(ctx, input, {DType::kFloat32, DType::kInt8}, folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const auto& o = std::get<GatherOptions>(ctx.op().options);
  const int rank = static_cast<int>(input->shape.size());
  const int index_rank = static_cast<int>(indices->shape.size());
  auto axis = ResolveAxis(ctx, o.axis, rank, "axis");
  if (!axis.ok()) return axis.status();
  const int batch_dims = o.batch_dims < 0 ? o.batch_dims + index_rank : o.batch_dims;
  if (batch_dims < 0 || batch_dims > axis.value() || batch_dims >= rank ||
      batch_dims > index_rank) {
    return ctx.Error(fmt::format("batch_dims {} is invalid for axis {}, input rank {} and "
                                 "indices rank {}",
                                 o.batch_dims, axis.value(), rank, index_rank));
  }
  std::vector<int32_t> want;
  for (int i = 0; i < batch_dims; ++i) {
    if (input->shape[i] != indices->shape[i]) {
      return ctx.Error(fmt::format("batch dimension {}: input has {}, indices {}", i,
                                   input->shape[i], indices->shape[i]),
                       indices);
    }
  }
  for (int i = 0; i < axis.value(); ++i) want.push_back(input->shape[i]);
  for (int i = batch_dims; i < index_rank; ++i) want.push_back(indices->shape[i]);
  for (int i = axis.value() + 1; i < rank; ++i) want.push_back(input->shape[i]);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  GatherGeometry g;
  g.batch = DimProduct(input->shape, 0, batch_dims);
  g.outer = DimProduct(input->shape, batch_dims, axis.value());
  g.axis_size = input->shape[axis.value()];
  g.inner = DimProduct(input->shape, axis.value() + 1, rank);
  g.coords = DimProduct(indices->shape, batch_dims, index_rank);
  if (indices->is_constant) {
    auto values = ConstInts(ctx, indices, "indices");
    if (!values.ok()) return values.status();
    for (int64_t v : values.value()) {
      if (v < 0 || v >= g.axis_size) {
        return ctx.Error(fmt::format("index {} is outside [0, {})", v, g.axis_size), indices);
      }
    }
  }
  return g;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto g = Analyze(ctx, /*folding=*/false);
  if (!g.ok()) return g.status();
  auto inner_bytes = FitsInt32(
      ctx, g->inner * static_cast<int64_t>(DTypeSize(ctx.In(0)->dtype)), "slice size in bytes");
  if (!inner_bytes.ok()) return inner_bytes.status();
  out->kernels = {"tml_gather.h"};
  out->decls = CStruct("tml_gather_params_t", ctx.Sym("params"))
                   .Field("batch_size", g->batch)
                   .Field("outer_size", g->outer)
                   .Field("axis_size", g->axis_size)
                   .Field("coord_size", g->coords)
                   .Field("inner_bytes", inner_bytes.value())
                   .Str();
  out->body = fmt::format("if (tml_gather(&{}, {}, {}, {}) != 0) {{\n    return TINYML_ERROR;\n  }}",
                          ctx.Sym("params"), ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)),
                          ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto g = Analyze(ctx, /*folding=*/true);
  if (!g.ok()) return g.status();
  auto index = ConstInts(ctx, ctx.In(1), "indices");
  if (!index.ok()) return index.status();
  std::vector<int64_t> src;
  for (int64_t b = 0; b < g->batch; ++b) {
    for (int64_t o = 0; o < g->outer; ++o) {
      for (int64_t c = 0; c < g->coords; ++c) {
        const int64_t row = (b * g->outer + o) * g->axis_size + index.value()[b * g->coords + c];
        for (int64_t i = 0; i < g->inner; ++i) src.push_back(row * g->inner + i);
      }
    }
  }
  out->push_back(CopyElements(ctx.In(0)->data, src, DTypeSize(ctx.In(0)->dtype)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kGather = {36, "GATHER", "int8, float32 (int32 indices)", Lower, nullptr, Fold};

}  // namespace tinymlc
