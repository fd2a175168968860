// Stateful graphs without Python: resource variables with CALL_ONCE, IF and WHILE, built
// with the model builder (several subgraphs), compiled by tinymlc and run by the harness.
// The expected values are computed here by hand (float additions of small integers are
// exact, as are int8 additions of equal scales). The oracle layer
// (tests/oracle/stateful_test.py) compares converter-made models with TFLM.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compile_harness.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

TensorSpec Resource(const std::string& name) { return Plain(name, DT::kResource, {}); }

// y = state + x; state = y. The init subgraph (CALL_ONCE) assigns {1, 2, 3, 4}.
ModelSpec AccumulatorModel() {
  ModelSpec init;
  const int r1 = init.AddTensor(Resource("var1"));
  TensorSpec start = Plain("start", DT::kFloat32, {1, 4});
  start.data = PackFloat({1.0f, 2.0f, 3.0f, 4.0f});
  const int s1 = init.AddTensor(start);
  init.AddOp(op::kVarHandle, {}, {r1}, VarHandleOpts{"", "acc"});
  init.AddOp(op::kAssignVariable, {r1, s1}, {});

  ModelSpec m;
  const int x = m.AddTensor(Plain("x", DT::kFloat32, {1, 4}));
  const int r = m.AddTensor(Resource("var"));
  const int s = m.AddTensor(Plain("state", DT::kFloat32, {1, 4}));
  const int y = m.AddTensor(Plain("y", DT::kFloat32, {1, 4}));
  m.AddOp(op::kCallOnce, {}, {}, CallOnceOpts{1});
  m.AddOp(op::kVarHandle, {}, {r}, VarHandleOpts{"", "acc"});
  m.AddOp(op::kReadVariable, {r}, {s});
  m.AddOp(op::kAdd, {s, x}, {y}, AddOpts{});
  m.AddOp(op::kAssignVariable, {r, y}, {});
  m.inputs = {x};
  m.outputs = {y};
  m.subgraphs = {init};
  m.description = "accumulator: CALL_ONCE init {1,2,3,4}, y = state + x, state = y";
  return m;
}

std::vector<float> Frame(int k) {
  return {static_cast<float>(k), static_cast<float>(2 * k - 3), -1.0f, static_cast<float>(k % 3)};
}

TEST(SweepStateful, VariableStatePersistsAcrossInvokes) {
  const ModelSpec m = AccumulatorModel();
  Cases cases;
  for (int k = 0; k < 10; ++k) cases.push_back({PackFloat(Frame(k))});
  HarnessOptions opts;
  opts.reset_each_case = false;  // NAME_reset() before the first invoke only
  const BatchResult br = CompileAndRunBatch({m}, {cases}, opts);
  ASSERT_TRUE(br.ok) << br.error;
  std::vector<float> state = {1.0f, 2.0f, 3.0f, 4.0f};
  for (int k = 0; k < 10; ++k) {
    const std::vector<float> x = Frame(k);
    for (int i = 0; i < 4; ++i) state[i] += x[i];
    EXPECT_EQ(UnpackFloat(br.results[0][k].outputs[0]), state) << "invoke " << k;
  }
}

TEST(SweepStateful, ResetRestoresTheInitSubgraphsValue) {
  // NAME_reset() before every invoke: each output is the init value plus that frame, which
  // needs both the variable restored and CALL_ONCE re-armed (a reset to zeros alone gives x).
  const ModelSpec m = AccumulatorModel();
  Cases cases;
  for (int k = 0; k < 5; ++k) cases.push_back({PackFloat(Frame(k))});
  const BatchResult br = CompileAndRunBatch({m}, {cases});
  ASSERT_TRUE(br.ok) << br.error;
  for (int k = 0; k < 5; ++k) {
    std::vector<float> want = {1.0f, 2.0f, 3.0f, 4.0f};
    const std::vector<float> x = Frame(k);
    for (int i = 0; i < 4; ++i) want[i] += x[i];
    EXPECT_EQ(UnpackFloat(br.results[0][k].outputs[0]), want) << "invoke " << k;
  }
}

