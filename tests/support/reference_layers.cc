// Reference implementations: layer operators (see reference_internal.h).
//
// TRANSPOSE_CONV, BATCH_MATMUL, L2_NORMALIZATION, SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM,
// written from TFLM 90b983c (micro/kernels/*.cc and the reference kernels they call),
// independently of templates/kernels: TRANSPOSE_CONV gathers per output element
// instead of scattering, BATCH_MATMUL follows TFLM's operand swap, transposes and
// batch flattening literally, the state of SVDF / LSTM is kept as plain vectors.
// Variable tensors start from their data (ModelSpec), like a fresh TFLM interpreter.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "reference_internal.h"

namespace tinymlc::testing {
namespace {

// int32 arithmetic that wraps as on the two's-complement hardware TFLM runs on.
int32_t Wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

int32_t Clamp(int32_t v, int32_t lo, int32_t hi) { return std::min(hi, std::max(lo, v)); }

std::string ShapeStr(const std::vector<int32_t>& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

#define REF_CHECK_TYPE(t, dt, what)                                      \
  do {                                                                   \
    if (std::string e_ = CheckType((t), (dt), (what)); !e_.empty()) return e_; \
  } while (0)

// ---- TRANSPOSE_CONV ------------------------------------------------------------------
// Inputs: 0 output_shape (unused by TFLM), 1 filter [OC,KH,KW,IC], 2 input, 3 bias.

// One dimension of TFLM's ComputeOutSizeChecked (false where TFLM fails).
bool CheckedOutSize(int padding, int image, int filter, int stride, int64_t* out) {
  if ((padding != kSame && padding != kValid) || image < 0 || filter <= 0 || stride <= 0)
    return false;
  const int64_t v = padding == kSame ? (int64_t{image} + stride - 1) / stride
                                     : (int64_t{image} + stride - filter) / stride;
  if (v < 0) return false;
  *out = v;
  return true;
}

std::string TransposeConv(OpContext& c) {
  if (c.num_inputs() != 3 && c.num_inputs() != 4) return "TRANSPOSE_CONV needs 3 or 4 inputs";
  const TransposeConvOpts* o = Options<TransposeConvOpts>(c.op);
  // No options table: TFLM's params are zero (padding unknown, stride 0).
  const TransposeConvOpts p = o ? *o : TransposeConvOpts{-1, 0, 0, kActNone};
  const TensorSpec &filter = c.in(1), &input = c.in(2), &output = c.out();
  if (input.dtype == DT::kFloat32 && input.shape.size() == 4 && filter.shape.size() == 4 &&
      output.shape.size() == 4) {
    return TransposeConvF32(c);
  }
  // 16x8 (TFLM's TransposeConv<int64_t>): int16 activations without offsets, int64 bias,
  // int64 sums, the int64 MultiplyByQuantizedMultiplier.
  const bool s16 = input.dtype == DT::kInt16;
  REF_CHECK_TYPE(input, s16 ? DT::kInt16 : DT::kInt8, "input");
  REF_CHECK_TYPE(filter, DT::kInt8, "filter");
  REF_CHECK_TYPE(output, s16 ? DT::kInt16 : DT::kInt8, "output");
  if (s16 && c.has_input(3)) REF_CHECK_TYPE(c.in(3), DT::kInt64, "bias");
  if (input.shape.size() != 4 || filter.shape.size() != 4 || output.shape.size() != 4)
    return "TRANSPOSE_CONV needs 4-D input, filter and output";
  const int batches = input.shape[0], in_h = input.shape[1], in_w = input.shape[2],
            in_c = input.shape[3];
  const int oc_n = filter.shape[0], f_h = filter.shape[1], f_w = filter.shape[2];
  const int out_h = output.shape[1], out_w = output.shape[2];
  if (filter.shape[3] != in_c || output.shape[3] != oc_n || output.shape[0] != batches)
    return "TRANSPOSE_CONV shapes do not match";
  const bool has_bias = c.has_input(3);
  if (has_bias && c.in(3).num_elements() != oc_n) return "bias size differs from output depth";

  // ComputePaddingHeightWidth on the OUTPUT size; any failure leaves both paddings 0.
  int pad_h = 0, pad_w = 0;
  int64_t size_h = 0, size_w = 0;
  if (CheckedOutSize(p.padding, out_w, f_w, p.stride_w, &size_w) &&
      CheckedOutSize(p.padding, out_h, f_h, p.stride_h, &size_h)) {
    pad_h = static_cast<int>(std::max<int64_t>(0, (size_h - 1) * p.stride_h + f_h - out_h) / 2);
    pad_w = static_cast<int>(std::max<int64_t>(0, (size_w - 1) * p.stride_w + f_w - out_w) / 2);
  }
  const std::vector<Multiplier> mult =
      ref::ConvMultipliers(input.scale0(), filter.scale, output.scale0(), oc_n);
  const ActRange range = ref::ActivationRange(p.activation, output.scale0(), output.zero_point0(),
                                             output.dtype);
  const int32_t input_offset = -input.zero_point0();
  if (s16) {
    const int16_t* in16 = c.in_data<int16_t>(2);
    const int8_t* w16 = c.in_data<int8_t>(1);
    const int64_t* bias64 = has_bias ? c.in_data<int64_t>(3) : nullptr;
    for (int b = 0; b < batches; ++b)
      for (int oy = 0; oy < out_h; ++oy)
        for (int ox = 0; ox < out_w; ++ox)
          for (int oc = 0; oc < oc_n; ++oc) {
            int64_t acc = 0;
            for (int iy = 0; iy < in_h; ++iy) {
              const int ky = oy - (iy * p.stride_h - pad_h);
              if (ky < 0 || ky >= f_h) continue;
              for (int ix = 0; ix < in_w; ++ix) {
                const int kx = ox - (ix * p.stride_w - pad_w);
                if (kx < 0 || kx >= f_w) continue;
                for (int ic = 0; ic < in_c; ++ic) {
                  acc += int64_t{in16[((int64_t{b} * in_h + iy) * in_w + ix) * in_c + ic]} *
                         w16[((int64_t{oc} * f_h + ky) * f_w + kx) * in_c + ic];
                }
              }
            }
            if (bias64) acc += bias64[oc];
            const int32_t v = Clamp(MultiplyByQuantizedMultiplier64(acc, mult[oc].multiplier, mult[oc].shift),
                                    range.min, range.max);
            c.out_data<int16_t>()[((int64_t{b} * out_h + oy) * out_w + ox) * oc_n + oc] =
                static_cast<int16_t>(v);
          }
    return "";
  }

  const int8_t* in = c.in_data<int8_t>(2);
  const int8_t* w = c.in_data<int8_t>(1);
  const int32_t* bias = has_bias ? c.in_data<int32_t>(3) : nullptr;
  int8_t* out = c.out_data<int8_t>();
  // Gather form of TFLM's scatter: output (oy, ox) receives input (iy, ix) through the
  // filter tap (oy - (iy * stride - pad), ox - (ix * stride - pad)) when that is inside
  // the filter. The int32 sum is the same in any order (it wraps mod 2^32).
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int oc = 0; oc < oc_n; ++oc) {
          int64_t acc = 0;
          for (int iy = 0; iy < in_h; ++iy) {
            const int ky = oy - (iy * p.stride_h - pad_h);
            if (ky < 0 || ky >= f_h) continue;
            for (int ix = 0; ix < in_w; ++ix) {
              const int kx = ox - (ix * p.stride_w - pad_w);
              if (kx < 0 || kx >= f_w) continue;
              for (int ic = 0; ic < in_c; ++ic) {
                const int32_t x = in[((int64_t{b} * in_h + iy) * in_w + ix) * in_c + ic];
                const int32_t wv = w[((int64_t{oc} * f_h + ky) * f_w + kx) * in_c + ic];
                acc += (x + input_offset) * wv;
              }
            }
          }
          int32_t v = Wrap(acc + (bias ? bias[oc] : 0));
          v = ref::MultiplyByQuantizedMultiplier(v, mult[oc].multiplier, mult[oc].shift);
          v = Clamp(v + output.zero_point0(), range.min, range.max);
          out[((int64_t{b} * out_h + oy) * out_w + ox) * oc_n + oc] = static_cast<int8_t>(v);
        }
      }
    }
  }
  return "";
}

