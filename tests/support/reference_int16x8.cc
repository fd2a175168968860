// Reference of TFLM's 16x8 layers (int16 activations, int8 weights): CONV_2D (grouped),
// DEPTHWISE_CONV_2D and FULLY_CONNECTED, written from TFLM's reference_integer_ops
// templates instantiated for int16: an int64 accumulator and the int64 form of
// MultiplyByQuantizedMultiplier, or, with an int32 bias (or none and
// quantized_bias_type INT32), an int32 accumulator and the int32 form. And the int16
// forms of ADD and SUB (left shift 15), MUL and the 2-D pools; SOFTMAX int16 -> int16
// with TFLM's interpolated tables.
#include <algorithm>
#include <cmath>

#include "reference_internal.h"

namespace tinymlc::testing {

// TFLM's MultiplyByQuantizedMultiplier(int64_t x, int32_t quantized_multiplier, int shift).
int32_t MultiplyByQuantizedMultiplier64(int64_t x, int32_t quantized_multiplier, int shift) {
  const int32_t reduced_multiplier =
      quantized_multiplier < 0x7FFF0000 ? (quantized_multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t round = int64_t{1} << (total_shift - 1);
  return static_cast<int32_t>((x * reduced_multiplier + round) >> total_shift);
}

namespace {

constexpr int kTensorTypeInt32 = 2;

int32_t WrapAdd32(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// One output from its sum of products: the accumulator TFLM picks, the bias, the scale.
int32_t Finish(int64_t sum, bool acc32, const uint8_t* bias, int oc, const Multiplier& m) {
  if (acc32) {
    int32_t acc = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(sum)));
    if (bias) acc = WrapAdd32(acc, reinterpret_cast<const int32_t*>(bias)[oc]);
    return ref::MultiplyByQuantizedMultiplier(acc, m.multiplier, m.shift);
  }
  if (bias) sum += reinterpret_cast<const int64_t*>(bias)[oc];
  return MultiplyByQuantizedMultiplier64(sum, m.multiplier, m.shift);
}

bool UsesAcc32(const OpContext& c, int quantized_bias_type) {
  return c.has_input(2) ? c.in(2).dtype == DT::kInt32 : quantized_bias_type == kTensorTypeInt32;
}

}  // namespace

std::string Conv2DS16(OpContext& c, const Conv2DOpts& p) {
  const TensorSpec &input = c.in(0), &filter = c.in(1), &output = c.out();
  if (std::string e = CheckType(filter, DT::kInt8, "filter"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt16, "output"); !e.empty()) return e;
  const int batches = input.shape[0], in_h = input.shape[1], in_w = input.shape[2],
            in_d = input.shape[3];
  const int out_c = filter.shape[0], f_h = filter.shape[1], f_w = filter.shape[2],
            f_d = filter.shape[3];
  const int out_h = output.shape[1], out_w = output.shape[2];
  if (f_d == 0 || in_d % f_d != 0 || out_c % (in_d / f_d) != 0) return "bad groups";
  const int filters_per_group = out_c / (in_d / f_d);
  const ref::PadInfo pad_h = ref::ComputePadding(p.padding, in_h, f_h, p.stride_h, p.dilation_h);
  const ref::PadInfo pad_w = ref::ComputePadding(p.padding, in_w, f_w, p.stride_w, p.dilation_w);
  const std::vector<Multiplier> mult =
      ref::ConvMultipliers(input.scale0(), filter.scale, output.scale0(), out_c);
  const ActRange range =
      ref::ActivationRange(p.activation, output.scale0(), output.zero_point0(), DT::kInt16);
  const bool acc32 = UsesAcc32(c, p.quantized_bias_type);
  const int16_t* in = c.in_data<int16_t>(0);
  const int8_t* w = c.in_data<int8_t>(1);
  const uint8_t* bias = c.has_input(2) ? c.in_data<uint8_t>(2) : nullptr;
  int16_t* out = c.out_data<int16_t>();
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int oc = 0; oc < out_c; ++oc) {
          const int group = oc / filters_per_group;
          int64_t sum = 0;
          for (int ky = 0; ky < f_h; ++ky) {
            const int iy = oy * p.stride_h - pad_h.padding + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int kx = 0; kx < f_w; ++kx) {
              const int ix = ox * p.stride_w - pad_w.padding + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              for (int ic = 0; ic < f_d; ++ic) {
                const int64_t x =
                    in[((int64_t{b} * in_h + iy) * in_w + ix) * in_d + group * f_d + ic];
                sum += x * w[((int64_t{oc} * f_h + ky) * f_w + kx) * f_d + ic];
              }
            }
          }
          const int32_t v = Finish(sum, acc32, bias, oc, mult[oc]);
          out[((int64_t{b} * out_h + oy) * out_w + ox) * out_c + oc] =
              static_cast<int16_t>(std::min(range.max, std::max(range.min, v)));
        }
      }
    }
  }
  return "";
}

