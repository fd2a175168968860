#include "passes/fold_constants.h"

#include <fmt/format.h>

#include "ops/op.h"

namespace tinymlc {

Status FoldConstants(Graph* graph, std::vector<bool>* folded) {
  folded->assign(graph->ops.size(), false);
  for (const Operator& op : graph->ops) {
    const OpDef* def = FindOp(op.builtin_code);
    if (!def || !def->fold || op.outputs.empty()) continue;
    bool all_constant = true;
    for (int t : op.inputs) {
      if (t >= 0 && !graph->tensors[t].is_constant) all_constant = false;
    }
    for (int t : op.outputs) {
      if (graph->tensors[t].is_variable) all_constant = false;
    }
    if (!all_constant) continue;
    FoldedOutputs values;
    Status s = def->fold(*graph, op, &values);
    if (!s.ok()) return s.WithOp(op.index, op.name);
    if (values.size() != op.outputs.size()) {
      return Status::Error("internal error: constant folding produced the wrong number of outputs")
          .WithOp(op.index, op.name);
    }
    for (size_t i = 0; i < op.outputs.size(); ++i) {
      Tensor& t = graph->tensors[op.outputs[i]];
      if (static_cast<int64_t>(values[i].size()) != t.Bytes()) {
        return Status::Error(fmt::format("internal error: folded value has {} bytes, tensor needs {}",
                                         values[i].size(), t.Bytes()))
            .WithOp(op.index, op.name)
            .WithTensor(t.index, t.name);
      }
      t.data = std::move(values[i]);
      t.is_constant = true;
    }
    (*folded)[op.index] = true;
  }
  return Status::Ok();
}

}  // namespace tinymlc