// ---- BATCH_MATMUL ---------------------------------------------------------------------
// TFLM's BatchMatMulEval: RHS is transposed unless adj_y, LHS transposed if adj_x; the
// shapes handed on are "swapped" views; the batch dims are flattened when the RHS's
// third-from-last dim is 1; then reference_ops::BatchMatMul runs with RHS as its lhs.

std::vector<int8_t> TransposeLastTwo(const int8_t* data, const std::vector<int32_t>& shape) {
  const size_t r = shape.size();
  const int64_t rows = shape[r - 2], cols = shape[r - 1];
  int64_t outer = 1;
  for (size_t i = 0; i + 2 < r; ++i) outer *= shape[i];
  std::vector<int8_t> t(static_cast<size_t>(outer * rows * cols));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        t[(o * cols + j) * rows + i] = data[(o * rows + i) * cols + j];
  return t;
}

std::vector<int32_t> SwapLastTwo(std::vector<int32_t> s) {
  std::swap(s[s.size() - 1], s[s.size() - 2]);
  return s;
}

std::vector<int32_t> Extended5(const std::vector<int32_t>& s) {
  std::vector<int32_t> e(5 - s.size(), 1);
  e.insert(e.end(), s.begin(), s.end());
  return e;
}

int64_t Extent(const std::vector<int32_t>& s, int d) {  // batch_matmul::extent
  if (s[d] == 1) return 0;
  int64_t prod = 1;
  for (int i = d + 1; i < 5; ++i) prod *= s[i];
  return prod;
}

