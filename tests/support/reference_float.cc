// Reference: the float32 paths of TFLM's reference kernels (tflite-micro
// kernels/internal/reference/*.h, float overloads), written from their documented
// operation order with the C++ standard library the way TFLM calls it (std::min,
// std::max, std::exp, std::tanh, std::expm1). Each op below replaces the registry entry
// for a float32 first input and leaves every other dtype to the int8 reference.
#include <algorithm>
#include <cmath>
#include <limits>

#include "reference_internal.h"

namespace tinymlc::testing {
namespace {

// CalculateActivationRange<float>.
void FloatRange(int activation, float* lo, float* hi) {
  *lo = std::numeric_limits<float>::lowest();
  *hi = std::numeric_limits<float>::max();
  if (activation == kActRelu) *lo = 0.0f;
  if (activation == kActRelu6) *lo = 0.0f, *hi = 6.0f;
  if (activation == kActReluN1To1) *lo = -1.0f, *hi = 1.0f;
}

// ActivationFunctionWithMinMax.
float Act(float x, float lo, float hi) { return std::min(std::max(x, lo), hi); }

std::string CheckAllFloat(OpContext& c) {
  for (int i = 0; i < c.num_inputs(); ++i) {
    if (!c.has_input(i) || c.in(i).dtype == DT::kInt32) continue;  // axes
    if (std::string e = CheckType(c.in(i), DT::kFloat32, "input"); !e.empty()) return e;
  }
  return CheckType(c.out(), DT::kFloat32, "output");
}

const float* FIn(OpContext& c, int i) { return c.has_input(i) ? c.in_data<float>(i) : nullptr; }

// Broadcast of two float inputs: f(a, b) at every output position.
template <typename F>
std::string FloatBroadcast(OpContext& c, F f) {
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
  const float* in_a = c.in_data<float>(0);
  const float* in_b = c.in_data<float>(1);
  float* out = c.out_data<float>();
  for (int64_t flat = 0; flat < o.num_elements(); ++flat) {
    int64_t rest = flat, ia = 0, ib = 0, sa = 1, sb = 1;
    for (size_t d = rank; d-- > 0;) {
      const int64_t i = rest % dim(o, d);
      rest /= dim(o, d);
      if (dim(a, d) != 1) ia += i * sa;
      if (dim(b, d) != 1) ib += i * sb;
      sa *= dim(a, d);
      sb *= dim(b, d);
    }
    out[flat] = f(in_a[ia], in_b[ib]);
  }
  return "";
}

template <typename Opts>
int ActOf(const OpSpec& op) {
  const Opts* o = Options<Opts>(op);
  return o ? o->activation : kActNone;
}

std::string FullyConnected(OpContext& c) {
  const TensorSpec &w = c.in(1), &o = c.out();
  const int out_depth = w.shape[0], accum = w.shape[1];
  const int batches = static_cast<int>(o.num_elements() / out_depth);
  float lo, hi;
  FloatRange(ActOf<FcOpts>(c.op), &lo, &hi);
  const float *in = FIn(c, 0), *wt = FIn(c, 1), *bias = FIn(c, 2);
  float* out = c.out_data<float>();
  for (int b = 0; b < batches; ++b) {
    for (int oc = 0; oc < out_depth; ++oc) {
      float total = 0.f;
      for (int d = 0; d < accum; ++d) total += in[b * accum + d] * wt[oc * accum + d];
      const float bias_value = bias ? bias[oc] : 0.0f;
      out[oc + out_depth * b] = Act(total + bias_value, lo, hi);
    }
  }
  return "";
}

std::string Conv(OpContext& c, bool depthwise) {
  const TensorSpec &x = c.in(0), &w = c.in(1), &o = c.out();
  int padding, sh, sw, dh, dw, act;
  if (depthwise) {
    const DepthwiseOpts* p = Options<DepthwiseOpts>(c.op);
    padding = p->padding, sh = p->stride_h, sw = p->stride_w, dh = p->dilation_h,
    dw = p->dilation_w, act = p->activation;
  } else {
    const Conv2DOpts* p = Options<Conv2DOpts>(c.op);
    padding = p->padding, sh = p->stride_h, sw = p->stride_w, dh = p->dilation_h,
    dw = p->dilation_w, act = p->activation;
  }
  const int batches = x.shape[0], ih = x.shape[1], iw = x.shape[2], ic = x.shape[3];
  const int fh = w.shape[1], fw = w.shape[2];
  const int oh = o.shape[1], ow = o.shape[2], oc_n = o.shape[3];
  const int pad_h = ref::ComputePadding(padding, ih, fh, sh, dh).padding;
  const int pad_w = ref::ComputePadding(padding, iw, fw, sw, dw).padding;
  float lo, hi;
  FloatRange(act, &lo, &hi);
  const float *in = FIn(c, 0), *wt = FIn(c, 1), *bias = FIn(c, 2);
  float* out = c.out_data<float>();
  auto in_at = [&](int b, int y, int xx, int ch) { return in[((b * ih + y) * iw + xx) * ic + ch]; };
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        const int y0 = oy * sh - pad_h, x0 = ox * sw - pad_w;
        if (depthwise) {
          const int mult = oc_n / ic;
          for (int ch = 0; ch < ic; ++ch) {
            for (int m = 0; m < mult; ++m) {
              const int oc = m + ch * mult;
              float total = 0.f;
              for (int ky = 0; ky < fh; ++ky) {
                for (int kx = 0; kx < fw; ++kx) {
                  const int y = y0 + dh * ky, xx = x0 + dw * kx;
                  if (xx >= 0 && xx < iw && y >= 0 && y < ih) {
                    total += in_at(b, y, xx, ch) * wt[(ky * fw + kx) * oc_n + oc];
                  }
                }
              }
              const float bias_value = bias ? bias[oc] : 0.0f;
              out[((b * oh + oy) * ow + ox) * oc_n + oc] = Act(total + bias_value, lo, hi);
            }
          }
        } else {
          const int fc = w.shape[3];
          const int per_group = oc_n / (ic / fc);
          for (int oc = 0; oc < oc_n; ++oc) {
            const int g = oc / per_group;
            float total = 0.f;
            for (int ky = 0; ky < fh; ++ky) {
              for (int kx = 0; kx < fw; ++kx) {
                const int y = y0 + dh * ky, xx = x0 + dw * kx;
                if (!(xx >= 0 && xx < iw && y >= 0 && y < ih)) continue;
                for (int k = 0; k < fc; ++k) {
                  total += in_at(b, y, xx, k + g * fc) * wt[((oc * fh + ky) * fw + kx) * fc + k];
                }
              }
            }
            const float bias_value = bias ? bias[oc] : 0.0f;
            out[((b * oh + oy) * ow + ox) * oc_n + oc] = Act(total + bias_value, lo, hi);
          }
        }
      }
    }
  }
  return "";
}

