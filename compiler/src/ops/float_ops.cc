#include "ops/float_ops.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "ops/elementwise_util.h"
#include "ops/reduce_common.h"
#include "tml_add_f32.h"
#include "tml_div_f32.h"
#include "tml_elu_f32.h"
#include "tml_hard_swish_f32.h"
#include "tml_leaky_relu_f32.h"
#include "tml_logistic_f32.h"
#include "tml_math_f32.h"
#include "tml_maximum_minimum_f32.h"
#include "tml_mul_f32.h"
#include "tml_prelu_f32.h"
#include "tml_reduce_f32.h"
#include "tml_relu_f32.h"
#include "tml_sub_f32.h"
#include "tml_tanh_f32.h"

namespace tinymlc {

Result<FloatRange> FloatActivationRange(const LowerContext& ctx, Activation act) {
  constexpr float kLowest = std::numeric_limits<float>::lowest();
  constexpr float kMax = std::numeric_limits<float>::max();
  switch (act) {
    case Activation::kNone: return FloatRange{kLowest, kMax};
    case Activation::kRelu: return FloatRange{0.0f, kMax};
    case Activation::kRelu6: return FloatRange{0.0f, 6.0f};
    case Activation::kReluN1To1: return FloatRange{-1.0f, 1.0f};
    default:
      return ctx.Error(fmt::format("fused activation {} is not supported", ActivationName(act)));
  }
}

namespace {

Status CheckFloat(const LowerContext& ctx, std::initializer_list<const Tensor*> tensors) {
  for (const Tensor* t : tensors) {
    if (t) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kFloat32));
  }
  return Status::Ok();
}

Activation FusedActivation(const Operator& op) {
  if (const auto* o = std::get_if<ActivationOptions>(&op.options)) return o->activation;
  if (const auto* o = std::get_if<AddOptions>(&op.options)) return o->activation;
  return Activation::kNone;
}

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// --- unary ---------------------------------------------------------------------

struct UnaryKernel {
  const char* name;
  const char* file;
  bool needs_math;
  void (*fn)(const tml_unary_f32_params_t*, const float*, float*);
};

const UnaryKernel kUnary[] = {
    {"relu", "tml_relu_f32.h", false, tml_relu_f32},
    {"relu6", "tml_relu_f32.h", false, tml_relu6_f32},
    {"logistic", "tml_logistic_f32.h", true, tml_logistic_f32},
    {"tanh", "tml_tanh_f32.h", true, tml_tanh_f32},
    {"elu", "tml_elu_f32.h", true, tml_elu_f32},
    {"hard_swish", "tml_hard_swish_f32.h", false, tml_hard_swish_f32},
    {"exp", "tml_math_f32.h", true, tml_exp_f32},
    {"log", "tml_math_f32.h", true, tml_log_f32},
    {"sqrt", "tml_math_f32.h", true, tml_sqrt_f32},
    {"rsqrt", "tml_math_f32.h", true, tml_rsqrt_f32},
    {"square", "tml_math_f32.h", true, tml_square_f32},
    {"sin", "tml_math_f32.h", true, tml_sin_f32},
    {"cos", "tml_math_f32.h", true, tml_cos_f32},
    {"abs", "tml_math_f32.h", true, tml_abs_f32},
    {"floor", "tml_math_f32.h", true, tml_floor_f32},
    {"ceil", "tml_math_f32.h", true, tml_ceil_f32},
    {"round", "tml_math_f32.h", true, tml_round_f32},
};

const UnaryKernel* FindUnary(const char* name) {
  for (const UnaryKernel& k : kUnary) {
    if (std::strcmp(k.name, name) == 0) return &k;
  }
  return nullptr;
}

Status PrepareUnary(const LowerContext& ctx, int32_t* size) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {ctx.In(0), ctx.Out(0)}));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, ctx.Out(0), ctx.In(0)->shape));
  *size = static_cast<int32_t>(ctx.In(0)->NumElements());
  return Status::Ok();
}

// --- binary --------------------------------------------------------------------

using BinaryFn = void (*)(const tml_add_f32_params_t*, const float*, const float*, float*);

// tml_add/sub/mul/div_f32_params_t are one type (tml_binary_f32_params_t).
Status PrepareBinary(const LowerContext& ctx, tml_broadcast_t* shape, FloatRange* range) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {ctx.In(0), ctx.In(1), ctx.Out(0)}));
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, ctx.In(0), ctx.In(1), ctx.Out(0), shape));
  auto r = FloatActivationRange(ctx, FusedActivation(ctx.op()));
  if (!r.ok()) return r.status();
  *range = r.value();
  return Status::Ok();
}

}  // namespace

