// Patch-based execution (MCUNetV2): a prefix of the graph runs once per band of output
// rows, so that its large activations never exist whole.
//
// The prefix is a run of operators [first_op, split_op] of subgraph 0 (CONV_2D,
// DEPTHWISE_CONV_2D, pools, ADD/MUL of equal shapes, elementwise activations; int8/int16,
// NHWC, batch 1) whose every tensor except the split operator's output (the cut tensor)
// is used inside the prefix only. For a grid of N x 1 patches, patch p computes rows
// [Y0, Y1) of the cut tensor; going backwards, each operator needs the rows of its input
// that its windows touch (kernel size, stride, dilation; the padding only at the real
// image borders), so every prefix tensor gets a band of rows per patch, overlapping its
// neighbours' by the halo, which is recomputed.
//
// The rewrite is a graph rewrite: each prefix operator becomes N copies (Operator::patch,
// patch_source) on band tensors of their own (shape [1, rows, W, C]; planned like any
// tensor, so the planner reuses their bytes across patches). A band read from a larger
// tensor or written into the cut tensor is a view (Tensor::view_of, view_offset: rows of
// an NHWC tensor are contiguous); windowed layers get their band's top padding
// (band_pad_h in their options) and take the output height from their output. The
// kernels are the usual ones, so the bytes are exactly those of whole-tensor execution.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

struct PatchPlan {
  int first_op = -1;   // the prefix: operators [first_op, split_op] of the graph
  int split_op = -1;   // -1: no patching
  int patches = 1;     // bands of rows of the cut tensor (grid patches x 1)
  // false: every patch recomputes the rows its band shares with the previous band (the
  // halo); true: each prefix tensor has one band buffer for all patches (a line buffer)
  // and keeps the rows the next band needs: they move to its top (a PATCH_KEEP_ROWS
  // operator, a memmove) and only the new rows are computed; no extra MACs, and every
  // prefix tensor's buffer lives through the whole prefix.
  bool keep_halo = false;
  // Filled by ApplyPatchPlan():
  int cut_tensor = -1;
  std::vector<int> cut_rows;   // patch p computes rows [cut_rows[p], cut_rows[p + 1])
  int halo_rows = 0;           // most rows a band of the prefix's input overlaps its neighbour
  int64_t prefix_macs = 0;     // MACs of the prefix, whole-tensor
  int64_t patched_macs = 0;    // ... and summed over the patches (halo recomputed)
  int num_ops_before = 0;      // operators of the graph before the rewrite
  int64_t total_macs = 0;      // MACs of the whole model, whole-tensor (set by the caller)
  // "operators 0..7 (CONV_2D .. ADD) in 4 x 1 patches, ...; extra MACs +3.2 %".
  std::string Describe(const Graph& original) const;
};

// The split operators a prefix starting at the first operator can end at (in order),
// for a graph of one subgraph; `folded` marks operators evaluated at compile time (none
// may be in the prefix). Empty when nothing can be patched.
struct PatchCandidates {
  int first_op = -1;
  std::vector<int> splits;
};
PatchCandidates FindPatchCandidates(const Graph& g, const std::vector<bool>& folded);

// Rewrites `g` (see above) and `folded` (one entry per new operator). plan->first_op,
// split_op and patches must come from FindPatchCandidates(); patches is clamped to the
// cut tensor's height.
Status ApplyPatchPlan(Graph* g, std::vector<bool>* folded, PatchPlan* plan);

// MACs of one operator (the op registry's count).
int64_t OperatorMacs(const Graph& g, const Operator& op);

// The operator the keep_halo rewrite adds (no TFLite builtin has this code): its output
// (a view) gets the bytes of its input (a view of the same buffer, at or after it), by
// memmove. Lowered by the compiler itself, not through the op registry.
constexpr int kPatchKeepRowsCode = 9001;
constexpr const char* kPatchKeepRowsName = "PATCH_KEEP_ROWS";

}  // namespace tinymlc
