// Full-integer post-training quantization inside tinymlc (`tinymlc quantize`): a float32
// .tflite and calibration inputs in, a normal int8 .tflite out, which TFLM runs and
// tinymlc compiles.
//
//   1. Calibration (quantize/calibrate.cc): a float evaluator over the IR runs subgraph 0
//      on every calibration input with the compiler's own float kernels (the
//      templates/kernels/tml_*_f32.h code the generated C would run) and records each
//      float tensor's range (min/max; a histogram for --calibrate percentile|mse).
//   2. Rules (quantize/rules.cc, and the operator table of quantize/calibrate.cc): the TF
//      converter's choices. Weights of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and
//      TRANSPOSE_CONV symmetric int8 per output channel (zero point 0, scale = max|w| / 127,
//      values in [-127, 127]); bias int32 with scale input_scale * weight_scale[c];
//      activations asymmetric int8 over [min(0, min), max(0, max)] with the zero point
//      nudged to an integer; SOFTMAX and LOGISTIC outputs 1/256 and -128, TANH 1/128 and 0;
//      data movers, pools and REDUCE_MAX keep their input's parameters (TFLM does not
//      rescale them); CONCATENATION, PACK, MAXIMUM and MINIMUM inputs get a requantizing
//      QUANTIZE where they differ from the output; float constant operands (ADD, SUB, MUL,
//      PRELU's alpha, a GATHER table) their own range.
//      With QuantizeOptions::int16_activations (the converter's 16x8 mode,
//      EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8): activations and
//      their constants symmetric int16 (zero point 0, scale = max(|min|, |max|) / 32767),
//      weights as above, bias int64; SOFTMAX, LOGISTIC and TANH outputs 1/32768 and 0.
//   3. Writer (quantize/quantize.cc): the model's own flatbuffer (flatc's object API on
//      compiler/schema/tflite_subset.fbs) with the tensors retyped, the constants replaced,
//      and QUANTIZE / DEQUANTIZE operators at float graph inputs and outputs (or int8
//      graph inputs and outputs with QuantizeOptions::int8_io).
//
// Operators: the table in quantize/calibrate.cc (QuantOpNames(): layers, arithmetic,
// activations, pools, reductions, data movers; float32, fused NONE / RELU / RELU6 /
// RELU_N1_TO_1). Any other operator, a model with more than one subgraph or input, or one
// that is not float32 is refused with an error naming the file, subgraph, operator index and
// type (and tensor). Nothing here exits or throws on bad input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// How an activation's range is taken from its calibration values.
//   kMinMax: the smallest and largest value seen (the TF converter's choice);
//   kPercentile: the `percentile` and 100 - `percentile` percentiles (outliers clipped);
//   kMse: the clipping of [min, max] that minimizes the expected squared error of int8
//         rounding plus clipping over the histogram.
enum class CalibrationMethod { kMinMax, kPercentile, kMse };

struct QuantizeOptions {
  CalibrationMethod method = CalibrationMethod::kMinMax;
  double percentile = 99.99;  // kPercentile: in (50, 100]
  // true: the graph inputs and outputs become int8 (the TF converter's
  // inference_input_type = inference_output_type = tf.int8); false: they stay float32 and
  // QUANTIZE / DEQUANTIZE operators convert at the edges.
  bool int8_io = false;
  // FULLY_CONNECTED weights with one scale per tensor instead of one per output channel.
  bool per_tensor_fully_connected = false;
  // int16 activations (16x8): int8 weights, int64 bias; with int8_io the graph inputs and
  // outputs are int16.
  bool int16_activations = false;
};

// Calibration inputs: samples[k][i] holds input i of sample k (float32, the input's
// element count).
struct CalibrationData {
  std::vector<std::vector<std::vector<float>>> samples;
};

// Reads every regular file of `dir` in name order: .npy files (float32, float64, int8,
// uint8, int16, int32; C order) and other files as raw little-endian float32. A file
// holds one or more consecutive samples of the model's single input (its element count a
// multiple of the input's). Errors name the file.
Result<CalibrationData> LoadCalibrationDir(const std::string& dir, const Graph& graph);

// Quantizes the float32 model `model` (the .tflite bytes; `source_name` for messages)
// with the calibration data. Returns the int8 .tflite bytes.
Result<std::vector<uint8_t>> QuantizeModel(const std::vector<uint8_t>& model,
                                           const std::string& source_name,
                                           const CalibrationData& calibration,
                                           const QuantizeOptions& options);

// Reads `float_path`, loads `calibration_dir` and quantizes (the CLI's path).
Result<std::vector<uint8_t>> QuantizeTfliteFile(const std::string& float_path,
                                                const std::string& calibration_dir,
                                                const QuantizeOptions& options);

// ---- The rules (quantize/rules.cc), exposed for tests -------------------------------

struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// Asymmetric int8 parameters for the real range [rmin, rmax] as the TF converter
// chooses them: the range is widened to hold 0, scale = (rmax - rmin) / 255, and the zero
// point -128 - rmin / scale rounded to the nearest integer (clamped to [-128, 127]) so
// that 0.0 is exactly representable. An empty range (rmin == rmax == 0) gives scale 1.
QuantParams ChooseActivationParams(float rmin, float rmax);
// Symmetric int16 parameters (the converter's 16x8 activations): zero point 0, scale
// max(|rmin|, |rmax|) / 32767 (1 for an all-zero range).
QuantParams ChooseActivationParams16(float rmin, float rmax);

// Symmetric int8 weights: one scale per slice along `axis` of `shape` (or one for the
// whole tensor when per_channel is false), scale = max|w| / 127 (1 for an all-zero
// slice), values round(w / scale) clamped to [-127, 127].
struct SymmetricWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;
};
SymmetricWeights QuantizeWeightsSymmetric(const std::vector<float>& w,
                                          const std::vector<int32_t>& shape, int axis,
                                          bool per_channel);

// int32 bias: scale[c] = input_scale * weight_scale[c] (the product in double rounded to float; one weight scale
// serves every channel), values round(b / scale) saturated to int32.
struct QuantizedBias {
  std::vector<int32_t> values;
  std::vector<float> scales;
};
QuantizedBias QuantizeBiasInt32(const std::vector<float>& bias, float input_scale,
                                const std::vector<float>& weight_scales);
// The same in int64 (16x8 layers).
struct QuantizedBias64 {
  std::vector<int64_t> values;
  std::vector<float> scales;
};
QuantizedBias64 QuantizeBiasInt64(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales);

// A float tensor's calibration record: exact min/max and a histogram of `bins` equal
// bins over [min, max] (filled in a second pass; empty for kMinMax).
struct TensorRange {
  float min = 0.0f, max = 0.0f;
  bool seen = false;
  std::vector<uint64_t> histogram;
};
// The range [lo, hi] the method picks from a record (kMinMax: [min, max]); kMse weighs the
// rounding of int16 activations when `int16` is set.
void ChooseRange(const TensorRange& r, CalibrationMethod method, double percentile, float* lo,
                 float* hi, bool int16 = false);

}  // namespace tinymlc