std::string BatchMatMul(OpContext& c) {
  if (c.num_inputs() != 2) return "BATCH_MATMUL needs 2 inputs";
  const BatchMatMulOpts* o = Options<BatchMatMulOpts>(c.op);
  const BatchMatMulOpts p = o ? *o : BatchMatMulOpts{};
  const TensorSpec &lhs = c.in(0), &rhs = c.in(1), &output = c.out();
  REF_CHECK_TYPE(lhs, DT::kInt8, "lhs");
  REF_CHECK_TYPE(rhs, DT::kInt8, "rhs");
  REF_CHECK_TYPE(output, DT::kInt8, "output");
  const size_t lr = lhs.shape.size(), rr = rhs.shape.size();
  if (lr < 2 || lr > 5 || rr < 2 || rr > 5) return "BATCH_MATMUL ranks must be 2..5";

  std::vector<int8_t> rhs_t, lhs_t;
  const int8_t* rhs_data = c.in_data<int8_t>(1);
  const int8_t* lhs_data = c.in_data<int8_t>(0);
  if (!p.adj_y) {
    rhs_t = TransposeLastTwo(rhs_data, rhs.shape);
    rhs_data = rhs_t.data();
  }
  if (p.adj_x) {
    lhs_t = TransposeLastTwo(lhs_data, lhs.shape);
    lhs_data = lhs_t.data();
  }
  std::vector<int32_t> rhs_shape = p.adj_y ? rhs.shape : SwapLastTwo(rhs.shape);
  std::vector<int32_t> lhs_shape = p.adj_x ? lhs.shape : SwapLastTwo(lhs.shape);
  // ReshapeToFlattenBatchDimsIfPossible.
  if (rr > 2 && lr > 2 && rhs_shape[rr - 3] == 1) {
    std::vector<int32_t> l(lhs_shape.begin(), lhs_shape.end() - 1);
    l[lr - 3] = lhs_shape[lr - 2];
    l[lr - 2] = lhs_shape[lr - 3] * lhs_shape[lr - 1];
    std::vector<int32_t> r(rhs_shape.begin(), rhs_shape.end() - 1);
    r[rr - 3] = rhs_shape[rr - 2];
    r[rr - 2] = rhs_shape[rr - 1];
    lhs_shape = l;
    rhs_shape = r;
  }
  // reference_ops::BatchMatMul(params, lhs := RHS, rhs := LHS).
  const std::vector<int32_t> a = Extended5(rhs_shape), b = Extended5(lhs_shape);
  int64_t batch[3];
  for (int d = 0; d < 3; ++d) {
    if (a[d] != b[d] && a[d] != 1 && b[d] != 1) return "batch dimensions do not broadcast";
    batch[d] = a[d] == 1 ? b[d] : a[d];
  }
  const int64_t a_rows = a[3], b_cols = b[4], depth = a[4];
  if (b[3] != depth) return "inner dimensions differ";
  if (output.num_elements() != batch[0] * batch[1] * batch[2] * a_rows * b_cols)
    return "output size differs from " + ShapeStr(lhs.shape) + " x " + ShapeStr(rhs.shape);
  const Multiplier m = ref::FullyConnectedMultiplier(lhs.scale0(), rhs.scale0(), output.scale0());
  const int32_t filter_offset = -rhs.zero_point0();  // TFLM: the RHS plays the filter
  const int32_t input_offset = -lhs.zero_point0();
  const int32_t output_offset = output.zero_point0();
  int8_t* out = c.out_data<int8_t>();
  for (int64_t b0 = 0; b0 < batch[0]; ++b0) {
    for (int64_t b1 = 0; b1 < batch[1]; ++b1) {
      for (int64_t b2 = 0; b2 < batch[2]; ++b2) {
        const int8_t* ap = rhs_data + b0 * Extent(a, 0) + b1 * Extent(a, 1) + b2 * Extent(a, 2);
        const int8_t* bp = lhs_data + b0 * Extent(b, 0) + b1 * Extent(b, 1) + b2 * Extent(b, 2);
        int8_t* op = out + ((b0 * batch[1] + b1) * batch[2] + b2) * a_rows * b_cols;
        for (int64_t j = 0; j < b_cols; ++j) {
          for (int64_t i = 0; i < a_rows; ++i) {
            int64_t total = 0;
            for (int64_t k = 0; k < depth; ++k) {
              total += (ap[depth * i + k] + filter_offset) * (bp[depth * j + k] + input_offset);
            }
            int32_t v = ref::MultiplyByQuantizedMultiplier(Wrap(total), m.multiplier, m.shift);
            op[a_rows * j + i] = static_cast<int8_t>(Clamp(v + output_offset, -128, 127));
          }
        }
      }
    }
  }
  return "";
}

