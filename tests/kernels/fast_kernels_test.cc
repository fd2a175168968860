// The fast kernels against the portable ones on random shapes, weights, biases,
// quantization parameters and inputs: tml_conv_gemm_s8 (CONV_2D, FULLY_CONNECTED) and
// tml_depthwise_fast_s8 (DEPTHWISE_CONV_2D) must be bit-exact with tml_conv_2d_s8 /
// tml_depthwise_conv_2d_s8 / tml_fully_connected_s8. The packing below mirrors
// compiler/src/ops/conv_gemm.cc and depthwise_conv_2d.cc, including the per-channel
// choice between the short requantization and TFLM's (shift < -32).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#define TML_KERNEL
#define TML_DECLARATIONS_ONLY
extern "C" {
#include "tml_common.h"
#include "tml_conv_2d.h"
#include "tml_conv_gemm.h"
#include "tml_conv_pw8.h"
#include "tml_depthwise_conv_2d.h"
#include "tml_depthwise_fast.h"
#include "tml_depthwise_3x3.h"
#include "tml_fully_connected.h"
}

namespace {

struct Quant {
  std::vector<int32_t> mult, shift;
};

// Random per-channel multipliers in [2^30, 2^31) and shifts in [lo, hi].
Quant RandomQuant(std::mt19937& rng, int n, int lo, int hi) {
  Quant q;
  for (int i = 0; i < n; ++i) {
    q.mult.push_back(static_cast<int32_t>((1u << 30) + (rng() & 0x3FFFFFFFu)));
    q.shift.push_back(std::uniform_int_distribution<int>(lo, hi)(rng));
  }
  return q;
}

// Short form where the bounds allow it (a = 2 acc), else TFLM's (shift - 64).
bool ShortOk(int64_t amin, int64_t amax, int32_t m, int32_t shift) {
  if (shift > -1 || m < (1 << 30) || 2 * amax > INT32_MAX || 2 * amin < INT32_MIN) return false;
  const int64_t x = (std::max(2 * amax, -2 * amin) * m >> 32) + 1;
  return x + (int64_t{1} << (-shift - 1)) + 1 <= INT32_MAX;
}

struct Gemm {
  std::vector<uint32_t> weights;
  std::vector<int32_t> bias, mult;
  std::vector<int8_t> shift;
  int32_t groups;
  int32_t per_channel = 1;
};

uint32_t Word(int32_t b0, int32_t b1, int32_t b2, int32_t b3) {
  return static_cast<uint8_t>(b0) | (static_cast<uint32_t>(static_cast<uint8_t>(b1)) << 8) |
         (static_cast<uint32_t>(static_cast<uint8_t>(b2)) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(b3)) << 24);
}

// weights [oc][k] (+ no offset), bias may be empty; `rows` channels per block (4 for the
// direct path, 2 for im2col). Uniform quantization: one form and one value for all.
Gemm PackGemm(const std::vector<int8_t>& w, const std::vector<int32_t>& bias, const Quant& q,
              int oc, int k, int32_t input_offset, int rows) {
  Gemm g;
  g.groups = (k + 3) / 4;
  const int blocks = (oc + rows - 1) / rows;
  std::vector<int> scale(oc, 2);
  std::vector<int64_t> base(oc);
  g.bias.assign(static_cast<size_t>(rows * blocks), 0);
  for (int c = 0; c < oc; ++c) {
    int64_t sum = 0, hi = 0, lo = 0;
    for (int i = 0; i < k; ++i) {
      const int64_t v = w[c * k + i];
      sum += v;
      hi += v > 0 ? 127 * v : -128 * v;
      lo += v > 0 ? -128 * v : 127 * v;
    }
    base[c] = (bias.empty() ? 0 : bias[c]) + input_offset * sum;
    if (!ShortOk(base[c] + lo, base[c] + hi, q.mult[c], q.shift[c])) scale[c] = 1;
    g.bias[c] = static_cast<int32_t>(base[c]);
  }
  const bool uniform = std::all_of(q.mult.begin(), q.mult.end(), [&](int32_t m) { return m == q.mult[0]; }) &&
                       std::all_of(q.shift.begin(), q.shift.end(), [&](int32_t e) { return e == q.shift[0]; });
  if (uniform && std::count(scale.begin(), scale.end(), 1) > 0) scale.assign(oc, 1);
  for (int c = 0; c < (uniform ? 1 : oc); ++c) {
    g.mult.push_back(q.mult[c]);
    g.shift.push_back(static_cast<int8_t>(scale[c] == 1 ? q.shift[c] - 64 : -q.shift[c]));
  }
  g.per_channel = uniform ? 0 : 1;
  auto at = [&](int c, int i) { return c < oc && i < k ? w[c * k + i] : 0; };
  for (int b = 0; b < blocks; ++b) {
    for (int gi = 0; gi < g.groups; ++gi) {
      for (int r = 0; r < rows; ++r) {
        const int c = rows * b + r, i = 4 * gi;
        g.weights.push_back(Word(at(c, i), at(c, i + 1), at(c, i + 2), at(c, i + 3)));
      }
    }
  }
  return g;
}

