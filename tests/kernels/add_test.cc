// ADD (elementwise and broadcast) against hand-computed outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kHalf = 1 << 30;

// Parameters as TFLM derives them (left_shift 20, twice the larger input scale):
//  Equal scales s, output s: input multipliers s/2s = 0.5 -> (2^30, 0); output
//  2s / (2^20 s) = 2^-19 -> (2^30, -18). Then for offset-corrected inputs x1, x2:
//  x * 2^20 * 0.5 = x * 2^19 exactly, sum * 0.5 / 2^18 = x1 + x2 exactly.
tml_add_s8_params_t EqualScales() {
  tml_add_s8_params_t p{};
  p.left_shift = 20;
  p.input1_multiplier = kHalf, p.input1_shift = 0;
  p.input2_multiplier = kHalf, p.input2_shift = 0;
  p.output_multiplier = kHalf, p.output_shift = -18;
  p.act_min = -128, p.act_max = 127;
  return p;
}

// Scales 2s, s, output 2s: input1 2s/4s = 0.5 -> (2^30, 0), input2 s/4s = 0.25 ->
// (2^30, -1), output 4s / (2^20 2s) = 2^-19 -> (2^30, -18).
//  a = x1 * 2^19, b = x2 * 2^19 / 2 = x2 * 2^18, (a + b) * 0.5 = x1 * 2^18 + x2 * 2^17,
//  / 2^18 = x1 + x2 / 2, rounded half away from zero.
tml_add_s8_params_t HalfScaleInput2() {
  tml_add_s8_params_t p = EqualScales();
  p.input2_shift = -1;
  p.input1_offset = 1;   // zero point -1
  p.input2_offset = -1;  // zero point 1
  p.output_offset = -3;
  p.act_min = -8;
  return p;
}

struct AddCase {
  std::string name;
  tml_add_s8_params_t p;
  std::vector<int8_t> input1, input2, expected;
};

std::vector<AddCase> ElementwiseCases() {
  return {
      // x1 + x2, saturating at the int8 range.
      {"EqualScales", EqualScales(), {1, -5, 100, -100}, {2, 3, 100, -100}, {3, -2, 127, -128}},
      // (q1 + 1) + (q2 - 1) / 2 - 3:
      //   (-1, 2):  0 + 0.5 -> 1, -3 = -2        (-1, 0):  0 - 0.5 -> -1, -3 = -4
      //   (-1, 4):  0 + 1.5 -> 2, -3 = -1        (-1, -2): 0 - 1.5 -> -2, -3 = -5
      //   (4, 2):   5 + 0.5 -> 6, -3 = 3         (-6, 0): -5 - 0.5 -> -6, -3 = -9 -> -8 (act_min)
      {"DifferentScalesOffsetsRounding", HalfScaleInput2(), {-1, -1, -1, -1, 4, -6},
       {2, 0, 4, -2, 2, 0}, {-2, -4, -1, -5, 3, -8}},
  };
}

class AddElementwise : public ::testing::TestWithParam<AddCase> {};

