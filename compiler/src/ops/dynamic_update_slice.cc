// DYNAMIC_UPDATE_SLICE: the operand (float32, int8, int32) with the update written at
// start indices (int32 or int64, constant or computed at run time) clamped into range,
// as TFLM's kernel; rank <= 6.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 6;

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor* operand = ctx.In(0);
  const Tensor* update = ctx.In(1);
  const Tensor* start = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, operand, {DType::kFloat32, DType::kInt8, DType::kInt32}, /*folding=*/false));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, operand, update));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, operand, output));
  if (start->dtype != DType::kInt32 && start->dtype != DType::kInt64) {
    return ctx.Error(fmt::format("start indices of type {} (TFLM takes int32 and int64)",
                                 DTypeName(start->dtype)),
                     start);
  }
  const int rank = static_cast<int>(operand->shape.size());
  if (rank < 1 || rank > kMaxRank) {
    return ctx.Error(fmt::format("rank {} is outside TFLM's 1..{}", rank, kMaxRank), operand);
  }
  if (start->shape.size() != 1 || start->shape[0] != rank) {
    return ctx.Error(fmt::format("start indices must have shape [{}]", rank), start);
  }
  if (static_cast<int>(update->shape.size()) != rank) {
    return ctx.Error("update and operand ranks differ", update);
  }
  for (int d = 0; d < rank; ++d) {
    if (update->shape[d] > operand->shape[d]) {
      return ctx.Error(fmt::format("update dimension {} ({}) is larger than the operand's ({})",
                                   d, update->shape[d], operand->shape[d]),
                       update);
    }
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, operand->shape));
  out->kernels = {"tml_dynamic_update_slice.h"};
  out->decls = CStruct("tml_dynamic_update_slice_params_t", ctx.Sym("params"))
                   .Field("elem_size", static_cast<int64_t>(DTypeSize(operand->dtype)))
                   .Field("rank", rank)
                   .Field("indices_are_int64", start->dtype == DType::kInt64 ? 1 : 0)
                   .Field("dims", CInts(PadFront(operand->shape, kMaxRank)))
                   .Field("update_dims", CInts(PadFront(update->shape, kMaxRank)))
                   .Str();
  out->body = fmt::format("tml_dynamic_update_slice(&{}, {}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(operand), ctx.Ptr(update), ctx.Ptr(start), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kDynamicUpdateSlice = {151, "DYNAMIC_UPDATE_SLICE",
                                          "int8, int32, float32 (int32/int64 indices)", Lower,
                                          nullptr};

}  // namespace tinymlc
