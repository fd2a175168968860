// RELU6: int8 / int16. TFLM's Relu6 clamps the input values to [zero point, 6.0
// quantized with the input's scale and zero point] and does NOT requantize: the output
// tensor's quantization is ignored (as in TFLM).
#include <fmt/format.h>

#include <algorithm>

#include "ops/activation_common.h"
#include "ops/float_ops.h"
#include "tml_relu.h"

namespace tinymlc {
namespace {

Result<tml_relu6_params_t> Prepare(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8, DType::kInt16}));
  const Tensor* input = ctx.In(0);
  const bool is16 = input->dtype == DType::kInt16;
  const int32_t qmin = is16 ? -32768 : -128;
  const int32_t qmax = is16 ? 32767 : 127;
  tml_relu6_params_t p{};
  p.size = static_cast<int32_t>(input->NumElements());
  p.lower = input->zero_point();
  // FloatToQuantizedType<T>(6.0f, scale, zero_point): clamped to the type.
  p.upper = std::clamp(QuantizeFloatValue(6.0f, input->scale(), input->zero_point()), qmin, qmax);
  return p;
}

const char* KernelFn(const Tensor& input) {
  return input.dtype == DType::kInt16 ? "tml_relu6_s16" : "tml_relu6_s8";
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "relu6");
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  out->kernels = {"tml_relu.h"};
  out->decls = CStruct("tml_relu6_params_t", ctx.Sym("params"))
                   .Field("size", p->size)
                   .Field("lower", p->lower)
                   .Field("upper", p->upper)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {});", KernelFn(*ctx.In(0)), ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "relu6", out);
  const LowerContext ctx(g, op, "fold");
  auto p = Prepare(ctx);
  if (!p.ok()) return p.status();
  *out = g.tensors[op.inputs[0]].dtype == DType::kInt16
             ? FoldUnary<int16_t>(g, op, p.value(), tml_relu6_s16)
             : FoldUnary<int8_t>(g, op, p.value(), tml_relu6_s8);
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kRelu6 = {21, "RELU6", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