TEST_P(AddElementwise, MatchesHandComputedOutput) {
  AddCase c = GetParam();
  c.p.size = static_cast<int32_t>(c.expected.size());
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_add_s8(&c.p, c.input1.data(), c.input2.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, AddElementwise, ::testing::ValuesIn(ElementwiseCases()),
                         [](const ::testing::TestParamInfo<AddCase>& i) { return i.param.name; });

struct BroadcastCase {
  std::string name;
  std::vector<int32_t> out_dims, strides1, strides2;  // rank 6
  std::vector<int8_t> input1, input2, expected;
};

std::vector<BroadcastCase> BroadcastCases() {
  return {
      // [2,3] + [3]: each row of input1 plus input2.
      {"RowVector",
       {1, 1, 1, 1, 2, 3},
       {0, 0, 0, 0, 3, 1},
       {0, 0, 0, 0, 0, 1},
       {1, 2, 3, 4, 5, 6},
       {10, 20, 30},
       {11, 22, 33, 14, 25, 36}},
      // [2,3] + [2,1]: input2 broadcast along the innermost dimension.
      {"ColumnVector",
       {1, 1, 1, 1, 2, 3},
       {0, 0, 0, 0, 3, 1},
       {0, 0, 0, 0, 1, 0},
       {1, 2, 3, 4, 5, 6},
       {10, 20},
       {11, 12, 13, 24, 25, 26}},
      // [2,1] + [1,3] -> [2,3]: both inputs broadcast.
      {"OuterSum",
       {1, 1, 1, 1, 2, 3},
       {0, 0, 0, 0, 1, 0},
       {0, 0, 0, 0, 0, 1},
       {1, 2},
       {10, 20, 30},
       {11, 21, 31, 12, 22, 32}},
      // [2,2,2] + [2,1,2]: broadcast along the middle dimension.
      //   out[i][j][k] = in1[i][j][k] + in2[i][k] = (0..7) + {10,20 | 30,40}
      {"MiddleDimension",
       {1, 1, 1, 2, 2, 2},
       {0, 0, 0, 4, 2, 1},
       {0, 0, 0, 2, 0, 1},
       {0, 1, 2, 3, 4, 5, 6, 7},
       {10, 20, 30, 40},
       {10, 21, 12, 23, 34, 45, 36, 47}},
      // Scalar input1 against a rank-6 input2 of 2 elements in the first dimension.
      {"ScalarLeadingDimension",
       {2, 1, 1, 1, 1, 1},
       {0, 0, 0, 0, 0, 0},
       {1, 0, 0, 0, 0, 0},
       {-3},
       {5, -7},
       {2, -10}},
  };
}

class AddBroadcast : public ::testing::TestWithParam<BroadcastCase> {};

TEST_P(AddBroadcast, MatchesHandComputedOutput) {
  const BroadcastCase c = GetParam();
  tml_add_s8_params_t p = EqualScales();
  // The rank-6 loops as they are (size-1 loops included: the walk takes them too).
  p.shape.rank = TML_ADD_MAX_RANK;
  for (int d = 0; d < TML_ADD_MAX_RANK; ++d) {
    p.shape.dims[d] = c.out_dims[d];
    p.shape.strides1[d] = c.strides1[d];
    p.shape.strides2[d] = c.strides2[d];
  }
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_add_broadcast_s8(&p, c.input1.data(), c.input2.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AddBroadcast, ::testing::ValuesIn(BroadcastCases()),
    [](const ::testing::TestParamInfo<BroadcastCase>& i) { return i.param.name; });

// The compiler may run ADD in place (compiler/src/ops/add.cc): the output written over
// either input. That must give what separate buffers give.
TEST(AddInPlace, OutputOverEitherInputMatchesSeparateBuffers) {
  tml_add_s8_params_t p = HalfScaleInput2();
  std::vector<int8_t> a(257), b(257);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<int8_t>((i * 37) % 256 - 128);
    b[i] = static_cast<int8_t>((i * 101 + 7) % 256 - 128);
  }
  p.size = static_cast<int32_t>(a.size());
  std::vector<int8_t> want(a.size());
  tml_add_s8(&p, a.data(), b.data(), want.data());
  std::vector<int8_t> over_a = a, over_b = b;
  tml_add_s8(&p, over_a.data(), b.data(), over_a.data());
  tml_add_s8(&p, a.data(), over_b.data(), over_b.data());
  EXPECT_EQ(over_a, want);
  EXPECT_EQ(over_b, want);
}

}  // namespace

