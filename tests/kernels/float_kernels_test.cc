// The float32 kernels (tml_*_f32.h) against hand-computed values: operation order
// (sums left to right from 0, bias added last), TFLM's clamps (NONE clamps to
// [-FLT_MAX, FLT_MAX]; NaN passes through), window clamping, the LOGISTIC cutoffs.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

TEST(FloatKernels, ActivationClampKeepsNaNAndClampsInfinity) {
  EXPECT_EQ(tml_act_f32(kInf, -FLT_MAX, FLT_MAX), FLT_MAX);
  EXPECT_EQ(tml_act_f32(-kInf, -FLT_MAX, FLT_MAX), -FLT_MAX);
  EXPECT_TRUE(std::isnan(tml_act_f32(NAN, 0.0f, 6.0f)));
  EXPECT_EQ(tml_act_f32(7.0f, 0.0f, 6.0f), 6.0f);
  EXPECT_EQ(Bits(tml_act_f32(-0.0f, 0.0f, 6.0f)), Bits(-0.0f));  // -0 < 0 is false
}

TEST(FloatKernels, FullyConnectedSumsInOrderThenAddsBias) {
  // 1e8 + 1 - 1e8 in float is 0 in this order (1e8 + 1 rounds to 1e8); then + bias 0.5.
  const float in[3] = {1e8f, 1.0f, -1e8f};
  const float w[6] = {1, 1, 1, 2, 0, 1};
  const float bias[2] = {0.5f, -1.0f};
  float out[2];
  const tml_fully_connected_f32_params_t p = {1, 3, 2, -FLT_MAX, FLT_MAX};
  tml_fully_connected_f32(&p, in, w, bias, out);
  EXPECT_EQ(out[0], 0.5f);
  EXPECT_EQ(out[1], 1e8f);  // 2e8 - 1e8 = 1e8; + bias -1 rounds back to 1e8
  tml_fully_connected_f32(&p, in, w, nullptr, out);
  EXPECT_EQ(out[0], 0.0f);
}

TEST(FloatKernels, ConvSkipsPaddingAndClamps) {
  // 1x3x3x1 input 1..9, 3x3 filter of ones, SAME padding 1, stride 2: corners.
  std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> w(9, 1.0f);
  float out[4];
  tml_conv_2d_f32_params_t p = {1, 3, 3, 1, 3, 3, 1, 2, 2, 1, 2, 2, 1, 1, 1, 1, 0.0f, 20.0f};
  tml_conv_2d_f32(&p, in.data(), w.data(), nullptr, out);
  EXPECT_EQ(out[0], 12.0f);  // 1+2+4+5
  EXPECT_EQ(out[1], 16.0f);  // 2+3+5+6
  EXPECT_EQ(out[2], 20.0f);  // 24 clamped
  EXPECT_EQ(out[3], 20.0f);  // 28 clamped
}

TEST(FloatKernels, DepthwiseMultiplierOrder) {
  // 1x1x1x2 input, 1x1 filter, multiplier 2: oc = ic * 2 + m.
  const float in[2] = {2.0f, 3.0f};
  const float w[4] = {1.0f, 10.0f, 100.0f, 1000.0f};
  const float bias[4] = {0.0f, 1.0f, 2.0f, 3.0f};
  float out[4];
  const tml_depthwise_conv_2d_f32_params_t p = {1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 0, 0,
                                                -FLT_MAX, FLT_MAX};
  tml_depthwise_conv_2d_f32(&p, in, w, bias, out);
  EXPECT_EQ(std::vector<float>(out, out + 4), (std::vector<float>{2, 21, 302, 3003}));
}

TEST(FloatKernels, PoolsClampTheWindow) {
  // 1x2x2x1, 2x2 window, SAME stride 2 -> one output; then a 3x3 window, padding 1.
  const float in[4] = {1.0f, 2.0f, 3.0f, -4.0f};
  float out[1];
  tml_pool_2d_f32_params_t p = {1, 2, 2, 1, 1, 1, 3, 3, 2, 2, 1, 1, -FLT_MAX, FLT_MAX};
  tml_average_pool_2d_f32(&p, in, out);
  EXPECT_EQ(out[0], 0.5f);
  tml_max_pool_2d_f32(&p, in, out);
  EXPECT_EQ(out[0], 3.0f);
}

