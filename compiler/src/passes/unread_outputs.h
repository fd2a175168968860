// Unread outputs of data-movement operators in their input's dtype.
//
// ai-edge-quantizer (0.10, int4 models) can leave an output of SPLIT that nothing reads
// in float32 under an int8 input. TFLM's SPLIT, SPLIT_V and UNPACK copy the input's
// elements into every output buffer whatever the output's dtype (SplitImpl<T> and
// UnpackImpl<T> are chosen by the input's type), so such an output never holds float32
// values; a graph that read it would read the input's bytes as floats, which tinymlc keeps
// refusing. An output that no operator of any subgraph reads and that is no subgraph
// output takes the input's dtype and quantization here, so the operator lowers as usual,
// and is marked unreported: the layer hooks skip it (TFLM's buffer holds the input's
// elements followed by whatever its arena held there).
#pragma once

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

Status RetypeUnreadOutputs(Graph* graph);

}  // namespace tinymlc
