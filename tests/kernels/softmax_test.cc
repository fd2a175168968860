// SOFTMAX int8 -> int8 and its fixed-point pieces against hand-derived values.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr int32_t kMax = INT32_MAX;
constexpr int32_t kMin = INT32_MIN;

TEST(SoftmaxHelpers, SatShiftLeft) {
  // Saturates exactly when |x| > 2^(31-e) - 1 (gemmlowp also maps -2^26 << 5 to min).
  EXPECT_EQ(tml_softmax_sat_shift_left((1 << 26) - 1, 5), 2147483616);
  EXPECT_EQ(tml_softmax_sat_shift_left(1 << 26, 5), kMax);
  EXPECT_EQ(tml_softmax_sat_shift_left(-((1 << 26) - 1), 5), -2147483616);
  EXPECT_EQ(tml_softmax_sat_shift_left(-(1 << 26), 5), kMin);
  EXPECT_EQ(tml_softmax_sat_shift_left(1 << 29, 1), 1 << 30);
  EXPECT_EQ(tml_softmax_sat_shift_left(-3, 2), -12);
}

TEST(SoftmaxHelpers, RoundingHalfSum) {
  // (a + b + sign) / 2 in 64 bits, truncating: ties away from zero.
  EXPECT_EQ(tml_softmax_rounding_half_sum(1, 2), 2);     // 1.5 -> 2
  EXPECT_EQ(tml_softmax_rounding_half_sum(-1, -2), -2);  // -1.5 -> -2
  EXPECT_EQ(tml_softmax_rounding_half_sum(-1, 0), -1);   // -0.5 -> -1
  EXPECT_EQ(tml_softmax_rounding_half_sum(1, 0), 1);     // 0.5 -> 1
  EXPECT_EQ(tml_softmax_rounding_half_sum(kMax, kMax), kMax);
  EXPECT_EQ(tml_softmax_rounding_half_sum(0, kMax), 1 << 30);  // (2^31 - 1 + 1) / 2
}

TEST(SoftmaxHelpers, CountLeadingZeros) {
  EXPECT_EQ(tml_softmax_clz(0u), 32);
  EXPECT_EQ(tml_softmax_clz(1u), 31);
  EXPECT_EQ(tml_softmax_clz(0x10000u), 15);
  EXPECT_EQ(tml_softmax_clz(0x80000000u), 0);
}

struct ExpCase {
  int32_t input, expected;
};

// exp on Q5.26 inputs (the softmax's scaled differences), result Q0.31.
// exp(-1/4), input -2^24: the argument is already in [-1/4, 0): a mod 1/4 - 1/4 = -1/4,
// no barrel-shifter bit. Q0.31 argument -2^29; t = -2^29 + 2^28 = -2^28 (-1/8):
//   t2 = SRDHM(t, t) = 2^56 / 2^31 = 33554432     t3 = SRDHM(t2, t) = -4194304
//   t4 = SRDHM(t2, t2) = 524288                    t4 / 4 = 131072
//   SRDHM(131072 - 4194304, 715827883 (1/3)) = -1354410.667 -> -1354411
//   (-1354411 + 33554432) / 2 = 16100010.5 -> 16100011
//   SRDHM(1895147668 (e^-1/8), -268435456 + 16100011) = -222685248.659 -> -222685249
//   result 1895147668 - 222685249 = 1672462419    (ideal e^-0.25 * 2^31 = 1672461946.7)
// exp(-1), input -2^26: a mod 1/4 - 1/4 = -1/4 again, and the remaining 3/4 (bits 24 and
// 25) multiplies by e^-1/4 (1672461947) and e^-1/2 (1302514674):
//   SRDHM(1672462419, 1672461947) = 1302515041.81 -> 1302515042
//   SRDHM(1302515042, 1302514674) = 790015307.87 -> 790015308  (ideal 790015084.35)
// exp(-4.25), input -17 * 2^24: -1/4 plus bit 28 (4.0): SRDHM(1672462419, 39332535 (e^-4))
//   = 30632217.71 -> 30632218.
// exp(-16.25), input -65 * 2^24: -1/4 plus bit 30 (16.0): SRDHM(1672462419, 242 (e^-16))
//   = 188.47 -> 188.
// exp(-32), input INT32_MIN: every barrel bit is set, the product underflows to 0.
class SoftmaxExp : public ::testing::TestWithParam<ExpCase> {};