// Whether tml_conv_gemm_s8_params_t.fold_zp may be set for the packed layer: every channel
// in the short form (per channel: channels in TFLM's form are skipped) has 2^(e-1) +
// zp * 2^e within +-(2^30 - 4) (|x| <= 2^30 + 1 for any accumulator and multiplier: a
// looser bound than the compiler's).
bool FoldZp(const Gemm& g, int32_t zp) {
  for (const int8_t e : g.shift) {
    if (e < 1) {
      if (g.per_channel) continue;
      return false;
    }
    const int64_t v = (int64_t{1} << (e - 1)) + zp * (int64_t{1} << e);
    if (v > (int64_t{1} << 30) - 4 || v < -(int64_t{1} << 30) + 4) return false;
  }
  return true;
}

std::vector<int8_t> RandomBytes(std::mt19937& rng, size_t n, int lo = -128, int hi = 127) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(d(rng));
  return v;
}

TEST(FastKernels, ConvGemmMatchesConv2D) {
  std::mt19937 rng(1234);
  for (int iter = 0; iter < 300; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    tml_conv_2d_s8_params_t p{};
    p.batches = r(1, 2);
    // Mostly small depths; some deep ones (up to 40 groups: the 8-group steps and every
    // remainder of the Arm DSP loop, the pointwise path with input_c a multiple of 4).
    p.input_h = r(1, 7), p.input_w = r(1, 7), p.input_c = r(0, 4) == 0 ? 4 * r(1, 40) : r(1, 9);
    p.filter_h = r(1, 3), p.filter_w = r(1, 3);
    p.filter_c = p.input_c;
    p.stride_h = r(1, 2), p.stride_w = r(1, 2);
    p.dilation_h = r(1, 2), p.dilation_w = r(1, 2);
    const bool same = r(0, 1) == 1;
    const int eff_h = (p.filter_h - 1) * p.dilation_h + 1, eff_w = (p.filter_w - 1) * p.dilation_w + 1;
    if (!same && (eff_h > p.input_h || eff_w > p.input_w)) continue;
    p.output_h = same ? (p.input_h + p.stride_h - 1) / p.stride_h : (p.input_h - eff_h) / p.stride_h + 1;
    p.output_w = same ? (p.input_w + p.stride_w - 1) / p.stride_w : (p.input_w - eff_w) / p.stride_w + 1;
    p.pad_h = same ? std::max(0, ((p.output_h - 1) * p.stride_h + eff_h - p.input_h) / 2) : 0;
    p.pad_w = same ? std::max(0, ((p.output_w - 1) * p.stride_w + eff_w - p.input_w) / 2) : 0;
    p.output_c = r(1, 7);
    p.input_offset = r(-127, 128);
    p.output_offset = r(-128, 127);
    p.act_min = r(0, 1) ? -128 : r(-128, 0);
    p.act_max = r(0, 1) ? 127 : r(std::max(p.act_min, 0), 127);
    // Mostly right shifts; some channels with left shifts or big biases take TFLM's path.
    Quant q = RandomQuant(rng, p.output_c, -12, r(0, 3) == 0 ? 2 : -1);
    if (r(0, 3) == 0) {  // per-tensor
      q.mult.assign(p.output_c, q.mult[0]);
      q.shift.assign(p.output_c, q.shift[0]);
    }
    p.output_multiplier = q.mult.data();
    p.output_shift = q.shift.data();
    const int k = p.filter_h * p.filter_w * p.input_c;
    const auto w = RandomBytes(rng, static_cast<size_t>(p.output_c) * k, -127, 127);
    std::vector<int32_t> bias(p.output_c);
    const int32_t bias_range = r(0, 4) == 0 ? (1 << 29) : 20000;
    for (auto& b : bias) b = r(-bias_range, bias_range);
    const auto in = RandomBytes(rng, static_cast<size_t>(p.batches) * p.input_h * p.input_w * p.input_c);
    const size_t out_n = static_cast<size_t>(p.batches) * p.output_h * p.output_w * p.output_c;
    std::vector<int8_t> want(out_n), got(out_n, 0x55);
    tml_conv_2d_s8(&p, in.data(), w.data(), bias.data(), want.data());

    const Gemm g = PackGemm(w, bias, q, p.output_c, k, p.input_offset, 2);
    tml_conv_gemm_s8_params_t f{};
    f.batches = p.batches;
    f.input_h = p.input_h, f.input_w = p.input_w, f.input_c = p.input_c;
    f.filter_h = p.filter_h, f.filter_w = p.filter_w;
    f.output_h = p.output_h, f.output_w = p.output_w, f.output_c = p.output_c;
    f.stride_h = p.stride_h, f.stride_w = p.stride_w;
    f.dilation_h = p.dilation_h, f.dilation_w = p.dilation_w;
    f.pad_h = p.pad_h, f.pad_w = p.pad_w;
    f.input_zero_point = -p.input_offset;
    f.groups = g.groups;
    f.output_offset = p.output_offset;
    f.act_min = p.act_min, f.act_max = p.act_max;
    f.per_channel = g.per_channel;
    f.weights = g.weights.data();
    f.bias = g.bias.data();
    f.multiplier = g.mult.data();
    f.shift = g.shift.data();
    f.fold_zp = f.act_min == -128 && f.act_max == 127 && FoldZp(g, f.output_offset) && r(0, 1);
    // Columns, staging, accumulators (tml_conv_gemm.h).
    std::vector<uint32_t> scratch(7 * static_cast<size_t>(g.groups) + 3 * static_cast<size_t>((p.output_c + 1) / 2 * 2));
    tml_conv_gemm_s8(&f, in.data(), got.data(), scratch.data());
    ASSERT_EQ(want, got) << "iteration " << iter << " in " << p.input_h << "x" << p.input_w << "x"
                         << p.input_c << " filter " << p.filter_h << "x" << p.filter_w << " oc "
                         << p.output_c;
  }
}