namespace {

// tml_add_s8 takes a short form of TFLM's arithmetic when tml_add_short_ok(): it must
// give what the form as written (tml_add_s8_element) gives, for every pair of inputs
// (all 65536) and random parameters of the kind the compiler emits (multipliers in
// [2^30, 2^31) or 0, shifts in [-31, 0], left shift 20).
TEST(AddShortForm, EqualsTflmFormForEveryInputPair) {
  std::mt19937 rng(20261122);
  std::vector<int8_t> a(65536), b(65536), fast(65536);
  for (int i = 0; i < 65536; ++i) {
    a[i] = static_cast<int8_t>(i & 0xFF);
    b[i] = static_cast<int8_t>(i >> 8);
  }
  auto multiplier = [&]() -> int32_t {
    if (rng() % 16 == 0) return 0;
    return static_cast<int32_t>((1u << 30) + rng() % (1u << 30));
  };
  for (int trial = 0; trial < 200; ++trial) {
    tml_add_s8_params_t p{};
    p.size = 65536;
    p.left_shift = 20;
    p.input1_offset = static_cast<int32_t>(rng() % 256) - 127;
    p.input2_offset = static_cast<int32_t>(rng() % 256) - 127;
    p.output_offset = static_cast<int32_t>(rng() % 256) - 128;
    p.input1_multiplier = multiplier();
    p.input2_multiplier = multiplier();
    p.output_multiplier = multiplier();
    // Small right shifts are the usual case; the whole range is allowed.
    p.input1_shift = -static_cast<int32_t>(trial % 3 == 0 ? rng() % 32 : rng() % 4);
    p.input2_shift = -static_cast<int32_t>(trial % 3 == 1 ? rng() % 32 : rng() % 4);
    p.output_shift = -static_cast<int32_t>(trial % 3 == 2 ? rng() % 32 : 10 + rng() % 12);
    p.act_min = -128 + static_cast<int32_t>(rng() % 64);
    p.act_max = 127 - static_cast<int32_t>(rng() % 64);
    ASSERT_TRUE(tml_add_short_ok(&p));
    tml_add_s8(&p, a.data(), b.data(), fast.data());
    for (int i = 0; i < 65536; ++i) {
      const int8_t want = tml_add_s8_element(&p, a[i], b[i]);
      ASSERT_EQ(fast[i], want) << "trial " << trial << ": " << int{a[i]} << " + " << int{b[i]}
                               << " (shifts " << p.input1_shift << ", " << p.input2_shift
                               << ", " << p.output_shift << ")";
    }
  }
}

// tml_add_table_s8 looks each input's rescale up in a table and folds the output zero
// point into the rounding constant: it must give what TFLM's form as written gives, for
// every pair of inputs, over random parameters for which the compiler would choose it
// (short form, output right shift >= 1, the sums in int32: compiler/src/ops/add.cc).
TEST(AddTableForm, EqualsTflmFormForEveryInputPair) {
  std::mt19937 rng(20261202);
  std::vector<int8_t> a(65536), b(65536), fast(65536);
  for (int i = 0; i < 65536; ++i) {
    a[i] = static_cast<int8_t>(i & 0xFF);
    b[i] = static_cast<int8_t>(i >> 8);
  }
  auto multiplier = [&]() -> int32_t {
    if (rng() % 16 == 0) return 0;
    return static_cast<int32_t>((1u << 30) + rng() % (1u << 30));
  };
  int tested = 0;
  for (int trial = 0; trial < 300 && tested < 150; ++trial) {
    tml_add_s8_params_t p{};
    p.size = 65536;
    p.left_shift = 20;
    p.input1_offset = static_cast<int32_t>(rng() % 256) - 127;
    p.input2_offset = static_cast<int32_t>(rng() % 256) - 127;
    p.output_offset = static_cast<int32_t>(rng() % 256) - 128;
    p.input1_multiplier = multiplier();
    p.input2_multiplier = multiplier();
    p.output_multiplier = multiplier();
    p.input1_shift = -static_cast<int32_t>(trial % 3 == 0 ? rng() % 32 : rng() % 4);
    p.input2_shift = -static_cast<int32_t>(trial % 3 == 1 ? rng() % 32 : rng() % 4);
    p.output_shift = -static_cast<int32_t>(trial % 3 == 2 ? 1 + rng() % 31 : 10 + rng() % 12);
    p.act_min = trial % 2 ? -128 : -128 + static_cast<int32_t>(rng() % 64);
    p.act_max = trial % 2 ? 127 : 127 - static_cast<int32_t>(rng() % 64);
    std::vector<int32_t> t1(256), t2(256);
    int64_t smax = 0, max1 = INT64_MIN, min1 = INT64_MAX, max2 = INT64_MIN, min2 = INT64_MAX;
    for (int u = 0; u < 256; ++u) {
      t1[u] = tml_add_table_entry(&p, 1, static_cast<int8_t>(u));
      t2[u] = tml_add_table_entry(&p, 2, static_cast<int8_t>(u));
      max1 = std::max<int64_t>(max1, t1[u]);
      min1 = std::min<int64_t>(min1, t1[u]);
      max2 = std::max<int64_t>(max2, t2[u]);
      min2 = std::min<int64_t>(min2, t2[u]);
    }
    smax = std::max(max1 + max2, -(min1 + min2));
    const int64_t e = -p.output_shift;
    const int64_t round = (int64_t{1} << (e - 1)) + (int64_t{p.output_offset} << e);
    if (smax > INT32_MAX || std::abs(round) + ((smax * p.output_multiplier) >> 32) + 2 > INT32_MAX) {
      continue;  // the compiler keeps tml_add_s8 for these
    }
    ++tested;
    tml_add_table_s8_params_t q{};
    q.size = 65536;
    q.table1 = t1.data();
    q.table2 = t2.data();
    q.output_multiplier = p.output_multiplier;
    q.output_round = static_cast<int32_t>(round);
    q.output_shift = p.output_shift;
    q.act_min = p.act_min;
    q.act_max = p.act_max;
    tml_add_table_s8(&q, a.data(), b.data(), fast.data());
    for (int i = 0; i < 65536; ++i) {
      const int8_t want = tml_add_s8_element(&p, a[i], b[i]);
      ASSERT_EQ(fast[i], want) << "trial " << trial << ": " << int{a[i]} << " + " << int{b[i]}
                               << " (shifts " << p.input1_shift << ", " << p.input2_shift
                               << ", " << p.output_shift << ")";
    }
  }
  EXPECT_GE(tested, 100);
}

// Parameters outside the short form's bounds take TFLM's form as written.
TEST(AddShortForm, OutOfBoundsParametersAreNotShort) {
  tml_add_s8_params_t p{};
  p.left_shift = 20;
  EXPECT_TRUE(tml_add_short_ok(&p));
  p.left_shift = 22;
  EXPECT_FALSE(tml_add_short_ok(&p));
  p.left_shift = 20;
  p.output_shift = 1;
  EXPECT_FALSE(tml_add_short_ok(&p));
  p.output_shift = -32;
  EXPECT_FALSE(tml_add_short_ok(&p));
  p.output_shift = 0;
  p.input2_multiplier = -1;
  EXPECT_FALSE(tml_add_short_ok(&p));
}

}  // namespace
