// TRANSPOSE_CONV: int8 input/output, int8 weights (per-channel or per-tensor), optional
// int32 bias; int16 input/output with int8 weights and an optional int64 bias (TFLM's
// 16x8 TransposeConv<int64_t>, tml_transpose_conv_s16.h); or float32 input, weights, optional bias and output (TFLM's float
// reference, tml_transpose_conv_f32.h). Inputs as TFLite orders them: 0 output_shape (ignored, as TFLM: the
// output tensor's own shape is used), 1 filter [OC, KH, KW, IC], 2 input, 3 bias.
// The kernel scatters into an int32 accumulator of the output's size (the scratch
// buffer TFLM also requests).
#include <fmt/format.h>

#include <cstring>

#include "ops/elementwise_util.h"  // ConstValues
#include "ops/float_ops.h"
#include "ops/op_util.h"
#include "tml_transpose_conv.h"
#include "tml_transpose_conv_s16.h"
#include "tml_transpose_conv_f32.h"

namespace tinymlc {
namespace {

// TFLM's padding for transpose conv: ComputePaddingHeightWidth with the OUTPUT size
// as the "input" size and dilation 1. When either dimension's ComputeOutSizeChecked
// fails (VALID with a negative size), both paddings stay 0.
struct Pads {
  int32_t h = 0, w = 0;
};

bool CheckedOutSize(Padding padding, int32_t image, int32_t filter, int32_t stride,
                    int64_t* out) {
  if (image < 0 || filter <= 0 || stride <= 0) return false;
  // C++ division truncates toward zero, as TFLM's.
  *out = padding == Padding::kSame ? (int64_t{image} + stride - 1) / stride
                                   : (int64_t{image} + stride - filter) / stride;
  return *out >= 0;
}

Pads TransposeConvPadding(Padding padding, int32_t out_h, int32_t out_w, int32_t f_h,
                          int32_t f_w, int32_t stride_h, int32_t stride_w) {
  int64_t size_w = 0, size_h = 0;
  if (!CheckedOutSize(padding, out_w, f_w, stride_w, &size_w) ||
      !CheckedOutSize(padding, out_h, f_h, stride_h, &size_h)) {
    return {};
  }
  auto pad = [](int64_t size, int32_t stride, int32_t filter, int32_t image) {
    const int64_t total = (size - 1) * stride + filter - image;
    return static_cast<int32_t>(total > 0 ? total / 2 : 0);
  };
  return {pad(size_h, stride_h, f_h, out_h), pad(size_w, stride_w, f_w, out_w)};
}

// Per-channel requantization of the accumulators.
struct Requant {
  std::vector<int32_t> multiplier, shift;
};

// Input and output of `dtype`, filter of `filter_dtype` (default: dtype), rank 4,
// matching depths, valid strides.
Status CheckShapes(const LowerContext& ctx, DType dtype, DType filter_dtype = DType::kUnsupported) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 4, 1));
  const Tensor* filter = ctx.In(1);
  const Tensor* input = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<TransposeConvOptions>(ctx.op().options);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, dtype));
  TINYMLC_RETURN_IF_ERROR(
      CheckDType(ctx, filter, filter_dtype == DType::kUnsupported ? dtype : filter_dtype));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, dtype));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, filter, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 4));
  TINYMLC_RETURN_IF_ERROR(CheckStride(ctx, o.stride_h, o.stride_w));
  const int32_t batches = input->shape[0], in_c = input->shape[3], out_c = filter->shape[0];
  if (filter->shape[3] != in_c) {
    return ctx.Error(fmt::format("filter depth {} differs from input depth {}", filter->shape[3], in_c),
                     filter);
  }
  if (output->shape[0] != batches || output->shape[3] != out_c) {
    return ctx.Error(fmt::format("output shape [{}] needs batch {} and depth {} (filter outputs)",
                                 fmt::join(output->shape, ","), batches, out_c),
                     output);
  }
  return Status::Ok();
}

// float32 (TFLM's reference float TransposeConv): optional float32 bias.
Status PrepareF32(const LowerContext& ctx, tml_transpose_conv_f32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckShapes(ctx, DType::kFloat32));
  const Tensor* filter = ctx.In(1);
  const Tensor* input = ctx.In(2);
  const Tensor* bias = ctx.In(3);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<TransposeConvOptions>(ctx.op().options);
  const int32_t out_c = filter->shape[0];
  if (bias) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bias, DType::kFloat32));
    if (bias->NumElements() != out_c) {
      return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_c), bias);
    }
  }
  auto act = FloatActivationRange(ctx, o.activation);
  if (!act.ok()) return act.status();
  const Pads pads = TransposeConvPadding(o.padding, output->shape[1], output->shape[2],
                                         filter->shape[1], filter->shape[2], o.stride_h, o.stride_w);
  *p = tml_transpose_conv_f32_params_t{};
  p->batches = input->shape[0];
  p->input_h = input->shape[1];
  p->input_w = input->shape[2];
  p->input_c = input->shape[3];
  p->filter_h = filter->shape[1];
  p->filter_w = filter->shape[2];
  p->output_h = output->shape[1];
  p->output_w = output->shape[2];
  p->output_c = out_c;
  p->stride_h = o.stride_h;
  p->stride_w = o.stride_w;
  p->pad_h = pads.h;
  p->pad_w = pads.w;
  p->act_min = act->min;
  p->act_max = act->max;
  return Status::Ok();
}