// tml_conv_pw8_s8 (1x1 over 8 input channels, every channel in the short form, the
// activation range all of int8) against tml_conv_2d_s8; the table as
// compiler/src/ops/conv_gemm.cc packs it.
TEST(FastKernels, ConvPw8MatchesConv2D) {
  std::mt19937 rng(808);
  int checked = 0;
  for (int iter = 0; iter < 400; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    tml_conv_2d_s8_params_t p{};
    p.batches = r(1, 2);
    p.input_h = r(1, 6), p.input_w = r(1, 6), p.input_c = 8;
    p.filter_h = 1, p.filter_w = 1, p.filter_c = 8;
    p.stride_h = 1, p.stride_w = 1, p.dilation_h = 1, p.dilation_w = 1;
    p.output_h = p.input_h, p.output_w = p.input_w;
    p.output_c = r(1, 20);
    p.input_offset = r(-127, 128);
    p.output_offset = r(-128, 127);
    p.act_min = -128, p.act_max = 127;
    Quant q = RandomQuant(rng, p.output_c, -14, -1);
    p.output_multiplier = q.mult.data();
    p.output_shift = q.shift.data();
    const auto w = RandomBytes(rng, static_cast<size_t>(p.output_c) * 8, -127, 127);
    std::vector<int32_t> bias(p.output_c);
    for (auto& b : bias) b = r(-20000, 20000);
    std::vector<int32_t> table;
    bool ok = true;
    for (int c = 0; c < p.output_c && ok; ++c) {
      int64_t sum = 0, hi = 0, lo = 0;
      for (int i = 0; i < 8; ++i) {
        const int64_t v = w[c * 8 + i];
        sum += v;
        hi += v > 0 ? 127 * v : -128 * v;
        lo += v > 0 ? -128 * v : 127 * v;
      }
      const int64_t base = bias[c] + int64_t{p.input_offset} * sum;
      ok = ShortOk(base + lo, base + hi, q.mult[c], q.shift[c]);
      const int64_t e = -q.shift[c];
      const int64_t rc = (int64_t{1} << (e - 1)) + p.output_offset * (int64_t{1} << e);
      ok = ok && rc < (int64_t{1} << 30) - 4 && rc > -(int64_t{1} << 30) + 4;
      auto pair = [&](int a, int b) {
        return static_cast<int32_t>((static_cast<uint32_t>(w[c * 8 + a]) & 0xFFFFu) |
                                    (static_cast<uint32_t>(w[c * 8 + b]) << 16));
      };
      table.insert(table.end(), {static_cast<int32_t>(base), pair(0, 2), pair(1, 3), pair(4, 6),
                                 pair(5, 7), q.mult[c], static_cast<int32_t>(rc),
                                 static_cast<int32_t>(e)});
    }
    if (!ok) continue;
    const auto in = RandomBytes(rng, static_cast<size_t>(p.batches) * p.input_h * p.input_w * 8);
    const size_t out_n = static_cast<size_t>(p.batches) * p.output_h * p.output_w * p.output_c;
    std::vector<int8_t> want(out_n), got(out_n, 0x55);
    tml_conv_2d_s8(&p, in.data(), w.data(), bias.data(), want.data());
    tml_conv_pw8_s8_params_t f{};
    f.pixels = p.batches * p.input_h * p.input_w;
    f.output_c = p.output_c;
    f.table = table.data();
    tml_conv_pw8_s8(&f, in.data(), got.data());
    ASSERT_EQ(want, got) << "iteration " << iter << " oc " << p.output_c;
    ++checked;
  }
  EXPECT_GT(checked, 200);
}

