#include "reference_ops.h"
#include "reference_internal.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <variant>

namespace tinymlc::testing {
namespace ref {

namespace {
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

// int32 arithmetic that wraps like the two's-complement hardware TFLM runs on.
int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
int32_t WrapMul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

// gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent: x * 2^e,
// saturating to the int32 range.
int32_t SaturatingShiftLeft(int32_t x, int e) {
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - e)) - 1);
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return WrapMul(x, int32_t{1} << e);
}

// Float -> int32 rounding as TfLiteRound (std::round on float) followed by a cast;
// saturates instead of invoking undefined behaviour for out-of-range values.
int32_t RoundFloatToInt32(float v) {
  const float r = std::round(v);
  if (!(r > -2147483648.0f)) return kInt32Min;  // also NaN
  if (r >= 2147483648.0f) return kInt32Max;
  return static_cast<int32_t>(r);
}
}  // namespace

int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  const int64_t product = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  // Round half away from zero, then divide by 2^31 truncating toward zero.
  const int64_t nudge = product >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  return static_cast<int32_t>((product + nudge) / (int64_t{1} << 31));
}

int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(WrapMul(x, int32_t{1} << left),
                                                               multiplier),
                             right);
}

Multiplier QuantizeMultiplier(double real) {
  Multiplier m;
  if (real == 0.0) return m;
  int exponent = 0;
  const double fraction = std::frexp(real, &exponent);  // real = fraction * 2^exponent
  int64_t q = static_cast<int64_t>(std::round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (q == (int64_t{1} << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    q = 0;
  }
  m.multiplier = static_cast<int32_t>(q);
  m.shift = exponent;
  return m;
}

ActRange ActivationRange(int activation, float output_scale, int32_t output_zero_point,
                         DT output_type) {
  int32_t qmin = -128, qmax = 127;
  if (output_type == DT::kInt16) {
    qmin = -32768;
    qmax = 32767;
  } else if (output_type == DT::kUInt8) {
    qmin = 0;
    qmax = 255;
  }
  // TFLM quantizes the clamp bounds in float: zp + round(f / scale).
  auto quantize = [&](float f) { return output_zero_point + RoundFloatToInt32(f / output_scale); };
  ActRange r{qmin, qmax};
  switch (activation) {
    case kActRelu:
      r.min = std::max(qmin, quantize(0.0f));
      break;
    case kActRelu6:
      r.min = std::max(qmin, quantize(0.0f));
      r.max = std::min(qmax, quantize(6.0f));
      break;
    case kActReluN1To1:
      r.min = std::max(qmin, quantize(-1.0f));
      r.max = std::min(qmax, quantize(1.0f));
      break;
    default:
      break;  // NONE (and TANH / SIGN_BIT, which TFLM treats the same here)
  }
  return r;
}

PadInfo ComputePadding(int padding, int in_size, int filter_size, int stride, int dilation) {
  PadInfo p;
  if ((padding != kSame && padding != kValid) || in_size < 0 || filter_size <= 0 ||
      stride <= 0 || dilation <= 0) {
    return p;  // TFLM leaves output size and padding at 0
  }
  const int64_t effective_filter = (static_cast<int64_t>(filter_size) - 1) * dilation + 1;
  int64_t out = padding == kSame ? (in_size + stride - 1) / stride
                                 : (in_size + stride - effective_filter) / stride;
  if (out < 0) return p;
  p.out_size = static_cast<int>(out);
  const int64_t total = std::max<int64_t>(0, (out - 1) * stride + effective_filter - in_size);
  p.padding = static_cast<int>(total / 2);
  return p;
}

std::vector<Multiplier> ConvMultipliers(float input_scale, const std::vector<float>& filter_scales,
                                        float output_scale, int num_channels) {
  std::vector<Multiplier> out(num_channels);
  const bool per_channel = filter_scales.size() > 1;
  for (int c = 0; c < num_channels; ++c) {
    const float fs = per_channel ? filter_scales[c] : filter_scales[0];
    const double real = static_cast<double>(input_scale) * static_cast<double>(fs) /
                        static_cast<double>(output_scale);
    out[c] = QuantizeMultiplier(real);
  }
  return out;
}

Multiplier FullyConnectedMultiplier(float input_scale, float filter_scale, float output_scale) {
  // double * double, as GetQuantizedConvolutionMultipler in the TFLM that runs (pip
  // tflite-micro 0.dev20261023182759; older sources multiplied in float).
  return QuantizeMultiplier(static_cast<double>(input_scale) * static_cast<double>(filter_scale) /
                            static_cast<double>(output_scale));
}

AddParams PrepareAdd(float input1_scale, int32_t input1_zp, float input2_scale,
                     int32_t input2_zp, float output_scale, int32_t output_zp, int activation) {
  AddParams p;
  p.left_shift = 20;
  p.input1_offset = -input1_zp;
  p.input2_offset = -input2_zp;
  p.output_offset = output_zp;
  const double twice_max = 2.0 * static_cast<double>(std::max(input1_scale, input2_scale));
  p.input1 = QuantizeMultiplier(static_cast<double>(input1_scale) / twice_max);
  p.input2 = QuantizeMultiplier(static_cast<double>(input2_scale) / twice_max);
  p.output = QuantizeMultiplier(
      twice_max / (static_cast<double>(1 << p.left_shift) * static_cast<double>(output_scale)));
  p.range = ActivationRange(activation, output_scale, output_zp);
  return p;
}

int8_t AddElement(int8_t a, int8_t b, const AddParams& p) {
  // Inputs are moved to a common scale with 20 bits of headroom, summed, then
  // rescaled to the output. Each multiplier is < 1 (shift <= 0).
  auto rescale = [](int32_t x, const Multiplier& m) {
    return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, m.multiplier), -m.shift);
  };
  const int32_t x1 = WrapMul(p.input1_offset + a, int32_t{1} << p.left_shift);
  const int32_t x2 = WrapMul(p.input2_offset + b, int32_t{1} << p.left_shift);
  const int32_t sum = WrapAdd(rescale(x1, p.input1), rescale(x2, p.input2));
  const int32_t out = rescale(sum, p.output) + p.output_offset;
  return static_cast<int8_t>(std::min(p.range.max, std::max(p.range.min, out)));
}

