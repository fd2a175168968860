#include "ops/sparse_weights.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

// Estimated Cortex-M4 cycles (tenths) of each form, from the kernels as measured per
// layer under qemu-cycles at -O2 (a 64-128-10 FULLY_CONNECTED model with 75 % zeros;
// VWW's pointwise layers with 1 to 10 % nonzero weights over 36 pixels): the dense fast
// path (tml_conv_gemm.h) about 2 cycles per MAC over one column, 1.45 over several; a
// sparse entry about 5.5 cycles over one column (tml_sparse_s8_vec's assembly: the digits
// MLP's 128 x 128 layer at 25 % and 10 % nonzero, 4,158 and 1,686 entries: 28,107 and
// 14,627 cycles) and 7 per column over two, plus about 43 (80) per output row; a
// clustered weight (two table look-ups per int16 pair, SMLAD): about 9 over one column
// (measured: the clustered digits model of examples/optimize), 6 per column over two
// (assumed).
constexpr int64_t kDenseOneTenths = 20, kDenseTenths = 15;
constexpr int64_t kSparseOneTenths = 55, kSparsePairTenths = 70;
constexpr int64_t kSparseRowOne = 43, kSparseRowPair = 80;
constexpr int64_t kClusteredOneTenths = 90, kClusteredTenths = 60;
// A 2:4 tap (two of every four: position nibble, input load, multiply-add): about 4.5 per
// tap over one column (measured: the digits model of examples/optimize), 3 per column
// over two (assumed), plus the sparse form's row costs.
constexpr int64_t kS24OneTenths = 45, kS24Tenths = 30;
// 2:4 pairs, per column: the table of input pairs, about 27 per group of 4 taps; per row
// a unit of 4 groups in about 20 (tml_sparse24p_s8's assembly: 10 loads side by side, 4
// SXTB16, 4 SMLAD), plus about 37 (loop, requantization). Measured: the digits MLP of
// examples/optimize pruned 2:4 (64-128-128-10, 1,616 units, 266 rows, 80 groups).
constexpr int64_t kS24pTableGroup = 27, kS24pUnitTenths = 200, kS24pRow = 37;

// int4 words (tml_int4w_s8's assembly), per step of 8 taps of a pair of rows against two
// columns: 10 loads side by side, 6 mask/shift, 8 SXTB16, 16 SMLAD, about 46 cycles for
// 32 MACs (measured: the int4 CNN of benchmarks/int4_cnn.py); one column costs the same
// per step (the second column is a copy); the columns are widened once (about 1.5 per
// tap).
constexpr int64_t kInt4Tenths = 16, kInt4OneTenths = 30, kInt4WidenTenths = 15;

// The 6 pairs of positions a 2:4 group's two weights may take (tml_sparse24p_s8.h).
constexpr int kPairPositions[6][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};

int64_t Columns(const ConvGemmShape& s) {
  return static_cast<int64_t>(s.batches) * s.output_h * s.output_w;
}
int64_t K(const ConvGemmShape& s) { return static_cast<int64_t>(s.filter_h) * s.filter_w * s.input_c; }

// (weight << 8) | delta entries of one row (gaps over 255 bridged by zero weights),
// appended to `entries` (whose size is even): an even count (padded with a zero entry).
void RowEntries(const int32_t* w, int64_t k, std::vector<int32_t>* entries) {
  int64_t prev = 0;
  for (int64_t i = 0; i < k; ++i) {
    if (w[i] == 0) continue;
    int64_t gap = i - prev;
    while (gap > 255) {
      entries->push_back(255);
      gap -= 255;
    }
    entries->push_back(w[i] * 256 + static_cast<int32_t>(gap));
    prev = i;
  }
  if (entries->size() % 2 != 0) entries->push_back(0);  // rows of whole words
}

std::string Thousands(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return (v < 0 ? "-" : "") + s;
}

}  // namespace

