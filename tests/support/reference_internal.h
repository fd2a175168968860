// Internals of the reference implementation shared by its per-group files
// (reference_ops.cc: the core ops; reference_<group>.cc: further op groups).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model_builder.h"
#include "reference_ops.h"

namespace tinymlc::testing {

using ref::ActRange;
using ref::Multiplier;

// What an op implementation sees.
struct OpContext {
  const ModelSpec& model;
  const OpSpec& op;
  std::vector<std::vector<uint8_t>>& values;

  int num_inputs() const { return static_cast<int>(op.inputs.size()); }
  bool has_input(int i) const { return i < num_inputs() && op.inputs[i] >= 0; }
  const TensorSpec& in(int i) const { return model.tensors[op.inputs[i]]; }
  const TensorSpec& out(int i = 0) const { return model.tensors[op.outputs[i]]; }
  template <typename T>
  const T* in_data(int i) const {
    return reinterpret_cast<const T*>(values[op.inputs[i]].data());
  }
  template <typename T>
  T* out_data(int i = 0) {
    return reinterpret_cast<T*>(values[op.outputs[i]].data());
  }
};

// Returns "" on success or what is wrong.
using OpFn = std::function<std::string(OpContext&)>;
using OpRegistry = std::map<int, OpFn>;

template <typename T>
const T* Options(const OpSpec& op) {
  if (op.omit_options) return nullptr;
  return std::get_if<T>(&op.options);
}

std::string CheckType(const TensorSpec& t, DT dt, const char* what);

// Each group file adds its ops (builtin code -> function). Defined in reference_<group>.cc.
// The int16-activation forms of the layers (reference_int16x8.cc), called by the int8
// ones when the input is int16.
std::string Conv2DS16(OpContext& c, const Conv2DOpts& p);
std::string DepthwiseConv2DS16(OpContext& c, const DepthwiseOpts& p);
std::string FullyConnectedS16(OpContext& c, const FcOpts& p);
std::string AddS16(OpContext& c, int activation);
std::string SubS16(OpContext& c, int activation);
std::string MulS16(OpContext& c, int activation);
std::string PoolS16(OpContext& c, const PoolOpts& p, bool average);
std::string SoftmaxS16(OpContext& c, float beta);
// TFLM's MultiplyByQuantizedMultiplier(int64_t, ...) (reference_int16x8.cc).
int32_t MultiplyByQuantizedMultiplier64(int64_t x, int32_t quantized_multiplier, int shift);
// TRANSPOSE_CONV with float32 data (reference_float.cc).
std::string TransposeConvF32(OpContext& c);

void RegisterShapeOps(OpRegistry& r);        // data movement (PAD, TRANSPOSE, ...)
void RegisterElementwiseOps(OpRegistry& r);  // MUL, SUB, reductions, comparisons, ...
void RegisterActivationOps(OpRegistry& r);   // RELU..., LOGISTIC, TANH, HARD_SWISH, ...
void RegisterLayerOps(OpRegistry& r);        // TRANSPOSE_CONV, SVDF, LSTM, BATCH_MATMUL, ...
void RegisterOps2(OpRegistry& r);            // MIRROR_PAD, GATHER_ND, CUMSUM, int8 DIV, ...
// Last: wraps the entries of the ops with a float32 path (reference_float.cc).
void RegisterFloatOps(OpRegistry& r);

}  // namespace tinymlc::testing