SoftmaxParams PrepareSoftmax(float beta, float input_scale) {
  constexpr int kScaledDiffIntegerBits = 5;
  SoftmaxParams p;
  const double max_real = static_cast<double>((int64_t{1} << 31) - 1);
  const double real = std::min(static_cast<double>(beta) * static_cast<double>(input_scale) *
                                   static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)),
                               max_real);
  const Multiplier m = QuantizeMultiplier(real);
  p.input_multiplier = m.multiplier;
  p.input_left_shift = m.shift;
  // CalculateInputRadius(5, left_shift, 31), computed in double and floored.
  const double radius = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                        static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)) /
                        static_cast<double>(int64_t{1} << m.shift);
  p.diff_min = -static_cast<int32_t>(std::floor(radius));
  return p;
}

int32_t ExpOnInterval(int32_t a) {
  // exp(x) for x in [-1/4, 0): Taylor expansion around -1/8 in Q0.31.
  const int32_t exp_minus_one_eighth = 1895147668;  // exp(-1/8)
  const int32_t one_third = 715827883;
  const int32_t x = WrapAdd(a, int32_t{1} << 28);  // a + 1/8
  const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int32_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int32_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int32_t x4_over_4 = RoundingDivideByPOT(x4, 2);
  const int32_t poly = RoundingDivideByPOT(
      WrapAdd(SaturatingRoundingDoublingHighMul(WrapAdd(x4_over_4, x3), one_third), x2), 1);
  return WrapAdd(exp_minus_one_eighth,
                 SaturatingRoundingDoublingHighMul(exp_minus_one_eighth, WrapAdd(x, poly)));
}

int32_t ExpOnNegativeValuesQ5(int32_t a) {
  constexpr int kFractionalBits = 26;  // Q5.26
  const int32_t one_quarter = int32_t{1} << (kFractionalBits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_quarter = WrapSub(a & mask, one_quarter);
  // Rescale Q5.26 -> Q0.31 (multiply by 2^5, saturating).
  int32_t result = ExpOnInterval(SaturatingShiftLeft(a_mod_quarter_minus_quarter, 5));
  const int32_t remainder = WrapSub(a_mod_quarter_minus_quarter, a);
  // exp(-2^k) for k = -2 .. 4, applied for each bit set in the remainder.
  static const int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                          39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (remainder & (int32_t{1} << (kFractionalBits + k))) {
      result = SaturatingRoundingDoublingHighMul(result, kMultipliers[k + 2]);
    }
  }
  if (a == 0) result = kInt32Max;  // exp(0) = "one" in Q0.31
  return result;
}

int32_t OneOverOnePlusX(int32_t a) {
  // Newton-Raphson for 1 / (1 + a) on half_denominator = (1 + a) / 2, in Q2.29.
  const int64_t sum = static_cast<int64_t>(a) + kInt32Max;
  const int32_t half_denominator = static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t c48_over_17 = 1515870810;       // Q2.29
  const int32_t c_neg32_over_17 = -1010580540;  // Q2.29
  const int32_t one_q2 = int32_t{1} << 29;
  int32_t x = WrapAdd(c48_over_17, SaturatingRoundingDoublingHighMul(half_denominator,
                                                                     c_neg32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int32_t hd_x = SaturatingRoundingDoublingHighMul(half_denominator, x);
    const int32_t one_minus = WrapSub(one_q2, hd_x);
    // Q2.29 * Q2.29 = Q4.27, back to Q2.29: times 4, saturating.
    x = WrapAdd(x, SaturatingShiftLeft(SaturatingRoundingDoublingHighMul(x, one_minus), 2));
  }
  // x / 2 as Q1.30, then to Q0.31: times 2, saturating.
  return SaturatingShiftLeft(x, 1);
}

}  // namespace ref

// ---- Model execution -----------------------------------------------------------------

