// The int4-weight kernels (tml_s4_common.h, tml_conv_2d_s4.h, tml_depthwise_conv_2d_s4.h,
// tml_fully_connected_s4.h): the unpacking against hand-computed values (TFLM's
// UnpackDenseInt4IntoInt8 order: low nibble first, sign-extended), and each op against
// its int8 kernel run on the unpacked weights (what TFLM does) on random layers.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#define TML_KERNEL
#define TML_DECLARATIONS_ONLY
extern "C" {
#include "tml_common.h"
#include "tml_conv_2d.h"
#include "tml_conv_2d_s4.h"
#include "tml_depthwise_conv_2d.h"
#include "tml_depthwise_conv_2d_s4.h"
#include "tml_fully_connected.h"
#include "tml_fully_connected_s4.h"
#include "tml_s4_common.h"
}

namespace {

// Values in [-8, 7], two per byte, element 2i in the low nibble.
std::vector<int8_t> Pack4(const std::vector<int8_t>& v) {
  std::vector<int8_t> p((v.size() + 1) / 2, 0);
  for (size_t i = 0; i < v.size(); ++i) {
    const uint8_t nib = static_cast<uint8_t>(v[i]) & 0x0F;
    p[i / 2] = static_cast<int8_t>(static_cast<uint8_t>(p[i / 2]) | (i % 2 ? nib << 4 : nib));
  }
  return p;
}

std::vector<int8_t> Random(std::mt19937& rng, size_t n, int lo, int hi) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(d(rng));
  return v;
}

std::vector<int32_t> RandomBias(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int32_t> d(-20000, 20000);
  std::vector<int32_t> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

void RandomQuant(std::mt19937& rng, int n, std::vector<int32_t>* m, std::vector<int32_t>* s) {
  for (int i = 0; i < n; ++i) {
    m->push_back(static_cast<int32_t>((1u << 30) + (rng() & 0x3FFFFFFFu)));
    s->push_back(std::uniform_int_distribution<int>(-12, 1)(rng));
  }
}

TEST(Int4Kernels, UnpackHandComputed) {
  // bytes 0x12 0x34 0xF8 0x7F 0x8E: elements 2 1 4 3 -8 -1 -1 7 -2 -8
  const std::vector<int8_t> packed = {0x12, 0x34, static_cast<int8_t>(0xF8), 0x7F,
                                      static_cast<int8_t>(0x8E)};
  const std::vector<int8_t> all = {2, 1, 4, 3, -8, -1, -1, 7, -2, -8};
  std::vector<int8_t> out(10, 99);
  tml_s4_unpack(packed.data(), 0, 10, 0, out.data());
  EXPECT_EQ(out, all);
  // An odd start (a row beginning in a high nibble) and an odd count.
  out.assign(4, 99);
  tml_s4_unpack(packed.data(), 1, 4, 0, out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{1, 4, 3, -8}));
  out.assign(9, 99);
  tml_s4_unpack(packed.data(), 0, 9, 0, out.data());
  EXPECT_EQ(out, (std::vector<int8_t>(all.begin(), all.begin() + 9)));
  out.assign(3, 99);
  tml_s4_unpack(packed.data(), 7, 3, 8, out.data());  // with an offset
  EXPECT_EQ(out, (std::vector<int8_t>{15, 6, 0}));
  out.assign(2, 99);
  tml_s4_unpack(packed.data(), 3, 0, 0, out.data());  // nothing
  EXPECT_EQ(out, (std::vector<int8_t>{99, 99}));
}

TEST(Int4Kernels, UnpackRandomRoundTrip) {
  std::mt19937 rng(7);
  for (int iter = 0; iter < 200; ++iter) {
    const int n = std::uniform_int_distribution<int>(1, 70)(rng);
    const auto v = Random(rng, static_cast<size_t>(n), -8, 7);
    const auto p = Pack4(v);
    const int first = std::uniform_int_distribution<int>(0, n - 1)(rng);
    const int count = std::uniform_int_distribution<int>(0, n - first)(rng);
    std::vector<int8_t> out(static_cast<size_t>(count) + 1, 55);
    tml_s4_unpack(p.data(), first, count, 0, out.data());
    for (int i = 0; i < count; ++i) ASSERT_EQ(out[i], v[first + i]) << iter << " " << i;
    ASSERT_EQ(out[count], 55);  // nothing written past the count
  }
}