std::string Pool(OpContext& c, bool average) {
  const TensorSpec &x = c.in(0), &o = c.out();
  const PoolOpts* p = Options<PoolOpts>(c.op);
  const int batches = x.shape[0], ih = x.shape[1], iw = x.shape[2], ch = x.shape[3];
  const int oh = o.shape[1], ow = o.shape[2];
  const int pad_h = ref::ComputePadding(p->padding, ih, p->filter_h, p->stride_h, 1).padding;
  const int pad_w = ref::ComputePadding(p->padding, iw, p->filter_w, p->stride_w, 1).padding;
  float lo, hi;
  FloatRange(p->activation, &lo, &hi);
  const float* in = FIn(c, 0);
  float* out = c.out_data<float>();
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        for (int k = 0; k < ch; ++k) {
          const int x0 = ox * p->stride_w - pad_w, y0 = oy * p->stride_h - pad_h;
          const int fx0 = std::max(0, -x0), fx1 = std::min(p->filter_w, iw - x0);
          const int fy0 = std::max(0, -y0), fy1 = std::min(p->filter_h, ih - y0);
          float total = 0.f, count = 0, mx = std::numeric_limits<float>::lowest();
          for (int fy = fy0; fy < fy1; ++fy) {
            for (int fx = fx0; fx < fx1; ++fx) {
              const float v = in[((b * ih + y0 + fy) * iw + x0 + fx) * ch + k];
              total += v;
              mx = std::max(mx, v);
              count++;
            }
          }
          if (count == 0) return "empty pooling window";
          out[((b * oh + oy) * ow + ox) * ch + k] = Act(average ? total / count : mx, lo, hi);
        }
      }
    }
  }
  return "";
}

std::string Softmax(OpContext& c) {
  const TensorSpec& x = c.in(0);
  const SoftmaxOpts* p = Options<SoftmaxOpts>(c.op);
  const double beta = p ? p->beta : 1.0;  // TFLM keeps beta as a double
  const int depth = x.shape.back();
  const int64_t outer = x.num_elements() / depth;
  const float* in = FIn(c, 0);
  float* out = c.out_data<float>();
  for (int64_t i = 0; i < outer; ++i) {
    float mx = std::numeric_limits<float>::lowest();
    for (int k = 0; k < depth; ++k) mx = std::max(mx, in[i * depth + k]);
    float sum = 0.f;
    for (int k = 0; k < depth; ++k) {
      const float e = std::exp((in[i * depth + k] - mx) * static_cast<float>(beta));
      out[i * depth + k] = e;
      sum += e;
    }
    for (int k = 0; k < depth; ++k) out[i * depth + k] = out[i * depth + k] / sum;
  }
  return "";
}

