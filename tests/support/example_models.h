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
// example_stripes: int8 [1,16,16,1] grey image in [0,1] -> CONV_2D 3x3 VALID RELU (Sobel x,
//   -x, y, -y) -> AVERAGE_POOL_2D 14x14 -> RESHAPE [1,4] -> FULLY_CONNECTED 2 -> SOFTMAX:
//   class 0 vertical stripes, class 1 horizontal.
// example_tone: int8 [1,64] audio samples in [-1,1] (8 kHz) -> FULLY_CONNECTED 6 (cos and
//   sin at 500, 1000, 2000 Hz) -> ABS -> FULLY_CONNECTED 3 -> SOFTMAX: which tone.
ModelSpec MakeSineModel();
ModelSpec MakeCnnModel();
ModelSpec MakeStripesModel();
ModelSpec MakeToneModel();
// The inputs those two models are made for (floats, as an application has them).
std::vector<float> StripesImage(bool vertical, int period, int phase, uint64_t seed);
std::vector<float> ToneSamples(int tone, float amplitude, float phase, uint64_t seed);
std::vector<ExampleModel> ExampleModels();

}  // namespace tinymlc::testing