TEST(Int4Kernels, DotMatchesScalar) {
  std::mt19937 rng(8);
  for (int iter = 0; iter < 300; ++iter) {
    const int n = std::uniform_int_distribution<int>(0, 45)(rng);
    const auto x = Random(rng, static_cast<size_t>(n) + 3, -128, 127);
    const auto w = Random(rng, static_cast<size_t>(n) + 3, -16, 15);
    const int32_t off = std::uniform_int_distribution<int>(-127, 128)(rng);
    const int s = std::uniform_int_distribution<int>(0, 3)(rng);  // unaligned starts
    int32_t want = 17;
    for (int i = 0; i < n; ++i) want += w[i] * (x[s + i] + off);
    ASSERT_EQ(tml_s4_dot(x.data() + s, w.data(), n, off, 17), want) << iter;
  }
}

TEST(Int4Kernels, Conv2DMatchesInt8OnUnpacked) {
  std::mt19937 rng(9);
  for (int iter = 0; iter < 200; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    tml_conv_2d_s8_params_t p{};
    p.batches = r(1, 2);
    p.input_h = r(1, 7), p.input_w = r(1, 7);
    const int groups = r(0, 3) == 0 ? r(2, 3) : 1;
    p.filter_c = r(1, 9);
    p.input_c = groups * p.filter_c;
    p.output_c = groups * r(1, 5);
    p.filter_h = r(1, 3), p.filter_w = r(1, 3);
    p.stride_h = r(1, 2), p.stride_w = r(1, 2);
    p.dilation_h = r(1, 2), p.dilation_w = r(1, 2);
    p.pad_h = r(0, 1), p.pad_w = r(0, 1);
    p.output_h = r(1, 5), p.output_w = r(1, 5);
    p.input_offset = r(-127, 128), p.output_offset = r(-128, 127);
    p.act_min = r(-128, 0), p.act_max = r(0, 127);
    std::vector<int32_t> m, s;
    RandomQuant(rng, p.output_c, &m, &s);
    p.output_multiplier = m.data(), p.output_shift = s.data();
    const int k = p.filter_h * p.filter_w * p.filter_c;
    const auto w = Random(rng, static_cast<size_t>(p.output_c * k), -8, 7);
    const auto packed = Pack4(w);
    const auto in = Random(rng, static_cast<size_t>(p.batches * p.input_h * p.input_w * p.input_c), -128, 127);
    const auto bias = RandomBias(rng, static_cast<size_t>(p.output_c));
    const int32_t* b = r(0, 3) == 0 ? nullptr : bias.data();
    const size_t on = static_cast<size_t>(p.batches * p.output_h * p.output_w * p.output_c);
    const int block = r(1, 5), kp = (k + 1) / 2 * 2;
    const size_t used = static_cast<size_t>((block + 1) * kp);
    std::vector<int8_t> want(on, 0), got(on, 1);
    std::vector<int16_t> scratch(used + 1, 777);
    tml_conv_2d_s8(&p, in.data(), w.data(), b, want.data());
    tml_conv_2d_s4(&p, in.data(), packed.data(), b, got.data(), scratch.data(), block);
    ASSERT_EQ(got, want) << "iter " << iter << " block " << block;
    ASSERT_EQ(scratch[used], 777);  // (block + 1) * kp int16 at most
  }
}