TEST(FastKernels, ConvGemmDirectMatchesFullyConnected) {
  std::mt19937 rng(99);
  for (int iter = 0; iter < 200; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int k = 4 * r(1, 40), oc = r(1, 9);
    Quant q = RandomQuant(rng, oc, -14, -1);
    if (r(0, 2) == 0) {  // per-tensor: one multiplier and shift for all channels
      q.mult.assign(oc, q.mult[0]);
      q.shift.assign(oc, q.shift[0]);
    }
    tml_fully_connected_s8_params_t p{};
    p.batches = 1, p.accum_depth = k, p.output_depth = oc;
    p.input_offset = r(-127, 128);
    p.output_offset = r(-128, 127);
    p.per_channel_multiplier = q.mult.data();
    p.per_channel_shift = q.shift.data();
    p.act_min = -128, p.act_max = r(0, 1) ? 127 : r(0, 127);
    const auto w = RandomBytes(rng, static_cast<size_t>(oc) * k, -127, 127);
    std::vector<int32_t> bias(oc);
    for (auto& b : bias) b = r(-50000, 50000);
    const auto in = RandomBytes(rng, k);
    std::vector<int8_t> want(oc), got(oc, 0x55);
    tml_fully_connected_s8(&p, in.data(), w.data(), bias.data(), want.data());

    const Gemm g = PackGemm(w, bias, q, oc, k, p.input_offset, 4);
    tml_conv_gemm_s8_params_t f{};
    f.batches = 1, f.input_h = 1, f.input_w = 1, f.input_c = k;
    f.filter_h = f.filter_w = 1;
    f.output_h = f.output_w = 1, f.output_c = oc;
    f.stride_h = f.stride_w = f.dilation_h = f.dilation_w = 1;
    f.input_zero_point = -p.input_offset;
    f.groups = g.groups;
    f.output_offset = p.output_offset;
    f.act_min = p.act_min, f.act_max = p.act_max;
    f.per_channel = g.per_channel;
    f.weights = g.weights.data();
    f.bias = g.bias.data();
    f.multiplier = g.mult.data();
    f.shift = g.shift.data();
    f.fold_zp = f.act_max == 127 && FoldZp(g, f.output_offset) && r(0, 1);
    if (g.groups % 4 == 0 && r(0, 1)) {
      // The entry with a scratch for the widened input (2 * groups words).
      std::vector<uint32_t> x16(2 * static_cast<size_t>(g.groups), 0xA5A5A5A5u);
      tml_conv_gemm_s8_x16(&f, in.data(), got.data(), x16.data());
    } else {
      tml_conv_gemm_s8(&f, in.data(), got.data(), nullptr);
    }
    ASSERT_EQ(want, got) << "iteration " << iter;
  }
}