TEST(FloatKernels, SoftmaxAndLogistic) {
  const float in[3] = {0.0f, std::log(2.0f), 0.0f};
  float out[3];
  const tml_softmax_f32_params_t sp = {1, 3, 1.0f};
  tml_softmax_f32(&sp, in, out);
  float sum = 0.f;
  std::vector<float> e = {std::exp(0.0f - std::log(2.0f)), 1.0f, std::exp(0.0f - std::log(2.0f))};
  for (float v : e) sum += v;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out[i], e[i] / sum);
  const float li[4] = {17.0f, -10.0f, 0.0f, NAN};
  float lo[4];
  const tml_unary_f32_params_t up = {4};
  tml_logistic_f32(&up, li, lo);
  EXPECT_EQ(lo[0], 1.0f);
  EXPECT_EQ(lo[1], std::exp(-10.0f));
  EXPECT_EQ(lo[2], 0.5f);
  EXPECT_TRUE(std::isnan(lo[3]));
}

TEST(FloatKernels, ElementwiseActivations) {
  const float in[5] = {-3.0f, -0.5f, 0.0f, 2.0f, 7.0f};
  float out[5];
  const tml_unary_f32_params_t p = {5};
  tml_relu6_f32(&p, in, out);
  EXPECT_EQ(std::vector<float>(out, out + 5), (std::vector<float>{0, 0, 0, 2, 6}));
  tml_hard_swish_f32(&p, in, out);
  EXPECT_EQ(out[0], -0.0f);
  EXPECT_EQ(out[1], -0.5f * 2.5f / 6.0f);
  EXPECT_EQ(out[3], 2.0f * 5.0f / 6.0f);
  EXPECT_EQ(out[4], 7.0f);
  tml_elu_f32(&p, in, out);
  EXPECT_EQ(out[0], std::expm1(-3.0f));
  EXPECT_EQ(out[3], 2.0f);
  const tml_leaky_relu_f32_params_t lp = {5, 0.25f};
  tml_leaky_relu_f32(&lp, in, out);
  EXPECT_EQ(out[0], -0.75f);
  EXPECT_EQ(out[4], 7.0f);
}

TEST(FloatKernels, BroadcastBinaryAndMean) {
  // [2,2] - [2] (row broadcast), fused RELU.
  tml_sub_f32_params_t p = {};
  p.shape.rank = 2;
  p.shape.dims[0] = 2, p.shape.dims[1] = 2;
  p.shape.strides1[0] = 2, p.shape.strides1[1] = 1;
  p.shape.strides2[0] = 0, p.shape.strides2[1] = 1;
  p.act_min = 0.0f, p.act_max = FLT_MAX;
  const float a[4] = {1, 5, 3, 7};
  const float b[2] = {2, 4};
  float out[4];
  tml_sub_f32(&p, a, b, out);
  EXPECT_EQ(std::vector<float>(out, out + 4), (std::vector<float>{0, 1, 1, 3}));
  // MEAN over the last axis of [2,3].
  tml_mean_f32_params_t m = {};
  m.shape.outer_rank = 1, m.shape.outer_dims[0] = 2, m.shape.outer_strides[0] = 3;
  m.shape.inner_rank = 1, m.shape.inner_dims[0] = 3, m.shape.inner_strides[0] = 1;
  m.count = 3;
  const float x[6] = {1, 2, 4, 1e8f, 1, -1e8f};
  float y[2];
  tml_mean_f32(&m, x, y);
  EXPECT_EQ(y[0], 7.0f / 3.0f);
  EXPECT_EQ(y[1], 0.0f);  // (1e8 + 1) rounds to 1e8 first
}