std::string CheckType(const TensorSpec& t, DT dt, const char* what) {
  if (t.dtype != dt) {
    return std::string(what) + " '" + t.name + "' is " + DTName(t.dtype) + ", expected " +
           DTName(dt);
  }
  return "";
}

namespace {

int Dim(const TensorSpec& t, int i) { return t.shape[i]; }


// ---- CONV_2D ----
std::string Conv2D(OpContext& c) {
  // No options table: TFLM zero-initialises its params (padding "unknown" = no padding).
  const Conv2DOpts defaults_if_missing{-1, 0, 0, 0, 0, 0};
  const Conv2DOpts* o = Options<Conv2DOpts>(c.op);
  const Conv2DOpts& p = o ? *o : defaults_if_missing;
  const TensorSpec &input = c.in(0), &filter = c.in(1), &output = c.out();
  if (input.dtype == DT::kInt16) return Conv2DS16(c, p);
  if (std::string e = CheckType(input, DT::kInt8, "input"); !e.empty()) return e;
  if (std::string e = CheckType(filter, DT::kInt8, "filter"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt8, "output"); !e.empty()) return e;
  if (input.shape.size() != 4 || filter.shape.size() != 4 || output.shape.size() != 4)
    return "CONV_2D needs 4-D input, filter and output";
  if (filter.scale.empty()) return "filter is not quantized";
  const bool has_bias = c.has_input(2);

  const int batches = Dim(input, 0), in_h = Dim(input, 1), in_w = Dim(input, 2),
            in_d = Dim(input, 3);
  const int out_c = Dim(filter, 0), f_h = Dim(filter, 1), f_w = Dim(filter, 2),
            f_d = Dim(filter, 3);
  const int out_h = Dim(output, 1), out_w = Dim(output, 2);
  if (Dim(output, 3) != out_c || Dim(output, 0) != batches) return "output shape mismatch";
  if (f_d == 0 || in_d % f_d != 0) return "input depth not a multiple of filter depth";
  const int groups = in_d / f_d;
  if (out_c % groups != 0) return "output channels not divisible by groups";
  const int filters_per_group = out_c / groups;

  const ref::PadInfo pad_h = ref::ComputePadding(p.padding, in_h, f_h, p.stride_h, p.dilation_h);
  const ref::PadInfo pad_w = ref::ComputePadding(p.padding, in_w, f_w, p.stride_w, p.dilation_w);
  const std::vector<Multiplier> mult =
      ref::ConvMultipliers(input.scale0(), filter.scale, output.scale0(), out_c);
  const ActRange range = ref::ActivationRange(p.activation, output.scale0(), output.zero_point0());
  const int32_t input_offset = -input.zero_point0();  // filter zero point is ignored (TFLM)
  const int32_t output_offset = output.zero_point0();

  const int8_t* in = c.in_data<int8_t>(0);
  const int8_t* w = c.in_data<int8_t>(1);
  const int32_t* bias = has_bias ? c.in_data<int32_t>(2) : nullptr;
  int8_t* out = c.out_data<int8_t>();
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int oc = 0; oc < out_c; ++oc) {
          const int group = oc / filters_per_group;
          int64_t acc = 0;
          for (int ky = 0; ky < f_h; ++ky) {
            const int iy = oy * p.stride_h - pad_h.padding + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int kx = 0; kx < f_w; ++kx) {
              const int ix = ox * p.stride_w - pad_w.padding + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const int8_t* in_px = in + ((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_d +
                                    group * f_d;
              const int8_t* w_px = w + ((static_cast<int64_t>(oc) * f_h + ky) * f_w + kx) * f_d;
              for (int ic = 0; ic < f_d; ++ic) {
                acc += static_cast<int32_t>(w_px[ic]) * (in_px[ic] + input_offset);
              }
            }
          }
          int32_t acc32 = static_cast<int32_t>(acc);  // TFLM accumulates in int32
          if (bias) acc32 = ref::WrapAdd(acc32, bias[oc]);
          int32_t v = ref::MultiplyByQuantizedMultiplier(acc32, mult[oc].multiplier, mult[oc].shift);
          v += output_offset;
          v = std::min(range.max, std::max(range.min, v));
          out[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] =
              static_cast<int8_t>(v);
        }
      }
    }
  }
  return "";
}