// The order contract of tml_conv_gemm.h: a 1x1, stride 1 layer run in one buffer with its
// input min_delta = max(0, (N - 1) * (Cout - Cin)) + 3 * Cout bytes above its output (what
// compiler/src/ops/conv_2d.cc declares for in-place execution) gives the same output as
// with separate buffers.
TEST(FastKernels, ConvGemmPointwiseInPlace) {
  std::mt19937 rng(4242);
  for (int iter = 0; iter < 300; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int batches = r(1, 2), h = r(1, 6), w = r(1, 6);
    const int cin = r(0, 3) == 0 ? 4 * r(1, 6) : r(1, 24), cout = r(1, 24);
    const int n = batches * h * w, k = cin;
    const Quant q = RandomQuant(rng, cout, -12, -1);
    const int32_t input_offset = r(-127, 128);
    const auto wt = RandomBytes(rng, static_cast<size_t>(cout) * k, -127, 127);
    std::vector<int32_t> bias(cout);
    for (auto& b : bias) b = r(-20000, 20000);
    const auto in = RandomBytes(rng, static_cast<size_t>(n) * cin);
    const bool direct = n == 1 && cin % 4 == 0;
    const Gemm g = PackGemm(wt, bias, q, cout, k, input_offset, direct ? 4 : 2);
    tml_conv_gemm_s8_params_t f{};
    f.batches = batches, f.input_h = h, f.input_w = w, f.input_c = cin;
    f.filter_h = f.filter_w = 1;
    f.output_h = h, f.output_w = w, f.output_c = cout;
    f.stride_h = f.stride_w = f.dilation_h = f.dilation_w = 1;
    f.input_zero_point = -input_offset;
    f.groups = g.groups;
    f.output_offset = r(-128, 127);
    f.act_min = -128, f.act_max = 127;
    f.per_channel = g.per_channel;
    f.weights = g.weights.data();
    f.bias = g.bias.data();
    f.multiplier = g.mult.data();
    f.shift = g.shift.data();
    f.fold_zp = FoldZp(g, f.output_offset) && r(0, 1);
    std::vector<uint32_t> scratch(7 * static_cast<size_t>(g.groups) + 3 * static_cast<size_t>((cout + 1) / 2 * 2));
    uint32_t* sp = direct ? nullptr : scratch.data();
    std::vector<int8_t> want(static_cast<size_t>(n) * cout);
    tml_conv_gemm_s8(&f, in.data(), want.data(), sp);

    const int64_t delta = std::max<int64_t>(0, static_cast<int64_t>(n - 1) * (cout - cin)) + 3 * cout;
    const size_t total = std::max<size_t>(static_cast<size_t>(n) * cout, static_cast<size_t>(delta) + in.size());
    std::vector<int8_t> buf(total, 0x55);
    std::copy(in.begin(), in.end(), buf.begin() + delta);
    tml_conv_gemm_s8(&f, buf.data() + delta, buf.data(), sp);
    const std::vector<int8_t> got(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(want.size()));
    ASSERT_EQ(want, got) << "iteration " << iter << " n " << n << " cin " << cin << " cout " << cout;
  }
}

