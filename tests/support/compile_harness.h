// Test support: compile ModelSpecs with the real `tinymlc` executable, build the
// generated C with a host C compiler, run it, and compare every layer with the
// independent C++ reference (reference_ops.h).
//
// Typical use (one op, many random configurations):
//
//   TEST(SweepMyOp, MatchesReference) {
//     const SweepStats s = RunSweep("MY_OP", SweepCount(100), /*seed=*/1234,
//         [](Rng& rng, int i) {
//           SweepConfig c;
//           c.spec = ...;                    // a ModelSpec; put the random parameters
//           c.spec.description = "...";     //   in description (shown on failure)
//           c.cases = {{PackInt8(...)}, {PackInt8(...)}};   // [case][input]
//           return c;
//         });
//     EXPECT_EQ(s.failures, 0) << JoinMessages(s);
//   }
//
// or for a fixed set of models: CompileAndRunBatch() then CompareWithReference().
//
// How a batch runs (CompileAndRunBatch / CompileAndRunTfliteBatch):
//   1. every model is written to <tmp>/m<i>.tflite and compiled with
//      `tinymlc compile m<i>.tflite -o <tmp>/m<i> --name m<i>` (in parallel);
//   2. a runner (runner.c, generated for exactly these models and case counts) and all
//      m<i>/m<i>.c are built into ONE executable by ONE C compiler invocation
//      (`cc <cflags> -include harness_hooks.h m0/m0.c m1/m1.c ... runner.c -lm`);
//      harness_hooks.h defines TINYML_LAYER_END so that every operator's output bytes
//      are recorded;
//   3. the runner is run once (`timeout 60`) on every case of every model: for each
//      case it calls NAME_reset(), copies the inputs to NAME_input(j) (sizes checked
//      against NAME_input_info(j)->bytes), calls NAME_invoke() and records the outputs
//      (NAME_output_info(j)->bytes) and the layer dumps to a binary results file.
//   Temporary folders live under $TINYMLC_HARNESS_TMPDIR, else <build>/harness_tmp
//   (compile definition), else $TMPDIR, else /tmp. They are removed when the batch
//   succeeds and kept (path in the error message) when anything fails; set
//   TINYMLC_HARNESS_KEEP=1 to always keep them.
//
// The reference runs every case from a fresh state, which is why the runner calls
// NAME_reset() before each case (matters only for models with variable tensors).
//
// Environment knobs (all optional):
//   TINYMLC_SWEEP_COUNT   absolute count for every SweepCount(), or "xN" to multiply the
//                         default count by N (a long run: TINYMLC_SWEEP_COUNT=x50).
//   TINYMLC_SWEEP_SEED    replaces the seed given to RunSweep (explore other configs).
//   TINYMLC_SWEEP_ONLY    run only configuration i (debugging: reproduces exactly the
//                         config named in a failure message, with the same seed).
//   TINYMLC_SWEEP_JOBS    batches run concurrently (default: hardware threads, max 4).
//   TINYMLC_SWEEP_NO_SAVE=1  do not write failing configs to tests/support/regressions.
//   TINYMLC_REGRESSION_DIR   where failing configs go (default: the source tree's
//                         tests/support/regressions).
//   TINYMLC_EXE           the tinymlc executable (default: compile definition).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model_builder.h"

