// The compressed-weight kernels (tml_sparse_s8.h, tml_clustered_s8.h, tml_sparse24_s8.h,
// tml_sparse24p_s8.h, tml_int4w_s8.h) against the dense
// reference kernels (tml_conv_2d_s8, tml_fully_connected_s8) on random layers with
// random sparse or clustered weights: padded, strided, dilated convolutions over several
// batches, pointwise ones read in place, fully connected layers over several batches,
// rows with gaps over 255 taps (bridged by zero-weight entries), empty rows, per-channel
// and uniform requantization, per-tensor and per-channel tables.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#define TML_KERNEL
#define TML_DECLARATIONS_ONLY
extern "C" {
#include "tml_common.h"
#include "tml_conv_2d.h"
#include "tml_fully_connected.h"
#include "tml_sparse_s8.h"
#include "tml_clustered_s8.h"
#include "tml_sparse24_s8.h"
#include "tml_sparse24p_s8.h"
#include "tml_int4w_s8.h"
}

namespace {

using Rng = std::mt19937;
int R(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

// The weights a pruned (density), 2:4-pruned (values < 0: at most 2 nonzero per group of
// 4 taps) or clustered (values > 0: that many distinct values per channel or per tensor)
// layer has: [oc][k].
std::vector<int8_t> Weights(Rng& rng, int oc, int k, double density, int values, bool per_channel) {
  std::vector<int8_t> w(static_cast<size_t>(oc) * k, 0);
  std::vector<int8_t> table;
  auto new_table = [&] {
    table.clear();
    for (int i = 0; i < values; ++i) table.push_back(static_cast<int8_t>(R(rng, -128, 127)));
  };
  if (values > 0) new_table();
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int o = 0; o < oc; ++o) {
    if (values > 0 && per_channel) new_table();
    for (int i = 0; i < k; ++i) {
      int8_t v;
      if (values > 0) {
        v = table[static_cast<size_t>(R(rng, 0, values - 1))];
      } else if (values < 0) {
        // Two random slots of each group of 4 keep a value (possibly 0).
        const int slot = i % 4, a = (o * 7 + i / 4) % 4, b = (a + 1 + (i / 4) % 3) % 4;
        v = (slot == a || slot == b) ? static_cast<int8_t>(R(rng, -128, 127)) : 0;
      } else {
        v = u(rng) < density ? static_cast<int8_t>(R(rng, -128, 127)) : 0;
      }
      w[static_cast<size_t>(o) * k + i] = v;
    }
  }
  return w;
}

// The stored forms, built from the kernels' documented formats.
struct Sparse {
  std::vector<uint16_t> counts;
  std::vector<int16_t> entries;
};
Sparse ToSparse(const std::vector<int8_t>& w, int oc, int k) {
  Sparse s;
  for (int o = 0; o < oc; ++o) {
    const size_t before = s.entries.size();
    int prev = 0;
    for (int i = 0; i < k; ++i) {
      const int v = w[static_cast<size_t>(o) * k + i];
      if (v == 0) continue;
      int gap = i - prev;
      for (; gap > 255; gap -= 255) s.entries.push_back(255);
      s.entries.push_back(static_cast<int16_t>(v * 256 + gap));
      prev = i;
    }
    if ((s.entries.size() - before) % 2 != 0) s.entries.push_back(0);  // whole words
    s.counts.push_back(static_cast<uint16_t>(s.entries.size() - before));
  }
  return s;
}
struct Clustered {
  std::vector<uint8_t> indices;
  std::vector<int8_t> table;
  int stride = 0;
};
Clustered ToClustered(const std::vector<int8_t>& w, int oc, int k) {
  Clustered c;
  const std::set<int8_t> all(w.begin(), w.end());
  c.stride = all.size() <= 16 ? 0 : 16;
  std::vector<int8_t> values;
  auto make = [&](size_t first, size_t last) {
    const std::set<int8_t> v(w.begin() + static_cast<ptrdiff_t>(first), w.begin() + static_cast<ptrdiff_t>(last));
    values.assign(v.begin(), v.end());
    EXPECT_LE(values.size(), 16u);
    values.resize(16, 0);
    c.table.insert(c.table.end(), values.begin(), values.end());
  };
  if (c.stride == 0) make(0, w.size());
  for (int o = 0; o < oc; ++o) {
    const size_t row = static_cast<size_t>(o) * k;
    if (c.stride) make(row, row + k);
    auto index = [&](int i) -> uint8_t {
      if (i >= k) return 0;
      for (uint8_t j = 0; j < 16; ++j) {
        if (values[j] == w[row + static_cast<size_t>(i)]) return j;
      }
      return 0;
    };
    for (int b = 0; b < (k + 1) / 2; ++b) {
      c.indices.push_back(static_cast<uint8_t>(index(2 * b) | (index(2 * b + 1) << 4)));
    }
  }
  return c;
}

// The 2:4 form (tml_sparse24_s8.h): per group 2 weights and their positions (below k).
struct S24 {
  std::vector<int8_t> weights;
  std::vector<uint8_t> codes;
};
bool ToS24(const std::vector<int8_t>& w, int oc, int k, S24* out) {
  const int groups = (k + 3) / 4;
  for (int o = 0; o < oc; ++o) {
    std::vector<uint8_t> nib;
    for (int q = 0; q < groups; ++q) {
      int pos[2] = {0, 0}, n = 0;
      int8_t val[2] = {0, 0};
      for (int i = 0; i < 4 && 4 * q + i < k; ++i) {
        const int8_t v = w[static_cast<size_t>(o) * k + 4 * q + i];
        if (v == 0) continue;
        if (n == 2) return false;
        pos[n] = i, val[n] = v, ++n;
      }
      out->weights.push_back(val[0]);
      out->weights.push_back(val[1]);
      nib.push_back(static_cast<uint8_t>(pos[0] | (pos[1] << 2)));
    }
    for (int b = 0; b < (groups + 1) / 2; ++b) {
      const int hi = 2 * b + 1 < groups ? nib[static_cast<size_t>(2 * b + 1)] : 0;
      out->codes.push_back(static_cast<uint8_t>(nib[static_cast<size_t>(2 * b)] | (hi << 4)));
    }
  }
  return true;
}

// The "2:4 pairs" form (tml_sparse24p_s8.h): units of 4 groups, 3 words each (the
// weights of groups 0, 1 and 2, 3 as bytes a0 a1 b0 b1, then the codes).
struct S24P {
  int units = 0;
  std::vector<uint32_t> rows;
};
bool ToS24P(const std::vector<int8_t>& w, int oc, int k, S24P* out) {
  static const int kPair[6][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
  const int groups = (k + 3) / 4;
  out->units = (groups + 3) / 4;
  for (int o = 0; o < oc; ++o) {
    for (int u = 0; u < out->units; ++u) {
      uint32_t codes = 0, wab[2] = {0, 0};
      for (int j = 0; j < 4; ++j) {
        const int g = 4 * u + j;
        int8_t v[4] = {0, 0, 0, 0};
        int n = 0;
        for (int i = 0; i < 4 && g < groups && 4 * g + i < k; ++i) {
          v[i] = w[static_cast<size_t>(o) * k + 4 * g + i];
          n += v[i] != 0;
        }
        if (n > 2) return false;
        int s = 0;
        for (int c = 0; c < 6; ++c) {  // the first pattern covering every nonzero
          bool covers = true;
          for (int i = 0; i < 4; ++i) covers = covers && (v[i] == 0 || i == kPair[c][0] || i == kPair[c][1]);
          if (covers) {
            s = c;
            break;
          }
        }
        const int q = (u + (4 - out->units % 4) % 4) % 4;
        codes |= static_cast<uint32_t>(24 * q + 6 * j + s) << (8 * j);
        const uint32_t a = static_cast<uint8_t>(v[kPair[s][0]]), b = static_cast<uint8_t>(v[kPair[s][1]]);
        wab[j / 2] |= (a << (8 * (j & 1))) | (b << (16 + 8 * (j & 1)));
      }
      out->rows.push_back(wab[0]);
      out->rows.push_back(wab[1]);
      out->rows.push_back(codes);
    }
  }
  return true;
}

// The 4-bit words (tml_int4w_s8.h): rows in pairs (an odd last row with a zero row),
// ceil(k / 4) words per pair, byte j of word g (row 2r+1 tap 4g+j << 4) | (row 2r tap
// 4g+j & 15). Empty when a weight is outside [-8, 7].
std::vector<uint32_t> ToInt4W(const std::vector<int8_t>& w, int oc, int k) {
  std::vector<uint32_t> words;
  for (int o = 0; o < oc; o += 2) {
    for (int g = 0; g < (k + 3) / 4; ++g) {
      uint32_t v = 0;
      for (int j = 0; j < 4; ++j) {
        auto tap = [&](int row, int i) -> int {
          return row < oc && i < k ? w[static_cast<size_t>(row) * k + i] : 0;
        };
        const int lo = tap(o, 4 * g + j), hi = tap(o + 1, 4 * g + j);
        if (lo < -8 || lo > 7 || hi < -8 || hi > 7) return {};
        v |= static_cast<uint32_t>(((hi & 15) << 4) | (lo & 15)) << (8 * j);
      }
      words.push_back(v);
    }
  }
  return words;
}

std::vector<int32_t> FoldedBias(const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                                bool has_bias, int oc, int k, int input_offset) {
  std::vector<int32_t> f(static_cast<size_t>(oc));
  for (int o = 0; o < oc; ++o) {
    int32_t sum = 0;
    for (int i = 0; i < k; ++i) sum += w[static_cast<size_t>(o) * k + i];
    f[static_cast<size_t>(o)] = (has_bias ? bias[static_cast<size_t>(o)] : 0) + input_offset * sum;
  }
  return f;
}

// Runs both compressed kernels on `cols` and `w` and expects `want`.
void ExpectBoth(const tml_gemm_columns_t& cols, int oc, int output_offset, int act_min, int act_max,
                const std::vector<int8_t>& w, const std::vector<int32_t>& folded,
                const std::vector<int32_t>& m, const std::vector<int32_t>& s, bool uniform,
                bool clusterable, bool two_four, const std::vector<int8_t>& in,
                const std::vector<int8_t>& want, const std::string& what) {
  // The fast kernels' encoding: the short form where TFLM's shift is a right shift (the
  // test layers' bounds allow it), else TFLM's form (shift - 64).
  std::vector<int32_t> enc;
  for (int32_t v : s) enc.push_back(v <= -1 ? -v : v - 64);
  const Sparse sp = ToSparse(w, oc, cols.k);
  std::vector<int8_t> scratch(3 * static_cast<size_t>(cols.k) + 1, 55);  // clustered: 3k
  tml_sparse_s8_params_t p{};
  p.cols = cols;
  p.output_c = oc, p.output_offset = output_offset, p.act_min = act_min, p.act_max = act_max;
  p.per_channel = uniform ? 0 : 1;
  p.row_entries = sp.counts.data(), p.entries = sp.entries.data();
  p.bias = folded.data(), p.multiplier = m.data(), p.shift = enc.data();
  std::vector<int8_t> got(want.size(), 3);
  tml_sparse_s8(&p, in.data(), got.data(), scratch.data());
  ASSERT_EQ(got, want) << "sparse " << what;
  ASSERT_EQ(scratch.back(), 55);
  if (cols.columns == 1 && cols.im2col == 0) {
    std::vector<int8_t> got1(want.size(), 3);
    tml_sparse_s8_vec(&p, in.data(), got1.data());
    ASSERT_EQ(got1, want) << "sparse, one column " << what;
  }
  S24 s24;
  if (ToS24(w, oc, cols.k, &s24)) {
    tml_sparse24_s8_params_t r{};
    r.cols = cols;
    r.output_c = oc, r.output_offset = output_offset, r.act_min = act_min, r.act_max = act_max;
    r.per_channel = p.per_channel;
    r.weights = s24.weights.data(), r.codes = s24.codes.data();
    r.bias = folded.data(), r.multiplier = m.data(), r.shift = enc.data();
    std::vector<int8_t> got3(want.size(), 3);
    tml_sparse24_s8(&r, in.data(), got3.data(), scratch.data());
    ASSERT_EQ(got3, want) << "2:4 " << what;
    S24P pairs;
    ASSERT_TRUE(ToS24P(w, oc, cols.k, &pairs));
    tml_sparse24p_s8_params_t r2{};
    r2.cols = cols;
    r2.output_c = oc, r2.output_offset = output_offset, r2.act_min = act_min, r2.act_max = act_max;
    r2.per_channel = p.per_channel, r2.units = pairs.units;
    r2.rows = pairs.rows.data();
    r2.bias = folded.data(), r2.multiplier = m.data(), r2.shift = enc.data();
    std::vector<uint32_t> scratch4((TML_SPARSE24P_SCRATCH(pairs.units, cols.k, cols.im2col) + 3) / 4 + 1, 55);
    std::vector<int8_t> got4(want.size(), 3);
    tml_sparse24p_s8(&r2, in.data(), got4.data(), reinterpret_cast<int8_t*>(scratch4.data()));
    ASSERT_EQ(got4, want) << "2:4 pairs " << what;
    ASSERT_EQ(scratch4.back(), 55u) << "2:4 pairs scratch " << what;
  } else {
    ASSERT_FALSE(two_four) << "2:4 weights expected " << what;
  }
  const std::vector<uint32_t> words = ToInt4W(w, oc, cols.k);
  if (!words.empty()) {
    tml_int4w_s8_params_t r{};
    r.cols = cols;
    r.output_c = oc, r.output_offset = output_offset, r.act_min = act_min, r.act_max = act_max;
    r.per_channel = p.per_channel, r.weights = words.data();
    r.bias = folded.data(), r.multiplier = m.data(), r.shift = enc.data();
    // Two widened columns, the sums, then the gathered windows; a guard word after them.
    std::vector<uint32_t> scratch4(4 * static_cast<size_t>((cols.k + 3) / 4) + 4 * static_cast<size_t>((oc + 1) / 2) +
                                   (cols.k + 1) / 2 + 1, 55);
    std::vector<int8_t> got6(want.size(), 3);
    tml_int4w_s8(&r, in.data(), got6.data(), reinterpret_cast<int8_t*>(scratch4.data()));
    ASSERT_EQ(got6, want) << "4-bit words " << what;
    ASSERT_EQ(scratch4.back(), 55u) << "4-bit words scratch " << what;
  }
  if (!clusterable) return;
  const Clustered cl = ToClustered(w, oc, cols.k);
  tml_clustered_s8_params_t q{};
  q.cols = cols;
  q.output_c = oc, q.output_offset = output_offset, q.act_min = act_min, q.act_max = act_max;
  q.per_channel = p.per_channel, q.table_stride = cl.stride;
  q.indices = cl.indices.data(), q.table = cl.table.data();
  q.bias = folded.data(), q.multiplier = m.data(), q.shift = enc.data();
  std::vector<int8_t> got2(want.size(), 3);
  tml_clustered_s8(&q, in.data(), got2.data(), scratch.data());
  ASSERT_EQ(got2, want) << "clustered " << what;
  ASSERT_EQ(scratch.back(), 55);
  if (cl.stride == 16 && oc > 1) {
    // The same tables named per channel (table_index), stored in reverse order.
    std::vector<int8_t> reversed;
    std::vector<uint8_t> index;
    for (int o = oc - 1; o >= 0; --o) {
      reversed.insert(reversed.end(), cl.table.begin() + 16 * o, cl.table.begin() + 16 * o + 16);
    }
    for (int o = 0; o < oc; ++o) index.push_back(static_cast<uint8_t>(oc - 1 - o));
    q.table = reversed.data(), q.table_index = index.data(), q.table_stride = 0;
    std::vector<int8_t> got5(want.size(), 3);
    tml_clustered_s8(&q, in.data(), got5.data(), scratch.data());
    ASSERT_EQ(got5, want) << "clustered, tables by index " << what;
  }
}

void RandomQuant(Rng& rng, int n, bool uniform, std::vector<int32_t>* m, std::vector<int32_t>* s) {
  for (int i = 0; i < n; ++i) {
    if (uniform && i > 0) {
      m->push_back((*m)[0]), s->push_back((*s)[0]);
      continue;
    }
    m->push_back(static_cast<int32_t>((1u << 30) + (rng() & 0x3FFFFFFFu)));
    s->push_back(R(rng, -12, 1));
  }
}

TEST(SparseKernels, Conv2DMatchesDense) {
  Rng rng(151);
  const double densities[] = {0.0, 0.05, 0.25, 0.5, 1.0};
  for (int iter = 0; iter < 300; ++iter) {
    tml_conv_2d_s8_params_t p{};
    p.batches = R(rng, 1, 2);
    p.input_h = R(rng, 1, 7), p.input_w = R(rng, 1, 7), p.input_c = R(rng, 1, 12);
    p.filter_c = p.input_c;
    p.output_c = R(rng, 1, 9);
    const bool pointwise = R(rng, 0, 3) == 0;
    p.filter_h = pointwise ? 1 : R(rng, 1, 3), p.filter_w = pointwise ? 1 : R(rng, 1, 3);
    p.stride_h = pointwise ? 1 : R(rng, 1, 2), p.stride_w = pointwise ? 1 : R(rng, 1, 2);
    p.dilation_h = R(rng, 1, 2), p.dilation_w = R(rng, 1, 2);
    p.pad_h = pointwise ? 0 : R(rng, 0, 1), p.pad_w = pointwise ? 0 : R(rng, 0, 1);
    p.output_h = pointwise ? p.input_h : R(rng, 1, 5), p.output_w = pointwise ? p.input_w : R(rng, 1, 5);
    const int input_zp = R(rng, -128, 127);
    p.input_offset = -input_zp, p.output_offset = R(rng, -128, 127);
    p.act_min = R(rng, -128, 0), p.act_max = R(rng, 0, 127);
    const bool uniform = R(rng, 0, 1) == 1;
    std::vector<int32_t> m, s;
    RandomQuant(rng, p.output_c, uniform, &m, &s);
    p.output_multiplier = m.data(), p.output_shift = s.data();
    const int k = p.filter_h * p.filter_w * p.input_c;
    const int pick = R(rng, 0, 3);
    const int values = pick == 0 ? R(rng, 1, 16) : pick == 1 ? -1 : 0;
    const bool per_channel_table = R(rng, 0, 1) == 1;
    auto w = Weights(rng, p.output_c, k, densities[iter % 5], values, per_channel_table);
    if (iter % 4 == 3) {
      for (auto& v : w) v = static_cast<int8_t>(v >> 4);  // int4 weights: [-8, 7]
    }
    std::vector<int8_t> in(static_cast<size_t>(p.batches * p.input_h * p.input_w * p.input_c));
    for (auto& x : in) x = static_cast<int8_t>(R(rng, -128, 127));
    std::vector<int32_t> bias(static_cast<size_t>(p.output_c));
    for (auto& b : bias) b = R(rng, -20000, 20000);
    const bool has_bias = R(rng, 0, 3) != 0;
    std::vector<int8_t> want(static_cast<size_t>(p.batches * p.output_h * p.output_w * p.output_c), 0);
    tml_conv_2d_s8(&p, in.data(), w.data(), has_bias ? bias.data() : nullptr, want.data());

    tml_gemm_columns_t c{};
    c.columns = p.batches * p.output_h * p.output_w;
    c.k = k;
    c.im2col = pointwise ? 0 : 1;
    c.input_h = p.input_h, c.input_w = p.input_w, c.input_c = p.input_c;
    c.filter_h = p.filter_h, c.filter_w = p.filter_w, c.output_h = p.output_h, c.output_w = p.output_w;
    c.stride_h = p.stride_h, c.stride_w = p.stride_w, c.dilation_h = p.dilation_h;
    c.dilation_w = p.dilation_w, c.pad_h = p.pad_h, c.pad_w = p.pad_w;
    c.input_zero_point = input_zp;
    const auto folded = FoldedBias(w, bias, has_bias, p.output_c, k, p.input_offset);
    ExpectBoth(c, p.output_c, p.output_offset, p.act_min, p.act_max, w, folded, m, s, uniform,
               values > 0, values < 0, in, want, "iter " + std::to_string(iter));
  }
}

TEST(SparseKernels, FullyConnectedMatchesDense) {
  Rng rng(152);
  const double densities[] = {0.0, 0.003, 0.1, 0.25, 0.5, 0.9};
  for (int iter = 0; iter < 300; ++iter) {
    tml_fully_connected_s8_params_t p{};
    p.batches = R(rng, 1, 3);
    // Long rows at low densities: gaps over 255 taps.
    p.accum_depth = iter % 3 == 0 ? R(rng, 256, 1200) : R(rng, 1, 70);
    p.output_depth = R(rng, 1, 12);
    const int input_zp = R(rng, -128, 127);
    p.input_offset = -input_zp, p.output_offset = R(rng, -128, 127);
    p.act_min = R(rng, -128, 0), p.act_max = R(rng, 0, 127);
    const bool uniform = R(rng, 0, 1) == 1;
    std::vector<int32_t> m, s;
    RandomQuant(rng, p.output_depth, uniform, &m, &s);
    if (uniform) {
      p.output_multiplier = m[0], p.output_shift = s[0];  // per tensor, filter offset 0
    } else {
      p.per_channel_multiplier = m.data(), p.per_channel_shift = s.data();
    }
    const int k = p.accum_depth;
    const int pick = R(rng, 0, 3);
    const int values = pick == 0 ? R(rng, 1, 16) : pick == 1 ? -1 : 0;
    auto w = Weights(rng, p.output_depth, k, densities[iter % 6], values, R(rng, 0, 1) == 1);
    if (iter % 4 == 3) {
      for (auto& v : w) v = static_cast<int8_t>(v >> 4);  // int4 weights: [-8, 7]
    }
    std::vector<int8_t> in(static_cast<size_t>(p.batches * k));
    for (auto& x : in) x = static_cast<int8_t>(R(rng, -128, 127));
    std::vector<int32_t> bias(static_cast<size_t>(p.output_depth));
    for (auto& b : bias) b = R(rng, -20000, 20000);
    const bool has_bias = R(rng, 0, 3) != 0;
    std::vector<int8_t> want(static_cast<size_t>(p.batches * p.output_depth), 0);
    tml_fully_connected_s8(&p, in.data(), w.data(), has_bias ? bias.data() : nullptr, want.data());

    tml_gemm_columns_t c{};
    c.columns = p.batches, c.k = k, c.im2col = 0;
    c.input_h = 1, c.input_w = p.batches, c.input_c = k;
    c.filter_h = c.filter_w = 1, c.output_h = 1, c.output_w = p.batches;
    c.stride_h = c.stride_w = c.dilation_h = c.dilation_w = 1;
    c.input_zero_point = input_zp;
    const auto folded = FoldedBias(w, bias, has_bias, p.output_depth, k, p.input_offset);
    ExpectBoth(c, p.output_depth, p.output_offset, p.act_min, p.act_max, w, folded, m, s, uniform,
               values > 0, values < 0, in, want, "iter " + std::to_string(iter));
  }
}

// The entry format by hand: taps 0 (w 3), 300 (w -2: a filler of 255 then 45) and 301.
TEST(SparseKernels, EntriesHandComputed) {
  std::vector<int8_t> w(310, 0);
  w[0] = 3, w[300] = -2, w[301] = 127;
  const Sparse s = ToSparse(w, 1, 310);
  ASSERT_EQ(s.counts, std::vector<uint16_t>{4});
  EXPECT_EQ(s.entries, (std::vector<int16_t>{3 * 256 + 0, 255, -2 * 256 + 45, 127 * 256 + 1}));
  // An odd row ends with a zero entry.
  EXPECT_EQ(ToSparse(std::vector<int8_t>{0, 5, 0}, 1, 3).entries, (std::vector<int16_t>{5 * 256 + 1, 0}));
  std::vector<int8_t> in(310, 0);
  in[0] = 10, in[300] = -7, in[301] = 1;
  // acc = 3 * 10 + (-2) * (-7) + 127 = 171; multiplier 2^30 and TFLM shift 1 (a left
  // shift: TFLM's form, encoded 1 - 64): x * 2 * 2^30 * 2 / 2^32 = x.
  const int32_t bias = 0, mult = 1 << 30, shift = 1 - 64;
  tml_sparse_s8_params_t p{};
  p.cols.columns = 1, p.cols.k = 310;
  p.output_c = 1, p.act_min = -128, p.act_max = 127, p.output_offset = -100;
  p.row_entries = s.counts.data(), p.entries = s.entries.data();
  p.bias = &bias, p.multiplier = &mult, p.shift = &shift;
  int8_t out = 0;
  tml_sparse_s8(&p, in.data(), &out, nullptr);
  EXPECT_EQ(out, 71);  // 171 - 100
}

}  // namespace