TEST(FastKernels, DepthwiseFastMatchesDepthwise) {
  std::mt19937 rng(777);
  for (int iter = 0; iter < 300; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    tml_depthwise_conv_2d_s8_params_t p{};
    p.batches = r(1, 2);
    p.input_h = r(1, 8), p.input_w = r(1, 12);  // rows long enough for interior runs
    p.filter_h = r(1, 3), p.filter_w = r(1, 3);
    const int dm_choice = r(0, 3);
    p.depth_multiplier = dm_choice < 2 ? 1 : 4 * dm_choice - 4;  // 1, 4 or 8
    p.input_c = p.depth_multiplier == 1 ? 4 * r(1, 4) : r(1, 3);
    p.output_c = p.input_c * p.depth_multiplier;
    p.stride_h = r(1, 2), p.stride_w = r(1, 2);
    p.dilation_h = r(1, 2), p.dilation_w = r(1, 2);
    const bool same = r(0, 1) == 1;
    const int eff_h = (p.filter_h - 1) * p.dilation_h + 1, eff_w = (p.filter_w - 1) * p.dilation_w + 1;
    if (!same && (eff_h > p.input_h || eff_w > p.input_w)) continue;
    p.output_h = same ? (p.input_h + p.stride_h - 1) / p.stride_h : (p.input_h - eff_h) / p.stride_h + 1;
    p.output_w = same ? (p.input_w + p.stride_w - 1) / p.stride_w : (p.input_w - eff_w) / p.stride_w + 1;
    p.pad_h = same ? std::max(0, ((p.output_h - 1) * p.stride_h + eff_h - p.input_h) / 2) : 0;
    p.pad_w = same ? std::max(0, ((p.output_w - 1) * p.stride_w + eff_w - p.input_w) / 2) : 0;
    p.input_offset = r(-127, 128);
    p.output_offset = r(-128, 127);
    p.act_min = r(0, 1) ? -128 : r(-128, 0);
    p.act_max = r(0, 1) ? 127 : r(std::max(p.act_min, 0), 127);
    const int c = p.output_c, taps = p.filter_h * p.filter_w;
    const Quant q = RandomQuant(rng, c, -12, r(0, 3) == 0 ? 2 : -1);
    p.output_multiplier = q.mult.data();
    p.output_shift = q.shift.data();
    const auto w = RandomBytes(rng, static_cast<size_t>(taps) * c, -127, 127);
    std::vector<int32_t> bias(c);
    const int32_t bias_range = r(0, 4) == 0 ? (1 << 29) : 20000;
    for (auto& b : bias) b = r(-bias_range, bias_range);
    const auto in = RandomBytes(rng, static_cast<size_t>(p.batches) * p.input_h * p.input_w * p.input_c);
    const size_t out_n = static_cast<size_t>(p.batches) * p.output_h * p.output_w * c;
    std::vector<int8_t> want(out_n), got(out_n, 0x55);
    tml_depthwise_conv_2d_s8(&p, in.data(), w.data(), bias.data(), want.data());

    // Packing as compiler/src/ops/depthwise_conv_2d.cc does.
    std::vector<int> scale(c, 2);
    std::vector<int32_t> bias2(c);
    std::vector<int8_t> shifts(c);
    for (int ch = 0; ch < c; ++ch) {
      int64_t hi = 0, lo = 0;
      for (int t = 0; t < taps; ++t) {
        const int64_t v = w[t * c + ch], p1 = v * (127 + p.input_offset), p2 = v * (-128 + p.input_offset);
        hi += std::max<int64_t>(std::max(p1, p2), 0);
        lo += std::min<int64_t>(std::min(p1, p2), 0);
      }
      if (!ShortOk(bias[ch] + lo, bias[ch] + hi, q.mult[ch], q.shift[ch])) scale[ch] = 1;
      bias2[ch] = bias[ch];
      shifts[ch] = static_cast<int8_t>(scale[ch] == 1 ? q.shift[ch] - 64 : -q.shift[ch]);
    }
    std::vector<uint32_t> packed;
    for (int g = 0; g < c / 4; ++g) {
      for (int t = 0; t < taps; ++t) {
        const int8_t* v = &w[t * c + 4 * g];
        packed.push_back(Word(v[0], v[1], v[2], v[3]));
      }
    }
    tml_depthwise_fast_s8_params_t f{};
    f.batches = p.batches;
    f.input_h = p.input_h, f.input_w = p.input_w, f.channels = c;
    f.input_c = p.input_c, f.depth_multiplier = p.depth_multiplier;
    f.filter_h = p.filter_h, f.filter_w = p.filter_w;
    f.output_h = p.output_h, f.output_w = p.output_w;
    f.stride_h = p.stride_h, f.stride_w = p.stride_w;
    f.dilation_h = p.dilation_h, f.dilation_w = p.dilation_w;
    f.pad_h = p.pad_h, f.pad_w = p.pad_w;
    f.input_offset = p.input_offset;
    f.output_offset = p.output_offset;
    f.act_min = p.act_min, f.act_max = p.act_max;
    f.weights = packed.data();
    f.bias = bias2.data();
    f.multiplier = q.mult.data();
    f.shift = shifts.data();
    tml_depthwise_fast_s8(&f, in.data(), got.data());
    ASSERT_EQ(want, got) << "iteration " << iter;
  }
}

