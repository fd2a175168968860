// The remaining small TFLM ops (batch 1) through the C++ model builder: CAST, FILL,
// ZEROS_LIKE, ARG_MAX/ARG_MIN, LOGICAL_*, SELECT_V2, FLOOR_DIV/FLOOR_MOD, REDUCE_MIN,
// REVERSE_V2, ADD_N, BROADCAST_TO, BROADCAST_ARGS. Their outputs are checked byte for byte
// against TFLM itself by tests/oracle/op_models.py (ctest oracle_op_models) and the
// factory's misc modes; here: outputs of small graphs against hand-computed values, and
// the forms TFLM refuses, refused with a message naming the tensor.
#include <gtest/gtest.h>

#include <cstring>

#include "compile_harness.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

// Builtin codes (tflite::BuiltinOperator).
constexpr int kCast = 53, kArgMax = 56, kArgMin = 79, kLogicalOr = 84, kLogicalAnd = 86,
              kLogicalNot = 87, kReduceMin = 89, kFloorDiv = 90, kZerosLike = 93, kFill = 94,
              kFloorMod = 95, kReverseV2 = 105, kAddN = 106, kSelectV2 = 123,
              kBroadcastTo = 130, kBroadcastArgs = 145;

TensorSpec F(const std::string& name, std::vector<int32_t> shape) {
  return Plain(name, DT::kFloat32, std::move(shape));
}

std::vector<uint8_t> Bytes(const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  return std::vector<uint8_t>(b, b + n);
}

