// Reference implementations: activation operators (see reference_internal.h).
//
// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH, ELU and
// LOG_SOFTMAX, written from TFLM's micro kernels (activations_common.cc,
// leaky_relu_common.cc, prelu_common.cc, logistic_common.cc, tanh.cc,
// hard_swish_common.cc, elu.cc, log_softmax.cc), TFLM's reference headers and
// gemmlowp's fixedpoint.h at the commits the golden data came from. The gemmlowp part
// is a typed re-statement (FixedPoint<IntegerBits> with its operators) rather than the
// raw-integer style of templates/kernels, so that the two cross-check each other.
//
// Where TFLM has no kernel (RELU_N1_TO_1) this follows TFLite's Relu1 (QuantizedReluX
// with -1 and 1), which is TFLM's RELU arithmetic with both bounds.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <type_traits>

#include "reference_internal.h"

namespace tinymlc::testing {
namespace {

using ref::MultiplyByQuantizedMultiplier;
using ref::QuantizeMultiplier;
using ref::RoundingDivideByPOT;
using ref::SaturatingRoundingDoublingHighMul;

constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

int32_t Add32(int32_t a, int32_t b) {  // gemmlowp's plain int32 +, wrapping as hardware does
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t Sub32(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// ---- gemmlowp FixedPoint<int32_t, IntegerBits> -------------------------------------

// x * 2^exponent for exponent > 0, saturating (SaturatingRoundingMultiplyByPOT and
// TFLM's SaturatingRoundingMultiplyByPOTParam for positive exponents).
int32_t SatMulPOT(int32_t x, int exponent) {
  if (exponent == 0) return x;
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return kI32Max;
  if (x < -threshold) return kI32Min;
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

template <int kIntegerBits>
struct FP {
  static constexpr int kFractionalBits = 31 - kIntegerBits;
  int32_t raw = 0;
  static FP FromRaw(int32_t r) { return FP{r}; }
  static FP Zero() { return FP{0}; }
  static FP One() { return FP{kIntegerBits == 0 ? kI32Max : int32_t{1} << kFractionalBits}; }
  template <int kExponent>
  static FP ConstantPOT() {
    static_assert(kFractionalBits + kExponent < 31, "not representable");
    return FP{int32_t{1} << (kFractionalBits + kExponent)};
  }
};

template <int A, int B>
FP<A + B> operator*(FP<A> a, FP<B> b) {
  return FP<A + B>::FromRaw(SaturatingRoundingDoublingHighMul(a.raw, b.raw));
}
template <int A>
FP<A> operator+(FP<A> a, FP<A> b) {
  return FP<A>::FromRaw(Add32(a.raw, b.raw));
}
template <int A>
FP<A> operator-(FP<A> a, FP<A> b) {
  return FP<A>::FromRaw(Sub32(a.raw, b.raw));
}
template <int A>
FP<A> operator-(FP<A> a) {
  return FP<A>::FromRaw(Sub32(0, a.raw));
}
// Same raw value, exponent added to the integer bits (exact multiplication by 2^e).
template <int kExponent, int A>
FP<A + kExponent> ExactMulByPot(FP<A> a) {
  return FP<A + kExponent>::FromRaw(a.raw);
}
// Changes the integer bits, rounding or saturating.
template <int kDst, int kSrc>
FP<kDst> Rescale(FP<kSrc> x) {
  constexpr int kExponent = kSrc - kDst;
  if constexpr (kExponent >= 0) {
    return FP<kDst>::FromRaw(SatMulPOT(x.raw, kExponent));
  } else {
    return FP<kDst>::FromRaw(RoundingDivideByPOT(x.raw, -kExponent));
  }
}
template <int A>
FP<A> RoundingHalfSum(FP<A> a, FP<A> b) {
  const int64_t sum = int64_t{a.raw} + b.raw;
  return FP<A>::FromRaw(static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2));
}
template <int kExponent, int A>
FP<A> SaturatingRoundingMultiplyByPOT(FP<A> a) {
  if constexpr (kExponent >= 0) {
    return FP<A>::FromRaw(SatMulPOT(a.raw, kExponent));
  } else {
    return FP<A>::FromRaw(RoundingDivideByPOT(a.raw, -kExponent));
  }
}

FP<0> ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(FP<0> a) {
  using F = FP<0>;
  const F constant_term = F::FromRaw(1895147668);      // exp(-1/8)
  const F constant_1_over_3 = F::FromRaw(715827883);   // 1/3
  const F x = a + F::ConstantPOT<-3>();
  const F x2 = x * x;
  const F x3 = x2 * x;
  const F x4 = x2 * x2;
  const F x4_over_4 = SaturatingRoundingMultiplyByPOT<-2>(x4);
  const F x4_over_24_plus_x3_over_6_plus_x2_over_2 =
      SaturatingRoundingMultiplyByPOT<-1>(((x4_over_4 + x3) * constant_1_over_3) + x2);
  return constant_term + constant_term * (x + x4_over_24_plus_x3_over_6_plus_x2_over_2);
}

template <int kIntegerBits>
FP<0> ExpOnNegativeValues(FP<kIntegerBits> a) {
  using InputF = FP<kIntegerBits>;
  const InputF one_quarter = InputF::template ConstantPOT<-2>();
  const InputF mask = one_quarter - InputF::FromRaw(1);
  const InputF a_mod_quarter_minus_one_quarter =
      InputF::FromRaw(a.raw & mask.raw) - one_quarter;
  FP<0> result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      Rescale<0>(a_mod_quarter_minus_one_quarter));
  const int32_t remainder = (a_mod_quarter_minus_one_quarter - a).raw;
  // exp(-2^e) for e = -2 .. 4, used for the bits of the remainder that exist.
  const struct {
    int exponent;
    int32_t multiplier;
  } kBarrel[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                 {2, 39332535},    {3, 720401},      {4, 242}};
  for (const auto& b : kBarrel) {
    if (kIntegerBits > b.exponent &&
        (remainder & (int32_t{1} << (InputF::kFractionalBits + b.exponent))) != 0) {
      result = result * FP<0>::FromRaw(b.multiplier);
    }
  }
  static_assert(kIntegerBits <= 5, "the -32 clamp of wider formats is not needed here");
  return a.raw == 0 ? FP<0>::One() : result;
}

// Newton-Raphson on half the denominator, shared by the two divisions below.
FP<2> NewtonReciprocal(FP<0> half_denominator) {
  using F2 = FP<2>;
  const F2 constant_48_over_17 = F2::FromRaw(1515870810);
  const F2 constant_neg_32_over_17 = F2::FromRaw(-1010580540);
  F2 x = constant_48_over_17 + half_denominator * constant_neg_32_over_17;
  for (int i = 0; i < 3; ++i) {
    const F2 half_denominator_times_x = half_denominator * x;
    const F2 one_minus_half_denominator_times_x = F2::One() - half_denominator_times_x;
    x = x + Rescale<2>(x * one_minus_half_denominator_times_x);
  }
  return x;
}

FP<0> OneOverOnePlusXForXIn01(FP<0> a) {
  return Rescale<0>(ExactMulByPot<-1>(NewtonReciprocal(RoundingHalfSum(a, FP<0>::One()))));
}

FP<0> OneMinusXOverOnePlusXForXIn01(FP<0> a) {
  return Rescale<0>(NewtonReciprocal(RoundingHalfSum(a, FP<0>::One())) - FP<2>::One());
}

template <int kIntegerBits>
FP<0> Logistic(FP<kIntegerBits> a) {
  const bool positive = a.raw > 0;
  const FP<kIntegerBits> abs_input = positive ? a : -a;
  const FP<0> result_if_positive = OneOverOnePlusXForXIn01(ExpOnNegativeValues(-abs_input));
  const FP<0> result_if_negative = FP<0>::One() - result_if_positive;
  if (a.raw == 0) return FP<0>::FromRaw(1 << 30);  // 1/2
  return positive ? result_if_positive : result_if_negative;
}

template <int kIntegerBits>
FP<0> Tanh(FP<kIntegerBits> a) {
  const bool negative = a.raw < 0;
  const FP<kIntegerBits> n = negative ? a : -a;
  const FP<0> t = OneMinusXOverOnePlusXForXIn01(ExpOnNegativeValues(ExactMulByPot<1>(n)));
  if (a.raw == 0) return FP<0>::Zero();
  return negative ? -t : t;
}

// TFLM's log_x_for_x_greater_than_or_equal_to_1_impl (common.h).
template <int kOutputIntegerBits, int kInputIntegerBits>
FP<kOutputIntegerBits> LogXForXGreaterThanOrEqualTo1(FP<kInputIntegerBits> input) {
  constexpr int kAccumIntegerBits = kOutputIntegerBits + 1;
  using F0 = FP<0>;
  using FAccum = FP<kAccumIntegerBits>;
  const F0 log_2 = F0::FromRaw(1488522236);
  const F0 sqrt_sqrt_half = F0::FromRaw(1805811301);
  const F0 sqrt_half = F0::FromRaw(1518500250);
  const F0 one_quarter = F0::FromRaw(536870912);
  const F0 alpha_n = F0::FromRaw(117049297);
  const F0 alpha_d = F0::FromRaw(127690142);
  const F0 alpha_i = F0::FromRaw(1057819769);
  const F0 alpha_f = F0::FromRaw(638450708);
  const FAccum shifted_quarter = Rescale<kAccumIntegerBits>(one_quarter);
  auto clz = [](int32_t v) {
    return v == 0 ? 32 : __builtin_clz(static_cast<uint32_t>(v));
  };
  auto sat_add = [](int32_t a, int32_t b) {
    return static_cast<int32_t>(
        std::clamp<int64_t>(int64_t{a} + b, kI32Min, kI32Max));
  };

  const F0 z_a = F0::FromRaw(input.raw);
  const int z_a_headroom_plus_1 = clz(z_a.raw);
  const F0 r_a_tmp = F0::FromRaw(SatMulPOT(z_a.raw, z_a_headroom_plus_1 - 1));
  const int32_t r_a_raw = SatMulPOT((r_a_tmp * sqrt_half).raw, 1);
  const FAccum z_a_pow_2_adj = FAccum::FromRaw(
      sat_add(SatMulPOT(kInputIntegerBits - z_a_headroom_plus_1, 31 - kAccumIntegerBits),
              shifted_quarter.raw));
  const F0 z_b = z_a * sqrt_half;
  const int z_b_headroom = clz(z_b.raw) - 1;
  const int32_t r_b_raw = SatMulPOT(z_a.raw, z_b_headroom);
  const FAccum z_b_pow_2_adj = FAccum::FromRaw(
      sat_add(SatMulPOT(kInputIntegerBits - z_b_headroom, 31 - kAccumIntegerBits),
              -shifted_quarter.raw));
  const F0 r = F0::FromRaw(std::min(r_a_raw, r_b_raw));
  const FAccum z_pow_2_adj = FAccum::FromRaw(std::max(z_a_pow_2_adj.raw, z_b_pow_2_adj.raw));

  const F0 p = RoundingHalfSum(r, sqrt_sqrt_half);
  F0 q = r - sqrt_sqrt_half;
  q = q + q;
  const F0 common_sq = q * q;
  const F0 num = q * r + q * common_sq * alpha_n;
  const F0 denom_minus_one_0 = p * (alpha_i + q + alpha_d * common_sq) + alpha_f * q;
  const F0 recip_denom = OneOverOnePlusXForXIn01(denom_minus_one_0);
  const FAccum num_scaled = Rescale<kAccumIntegerBits>(num);
  return Rescale<kOutputIntegerBits>(z_pow_2_adj * log_2 + num_scaled * recip_denom);
}

// ---- Helpers ----------------------------------------------------------------------------

template <typename T>
constexpr int32_t Lo() {
  return std::numeric_limits<T>::min();
}
template <typename T>
constexpr int32_t Hi() {
  return std::numeric_limits<T>::max();
}

// Type and shape checks shared by the unary ops; "" when fine.
std::string CheckUnary(OpContext& c, std::initializer_list<DT> types) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (std::find(types.begin(), types.end(), input.dtype) == types.end()) {
    return std::string("input type ") + DTName(input.dtype) + " not supported";
  }
  if (output.dtype != input.dtype) return "output type differs from the input type";
  if (input.num_elements() != output.num_elements()) return "output size mismatch";
  if (input.scale.empty() || output.scale.empty()) return "input and output must be quantized";
  return "";
}

// Applies f to every element (int8 or int16 tensors, same type in and out).
template <typename F>
void MapElements(OpContext& c, F f) {
  const int64_t n = c.in(0).num_elements();
  if (c.in(0).dtype == DT::kInt16) {
    const int16_t* in = c.in_data<int16_t>(0);
    int16_t* out = c.out_data<int16_t>();
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<int16_t>(f(int32_t{in[i]}));
  } else {
    const int8_t* in = c.in_data<int8_t>(0);
    int8_t* out = c.out_data<int8_t>();
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<int8_t>(f(int32_t{in[i]}));
  }
}

// float -> int32 as static_cast after TfLiteRound, saturating where C++ is undefined.
int32_t RoundToInt32(float v) {
  const float r = std::round(v);
  if (!(r > -2147483648.0f)) return kI32Min;
  if (r >= 2147483648.0f) return kI32Max;
  return static_cast<int32_t>(r);
}

// ---- RELU, RELU_N1_TO_1 (ReluQuantized) and RELU6 --------------------------------------------

std::string ReluX(OpContext& c, float act_min, float act_max) {
  if (std::string e = CheckUnary(c, {DT::kInt8, DT::kInt16}); !e.empty()) return e;
  const TensorSpec &input = c.in(0), &output = c.out();
  const bool is16 = input.dtype == DT::kInt16;
  if (is16 && (input.zero_point0() != 0 || output.zero_point0() != 0)) {
    return "int16 RELU needs zero points 0";
  }
  const float out_scale = output.scale0();
  const int32_t out_zp = output.zero_point0(), in_zp = input.zero_point0();
  // CalculateReluOpData: the ratio in double (the TFLM that runs).
  const Multiplier m = QuantizeMultiplier(static_cast<double>(input.scale0()) / out_scale);
  const int32_t qmin = is16 ? Lo<int16_t>() : Lo<int8_t>();
  const int32_t qmax = is16 ? Hi<int16_t>() : Hi<int8_t>();
  const int32_t lo = std::max(qmin, out_zp + RoundToInt32(act_min / out_scale));
  const int32_t hi = std::isinf(act_max) ? qmax
                                         : std::min(qmax, out_zp + RoundToInt32(act_max / out_scale));
  MapElements(c, [&](int32_t x) {
    int32_t v = out_zp + MultiplyByQuantizedMultiplier(x - in_zp, m.multiplier, m.shift);
    v = std::max(lo, v);
    return std::min(hi, v);
  });
  return "";
}

std::string Relu6(OpContext& c) {
  if (std::string e = CheckUnary(c, {DT::kInt8, DT::kInt16}); !e.empty()) return e;
  const TensorSpec& input = c.in(0);
  const bool is16 = input.dtype == DT::kInt16;
  // FloatToQuantizedType<T>(6.0f, scale, zero_point) with the INPUT's parameters.
  const int32_t zero = input.zero_point0();
  const int32_t six = std::clamp(RoundToInt32(6.0f / input.scale0()) + zero,
                                 is16 ? Lo<int16_t>() : Lo<int8_t>(),
                                 is16 ? Hi<int16_t>() : Hi<int8_t>());
  MapElements(c, [&](int32_t x) { return x > six ? six : (x < zero ? zero : x); });
  return "";
}

// ---- LEAKY_RELU ---------------------------------------------------------------------------

std::string LeakyRelu(OpContext& c) {
  if (std::string e = CheckUnary(c, {DT::kInt8, DT::kInt16}); !e.empty()) return e;
  const LeakyReluOpts* o = Options<LeakyReluOpts>(c.op);
  const float alpha = o ? o->alpha : 0.0f;
  const TensorSpec &input = c.in(0), &output = c.out();
  const float in_scale = input.scale0(), out_scale = output.scale0();
  // In double from each float operand, as the TFLM build that runs (pip tflite-micro
  // 0.dev20261023182759) computes them.
  const Multiplier m_alpha = QuantizeMultiplier(static_cast<double>(in_scale) * alpha / out_scale);
  const Multiplier m_identity = QuantizeMultiplier(static_cast<double>(in_scale) / out_scale);
  const bool alpha_negative = m_alpha.multiplier < 0;
  const int32_t alpha_magnitude = alpha_negative ? -m_alpha.multiplier : m_alpha.multiplier;
  const int32_t in_zp = input.zero_point0(), out_zp = output.zero_point0();
  const bool is16 = input.dtype == DT::kInt16;
  const int32_t qmin = is16 ? Lo<int16_t>() : Lo<int8_t>();
  const int32_t qmax = is16 ? Hi<int16_t>() : Hi<int8_t>();
  MapElements(c, [&](int32_t x) {
    const int32_t v = x - in_zp;
    int32_t out = out_zp;
    if (v >= 0) {
      out += MultiplyByQuantizedMultiplier(v, m_identity.multiplier, m_identity.shift);
    } else {
      const int32_t scaled = MultiplyByQuantizedMultiplier(v, alpha_magnitude, m_alpha.shift);
      out += alpha_negative ? -scaled : scaled;
    }
    return std::min(qmax, std::max(qmin, out));
  });
  return "";
}

// ---- PRELU --------------------------------------------------------------------------------

template <typename T>
void PreluLoop(OpContext& c, const Multiplier& m1, const Multiplier& m2) {
  const TensorSpec &input = c.in(0), &alpha = c.in(1), &output = c.out();
  const int32_t input_offset = -input.zero_point0();
  const int32_t alpha_offset = -alpha.zero_point0();
  const int32_t output_offset = output.zero_point0();
  const T* in = c.in_data<T>(0);
  const int8_t* al = c.in_data<int8_t>(1);
  T* out = c.out_data<T>();
  // NumPy broadcasting: index every output element back into input and alpha.
  const int rank = static_cast<int>(output.shape.size());
  auto padded = [rank](const std::vector<int32_t>& s) {
    std::vector<int64_t> p(rank - s.size(), 1);
    p.insert(p.end(), s.begin(), s.end());
    return p;
  };
  const std::vector<int64_t> si = padded(input.shape), sa = padded(alpha.shape);
  for (int64_t n = 0; n < output.num_elements(); ++n) {
    int64_t rem = n, ii = 0, ia = 0, stride_i = 1, stride_a = 1;
    for (int d = rank - 1; d >= 0; --d) {
      const int64_t idx = rem % output.shape[d];
      rem /= output.shape[d];
      if (si[d] != 1) ii += idx * stride_i;
      if (sa[d] != 1) ia += idx * stride_a;
      stride_i *= si[d];
      stride_a *= sa[d];
    }
    const int32_t x = input_offset + in[ii];
    int32_t v;
    if (x >= 0) {
      v = MultiplyByQuantizedMultiplier(x, m1.multiplier, m1.shift);
    } else {
      v = MultiplyByQuantizedMultiplier(x * (alpha_offset + al[ia]), m2.multiplier, m2.shift);
    }
    out[n] = static_cast<T>(std::clamp(v + output_offset, Lo<T>(), Hi<T>()));
  }
}

std::string Prelu(OpContext& c) {
  if (c.num_inputs() != 2) return "PRELU needs 2 inputs";
  const TensorSpec &input = c.in(0), &alpha = c.in(1), &output = c.out();
  if (input.dtype != DT::kInt8 && input.dtype != DT::kInt16) return "PRELU input must be int8/int16";
  if (std::string e = CheckType(alpha, DT::kInt8, "alpha"); !e.empty()) return e;
  if (output.dtype != input.dtype) return "output type differs from the input type";
  if (alpha.scale.empty()) return "alpha is not quantized";
  const size_t rank = output.shape.size();
  if (input.shape.size() > rank || alpha.shape.size() > rank) return "output rank too small";
  for (size_t i = 0; i < rank; ++i) {
    const int32_t o = output.shape[rank - 1 - i];
    for (const TensorSpec* t : {&input, &alpha}) {
      if (i < t->shape.size()) {
        const int32_t d = t->shape[t->shape.size() - 1 - i];
        if (d != o && d != 1) return "input or alpha does not broadcast to the output";
      }
    }
  }
  // CalculatePreluParams: double arithmetic, alpha's first scale / zero point.
  const double in_scale = input.scale0(), out_scale = output.scale0();
  const Multiplier m1 = QuantizeMultiplier(in_scale / out_scale);
  const Multiplier m2 = QuantizeMultiplier(in_scale * static_cast<double>(alpha.scale0()) / out_scale);
  if (input.dtype == DT::kInt16) {
    PreluLoop<int16_t>(c, m1, m2);
  } else {
    PreluLoop<int8_t>(c, m1, m2);
  }
  return "";
}

// ---- LOGISTIC and TANH ------------------------------------------------------------------------

// int8 prepare (logistic_common.cc / tanh.cc): frexp of input_scale * 2^27 and the
// input radius for 4 integer bits.
struct SigmoidInt8 {
  int32_t multiplier = 0;
  int shift = 0;
  int32_t radius = 0;
};
SigmoidInt8 PrepareSigmoidInt8(float input_scale) {
  SigmoidInt8 s;
  const double real = static_cast<double>(input_scale) * static_cast<double>(1 << 27);
  const double q = std::frexp(real, &s.shift);
  s.multiplier = static_cast<int32_t>(std::round(q * static_cast<double>(1ll << 31)));
  s.radius = static_cast<int32_t>(std::floor(15.0 * static_cast<double>(1ll << 27) /
                                             static_cast<double>(1ll << s.shift)));
  return s;
}

// TFLM's CheckedLog2 (quantization_util.cc), float math.
bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float x_log2_rounded = std::round(x_log2);
  *log2_result = static_cast<int>(x_log2_rounded);
  return std::abs(x_log2 - x_log2_rounded) < 1e-3f;
}

// int16 prepare: multiplier/shift as TFLM stores them (multiplier 0 = power of two).
struct SigmoidInt16 {
  int32_t multiplier = 0;
  int shift = 0;
};
std::string PrepareSigmoidInt16(const TensorSpec& input, const TensorSpec& output,
                                bool tanh, SigmoidInt16* s) {
  if (input.zero_point0() != 0 || output.zero_point0() != 0) return "int16 needs zero points 0";
  int log2_in = 0;
  bool pot = CheckedLog2(input.scale0(), &log2_in);
  s->shift = 12 + log2_in;
  pot = pot && (s->shift == 0 || (tanh && s->shift == 1));
  if (pot) {
    s->multiplier = 0;
  } else {
    double multiplier = static_cast<double>(input.scale0()) * 4096.0 * 3.0;
    s->shift = 0;
    while (multiplier <= 32767.0 / 2.0 && s->shift <= 30) {
      s->shift++;
      multiplier = multiplier * 2.0;
    }
    if (multiplier >= 32768.0) return "int16 input scale too large (TFLM DCHECK)";
    s->multiplier = static_cast<int32_t>(multiplier);
  }
  int log2_out = 0;
  if (!CheckedLog2(output.scale0(), &log2_out) || log2_out != -15) {
    return "int16 output scale must be 2^-15";
  }
  return "";
}

// TFLM's sigmoid_table_uint16 (common.h): sigmoid(i / 24) in 0.16.
const uint16_t kSigmoidTable[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794,
    41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443,
    48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374,
    54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544,
    58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279,
    61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990,
    63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030,
    64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019,
    65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476,
    65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516,
    65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
    65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532,
    65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535};

// reference_integer_ops::Logistic / Tanh for int16 (table + interpolation).
int16_t SigmoidInt16Element(int16_t value, SigmoidInt16 s, bool tanh) {
  int32_t multiplier = s.multiplier, shift = s.shift;
  if (multiplier == 0) {  // power of two case
    multiplier = 3 << shift;
    shift = 0;
  }
  const int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
  const int32_t x = (value * multiplier + round) >> shift;
  const uint32_t abs_x = static_cast<uint32_t>(std::abs(x));
  if (!tanh) {
    const uint32_t uh = abs_x >> 9;
    uint32_t result;
    if (uh >= 255) {
      result = 0x7FFF << 10;
    } else {
      const uint32_t ua = kSigmoidTable[uh], ub = kSigmoidTable[uh + 1];
      result = (ua << 9) + (abs_x & 0x1ff) * (ub - ua);
    }
    result = x >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1;
    return static_cast<int16_t>(result >> 10);
  }
  const uint32_t uh = abs_x >> 8;
  int32_t result;
  if (uh >= 255) {
    result = 0xFFFF << 8;
  } else {
    const uint32_t ua = kSigmoidTable[uh], ub = kSigmoidTable[uh + 1];
    const uint8_t ut = static_cast<uint8_t>(abs_x & 0xFF);
    result = static_cast<int32_t>((ua << 8) + ut * (ub - ua));
  }
  result = x >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
  return static_cast<int16_t>(result >> 8);
}

std::string SigmoidLike(OpContext& c, bool tanh) {
  if (std::string e = CheckUnary(c, {DT::kInt8, DT::kInt16}); !e.empty()) return e;
  const TensorSpec &input = c.in(0), &output = c.out();
  if (input.dtype == DT::kInt16) {
    SigmoidInt16 s;
    if (std::string e = PrepareSigmoidInt16(input, output, tanh, &s); !e.empty()) return e;
    MapElements(c, [&](int32_t x) { return SigmoidInt16Element(static_cast<int16_t>(x), s, tanh); });
    return "";
  }
  if (!tanh && output.zero_point0() != -128) return "int8 LOGISTIC output zero point must be -128";
  const SigmoidInt8 s = PrepareSigmoidInt8(input.scale0());
  if (s.shift < 0) return "input scale below 2^-28 (TFLM's radius is undefined)";
  const int32_t zp = input.zero_point0();
  MapElements(c, [&](int32_t q) -> int32_t {
    const int32_t x = q - zp;
    if (x <= -s.radius) return -128;
    if (x >= s.radius) return 127;
    const FP<4> x_q4 = FP<4>::FromRaw(MultiplyByQuantizedMultiplier(x, s.multiplier, s.shift));
    if (tanh) {
      // Q0.31 -> Q0.7 (output scale 1/128, zero point 0 assumed).
      return std::clamp(RoundingDivideByPOT(Tanh(x_q4).raw, 24), -128, 127);
    }
    // Q0.31 -> Q0.8, zero point -128 (scale 1/256 assumed).
    return std::clamp(RoundingDivideByPOT(Logistic(x_q4).raw, 23) - 128, -128, 127);
  });
  return "";
}

// ---- HARD_SWISH ----------------------------------------------------------------------------

// gemmlowp's generic RoundingDivideByPOT instantiated for int16 (the mask is formed in
// int16, which matters for exponents >= 16).
int16_t RoundingDivideByPOT16(int16_t x, int exponent) {
  const int16_t mask = static_cast<int16_t>((1ll << exponent) - 1);
  const int16_t zero = 0, one = 1;
  const int16_t remainder = static_cast<int16_t>(x & mask);
  const int16_t lt_mask = x < zero ? static_cast<int16_t>(~0) : zero;
  const int16_t threshold = static_cast<int16_t>((mask >> 1) + (lt_mask & one));
  const int16_t gt_mask = remainder > threshold ? static_cast<int16_t>(~0) : zero;
  return static_cast<int16_t>((x >> exponent) + (gt_mask & one));
}

int16_t SaturatingRoundingDoublingHighMul16(int16_t a, int16_t b) {
  const bool overflow = a == b && a == std::numeric_limits<int16_t>::min();
  const int32_t ab_32 = int32_t{a} * int32_t{b};
  const int16_t nudge = ab_32 >= 0 ? (1 << 14) : (1 - (1 << 14));
  const int16_t ab_x2_high16 = static_cast<int16_t>((ab_32 + nudge) / (1 << 15));
  return overflow ? std::numeric_limits<int16_t>::max() : ab_x2_high16;
}

int16_t SaturatingDoublingHighMul16(int16_t a, int16_t b) {
  const bool overflow = a == b && a == std::numeric_limits<int16_t>::min();
  const int32_t ab_32 = int32_t{a} * int32_t{b};
  return overflow ? std::numeric_limits<int16_t>::max() : static_cast<int16_t>(ab_32 / (1 << 15));
}

int16_t SaturatingLeftShift16(int16_t value, int amount) {
  const int64_t result = static_cast<int64_t>(value) * (int64_t{1} << amount);
  return static_cast<int16_t>(std::clamp<int64_t>(result, -32768, 32767));
}

int16_t DownScaleToInt16(int32_t multiplier) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (multiplier >= kI32Max - kRoundingOffset) return 32767;
  return static_cast<int16_t>((multiplier + kRoundingOffset) >> 16);
}

