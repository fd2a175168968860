// Reference implementations: elementwise operators, reductions and comparisons (see
// reference_internal.h). Written from TFLM's micro kernels (mul_common.cc,
// sub_common.cc, maximum_minimum.cc, squared_difference.cc, comparisons.cc,
// elementwise.cc, neg.cc, reduce_common.cc) and reference/reduce.h, in plain C++: every
// output element is computed on its own from its multi-index, independently of the
// C kernels' loop structure.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "reference_internal.h"

namespace tinymlc::testing {
namespace {

using ref::Multiplier;

int32_t Clamp(int32_t v, int32_t lo, int32_t hi) { return std::min(hi, std::max(lo, v)); }

int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// MultiplyByQuantizedMultiplierSmallerThanOneExp.
int32_t ScaleDown(int32_t x, const Multiplier& m) {
  return ref::RoundingDivideByPOT(ref::SaturatingRoundingDoublingHighMul(x, m.multiplier), -m.shift);
}

// QuantizeMultiplierSmallerThanOneExp; "" or why TFLM would abort.
std::string SmallerThanOne(double real, Multiplier* m, const char* what) {
  if (!(real < 1.0 && real > 0.0)) return std::string(what) + " not in (0, 1): TFLM aborts";
  *m = ref::QuantizeMultiplier(real);
  if (m->shift > 0) return std::string(what) + " rounds to 1: TFLM aborts";
  return "";
}

std::string CheckInt8Quantized(const TensorSpec& t, const char* what) {
  if (std::string e = CheckType(t, DT::kInt8, what); !e.empty()) return e;
  if (t.scale.size() != 1) return std::string(what) + " needs per-tensor quantization";
  return "";
}

// ---- Broadcasting ----------------------------------------------------------------------

// Applies f(a, b) at every output position: NumPy broadcasting, each input index found
// from the output multi-index (a dimension of size 1 is read at 0).
template <typename OutT, typename F, typename InT = int8_t>
std::string Broadcast(OpContext& c, F f) {
  const TensorSpec &a = c.in(0), &b = c.in(1), &o = c.out();
  const size_t rank = std::max({a.shape.size(), b.shape.size(), o.shape.size()});
  auto dim = [rank](const TensorSpec& t, size_t d) -> int64_t {
    const size_t lead = rank - t.shape.size();
    return d < lead ? 1 : t.shape[d - lead];
  };
  for (size_t d = 0; d < rank; ++d) {
    const int64_t da = dim(a, d), db = dim(b, d), dout = dim(o, d);
    if (da != db && da != 1 && db != 1) return "inputs do not broadcast";
    if (dout != std::max(da, db)) return "output is not the broadcast shape";
  }
  const InT* in_a = c.in_data<InT>(0);
  const InT* in_b = c.in_data<InT>(1);
  OutT* out = c.out_data<OutT>();
  const int64_t total = o.num_elements();
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t rest = flat, ia = 0, ib = 0, stride_a = 1, stride_b = 1;
    for (size_t d = rank; d-- > 0;) {
      const int64_t i = rest % dim(o, d);
      rest /= dim(o, d);
      if (dim(a, d) != 1) ia += i * stride_a;
      if (dim(b, d) != 1) ib += i * stride_b;
      stride_a *= dim(a, d);
      stride_b *= dim(b, d);
    }
    out[flat] = f(in_a[ia], in_b[ib]);
  }
  return "";
}

std::string CheckBinaryInt8(OpContext& c, bool output_bool) {
  if (c.num_inputs() != 2) return "expects 2 inputs";
  if (std::string e = CheckInt8Quantized(c.in(0), "input1"); !e.empty()) return e;
  if (std::string e = CheckInt8Quantized(c.in(1), "input2"); !e.empty()) return e;
  if (output_bool) return CheckType(c.out(), DT::kBool, "output");
  return CheckInt8Quantized(c.out(), "output");
}

template <typename T>
int Activation(const OpSpec& op) {
  const T* o = Options<T>(op);
  return o ? o->activation : kActNone;
}

// ---- MUL (CalculateOpDataMul, MulElementwise) ----
std::string Mul(OpContext& c) {
  if (c.in(0).dtype == DT::kInt16) return MulS16(c, Activation<MulOpts>(c.op));
  if (std::string e = CheckBinaryInt8(c, false); !e.empty()) return e;
  const TensorSpec &a = c.in(0), &b = c.in(1), &o = c.out();
  const Multiplier m = ref::QuantizeMultiplier(static_cast<double>(a.scale0()) *
                                               static_cast<double>(b.scale0()) /
                                               static_cast<double>(o.scale0()));
  const ActRange range = ref::ActivationRange(Activation<MulOpts>(c.op), o.scale0(), o.zero_point0());
  const int32_t za = a.zero_point0(), zb = b.zero_point0(), zo = o.zero_point0();
  return Broadcast<int8_t>(c, [&](int8_t x, int8_t y) {
    const int32_t product = (x - za) * (y - zb);
    const int32_t v = WrapAdd(zo, ref::MultiplyByQuantizedMultiplier(product, m.multiplier, m.shift));
    return static_cast<int8_t>(Clamp(v, range.min, range.max));
  });
}

// ---- SUB (CalculateOpDataSub: double arithmetic, as ADD; SubElementwise) ----
std::string Sub(OpContext& c) {
  if (c.in(0).dtype == DT::kInt16) return SubS16(c, Activation<SubOpts>(c.op));
  if (std::string e = CheckBinaryInt8(c, false); !e.empty()) return e;
  const TensorSpec &a = c.in(0), &b = c.in(1), &o = c.out();
  const int left_shift = 20;
  const double twice_max_input_scale = 2.0 * static_cast<double>(std::max(a.scale0(), b.scale0()));
  Multiplier ma, mb, mo;
  if (std::string e = SmallerThanOne(static_cast<double>(a.scale0()) / twice_max_input_scale, &ma,
                                     "input1 multiplier");
      !e.empty())
    return e;
  if (std::string e = SmallerThanOne(static_cast<double>(b.scale0()) / twice_max_input_scale, &mb,
                                     "input2 multiplier");
      !e.empty())
    return e;
  if (std::string e = SmallerThanOne(
          twice_max_input_scale / (static_cast<double>(1 << left_shift) * o.scale0()), &mo,
          "output multiplier");
      !e.empty())
    return e;
  const ActRange range = ref::ActivationRange(Activation<SubOpts>(c.op), o.scale0(), o.zero_point0());
  const int32_t za = a.zero_point0(), zb = b.zero_point0(), zo = o.zero_point0();
  return Broadcast<int8_t>(c, [&](int8_t x, int8_t y) {
    const int32_t sx = ScaleDown((x - za) * (1 << left_shift), ma);
    const int32_t sy = ScaleDown((y - zb) * (1 << left_shift), mb);
    const int32_t v = ScaleDown(sx - sy, mo) + zo;
    return static_cast<int8_t>(Clamp(v, range.min, range.max));
  });
}

// ---- MAXIMUM / MINIMUM (raw values, quantization ignored) ----
std::string MaxMin(OpContext& c, bool maximum) {
  if (c.num_inputs() != 2) return "expects 2 inputs";
  // int8, or int16 (TFLM's int16 form: raw values compared as well).
  const DT dt = c.in(0).dtype == DT::kInt16 ? DT::kInt16 : DT::kInt8;
  for (const TensorSpec* t : {&c.in(0), &c.in(1), &c.out()}) {
    if (std::string e = CheckType(*t, dt, "tensor"); !e.empty()) return e;
  }
  if (dt == DT::kInt16) {
    return Broadcast<int16_t, std::function<int16_t(int16_t, int16_t)>, int16_t>(
        c, [maximum](int16_t x, int16_t y) { return maximum ? std::max(x, y) : std::min(x, y); });
  }
  return Broadcast<int8_t>(c, [maximum](int8_t x, int8_t y) {
    return maximum ? std::max(x, y) : std::min(x, y);
  });
}

// ---- SQUARED_DIFFERENCE (PrepareQuantized with left shift 7) ----
std::string SquaredDifference(OpContext& c) {
  if (std::string e = CheckBinaryInt8(c, false); !e.empty()) return e;
  const TensorSpec &a = c.in(0), &b = c.in(1), &o = c.out();
  const int left_shift = 7;
  const double twice_max = 2.0 * static_cast<double>(std::max(a.scale0(), b.scale0()));
  Multiplier ma, mb;
  if (std::string e = SmallerThanOne(static_cast<double>(a.scale0()) / twice_max, &ma, "input1");
      !e.empty())
    return e;
  if (std::string e = SmallerThanOne(static_cast<double>(b.scale0()) / twice_max, &mb, "input2");
      !e.empty())
    return e;
  const Multiplier mo = ref::QuantizeMultiplier(
      (twice_max * twice_max) / static_cast<double>((1 << left_shift * 2) * o.scale0()));
  const int32_t za = a.zero_point0(), zb = b.zero_point0(), zo = o.zero_point0();
  return Broadcast<int8_t>(c, [&](int8_t x, int8_t y) {
    const int32_t d = ScaleDown((x - za) * (1 << left_shift), ma) -
                      ScaleDown((y - zb) * (1 << left_shift), mb);
    const int32_t v = WrapAdd(ref::MultiplyByQuantizedMultiplier(d * d, mo.multiplier, mo.shift), zo);
    return static_cast<int8_t>(Clamp(v, -128, 127));
  });
}

// ---- Comparisons (ComparisonsPrepare, ComparisonWithScaling) ----
template <typename Cmp>
std::string Compare(OpContext& c) {
  if (std::string e = CheckBinaryInt8(c, true); !e.empty()) return e;
  const TensorSpec &a = c.in(0), &b = c.in(1);
  Multiplier ma, mb;
  if (std::string e = SmallerThanOne(static_cast<double>(a.scale0()), &ma, "input1 scale");
      !e.empty())
    return e;
  if (std::string e = SmallerThanOne(static_cast<double>(b.scale0()), &mb, "input2 scale");
      !e.empty())
    return e;
  const int32_t za = a.zero_point0(), zb = b.zero_point0();
  return Broadcast<uint8_t>(c, [&](int8_t x, int8_t y) {
    const int32_t sx = ScaleDown((x - za) * 256, ma);
    const int32_t sy = ScaleDown((y - zb) * 256, mb);
    return static_cast<uint8_t>(Cmp()(sx, sy) ? 1 : 0);
  });
}

// ---- ABS (PrepareAbsRsqrt, AbsEvalQuantized) ----
std::string Abs(OpContext& c) {
  const TensorSpec &in = c.in(0), &o = c.out();
  if (std::string e = CheckInt8Quantized(in, "input"); !e.empty()) return e;
  if (std::string e = CheckInt8Quantized(o, "output"); !e.empty()) return e;
  const bool needs_rescale = in.scale0() != o.scale0();
  const Multiplier m = ref::QuantizeMultiplier(static_cast<double>(in.scale0()) / o.scale0());
  const int8_t* x = c.in_data<int8_t>(0);
  int8_t* y = c.out_data<int8_t>();
  for (int64_t i = 0; i < in.num_elements(); ++i) {
    int32_t v = std::abs(x[i] - in.zero_point0());
    if (needs_rescale) v = ref::MultiplyByQuantizedMultiplier(v, m.multiplier, m.shift);
    y[i] = static_cast<int8_t>(Clamp(WrapAdd(v, o.zero_point0()), -128, 127));
  }
  return "";
}

// ---- NEG (float32 only in TFLM) ----
std::string Neg(OpContext& c) {
  if (std::string e = CheckType(c.in(0), DT::kFloat32, "input"); !e.empty())
    return e + " (TFLM's NEG supports float32 only)";
  if (std::string e = CheckType(c.out(), DT::kFloat32, "output"); !e.empty()) return e;
  const float* x = c.in_data<float>(0);
  float* y = c.out_data<float>();
  for (int64_t i = 0; i < c.in(0).num_elements(); ++i) y[i] = -x[i];
  return "";
}

// ---- RSQRT (SetRsqrtOutputMultiplier, RsqrtEvalQuantized) ----

// gemmlowp SaturatingRoundingMultiplyByPOT for a positive exponent.
int32_t ShiftLeftSaturating(int32_t x, int e) {
  const int64_t r = static_cast<int64_t>(x) * (int64_t{1} << e);
  return static_cast<int32_t>(std::min<int64_t>(std::numeric_limits<int32_t>::max(),
                                                std::max<int64_t>(std::numeric_limits<int32_t>::min(), r)));
}

// GetInvSqrtQuantizedMultiplierExp(input, kReverseShift = -1).
Multiplier InvSqrtQuantized(int32_t input) {
  if (input <= 1) return {std::numeric_limits<int32_t>::max(), 0};
  int shift = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++shift;
  }
  int clz = 0;
  for (uint32_t u = static_cast<uint32_t>(input); !(u & 0x80000000u); u <<= 1) ++clz;
  const int left_shift_bit_pairs = (clz - 1) / 2 - 1;
  shift -= left_shift_bit_pairs;
  input <<= 2 * left_shift_bit_pairs;
  using ref::SaturatingRoundingDoublingHighMul;
  // Fixed point with 3 integer bits (raw / 2^28).
  const int32_t half_input = ref::RoundingDivideByPOT(input >> 1, 1);
  const int32_t one_and_half = (1 << 28) + (1 << 27);
  int32_t x = 1 << 28;
  for (int i = 0; i < 5; ++i) {
    // x*x*x has 9 integer bits; back to 3: multiply by 2^6.
    const int32_t cube = ShiftLeftSaturating(
        SaturatingRoundingDoublingHighMul(SaturatingRoundingDoublingHighMul(x, x), x), 6);
    // Both products have 6 integer bits; back to 3: multiply by 2^3.
    x = ShiftLeftSaturating(SaturatingRoundingDoublingHighMul(one_and_half, x) -
                                SaturatingRoundingDoublingHighMul(half_input, cube),
                            3);
  }
  x = SaturatingRoundingDoublingHighMul(x, 1518500250);  // sqrt(2) / 2
  if (shift < 0) {
    x = static_cast<int32_t>(static_cast<uint32_t>(x) << -shift);
    shift = 0;
  }
  return {x, -shift};
}

