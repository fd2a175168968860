// RESHAPE: no code; the output aliases the input's memory.
#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  if (input->dtype != output->dtype) {
    return ctx.Error(fmt::format("output dtype {} differs from input dtype {}",
                                 DTypeName(output->dtype), DTypeName(input->dtype)),
                     output);
  }
  if (input->dtype == DType::kUnsupported) return CheckDType(ctx, input, DType::kInt8);
  if (input->NumElements() != output->NumElements()) {
    return ctx.Error(fmt::format("output has {} elements, input has {}", output->NumElements(),
                                 input->NumElements()),
                     output);
  }
  // The shape input (if any) is only a hint; the output tensor's static shape is used.
  out->alias_of = input->index;
  return Status::Ok();
}

}  // namespace

extern const OpDef kReshape = {22, "RESHAPE", "any (an alias, no copy)", Lower, nullptr};

}  // namespace tinymlc