std::string HardSwish(OpContext& c) {
  if (std::string e = CheckUnary(c, {DT::kInt8}); !e.empty()) return e;
  const TensorSpec &input = c.in(0), &output = c.out();
  const float hires_input_scale = (1.0f / 128.0f) * input.scale0();
  const float reluish_scale = 3.0f / 32768.0f;
  const Multiplier out_m = QuantizeMultiplier(static_cast<double>(hires_input_scale) / output.scale0());
  if (out_m.shift > 0) return "HARD_SWISH output multiplier exponent > 0 (TFLM rejects)";
  const Multiplier relu_m = QuantizeMultiplier(static_cast<double>(hires_input_scale) / reluish_scale);
  const int16_t out_mult = DownScaleToInt16(out_m.multiplier);
  const int16_t relu_mult = DownScaleToInt16(relu_m.multiplier);
  const int32_t in_zp = input.zero_point0(), out_zp = output.zero_point0();
  MapElements(c, [&](int32_t q) -> int32_t {
    const int16_t input_value = static_cast<int16_t>(q - in_zp);
    const int16_t hires = static_cast<int16_t>(input_value * (1 << 7));
    const int16_t preshift_output = SaturatingRoundingDoublingHighMul16(hires, out_mult);
    int16_t reluish = hires;
    if (relu_m.shift > 0) reluish = SaturatingLeftShift16(reluish, relu_m.shift - 1);
    reluish = SaturatingRoundingDoublingHighMul16(reluish, relu_mult);
    if (relu_m.shift > 0) reluish = SaturatingLeftShift16(reluish, 1);
    if (relu_m.shift < 0) reluish = RoundingDivideByPOT16(reluish, -relu_m.shift);
    reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);
    const int16_t preshift = SaturatingDoublingHighMul16(reluish, preshift_output);
    int16_t v = RoundingDivideByPOT16(preshift, -out_m.shift);
    v = static_cast<int16_t>(v + out_zp);  // int16 `+=`: wraps
    return std::clamp<int32_t>(v, -128, 127);
  });
  return "";
}

