#include "ops/elementwise_util.h"

#include <fmt/format.h>

#include <algorithm>

namespace tinymlc {

void AppendLoop(std::vector<StridedLoop>* loops, int64_t dim, int64_t s0, int64_t s1) {
  if (dim == 1) return;
  if (!loops->empty()) {
    StridedLoop& in = loops->back();
    auto continues = [&](int k, int64_t s) {
      return in.stride[k] == 0 ? s == 0 : s == in.stride[k] * in.dim;
    };
    if (continues(0, s0) && continues(1, s1)) {
      in.dim *= dim;
      return;
    }
  }
  loops->push_back({dim, {s0, s1}});
}

std::string CIntList(const int32_t* v, int n) {
  return fmt::format("{{{}}}", fmt::join(std::vector<int32_t>(v, v + n), ", "));
}

Status PlanBroadcast(const LowerContext& ctx, const Tensor* in1, const Tensor* in2,
                     const Tensor* output, tml_broadcast_t* plan) {
  const size_t rank = std::max({in1->shape.size(), in2->shape.size(), output->shape.size()});
  auto extended = [rank](const std::vector<int32_t>& s) {
    std::vector<int64_t> e(rank - s.size(), 1);
    e.insert(e.end(), s.begin(), s.end());
    return e;
  };
  const std::vector<int64_t> a = extended(in1->shape), b = extended(in2->shape),
                             o = extended(output->shape);
  for (size_t d = 0; d < rank; ++d) {
    if (a[d] != b[d] && a[d] != 1 && b[d] != 1) {
      return ctx.Error(fmt::format("input shapes [{}] and [{}] cannot be broadcast together",
                                   fmt::join(in1->shape, ","), fmt::join(in2->shape, ",")),
                       in2);
    }
    if (o[d] != (a[d] == 1 ? b[d] : a[d])) {
      return ctx.Error(fmt::format("shape [{}] is not the broadcast of the inputs [{}] and [{}]",
                                   fmt::join(output->shape, ","), fmt::join(in1->shape, ","),
                                   fmt::join(in2->shape, ",")),
                       output);
    }
    if (o[d] <= 0) return ctx.Error("empty tensors are not supported", output);
  }
  std::vector<StridedLoop> loops;  // innermost first
  int64_t acc1 = 1, acc2 = 1;
  for (size_t i = rank; i-- > 0;) {
    AppendLoop(&loops, o[i], a[i] == 1 ? 0 : acc1, b[i] == 1 ? 0 : acc2);
    acc1 *= a[i];
    acc2 *= b[i];
  }
  if (loops.empty()) loops.push_back({1, {0, 0}});
  if (loops.size() > TML_BROADCAST_MAX_RANK) {
    return ctx.Error(fmt::format("broadcasting needs {} loops, more than the {} TFLM supports",
                                 loops.size(), TML_BROADCAST_MAX_RANK),
                     output);
  }
  *plan = tml_broadcast_t{};
  plan->rank = static_cast<int32_t>(loops.size());
  for (size_t k = 0; k < loops.size(); ++k) {
    const StridedLoop& l = loops[loops.size() - 1 - k];  // outermost first
    plan->dims[k] = static_cast<int32_t>(l.dim);
    plan->strides1[k] = static_cast<int32_t>(l.stride[0]);
    plan->strides2[k] = static_cast<int32_t>(l.stride[1]);
  }
  return Status::Ok();
}

std::string BroadcastInit(const tml_broadcast_t& p) {
  return fmt::format("{{ .rank = {}, .dims = {}, .strides1 = {}, .strides2 = {} }}", p.rank,
                     CIntList(p.dims, p.rank), CIntList(p.strides1, p.rank), CIntList(p.strides2, p.rank));
}

Result<QuantizedMultiplier> MultiplierSmallerThanOne(const LowerContext& ctx, double real,
                                                     const std::string& what, const Tensor* t) {
  const QuantizedMultiplier q = QuantizeMultiplier(real);
  if (!(real > 0.0 && real < 1.0) || q.shift > 0) {
    return ctx.Error(fmt::format("{} = {} must be in (0, 1) (TFLM aborts otherwise)", what, real),
                     t);
  }
  return q;
}

Status CheckQuantizedInt8(const LowerContext& ctx, const Tensor* t) {
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kInt8));
  return CheckPerTensorQuant(ctx, t);
}

Status CheckQuantizedLike(const LowerContext& ctx, const Tensor* t, const Tensor* like) {
  TINYMLC_RETURN_IF_ERROR(
      CheckDType(ctx, t, like->dtype == DType::kInt16 ? DType::kInt16 : DType::kInt8));
  return CheckPerTensorQuant(ctx, t);
}

Result<ActivationRange> FusedActivationRange(const LowerContext& ctx, const Tensor* output) {
  const auto* o = std::get_if<ActivationOptions>(&ctx.op().options);
  return Int8ActivationRange(ctx, o ? o->activation : Activation::kNone, output);
}

}  // namespace tinymlc