std::string DepthwiseConv2DS16(OpContext& c, const DepthwiseOpts& p) {
  const TensorSpec &input = c.in(0), &filter = c.in(1), &output = c.out();
  if (std::string e = CheckType(filter, DT::kInt8, "filter"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt16, "output"); !e.empty()) return e;
  if (c.has_input(2)) {
    if (std::string e = CheckType(c.in(2), DT::kInt64, "bias"); !e.empty()) return e;
  }
  const int batches = input.shape[0], in_h = input.shape[1], in_w = input.shape[2],
            in_d = input.shape[3];
  const int f_h = filter.shape[1], f_w = filter.shape[2], out_c = filter.shape[3];
  const int out_h = output.shape[1], out_w = output.shape[2];
  const int dm = out_c / in_d;
  const ref::PadInfo pad_h = ref::ComputePadding(p.padding, in_h, f_h, p.stride_h, p.dilation_h);
  const ref::PadInfo pad_w = ref::ComputePadding(p.padding, in_w, f_w, p.stride_w, p.dilation_w);
  const std::vector<Multiplier> mult =
      ref::ConvMultipliers(input.scale0(), filter.scale, output.scale0(), out_c);
  const ActRange range =
      ref::ActivationRange(p.activation, output.scale0(), output.zero_point0(), DT::kInt16);
  const int16_t* in = c.in_data<int16_t>(0);
  const int8_t* w = c.in_data<int8_t>(1);
  const uint8_t* bias = c.has_input(2) ? c.in_data<uint8_t>(2) : nullptr;
  int16_t* out = c.out_data<int16_t>();
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int oc = 0; oc < out_c; ++oc) {
          int64_t sum = 0;
          for (int ky = 0; ky < f_h; ++ky) {
            const int iy = oy * p.stride_h - pad_h.padding + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int kx = 0; kx < f_w; ++kx) {
              const int ix = ox * p.stride_w - pad_w.padding + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const int64_t x = in[((int64_t{b} * in_h + iy) * in_w + ix) * in_d + oc / dm];
              sum += x * w[(int64_t{ky} * f_w + kx) * out_c + oc];
            }
          }
          const int32_t v = Finish(sum, false, bias, oc, mult[oc]);
          out[((int64_t{b} * out_h + oy) * out_w + ox) * out_c + oc] =
              static_cast<int16_t>(std::min(range.max, std::max(range.min, v)));
        }
      }
    }
  }
  return "";
}