std::string Rsqrt(OpContext& c) {
  const TensorSpec &in = c.in(0), &o = c.out();
  if (std::string e = CheckInt8Quantized(in, "input"); !e.empty()) return e;
  if (std::string e = CheckInt8Quantized(o, "output"); !e.empty()) return e;
  const Multiplier m = ref::QuantizeMultiplier(
      1. / (std::sqrt(static_cast<double>(in.scale0())) * static_cast<double>(o.scale0())));
  const int k_shift = 20;
  const int8_t* x = c.in_data<int8_t>(0);
  int8_t* y = c.out_data<int8_t>();
  for (int64_t i = 0; i < in.num_elements(); ++i) {
    const int32_t value = x[i] - in.zero_point0();
    if (value < 0) return "Rsqrt is only defined for positive values (TFLM fails the invoke)";
    if (value == 0) {
      y[i] = 127;
      continue;
    }
    const Multiplier inv = InvSqrtQuantized(value);
    const int32_t data = ref::MultiplyByQuantizedMultiplier(1, inv.multiplier, inv.shift + k_shift);
    const int32_t out = WrapAdd(ref::MultiplyByQuantizedMultiplier(data, m.multiplier,
                                                                   m.shift - k_shift),
                                o.zero_point0());
    y[i] = static_cast<int8_t>(Clamp(out, -128, 127));
  }
  return "";
}

