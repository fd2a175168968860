// The quantizer's float evaluator (calibrate.cc): subgraph 0 of a float32 model run on
// calibration inputs with the compiler's float kernels.
#pragma once

#include <functional>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// Whether the evaluator (and the quantizer) handles this builtin.
bool FloatEvaluatorSupports(int builtin_code);

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