// The float32 form: TRANSPOSE_CONV's input 2 is the data (0 is the output shape).
bool IsFloatForm(const LowerContext& ctx) {
  return ctx.NumInputs() > 2 && ctx.In(2) && ctx.In(2)->dtype == DType::kFloat32;
}

// The 16x8 form: int16 input and output, int8 filter (TFLM's TransposeConv<int64_t>).
bool IsInt16Form(const LowerContext& ctx) {
  return ctx.NumInputs() > 2 && ctx.In(2) && ctx.In(2)->dtype == DType::kInt16;
}

// Checks the operator and fills the kernel parameters (pointers to `rq`'s arrays); int8
// or, for the 16x8 form, int16 activations with an int64 bias.
Status Prepare(const LowerContext& ctx, tml_transpose_conv_s8_params_t* p, Requant* rq) {
  const bool s16 = IsInt16Form(ctx);
  TINYMLC_RETURN_IF_ERROR(CheckShapes(ctx, s16 ? DType::kInt16 : DType::kInt8, DType::kInt8));
  const Tensor* filter = ctx.In(1);
  const Tensor* input = ctx.In(2);
  const Tensor* bias = ctx.In(3);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<TransposeConvOptions>(ctx.op().options);
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  const int32_t batches = input->shape[0], in_c = input->shape[3];
  const int32_t out_c = filter->shape[0], f_h = filter->shape[1], f_w = filter->shape[2];
  const int32_t out_h = output->shape[1], out_w = output->shape[2];
  TINYMLC_RETURN_IF_ERROR(CheckWeightQuant(ctx, filter, 0, out_c));
  if (bias) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bias, s16 ? DType::kInt64 : DType::kInt32));
    if (bias->NumElements() != out_c) {
      return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_c), bias);
    }
  }
  auto act = Int8ActivationRange(ctx, o.activation, output);
  if (!act.ok()) return act.status();
  const Pads pads = TransposeConvPadding(o.padding, out_h, out_w, f_h, f_w, o.stride_h, o.stride_w);
  ConvPerChannelMultipliers(*input, *filter, *output, out_c, &rq->multiplier, &rq->shift);
  *p = tml_transpose_conv_s8_params_t{};
  p->batches = batches;
  p->input_h = input->shape[1];
  p->input_w = input->shape[2];
  p->input_c = in_c;
  p->filter_h = f_h;
  p->filter_w = f_w;
  p->output_h = out_h;
  p->output_w = out_w;
  p->output_c = out_c;
  p->stride_h = o.stride_h;
  p->stride_w = o.stride_w;
  p->pad_h = pads.h;
  p->pad_w = pads.w;
  p->input_offset = -input->zero_point();
  p->output_offset = output->zero_point();
  p->act_min = act->min;
  p->act_max = act->max;
  p->output_multiplier = rq->multiplier.data();
  p->output_shift = rq->shift.data();
  return Status::Ok();
}

// The geometry fields the int8 and float32 parameter structs share, in their order.
template <typename Params>
CStruct& GeometryFields(const Params& p, CStruct* s) {
  return s->Field("batches", p.batches)
      .Field("input_h", p.input_h)
      .Field("input_w", p.input_w)
      .Field("input_c", p.input_c)
      .Field("filter_h", p.filter_h)
      .Field("filter_w", p.filter_w)
      .Field("output_h", p.output_h)
      .Field("output_w", p.output_w)
      .Field("output_c", p.output_c)
      .Field("stride_h", p.stride_h)
      .Field("stride_w", p.stride_w)
      .Field("pad_h", p.pad_h)
      .Field("pad_w", p.pad_w);
}