// ---- Reductions (reduce_common.cc, reference/reduce.h) ----

// The reduced axes after TFLM's ResolveAxis (negative axes wrap, duplicates dropped).
std::string ResolveAxes(OpContext& c, std::vector<bool>* reduced) {
  if (c.num_inputs() != 2) return "expects 2 inputs";
  const TensorSpec& axis = c.in(1);
  if (std::string e = CheckType(axis, DT::kInt32, "axis"); !e.empty()) return e;
  const int rank = static_cast<int>(c.in(0).shape.size());
  reduced->assign(rank, false);
  const int32_t* ax = c.in_data<int32_t>(1);
  for (int64_t i = 0; i < axis.num_elements(); ++i) {
    const int a = ax[i] < 0 ? ax[i] + rank : ax[i];
    if (a < 0 || a >= rank) return "axis out of range";
    (*reduced)[a] = true;
  }
  return "";
}

// For every input element (row-major), the output element it reduces into
// (ReducedOutputOffset: the kept coordinates, row-major).
std::vector<int64_t> OutputIndexOfEachInput(const std::vector<int32_t>& shape,
                                            const std::vector<bool>& reduced) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  std::vector<int64_t> result(static_cast<size_t>(n));
  std::vector<int32_t> index(shape.size(), 0);
  for (int64_t flat = 0; flat < n; ++flat) {
    int64_t rest = flat;
    for (size_t d = shape.size(); d-- > 0;) {
      index[d] = static_cast<int32_t>(rest % shape[d]);
      rest /= shape[d];
    }
    int64_t out = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (!reduced[d]) out = out * shape[d] + index[d];
    }
    result[flat] = out;
  }
  return result;
}