// tml_dw3x3_s8 (3x3, depth multiplier 1, stride 1 or 2, one channel at a time through a
// widened int16 plane in the scratch tml_dw3x3_scratch_bytes() sizes) against the per-channel reference tml_depthwise_conv_2d_s8, packed
// as compiler/src/ops/depthwise_conv_2d.cc does (channels that miss the short form's
// bounds are not drawn: the compiler does not select the kernel for such layers), and
// in place: the output sharing the input's memory at the distance the compiler plans.
TEST(FastKernels, Depthwise3x3MatchesDepthwise) {
  std::mt19937 rng(31337);
  int run = 0, in_place = 0, cols = 0;
  for (int iter = 0; iter < 3000 && run < 600; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    tml_depthwise_conv_2d_s8_params_t p{};
    p.batches = r(1, 2);
    p.input_h = r(1, 11), p.input_w = r(1, 13);
    if (r(0, 4) == 0) {
      // Planes for the wider column-plane interleaves (16, 32).
      p.input_w = r(14, 31);
      p.input_h = r(p.input_w, 44);
    }
    p.filter_h = p.filter_w = 3;
    p.depth_multiplier = 1;
    p.input_c = p.output_c = r(1, 3) == 1 ? r(1, 5) : r(1, 20);
    p.stride_h = p.stride_w = r(1, 2);
    p.dilation_h = p.dilation_w = 1;
    const bool same = r(0, 3) != 0;
    if (!same && (p.input_h < 3 || p.input_w < 3)) continue;
    const int s = p.stride_h;
    p.output_h = same ? (p.input_h + s - 1) / s : (p.input_h - 3) / s + 1;
    p.output_w = same ? (p.input_w + s - 1) / s : (p.input_w - 3) / s + 1;
    p.pad_h = same ? std::max(0, ((p.output_h - 1) * s + 3 - p.input_h) / 2) : 0;
    p.pad_w = same ? std::max(0, ((p.output_w - 1) * s + 3 - p.input_w) / 2) : 0;
    p.input_offset = r(0, 3) == 0 ? 128 : r(-127, 128);
    p.output_offset = r(-128, 127);
    const bool full = r(0, 2) != 0;
    p.act_min = full ? -128 : r(-128, 0);
    p.act_max = full ? 127 : r(std::max(p.act_min, 0), 127);
    const int c = p.output_c;
    const Quant q = RandomQuant(rng, c, -14, -1);
    p.output_multiplier = q.mult.data();
    p.output_shift = q.shift.data();
    auto w = RandomBytes(rng, static_cast<size_t>(9) * c, -128, 127);
    std::vector<int32_t> bias(c);
    const int32_t bias_range = r(0, 4) == 0 ? (1 << 22) : 20000;
    for (auto& b : bias) b = r(-bias_range, bias_range);
    // Extremes: all-max weights and inputs somewhere.
    if (r(0, 4) == 0) std::fill(w.begin(), w.begin() + c, static_cast<int8_t>(r(0, 1) ? 127 : -128));
    const auto in = RandomBytes(rng, static_cast<size_t>(p.batches) * p.input_h * p.input_w * c);
    const size_t out_n = static_cast<size_t>(p.batches) * p.output_h * p.output_w * c;
    std::vector<int8_t> want(out_n);
    tml_depthwise_conv_2d_s8(&p, in.data(), w.data(), bias.data(), want.data());

    // Packing and bounds as compiler/src/ops/depthwise_conv_2d.cc.
    std::vector<uint32_t> packed;
    std::vector<int8_t> shifts;
    bool ok = true;
    for (int ch = 0; ch < c && ok; ++ch) {
      int64_t hi = 0, lo = 0;
      for (int t = 0; t < 9; ++t) {
        const int64_t v = w[t * c + ch], p1 = v * (127 + p.input_offset), p2 = v * (-128 + p.input_offset);
        hi += std::max<int64_t>(std::max(p1, p2), 0);
        lo += std::min<int64_t>(std::min(p1, p2), 0);
      }
      const int64_t amax = 2 * (bias[ch] + hi), amin = 2 * (bias[ch] + lo);
      const int64_t e = -q.shift[ch];
      if (amax > INT32_MAX || amin < INT32_MIN || e < 1 || e > 30) ok = false;
      const int64_t x = (std::max(amax, -amin) * q.mult[ch] >> 32) + 1;
      if (x + (int64_t{1} << (e - 1)) + 1 + std::abs(static_cast<int64_t>(p.output_offset)) * (int64_t{1} << e) > INT32_MAX) ok = false;
      for (int ky = 0; ky < 3; ++ky) {
        const int8_t* v = &w[3 * ky * c + ch];
        packed.push_back(Word(v[0], v[c], v[c], v[2 * c]));
      }
      shifts.push_back(static_cast<int8_t>(e));
    }
    if (!ok) continue;
    ++run;
    tml_dw3x3_s8_params_t f{};
    f.batches = p.batches;
    f.input_h = p.input_h, f.input_w = p.input_w, f.channels = c;
    f.output_h = p.output_h, f.output_w = p.output_w;
    f.stride = s;
    f.pad_h = p.pad_h, f.pad_w = p.pad_w;
    f.input_offset = p.input_offset;
    f.output_offset = p.output_offset;
    f.act_min = p.act_min, f.act_max = p.act_max;
    f.words = s == 1 ? (p.output_w + 1) / 2 + 1 : p.output_w + 1;
    f.weights = packed.data();
    f.bias = bias.data();
    f.multiplier = q.mult.data();
    f.shift = shifts.data();
    // The column plane where the compiler may choose it, with the narrowest interleave
    // NL (8, 16, 32) that holds the padded row (half of those runs: both forms).
    f.cols = 0;
    if (s == 1 && p.output_h >= p.output_w && (p.output_h + 1) / 2 + 1 <= 32 && r(0, 1) == 1) {
      for (const int32_t nl : {8, 16, 32}) {
        if (p.output_w + 2 <= nl) {
          f.cols = nl;
          break;
        }
      }
    }
    if (f.cols) ++cols;
    const size_t scratch_words = static_cast<size_t>(tml_dw3x3_scratch_bytes(&f)) / 4;
    std::vector<uint32_t> ring(scratch_words + 1, 0xDEADBEEFu);
    std::vector<int8_t> got(out_n, 0x55);
    tml_dw3x3_s8(&f, in.data(), got.data(), ring.data());
    ASSERT_EQ(want, got) << "iteration " << iter << " c " << c << " " << p.input_h << "x" << p.input_w
                         << " stride " << s << " pad " << p.pad_h << "," << p.pad_w;
    ASSERT_EQ(ring.back(), 0xDEADBEEFu) << "scratch overrun, iteration " << iter;

    // In place: output m pixels below the input (the order contract's distance).
    int64_t m = 0;
    for (int b = 0; b < p.batches; ++b) {
      for (int oy = 0; oy < p.output_h; ++oy) {
        const int last = std::min(p.input_h - 1, oy * s - p.pad_h + 2);
        const int64_t read_end = static_cast<int64_t>(b) * p.input_h * p.input_w + static_cast<int64_t>(last + 1) * p.input_w;
        const int64_t out_end = static_cast<int64_t>(b) * p.output_h * p.output_w + static_cast<int64_t>(oy + 1) * p.output_w;
        m = std::max(m, out_end - read_end);
      }
    }
    const size_t delta = static_cast<size_t>(m) * c;
    std::vector<int8_t> buf(std::max(out_n, delta + in.size()), 0x55);
    std::copy(in.begin(), in.end(), buf.begin() + static_cast<std::ptrdiff_t>(delta));
    tml_dw3x3_s8(&f, buf.data() + delta, buf.data(), ring.data());
    ++in_place;
    ASSERT_EQ(want, std::vector<int8_t>(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(out_n)))
        << "in place, iteration " << iter << " m " << m;
  }
  EXPECT_GE(run, 300);
  EXPECT_EQ(in_place, run);
  EXPECT_GE(cols, 30);
}

}  // namespace
