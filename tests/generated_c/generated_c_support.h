// Shared by the generated-C tests (sanitize_test.cc, warnings_test.cc): the models they
// run over and compiling one with the tinymlc executable.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace generated_c {

namespace fs = std::filesystem;

struct TestModel {
  std::string name;    // C identifier, also the gtest parameter name
  fs::path tflite;
  fs::path golden;     // ../shared/golden/<model>, empty if there is none
  bool example = false;  // examples/models: tests/support/example_models.h has its spec
};

// Every ../shared/models/*.tflite, then every examples/models/*.tflite, sorted by name
// within each group. Without ../shared, only the examples.
std::vector<TestModel> AllModels();
std::string ParamName(const TestModel& m);
inline void PrintTo(const TestModel& m, std::ostream* os) { *os << m.tflite.string(); }

// `tinymlc compile` into `dir` with --name m.name (and `options`); "" on success, else
// the failure.
std::string CompileModel(const TestModel& m, const fs::path& dir,
                         const std::vector<std::string>& options = {});

// Path of a C compiler from the compile definitions ("" if not found).
std::string CompilerPath(const std::string& which);  // "gcc", "clang", "arm-none-eabi-gcc"

}  // namespace generated_c
