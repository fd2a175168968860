#include "ops/pool_common.h"

#include <fmt/format.h>

#include <cmath>

namespace tinymlc {

Status LowerPool2D(LowerContext& ctx, LayerCode* out, const char* kernel_fn) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<Pool2DOptions>(ctx.op().options);
  const bool s16 = input->dtype == DType::kInt16;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, s16 ? DType::kInt16 : DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 4));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckStride(ctx, o.stride_h, o.stride_w));
  if (o.filter_h < 1 || o.filter_w < 1) {
    return ctx.Error(fmt::format("filter size {}x{} is invalid", o.filter_h, o.filter_w));
  }
  // TFLM's PoolingPrepare: pooling does not rescale, so the quantization must match.
  if (std::fabs(input->scale() - output->scale()) > 1e-6f || input->zero_point() != output->zero_point()) {
    return ctx.Error("output quantization differs from the input's (pooling does not rescale)", output);
  }
  const int32_t batches = input->shape[0], in_h = input->shape[1], in_w = input->shape[2],
                ch = input->shape[3];
  // A band of rows of a patched layer (passes/patch.h): its own height and top padding.
  const bool band = o.band_pad_h >= 0;
  const int32_t out_h = band ? output->shape[1] : ComputeOutSize(o.padding, in_h, o.filter_h, o.stride_h, 1);
  const int32_t out_w = ComputeOutSize(o.padding, in_w, o.filter_w, o.stride_w, 1);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {batches, out_h, out_w, ch}));
  auto act = Int8ActivationRange(ctx, o.activation, output);
  if (!act.ok()) return act.status();
  out->kernels = {"tml_pool_2d.h"};
  std::string fn = kernel_fn;
  if (s16) {
    // The int16 forms (tml_pool_2d_s16.h) take the same parameters.
    out->kernels.push_back("tml_pool_2d_s16.h");
    fn.replace(fn.size() - 2, 2, "s16");
  }
  out->decls = CStruct("tml_pool_2d_s8_params_t", ctx.Sym("params"))
                   .Field("batches", batches)
                   .Field("input_h", in_h).Field("input_w", in_w).Field("channels", ch)
                   .Field("filter_h", o.filter_h).Field("filter_w", o.filter_w)
                   .Field("output_h", out_h).Field("output_w", out_w)
                   .Field("stride_h", o.stride_h).Field("stride_w", o.stride_w)
                   .Field("pad_h", band ? o.band_pad_h : ComputePadding(o.stride_h, 1, in_h, o.filter_h, out_h))
                   .Field("pad_w", ComputePadding(o.stride_w, 1, in_w, o.filter_w, out_w))
                   .Field("act_min", act->min).Field("act_max", act->max)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {});", fn, ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

int64_t Pool2DMacs(const Graph& g, const Operator& op) {
  const auto& o = std::get<Pool2DOptions>(op.options);
  return g.tensors[op.outputs[0]].NumElements() * o.filter_h * o.filter_w;
}

}  // namespace tinymlc