// ---- ELU -----------------------------------------------------------------------------------

std::string Elu(OpContext& c) {
  if (std::string e = CheckUnary(c, {DT::kInt8}); !e.empty()) return e;
  const TensorSpec &input = c.in(0), &output = c.out();
  // PopulateLookupTable<int8_t> in float.
  int8_t table[256];
  const float inverse_scale = 1 / output.scale0();
  for (int32_t val = -128; val <= 127; ++val) {
    const float dequantized = input.scale0() * static_cast<float>(val - input.zero_point0());
    const float transformed = dequantized < 0.0f ? std::exp(dequantized) - 1.0f : dequantized;
    const float rescaled = std::round(transformed * inverse_scale);
    const int32_t quantized = RoundToInt32(rescaled + static_cast<float>(output.zero_point0()));
    table[static_cast<uint8_t>(static_cast<int8_t>(val))] =
        static_cast<int8_t>(std::clamp(quantized, -128, 127));
  }
  MapElements(c, [&](int32_t x) { return table[static_cast<uint8_t>(static_cast<int8_t>(x))]; });
  return "";
}

// ---- LOG_SOFTMAX ---------------------------------------------------------------------------

std::string LogSoftmax(OpContext& c) {
  if (std::string e = CheckUnary(c, {DT::kInt8}); !e.empty()) return e;
  const TensorSpec &input = c.in(0), &output = c.out();
  if (input.shape != output.shape) return "LOG_SOFTMAX shapes differ";
  if (input.shape.empty()) return "LOG_SOFTMAX needs rank >= 1";
  if (output.scale0() != 16.0f / 256 || output.zero_point0() != 127) {
    return "LOG_SOFTMAX int8 output must have scale 16/256 and zero point 127";
  }
  constexpr int kInputIntegerBits = 5;
  // PreprocessLogSoftmaxScalingExp(beta = 1, input_scale, 5).
  const double real = std::min(1.0 * static_cast<double>(input.scale0()) * (1 << 26),
                               static_cast<double>((1ll << 31) - 1));
  if (!(real > 1.0)) return "input_scale * 2^26 must exceed 1 (TFLM CHECK)";
  const Multiplier m = QuantizeMultiplier(real);
  const double reverse = (1 << (31 - m.shift)) / static_cast<double>(m.multiplier);
  if (!(reverse < 1.0 && reverse > 0.0)) return "reverse scaling not below 1 (TFLM CHECK)";
  const Multiplier rev = QuantizeMultiplier(reverse);
  const int32_t diff_min = -static_cast<int32_t>(std::floor(
      31.0 * static_cast<double>(1ll << 26) / static_cast<double>(1ll << m.shift)));

  const int depth = input.shape.back();
  const int64_t outer = depth == 0 ? 0 : input.num_elements() / depth;
  const int8_t* in = c.in_data<int8_t>(0);
  int8_t* out = c.out_data<int8_t>();
  for (int64_t row = 0; row < outer; ++row) {
    const int8_t* x = in + row * depth;
    int8_t* y = out + row * depth;
    const int32_t max_in_row = *std::max_element(x, x + depth);
    FP<12> sum_of_exps = FP<12>::Zero();
    for (int i = 0; i < depth; ++i) {
      const int32_t diff = x[i] - max_in_row;
      if (diff >= diff_min) {
        const FP<5> scaled = FP<5>::FromRaw(MultiplyByQuantizedMultiplier(diff, m.multiplier, m.shift));
        sum_of_exps = sum_of_exps + Rescale<12>(ExpOnNegativeValues(scaled));
      }
    }
    const int32_t log_sum = LogXForXGreaterThanOrEqualTo1<kInputIntegerBits>(sum_of_exps).raw;
    const int32_t adjusted_diff_min =
        std::max(diff_min - 1, MultiplyByQuantizedMultiplier(Add32(log_sum, kI32Min),
                                                             rev.multiplier, rev.shift));
    for (int i = 0; i < depth; ++i) {
      const int32_t diff = x[i] - max_in_row;
      if (diff > adjusted_diff_min) {
        const int32_t scaled = MultiplyByQuantizedMultiplier(diff, m.multiplier, m.shift);
        const int32_t v = RoundingDivideByPOT(Sub32(scaled, log_sum), 31 - 5 - 4) + 127;
        y[i] = static_cast<int8_t>(std::clamp(v, -128, 127));
      } else {
        y[i] = -128;
      }
    }
  }
  return "";
}

}  // namespace

void RegisterActivationOps(OpRegistry& r) {
  r[op::kRelu] = [](OpContext& c) {
    return ReluX(c, 0.0f, std::numeric_limits<float>::infinity());
  };
  r[op::kReluN1To1] = [](OpContext& c) { return ReluX(c, -1.0f, 1.0f); };
  r[op::kRelu6] = Relu6;
  r[op::kLeakyRelu] = LeakyRelu;
  r[op::kPrelu] = Prelu;
  r[op::kLogistic] = [](OpContext& c) { return SigmoidLike(c, /*tanh=*/false); };
  r[op::kTanh] = [](OpContext& c) { return SigmoidLike(c, /*tanh=*/true); };
  r[op::kHardSwish] = HardSwish;
  r[op::kElu] = Elu;
  r[op::kLogSoftmax] = LogSoftmax;
}

}  // namespace tinymlc::testing