// ---- DEPTHWISE_CONV_2D ----
std::string DepthwiseConv2D(OpContext& c) {
  const DepthwiseOpts defaults_if_missing{-1, 0, 0, 0, 0, 0, 0};
  const DepthwiseOpts* o = Options<DepthwiseOpts>(c.op);
  const DepthwiseOpts& p = o ? *o : defaults_if_missing;
  const TensorSpec &input = c.in(0), &filter = c.in(1), &output = c.out();
  if (input.dtype == DT::kInt16) return DepthwiseConv2DS16(c, p);
  if (std::string e = CheckType(input, DT::kInt8, "input"); !e.empty()) return e;
  if (std::string e = CheckType(filter, DT::kInt8, "filter"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt8, "output"); !e.empty()) return e;
  if (input.shape.size() != 4 || filter.shape.size() != 4 || output.shape.size() != 4)
    return "DEPTHWISE_CONV_2D needs 4-D input, filter and output";
  if (filter.scale.empty()) return "filter is not quantized";
  const bool has_bias = c.has_input(2);

  const int batches = Dim(input, 0), in_h = Dim(input, 1), in_w = Dim(input, 2),
            in_d = Dim(input, 3);
  const int f_h = Dim(filter, 1), f_w = Dim(filter, 2), out_c = Dim(filter, 3);
  const int out_h = Dim(output, 1), out_w = Dim(output, 2);
  const int dm = p.depth_multiplier;
  if (Dim(output, 3) != out_c || Dim(output, 0) != batches) return "output shape mismatch";
  if (dm <= 0 || in_d * dm != out_c) {
    return "depth_multiplier " + std::to_string(dm) + " does not match " +
           std::to_string(in_d) + " -> " + std::to_string(out_c) + " channels";
  }

  const ref::PadInfo pad_h = ref::ComputePadding(p.padding, in_h, f_h, p.stride_h, p.dilation_h);
  const ref::PadInfo pad_w = ref::ComputePadding(p.padding, in_w, f_w, p.stride_w, p.dilation_w);
  const std::vector<Multiplier> mult =
      ref::ConvMultipliers(input.scale0(), filter.scale, output.scale0(), out_c);
  const ActRange range = ref::ActivationRange(p.activation, output.scale0(), output.zero_point0());
  const int32_t input_offset = -input.zero_point0();
  const int32_t output_offset = output.zero_point0();

  const int8_t* in = c.in_data<int8_t>(0);
  const int8_t* w = c.in_data<int8_t>(1);
  const int32_t* bias = has_bias ? c.in_data<int32_t>(2) : nullptr;
  int8_t* out = c.out_data<int8_t>();
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int ic = 0; ic < in_d; ++ic) {
          for (int m = 0; m < dm; ++m) {
            const int oc = ic * dm + m;
            int64_t acc = 0;
            for (int ky = 0; ky < f_h; ++ky) {
              const int iy = oy * p.stride_h - pad_h.padding + ky * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int kx = 0; kx < f_w; ++kx) {
                const int ix = ox * p.stride_w - pad_w.padding + kx * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                const int32_t x =
                    in[((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_d + ic];
                const int32_t wv = w[(static_cast<int64_t>(ky) * f_w + kx) * out_c + oc];
                acc += wv * (x + input_offset);
              }
            }
            int32_t acc32 = static_cast<int32_t>(acc);
            if (bias) acc32 = ref::WrapAdd(acc32, bias[oc]);
            int32_t v =
                ref::MultiplyByQuantizedMultiplier(acc32, mult[oc].multiplier, mult[oc].shift);
            v += output_offset;
            v = std::min(range.max, std::max(range.min, v));
            out[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] =
                static_cast<int8_t>(v);
          }
        }
      }
    }
  }
  return "";
}

// ---- FULLY_CONNECTED ----
std::string FullyConnected(OpContext& c) {
  const FcOpts* o = Options<FcOpts>(c.op);
  const FcOpts p = o ? *o : FcOpts{};
  const TensorSpec &input = c.in(0), &filter = c.in(1), &output = c.out();
  if (input.dtype == DT::kInt16) return FullyConnectedS16(c, p);
  if (std::string e = CheckType(input, DT::kInt8, "input"); !e.empty()) return e;
  if (std::string e = CheckType(filter, DT::kInt8, "filter"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt8, "output"); !e.empty()) return e;
  if (filter.shape.size() < 2 || output.shape.empty()) return "bad FULLY_CONNECTED shapes";
  if (filter.scale.empty()) return "filter is not quantized";
  const bool has_bias = c.has_input(2);

  const int depth = output.shape.back();
  const int64_t batches = depth == 0 ? 0 : output.num_elements() / depth;
  const int accum = filter.shape.back();
  if (filter.shape[filter.shape.size() - 2] < depth) return "filter has too few rows";
  if (input.num_elements() < batches * accum) return "input smaller than batches x depth";

  const bool per_channel = filter.scale.size() > 1;
  std::vector<Multiplier> mult;
  int32_t filter_offset = 0;
  if (per_channel) {
    if (static_cast<int>(filter.scale.size()) != filter.shape[filter.quant_axis])
      return "per-channel scale count does not match the filter";
    mult = ref::ConvMultipliers(input.scale0(), filter.scale, output.scale0(),
                                static_cast<int>(filter.scale.size()));
  } else {
    mult.assign(depth, ref::FullyConnectedMultiplier(input.scale0(), filter.scale0(),
                                                     output.scale0()));
    filter_offset = -filter.zero_point0();  // only the per-tensor kernel uses it
  }
  const ActRange range = ref::ActivationRange(p.activation, output.scale0(), output.zero_point0());
  const int32_t input_offset = -input.zero_point0();
  const int32_t output_offset = output.zero_point0();

  const int8_t* in = c.in_data<int8_t>(0);
  const int8_t* w = c.in_data<int8_t>(1);
  const int32_t* bias = has_bias ? c.in_data<int32_t>(2) : nullptr;
  int8_t* out = c.out_data<int8_t>();
  for (int64_t b = 0; b < batches; ++b) {
    for (int oc = 0; oc < depth; ++oc) {
      int64_t acc = 0;
      for (int d = 0; d < accum; ++d) {
        acc += (static_cast<int32_t>(w[static_cast<int64_t>(oc) * accum + d]) + filter_offset) *
               (static_cast<int32_t>(in[b * accum + d]) + input_offset);
      }
      int32_t acc32 = static_cast<int32_t>(acc);
      if (bias) acc32 = ref::WrapAdd(acc32, bias[oc]);
      int32_t v = ref::MultiplyByQuantizedMultiplier(acc32, mult[oc].multiplier, mult[oc].shift);
      v += output_offset;
      v = std::min(range.max, std::max(range.min, v));
      out[b * depth + oc] = static_cast<int8_t>(v);
    }
  }
  return "";
}

