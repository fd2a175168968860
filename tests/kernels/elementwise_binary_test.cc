// The binary elementwise kernels (tml_broadcast.h walker, MUL, SUB, MAXIMUM/MINIMUM,
// SQUARED_DIFFERENCE, the comparisons) against hand-computed outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;  // Q0.31 multiplier 0.5 (with shift 0)

// Loops over a [2, 3] output: equal shapes merge into one loop; in2 = [3] is read with
// stride 0 along the outer loop; in1 = [2, 1] with stride 0 along the inner one.
tml_broadcast_t Flat(int32_t n) { return {1, {n}, {1}, {1}}; }
tml_broadcast_t RowBroadcast() { return {2, {2, 3}, {3, 1}, {0, 1}}; }
tml_broadcast_t ColumnBroadcast() { return {2, {2, 3}, {1, 0}, {3, 1}}; }

TEST(BroadcastWalker, VisitsRowsWithTheirInputOffsets) {
  // [2, 2, 3] output; input 1 is [2, 1, 3] (middle loop broadcast), input 2 is [2, 1].
  const tml_broadcast_t b = {3, {2, 2, 3}, {3, 0, 1}, {1, 0, 0}};
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&b, &it);
  ASSERT_EQ(rows, 4);
  std::vector<std::pair<int32_t, int32_t>> seen;
  for (int32_t r = 0; r < rows; ++r) {
    seen.emplace_back(it.offset1, it.offset2);
    tml_broadcast_next_row(&b, &it);
  }
  const std::vector<std::pair<int32_t, int32_t>> want = {{0, 0}, {0, 0}, {3, 1}, {3, 1}};
  EXPECT_EQ(seen, want);
}

// ---- MUL ----
struct MulCase {
  std::string name;
  tml_broadcast_t shape;
  int32_t shift, act_min, act_max;
  std::vector<int8_t> in1, in2, expected;
};

TEST(Mul, MatchesHandComputedOutput) {
  // Zero points 2 and -1 (offsets -2, +1), output zero point 10, multiplier 0.5 * 2^shift.
  const std::vector<MulCase> cases = {
      // (q1 - 2) * (q2 + 1) * 0.5 + 10: 12 -> 16; 0 -> 10; 1 * 1 = 1 -> 0.5 rounds up -> 11;
      // -1 * 1 -> -0.5 rounds toward +inf -> 0 -> 10; 125 * 128 -> saturates at 127.
      {"RoundingAndSaturation", Flat(5), 0, -128, 127,
       {5, 2, 3, 1, 127}, {3, 4, 0, 0, 127}, {16, 10, 11, 10, 127}},
      // shift 2: multiplier 2: 12 -> 34; -12 -> -14; clamped to [0, 20].
      {"PositiveShiftAndActivation", Flat(3), 2, 0, 20, {5, -1, 3}, {3, 3, 1}, {20, 0, 14}},
      // in2 [3] along rows: (q1 - 2) * (q2 + 1) / 2 + 10.
      {"Broadcast", RowBroadcast(), 0, -128, 127,
       {4, 4, 4, 6, 6, 6}, {-1, 0, 1}, {10, 11, 12, 10, 12, 14}},
  };
  for (const MulCase& c : cases) {
    tml_mul_s8_params_t p{};
    p.shape = c.shape;
    p.input1_offset = -2, p.input2_offset = 1, p.output_offset = 10;
    p.output_multiplier = kHalf, p.output_shift = c.shift;
    p.act_min = c.act_min, p.act_max = c.act_max;
    std::vector<int8_t> out(c.expected.size(), 0x55);
    tml_mul_s8(&p, c.in1.data(), c.in2.data(), out.data());
    EXPECT_EQ(out, c.expected) << c.name;
  }
}

// ---- SUB ----
// Equal scales: input multipliers 0.5 (2^30, 0) after << 20, output 2^-19 (2^30, -18):
// out = (q1 - z1) - (q2 - z2) + zo exactly. Input 2 at half the scale (shift -1):
// out = x1 - x2 / 2, rounded half away from zero.
TEST(Sub, MatchesHandComputedOutput) {
  struct Case {
    std::string name;
    int32_t input2_shift;
    std::vector<int8_t> in1, in2, expected;
  };
  const std::vector<Case> cases = {
      // zero points 1 and -2, output -3: (q1 - 1) - (q2 + 2) - 3.
      {"EqualScales", 0, {1, 10, -100, 127}, {-2, 3, 100, -128}, {-3, 1, -128, 127}},
      // x1 - x2 / 2: (1, 0): 0 - 1 = -1 -> -4; (1, -3): 0 + 0.5 -> 1 -> -2;
      // (1, -1): 0 - 0.5 -> -1 -> -4; (2, 1): 1 - 1.5 = -0.5 -> -1 -> -4.
      {"HalfScaleRounding", -1, {1, 1, 1, 2}, {0, -3, -1, 1}, {-4, -2, -4, -4}},
  };
  for (const Case& c : cases) {
    tml_sub_s8_params_t p{};
    p.shape = Flat(static_cast<int32_t>(c.expected.size()));
    p.input1_offset = -1, p.input2_offset = 2, p.output_offset = -3;
    p.left_shift = 20;
    p.input1_multiplier = kHalf, p.input1_shift = 0;
    p.input2_multiplier = kHalf, p.input2_shift = c.input2_shift;
    p.output_multiplier = kHalf, p.output_shift = -18;
    p.act_min = -128, p.act_max = 127;
    std::vector<int8_t> out(c.expected.size(), 0x55);
    tml_sub_s8(&p, c.in1.data(), c.in2.data(), out.data());
    EXPECT_EQ(out, c.expected) << c.name;
  }
}

