// MIRROR_PAD, GATHER_ND, EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE, CUMSUM, int8/int32 DIV,
// L2_POOL_2D and int16 TRANSPOSE_CONV kernels against hand-computed outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tml_kernels_decls.h"

namespace {

tml_mirror_pad_params_t MirrorPad1D(int32_t n, int32_t l, int32_t r, int32_t offset, int32_t es) {
  tml_mirror_pad_params_t p = {es, offset, {1, 1, 1, 1, n}, {1, 1, 1, 1, n + l + r}, {0, 0, 0, 0, l}};
  return p;
}

TEST(MirrorPad, ReflectAndSymmetric1D) {
  const std::vector<int8_t> in = {1, 2, 3};
  std::vector<int8_t> out(7, 0);
  tml_mirror_pad_params_t p = MirrorPad1D(3, 2, 2, 1, 1);
  tml_mirror_pad(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{3, 2, 1, 2, 3, 2, 1}));
  p = MirrorPad1D(3, 2, 2, 0, 1);
  tml_mirror_pad(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{2, 1, 1, 2, 3, 3, 2}));
}

TEST(MirrorPad, Symmetric2DFloat) {
  const std::vector<float> in = {1, 2, 3, 4};
  std::vector<float> out(16, 0.f);
  const tml_mirror_pad_params_t p = {4, 0, {1, 1, 1, 2, 2}, {1, 1, 1, 4, 4}, {0, 0, 0, 1, 1}};
  tml_mirror_pad(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
}

TEST(GatherNd, SlicesAndElements) {
  const std::vector<int8_t> params = {1, 2, 3, 4, 5, 6};  // [3, 2]
  std::vector<int8_t> out(4, 0);
  const tml_gather_nd_params_t rows = {2, 1, {3, 0, 0, 0, 0}, {2, 0, 0, 0, 0}, 1, 2};
  const std::vector<int32_t> idx1 = {2, 0};
  EXPECT_EQ(tml_gather_nd(&rows, params.data(), idx1.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<int8_t>{5, 6, 1, 2}));
  const tml_gather_nd_params_t elems = {2, 2, {3, 2, 0, 0, 0}, {2, 1, 0, 0, 0}, 1, 1};
  const std::vector<int32_t> idx2 = {1, 1, 2, 0};
  EXPECT_EQ(tml_gather_nd(&elems, params.data(), idx2.data(), out.data()), 0);
  EXPECT_EQ(out[0], 4);
  EXPECT_EQ(out[1], 5);
  const std::vector<int32_t> bad = {1, 2, 0, 0};
  EXPECT_EQ(tml_gather_nd(&elems, params.data(), bad.data(), out.data()), -1);
}

TEST(EmbeddingLookup, CopyAndDequantize) {
  const std::vector<float> table = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f};  // [3, 2]
  const std::vector<int32_t> lookup = {2, 0};
  std::vector<float> out(4, 0.f);
  const tml_embedding_lookup_params_t p = {2, 3, 2, 4, 0.f};
  EXPECT_EQ(tml_embedding_lookup(&p, lookup.data(), table.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<float>{4.5f, 5.5f, 0.5f, 1.5f}));
  const std::vector<int8_t> q = {-2, 4, 7, -128};  // [2, 2], scale 0.5
  const tml_embedding_lookup_params_t h = {2, 2, 2, 1, 0.5f};
  const std::vector<int32_t> l2 = {1, 0};
  EXPECT_EQ(tml_embedding_lookup_s8_f32(&h, l2.data(), q.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<float>{3.5f, -64.f, -1.f, 2.f}));
  const std::vector<int32_t> bad = {0, 2};
  EXPECT_EQ(tml_embedding_lookup_s8_f32(&h, bad.data(), q.data(), out.data()), -1);
  EXPECT_EQ(tml_embedding_lookup(&p, bad.data() + 1, table.data(), out.data()), 0);
  const std::vector<int32_t> neg = {-1};
  EXPECT_EQ(tml_embedding_lookup(&p, neg.data(), table.data(), out.data()), -1);
}