// ---- AVERAGE_POOL_2D / MAX_POOL_2D ----
std::string Pool(OpContext& c, bool average) {
  const PoolOpts defaults_if_missing{-1, 0, 0, 0, 0, 0};
  const PoolOpts* o = Options<PoolOpts>(c.op);
  const PoolOpts& p = o ? *o : defaults_if_missing;
  const TensorSpec &input = c.in(0), &output = c.out();
  if (input.dtype == DT::kInt16) return PoolS16(c, p, average);
  if (std::string e = CheckType(input, DT::kInt8, "input"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt8, "output"); !e.empty()) return e;
  if (input.shape.size() != 4 || output.shape.size() != 4) return "pooling needs 4-D tensors";
  const int batches = Dim(input, 0), in_h = Dim(input, 1), in_w = Dim(input, 2),
            depth = Dim(input, 3);
  const int out_h = Dim(output, 1), out_w = Dim(output, 2);
  if (Dim(output, 3) != depth || Dim(output, 0) != batches) return "output shape mismatch";
  const ref::PadInfo pad_h = ref::ComputePadding(p.padding, in_h, p.filter_h, p.stride_h, 1);
  const ref::PadInfo pad_w = ref::ComputePadding(p.padding, in_w, p.filter_w, p.stride_w, 1);
  const ActRange range = ref::ActivationRange(p.activation, output.scale0(), output.zero_point0());

  const int8_t* in = c.in_data<int8_t>(0);
  int8_t* out = c.out_data<int8_t>();
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        const int y0 = oy * p.stride_h - pad_h.padding;
        const int x0 = ox * p.stride_w - pad_w.padding;
        // Window clipped to the image: padded cells are not counted.
        const int ky_begin = std::max(0, -y0), ky_end = std::min(p.filter_h, in_h - y0);
        const int kx_begin = std::max(0, -x0), kx_end = std::min(p.filter_w, in_w - x0);
        for (int ch = 0; ch < depth; ++ch) {
          int32_t sum = 0, count = 0, max_v = -128;
          for (int ky = ky_begin; ky < ky_end; ++ky) {
            for (int kx = kx_begin; kx < kx_end; ++kx) {
              const int32_t v =
                  in[((static_cast<int64_t>(b) * in_h + y0 + ky) * in_w + x0 + kx) * depth + ch];
              sum += v;
              max_v = std::max(max_v, v);
              ++count;
            }
          }
          int32_t v;
          if (average) {
            if (count == 0) return "average pool window lies outside the input";
            // Round half away from zero (C division truncates toward zero).
            v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
          } else {
            v = max_v;
          }
          v = std::min(range.max, std::max(range.min, v));
          out[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * depth + ch] =
              static_cast<int8_t>(v);
        }
      }
    }
  }
  return "";
}

