// End-to-end tests: the real tinymlc executable on real models, checked byte for byte
// against TensorFlow Lite Micro's results in ../shared/golden/<model>/.
//
// GoldenTest/BitExact (model x C compiler): tinymlc compile -> cc -O2 -Werror with
//   golden_runner.c -> run every golden case -> compare every output and every layer
//   that the TINYML_LAYER_END hook reports; arena size <= TFLM's (32-bit build).
// Determinism (model): three compilations, from other folders and paths, agree.
// CliErrors: bad model files give exit status 2 and one line on stderr.
//
// TINYMLC_SHARED_DIR (environment) overrides the ../shared folder; TINYMLC_E2E_KEEP=1
// keeps the temporary folders (they are always kept when a test fails).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "e2e_support.h"
#include "model_builder.h"

namespace e2e {
namespace {

const std::vector<std::string> kModels = {
    "hello_world_int8", "simple_add_model",       "ad01_int8",   "micro_speech_quantized",
    "kws_ref_model",    "pretrainedResnet_quant", "vww_96_int8",
};

// The flags the generated code must compile cleanly with.
const char* const kCFlags[] = {"-std=c99", "-O2", "-Wall", "-Wextra", "-Wpedantic", "-Werror"};

std::string CompilerPath(const std::string& which) {
  std::string path = which == "gcc" ? TINYMLC_E2E_GCC : TINYMLC_E2E_CLANG;
  if (path.empty() || path.find("NOTFOUND") != std::string::npos) return "";
  return path;
}

fs::path ModelPath(const std::string& model) {
  return SharedDir() / "models" / (model + ".tflite");
}

std::string TypeNameOf(int tinyml_type) {
  static const char* const kNames[] = {"float32", "int8", "int16", "int32",
                                       "uint8",   "int64", "bool"};
  return tinyml_type >= 0 && tinyml_type < 7 ? kNames[tinyml_type] : "?";
}

std::string ShapeText(const std::vector<long long>& shape) {
  std::string s;
  for (long long d : shape) s += (s.empty() ? "" : ",") + std::to_string(d);
  return "[" + s + "]";
}

// --- What golden_runner writes to runner.txt -----------------------------------------

struct RunnerIo {
  int tensor_index = -1, type = -1;
  long long bytes = 0, zero_point = 0;
  double scale = 0;
  std::vector<long long> dims;
};
struct RunnerLayer {
  int op_index = -1;
  std::string op_name;
  int tensor_index = -1;
  long long bytes = 0;
};
struct RunnerReport {
  long long arena_size = -1;
  std::vector<RunnerIo> inputs, outputs;
  std::vector<RunnerLayer> layers;
};

RunnerReport ParseReport(const fs::path& path) {
  RunnerReport r;
  std::istringstream in(ReadText(path));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string key;
    s >> key;
    if (key == "arena_size") {
      s >> r.arena_size;
    } else if (key == "input" || key == "output") {
      RunnerIo io;
      size_t index;
      std::string word;
      long long rank = 0;
      s >> index >> word >> io.tensor_index >> word >> io.type >> word >> io.bytes >> word >>
          io.zero_point >> word >> io.scale >> word >> rank >> word;
      for (long long d = 0, v; d < rank && (s >> v); ++d) io.dims.push_back(v);
      (key == "input" ? r.inputs : r.outputs).push_back(io);
    } else if (key == "layer") {
      RunnerLayer l;
      s >> l.op_index >> l.op_name >> l.tensor_index >> l.bytes;
      r.layers.push_back(l);
    }
  }
  return r;
}

// Checks the generated NAME_input_info()/NAME_output_info() against meta.json.
void CheckInfos(const char* kind, const std::vector<GoldenIo>& golden,
                const std::vector<RunnerIo>& got) {
  ASSERT_EQ(got.size(), golden.size()) << "number of " << kind << "s";
  for (size_t i = 0; i < golden.size(); ++i) {
    const GoldenIo& e = golden[i];
    const RunnerIo& g = got[i];
    SCOPED_TRACE(std::string(kind) + " " + std::to_string(i) + " '" + e.name + "'");
    EXPECT_EQ(g.tensor_index, e.tensor_index);
    EXPECT_EQ(g.bytes, e.bytes);
    EXPECT_EQ(TypeNameOf(g.type), e.dtype);
    EXPECT_EQ(g.dims, e.shape);
    EXPECT_EQ(g.zero_point, e.zero_point);
    EXPECT_NEAR(g.scale, e.scale, std::fabs(e.scale) * 1e-6);
  }
}

// --- GoldenTest ----------------------------------------------------------------------

class GoldenTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

// Compiles `model` with `flags`, builds it with golden_runner.c (and `defines`) and checks
// every golden case; *arena gets NAME_ARENA_SIZE.
void CheckGolden(const std::string& model, const std::string& cc_name,
                 const std::vector<std::string>& flags, const std::vector<std::string>& defines,
                 long long* arena);

TEST_P(GoldenTest, BitExact) {
  long long arena = 0;
  CheckGolden(std::get<0>(GetParam()), std::get<1>(GetParam()), {}, {}, &arena);
}

// The same golden cases with tinymlc's memory options (gcc): --input external (the input
// read from the runner's buffer; never a larger arena) and --optimize ram (patch-based
// execution of the first layers: the same bytes, a smaller arena; with --input external
// smaller still where the input is live at the patched peak, as in vww_96_int8).
class GoldenMemory : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenMemory, InputExternal) {
  const std::string model = GetParam();
  long long plain = 0, external = 0;
  CheckGolden(model, "gcc", {}, {}, &plain);
  if (HasFatalFailure() || IsSkipped()) return;
  if (LoadGolden(SharedDir() / "golden" / model).inputs.size() != 1) {
    GTEST_SKIP() << "--input external takes models with one input";
  }
  CheckGolden(model, "gcc", {"--input", "external"}, {"-DRUNNER_EXTERNAL_INPUT"}, &external);
  if (HasFatalFailure()) return;
  EXPECT_LE(external, plain);
  std::cout << "[  RESULT  ] " << model << ": arena " << plain << " B, with --input external "
            << external << " B\n";
}