// IF: then y = x + x, else y = x * x.
ModelSpec IfModel() {
  ModelSpec then_sg;
  {
    const int a = then_sg.AddTensor(Plain("a", DT::kFloat32, {4}));
    const int b = then_sg.AddTensor(Plain("b", DT::kFloat32, {4}));
    then_sg.AddOp(op::kAdd, {a, a}, {b}, AddOpts{});
    then_sg.inputs = {a};
    then_sg.outputs = {b};
  }
  ModelSpec else_sg;
  {
    const int a = else_sg.AddTensor(Plain("a", DT::kFloat32, {4}));
    const int b = else_sg.AddTensor(Plain("b", DT::kFloat32, {4}));
    else_sg.AddOp(op::kMul, {a, a}, {b}, MulOpts{});
    else_sg.inputs = {a};
    else_sg.outputs = {b};
  }
  ModelSpec m;
  const int c = m.AddTensor(Plain("c", DT::kBool, {1}));
  const int x = m.AddTensor(Plain("x", DT::kFloat32, {4}));
  const int y = m.AddTensor(Plain("y", DT::kFloat32, {4}));
  m.AddOp(op::kIf, {c, x}, {y}, IfOpts{1, 2});
  m.inputs = {c, x};
  m.outputs = {y};
  m.subgraphs = {then_sg, else_sg};
  m.description = "IF: then x + x, else x * x";
  return m;
}

TEST(SweepStateful, IfRunsTheBranchTheConditionNames) {
  Cases cases;
  for (int k = 0; k < 6; ++k) cases.push_back({{static_cast<uint8_t>(k % 2)}, PackFloat(Frame(k))});
  const BatchResult br = CompileAndRunBatch({IfModel()}, {cases});
  ASSERT_TRUE(br.ok) << br.error;
  for (int k = 0; k < 6; ++k) {
    const std::vector<float> x = Frame(k);
    std::vector<float> want(4);
    for (int i = 0; i < 4; ++i) want[i] = k % 2 ? x[i] + x[i] : x[i] * x[i];
    EXPECT_EQ(UnpackFloat(br.results[0][k].outputs[0]), want) << "invoke " << k;
  }
}

// WHILE (i < 5): i = i + 1, acc = acc + x, x unchanged. int8, every tensor with scale 0.5
// and zero point 0 (LESS needs scales below 1), so quantized values add exactly.
TensorSpec Int(const std::string& name, std::vector<int32_t> shape) {
  return Quantized(name, DT::kInt8, std::move(shape), 0.5f, 0);
}
ModelSpec WhileModel() {
  ModelSpec cond;
  {
    const int i = cond.AddTensor(Int("i", {1}));
    const int acc = cond.AddTensor(Int("acc", {4}));
    const int x = cond.AddTensor(Int("x", {4}));
    TensorSpec five = Int("five", {1});
    five.data = PackInt8({5});
    const int n = cond.AddTensor(five);
    const int b = cond.AddTensor(Plain("go", DT::kBool, {1}));
    cond.AddOp(op::kLess, {i, n}, {b});
    cond.inputs = {i, acc, x};
    cond.outputs = {b};
  }
  ModelSpec body;
  {
    const int i = body.AddTensor(Int("i", {1}));
    const int acc = body.AddTensor(Int("acc", {4}));
    const int x = body.AddTensor(Int("x", {4}));
    TensorSpec one = Int("one", {1});
    one.data = PackInt8({1});
    const int c1 = body.AddTensor(one);
    const int i2 = body.AddTensor(Int("i2", {1}));
    const int acc2 = body.AddTensor(Int("acc2", {4}));
    body.AddOp(op::kAdd, {i, c1}, {i2}, AddOpts{});
    body.AddOp(op::kAdd, {acc, x}, {acc2}, AddOpts{});
    body.inputs = {i, acc, x};
    body.outputs = {i2, acc2, x};  // x passes through
  }
  ModelSpec m;
  const int i = m.AddTensor(Int("i0", {1}));
  const int acc = m.AddTensor(Int("acc0", {4}));
  const int x = m.AddTensor(Int("x", {4}));
  const int i_out = m.AddTensor(Int("i_out", {1}));
  const int acc_out = m.AddTensor(Int("acc_out", {4}));
  const int x_out = m.AddTensor(Int("x_out", {4}));
  m.AddOp(op::kWhile, {i, acc, x}, {i_out, acc_out, x_out}, WhileOpts{1, 2});
  m.inputs = {i, acc, x};
  m.outputs = {acc_out, i_out};
  m.subgraphs = {cond, body};
  m.description = "WHILE i < 5: i += 1, acc += x";
  return m;
}