bool IsFloat32Op(const LowerContext& ctx) {
  return ctx.NumInputs() > 0 && ctx.In(0) && ctx.In(0)->dtype == DType::kFloat32;
}

bool IsFloat32Op(const Graph& g, const Operator& op) {
  return !op.inputs.empty() && op.inputs[0] >= 0 &&
         g.tensors[op.inputs[0]].dtype == DType::kFloat32;
}

Status LowerFloatUnary(LowerContext& ctx, LayerCode* out, const char* name) {
  const UnaryKernel* k = FindUnary(name);
  int32_t size = 0;
  TINYMLC_RETURN_IF_ERROR(PrepareUnary(ctx, &size));
  out->kernels = {"tml_float_common.h", k->file};
  out->needs_math = k->needs_math;
  out->decls = CStruct("tml_unary_f32_params_t", ctx.Sym("params")).Field("size", size).Str();
  out->body = fmt::format("tml_{}_f32(&{}, {}, {});", name, ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldFloatUnary(const Graph& g, const Operator& op, const char* name, FoldedOutputs* out) {
  const LowerContext ctx(g, op, "fold");
  tml_unary_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareUnary(ctx, &p.size));
  const std::vector<float> in = ConstValues<float>(*ctx.In(0));
  std::vector<float> res(in.size());
  FindUnary(name)->fn(&p, in.data(), res.data());
  out->push_back(Bytes(res));
  return Status::Ok();
}

Status LowerFloatBinary(LowerContext& ctx, LayerCode* out, const char* name) {
  tml_broadcast_t shape{};
  FloatRange range{};
  TINYMLC_RETURN_IF_ERROR(PrepareBinary(ctx, &shape, &range));
  const std::string n = name;
  out->kernels = {"tml_float_common.h", "tml_broadcast.h", "tml_binary_f32.h", "tml_" + n + "_f32.h"};
  out->decls = CStruct("tml_" + n + "_f32_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(shape))
                   .FloatField("act_min", range.min)
                   .FloatField("act_max", range.max)
                   .Str();
  out->body = fmt::format("tml_{}_f32(&{}, {}, {}, {});", n, ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldFloatBinary(const Graph& g, const Operator& op, const char* name, FoldedOutputs* out) {
  const LowerContext ctx(g, op, "fold");
  tml_broadcast_t shape{};
  FloatRange range{};
  TINYMLC_RETURN_IF_ERROR(PrepareBinary(ctx, &shape, &range));
  const std::vector<float> a = ConstValues<float>(*ctx.In(0));
  const std::vector<float> b = ConstValues<float>(*ctx.In(1));
  std::vector<float> res(static_cast<size_t>(ctx.Out(0)->NumElements()));
  const std::string n = name;
  const tml_binary_f32_params_t p{shape, range.min, range.max};
  BinaryFn fn = n == "add" ? tml_add_f32 : n == "sub" ? tml_sub_f32 : n == "mul" ? tml_mul_f32 : tml_div_f32;
  fn(&p, a.data(), b.data(), res.data());
  out->push_back(Bytes(res));
  return Status::Ok();
}

namespace {

Status PrepareMaximumMinimum(const LowerContext& ctx, bool maximum,
                             tml_maximum_minimum_f32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {ctx.In(0), ctx.In(1), ctx.Out(0)}));
  p->maximum = maximum ? 1 : 0;
  return PlanBroadcast(ctx, ctx.In(0), ctx.In(1), ctx.Out(0), &p->shape);
}

}  // namespace

Status LowerFloatMaximumMinimum(LowerContext& ctx, LayerCode* out, bool maximum) {
  tml_maximum_minimum_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareMaximumMinimum(ctx, maximum, &p));
  out->kernels = {"tml_float_common.h", "tml_broadcast.h", "tml_maximum_minimum_f32.h"};
  out->decls = CStruct("tml_maximum_minimum_f32_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("maximum", p.maximum)
                   .Str();
  out->body = fmt::format("tml_maximum_minimum_f32(&{}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldFloatMaximumMinimum(const Graph& g, const Operator& op, bool maximum,
                               FoldedOutputs* out) {
  const LowerContext ctx(g, op, "fold");
  tml_maximum_minimum_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareMaximumMinimum(ctx, maximum, &p));
  const std::vector<float> a = ConstValues<float>(*ctx.In(0));
  const std::vector<float> b = ConstValues<float>(*ctx.In(1));
  std::vector<float> res(static_cast<size_t>(ctx.Out(0)->NumElements()));
  tml_maximum_minimum_f32(&p, a.data(), b.data(), res.data());
  out->push_back(Bytes(res));
  return Status::Ok();
}

// --- LEAKY_RELU, PRELU, MEAN ---------------------------------------------------------

namespace {

Status PrepareLeakyRelu(const LowerContext& ctx, tml_leaky_relu_f32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(PrepareUnary(ctx, &p->size));
  const auto* o = std::get_if<LeakyReluOptions>(&ctx.op().options);
  p->alpha = o ? o->alpha : 0.0f;
  return Status::Ok();
}

Status PreparePrelu(const LowerContext& ctx, tml_prelu_f32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {ctx.In(0), ctx.In(1), ctx.Out(0)}));
  for (const Tensor* t : {ctx.In(0), ctx.In(1), ctx.Out(0)}) {
    if (t->shape.size() > 4) return ctx.Error("rank above 4 (TFLM's PRELU is 4-D)", t);
  }
  return PlanBroadcast(ctx, ctx.In(0), ctx.In(1), ctx.Out(0), &p->shape);
}

Status PrepareMean(const LowerContext& ctx, tml_mean_f32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {ctx.In(0), ctx.Out(0)}));
  return PlanReduce(ctx, &p->shape, &p->count);
}

