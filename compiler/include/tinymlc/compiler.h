// The compiler pipeline: Graph -> op lowering -> memory plan -> C sources.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

struct CompileOptions {
  std::string name;           // C identifier prefix; required
  int64_t alignment = 4;      // byte alignment of every arena offset
  std::string command_line;   // recorded in the generated files' first line

  // Firmware integration (README "Using tinymlc in firmware"). All off by default: the
  // generated files are then exactly those of a compile without them.
  std::string weights_section;  // --weights-section: section of every constant array
  std::string arena_section;    // --arena-section: section of the static arena
  int64_t placement_align = 0;  // --align: arena and weight array alignment (0: default)
  bool weights_file = false;    // --weights-file: constant arrays in NAME_weights.c
  bool external_arena = false;  // --arena external: NAME_set_arena(), no static arena
  // --input external: the model reads its (one) input from the caller's memory
  // (NAME_set_input_buffer()), never copied into the arena, which then leaves it out.
  bool external_input = false;
  bool float_io = false;        // --float-io: NAME_set_input_float / NAME_get_output_float
  bool profile = false;         // --profile: per-layer timing (NAME_profile())
  // --optimize: which kernel paths the generated C compiles. balanced (default): the
  // fast paths unless the C compiler optimizes for size (-Os); speed: the fast paths
  // always; size: the small paths always (TML_SPEED_PATHS, tml_common.h); ram: the
  // kernel paths of balanced, and the smallest arena the compiler can reach (patch-based
  // execution of the first layers, passes/patch.h).
  enum class Optimize { kBalanced, kSpeed, kSize, kRam };
  Optimize optimize = Optimize::kBalanced;
  // --memory-budget BYTES (0: none): the patch plan with the fewest extra MACs whose arena
  // fits in this many bytes; the compile fails, naming the smallest arena it can reach,
  // when none fits.
  int64_t memory_budget = 0;
  // Several models in one compile: NAME.c includes "tinyml_kernels.h" and the kernels
  // are compiled once in tinyml_kernels.c (EmitSharedKernels()) instead of into NAME.c.
  bool shared_kernels = false;
  // --sparse: auto (default) stores a layer's int8 weights sparse (zeros skipped) or
  // clustered (4-bit indices into a table) only where that wins in flash and estimated
  // cycles; off: always dense; force: compressed wherever a form applies (the smallest
  // such form); size: the smallest form; fast: compressed wherever a form applies (the
  // fastest such form by the cost model) (ops/sparse_weights.h).
  enum class Sparse { kAuto, kOff, kForce, kSize, kFast };
  Sparse sparse = Sparse::kAuto;

  // The alignment the placement options use: --align, else 16 when any of them is on.
  int64_t PlacementAlign() const {
    if (placement_align > 0) return placement_align;
    const bool any = !weights_section.empty() || !arena_section.empty() || weights_file ||
                     external_arena;
    return any ? 16 : 0;
  }
};

struct LayerReport {
  int op_index = -1;
  std::string op_name;
  int output_tensor = -1;
  int64_t macs = 0;
  bool aliased = false;       // output shares its input's memory (no code)
  bool folded = false;        // evaluated at compile time (no code)
  std::string kernel;         // the kernel function the layer calls ("" without code)
  std::vector<std::string> options;  // the kernel paths it uses (TML_OPT_* switches)
  // Constant bytes the layer reads: the constant tensors its code names and the arrays
  // it emits (reordered weights, per-channel parameters, tables).
  int64_t weight_bytes = 0;
  // The weight form the layer chose and why ("" when it had no choice): see --sparse.
  std::string weight_form;
};

struct BufferReport {
  std::string label;          // "t12 'name'" or "scratch op3"
  std::vector<int> tensors;   // tensors sharing this buffer (aliases)
  int64_t bytes = 0;
  int64_t offset = 0;
  int first = 0, last = 0;    // lifetime in operator steps
};

struct CompiledModel {
  std::string name;
  std::string source;         // NAME.c
  std::string header;         // NAME.h
  std::string runtime_header; // tinyml_runtime.h
  std::string weights_source; // NAME_weights.c (only with CompileOptions::weights_file)
  int64_t arena_bytes = 0;
  int64_t lower_bound = 0;    // largest sum of live buffers at any step
  int64_t weight_bytes = 0;   // constant data emitted
  std::vector<LayerReport> layers;
  std::vector<BufferReport> buffers;
  std::string plan_dump;      // the planner's table and picture
  // The patch plan (--optimize ram, --memory-budget; passes/patch.h): "" without patches,
  // else the prefix, grid, split tensor, halo and extra MACs.
  std::string patch_plan;
  // With a patch plan: the graph the layers, buffers and tensor indices refer to (the
  // model's graph with the prefix operators copied per patch and their band tensors).
  std::shared_ptr<const Graph> patched_graph;
  // What the kernels section needs (for EmitSharedKernels()): the template files in
  // first-use order, the TML_OPT_* switches the layers use, and whether <math.h> is.
  std::vector<std::string> kernel_files;
  std::vector<std::string> kernel_options;
  bool needs_math = false;
  CompileOptions::Optimize optimize = CompileOptions::Optimize::kBalanced;
};

// The lines a kernels section starts with for `optimize` ("" for balanced).
std::string SpeedPathsDefine(CompileOptions::Optimize optimize);

Result<CompiledModel> CompileGraph(const Graph& graph, const CompileOptions& options);

// One entry of the op registry, for `tinymlc ops` and the README's operator table.
struct SupportedOperator {
  int builtin_code = 0;       // 32 (CUSTOM) for a custom op, found by its name (custom_code)
  std::string name;           // "CONV_2D"
  std::string types;          // "int8, int16", "float32, int8 -> int8"
  bool folds = false;         // evaluated at compile time when its inputs are constant
  bool custom = false;        // a custom op (TFLM's signal library): name is its custom_code
};

// Every supported operator, in builtin-code order.
std::vector<SupportedOperator> SupportedOperators();

// The README table of SupportedOperators() (Markdown, ends with a newline).
std::string SupportedOperatorsMarkdown();

// "models/kws-ref.tflite" -> "kws_ref": the file's stem made into a C identifier.
std::string ModelNameFromPath(const std::string& path);
bool IsCIdentifier(const std::string& s);
// A linker section name tinymlc accepts: letters, digits, '_', '.', '$'; 1 to 63 characters.
bool IsSectionName(const std::string& s);

// The kernels of several models compiled with CompileOptions::shared_kernels, each
// function once: tinyml_kernels.c (definitions, with external linkage, and the union of
// the kernel paths the models use) and tinyml_kernels.h (types and prototypes, which
// every NAME.c includes). The same models give the same bytes, in any order.
struct SharedKernels {
  std::string source;  // tinyml_kernels.c
  std::string header;  // tinyml_kernels.h
  std::vector<std::string> files;  // the kernel templates it holds, in emitted order
};
Result<SharedKernels> EmitSharedKernels(const std::vector<const CompiledModel*>& models,
                                        const std::string& command_line);
// Writes tinyml_kernels.c and tinyml_kernels.h into `dir` (created if missing).
Status WriteSharedKernels(const SharedKernels& kernels, const std::string& dir);

// Writes NAME.c, NAME.h and tinyml_runtime.h (and NAME_weights.c when the model has one)
// into `dir` (created if missing).
Status WriteCompiledModel(const CompiledModel& model, const std::string& dir);

}  // namespace tinymlc