// ROUND is TFLM's RoundToNearest: ties to the even neighbour (-0.5 gives +0: floor -1 + 1).
TEST(FloatKernels, RoundHalfToEvenAndMathCalls) {
  const float in[12] = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.7f, -3.7f, 0.49999997f,
                        8388607.5f, 1e30f, NAN};
  const float want[11] = {-2.0f, -2.0f, 0.0f, 0.0f, 2.0f, 2.0f, 4.0f, -4.0f, 0.0f, 8388608.0f, 1e30f};
  float out[12];
  const tml_unary_f32_params_t p = {12};
  tml_round_f32(&p, in, out);
  for (int i = 0; i < 11; ++i) EXPECT_EQ(Bits(out[i]), Bits(want[i])) << "round(" << in[i] << ")";
  EXPECT_TRUE(std::isnan(out[11]));
  // The others are the libm calls TFLM makes on a float.
  const float x[4] = {-2.25f, 0.0f, 4.0f, 1e-3f};
  const tml_unary_f32_params_t q = {4};
  float y[4];
  tml_rsqrt_f32(&q, x, y);
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_EQ(y[1], kInf);
  EXPECT_EQ(y[2], 0.5f);
  tml_square_f32(&q, x, y);
  EXPECT_EQ(y[0], 5.0625f);
  tml_floor_f32(&q, x, y);
  EXPECT_EQ(y[0], -3.0f);
  tml_ceil_f32(&q, x, y);
  EXPECT_EQ(y[0], -2.0f);
  EXPECT_EQ(y[3], 1.0f);
  tml_abs_f32(&q, x, y);
  EXPECT_EQ(y[0], 2.25f);
  tml_exp_f32(&q, x, y);
  EXPECT_EQ(Bits(y[3]), Bits(std::exp(1e-3f)));
  tml_log_f32(&q, x, y);
  EXPECT_EQ(y[1], -kInf);
  EXPECT_EQ(y[2], std::log(4.0f));
}

TEST(FloatKernels, MaximumMinimumTakeTheSecondOnNaN) {
  tml_maximum_minimum_f32_params_t p = {};
  p.shape.rank = 1, p.shape.dims[0] = 3, p.shape.strides1[0] = 1, p.shape.strides2[0] = 1;
  p.maximum = 1;
  const float a[3] = {1.0f, NAN, -0.0f};
  const float b[3] = {2.0f, 5.0f, 0.0f};
  float out[3];
  tml_maximum_minimum_f32(&p, a, b, out);
  EXPECT_EQ(out[0], 2.0f);
  EXPECT_EQ(out[1], 5.0f);
  EXPECT_EQ(Bits(out[2]), Bits(0.0f));  // -0 > 0 is false: the second
  p.maximum = 0;
  tml_maximum_minimum_f32(&p, a, b, out);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 5.0f);
}

TEST(FloatKernels, ComparisonsBroadcastAndTreatNaNAsUnordered) {
  tml_compare_f32_params_t p = {};
  // [2,2] against a broadcast [1,2] (stride 0 along the rows).
  p.shape.rank = 2, p.shape.dims[0] = 2, p.shape.dims[1] = 2;
  p.shape.strides1[0] = 2, p.shape.strides1[1] = 1;
  p.shape.strides2[0] = 0, p.shape.strides2[1] = 1;
  p.if_less = 1;  // LESS
  const float a[4] = {1.0f, 3.0f, NAN, -0.0f};
  const float b[2] = {2.0f, 0.0f};
  uint8_t out[4];
  tml_compare_f32(&p, a, b, out);
  EXPECT_EQ(out[0], 1);  // 1 < 2
  EXPECT_EQ(out[1], 0);  // 3 < 0
  EXPECT_EQ(out[2], 0);  // NaN < 2
  EXPECT_EQ(out[3], 0);  // -0 < 0
  p.if_less = 1, p.if_equal = 0, p.if_greater = 1, p.if_unordered = 1;  // NOT_EQUAL
  tml_compare_f32(&p, a, b, out);
  EXPECT_EQ(out[2], 1);  // NaN != 2
  EXPECT_EQ(out[3], 0);  // -0 == 0
}

}  // namespace

// TFLM's ReduceGeneric<float> for REDUCE_MAX: start from -FLT_MAX, take an input only
// when greater, so a NaN never wins and an all -inf row gives -FLT_MAX.
TEST(FloatKernels, ReduceMaxSkipsNaNAndStartsAtLowest) {
  tml_reduce_max_s8_params_t p = {};
  p.shape.outer_rank = 1, p.shape.outer_dims[0] = 3, p.shape.outer_strides[0] = 2;
  p.shape.inner_rank = 1, p.shape.inner_dims[0] = 2, p.shape.inner_strides[0] = 1;
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float x[6] = {-1.5f, 2.25f, nan, -7.0f, -inf, -inf};
  float y[3] = {0, 0, 0};
  tml_reduce_max_f32(&p, x, y);
  EXPECT_EQ(y[0], 2.25f);
  EXPECT_EQ(y[1], -7.0f);
  EXPECT_EQ(y[2], -FLT_MAX);
}