// RESIZE_BILINEAR (reference_ops::ResizeBilinear<float>): positions, weights and the
// blend in float, the last term + 0.0f.
std::string ResizeBilinear(OpContext& c) {
  const TensorSpec& x = c.in(0);
  if (x.shape.size() != 4) return "RESIZE_BILINEAR needs rank 4";
  const auto* o = Options<ResizeBilinearOpts>(c.op);
  const bool align = o && o->align_corners, half = o && o->half_pixel_centers;
  if (align && half) return "RESIZE_BILINEAR: both options set";
  const int32_t* size = c.in_data<int32_t>(1);
  const int n = x.shape[0], ih = x.shape[1], iw = x.shape[2], d = x.shape[3];
  const int oh = size[0], ow = size[1];
  float hs = static_cast<float>(ih) / oh, ws = static_cast<float>(iw) / ow;
  if (align && oh > 1) hs = static_cast<float>(ih - 1) / (oh - 1);
  if (align && ow > 1) ws = static_cast<float>(iw - 1) / (ow - 1);
  auto axis = [half](int v, float scale, int n_in, float* pos, int* lo, int* hi) {
    *pos = half ? (static_cast<float>(v) + 0.5f) * scale - 0.5f : static_cast<float>(v) * scale;
    *lo = std::max(static_cast<int>(std::floor(*pos)), 0);
    *hi = std::min(static_cast<int>(std::ceil(*pos)), n_in - 1);
  };
  const float* in = FIn(c, 0);
  float* out = c.out_data<float>();
  for (int b = 0; b < n; ++b)
    for (int y = 0; y < oh; ++y) {
      float fy;
      int y0, y1;
      axis(y, hs, ih, &fy, &y0, &y1);
      for (int xo = 0; xo < ow; ++xo) {
        float fx;
        int x0, x1;
        axis(xo, ws, iw, &fx, &x0, &x1);
        auto at = [&](int yy, int xx, int ch) { return in[((int64_t{b} * ih + yy) * iw + xx) * d + ch]; };
        for (int ch = 0; ch < d; ++ch) {
          *out++ = at(y0, x0, ch) * (1 - (fy - y0)) * (1 - (fx - x0)) +
                   at(y1, x0, ch) * (fy - y0) * (1 - (fx - x0)) +
                   at(y0, x1, ch) * (1 - (fy - y0)) * (fx - x0) +
                   at(y1, x1, ch) * (fy - y0) * (fx - x0) + 0.0f;
        }
      }
    }
  return "";
}

// MEAN (sum from 0 in input order, divided by the count) or REDUCE_MAX (from -FLT_MAX,
// an input replaces the running value when greater).
std::string Mean(OpContext& c, bool max = false) {
  const TensorSpec &x = c.in(0), &o = c.out();
  const int rank = static_cast<int>(x.shape.size());
  std::vector<bool> reduced(rank, false);
  const int32_t* ax = c.in_data<int32_t>(1);
  for (int64_t i = 0; i < c.in(1).num_elements(); ++i) {
    const int a = ax[i] < 0 ? ax[i] + rank : ax[i];
    if (a < 0 || a >= rank) return "axis out of range";
    reduced[a] = true;
  }
  std::vector<float> sum(static_cast<size_t>(o.num_elements()),
                         max ? -std::numeric_limits<float>::max() : 0.0f);
  std::vector<int32_t> index(rank, 0);
  const float* in = FIn(c, 0);
  size_t count = 1;
  for (int d = 0; d < rank; ++d) {
    if (reduced[d]) count *= static_cast<size_t>(x.shape[d]);
  }
  for (int64_t flat = 0; flat < x.num_elements(); ++flat) {
    int64_t rest = flat, out_idx = 0;
    for (int d = rank; d-- > 0;) {
      index[d] = static_cast<int32_t>(rest % x.shape[d]);
      rest /= x.shape[d];
    }
    for (int d = 0; d < rank; ++d) {
      if (!reduced[d]) out_idx = out_idx * x.shape[d] + index[d];
    }
    if (max) {
      sum[out_idx] = in[flat] > sum[out_idx] ? in[flat] : sum[out_idx];
    } else {
      sum[out_idx] += in[flat];
    }
  }
  float* out = c.out_data<float>();
  if (max) {
    std::copy(sum.begin(), sum.end(), out);
    return "";
  }
  for (size_t i = 0; i < sum.size(); ++i) out[i] = sum[i] / static_cast<float>(count);
  return "";
}

