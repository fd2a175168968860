// DIV: float32 with NumPy broadcasting and a fused activation, as TFLM's reference float
// Div (tml_div_f32.h). TFLM's int8 DIV (rescaled integer division) is not supported yet:
// such models are refused with the tensor named.
#include <fmt/format.h>

#include "ops/float_ops.h"

namespace tinymlc {
namespace {

Status Refuse(const LowerContext& ctx) {
  if (ctx.NumInputs() < 1 || !ctx.In(0)) return ctx.Error("DIV needs two inputs");
  return ctx.Error(fmt::format("DIV on {} is not supported (float32 only)",
                               DTypeName(ctx.In(0)->dtype)),
                   ctx.In(0));
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (!IsFloat32Op(ctx)) return Refuse(ctx);
  return LowerFloatBinary(ctx, out, "div");
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (!IsFloat32Op(g, op)) return Refuse(LowerContext(g, op, "fold"));
  return FoldFloatBinary(g, op, "div", out);
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kDiv = {42, "DIV", "float32", Lower, Macs, Fold};

}  // namespace tinymlc
