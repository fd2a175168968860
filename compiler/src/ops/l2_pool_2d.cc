// L2_POOL_2D: float32 only, as TFLM's kernel (tml_l2_pool_2d_f32.h); the pool
// geometry (SAME/VALID padding, strides, filter) as AVERAGE_POOL_2D's.
#include <fmt/format.h>

#include "ops/float_ops.h"
#include "ops/op_util.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<Pool2DOptions>(ctx.op().options);
  if (input->dtype != DType::kFloat32) {
    return ctx.Error(fmt::format("L2_POOL_2D of {} (TFLM takes float32 only)",
                                 DTypeName(input->dtype)),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kFloat32));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 4));
  TINYMLC_RETURN_IF_ERROR(CheckStride(ctx, o.stride_h, o.stride_w));
  if (o.filter_h < 1 || o.filter_w < 1) {
    return ctx.Error(fmt::format("filter size {}x{} is invalid", o.filter_h, o.filter_w));
  }
  const int32_t batches = input->shape[0], in_h = input->shape[1], in_w = input->shape[2],
                ch = input->shape[3];
  const int32_t out_h = ComputeOutSize(o.padding, in_h, o.filter_h, o.stride_h, 1);
  const int32_t out_w = ComputeOutSize(o.padding, in_w, o.filter_w, o.stride_w, 1);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {batches, out_h, out_w, ch}));
  auto act = FloatActivationRange(ctx, o.activation);
  if (!act.ok()) return act.status();
  out->kernels = {"tml_float_common.h", "tml_pool_2d_f32.h", "tml_l2_pool_2d_f32.h"};
  out->needs_math = true;
  out->decls = CStruct("tml_pool_2d_f32_params_t", ctx.Sym("params"))
                   .Field("batches", batches)
                   .Field("input_h", in_h).Field("input_w", in_w).Field("channels", ch)
                   .Field("output_h", out_h).Field("output_w", out_w)
                   .Field("filter_h", o.filter_h).Field("filter_w", o.filter_w)
                   .Field("stride_h", o.stride_h).Field("stride_w", o.stride_w)
                   .Field("pad_h", ComputePadding(o.stride_h, 1, in_h, o.filter_h, out_h))
                   .Field("pad_w", ComputePadding(o.stride_w, 1, in_w, o.filter_w, out_w))
                   .FloatField("act_min", act->min)
                   .FloatField("act_max", act->max)
                   .Str();
  out->body = fmt::format("tml_l2_pool_2d_f32(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  const auto& o = std::get<Pool2DOptions>(op.options);
  return g.tensors[op.outputs[0]].NumElements() * o.filter_h * o.filter_w;
}

}  // namespace

extern const OpDef kL2Pool2D = {12, "L2_POOL_2D", "float32", Lower, Macs};

}  // namespace tinymlc
