// The 16x8 fast kernels (tml_conv_s16_fast.h) against the reference ones (tml_conv_s16.h)
// on random shapes (grouped filters, dilation, padding, strides, depth multipliers),
// full-range and extreme int16 inputs and int8 weights, both accumulators and biases:
// the outputs must be the same bytes. On the host this runs the portable pair arithmetic;
// the SMLALD path runs in firmware_sweep_s16_<board>.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#define TML_KERNEL
#define TML_DECLARATIONS_ONLY
extern "C" {
#include "tml_common.h"
#include "tml_conv_s16.h"
#include "tml_conv_s16_fast.h"
}

namespace {

struct Draw {
  std::mt19937 rng;
  explicit Draw(uint32_t seed) : rng(seed) {}
  int32_t Int(int32_t lo, int32_t hi) { return std::uniform_int_distribution<int32_t>(lo, hi)(rng); }
  // Uniform, or (one time in four) an extreme of the type.
  int16_t Act() { return static_cast<int16_t>(Int(0, 3) == 0 ? (Int(0, 1) ? 32767 : -32768) : Int(-32768, 32767)); }
  int8_t Weight() { return static_cast<int8_t>(Int(0, 3) == 0 ? (Int(0, 1) ? 127 : -128) : Int(-128, 127)); }
};

struct Layer {
  tml_conv_s16_params_t p{};
  std::vector<int16_t> input;
  std::vector<int8_t> filter;
  std::vector<int64_t> bias64;
  std::vector<int32_t> bias32, mult, shift;
  size_t outputs = 0;
};

Layer RandomConv(Draw& d, bool depthwise) {
  Layer l;
  tml_conv_s16_params_t& p = l.p;
  p.batches = d.Int(1, 2);
  p.input_h = d.Int(1, 7);
  p.input_w = d.Int(1, 7);
  if (depthwise) {
    p.input_c = d.Int(1, 9);
    p.depth_multiplier = d.Int(0, 2) ? 1 : d.Int(2, 3);
    p.output_c = p.input_c * p.depth_multiplier;
    p.filter_c = 1;
  } else {
    const int32_t groups = d.Int(0, 3) == 0 ? d.Int(2, 3) : 1;
    p.filter_c = d.Int(1, 11);
    p.input_c = groups * p.filter_c;
    p.output_c = groups * d.Int(1, 5);
    p.depth_multiplier = 1;
  }
  p.filter_h = d.Int(1, 4);
  p.filter_w = d.Int(1, 4);
  p.stride_h = d.Int(1, 2);
  p.stride_w = d.Int(1, 2);
  p.dilation_h = d.Int(1, 2);
  p.dilation_w = d.Int(1, 2);
  p.pad_h = d.Int(0, 2);
  p.pad_w = d.Int(0, 2);
  p.output_h = d.Int(1, 6);  // any size: windows outside the input are skipped
  p.output_w = d.Int(1, 6);
  p.act_min = d.Int(0, 3) ? -32768 : -1000;
  p.act_max = d.Int(0, 3) ? 32767 : 1000;
  l.input.resize(static_cast<size_t>(p.batches * p.input_h * p.input_w * p.input_c));
  for (auto& v : l.input) v = d.Act();
  l.filter.resize(static_cast<size_t>(p.output_c * p.filter_h * p.filter_w * p.filter_c));
  for (auto& v : l.filter) v = d.Weight();
  for (int32_t c = 0; c < p.output_c; ++c) {
    l.bias64.push_back(d.Int(0, 3) == 0 ? int64_t{d.Int(-(1 << 30), 1 << 30)} * 256 : d.Int(-1000000, 1000000));
    l.bias32.push_back(d.Int(-(1 << 26), 1 << 26));
    l.mult.push_back(d.Int(1 << 30, 0x7FFFFFFF));
    l.shift.push_back(d.Int(-24, 2));
  }
  p.output_multiplier = l.mult.data();
  p.output_shift = l.shift.data();
  l.outputs = static_cast<size_t>(p.batches * p.output_h * p.output_w * p.output_c);
  return l;
}

TEST(ConvS16Fast, Conv2DMatchesReference) {
  Draw d(1601);
  for (int t = 0; t < 1500; ++t) {
    Layer l = RandomConv(d, false);
    std::vector<int16_t> want(l.outputs), got(l.outputs);
    const int64_t* b64 = d.Int(0, 1) ? l.bias64.data() : nullptr;
    tml_conv_2d_s16(&l.p, l.input.data(), l.filter.data(), b64, want.data());
    tml_conv_2d_s16_fast(&l.p, l.input.data(), l.filter.data(), b64, got.data());
    ASSERT_EQ(got, want) << "int64 accumulator, layer " << t;
    const int32_t* b32 = d.Int(0, 1) ? l.bias32.data() : nullptr;
    tml_conv_2d_s16_acc32(&l.p, l.input.data(), l.filter.data(), b32, want.data());
    tml_conv_2d_s16_fast_acc32(&l.p, l.input.data(), l.filter.data(), b32, got.data());
    ASSERT_EQ(got, want) << "int32 accumulator, layer " << t;
  }
}

TEST(ConvS16Fast, DepthwiseConv2DMatchesReference) {
  Draw d(1602);
  for (int t = 0; t < 1500; ++t) {
    Layer l = RandomConv(d, true);
    std::vector<int16_t> want(l.outputs), got(l.outputs);
    const int64_t* b64 = d.Int(0, 1) ? l.bias64.data() : nullptr;
    tml_depthwise_conv_2d_s16(&l.p, l.input.data(), l.filter.data(), b64, want.data());
    tml_depthwise_conv_2d_s16_fast(&l.p, l.input.data(), l.filter.data(), b64, got.data());
    ASSERT_EQ(got, want) << "layer " << t;
  }
}

TEST(ConvS16Fast, FullyConnectedMatchesReference) {
  Draw d(1603);
  for (int t = 0; t < 1500; ++t) {
    tml_fully_connected_s16_params_t p{};
    p.batches = d.Int(1, 3);
    p.accum_depth = d.Int(1, 70);
    p.output_depth = d.Int(1, 7);
    if (d.Int(0, 3) == 0) {  // offsets: the reference loop
      p.input_offset = d.Int(-5, 5);
      p.filter_offset = d.Int(-5, 5);
      p.output_offset = d.Int(-5, 5);
    }
    p.act_min = -32768;
    p.act_max = 32767;
    std::vector<int16_t> in(static_cast<size_t>(p.batches * p.accum_depth));
    for (auto& v : in) v = d.Act();
    std::vector<int8_t> w(static_cast<size_t>(p.output_depth * p.accum_depth));
    for (auto& v : w) v = d.Weight();
    std::vector<int64_t> b64;
    std::vector<int32_t> b32, mult, shift;
    for (int32_t c = 0; c < p.output_depth; ++c) {
      b64.push_back(d.Int(-1000000, 1000000));
      b32.push_back(d.Int(-(1 << 26), 1 << 26));
      mult.push_back(d.Int(1 << 30, 0x7FFFFFFF));
      shift.push_back(d.Int(-24, 2));
    }
    p.output_multiplier = mult.data();
    p.output_shift = shift.data();
    const size_t n = static_cast<size_t>(p.batches * p.output_depth);
    std::vector<int16_t> want(n), got(n);
    tml_fully_connected_s16(&p, in.data(), w.data(), b64.data(), want.data());
    tml_fully_connected_s16_fast(&p, in.data(), w.data(), b64.data(), got.data());
    ASSERT_EQ(got, want) << "int64 accumulator, layer " << t;
    const int32_t* bias32 = d.Int(0, 1) ? b32.data() : nullptr;
    tml_fully_connected_s16_acc32(&p, in.data(), w.data(), bias32, want.data());
    tml_fully_connected_s16_fast_acc32(&p, in.data(), w.data(), bias32, got.data());
    ASSERT_EQ(got, want) << "int32 accumulator, layer " << t;
  }
}

}  // namespace