template <typename F>
std::string Unary(OpContext& c, F f) {
  const float* in = FIn(c, 0);
  float* out = c.out_data<float>();
  for (int64_t i = 0; i < c.in(0).num_elements(); ++i) out[i] = f(in[i]);
  return "";
}

std::string Dispatch(OpContext& c) {
  if (std::string e = CheckAllFloat(c); !e.empty()) return e;
  float lo, hi;
  switch (c.op.builtin_code) {
    case op::kFullyConnected: return FullyConnected(c);
    case op::kConv2D: return Conv(c, false);
    case op::kDepthwiseConv2D: return Conv(c, true);
    case op::kAveragePool2D: return Pool(c, true);
    case op::kMaxPool2D: return Pool(c, false);
    case op::kSoftmax: return Softmax(c);
    case op::kMean: return Mean(c);
    case op::kReduceMax: return Mean(c, /*max=*/true);
    case op::kResizeBilinear: return ResizeBilinear(c);
    case op::kAdd:
      FloatRange(ActOf<AddOpts>(c.op), &lo, &hi);
      return FloatBroadcast(c, [&](float a, float b) { return Act(a + b, lo, hi); });
    case op::kSub:
      FloatRange(ActOf<SubOpts>(c.op), &lo, &hi);
      return FloatBroadcast(c, [&](float a, float b) { return Act(a - b, lo, hi); });
    case op::kMul:
      FloatRange(ActOf<MulOpts>(c.op), &lo, &hi);
      return FloatBroadcast(c, [&](float a, float b) { return Act(a * b, lo, hi); });
    case op::kDiv:
      FloatRange(ActOf<DivOpts>(c.op), &lo, &hi);
      return FloatBroadcast(c, [&](float a, float b) { return Act(a / b, lo, hi); });
    case op::kMaximum:
      return FloatBroadcast(c, [](float a, float b) { return a > b ? a : b; });
    case op::kMinimum:
      return FloatBroadcast(c, [](float a, float b) { return a < b ? a : b; });
    case op::kPrelu:
      return FloatBroadcast(c, [](float a, float b) { return a >= 0.0f ? a : a * b; });
    case op::kRelu:
      return Unary(c, [](float v) { return v < 0.0f ? 0.0f : v; });
    case op::kRelu6:
      return Unary(c, [](float v) { return v > 6.0f ? 6.0f : v < 0.0f ? 0.0f : v; });
    case op::kLogistic:
      return Unary(c, [](float v) {
        if (v > 16.619047164916992188f) return 1.0f;
        if (v < -9.f) return std::exp(v);
        return 1.f / (1.f + std::exp(-v));
      });
    case op::kTanh: return Unary(c, [](float v) { return std::tanh(v); });
    case op::kElu: return Unary(c, [](float v) { return v < 0.0f ? std::expm1(v) : v; });
    case op::kHardSwish:
      return Unary(c, [](float v) {
        return v * std::min(static_cast<float>(6), std::max(static_cast<float>(0), v + 3)) / 6;
      });
    case op::kLeakyRelu: {
      const LeakyReluOpts* p = Options<LeakyReluOpts>(c.op);
      const float alpha = p ? p->alpha : 0.0f;
      return Unary(c, [alpha](float v) { return v > 0 ? v : v * alpha; });
    }
    // TFLM's elementwise float math (std:: functions on float).
    case op::kExp: return Unary(c, [](float v) { return std::exp(v); });
    case op::kLog: return Unary(c, [](float v) { return std::log(v); });
    case op::kSqrt: return Unary(c, [](float v) { return std::sqrt(v); });
    case op::kRsqrt: return Unary(c, [](float v) { return 1.f / std::sqrt(v); });
    case op::kSquare: return Unary(c, [](float v) { return v * v; });
    case op::kSin: return Unary(c, [](float v) { return std::sin(v); });
    case op::kCos: return Unary(c, [](float v) { return std::cos(v); });
    case op::kAbs: return Unary(c, [](float v) { return std::abs(v); });
    case op::kFloor: return Unary(c, [](float v) { return std::floor(v); });
    case op::kCeil: return Unary(c, [](float v) { return std::ceil(v); });
    case op::kRound:
      return Unary(c, [](float v) {  // RoundToNearest: half to even
        const float f = std::floor(v);
        const float diff = v - f;
        if (diff < 0.5f || (diff == 0.5f && static_cast<int>(f) % 2 == 0)) return f;
        return f + 1.0f;
      });
    default: return "float32 not supported by the reference";
  }
}

}  // namespace