// ---- MAXIMUM / MINIMUM: raw values, broadcast over columns ----
TEST(MaximumMinimum, ComparesRawValues) {
  const std::vector<int8_t> in1 = {-5, 7}, in2 = {-128, 0, 127, 3, 7, 8};  // in1 [2, 1]
  for (int32_t maximum : {1, 0}) {
    tml_maximum_minimum_s8_params_t p{ColumnBroadcast(), maximum};
    std::vector<int8_t> out(6, 0x55);
    tml_maximum_minimum_s8(&p, in1.data(), in2.data(), out.data());
    const std::vector<int8_t> want = maximum ? std::vector<int8_t>{-5, 0, 127, 7, 7, 8}
                                             : std::vector<int8_t>{-128, -5, -5, 3, 7, 7};
    EXPECT_EQ(out, want) << (maximum ? "MAXIMUM" : "MINIMUM");
  }
}

// ---- SQUARED_DIFFERENCE ----
// Equal scales: inputs << 7 times 0.5 -> 64 x; d^2 = 4096 (x1 - x2)^2. Output multiplier
// 2^-12 (2^30, -11) gives (x1 - x2)^2; 2^-15 (2^30, -14) gives (x1 - x2)^2 / 8, rounded
// half away from zero.
TEST(SquaredDifference, MatchesHandComputedOutput) {
  struct Case {
    int32_t output_shift;
    std::vector<int8_t> in1, in2, expected;
  };
  const std::vector<Case> cases = {
      // zero points 0 and 1, output zero point -100: (q1 - q2 + 1)^2 - 100.
      {-11, {3, -3, 0, 100}, {1, 1, 1, -100}, {-91, -91, -100, 127}},
      // d = 2, 1, 6, 3: 4/8 -> 1; 1/8 -> 0; 36/8 = 4.5 -> 5; 9/8 -> 1.
      {-14, {1, 0, 5, 2}, {0, 0, 0, 0}, {-99, -100, -95, -99}},
  };
  for (const Case& c : cases) {
    tml_squared_difference_s8_params_t p{};
    p.shape = Flat(static_cast<int32_t>(c.expected.size()));
    p.input1_offset = 0, p.input2_offset = -1, p.output_offset = -100;
    p.left_shift = 7;
    p.input1_multiplier = kHalf, p.input1_shift = 0;
    p.input2_multiplier = kHalf, p.input2_shift = 0;
    p.output_multiplier = kHalf, p.output_shift = c.output_shift;
    std::vector<int8_t> out(c.expected.size(), 0x55);
    tml_squared_difference_s8(&p, c.in1.data(), c.in2.data(), out.data());
    EXPECT_EQ(out, c.expected) << "output shift " << c.output_shift;
  }
}

// ---- Comparisons ----
// Input 1: scale 0.25 (2^30, -1), zero point 0 -> 64 q1; input 2: scale 0.125 (2^30, -2),
// zero point 1 -> 32 (q2 - 1). Pairs (less, equal, greater): (1, 4), (1, 3), (2, 3).
TEST(Comparisons, TruthTableSelectsTheResult) {
  struct Op {
    const char* name;
    int32_t lt, eq, gt;
  };
  const Op ops[] = {{"LESS", 1, 0, 0},          {"LESS_EQUAL", 1, 1, 0}, {"GREATER", 0, 0, 1},
                    {"GREATER_EQUAL", 0, 1, 1}, {"EQUAL", 0, 1, 0},      {"NOT_EQUAL", 1, 0, 1}};
  const std::vector<int8_t> in1 = {1, 1, 2}, in2 = {4, 3, 3};
  for (const Op& o : ops) {
    tml_compare_s8_params_t p{};
    p.shape = Flat(3);
    p.input1_offset = 0, p.input2_offset = -1, p.left_shift = 8;
    p.input1_multiplier = kHalf, p.input1_shift = -1;
    p.input2_multiplier = kHalf, p.input2_shift = -2;
    p.if_less = o.lt, p.if_equal = o.eq, p.if_greater = o.gt;
    std::vector<uint8_t> out(3, 0x55);
    tml_compare_s8(&p, in1.data(), in2.data(), out.data());
    const std::vector<uint8_t> want = {static_cast<uint8_t>(o.lt), static_cast<uint8_t>(o.eq),
                                       static_cast<uint8_t>(o.gt)};
    EXPECT_EQ(out, want) << o.name;
  }
}

}  // namespace
