// Generated C under strict warnings (ctest label `warnings`): every model of
// ../shared/models and examples/models, compiled by tinymlc, must build without a single
// warning with
//   -std=c99 -O2 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wcast-align -Wvla -Werror
// under gcc, clang and arm-none-eabi-gcc for the Cortex-M4 (DSP paths of the fast kernels)
// and the Cortex-M55 (their Helium paths; -mthumb -mfloat-abi=hard). gcc
// and arm-none-eabi-gcc also get -Wstack-usage=kStackBound: no function of the generated
// code (kernels included) may use more stack than that, or a variable amount.
// benchmarks/stack_report.sh reports the actual use along the invoke call chain.
// FirmwareWarnings: the same with the firmware options (placement, weights file,
// external arena, float I/O, profiling) under gcc, clang and arm-none-eabi-gcc (M4).
// SharedKernelsWarnings: every model in one `tinymlc compile` (the kernels once in
// tinyml_kernels.c), every file under the same compilers (M4 and M55).
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "e2e_support.h"
#include "generated_c_support.h"

namespace generated_c {
namespace {

// Bytes per function. Kernels keep their buffers in the arena (planned scratch), not on
// the stack.
constexpr int kStackBound = 512;

const char* const kStrictFlags[] = {"-std=c99",    "-O2",        "-Wall",     "-Wextra",
                                    "-Wpedantic",  "-Wconversion", "-Wshadow", "-Wcast-align",
                                    "-Wvla",       "-Werror"};

class Warnings : public ::testing::TestWithParam<std::tuple<TestModel, std::string>> {};

// Clang for the Cortex-M4 (the DSP paths through Clang's integrated assembler and
// register allocator): Clang itself plus the C library headers of the arm-none-eabi-gcc
// installation (found through its libc.a). Empty when either is missing.
std::vector<std::string> ClangArmFlags() {
  const std::string arm_gcc = CompilerPath("arm-none-eabi-gcc");
  if (CompilerPath("clang").empty() || arm_gcc.empty()) return {};
  const e2e::ProcResult r = e2e::RunProcess({arm_gcc, "-print-file-name=libc.a"});
  std::string libc = r.out;
  while (!libc.empty() && (libc.back() == '\n' || libc.back() == '\r')) libc.pop_back();
  const fs::path inc = fs::path(libc).parent_path().parent_path() / "include";
  if (r.exit_code != 0 || !fs::exists(inc / "string.h")) return {};
  return {"--target=arm-none-eabi", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard",
          "-mfpu=fpv4-sp-d16", "-isystem", inc.string()};
}

TEST_P(Warnings, StrictFlagsClean) {
  const TestModel& m = std::get<0>(GetParam());
  const std::string which = std::get<1>(GetParam());
  const bool clang_arm = which == "clang-arm-m4";
  const std::vector<std::string> clang_arm_flags = clang_arm ? ClangArmFlags() : std::vector<std::string>{};
  if (clang_arm && clang_arm_flags.empty()) {
    GTEST_SKIP() << "clang or arm-none-eabi-gcc's C library headers are not installed";
  }
  const std::string cc = CompilerPath(clang_arm ? "clang" : which);
  if (cc.empty()) GTEST_SKIP() << which << " is not installed";
  e2e::TempDir tmp("warnings_" + m.name + "_" + which);
  const fs::path gen = tmp.path() / "gen";
  ASSERT_EQ(CompileModel(m, gen), "");

  std::vector<std::string> argv = {cc};
  argv.insert(argv.end(), std::begin(kStrictFlags), std::end(kStrictFlags));
  if (which != "clang" && !clang_arm) argv.push_back("-Wstack-usage=" + std::to_string(kStackBound));
  if (which == "arm-none-eabi-gcc") {
    argv.insert(argv.end(), {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"});
  } else if (which == "arm-none-eabi-gcc-m55") {
    argv.insert(argv.end(), {"-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard", "-mfpu=auto"});
  } else if (clang_arm) {
    argv.insert(argv.end(), clang_arm_flags.begin(), clang_arm_flags.end());
  }
  argv.insert(argv.end(), {"-I", gen.string(), "-c", (gen / (m.name + ".c")).string(), "-o",
                           (tmp.path() / (m.name + ".o")).string()});
  const e2e::ProcResult r = e2e::RunProcess(argv);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  if (r.exit_code == 0) {
    EXPECT_TRUE(r.err.empty()) << "diagnostics:\n" << r.err;
  }
}

// The firmware options (README "Using tinymlc in firmware"): every model with each set,
// NAME.c and NAME_weights.c under the same flags.
struct FirmwareVariant {
  const char* label;
  std::vector<std::string> options;
};
const FirmwareVariant kFirmwareVariants[] = {
    {"placed", {"--weights-section", ".model_weights", "--arena-section", ".model_arena",
                "--align", "32", "--weights-file", "--float-io", "--profile"}},
    {"external", {"--arena", "external", "--float-io", "--profile"}},
};

class FirmwareWarnings
    : public ::testing::TestWithParam<std::tuple<TestModel, std::string, int>> {};

TEST_P(FirmwareWarnings, StrictFlagsClean) {
  const TestModel& m = std::get<0>(GetParam());
  const std::string which = std::get<1>(GetParam());
  const FirmwareVariant& v = kFirmwareVariants[std::get<2>(GetParam())];
  const std::string cc = CompilerPath(which);
  if (cc.empty()) GTEST_SKIP() << which << " is not installed";
  e2e::TempDir tmp(std::string("fw_warnings_") + v.label + "_" + m.name + "_" + which);
  const fs::path gen = tmp.path() / "gen";
  ASSERT_EQ(CompileModel(m, gen, v.options), "");
  std::vector<std::string> files = {m.name + ".c"};
  if (fs::exists(gen / (m.name + "_weights.c"))) files.push_back(m.name + "_weights.c");
  for (const std::string& f : files) {
    std::vector<std::string> argv = {cc};
    argv.insert(argv.end(), std::begin(kStrictFlags), std::end(kStrictFlags));
    if (which != "clang") argv.push_back("-Wstack-usage=" + std::to_string(kStackBound));
    if (which == "arm-none-eabi-gcc") {
      argv.insert(argv.end(), {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"});
    }
    argv.insert(argv.end(), {"-I", gen.string(), "-c", (gen / f).string(), "-o",
                             (tmp.path() / (f + ".o")).string()});
    const e2e::ProcResult r = e2e::RunProcess(argv);
    EXPECT_EQ(r.exit_code, 0) << f << ": " << r.Describe();
    if (r.exit_code == 0) {
      EXPECT_TRUE(r.err.empty()) << f << " diagnostics:\n" << r.err;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, FirmwareWarnings,
    ::testing::Combine(::testing::ValuesIn(AllModels()),
                       ::testing::Values(std::string("gcc"), std::string("clang"),
                                         std::string("arm-none-eabi-gcc")),
                       ::testing::Values(0, 1)),
    [](const ::testing::TestParamInfo<FirmwareWarnings::ParamType>& info) {
      std::string cc = std::get<1>(info.param);
      for (char& c : cc) c = c == '-' ? '_' : c;
      return ParamName(std::get<0>(info.param)) + "_" + cc + "_" +
             kFirmwareVariants[std::get<2>(info.param)].label;
    });

INSTANTIATE_TEST_SUITE_P(
    Models, Warnings,
    ::testing::Combine(::testing::ValuesIn(AllModels()),
                       ::testing::Values(std::string("gcc"), std::string("clang"),
                                         std::string("arm-none-eabi-gcc"),
                                         std::string("arm-none-eabi-gcc-m55"),
                                         std::string("clang-arm-m4"))),
    [](const ::testing::TestParamInfo<Warnings::ParamType>& info) {
      std::string cc = std::get<1>(info.param);
      for (char& c : cc) c = c == '-' ? '_' : c;
      return ParamName(std::get<0>(info.param)) + "_" + cc;
    });

class SharedKernelsWarnings : public ::testing::TestWithParam<std::string> {};

TEST_P(SharedKernelsWarnings, StrictFlagsClean) {
  const std::string which = GetParam();
  const std::string cc = CompilerPath(which);
  if (cc.empty()) GTEST_SKIP() << which << " is not installed";
  e2e::TempDir tmp("shared_kernels_warnings_" + which);
  const fs::path gen = tmp.path() / "gen";
  std::vector<std::string> argv = {e2e::TinymlcExe().string(), "compile"};
  std::string names;
  std::vector<std::string> files = {"tinyml_kernels.c"};
  for (const TestModel& m : AllModels()) {
    argv.push_back(m.tflite.string());
    names += (names.empty() ? "" : ",") + m.name;
    files.push_back(m.name + ".c");
  }
  argv.insert(argv.end(), {"-o", gen.string(), "--name", names});
  const e2e::ProcResult compiled = e2e::RunProcess(argv);
  ASSERT_EQ(compiled.exit_code, 0) << compiled.Describe();
  for (const std::string& f : files) {
    std::vector<std::string> cmd = {cc};
    cmd.insert(cmd.end(), std::begin(kStrictFlags), std::end(kStrictFlags));
    if (which != "clang") cmd.push_back("-Wstack-usage=" + std::to_string(kStackBound));
    if (which == "arm-none-eabi-gcc") {
      cmd.insert(cmd.end(), {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"});
    } else if (which == "arm-none-eabi-gcc-m55") {
      cmd.insert(cmd.end(), {"-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard", "-mfpu=auto"});
    }
    cmd.insert(cmd.end(), {"-I", gen.string(), "-c", (gen / f).string(), "-o", (tmp.path() / (f + ".o")).string()});
    const e2e::ProcResult r = e2e::RunProcess(cmd);
    EXPECT_EQ(r.exit_code, 0) << f << ": " << r.Describe();
    if (r.exit_code == 0) {
      EXPECT_TRUE(r.err.empty()) << f << " diagnostics:\n" << r.err;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Compilers, SharedKernelsWarnings,
                         ::testing::Values(std::string("gcc"), std::string("clang"),
                                           std::string("arm-none-eabi-gcc"),
                                           std::string("arm-none-eabi-gcc-m55")),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string cc = info.param;
                           for (char& c : cc) c = c == '-' ? '_' : c;
                           return cc;
                         });

}  // namespace
}  // namespace generated_c
