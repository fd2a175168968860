// Lowering of the layers with int16 activations and int8 weights (TFLM's 16x8
// quantization): CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED call the kernels of
// tml_conv_s16.h. Each op's Lower validates the geometry for both dtypes and hands the
// int16 case here.
#pragma once

#include <cstdint>

#include "ops/op.h"
#include "tinymlc/quant.h"

namespace tinymlc {

struct ConvS16Geometry {
  int32_t batches = 0, input_h = 0, input_w = 0, input_c = 0;
  int32_t filter_h = 0, filter_w = 0, filter_c = 0;
  int32_t output_h = 0, output_w = 0, output_c = 0;
  int32_t depth_multiplier = 1;
  int32_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, pad_h = 0, pad_w = 0;
};

// The bias of an int16x8 layer: int64 (64-bit accumulator) or, where TFLM allows it,
// int32 (32-bit accumulator); `channels` elements, constant.
Status CheckBiasS16(const LowerContext& ctx, const Tensor* bias, int64_t channels,
                    bool allow_int32);

// TFLM's choice of the 32-bit accumulator: an int32 bias, or no bias and the option
// quantized_bias_type INT32.
bool UsesInt32Accumulator(const Tensor* bias, int32_t quantized_bias_type);

// Inputs 0-2 and output 0 of the op are input, filter, bias, output.
Status LowerConvS16(LowerContext& ctx, const ConvS16Geometry& g, bool depthwise,
                    int32_t quantized_bias_type, const ActivationRange& act, LayerCode* out);
Status LowerFullyConnectedS16(LowerContext& ctx, int64_t batches, int32_t accum_depth,
                              int32_t output_depth, int32_t quantized_bias_type,
                              const ActivationRange& act, LayerCode* out);

}  // namespace tinymlc
