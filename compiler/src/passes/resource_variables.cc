#include "passes/resource_variables.h"

#include <fmt/format.h>

#include <map>
#include <utility>

namespace tinymlc {
namespace {

constexpr int kVarHandle = 142, kReadVariable = 143, kAssignVariable = 144;

std::string ShapeText(const Tensor& t) {
  return fmt::format("{} [{}]", DTypeName(t.dtype), fmt::join(t.shape, ","));
}

}  // namespace

Status ResolveResourceVariables(Graph* graph) {
  Graph& g = *graph;
  std::map<std::pair<std::string, std::string>, int> id_of;  // (container, name) -> variable
  std::vector<std::string> names;
  std::vector<int> var_of(g.tensors.size(), -1);  // resource tensor -> variable
  for (const Operator& op : g.ops) {
    if (op.builtin_code != kVarHandle) continue;
    if (op.outputs.size() != 1) {
      return AtOp(Status::Error(fmt::format("{} outputs (expected 1)", op.outputs.size())), op);
    }
    const auto* o = std::get_if<VarHandleOptions>(&op.options);
    const auto key = o ? std::make_pair(o->container, o->shared_name)
                       : std::make_pair(std::string(), std::string());
    auto it = id_of.find(key);
    if (it == id_of.end()) {
      it = id_of.emplace(key, static_cast<int>(names.size())).first;
      names.push_back(key.second);
    }
    var_of[op.outputs[0]] = it->second;
  }
  if (names.empty()) return Status::Ok();

  // Each variable's defining assign, in TFLM's prepare order (subgraph order, op order).
  const int n = static_cast<int>(names.size());
  std::vector<int> first_assign(n, -1);
  auto resource_of = [&](const Operator& op, int* var) -> Status {
    const int r = op.inputs.empty() ? -1 : op.inputs[0];
    if (r < 0 || var_of[r] < 0) {
      Status s = Status::Error(
          "the resource input is not the output of a VAR_HANDLE of this subgraph (resources "
          "passed between subgraphs are not supported)");
      AtOp(s, op);
      if (r >= 0) AtTensor(s, g.tensors[r]);
      return s;
    }
    *var = var_of[r];
    return Status::Ok();
  };
  for (const Operator& op : g.ops) {
    if (op.builtin_code != kAssignVariable && op.builtin_code != kReadVariable) continue;
    int v = -1;
    TINYMLC_RETURN_IF_ERROR(resource_of(op, &v));
    if (op.builtin_code == kAssignVariable) {
      if (op.inputs.size() != 2 || op.inputs[1] < 0) {
        return AtOp(Status::Error(fmt::format("{} inputs (expected 2: resource, value)",
                                              op.inputs.size())),
                    op);
      }
      if (first_assign[v] < 0) first_assign[v] = op.index;
    }
  }

  // The variable tensors.
  std::vector<int> var_tensor(n, -1);
  for (int v = 0; v < n; ++v) {
    if (first_assign[v] < 0) continue;  // reads of it are reported below
    const Operator& def = g.ops[first_assign[v]];
    const Tensor& value = g.tensors[def.inputs[1]];
    Tensor t;
    t.index = static_cast<int>(g.tensors.size());
    t.name = names[v];
    t.dtype = value.dtype;
    t.tflite_type = value.tflite_type;
    t.shape = value.shape;
    t.quant = value.quant;  // NAME_reset() fills int8 variables with the zero point
    t.is_variable = true;
    t.subgraph = 0;
    var_tensor[v] = t.index;
    g.tensors.push_back(std::move(t));
  }

  // Every use: the same dtype and shape as the defining assign.
  for (Operator& op : g.ops) {
    if (op.builtin_code != kAssignVariable && op.builtin_code != kReadVariable) continue;
    int v = -1;
    TINYMLC_RETURN_IF_ERROR(resource_of(op, &v));
    const bool assign = op.builtin_code == kAssignVariable;
    if (var_tensor[v] < 0) {
      return AtOp(Status::Error(fmt::format("variable '{}' is read but never assigned "
                                            "(no ASSIGN_VARIABLE in any subgraph)",
                                            names[v])),
                  op);
    }
    const Tensor& var = g.tensors[var_tensor[v]];
    const int used = assign ? op.inputs[1] : (op.outputs.empty() ? -1 : op.outputs[0]);
    if (used < 0) {
      return AtOp(Status::Error(fmt::format("{} outputs (expected 1)", op.outputs.size())), op);
    }
    const Tensor& t = g.tensors[used];
    if (t.dtype != var.dtype || t.shape != var.shape) {
      const Operator& def = g.ops[first_assign[v]];
      Status s = Status::Error(fmt::format(
          "{} {} variable '{}' as {}, but operator {} of subgraph {} (the first ASSIGN_VARIABLE) "
          "made it {}",
          assign ? "assigns" : "reads", assign ? "to" : "from", names[v], ShapeText(t),
          def.local_index >= 0 ? def.local_index : def.index, def.subgraph, ShapeText(var)));
      AtOp(s, op);
      return AtTensor(s, t);
    }
    op.inputs.push_back(var_tensor[v]);
  }
  return Status::Ok();
}

}  // namespace tinymlc