void RegisterFloatOps(OpRegistry& r) {
  for (int code : {op::kFullyConnected, op::kConv2D, op::kDepthwiseConv2D, op::kAveragePool2D,
                   op::kMaxPool2D, op::kSoftmax, op::kMean, op::kReduceMax, op::kResizeBilinear, op::kAdd, op::kSub, op::kMul, op::kDiv,
                   op::kPrelu, op::kMaximum, op::kMinimum, op::kRelu, op::kRelu6, op::kLogistic, op::kTanh, op::kElu,
                   op::kHardSwish, op::kLeakyRelu, op::kExp, op::kLog, op::kSqrt, op::kRsqrt,
                   op::kSquare, op::kSin, op::kCos, op::kAbs, op::kFloor, op::kCeil, op::kRound}) {
    OpFn previous = r[code];
    r[code] = [previous](OpContext& c) -> std::string {
      if (c.in(0).dtype == DT::kFloat32) return Dispatch(c);
      return previous ? previous(c) : "not supported by the reference";
    };
  }
}

// TRANSPOSE_CONV float32 (reference_ops::TransposeConv<float>): scatter in input order
// into a zeroed output, then bias and the clamp. The float sums depend on that order.
std::string TransposeConvF32(OpContext& c) {
  const TransposeConvOpts* o = Options<TransposeConvOpts>(c.op);
  const TransposeConvOpts p = o ? *o : TransposeConvOpts{};
  const TensorSpec &filter = c.in(1), &input = c.in(2), &output = c.out();
  if (std::string e = CheckType(filter, DT::kFloat32, "filter"); !e.empty()) return e;
  if (std::string e = CheckType(output, DT::kFloat32, "output"); !e.empty()) return e;
  const int n = input.shape[0], ih = input.shape[1], iw = input.shape[2], ic_n = input.shape[3];
  const int oc_n = filter.shape[0], fh = filter.shape[1], fw = filter.shape[2];
  const int oh = output.shape[1], ow = output.shape[2];
  // TFLM's padding: computed on the output size; 0 when VALID gives a negative size.
  auto out_size = [&](int image, int f, int stride, int64_t* size) {
    *size = p.padding == kSame ? (int64_t{image} + stride - 1) / stride
                               : (int64_t{image} + stride - f) / stride;
    return *size >= 0;
  };
  int pad_h = 0, pad_w = 0;
  int64_t sh = 0, sw = 0;
  if (out_size(ow, fw, p.stride_w, &sw) && out_size(oh, fh, p.stride_h, &sh)) {
    pad_h = static_cast<int>(std::max<int64_t>(0, (sh - 1) * p.stride_h + fh - oh) / 2);
    pad_w = static_cast<int>(std::max<int64_t>(0, (sw - 1) * p.stride_w + fw - ow) / 2);
  }
  float lo, hi;
  FloatRange(p.activation, &lo, &hi);
  const float* in = c.in_data<float>(2);
  const float* w = c.in_data<float>(1);
  const float* bias = c.has_input(3) ? c.in_data<float>(3) : nullptr;
  float* out = c.out_data<float>();
  std::fill(out, out + output.num_elements(), 0.0f);
  for (int b = 0; b < n; ++b)
    for (int iy = 0; iy < ih; ++iy)
      for (int ix = 0; ix < iw; ++ix)
        for (int ic = 0; ic < ic_n; ++ic)
          for (int ky = 0; ky < fh; ++ky)
            for (int kx = 0; kx < fw; ++kx)
              for (int oc = 0; oc < oc_n; ++oc) {
                const int oy = iy * p.stride_h - pad_h + ky, ox = ix * p.stride_w - pad_w + kx;
                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                out[((int64_t{b} * oh + oy) * ow + ox) * oc_n + oc] +=
                    in[((int64_t{b} * ih + iy) * iw + ix) * ic_n + ic] *
                    w[((int64_t{oc} * fh + ky) * fw + kx) * ic_n + ic];
              }
  for (int64_t i = 0; i < output.num_elements(); ++i) {
    float acc = out[i];
    if (bias) acc += bias[i % oc_n];
    out[i] = Act(acc, lo, hi);
  }
  return "";
}

}  // namespace tinymlc::testing