TEST_P(SoftmaxExp, MatchesHandValue) {
  EXPECT_EQ(tml_softmax_exp_on_negative_values(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, SoftmaxExp,
                         ::testing::Values(ExpCase{0, kMax}, ExpCase{-(1 << 24), 1672462419},
                                           ExpCase{-(1 << 26), 790015308},
                                           ExpCase{-(17 << 24), 30632218},
                                           ExpCase{-(65 << 24), 188}, ExpCase{kMin, 0}));

TEST(SoftmaxHelpers, OneOverOnePlusX) {
  // x = 0: d = half_sum(0, 2^31 - 1) = 2^30 (1/2); x0 = 1515870810 + SRDHM(2^30, -1010580540)
  // = 1515870810 - 505290270 = 1010580540; Newton steps (Q2.29): 1070026456, 1073728968,
  // 1073741824 = 2^30 (exactly 2.0 = 1/d). As Q1.30 that is 1.0, which saturates to
  // INT32_MAX on the final shift to Q0.31.
  EXPECT_EQ(tml_softmax_one_over_one_plus_x(0), kMax);
  // x = 1/2 (2^30): d = 3/4 (1610612736); x0 = 1515870810 - 757935405 = 757935405;
  // steps 713350969, 715819313, 715827881; * 2 = 1431655762 (ideal 2/3 * 2^31 = 1431655765.3).
  EXPECT_EQ(tml_softmax_one_over_one_plus_x(1 << 30), 1431655762);
}

TEST(SoftmaxHelpers, GetReciprocal) {
  int32_t bits = -99;
  // 1.0 in Q12.19 = 2^19: 12 leading zeros -> 0 bits over unit, mantissa 1.0 -> 1/(1+0).
  EXPECT_EQ(tml_softmax_get_reciprocal(1 << 19, 12, &bits), kMax);
  EXPECT_EQ(bits, 0);
  // 1.5 = 3 * 2^18: 12 leading zeros, normalised 1.5 -> 1/(1 + 1/2).
  EXPECT_EQ(tml_softmax_get_reciprocal(3 << 18, 12, &bits), 1431655762);
  EXPECT_EQ(bits, 0);
  // 3.0 = 3 * 2^19: 11 leading zeros -> 1 bit over unit, again 1/(1 + 1/2).
  EXPECT_EQ(tml_softmax_get_reciprocal(3 << 19, 12, &bits), 1431655762);
  EXPECT_EQ(bits, 1);
}

// Softmax parameters as TFLM derives them for beta = 1:
//  input scale 1/16: beta * scale * 2^(31-5) = 2^22 -> multiplier 2^30, left shift 23;
//    radius floor((2^5 - 1) * 2^26 / 2^23) = 248 -> diff_min -248. A difference d becomes
//    d * 2^22 in Q5.26, i.e. d / 16.
//  input scale 1: 2^26 -> multiplier 2^30, left shift 27; radius floor(31 * 2^26 / 2^27)
//    = 15 -> diff_min -15.
tml_softmax_s8_params_t Scale1Over16(int32_t outer, int32_t depth) {
  return tml_softmax_s8_params_t{outer, depth, 1 << 30, 23, -248};
}
tml_softmax_s8_params_t Scale1(int32_t outer, int32_t depth) {
  return tml_softmax_s8_params_t{outer, depth, 1 << 30, 27, -15};
}

struct SoftmaxCase {
  std::string name;
  tml_softmax_s8_params_t p;
  std::vector<int8_t> input, expected;
};

// Output = round(256 * probability) - 128, clamped to int8. The sum of exponentials is
// Q12.19 (exp(0) = INT32_MAX / 2^12 -> 2^19); its reciprocal is a Q0.31 mantissa and a
// shift `exponent` = (12 - leading zeros of the sum) + 23.
std::vector<SoftmaxCase> Cases() {
  return {
      // sum 4.0 (2^21, 10 leading zeros, exponent 25), reciprocal mantissa 1.0 = INT32_MAX:
      // SRDHM(INT32_MAX, INT32_MAX) = 2^31 - 2, / 2^25 = 63.99999994 -> 64 -> -64.
      {"FourEqual", Scale1Over16(1, 4), {5, 5, 5, 5}, {-64, -64, -64, -64}},
      // sum 3.0: mantissa 1/1.5 = 1431655762, exponent 24: 1431655761 / 2^24 = 85.33 -> -43.
      {"ThreeEqual", Scale1Over16(1, 3), {-7, -7, -7}, {-43, -43, -43}},
      // sum 5.0: mantissa 1/1.25 ~ 0.8, exponent 25: 51.2 -> 51 -> -77.
      {"FiveEqual", Scale1Over16(1, 5), {1, 1, 1, 1, 1}, {-77, -77, -77, -77, -77}},
      // A single element: (2^31 - 2) / 2^23 -> 256 -> 128, clamped to 127.
      {"SingleElementClamps", Scale1Over16(1, 1), {-100}, {127}},
      // Large gap: difference -255 is below diff_min -248 -> -128 without evaluation; the
      // maximum alone gets 256 -> 127.
      {"LargeGap", Scale1Over16(1, 2), {127, -128}, {127, -128}},
      // Differences 0 and -16 (= -1.0): e^0 / (1 + e^-1) = 0.7311 -> 187.16 -> 187 -> 59,
      // e^-1 / (1 + e^-1) = 0.2689 -> 68.84 -> 69 -> -59.
      //   sum = 2^19 + round(790015308 / 2^12) = 524288 + 192875 = 717163 (12 leading zeros).
      {"OneApart", Scale1Over16(1, 2), {0, -16}, {59, -59}},
      // Differences 0, -1.0, -2.0: probabilities 0.66524, 0.24473, 0.09003
      //   -> 170.30, 62.65, 23.05 -> 170, 63, 23 -> 42, -65, -105.
      {"ThreeLevels", Scale1Over16(1, 3), {16, 0, -16}, {42, -65, -105}},
      // Rows are independent: [3 3] -> 128 each -> 0; [0 -16] as above.
      {"TwoRows", Scale1Over16(2, 2), {3, 3, 0, -16}, {0, 0, 59, -59}},
      // Scale 1: difference -128 is below diff_min -15. Were it evaluated, -128 << 27 would
      // wrap to 0 and count as exp(0) (giving [0 0]).
      {"DiffMinGuardsOverflow", Scale1(1, 2), {0, -128}, {127, -128}},
      // Scale 1: difference -15 is inside the radius but e^-15 (Q0.31 raw 657) adds 0 to
      // the Q12.19 sum and rounds to 0 at the output; -16 is outside.
      {"AtRadius", Scale1(1, 3), {0, -15, -16}, {127, -128, -128}},
  };
}

class Softmax : public ::testing::TestWithParam<SoftmaxCase> {};

TEST_P(Softmax, MatchesHandDerivedOutput) {
  const SoftmaxCase c = GetParam();
  std::vector<int8_t> out(c.expected.size(), 0x55);
  tml_softmax_s8(&c.p, c.input.data(), out.data());
  EXPECT_EQ(out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, Softmax, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<SoftmaxCase>& i) {
                           return i.param.name;
                         });

}  // namespace