TEST_P(GoldenMemory, OptimizeRam) {
  const std::string model = GetParam();
  long long plain = 0, ram = 0, ram_ext = 0;
  CheckGolden(model, "gcc", {}, {}, &plain);
  if (HasFatalFailure() || IsSkipped()) return;
  CheckGolden(model, "gcc", {"--optimize", "ram"}, {}, &ram);
  if (HasFatalFailure()) return;
  EXPECT_LE(ram, plain);
  ram_ext = ram;
  if (LoadGolden(SharedDir() / "golden" / model).inputs.size() == 1) {
    CheckGolden(model, "gcc", {"--optimize", "ram", "--input", "external"},
                {"-DRUNNER_EXTERNAL_INPUT"}, &ram_ext);
    if (HasFatalFailure()) return;
    EXPECT_LE(ram_ext, ram);
    // Every patch of vww's first layers reads the input: it is live at the patched peak.
    if (model == "vww_96_int8") {
      EXPECT_LT(ram_ext, ram);
      // The target: vww in 24 KiB with the input outside the arena.
      long long budget = 0;
      CheckGolden(model, "gcc", {"--memory-budget", "24576", "--input", "external"},
                  {"-DRUNNER_EXTERNAL_INPUT"}, &budget);
      EXPECT_LE(budget, 24576);
      std::cout << "[  RESULT  ] vww_96_int8: --memory-budget 24576 --input external " << budget
                << " B\n";
    }
  }
  std::cout << "[  RESULT  ] " << model << ": arena " << plain << " B, --optimize ram " << ram
            << " B, --optimize ram --input external " << ram_ext << " B\n";
}

INSTANTIATE_TEST_SUITE_P(Models, GoldenMemory, ::testing::ValuesIn(kModels));