Status PrepareReduceMax(const LowerContext& ctx, tml_reduce_max_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {ctx.In(0), ctx.Out(0)}));
  int32_t count = 0;
  return PlanReduce(ctx, &p->shape, &count);
}

}  // namespace

Status LowerFloatLeakyRelu(LowerContext& ctx, LayerCode* out) {
  tml_leaky_relu_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareLeakyRelu(ctx, &p));
  out->kernels = {"tml_float_common.h", "tml_leaky_relu_f32.h"};
  out->decls = CStruct("tml_leaky_relu_f32_params_t", ctx.Sym("params"))
                   .Field("size", p.size)
                   .FloatField("alpha", p.alpha)
                   .Str();
  out->body = fmt::format("tml_leaky_relu_f32(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldFloatLeakyRelu(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldUnary<tml_leaky_relu_f32_params_t, float, float>(g, op, PrepareLeakyRelu,
                                                              tml_leaky_relu_f32, out);
}

Status LowerFloatPrelu(LowerContext& ctx, LayerCode* out) {
  tml_prelu_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PreparePrelu(ctx, &p));
  out->kernels = {"tml_float_common.h", "tml_broadcast.h", "tml_prelu_f32.h"};
  out->decls = CStruct("tml_prelu_f32_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Str();
  out->body = fmt::format("tml_prelu_f32(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldFloatPrelu(const Graph& g, const Operator& op, FoldedOutputs* out) {
  const LowerContext ctx(g, op, "fold");
  tml_prelu_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PreparePrelu(ctx, &p));
  const std::vector<float> a = ConstValues<float>(*ctx.In(0));
  const std::vector<float> b = ConstValues<float>(*ctx.In(1));
  std::vector<float> res(static_cast<size_t>(ctx.Out(0)->NumElements()));
  tml_prelu_f32(&p, a.data(), b.data(), res.data());
  out->push_back(Bytes(res));
  return Status::Ok();
}

Status LowerFloatMean(LowerContext& ctx, LayerCode* out) {
  tml_mean_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareMean(ctx, &p));
  out->kernels = {"tml_float_common.h", "tml_reduce.h", "tml_reduce_f32.h"};
  out->decls = CStruct("tml_mean_f32_params_t", ctx.Sym("params"))
                   .Field("shape", ReduceShapeInit(p.shape))
                   .Field("count", p.count)
                   .Str();
  out->body = fmt::format("tml_mean_f32(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldFloatMean(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldUnary<tml_mean_f32_params_t, float, float>(g, op, PrepareMean, tml_mean_f32, out);
}

