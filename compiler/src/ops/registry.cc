// The op registry: a table of every supported builtin.
#include <algorithm>

#include "ops/op.h"

namespace tinymlc {

extern const OpDef kAdd, kAveragePool2D, kConv2D, kDepthwiseConv2D, kDequantize,
    kFullyConnected, kMaxPool2D, kReshape, kSoftmax, kQuantize;
// Elementwise, reductions, comparisons.
extern const OpDef kMul, kSub, kMaximum, kMinimum, kMean, kSum, kReduceMax, kSquaredDifference,
    kAbs, kNeg, kRsqrt, kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual;

// Shape and data movement.
extern const OpDef kPad, kPadV2, kTranspose, kConcatenation, kStridedSlice, kSlice, kSqueeze,
    kExpandDims, kPack, kUnpack, kSplit, kSplitV, kShape, kGather, kSpaceToDepth, kDepthToSpace,
    kResizeNearestNeighbor, kResizeBilinear, kBatchToSpaceNd, kSpaceToBatchNd;

// Activations.
extern const OpDef kRelu, kRelu6, kReluN1To1, kLeakyRelu, kPrelu, kLogistic, kTanh, kHardSwish,
    kElu, kLogSoftmax;

// Float32 math.
extern const OpDef kFloor, kDiv, kExp, kSin, kLog, kSqrt, kSquare, kCeil, kCos, kRound;

// Layers.
extern const OpDef kTransposeConv, kBatchMatMul, kL2Normalization, kSvdf,
    kUnidirectionalSequenceLstm;

// TFLM operators, batch 2 (ops2).
extern const OpDef kMirrorPad, kGatherNd, kEmbeddingLookup, kCumsum, kL2Pool2D,
    kDynamicUpdateSlice;
// Remaining small TFLM ops (batch 1): casts, fills, arg min/max, logic, selection,
// floor division, REDUCE_MIN, reversal, ADD_N, broadcasting.
extern const OpDef kCast, kFill, kZerosLike, kArgMax, kArgMin, kLogicalAnd, kLogicalOr,
    kLogicalNot, kSelectV2, kFloorDiv, kFloorMod, kReduceMin, kReverseV2, kAddN, kBroadcastTo,
    kBroadcastArgs;

// Stateful graphs: resource variables and control flow.
extern const OpDef kVarHandle, kReadVariable, kAssignVariable, kCallOnce, kIf, kWhile;

// TFLM's signal library (custom ops, ops/signal_*.cc).
extern const OpDef kSignalWindow, kSignalFftAutoScale, kSignalRfft, kSignalEnergy,
    kSignalFilterBank, kSignalFilterBankSquareRoot, kSignalFilterBankSpectralSubtraction,
    kSignalFilterBankLog, kSignalPcan, kSignalDelay, kSignalFramer, kSignalStacker, kSignalOverlapAdd,
    kSignalIrfft;

// TFLM's weight compression (custom op TFLM_DECODE, ops/tflm_decode.h) and its SSD
// post-processing (custom op TFLite_Detection_PostProcess).
extern const OpDef kTflmDecode, kDetectionPostProcess;

const std::vector<const OpDef*>& AllOps() {
  static const std::vector<const OpDef*> ops = [] {
    std::vector<const OpDef*> v = {&kAdd,           &kAveragePool2D, &kConv2D,   &kDepthwiseConv2D,
                                   &kDequantize,    &kFullyConnected, &kMaxPool2D, &kReshape,
                                   &kSoftmax,       &kQuantize,
                                   // Elementwise, reductions, comparisons.
                                   &kMul, &kSub, &kMaximum, &kMinimum, &kMean, &kSum, &kReduceMax,
                                   &kSquaredDifference, &kAbs, &kNeg, &kRsqrt, &kLess, &kLessEqual,
                                   &kGreater, &kGreaterEqual, &kEqual, &kNotEqual};
    // Shape and data movement.
    v.insert(v.end(), {&kPad, &kPadV2, &kTranspose, &kConcatenation, &kStridedSlice, &kSlice,
                       &kSqueeze, &kExpandDims, &kPack, &kUnpack, &kSplit, &kSplitV, &kShape,
                       &kGather, &kSpaceToDepth, &kDepthToSpace, &kResizeNearestNeighbor,
                       &kResizeBilinear, &kBatchToSpaceNd, &kSpaceToBatchNd});
    // Activations.
    v.insert(v.end(), {&kRelu, &kRelu6, &kReluN1To1, &kLeakyRelu, &kPrelu, &kLogistic, &kTanh,
                       &kHardSwish, &kElu, &kLogSoftmax});
    // Float32 math.
    v.insert(v.end(), {&kFloor, &kDiv, &kExp, &kSin, &kLog, &kSqrt, &kSquare, &kCeil, &kCos, &kRound});
    // Layers.
    v.insert(v.end(), {&kTransposeConv, &kBatchMatMul, &kL2Normalization, &kSvdf,
                       &kUnidirectionalSequenceLstm});
    // TFLM operators, batch 2.
    v.insert(v.end(), {&kMirrorPad, &kGatherNd, &kEmbeddingLookup, &kCumsum, &kL2Pool2D,
                       &kDynamicUpdateSlice});
    // Remaining small TFLM ops (batch 1).
    v.insert(v.end(), {&kCast, &kFill, &kZerosLike, &kArgMax, &kArgMin, &kLogicalAnd, &kLogicalOr,
                       &kLogicalNot, &kSelectV2, &kFloorDiv, &kFloorMod, &kReduceMin, &kReverseV2,
                       &kAddN, &kBroadcastTo, &kBroadcastArgs});
    // Stateful graphs.
    v.insert(v.end(), {&kVarHandle, &kReadVariable, &kAssignVariable, &kCallOnce, &kIf, &kWhile});
    // Signal library (custom ops).
    v.insert(v.end(), {&kSignalWindow, &kSignalFftAutoScale, &kSignalRfft, &kSignalEnergy,
                       &kSignalFilterBank, &kSignalFilterBankSquareRoot,
                       &kSignalFilterBankSpectralSubtraction, &kSignalFilterBankLog, &kSignalPcan,
                       &kSignalDelay, &kSignalFramer, &kSignalStacker, &kSignalOverlapAdd,
                       &kSignalIrfft});
    // TFLM's weight compression and SSD post-processing (custom ops).
    v.insert(v.end(), {&kTflmDecode, &kDetectionPostProcess});
    std::sort(v.begin(), v.end(),
              [](const OpDef* a, const OpDef* b) { return a->builtin_code < b->builtin_code; });
    return v;
  }();
  return ops;
}

const OpDef* FindCustomOp(const std::string& custom_code) {
  for (const OpDef* d : AllOps()) {
    if (d->builtin_code >= kCustomOpCodeBase && custom_code == d->name) return d;
  }
  return nullptr;
}

const OpDef* FindOp(int builtin_code) {
  for (const OpDef* d : AllOps()) {
    if (d->builtin_code == builtin_code) return d;
  }
  return nullptr;
}

}  // namespace tinymlc
