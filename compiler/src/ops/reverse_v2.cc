// REVERSE_V2 as TFLM's reverse.cc: int8, uint8, int16, int32, int64, float32 or bool,
// rank <= 6, a constant 1-D int32 axis tensor whose (sorted, negative counted from the
// end) axes are contiguous, as TFLM requires. Kernel: templates/kernels/tml_reverse.h.
#include <fmt/format.h>

#include <algorithm>

#include "ops/elementwise_util.h"
#include "tml_reverse.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* axis = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  switch (input->dtype) {
    case DType::kInt8: case DType::kUInt8: case DType::kInt16: case DType::kInt32:
    case DType::kInt64: case DType::kFloat32: case DType::kBool: break;
    default:
      return ctx.Error(fmt::format("dtype {} is not supported here (TFLM: int8, uint8, int16, "
                                   "int32, int64, float32, bool)",
                                   DTypeName(input->dtype)),
                       input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, axis, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, axis));
  if (axis->shape.size() != 1) return ctx.Error("must be 1-D", axis);
  const int rank = static_cast<int>(input->shape.size());
  if (rank > 6) return ctx.Error(fmt::format("rank {} (TFLM reverses up to rank 6)", rank), input);
  std::vector<int32_t> axes = ConstValues<int32_t>(*axis);
  if (axes.empty() || static_cast<int>(axes.size()) > rank) {
    return ctx.Error(fmt::format("{} axes for rank {} (TFLM needs 1 to rank)", axes.size(), rank),
                     axis);
  }
  for (int32_t& a : axes) {
    if (a < 0) a += rank;
    if (a < 0 || a >= rank) return ctx.Error("an axis is out of range", axis);
  }
  std::sort(axes.begin(), axes.end());
  for (size_t i = 1; i < axes.size(); ++i) {
    if (axes[i - 1] + 1 != axes[i]) {
      return ctx.Error("axes are not contiguous (TFLM: non-contiguous axes not supported)", axis);
    }
  }
  tml_reverse_params_t p{1, 1, static_cast<int32_t>(DTypeSize(input->dtype))};
  for (int d = 0; d < rank; ++d) {
    if (input->shape[d] <= 0) return ctx.Error("empty tensors are not supported", input);
    if (d < axes.front()) {
      p.outer *= input->shape[d];
    } else if (d <= axes.back()) {
      p.count *= input->shape[d];
    } else {
      p.inner_bytes *= input->shape[d];
    }
  }
  out->kernels = {"tml_reverse.h"};
  out->decls = CStruct("tml_reverse_params_t", ctx.Sym("params"))
                   .Field("outer", p.outer)
                   .Field("count", p.count)
                   .Field("inner_bytes", p.inner_bytes)
                   .Str();
  out->body = fmt::format("tml_reverse(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kReverseV2 = {105, "REVERSE_V2",
                                 "int8, uint8, int16, int32, int64, float32, bool", Lower, nullptr};

}  // namespace tinymlc
