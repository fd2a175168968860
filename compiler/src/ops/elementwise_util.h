// Helpers shared by the elementwise ops (MUL, SUB, MAXIMUM/MINIMUM, SQUARED_DIFFERENCE,
// the comparisons, ABS, NEG, RSQRT) and the reductions (MEAN, SUM, REDUCE_MAX):
// planning the loops of tml_broadcast.h, TFLM's checked multiplier derivation, and
// constant folding by running the very C kernel the model would run.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "ops/op_util.h"
#include "tml_broadcast.h"

namespace tinymlc {

// One loop of a strided walk over one or two operands: trip count and the stride of
// each operand in elements (0 = the operand does not move).
struct StridedLoop {
  int64_t dim;
  int64_t stride[2];
};
// Appends a loop to `loops` (innermost first), dropping trip count 1 and merging it
// into the previous loop when both operands continue contiguously (or stay put).
void AppendLoop(std::vector<StridedLoop>* loops, int64_t dim, int64_t s0, int64_t s1);
// "{1, 2, 3}" from the first n values.
std::string CIntList(const int32_t* v, int n);

// NumPy broadcasting of in1 and in2 to `output` (whose shape must be the broadcast
// shape), as loops for tml_broadcast.h: size-1 dimensions dropped, dimensions that
// are contiguous in both inputs merged. Fails beyond TML_BROADCAST_MAX_RANK loops.
Status PlanBroadcast(const LowerContext& ctx, const Tensor* in1, const Tensor* in2,
                     const Tensor* output, tml_broadcast_t* plan);
// C initializer of a tml_broadcast_t: "{ .rank = 2, .dims = {...}, ... }".
std::string BroadcastInit(const tml_broadcast_t& plan);

// TFLM's QuantizeMultiplierSmallerThanOneExp: `real` must be in (0, 1) and its shift
// <= 0, or TFLM aborts (TFLITE_CHECK); that is an error naming `what` and tensor `t`.
Result<QuantizedMultiplier> MultiplierSmallerThanOne(const LowerContext& ctx, double real,
                                                     const std::string& what, const Tensor* t);

// The two-input rescale that SUB, SQUARED_DIFFERENCE and the comparisons share (TFLM:
// each input plus its offset, shifted left by left_shift, times its multiplier): sets
// those fields of any params struct that has them (tml_sub.h, tml_squared_difference.h,
// tml_comparisons.h), and emits them.
template <typename P>
void SetInputRescale(P* p, const Tensor& in1, const Tensor& in2, int32_t left_shift,
                     const QuantizedMultiplier& m1, const QuantizedMultiplier& m2) {
  p->input1_offset = -in1.zero_point();
  p->input2_offset = -in2.zero_point();
  p->left_shift = left_shift;
  p->input1_multiplier = m1.multiplier;
  p->input1_shift = m1.shift;
  p->input2_multiplier = m2.multiplier;
  p->input2_shift = m2.shift;
}
template <typename P>
CStruct& InputRescaleFields(CStruct& c, const P& p) {
  return c.Field("shape", BroadcastInit(p.shape))
      .Field("input1_offset", p.input1_offset)
      .Field("input2_offset", p.input2_offset)
      .Field("left_shift", p.left_shift)
      .Field("input1_multiplier", p.input1_multiplier)
      .Field("input1_shift", p.input1_shift)
      .Field("input2_multiplier", p.input2_multiplier)
      .Field("input2_shift", p.input2_shift);
}

// int8 with per-tensor quantization (dtype, then scale and zero point).
Status CheckQuantizedInt8(const LowerContext& ctx, const Tensor* t);
// Per-tensor quantized with the dtype of `like` (an int8 or int16 operand).
Status CheckQuantizedLike(const LowerContext& ctx, const Tensor* t, const Tensor* like);

// The fused activation of MUL/SUB options (ActivationOptions) as an int8 clamp range.
Result<ActivationRange> FusedActivationRange(const LowerContext& ctx, const Tensor* output);

// Raw bytes of a constant tensor as T (copied: no alignment assumptions).
template <typename T>
std::vector<T> ConstValues(const Tensor& t) {
  std::vector<T> v(t.data.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), t.data.data(), v.size() * sizeof(T));
  return v;
}

// The op has a first input and it is of `dtype` (for choosing a fold before the arity is
// checked: a malformed op has no inputs).
inline bool FirstInputIs(const Graph& graph, const Operator& op, DType dtype) {
  return !op.inputs.empty() && op.inputs[0] >= 0 &&
         static_cast<size_t>(op.inputs[0]) < graph.tensors.size() &&
         graph.tensors[op.inputs[0]].dtype == dtype;
}

// Constant folding of a binary op: prepares the kernel parameters exactly as the
// lowering does, then runs the kernel on the constant inputs.
template <typename Params, typename OutT, typename InT = int8_t>
Status FoldBinary(const Graph& graph, const Operator& op,
                  Status (*prepare)(const LowerContext&, Params*),
                  void (*kernel)(const Params*, const InT*, const InT*, OutT*),
                  FoldedOutputs* out) {
  LowerContext ctx(graph, op, "fold");
  Params p{};
  TINYMLC_RETURN_IF_ERROR(prepare(ctx, &p));
  const std::vector<InT> a = ConstValues<InT>(*ctx.In(0));
  const std::vector<InT> b = ConstValues<InT>(*ctx.In(1));
  std::vector<OutT> result(static_cast<size_t>(ctx.Out(0)->NumElements()));
  kernel(&p, a.data(), b.data(), result.data());
  out->emplace_back(result.size() * sizeof(OutT));
  if (!result.empty()) std::memcpy(out->back().data(), result.data(), out->back().size());
  return Status::Ok();
}

// Same for a unary op (int8 or float32 elements).
template <typename Params, typename InT, typename OutT>
Status FoldUnary(const Graph& graph, const Operator& op,
                 Status (*prepare)(const LowerContext&, Params*),
                 void (*kernel)(const Params*, const InT*, OutT*), FoldedOutputs* out) {
  LowerContext ctx(graph, op, "fold");
  Params p{};
  TINYMLC_RETURN_IF_ERROR(prepare(ctx, &p));
  const std::vector<InT> a = ConstValues<InT>(*ctx.In(0));
  std::vector<OutT> result(static_cast<size_t>(ctx.Out(0)->NumElements()));
  kernel(&p, a.data(), result.data());
  out->emplace_back(result.size() * sizeof(OutT));
  if (!result.empty()) std::memcpy(out->back().data(), result.data(), out->back().size());
  return Status::Ok();
}

}  // namespace tinymlc
