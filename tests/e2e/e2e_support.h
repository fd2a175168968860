// Helpers for the end-to-end tests: running programs, temporary folders, files,
// and reading the golden data of ../shared/golden/<model>/.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>


namespace e2e {

namespace fs = std::filesystem;

// --- Programs ---------------------------------------------------------------------

struct ProcResult {
  int exit_code = -1;  // exit status, or 128 + signal number if it was killed
  bool signaled = false;
  std::string out, err;
  double seconds = 0;
  std::string command;  // the argv joined by spaces, for messages
  // "exit status 2" / "killed by signal 11", then stderr (and stdout if any).
  std::string Describe() const;
};

// Runs argv[0] (searched on PATH if it has no '/') with the given arguments in `cwd`
// (the current folder if empty), capturing stdout and stderr. Never throws.
ProcResult RunProcess(const std::vector<std::string>& argv, const fs::path& cwd = {});

// True if `path` names an executable file, or a program found on PATH.
bool IsExecutable(const std::string& path);

// --- Files ------------------------------------------------------------------------

bool ReadFile(const fs::path& path, std::vector<uint8_t>* bytes);
std::string ReadText(const fs::path& path);  // "" if unreadable
void WriteFile(const fs::path& path, const void* data, size_t size);

// A fresh folder under the system temp folder. Removed by the destructor, unless the
// running test failed or TINYMLC_E2E_KEEP is set, then kept and its path printed.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// --- Configuration ----------------------------------------------------------------

// ../shared, or $TINYMLC_SHARED_DIR if set.
fs::path SharedDir();
// The tinymlc executable under test (compile definition TINYMLC_EXE).
fs::path TinymlcExe();
// tests/e2e in the source tree (golden_runner.c, harness_hooks.h).
fs::path E2eSourceDir();

// A C identifier made from a model file's stem: lower case, other characters -> '_'.
std::string ModelCName(const std::string& model_stem);
std::string UpperCase(std::string s);

// --- Golden data ------------------------------------------------------------------

struct GoldenTensor {
  int index = -1;
  std::string name, dtype;
  std::vector<long long> shape;
  long long bytes = 0;
  int producer_op_index = -1;  // -1 for graph inputs and state tensors
  std::string producer_op;
  std::vector<std::pair<long long, long long>> undefined_ranges;  // [begin, end)
};

struct GoldenIo {
  std::string name, dtype;
  std::vector<long long> shape;
  double scale = 0;
  long long zero_point = 0;
  long long bytes = 0;
  int tensor_index = -1;
};

struct GoldenModel {
  fs::path dir;  // ../shared/golden/<model>
  std::vector<GoldenIo> inputs, outputs;
  std::vector<GoldenTensor> tensors;
  int cases = 0;
  long long tflm_arena = 0, tflm_arena_32bit = 0;
  std::vector<int> skipped_tensors;
  const GoldenTensor* Tensor(int index) const;
  int NumOps() const;  // distinct producer_op_index values
  fs::path CaseDir(int k) const { return dir / ("case" + std::to_string(k)); }
};

// Throws std::runtime_error with the file name if meta.json is unreadable or malformed.
GoldenModel LoadGolden(const fs::path& dir);

size_t DTypeSize(const std::string& dtype);  // 0 if unknown

// Compares `got` with `expected`, ignoring `undefined` byte ranges. Returns "" if they
// match, else a description of the first difference: byte offset, element (with its
// multi-index when `t` is given), expected vs got values, how many bytes differ.
std::string CompareBytes(const std::vector<uint8_t>& expected, const std::vector<uint8_t>& got,
                         const GoldenTensor* t);

}  // namespace e2e
