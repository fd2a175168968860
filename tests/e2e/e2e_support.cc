#include "e2e_support.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "mini_json.h"

namespace e2e {

// --- Programs ---------------------------------------------------------------------

std::string ProcResult::Describe() const {
  std::ostringstream s;
  s << "`" << command << "` ";
  if (signaled) {
    s << "was killed by signal " << (exit_code - 128);
  } else {
    s << "gave exit status " << exit_code;
  }
  if (!err.empty()) s << "\n--- stderr ---\n" << err;
  if (!out.empty()) s << "\n--- stdout ---\n" << out;
  return s.str();
}

namespace {

std::string ReadAll(FILE* f) {
  std::string text;
  std::rewind(f);
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  return text;
}

}  // namespace

ProcResult RunProcess(const std::vector<std::string>& argv, const fs::path& cwd) {
  ProcResult r;
  for (const std::string& a : argv) r.command += (r.command.empty() ? "" : " ") + a;
  if (argv.empty()) return r;
  FILE* out = std::tmpfile();
  FILE* err = std::tmpfile();
  if (out == nullptr || err == nullptr) {
    r.err = "cannot create a temporary file";
    if (out) std::fclose(out);
    if (err) std::fclose(err);
    return r;
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
      std::fprintf(stderr, "cannot enter %s: %s\n", cwd.c_str(), std::strerror(errno));
      _exit(127);
    }
    execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  if (pid < 0) {
    r.err = std::string("fork failed: ") + std::strerror(errno);
  } else {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
      r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      r.signaled = true;
      r.exit_code = 128 + WTERMSIG(status);
    }
    r.out = ReadAll(out);
    r.err = ReadAll(err);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fclose(out);
  std::fclose(err);
  return r;
}

bool IsExecutable(const std::string& path) {
  if (path.empty()) return false;
  if (path.find('/') != std::string::npos) return access(path.c_str(), X_OK) == 0;
  const char* env = std::getenv("PATH");
  std::stringstream dirs(env ? env : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((dir + "/" + path).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// --- Files ------------------------------------------------------------------------

bool ReadFile(const fs::path& path, std::vector<uint8_t>* bytes) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  bytes->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return !f.bad();
}

std::string ReadText(const fs::path& path) {
  std::vector<uint8_t> b;
  if (!ReadFile(path, &b)) return "";
  return std::string(b.begin(), b.end());
}

void WriteFile(const fs::path& path, const void* data, size_t size) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

TempDir::TempDir(const std::string& prefix) {
  std::string templ = (fs::temp_directory_path() / ("tinymlc_e2e_" + prefix + "_XXXXXX")).string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + templ);
  path_ = buf.data();
}

TempDir::~TempDir() {
  const char* keep = std::getenv("TINYMLC_E2E_KEEP");
  if ((keep != nullptr && *keep != '\0' && std::strcmp(keep, "0") != 0) ||
      ::testing::Test::HasFailure()) {
    std::cout << "[   KEPT   ] " << path_.string() << "\n";
    return;
  }
  std::error_code ec;
  fs::remove_all(path_, ec);
}

// --- Configuration ----------------------------------------------------------------

fs::path SharedDir() {
  const char* env = std::getenv("TINYMLC_SHARED_DIR");
  if (env != nullptr && *env != '\0') return env;
  return TINYMLC_SHARED_DIR;
}

fs::path TinymlcExe() { return TINYMLC_EXE; }

fs::path E2eSourceDir() { return TINYMLC_E2E_SOURCE_DIR; }

std::string ModelCName(const std::string& model_stem) {
  std::string name;
  for (char c : model_stem) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    name += ok ? c : '_';
  }
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) name = "m_" + name;
  return name;
}

