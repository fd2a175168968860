// The firmware options of `tinymlc compile` (README "Using tinymlc in firmware"):
//   FirmwareOptionErrors  bad values: exit status 2, one `tinymlc: error:` line naming the option
//   FirmwareOptions       defaults unchanged, outputs deterministic, NAME_weights.c only
//                         with --weights-file, what each option adds to the files
//   FirmwareVariants      every golden model compiled with the options (placement +
//                         weights file + float I/O + profile; external arena), built
//                         with gcc -Werror and golden_runner.c: outputs and every layer
//                         bit-exact with TFLM
//   InspectJson           `tinymlc inspect --json`: valid JSON of schema tinymlc-inspect/1,
//                         consistent with the generated file and the plan
//   FloatIo, FloatIoBuilt the float helpers against the QUANTIZE/DEQUANTIZE formulas
//                         (float_io_check.c), on int8 and int16 models; float tensors refused
//   SharedKernels         several models in one compile: each kernel template once in
//                         tinyml_kernels.c, the same bytes in any model order, all models
//                         linked into one program under gcc/clang -Werror, outputs equal
//                         to each model compiled alone; name errors
#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "e2e_support.h"
#include "mini_json.h"
#include "model_builder.h"

namespace e2e {
namespace {

const char* const kCFlags[] = {"-std=c99", "-O2", "-Wall", "-Wextra", "-Wpedantic", "-Werror"};

fs::path ExampleModel(const std::string& stem) {
  return E2eSourceDir().parent_path().parent_path() / "examples" / "models" / (stem + ".tflite");
}

std::string Gcc() {
  const std::string path = TINYMLC_E2E_GCC;
  return path.empty() || path.find("NOTFOUND") != std::string::npos ? "" : path;
}

std::string fmt_arena(long long bytes) { return "arena " + std::to_string(bytes) + " bytes"; }

ProcResult Compile(const fs::path& model, const fs::path& out, const std::string& name,
                   const std::vector<std::string>& options) {
  std::vector<std::string> argv = {TinymlcExe().string(), "compile", model.string(), "-o",
                                   out.string(), "--name", name};
  argv.insert(argv.end(), options.begin(), options.end());
  return RunProcess(argv);
}

// --- Errors ----------------------------------------------------------------------------

struct BadOption {
  std::vector<std::string> options;
  std::string message;  // must appear in the error line
};
void PrintTo(const BadOption& b, std::ostream* os) {
  for (const std::string& o : b.options) *os << o << " ";
}

class FirmwareOptionErrors : public ::testing::TestWithParam<BadOption> {};

TEST_P(FirmwareOptionErrors, ExitStatus2AndOneLine) {
  const BadOption& b = GetParam();
  TempDir tmp("fw_err");
  const ProcResult r = Compile(ExampleModel("example_sine"), tmp.path() / "gen", "sine", b.options);
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  std::string err = r.err;
  while (!err.empty() && err.back() == '\n') err.pop_back();
  EXPECT_EQ(err.rfind("tinymlc: error: ", 0), 0u) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos) << "more than one line:\n" << r.err;
  EXPECT_NE(err.find(b.message), std::string::npos) << "no \"" << b.message << "\" in: " << err;
  EXPECT_FALSE(fs::exists(tmp.path() / "gen" / "sine.c")) << "wrote files despite the error";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FirmwareOptionErrors,
    ::testing::Values(
        BadOption{{"--align", "3"}, "--align '3' is not a power of two >= 4"},
        BadOption{{"--align", "2"}, "--align '2' is not a power of two >= 4"},
        BadOption{{"--align", "0"}, "--align '0'"},
        BadOption{{"--align", "12"}, "--align '12'"},
        BadOption{{"--align", "-16"}, "--align '-16'"},
        BadOption{{"--align", "sixteen"}, "--align 'sixteen'"},
        BadOption{{"--align", "131072"}, "--align '131072'"},
        BadOption{{"--arena", "heap"}, "--arena 'heap' must be 'static' or 'external'"},
        BadOption{{"--optimize", "fast"}, "--optimize 'fast' must be 'balanced', 'speed', 'size' or 'ram'"},
        BadOption{{"--memory-budget", "12k"}, "--memory-budget '12k' is not a number of bytes (1 or more)"},
        BadOption{{"--input", "dma"}, "--input 'dma' must be 'arena' or 'external'"},
        BadOption{{"--memory-budget", "10"},
                  "no plan fits the memory budget of 10 bytes: the smallest arena tinymlc reaches is"},
        BadOption{{"--input", "external", "--float-io"}, "--float-io writes the inputs"},
        BadOption{{"--weights-section", "a b"}, "--weights-section 'a b' is not a section name"},
        BadOption{{"--arena-section", ".x\"y"}, "--arena-section '.x\"y' is not a section name"},
        BadOption{{"--weights-section", ".same", "--arena-section", ".same"}, "the same section"},
        BadOption{{"--arena", "external", "--arena-section", ".a"}, "--arena-section needs the static arena"},
        BadOption{{"--align"}, "--align: 1 required"},
        BadOption{{"--weights-file", "extra"}, "gives 1 name for 2 models"}),
    [](const ::testing::TestParamInfo<BadOption>& info) { return "case" + std::to_string(info.index); });

// --- Files -------------------------------------------------------------------------------

class FirmwareOptions : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(IsExecutable(TinymlcExe().string())) << "no tinymlc at " << TinymlcExe();
  }
  // Compiles the CNN example (conv, depthwise, FC: layer constants of every kind).
  std::string Gen(const fs::path& dir, const std::vector<std::string>& options,
                  const std::string& file = "cnn.c") {
    const ProcResult r = Compile(ExampleModel("example_cnn"), dir, "cnn", options);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return ReadText(dir / file);
  }
};

