// SQUARED_DIFFERENCE: (int8 - int8)^2 -> int8 with broadcasting, as TFLM's quantized
// SquaredDifference (left shift 7, no fused activation).
#include <fmt/format.h>

#include <algorithm>

#include "ops/elementwise_util.h"
#include "tml_squared_difference.h"

namespace tinymlc {
namespace {

constexpr int kLeftShift = 7;

Status Prepare(const LowerContext& ctx, tml_squared_difference_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  for (const Tensor* t : {in1, in2, output}) TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, t));
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p->shape));
  // TFLM's PrepareQuantized: twice the larger scale in double; the output divisor
  // 2^(2 * left_shift) * output_scale is a FLOAT product.
  const double twice_max = 2.0 * static_cast<double>(std::max(in1->scale(), in2->scale()));
  auto m1 = MultiplierSmallerThanOne(ctx, static_cast<double>(in1->scale()) / twice_max,
                                     "input 1 multiplier", in1);
  if (!m1.ok()) return m1.status();
  auto m2 = MultiplierSmallerThanOne(ctx, static_cast<double>(in2->scale()) / twice_max,
                                     "input 2 multiplier", in2);
  if (!m2.ok()) return m2.status();
  const float divisor = static_cast<float>(1 << (2 * kLeftShift)) * output->scale();
  const QuantizedMultiplier mo =
      QuantizeMultiplier(twice_max * twice_max / static_cast<double>(divisor));
  SetInputRescale(p, *in1, *in2, kLeftShift, m1.value(), m2.value());
  p->output_offset = output->zero_point();
  p->output_multiplier = mo.multiplier;
  p->output_shift = mo.shift;
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  tml_squared_difference_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p));
  out->kernels = {"tml_broadcast.h", "tml_squared_difference.h"};
  CStruct params("tml_squared_difference_s8_params_t", ctx.Sym("params"));
  out->decls = InputRescaleFields(params, p)
                   .Field("output_offset", p.output_offset)
                   .Field("output_multiplier", p.output_multiplier)
                   .Field("output_shift", p.output_shift)
                   .Str();
  out->body = fmt::format("tml_squared_difference_s8(&{}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldBinary<tml_squared_difference_s8_params_t, int8_t>(g, op, Prepare,
                                                                tml_squared_difference_s8, out);
}

}  // namespace

extern const OpDef kSquaredDifference = {99, "SQUARED_DIFFERENCE", "int8", Lower, Macs, Fold};

}  // namespace tinymlc