std::string FullyConnectedS16(OpContext& c, const FcOpts& p) {
  const TensorSpec &input = c.in(0), &filter = c.in(1), &output = c.out();
  if (std::string e = CheckType(filter, DT::kInt8, "filter"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kInt16, "output"); !e.empty()) return e;
  const int depth = output.shape.back();
  const int64_t batches = depth == 0 ? 0 : output.num_elements() / depth;
  const int accum = filter.shape.back();
  std::vector<Multiplier> mult;
  int32_t filter_offset = 0;
  if (filter.scale.size() > 1) {
    mult = ref::ConvMultipliers(input.scale0(), filter.scale, output.scale0(), depth);
  } else {
    mult.assign(depth, ref::FullyConnectedMultiplier(input.scale0(), filter.scale0(),
                                                     output.scale0()));
    filter_offset = -filter.zero_point0();
  }
  const ActRange range =
      ref::ActivationRange(p.activation, output.scale0(), output.zero_point0(), DT::kInt16);
  const bool acc32 = UsesAcc32(c, p.quantized_bias_type);
  const int32_t input_offset = -input.zero_point0();
  const int16_t* in = c.in_data<int16_t>(0);
  const int8_t* w = c.in_data<int8_t>(1);
  const uint8_t* bias = c.has_input(2) ? c.in_data<uint8_t>(2) : nullptr;
  int16_t* out = c.out_data<int16_t>();
  for (int64_t b = 0; b < batches; ++b) {
    for (int oc = 0; oc < depth; ++oc) {
      int64_t sum = 0;
      for (int d = 0; d < accum; ++d) {
        sum += int64_t{w[int64_t{oc} * accum + d] + filter_offset} *
               (in[b * accum + d] + input_offset);
      }
      int32_t v = Finish(sum, acc32, bias, oc, mult[oc]);
      v = WrapAdd32(v, output.zero_point0());
      out[b * depth + oc] = static_cast<int16_t>(std::min(range.max, std::max(range.min, v)));
    }
  }
  return "";
}

namespace {

// Calls f(out_index, a_index, b_index) for every output element (NumPy broadcasting).
template <typename F>
std::string ForEachBroadcast(const OpContext& c, F f) {
  const TensorSpec &a = c.in(0), &b = c.in(1), &o = c.out();
  const size_t rank = std::max({a.shape.size(), b.shape.size(), o.shape.size()});
  auto dims = [rank](const TensorSpec& t) {
    std::vector<int64_t> d(rank - t.shape.size(), 1);
    d.insert(d.end(), t.shape.begin(), t.shape.end());
    return d;
  };
  const std::vector<int64_t> da = dims(a), db = dims(b), dout = dims(o);
  std::vector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < o.num_elements(); ++n) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      if (da[d] != dout[d] && da[d] != 1) return "input1 does not broadcast";
      if (db[d] != dout[d] && db[d] != 1) return "input2 does not broadcast";
      ia = ia * da[d] + (da[d] == 1 ? 0 : index[d]);
      ib = ib * db[d] + (db[d] == 1 ? 0 : index[d]);
    }
    f(n, ia, ib);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < dout[d]) break;
      index[d] = 0;
    }
  }
  return "";
}

// MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0).
int32_t ScaleDown(int32_t x, const Multiplier& m) {
  return ref::MultiplyByQuantizedMultiplier(x, m.multiplier, m.shift);
}

int32_t Wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

// ADD (scales in double) and SUB (scales in float) with TFLM's int16 left shift of 15.
std::string AddSubS16(OpContext& c, int activation, bool subtract) {
  const TensorSpec &a = c.in(0), &b = c.in(1), &o = c.out();
  constexpr int kLeftShift = 15;
  // ADD and SUB derive their multipliers alike, in double (the TFLM that runs).
  const double twice_max = 2.0 * static_cast<double>(std::max(a.scale0(), b.scale0()));
  const Multiplier ma = ref::QuantizeMultiplier(static_cast<double>(a.scale0()) / twice_max);
  const Multiplier mb = ref::QuantizeMultiplier(static_cast<double>(b.scale0()) / twice_max);
  const Multiplier mo =
      ref::QuantizeMultiplier(twice_max / (static_cast<double>(1 << kLeftShift) * o.scale0()));
  if (ma.shift > 0 || mb.shift > 0 || mo.shift > 0) return "a multiplier >= 1 (TFLM rejects this)";
  const ActRange range = ref::ActivationRange(activation, o.scale0(), o.zero_point0(), DT::kInt16);
  const int16_t* x = c.in_data<int16_t>(0);
  const int16_t* y = c.in_data<int16_t>(1);
  int16_t* out = c.out_data<int16_t>();
  const int32_t za = a.zero_point0(), zb = b.zero_point0(), zo = o.zero_point0();
  return ForEachBroadcast(c, [&](int64_t n, int64_t i, int64_t j) {
    const int32_t sx = ScaleDown(Wrap(int64_t{x[i] - za} * (1 << kLeftShift)), ma);
    const int32_t sy = ScaleDown(Wrap(int64_t{y[j] - zb} * (1 << kLeftShift)), mb);
    const int32_t v = Wrap(int64_t{ScaleDown(Wrap(subtract ? int64_t{sx} - sy : int64_t{sx} + sy), mo)} + zo);
    out[n] = static_cast<int16_t>(std::min(range.max, std::max(range.min, v)));
  });
}

}  // namespace