void CheckGolden(const std::string& model, const std::string& cc_name,
                 const std::vector<std::string>& flags, const std::vector<std::string>& defines,
                 long long* arena) {
  SCOPED_TRACE(model + " " + cc_name + " flags:" + [&] {
    std::string f;
    for (const std::string& x : flags) f += " " + x;
    return f;
  }());
  const fs::path tflite = ModelPath(model);
  const fs::path golden_dir = SharedDir() / "golden" / model;
  if (!fs::exists(tflite) || !fs::exists(golden_dir / "meta.json")) {
    GTEST_SKIP() << "no model or golden data for " << model << " under " << SharedDir()
                 << " (the end-to-end tests read ../shared beside the repository)";
  }
  const std::string cc = CompilerPath(cc_name);
  if (!IsExecutable(cc)) GTEST_SKIP() << cc_name << " is not installed";
  ASSERT_TRUE(IsExecutable(TinymlcExe().string())) << "no tinymlc at " << TinymlcExe();

  const GoldenModel g = LoadGolden(golden_dir);
  TempDir tmp(model + "_" + cc_name + (flags.empty() ? "" : "_opts"));
  const std::string name = ModelCName(model);
  const fs::path gen = tmp.path() / "gen";

  // 1. tinymlc compile.
  std::vector<std::string> compile = {TinymlcExe().string(), "compile", tflite.string(), "-o",
                                      gen.string(), "--name", name};
  compile.insert(compile.end(), flags.begin(), flags.end());
  ProcResult r = RunProcess(compile);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  for (const std::string& f : {name + ".c", name + ".h", std::string("tinyml_runtime.h")}) {
    ASSERT_TRUE(fs::exists(gen / f)) << "tinymlc did not write " << (gen / f);
  }

  // 2. The generated code compiles cleanly as shipped (no-op hooks)...
  std::vector<std::string> syntax = {cc};
  syntax.insert(syntax.end(), std::begin(kCFlags), std::end(kCFlags));
  syntax.insert(syntax.end(),
                {"-fsyntax-only", "-I", gen.string(), (gen / (name + ".c")).string()});
  r = RunProcess(syntax);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();

  // ... and with the harness hooks, linked with golden_runner.c.
  const fs::path runner = tmp.path() / "runner";
  std::vector<std::string> build = {cc};
  build.insert(build.end(), std::begin(kCFlags), std::end(kCFlags));
  build.insert(build.end(),
               {"-I", gen.string(), "-include", (E2eSourceDir() / "harness_hooks.h").string(),
                "-DMODEL_NAME=" + name, "-DMODEL_NAME_UPPER=" + UpperCase(name),
                "-DMODEL_HEADER=\"" + name + ".h\"", (gen / (name + ".c")).string(),
                (E2eSourceDir() / "golden_runner.c").string(), "-o", runner.string(), "-lm"});
  build.insert(build.begin() + 1, defines.begin(), defines.end());
  r = RunProcess(build);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  const double compile_seconds = r.seconds;

  // 3. Every case: run, compare outputs and layers.
  int cases_exact = 0, cases_outputs_exact = 0;
  long long layers_compared = 0, layers_matched = 0;
  double run_seconds = 0;
  std::set<int> reported_tensors;
  RunnerReport first_report;
  for (int k = 0; k < g.cases; ++k) {
    SCOPED_TRACE("case" + std::to_string(k));
    const fs::path case_dir = g.CaseDir(k);
    const fs::path out_dir = tmp.path() / ("case" + std::to_string(k));
    fs::create_directories(out_dir);
    std::vector<std::string> run = {runner.string(), out_dir.string()};
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      run.push_back((case_dir / ("in" + std::to_string(i) + ".bin")).string());
    }
    r = RunProcess(run);
    run_seconds += r.seconds;
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    const RunnerReport report = ParseReport(out_dir / "runner.txt");

    if (k == 0) {
      first_report = report;
      CheckInfos("input", g.inputs, report.inputs);
      CheckInfos("output", g.outputs, report.outputs);
    }

    bool layers_ok = true;
    int case_layers = 0;
    for (const RunnerLayer& l : report.layers) {
      reported_tensors.insert(l.tensor_index);
      const GoldenTensor* t = g.Tensor(l.tensor_index);
      if (t == nullptr) {
        if (std::find(g.skipped_tensors.begin(), g.skipped_tensors.end(), l.tensor_index) ==
            g.skipped_tensors.end()) {
          layers_ok = false;
          ADD_FAILURE() << "operator " << l.op_index << " (" << l.op_name
                        << ") reported tensor " << l.tensor_index
                        << ", which meta.json does not list as a non-constant tensor";
        }
        continue;
      }
      std::vector<uint8_t> expected, got;
      const std::string file = "t" + std::to_string(l.tensor_index) + ".bin";
      if (!ReadFile(case_dir / file, &expected)) continue;  // not dumped for this case
      ASSERT_TRUE(ReadFile(out_dir / file, &got)) << (out_dir / file);
      ++case_layers;
      std::string diff = CompareBytes(expected, got, t);
      if (diff.empty()) {
        ++layers_matched;
      } else if (layers_ok) {  // report the first differing layer of each case
        layers_ok = false;
        ADD_FAILURE() << model << " (" << cc_name << ") case" << k
                      << ": first differing layer: operator " << l.op_index << " ("
                      << l.op_name << "), tensor " << l.tensor_index << " '" << t->name
                      << "' " << t->dtype << " " << ShapeText(t->shape) << ": " << diff;
      }
    }

    bool outputs_ok = true;
    for (size_t j = 0; j < g.outputs.size(); ++j) {
      std::vector<uint8_t> expected, got;
      const std::string file = "out" + std::to_string(j) + ".bin";
      ASSERT_TRUE(ReadFile(case_dir / file, &expected)) << (case_dir / file);
      ASSERT_TRUE(ReadFile(out_dir / file, &got)) << (out_dir / file);
      std::string diff = CompareBytes(expected, got, g.Tensor(g.outputs[j].tensor_index));
      if (!diff.empty()) {
        outputs_ok = false;
        ADD_FAILURE() << model << " (" << cc_name << ") case" << k << ": output " << j
                      << " (tensor " << g.outputs[j].tensor_index << ") differs from TFLM: "
                      << diff;
      }
    }
    layers_compared += case_layers;
    if (g.NumOps() > 0) {
      EXPECT_GT(case_layers, 0) << "no layer compared: TINYML_LAYER_END reported nothing that "
                                   "the golden data has";
    }
    if (outputs_ok) ++cases_outputs_exact;
    if (outputs_ok && layers_ok) ++cases_exact;
  }

  // Golden operator outputs that the hooks never reported (not an error: the compiler
  // may fuse or elide an operator; its result is still checked through later layers).
  std::string unreported;
  for (const GoldenTensor& t : g.tensors) {
    if (t.producer_op_index >= 0 && reported_tensors.count(t.index) == 0) {
      unreported += " t" + std::to_string(t.index) + "(op " + std::to_string(t.producer_op_index) +
                    " " + t.producer_op + ")";
    }
  }
  if (!unreported.empty()) {
    std::cout << "[   NOTE   ] operator outputs not reported by TINYML_LAYER_END:" << unreported
              << "\n";
  }

  // 4. Memory: the arena must not exceed what TFLM needs on a 32-bit target.
  EXPECT_GT(first_report.arena_size, 0);
  EXPECT_LE(first_report.arena_size, g.tflm_arena_32bit)
      << name << "_ARENA_SIZE exceeds TFLM's arena (32-bit build)";

  std::ostringstream summary;
  summary << model << " " << cc_name << ": " << cases_exact << "/" << g.cases
          << " cases bit-exact (outputs " << cases_outputs_exact << "/" << g.cases << "), "
          << layers_matched << "/" << layers_compared << " layer tensors matched ("
          << (g.cases ? layers_compared / g.cases : 0) << " per case, " << g.NumOps()
          << " ops), arena " << first_report.arena_size << " B vs TFLM 32-bit "
          << g.tflm_arena_32bit << " B (64-bit " << g.tflm_arena << " B), cc "
          << compile_seconds << " s, run " << run_seconds << " s";
  std::cout << "[  RESULT  ] " << summary.str() << "\n";
  ::testing::Test::RecordProperty("cases_bit_exact", cases_exact);
  ::testing::Test::RecordProperty("layers_matched", static_cast<int>(layers_matched));
  ::testing::Test::RecordProperty("layers_compared", static_cast<int>(layers_compared));
  ::testing::Test::RecordProperty("arena_bytes", static_cast<int>(first_report.arena_size));
  ::testing::Test::RecordProperty("tflm_arena_32bit_bytes", static_cast<int>(g.tflm_arena_32bit));
  *arena = first_report.arena_size;
}