// int8, or int16 (TFLM's QuantizedMeanOrSum<int16_t>: the same arithmetic, int16 clamp).
std::string MeanOrSum(OpContext& c, bool compute_sum) {
  const TensorSpec &in = c.in(0), &o = c.out();
  const bool s16 = in.dtype == DT::kInt16;
  for (const TensorSpec* t : {&in, &o}) {
    if (std::string e = CheckType(*t, s16 ? DT::kInt16 : DT::kInt8, "tensor"); !e.empty()) return e;
    if (t->scale.size() != 1) return "needs per-tensor quantization";
  }
  std::vector<bool> reduced;
  if (std::string e = ResolveAxes(c, &reduced); !e.empty()) return e;
  int64_t num_elements_in_axis = 1;
  for (size_t d = 0; d < reduced.size(); ++d) {
    if (reduced[d]) num_elements_in_axis *= in.shape[d];
  }
  if (num_elements_in_axis * o.num_elements() != in.num_elements()) return "output size mismatch";
  const Multiplier prepared = ref::QuantizeMultiplier(static_cast<double>(in.scale0()) /
                                                      static_cast<double>(o.scale0()));
  int32_t multiplier = prepared.multiplier;
  int shift_out = prepared.shift;
  if (!compute_sum) {
    int shift = 63;
    while (!((static_cast<uint64_t>(num_elements_in_axis) >> shift) & 1)) --shift;
    shift = std::min(shift, 32);
    shift = std::min(shift, 31 + shift_out);
    multiplier = static_cast<int32_t>((static_cast<int64_t>(multiplier) << shift) /
                                      num_elements_in_axis);
    shift_out -= shift;
  }
  std::vector<int32_t> temp_sum(static_cast<size_t>(o.num_elements()), 0);
  const std::vector<int64_t> target = OutputIndexOfEachInput(in.shape, reduced);
  for (size_t i = 0; i < target.size(); ++i) {
    const int32_t x = s16 ? c.in_data<int16_t>(0)[i] : c.in_data<int8_t>(0)[i];
    temp_sum[target[i]] = WrapAdd(temp_sum[target[i]], x);
  }
  for (size_t k = 0; k < temp_sum.size(); ++k) {
    const int32_t shifted_sum = static_cast<int32_t>(static_cast<uint32_t>(
        static_cast<int64_t>(temp_sum[k]) - int64_t{in.zero_point0()} * num_elements_in_axis));
    const int32_t v = WrapAdd(ref::MultiplyByQuantizedMultiplier(shifted_sum, multiplier, shift_out),
                              o.zero_point0());
    if (s16) {
      c.out_data<int16_t>()[k] = static_cast<int16_t>(Clamp(v, -32768, 32767));
    } else {
      c.out_data<int8_t>()[k] = static_cast<int8_t>(Clamp(v, -128, 127));
    }
  }
  return "";
}

