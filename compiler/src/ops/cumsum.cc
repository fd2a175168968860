// CUMSUM: running sums along a constant axis with the exclusive and reverse flags,
// float32 and int8 as TFLM's kernel (tml_cumsum.h). int8 rescales like TFLM's Prepare:
// input multiplier 0.5 (scale / (2 * scale)), output multiplier
// 2 * input_scale / (2^20 * output_scale), both in double.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kLeftShift = 20;

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* axis_t = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  if (input->dtype != DType::kFloat32 && input->dtype != DType::kInt8) {
    return ctx.Error(fmt::format("CUMSUM of {} (TFLM takes float32 and int8)",
                                 DTypeName(input->dtype)),
                     input);
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, axis_t, DType::kInt32));
  if (axis_t->NumElements() != 1) return ctx.Error("axis must have one element", axis_t);
  const int rank = static_cast<int>(input->shape.size());
  if (rank < 1) return ctx.Error("input must have rank 1 or more", input);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  auto axis_v = ConstInts(ctx, axis_t, "axis");
  if (!axis_v.ok()) return axis_v.status();
  auto axis = ResolveAxis(ctx, axis_v.value()[0], rank, "axis", axis_t);
  if (!axis.ok()) return axis.status();
  const auto& o = std::get<CumsumOptions>(ctx.op().options);
  CStruct params("tml_cumsum_params_t", ctx.Sym("params"));
  params.Field("outer", DimProduct(input->shape, 0, axis.value()))
      .Field("depth", input->shape[axis.value()])
      .Field("inner", DimProduct(input->shape, axis.value() + 1, rank))
      .Field("exclusive", o.exclusive ? 1 : 0)
      .Field("reverse", o.reverse ? 1 : 0);
  const bool s8 = input->dtype == DType::kInt8;
  if (s8) {
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
    const double twice_max = 2 * static_cast<double>(input->scale());
    auto in_m = MultiplierSmallerThanOne(ctx, static_cast<double>(input->scale()) / twice_max,
                                         "input multiplier", input);
    if (!in_m.ok()) return in_m.status();
    auto out_m = MultiplierSmallerThanOne(
        ctx, twice_max / ((1 << kLeftShift) * static_cast<double>(output->scale())),
        "output multiplier", output);
    if (!out_m.ok()) return out_m.status();
    params.Field("input_offset", -input->zero_point())
        .Field("input_multiplier", in_m->multiplier)
        .Field("input_shift", in_m->shift)
        .Field("output_multiplier", out_m->multiplier)
        .Field("output_shift", out_m->shift)
        .Field("output_offset", output->zero_point());
  }
  out->kernels = {"tml_float_common.h", "tml_cumsum.h"};
  out->decls = params.Str();
  out->body = fmt::format("tml_cumsum_{}(&{}, {}, {});", s8 ? "s8" : "f32", ctx.Sym("params"),
                          ctx.Ptr(input), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kCumsum = {128, "CUMSUM", "int8, float32 (exclusive, reverse)", Lower, nullptr};

}  // namespace tinymlc