INSTANTIATE_TEST_SUITE_P(
    Models, GoldenTest,
    ::testing::Combine(::testing::ValuesIn(kModels),
                       ::testing::Values(std::string("gcc"), std::string("clang"))),
    [](const ::testing::TestParamInfo<GoldenTest::ParamType>& info) {
      return std::get<0>(info.param) + "_" + std::get<1>(info.param);
    });

// --- Determinism ---------------------------------------------------------------------

// "" if the two folders hold the same file names with the same bytes.
std::string CompareDirs(const fs::path& a, const fs::path& b) {
  std::map<std::string, std::vector<uint8_t>> fa, fb;
  for (auto* m : {&fa, &fb}) {
    const fs::path& dir = m == &fa ? a : b;
    for (const auto& e : fs::directory_iterator(dir)) {
      ReadFile(e.path(), &(*m)[e.path().filename().string()]);
    }
  }
  for (const auto& [file, bytes] : fa) {
    auto it = fb.find(file);
    if (it == fb.end()) return file + " is in " + a.string() + " only";
    if (it->second != bytes) {
      size_t i = 0;
      while (i < bytes.size() && i < it->second.size() && bytes[i] == it->second[i]) ++i;
      size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + i, '\n'));
      return file + " differs from byte " + std::to_string(i) + " (line " +
             std::to_string(line) + ") between " + a.string() + " and " + b.string();
    }
  }
  for (const auto& entry : fb) {
    if (fa.count(entry.first) == 0) return entry.first + " is in " + b.string() + " only";
  }
  return "";
}

