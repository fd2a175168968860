// The importer's flexbuffer options reader (compiler/src/flexbuffer.h): maps written by
// the flatbuffers library's flexbuffers::Builder read back key by key with TFLM's
// positional semantics; truncated, corrupted and wrongly typed buffers give an error,
// never a read outside the buffer.
#include "flexbuffer.h"

#include <flatbuffers/flexbuffers.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tinymlc {
namespace {

using Map = std::vector<std::pair<std::string, FlexValue>>;

std::vector<uint8_t> Write(const std::function<void(flexbuffers::Builder&)>& body) {
  flexbuffers::Builder b;
  b.Map([&]() { body(b); });
  b.Finish();
  return b.GetBuffer();
}

TEST(FlexMap, ReadsTflmWindowOptions) {
  // TFLM's window_flexbuffers_generated_data.cc: {"shift": 12}.
  const std::vector<uint8_t> bytes = {0x73, 0x68, 0x69, 0x66, 0x74, 0x00, 0x01, 0x07,
                                      0x01, 0x01, 0x01, 0x0c, 0x04, 0x02, 0x24, 0x01};
  Map m;
  ASSERT_TRUE(ReadFlexMap(bytes.data(), bytes.size(), &m).ok());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].first, "shift");
  EXPECT_EQ(m[0].second.kind, FlexValue::Kind::kInt);
  EXPECT_EQ(m[0].second.as_int, 12);
}

TEST(FlexMap, KeysSortedValuesAtTheMapWidth) {
  const auto bytes = Write([](flexbuffers::Builder& b) {
    b.Int("start_index", 2);
    b.Int("end_index", -70000);  // needs 4 bytes: every value is stored at that width
    b.Bool("clamping", true);
    b.UInt("u", 65535);
  });
  Map m;
  ASSERT_TRUE(ReadFlexMap(bytes.data(), bytes.size(), &m).ok());
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].first, "clamping");
  EXPECT_EQ(m[0].second.kind, FlexValue::Kind::kBool);
  EXPECT_EQ(m[0].second.as_uint, 1u);
  EXPECT_EQ(m[1].first, "end_index");
  EXPECT_EQ(m[1].second.as_int, -70000);
  EXPECT_EQ(m[2].first, "start_index");
  EXPECT_EQ(m[2].second.as_int, 2);
  EXPECT_EQ(m[3].first, "u");
  EXPECT_EQ(m[3].second.kind, FlexValue::Kind::kUInt);
  EXPECT_EQ(m[3].second.as_uint, 65535u);
}

TEST(FlexMap, StringValueIsNotAnInteger) {
  const auto bytes = Write([](flexbuffers::Builder& b) { b.String("shift", "twelve"); });
  Map m;
  ASSERT_TRUE(ReadFlexMap(bytes.data(), bytes.size(), &m).ok());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].second.kind, FlexValue::Kind::kOther);
}

TEST(FlexMap, RootNotAMap) {
  flexbuffers::Builder b;
  b.Int(5);
  b.Finish();
  const auto bytes = b.GetBuffer();
  Map m;
  const Status s = ReadFlexMap(bytes.data(), bytes.size(), &m);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("expected a map"), std::string::npos) << s.message();
}

TEST(FlexMap, EveryTruncationFailsCleanly) {
  const auto bytes = Write([](flexbuffers::Builder& b) {
    b.Int("num_channels", 40);
    b.Int("smoothing", 655);
    b.Bool("clamping", false);
  });
  for (size_t n = 0; n < bytes.size(); ++n) {
    // The last n bytes kept (a truncated buffer ends where the root is read from) and the
    // first n bytes kept: either way an error or a map, never a crash.
    Map m;
    const std::vector<uint8_t> tail(bytes.end() - static_cast<std::ptrdiff_t>(n), bytes.end());
    const Status a = ReadFlexMap(tail.data(), tail.size(), &m);
    const std::vector<uint8_t> head(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    const Status b = ReadFlexMap(head.data(), head.size(), &m);
    EXPECT_FALSE(b.ok()) << "prefix of " << n << " bytes accepted";
    if (!a.ok()) {
      EXPECT_NE(a.message().find("malformed flexbuffer options"), std::string::npos);
    }
  }
}

TEST(FlexMap, CorruptedBytesNeverReadOutside) {
  const auto good = Write([](flexbuffers::Builder& b) {
    b.Int("fft_length", 512);
    b.Int("T", 7);
  });
  // Every single byte set to every value: the reader must stay inside the buffer (run
  // under ASan/UBSan in the sanitizer build); most corruptions are errors.
  int errors = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (int v = 0; v < 256; ++v) {
      std::vector<uint8_t> bad = good;
      bad[i] = static_cast<uint8_t>(v);
      Map m;
      errors += !ReadFlexMap(bad.data(), bad.size(), &m).ok();
    }
  }
  EXPECT_GT(errors, 0);
}

}  // namespace
}  // namespace tinymlc