// One model per op, run on one case; expected outputs computed by hand from TFLM's
// reference semantics.
TEST(SweepMisc, SmallGraphsGiveHandComputedOutputs) {
  struct Case {
    const char* what;
    ModelSpec model;
    std::vector<std::vector<uint8_t>> inputs;
    std::vector<uint8_t> expected;
  };
  std::vector<Case> cases;
  {
    const int32_t in[4] = {300, -129, 7, -1};
    const int8_t want[4] = {44, 127, 7, -1};  // modulo 2^8
    cases.push_back({"CAST int32 -> int8 wraps",
                     OneOp(kCast, {Plain("x", DT::kInt32, {4})}, Plain("y", DT::kInt8, {4})),
                     {Bytes(in, sizeof(in))}, Bytes(want, sizeof(want))});
  }
  {
    const float in[4] = {1.9f, -1.9f, 0.0f, 100.5f};
    const int16_t want[4] = {1, -1, 0, 100};
    cases.push_back({"CAST float32 -> int16 truncates",
                     OneOp(kCast, {F("x", {4})}, Plain("y", DT::kInt16, {4})),
                     {Bytes(in, sizeof(in))}, Bytes(want, sizeof(want))});
  }
  {
    const float v = -2.5f;
    const float want[6] = {v, v, v, v, v, v};
    cases.push_back({"FILL float32 from a computed scalar",
                     OneOp(kFill, {ConstInt32("dims", {2}, {2, 3}), F("v", {})}, F("y", {2, 3})),
                     {Bytes(&v, 4)}, Bytes(want, sizeof(want))});
  }
  {
    const int32_t in[3] = {5, -6, 7};
    const int32_t want[3] = {0, 0, 0};
    cases.push_back({"ZEROS_LIKE int32",
                     OneOp(kZerosLike, {Plain("x", DT::kInt32, {3})}, Plain("y", DT::kInt32, {3})),
                     {Bytes(in, sizeof(in))}, Bytes(want, sizeof(want))});
  }
  {
    // [2,3], axis 1: rows {1, 9, 9} and {4, -2, 4}.
    const int8_t in[6] = {1, 9, 9, 4, -2, 4};
    const int32_t want_max[2] = {1, 0}, want_min[2] = {0, 1};
    const TensorSpec x = Int8Tensor("x", {2, 3}, 0.1f, 0);
    cases.push_back({"ARG_MAX int8 (first maximum)",
                     OneOp(kArgMax, {x, ConstInt32("axis", {1}, {1})}, Plain("y", DT::kInt32, {2})),
                     {Bytes(in, sizeof(in))}, Bytes(want_max, sizeof(want_max))});
    cases.push_back({"ARG_MIN int8, negative axis",
                     OneOp(kArgMin, {x, ConstInt32("axis", {1}, {-1})}, Plain("y", DT::kInt32, {2})),
                     {Bytes(in, sizeof(in))}, Bytes(want_min, sizeof(want_min))});
  }
  {
    const uint8_t a[4] = {0, 1, 1, 1}, b[2] = {1, 0};
    const uint8_t want_and[4] = {0, 0, 1, 0}, want_or[4] = {1, 1, 1, 1}, want_not[4] = {1, 0, 0, 0};
    const TensorSpec ta = Plain("a", DT::kBool, {2, 2}), tb = Plain("b", DT::kBool, {2});
    const TensorSpec y = Plain("y", DT::kBool, {2, 2});
    cases.push_back({"LOGICAL_AND broadcasting", OneOp(kLogicalAnd, {ta, tb}, y),
                     {Bytes(a, 4), Bytes(b, 2)}, Bytes(want_and, 4)});
    cases.push_back({"LOGICAL_OR broadcasting", OneOp(kLogicalOr, {ta, tb}, y),
                     {Bytes(a, 4), Bytes(b, 2)}, Bytes(want_or, 4)});
    cases.push_back({"LOGICAL_NOT", OneOp(kLogicalNot, {ta}, y), {Bytes(a, 4)}, Bytes(want_not, 4)});
  }
  {
    // condition [2,1], x [2,2], y [2] -> rows of x or of y.
    const uint8_t c[2] = {0, 1};
    const int16_t x[4] = {1, 2, 3, 4}, yv[2] = {-5, -6};
    const int16_t want[4] = {-5, -6, 3, 4};
    cases.push_back({"SELECT_V2 int16 broadcasting",
                     OneOp(kSelectV2,
                           {Plain("c", DT::kBool, {2, 1}), Quantized("x", DT::kInt16, {2, 2}, 0.01f, 0),
                            Quantized("yv", DT::kInt16, {2}, 0.01f, 0)},
                           Quantized("y", DT::kInt16, {2, 2}, 0.01f, 0)),
                     {Bytes(c, 2), Bytes(x, 8), Bytes(yv, 4)}, Bytes(want, 8)});
  }
  {
    const float a[4] = {7.0f, -7.0f, 7.0f, -7.0f};
    const float want_div[4] = {3.0f, -4.0f, -3.0f, 2.0f};  // divisors 2, 2, -2.5, -2.5
    const float want_mod[4] = {1.0f, 1.0f, -0.5f, -2.0f};
    TensorSpec d = F("d", {2, 2});
    d.data = PackFloat({2.0f, 2.0f, -2.5f, -2.5f});
    cases.push_back({"FLOOR_DIV float32", OneOp(kFloorDiv, {F("a", {2, 2}), d}, F("y", {2, 2})),
                     {Bytes(a, 16)}, Bytes(want_div, 16)});
    cases.push_back({"FLOOR_MOD float32", OneOp(kFloorMod, {F("a", {2, 2}), d}, F("y", {2, 2})),
                     {Bytes(a, 16)}, Bytes(want_mod, 16)});
  }
  {
    const int8_t in[6] = {5, -3, 9, 127, 100, 126};
    const int8_t want[2] = {-3, 100};
    cases.push_back({"REDUCE_MIN int8",
                     OneOp(kReduceMin, {Int8Tensor("x", {2, 3}, 0.1f, 2), ConstInt32("axis", {1}, {1})},
                           Int8Tensor("y", {2}, 0.1f, 2), ReducerOpts{}),
                     {Bytes(in, 6)}, Bytes(want, 2)});
  }
  {
    const int32_t in[6] = {0, 1, 2, 3, 4, 5};
    const int32_t want[6] = {5, 4, 3, 2, 1, 0};  // axes {0, 1}: the whole tensor
    cases.push_back({"REVERSE_V2 int32 over two axes",
                     OneOp(kReverseV2, {Plain("x", DT::kInt32, {2, 3}), ConstInt32("axis", {2}, {1, 0})},
                           Plain("y", DT::kInt32, {2, 3})),
                     {Bytes(in, 24)}, Bytes(want, 24)});
  }
  {
    const float a[2] = {1.0f, -0.0f}, b[2] = {2.5f, -0.0f};
    const float want[2] = {3.5f, 0.0f};  // 0.f + -0 + -0 = +0
    cases.push_back({"ADD_N float32", OneOp(kAddN, {F("a", {2}), F("b", {2})}, F("y", {2})),
                     {Bytes(a, 8), Bytes(b, 8)}, Bytes(want, 8)});
  }
  {
    const int8_t in[2] = {7, -8};
    const int8_t want[6] = {7, 7, 7, -8, -8, -8};
    cases.push_back({"BROADCAST_TO int8 [2,1] -> [2,3]",
                     OneOp(kBroadcastTo, {Int8Tensor("x", {2, 1}, 0.1f, 0), ConstInt32("shape", {2}, {2, 3})},
                           Int8Tensor("y", {2, 3}, 0.1f, 0)),
                     {Bytes(in, 2)}, Bytes(want, 6)});
  }
  {
    const int32_t s1[3] = {2, 1, 4}, s2[2] = {3, 1};
    const int32_t want[3] = {2, 3, 4};
    cases.push_back({"BROADCAST_ARGS int32",
                     OneOp(kBroadcastArgs, {Plain("s1", DT::kInt32, {3}), Plain("s2", DT::kInt32, {2})},
                           Plain("y", DT::kInt32, {3})),
                     {Bytes(s1, 12), Bytes(s2, 8)}, Bytes(want, 12)});
  }
  std::vector<ModelSpec> models;
  std::vector<std::vector<std::vector<std::vector<uint8_t>>>> inputs;
  for (const Case& c : cases) {
    models.push_back(c.model);
    inputs.push_back({c.inputs});
  }
  const BatchResult r = CompileAndRunBatch(models, inputs);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.results.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    ASSERT_EQ(r.results[i].size(), 1u) << cases[i].what;
    ASSERT_EQ(r.results[i][0].outputs.size(), 1u) << cases[i].what;
    EXPECT_EQ(r.results[i][0].outputs[0], cases[i].expected) << cases[i].what;
  }
}

