// The quantizer's float evaluator (calibrate.cc): subgraph 0 of a float32 model run on
// calibration inputs with the compiler's float kernels.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// TFLite builtin codes of the quantizer's operator set.
namespace qop {
constexpr int kAdd = 0, kAveragePool2D = 1, kConcatenation = 2, kConv2D = 3,
              kDepthwiseConv2D = 4, kDepthToSpace = 5, kDequantize = 6, kFullyConnected = 9,
              kLogistic = 14, kTransposeConv = 67, kMaxPool2D = 17, kMul = 18, kRelu = 19, kReluN1To1 = 20,
              kRelu6 = 21, kReshape = 22, kResizeBilinear = 23, kSoftmax = 25, kSpaceToDepth = 26, kTanh = 28,
              kPad = 34, kGather = 36, kBatchToSpaceNd = 37, kSpaceToBatchNd = 38,
              kTranspose = 39, kMean = 40, kSub = 41, kSqueeze = 43, kStridedSlice = 45,
              kSplit = 49, kPrelu = 54, kMaximum = 55, kMinimum = 57, kPadV2 = 60,
              kSlice = 65, kExpandDims = 70, kReduceMax = 82, kPack = 83, kUnpack = 88,
              kResizeNearestNeighbor = 97, kLeakyRelu = 98, kSplitV = 102, kElu = 111,
              kQuantize = 114, kHardSwish = 117;
}  // namespace qop

// How the quantizer picks an operator's output parameters.
//   kCalibrated: from the output's calibrated range (layers, arithmetic, activations);
//   kSameAsInput: the data input's (TFLM moves, pools or picks bytes without rescaling);
//   kSharedWithInputs: calibrated, and every input that differs is requantized to it
//     (CONCATENATION, PACK, MAXIMUM, MINIMUM: TFLM requires equal parameters);
//   kFixed: SOFTMAX and LOGISTIC 1/256 and -128, TANH 1/128 and 0.
enum class OutputRule { kCalibrated, kSameAsInput, kSharedWithInputs, kFixed };
struct QuantOpRule {
  int builtin_code;
  const char* name;
  OutputRule rule;
  int data_input;  // the input holding the data (SPLIT: 1, its axis comes first)
  // 16x8 (--activations int16): TFLM has an int16 kernel (and tinymlc compiles it).
  bool int16 = true;
};
// The rule of a builtin, nullptr if the quantizer does not take it.
const QuantOpRule* FindQuantOpRule(int builtin_code);
// The supported operators' names, for messages and the README.
std::string QuantOpNames();

class FloatEvaluator {
 public:
  // Checks every operator of subgraph 0 (supported, float32, the float lowering's shape
  // and option checks); errors name the operator.
  Status Init(const Graph& graph);
  // Runs one sample (inputs in graph input order); visit(tensor, values, count) sees
  // every graph input and every operator output, in execution order.
  Status Run(const std::vector<std::vector<float>>& inputs,
             const std::function<void(int, const float*, size_t)>& visit);

 private:
  Graph graph_;
  int ops_ = 0;
};

}  // namespace tinymlc
