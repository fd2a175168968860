// Generated C under AddressSanitizer and UndefinedBehaviorSanitizer (ctest label
// `sanitize`): every model of ../shared/models and examples/models is compiled by
// tinymlc, built with gcc and clang using
//   -std=c99 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
// together with tests/e2e/golden_runner.c, and run:
//  - models with golden data (../shared/golden/<model>): every golden case; every output
//    and every layer that TINYML_LAYER_END reports must equal TFLM's byte for byte;
//  - example models: three fixed random inputs; outputs must equal the independent C++
//    reference (tests/support/reference_ops.h) byte for byte.
// Any sanitizer report (out-of-bounds access, overflow, misaligned access, leak, ...)
// aborts the runner and fails the test.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "e2e_support.h"
#include "example_models.h"
#include "generated_c_support.h"
#include "reference_ops.h"

namespace generated_c {
namespace {

using e2e::ProcResult;
using e2e::RunProcess;

const char* const kSanitizeFlags[] = {
    "-std=c99", "-O1", "-g", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
    "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"};

class Sanitize : public ::testing::TestWithParam<std::tuple<TestModel, std::string>> {};

// Runs the runner on one case; returns false (with a failure added) if it misbehaved.
bool RunCase(const fs::path& runner, const fs::path& out_dir, const std::vector<fs::path>& inputs) {
  fs::create_directories(out_dir);
  std::vector<std::string> argv = {runner.string(), out_dir.string()};
  for (const fs::path& p : inputs) argv.push_back(p.string());
  const ProcResult r = RunProcess(argv);
  const bool report = r.err.find("runtime error") != std::string::npos ||
                      r.err.find("Sanitizer") != std::string::npos;
  EXPECT_TRUE(r.exit_code == 0 && !report) << r.Describe();
  return r.exit_code == 0 && !report;
}

TEST_P(Sanitize, RunsCleanAndBitExact) {
  const TestModel& m = std::get<0>(GetParam());
  const std::string cc = CompilerPath(std::get<1>(GetParam()));
  if (cc.empty()) GTEST_SKIP() << std::get<1>(GetParam()) << " is not installed";
  e2e::TempDir tmp("sanitize_" + m.name + "_" + std::get<1>(GetParam()));
  const fs::path gen = tmp.path() / "gen";
  ASSERT_EQ(CompileModel(m, gen), "");

  const fs::path runner = tmp.path() / "runner";
  std::vector<std::string> build = {cc};
  build.insert(build.end(), std::begin(kSanitizeFlags), std::end(kSanitizeFlags));
  build.insert(build.end(),
               {"-I", gen.string(), "-include", (e2e::E2eSourceDir() / "harness_hooks.h").string(),
                "-DMODEL_NAME=" + m.name, "-DMODEL_NAME_UPPER=" + e2e::UpperCase(m.name),
                "-DMODEL_HEADER=\"" + m.name + ".h\"", (gen / (m.name + ".c")).string(),
                (e2e::E2eSourceDir() / "golden_runner.c").string(), "-o", runner.string(), "-lm"});
  ProcResult r = RunProcess(build);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();

  int cases = 0, layers = 0;
  if (!m.golden.empty()) {
    const e2e::GoldenModel g = e2e::LoadGolden(m.golden);
    for (int k = 0; k < g.cases; ++k) {
      SCOPED_TRACE("case" + std::to_string(k));
      std::vector<fs::path> inputs;
      for (size_t i = 0; i < g.inputs.size(); ++i) {
        inputs.push_back(g.CaseDir(k) / ("in" + std::to_string(i) + ".bin"));
      }
      const fs::path out = tmp.path() / ("case" + std::to_string(k));
      if (!RunCase(runner, out, inputs)) return;
      for (size_t j = 0; j < g.outputs.size(); ++j) {
        std::vector<uint8_t> expected, got;
        const std::string file = "out" + std::to_string(j) + ".bin";
        ASSERT_TRUE(e2e::ReadFile(g.CaseDir(k) / file, &expected));
        ASSERT_TRUE(e2e::ReadFile(out / file, &got));
        EXPECT_EQ(e2e::CompareBytes(expected, got, g.Tensor(g.outputs[j].tensor_index)), "")
            << "output " << j;
      }
      for (const e2e::GoldenTensor& t : g.tensors) {
        std::vector<uint8_t> expected, got;
        const std::string file = "t" + std::to_string(t.index) + ".bin";
        if (t.producer_op_index < 0 || !e2e::ReadFile(g.CaseDir(k) / file, &expected) ||
            !e2e::ReadFile(out / file, &got)) {
          continue;
        }
        ++layers;
        EXPECT_EQ(e2e::CompareBytes(expected, got, &t), "") << "tensor " << t.index << " '"
                                                            << t.name << "'";
      }
      ++cases;
    }
  } else if (m.example) {
    const tinymlc::testing::ModelSpec* spec = nullptr;
    static const std::vector<tinymlc::testing::ExampleModel> examples =
        tinymlc::testing::ExampleModels();
    for (const auto& e : examples) {
      if (e.file_name == m.tflite.filename().string()) spec = &e.spec;
    }
    if (spec == nullptr) GTEST_SKIP() << "no spec for " << m.tflite << " in example_models.h";
    for (int k = 0; k < 3; ++k) {
      SCOPED_TRACE("case" + std::to_string(k));
      std::vector<std::vector<uint8_t>> inputs;
      std::vector<fs::path> files;
      for (size_t i = 0; i < spec->inputs.size(); ++i) {
        const auto& t = spec->tensors[static_cast<size_t>(spec->inputs[i])];
        std::vector<uint8_t> bytes(static_cast<size_t>(t.num_bytes()));
        tinymlc::testing::Rng rng(static_cast<uint64_t>(100 * k + i));
        for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng.Int(0, 255));
        files.push_back(tmp.path() / ("in" + std::to_string(k) + "_" + std::to_string(i) + ".bin"));
        e2e::WriteFile(files.back(), bytes.data(), bytes.size());
        inputs.push_back(std::move(bytes));
      }
      const fs::path out = tmp.path() / ("case" + std::to_string(k));
      if (!RunCase(runner, out, files)) return;
      const auto expected = tinymlc::testing::RunReference(*spec, inputs);
      for (size_t j = 0; j < expected.size(); ++j) {
        std::vector<uint8_t> got;
        ASSERT_TRUE(e2e::ReadFile(out / ("out" + std::to_string(j) + ".bin"), &got));
        EXPECT_EQ(e2e::CompareBytes(expected[j], got, nullptr), "") << "output " << j;
      }
      ++cases;
    }
  } else {
    GTEST_SKIP() << "no golden data for " << m.name;
  }
  std::cout << "[  RESULT  ] " << m.name << " " << std::get<1>(GetParam()) << ": " << cases
            << " cases clean under ASan+UBSan, outputs and " << layers
            << " layer tensors bit-exact\n";
}

INSTANTIATE_TEST_SUITE_P(
    Models, Sanitize,
    ::testing::Combine(::testing::ValuesIn(AllModels()),
                       ::testing::Values(std::string("gcc"), std::string("clang"))),
    [](const ::testing::TestParamInfo<Sanitize::ParamType>& info) {
      return ParamName(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
    });

}  // namespace
}  // namespace generated_c