Status LowerF32(LowerContext& ctx, LayerCode* out) {
  tml_transpose_conv_f32_params_t p;
  TINYMLC_RETURN_IF_ERROR(PrepareF32(ctx, &p));
  out->kernels = {"tml_float_common.h", "tml_transpose_conv_f32.h"};
  CStruct params("tml_transpose_conv_f32_params_t", ctx.Sym("params"));
  out->decls = GeometryFields(p, &params)
                   .FloatField("act_min", p.act_min)
                   .FloatField("act_max", p.act_max)
                   .Str();
  out->body = fmt::format("tml_transpose_conv_f32(&{}, {}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(2)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.In(3)),
                          ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloatForm(ctx)) return LowerF32(ctx, out);
  tml_transpose_conv_s8_params_t p;
  Requant rq;
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p, &rq));
  const bool s16 = IsInt16Form(ctx);
  out->kernels = {"tml_transpose_conv.h"};
  if (s16) out->kernels = {"tml_conv_s16.h", "tml_transpose_conv.h", "tml_transpose_conv_s16.h"};
  out->decls += CArray("int32_t", ctx.Sym("multiplier"), rq.multiplier);
  out->decls += CArray("int32_t", ctx.Sym("shift"), rq.shift);
  CStruct params("tml_transpose_conv_s8_params_t", ctx.Sym("params"));
  out->decls += GeometryFields(p, &params)
                    .Field("input_offset", p.input_offset)
                    .Field("output_offset", p.output_offset)
                    .Field("act_min", p.act_min).Field("act_max", p.act_max)
                    .Field("output_multiplier", ctx.Sym("multiplier"))
                    .Field("output_shift", ctx.Sym("shift"))
                    .Str();
  if (s16) {
    // The int64 accumulator TFLM also requests as scratch (+7: the kernel aligns it).
    out->scratch_bytes = ctx.Out(0)->NumElements() * 8 + 7;
    out->body = fmt::format("tml_transpose_conv_s16(&{}, {}, {}, {}, {}, @S@);", ctx.Sym("params"),
                            ctx.Ptr(ctx.In(2)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.In(3)),
                            ctx.Ptr(ctx.Out(0)));
    return Status::Ok();
  }
  // The int32 accumulator TFLM also requests as scratch.
  out->scratch_bytes = ctx.Out(0)->NumElements() * 4;
  out->body = fmt::format("tml_transpose_conv_s8(&{}, {}, {}, {}, {}, (int32_t *)(void *)@S@);",
                          ctx.Sym("params"), ctx.Ptr(ctx.In(2)), ctx.Ptr(ctx.In(1)),
                          ctx.Ptr(ctx.In(3)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(g, op, "fold");
  if (IsFloatForm(ctx)) {
    tml_transpose_conv_f32_params_t p;
    TINYMLC_RETURN_IF_ERROR(PrepareF32(ctx, &p));
    const std::vector<float> input = ConstValues<float>(*ctx.In(2));
    const std::vector<float> filter = ConstValues<float>(*ctx.In(1));
    std::vector<float> bias;
    if (ctx.In(3)) bias = ConstValues<float>(*ctx.In(3));
    std::vector<float> result(static_cast<size_t>(ctx.Out(0)->NumElements()));
    tml_transpose_conv_f32(&p, input.data(), filter.data(), ctx.In(3) ? bias.data() : nullptr,
                           result.data());
    out->emplace_back(result.size() * sizeof(float));
    if (!result.empty()) std::memcpy(out->back().data(), result.data(), out->back().size());
    return Status::Ok();
  }
  tml_transpose_conv_s8_params_t p;
  Requant rq;
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p, &rq));
  if (IsInt16Form(ctx)) {
    const std::vector<int16_t> input = ConstValues<int16_t>(*ctx.In(2));
    const std::vector<int8_t> filter = ConstValues<int8_t>(*ctx.In(1));
    std::vector<int64_t> bias;
    if (ctx.In(3)) bias = ConstValues<int64_t>(*ctx.In(3));
    const size_t n = static_cast<size_t>(ctx.Out(0)->NumElements());
    std::vector<int64_t> scratch(n + 1);
    std::vector<int16_t> result(n);
    tml_transpose_conv_s16(&p, input.data(), filter.data(), ctx.In(3) ? bias.data() : nullptr,
                           result.data(), scratch.data());
    out->emplace_back(n * 2);
    if (n) std::memcpy(out->back().data(), result.data(), n * 2);
    return Status::Ok();
  }
  const std::vector<int8_t> input = ConstValues<int8_t>(*ctx.In(2));
  const std::vector<int8_t> filter = ConstValues<int8_t>(*ctx.In(1));
  std::vector<int32_t> bias;
  if (ctx.In(3)) bias = ConstValues<int32_t>(*ctx.In(3));
  const size_t n = static_cast<size_t>(ctx.Out(0)->NumElements());
  std::vector<int32_t> scratch(n);
  out->emplace_back(n);
  tml_transpose_conv_s8(&p, input.data(), filter.data(), ctx.In(3) ? bias.data() : nullptr,
                        reinterpret_cast<int8_t*>(out->back().data()), scratch.data());
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  const Tensor& f = g.tensors[op.inputs[1]];
  const Tensor& in = g.tensors[op.inputs[2]];
  return in.NumElements() * f.shape[0] * f.shape[1] * f.shape[2];
}

}  // namespace

extern const OpDef kTransposeConv = {67, "TRANSPOSE_CONV",
    "int8 (int8 weights per channel, int32 bias); int16 x int8 weights (int64 bias); float32",
    Lower, Macs, Fold};

}  // namespace tinymlc