// ---- L2_NORMALIZATION -----------------------------------------------------------------

// gemmlowp SaturatingRoundingMultiplyByPOT<e> for e > 0.
int32_t SaturatingMulPOT(int32_t x, int e) {
  const int64_t v = int64_t{x} * (int64_t{1} << e);
  return static_cast<int32_t>(std::min<int64_t>(std::numeric_limits<int32_t>::max(),
                                                std::max<int64_t>(std::numeric_limits<int32_t>::min(), v)));
}

// TFLM GetInvSqrtQuantizedMultiplierExp(input, kReverseShift = -1).
void InvSqrtMultiplier(int32_t input, int32_t* multiplier, int* shift) {
  if (input <= 1) {
    *multiplier = std::numeric_limits<int32_t>::max();
    *shift = 0;
    return;
  }
  int s = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++s;
  }
  int clz = 0;
  for (uint32_t u = static_cast<uint32_t>(input); !(u & 0x80000000u); u <<= 1) ++clz;
  const unsigned left_pairs = static_cast<unsigned>(clz - 1) / 2 - 1;
  s -= static_cast<int>(left_pairs);
  input <<= 2 * left_pairs;
  using ref::RoundingDivideByPOT;
  using ref::SaturatingRoundingDoublingHighMul;
  // F3 (Q3.28) Newton-Raphson.
  const int32_t half_input = RoundingDivideByPOT(input >> 1, 1);
  const int32_t half_three = (1 << 28) + (1 << 27);
  int32_t x = 1 << 28;  // F3::One()
  for (int i = 0; i < 5; ++i) {
    // x * x * x: F3*F3 = F6, F6*F3 = F9; Rescale<3> = * 2^6 saturating.
    const int32_t x3 = SaturatingMulPOT(
        SaturatingRoundingDoublingHighMul(SaturatingRoundingDoublingHighMul(x, x), x), 6);
    // half_three * x - half_input * x3 is F6; Rescale<3> = * 2^3 saturating.
    const int32_t f6 = Wrap(int64_t{SaturatingRoundingDoublingHighMul(half_three, x)} -
                            SaturatingRoundingDoublingHighMul(half_input, x3));
    x = SaturatingMulPOT(f6, 3);
  }
  x = SaturatingRoundingDoublingHighMul(x, 1518500250);  // F3 * F0 -> F3
  if (s < 0) {
    x = Wrap(int64_t{x} * (int64_t{1} << -s));
    s = 0;
  }
  *multiplier = x;
  *shift = -s;
}