Status LowerFloatReduceMax(LowerContext& ctx, LayerCode* out) {
  tml_reduce_max_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareReduceMax(ctx, &p));
  out->kernels = {"tml_float_common.h", "tml_reduce.h", "tml_reduce_f32.h"};
  out->decls = CStruct("tml_reduce_max_s8_params_t", ctx.Sym("params"))
                   .Field("shape", ReduceShapeInit(p.shape))
                   .Str();
  out->body = fmt::format("tml_reduce_max_f32(&{}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status FoldFloatReduceMax(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldUnary<tml_reduce_max_s8_params_t, float, float>(g, op, PrepareReduceMax,
                                                             tml_reduce_max_f32, out);
}

// --- layers ----------------------------------------------------------------------

Status LowerFloatFullyConnected(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<FullyConnectedOptions>(ctx.op().options);
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {input, filter, bias, output}));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, filter, 2));
  if (o.weights_format != 0) return ctx.Error("shuffled weights format is not supported", filter);
  const int32_t out_depth = filter->shape[0], accum = filter->shape[1];
  if (accum <= 0 || input->NumElements() % accum != 0) {
    return ctx.Error(fmt::format("input has {} elements, not a multiple of the filter depth {}",
                                 input->NumElements(), accum),
                     input);
  }
  const int64_t batches = input->NumElements() / accum;
  if (output->NumElements() != batches * out_depth || output->shape.empty() ||
      output->shape.back() != out_depth) {
    return ctx.Error(fmt::format("output shape [{}] does not hold {} x {} values",
                                 fmt::join(output->shape, ","), batches, out_depth),
                     output);
  }
  if (bias && bias->NumElements() != out_depth) {
    return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_depth),
                     bias);
  }
  auto act = FloatActivationRange(ctx, o.activation);
  if (!act.ok()) return act.status();
  out->kernels = {"tml_float_common.h", "tml_fully_connected_f32.h"};
  out->decls = CStruct("tml_fully_connected_f32_params_t", ctx.Sym("params"))
                   .Field("batches", batches)
                   .Field("accum_depth", accum)
                   .Field("output_depth", out_depth)
                   .FloatField("act_min", act->min)
                   .FloatField("act_max", act->max)
                   .Str();
  out->body = fmt::format("tml_fully_connected_f32(&{}, {}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(filter), ctx.Ptr(bias), ctx.Ptr(output));
  return Status::Ok();
}

Status LowerFloatConv2D(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<Conv2DOptions>(ctx.op().options);
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {input, filter, bias, output}));
  for (const Tensor* t : {input, filter, output}) TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, t, 4));
  TINYMLC_RETURN_IF_ERROR(CheckStride(ctx, o.stride_h, o.stride_w));
  if (o.dilation_h < 1 || o.dilation_w < 1) {
    return ctx.Error(fmt::format("dilation {}x{} is invalid", o.dilation_h, o.dilation_w));
  }
  const int32_t batches = input->shape[0], in_h = input->shape[1], in_w = input->shape[2],
                in_c = input->shape[3];
  const int32_t out_c = filter->shape[0], f_h = filter->shape[1], f_w = filter->shape[2],
                f_c = filter->shape[3];
  if (f_c <= 0 || in_c % f_c != 0 || out_c % (in_c / f_c) != 0) {
    return ctx.Error(fmt::format("filter depth {} does not divide input depth {} into groups that "
                                 "divide {} output channels",
                                 f_c, in_c, out_c),
                     filter);
  }
  if (bias && bias->NumElements() != out_c) {
    return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_c),
                     bias);
  }
  const int32_t out_h = ComputeOutSize(o.padding, in_h, f_h, o.stride_h, o.dilation_h);
  const int32_t out_w = ComputeOutSize(o.padding, in_w, f_w, o.stride_w, o.dilation_w);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {batches, out_h, out_w, out_c}));
  auto act = FloatActivationRange(ctx, o.activation);
  if (!act.ok()) return act.status();
  out->kernels = {"tml_float_common.h", "tml_conv_2d_f32.h"};
  out->decls = CStruct("tml_conv_2d_f32_params_t", ctx.Sym("params"))
                   .Field("batches", batches)
                   .Field("input_h", in_h).Field("input_w", in_w).Field("input_c", in_c)
                   .Field("filter_h", f_h).Field("filter_w", f_w).Field("filter_c", f_c)
                   .Field("output_h", out_h).Field("output_w", out_w).Field("output_c", out_c)
                   .Field("stride_h", o.stride_h).Field("stride_w", o.stride_w)
                   .Field("dilation_h", o.dilation_h).Field("dilation_w", o.dilation_w)
                   .Field("pad_h", ComputePadding(o.stride_h, o.dilation_h, in_h, f_h, out_h))
                   .Field("pad_w", ComputePadding(o.stride_w, o.dilation_w, in_w, f_w, out_w))
                   .FloatField("act_min", act->min)
                   .FloatField("act_max", act->max)
                   .Str();
  out->body = fmt::format("tml_conv_2d_f32(&{}, {}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(filter), ctx.Ptr(bias), ctx.Ptr(output));
  return Status::Ok();
}