class Determinism : public ::testing::TestWithParam<std::string> {};

TEST_P(Determinism, SameOutputFromOtherFoldersAndPaths) {
  const std::string model = GetParam();
  const fs::path tflite = ModelPath(model);
  if (!fs::exists(tflite)) GTEST_SKIP() << "no " << tflite;
  ASSERT_TRUE(IsExecutable(TinymlcExe().string())) << "no tinymlc at " << TinymlcExe();
  TempDir tmp("det_" + model);
  const std::string name = ModelCName(model);
  const std::string exe = TinymlcExe().string();

  // a, b: same model path, two output folders.
  const fs::path a = tmp.path() / "a", b = tmp.path() / "out" / "b";
  ProcResult r = RunProcess({exe, "compile", tflite.string(), "-o", a.string(), "--name", name});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = RunProcess({exe, "compile", tflite.string(), "-o", b.string(), "--name", name});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();

  // c: the model copied elsewhere, relative paths from another working folder.
  const fs::path work = tmp.path() / "elsewhere";
  fs::create_directories(work / "models");
  fs::copy_file(tflite, work / "models" / tflite.filename());
  r = RunProcess({exe, "compile", "models/" + tflite.filename().string(), "-o", "gen",
                  "--name", name},
                 work);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  const fs::path c = work / "gen";

  EXPECT_TRUE(fs::exists(a / (name + ".c")));
  EXPECT_EQ(CompareDirs(a, b), "");
  EXPECT_EQ(CompareDirs(a, c), "");
}

