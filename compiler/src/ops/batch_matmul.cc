// BATCH_MATMUL: int8 lhs x int8 rhs -> int8, per-tensor quantization, adj_x / adj_y,
// NumPy broadcasting of the batch dimensions (ranks 2 to 5), either operand constant
// or not. As TFLM: multiplier double(float(lhs_scale * rhs_scale)) / double(out_scale),
// no fused activation (full int8 range), zero points of both operands subtracted.
// TFLM transposes operands into persistent buffers; here adj_x / adj_y become strides.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "ops/elementwise_util.h"  // ConstValues
#include "ops/op_util.h"
#include "tml_batch_matmul.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 5;

// Shape padded with leading 1s to rank 5.
std::vector<int32_t> Extend5(const std::vector<int32_t>& s) {
  std::vector<int32_t> e(kMaxRank - s.size(), 1);
  e.insert(e.end(), s.begin(), s.end());
  return e;
}

// Element stride of each of the three batch dimensions; 0 where the dimension is 1
// (broadcast), as TFLM's batch_matmul::extent.
void BatchStrides(const std::vector<int32_t>& ext, int32_t out[3]) {
  for (int d = 0; d < 3; ++d) {
    int64_t stride = 1;
    for (int i = d + 1; i < kMaxRank; ++i) stride *= ext[i];
    out[d] = ext[d] == 1 ? 0 : static_cast<int32_t>(stride);
  }
}

Status Prepare(const LowerContext& ctx, tml_batch_matmul_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* lhs = ctx.In(0);
  const Tensor* rhs = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<BatchMatMulOptions>(ctx.op().options);
  for (const Tensor* t : {lhs, rhs, output}) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kInt8));
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, t));
  }
  for (const Tensor* t : {lhs, rhs}) {
    if (t->shape.size() < 2 || t->shape.size() > kMaxRank) {
      return ctx.Error(fmt::format("rank {} is not supported (TFLM: 2 to 5)", t->shape.size()), t);
    }
  }
  const std::vector<int32_t> l = Extend5(lhs->shape), r = Extend5(rhs->shape);
  *p = tml_batch_matmul_s8_params_t{};
  int64_t elements = 1;
  for (int d = 0; d < 3; ++d) {
    if (l[d] != r[d] && l[d] != 1 && r[d] != 1) {
      return ctx.Error(fmt::format("batch dimensions of [{}] and [{}] do not broadcast",
                                   fmt::join(lhs->shape, ","), fmt::join(rhs->shape, ",")),
                       rhs);
    }
    p->batch[d] = l[d] == 1 ? r[d] : l[d];
    elements *= p->batch[d];
  }
  BatchStrides(l, p->lhs_batch_stride);
  BatchStrides(r, p->rhs_batch_stride);
  // Stored lhs is [rows, depth] ([depth, rows] with adj_x); rhs [depth, cols] ([cols,
  // depth] with adj_y).
  p->rows = o.adj_x ? l[4] : l[3];
  const int32_t lhs_depth = o.adj_x ? l[3] : l[4];
  p->lhs_row_stride = o.adj_x ? 1 : l[4];
  p->lhs_depth_stride = o.adj_x ? l[4] : 1;
  p->cols = o.adj_y ? r[3] : r[4];
  p->depth = o.adj_y ? r[4] : r[3];
  p->rhs_depth_stride = o.adj_y ? 1 : r[4];
  p->rhs_col_stride = o.adj_y ? r[4] : 1;
  if (lhs_depth != p->depth) {
    return ctx.Error(fmt::format("inner dimensions differ: lhs [{}]{} has {}, rhs [{}]{} has {}",
                                 fmt::join(lhs->shape, ","), o.adj_x ? " (adj_x)" : "", lhs_depth,
                                 fmt::join(rhs->shape, ","), o.adj_y ? " (adj_y)" : "", p->depth),
                     rhs);
  }
  elements *= int64_t{p->rows} * p->cols;
  // TFLM rewrites the output dims; only the rank (at least the broadcast rank) and the
  // element count of the model's output tensor must agree.
  const size_t out_rank = std::max(lhs->shape.size(), rhs->shape.size());
  if (output->shape.size() < out_rank || output->NumElements() != elements) {
    return ctx.Error(fmt::format("output shape [{}] does not hold the {} x {} x {} result "
                                 "(rank {} or more)",
                                 fmt::join(output->shape, ","),
                                 elements / (int64_t{p->rows} * p->cols), p->rows, p->cols, out_rank),
                     output);
  }
  // In double, as GetQuantizedConvolutionMultipler in the TFLM that runs.
  const double product = static_cast<double>(lhs->scale()) * static_cast<double>(rhs->scale());
  const QuantizedMultiplier m = QuantizeMultiplier(product / static_cast<double>(output->scale()));
  p->lhs_offset = -lhs->zero_point();
  p->rhs_offset = -rhs->zero_point();
  p->output_offset = output->zero_point();
  p->output_multiplier = m.multiplier;
  p->output_shift = m.shift;
  return Status::Ok();
}

std::string Triple(const int32_t v[3]) { return fmt::format("{{{}, {}, {}}}", v[0], v[1], v[2]); }

Status Lower(LowerContext& ctx, LayerCode* out) {
  tml_batch_matmul_s8_params_t p;
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  out->kernels = {"tml_batch_matmul.h"};
  out->decls = CStruct("tml_batch_matmul_s8_params_t", ctx.Sym("params"))
                   .Field("batch", Triple(p.batch))
                   .Field("lhs_batch_stride", Triple(p.lhs_batch_stride))
                   .Field("rhs_batch_stride", Triple(p.rhs_batch_stride))
                   .Field("rows", p.rows).Field("cols", p.cols).Field("depth", p.depth)
                   .Field("lhs_row_stride", p.lhs_row_stride)
                   .Field("lhs_depth_stride", p.lhs_depth_stride)
                   .Field("rhs_depth_stride", p.rhs_depth_stride)
                   .Field("rhs_col_stride", p.rhs_col_stride)
                   .Field("lhs_offset", p.lhs_offset).Field("rhs_offset", p.rhs_offset)
                   .Field("output_offset", p.output_offset)
                   .Field("output_multiplier", p.output_multiplier)
                   .Field("output_shift", p.output_shift)
                   .Str();
  out->body = fmt::format("tml_batch_matmul_s8(&{}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(g, op, "fold");
  tml_batch_matmul_s8_params_t p;
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  const std::vector<int8_t> lhs = ConstValues<int8_t>(*ctx.In(0));
  const std::vector<int8_t> rhs = ConstValues<int8_t>(*ctx.In(1));
  out->emplace_back(static_cast<size_t>(ctx.Out(0)->NumElements()));
  tml_batch_matmul_s8(&p, lhs.data(), rhs.data(), reinterpret_cast<int8_t*>(out->back().data()));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  const Tensor& lhs = g.tensors[op.inputs[0]];
  const auto& o = std::get<BatchMatMulOptions>(op.options);
  const int32_t depth = lhs.shape.size() < 2 ? 0
                        : o.adj_x            ? lhs.shape[lhs.shape.size() - 2]
                                             : lhs.shape.back();
  return g.tensors[op.outputs[0]].NumElements() * depth;
}

}  // namespace

extern const OpDef kBatchMatMul = {126, "BATCH_MATMUL", "int8", Lower, Macs, Fold};

}  // namespace tinymlc