// ---- ADD ----
std::string Add(OpContext& c) {
  const AddOpts* o = Options<AddOpts>(c.op);
  const AddOpts p = o ? *o : AddOpts{};
  const TensorSpec &a = c.in(0), &b = c.in(1), &output = c.out();
  if (a.dtype == DT::kInt16) return AddS16(c, p.activation);
  if (std::string e = CheckType(a, DT::kInt8, "input1"); !e.empty()) return e;
  if (std::string e = CheckType(b, DT::kInt8, "input2"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt8, "output"); !e.empty()) return e;
  const ref::AddParams params = ref::PrepareAdd(a.scale0(), a.zero_point0(), b.scale0(),
                                                b.zero_point0(), output.scale0(),
                                                output.zero_point0(), p.activation);
  if (params.output.shift > 0 || params.input1.shift > 0 || params.input2.shift > 0)
    return "ADD multiplier >= 1 (TFLM rejects this model)";

  // NumPy broadcasting over any rank: align shapes on the right.
  const int rank = static_cast<int>(
      std::max({a.shape.size(), b.shape.size(), output.shape.size()}));
  auto extended = [rank](const std::vector<int32_t>& s) {
    std::vector<int64_t> e(rank - s.size(), 1);
    e.insert(e.end(), s.begin(), s.end());
    return e;
  };
  const std::vector<int64_t> sa = extended(a.shape), sb = extended(b.shape),
                             so = extended(output.shape);
  std::vector<int64_t> stride_a(rank), stride_b(rank);
  int64_t acc_a = 1, acc_b = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if (sa[d] != so[d] && sa[d] != 1) return "input1 does not broadcast to the output";
    if (sb[d] != so[d] && sb[d] != 1) return "input2 does not broadcast to the output";
    stride_a[d] = sa[d] == 1 ? 0 : acc_a;
    stride_b[d] = sb[d] == 1 ? 0 : acc_b;
    acc_a *= sa[d];
    acc_b *= sb[d];
  }
  const int8_t* in_a = c.in_data<int8_t>(0);
  const int8_t* in_b = c.in_data<int8_t>(1);
  int8_t* out = c.out_data<int8_t>();
  const int64_t total = output.num_elements();
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < total; ++i) {
    int64_t ia = 0, ib = 0;
    for (int d = 0; d < rank; ++d) {
      ia += index[d] * stride_a[d];
      ib += index[d] * stride_b[d];
    }
    out[i] = ref::AddElement(in_a[ia], in_b[ib], params);
    for (int d = rank - 1; d >= 0; --d) {
      if (++index[d] < so[d]) break;
      index[d] = 0;
    }
  }
  return "";
}

// ---- RESHAPE ----
std::string Reshape(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (input.dtype != output.dtype) return "RESHAPE changes the type";
  if (input.num_bytes() != output.num_bytes()) return "RESHAPE changes the element count";
  std::memcpy(c.out_data<uint8_t>(), c.in_data<uint8_t>(0), static_cast<size_t>(input.num_bytes()));
  return "";
}

// ---- SOFTMAX ----
template <typename OutT>
void SoftmaxRows(const int8_t* in, OutT* out, int64_t rows, int depth,
                 const ref::SoftmaxParams& p) {
  constexpr int kAccumulationIntegerBits = 12;
  const int32_t out_min = std::numeric_limits<OutT>::min();
  const int32_t out_max = std::numeric_limits<OutT>::max();
  auto scaled_exp = [&p](int32_t diff) {
    // diff * beta * scale in Q5.26, then exp() in Q0.31.
    const int32_t rescaled = ref::SaturatingRoundingDoublingHighMul(
        ref::WrapMul(diff, int32_t{1} << p.input_left_shift), p.input_multiplier);
    return ref::ExpOnNegativeValuesQ5(rescaled);
  };
  for (int64_t r = 0; r < rows; ++r) {
    const int8_t* x = in + r * depth;
    OutT* y = out + r * depth;
    int32_t max_v = -128;
    for (int i = 0; i < depth; ++i) max_v = std::max<int32_t>(max_v, x[i]);
    int32_t sum = 0;  // Q12.19
    for (int i = 0; i < depth; ++i) {
      const int32_t diff = x[i] - max_v;
      if (diff >= p.diff_min) {
        sum = ref::WrapAdd(sum, ref::RoundingDivideByPOT(scaled_exp(diff), kAccumulationIntegerBits));
      }
    }
    // Reciprocal of the sum: normalise to [1, 2), then 1 / (1 + x).
    const int headroom_plus_one =
        sum == 0 ? 32 : __builtin_clz(static_cast<uint32_t>(sum));
    const int num_bits_over_unit = kAccumulationIntegerBits - headroom_plus_one;
    const int32_t shifted_sum_minus_one = static_cast<int32_t>(
        (static_cast<uint32_t>(sum) << headroom_plus_one) - (uint32_t{1} << 31));
    const int32_t shifted_scale = ref::OneOverOnePlusX(shifted_sum_minus_one);
    const int exponent = num_bits_over_unit + 31 - static_cast<int>(sizeof(OutT) * 8);
    for (int i = 0; i < depth; ++i) {
      const int32_t diff = x[i] - max_v;
      if (diff >= p.diff_min) {
        const int32_t unsat = ref::RoundingDivideByPOT(
            ref::SaturatingRoundingDoublingHighMul(shifted_scale, scaled_exp(diff)), exponent);
        const int32_t v = unsat + out_min;
        y[i] = static_cast<OutT>(std::max(out_min, std::min(out_max, v)));
      } else {
        y[i] = static_cast<OutT>(out_min);
      }
    }
  }
}