INSTANTIATE_TEST_SUITE_P(Models, Determinism, ::testing::ValuesIn(kModels),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// --- inspect -------------------------------------------------------------------------

// `tinymlc inspect` names each layer's kernel and the kernel paths it uses; the paths of
// all layers together must be exactly the TML_OPT_* switches the generated file defines.
class Inspect : public ::testing::TestWithParam<std::string> {};

TEST_P(Inspect, KernelPathsAreTheGeneratedSwitches) {
  const std::string model = GetParam();
  const fs::path tflite = ModelPath(model);
  if (!fs::exists(tflite)) GTEST_SKIP() << "no " << tflite;
  ASSERT_TRUE(IsExecutable(TinymlcExe().string())) << "no tinymlc at " << TinymlcExe();
  TempDir tmp("inspect_" + model);
  const std::string name = ModelCName(model);
  ProcResult r = RunProcess({TinymlcExe().string(), "inspect", tflite.string()});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::set<std::string> reported;
  int layers = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line) && line != "Tensors:";) {
    std::istringstream fields(line);
    int index = -1;
    if (!(fields >> index)) continue;  // not an operator line
    const size_t kernel = line.find("  tml_");
    if (kernel == std::string::npos) {
      EXPECT_NE(line.find("no code)"), std::string::npos) << "no kernel named: " << line;
      continue;
    }
    ++layers;
    const size_t open = line.find(" [", kernel);
    if (open == std::string::npos) continue;
    std::istringstream paths(line.substr(open + 2, line.find(']', open) - open - 2));
    for (std::string p; paths >> p;) reported.insert("TML_OPT_" + p);
  }
  EXPECT_GT(layers, 0) << r.out;

  r = RunProcess({TinymlcExe().string(), "compile", tflite.string(), "-o",
                  (tmp.path() / "gen").string(), "--name", name});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::vector<uint8_t> c;
  ASSERT_TRUE(ReadFile(tmp.path() / "gen" / (name + ".c"), &c));
  std::set<std::string> defined;
  std::istringstream src(std::string(c.begin(), c.end()));
  for (std::string line; std::getline(src, line);) {
    if (line.rfind("#define TML_OPT_", 0) == 0 && line.size() > 2 &&
        line.compare(line.size() - 2, 2, " 1") == 0) {
      defined.insert(line.substr(8, line.size() - 10));
    }
  }
  EXPECT_EQ(reported, defined) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Models, Inspect, ::testing::ValuesIn(kModels),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// --- CLI errors ----------------------------------------------------------------------

// tinymlc compile on a bad file: exit status 2, one line on stderr that names the file
// (and contains every string in `also`).
void ExpectCompileError(const fs::path& model, const fs::path& out_dir,
                        const std::vector<std::string>& also = {}) {
  ProcResult r = RunProcess(
      {TinymlcExe().string(), "compile", model.string(), "-o", out_dir.string(), "--name", "bad"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  std::string err = r.err;
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  EXPECT_FALSE(err.empty()) << "no message on stderr";
  EXPECT_EQ(err.find('\n'), std::string::npos) << "more than one line on stderr:\n" << r.err;
  EXPECT_NE(err.find(model.string()), std::string::npos)
      << "stderr does not name " << model << ": " << err;
  for (const std::string& s : also) {
    EXPECT_NE(err.find(s), std::string::npos) << "stderr lacks \"" << s << "\": " << err;
  }
}

class CliErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(IsExecutable(TinymlcExe().string())) << "no tinymlc at " << TinymlcExe();
  }
};

TEST_F(CliErrors, TextFileIsRejected) {
  TempDir tmp("err_text");
  const fs::path file = tmp.path() / "notes.tflite";
  const std::string text = "This is a text file, not a TFLite model.\n";
  WriteFile(file, text.data(), text.size());
  ExpectCompileError(file, tmp.path() / "gen");
}