TEST(DynamicUpdateSlice, StartIndicesClamped) {
  std::vector<int32_t> operand(9);
  for (int i = 0; i < 9; ++i) operand[i] = i;
  const std::vector<int32_t> update = {100, 101, 102, 103};  // [2, 2]
  const tml_dynamic_update_slice_params_t p = {4, 2, 0, {1, 1, 1, 1, 3, 3}, {1, 1, 1, 1, 2, 2}};
  const std::vector<int32_t> start = {2, -5};  // clamped to (1, 0)
  std::vector<int32_t> out(9, -1);
  tml_dynamic_update_slice(&p, operand.data(), update.data(), start.data(), out.data());
  EXPECT_EQ(out, (std::vector<int32_t>{0, 1, 2, 100, 101, 5, 102, 103, 8}));
  const tml_dynamic_update_slice_params_t p64 = {4, 2, 1, {1, 1, 1, 1, 3, 3}, {1, 1, 1, 1, 2, 2}};
  const std::vector<int64_t> start64 = {0, 1};
  tml_dynamic_update_slice(&p64, operand.data(), update.data(), start64.data(), out.data());
  EXPECT_EQ(out, (std::vector<int32_t>{0, 100, 101, 3, 102, 103, 6, 7, 8}));
}

TEST(Cumsum, FloatFlags) {
  const std::vector<float> in = {1, 2, 3, 4};
  std::vector<float> out(4, 0.f);
  tml_cumsum_params_t p = {1, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  tml_cumsum_f32(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 3, 6, 10}));
  p.exclusive = 1;
  tml_cumsum_f32(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 1, 3, 6}));
  p.reverse = 1;
  tml_cumsum_f32(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{9, 7, 4, 0}));
  p.exclusive = 0;
  tml_cumsum_f32(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{10, 9, 7, 4}));
  // [2, 2] along axis 0.
  const tml_cumsum_params_t a0 = {1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0};
  tml_cumsum_f32(&a0, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 2, 4, 6}));
}

TEST(Cumsum, Int8StartsAtTheScaledInputOffset) {
  // Scales 1 -> 1: input multiplier 0.5 (2^30, shift 0), output 2 / 2^20 (2^30, shift -18).
  tml_cumsum_params_t p = {1, 4, 1, 0, 0, 0, 1 << 30, 0, 1 << 30, -18, 0};
  const std::vector<int8_t> in = {1, 2, 3, 100};
  std::vector<int8_t> out(4, 0);
  tml_cumsum_s8(&p, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{1, 3, 6, 106}));
  // Input zero point 1: the sum starts at -1 (TFLM's accumulator = scaled input offset).
  p.input_offset = -1;
  const std::vector<int8_t> in2 = {2, 3, 1, 1};
  tml_cumsum_s8(&p, in2.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{0, 2, 2, 2}));
  p.exclusive = 1;
  tml_cumsum_s8(&p, in2.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{-1, 0, 2, 2}));
}

tml_broadcast_t Flat(int32_t n) {
  tml_broadcast_t b = {};
  b.rank = 1;
  b.dims[0] = n;
  b.strides1[0] = 1;
  b.strides2[0] = 1;
  return b;
}