TEST(SweepStateful, WhileLoopsUntilTheConditionFails) {
  Cases cases;
  const int starts[] = {0, 3, 5, 9, -2};  // 5, 2, 0, 0 and 7 iterations
  for (int k = 0; k < 5; ++k) {
    cases.push_back({PackInt8({static_cast<int8_t>(starts[k])}),
                     PackInt8({1, -2, static_cast<int8_t>(k), 10}), PackInt8({2, 3, -1, static_cast<int8_t>(k)})});
  }
  const BatchResult br = CompileAndRunBatch({WhileModel()}, {cases});
  ASSERT_TRUE(br.ok) << br.error;
  for (int k = 0; k < 5; ++k) {
    const int n = starts[k] < 5 ? 5 - starts[k] : 0;
    const std::vector<int8_t> acc0 = {1, -2, static_cast<int8_t>(k), 10};
    const std::vector<int8_t> x = {2, 3, -1, static_cast<int8_t>(k)};
    std::vector<int8_t> want(4);
    for (int j = 0; j < 4; ++j) want[j] = static_cast<int8_t>(acc0[j] + n * x[j]);
    EXPECT_EQ(UnpackInt8(br.results[0][k].outputs[0]), want) << "start " << starts[k];
    EXPECT_EQ(UnpackInt8(br.results[0][k].outputs[1]),
              std::vector<int8_t>{static_cast<int8_t>(starts[k] + n)})
        << "start " << starts[k];
  }
}

TEST(SweepStateful, BadStatefulGraphsAreRejected) {
  ModelSpec out_of_range = AccumulatorModel();
  out_of_range.ops[0].options = CallOnceOpts{7};
  ModelSpec mismatch = AccumulatorModel();
  mismatch.subgraphs[0].tensors[1] = Plain("start", DT::kFloat32, {4});
  mismatch.subgraphs[0].tensors[1].data = PackFloat({1.0f, 2.0f, 3.0f, 4.0f});
  ModelSpec never_assigned = AccumulatorModel();
  never_assigned.ops.pop_back();             // no ASSIGN_VARIABLE in subgraph 0
  never_assigned.subgraphs[0].ops.pop_back();  // nor in the init subgraph
  ModelSpec recursion = WhileModel();
  // The body calls WHILE on itself.
  {
    ModelSpec& body = recursion.subgraphs[1];
    const int a = body.AddTensor(Int("a", {1}));
    const int b = body.AddTensor(Int("b", {4}));
    const int c = body.AddTensor(Int("c", {4}));
    body.AddOp(op::kWhile, {0, 1, 2}, {a, b, c}, WhileOpts{2, 2});
  }
  ModelSpec twice = IfModel();
  twice.tensors.push_back(Plain("y2", DT::kFloat32, {4}));
  twice.AddOp(op::kIf, {0, 1}, {3}, IfOpts{1, 2});
  twice.outputs.push_back(3);
  ExpectRejected({
      {"CALL_ONCE names subgraph 7", out_of_range,
       "subgraph 0: operator 0 (CALL_ONCE): init subgraph index 7 out of range"},
      {"the init assigns [4] to a [1,4] variable", mismatch,
       "subgraph 1: operator 1 (ASSIGN_VARIABLE): tensor 1 'start': assigns to variable 'acc' as "
       "float32 [4], but operator 4 of subgraph 0 (the first ASSIGN_VARIABLE) made it float32 "
       "[1,4]"},
      {"read, never assigned", never_assigned, "variable 'acc' is read but never assigned"},
      {"WHILE body calls itself", recursion,
       "subgraph 2: operator 2 (WHILE): subgraph 2 calls itself"},
      {"two IFs call the same subgraphs", twice, "a subgraph may be called from one operator only"},
  });
}

}  // namespace
}  // namespace tinymlc::testing
