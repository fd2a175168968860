// Reference implementations: TFLM operators batch 2 (MIRROR_PAD, GATHER_ND,
// EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE, CUMSUM, L2_POOL_2D, int8 and int32 DIV).
// Written from TFLM's micro kernels and reference_ops, following their loop structure
// (flat output index -> input index for MIRROR_PAD, recursive update for
// DYNAMIC_UPDATE_SLICE, TFLM's inner/outer naming for CUMSUM), independently of the C
// kernels in templates/.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

#include "reference_internal.h"

namespace tinymlc::testing {
namespace {

std::vector<int64_t> IntsOf(const OpContext& c, int input) {
  const TensorSpec& t = c.in(input);
  std::vector<int64_t> v(static_cast<size_t>(t.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) {
    v[i] = t.dtype == DT::kInt64 ? c.in_data<int64_t>(input)[i] : c.in_data<int32_t>(input)[i];
  }
  return v;
}

// ---- MIRROR_PAD (micro MirrorPad: GetFlatIndex per output element) ----
int InputDimension(int padded, int left, int input_size, int offset) {
  if (padded < left) {
    const int original = left + offset - 1;
    return original - std::min(padded, original - offset);
  }
  padded -= left;
  if (padded >= input_size) {
    padded -= input_size;
    const int original = input_size - (1 + offset);
    return original - std::min(padded, original);
  }
  return padded;
}

std::string MirrorPad(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (input.dtype != DT::kFloat32 && input.dtype != DT::kInt8) return "MIRROR_PAD: type";
  const auto* o = Options<MirrorPadOpts>(c.op);
  const int offset = (o && o->mode == 0) ? 1 : 0;  // REFLECT -> 1
  const std::vector<int64_t> pads = IntsOf(c, 1);
  const int n = static_cast<int>(input.shape.size());
  std::vector<int> out_count(n, 1), in_count(n, 1);
  for (int i = n - 2; i >= 0; --i) {
    out_count[i] = out_count[i + 1] * output.shape[i + 1];
    in_count[i] = in_count[i + 1] * input.shape[i + 1];
  }
  const size_t es = static_cast<size_t>(DTSize(input.dtype));
  for (int64_t i = 0; i < output.num_elements(); ++i) {
    int64_t index = i, flat = 0;
    for (int d = 0; d < n; ++d) {
      const int64_t dim_index = index / out_count[d];
      flat += InputDimension(static_cast<int>(dim_index), static_cast<int>(pads[2 * d]),
                             input.shape[d], offset) *
              static_cast<int64_t>(in_count[d]);
      index %= out_count[d];
    }
    if (flat < 0 || flat >= input.num_elements()) return "MIRROR_PAD: reads outside the input";
    std::memcpy(c.out_data<uint8_t>() + i * es, c.in_data<uint8_t>(0) + flat * es, es);
  }
  return "";
}

// ---- GATHER_ND ----
std::string GatherNd(OpContext& c) {
  const TensorSpec &params = c.in(0), &indices = c.in(1);
  if (params.dtype != DT::kFloat32 && params.dtype != DT::kInt8) return "GATHER_ND: type";
  if (indices.dtype != DT::kInt32) return "GATHER_ND: indices must be int32";
  const int idx_dims = static_cast<int>(indices.shape.size());
  const int nd = indices.shape[idx_dims - 1];
  int n_slices = 1;
  for (int i = 0; i < idx_dims - 1; ++i) n_slices *= indices.shape[i];
  int slice = 1;
  for (size_t i = nd; i < params.shape.size(); ++i) slice *= params.shape[i];
  int remain = static_cast<int>(params.num_elements());
  std::vector<int> count(nd);
  for (int i = 0; i < nd; ++i) {
    count[i] = remain / params.shape[i];
    remain = count[i];
  }
  const size_t es = static_cast<size_t>(DTSize(params.dtype));
  const int32_t* idx = c.in_data<int32_t>(1);
  for (int i = 0; i < n_slices; ++i) {
    int from = 0;
    for (int j = 0; j < nd; ++j) {
      const int32_t v = idx[i * nd + j];
      if (v < 0 || v >= params.shape[j]) return "GATHER_ND: index out of range";
      from += v * count[j];
    }
    std::memcpy(c.out_data<uint8_t>() + static_cast<size_t>(i) * slice * es,
                c.in_data<uint8_t>(0) + static_cast<size_t>(from) * es, es * slice);
  }
  return "";
}

// ---- EMBEDDING_LOOKUP ----
std::string EmbeddingLookup(OpContext& c) {
  const TensorSpec &lookup = c.in(0), &value = c.in(1), &output = c.out();
  if (lookup.dtype != DT::kInt32) return "EMBEDDING_LOOKUP: lookup must be int32";
  const int rows = value.shape[0];
  const int64_t cols = value.num_elements() / rows;
  const int32_t* l = c.in_data<int32_t>(0);
  for (int64_t i = 0; i < lookup.num_elements(); ++i) {
    if (l[i] < 0 || l[i] >= rows) return "EMBEDDING_LOOKUP: index out of bounds";
    if (value.dtype == DT::kInt8 && output.dtype == DT::kFloat32) {
      const float scale = value.scale.at(0);
      for (int64_t k = 0; k < cols; ++k) {
        c.out_data<float>()[i * cols + k] =
            static_cast<float>(c.in_data<int8_t>(1)[l[i] * cols + k] - 0) * scale;
      }
    } else {
      const size_t row_bytes = static_cast<size_t>(cols) * DTSize(value.dtype);
      std::memcpy(c.out_data<uint8_t>() + i * row_bytes, c.in_data<uint8_t>(1) + l[i] * row_bytes,
                  row_bytes);
    }
  }
  return "";
}

// ---- DYNAMIC_UPDATE_SLICE (recursive, as TFLM) ----
void UpdateRecursive(int dim, int dims, const std::vector<int64_t>& out_stride,
                     const std::vector<int64_t>& upd_stride, const std::vector<int32_t>& upd_dims,
                     const uint8_t* upd, const std::vector<int64_t>& start, uint8_t* out,
                     size_t es) {
  out += start[dim] * out_stride[dim] * es;
  if (dim == dims - 1) {
    std::memcpy(out, upd, upd_dims[dim] * es);
    return;
  }
  for (int i = 0; i < upd_dims[dim]; ++i) {
    UpdateRecursive(dim + 1, dims, out_stride, upd_stride, upd_dims, upd, start, out, es);
    out += out_stride[dim] * es;
    upd += upd_stride[dim] * es;
  }
}

std::string DynamicUpdateSlice(OpContext& c) {
  const TensorSpec &operand = c.in(0), &update = c.in(1);
  const size_t es = static_cast<size_t>(DTSize(operand.dtype));
  const int n = static_cast<int>(operand.shape.size());
  std::memcpy(c.out_data<uint8_t>(), c.in_data<uint8_t>(0), operand.num_elements() * es);
  if (update.num_elements() == 0) return "";
  const std::vector<int64_t> raw = IntsOf(c, 2);
  std::vector<int64_t> start(n), os(n), us(n);
  for (int i = 0; i < n; ++i) {
    start[i] = std::min<int64_t>(std::max<int64_t>(0, raw[i]), operand.shape[i] - update.shape[i]);
  }
  os[n - 1] = us[n - 1] = 1;
  for (int i = n - 2; i >= 0; --i) {
    os[i] = os[i + 1] * operand.shape[i + 1];
    us[i] = us[i + 1] * update.shape[i + 1];
  }
  UpdateRecursive(0, n, os, us, update.shape, c.in_data<uint8_t>(1), start, c.out_data<uint8_t>(), es);
  return "";
}

// ---- CUMSUM (reference_ops::CumSum, float and int8) ----
std::string Cumsum(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  const auto* o = Options<CumsumOpts>(c.op);
  const bool exclusive = o && o->exclusive, reverse = o && o->reverse;
  const int rank = static_cast<int>(input.shape.size());
  int axis = c.in_data<int32_t>(1)[0];
  if (axis < 0) axis += rank;
  size_t inner = 1, outer = 1, depth = 1;
  for (int i = 0; i < rank; ++i) {
    if (i < axis) inner *= input.shape[i];
    else if (i > axis) outer *= input.shape[i];
    else depth = input.shape[i];
  }
  ref::Multiplier in_m, out_m;
  int32_t in_off = 0, out_off = 0;
  if (input.dtype == DT::kInt8) {
    const double twice = 2 * static_cast<double>(input.scale.at(0));
    in_m = ref::QuantizeMultiplier(static_cast<double>(input.scale.at(0)) / twice);
    out_m = ref::QuantizeMultiplier(twice / ((1 << 20) * static_cast<double>(output.scale.at(0))));
    in_off = -static_cast<int32_t>(input.zero_point.at(0));
    out_off = static_cast<int32_t>(output.zero_point.at(0));
  } else if (input.dtype != DT::kFloat32) {
    return "CUMSUM: type";
  }
  auto scale_in = [&](int32_t v) {
    return ref::MultiplyByQuantizedMultiplier(v * (1 << 20), in_m.multiplier, in_m.shift);
  };
  for (size_t oi = 0; oi < outer; ++oi) {
    const size_t oa = reverse ? outer - 1 - oi : oi;
    for (size_t ii = 0; ii < inner; ++ii) {
      const size_t ia = reverse ? inner - 1 - ii : ii;
      float facc = 0.f;
      int64_t iacc = input.dtype == DT::kInt8 ? scale_in(in_off) : 0;
      for (size_t di = 0; di < depth; ++di) {
        const size_t da = reverse ? depth - 1 - di : di;
        const size_t index = oa + ia * depth * outer + da * outer;
        if (input.dtype == DT::kFloat32) {
          const float x = c.in_data<float>(0)[index];
          if (exclusive) {
            c.out_data<float>()[index] = facc;
            facc += x;
          } else {
            facc += x;
            c.out_data<float>()[index] = facc;
          }
        } else {
          const int32_t scaled = scale_in(in_off + c.in_data<int8_t>(0)[index]);
          int32_t sum;
          if (exclusive) {
            sum = static_cast<int32_t>(iacc);
            iacc = static_cast<int32_t>(static_cast<uint32_t>(iacc) + static_cast<uint32_t>(scaled));
          } else {
            iacc = static_cast<int32_t>(static_cast<uint32_t>(iacc) + static_cast<uint32_t>(scaled));
            sum = static_cast<int32_t>(iacc);
          }
          const int32_t v = ref::MultiplyByQuantizedMultiplier(sum, out_m.multiplier, out_m.shift) + out_off;
          c.out_data<int8_t>()[index] = static_cast<int8_t>(std::clamp(v, -128, 127));
        }
      }
    }
  }
  return "";
}

// ---- L2_POOL_2D (reference_ops::L2Pool, float) ----
std::string L2Pool(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (input.dtype != DT::kFloat32) return "L2_POOL_2D: float32 only";
  const auto* o = Options<PoolOpts>(c.op);
  if (!o) return "L2_POOL_2D: options";
  const int act = o->activation;
  float lo = -std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::max();
  if (act == kActRelu) lo = 0.f;
  if (act == kActRelu6) { lo = 0.f; hi = 6.f; }
  if (act == kActReluN1To1) { lo = -1.f; hi = 1.f; }
  const int H = input.shape[1], W = input.shape[2], C = input.shape[3];
  const ref::PadInfo ph = ref::ComputePadding(o->padding, H, o->filter_h, o->stride_h, 1);
  const ref::PadInfo pw = ref::ComputePadding(o->padding, W, o->filter_w, o->stride_w, 1);
  const float* in = c.in_data<float>(0);
  float* out = c.out_data<float>();
  for (int b = 0; b < input.shape[0]; ++b)
    for (int oy = 0; oy < output.shape[1]; ++oy)
      for (int ox = 0; ox < output.shape[2]; ++ox)
        for (int ch = 0; ch < C; ++ch) {
          const int x0 = ox * o->stride_w - pw.padding, y0 = oy * o->stride_h - ph.padding;
          const int fxs = std::max(0, -x0), fxe = std::min(o->filter_w, W - x0);
          const int fys = std::max(0, -y0), fye = std::min(o->filter_h, H - y0);
          float sum = 0.f;
          int count = 0;
          for (int fy = fys; fy < fye; ++fy)
            for (int fx = fxs; fx < fxe; ++fx) {
              const float v = in[((b * H + y0 + fy) * W + x0 + fx) * C + ch];
              sum += v * v;
              count++;
            }
          const float r = std::sqrt(sum / count);
          out[((b * output.shape[1] + oy) * output.shape[2] + ox) * C + ch] = std::min(std::max(r, lo), hi);
        }
  return "";
}

// ---- DIV int8 / int32 (reference_ops::DivElementwise and Div<int32_t>) ----
int CountLeadingZeros32(uint32_t x) {
  if (x == 0) return 32;
  return __builtin_clz(x);
}
int CountLeadingSignBits32(int32_t x) {
  return x >= 0 ? CountLeadingZeros32(static_cast<uint32_t>(x)) - 1
         : x != INT32_MIN ? CountLeadingZeros32(2 * static_cast<uint32_t>(-x) - 1)
                          : 0;
}
// gemmlowp RoundingDivideByPOT as the x86-64 TFLM build evaluates it for exponents 32..63:
// the mask from a 64-bit shift cut to 32 bits, the value shifted by exponent mod 32.
int32_t RoundingDivideByPOTX86(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> (exponent & 31)) + (remainder > threshold ? 1 : 0);
}

template <typename T>
std::string ElementwiseBroadcast(OpContext& c, T fn) {
  const TensorSpec &a = c.in(0), &b = c.in(1), &out = c.out();
  const size_t n = out.shape.size();
  const std::vector<int32_t> as = [&] {
    std::vector<int32_t> s(n - a.shape.size(), 1);
    s.insert(s.end(), a.shape.begin(), a.shape.end());
    return s;
  }();
  const std::vector<int32_t> bs = [&] {
    std::vector<int32_t> s(n - b.shape.size(), 1);
    s.insert(s.end(), b.shape.begin(), b.shape.end());
    return s;
  }();
  std::vector<int> idx(n, 0);
  for (int64_t i = 0; i < out.num_elements(); ++i) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < n; ++d) {
      ia = ia * as[d] + (as[d] == 1 ? 0 : idx[d]);
      ib = ib * bs[d] + (bs[d] == 1 ? 0 : idx[d]);
    }
    std::string e = fn(i, ia, ib);
    if (!e.empty()) return e;
    for (int d = static_cast<int>(n) - 1; d >= 0; --d) {
      if (++idx[d] < out.shape[d]) break;
      idx[d] = 0;
    }
  }
  return "";
}