std::string ReduceMax(OpContext& c) {
  const TensorSpec &in = c.in(0), &o = c.out();
  if (std::string e = CheckInt8Quantized(in, "input"); !e.empty()) return e;
  if (std::string e = CheckInt8Quantized(o, "output"); !e.empty()) return e;
  if (static_cast<double>(in.scale0()) != static_cast<double>(o.scale0()) ||
      in.zero_point0() != o.zero_point0()) {
    return "input and output quantization differ (TFLM fails the invoke)";
  }
  std::vector<bool> reduced;
  if (std::string e = ResolveAxes(c, &reduced); !e.empty()) return e;
  int8_t* y = c.out_data<int8_t>();
  std::fill(y, y + o.num_elements(), std::numeric_limits<int8_t>::lowest());
  const std::vector<int64_t> target = OutputIndexOfEachInput(in.shape, reduced);
  const int8_t* x = c.in_data<int8_t>(0);
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] >= o.num_elements()) return "output size mismatch";
    y[target[i]] = std::max(y[target[i]], x[i]);
  }
  return "";
}

}  // namespace

void RegisterElementwiseOps(OpRegistry& r) {
  r[op::kMul] = Mul;
  r[op::kSub] = Sub;
  r[op::kMaximum] = [](OpContext& c) { return MaxMin(c, /*maximum=*/true); };
  r[op::kMinimum] = [](OpContext& c) { return MaxMin(c, /*maximum=*/false); };
  r[op::kSquaredDifference] = SquaredDifference;
  r[op::kLess] = Compare<std::less<int32_t>>;
  r[op::kLessEqual] = Compare<std::less_equal<int32_t>>;
  r[op::kGreater] = Compare<std::greater<int32_t>>;
  r[op::kGreaterEqual] = Compare<std::greater_equal<int32_t>>;
  r[op::kEqual] = Compare<std::equal_to<int32_t>>;
  r[op::kNotEqual] = Compare<std::not_equal_to<int32_t>>;
  r[op::kAbs] = Abs;
  r[op::kNeg] = Neg;
  r[op::kRsqrt] = Rsqrt;
  r[op::kMean] = [](OpContext& c) { return MeanOrSum(c, /*compute_sum=*/false); };
  r[op::kSum] = [](OpContext& c) { return MeanOrSum(c, /*compute_sum=*/true); };
  r[op::kReduceMax] = ReduceMax;
}

}  // namespace tinymlc::testing