Status LowerFloatDepthwiseConv2D(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<DepthwiseConv2DOptions>(ctx.op().options);
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {input, filter, bias, output}));
  for (const Tensor* t : {input, filter, output}) TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, t, 4));
  TINYMLC_RETURN_IF_ERROR(CheckStride(ctx, o.stride_h, o.stride_w));
  if (o.dilation_h < 1 || o.dilation_w < 1) {
    return ctx.Error(fmt::format("dilation {}x{} is invalid", o.dilation_h, o.dilation_w));
  }
  const int32_t batches = input->shape[0], in_h = input->shape[1], in_w = input->shape[2],
                in_c = input->shape[3];
  const int32_t f_h = filter->shape[1], f_w = filter->shape[2], out_c = filter->shape[3];
  if (filter->shape[0] != 1) return ctx.Error("filter's first dimension must be 1", filter);
  if (in_c <= 0 || out_c % in_c != 0) {
    return ctx.Error(fmt::format("filter depth {} is not a multiple of input depth {}", out_c, in_c),
                     filter);
  }
  if (bias && bias->NumElements() != out_c) {
    return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_c),
                     bias);
  }
  const int32_t out_h = ComputeOutSize(o.padding, in_h, f_h, o.stride_h, o.dilation_h);
  const int32_t out_w = ComputeOutSize(o.padding, in_w, f_w, o.stride_w, o.dilation_w);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {batches, out_h, out_w, out_c}));
  auto act = FloatActivationRange(ctx, o.activation);
  if (!act.ok()) return act.status();
  out->kernels = {"tml_float_common.h", "tml_depthwise_conv_2d_f32.h"};
  out->decls = CStruct("tml_depthwise_conv_2d_f32_params_t", ctx.Sym("params"))
                   .Field("batches", batches)
                   .Field("input_h", in_h).Field("input_w", in_w).Field("input_c", in_c)
                   .Field("filter_h", f_h).Field("filter_w", f_w)
                   .Field("depth_multiplier", out_c / in_c)
                   .Field("output_h", out_h).Field("output_w", out_w)
                   .Field("stride_h", o.stride_h).Field("stride_w", o.stride_w)
                   .Field("dilation_h", o.dilation_h).Field("dilation_w", o.dilation_w)
                   .Field("pad_h", ComputePadding(o.stride_h, o.dilation_h, in_h, f_h, out_h))
                   .Field("pad_w", ComputePadding(o.stride_w, o.dilation_w, in_w, f_w, out_w))
                   .FloatField("act_min", act->min)
                   .FloatField("act_max", act->max)
                   .Str();
  out->body = fmt::format("tml_depthwise_conv_2d_f32(&{}, {}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(filter), ctx.Ptr(bias), ctx.Ptr(output));
  return Status::Ok();
}

Status LowerFloatPool2D(LowerContext& ctx, LayerCode* out, bool is_max) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<Pool2DOptions>(ctx.op().options);
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {input, output}));
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
  out->kernels = {"tml_float_common.h", "tml_pool_2d_f32.h"};
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
  out->body = fmt::format("{}(&{}, {}, {});",
                          is_max ? "tml_max_pool_2d_f32" : "tml_average_pool_2d_f32",
                          ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(output));
  return Status::Ok();
}

Status LowerFloatSoftmax(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckFloat(ctx, {input, output}));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  if (input->shape.empty()) return ctx.Error("input must have rank 1 or more", input);
  const auto* o = std::get_if<SoftmaxOptions>(&ctx.op().options);
  const int32_t depth = input->shape.back();
  const int64_t outer = depth > 0 ? input->NumElements() / depth : 0;
  out->kernels = {"tml_float_common.h", "tml_softmax_f32.h"};
  out->needs_math = true;
  out->decls = CStruct("tml_softmax_f32_params_t", ctx.Sym("params"))
                   .Field("outer", outer)
                   .Field("depth", depth)
                   .FloatField("beta", o ? o->beta : 1.0f)
                   .Str();
  out->body = fmt::format("tml_softmax_f32(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace tinymlc
