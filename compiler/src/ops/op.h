// The operator layer: one file per TFLite builtin (conv_2d.cc, add.cc, ...), each
// defining an OpDef that checks the operator and lowers it to a call of a C kernel
// from templates/kernels. The registry (registry.cc) is a table of these.
//
// Adding an op:
//   1. templates/kernels/tml_<op>.h: the C kernel and its params struct (+ a test in
//      tests/kernels/).
//   2. compiler/src/ops/<op>.cc: `extern const OpDef k<Op>` with Lower() that checks
//      dtypes/shapes/options (errors via ctx.Error) and fills a LayerCode.
//   3. Add it to the table in registry.cc; add a reference implementation and a
//      builder-based test in tests/support.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// C code for one operator. Tensor pointers are written as placeholders that the
// emitter resolves after memory planning: "@T<index>@" is a pointer to tensor
// <index> of the C type of its dtype (a const array for constants, an arena address
// otherwise); "@S@" is a pointer to this layer's scratch buffer (uint8_t *); "@P@" to its
// persistent state (state_bytes).
struct LayerCode {
  std::vector<std::string> kernels;  // template files, e.g. "tml_conv_2d.h"
  std::string decls;                 // file-scope constants (params, per-channel arrays)
  std::string body;                  // statements run for this layer
  bool needs_math = false;           // kernel needs <math.h>
  // Kernel code paths this layer uses (TML_OPT_* switches, templates/kernels/tml_common.h):
  // the generated file compiles only the paths some layer lists.
  std::vector<std::string> options;
  int alias_of = -1;                 // output shares memory with this input tensor (no code)
  int64_t scratch_bytes = 0;         // scratch buffer, planned like a tensor
  // Persistent state of the operator itself (TFLM keeps it in a persistent buffer: the
  // signal library's noise estimates, delay lines): a static array NAME_op<index>_state of
  // this many bytes (8-byte aligned) outside the arena, kept across invokes and zeroed by
  // NAME_reset(); "@P@" in the body is a pointer to it (uint8_t *).
  int64_t state_bytes = 0;
  int64_t weight_bytes = 0;          // constant weights/bias the layer emits in decls
                                     // (reordered copies of the model's tensors)
  bool folded = false;               // evaluated at compile time: no code, no hooks
  // How the layer stores its weights when it chose among forms (ops/sparse_weights.h):
  // "dense", "sparse 25.0% ...", "clustered 16 values ..." with the cost-model numbers;
  // "" for layers that have no choice.
  std::string weight_form;
  // In-place execution: the output may share memory with an input that is read for the
  // last time here, placed `min_delta` or more bytes above the output's start (0: same
  // start). The kernel must stream forward so that, with that distance, no write lands
  // on input bytes it has yet to read. The compiler takes the first candidate whose
  // input dies at this operator; the planner then sees one buffer for the pair.
  struct InPlace {
    int input_tensor = -1;
    int64_t min_delta = 0;
    int64_t unit = 1;  // the distance must be a multiple of this (e.g. a pixel's bytes)
  };
  std::vector<InPlace> in_place;
};

// --sparse: how layers with constant int8 weights may store them (ops/sparse_weights.h).
//   kAuto: a compressed form only where it wins in flash AND estimated cycles;
//   kOff: always dense; kForce: a compressed form wherever one applies (its smallest);
//   kSize: the smallest form in flash, whatever the cycles; kFast: a compressed form
//   wherever one applies (the fastest by the cost model). Same order as
//   CompileOptions::Sparse.
enum class SparseMode { kAuto, kOff, kForce, kSize, kFast };

class LowerContext {
 public:
  LowerContext(const Graph& graph, const Operator& op, std::string prefix)
      : graph_(graph), op_(op), prefix_(std::move(prefix)) {}
  const Graph& graph() const { return graph_; }
  const Operator& op() const { return op_; }
  SparseMode sparse() const { return sparse_; }
  void set_sparse(SparseMode m) { sparse_ = m; }
  // --optimize ram / size, --memory-budget: kernels size their scratch for their small
  // paths (e.g. one depthwise plane instead of four), which those modes trade speed for.
  bool small_scratch() const { return small_scratch_; }
  void set_small_scratch(bool s) { small_scratch_ = s; }
  // --optimize speed: kernels may trade flash for cycles (e.g. int16 weights widened at
  // compile time).
  bool wide_weights() const { return wide_weights_; }
  void set_wide_weights(bool w) { wide_weights_ = w; }
  int NumInputs() const { return static_cast<int>(op_.inputs.size()); }
  int NumOutputs() const { return static_cast<int>(op_.outputs.size()); }
  // Tensor of input/output i; nullptr for an omitted optional input.
  const Tensor* In(int i) const;
  const Tensor* Out(int i) const;
  // Placeholder for a pointer to the tensor (see LayerCode); "NULL" if absent.
  std::string Ptr(const Tensor* t) const;
  // The generated file's prefix (the model name).
  const std::string& prefix() const { return prefix_; }
  // A file-scope symbol for this layer: "<prefix>_op<index>_<suffix>".
  std::string Sym(const std::string& suffix) const;
  // An error about this operator (and optionally one of its tensors).
  Status Error(const std::string& message, const Tensor* t = nullptr) const;

 private:
  const Graph& graph_;
  const Operator& op_;
  std::string prefix_;
  SparseMode sparse_ = SparseMode::kAuto;
  bool small_scratch_ = false;
  bool wide_weights_ = false;
};

// Output bytes of an operator evaluated at compile time (constant folding).
using FoldedOutputs = std::vector<std::vector<uint8_t>>;

struct OpDef {
  int builtin_code;
  const char* name;
  // The tensor types the op accepts, for `tinymlc ops` and the README's operator table
  // (e.g. "int8, int16"; "a -> b" when input and output types differ).
  const char* types;
  Status (*lower)(LowerContext& ctx, LayerCode* out);
  int64_t (*macs)(const Graph& graph, const Operator& op);  // may be null (0 MACs)
  // Evaluates the op when all its inputs are constant (may be null: never folded).
  // Must compute exactly what the kernel computes; fills one byte vector per output.
  Status (*fold)(const Graph& graph, const Operator& op, FoldedOutputs* out) = nullptr;
  // The op reads only its inputs' shapes (SHAPE): folded even when they are not constant.
  bool fold_reads_shapes_only = false;
};

// The registry: every supported builtin, in builtin-code order.
const std::vector<const OpDef*>& AllOps();
const OpDef* FindOp(int builtin_code);

// Custom ops (TFLM's signal library) are registered under their custom_code (OpDef::name)
// with a code of kCustomOpCodeBase or more, which the importer gives the operator; no
// builtin code is that large.
constexpr int kCustomOpCodeBase = 10000;
const OpDef* FindCustomOp(const std::string& custom_code);

}  // namespace tinymlc