TEST(Div, Int8) {
  // All scales 1, zero points 0: multiplier 1 = 2^30 * 2^(1 - 31).
  const tml_div_s8_params_t p = {Flat(4), 0, 0, 0, 1 << 30, 1, -128, 127};
  const std::vector<int8_t> a = {6, 100, -8, 127}, b = {3, 7, 2, -1};
  std::vector<int8_t> out(4, 0);
  tml_div_s8(&p, a.data(), b.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{2, 14, -4, -127}));
  // 0 / 5: the final shift exponent is 31 + 2 - 1 = 32; TFLM's x86-64 build then adds 1
  // (a 64-bit mask cut to 32 bits). Measured on the pip TFLM: 0 / x gives zp_out + 1 on
  // 5 of 6 exported DIV sweep models (the sixth has an exponent <= 31 and gives zp_out).
  const std::vector<int8_t> zero = {0, 0}, five = {5, 1};
  std::vector<int8_t> z(2, 0);
  const tml_div_s8_params_t p2 = {Flat(2), 0, 0, 0, 1 << 30, 1, -128, 127};
  tml_div_s8(&p2, zero.data(), five.data(), z.data());
  EXPECT_EQ(z, (std::vector<int8_t>{1, 0}));  // 0 / 1: exponent 31 + 0 - 1 = 30, exact 0
  // Output zero point 10 and RELU6-like clamp.
  const tml_div_s8_params_t q = {Flat(4), 0, 0, 10, 1 << 30, 1, 10, 16};
  tml_div_s8(&q, a.data(), b.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{12, 16, 10, 10}));
}

TEST(Div, Int32) {
  tml_div_s32_params_t p = {Flat(3), INT32_MIN, INT32_MAX};
  const std::vector<int32_t> a = {7, -7, 100}, b = {2, 2, 3};
  std::vector<int32_t> out(3, 0);
  EXPECT_EQ(tml_div_s32(&p, a.data(), b.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<int32_t>{3, -3, 33}));
  p.act_min = 0;
  p.act_max = 6;
  EXPECT_EQ(tml_div_s32(&p, a.data(), b.data(), out.data()), 0);
  EXPECT_EQ(out, (std::vector<int32_t>{3, 0, 6}));
  const std::vector<int32_t> zero = {1, 0, 1};
  EXPECT_EQ(tml_div_s32(&p, a.data(), zero.data(), out.data()), -1);
}

TEST(L2Pool, ValidAndClippedWindows) {
  const std::vector<float> in = {3, 4, 0, 0};  // [1, 2, 2, 1]
  std::vector<float> out(1, 0.f);
  tml_pool_2d_f32_params_t p = {1, 2, 2, 1, 1, 1, 2, 2, 1, 1, 0, 0, -1e30f, 1e30f};
  tml_l2_pool_2d_f32(&p, in.data(), out.data());
  EXPECT_EQ(out[0], 2.5f);
  // SAME 2x2 stride 1 on 2x2: the last row/column windows are clipped.
  std::vector<float> same(4, 0.f);
  p.output_h = 2;
  p.output_w = 2;
  tml_l2_pool_2d_f32(&p, in.data(), same.data());
  EXPECT_EQ(same, (std::vector<float>{2.5f, std::sqrt(8.f), 0.f, 0.f}));
  p.act_max = 1.f;
  tml_l2_pool_2d_f32(&p, in.data(), same.data());
  EXPECT_EQ(same[0], 1.f);
}

TEST(TransposeConvS16, ScatterBiasAndClamp) {
  // One input pixel (100) spread by a 2x2 filter {1, 2, 3, 4}, multiplier 1.0.
  const int32_t mult[1] = {1 << 30}, shift[1] = {1};
  tml_transpose_conv_s8_params_t p = {1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 0, 0,
                                      0, 0, -32768, 32767, mult, shift};
  const std::vector<int16_t> in = {100};
  const std::vector<int8_t> w = {1, 2, 3, 4};
  const std::vector<int64_t> bias = {5};
  std::vector<int64_t> scratch(5);
  std::vector<int16_t> out(4, 0);
  tml_transpose_conv_s16(&p, in.data(), w.data(), nullptr, out.data(), scratch.data());
  EXPECT_EQ(out, (std::vector<int16_t>{100, 200, 300, 400}));
  p.act_max = 250;
  // A scratch address that is not 8-aligned: the kernel aligns it.
  tml_transpose_conv_s16(&p, in.data(), w.data(), bias.data(), out.data(),
                         reinterpret_cast<uint8_t*>(scratch.data()) + 4);
  EXPECT_EQ(out, (std::vector<int16_t>{105, 205, 250, 250}));
}

}  // namespace
