// ARG_MAX and ARG_MIN as TFLM's arg_min_max.cc: float32 or int8 input (raw values; the
// quantization does not change the order), a constant int32 axis (TFLM reads it at run
// time; tinymlc needs it to plan the loops), int32 output of the input's shape without
// the axis (templates/kernels/tml_arg_min_max.h). TFLM refuses int64 outputs.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "tml_arg_min_max.h"

namespace tinymlc {
namespace {

Status Prepare(const LowerContext& ctx, bool is_max, tml_arg_min_max_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* axis = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  if (input->dtype != DType::kFloat32 && input->dtype != DType::kInt8) {
    return ctx.Error(fmt::format("dtype {} is not supported here (TFLM: float32, int8)",
                                 DTypeName(input->dtype)),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, axis, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, axis));
  const std::vector<int32_t> axes = ConstValues<int32_t>(*axis);
  const int rank = static_cast<int>(input->shape.size());
  if (axes.empty() || rank == 0) return ctx.Error("needs one axis of a non-scalar input", axis);
  int a = axes[0];
  if (a < 0) a += rank;
  if (a < 0 || a >= rank) {
    return ctx.Error(fmt::format("axis {} is out of range for rank {}", axes[0], rank), axis);
  }
  p->outer = p->axis_size = p->inner = 1;
  for (int d = 0; d < rank; ++d) {
    if (input->shape[d] <= 0) return ctx.Error("empty tensors are not supported", input);
    (d < a ? p->outer : d == a ? p->axis_size : p->inner) *= input->shape[d];
  }
  std::vector<int32_t> want = input->shape;
  want.erase(want.begin() + a);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  p->is_max = is_max ? 1 : 0;
  return Status::Ok();
}

template <bool kMax>
Status Lower(LowerContext& ctx, LayerCode* out) {
  tml_arg_min_max_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, kMax, &p));
  out->kernels = {"tml_arg_min_max.h"};
  out->decls = CStruct("tml_arg_min_max_params_t", ctx.Sym("params"))
                   .Field("outer", p.outer)
                   .Field("axis_size", p.axis_size)
                   .Field("inner", p.inner)
                   .Field("is_max", p.is_max)
                   .Str();
  out->body = fmt::format("tml_arg_min_max_{}(&{}, {}, {});",
                          ctx.In(0)->dtype == DType::kInt8 ? "s8" : "f32", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kArgMax = {56, "ARG_MAX", "int8, float32 -> int32", Lower<true>, nullptr};
extern const OpDef kArgMin = {79, "ARG_MIN", "int8, float32 -> int32", Lower<false>, nullptr};

}  // namespace tinymlc
