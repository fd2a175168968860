// The weight forms' cost model and the --sparse choice (compiler/src/ops/sparse_weights.cc)
// on hand-made layers: entry counts and bytes computed by hand, which form each mode picks.
#include "ops/sparse_weights.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tinymlc {
namespace {

Tensor Int8(std::vector<int32_t> shape, float scale, int32_t zp) {
  Tensor t;
  t.dtype = DType::kInt8;
  t.shape = std::move(shape);
  t.quant.scale = {scale};
  t.quant.zero_point = {zp};
  return t;
}

// A FULLY_CONNECTED layer over one batch: [oc][k] weights, multiplier 2^30, shift -3.
struct Layer {
  Tensor input, output;
  CompressedGemm g;
  Layer(int32_t oc, int32_t k, std::vector<int32_t> w)
      : input(Int8({1, k}, 0.5f, -3)), output(Int8({1, oc}, 0.25f, 5)) {
    g.shape = ConvGemmShape{1, 1, 1, k, 1, 1, 1, 1, oc};
    g.input = &input;
    g.output = &output;
    g.weights = std::move(w);
    g.multiplier.assign(static_cast<size_t>(oc), 1 << 30);
    g.shift.assign(static_cast<size_t>(oc), -3);
  }
};

// Lowers the layer under `mode` and returns the kernel it calls ("" for dense).
std::string Lowered(const Layer& l, SparseMode mode, LayerCode* code, bool small_scratch = false) {
  Graph graph;
  Operator op;
  op.index = 0;
  op.name = "FULLY_CONNECTED";
  LowerContext ctx(graph, op, "m");
  ctx.set_sparse(mode);
  ctx.set_small_scratch(small_scratch);
  if (!LowerCompressedGemm(ctx, l.g, code)) return "";
  return code->body.substr(0, code->body.find('('));
}

TEST(SparseWeights, EntriesAndBytesByHand) {
  // Row 0: taps 0 (3) and 299 (-2): entries tap 0, a filler (255), tap 299 (distance 44),
  // and a padding entry (whole words): 4. Row 1: no nonzero weight: 0 entries.
  std::vector<int32_t> w(600, 0);
  w[0] = 3, w[299] = -2;
  const Layer l(2, 300, w);
  const WeightFormCosts c = EstimateWeightForms(l.g);
  EXPECT_EQ(c.macs, 600);
  EXPECT_EQ(c.nonzeros, 2);
  EXPECT_EQ(c.entries, 4);
  EXPECT_EQ(c.dense_bytes, 600);
  EXPECT_EQ(c.sparse_bytes, 2 * 4 + 2 * 2);  // entries + a 16-bit count per row
  EXPECT_EQ(c.distinct, 3);                  // -2, 0, 3: one table for the tensor
  EXPECT_FALSE(c.per_channel_table);
  EXPECT_EQ(c.clustered_bytes, 2 * 150 + 16);  // 4-bit indices + 16 table entries
  // 2:4: every group of 4 taps holds at most 2 nonzeros: 2 weights + half a byte per group.
  EXPECT_EQ(c.s24_bytes, 2 * (2 * 75 + 38));
  // 2:4 pairs: 75 groups in 19 units of 4, 12 bytes each.
  EXPECT_EQ(c.s24p_bytes, 2 * 19 * 12);
  // int4 words (every weight in [-8, 7]): one pair of rows, a word per 4 taps.
  EXPECT_EQ(c.int4_bytes, 1 * 75 * 4);
}

TEST(SparseWeights, TwoFourNeedsAtMostTwoPerGroup) {
  std::vector<int32_t> w = {1, 2, 0, 0, 0, 0, 3, 4};  // 2:4
  EXPECT_GT(EstimateWeightForms(Layer(1, 8, w).g).s24_bytes, 0);
  w[2] = 5;  // three nonzeros in the first group
  EXPECT_EQ(EstimateWeightForms(Layer(1, 8, w).g).s24_bytes, -1);
  EXPECT_EQ(EstimateWeightForms(Layer(1, 8, w).g).s24p_bytes, -1);
}

TEST(SparseWeights, TwoFourPairsWords) {
  // 64 equal rows of 20 taps (5 groups: 2 units, the first entered at place 2 of a step
  // of 4; rows enough that the pairs' table pays and `fast` takes them):
  // group 0 weights at taps 1, 3 (pattern 4: (1, 3)); group 1 one weight at tap 6
  // (position 2: the first pattern holding it, (0, 2) = 1); group 2 none (pattern 0);
  // group 3 taps 12, 13 (pattern 0); group 4 taps 18, 19 (pattern 5).
  std::vector<int32_t> w(20 * 64, 0);
  for (size_t r = 0; r < w.size(); r += 20) {
    // (70: not 4 bits, or `fast` would take the int4 words)
    w[r + 1] = -1, w[r + 3] = 2, w[r + 6] = 3, w[r + 12] = 4, w[r + 13] = -5, w[r + 18] = 6, w[r + 19] = 70;
  }
  const Layer l(64, 20, w);
  EXPECT_EQ(EstimateWeightForms(l.g).s24p_bytes, 64 * 24);
  LayerCode code;
  EXPECT_EQ(Lowered(l, SparseMode::kFast, &code), "tml_sparse24p_s8");
  EXPECT_EQ(code.weight_form.rfind("2:4 pairs (", 0), 0u) << code.weight_form;
  EXPECT_NE(code.decls.find(".units = 2"), std::string::npos) << code.decls;
  // Unit 0 (place 2 of 4): weights of groups 0, 1 as a0 a1 b0 b1 = -1 0 2 3, of groups 2,
  // 3 = 0 4 0 -5; codes 48 + 6 j + s: 52, 55, 60, 66. Unit 1 (place 3): group 4 (taps 18,
  // 19: pattern 5) and three empty groups: weights 6 0 70 0, 0; codes 72 + 6 j + s: 77, 78,
  // 84, 90.
  const std::vector<std::string> words = {"0x030200ffu", "0xfb000400u", "0x423c3734u",
                                          "0x00460006u", "0x00000000u", "0x5a544e4du"};
  size_t at = 0;
  for (const std::string& word : words) {
    const size_t next = code.decls.find(word, at);
    ASSERT_NE(next, std::string::npos) << word << " in " << code.decls;
    at = next;
  }
}

TEST(SparseWeights, ClusteredPerChannelTables) {
  // 12 values per row, 24 in the tensor: one table per output channel.
  std::vector<int32_t> w;
  for (int o = 0; o < 2; ++o) {
    for (int i = 0; i < 48; ++i) w.push_back(o * 12 + i % 12 - 12);
  }
  const WeightFormCosts c = EstimateWeightForms(Layer(2, 48, w).g);
  EXPECT_EQ(c.distinct, 24);
  EXPECT_TRUE(c.per_channel_table);
  EXPECT_EQ(c.clustered_tables, 2);
  EXPECT_EQ(c.clustered_bytes, 2 * 24 + 2 * 16 + 2);  // indices, tables, a table byte per channel
}

TEST(SparseWeights, ClusteredChannelsShareTables) {
  // 6 channels of 16 taps: channels 0, 2, 4 take values from {-8..-1, 1..8} (a subset
  // each), channels 1, 3, 5 from {20..35}: 32 values in the tensor, two tables of 16
  // (first fit), channel c's table c % 2.
  std::vector<int32_t> w;
  for (int o = 0; o < 6; ++o) {
    for (int i = 0; i < 16; ++i) {
      const int v = (o % 2 == 0) ? (i % (6 + o) < 8 ? -(i % (6 + o)) - 1 : i % (6 + o) - 7) : 20 + (i + o) % 16;
      w.push_back(v);
    }
  }
  const Layer l(6, 16, w);
  const WeightFormCosts c = EstimateWeightForms(l.g);
  EXPECT_EQ(c.clustered_tables, 2);
  EXPECT_EQ(c.clustered_bytes, 6 * 8 + 2 * 16 + 6);
  std::vector<std::vector<int32_t>> tables;
  EXPECT_EQ(ClusterTables(l.g.weights, 6, 16, &tables), (std::vector<int32_t>{0, 1, 0, 1, 0, 1}));
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[1].front(), 20);
  EXPECT_EQ(tables[1].back(), 35);
  LayerCode code;
  EXPECT_EQ(Lowered(l, SparseMode::kSize, &code), "tml_clustered_s8");
  EXPECT_NE(code.decls.find("table_index"), std::string::npos) << code.decls;
  EXPECT_NE(code.weight_form.find("2 tables shared by the channels"), std::string::npos) << code.weight_form;
}

