// The small example models bundled in examples/models/, built with the model builder
// from fixed formulas and seeds (no training, no randomness across runs): every call
// returns the same specs, and Serialize() gives the same bytes.
#pragma once

#include <string>
#include <vector>

#include "model_builder.h"

namespace tinymlc::testing {

struct ExampleModel {
  std::string file_name;  // e.g. "example_sine.tflite"
  std::string summary;
  ModelSpec spec;
};

// example_sine: int8 [1,1] x in [0, 2*pi] -> FC 16 RELU -> FC 16 RELU -> FC 1 ~ sin(x)
//   (a 16-knot piecewise-linear interpolation of sin written as ReLU units).
// example_cnn: int8 [1,8,8,1] -> CONV_2D 3x3 SAME s2 RELU6 (per-channel, 4 ch)
//   -> DEPTHWISE_CONV_2D 3x3 SAME depth_multiplier 2 -> AVERAGE_POOL_2D 4x4
//   -> RESHAPE [1,8] -> FULLY_CONNECTED 3 -> SOFTMAX.
ModelSpec MakeSineModel();
ModelSpec MakeCnnModel();
std::vector<ExampleModel> ExampleModels();

}  // namespace tinymlc::testing