TEST(Int4Kernels, DepthwiseMatchesInt8OnUnpacked) {
  std::mt19937 rng(10);
  for (int iter = 0; iter < 200; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    tml_depthwise_conv_2d_s8_params_t p{};
    p.batches = r(1, 2);
    p.input_h = r(1, 7), p.input_w = r(1, 7);
    p.input_c = r(0, 3) == 0 ? r(17, 40) : r(1, 9);  // more than one block of 16
    p.depth_multiplier = r(0, 2) == 0 ? r(2, 3) : 1;
    p.output_c = p.input_c * p.depth_multiplier;
    p.filter_h = r(1, 3), p.filter_w = r(1, 3);
    p.stride_h = r(1, 2), p.stride_w = r(1, 2);
    p.dilation_h = r(1, 2), p.dilation_w = r(1, 2);
    p.pad_h = r(0, 1), p.pad_w = r(0, 1);
    p.output_h = r(1, 5), p.output_w = r(1, 5);
    p.input_offset = r(-127, 128), p.output_offset = r(-128, 127);
    p.act_min = r(-128, 0), p.act_max = r(0, 127);
    std::vector<int32_t> m, s;
    RandomQuant(rng, p.output_c, &m, &s);
    p.output_multiplier = m.data(), p.output_shift = s.data();
    const int taps = p.filter_h * p.filter_w;
    const auto w = Random(rng, static_cast<size_t>(taps * p.output_c), -8, 7);
    const auto packed = Pack4(w);
    const auto in = Random(rng, static_cast<size_t>(p.batches * p.input_h * p.input_w * p.input_c), -128, 127);
    const auto bias = RandomBias(rng, static_cast<size_t>(p.output_c));
    const int32_t* b = r(0, 3) == 0 ? nullptr : bias.data();
    const size_t on = static_cast<size_t>(p.batches * p.output_h * p.output_w * p.output_c);
    const int block = p.output_c < TML_S4_DW_BLOCK ? p.output_c : TML_S4_DW_BLOCK;
    std::vector<int8_t> want(on, 0), got(on, 1), scratch(static_cast<size_t>(taps * block) + 1, 77);
    tml_depthwise_conv_2d_s8(&p, in.data(), w.data(), b, want.data());
    tml_depthwise_conv_2d_s4(&p, in.data(), packed.data(), b, got.data(), scratch.data());
    ASSERT_EQ(got, want) << "iter " << iter;
    ASSERT_EQ(scratch[static_cast<size_t>(taps * block)], 77);
  }
}

TEST(Int4Kernels, FullyConnectedMatchesInt8OnUnpacked) {
  std::mt19937 rng(11);
  for (int iter = 0; iter < 200; ++iter) {
    auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    tml_fully_connected_s8_params_t p{};
    p.batches = r(1, 3);
    p.accum_depth = r(1, 70);  // odd depths: rows start in a high nibble
    p.output_depth = r(1, 12);
    p.input_offset = r(-127, 128), p.output_offset = r(-128, 127);
    p.act_min = r(-128, 0), p.act_max = r(0, 127);
    std::vector<int32_t> m, s;
    RandomQuant(rng, p.output_depth, &m, &s);
    const bool per_channel = r(0, 1) == 1;
    if (per_channel) {
      p.per_channel_multiplier = m.data(), p.per_channel_shift = s.data();
      p.filter_offset = r(-8, 8);  // ignored on this path, as in TFLM
    } else {
      p.output_multiplier = m[0], p.output_shift = s[0];
      p.filter_offset = r(0, 1) ? 0 : r(-8, 8);
    }
    const auto w = Random(rng, static_cast<size_t>(p.output_depth * p.accum_depth), -8, 7);
    const auto packed = Pack4(w);
    const auto in = Random(rng, static_cast<size_t>(p.batches * p.accum_depth), -128, 127);
    const auto bias = RandomBias(rng, static_cast<size_t>(p.output_depth));
    const int32_t* b = r(0, 3) == 0 ? nullptr : bias.data();
    const size_t on = static_cast<size_t>(p.batches * p.output_depth);
    std::vector<int8_t> want(on, 0), got(on, 1), scratch(static_cast<size_t>(p.accum_depth) + 1, 77);
    tml_fully_connected_s8(&p, in.data(), w.data(), b, want.data());
    tml_fully_connected_s4(&p, in.data(), packed.data(), b, got.data(), scratch.data());
    ASSERT_EQ(got, want) << "iter " << iter;
    ASSERT_EQ(scratch[static_cast<size_t>(p.accum_depth)], 77);
  }
}

}  // namespace
