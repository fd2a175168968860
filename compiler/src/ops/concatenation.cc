// CONCATENATION: up to 10 inputs of one type joined along `axis` (TFLM's limits),
// no fused activation. int8 inputs must share the output's scale and zero point and
// int16 ones have zero point 0: TFLM micro never rescales, it copies bytes.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxInputs = 10;
constexpr int kMaxRank = 6;

Result<AxisBlocks> Analyze(const LowerContext& ctx, bool folding) {
  if (ctx.NumInputs() < 1 || ctx.NumOutputs() != 1) {
    return ctx.Error(fmt::format("expects at least 1 input and 1 output, has {} and {}",
                                 ctx.NumInputs(), ctx.NumOutputs()));
  }
  if (ctx.NumInputs() > kMaxInputs) {
    return ctx.Error(fmt::format("{} inputs; TFLM takes at most {}", ctx.NumInputs(), kMaxInputs));
  }
  const auto& o = std::get<ConcatenationOptions>(ctx.op().options);
  if (o.activation != Activation::kNone) {
    return ctx.Error(fmt::format("fused activation {} is not supported (TFLM requires NONE)",
                                 ActivationName(o.activation)));
  }
  const Tensor* output = ctx.Out(0);
  const int rank = static_cast<int>(output->shape.size());
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(ctx, output,
                                            {DType::kFloat32, DType::kInt8, DType::kInt16,
                                             DType::kInt32, DType::kInt64, DType::kBool},
                                            folding));
  if (rank > kMaxRank) {
    return ctx.Error(fmt::format("rank {} is above TFLM's limit of {}", rank, kMaxRank), output);
  }
  auto axis = ResolveAxis(ctx, o.axis, rank, "axis");
  if (!axis.ok()) return axis.status();
  std::vector<const Tensor*> parts;
  int64_t total = 0;
  for (int i = 0; i < ctx.NumInputs(); ++i) {
    const Tensor* in = ctx.In(i);
    if (!in) return ctx.Error(fmt::format("input {} is missing", i));
    TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, output, in));
    if (in->dtype == DType::kInt8 &&
        (static_cast<double>(in->scale()) != static_cast<double>(output->scale()) ||
         in->zero_point() != output->zero_point())) {
      return ctx.Error(fmt::format("int8 input has scale {} and zero point {}, the output {} and "
                                   "{}: TFLM requires them equal (no rescaling)",
                                   in->scale(), in->zero_point(), output->scale(),
                                   output->zero_point()),
                       in);
    }
    if (in->dtype == DType::kInt16 && in->zero_point() != 0) {
      return ctx.Error("int16 inputs must have zero point 0", in);
    }
    bool match = in->shape.size() == output->shape.size();
    for (int d = 0; match && d < rank; ++d) match = d == axis.value() || in->shape[d] == output->shape[d];
    if (!match) {
      return ctx.Error(fmt::format("shape [{}] does not fit output [{}] along axis {}",
                                   fmt::join(in->shape, ","), fmt::join(output->shape, ","),
                                   axis.value()),
                       in);
    }
    total += in->shape[axis.value()];
    parts.push_back(in);
  }
  if (output->dtype == DType::kInt16 && output->zero_point() != 0) {
    return ctx.Error("int16 output must have zero point 0", output);
  }
  if (total != output->shape[axis.value()]) {
    return ctx.Error(fmt::format("inputs add up to {} along axis {}, output has {}", total,
                                 axis.value(), output->shape[axis.value()]),
                     output);
  }
  return BlocksAlongAxis(*output, parts, axis.value());
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto blocks = Analyze(ctx, /*folding=*/false);
  if (!blocks.ok()) return blocks.status();
  return EmitJoin(ctx, blocks.value(), out);
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto blocks = Analyze(ctx, /*folding=*/true);
  if (!blocks.ok()) return blocks.status();
  std::vector<const Tensor*> parts;
  for (int i = 0; i < ctx.NumInputs(); ++i) parts.push_back(ctx.In(i));
  out->push_back(JoinBytes(parts, blocks.value()));
  return Status::Ok();
}

}  // namespace

extern const OpDef kConcatenation = {2, "CONCATENATION", "int8, int16, int32, int64, float32, bool",
    Lower, nullptr, Fold};

}  // namespace tinymlc