std::string AddS16(OpContext& c, int activation) { return AddSubS16(c, activation, false); }
std::string SubS16(OpContext& c, int activation) { return AddSubS16(c, activation, true); }

std::string MulS16(OpContext& c, int activation) {
  const TensorSpec &a = c.in(0), &b = c.in(1), &o = c.out();
  const Multiplier m = ref::QuantizeMultiplier(static_cast<double>(a.scale0()) *
                                               static_cast<double>(b.scale0()) /
                                               static_cast<double>(o.scale0()));
  const ActRange range = ref::ActivationRange(activation, o.scale0(), o.zero_point0(), DT::kInt16);
  const int16_t* x = c.in_data<int16_t>(0);
  const int16_t* y = c.in_data<int16_t>(1);
  int16_t* out = c.out_data<int16_t>();
  const int32_t za = a.zero_point0(), zb = b.zero_point0(), zo = o.zero_point0();
  return ForEachBroadcast(c, [&](int64_t n, int64_t i, int64_t j) {
    const int32_t product = Wrap(int64_t{x[i] - za} * (y[j] - zb));
    const int32_t v = Wrap(int64_t{ref::MultiplyByQuantizedMultiplier(product, m.multiplier, m.shift)} + zo);
    out[n] = static_cast<int16_t>(std::min(range.max, std::max(range.min, v)));
  });
}

std::string PoolS16(OpContext& c, const PoolOpts& p, bool average) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (std::string e = CheckType(output, DT::kInt16, "output"); !e.empty()) return e;
  const int batches = input.shape[0], in_h = input.shape[1], in_w = input.shape[2],
            depth = input.shape[3];
  const int out_h = output.shape[1], out_w = output.shape[2];
  const ref::PadInfo pad_h = ref::ComputePadding(p.padding, in_h, p.filter_h, p.stride_h, 1);
  const ref::PadInfo pad_w = ref::ComputePadding(p.padding, in_w, p.filter_w, p.stride_w, 1);
  const ActRange range =
      ref::ActivationRange(p.activation, output.scale0(), output.zero_point0(), DT::kInt16);
  const int16_t* in = c.in_data<int16_t>(0);
  int16_t* out = c.out_data<int16_t>();
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        const int y0 = oy * p.stride_h - pad_h.padding, x0 = ox * p.stride_w - pad_w.padding;
        for (int ch = 0; ch < depth; ++ch) {
          int32_t sum = 0, count = 0, max_v = -32768;
          for (int ky = std::max(0, -y0); ky < std::min(p.filter_h, in_h - y0); ++ky) {
            for (int kx = std::max(0, -x0); kx < std::min(p.filter_w, in_w - x0); ++kx) {
              const int32_t v = in[((int64_t{b} * in_h + y0 + ky) * in_w + x0 + kx) * depth + ch];
              sum += v;
              max_v = std::max(max_v, v);
              ++count;
            }
          }
          int32_t v = max_v;
          if (average) {
            if (count == 0) return "average pool window lies outside the input";
            v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
          }
          out[((int64_t{b} * out_h + oy) * out_w + ox) * depth + ch] =
              static_cast<int16_t>(std::min(range.max, std::max(range.min, v)));
        }
      }
    }
  }
  return "";
}