// TFLM fails FLOOR_DIV's invoke when a divisor element is 0; so does NAME_invoke().
TEST(SweepMisc, FloorDivByZeroFailsInvoke) {
  const ModelSpec m = OneOp(kFloorDiv, {F("a", {3}), F("b", {3})}, F("y", {3}));
  const float a[3] = {5.0f, -5.0f, 1.0f}, ok[3] = {2.0f, 2.0f, 4.0f}, zero[3] = {2.0f, -0.0f, 4.0f};
  const BatchResult r =
      CompileAndRunBatch({m}, {{{Bytes(a, 12), Bytes(ok, 12)}, {Bytes(a, 12), Bytes(zero, 12)}}});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("case 1: NAME_invoke() returned 1"), std::string::npos) << r.error;
  ASSERT_EQ(r.results.size(), 1u);
  ASSERT_FALSE(r.results[0].empty());
  const float want[3] = {2.0f, -3.0f, 0.0f};
  EXPECT_EQ(r.results[0][0].outputs[0], Bytes(want, 12));
}

TEST(SweepMiscErrors, RejectedLikeTflm) {
  const TensorSpec x8 = Int8Tensor("x", {2, 3}, 0.1f, 0);
  const TensorSpec axis1 = ConstInt32("axis", {1}, {1});
  TensorSpec zero_div = F("d", {3});
  zero_div.data = PackFloat({1.0f, 0.0f, 2.0f});
  const std::vector<Rejection> cases = {
      {"CAST to bool (TFLM casts to int8, int16, int32, float32)",
       OneOp(kCast, {F("x", {3})}, Plain("yb", DT::kBool, {3})), "TFLM casts to"},
      {"ARG_MAX with an int64 output", OneOp(kArgMax, {x8, axis1}, Plain("y64", DT::kInt64, {2})),
       "y64"},
      {"ARG_MIN of int16", OneOp(kArgMin, {Quantized("x16", DT::kInt16, {2, 3}, 0.1f, 0), axis1},
                                  Plain("y", DT::kInt32, {2})),
       "x16"},
      {"SELECT_V2 of int32",
       OneOp(kSelectV2, {Plain("c", DT::kBool, {3}), Plain("xi", DT::kInt32, {3}),
                         Plain("yi", DT::kInt32, {3})},
             Plain("y", DT::kInt32, {3})),
       "TFLM: int8, int16, float32"},
      {"FLOOR_DIV by a constant holding 0", OneOp(kFloorDiv, {F("a", {3}), zero_div}, F("y", {3})),
       "division by 0"},
      {"FLOOR_MOD of int32 (TFLM: float32 only)",
       OneOp(kFloorMod, {Plain("a", DT::kInt32, {3}), Plain("b", DT::kInt32, {3})},
             Plain("y", DT::kInt32, {3})),
       "expected float32"},
      {"LOGICAL_AND broadcasting at rank 5",
       OneOp(kLogicalAnd, {Plain("a", DT::kBool, {2, 1, 1, 1, 3}), Plain("b", DT::kBool, {3})},
             Plain("y", DT::kBool, {2, 1, 1, 1, 3})),
       "up to rank 4"},
      {"REDUCE_MIN with requantization",
       OneOp(kReduceMin, {x8, axis1}, Int8Tensor("y", {2}, 0.2f, 0), ReducerOpts{}),
       "TFLM requires them equal"},
      {"REVERSE_V2 over non-contiguous axes",
       OneOp(kReverseV2, {Plain("xr", DT::kInt8, {2, 3, 4}), ConstInt32("axes", {2}, {0, 2})},
             Plain("y", DT::kInt8, {2, 3, 4})),
       "not contiguous"},
      {"ADD_N of int8 inputs with different scales",
       OneOp(kAddN, {x8, Int8Tensor("x2", {2, 3}, 0.2f, 0)}, Int8Tensor("y", {2, 3}, 0.1f, 0)),
       "x2"},
      {"FILL whose dims differ from the output shape",
       OneOp(kFill, {ConstInt32("dims", {2}, {3, 2}), F("v", {})}, F("yf", {2, 3})), "yf"},
      {"BROADCAST_TO a shape the input does not broadcast to",
       OneOp(kBroadcastTo, {Int8Tensor("xb", {2, 2}, 0.1f, 0), ConstInt32("shape", {2}, {2, 3})},
             Int8Tensor("y", {2, 3}, 0.1f, 0)),
       "xb"},
      {"ZEROS_LIKE of int16", OneOp(kZerosLike, {Plain("xz", DT::kInt16, {3})}, Plain("y", DT::kInt16, {3})),
       "xz"},
  };
  ExpectRejected(cases);
}

}  // namespace
}  // namespace tinymlc::testing