TEST(SparseWeights, Int4WordsByHand) {
  // Int4 weights (the model stores them 4 bits): int4 words under every mode, even off.
  // 3 rows of 5 taps: rows 0, 1 share words, row 2 pairs with a row of zeros.
  const std::vector<int32_t> w = {1, -1, 2, -8, 7,    // row 0
                                  0, 3, -2, 5, -4,    // row 1
                                  -3, 4, 0, 1, 6};    // row 2
  Layer l(3, 5, w);
  l.g.int4_source = true;
  EXPECT_EQ(EstimateWeightForms(l.g).int4_bytes, 2 * 2 * 4);
  for (SparseMode mode : {SparseMode::kOff, SparseMode::kAuto, SparseMode::kFast}) {
    LayerCode code;
    EXPECT_EQ(Lowered(l, mode, &code), "tml_int4w_s8");
    EXPECT_EQ(code.weight_form.rfind("int4 words (", 0), 0u) << code.weight_form;
    // Two widened columns (16 bytes per 4 taps), the sums (16 bytes per pair of rows).
    EXPECT_EQ(code.scratch_bytes, 16 * 2 + 16 * 2);
    // Byte j of a word: (row 2r+1 tap << 4) | (row 2r tap & 15). Pair 0: taps 0..3 give
    // 0x01, 0x3f, 0xe2, 0x58, tap 4 0xc7; pair 1: 0x0d, 0x04, 0x00, 0x01, then 0x06.
    const std::vector<std::string> words = {"0x58e23f01u", "0x000000c7u", "0x0100040du",
                                            "0x00000006u"};
    size_t at = 0;
    for (const std::string& word : words) {
      const size_t next = code.decls.find(word, at);
      ASSERT_NE(next, std::string::npos) << word << " in " << code.decls;
      at = next;
    }
  }
  // Int8 weights that fit 4 bits: not taken by auto over one column (slower than dense),
  // taken by size (128 bytes against clustered 144 and dense 256).
  std::vector<int32_t> small(4 * 64);
  for (size_t i = 0; i < small.size(); ++i) small[i] = static_cast<int32_t>(i * 5 % 16) - 8;
  const Layer int8(4, 64, small);
  EXPECT_EQ(EstimateWeightForms(int8.g).int4_bytes, 128);
  EXPECT_EQ(EstimateWeightForms(int8.g).clustered_bytes, 144);
  LayerCode a, z;
  EXPECT_EQ(Lowered(int8, SparseMode::kAuto, &a), "");
  EXPECT_EQ(Lowered(int8, SparseMode::kSize, &z), "tml_int4w_s8");
}

