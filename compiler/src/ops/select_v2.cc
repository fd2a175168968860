// SELECT_V2 as TFLM's select.cc: bool condition, x and y of one dtype (int8, int16 or
// float32; values copied raw, as TFLM, whatever their quantization), output = condition
// ? x : y with the three inputs broadcast to the output (rank <= 8; TFLM's
// BroadcastSelect5DSlow). Kernel: templates/kernels/tml_select.h. TFLM registers no
// SELECT (v1).
#include <fmt/format.h>

#include <algorithm>

#include "ops/elementwise_util.h"
#include "tml_select.h"

namespace tinymlc {
namespace {

// Loops of the three-input walk (tml_broadcast3_t): innermost first while planning,
// size-1 output dimensions dropped, a loop merged into the previous one when every input
// continues contiguously (or stays put).
struct Loop3 {
  int64_t dim;
  int64_t stride[3];
};

void Append3(std::vector<Loop3>* loops, int64_t dim, const int64_t (&s)[3]) {
  if (dim == 1) return;
  if (!loops->empty()) {
    Loop3& in = loops->back();
    bool merge = true;
    for (int k = 0; k < 3; ++k) {
      merge = merge && (in.stride[k] == 0 ? s[k] == 0 : s[k] == in.stride[k] * in.dim);
    }
    if (merge) {
      in.dim *= dim;
      return;
    }
  }
  loops->push_back({dim, {s[0], s[1], s[2]}});
}

Status PlanBroadcast3(const LowerContext& ctx, const Tensor* const (&in)[3], const Tensor* output,
                      tml_broadcast3_t* plan) {
  *plan = tml_broadcast3_t{};
  plan->rank = 1;
  plan->dims[0] = 1;
  // TFLM's scalar case: every tensor has one element (shapes may differ in rank).
  bool all_one = output->NumElements() == 1;
  for (const Tensor* t : in) all_one = all_one && t->NumElements() == 1;
  if (all_one) return Status::Ok();
  size_t rank = 0;
  for (const Tensor* t : in) rank = std::max(rank, t->shape.size());
  if (output->shape.size() != rank) {
    return ctx.Error(fmt::format("rank {} differs from the inputs' largest rank {}",
                                 output->shape.size(), rank),
                     output);
  }
  if (rank > TML_BROADCAST_MAX_RANK) {
    return ctx.Error(fmt::format("rank {} is more than the {} TFLM supports", rank,
                                 TML_BROADCAST_MAX_RANK),
                     output);
  }
  std::vector<int64_t> ext[3];
  for (int k = 0; k < 3; ++k) {
    ext[k].assign(rank - in[k]->shape.size(), 1);
    ext[k].insert(ext[k].end(), in[k]->shape.begin(), in[k]->shape.end());
  }
  for (size_t d = 0; d < rank; ++d) {
    int64_t hi = 1;
    for (int k = 0; k < 3; ++k) hi = std::max(hi, ext[k][d]);
    for (int k = 0; k < 3; ++k) {
      if (ext[k][d] != 1 && ext[k][d] != hi) {
        return ctx.Error("the condition, x and y shapes cannot be broadcast together", in[k]);
      }
    }
    if (output->shape[d] != hi) {
      return ctx.Error(fmt::format("shape [{}] is not the broadcast of the inputs",
                                   fmt::join(output->shape, ",")),
                       output);
    }
    if (hi <= 0) return ctx.Error("empty tensors are not supported", output);
  }
  std::vector<Loop3> loops;
  int64_t acc[3] = {1, 1, 1};
  for (size_t i = rank; i-- > 0;) {
    int64_t s[3];
    for (int k = 0; k < 3; ++k) s[k] = ext[k][i] == 1 ? 0 : acc[k];
    Append3(&loops, output->shape[i], s);
    for (int k = 0; k < 3; ++k) acc[k] *= ext[k][i];
  }
  if (loops.empty()) return Status::Ok();
  plan->rank = static_cast<int32_t>(loops.size());
  for (size_t j = 0; j < loops.size(); ++j) {
    const Loop3& l = loops[loops.size() - 1 - j];  // outermost first
    plan->dims[j] = static_cast<int32_t>(l.dim);
    for (int k = 0; k < 3; ++k) plan->strides[k][j] = static_cast<int32_t>(l.stride[k]);
  }
  return Status::Ok();
}

std::string Broadcast3Init(const tml_broadcast3_t& p) {
  return fmt::format("{{ .rank = {}, .dims = {}, .strides = {{{}, {}, {}}} }}", p.rank,
                     CIntList(p.dims, p.rank), CIntList(p.strides[0], p.rank),
                     CIntList(p.strides[1], p.rank), CIntList(p.strides[2], p.rank));
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor* const in[3] = {ctx.In(0), ctx.In(1), ctx.In(2)};
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, in[0], DType::kBool));
  const DType t = in[1]->dtype;
  if (t != DType::kInt8 && t != DType::kInt16 && t != DType::kFloat32) {
    return ctx.Error(fmt::format("dtype {} is not supported here (TFLM: int8, int16, float32)",
                                 DTypeName(t)),
                     in[1]);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, in[2], t));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, t));
  tml_select_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast3(ctx, in, output, &p.shape));
  out->kernels = {"tml_broadcast.h", "tml_select.h"};
  out->decls = CStruct("tml_select_params_t", ctx.Sym("params"))
                   .Field("shape", Broadcast3Init(p.shape))
                   .Str();
  out->body = fmt::format("tml_select_{}(&{}, {}, {}, {}, {});", DTypeSize(t) * 8,
                          ctx.Sym("params"), ctx.Ptr(in[0]), ctx.Ptr(in[1]), ctx.Ptr(in[2]),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kSelectV2 = {123, "SELECT_V2", "int8, int16, float32 (bool condition)", Lower,
                                nullptr};

}  // namespace tinymlc
