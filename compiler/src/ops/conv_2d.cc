// CONV_2D: int8 input/output, int8 or int4 weights (per-channel or per-tensor), int32 bias;
// int16 input/output (16x8) with int64 or int32 bias and grouped filters (ops/int16x8.cc).
#include <fmt/format.h>

#include <algorithm>

#include "ops/conv_gemm.h"
#include "ops/float_ops.h"
#include "ops/int16x8.h"
#include "ops/op_util.h"
#include "ops/sparse_weights.h"
#include "ops/tflm_decode.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatConv2D(ctx, out);
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<Conv2DOptions>(ctx.op().options);
  const bool s16 = input->dtype == DType::kInt16;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, s16 ? DType::kInt16 : DType::kInt8));
  // int4 weights (packed, two per byte) under int8 activations, as TFLM takes them.
  const bool s4 = !s16 && filter->dtype == DType::kInt4;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, filter, s4 ? DType::kInt4 : DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, filter, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 4));
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, filter));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckStride(ctx, o.stride_h, o.stride_w));
  if (o.dilation_h < 1 || o.dilation_w < 1) {
    return ctx.Error(fmt::format("dilation {}x{} is invalid", o.dilation_h, o.dilation_w));
  }
  const int32_t batches = input->shape[0], in_h = input->shape[1], in_w = input->shape[2],
                in_c = input->shape[3];
  const int32_t out_c = filter->shape[0], f_h = filter->shape[1], f_w = filter->shape[2];
  const int32_t filter_c = filter->shape[3];
  // Grouped convolution: the filter depth divides the input depth, the groups divide the
  // output channels (TFLM's reference kernels take it for int8 and int16).
  const bool grouped_ok = filter_c > 0 && in_c % filter_c == 0 && out_c % (in_c / filter_c) == 0;
  if (filter_c != in_c && !grouped_ok) {
    return ctx.Error(fmt::format("filter depth {} does not divide input depth {} into groups "
                                 "that divide the {} output channels",
                                 filter_c, in_c, out_c),
                     filter);
  }
  TINYMLC_RETURN_IF_ERROR(CheckWeightQuant(ctx, filter, 0, out_c));
  if (s16) {
    TINYMLC_RETURN_IF_ERROR(CheckBiasS16(ctx, bias, out_c, /*allow_int32=*/true));
  } else if (bias) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bias, DType::kInt32));
    TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, bias));
    if (bias->NumElements() != out_c) {
      return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_c), bias);
    }
  }
  // A band of rows of a patched layer (passes/patch.h): its own height and top padding.
  const bool band = o.band_pad_h >= 0;
  const int32_t out_h = band ? output->shape[1] : ComputeOutSize(o.padding, in_h, f_h, o.stride_h, o.dilation_h);
  const int32_t out_w = ComputeOutSize(o.padding, in_w, f_w, o.stride_w, o.dilation_w);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {batches, out_h, out_w, out_c}));
  auto act = Int8ActivationRange(ctx, o.activation, output);
  if (!act.ok()) return act.status();

  std::vector<int32_t> mult, shift;
  ConvPerChannelMultipliers(*input, *filter, *output, out_c, &mult, &shift);
  const int32_t pad_h = band ? o.band_pad_h : ComputePadding(o.stride_h, o.dilation_h, in_h, f_h, out_h);
  const int32_t pad_w = ComputePadding(o.stride_w, o.dilation_w, in_w, f_w, out_w);
  if (s16) {
    ConvS16Geometry g;
    g.batches = batches, g.input_h = in_h, g.input_w = in_w, g.input_c = in_c;
    g.filter_h = f_h, g.filter_w = f_w, g.filter_c = filter_c;
    g.output_h = out_h, g.output_w = out_w, g.output_c = out_c;
    g.stride_h = o.stride_h, g.stride_w = o.stride_w;
    g.dilation_h = o.dilation_h, g.dilation_w = o.dilation_w, g.pad_h = pad_h, g.pad_w = pad_w;
    return LowerConvS16(ctx, g, /*depthwise=*/false, o.quantized_bias_type, act.value(), out);
  }
  ConvGemmShape gs{batches, in_h, in_w, in_c, f_h, f_w, out_h, out_w, out_c};
  gs.stride_h = o.stride_h, gs.stride_w = o.stride_w;
  gs.dilation_h = o.dilation_h, gs.dilation_w = o.dilation_w;
  gs.pad_h = pad_h, gs.pad_w = pad_w;
  const WindowGeometry wg{batches, in_h, in_w, out_h, out_w, f_h, f_w, o.stride_h, o.stride_w,
                          o.dilation_h, o.dilation_w, pad_h, pad_w};
  if (filter_c == in_c) {
    // Sparse or clustered weights (--sparse), when the cost model picks them; int4
    // weights as int4 words (tml_int4w_s8) unless a smaller form wins. Not in place: the
    // kernel reads two windows ahead of its outputs.
    CompressedGemm cg{gs, input, bias, output, s4 ? Int4Weights(*filter) : Int8Weights(*filter, 0),
                      mult, shift, act->min, act->max};
    cg.int4_source = s4;
    cg.lut_source = LutIndexBits(ctx.graph(), *filter) > 0;
    if (LowerCompressedGemm(ctx, cg, out)) return Status::Ok();
  }
  if (!s4 && filter_c == in_c &&
      LowerConvGemm(ctx, gs, *input, Int8Weights(*filter, 0), bias, *output, mult, shift, act->min,
                    act->max, out)) {
    // In place: tml_conv_gemm_s8 produces output pixels in increasing order in blocks of
    // at most 3 and reads only the current block's windows (its order contract).
    out->in_place = {{ctx.op().inputs[0], InPlaceMinDelta(wg, in_c, out_c, 3)}};
    return Status::Ok();
  }
  // tml_conv_2d_s4 (grouped int4 layers, and those whose sums the int4 words' kernel
  // cannot hold): blocks of output pixels whose int16 im2col columns fill about 4 KiB
  // (2 to 8 pixels), plus one unpacked row (int16); the row is unpacked once per block.
  const int64_t kp = (static_cast<int64_t>(f_h) * f_w * filter_c + 1) / 2 * 2;
  const int64_t s4_block = std::clamp<int64_t>(4096 / (2 * kp), 2, 8);
  if (s4) {
    // Not in place (the compiler keeps the output apart from the input).
    out->kernels = {"tml_fast_common.h", "tml_s4_common.h", "tml_conv_2d.h", "tml_conv_2d_s4.h"};
    out->scratch_bytes = (s4_block + 1) * kp * 2;
  } else {
    // tml_conv_2d_s8 finishes each output pixel before the next, reading only its window.
    out->in_place = {{ctx.op().inputs[0], InPlaceMinDelta(wg, in_c, out_c, 1)}};
    out->kernels = {"tml_conv_2d.h"};
  }
  out->decls += CArray("int32_t", ctx.Sym("multiplier"), mult);
  out->decls += CArray("int32_t", ctx.Sym("shift"), shift);
  out->decls += CStruct("tml_conv_2d_s8_params_t", ctx.Sym("params"))
                    .Field("batches", batches)
                    .Field("input_h", in_h).Field("input_w", in_w).Field("input_c", in_c)
                    .Field("filter_h", f_h).Field("filter_w", f_w).Field("filter_c", filter_c)
                    .Field("output_h", out_h).Field("output_w", out_w).Field("output_c", out_c)
                    .Field("stride_h", o.stride_h).Field("stride_w", o.stride_w)
                    .Field("dilation_h", o.dilation_h).Field("dilation_w", o.dilation_w)
                    .Field("pad_h", pad_h)
                    .Field("pad_w", pad_w)
                    .Field("input_offset", -input->zero_point())
                    .Field("output_offset", output->zero_point())
                    .Field("act_min", act->min).Field("act_max", act->max)
                    .Field("output_multiplier", ctx.Sym("multiplier"))
                    .Field("output_shift", ctx.Sym("shift"))
                    .Str();
  out->body = fmt::format("tml_conv_2d_s{}(&{}, {}, {}, {}, {}{});", s4 ? 4 : 8, ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(filter), ctx.Ptr(bias), ctx.Ptr(output),
                          s4 ? fmt::format(", (int16_t *)(void *)@S@, {}", s4_block) : "");
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  const Tensor& f = g.tensors[op.inputs[1]];
  const Tensor& o = g.tensors[op.outputs[0]];
  return o.NumElements() * f.shape[1] * f.shape[2] * f.shape[3];
}

}  // namespace

extern const OpDef kConv2D = {3, "CONV_2D",
    "int8 (int8 or int4 weights per channel or per tensor, int32 bias, grouped); int16 x int8 weights (int64 or int32 bias, grouped); float32",
    Lower, Macs};

}  // namespace tinymlc