TEST_F(FirmwareOptions, StaticArenaIsTheDefault) {
  TempDir tmp("fw_default");
  const std::string plain = Gen(tmp.path() / "a", {});
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(Gen(tmp.path() / "b", {"--arena", "static"}), plain);
  EXPECT_EQ(ReadText(tmp.path() / "b" / "cnn.h"), ReadText(tmp.path() / "a" / "cnn.h"));
  EXPECT_FALSE(fs::exists(tmp.path() / "a" / "cnn_weights.c"));
  for (const char* s : {"CNN_WEIGHTS_PLACE", "cnn_set_arena", "cnn_set_input_float", "cnn_profile"}) {
    EXPECT_EQ(plain.find(s), std::string::npos) << "the default output has " << s;
  }
}

TEST_F(FirmwareOptions, EveryOptionIsDeterministic) {
  const std::vector<std::string> all = {"--weights-section", ".w", "--arena-section", ".a",
                                        "--align", "64", "--weights-file", "--float-io", "--profile",
                                        "--optimize", "speed"};
  TempDir tmp("fw_determinism");
  for (const std::string f : {"cnn.c", "cnn.h", "cnn_weights.c"}) {
    const std::string a = Gen(tmp.path() / "a", all, f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_EQ(Gen(tmp.path() / "b", all, f), a) << f << " differs between two runs";
  }
}

// --optimize picks the kernels' paths with TML_SPEED_PATHS (tml_common.h): speed and size
// pin it, balanced (the default) leaves it to the C compiler and changes nothing.
TEST_F(FirmwareOptions, OptimizeSelectsTheKernelPaths) {
  TempDir tmp("fw_optimize");
  const std::string plain = Gen(tmp.path() / "plain", {});
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(plain.find("/* --optimize"), std::string::npos);
  EXPECT_EQ(Gen(tmp.path() / "balanced", {"--optimize", "balanced"}), plain);
  const std::string speed = Gen(tmp.path() / "speed", {"--optimize", "speed"});
  const std::string size = Gen(tmp.path() / "size", {"--optimize", "size"});
  EXPECT_NE(speed.find("even at -Os. */\n#define TML_SPEED_PATHS 1\n"), std::string::npos);
  EXPECT_NE(size.find("even at -O2. */\n#define TML_SPEED_PATHS 0\n"), std::string::npos);
  EXPECT_NE(speed.find("(--name cnn --optimize speed)"), std::string::npos) << "not recorded";
  // The define comes before the first kernel that reads it.
  EXPECT_LT(speed.find("/* --optimize speed"), speed.find("/* -- tml_common.h -- */"));
}

TEST_F(FirmwareOptions, PlacementAttributesAndWeightsFile) {
  TempDir tmp("fw_place");
  const std::string c = Gen(tmp.path(), {"--weights-section", ".model_weights", "--arena-section",
                                         ".model_arena", "--align", "64", "--weights-file"});
  const std::string w = ReadText(tmp.path() / "cnn_weights.c");
  EXPECT_NE(c.find("(--name cnn --weights-section .model_weights --arena-section .model_arena "
                   "--align 64 --weights-file)"),
            std::string::npos)
      << "options not recorded in the first line";
  EXPECT_NE(c.find("#define CNN_WEIGHTS_PLACE __attribute__((section(\".model_weights\"), aligned(64)))"),
            std::string::npos);
  EXPECT_NE(c.find("#define CNN_ARENA_PLACE __attribute__((section(\".model_arena\"), aligned(64)))"),
            std::string::npos);
  EXPECT_NE(c.find("} cnn_arena CNN_ARENA_PLACE;"), std::string::npos);
  // The weights moved: none of their definitions left in cnn.c, each declared extern.
  EXPECT_EQ(c.find("static const int8_t cnn_t"), std::string::npos);
  EXPECT_NE(c.find("extern const int8_t cnn_t"), std::string::npos);
  EXPECT_NE(w.find("#include <stdint.h>"), std::string::npos);
  EXPECT_NE(w.find(" CNN_WEIGHTS_PLACE = {"), std::string::npos);
  EXPECT_EQ(w.find("static "), std::string::npos) << "NAME_weights.c must export its arrays";
  // Every definition of NAME_weights.c has its declaration in cnn.c.
  size_t pos = 0, defs = 0;
  while ((pos = w.find("\nconst ", pos)) != std::string::npos) {
    const size_t end = w.find(" CNN_WEIGHTS_PLACE", pos);
    ASSERT_NE(end, std::string::npos);
    const std::string decl = w.substr(pos + 1, end - pos - 1);
    EXPECT_NE(c.find("extern " + decl + ";"), std::string::npos) << decl;
    pos = end;
    ++defs;
  }
  EXPECT_GT(defs, 3u);
}

TEST_F(FirmwareOptions, HeaderDeclaresWhatTheOptionsAdd) {
  TempDir tmp("fw_header");
  Gen(tmp.path(), {"--arena", "external", "--float-io", "--profile"});
  const std::string h = ReadText(tmp.path() / "cnn.h");
  for (const char* s : {"#define CNN_ARENA_ALIGN 16", "tinyml_status_t cnn_set_arena(void *mem, size_t size);",
                        "tinyml_status_t cnn_set_input_float(size_t index, const float *values);",
                        "tinyml_status_t cnn_get_output_float(size_t index, float *values);",
                        "void cnn_set_profile_clock(uint32_t (*clock)(void));",
                        "tinyml_status_t cnn_profile_enable_dwt(void);",
                        "tinyml_status_t cnn_profile(const tinyml_layer_time_t **table, size_t *count);",
                        "void cnn_profile_print(void (*print)(const char *text));"}) {
    EXPECT_NE(h.find(s), std::string::npos) << "cnn.h lacks " << s;
  }
  const std::string c = ReadText(tmp.path() / "cnn.c");
  EXPECT_EQ(c.find("#include <math.h>"), std::string::npos) << "--float-io needs no libm";
  EXPECT_EQ(c.find("cnn_arena.bytes"), std::string::npos) << "a static arena with --arena external";
}

// --- Golden models with the options ------------------------------------------------------

struct Variant {
  std::string label;
  std::vector<std::string> options;
  bool external_arena;
};

void PrintTo(const Variant& v, std::ostream* os) { *os << v.label; }

const Variant kVariants[] = {
    {"placed", {"--weights-section", ".model_weights", "--arena-section", ".model_arena", "--align",
                "64", "--weights-file", "--float-io", "--profile"}, false},
    {"external", {"--arena", "external", "--align", "32", "--float-io", "--profile"}, true},
};

const std::string kGoldenModels[] = {"hello_world_int8", "simple_add_model", "ad01_int8",
                                     "micro_speech_quantized", "kws_ref_model",
                                     "pretrainedResnet_quant", "vww_96_int8"};

class FirmwareVariants : public ::testing::TestWithParam<std::tuple<std::string, Variant>> {};

TEST_P(FirmwareVariants, GoldenBitExact) {
  const std::string model = std::get<0>(GetParam());
  const Variant& v = std::get<1>(GetParam());
  const fs::path tflite = SharedDir() / "models" / (model + ".tflite");
  const fs::path golden_dir = SharedDir() / "golden" / model;
  if (!fs::exists(tflite) || !fs::exists(golden_dir / "meta.json")) {
    GTEST_SKIP() << "no model or golden data for " << model << " under " << SharedDir();
  }
  const std::string cc = Gcc();
  if (cc.empty()) GTEST_SKIP() << "gcc is not installed";
  const GoldenModel g = LoadGolden(golden_dir);
  TempDir tmp("fw_" + model + "_" + v.label);
  const std::string name = ModelCName(model);
  const fs::path gen = tmp.path() / "gen";
  ProcResult r = Compile(tflite, gen, name, v.options);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();

  const fs::path runner = tmp.path() / "runner";
  std::vector<std::string> build = {cc};
  build.insert(build.end(), std::begin(kCFlags), std::end(kCFlags));
  build.insert(build.end(),
               {"-I", gen.string(), "-include", (E2eSourceDir() / "harness_hooks.h").string(),
                "-DMODEL_NAME=" + name, "-DMODEL_NAME_UPPER=" + UpperCase(name),
                "-DMODEL_HEADER=\"" + name + ".h\"", (gen / (name + ".c")).string(),
                (E2eSourceDir() / "golden_runner.c").string(), "-o", runner.string(), "-lm"});
  if (v.external_arena) build.push_back("-DRUNNER_EXTERNAL_ARENA");
  if (fs::exists(gen / (name + "_weights.c"))) build.push_back((gen / (name + "_weights.c")).string());
  r = RunProcess(build);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();

  int layers = 0;
  for (int k = 0; k < g.cases; ++k) {
    SCOPED_TRACE("case" + std::to_string(k));
    const fs::path out = tmp.path() / ("case" + std::to_string(k));
    fs::create_directories(out);
    std::vector<std::string> run = {runner.string(), out.string()};
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      run.push_back((g.CaseDir(k) / ("in" + std::to_string(i) + ".bin")).string());
    }
    r = RunProcess(run);
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    for (size_t j = 0; j < g.outputs.size(); ++j) {
      std::vector<uint8_t> want, got;
      const std::string f = "out" + std::to_string(j) + ".bin";
      ASSERT_TRUE(ReadFile(g.CaseDir(k) / f, &want));
      ASSERT_TRUE(ReadFile(out / f, &got)) << "no " << f;
      EXPECT_EQ(CompareBytes(want, got, nullptr), "") << "output " << j;
    }
    for (const GoldenTensor& t : g.tensors) {  // every layer TFLM dumped
      std::vector<uint8_t> want, got;
      const std::string f = "t" + std::to_string(t.index) + ".bin";
      if (t.producer_op_index < 0 || !ReadFile(g.CaseDir(k) / f, &want)) continue;
      if (!ReadFile(out / f, &got)) continue;  // an alias or folded layer reports nothing
      EXPECT_EQ(CompareBytes(want, got, &t), "") << "operator " << t.producer_op_index << " ("
                                                 << t.producer_op << ") tensor " << t.index;
      ++layers;
    }
  }
  EXPECT_GT(layers, 0) << "no layer compared";
}

