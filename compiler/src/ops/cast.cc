// CAST: every (input, output) type pair TFLM's cast.cc runs, input int8, int16, int32,
// float32 or bool, output int8, int16, int32 or float32, each element converted with the
// C conversion (tml_cast.h). Quantization parameters are ignored, as in TFLM (raw
// values are converted). TFLM's uint32 has no dtype in tinymlc.
#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

// The kernel name part of a dtype ("" when TFLM does not cast from/to it).
const char* CastSuffix(DType t, bool output) {
  switch (t) {
    case DType::kInt8: return "s8";
    case DType::kInt16: return "s16";
    case DType::kInt32: return "s32";
    case DType::kFloat32: return "f32";
    case DType::kBool: return output ? "" : "b";
    default: return "";
  }
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const std::string from = CastSuffix(input->dtype, false);
  const std::string to = CastSuffix(output->dtype, true);
  if (from.empty()) {
    return ctx.Error(fmt::format("dtype {} is not supported here (TFLM casts from int8, int16, "
                                 "int32, float32, bool)",
                                 DTypeName(input->dtype)),
                     input);
  }
  if (to.empty()) {
    return ctx.Error(fmt::format("dtype {} is not supported here (TFLM casts to int8, int16, "
                                 "int32, float32)",
                                 DTypeName(output->dtype)),
                     output);
  }
  if (input->NumElements() != output->NumElements()) {
    return ctx.Error(fmt::format("{} elements, the input has {}", output->NumElements(),
                                 input->NumElements()),
                     output);
  }
  out->kernels = {"tml_cast.h"};
  out->body = fmt::format("tml_cast_{}_{}({}, {}, {});", from, to, ctx.Ptr(input), ctx.Ptr(output),
                          output->NumElements());
  return Status::Ok();
}

}  // namespace

extern const OpDef kCast = {53, "CAST",
                            "int8, int16, int32, float32, bool -> int8, int16, int32, float32",
                            Lower, nullptr};

}  // namespace tinymlc
