// Compile-time quantization arithmetic: how TFLM derives fixed-point multipliers,
// shifts, activation ranges and padding from a model's float parameters. The
// generated C receives the results as constants.
#pragma once

#include <cstdint>

#include "tinymlc/ir.h"

namespace tinymlc {

// A real multiplier as a Q0.31 significand and a power-of-two exponent:
// real ~= multiplier * 2^(shift - 31). multiplier is 0 or in [2^30, 2^31).
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

// TFLM's QuantizeMultiplier (frexp, round half away from zero, 2^31 -> 2^30 with
// shift+1, shifts below -31 flushed to zero).
QuantizedMultiplier QuantizeMultiplier(double real_multiplier);

// Activation clamp range for an int8/int16 output, as TFLM's
// CalculateActivationRangeQuantized (quantize(x) = zp + round(x / scale) in float).
struct ActivationRange {
  int32_t min = 0;
  int32_t max = 0;
};
ActivationRange ActivationRangeQuantized(Activation act, float output_scale,
                                         int32_t output_zero_point, int32_t qmin,
                                         int32_t qmax);

// Output size and leading padding for one spatial dimension, as TFLM's
// ComputeOutSize / ComputePaddingWithOffset.
int32_t ComputeOutSize(Padding padding, int32_t in_size, int32_t filter_size, int32_t stride,
                       int32_t dilation);
int32_t ComputePadding(int32_t stride, int32_t dilation, int32_t in_size, int32_t filter_size,
                       int32_t out_size);

// Softmax input scaling (PreprocessSoftmaxScaling + CalculateInputRadius) for int8
// input with `integer_bits` integer bits in the scaled difference.
struct SoftmaxScaling {
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;
  int32_t diff_min = 0;
};
SoftmaxScaling PreprocessSoftmaxScaling(double beta, double input_scale, int integer_bits);

// Exact evaluation of the kernels' requantization step (for tests and constant folding).
int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int32_t shift);

}  // namespace tinymlc