TEST_F(CliErrors, RandomBytesAreRejected) {
  TempDir tmp("err_random");
  std::mt19937 rng(12345);
  for (size_t size : {size_t{3}, size_t{64}, size_t{4096}}) {
    SCOPED_TRACE(std::to_string(size) + " random bytes");
    std::vector<uint8_t> bytes(size);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
    const fs::path file = tmp.path() / ("random" + std::to_string(size) + ".tflite");
    WriteFile(file, bytes.data(), bytes.size());
    ExpectCompileError(file, tmp.path() / "gen");
  }
}

TEST_F(CliErrors, EmptyFileIsRejected) {
  TempDir tmp("err_empty");
  const fs::path file = tmp.path() / "empty.tflite";
  WriteFile(file, "", 0);
  ExpectCompileError(file, tmp.path() / "gen");
}

TEST_F(CliErrors, TruncatedModelIsRejected) {
  // The bundled example model (examples/models), so that this runs without ../shared.
  const fs::path model =
      E2eSourceDir() / ".." / ".." / "examples" / "models" / "example_sine.tflite";
  std::vector<uint8_t> bytes;
  if (!ReadFile(model, &bytes)) GTEST_SKIP() << "no " << model;
  TempDir tmp("err_truncated");
  for (size_t keep : {size_t{16}, bytes.size() / 2}) {
    SCOPED_TRACE("first " + std::to_string(keep) + " of " + std::to_string(bytes.size()) +
                 " bytes");
    const fs::path file = tmp.path() / ("truncated" + std::to_string(keep) + ".tflite");
    WriteFile(file, bytes.data(), keep);
    ExpectCompileError(file, tmp.path() / "gen");
  }
}

TEST_F(CliErrors, UnsupportedOperatorIsNamed) {
  // Operator 0: RESHAPE (supported). Operator 1: HASHTABLE_LOOKUP, which TFLM has no
  // kernel for, so a compiler bit-exact with TFLM never supports it.
  namespace tt = tinymlc::testing;
  constexpr int kHashtableLookup = 10;  // tflite::BuiltinOperator_HASHTABLE_LOOKUP
  tt::ModelSpec spec;
  const int in = spec.AddTensor(tt::Int8Tensor("input", {1, 2, 2}, 0.05f, 0));
  const int shape = spec.AddTensor(tt::ConstInt32("shape", {2}, {1, 4}));
  const int flat = spec.AddTensor(tt::Int8Tensor("flat", {1, 4}, 0.05f, 0));
  tt::ReshapeOpts reshape;
  reshape.new_shape = {1, 4};
  reshape.has_new_shape = true;
  spec.AddOp(tt::op::kReshape, {in, shape}, {flat}, reshape);
  const int lookup = spec.AddActivation("lookup", tt::DT::kInt32, {2});
  const int keys = spec.AddTensor(tt::ConstInt32("keys", {3}, {1, 2, 3}));
  tt::TensorSpec values;
  values.name = "values";
  values.shape = {3, 2};
  values.data = tt::PackInt8({1, 2, 3, 4, 5, 6});
  const int vals = spec.AddTensor(values);
  const int found = spec.AddActivation("found", tt::DT::kInt8, {2, 2});
  const int hits = spec.AddActivation("hits", tt::DT::kUInt8, {2});
  spec.AddOp(kHashtableLookup, {lookup, keys, vals}, {found, hits});
  spec.inputs = {in, lookup};
  spec.outputs = {flat, found, hits};
  ASSERT_EQ(spec.Validate(), "");
  TempDir tmp("err_unsupported");
  const fs::path file = tmp.path() / "hashtable_lookup.tflite";
  std::string error;
  ASSERT_TRUE(spec.WriteFile(file.string(), &error)) << error;
  ExpectCompileError(file, tmp.path() / "gen", {"operator 1 (HASHTABLE_LOOKUP)"});
}

}  // namespace
}  // namespace e2e