std::string UpperCase(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// --- Golden data ------------------------------------------------------------------

size_t DTypeSize(const std::string& dtype) {
  if (dtype == "int8" || dtype == "uint8" || dtype == "bool") return 1;
  if (dtype == "int16") return 2;
  if (dtype == "int32" || dtype == "float32") return 4;
  if (dtype == "int64") return 8;
  return 0;
}

namespace {

using tinymlc::testing::JsonValue;

// meta.json's fields, with the file named in the message when one is missing.
const JsonValue& Field(const JsonValue& v, const std::string& key, JsonValue::Kind kind) {
  const JsonValue& f = v[key];
  if (f.kind != kind) throw std::runtime_error("'" + key + "' is missing or of the wrong type");
  return f;
}
double Number(const JsonValue& v, const std::string& key) {
  return Field(v, key, JsonValue::kNumber).number;
}
long long Integer(const JsonValue& v, const std::string& key) {
  return static_cast<long long>(Number(v, key));
}
const std::string& String(const JsonValue& v, const std::string& key) {
  return Field(v, key, JsonValue::kString).string;
}
const std::vector<JsonValue>& Array(const JsonValue& v, const std::string& key) {
  return Field(v, key, JsonValue::kArray).array;
}

std::vector<long long> ReadShape(const JsonValue& v) {
  std::vector<long long> shape;
  for (const JsonValue& d : Array(v, "shape")) shape.push_back(static_cast<long long>(d.number));
  return shape;
}

GoldenIo ReadIo(const JsonValue& v) {
  GoldenIo io;
  io.name = String(v, "name");
  io.dtype = String(v, "dtype");
  io.shape = ReadShape(v);
  io.scale = v["scale"].kind == JsonValue::kNumber ? v["scale"].number : 0.0;
  io.zero_point = v["zero_point"].kind == JsonValue::kNumber
                      ? static_cast<long long>(v["zero_point"].number)
                      : 0;
  io.bytes = Integer(v, "bytes");
  io.tensor_index = static_cast<int>(Integer(v, "tensor_index"));
  return io;
}

}  // namespace

const GoldenTensor* GoldenModel::Tensor(int index) const {
  for (const GoldenTensor& t : tensors) {
    if (t.index == index) return &t;
  }
  return nullptr;
}

int GoldenModel::NumOps() const {
  std::vector<int> ops;
  for (const GoldenTensor& t : tensors) {
    if (t.producer_op_index >= 0 &&
        std::find(ops.begin(), ops.end(), t.producer_op_index) == ops.end()) {
      ops.push_back(t.producer_op_index);
    }
  }
  return static_cast<int>(ops.size());
}

GoldenModel LoadGolden(const fs::path& dir) {
  fs::path meta_path = dir / "meta.json";
  std::string text = ReadText(meta_path);
  if (text.empty()) throw std::runtime_error("cannot read " + meta_path.string());
  GoldenModel g;
  g.dir = dir;
  try {
    JsonValue meta;
    std::string error;
    if (!tinymlc::testing::ParseJson(text, &meta, &error)) throw std::runtime_error(error);
    for (const JsonValue& v : Array(meta, "inputs")) g.inputs.push_back(ReadIo(v));
    for (const JsonValue& v : Array(meta, "outputs")) g.outputs.push_back(ReadIo(v));
    g.cases = static_cast<int>(Integer(meta, "cases"));
    g.tflm_arena = Integer(meta, "tflm_arena_used_bytes");
    g.tflm_arena_32bit = Integer(meta, "tflm_arena_used_bytes_32bit");
    for (const JsonValue& v : Array(meta, "tensors")) {
      GoldenTensor t;
      t.index = static_cast<int>(Integer(v, "index"));
      t.name = String(v, "name");
      t.dtype = String(v, "dtype");
      t.shape = ReadShape(v);
      t.bytes = Integer(v, "bytes");
      if (v["producer_op_index"].kind == JsonValue::kNumber) {
        t.producer_op_index = static_cast<int>(v["producer_op_index"].number);
        t.producer_op = String(v, "producer_op");
      }
      // [[begin, end), ...] byte ranges that no kernel writes: ignored when comparing.
      for (const JsonValue& r : v["undefined_byte_ranges"].array) {
        if (r.kind == JsonValue::kArray && r.array.size() == 2) {
          t.undefined_ranges.emplace_back(static_cast<long long>(r.array[0].number),
                                          static_cast<long long>(r.array[1].number));
        } else if (r.kind == JsonValue::kObject) {
          t.undefined_ranges.emplace_back(Integer(r, "begin"), Integer(r, "end"));
        }
      }
      g.tensors.push_back(t);
    }
    for (const JsonValue& v : meta["skipped_nonconstant_tensors"].array) {
      if (v.kind == JsonValue::kNumber) {
        g.skipped_tensors.push_back(static_cast<int>(v.number));
      } else if (v.kind == JsonValue::kObject && v.has("index")) {
        g.skipped_tensors.push_back(static_cast<int>(Integer(v, "index")));
      }
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(meta_path.string() + ": " + e.what());
  }
  return g;
}

namespace {

long long ElementValue(const std::vector<uint8_t>& b, size_t elem, const std::string& dtype) {
  size_t size = DTypeSize(dtype);
  if (size == 0 || (elem + 1) * size > b.size()) return 0;
  const uint8_t* p = b.data() + elem * size;
  uint64_t u = 0;
  for (size_t i = 0; i < size; ++i) u |= static_cast<uint64_t>(p[i]) << (8 * i);
  if (dtype == "int8") return static_cast<int8_t>(u);
  if (dtype == "int16") return static_cast<int16_t>(u);
  if (dtype == "int32") return static_cast<int32_t>(u);
  if (dtype == "int64") return static_cast<int64_t>(u);
  return static_cast<long long>(u);
}

std::string ElementText(const std::vector<uint8_t>& b, size_t elem, const std::string& dtype) {
  if (dtype == "float32" && (elem + 1) * 4 <= b.size()) {
    float f;
    std::memcpy(&f, b.data() + elem * 4, 4);
    std::ostringstream s;
    s.precision(9);
    s << f;
    return s.str();
  }
  return std::to_string(ElementValue(b, elem, dtype));
}

}  // namespace

std::string CompareBytes(const std::vector<uint8_t>& expected, const std::vector<uint8_t>& got,
                         const GoldenTensor* t) {
  std::ostringstream s;
  if (expected.size() != got.size()) {
    s << "size differs: expected " << expected.size() << " bytes, got " << got.size();
    return s.str();
  }
  auto undefined = [t](size_t i) {
    if (t == nullptr) return false;
    for (const auto& r : t->undefined_ranges) {
      if (static_cast<long long>(i) >= r.first && static_cast<long long>(i) < r.second) return true;
    }
    return false;
  };
  size_t first = expected.size(), differing = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i] != got[i] && !undefined(i)) {
      if (first == expected.size()) first = i;
      ++differing;
    }
  }
  if (differing == 0) return "";
  std::string dtype = t != nullptr && DTypeSize(t->dtype) != 0 ? t->dtype : "uint8";
  size_t esize = DTypeSize(dtype);
  size_t elem = first / esize;
  s << "byte " << first << " (element " << elem;
  if (t != nullptr && !t->shape.empty()) {
    std::vector<long long> idx(t->shape.size());
    size_t rest = elem;
    for (size_t d = t->shape.size(); d-- > 0;) {
      long long dim = t->shape[d] > 0 ? t->shape[d] : 1;
      idx[d] = static_cast<long long>(rest % static_cast<size_t>(dim));
      rest /= static_cast<size_t>(dim);
    }
    s << " [";
    for (size_t d = 0; d < idx.size(); ++d) s << (d ? "," : "") << idx[d];
    s << "]";
  }
  s << "): expected " << ElementText(expected, elem, dtype) << " got "
    << ElementText(got, elem, dtype) << " (" << dtype << "); " << differing << " of "
    << expected.size() << " bytes differ";
  if (dtype == "int8") {
    long long max_diff = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (undefined(i)) continue;
      long long d = static_cast<long long>(static_cast<int8_t>(expected[i])) -
                    static_cast<int8_t>(got[i]);
      max_diff = std::max(max_diff, d < 0 ? -d : d);
    }
    s << ", max |diff| " << max_diff;
  }
  return s.str();
}

}  // namespace e2e
