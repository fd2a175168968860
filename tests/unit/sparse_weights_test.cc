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
std::string Lowered(const Layer& l, SparseMode mode, LayerCode* code) {
  Graph graph;
  Operator op;
  op.index = 0;
  op.name = "FULLY_CONNECTED";
  LowerContext ctx(graph, op, "m");
  ctx.set_sparse(mode);
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
}

TEST(SparseWeights, TwoFourNeedsAtMostTwoPerGroup) {
  std::vector<int32_t> w = {1, 2, 0, 0, 0, 0, 3, 4};  // 2:4
  EXPECT_GT(EstimateWeightForms(Layer(1, 8, w).g).s24_bytes, 0);
  w[2] = 5;  // three nonzeros in the first group
  EXPECT_EQ(EstimateWeightForms(Layer(1, 8, w).g).s24_bytes, -1);
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
  EXPECT_EQ(c.clustered_bytes, 2 * 24 + 2 * 16);
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
}

}  // namespace
}  // namespace tinymlc
