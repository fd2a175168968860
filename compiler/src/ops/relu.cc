// RELU: int8 / int16, requantized from the input to the output scale and clamped at
// 0 (TFLM's ReluQuantized; int16 needs zero points 0).
#include <limits>

#include "ops/activation_common.h"
#include "ops/float_ops.h"

namespace tinymlc {
namespace {

constexpr float kMin = 0.0f;
constexpr float kMax = std::numeric_limits<float>::infinity();

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "relu");
  return LowerRequantizingRelu(ctx, out, kMin, kMax);
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "relu", out);
  return FoldRequantizingRelu(g, op, kMin, kMax, out);
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kRelu = {19, "RELU", "int8, int16, float32", Lower, Macs, Fold};

}  // namespace tinymlc