INSTANTIATE_TEST_SUITE_P(
    Models, FirmwareVariants,
    ::testing::Combine(::testing::ValuesIn(kGoldenModels), ::testing::ValuesIn(kVariants)),
    [](const ::testing::TestParamInfo<FirmwareVariants::ParamType>& info) {
      return std::get<0>(info.param) + "_" + std::get<1>(info.param).label;
    });

// A model with state (SVDF, an initial state): with --arena external, --weights-file and
// placement it gives the same outputs as the default build, invoke after invoke, and
// NAME_set_arena() starts the state again as NAME_reset() does.
TEST(FirmwareState, ExternalArenaKeepsAndRestartsTheState) {
  using namespace tinymlc::testing;
  const std::string cc = Gcc();
  if (cc.empty()) GTEST_SKIP() << "gcc is not installed";
  auto tensor = [](const std::string& name, DT dt, std::vector<int32_t> shape, float scale,
                   std::vector<uint8_t> data) {
    TensorSpec t;
    t.name = name;
    t.dtype = dt;
    t.shape = std::move(shape);
    t.scale = {scale};
    t.zero_point = {0};
    t.data = std::move(data);
    return t;
  };
  Rng r(7);
  std::vector<int8_t> wf(8 * 4);
  for (auto& v : wf) v = static_cast<int8_t>(r.Int(-127, 127));
  std::vector<int16_t> wt(8 * 5), s0(2 * 40);
  for (auto& v : wt) v = static_cast<int16_t>(r.Int(-20000, 20000));
  for (auto& v : s0) v = static_cast<int16_t>(r.Int(-8000, 8000));
  ModelSpec m;
  const int x = m.AddTensor(tensor("x", DT::kInt8, {2, 4}, 0.02f, {}));
  const int f = m.AddTensor(tensor("wf", DT::kInt8, {8, 4}, 0.008f, PackInt8(wf)));
  const int t = m.AddTensor(tensor("wt", DT::kInt16, {8, 5}, 3e-5f, PackInt16(wt)));
  const int b = m.AddTensor(tensor("b", DT::kInt32, {4}, 3e-5f * 4.5e-5f, PackInt32({10, -20, 30, -40})));
  TensorSpec st = tensor("state", DT::kInt16, {2, 40}, 4.5e-5f, PackInt16(s0));
  st.is_variable = true;
  const int sv = m.AddTensor(st);
  const int y = m.AddTensor(tensor("y", DT::kInt8, {2, 4}, 0.003f, {}));
  m.AddOp(op::kSvdf, {x, f, t, b, sv}, {y}, SvdfOpts{2, kActNone});
  m.inputs = {x};
  m.outputs = {y};
  TempDir tmp("fw_state");
  std::string error;
  ASSERT_TRUE(m.WriteFile((tmp.path() / "sv.tflite").string(), &error)) << error;
  const std::string program = R"(#include <stdio.h>
#include <string.h>
#include "sv.h"
#ifdef EXTERNAL
static unsigned char arena[SV_ARENA_SIZE] __attribute__((aligned(64)));
#endif
int main(void) {
  int run, step, i;
  for (run = 0; run < 2; ++run) {
#ifdef EXTERNAL
    memset(arena, 0xA5, sizeof arena);
    if (sv_set_arena(arena, sizeof arena) != TINYML_OK) return 3;
#else
    sv_reset();
#endif
    for (step = 0; step < 6; ++step) {
      signed char *in = (signed char *)sv_input(0);
      const signed char *out;
      for (i = 0; i < 8; ++i) in[i] = (signed char)(i * 11 - 40); /* the same each step */
      if (sv_invoke() != TINYML_OK) return 2;
      out = (const signed char *)sv_output(0);
      for (i = 0; i < 8; ++i) printf(" %d", out[i]);
      printf("\n");
    }
  }
  return 0;
}
)";
  WriteFile(tmp.path() / "main.c", program.data(), program.size());
  std::string outputs[2];
  for (int variant = 0; variant < 2; ++variant) {
    const fs::path gen = tmp.path() / ("gen" + std::to_string(variant));
    std::vector<std::string> options;
    if (variant == 1) {
      options = {"--arena", "external", "--align", "64", "--weights-file", "--weights-section",
                 ".w", "--float-io", "--profile"};
    }
    ProcResult pr = Compile(tmp.path() / "sv.tflite", gen, "sv", options);
    ASSERT_EQ(pr.exit_code, 0) << pr.Describe();
    const fs::path exe = tmp.path() / ("run" + std::to_string(variant));
    std::vector<std::string> build = {cc};
    build.insert(build.end(), std::begin(kCFlags), std::end(kCFlags));
    build.insert(build.end(), {"-I", gen.string(), (gen / "sv.c").string(),
                               (tmp.path() / "main.c").string(), "-o", exe.string(), "-lm"});
    if (variant == 1) {
      build.push_back("-DEXTERNAL");
      build.push_back((gen / "sv_weights.c").string());
      EXPECT_NE(ReadText(gen / "sv_weights.c").find("const int16_t sv_init_t"), std::string::npos)
          << "the initial state is not in sv_weights.c";
    }
    pr = RunProcess(build);
    ASSERT_EQ(pr.exit_code, 0) << pr.Describe();
    pr = RunProcess({exe.string()});
    ASSERT_EQ(pr.exit_code, 0) << pr.Describe();
    outputs[variant] = pr.out;
  }
  const size_t half = outputs[0].size() / 2;
  EXPECT_EQ(outputs[0].substr(0, half), outputs[0].substr(half)) << "reset did not restart the state";
  std::vector<std::string> lines;
  std::istringstream in(outputs[0]);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 12u) << outputs[0];
  EXPECT_NE(lines[0], lines[1]) << "the same input gave the same output: no state to test";
  EXPECT_EQ(outputs[1], outputs[0]);
}