TEST(SparseWeights, ModesPickTheirForms) {
  // 1 nonzero in 20 over long rows: sparse is smaller and faster than dense.
  std::vector<int32_t> sparse(64 * 400, 0);
  for (size_t i = 0; i < sparse.size(); i += 20) sparse[i] = 7;
  const Layer pruned(64, 400, sparse);
  LayerCode code;
  EXPECT_EQ(Lowered(pruned, SparseMode::kAuto, &code), "tml_sparse_s8_vec");
  EXPECT_NE(code.weight_form.find("sparse (5.0% nonzero"), std::string::npos) << code.weight_form;
  LayerCode off;
  EXPECT_EQ(Lowered(pruned, SparseMode::kOff, &off), "");
  EXPECT_EQ(off.weight_form.rfind("dense (", 0), 0u) << off.weight_form;
  EXPECT_TRUE(off.decls.empty());  // nothing written for the dense path

  // Dense weights with 16 values: auto keeps dense (the clustered kernel is slower), size
  // and force take clustered (the smallest).
  std::vector<int32_t> clustered(32 * 64);
  for (size_t i = 0; i < clustered.size(); ++i) clustered[i] = static_cast<int32_t>(i * 7 % 16) - 8;
  for (auto& v : clustered) v = v == 0 ? 9 : v;  // no zero weight
  const Layer sixteen(32, 64, clustered);
  LayerCode a, s, f;
  EXPECT_EQ(Lowered(sixteen, SparseMode::kAuto, &a), "");
  EXPECT_EQ(Lowered(sixteen, SparseMode::kSize, &s), "tml_clustered_s8");
  EXPECT_EQ(Lowered(sixteen, SparseMode::kForce, &f), "tml_clustered_s8");

  // Dense weights with every value: force still compresses (sparse), size keeps dense.
  std::vector<int32_t> full(8 * 32);
  for (size_t i = 0; i < full.size(); ++i) full[i] = static_cast<int32_t>(i * 37 % 255) - 127;
  for (auto& v : full) v = v == 0 ? 1 : v;
  const Layer dense(8, 32, full);
  LayerCode d1, d2;
  EXPECT_EQ(Lowered(dense, SparseMode::kSize, &d1), "");
  EXPECT_EQ(Lowered(dense, SparseMode::kForce, &d2), "tml_sparse_s8_vec");

  // 2:4 weights over long rows: size and force take the 4-bit positions (the smallest),
  // fast and auto the pairs (faster than dense at 6 bits per tap).
  std::vector<int32_t> two_four(64 * 128, 0);
  for (size_t i = 0; i < two_four.size(); i += 4) {
    two_four[i + 1] = static_cast<int32_t>(i / 4 % 50) + 1, two_four[i + 2] = -static_cast<int32_t>(i / 4 % 30) - 1;
  }
  const Layer half(64, 128, two_four);
  LayerCode t1, t2, t3, t4;
  EXPECT_EQ(Lowered(half, SparseMode::kSize, &t1), "tml_sparse24_s8");
  EXPECT_EQ(Lowered(half, SparseMode::kForce, &t2), "tml_sparse24_s8");
  EXPECT_EQ(Lowered(half, SparseMode::kFast, &t3), "tml_sparse24p_s8");
  EXPECT_EQ(Lowered(half, SparseMode::kAuto, &t4), "tml_sparse24p_s8");
  EXPECT_EQ(t4.scratch_bytes, 96 * 8);  // the table: 32 groups of 6 pairs
  // --optimize size / ram: not the table's RAM; the next fastest smaller than dense, or dense.
  LayerCode t5;
  EXPECT_NE(Lowered(half, SparseMode::kAuto, &t5, /*small_scratch=*/true), "tml_sparse24p_s8");
}

}  // namespace
}  // namespace tinymlc
