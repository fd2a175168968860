// The C emitter: writes NAME.c / NAME.h from lowered layers and the memory plan.
#pragma once

#include <vector>

#include "ops/op.h"
#include "tinymlc/compiler.h"
#include "tinymlc/planner.h"

namespace tinymlc {

struct EmitterInput {
  const Graph& graph;
  const CompileOptions& options;
  const std::vector<LayerCode>& layers;     // per operator
  const std::vector<int>& alias_root;       // tensor -> tensor whose memory it uses
  const std::vector<int>& buffer_of;        // tensor -> planner buffer id (-1: none)
  const std::vector<int>& scratch_of;       // operator -> planner buffer id (-1: none)
  const MemoryPlanner& planner;
  const std::vector<bool>& subgraph_called;  // per subgraph: emitted (0, and those called)
};

// Fills model.source, model.header, model.runtime_header and model.weight_bytes.
Result<CompiledModel> EmitModel(const EmitterInput& in, CompiledModel model);

}  // namespace tinymlc
