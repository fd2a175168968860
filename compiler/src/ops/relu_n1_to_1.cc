// RELU_N1_TO_1: int8 / int16, requantized and clamped to [-1, 1] on the output scale.
// TFLM (micro) has no kernel for it; this is TFLite's Relu1 (QuantizedReluX with
// -1 and 1), the same arithmetic as TFLM's RELU with both bounds.
#include "ops/activation_common.h"

namespace tinymlc {
namespace {

constexpr float kMin = -1.0f;
constexpr float kMax = 1.0f;

Status Lower(LowerContext& ctx, LayerCode* out) { return LowerRequantizingRelu(ctx, out, kMin, kMax); }

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldRequantizingRelu(g, op, kMin, kMax, out);
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kReluN1To1 = {20, "RELU_N1_TO_1", "int8, int16", Lower, Macs, Fold};

}  // namespace tinymlc
