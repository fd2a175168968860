// FILL and ZEROS_LIKE as TFLM's fill.cc and zeros_like.cc (templates/kernels/tml_fill.h).
// FILL: a constant integer `dims` tensor equal to the output shape, a scalar value of the
// output's dtype (float32, int32, int8; copied raw), every output element = the value.
// ZEROS_LIKE: int8, int32, int64 or float32; the output (same dtype and size) all zeros.
#include <fmt/format.h>

#include "ops/elementwise_util.h"

namespace tinymlc {
namespace {

// The values of a constant integer tensor (int8, int16, int32 or int64, as TFLM's EnsureEq).
Result<std::vector<int64_t>> IntValues(const LowerContext& ctx, const Tensor* t) {
  std::vector<int64_t> v;
  switch (t->dtype) {
    case DType::kInt8: for (int8_t x : ConstValues<int8_t>(*t)) v.push_back(x); break;
    case DType::kInt16: for (int16_t x : ConstValues<int16_t>(*t)) v.push_back(x); break;
    case DType::kInt32: for (int32_t x : ConstValues<int32_t>(*t)) v.push_back(x); break;
    case DType::kInt64: for (int64_t x : ConstValues<int64_t>(*t)) v.push_back(x); break;
    default:
      return ctx.Error(fmt::format("dtype {} is not supported here (expected int8, int16, int32 "
                                   "or int64 dimensions)",
                                   DTypeName(t->dtype)),
                       t);
  }
  return v;
}

Status LowerFill(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* dims = ctx.In(0);
  const Tensor* value = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  if (!dims->is_constant) {
    return ctx.Error("must be a constant tensor (TFLM: non-constant dims are not supported)", dims);
  }
  if (dims->shape.size() != 1) return ctx.Error("must be 1-D", dims);
  auto values = IntValues(ctx, dims);
  if (!values.ok()) return values.status();
  const std::vector<int64_t> want(output->shape.begin(), output->shape.end());
  if (values.value() != want) {
    return ctx.Error(fmt::format("shape [{}] differs from the dims input [{}]",
                                 fmt::join(output->shape, ","), fmt::join(values.value(), ",")),
                     output);
  }
  if (!value->shape.empty()) return ctx.Error("the value must be a scalar (rank 0)", value);
  if (value->dtype != DType::kFloat32 && value->dtype != DType::kInt32 &&
      value->dtype != DType::kInt8) {
    return ctx.Error(fmt::format("dtype {} is not supported here (TFLM fills float32, int32, int8)",
                                 DTypeName(value->dtype)),
                     value);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, value->dtype));
  out->kernels = {"tml_fill.h"};
  out->body = fmt::format("tml_fill({}, {}, {}, {});", ctx.Ptr(value), DTypeSize(value->dtype),
                          ctx.Ptr(output), output->NumElements());
  return Status::Ok();
}

Status LowerZerosLike(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  if (input->dtype != DType::kFloat32 && input->dtype != DType::kInt32 &&
      input->dtype != DType::kInt8 && input->dtype != DType::kInt64) {
    return ctx.Error(fmt::format("dtype {} is not supported here (TFLM: int64, int32, int8, "
                                 "float32)",
                                 DTypeName(input->dtype)),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  if (input->NumElements() != output->NumElements()) {
    return ctx.Error(fmt::format("{} elements, the input has {}", output->NumElements(),
                                 input->NumElements()),
                     output);
  }
  out->kernels = {"tml_fill.h"};
  out->body = fmt::format("tml_zeros({}, {});", ctx.Ptr(output), output->Bytes());
  return Status::Ok();
}

}  // namespace

extern const OpDef kZerosLike = {93, "ZEROS_LIKE", "int8, int32, int64, float32", LowerZerosLike,
                                 nullptr};
extern const OpDef kFill = {94, "FILL", "int8, int32, float32", LowerFill, nullptr};

}  // namespace tinymlc