std::string Softmax(OpContext& c) {
  const SoftmaxOpts* o = Options<SoftmaxOpts>(c.op);
  const float beta = o ? o->beta : 0.0f;
  const TensorSpec &input = c.in(0), &output = c.out();
  if (input.dtype == DT::kInt16 && !input.shape.empty()) return SoftmaxS16(c, beta);
  if (std::string e = CheckType(input, DT::kInt8, "input"); !e.empty()) return e;
  if (input.shape.empty()) return "SOFTMAX needs rank >= 1";
  if (input.num_elements() != output.num_elements()) return "output size mismatch";
  const ref::SoftmaxParams params = ref::PrepareSoftmax(beta, input.scale0());
  const double real = static_cast<double>(beta) * input.scale0() * (1 << 26);
  if (!(real > 1.0)) return "beta * input_scale * 2^26 must exceed 1 (TFLM check)";
  const int depth = input.shape.back();
  const int64_t rows = depth == 0 ? 0 : input.num_elements() / depth;
  if (output.dtype == DT::kInt8) {
    if (output.zero_point0() != -128 || output.scale0() != 1.0f / 256)
      return "int8 softmax output must have zero point -128 and scale 1/256";
    SoftmaxRows<int8_t>(c.in_data<int8_t>(0), c.out_data<int8_t>(), rows, depth, params);
  } else if (output.dtype == DT::kInt16) {
    if (output.zero_point0() != -32768) return "int16 softmax output must have zero point -32768";
    SoftmaxRows<int16_t>(c.in_data<int8_t>(0), c.out_data<int16_t>(), rows, depth, params);
  } else {
    return std::string("softmax output type ") + DTName(output.dtype) + " not supported";
  }
  return "";
}

// ---- QUANTIZE ----
template <typename InT, typename OutT>
void Requantize(const InT* in, OutT* out, int64_t n, const Multiplier& m, int32_t in_zp,
                int32_t out_zp) {
  const int32_t lo = std::numeric_limits<OutT>::min(), hi = std::numeric_limits<OutT>::max();
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v =
        ref::MultiplyByQuantizedMultiplier(static_cast<int32_t>(in[i]) - in_zp, m.multiplier,
                                           m.shift) +
        out_zp;
    out[i] = static_cast<OutT>(std::max(lo, std::min(hi, v)));
  }
}

template <typename OutT>
void QuantizeFloat(const float* in, OutT* out, int64_t n, float scale, int32_t zp) {
  const int32_t lo = std::numeric_limits<OutT>::min(), hi = std::numeric_limits<OutT>::max();
  for (int64_t i = 0; i < n; ++i) {
    // TFLM: round(val / float(scale)) in float, then + zero point, then clamp.
    const int64_t v = static_cast<int64_t>(ref::RoundFloatToInt32(in[i] / scale)) + zp;
    out[i] = static_cast<OutT>(std::max<int64_t>(lo, std::min<int64_t>(hi, v)));
  }
}

std::string Quantize(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (output.scale.size() != 1) return "QUANTIZE output needs exactly one scale";
  const int64_t n = input.num_elements();
  if (output.num_elements() != n) return "output size mismatch";
  const float out_scale = output.scale0();
  const int32_t out_zp = output.zero_point0();
  if (input.dtype == DT::kFloat32) {
    if (output.dtype == DT::kInt8) {
      QuantizeFloat(c.in_data<float>(0), c.out_data<int8_t>(), n, out_scale, out_zp);
    } else if (output.dtype == DT::kInt16) {
      QuantizeFloat(c.in_data<float>(0), c.out_data<int16_t>(), n, out_scale, out_zp);
    } else {
      return "float QUANTIZE to this type not supported";
    }
    return "";
  }
  const Multiplier m = ref::QuantizeMultiplier(static_cast<double>(input.scale0()) /
                                               static_cast<double>(out_scale));
  const int32_t in_zp = input.zero_point0();
#define TINYMLC_REQ(IN_DT, IN_T, OUT_DT, OUT_T)                                                   \
  if (input.dtype == IN_DT && output.dtype == OUT_DT) {                                          \
    Requantize(c.in_data<IN_T>(0), c.out_data<OUT_T>(), n, m, in_zp, out_zp);                    \
    return "";                                                                                   \
  }
  TINYMLC_REQ(DT::kInt8, int8_t, DT::kInt8, int8_t)
  TINYMLC_REQ(DT::kInt8, int8_t, DT::kInt16, int16_t)
  TINYMLC_REQ(DT::kInt8, int8_t, DT::kInt32, int32_t)
  TINYMLC_REQ(DT::kInt16, int16_t, DT::kInt8, int8_t)
  TINYMLC_REQ(DT::kInt16, int16_t, DT::kInt16, int16_t)
  TINYMLC_REQ(DT::kInt16, int16_t, DT::kInt32, int32_t)
  TINYMLC_REQ(DT::kInt32, int32_t, DT::kInt8, int8_t)
  TINYMLC_REQ(DT::kInt32, int32_t, DT::kInt16, int16_t)
#undef TINYMLC_REQ
  return std::string("QUANTIZE ") + DTName(input.dtype) + " -> " + DTName(output.dtype) +
         " not supported";
}