std::string L2Normalization(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  REF_CHECK_TYPE(input, DT::kInt8, "input");
  REF_CHECK_TYPE(output, DT::kInt8, "output");
  if (input.shape.empty() || input.shape.size() > 4) return "L2_NORMALIZATION needs rank 1..4";
  const L2NormOpts* o = Options<L2NormOpts>(c.op);
  if (o && o->activation != kActNone) return "TFLM supports no fused activation";
  if (output.shape != input.shape) return "output shape differs from input shape";
  const int64_t depth = input.shape.back();
  const int64_t outer = depth ? input.num_elements() / depth : 0;
  const int32_t zp = input.zero_point0();
  const int8_t* in = c.in_data<int8_t>(0);
  int8_t* out = c.out_data<int8_t>();
  for (int64_t r = 0; r < outer; ++r) {
    int64_t sum = 0;
    for (int64_t d = 0; d < depth; ++d) {
      const int32_t x = in[r * depth + d] - zp;
      sum += x * x;
    }
    int32_t mult;
    int shift;
    InvSqrtMultiplier(Wrap(sum), &mult, &shift);
    for (int64_t d = 0; d < depth; ++d) {
      const int32_t v = ref::MultiplyByQuantizedMultiplier(in[r * depth + d] - zp, mult, shift + 7);
      out[r * depth + d] = static_cast<int8_t>(Clamp(v, -128, 127));
    }
  }
  return "";
}

// ---- SVDF -----------------------------------------------------------------------------
// Inputs: 0 input [B, I], 1 weights_feature [F, I], 2 weights_time [F, M], 3 bias [U],
// 4 activation state [B, F * M] (variable, int16 or int8: the time weights' type T).
// Output [B, U].

template <typename T>
std::string SvdfT(OpContext& c);

std::string Svdf(OpContext& c) {
  if (c.num_inputs() != 5) return "SVDF needs 5 inputs";
  return c.in(2).dtype == DT::kInt8 ? SvdfT<int8_t>(c) : SvdfT<int16_t>(c);
}

