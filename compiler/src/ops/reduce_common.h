// Shared by the reductions MEAN, SUM and REDUCE_MAX (kernels in tml_reduce.h).
#pragma once

#include <string>

#include "ops/elementwise_util.h"
#include "tml_reduce.h"
#include "tml_reduce_s16.h"

namespace tinymlc {

// Checks the reducer's tensors (input, constant int32 axis, output) and plans the
// loops: input reduced over the axes (negative ones counted from the end, duplicates
// ignored, as TFLM's ResolveAxis); `output` must have one element per kept position
// (its exact shape is not used, as in TFLM). *count = inputs per output.
Status PlanReduce(const LowerContext& ctx, tml_reduce_shape_t* plan, int32_t* count);
std::string ReduceShapeInit(const tml_reduce_shape_t& plan);

// MEAN and SUM (int8 or int16): checks, loops and TFLM's prepare-time multiplier
// QuantizeMultiplier(double(input_scale) / double(output_scale)); `mean` then folds in
// 1 / count as TFLM's QuantizedMeanOrSum does at run time.
Status PrepareMeanOrSum(const LowerContext& ctx, bool mean, tml_reduce_sum_s8_params_t* p);
// The layer code calling tml_reduce_sum_s8 (tml_reduce_sum_s16 for int16).
void LowerMeanOrSum(const LowerContext& ctx, const tml_reduce_sum_s8_params_t& p, LayerCode* out);

}  // namespace tinymlc
