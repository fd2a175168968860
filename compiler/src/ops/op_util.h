// Checks and helpers shared by the op lowerings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ops/op.h"
#include "tinymlc/quant.h"

namespace tinymlc {

// Number of inputs within [min_in, max_in] and exactly `outs` outputs; inputs below
// min_in must be present (not -1).
Status CheckArity(const LowerContext& ctx, int min_in, int max_in, int outs);
Status CheckDType(const LowerContext& ctx, const Tensor* t, DType want);
Status CheckRank(const LowerContext& ctx, const Tensor* t, int rank);
// Per-tensor quantization with a finite positive scale and a zero point in range of
// the tensor's dtype.
Status CheckPerTensorQuant(const LowerContext& ctx, const Tensor* t);
// Per-channel (or per-tensor) symmetric int8 weights along `axis` with `channels`
// channels: every scale finite and positive, every zero point 0.
Status CheckWeightQuant(const LowerContext& ctx, const Tensor* t, int axis, int64_t channels);
// Constant tensor required (weights, bias, shape inputs).
Status CheckConstant(const LowerContext& ctx, const Tensor* t);
// Output shape must equal `want`.
Status CheckShape(const LowerContext& ctx, const Tensor* t, const std::vector<int32_t>& want);
// Activation clamp range for an int8 (or int16) output (NONE/RELU/RELU6/RELU_N1_TO_1).
Result<ActivationRange> Int8ActivationRange(const LowerContext& ctx, Activation act,
                                            const Tensor* out);
Status CheckStride(const LowerContext& ctx, int32_t stride_h, int32_t stride_w);

// Per-channel multipliers/shifts the way TFLM's PopulateConvolutionQuantizationParams
// derives them: (double)input_scale * (double)filter_scale[c] / (double)output_scale.
void ConvPerChannelMultipliers(const Tensor& input, const Tensor& filter, const Tensor& output,
                               int64_t channels, std::vector<int32_t>* multipliers,
                               std::vector<int32_t>* shifts);

// "static const int32_t NAME[N] = { ... };" with 12 values per line.
std::string CArray(const std::string& ctype, const std::string& name,
                   const std::vector<int32_t>& values);

// Builds "static const TYPE NAME = { .a = 1, ... };" one field per line.
class CStruct {
 public:
  CStruct(std::string type, std::string name) : type_(std::move(type)), name_(std::move(name)) {}
  CStruct& Field(const std::string& field, int64_t value);
  CStruct& Field(const std::string& field, const std::string& expr);
  CStruct& FloatField(const std::string& field, float value);
  std::string Str() const;

 private:
  std::string type_, name_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

// A C float literal that reads back as exactly `v` (e.g. "0.0078125f").
std::string CFloatLiteral(float v);

// In-place execution of a windowed layer (convolution, depthwise convolution): the
// smallest distance, in bytes, at which the input may sit above the output in one buffer
// when the kernel produces output pixels (NHWC, `out_pixel_bytes` each) in increasing
// order, in blocks of at most `block` pixels, reading only the input pixels (NHWC,
// `in_pixel_bytes` each) of the current block's windows: every output byte then lands
// below every input byte still to be read.
struct WindowGeometry {
  int32_t batches, input_h, input_w, output_h, output_w;
  int32_t filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
};
int64_t InPlaceMinDelta(const WindowGeometry& g, int64_t in_pixel_bytes, int64_t out_pixel_bytes,
                        int64_t block);

}  // namespace tinymlc
