// The patch rewrite (compiler/src/passes/patch.h) on a hand-built graph, against rows,
// paddings and halos computed by hand.
//
// Graph: input t0 [1,8,4,1] -> CONV_2D 3x3 stride 1 SAME (pad 1) -> t3 [1,8,4,2]
//        -> CONV_2D 3x3 stride 2 SAME (pad 0: (4-1)*2 + 3 - 8 = 1, halved down) -> t6 [1,4,2,2].
// Two patches split after operator 1: rows [0,2) and [2,4) of t6.
//   patch 0: t6 rows [0,2) read t3 rows [0,5) (0*2-0 .. 1*2+2+1); t3 rows [0,5) read t0 rows
//            [0,6) (-1 clamped .. 4+1+1); top padding 1 (image border), then 0.
//   patch 1: t6 rows [2,4) read t3 rows [4,8) (2*2 .. min(3*2+3, 8)); t0 rows [3,8);
//            paddings 1 + 3 - 4 = 0 and 0 + 4 - 4 = 0. Halo of t0: 6 - 3 = 3 rows.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "passes/patch.h"
#include "tinymlc/ir.h"

namespace tinymlc {
namespace {

Tensor Act(int index, std::vector<int32_t> shape) {
  Tensor t;
  t.index = index;
  t.name = "t" + std::to_string(index);
  t.dtype = DType::kInt8;
  t.shape = std::move(shape);
  t.quant.scale = {0.1f};
  t.quant.zero_point = {0};
  return t;
}

Tensor Const(int index, std::vector<int32_t> shape, DType dtype) {
  Tensor t = Act(index, std::move(shape));
  t.dtype = dtype;
  t.is_constant = true;
  t.data.assign(static_cast<size_t>(t.Bytes()), 1);
  return t;
}

Graph TwoConvs() {
  Graph g;
  g.tensors = {Act(0, {1, 8, 4, 1}),  Const(1, {2, 3, 3, 1}, DType::kInt8),
               Const(2, {2}, DType::kInt32), Act(3, {1, 8, 4, 2}),
               Const(4, {2, 3, 3, 2}, DType::kInt8), Const(5, {2}, DType::kInt32),
               Act(6, {1, 4, 2, 2})};
  Operator c1;
  c1.index = 0, c1.builtin_code = 3, c1.name = "CONV_2D";
  c1.inputs = {0, 1, 2}, c1.outputs = {3};
  c1.options = Conv2DOptions{};
  Operator c2 = c1;
  c2.index = 1;
  c2.inputs = {3, 4, 5}, c2.outputs = {6};
  Conv2DOptions o2;
  o2.stride_h = o2.stride_w = 2;
  c2.options = o2;
  g.ops = {c1, c2};
  g.inputs = {0};
  g.outputs = {6};
  return g;
}

int32_t BandPad(const Operator& op) { return std::get<Conv2DOptions>(op.options).band_pad_h; }

// Rows of the tensor `t` views (its own rows when it is not a view), given the row bytes.
int64_t ViewRow(const Graph& g, int t, int64_t row_bytes) { return g.tensors[t].view_offset / row_bytes; }

TEST(Patch, CandidatesEndWhereEveryOtherTensorStaysInside) {
  const Graph g = TwoConvs();
  const PatchCandidates c = FindPatchCandidates(g, {false, false});
  EXPECT_EQ(c.first_op, 0);
  EXPECT_EQ(c.splits, (std::vector<int>{0, 1}));
  // A folded operator cannot start a prefix... and ends the run.
  EXPECT_TRUE(FindPatchCandidates(g, {true, true}).splits.empty());
}

TEST(Patch, RecomputedHaloRowsAndPaddings) {
  Graph g = TwoConvs();
  std::vector<bool> folded = {false, false};
  PatchPlan plan;
  plan.first_op = 0, plan.split_op = 1, plan.patches = 2;
  ASSERT_TRUE(ApplyPatchPlan(&g, &folded, &plan).ok());
  EXPECT_EQ(plan.cut_tensor, 6);
  EXPECT_EQ(plan.cut_rows, (std::vector<int>{0, 2, 4}));
  EXPECT_EQ(plan.halo_rows, 3);
  ASSERT_EQ(g.ops.size(), 4u);  // two copies per patch
  EXPECT_EQ(folded.size(), 4u);
  // Patch 0.
  const Operator& a0 = g.ops[0];
  const Operator& b0 = g.ops[1];
  EXPECT_EQ(a0.patch, 0);
  EXPECT_EQ(a0.patch_source, 0);
  EXPECT_EQ(b0.patch_source, 1);
  EXPECT_EQ(g.tensors[a0.inputs[0]].shape[1], 6);   // t0 rows [0,6): a view of t0
  EXPECT_EQ(g.tensors[a0.inputs[0]].view_of, 0);
  EXPECT_EQ(ViewRow(g, a0.inputs[0], 4), 0);
  EXPECT_EQ(g.tensors[a0.outputs[0]].shape[1], 5);  // t3 rows [0,5): a band of its own
  EXPECT_EQ(g.tensors[a0.outputs[0]].view_of, -1);
  EXPECT_EQ(BandPad(a0), 1);
  EXPECT_EQ(b0.inputs[0], a0.outputs[0]);           // the whole band
  EXPECT_EQ(BandPad(b0), 0);
  EXPECT_EQ(g.tensors[b0.outputs[0]].view_of, 6);   // rows [0,2) of t6
  EXPECT_EQ(g.tensors[b0.outputs[0]].shape[1], 2);
  EXPECT_EQ(ViewRow(g, b0.outputs[0], 4), 0);
  // Patch 1.
  const Operator& a1 = g.ops[2];
  const Operator& b1 = g.ops[3];
  EXPECT_EQ(a1.patch, 1);
  EXPECT_EQ(g.tensors[a1.inputs[0]].shape[1], 5);   // t0 rows [3,8)
  EXPECT_EQ(ViewRow(g, a1.inputs[0], 4), 3);
  EXPECT_EQ(g.tensors[a1.outputs[0]].shape[1], 4);  // t3 rows [4,8)
  EXPECT_EQ(BandPad(a1), 0);
  EXPECT_EQ(BandPad(b1), 0);
  EXPECT_EQ(ViewRow(g, b1.outputs[0], 4), 2);       // rows [2,4) of t6
  // MACs: 8x4x2x9 + 4x2x2x18 whole; the bands [0,5) and [4,8) of t3 share row 4, which is
  // computed twice: 9 rows of t3 instead of 8.
  EXPECT_EQ(plan.prefix_macs, 8 * 4 * 2 * 9 + 4 * 2 * 2 * 18);
  EXPECT_EQ(plan.patched_macs, 9 * 4 * 2 * 9 + 4 * 2 * 2 * 18);
}

TEST(Patch, KeptHaloMovesRowsAndComputesOnlyNewOnes) {
  Graph g = TwoConvs();
  std::vector<bool> folded = {false, false};
  PatchPlan plan;
  plan.first_op = 0, plan.split_op = 1, plan.patches = 2, plan.keep_halo = true;
  ASSERT_TRUE(ApplyPatchPlan(&g, &folded, &plan).ok());
  // Patch 0: conv1 rows [0,5) into the line buffer (5 rows, the most a band needs), conv2.
  // Patch 1: t3 needs rows [4,8): row 4 is kept (moved from buffer row 4 to row 0), rows
  // [5,8) computed into buffer rows [1,4); conv2 reads buffer rows [0,4).
  ASSERT_EQ(g.ops.size(), 5u);
  EXPECT_EQ(g.ops[2].builtin_code, kPatchKeepRowsCode);
  const int line = g.ops[0].outputs[0];
  EXPECT_EQ(g.tensors[line].shape[1], 5);
  EXPECT_EQ(g.tensors[g.ops[2].inputs[0]].view_of, line);
  EXPECT_EQ(ViewRow(g, g.ops[2].inputs[0], 8), 4);
  EXPECT_EQ(g.tensors[g.ops[2].inputs[0]].shape[1], 1);
  EXPECT_EQ(ViewRow(g, g.ops[2].outputs[0], 8), 0);
  const Operator& a1 = g.ops[3];
  EXPECT_EQ(g.tensors[a1.outputs[0]].view_of, line);
  EXPECT_EQ(ViewRow(g, a1.outputs[0], 8), 1);
  EXPECT_EQ(g.tensors[a1.outputs[0]].shape[1], 3);
  EXPECT_EQ(g.tensors[a1.inputs[0]].shape[1], 4);  // t0 rows [4,8) for t3 rows [5,8)
  EXPECT_EQ(ViewRow(g, a1.inputs[0], 4), 4);
  EXPECT_EQ(BandPad(a1), 0);                        // 1 + 4 - 5
  EXPECT_EQ(g.tensors[g.ops[4].inputs[0]].shape[1], 4);  // buffer rows [0,4) = t3 rows [4,8)
  EXPECT_EQ(plan.patched_macs, plan.prefix_macs);         // nothing recomputed
}

}  // namespace
}  // namespace tinymlc
