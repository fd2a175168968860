// GATHER_ND: slices of params (float32, int8) picked by int32 index tuples, as TFLM's
// kernel (index depth <= params rank and <= 5). The indices may be an activation: the
// kernel then checks them at run time and invoke returns TINYML_ERROR for one out of
// range (TFLM would read outside the params).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxDepth = 5;

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* params = ctx.In(0);
  const Tensor* indices = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(
      CheckMovementType(ctx, params, {DType::kFloat32, DType::kInt8}, /*folding=*/false));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, indices, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, params, output));
  const int rank = static_cast<int>(params->shape.size());
  const int index_rank = static_cast<int>(indices->shape.size());
  if (rank < 1) return ctx.Error("params must be at least a vector", params);
  if (index_rank < 1) return ctx.Error("indices must be at least a vector", indices);
  const int depth = indices->shape[index_rank - 1];
  if (depth > rank) {
    return ctx.Error(fmt::format("index depth {} is above the params rank {}", depth, rank),
                     indices);
  }
  if (depth > kMaxDepth) {
    return ctx.Error(fmt::format("index depth {} is above TFLM's limit of {}", depth, kMaxDepth),
                     indices);
  }
  std::vector<int32_t> want(indices->shape.begin(), indices->shape.end() - 1);
  want.insert(want.end(), params->shape.begin() + depth, params->shape.end());
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  const std::vector<int64_t> strides = RowMajorStrides(params->shape);
  std::vector<int32_t> dims(kMaxDepth, 0), steps(kMaxDepth, 0);
  for (int j = 0; j < depth; ++j) {
    dims[j] = params->shape[j];
    steps[j] = static_cast<int32_t>(strides[j]);
  }
  if (indices->is_constant) {
    auto values = ConstInts(ctx, indices, "indices");
    if (!values.ok()) return values.status();
    for (size_t i = 0; i < values->size(); ++i) {
      const int64_t v = values.value()[i];
      const int64_t bound = depth > 0 ? dims[i % static_cast<size_t>(depth)] : 0;
      if (v < 0 || v >= bound) {
        return ctx.Error(fmt::format("index {} is outside [0, {})", v, bound), indices);
      }
    }
  }
  auto slice_bytes = FitsInt32(
      ctx, DimProduct(params->shape, depth, rank) * static_cast<int64_t>(DTypeSize(params->dtype)),
      "slice size in bytes");
  if (!slice_bytes.ok()) return slice_bytes.status();
  out->kernels = {"tml_gather_nd.h"};
  out->decls = CStruct("tml_gather_nd_params_t", ctx.Sym("params"))
                   .Field("n_slices", DimProduct(indices->shape, 0, index_rank - 1))
                   .Field("index_depth", depth)
                   .Field("dims", CInts(dims))
                   .Field("strides", CInts(steps))
                   .Field("elem_size", static_cast<int64_t>(DTypeSize(params->dtype)))
                   .Field("slice_bytes", slice_bytes.value())
                   .Str();
  out->body = fmt::format(
      "if (tml_gather_nd(&{}, {}, {}, {}) != 0) {{\n    return TINYML_ERROR;\n  }}",
      ctx.Sym("params"), ctx.Ptr(params), ctx.Ptr(indices), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kGatherNd = {107, "GATHER_ND", "int8, float32 (int32 indices)", Lower, nullptr};

}  // namespace tinymlc