// ---- DEQUANTIZE ----
std::string Dequantize(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (std::string e = CheckType(output, DT::kFloat32, "output"); !e.empty()) return e;
  const int64_t n = input.num_elements();
  if (output.num_elements() != n) return "output size mismatch";
  const double scale = static_cast<double>(input.scale0());
  const int32_t zp = input.zero_point0();
  float* out = c.out_data<float>();
  auto run = [&](auto* in) {
    for (int64_t i = 0; i < n; ++i) {
      out[i] = static_cast<float>(scale * static_cast<double>(static_cast<int32_t>(in[i]) - zp));
    }
  };
  switch (input.dtype) {
    case DT::kInt8: run(c.in_data<int8_t>(0)); break;
    case DT::kInt16: run(c.in_data<int16_t>(0)); break;
    case DT::kUInt8: run(c.in_data<uint8_t>(0)); break;
    default: return std::string("DEQUANTIZE from ") + DTName(input.dtype) + " not supported";
  }
  return "";
}

const OpRegistry& Registry() {
  static const OpRegistry registry = [] {
    OpRegistry r = {
      {op::kAdd, Add},
      {op::kAveragePool2D, [](OpContext& c) { return Pool(c, /*average=*/true); }},
      {op::kConv2D, Conv2D},
      {op::kDepthwiseConv2D, DepthwiseConv2D},
      {op::kDequantize, Dequantize},
      {op::kFullyConnected, FullyConnected},
      {op::kMaxPool2D, [](OpContext& c) { return Pool(c, /*average=*/false); }},
      {op::kQuantize, Quantize},
      {op::kReshape, Reshape},
      {op::kSoftmax, Softmax},
    };
    RegisterShapeOps(r);
    RegisterElementwiseOps(r);
    RegisterActivationOps(r);
    RegisterLayerOps(r);
    RegisterOps2(r);
    RegisterFloatOps(r);
    return r;
  }();
  return registry;
}

}  // namespace

bool ReferenceSupports(int builtin_code) { return Registry().count(builtin_code) != 0; }

ReferenceResult RunReferenceAll(const ModelSpec& model_in,
                                const std::vector<std::vector<uint8_t>>& inputs) {
  ReferenceResult result;
  // int4 constants (weights): TFLM unpacks them to int8 (UnpackDenseInt4IntoInt8) and
  // runs its int8 kernels on them; so does the reference.
  ModelSpec model = model_in;
  for (TensorSpec& t : model.tensors) {
    if (t.dtype == DT::kInt4 && t.is_constant() &&
        static_cast<int64_t>(t.data.size()) == t.num_bytes()) {
      t.data = PackInt8(UnpackInt4(t.data, t.num_elements()));
      t.dtype = DT::kInt8;
    }
  }
  if (std::string problem = model.Validate(); !problem.empty()) {
    result.error = "invalid model: " + problem;
    return result;
  }
  if (inputs.size() != model.inputs.size()) {
    result.error = "expected " + std::to_string(model.inputs.size()) + " inputs, got " +
                   std::to_string(inputs.size());
    return result;
  }
  auto& values = result.tensors;
  values.resize(model.tensors.size());
  for (size_t i = 0; i < model.tensors.size(); ++i) {
    const TensorSpec& t = model.tensors[i];
    if (t.is_constant()) {
      values[i] = t.data;
    } else if (t.is_variable && t.dtype == DT::kInt8) {
      // TFLM's AllocateTensors() ends with Reset(): an int8 variable tensor (e.g. an
      // LSTM's hidden state) starts at its zero point, every other type at 0.
      values[i].assign(static_cast<size_t>(std::max<int64_t>(0, t.num_bytes())),
                       static_cast<uint8_t>(t.zero_point0()));
    } else {
      values[i].assign(static_cast<size_t>(std::max<int64_t>(0, t.num_bytes())), 0);
    }
  }
  for (size_t k = 0; k < inputs.size(); ++k) {
    const int idx = model.inputs[k];
    if (static_cast<int64_t>(inputs[k].size()) != model.tensors[idx].num_bytes()) {
      result.error = "input " + std::to_string(k) + " has " + std::to_string(inputs[k].size()) +
                     " bytes, tensor '" + model.tensors[idx].name + "' needs " +
                     std::to_string(model.tensors[idx].num_bytes());
      return result;
    }
    values[idx] = inputs[k];
  }
  for (size_t k = 0; k < model.ops.size(); ++k) {
    const OpSpec& o = model.ops[k];
    const std::string where =
        "op " + std::to_string(k) + " (" + BuiltinName(o.builtin_code) + "): ";
    auto it = Registry().find(o.builtin_code);
    if (it == Registry().end()) {
      result.error = where + "not supported by the reference";
      return result;
    }
    if (o.inputs.empty() || o.inputs[0] < 0 || o.outputs.empty()) {
      result.error = where + "missing input or output";
      return result;
    }
    OpContext ctx{model, o, values};
    if (std::string e = it->second(ctx); !e.empty()) {
      result.error = where + e;
      return result;
    }
  }
  for (int idx : model.outputs) result.outputs.push_back(values[idx]);
  result.ok = true;
  return result;
}

std::vector<std::vector<uint8_t>> RunReference(const ModelSpec& model,
                                               const std::vector<std::vector<uint8_t>>& inputs) {
  ReferenceResult r = RunReferenceAll(model, inputs);
  if (!r.ok) throw std::runtime_error(r.error);
  return r.outputs;
}

}  // namespace tinymlc::testing