namespace tinymlc::testing {

struct HarnessOptions {
  std::string cc = "gcc";  // C compiler (name on PATH or path)
  std::string cflags = "-std=c99 -O1 -Wall -Wextra -Wpedantic -Werror";  // split on spaces
  int run_timeout_s = 60;       // the runner, via `timeout`
  int compile_timeout_s = 300;  // tinymlc and the C compiler, via `timeout`
  // false: the runner calls NAME_reset() only before a model's first case, so variable
  // tensors (recurrent state) carry over from case to case; compare case k with a
  // reference whose variable tensors start from the state after case k-1.
  bool reset_each_case = true;
  // More arguments for `tinymlc compile` (e.g. {"--optimize", "ram"}, {"--sparse", "force"}).
  std::vector<std::string> tinymlc_args;
};

struct CaseResult {
  std::vector<std::vector<uint8_t>> outputs;  // graph outputs, in output order
  // tensor index -> bytes seen by TINYML_LAYER_END (last call wins).
  std::map<int, std::vector<uint8_t>> layers;
};

struct BatchResult {
  bool ok = false;
  std::string error;  // when !ok: what failed (tinymlc's / the C compiler's stderr, ...)
  // [model][case]. Filled for every model that ran; when tinymlc rejected some models
  // (ok == false) the others are still built and run, and the rejected ones get no
  // results (empty vector) and a message in model_errors.
  std::vector<std::vector<CaseResult>> results;
  std::vector<std::string> model_errors;  // [model]: "" or why that model failed
};

// Writes every model to a temp dir, runs `tinymlc compile` on each (NAME m0, m1, ...),
// builds all of them plus one generated runner into ONE executable with one C compiler
// invocation, runs it once for all cases of all models, and reads back outputs and
// layer dumps. inputs is [model][case][input] (raw bytes in ModelSpec::inputs order).
// A model that tinymlc rejects gives ok=false with tinymlc's stderr.
BatchResult CompileAndRunBatch(
    const std::vector<ModelSpec>& models,
    const std::vector<std::vector<std::vector<std::vector<uint8_t>>>>& inputs,
    const HarnessOptions& opts = {});

// Same for .tflite file contents (e.g. regression files, compiled byte for byte).
BatchResult CompileAndRunTfliteBatch(
    const std::vector<std::vector<uint8_t>>& tflite_files,
    const std::vector<std::vector<std::vector<std::vector<uint8_t>>>>& inputs,
    const HarnessOptions& opts = {});

// "" if every output and every hooked layer equals the reference bytes; else a
// description naming the first differing tensor (in execution order), byte offset,
// element index, expected and got (and how many bytes differ).
std::string CompareWithReference(const ModelSpec& spec,
                                 const std::vector<std::vector<uint8_t>>& inputs,
                                 const CaseResult& got);

// A readable summary of a model: description, tensors (dtype, shape, quantization,
// const/variable) and ops with their options. Used in failure messages.
std::string DescribeModel(const ModelSpec& spec);

// ---- Random sweeps ------------------------------------------------------------------

struct SweepConfig {
  ModelSpec spec;  // spec.description should name the random parameters
  std::vector<std::vector<std::vector<uint8_t>>> cases;  // [case][input]
};

struct SweepStats {
  int configs = 0;   // configurations run
  int failures = 0;  // configurations that failed (rejected, crashed or mismatched)
  std::vector<std::string> messages;  // one per failure: config index, model, reason
};

// Random sweep. gen(rng, i) returns configuration i; rng is seeded from (seed, i)
// only, so configuration i is the same whatever count is and whichever configs run
// (TINYMLC_SWEEP_ONLY=i reproduces it). Configurations are run in batches of 40 per
// executable (batches run concurrently, see TINYMLC_SWEEP_JOBS). Every failing
// configuration is written to tests/support/regressions/<op_name>/<seed>_<i>.tflite
// plus its inputs (<seed>_<i>.case<k>.in<j>.bin) and a <seed>_<i>.txt with the
// failure, so that regression_test.cc replays it. Prints "<op_name>: N configurations,
// F failures (...)" to stdout.
SweepStats RunSweep(const std::string& op_name, int count, uint64_t seed,
                    const std::function<SweepConfig(Rng&, int)>& gen,
                    const HarnessOptions& opts = {});

// default_count, unless TINYMLC_SWEEP_COUNT overrides it ("500" or "x10").
int SweepCount(int default_count);

// All messages of a sweep, numbered, for a gtest failure message (at most `max`).
std::string JoinMessages(const SweepStats& stats, size_t max = 10);

// ---- Helpers ------------------------------------------------------------------------

// The tinymlc executable ($TINYMLC_EXE or the TINYMLC_EXE compile definition).
std::string TinymlcPath();
// True if `program` is an executable path or found on PATH (e.g. "clang").
bool ProgramAvailable(const std::string& program);
// Where RunSweep writes failing configurations (see TINYMLC_REGRESSION_DIR).
std::string RegressionDir();

// One regression case as stored on disk.
struct RegressionCase {
  std::string path;                                      // .tflite path
  std::vector<uint8_t> tflite;                           // the file
  std::vector<std::vector<std::vector<uint8_t>>> cases;  // [case][input]
};
// Every <dir>/<op>/*.tflite with its .case<k>.in<j>.bin files, sorted by path.
std::vector<RegressionCase> LoadRegressionCases(const std::string& dir);

}  // namespace tinymlc::testing
