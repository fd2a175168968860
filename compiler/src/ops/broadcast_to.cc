// BROADCAST_TO and BROADCAST_ARGS as TFLM's broadcast_to.cc / broadcast_args.cc.
// BROADCAST_TO: any dtype, a constant 1-D int32/int64 shape equal to the output shape
// (rank <= 5, TFLM's limit), the input broadcastable to it; kernel tml_broadcast_to over
// the shared broadcast walk (tml_broadcast.h). BROADCAST_ARGS: two 1-D int32 (or int64)
// shape tensors -> their broadcast shape (tml_broadcast_args_s32/_s64).
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "tml_broadcast_to.h"

namespace tinymlc {
namespace {

constexpr size_t kMaxDims = 5;

Status LowerBroadcastTo(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* shape = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  if (input->dtype == DType::kUnsupported || input->dtype == DType::kResource ||
      input->dtype == DType::kInt4) {
    return ctx.Error("this dtype is not supported here", input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  if (shape->dtype != DType::kInt32 && shape->dtype != DType::kInt64) {
    return ctx.Error("the shape must be int32 or int64", shape);
  }
  if (!shape->is_constant) {
    return ctx.Error("must be a constant tensor (TFLM: non-constant shape is not supported)",
                     shape);
  }
  if (shape->shape.size() != 1) return ctx.Error("must be 1-D", shape);
  std::vector<int64_t> dims;
  if (shape->dtype == DType::kInt32) {
    for (int32_t v : ConstValues<int32_t>(*shape)) dims.push_back(v);
  } else {
    for (int64_t v : ConstValues<int64_t>(*shape)) dims.push_back(static_cast<int32_t>(v));
  }
  const std::vector<int64_t> want(output->shape.begin(), output->shape.end());
  if (dims != want) {
    return ctx.Error(fmt::format("shape [{}] differs from the shape input [{}]",
                                 fmt::join(output->shape, ","), fmt::join(dims, ",")),
                     output);
  }
  if (output->shape.size() > kMaxDims || input->shape.size() > output->shape.size()) {
    return ctx.Error(fmt::format("rank {} from rank {} (TFLM: input rank <= output rank <= 5)",
                                 output->shape.size(), input->shape.size()),
                     output);
  }
  const size_t ext = output->shape.size() - input->shape.size();
  for (size_t d = 0; d < input->shape.size(); ++d) {
    if (input->shape[d] != 1 && input->shape[d] != output->shape[ext + d]) {
      return ctx.Error("the output shape is not broadcastable from the input shape", input);
    }
  }
  tml_broadcast_to_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, input, output, output, &p.shape));
  p.elem_bytes = static_cast<int32_t>(DTypeSize(input->dtype));
  out->kernels = {"tml_broadcast.h", "tml_broadcast_to.h"};
  out->decls = CStruct("tml_broadcast_to_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("elem_bytes", p.elem_bytes)
                   .Str();
  out->body = fmt::format("tml_broadcast_to(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

Status LowerBroadcastArgs(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* s1 = ctx.In(0);
  const Tensor* s2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  if (s1->dtype != DType::kInt32 && s1->dtype != DType::kInt64) {
    return ctx.Error("must be int32 or int64", s1);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, s2, s1->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, s1->dtype));
  for (const Tensor* t : {s1, s2, output}) {
    if (t->shape.size() != 1) return ctx.Error("must be 1-D", t);
  }
  const int32_t n1 = s1->shape[0], n2 = s2->shape[0], n = output->shape[0];
  if (n != std::max(n1, n2)) {
    return ctx.Error(
        fmt::format("{} entries, expected {} (the longer input)", n, std::max(n1, n2)), output);
  }
  out->kernels = {"tml_broadcast.h", "tml_broadcast_to.h"};
  out->body = fmt::format("tml_broadcast_args_{}({}, {}, {}, {}, {}, {});",
                          s1->dtype == DType::kInt32 ? "s32" : "s64", ctx.Ptr(s1), n1, ctx.Ptr(s2),
                          n2, ctx.Ptr(output), n);
  return Status::Ok();
}

}  // namespace

extern const OpDef kBroadcastTo = {130, "BROADCAST_TO", "int8, uint8, int16, int32, int64, float32, bool", LowerBroadcastTo, nullptr};
extern const OpDef kBroadcastArgs = {145, "BROADCAST_ARGS", "int32, int64", LowerBroadcastArgs,
                                     nullptr};

}  // namespace tinymlc
