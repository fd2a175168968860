#include "flexbuffer.h"

#include <fmt/format.h>

#include <cstring>

namespace tinymlc {
namespace {

// Flexbuffer type codes (flexbuffers.h's Type).
constexpr int kFbInt = 1, kFbUInt = 2, kFbFloat = 3, kFbMap = 9, kFbBool = 26;
constexpr uint64_t kMaxEntries = 256;   // more than any custom op has
constexpr size_t kMaxKeyLength = 256;

bool ValidWidth(uint64_t w) { return w == 1 || w == 2 || w == 4 || w == 8; }

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  // Unsigned little-endian integer of `width` bytes at `pos`.
  bool UInt(size_t pos, size_t width, uint64_t* v) const {
    if (pos > size_ || width > size_ - pos) return false;
    uint64_t r = 0;
    for (size_t i = 0; i < width; ++i) r |= uint64_t{data_[pos + i]} << (8 * i);
    *v = r;
    return true;
  }
  bool Int(size_t pos, size_t width, int64_t* v) const {
    uint64_t u;
    if (!UInt(pos, width, &u)) return false;
    if (width < 8 && (u >> (8 * width - 1)) & 1) u |= ~uint64_t{0} << (8 * width);
    std::memcpy(v, &u, sizeof(u));
    return true;
  }
  // The position `offset` bytes before `pos` (flexbuffer offsets point backwards).
  bool Back(size_t pos, uint64_t offset, size_t* out) const {
    if (offset > pos) return false;
    *out = pos - static_cast<size_t>(offset);
    return true;
  }
  uint8_t Byte(size_t pos) const { return data_[pos]; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_;
  size_t size_;
};

}  // namespace

Status ReadFlexMap(const uint8_t* data, size_t size,
                   std::vector<std::pair<std::string, FlexValue>>* out) {
  out->clear();
  auto bad = [&](const std::string& what) {
    return Status::Error(fmt::format("malformed flexbuffer options ({} bytes): {}", size, what));
  };
  if (size < 3) return bad("shorter than a root (3 bytes)");
  const Reader r(data, size);
  const uint64_t root_width = data[size - 1];
  if (!ValidWidth(root_width)) return bad(fmt::format("root byte width {} (expected 1, 2, 4 or 8)", root_width));
  const uint8_t root_packed = data[size - 2];
  if (size - 2 < root_width) return bad("the root value does not fit");
  const size_t root_pos = size - 2 - static_cast<size_t>(root_width);
  const int root_type = root_packed >> 2;
  if (root_type != kFbMap) return bad(fmt::format("the root has type {}, expected a map ({})", root_type, kFbMap));
  const size_t width = size_t{1} << (root_packed & 3);  // the map's element width
  uint64_t offset = 0;
  size_t values = 0;
  if (!r.UInt(root_pos, root_width, &offset) || !r.Back(root_pos, offset, &values) || offset == 0) {
    return bad("the map offset points outside the buffer");
  }
  // Before the values: keys offset, keys byte width, length (each `width` bytes).
  if (values < 3 * width) return bad("the map header does not fit");
  uint64_t length = 0, keys_offset = 0, keys_width = 0;
  r.UInt(values - width, width, &length);
  r.UInt(values - 3 * width, width, &keys_offset);
  r.UInt(values - 2 * width, width, &keys_width);
  if (length > kMaxEntries) return bad(fmt::format("{} entries (at most {} read)", length, kMaxEntries));
  // After the values: one packed type byte per value.
  const size_t n = static_cast<size_t>(length);
  if (values > size || n * width > size - values || n > size - values - n * width) {
    return bad(fmt::format("{} entries of {} bytes do not fit", n, width));
  }
  const size_t types = values + n * width;
  if (!ValidWidth(keys_width)) return bad(fmt::format("keys byte width {}", keys_width));
  size_t keys = 0;
  if (!r.Back(values - 3 * width, keys_offset, &keys)) return bad("the keys offset points outside the buffer");
  uint64_t keys_length = 0;
  if (keys < keys_width || !r.UInt(keys - keys_width, keys_width, &keys_length)) {
    return bad("the keys vector does not fit");
  }
  if (keys_length != length) return bad(fmt::format("{} keys for {} values", keys_length, length));
  if (n * keys_width > size - keys) return bad("the keys vector does not fit");
  for (size_t i = 0; i < n; ++i) {
    // The key: an offset back to a NUL-terminated string.
    const size_t kpos = keys + i * keys_width;
    uint64_t koff = 0;
    size_t kstart = 0;
    r.UInt(kpos, keys_width, &koff);
    if (!r.Back(kpos, koff, &kstart)) return bad(fmt::format("key {} points outside the buffer", i));
    std::string key;
    size_t p = kstart;
    while (p < size && r.Byte(p) != 0 && key.size() < kMaxKeyLength) key += static_cast<char>(r.Byte(p++));
    if (p >= size || r.Byte(p) != 0) return bad(fmt::format("key {} is not NUL-terminated", i));
    // The value: its inline bytes and its type.
    const size_t vpos = values + i * width;
    FlexValue v;
    v.fb_type = r.Byte(types + i) >> 2;
    r.Int(vpos, width, &v.as_int);
    r.UInt(vpos, width, &v.as_uint);
    switch (v.fb_type) {
      case kFbInt: v.kind = FlexValue::Kind::kInt; break;
      case kFbUInt: v.kind = FlexValue::Kind::kUInt; break;
      case kFbBool: v.kind = FlexValue::Kind::kBool; break;
      case kFbFloat:
        if (width == 4) {
          float f;
          uint32_t u = static_cast<uint32_t>(v.as_uint);
          std::memcpy(&f, &u, 4);
          v.as_float = f;
          v.kind = FlexValue::Kind::kFloat;
        } else if (width == 8) {
          std::memcpy(&v.as_float, &v.as_uint, 8);
          v.kind = FlexValue::Kind::kFloat;
        }
        break;
      default: break;
    }
    out->emplace_back(std::move(key), v);
  }
  return Status::Ok();
}

}  // namespace tinymlc
