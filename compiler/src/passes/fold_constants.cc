#include "passes/fold_constants.h"

#include <fmt/format.h>

#include "ops/op.h"

namespace tinymlc {

// Folded values are held in memory and emitted as C arrays: a budget keeps what a
// hostile model (a small constant padded or broadcast to 2 GiB) can make the compiler
// allocate bounded. Past it, operators run at inference time instead.
constexpr int64_t kMaxFoldedBytes = int64_t{16} << 20;

Status FoldConstants(Graph* graph, std::vector<bool>* folded) {
  folded->assign(graph->ops.size(), false);
  int64_t folded_bytes = 0;
  for (const Operator& op : graph->ops) {
    const OpDef* def = FindOp(op.builtin_code);
    if (!def || !def->fold || op.outputs.empty()) continue;
    // An op with no input tensor at all is malformed, not constant: lowering rejects it
    // with a message naming the op, so it is never handed to a fold function.
    bool all_constant = false;
    for (int t : op.inputs) {
      if (t < 0) continue;
      if (!graph->tensors[t].is_constant && !def->fold_reads_shapes_only) {
        all_constant = false;
        break;
      }
      all_constant = true;
    }
    for (int t : op.outputs) {
      if (graph->tensors[t].is_variable) all_constant = false;
    }
    if (!all_constant) continue;
    int64_t out_bytes = 0;
    for (int t : op.outputs) out_bytes += graph->tensors[t].Bytes();
    if (folded_bytes + out_bytes > kMaxFoldedBytes) continue;
    folded_bytes += out_bytes;
    FoldedOutputs values;
    Status s = def->fold(*graph, op, &values);
    if (!s.ok()) return AtOp(s, op);
    if (values.size() != op.outputs.size()) {
      return AtOp(Status::Error("internal error: constant folding produced the wrong number of outputs"), op);
    }
    for (size_t i = 0; i < op.outputs.size(); ++i) {
      Tensor& t = graph->tensors[op.outputs[i]];
      if (static_cast<int64_t>(values[i].size()) != t.Bytes()) {
        Status s2 = Status::Error(fmt::format(
            "internal error: folded value has {} bytes, tensor needs {}", values[i].size(), t.Bytes()));
        AtOp(s2, op);
        return AtTensor(s2, t);
      }
      t.data = std::move(values[i]);
      t.is_constant = true;
    }
    (*folded)[op.index] = true;
  }
  return Status::Ok();
}

}  // namespace tinymlc
