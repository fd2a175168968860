// The fast path of CONV_2D and FULLY_CONNECTED (templates/kernels/tml_conv_gemm.h): a
// matrix product over int8 weights reordered offline (4 taps per word, rows in blocks,
// widened with SXTB16 as they are read), input offset folded into
// the bias, TFLM's requantization in its short form. Chosen per layer when the constant
// weights and bias prove that form exact for every input (see tml_fast_common.h).
#pragma once

#include <cstdint>
#include <vector>

#include "ops/op.h"

namespace tinymlc {

struct ConvGemmShape {
  int32_t batches, input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, pad_h = 0, pad_w = 0;
};

// Lowers to tml_conv_gemm_s8 and returns true, or returns false (out untouched) when a
// precondition fails: the caller then uses the portable kernel. `weights` are the
// effective int8 (or offset) weights [output_c][K] in OHWI order; `multiplier`/`shift`
// per output channel (TFLM's QuantizeMultiplier form).
bool LowerConvGemm(LowerContext& ctx, const ConvGemmShape& s, const Tensor& input,
                   const std::vector<int32_t>& weights, const Tensor* bias, const Tensor& output,
                   const std::vector<int32_t>& multiplier, const std::vector<int32_t>& shift,
                   int32_t act_min, int32_t act_max, LayerCode* out);

// The bias values (0 without a bias) in `bias_values`, and, in a per-channel layer, every
// channel whose output is one value for all inputs (all weights zero, or a multiplier of
// 0) rewritten to zero weights, bias 4 (y - zero point), multiplier 2^30, shift -1: the
// same output y (TFLM's requantization of the bias, clamped) from constants that every
// fast requantization takes. `weights` is [output_c][k].
void ConstantChannels(const Tensor* bias, const Tensor& output, int32_t act_min, int32_t act_max,
                      int64_t k, std::vector<int32_t>* weights, std::vector<int32_t>* bias_values,
                      std::vector<int32_t>* multiplier, std::vector<int32_t>* shift);

// The weights of an int8 filter tensor as int32 plus `offset`, [rows][cols] row-major.
std::vector<int32_t> Int8Weights(const Tensor& filter, int32_t offset);
// A packed int4 (TFLite INT4) filter's values: element 2i in the low nibble of byte i,
// 2i + 1 in the high one, two's complement.
std::vector<int32_t> Int4Weights(const Tensor& filter);

// "static const uint32_t NAME[N] = { 0x..., };" 8 values per line.
std::string CArrayU32(const std::string& name, const std::vector<uint32_t>& values);

}  // namespace tinymlc
