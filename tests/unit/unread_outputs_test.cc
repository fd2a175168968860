// passes/unread_outputs.h on hand-made graphs: an unread SPLIT output in another dtype
// takes the input's dtype and is not reported; a read one, or a graph output, keeps its own.
#include "passes/unread_outputs.h"

#include <gtest/gtest.h>

namespace tinymlc {
namespace {

// SPLIT (axis t0, input t1 int8 [1, 4]) -> t2 int8 [1, 2], t3 float32 [1, 2]; graph
// output t2.
Graph SplitGraph() {
  Graph g;
  for (int i = 0; i < 4; ++i) {
    Tensor t;
    t.index = i;
    t.dtype = i == 0 ? DType::kInt32 : i == 3 ? DType::kFloat32 : DType::kInt8;
    t.shape = i == 0 ? std::vector<int32_t>{} : i == 1 ? std::vector<int32_t>{1, 4} : std::vector<int32_t>{1, 2};
    if (i != 0 && i != 3) {
      t.quant.scale = {0.5f};
      t.quant.zero_point = {-3};
    }
    g.tensors.push_back(t);
  }
  g.tensors[0].is_constant = true;
  g.tensors[0].data = {1, 0, 0, 0};
  Operator split;
  split.index = 0;
  split.builtin_code = 49;
  split.name = "SPLIT";
  split.inputs = {0, 1};
  split.outputs = {2, 3};
  g.ops.push_back(split);
  g.inputs = {1};
  g.outputs = {2};
  return g;
}

TEST(UnreadOutputs, UnreadSplitOutputTakesTheInputsDtype) {
  Graph g = SplitGraph();
  ASSERT_TRUE(RetypeUnreadOutputs(&g).ok());
  EXPECT_EQ(g.tensors[3].dtype, DType::kInt8);
  EXPECT_EQ(g.tensors[3].zero_point(), -3);
  EXPECT_TRUE(g.tensors[3].unreported);
  EXPECT_FALSE(g.tensors[2].unreported);  // read (a graph output), same dtype anyway
}

TEST(UnreadOutputs, ReadOrGraphOutputKeepsItsDtype) {
  Graph read = SplitGraph();
  Operator relu;
  relu.index = 1;
  relu.builtin_code = 19;
  relu.name = "RELU";
  relu.inputs = {3};
  relu.outputs = {2};
  read.ops.push_back(relu);
  ASSERT_TRUE(RetypeUnreadOutputs(&read).ok());
  EXPECT_EQ(read.tensors[3].dtype, DType::kFloat32);
  EXPECT_FALSE(read.tensors[3].unreported);

  Graph output = SplitGraph();
  output.outputs = {2, 3};
  ASSERT_TRUE(RetypeUnreadOutputs(&output).ok());
  EXPECT_EQ(output.tensors[3].dtype, DType::kFloat32);
}

}  // namespace
}  // namespace tinymlc
