// Kernel tests of the remaining small TFLM ops (batch 1): CAST, FILL, ZEROS_LIKE,
// ARG_MAX/ARG_MIN, LOGICAL_*, SELECT_V2, FLOOR_DIV/FLOOR_MOD, REDUCE_MIN, REVERSE_V2,
// ADD_N, BROADCAST_TO, BROADCAST_ARGS; expectations computed by hand from TFLM's
// reference semantics.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>

#include "tml_kernels_decls.h"

namespace {

uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

TEST(MiscKernels, CastConvertsLikeStaticCast) {
  const float f[4] = {1.9f, -1.9f, 200.5f, -0.0f};
  int32_t i32[4];
  tml_cast_f32_s32(f, i32, 4);
  EXPECT_EQ(i32[0], 1);
  EXPECT_EQ(i32[1], -1);
  EXPECT_EQ(i32[2], 200);
  EXPECT_EQ(i32[3], 0);
  const int32_t wide[3] = {300, -129, 65537};
  int8_t s8[3];
  tml_cast_s32_s8(wide, s8, 3);  // modulo 2^8
  EXPECT_EQ(s8[0], 44);
  EXPECT_EQ(s8[1], 127);
  EXPECT_EQ(s8[2], 1);
  int16_t s16[3];
  tml_cast_s32_s16(wide, s16, 3);
  EXPECT_EQ(s16[2], 1);
  const uint8_t b[3] = {0, 1, 1};
  float bf[3];
  tml_cast_b_f32(b, bf, 3);
  EXPECT_EQ(bf[0], 0.0f);
  EXPECT_EQ(bf[1], 1.0f);
  const int8_t n[2] = {-128, 127};
  float nf[2];
  tml_cast_s8_f32(n, nf, 2);
  EXPECT_EQ(nf[0], -128.0f);
  EXPECT_EQ(nf[1], 127.0f);
}

TEST(MiscKernels, FillAndZeros) {
  const float v = -2.5f;
  float out[5];
  tml_fill(&v, 4, out, 5);
  for (float x : out) EXPECT_EQ(x, -2.5f);
  int32_t z[3] = {7, 8, 9};
  tml_zeros(z, sizeof(z));
  for (int32_t x : z) EXPECT_EQ(x, 0);
}

TEST(MiscKernels, ArgMinMaxFirstExtremeAndNaN) {
  // input [2][3][2]: axis 1 of size 3, inner 2.
  const int8_t in[12] = {1, 5, 3, 5, 3, -1,  // outer 0
                         -7, 0, -7, 0, -8, 0};
  int32_t out[4];
  tml_arg_min_max_params_t p = {2, 3, 2, 1};
  tml_arg_min_max_s8(&p, in, out);
  EXPECT_EQ(out[0], 1);  // 1, 3, 3: first 3
  EXPECT_EQ(out[1], 0);  // 5, 5, -1: first 5
  EXPECT_EQ(out[2], 0);  // -7, -7, -8
  EXPECT_EQ(out[3], 0);  // all 0
  p.is_max = 0;
  tml_arg_min_max_s8(&p, in, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 2);
  EXPECT_EQ(out[2], 2);
  EXPECT_EQ(out[3], 0);
  const float f[4] = {NAN, 2.0f, NAN, 3.0f};
  tml_arg_min_max_params_t q = {1, 4, 1, 1};
  int32_t r;
  tml_arg_min_max_f32(&q, f, &r);
  EXPECT_EQ(r, 3);  // a NaN never wins; a number replaces a NaN
  q.is_max = 0;
  tml_arg_min_max_f32(&q, f, &r);
  EXPECT_EQ(r, 1);
  const float nan2[2] = {NAN, NAN};
  tml_arg_min_max_params_t n = {1, 2, 1, 1};
  tml_arg_min_max_f32(&n, nan2, &r);
  EXPECT_EQ(r, 0);
}

TEST(MiscKernels, LogicalBroadcastAndNot) {
  tml_logical_params_t p = {};
  p.shape.rank = 2, p.shape.dims[0] = 2, p.shape.dims[1] = 2;
  p.shape.strides1[0] = 2, p.shape.strides1[1] = 1;
  p.shape.strides2[0] = 0, p.shape.strides2[1] = 1;  // [1,2] broadcast over rows
  const uint8_t a[4] = {0, 1, 1, 1};
  const uint8_t b[2] = {1, 0};
  uint8_t out[4];
  p.is_and = 1;
  tml_logical_binary(&p, a, b, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 1);
  EXPECT_EQ(out[3], 0);
  p.is_and = 0;
  tml_logical_binary(&p, a, b, out);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 1);
  EXPECT_EQ(out[2], 1);
  EXPECT_EQ(out[3], 1);
  tml_logical_not(a, out, 4);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 0);
}