std::vector<int32_t> ClusterTables(const std::vector<int32_t>& weights, int64_t oc, int64_t k,
                                   std::vector<std::vector<int32_t>>* tables) {
  std::vector<std::set<int32_t>> sets;
  std::vector<int32_t> which(static_cast<size_t>(oc));
  tables->clear();
  for (int64_t o = 0; o < oc; ++o) {
    const std::set<int32_t> row(weights.begin() + o * k, weights.begin() + (o + 1) * k);
    if (row.size() > 16) return {};
    size_t t = 0;
    for (; t < sets.size(); ++t) {
      std::set<int32_t> u = sets[t];
      u.insert(row.begin(), row.end());
      if (u.size() <= 16) {
        sets[t] = std::move(u);
        break;
      }
    }
    if (t == sets.size()) sets.push_back(row);
    which[static_cast<size_t>(o)] = static_cast<int32_t>(t);
  }
  for (const auto& s : sets) tables->emplace_back(s.begin(), s.end());
  return which;
}

WeightFormCosts EstimateWeightForms(const CompressedGemm& g) {
  WeightFormCosts c;
  const int64_t oc = g.shape.output_c, k = K(g.shape), cols = Columns(g.shape);
  c.macs = oc * k * cols;
  std::set<int32_t> all;
  bool channels_fit = true;
  for (int64_t o = 0; o < oc; ++o) {
    std::set<int32_t> row;
    std::vector<int32_t> e;
    RowEntries(&g.weights[o * k], k, &e);
    c.entries += static_cast<int64_t>(e.size());
    c.max_row_entries = std::max<int64_t>(c.max_row_entries, static_cast<int64_t>(e.size()));
    for (int64_t i = 0; i < k; ++i) {
      const int32_t w = g.weights[o * k + i];
      c.nonzeros += w != 0;
      row.insert(w);
      all.insert(w);
    }
    channels_fit = channels_fit && row.size() <= 16;
  }
  c.distinct = static_cast<int>(all.size());
  c.dense_bytes = oc * k;
  if (c.max_row_entries <= 65535) c.sparse_bytes = 2 * c.entries + 2 * oc;
  c.dense_cycles = c.macs * (cols >= 2 ? kDenseTenths : kDenseOneTenths) / 10;
  if (c.sparse_bytes >= 0) {
    c.sparse_cycles = cols >= 2 ? c.entries * cols * kSparsePairTenths / 10 + (cols + 1) / 2 * oc * kSparseRowPair
                              : c.entries * kSparseOneTenths / 10 + oc * kSparseRowOne;
  }
  // 2:4: every group of 4 taps of every row holds at most 2 nonzero weights.
  bool two_four = true;
  for (int64_t o = 0; o < oc && two_four; ++o) {
    for (int64_t q = 0; q < k && two_four; q += 4) {
      int nz = 0;
      for (int64_t i = q; i < std::min(k, q + 4); ++i) nz += g.weights[static_cast<size_t>(o * k + i)] != 0;
      two_four = nz <= 2;
    }
  }
  if (two_four) {
    const int64_t groups = (k + 3) / 4;
    c.s24_bytes = oc * (2 * groups + (groups + 1) / 2);
    c.s24_cycles = cols >= 2 ? 4 * groups * oc * cols * kS24Tenths / 10 + (cols + 1) / 2 * oc * kSparseRowPair
                             : 4 * groups * oc * kS24OneTenths / 10 + oc * kSparseRowOne;
    const int64_t units = (groups + 3) / 4;
    c.s24p_bytes = oc * units * 12;
    c.s24p_cycles = cols * (4 * units * kS24pTableGroup + oc * (units * kS24pUnitTenths / 10 + kS24pRow));
  }
  // int4 words: every weight in [-8, 7], and the kernel's sum of 16 * w * x within int32
  // (16 * 128 * sum |w| per row).
  bool nibbles = true;
  int64_t max_abs_sum = 0;
  for (int64_t o = 0; o < oc && nibbles; ++o) {
    int64_t abs_sum = 0;
    for (int64_t i = 0; i < k && nibbles; ++i) {
      const int32_t w = g.weights[static_cast<size_t>(o * k + i)];
      nibbles = w >= -8 && w <= 7;
      abs_sum += w < 0 ? -w : w;
    }
    max_abs_sum = std::max(max_abs_sum, abs_sum);
  }
  if (nibbles && 16 * 128 * max_abs_sum <= INT32_MAX) {
    c.int4_bytes = (oc + 1) / 2 * ((k + 3) / 4) * 4;
    c.int4_cycles = c.macs * (cols >= 2 ? kInt4Tenths : kInt4OneTenths) / 10 + cols * k * kInt4WidenTenths / 10;
  }
  if (all.size() <= 16 || channels_fit) {
    // One table, tables shared by channels (a byte per channel names its table), or past
    // 256 tables one per channel.
    std::vector<std::vector<int32_t>> tables;
    ClusterTables(g.weights, oc, k, &tables);
    c.clustered_tables = static_cast<int64_t>(tables.size());
    c.per_channel_table = c.clustered_tables > 1;
    c.clustered_bytes = oc * ((k + 1) / 2) + (c.clustered_tables == 1   ? 16
                                              : c.clustered_tables <= 256 ? 16 * c.clustered_tables + oc
                                                                          : 16 * oc);
    c.clustered_cycles = c.macs * (cols >= 2 ? kClusteredTenths : kClusteredOneTenths) / 10;
  }
  return c;
}