// Parameter structs with pointers (CONCATENATION's block sizes) next to arrays placed in
// a section: position-independent code (-fPIC) must still build (constants with and
// without relocations cannot share a section, so only the arrays of numbers are placed).
TEST(FirmwarePlacement, PositionIndependentCodeBuilds) {
  using namespace tinymlc::testing;
  const std::string cc = Gcc();
  if (cc.empty()) GTEST_SKIP() << "gcc is not installed";
  ModelSpec m;
  const int a = m.AddActivation("a", DT::kInt8, {1, 4}, 0.5f, 0);
  const int b = m.AddActivation("b", DT::kInt8, {1, 4}, 0.5f, 0);
  const int y = m.AddActivation("y", DT::kInt8, {1, 8}, 0.5f, 0);
  m.AddOp(op::kConcatenation, {a, b}, {y}, ConcatenationOpts{1, kActNone});
  m.inputs = {a, b};
  m.outputs = {y};
  TempDir tmp("fw_pic");
  std::string error;
  ASSERT_TRUE(m.WriteFile((tmp.path() / "cat.tflite").string(), &error)) << error;
  for (const bool file : {false, true}) {
    const fs::path gen = tmp.path() / (file ? "file" : "inline");
    std::vector<std::string> options = {"--weights-section", ".model_weights"};
    if (file) options.push_back("--weights-file");
    ProcResult r = Compile(tmp.path() / "cat.tflite", gen, "cat", options);
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    const std::string c = ReadText(gen / "cat.c");
    ASSERT_NE(c.find("cat_op0_block_bytes"), std::string::npos) << "no pointer in a parameter struct";
    std::vector<std::string> files = {(gen / "cat.c").string()};
    if (file) files.push_back((gen / "cat_weights.c").string());
    for (const std::string& f : files) {
      std::vector<std::string> build = {cc};
      build.insert(build.end(), std::begin(kCFlags), std::end(kCFlags));
      build.insert(build.end(), {"-fPIC", "-I", gen.string(), "-c", f, "-o", f + ".o"});
      r = RunProcess(build);
      EXPECT_EQ(r.exit_code, 0) << r.Describe();
    }
  }
}

