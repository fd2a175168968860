#include "tinymlc/status.h"

#include <fmt/format.h>

namespace tinymlc {
namespace {

constexpr size_t kMaxNameChars = 200;

// Names come from the model file: keep messages on one line and of reasonable length.
std::string Printable(const std::string& s, size_t max_chars = std::string::npos) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max_chars; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out += c < 0x20 || c == 0x7f ? fmt::format("\\x{:02x}", c) : std::string(1, s[i]);
  }
  if (s.size() > max_chars) out += fmt::format("...({} bytes)", s.size());
  return out;
}

}  // namespace

Status& Status::WithFile(const std::string& file) {
  if (!ok_ && ctx_.file.empty()) ctx_.file = file;
  return *this;
}

Status& Status::WithSubgraph(int subgraph) {
  if (!ok_ && ctx_.subgraph < 0) ctx_.subgraph = subgraph;
  return *this;
}

Status& Status::WithOp(int op_index, const std::string& op_name) {
  if (!ok_ && ctx_.op_index < 0) {
    ctx_.op_index = op_index;
    ctx_.op_name = op_name;
    if (ctx_.subgraph < 0) ctx_.subgraph = 0;
  }
  return *this;
}

Status& Status::WithTensor(int tensor_index, const std::string& tensor_name) {
  if (!ok_ && ctx_.tensor_index < 0) {
    ctx_.tensor_index = tensor_index;
    ctx_.tensor_name = tensor_name;
    if (ctx_.subgraph < 0) ctx_.subgraph = 0;
  }
  return *this;
}

std::string Status::ToString() const {
  if (ok_) return "OK";
  std::string out;
  if (!ctx_.file.empty()) out += Printable(ctx_.file) + ": ";
  if (ctx_.subgraph >= 0) out += fmt::format("subgraph {}: ", ctx_.subgraph);
  if (ctx_.op_index >= 0) {
    out += fmt::format("operator {} ({}): ", ctx_.op_index, Printable(ctx_.op_name, kMaxNameChars));
  }
  if (ctx_.tensor_index >= 0) {
    out += fmt::format("tensor {} '{}': ", ctx_.tensor_index, Printable(ctx_.tensor_name, kMaxNameChars));
  }
  return out + Printable(message_);
}

}  // namespace tinymlc
