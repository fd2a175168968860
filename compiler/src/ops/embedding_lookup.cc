// EMBEDDING_LOOKUP: rows of a table (float32 or int8, rank >= 2) picked by a rank-1
// int32 lookup vector, as TFLM's kernel: float32 -> float32 and int8 -> int8 copy rows;
// int8 -> float32 dequantizes them (the table's zero point must be 0). A row index
// out of range makes invoke return TINYML_ERROR (TFLM's Eval fails too).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* lookup = ctx.In(0);
  const Tensor* value = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, lookup, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, lookup, 1));
  if (value->dtype != DType::kFloat32 && value->dtype != DType::kInt8) {
    return ctx.Error(fmt::format("table of type {} (TFLM takes float32 and int8)",
                                 DTypeName(value->dtype)),
                     value);
  }
  if (value->shape.size() < 2) return ctx.Error("the table needs rank 2 or more", value);
  const bool hybrid = value->dtype == DType::kInt8 && output->dtype == DType::kFloat32;
  if (!hybrid) TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, value, output));
  std::vector<int32_t> want = value->shape;
  want[0] = lookup->shape[0];
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  if (hybrid) {
    if (value->quant.scale.size() != 1 || value->zero_point() != 0) {
      return ctx.Error("an int8 table dequantized to float32 needs one scale and zero point 0",
                       value);
    }
  }
  const int64_t rows = value->shape[0];
  const int64_t row_elems = rows > 0 ? value->NumElements() / rows : 0;
  if (lookup->is_constant) {
    auto v = ConstInts(ctx, lookup, "lookup");
    if (!v.ok()) return v.status();
    for (int64_t i : v.value()) {
      if (i < 0 || i >= rows) {
        return ctx.Error(fmt::format("row {} is outside [0, {})", i, rows), lookup);
      }
    }
  }
  out->kernels = {"tml_embedding_lookup.h"};
  out->decls = CStruct("tml_embedding_lookup_params_t", ctx.Sym("params"))
                   .Field("lookups", lookup->shape[0])
                   .Field("rows", rows)
                   .Field("row_elems", row_elems)
                   .Field("elem_size", static_cast<int64_t>(DTypeSize(value->dtype)))
                   .FloatField("scale", hybrid ? value->scale() : 0.0f)
                   .Str();
  out->body = fmt::format(
      "if ({}(&{}, {}, {}, {}) != 0) {{\n    return TINYML_ERROR;\n  }}",
      hybrid ? "tml_embedding_lookup_s8_f32" : "tml_embedding_lookup", ctx.Sym("params"),
      ctx.Ptr(lookup), ctx.Ptr(value), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kEmbeddingLookup = {7, "EMBEDDING_LOOKUP",
                                       "float32, int8, int8 -> float32 (int32 lookup)", Lower,
                                       nullptr};

}  // namespace tinymlc