template <typename T>
std::string SvdfT(OpContext& c) {
  if (c.num_inputs() != 5) return "SVDF needs 5 inputs";
  const SvdfOpts* o = Options<SvdfOpts>(c.op);
  const int rank = o ? o->rank : 0;
  const TensorSpec &input = c.in(0), &feature = c.in(1), &time = c.in(2), &state_t = c.in(4),
                   &output = c.out();
  REF_CHECK_TYPE(input, DT::kInt8, "input");
  REF_CHECK_TYPE(feature, DT::kInt8, "weights_feature");
  const DT t_dt = sizeof(T) == 1 ? DT::kInt8 : DT::kInt16;
  REF_CHECK_TYPE(time, t_dt, "weights_time");
  REF_CHECK_TYPE(state_t, t_dt, "activation state");
  REF_CHECK_TYPE(output, DT::kInt8, "output");
  if (!c.has_input(3)) return "TFLM's int8 SVDF needs the bias";
  const TensorSpec& bias_t = c.in(3);
  REF_CHECK_TYPE(bias_t, DT::kInt32, "bias");
  const int batches = input.shape[0], in_size = input.shape[1];
  const int filters = feature.shape[0], memory = time.shape[1];
  if (rank <= 0 || filters % rank) return "rank does not divide the filters";
  const int units = filters / rank;
  if (state_t.num_elements() != int64_t{batches} * filters * memory) return "state size";
  if (output.num_elements() != int64_t{batches} * units) return "output size";
  // Prepare (scales in float, widened).
  const double s1 = static_cast<double>(input.scale0()) * feature.scale0() / state_t.scale0();
  const double s2 = static_cast<double>(state_t.scale0()) * time.scale0() / output.scale0();
  if (!(std::abs(static_cast<double>(bias_t.scale0()) -
                 static_cast<double>(state_t.scale0() * time.scale0())) < 1e-5))
    return "bias scale differs from state scale * weights_time scale";
  const Multiplier m1 = ref::QuantizeMultiplier(static_cast<double>(s1));
  const Multiplier m2 = ref::QuantizeMultiplier(static_cast<double>(s2));
  const int32_t in_zp = input.zero_point0(), st_zp = state_t.zero_point0(),
                out_zp = output.zero_point0();

  const int8_t* in = c.in_data<int8_t>(0);
  const int8_t* wf = c.in_data<int8_t>(1);
  const T* wt = c.in_data<T>(2);
  const int32_t* bias = c.in_data<int32_t>(3);
  T* state = reinterpret_cast<T*>(c.values[c.op.inputs[4]].data());
  int8_t* out = c.out_data<int8_t>();
  const int64_t n_state = state_t.num_elements();
  // Shift left by one element, whole buffer.
  std::vector<T> old(state, state + n_state);
  for (int64_t i = 0; i + 1 < n_state; ++i) state[i] = old[i + 1];
  for (int b = 0; b < batches; ++b) {
    for (int f = 0; f < filters; ++f) {
      int64_t dot = 0;
      for (int i = 0; i < in_size; ++i) dot += wf[f * in_size + i] * (in[b * in_size + i] - in_zp);
      int32_t v = ref::MultiplyByQuantizedMultiplier(Wrap(dot), m1.multiplier, m1.shift);
      v = Clamp(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
      // Stored as T: TFLM adds the state zero point after the clamp (wraps).
      state[(int64_t{b} * filters + f) * memory + memory - 1] = static_cast<T>(st_zp + v);
    }
  }
  for (int b = 0; b < batches; ++b) {
    for (int u = 0; u < units; ++u) {
      int64_t sum = bias[u];
      for (int r = 0; r < rank; ++r) {
        const int f = u * rank + r;
        int64_t dot = 0;
        for (int k = 0; k < memory; ++k) {
          dot += int64_t{wt[f * memory + k]} *
                 (state[(int64_t{b} * filters + f) * memory + k] - st_zp);
        }
        sum += Wrap(dot);  // each per-filter sum is an int32 in TFLM
      }
      const int32_t v = ref::MultiplyByQuantizedMultiplier(Wrap(sum), m2.multiplier, m2.shift);
      out[int64_t{b} * units + u] = static_cast<int8_t>(Clamp(v + out_zp, -128, 127));
    }
  }
  return "";
}

// ---- UNIDIRECTIONAL_SEQUENCE_LSTM ------------------------------------------------------
// TFLM micro's EvalLstm<int8_t, int8_t, int16_t, int32_t> (lstm_eval.h): a step manager
// walks the time steps (all batches at once when time major, else batch by batch);
// each gate is FullyConnected(input) + FullyConnected(hidden) in int16 (Q3.12), then
// reference_integer_ops::Logistic / Tanh for int16; MulElementwise for the products.

// TFLM's sigmoid_table_uint16 (kernels/internal/common.h): sigmoid(i / 24) in 0.16.
const uint16_t kLstmSigmoidTable[256] = {
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

// reference_integer_ops::Logistic(int16) with input_multiplier 0 and shift 0 (LSTM).
int16_t LstmSigmoid(int16_t v) {
  const int32_t x = v * 3;  // power-of-two case: multiplier 3 << 0
  const uint32_t ax = static_cast<uint32_t>(std::abs(x));
  const uint32_t uh = ax >> 9;
  uint32_t r = 0x7FFF << 10;
  if (uh < 255) {
    const uint32_t ua = kLstmSigmoidTable[uh], ub = kLstmSigmoidTable[uh + 1];
    r = (ua << 9) + (ax & 0x1ff) * (ub - ua);
  }
  r = x >= 0 ? r + (1 << 9) : (1u << 25) - r + (1 << 9) - 1;
  return static_cast<int16_t>(r >> 10);
}

// lstm_internal::Tanh(cell_state_scale_power, ...) -> reference_integer_ops::Tanh(int16).
int16_t LstmTanh(int16_t v, int32_t scale_power) {
  int32_t shift = (15 + scale_power) - 3;
  int32_t multiplier = 0;
  if (shift < 0) {
    shift = -shift;
    multiplier = 3;
  }
  if (multiplier == 0) {
    multiplier = 3 << shift;
    shift = 0;
  }
  const int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
  const int32_t x = (v * multiplier + round) >> shift;
  const uint32_t ax = static_cast<uint32_t>(std::abs(x));
  const uint32_t uh = ax >> 8;
  int32_t r = 0xFFFF << 8;
  if (uh < 255) {
    const uint32_t ua = kLstmSigmoidTable[uh], ub = kLstmSigmoidTable[uh + 1];
    r = static_cast<int32_t>((ua << 8) + static_cast<uint8_t>(ax & 0xFF) * (ub - ua));
  }
  r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
  return static_cast<int16_t>(r >> 8);
}

// reference_integer_ops::FullyConnected<int8, int8, int16, int32> (per tensor) on
// `rows` rows of x; output [rows, n_out].
void LstmFc(const int8_t* x, int rows, int depth, int32_t x_zp, const int8_t* w, int32_t w_zp,
            const int32_t* bias, int n_out, const Multiplier& m, int16_t* out) {
  for (int b = 0; b < rows; ++b) {
    for (int o = 0; o < n_out; ++o) {
      int64_t acc = 0;
      for (int d = 0; d < depth; ++d) {
        acc += (w[o * depth + d] - w_zp) * (x[b * depth + d] - x_zp);
      }
      if (bias) acc += bias[o];
      const int32_t v = ref::MultiplyByQuantizedMultiplier(Wrap(acc), m.multiplier, m.shift);
      out[b * n_out + o] = static_cast<int16_t>(Clamp(v, -32768, 32767));
    }
  }
}

// MulElementwise(int16, int16) with offsets 0.
int32_t LstmMul(int16_t a, int16_t b, const Multiplier& m, int32_t zp, int32_t lo, int32_t hi) {
  return Clamp(zp + ref::MultiplyByQuantizedMultiplier(a * b, m.multiplier, m.shift), lo, hi);
}

std::string Lstm(OpContext& c) {
  if (c.num_inputs() != 24) return "UNIDIRECTIONAL_SEQUENCE_LSTM needs 24 inputs";
  const LstmOpts* o = Options<LstmOpts>(c.op);
  if (!o) return "no options (TFLM needs them)";
  if (o->activation != 4) return "TFLM's cell gate activation must be TANH";
  for (int i : {9, 10, 11, 16, 17, 20, 21, 22, 23}) {
    if (c.has_input(i)) return "peephole / projection / layer norm tensors are not supported";
  }
  for (int i : {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 18, 19}) {
    if (!c.has_input(i)) return "input " + std::to_string(i) + " is required";
  }
  const TensorSpec &input = c.in(0), &hidden_t = c.in(18), &cell_t = c.in(19);
  REF_CHECK_TYPE(input, DT::kInt8, "input");
  REF_CHECK_TYPE(hidden_t, DT::kInt8, "output state");
  REF_CHECK_TYPE(cell_t, DT::kInt16, "cell state");
  REF_CHECK_TYPE(c.out(), DT::kInt8, "output");
  if (!hidden_t.is_variable || !cell_t.is_variable) return "state tensors must be variables";
  const bool tm = o->time_major;
  const int batches = tm ? input.shape[1] : input.shape[0];
  const int steps = tm ? input.shape[0] : input.shape[1];
  const int n_in = input.shape[2], n_state = hidden_t.shape[1];
  // Gate order in TFLite's inputs: input, forget, cell, output.
  Multiplier in_m[4], rec_m[4];
  for (int g = 0; g < 4; ++g) {
    in_m[g] = ref::FullyConnectedMultiplier(input.scale0(), c.in(1 + g).scale0(), 1.0f / 4096);
    rec_m[g] = ref::FullyConnectedMultiplier(hidden_t.scale0(), c.in(5 + g).scale0(), 1.0f / 4096);
  }
  const double gate_out = 1.0 / 32768;
  const double cell_scale = cell_t.scale0();
  const Multiplier forget_mul = ref::QuantizeMultiplier(gate_out * cell_scale / cell_scale);
  const Multiplier input_mul = ref::QuantizeMultiplier(gate_out * gate_out / cell_scale);
  const Multiplier output_mul =
      ref::QuantizeMultiplier(gate_out * gate_out / static_cast<double>(hidden_t.scale0()));
  const float log2 = std::log(cell_t.scale0()) * (1.0f / std::log(2.0f));
  const int32_t power = static_cast<int32_t>(std::round(log2));
  const int16_t qclip = static_cast<int16_t>(
      std::min(std::max(static_cast<double>(o->cell_clip) / cell_scale, -32768.0), 32767.0));

  const int8_t* x_all = c.in_data<int8_t>(0);
  int8_t* hidden = reinterpret_cast<int8_t*>(c.values[c.op.inputs[18]].data());
  int16_t* cell = reinterpret_cast<int16_t*>(c.values[c.op.inputs[19]].data());
  int8_t* out = c.out_data<int8_t>();
  const int32_t in_zp = input.zero_point0(), h_zp = hidden_t.zero_point0();
  // One LstmStep on `rows` rows: x [rows, n_in], h / cs [rows, n_state].
  auto step = [&](const int8_t* x, int rows, int8_t* h, int16_t* cs, int8_t* y) {
    const size_t n = static_cast<size_t>(rows) * n_state;
    std::vector<int16_t> gate[4], tmp(n);
    for (int g : {1, 0, 2, 3}) {  // forget, input, cell; output after the cell update
      if (g == 3) {
        for (size_t i = 0; i < n; ++i) {
          cs[i] = static_cast<int16_t>(LstmMul(gate[1][i], cs[i], forget_mul, 0, -32768, 32767));
        }
        for (size_t i = 0; i < n; ++i) {
          const int32_t ig = LstmMul(gate[0][i], gate[2][i], input_mul, 0, -32768, 32767);
          int32_t v = Clamp(cs[i] + ig, -32768, 32767);
          if (o->cell_clip > 0) v = std::max<int32_t>(std::min<int32_t>(qclip, v), -qclip);
          cs[i] = static_cast<int16_t>(v);
        }
      }
      gate[g].resize(n);
      LstmFc(x, rows, n_in, in_zp, c.in_data<int8_t>(1 + g), c.in(1 + g).zero_point0(),
             c.in_data<int32_t>(12 + g), n_state, in_m[g], gate[g].data());
      LstmFc(h, rows, n_state, h_zp, c.in_data<int8_t>(5 + g), c.in(5 + g).zero_point0(), nullptr,
             n_state, rec_m[g], tmp.data());
      for (size_t i = 0; i < n; ++i) {
        const int16_t sum = static_cast<int16_t>(Clamp(gate[g][i] + tmp[i], -32768, 32767));
        gate[g][i] = g == 2 ? LstmTanh(sum, -12) : LstmSigmoid(sum);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      h[i] = static_cast<int8_t>(LstmMul(LstmTanh(cs[i], power), gate[3][i], output_mul, h_zp, -128, 127));
    }
    std::memcpy(y, h, n);
  };
  if (tm) {
    for (int t = 0; t < steps; ++t) {
      step(x_all + int64_t{t} * batches * n_in, batches, hidden, cell,
           out + int64_t{t} * batches * n_state);
    }
  } else {
    for (int b = 0; b < batches; ++b) {
      for (int t = 0; t < steps; ++t) {
        const int64_t row = int64_t{b} * steps + t;
        step(x_all + row * n_in, 1, hidden + int64_t{b} * n_state, cell + int64_t{b} * n_state,
             out + row * n_state);
      }
    }
  }
  return "";
}

#undef REF_CHECK_TYPE

}  // namespace

void RegisterLayerOps(OpRegistry& r) {
  r[op::kTransposeConv] = TransposeConv;
  r[op::kBatchMatMul] = BatchMatMul;
  r[op::kL2Normalization] = L2Normalization;
  r[op::kSvdf] = Svdf;
  r[op::kUnidirectionalSequenceLstm] = Lstm;
}

}  // namespace tinymlc::testing
