// Test support: an independent C++ reference for TFLM's int8 reference kernels.
//
// RunReference() executes a ModelSpec op by op with plain C++ re-implementations of
// TensorFlow Lite Micro's integer arithmetic (tflite-micro reference kernels, double
// rounding, gemmlowp fixed point), including how TFLM derives multipliers, shifts and
// clamp ranges from the float scales at prepare time. It is written from TFLM's
// documented behaviour, independently of this project's C kernels (templates/), so
// that it can cross-check them. Results are meant to be bit-exact with TFLM; the
// golden-data tests in support_tests.cc verify that on real models.
//
// Supported builtins: ADD, AVERAGE_POOL_2D, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE,
// FULLY_CONNECTED, MAX_POOL_2D, QUANTIZE, RESHAPE, SOFTMAX (int8 activations; SOFTMAX
// also int8 -> int16; QUANTIZE float/int8/int16/int32 -> int8/int16 as TFLM).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model_builder.h"

namespace tinymlc::testing {

// ---- TFLM / gemmlowp arithmetic primitives --------------------------------------
// Exposed so unit tests (and anyone checking the compiler's constants) can call them.
namespace ref {

// gemmlowp SaturatingRoundingDoublingHighMul for int32: round(a*b / 2^31), ties away
// from zero, INT32_MIN*INT32_MIN saturating to INT32_MAX.
int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b);
// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
int32_t RoundingDivideByPOT(int32_t x, int exponent);
// TFLM MultiplyByQuantizedMultiplier (double rounding): shift > 0 multiplies x by
// 2^shift first (wrapping int32 multiply), shift < 0 divides after the high mul.
int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift);

// TFLM QuantizeMultiplier: frexp, round(q * 2^31) half away from zero, 2^31 -> 2^30
// with shift + 1, shift < -31 flushed to (0, 0). real ~= multiplier * 2^(shift-31).
struct Multiplier {
  int32_t multiplier = 0;
  int shift = 0;
};
Multiplier QuantizeMultiplier(double real);

// CalculateActivationRangeQuantized for an int8 (or int16) output. activation uses
// the TFLite enum values (Activation in model_builder.h).
struct ActRange {
  int32_t min = 0;
  int32_t max = 0;
};
ActRange ActivationRange(int activation, float output_scale, int32_t output_zero_point,
                         DT output_type = DT::kInt8);

// ComputePaddingHeightWidth for one dimension: the output size TFLM computes and the
// leading padding. padding: kSame / kValid; anything else gives {0, 0} as TFLM.
struct PadInfo {
  int out_size = 0;
  int padding = 0;
};
PadInfo ComputePadding(int padding, int in_size, int filter_size, int stride, int dilation);

// Per-channel conv / depthwise multipliers (PopulateConvolutionQuantizationParams):
// real = double(input_scale) * double(filter_scale[c]) / double(output_scale).
// A single filter scale is used for every channel.
std::vector<Multiplier> ConvMultipliers(float input_scale, const std::vector<float>& filter_scales,
                                        float output_scale, int num_channels);
// Per-tensor FULLY_CONNECTED multiplier (GetQuantizedConvolutionMultipler): the
// product input_scale * filter_scale is taken in FLOAT, then widened to double and
// divided by double(output_scale).
Multiplier FullyConnectedMultiplier(float input_scale, float filter_scale, float output_scale);

// ADD (int8) parameters as TFLM's CalculateOpDataAdd.
struct AddParams {
  int left_shift = 20;
  int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
  Multiplier input1, input2, output;  // shifts <= 0
  ActRange range;
};
AddParams PrepareAdd(float input1_scale, int32_t input1_zp, float input2_scale,
                     int32_t input2_zp, float output_scale, int32_t output_zp, int activation);
int8_t AddElement(int8_t a, int8_t b, const AddParams& p);

// SOFTMAX (int8 input) parameters: PreprocessSoftmaxScaling with 5 integer bits and
// diff_min = -CalculateInputRadius(5, left_shift).
struct SoftmaxParams {
  int32_t input_multiplier = 0;
  int input_left_shift = 0;
  int32_t diff_min = 0;
};
SoftmaxParams PrepareSoftmax(float beta, float input_scale);

// gemmlowp fixed-point helpers used by softmax (raw int32 values).
int32_t ExpOnNegativeValuesQ5(int32_t a_q5_26);        // exp(a), a <= 0 in Q5.26 -> Q0.31
int32_t OneOverOnePlusX(int32_t x_q0_31);              // 1/(1+x), x in [0,1) -> Q0.31
int32_t ExpOnInterval(int32_t a_q0_31);                // exp(a), a in [-1/4, 0)

}  // namespace ref

// ---- Running a model ---------------------------------------------------------------

struct ReferenceResult {
  bool ok = false;
  std::string error;  // set when !ok: "op 3 (CONV_2D): ..."
  // Bytes of every tensor after the run (constants included), indexed like
  // ModelSpec::tensors.
  std::vector<std::vector<uint8_t>> tensors;
  // Bytes of the graph outputs, in ModelSpec::outputs order.
  std::vector<std::vector<uint8_t>> outputs;
};

// Runs the model on `inputs` (raw bytes, in ModelSpec::inputs order).
ReferenceResult RunReferenceAll(const ModelSpec& model,
                                const std::vector<std::vector<uint8_t>>& inputs);

// Same, returning only the outputs; throws std::runtime_error on failure.
std::vector<std::vector<uint8_t>> RunReference(const ModelSpec& model,
                                               const std::vector<std::vector<uint8_t>>& inputs);

// Whether RunReference implements this builtin code.
bool ReferenceSupports(int builtin_code);

}  // namespace tinymlc::testing