// --- inspect --json --------------------------------------------------------------------------

using tinymlc::testing::JsonValue;

JsonValue InspectJson(const fs::path& tflite) {
  const ProcResult r = RunProcess({TinymlcExe().string(), "inspect", "--json", tflite.string()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  JsonValue v;
  std::string error;
  EXPECT_TRUE(tinymlc::testing::ParseJson(r.out, &v, &error)) << error << "\n" << r.out;
  return v;
}

class InspectJsonModels : public ::testing::TestWithParam<std::string> {};

TEST_P(InspectJsonModels, MatchesTheGeneratedFile) {
  const std::string model = GetParam();
  fs::path tflite = SharedDir() / "models" / (model + ".tflite");
  if (!fs::exists(tflite)) tflite = ExampleModel(model);
  if (!fs::exists(tflite)) GTEST_SKIP() << "no " << model;
  const JsonValue v = InspectJson(tflite);
  if (HasFailure()) return;
  EXPECT_EQ(v["schema"].string, "tinymlc-inspect/1");
  EXPECT_EQ(v["model"].string, tflite.string());
  ASSERT_EQ(v["operators"].kind, JsonValue::kArray);
  ASSERT_EQ(v["tensors"].kind, JsonValue::kArray);
  const size_t num_tensors = v["tensors"].array.size();
  for (size_t i = 0; i < num_tensors; ++i) {
    EXPECT_EQ(v["tensors"].array[i]["index"].as_int(), static_cast<int>(i));
  }
  for (const char* io : {"inputs", "outputs"}) {
    for (const JsonValue& t : v[io].array) EXPECT_LT(t.as_int(), static_cast<int>(num_tensors)) << io;
  }

  // The kernel paths of all operators are the TML_OPT_* switches of the generated file,
  // the arena and the weights what `compile` reports, every buffer inside the arena.
  std::set<std::string> paths;
  long long macs = 0;
  for (const JsonValue& op : v["operators"].array) {
    for (const JsonValue& p : op["kernel_paths"].array) paths.insert("TML_OPT_" + p.string);
    macs += static_cast<long long>(op["macs"].number);
    if (op["code"].string == "kernel") {
      EXPECT_EQ(op["kernel"].string.rfind("tml_", 0), 0u);
    }
  }
  EXPECT_EQ(static_cast<long long>(v["total_macs"].number), macs);
  TempDir tmp("inspect_json_" + model);
  const ProcResult r = Compile(tflite, tmp.path(), "m", {});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  const std::string c = ReadText(tmp.path() / "m.c");
  std::set<std::string> defined;
  std::istringstream src(c);
  for (std::string line; std::getline(src, line);) {
    // The switches the emitter sets ("#define TML_OPT_X 1"), not the kernels' own defines.
    if (line.rfind("#define TML_OPT_", 0) == 0 && line.size() > 2 &&
        line.compare(line.size() - 2, 2, " 1") == 0) {
      defined.insert(line.substr(8, line.size() - 10));
    }
  }
  EXPECT_EQ(paths, defined);
  const JsonValue& plan = v["memory_plan"];
  const long long arena = static_cast<long long>(plan["arena_bytes"].number);
  EXPECT_NE(r.out.find(fmt_arena(arena)), std::string::npos) << r.out;
  for (const JsonValue& b : plan["buffers"].array) {
    EXPECT_LE(static_cast<long long>(b["offset"].number + b["bytes"].number), arena) << b["label"].string;
    EXPECT_LE(b["first"].number, b["last"].number) << b["label"].string;
  }
}

INSTANTIATE_TEST_SUITE_P(Models, InspectJsonModels,
                         ::testing::Values("example_sine", "example_cnn", "hello_world_int8",
                                           "kws_ref_model", "micro_speech_quantized",
                                           "vww_96_int8"));

// Tensor names are arbitrary bytes: quotes, backslashes, control characters and bytes
// above 0x7f are escaped and the JSON stays valid.
TEST(InspectJson, OddTensorNamesAreEscaped) {
  using namespace tinymlc::testing;
  ModelSpec m;
  const std::string odd = std::string("a\"b\\c\nd\x01") + static_cast<char>(0xff);
  const int in = m.AddActivation(odd, DT::kInt8, {1, 4}, 0.5f, 0);
  const int out = m.AddActivation("out", DT::kInt8, {1, 4}, 0.5f, 0);
  m.AddOp(op::kRelu, {in}, {out});
  m.inputs = {in};
  m.outputs = {out};
  TempDir tmp("inspect_json_odd");
  std::string error;
  ASSERT_TRUE(m.WriteFile((tmp.path() / "odd.tflite").string(), &error)) << error;
  const ProcResult r = RunProcess({TinymlcExe().string(), "inspect", "--json",
                                   (tmp.path() / "odd.tflite").string()});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find(R"("name": "a\"b\\c\u000ad\u0001\u00ff")"), std::string::npos) << r.out;
  JsonValue v;
  EXPECT_TRUE(ParseJson(r.out, &v, &error)) << error;
  for (unsigned char c : r.out) EXPECT_LT(c, 0x80) << "non-ASCII byte in the JSON";
}

// --- Float I/O -----------------------------------------------------------------------------

// Compiles `tflite` with --float-io, builds it with `program` and runs it: its stdout,
// or a failure.
void RunWithFloatIo(const fs::path& tflite, const std::string& name, const fs::path& program,
                    const fs::path& dir, ProcResult* result) {
  const std::string cc = Gcc();
  if (cc.empty()) GTEST_SKIP() << "gcc is not installed";
  const fs::path gen = dir / "gen";
  ProcResult r = Compile(tflite, gen, name, {"--float-io"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  const fs::path exe = dir / "check";
  std::vector<std::string> build = {cc};
  build.insert(build.end(), std::begin(kCFlags), std::end(kCFlags));
  build.insert(build.end(), {"-I", gen.string(), "-DMODEL_NAME=" + name,
                             "-DMODEL_HEADER=\"" + name + ".h\"", (gen / (name + ".c")).string(),
                             program.string(), "-o", exe.string(), "-lm"});
  r = RunProcess(build);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  *result = RunProcess({exe.string()});
}

class FloatIo : public ::testing::TestWithParam<std::string> {};

TEST_P(FloatIo, MatchesQuantizeAndDequantize) {
  const std::string model = GetParam();
  const fs::path tflite = SharedDir() / "models" / (model + ".tflite");
  if (!fs::exists(tflite)) GTEST_SKIP() << "no " << tflite;
  TempDir tmp("fw_float_" + model);
  ProcResult r;
  RunWithFloatIo(tflite, ModelCName(model), E2eSourceDir() / "float_io_check.c", tmp.path(), &r);
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_EQ(r.exit_code, 0) << r.Describe() << r.out;
  EXPECT_NE(r.out.find(" 0 mismatches"), std::string::npos) << r.out;
}

// int16 input and output (RELU), made with the model builder.
TEST(FloatIoBuilt, Int16MatchesQuantizeAndDequantize) {
  using namespace tinymlc::testing;
  ModelSpec m;
  const int in = m.AddActivation("in", DT::kInt16, {1, 256}, 0.0123f, 0);
  const int out = m.AddActivation("out", DT::kInt16, {1, 256}, 0.0123f, 0);
  m.AddOp(op::kRelu, {in}, {out});
  m.inputs = {in};
  m.outputs = {out};
  TempDir tmp("fw_float_int16");
  std::string error;
  ASSERT_TRUE(m.WriteFile((tmp.path() / "relu16.tflite").string(), &error)) << error;
  ProcResult r;
  RunWithFloatIo(tmp.path() / "relu16.tflite", "relu16", E2eSourceDir() / "float_io_check.c",
                 tmp.path(), &r);
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_EQ(r.exit_code, 0) << r.Describe() << r.out;
  EXPECT_NE(r.out.find(" 0 mismatches"), std::string::npos) << r.out;
}

// A float32 input or output is refused with TINYML_ERROR, a bad index with
// TINYML_BAD_ARGUMENT.
TEST(FloatIoBuilt, FloatTensorIsRefused) {
  using namespace tinymlc::testing;
  ModelSpec m;
  const int in = m.AddActivation("in", DT::kFloat32, {1, 4});
  const int out = m.AddActivation("out", DT::kFloat32, {1, 4});
  m.AddOp(op::kNeg, {in}, {out});
  m.inputs = {in};
  m.outputs = {out};
  TempDir tmp("fw_float_refused");
  std::string error;
  ASSERT_TRUE(m.WriteFile((tmp.path() / "neg.tflite").string(), &error)) << error;
  const std::string program =
      "#include <stdio.h>\n#include \"neg.h\"\n"
      "int main(void) {\n"
      "  float v[4] = {1.0f, 2.0f, 3.0f, 4.0f};\n"
      "  int ok = neg_set_input_float(0, v) == TINYML_ERROR &&\n"
      "           neg_get_output_float(0, v) == TINYML_ERROR &&\n"
      "           neg_set_input_float(1, v) == TINYML_BAD_ARGUMENT &&\n"
      "           neg_get_output_float(1, v) == TINYML_BAD_ARGUMENT;\n"
      "  printf(ok ? \"refused\\n\" : \"accepted\\n\");\n"
      "  return ok ? 0 : 1;\n}\n";
  WriteFile(tmp.path() / "main.c", program.data(), program.size());
  ProcResult r;
  RunWithFloatIo(tmp.path() / "neg.tflite", "neg", tmp.path() / "main.c", tmp.path(), &r);
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_EQ(r.exit_code, 0) << r.Describe() << r.out;
  EXPECT_EQ(r.out, "refused\n");
}

// Models of ../shared with int8 inputs and outputs of different scales and zero points.
INSTANTIATE_TEST_SUITE_P(Models, FloatIo,
                         ::testing::Values("hello_world_int8", "kws_ref_model",
                                           "micro_speech_quantized", "ad01_int8"));

// --- Several models, shared kernels ---------------------------------------------------------

// A program that fills every input of the models with a fixed pattern, invokes each model
// in turn and prints every output byte in hex.
std::string AllModelsProgram(const std::vector<std::string>& names) {
  std::string p = "#include <stdio.h>\n#include <string.h>\n";
  for (const std::string& n : names) p += "#include \"" + n + ".h\"\n";
  p += "static void fill(void *p, size_t n, unsigned seed) {\n"
       "  unsigned char *b = (unsigned char *)p; size_t i;\n"
       "  for (i = 0; i < n; ++i) b[i] = (unsigned char)((i * 7u + seed) & 0x7fu);\n}\n"
       "static void dump(const char *name, const void *p, size_t n) {\n"
       "  const unsigned char *b = (const unsigned char *)p; size_t i;\n"
       "  printf(\"%s:\", name);\n  for (i = 0; i < n; ++i) printf(\"%02x\", b[i]);\n  printf(\"\\n\");\n}\n"
       "int main(void) {\n  size_t i;\n";
  for (const std::string& n : names) {
    const std::string u = UpperCase(n);
    p += "  for (i = 0; i < " + u + "_NUM_INPUTS; ++i) fill(" + n + "_input(i), " + n +
         "_input_info(i)->bytes, (unsigned)i + 3u);\n";
    p += "  if (" + n + "_invoke() != TINYML_OK) return 1;\n";
    p += "  for (i = 0; i < " + u + "_NUM_OUTPUTS; ++i) dump(\"" + n + "\", " + n + "_output(i), " + n +
         "_output_info(i)->bytes);\n";
  }
  return p + "  return 0;\n}\n";
}

class SharedKernels : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(IsExecutable(TinymlcExe().string())) << "no tinymlc at " << TinymlcExe();
    models_ = {ExampleModel("example_cnn"), ExampleModel("example_sine")};
    names_ = {"cnn", "sine"};
    // Real models of ../shared with different kernels (conv, depthwise, pool, FC, softmax,
    // add), when present.
    for (const char* m : {"kws_ref_model", "micro_speech_quantized", "ad01_int8", "hello_world_int8",
                          "simple_add_model"}) {
      const fs::path p = SharedDir() / "models" / (std::string(m) + ".tflite");
      if (fs::exists(p)) {
        models_.push_back(p);
        names_.push_back(ModelCName(m));
      }
    }
  }
  ProcResult CompileAll(const fs::path& out, bool reversed) {
    std::vector<fs::path> models = models_;
    std::vector<std::string> names = names_;
    if (reversed) {
      std::reverse(models.begin(), models.end());
      std::reverse(names.begin(), names.end());
    }
    std::vector<std::string> argv = {TinymlcExe().string(), "compile"};
    std::string name_arg;
    for (size_t i = 0; i < models.size(); ++i) {
      argv.push_back(models[i].string());
      name_arg += (i ? "," : "") + names[i];
    }
    for (const char* a : {"-o", out.c_str(), "--name", name_arg.c_str()}) argv.push_back(a);
    return RunProcess(argv);
  }
  std::vector<fs::path> models_;
  std::vector<std::string> names_;
};

TEST_F(SharedKernels, EachKernelOnceInAnyOrder) {
  TempDir tmp("shared_kernels");
  const ProcResult a = CompileAll(tmp.path() / "a", false);
  ASSERT_EQ(a.exit_code, 0) << a.Describe();
  const ProcResult b = CompileAll(tmp.path() / "b", true);
  ASSERT_EQ(b.exit_code, 0) << b.Describe();
  for (const char* f : {"tinyml_kernels.c", "tinyml_kernels.h"}) {
    const std::string text = ReadText(tmp.path() / "a" / f);
    ASSERT_FALSE(text.empty()) << f;
    EXPECT_EQ(text, ReadText(tmp.path() / "b" / f)) << f << " depends on the order of the models";
  }
  for (const std::string& n : names_) {
    EXPECT_EQ(ReadText(tmp.path() / "a" / (n + ".c")), ReadText(tmp.path() / "b" / (n + ".c"))) << n;
  }
  const std::string kernels = ReadText(tmp.path() / "a" / "tinyml_kernels.c");
  std::set<std::string> used;
  for (size_t i = 0; i < names_.size(); ++i) {
    const std::string& n = names_[i];
    const std::string c = ReadText(tmp.path() / "a" / (n + ".c"));
    EXPECT_NE(c.find("#include \"tinyml_kernels.h\""), std::string::npos) << n;
    EXPECT_EQ(c.find("/* -- tml_common.h -- */"), std::string::npos) << n << ".c has its own kernels";
    // Every template the model would embed alone is in tinyml_kernels.c, once.
    TempDir alone("shared_kernels_alone");
    ASSERT_EQ(Compile(models_[i], alone.path(), n, {}).exit_code, 0);
    const std::string own = ReadText(alone.path() / (n + ".c"));
    for (size_t at = own.find("/* -- tml_"); at != std::string::npos; at = own.find("/* -- tml_", at + 1)) {
      used.insert(own.substr(at, own.find(" -- */", at) + 6 - at));
    }
  }
  for (const std::string& marker : used) {
    const size_t first = kernels.find(marker);
    EXPECT_NE(first, std::string::npos) << marker;
    EXPECT_EQ(kernels.find(marker, first + 1), std::string::npos) << marker << " twice";
  }
}

TEST_F(SharedKernels, LinkedTogetherAndEqualToAlone) {
  TempDir tmp("shared_kernels_run");
  const fs::path shared = tmp.path() / "shared";
  ASSERT_EQ(CompileAll(shared, false).exit_code, 0);
  const std::string program = AllModelsProgram(names_);
  WriteFile(tmp.path() / "main.c", program.data(), program.size());
  std::vector<std::string> compilers;
  for (const std::string& c : {Gcc(), std::string(TINYMLC_E2E_CLANG)}) {
    if (!c.empty() && c.find("NOTFOUND") == std::string::npos) compilers.push_back(c);
  }
  if (compilers.empty()) GTEST_SKIP() << "no C compiler";
  // Reference: each model compiled alone (its own kernels), all in one program.
  const fs::path alone = tmp.path() / "alone";
  std::vector<std::string> alone_sources;
  for (size_t i = 0; i < models_.size(); ++i) {
    ASSERT_EQ(Compile(models_[i], alone, names_[i], {}).exit_code, 0);
    alone_sources.push_back((alone / (names_[i] + ".c")).string());
  }
  std::string expected;
  for (const std::string& cc : compilers) {
    for (int variant = 0; variant < 2; ++variant) {
      const fs::path dir = variant == 0 ? alone : shared;
      std::vector<std::string> argv = {cc};
      argv.insert(argv.end(), std::begin(kCFlags), std::end(kCFlags));
      argv.push_back("-I" + dir.string());
      argv.push_back((tmp.path() / "main.c").string());
      if (variant == 0) {
        argv.insert(argv.end(), alone_sources.begin(), alone_sources.end());
      } else {
        for (const std::string& n : names_) argv.push_back((shared / (n + ".c")).string());
        argv.push_back((shared / "tinyml_kernels.c").string());
      }
      const fs::path exe = tmp.path() / ("prog" + std::to_string(variant));
      for (const char* a : {"-o", exe.c_str(), "-lm"}) argv.push_back(a);
      const ProcResult built = RunProcess(argv);
      ASSERT_EQ(built.exit_code, 0) << cc << (variant ? " shared" : " alone") << "\n" << built.Describe();
      const ProcResult run = RunProcess({exe.string()});
      ASSERT_EQ(run.exit_code, 0) << run.Describe();
      if (expected.empty()) expected = run.out;
      EXPECT_EQ(run.out, expected) << cc << (variant ? " shared kernels" : " alone");
    }
  }
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n') >= static_cast<long>(names_.size()), true);
}

TEST(SharedKernelsErrors, NamesAreChecked) {
  TempDir tmp("shared_kernels_err");
  const std::string cnn = ExampleModel("example_cnn").string();
  const std::string sine = ExampleModel("example_sine").string();
  const std::string out = (tmp.path() / "gen").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{cnn, cnn}, "have the same name 'example_cnn'"},
      {{cnn, sine, "--name", "a"}, "--name 'a' gives 1 name for 2 models"},
      {{cnn, sine, "--name", "a,a"}, "have the same name 'a'"},
      {{cnn, sine, "--name", "a,2b"}, "--name '2b' is not a C identifier"},
      {{cnn, sine, "--name", "a,tinyml_kernels"}, "the shared file's"},
      {{cnn, sine, "--align", "3"}, "--align '3'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {TinymlcExe().string(), "compile", "-o", out};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const ProcResult r = RunProcess(argv);
    EXPECT_EQ(r.exit_code, 2) << r.Describe();
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(tmp.path() / "gen" / "tinyml_kernels.c"));
  }
}

}  // namespace
}  // namespace e2e
