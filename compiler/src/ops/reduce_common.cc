#include "ops/reduce_common.h"

#include <fmt/format.h>

#include <algorithm>

namespace tinymlc {

Status PlanReduce(const LowerContext& ctx, tml_reduce_shape_t* plan, int32_t* count) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* axis = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  const auto* options = std::get_if<ReducerOptions>(&ctx.op().options);
  const bool keep_dims = options && options->keep_dims;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, axis, DType::kInt32));
  if (!axis->is_constant) {
    return ctx.Error("the axis tensor must be constant (it fixes the loops at compile time)",
                     axis);
  }
  const int rank = static_cast<int>(input->shape.size());
  if (input->NumElements() <= 0) return ctx.Error("empty tensors are not supported", input);
  std::vector<bool> reduced(rank, false);
  for (int32_t a : ConstValues<int32_t>(*axis)) {
    const int32_t r = a < 0 ? a + rank : a;
    if (r < 0 || r >= rank) {
      return ctx.Error(fmt::format("axis {} is out of range for rank {}", a, rank), axis);
    }
    reduced[r] = true;
  }
  std::vector<StridedLoop> outer, inner;  // innermost first; input strides in stride[0]
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    AppendLoop(reduced[d] ? &inner : &outer, input->shape[d], stride, 0);
    stride *= input->shape[d];
  }
  std::vector<int32_t> expected;
  for (int d = 0; d < rank; ++d) {
    if (!reduced[d]) {
      expected.push_back(input->shape[d]);
    } else if (keep_dims) {
      expected.push_back(1);
    }
  }
  int64_t outputs = 1, per_output = 1;
  for (const StridedLoop& l : outer) outputs *= l.dim;
  for (const StridedLoop& l : inner) per_output *= l.dim;
  if (output->NumElements() != outputs) {
    return ctx.Error(fmt::format("has {} elements, the reduction gives {} (shape [{}])",
                                 output->NumElements(), outputs, fmt::join(expected, ",")),
                     output);
  }
  for (std::vector<StridedLoop>* loops : {&outer, &inner}) {
    if (loops->empty()) loops->push_back({1, {0, 0}});
    if (loops->size() > TML_REDUCE_MAX_RANK) {
      return ctx.Error(fmt::format("the reduction needs {} loops, more than {}", loops->size(),
                                   TML_REDUCE_MAX_RANK),
                       input);
    }
  }
  *plan = tml_reduce_shape_t{};
  plan->outer_rank = static_cast<int32_t>(outer.size());
  plan->inner_rank = static_cast<int32_t>(inner.size());
  for (size_t k = 0; k < outer.size(); ++k) {  // outermost first
    plan->outer_dims[k] = static_cast<int32_t>(outer[outer.size() - 1 - k].dim);
    plan->outer_strides[k] = static_cast<int32_t>(outer[outer.size() - 1 - k].stride[0]);
  }
  for (size_t k = 0; k < inner.size(); ++k) {
    plan->inner_dims[k] = static_cast<int32_t>(inner[inner.size() - 1 - k].dim);
    plan->inner_strides[k] = static_cast<int32_t>(inner[inner.size() - 1 - k].stride[0]);
  }
  *count = static_cast<int32_t>(per_output);
  return Status::Ok();
}

std::string ReduceShapeInit(const tml_reduce_shape_t& p) {
  return fmt::format(
      "{{ .outer_rank = {}, .outer_dims = {}, .outer_strides = {},\n"
      "      .inner_rank = {}, .inner_dims = {}, .inner_strides = {} }}",
      p.outer_rank, CIntList(p.outer_dims, p.outer_rank), CIntList(p.outer_strides, p.outer_rank),
      p.inner_rank, CIntList(p.inner_dims, p.inner_rank), CIntList(p.inner_strides, p.inner_rank));
}

Status PrepareMeanOrSum(const LowerContext& ctx, bool mean, tml_reduce_sum_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(PlanReduce(ctx, &p->shape, &p->count));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  // int8 or int16 (TFLM runs both through QuantizedMeanOrSum), output like the input.
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedLike(ctx, input, input));
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedLike(ctx, output, input));
  QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(input->scale()) /
                                             static_cast<double>(output->scale()));
  if (mean) {
    // TFLM (QuantizedMeanOrSum): shift = floor(log2(count)), at most 32 and at most
    // 31 + shift; multiplier = (multiplier << shift) / count, truncated.
    int shift = 0;
    while ((int64_t{2} << shift) <= p->count) ++shift;
    shift = std::min({shift, 32, 31 + m.shift});
    m.multiplier = static_cast<int32_t>((static_cast<int64_t>(m.multiplier) << shift) / p->count);
    m.shift -= shift;
  }
  p->input_zero_point = input->zero_point();
  p->output_zero_point = output->zero_point();
  p->multiplier = m.multiplier;
  p->shift = m.shift;
  return Status::Ok();
}

void LowerMeanOrSum(const LowerContext& ctx, const tml_reduce_sum_s8_params_t& p, LayerCode* out) {
  const bool s16 = ctx.In(0)->dtype == DType::kInt16;
  out->kernels = {"tml_reduce.h"};
  if (s16) out->kernels.push_back("tml_reduce_s16.h");
  out->decls = CStruct("tml_reduce_sum_s8_params_t", ctx.Sym("params"))
                   .Field("shape", ReduceShapeInit(p.shape))
                   .Field("count", p.count)
                   .Field("input_zero_point", p.input_zero_point)
                   .Field("output_zero_point", p.output_zero_point)
                   .Field("multiplier", p.multiplier)
                   .Field("shift", p.shift)
                   .Str();
  out->body = fmt::format("{}(&{}, {}, {});", s16 ? "tml_reduce_sum_s16" : "tml_reduce_sum_s8",
                          ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
}

}  // namespace tinymlc
