// A small JSON reader for the golden meta.json files (the project has no JSON
// dependency). Parses the whole of RFC 8259 except that \u escapes outside ASCII are
// kept as '?'; numbers are held as double. Throws std::runtime_error on bad input.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace json_lite {

class Value {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  double number() const { Expect(Kind::kNumber, "a number"); return number_; }
  long long integer() const { return static_cast<long long>(number()); }
  bool boolean() const { Expect(Kind::kBool, "a boolean"); return bool_; }
  const std::string& str() const { Expect(Kind::kString, "a string"); return string_; }
  const std::vector<Value>& array() const { Expect(Kind::kArray, "an array"); return array_; }
  // Object members, in file order: keys()[i] names values()[i].
  const std::vector<std::string>& keys() const { Expect(Kind::kObject, "an object"); return keys_; }
  const std::vector<Value>& values() const { Expect(Kind::kObject, "an object"); return array_; }
  const Value* find(const std::string& key) const {
    for (size_t i = 0; i < keys().size(); ++i)
      if (keys_[i] == key) return &array_[i];
    return nullptr;
  }
  bool has(const std::string& key) const { return kind_ == Kind::kObject && find(key) != nullptr; }
  const Value& operator[](const std::string& key) const {
    const Value* v = find(key);
    if (v == nullptr) throw std::runtime_error("json: missing key '" + key + "'");
    return *v;
  }

  static Value Parse(const std::string& text) {
    size_t pos = 0;
    Value v = ParseValue(text, pos);
    SkipSpace(text, pos);
    if (pos != text.size()) Fail(text, pos, "trailing characters");
    return v;
  }

 private:
  void Expect(Kind k, const char* what) const {
    if (kind_ != k) throw std::runtime_error(std::string("json: value is not ") + what);
  }
  [[noreturn]] static void Fail(const std::string&, size_t pos, const std::string& msg) {
    throw std::runtime_error("json: " + msg + " at offset " + std::to_string(pos));
  }
  static void SkipSpace(const std::string& s, size_t& pos) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\r' || s[pos] == '\t'))
      ++pos;
  }
  static bool Consume(const std::string& s, size_t& pos, const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s.compare(pos, n, word) != 0) return false;
    pos += n;
    return true;
  }
  static std::string ParseString(const std::string& s, size_t& pos) {
    std::string out;
    ++pos;  // opening quote
    while (pos < s.size() && s[pos] != '"') {
      char c = s[pos++];
      if (c != '\\') { out += c; continue; }
      if (pos >= s.size()) break;
      char e = s[pos++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          if (pos + 4 > s.size()) Fail(s, pos, "bad \\u escape");
          long code = std::strtol(s.substr(pos, 4).c_str(), nullptr, 16);
          pos += 4;
          out += code < 0x80 ? static_cast<char>(code) : '?';
          break;
        }
        default: out += e; break;  // \" \\ \/
      }
    }
    if (pos >= s.size()) Fail(s, pos, "unterminated string");
    ++pos;  // closing quote
    return out;
  }
  static Value ParseValue(const std::string& s, size_t& pos) {
    SkipSpace(s, pos);
    if (pos >= s.size()) Fail(s, pos, "unexpected end");
    Value v;
    char c = s[pos];
    if (c == '{') {
      v.kind_ = Kind::kObject;
      ++pos;
      SkipSpace(s, pos);
      if (pos < s.size() && s[pos] == '}') { ++pos; return v; }
      for (;;) {
        SkipSpace(s, pos);
        if (pos >= s.size() || s[pos] != '"') Fail(s, pos, "expected a key");
        std::string key = ParseString(s, pos);
        SkipSpace(s, pos);
        if (pos >= s.size() || s[pos] != ':') Fail(s, pos, "expected ':'");
        ++pos;
        v.keys_.push_back(std::move(key));
        v.array_.push_back(ParseValue(s, pos));
        SkipSpace(s, pos);
        if (pos < s.size() && s[pos] == ',') { ++pos; continue; }
        if (pos < s.size() && s[pos] == '}') { ++pos; return v; }
        Fail(s, pos, "expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind_ = Kind::kArray;
      ++pos;
      SkipSpace(s, pos);
      if (pos < s.size() && s[pos] == ']') { ++pos; return v; }
      for (;;) {
        v.array_.push_back(ParseValue(s, pos));
        SkipSpace(s, pos);
        if (pos < s.size() && s[pos] == ',') { ++pos; continue; }
        if (pos < s.size() && s[pos] == ']') { ++pos; return v; }
        Fail(s, pos, "expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.kind_ = Kind::kString;
      v.string_ = ParseString(s, pos);
      return v;
    }
    if (Consume(s, pos, "null")) return v;
    if (Consume(s, pos, "true")) { v.kind_ = Kind::kBool; v.bool_ = true; return v; }
    if (Consume(s, pos, "false")) { v.kind_ = Kind::kBool; v.bool_ = false; return v; }
    const char* begin = s.c_str() + pos;
    char* end = nullptr;
    v.number_ = std::strtod(begin, &end);
    if (end == begin) Fail(s, pos, "unexpected character");
    v.kind_ = Kind::kNumber;
    pos += static_cast<size_t>(end - begin);
    return v;
  }

  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<std::string> keys_;  // objects only
  std::vector<Value> array_;       // array elements, or object member values
};

}  // namespace json_lite
