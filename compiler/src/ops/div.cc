// DIV: float32 (tml_div_f32.h), int8 and int32 (tml_div.h), with NumPy broadcasting and
// a fused activation, as TFLM's div.cc. int8 rescales with TFLM's multiplier
// (double)s1 / ((double)s2 * (double)s_out) (its Prepare computes it in double, checked
// on the pip build) and its integer reciprocal; int32 is plain truncating division of
// unquantized tensors.
#include <fmt/format.h>

#include <climits>
#include <cstring>

#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_div.h"

namespace tinymlc {
namespace {

Activation FusedAct(const Operator& op) {
  const auto* o = std::get_if<ActivationOptions>(&op.options);
  return o ? o->activation : Activation::kNone;
}

Status PrepareInt8(const LowerContext& ctx, tml_div_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, in1));
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, in2));
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, output));
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p->shape));
  auto act = FusedActivationRange(ctx, output);
  if (!act.ok()) return act.status();
  const double real = static_cast<double>(in1->scale()) /
                      (static_cast<double>(in2->scale()) * static_cast<double>(output->scale()));
  const QuantizedMultiplier m = QuantizeMultiplier(real);
  // The kernel's final shift is e = headroom (22..31) + recip_shift (-1..7) - shift: kept
  // within [0, 63], the range the x86-64 TFLM build's shifts are defined for.
  if (m.shift > 21 || m.shift < -25) {
    return ctx.Error(fmt::format("input1_scale / (input2_scale * output_scale) = {} is outside "
                                 "the supported 2^-25 .. 2^21",
                                 real),
                     output);
  }
  p->input1_offset = -in1->zero_point();
  p->input2_offset = -in2->zero_point();
  p->output_offset = output->zero_point();
  p->output_multiplier = m.multiplier;
  p->output_shift = m.shift;
  p->act_min = act->min;
  p->act_max = act->max;
  return Status::Ok();
}

Status LowerInt8(LowerContext& ctx, LayerCode* out) {
  tml_div_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareInt8(ctx, &p));
  out->kernels = {"tml_broadcast.h", "tml_fixedpoint.h", "tml_div.h"};
  out->decls = CStruct("tml_div_s8_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("input1_offset", p.input1_offset)
                   .Field("input2_offset", p.input2_offset)
                   .Field("output_offset", p.output_offset)
                   .Field("output_multiplier", p.output_multiplier)
                   .Field("output_shift", p.output_shift)
                   .Field("act_min", p.act_min)
                   .Field("act_max", p.act_max)
                   .Str();
  out->body = fmt::format("tml_div_s8(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status PrepareInt32(const LowerContext& ctx, tml_div_s32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, in2, DType::kInt32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt32));
  for (const Tensor* t : {in1, in2}) {
    if (!t->quant.scale.empty()) {
      return ctx.Error("quantized int32 DIV is not supported by TFLM", t);
    }
  }
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p->shape));
  p->act_min = INT32_MIN;
  p->act_max = INT32_MAX;
  switch (FusedAct(ctx.op())) {
    case Activation::kNone: break;
    case Activation::kRelu: p->act_min = 0; break;
    case Activation::kRelu6: p->act_min = 0; p->act_max = 6; break;
    case Activation::kReluN1To1: p->act_min = -1; p->act_max = 1; break;
    default: return ctx.Error("unsupported fused activation for int32 DIV");
  }
  return Status::Ok();
}

Status LowerInt32(LowerContext& ctx, LayerCode* out) {
  tml_div_s32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PrepareInt32(ctx, &p));
  out->kernels = {"tml_broadcast.h", "tml_fixedpoint.h", "tml_div.h"};
  out->decls = CStruct("tml_div_s32_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("act_min", p.act_min == INT32_MIN ? std::string("INT32_MIN")
                                                            : std::to_string(p.act_min))
                   .Field("act_max", p.act_max)
                   .Str();
  out->body = fmt::format(
      "if (tml_div_s32(&{}, {}, {}, {}) != 0) {{\n    return TINYML_ERROR;\n  }}",
      ctx.Sym("params"), ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatBinary(ctx, out, "div");
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  if (ctx.In(0)->dtype == DType::kInt8) return LowerInt8(ctx, out);
  if (ctx.In(0)->dtype == DType::kInt32) return LowerInt32(ctx, out);
  return ctx.Error(fmt::format("DIV on {} is not supported (TFLM: float32, int32, int8)",
                               DTypeName(ctx.In(0)->dtype)),
                   ctx.In(0));
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (FirstInputIs(g, op, DType::kInt8)) {
    return FoldBinary<tml_div_s8_params_t, int8_t>(g, op, PrepareInt8, tml_div_s8, out);
  }
  if (FirstInputIs(g, op, DType::kInt32)) {
    const LowerContext ctx(g, op, "fold");
    tml_div_s32_params_t p{};
    TINYMLC_RETURN_IF_ERROR(PrepareInt32(ctx, &p));
    const std::vector<int32_t> a = ConstValues<int32_t>(*ctx.In(0));
    const std::vector<int32_t> b = ConstValues<int32_t>(*ctx.In(1));
    std::vector<int32_t> r(static_cast<size_t>(ctx.Out(0)->NumElements()));
    if (tml_div_s32(&p, a.data(), b.data(), r.data()) != 0) {
      return ctx.Error("constant int32 DIV by zero");
    }
    out->emplace_back(r.size() * sizeof(int32_t));
    if (!r.empty()) std::memcpy(out->back().data(), r.data(), out->back().size());
    return Status::Ok();
  }
  return FoldFloatBinary(g, op, "div", out);
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kDiv = {42, "DIV", "int8, int32, float32", Lower, Macs, Fold};

}  // namespace tinymlc
