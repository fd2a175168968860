// Constant folding: every operator whose inputs are all constant and whose OpDef has
// a fold function is evaluated at compile time; its outputs become constants and the
// operator emits no code (and no layer hooks).
#pragma once

#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// Folds in execution order (so chains fold). folded[i] is set for each folded op.
Status FoldConstants(Graph* graph, std::vector<bool>* folded);

}  // namespace tinymlc