TEST(MiscKernels, SelectBroadcastsThreeInputs) {
  // condition [2,1], x [2,3], y [3] (scalar-like row) -> [2,3].
  tml_select_params_t p = {};
  p.shape.rank = 2, p.shape.dims[0] = 2, p.shape.dims[1] = 3;
  p.shape.strides[0][0] = 1, p.shape.strides[0][1] = 0;
  p.shape.strides[1][0] = 3, p.shape.strides[1][1] = 1;
  p.shape.strides[2][0] = 0, p.shape.strides[2][1] = 1;
  const uint8_t c[2] = {1, 0};
  const int16_t x[6] = {1, 2, 3, 4, 5, 6};
  const int16_t y[3] = {-1, -2, -3};
  int16_t out[6];
  tml_select_16(&p, c, x, y, out);
  const int16_t want[6] = {1, 2, 3, -1, -2, -3};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(MiscKernels, FloorDivModSigns) {
  tml_floor_div_mod_f32_params_t p = {};
  p.shape.rank = 1, p.shape.dims[0] = 4;
  p.shape.strides1[0] = 1, p.shape.strides2[0] = 1;
  const float a[4] = {7.0f, -7.0f, 7.0f, -7.0f};
  const float b[4] = {2.0f, 2.0f, -2.0f, -2.0f};
  float out[4];
  tml_floor_div_mod_f32(&p, a, b, out);
  EXPECT_EQ(out[0], 3.0f);
  EXPECT_EQ(out[1], -4.0f);
  EXPECT_EQ(out[2], -4.0f);
  EXPECT_EQ(out[3], 3.0f);
  p.is_mod = 1;
  tml_floor_div_mod_f32(&p, a, b, out);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 1.0f);   // -7 mod 2: the sign of the divisor
  EXPECT_EQ(out[2], -1.0f);
  EXPECT_EQ(out[3], -1.0f);
  const float z[4] = {4.0f, -4.0f, 0.5f, -0.5f};
  tml_floor_div_mod_f32(&p, z, b, out);
  EXPECT_EQ(Bits(out[0]), Bits(0.0f));
  EXPECT_EQ(Bits(out[1]), Bits(-0.0f));  // fmod keeps the zero's sign; no adjustment
  EXPECT_EQ(out[2], -1.5f);              // 0.5 mod -2
  EXPECT_EQ(out[3], -0.5f);
}

TEST(MiscKernels, ReduceMinInt8AndFloat) {
  tml_reduce_max_s8_params_t p = {};
  // [2,3] reduced over axis 1.
  p.shape.outer_rank = 1, p.shape.outer_dims[0] = 2, p.shape.outer_strides[0] = 3;
  p.shape.inner_rank = 1, p.shape.inner_dims[0] = 3, p.shape.inner_strides[0] = 1;
  const int8_t a[6] = {5, -3, 9, 127, 127, 127};
  int8_t out[2];
  tml_reduce_min_s8(&p, a, out);
  EXPECT_EQ(out[0], -3);
  EXPECT_EQ(out[1], 127);
  const float f[6] = {NAN, 2.0f, -1.0f, INFINITY, NAN, INFINITY};
  float fo[2];
  tml_reduce_min_f32(&p, f, fo);
  EXPECT_EQ(fo[0], -1.0f);
  EXPECT_EQ(fo[1], FLT_MAX);  // starts from FLT_MAX; +inf and NaN never less
}

TEST(MiscKernels, ReverseBlocks) {
  // [2][3][2] int16 reversed over axis 1.
  const int16_t in[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  int16_t out[12];
  tml_reverse_params_t p = {2, 3, 4};
  tml_reverse(&p, in, out);
  const int16_t want[12] = {4, 5, 2, 3, 0, 1, 10, 11, 8, 9, 6, 7};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(MiscKernels, AddNFloatAndInt8) {
  const float a[2] = {1.0f, -0.0f}, b[2] = {2.0f, -0.0f}, c[2] = {0.5f, -0.0f};
  const float *const in[3] = {a, b, c};
  float out[2];
  tml_add_n_f32_params_t p = {3, 2};
  tml_add_n_f32(&p, in, out);
  EXPECT_EQ(out[0], 3.5f);
  EXPECT_EQ(Bits(out[1]), Bits(0.0f));  // 0.f + -0 + -0 = +0
  // int8, scale 1 in and out, zero point 0: input multiplier 1/2 (2^30, shift 0),
  // output multiplier 2 / 2^20 = 2^-19 (2^30, shift -18).
  tml_add_n_s8_params_t q = {2, 2, 0, 0, 20, 1 << 30, 0, 1 << 30, -18, -128, 127};
  const int8_t x[2] = {3, 100}, y[2] = {-5, 100};
  const int8_t *const xi[2] = {x, y};
  int8_t o8[2];
  tml_add_n_s8(&q, xi, o8);
  EXPECT_EQ(o8[0], -2);
  EXPECT_EQ(o8[1], 127);  // 200 clamped
}

TEST(MiscKernels, BroadcastToAndArgs) {
  tml_broadcast_to_params_t p = {};
  // [1,3] -> [2,3]; then [2,1] -> [2,3].
  p.shape.rank = 2, p.shape.dims[0] = 2, p.shape.dims[1] = 3;
  p.shape.strides1[0] = 0, p.shape.strides1[1] = 1;
  p.elem_bytes = 4;
  const int32_t row[3] = {1, 2, 3};
  int32_t out[6];
  tml_broadcast_to(&p, row, out);
  const int32_t want[6] = {1, 2, 3, 1, 2, 3};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
  p.shape.strides1[0] = 1, p.shape.strides1[1] = 0;
  const int32_t col[2] = {7, 8};
  tml_broadcast_to(&p, col, out);
  const int32_t want2[6] = {7, 7, 7, 8, 8, 8};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want2[i]) << i;
  const int32_t s1[3] = {2, 1, 4}, s2[2] = {3, 1};
  int32_t so[3];
  tml_broadcast_args_s32(s1, 3, s2, 2, so, 3);
  EXPECT_EQ(so[0], 2);
  EXPECT_EQ(so[1], 3);
  EXPECT_EQ(so[2], 4);
  const int64_t l1[1] = {5}, l2[2] = {1, 1};
  int64_t lo[2];
  tml_broadcast_args_s64(l1, 1, l2, 2, lo, 2);
  EXPECT_EQ(lo[0], 1);
  EXPECT_EQ(lo[1], 5);
}

}  // namespace
