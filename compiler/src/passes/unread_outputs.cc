#include "passes/unread_outputs.h"

#include <vector>

namespace tinymlc {

namespace {

// SPLIT (49): inputs (axis, input); SPLIT_V (102): (input, size_splits, axis); UNPACK (88):
// (input). The input whose elements the outputs receive, or -1.
int DataInput(const Operator& op) {
  switch (op.builtin_code) {
    case 49: return op.inputs.size() > 1 ? op.inputs[1] : -1;
    case 102:
    case 88: return op.inputs.empty() ? -1 : op.inputs[0];
    default: return -1;
  }
}

}  // namespace

Status RetypeUnreadOutputs(Graph* graph) {
  std::vector<bool> read(graph->tensors.size(), false);
  auto mark = [&](int t) {
    if (t >= 0 && t < static_cast<int>(read.size())) read[static_cast<size_t>(t)] = true;
  };
  for (const Operator& op : graph->ops) {
    for (int t : op.inputs) mark(t);
  }
  for (int t : graph->outputs) mark(t);
  for (const Subgraph& s : graph->subgraphs) {
    for (int t : s.outputs) mark(t);
  }
  for (const Operator& op : graph->ops) {
    const int in = DataInput(op);
    if (in < 0 || in >= static_cast<int>(graph->tensors.size())) continue;
    const Tensor& input = graph->tensors[static_cast<size_t>(in)];
    if (DTypeSize(input.dtype) == 0) continue;
    for (int t : op.outputs) {
      if (t < 0 || t >= static_cast<int>(graph->tensors.size()) || read[static_cast<size_t>(t)]) continue;
      Tensor& out = graph->tensors[static_cast<size_t>(t)];
      if (out.dtype == input.dtype || out.is_constant || out.is_variable || DTypeSize(out.dtype) == 0) continue;
      out.dtype = input.dtype;
      out.quant = input.quant;
      out.unreported = true;
    }
  }
  return Status::Ok();
}

}  // namespace tinymlc
