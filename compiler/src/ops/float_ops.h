// float32 lowerings of the ops whose TFLM kernel has a float path. Each op's own file
// (conv_2d.cc, add.cc, ...) keeps its int8/int16 lowering and dispatches here with one
// line when its first input is float32: `if (IsFloat32Op(ctx)) return LowerFloat...`.
// The kernels are templates/kernels/tml_*_f32.h; they follow TFLM's float reference
// kernels operation for operation (see tml_float_common.h on FP contraction).
#pragma once

#include "ops/op_util.h"

namespace tinymlc {

struct FloatRange {
  float min, max;
};
// TFLM's CalculateActivationRange for float (NONE, RELU, RELU6, RELU_N1_TO_1).
Result<FloatRange> FloatActivationRange(const LowerContext& ctx, Activation act);

// The operator's first input is float32 (the float lowering applies).
bool IsFloat32Op(const LowerContext& ctx);
bool IsFloat32Op(const Graph& g, const Operator& op);

Status LowerFloatFullyConnected(LowerContext& ctx, LayerCode* out);
Status LowerFloatConv2D(LowerContext& ctx, LayerCode* out);
Status LowerFloatDepthwiseConv2D(LowerContext& ctx, LayerCode* out);
Status LowerFloatPool2D(LowerContext& ctx, LayerCode* out, bool is_max);
Status LowerFloatSoftmax(LowerContext& ctx, LayerCode* out);

// ADD, SUB, MUL ("add", "sub", "mul"): broadcasting, fused activation.
Status LowerFloatBinary(LowerContext& ctx, LayerCode* out, const char* name);
Status FoldFloatBinary(const Graph& g, const Operator& op, const char* name, FoldedOutputs* out);

// Elementwise unary activations: "relu", "relu6", "logistic", "tanh", "elu",
// "hard_swish" (kernel tml_<name>_f32 in tml_<file>_f32.h).
Status LowerFloatUnary(LowerContext& ctx, LayerCode* out, const char* name);
Status FoldFloatUnary(const Graph& g, const Operator& op, const char* name, FoldedOutputs* out);

// MAXIMUM / MINIMUM (broadcasting, no activation).
Status LowerFloatMaximumMinimum(LowerContext& ctx, LayerCode* out, bool maximum);
Status FoldFloatMaximumMinimum(const Graph& g, const Operator& op, bool maximum,
                               FoldedOutputs* out);

Status LowerFloatLeakyRelu(LowerContext& ctx, LayerCode* out);
Status FoldFloatLeakyRelu(const Graph& g, const Operator& op, FoldedOutputs* out);
Status LowerFloatPrelu(LowerContext& ctx, LayerCode* out);
Status FoldFloatPrelu(const Graph& g, const Operator& op, FoldedOutputs* out);
Status LowerFloatMean(LowerContext& ctx, LayerCode* out);
Status FoldFloatMean(const Graph& g, const Operator& op, FoldedOutputs* out);
Status LowerFloatReduceMax(LowerContext& ctx, LayerCode* out);
Status FoldFloatReduceMax(const Graph& g, const Operator& op, FoldedOutputs* out);

}  // namespace tinymlc
