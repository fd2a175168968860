// ops/tflm_decode.h on hand-packed tensors: TFLM's LUT (indices most significant bit
// first, a table per channel along axis 0 or interleaved along the last axis) and pruning
// (a mask bit per element, the zero point where it is clear) formats, and the refusals.
#include "ops/tflm_decode.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "ops/op.h"

namespace tinymlc {
namespace {

Tensor Bytes(std::vector<uint8_t> data) {
  Tensor t;
  t.dtype = DType::kUInt8;
  t.shape = {static_cast<int32_t>(data.size())};
  t.is_constant = true;
  t.data = std::move(data);
  return t;
}

// The 16-byte header: method, DCM version 1, then the method's bytes 4.. (version 1).
std::vector<uint8_t> Header(uint8_t type, uint8_t params = 0, uint8_t stride = 0) {
  std::vector<uint8_t> h(16, 0);
  h[0] = type, h[1] = 1, h[4] = 1, h[5] = params, h[6] = stride;
  return h;
}

Tensor Out(DType dt, std::vector<int32_t> shape, size_t channels = 0, int axis = 0,
           std::vector<int64_t> zps = {}) {
  Tensor t;
  t.dtype = dt;
  t.shape = std::move(shape);
  if (channels > 0) {
    t.quant.scale.assign(channels, 0.5f);
    t.quant.zero_point = zps.empty() ? std::vector<int64_t>(channels, 0) : zps;
    t.quant.axis = axis;
  }
  return t;
}

std::vector<int8_t> AsInt8(const std::vector<uint8_t>& b) { return {b.begin(), b.end()}; }

TEST(TflmDecode, LutPerTensorThreeBits) {
  // indices 7 0 3 2 5: 111 000 011 010 101 -> 1110 0001 1010 101(0)
  std::vector<uint8_t> anc = Header(0, 3, 8);
  for (int8_t v : {-8, -6, -4, -2, 0, 2, 4, 6}) anc.push_back(static_cast<uint8_t>(v));
  std::vector<uint8_t> got;
  ASSERT_TRUE(DecodeTflmTensor(Bytes({0xE1, 0xAA}), Bytes(anc), Out(DType::kInt8, {5}, 1), &got).ok());
  EXPECT_EQ(AsInt8(got), (std::vector<int8_t>{6, -8, -2, -4, 2}));
}

TEST(TflmDecode, LutTablePerChannelAlongAxis0) {
  // [2, 3], 2 bits, a table of 4 per channel: indices 0 1 2 | 3 2 1 -> 0001 1011 1001 (0000)
  std::vector<uint8_t> anc = Header(0, 2, 4);
  for (uint8_t v : {10, 11, 12, 13, 20, 21, 22, 23}) anc.push_back(v);
  std::vector<uint8_t> got;
  ASSERT_TRUE(DecodeTflmTensor(Bytes({0x1B, 0x90}), Bytes(anc), Out(DType::kInt8, {2, 3}, 2, 0), &got).ok());
  EXPECT_EQ(got, (std::vector<uint8_t>{10, 11, 12, 23, 22, 21}));
}

TEST(TflmDecode, LutTablesInterleavedAlongTheLastAxis) {
  // [2, 3] quantized along axis 1: element e uses table e % 3; 1 bit: 1 0 1 0 1 1 -> 1010 11(00)
  std::vector<uint8_t> anc = Header(0, 1, 2);
  for (uint8_t v : {1, 2, 3, 4, 5, 6}) anc.push_back(v);
  std::vector<uint8_t> got;
  ASSERT_TRUE(DecodeTflmTensor(Bytes({0xAC}), Bytes(anc), Out(DType::kInt8, {2, 3}, 3, 1), &got).ok());
  EXPECT_EQ(got, (std::vector<uint8_t>{2, 3, 6, 1, 4, 6}));
}

TEST(TflmDecode, LutInt16Values) {
  std::vector<uint8_t> anc = Header(0, 4, 2);
  for (int16_t v : {int16_t{-300}, int16_t{1000}}) {
    anc.push_back(static_cast<uint8_t>(v & 0xFF));
    anc.push_back(static_cast<uint8_t>((v >> 8) & 0xFF));
  }
  std::vector<uint8_t> got;
  ASSERT_TRUE(DecodeTflmTensor(Bytes({0x10, 0x10}), Bytes(anc), Out(DType::kInt16, {3}), &got).ok());
  ASSERT_EQ(got.size(), 6u);
  int16_t v[3];
  std::memcpy(v, got.data(), sizeof v);
  EXPECT_EQ(v[0], 1000);
  EXPECT_EQ(v[1], -300);
  EXPECT_EQ(v[2], 1000);
}

TEST(TflmDecode, PruneInt8ZeroPointPerChannel) {
  // [2, 2], zero points -3 and 5: mask 1 0 | 0 1 -> 1001 (0000); kept values 7, -9
  std::vector<uint8_t> anc = Header(2);
  anc.push_back(7);
  anc.push_back(static_cast<uint8_t>(-9));
  std::vector<uint8_t> got;
  ASSERT_TRUE(DecodeTflmTensor(Bytes({0x90}), Bytes(anc), Out(DType::kInt8, {2, 2}, 2, 0, {-3, 5}), &got).ok());
  EXPECT_EQ(AsInt8(got), (std::vector<int8_t>{7, -3, 5, -9}));
}

TEST(TflmDecode, PruneFloatZeroIsAllBitsClear) {
  std::vector<uint8_t> anc = Header(2);
  for (float f : {1.5f, -2.0f}) {
    uint8_t b[4];
    std::memcpy(b, &f, 4);
    anc.insert(anc.end(), b, b + 4);
  }
  std::vector<uint8_t> got;
  ASSERT_TRUE(DecodeTflmTensor(Bytes({0x60}), Bytes(anc), Out(DType::kFloat32, {3}), &got).ok());
  float v[3];
  ASSERT_EQ(got.size(), sizeof v);
  std::memcpy(v, got.data(), sizeof v);
  EXPECT_EQ(v[0], 0.0f);
  EXPECT_FALSE(std::signbit(v[0]));
  EXPECT_EQ(v[1], 1.5f);
  EXPECT_EQ(v[2], -2.0f);
}

TEST(TflmDecode, Refusals) {
  std::vector<uint8_t> got;
  auto refused = [&](const Tensor& enc, std::vector<uint8_t> anc, const Tensor& out, const char* what) {
    Status s = DecodeTflmTensor(enc, Bytes(std::move(anc)), out, &got);
    EXPECT_FALSE(s.ok()) << what;
    if (!s.ok()) {
      EXPECT_NE(s.message().find(what), std::string::npos) << s.message();
    }
  };
  refused(Bytes({0}), Header(1), Out(DType::kInt8, {4}), "Huffman");
  refused(Bytes({0}), Header(200), Out(DType::kInt8, {4}), "decode type 200");
  std::vector<uint8_t> v2 = Header(0, 1, 2);
  v2[1] = 2;
  refused(Bytes({0}), v2, Out(DType::kInt8, {4}), "header version 2");
  refused(Bytes({0}), {0, 1, 0}, Out(DType::kInt8, {4}), "ancillary tensor of 3 bytes");
  // index 7 of a table of 2
  std::vector<uint8_t> small = Header(0, 3, 2);
  small.push_back(1);
  small.push_back(2);
  refused(Bytes({0xE0}), small, Out(DType::kInt8, {1}), "reads value 7");
  // 4 indices of 4 bits need 2 bytes
  std::vector<uint8_t> four = Header(0, 4, 16);
  four.resize(32, 0);
  refused(Bytes({0}), four, Out(DType::kInt8, {4}), "fewer than 4 indices");
  refused(Bytes({0}), four, Out(DType::kUInt8, {1}), "dtype uint8");
  refused(Bytes({0, 0}), four, Out(DType::kInt8, {2, 2}, 2, 6), "axis 6");
  // pruning: more set bits than values
  std::vector<uint8_t> prune = Header(2);
  prune.push_back(1);
  refused(Bytes({0xC0}), prune, Out(DType::kInt8, {2}), "more than the 1 values");
}

TEST(TflmDecode, LutIndexBitsNamesTheDecodedTensors) {
  Graph g;
  std::vector<uint8_t> anc = Header(0, 5, 32);
  anc.resize(16 + 32, 0);
  g.tensors = {Bytes({0}), Bytes(anc), Out(DType::kInt8, {1}), Out(DType::kInt8, {1})};
  for (int i = 0; i < 4; ++i) g.tensors[i].index = i;
  Operator op;
  op.index = 0;
  op.builtin_code = FindCustomOp("TFLM_DECODE")->builtin_code;
  op.name = "TFLM_DECODE";
  op.inputs = {0, 1};
  op.outputs = {2};
  g.ops.push_back(op);
  EXPECT_EQ(LutIndexBits(g, g.tensors[2]), 5);
  EXPECT_EQ(LutIndexBits(g, g.tensors[3]), 0);
  g.tensors[1].data[0] = 2;  // pruning
  EXPECT_EQ(LutIndexBits(g, g.tensors[2]), 0);
}

}  // namespace
}  // namespace tinymlc
