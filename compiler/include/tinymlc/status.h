// Error reporting for the tinymlc library: nothing in the library exits or throws on
// bad input; every failure travels up as a Status carrying its context.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace tinymlc {

// Where an error happened. Empty fields are left out of the message.
struct ErrorContext {
  std::string file;         // model path
  int subgraph = -1;        // set with the operator or tensor (0 unless AtOp/AtTensor say)
  int op_index = -1;        // operator index in that subgraph
  std::string op_name;      // builtin name, e.g. "CONV_2D"
  int tensor_index = -1;    // tensor index in that subgraph
  std::string tensor_name;  // tensor name from the model
};

class Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Error(std::string message, ErrorContext ctx = {}) {
    Status s;
    s.ok_ = false;
    s.message_ = std::move(message);
    s.ctx_ = std::move(ctx);
    return s;
  }
  bool ok() const { return ok_; }
  const std::string& message() const { return message_; }
  const ErrorContext& context() const { return ctx_; }
  // Fills in context fields that are still empty (used as errors travel upward).
  Status& WithFile(const std::string& file);
  Status& WithSubgraph(int subgraph);
  Status& WithOp(int op_index, const std::string& op_name);
  Status& WithTensor(int tensor_index, const std::string& tensor_name);
  // "FILE: subgraph 0: operator 3 (CONV_2D): tensor 7 'name': message", always one line:
  // control characters in names are escaped (\n -> \x0a) and long names shortened.
  std::string ToString() const;

 private:
  bool ok_ = true;
  std::string message_;
  ErrorContext ctx_;
};

// A value or an error.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT(runtime/explicit)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(runtime/explicit)
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tinymlc

#define TINYMLC_RETURN_IF_ERROR(expr)         \
  do {                                        \
    ::tinymlc::Status tinymlc_status_ = (expr); \
    if (!tinymlc_status_.ok()) return tinymlc_status_; \
  } while (0)
