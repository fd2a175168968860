// Test-only: a small JSON reader (objects, arrays, strings, numbers, true/false/null)
// for the golden data's meta.json files.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tinymlc::testing {

struct JsonValue {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = kNull;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<JsonValue> array;
  std::map<std::string, JsonValue> object;

  bool has(const std::string& key) const { return kind == kObject && object.count(key) != 0; }
  // Member access; a null value when absent.
  const JsonValue& operator[](const std::string& key) const;
  int as_int() const { return static_cast<int>(number); }
};

// False (and *error) when the text is not valid JSON.
bool ParseJson(const std::string& text, JsonValue* out, std::string* error);

}  // namespace tinymlc::testing
