#include "tinymlc/status.h"

#include <fmt/format.h>

namespace tinymlc {

Status& Status::WithFile(const std::string& file) {
  if (!ok_ && ctx_.file.empty()) ctx_.file = file;
  return *this;
}

Status& Status::WithOp(int op_index, const std::string& op_name) {
  if (!ok_ && ctx_.op_index < 0) {
    ctx_.op_index = op_index;
    ctx_.op_name = op_name;
  }
  return *this;
}

Status& Status::WithTensor(int tensor_index, const std::string& tensor_name) {
  if (!ok_ && ctx_.tensor_index < 0) {
    ctx_.tensor_index = tensor_index;
    ctx_.tensor_name = tensor_name;
  }
  return *this;
}

std::string Status::ToString() const {
  if (ok_) return "OK";
  std::string out;
  if (!ctx_.file.empty()) out += ctx_.file + ": ";
  if (ctx_.op_index >= 0) out += fmt::format("operator {} ({}): ", ctx_.op_index, ctx_.op_name);
  if (ctx_.tensor_index >= 0) {
    out += fmt::format("tensor {} '{}': ", ctx_.tensor_index, ctx_.tensor_name);
  }
  return out + message_;
}

}  // namespace tinymlc
