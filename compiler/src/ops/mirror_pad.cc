// MIRROR_PAD (REFLECT and SYMMETRIC): float32 and int8, as TFLM's kernel; constant
// paddings (int32 or int64, shape [rank, 2]), rank <= 5. Data is copied unchanged
// (TFLM does not look at the quantization). A left padding above n - 1 (REFLECT) or
// n (SYMMETRIC) would make TFLM read outside the input: refused.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 5;

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* pads = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(
      CheckMovementType(ctx, input, {DType::kFloat32, DType::kInt8}, /*folding=*/false));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const auto& o = std::get<MirrorPadOptions>(ctx.op().options);
  const int32_t offset = o.symmetric ? 0 : 1;
  const int rank = static_cast<int>(input->shape.size());
  if (rank > kMaxRank) {
    return ctx.Error(fmt::format("rank {} is above the supported {}", rank, kMaxRank), input);
  }
  if (pads->shape.size() != 2 || pads->shape[0] != rank) {
    return ctx.Error(fmt::format("paddings must have shape [{}, 2] (TFLM's check)", rank), pads);
  }
  auto paddings = ConstInts(ctx, pads, "paddings", /*allow_int64=*/true);
  if (!paddings.ok()) return paddings.status();
  if (static_cast<int64_t>(paddings->size()) != 2 * rank || output->shape.size() != input->shape.size()) {
    return ctx.Error(fmt::format("paddings has {} values; input and output of rank {} need {}",
                                 paddings->size(), rank, 2 * rank),
                     pads);
  }
  std::vector<int32_t> left, want;
  for (int d = 0; d < rank; ++d) {
    const int64_t l = paddings.value()[2 * d], r = paddings.value()[2 * d + 1];
    const int64_t n = input->shape[d];
    if (l < 0 || r < 0) {
      return ctx.Error(fmt::format("negative padding {} / {} in dimension {}", l, r, d), pads);
    }
    if (l > n - offset || r > n - offset) {
      return ctx.Error(fmt::format("padding {} / {} in dimension {} of size {} is above the {} "
                                   "{} mode allows",
                                   l, r, d, n, n - offset, o.symmetric ? "SYMMETRIC" : "REFLECT"),
                       pads);
    }
    left.push_back(static_cast<int32_t>(l));
    want.push_back(static_cast<int32_t>(n + l + r));
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  out->kernels = {"tml_mirror_pad.h"};
  out->decls = CStruct("tml_mirror_pad_params_t", ctx.Sym("params"))
                   .Field("elem_size", static_cast<int64_t>(DTypeSize(input->dtype)))
                   .Field("offset", offset)
                   .Field("in_dims", CInts(PadFront(input->shape, kMaxRank)))
                   .Field("out_dims", CInts(PadFront(output->shape, kMaxRank)))
                   .Field("left", CInts(PadFront(left, kMaxRank, 0)))
                   .Str();
  out->body = fmt::format("tml_mirror_pad(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kMirrorPad = {100, "MIRROR_PAD", "int8, float32 (REFLECT, SYMMETRIC)", Lower,
                                 nullptr};

}  // namespace tinymlc