std::string Div(OpContext& c) {
  const TensorSpec &in1 = c.in(0), &in2 = c.in(1), &out = c.out();
  const auto* o = Options<DivOpts>(c.op);
  const int act = o ? o->activation : kActNone;
  if (in1.dtype == DT::kInt32) {
    int32_t lo = INT32_MIN, hi = INT32_MAX;
    if (act == kActRelu) lo = 0;
    if (act == kActRelu6) { lo = 0; hi = 6; }
    if (act == kActReluN1To1) { lo = -1; hi = 1; }
    return ElementwiseBroadcast(c, [&](int64_t i, int64_t ia, int64_t ib) -> std::string {
      const int32_t x = c.in_data<int32_t>(0)[ia], y = c.in_data<int32_t>(1)[ib];
      if (y == 0 || (x == INT32_MIN && y == -1)) return "DIV: int32 division by zero";
      c.out_data<int32_t>()[i] = std::min(std::max(x / y, lo), hi);
      return "";
    });
  }
  if (in1.dtype != DT::kInt8) return "DIV: type";
  const ref::ActRange range = ref::ActivationRange(act, out.scale.at(0), static_cast<int32_t>(out.zero_point.at(0)));
  const ref::Multiplier m = ref::QuantizeMultiplier(
      static_cast<double>(in1.scale.at(0)) /
      (static_cast<double>(in2.scale.at(0)) * static_cast<double>(out.scale.at(0))));
  const int32_t off1 = -static_cast<int32_t>(in1.zero_point.at(0));
  const int32_t off2 = -static_cast<int32_t>(in2.zero_point.at(0));
  const int32_t off_out = static_cast<int32_t>(out.zero_point.at(0));
  return ElementwiseBroadcast(c, [&](int64_t i, int64_t ia, int64_t ib) -> std::string {
    int32_t v1 = off1 + c.in_data<int8_t>(0)[ia];
    int32_t v2 = off2 + c.in_data<int8_t>(1)[ib];
    if (v2 < 0) {
      v1 = -v1;
      v2 = -v2;
    }
    // GetReciprocal(v2, 31, &recip_shift); v2 = 0 as TFLM's build: shifted = INT32_MIN.
    const int hp1 = CountLeadingZeros32(static_cast<uint32_t>(v2));
    const int recip_shift = 31 - hp1;
    const uint32_t shifted = hp1 == 32 ? 0u : static_cast<uint32_t>(v2) << hp1;
    const int32_t inv = ref::OneOverOnePlusX(static_cast<int32_t>(shifted - (1u << 31)));
    const int headroom = CountLeadingSignBits32(v1);
    const int32_t unscaled = ref::SaturatingRoundingDoublingHighMul(
        static_cast<int32_t>(static_cast<uint32_t>(v1) << headroom), inv);
    const int total_shift = m.shift - recip_shift - headroom;
    const int32_t hm = ref::SaturatingRoundingDoublingHighMul(unscaled, m.multiplier);
    const int32_t res = off_out + (-total_shift <= 31 ? ref::RoundingDivideByPOT(hm, -total_shift)
                                                      : RoundingDivideByPOTX86(hm, -total_shift));
    c.out_data<int8_t>()[i] = static_cast<int8_t>(std::min(std::max(res, range.min), range.max));
    return "";
  });
}

}  // namespace

void RegisterOps2(OpRegistry& r) {
  r[op::kMirrorPad] = MirrorPad;
  r[op::kGatherNd] = GatherNd;
  r[op::kEmbeddingLookup] = EmbeddingLookup;
  r[op::kDynamicUpdateSlice] = DynamicUpdateSlice;
  r[op::kCumsum] = Cumsum;
  r[op::kL2Pool2D] = L2Pool;
  r[op::kDiv] = Div;  // int8, int32; RegisterFloatOps adds float32 on top
}

}  // namespace tinymlc::testing