bool LowerCompressedGemm(LowerContext& ctx, const CompressedGemm& g_in, LayerCode* out) {
  const ConvGemmShape& s = g_in.shape;
  const int64_t oc = s.output_c, k = K(s), cols = Columns(s);
  if (oc <= 0 || k <= 0 || static_cast<int64_t>(g_in.weights.size()) != oc * k) return false;
  if (static_cast<int64_t>(g_in.multiplier.size()) != oc || static_cast<int64_t>(g_in.shift.size()) != oc) return false;
  // Constant channels in the form the short requantization takes (conv_gemm.h).
  CompressedGemm g = g_in;
  std::vector<int32_t> bias_values;
  ConstantChannels(g.bias, *g.output, g.act_min, g.act_max, k, &g.weights, &bias_values, &g.multiplier, &g.shift);
  const WeightFormCosts c = EstimateWeightForms(g);
  // The folded bias, and the accumulator bound: |bias| + 128 * sum |w| within int32.
  const int64_t input_offset = -static_cast<int64_t>(g.input->zero_point());
  std::vector<int32_t> folded(static_cast<size_t>(oc));
  for (int64_t o = 0; o < oc; ++o) {
    int64_t b = bias_values[static_cast<size_t>(o)], sum = 0, abs_sum = 0;
    for (int64_t i = 0; i < k; ++i) {
      const int64_t w = g.weights[o * k + i];
      if (w < INT8_MIN || w > INT8_MAX) return false;
      sum += w;
      abs_sum += w < 0 ? -w : w;
    }
    const int64_t base = b + input_offset * sum;
    if ((base < 0 ? -base : base) + 128 * abs_sum > INT32_MAX) return false;
    folded[static_cast<size_t>(o)] = static_cast<int32_t>(base);
  }

  // The choice.
  enum Form { kDense, kSparse, kS24, kS24Pairs, kClustered, kInt4 } form = kDense;
  struct Option {
    Form form;
    int64_t bytes, cycles;
  };
  std::vector<Option> compressed;
  if (c.sparse_bytes >= 0) compressed.push_back({kSparse, c.sparse_bytes, c.sparse_cycles});
  if (c.s24_bytes >= 0) compressed.push_back({kS24, c.s24_bytes, c.s24_cycles});
  if (c.s24p_bytes >= 0) compressed.push_back({kS24Pairs, c.s24p_bytes, c.s24p_cycles});
  if (c.clustered_bytes >= 0) compressed.push_back({kClustered, c.clustered_bytes, c.clustered_cycles});
  // The baseline the modes weigh the compressed forms against: the dense int8 bytes, or
  // for int4 weights the int4 words (an int4 model never grows to int8 bytes).
  int64_t base_bytes = c.dense_bytes, base_cycles = c.dense_cycles;
  if (g.int4_source) {
    if (c.int4_bytes < 0) {
      out->weight_form = "int4 weights beyond the int4 words' range";
      return false;
    }
    form = kInt4, base_bytes = c.int4_bytes, base_cycles = c.int4_cycles;
  } else if (c.int4_bytes >= 0) {
    compressed.push_back({kInt4, c.int4_bytes, c.int4_cycles});
  }
  // LUT-compressed weights keep a compressed form: the clustered one (when it holds
  // them) is the baseline, and leaves the list of the others. --sparse off decodes them
  // to dense int8 bytes instead (the fastest kernels, the flash of an uncompressed model).
  bool compressed_base = g.int4_source;
  if (g.lut_source && !g.int4_source && c.clustered_bytes >= 0 && ctx.sparse() != SparseMode::kOff) {
    compressed.erase(std::remove_if(compressed.begin(), compressed.end(),
                                    [](const Option& o) { return o.form == kClustered; }),
                     compressed.end());
    form = kClustered, base_bytes = c.clustered_bytes, base_cycles = c.clustered_cycles;
    compressed_base = true;
  }
  switch (ctx.sparse()) {
    case SparseMode::kOff:
      break;
    case SparseMode::kAuto: {  // the fastest of those smaller and faster than dense
      int64_t best = base_cycles;
      for (const Option& o : compressed) {
        // The pairs' table (24 bytes of scratch per 4 taps) is RAM that --optimize size /
        // ram and --memory-budget do not spend.
        if (o.form == kS24Pairs && ctx.small_scratch()) continue;
        if (o.bytes < base_bytes && o.cycles < best) form = o.form, best = o.cycles;
      }
      break;
    }
    case SparseMode::kForce: {  // the smallest compressed form, even where dense is smaller
      int64_t best = compressed_base ? base_bytes : INT64_MAX;
      for (const Option& o : compressed) {
        if (o.bytes < best) form = o.form, best = o.bytes;
      }
      break;
    }
    case SparseMode::kFast: {  // the fastest compressed form, even where dense is faster
      int64_t best = compressed_base ? base_cycles : INT64_MAX;
      for (const Option& o : compressed) {
        if (o.cycles < best) form = o.form, best = o.cycles;
      }
      break;
    }
    case SparseMode::kSize: {  // the smallest form
      int64_t best = base_bytes;
      for (const Option& o : compressed) {
        if (o.bytes < best) form = o.form, best = o.bytes;
      }
      break;
    }
  }
  const double density = c.macs > 0 ? 100.0 * static_cast<double>(c.nonzeros) / static_cast<double>(oc * k) : 0.0;
  auto num = [](int64_t v) { return v >= 0 ? Thousands(v) : std::string("-"); };
  const std::string why = fmt::format(
      "{:.1f}% nonzero, {} values; weight bytes dense {} / sparse {} / 2:4 {} / 2:4 pairs {} / "
      "clustered {} / int4 words {}; est. M4 cycles dense {} / sparse {} / 2:4 {} / 2:4 pairs {} / "
      "clustered {} / int4 words {}",
      density, c.distinct, num(g.int4_source ? -1 : c.dense_bytes), num(c.sparse_bytes),
      num(c.s24_bytes), num(c.s24p_bytes), num(c.clustered_bytes), num(c.int4_bytes),
      num(g.int4_source ? -1 : c.dense_cycles), num(c.sparse_cycles), num(c.s24_cycles),
      num(c.s24p_cycles), num(c.clustered_cycles), num(c.int4_cycles));
  if (form == kDense) {
    out->weight_form = "dense (" + why + ")";
    return false;
  }

  const bool uniform =
      std::all_of(g.multiplier.begin(), g.multiplier.end(), [&](int32_t m) { return m == g.multiplier[0]; }) &&
      std::all_of(g.shift.begin(), g.shift.end(), [&](int32_t e) { return e == g.shift[0]; });
  // Requantization per channel in the fast kernels' encoding (tml_fast_output()): the
  // short form (shift = the right shift e >= 1) where the channel's bounds prove it equal
  // to TFLM's for every input, else TFLM's (shift - 64). With a = 2 * acc and
  // acc = folded bias + sum w * x over x in [-128, 127]: |a| < 2^31 and
  // |x| + 2^(e-1) < 2^31 for x the rounded high product (the conditions of
  // tml_fast_common.h). A layer with one multiplier and shift keeps one form for all.
  std::vector<int32_t> enc(static_cast<size_t>(oc));
  bool any_tflm = false;
  for (int64_t o = 0; o < oc; ++o) {
    int64_t hi = 0, lo = 0;
    for (int64_t i = 0; i < k; ++i) {
      const int64_t w = g.weights[o * k + i];
      hi += w > 0 ? 127 * w : -128 * w;
      lo += w > 0 ? -128 * w : 127 * w;
    }
    const int64_t m = g.multiplier[o], sh = g.shift[o];
    const int64_t amax = 2 * (folded[o] + hi), amin = 2 * (folded[o] + lo);
    bool short_form = sh <= -1 && sh >= -31 && m >= (int64_t{1} << 30) && amax <= INT32_MAX &&
                      amin >= INT32_MIN;
    if (short_form) {
      const int64_t xmax = (std::max(amax, -amin) * m >> 32) + 1;
      short_form = xmax + (int64_t{1} << (-sh - 1)) + 1 <= INT32_MAX;
    }
    enc[o] = short_form ? static_cast<int32_t>(-sh) : static_cast<int32_t>(sh - 64);
    any_tflm = any_tflm || !short_form;
  }
  if (uniform && any_tflm) {
    for (int64_t o = 0; o < oc; ++o) enc[o] = g.shift[o] - 64;
  }
  if (any_tflm) out->options.push_back("TML_OPT_FAST_TFLM");
  const bool pointwise = s.filter_h == 1 && s.filter_w == 1 && s.stride_h == 1 && s.stride_w == 1 &&
                         s.pad_h == 0 && s.pad_w == 0 && s.input_h == s.output_h &&
                         s.input_w == s.output_w;
  const std::string columns =
      fmt::format("{{ .columns = {}, .k = {}, .im2col = {}, .input_h = {}, .input_w = {}, "
                  ".input_c = {}, .filter_h = {}, .filter_w = {}, .output_h = {}, .output_w = {}, "
                  ".stride_h = {}, .stride_w = {}, .dilation_h = {}, .dilation_w = {}, .pad_h = {}, "
                  ".pad_w = {}, .input_zero_point = {} }}",
                  cols, k, pointwise ? 0 : 1, s.input_h, s.input_w, s.input_c, s.filter_h,
                  s.filter_w, s.output_h, s.output_w, s.stride_h, s.stride_w, s.dilation_h,
                  s.dilation_w, s.pad_h, s.pad_w, g.input->zero_point());
  out->decls += "/* bias + input_offset * sum(weights) */\n";
  out->decls += CArray("int32_t", ctx.Sym("bias"), folded);
  if (uniform) {
    out->decls += CArray("int32_t", ctx.Sym("multiplier"), {g.multiplier[0]});
    out->decls += CArray("int32_t", ctx.Sym("shift"), {enc[0]});
  } else {
    out->decls += CArray("int32_t", ctx.Sym("multiplier"), g.multiplier);
    out->decls += CArray("int32_t", ctx.Sym("shift"), enc);
  }
  out->weight_bytes += 4 * oc + (uniform ? 8 : 8 * oc);
  // Scratch: two gathered columns (im2col); a pointwise layer over several columns: 16 of
  // its columns at a time transposed for the Helium path of tml_sparse_s8 (rows of the
  // columns rounded up to 8, at most 16; TML_SPARSE_MVE_STRIDE), unused on other targets.
  const bool mve_transpose = form == kSparse && pointwise && cols >= 2 && k <= 9362;
  const int64_t units = ((k + 3) / 4 + 3) / 4;  // 2:4 pairs: units of 4 groups per row
  const int64_t int4_groups = (k + 3) / 4;  // int4 words: a word per 4 taps of a row pair
  out->scratch_bytes = form == kS24Pairs ? 96 * units + (pointwise ? 0 : k)
                       : form == kInt4   ? 16 * int4_groups + 16 * ((oc + 1) / 2) + (pointwise ? 0 : 2 * k)
                       : !pointwise      ? 2 * k
                       : mve_transpose   ? std::min<int64_t>((cols + 7) / 8 * 8, 16) * k
                                         : 0;
  const std::string scratch = out->scratch_bytes > 0 ? "(int8_t *)(void *)@S@" : "NULL";

  // A form's params struct: the shared leading fields, the form's own, bias and
  // requantization last (the kernels' struct order).
  using Fields = std::vector<std::pair<std::string, std::string>>;
  auto params = [&](const std::string& type, const Fields& own) {
    CStruct st(type, ctx.Sym("params"));
    st.Field("cols", columns)
        .Field("output_c", oc)
        .Field("output_offset", g.output->zero_point())
        .Field("act_min", g.act_min)
        .Field("act_max", g.act_max)
        .Field("per_channel", uniform ? 0 : 1);
    for (const auto& f : own) st.Field(f.first, f.second);
    return st.Field("bias", ctx.Sym("bias"))
        .Field("multiplier", ctx.Sym("multiplier"))
        .Field("shift", ctx.Sym("shift"))
        .Str();
  };
  if (form == kSparse) {
    std::vector<int32_t> entries, counts;
    for (int64_t o = 0; o < oc; ++o) {
      const size_t before = entries.size();
      RowEntries(&g.weights[o * k], k, &entries);
      counts.push_back(static_cast<int32_t>(entries.size() - before));
    }
    out->weight_form = "sparse (" + why + ")";
    out->kernels = {"tml_fast_common.h", "tml_sparse_s8.h"};
    out->decls += fmt::format("/* {} x {} weights: {} entries (weight << 8) | distance */\n", oc, k,
                              entries.size());
    out->decls += CArray("uint16_t", ctx.Sym("weights_rows"), counts);
    std::vector<uint32_t> words;  // two entries per word: 4-byte aligned rows
    for (size_t i = 0; i < entries.size(); i += 2) {
      words.push_back((static_cast<uint32_t>(entries[i]) & 0xFFFFu) |
                      (static_cast<uint32_t>(entries[i + 1]) << 16));
    }
    out->decls += CArrayU32(ctx.Sym("weights"), words);
    out->weight_bytes += 2 * static_cast<int64_t>(entries.size()) + 2 * oc;
    out->decls += params("tml_sparse_s8_params_t", {{"row_entries", ctx.Sym("weights_rows")},
                                                   {"entries", "(const int16_t *)(const void *)" + ctx.Sym("weights")}});
    out->body = pointwise && cols == 1
                    ? fmt::format("tml_sparse_s8_vec(&{}, {}, {});", ctx.Sym("params"),
                                  ctx.Ptr(g.input), ctx.Ptr(g.output))
                    : fmt::format("tml_sparse_s8(&{}, {}, {}, {});", ctx.Sym("params"),
                                  ctx.Ptr(g.input), ctx.Ptr(g.output), scratch);
    return true;
  }

  if (form == kS24) {
    const int64_t groups = (k + 3) / 4, code_bytes = (groups + 1) / 2;
    std::vector<int32_t> w24, codes;
    for (int64_t o = 0; o < oc; ++o) {
      std::vector<int32_t> nibbles;
      for (int64_t q = 0; q < groups; ++q) {
        const int64_t valid = std::min<int64_t>(4, k - 4 * q);  // positions below k
        int64_t pos[2] = {0, 0};
        int32_t val[2] = {0, 0};
        int n = 0;
        for (int64_t i = 0; i < valid; ++i) {
          const int32_t w = g.weights[static_cast<size_t>(o * k + 4 * q + i)];
          if (w != 0) pos[n] = i, val[n] = w, ++n;
        }
        if (n < 2) pos[1] = n == 1 && pos[0] == 0 && valid > 1 ? 1 : 0;  // a weight-0 slot
        w24.push_back(val[0]);
        w24.push_back(val[1]);
        nibbles.push_back(static_cast<int32_t>(pos[0] | (pos[1] << 2)));
      }
      for (int64_t b = 0; b < code_bytes; ++b) {
        const int32_t lo = nibbles[static_cast<size_t>(2 * b)];
        const int32_t hi = 2 * b + 1 < groups ? nibbles[static_cast<size_t>(2 * b + 1)] : 0;
        codes.push_back(lo | (hi << 4));
      }
    }
    out->weight_form = "2:4 (" + why + ")";
    out->kernels = {"tml_fast_common.h", "tml_sparse_s8.h", "tml_sparse24_s8.h"};
    out->decls += fmt::format("/* {} x {} weights in the 2:4 pattern: two per group of 4 taps, "
                              "positions in 4 bits */\n", oc, k);
    out->decls += CArray("int8_t", ctx.Sym("weights"), w24);
    out->decls += CArray("uint8_t", ctx.Sym("table0"), codes);
    out->weight_bytes += static_cast<int64_t>(w24.size() + codes.size());
    out->decls += params("tml_sparse24_s8_params_t", {{"weights", ctx.Sym("weights")}, {"codes", ctx.Sym("table0")}});
    out->body = fmt::format("tml_sparse24_s8(&{}, {}, {}, {});", ctx.Sym("params"),
                            ctx.Ptr(g.input), ctx.Ptr(g.output), scratch);
    return true;
  }

  if (form == kS24Pairs) {
    // Per unit of 4 groups: the weights of groups 0, 1 and 2, 3 as bytes a0 a1 b0 b1,
    // then their code bytes 24 q + 6 j + s, q = (u + pad) % 4 the unit's place in the
    // kernel's steps of 4 (tml_sparse24p_s8.h).
    const int64_t groups = (k + 3) / 4, pad = (4 - units % 4) % 4;
    std::vector<uint32_t> words;
    for (int64_t o = 0; o < oc; ++o) {
      for (int64_t u = 0; u < units; ++u) {
        uint32_t codes = 0, wab[2] = {0, 0};
        for (int64_t j = 0; j < 4; ++j) {
          const int64_t q = 4 * u + j;
          int32_t v[4] = {0, 0, 0, 0};
          for (int64_t i = 0; i < 4 && q < groups && 4 * q + i < k; ++i) {
            v[i] = g.weights[static_cast<size_t>(o * k + 4 * q + i)];
          }
          int s = 0;  // the first pair of positions holding every nonzero weight
          while (s < 5) {
            bool holds = true;
            for (int i = 0; i < 4; ++i) {
              holds = holds && (v[i] == 0 || i == kPairPositions[s][0] || i == kPairPositions[s][1]);
            }
            if (holds) break;
            ++s;
          }
          codes |= static_cast<uint32_t>(24 * ((u + pad) % 4) + 6 * j + s) << (8 * j);
          const uint32_t a = static_cast<uint8_t>(static_cast<int8_t>(v[kPairPositions[s][0]]));
          const uint32_t b = static_cast<uint8_t>(static_cast<int8_t>(v[kPairPositions[s][1]]));
          wab[j / 2] |= (a << (8 * (j & 1))) | (b << (16 + 8 * (j & 1)));
        }
        words.push_back(wab[0]);
        words.push_back(wab[1]);
        words.push_back(codes);
      }
    }
    out->weight_form = "2:4 pairs (" + why + ")";
    out->kernels = {"tml_fast_common.h", "tml_sparse_s8.h", "tml_sparse24p_s8.h"};
    out->decls += fmt::format("/* {} x {} weights in the 2:4 pattern: per unit of 4 groups of 4 taps "
                              "a word of pair codes and two words of weights */\n", oc, k);
    out->decls += CArrayU32(ctx.Sym("weights"), words);
    out->weight_bytes += 4 * static_cast<int64_t>(words.size());
    out->decls += params("tml_sparse24p_s8_params_t", {{"units", std::to_string(units)}, {"rows", ctx.Sym("weights")}});
    out->body = fmt::format("tml_sparse24p_s8(&{}, {}, {}, {});", ctx.Sym("params"),
                            ctx.Ptr(g.input), ctx.Ptr(g.output), scratch);
    return true;
  }

  if (form == kInt4) {
    // Rows in pairs, a word per 4 taps: byte j = (row 2r+1 tap << 4) | (row 2r tap & 15).
    std::vector<uint32_t> words;
    for (int64_t o = 0; o < oc; o += 2) {
      auto tap = [&](int64_t row, int64_t i) -> uint32_t {
        return row < oc && i < k ? static_cast<uint32_t>(g.weights[static_cast<size_t>(row * k + i)]) & 15u : 0u;
      };
      for (int64_t q = 0; q < int4_groups; ++q) {
        uint32_t v = 0;
        for (int64_t j = 0; j < 4; ++j) v |= (tap(o, 4 * q + j) | (tap(o + 1, 4 * q + j) << 4)) << (8 * j);
        words.push_back(v);
      }
    }
    out->weight_form = "int4 words (" + why + ")";
    out->kernels = {"tml_fast_common.h", "tml_sparse_s8.h", "tml_int4w_s8.h"};
    out->decls += fmt::format("/* {} x {} weights in [-8, 7], rows in pairs: byte j of word g is "
                              "(row 2r+1 tap 4g+j << 4) | (row 2r tap 4g+j & 15) */\n", oc, k);
    out->decls += CArrayU32(ctx.Sym("weights"), words);
    out->weight_bytes += 4 * static_cast<int64_t>(words.size());
    out->decls += params("tml_int4w_s8_params_t", {{"weights", ctx.Sym("weights")}});
    out->body = fmt::format("tml_int4w_s8(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(g.input),
                            ctx.Ptr(g.output), "(int8_t *)(void *)@S@");
    return true;
  }

  // Clustered: sorted tables of 16, one for the tensor, one per group of channels that
  // fit together (a byte per channel names it), or past 256 groups one per channel.
  std::vector<std::vector<int32_t>> groups;
  std::vector<int32_t> which = ClusterTables(g.weights, oc, k, &groups);
  const bool own_tables = groups.size() > 256, indexed = groups.size() > 1 && !own_tables;
  if (own_tables) {
    groups.clear();
    for (int64_t o = 0; o < oc; ++o) {
      const std::set<int32_t> v(g.weights.begin() + o * k, g.weights.begin() + (o + 1) * k);
      groups.emplace_back(v.begin(), v.end());
      which[static_cast<size_t>(o)] = static_cast<int32_t>(o);
    }
  }
  std::vector<int32_t> table, indices;
  for (auto& v : groups) {
    v.resize(16, 0);
    table.insert(table.end(), v.begin(), v.end());
  }
  const int64_t row_bytes = (k + 1) / 2;
  for (int64_t o = 0; o < oc; ++o) {
    const std::vector<int32_t>& values = groups[static_cast<size_t>(which[static_cast<size_t>(o)])];
    auto index = [&](int64_t i) -> int32_t {
      if (i >= k) return 0;
      const int32_t w = g.weights[o * k + i];
      return static_cast<int32_t>(std::find(values.begin(), values.end(), w) - values.begin());
    };
    for (int64_t b = 0; b < row_bytes; ++b) indices.push_back(index(2 * b) | (index(2 * b + 1) << 4));
  }
  out->weight_form = fmt::format("clustered, {} table{}{} ({})", groups.size(), groups.size() > 1 ? "s" : "",
                                 indexed ? " shared by the channels" : "", why);
  out->kernels = {"tml_fast_common.h", "tml_sparse_s8.h", "tml_clustered_s8.h"};
  out->decls += fmt::format("/* {} x {} weights as 4-bit indices, two per byte */\n", oc, k);
  out->decls += CArray("uint8_t", ctx.Sym("weights"), indices);
  out->decls += CArray("int8_t", ctx.Sym("table0"), table);
  out->weight_bytes += static_cast<int64_t>(indices.size() + table.size());
  if (indexed) {
    out->decls += CArray("uint8_t", ctx.Sym("table_index"), which);
    out->weight_bytes += oc;
  }
  out->decls += params("tml_clustered_s8_params_t", {{"table_stride", own_tables ? "16" : "0"},
                                                   {"indices", ctx.Sym("weights")},
                                                   {"table", ctx.Sym("table0")},
                                                   {"table_index", indexed ? ctx.Sym("table_index") : "NULL"}});
  out->body = fmt::format("tml_clustered_s8(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(g.input),
                          ctx.Ptr(g.output), scratch);
  return true;
}

}  // namespace tinymlc
