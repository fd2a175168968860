// Resource variables (VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE), resolved at compile
// time. As TFLM's MicroResourceVariables, a variable is named by (container,
// shared_name); every VAR_HANDLE with that pair, in any subgraph, means the same
// variable. The pass appends one variable tensor per variable to the graph (is_variable:
// arena storage for the whole run, restored by NAME_reset() like the LSTM/SVDF state)
// and adds it as the last input of every READ_VARIABLE and ASSIGN_VARIABLE of the
// variable, so that lowering, planning and emission treat it as an ordinary tensor.
//
// The variable's dtype and shape are those of the first ASSIGN_VARIABLE in TFLM's
// prepare order (subgraph 0 first, operators in order); TFLM allocates the variable
// there and sets it to that value tensor's zero point (int8), else 0 — the value
// NAME_reset() restores. Every other assign and read must agree in dtype and shape; a
// variable that is read but never assigned is an error.
#pragma once

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

Status ResolveResourceVariables(Graph* graph);

}  // namespace tinymlc