// ---- SOFTMAX int16 -> int16 ----
namespace {

// TFLM's LUTPopulate<int16_t> (float arithmetic): 512 interpolation nodes, each moved by
// half the midpoint error of its interval, and the end point.
std::vector<int16_t> Int16Table(float in_scale, int in_zp, float out_scale, int out_zp,
                                float (*f)(float)) {
  const float lo = in_scale * static_cast<float>(-32768 - in_zp);
  const float hi = in_scale * static_cast<float>(32767 - in_zp);
  const float out_span = out_scale * static_cast<float>(32767 - out_zp) -
                         out_scale * static_cast<float>(-32768 - out_zp);
  const float step = (hi - lo) / 512.0f;
  const float k = 65536.0f / out_span;
  auto sat = [](float v) { return static_cast<int16_t>(std::max(-32768.0f, std::min(32767.0f, v))); };
  std::vector<int16_t> t(513);
  for (int i = 0; i < 512; ++i) {
    const float a = f(lo + static_cast<float>(i) * step);
    const float mid = f(lo + static_cast<float>(i) * step + step / 2.0f);
    const float b = f(lo + static_cast<float>(i + 1) * step);
    const float err = std::round((b * k + std::round(a * k)) / 2.0f) - std::round(mid * k);
    t[i] = sat(std::round(a * k) - std::round(err / 2.0f));
  }
  t[512] = sat(std::round(f(hi) * k));
  return t;
}

int16_t Lookup(int16_t v, const std::vector<int16_t>& t) {
  const int i = 256 + (v >> 7);
  const int16_t slope = static_cast<int16_t>(t[i + 1] - t[i]);
  return static_cast<int16_t>(t[i] + ((slope * (v & 0x7f) + 64) >> 7));
}

int16_t Sat16(int64_t v) { return static_cast<int16_t>(std::max<int64_t>(-32768, std::min<int64_t>(32767, v))); }

}  // namespace

std::string SoftmaxS16(OpContext& c, float beta) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (std::string e = CheckType(output, DT::kInt16, "output"); !e.empty()) return e;
  if (input.zero_point0() != 0 || output.zero_point0() != 0) return "int16 softmax needs zero points 0";
  if (std::fabs(output.scale0() - 1.0f / 32768) > 0.001f / 32768) return "int16 softmax output scale must be 1/32768";
  const float range = 65535.0f;
  const std::vector<int16_t> exp_t =
      Int16Table(10.0f / range, 32767, 2.0f / range, 0, [](float x) { return std::exp(x); });
  const std::vector<int16_t> inv_t =
      Int16Table(1.0f / range, -32768, 2.0f / range, 0, [](float x) { return 1.0f / (1.0f + x); });
  const Multiplier m = ref::QuantizeMultiplier(static_cast<double>(input.scale0()) *
                                               static_cast<double>(beta) / (10.0 / 65535.0));
  const int depth = input.shape.back();
  const int64_t rows = depth == 0 ? 0 : input.num_elements() / depth;
  const int16_t* in = c.in_data<int16_t>(0);
  int16_t* out = c.out_data<int16_t>();
  std::vector<int16_t> e(depth);
  for (int64_t r = 0; r < rows; ++r) {
    const int16_t* x = in + r * depth;
    const int32_t max_v = *std::max_element(x, x + depth);
    int32_t sum = 0;
    for (int i = 0; i < depth; ++i) {
      const int32_t d = ref::MultiplyByQuantizedMultiplier(x[i] - max_v, m.multiplier, m.shift);
      e[i] = Lookup(Sat16(int64_t{d} + 32767), exp_t);
      sum += e[i];
    }
    const int lz = __builtin_clz(static_cast<uint32_t>(sum));
    const int64_t normalised = ((static_cast<int64_t>(sum) << (lz - 1)) + (1 << 13)) >> 14;
    const int16_t recip = Lookup(Sat16(normalised - 98304), inv_t);
    const int rs = 31 - lz;
    for (int i = 0; i < depth; ++i) {
      const int64_t v = (int64_t{e[i]} * recip + (int64_t{1} << (rs - 1))) >> rs;
      out[r * depth + i] = static_cast<int16_t>(std::max<int64_t>(0, std::min<int64_t>(32767, v)));
    }
  }
  return "";
}

}  // namespace tinymlc::testing
