// PRELU: int8 input/output (or int16 input/output) with an int8 alpha tensor that
// broadcasts against the input (NumPy rules, rank <= 8), as TFLM's
// BroadcastPrelu4DSlow. Multipliers: input_scale / output_scale for x >= 0 and
// input_scale * alpha_scale / output_scale for x < 0, in double. Like TFLM, a
// per-channel quantized alpha contributes only its first scale and zero point.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ops/activation_common.h"
#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_prelu.h"

namespace tinymlc {
namespace {

struct Plan {
  tml_prelu_params_t params{};
  bool broadcast = false;
};

Status CheckAlpha(const LowerContext& ctx, const Tensor* alpha) {
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, alpha, DType::kInt8));
  if (!alpha->quant.present()) return ctx.Error("alpha is not quantized (no scale)", alpha);
  const float s = alpha->quant.scale[0];
  if (!std::isfinite(s) || s <= 0.0f) {
    return ctx.Error(fmt::format("alpha scale {} is not finite and positive", s), alpha);
  }
  if (alpha->zero_point() < -128 || alpha->zero_point() > 127) {
    return ctx.Error(fmt::format("alpha zero point {} is outside int8", alpha->zero_point()),
                     alpha);
  }
  return Status::Ok();
}

Result<Plan> Prepare(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* alpha = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  if (input->dtype != DType::kInt8 && input->dtype != DType::kInt16) {
    return ctx.Error(fmt::format("input dtype {} is not supported (expected int8 or int16)",
                                 DTypeName(input->dtype)),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckAlpha(ctx, alpha));
  for (const Tensor* t : {input, alpha, output}) {
    if (t->shape.size() > TML_PRELU_MAX_RANK) {
      return ctx.Error(fmt::format("rank {} is above the supported {}", t->shape.size(),
                                   TML_PRELU_MAX_RANK),
                       t);
    }
  }
  const size_t rank = std::max(input->shape.size(), alpha->shape.size());
  std::vector<int32_t> bshape(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int32_t a = i < input->shape.size() ? input->shape[input->shape.size() - 1 - i] : 1;
    const int32_t b = i < alpha->shape.size() ? alpha->shape[alpha->shape.size() - 1 - i] : 1;
    if (a != b && a != 1 && b != 1) {
      return ctx.Error(fmt::format("input shape [{}] and alpha shape [{}] cannot be broadcast",
                                   fmt::join(input->shape, ","), fmt::join(alpha->shape, ",")),
                       alpha);
    }
    bshape[rank - 1 - i] = a == 1 ? b : a;
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, bshape));

  const double in_scale = static_cast<double>(input->scale());
  const double out_scale = static_cast<double>(output->scale());
  auto m1 = CheckedMultiplier(ctx, in_scale / out_scale, "input_scale / output_scale");
  if (!m1.ok()) return m1.status();
  auto m2 = CheckedMultiplier(ctx, in_scale * static_cast<double>(alpha->quant.scale[0]) / out_scale,
                              "input_scale * alpha_scale / output_scale");
  if (!m2.ok()) return m2.status();

  Plan plan;
  tml_prelu_params_t& p = plan.params;
  p.size = static_cast<int32_t>(output->NumElements());
  p.input_offset = -input->zero_point();
  p.alpha_offset = -alpha->zero_point();
  p.output_offset = output->zero_point();
  p.multiplier_1 = m1->multiplier;
  p.shift_1 = m1->shift;
  p.multiplier_2 = m2->multiplier;
  p.shift_2 = m2->shift;
  plan.broadcast = input->shape != alpha->shape;
  if (plan.broadcast) {
    TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, input, alpha, output, &p.shape));
  }
  return plan;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatPrelu(ctx, out);
  auto plan = Prepare(ctx);
  if (!plan.ok()) return plan.status();
  const tml_prelu_params_t& p = plan->params;
  CStruct params("tml_prelu_params_t", ctx.Sym("params"));
  params.Field("size", p.size)
      .Field("input_offset", p.input_offset)
      .Field("alpha_offset", p.alpha_offset)
      .Field("output_offset", p.output_offset)
      .Field("multiplier_1", p.multiplier_1)
      .Field("shift_1", p.shift_1)
      .Field("multiplier_2", p.multiplier_2)
      .Field("shift_2", p.shift_2);
  if (plan->broadcast) {
    params.Field("shape", BroadcastInit(p.shape));
  }
  const bool is16 = ctx.In(0)->dtype == DType::kInt16;
  out->kernels = {"tml_broadcast.h", "tml_prelu.h"};
  out->decls = params.Str();
  out->body = fmt::format("tml_prelu{}_{}(&{}, {}, {}, {});", plan->broadcast ? "_broadcast" : "",
                          is16 ? "s16" : "s8", ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

template <typename T>
std::vector<uint8_t> Run(const Graph& g, const Operator& op, const Plan& plan,
                         void (*flat)(const tml_prelu_params_t*, const T*, const int8_t*, T*),
                         void (*broadcast)(const tml_prelu_params_t*, const T*, const int8_t*,
                                           T*)) {
  const std::vector<T> in = ConstantElements<T>(g.tensors[op.inputs[0]]);
  const std::vector<int8_t> alpha = ConstantElements<int8_t>(g.tensors[op.inputs[1]]);
  std::vector<T> out(static_cast<size_t>(g.tensors[op.outputs[0]].NumElements()));
  (plan.broadcast ? broadcast : flat)(&plan.params, in.data(), alpha.data(), out.data());
  return ElementBytes(out);
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatPrelu(g, op, out);
  const LowerContext ctx(g, op, "fold");
  auto plan = Prepare(ctx);
  if (!plan.ok()) return plan.status();
  if (g.tensors[op.inputs[0]].dtype == DType::kInt16) {
    *out = {Run<int16_t>(g, op, plan.value(), tml_prelu_s16, tml_prelu_broadcast_s16)};
  } else {
    *out = {Run<int8_t>(g, op, plan.value(), tml_prelu_s8, tml_prelu_broadcast_s8)};
  }
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kPrelu = {54, "PRELU", "int8, int16 (int8 alpha), float32", Lower, Macs, Fold};

}  // namespace tinymlc
