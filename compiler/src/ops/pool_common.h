// Shared lowering of AVERAGE_POOL_2D and MAX_POOL_2D (same params, different kernel).
#pragma once

#include "ops/op_util.h"

namespace tinymlc {

// Lowers a 2-D pool to a call of `kernel_fn` from tml_pool_2d.h (its _s16 form from
// tml_pool_2d_s16.h for int16 tensors).
Status LowerPool2D(LowerContext& ctx, LayerCode* out, const char* kernel_fn);
int64_t Pool2DMacs(const Graph& g, const Operator& op);

}  // namespace tinymlc
