// ELU: int8 -> int8 through a 256-entry table computed here exactly as TFLM's
// PopulateLookupTable does at prepare time, in float:
//   dequantized = input_scale * (v - input_zero_point)
//   transformed = dequantized < 0 ? exp(dequantized) - 1 : dequantized   (expf)
//   quantized   = round(transformed * (1 / output_scale)) + output_zero_point
// clamped to int8. The generated C only indexes the table (no <math.h>).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "ops/activation_common.h"
#include "ops/float_ops.h"
#include "tml_elu.h"

namespace tinymlc {
namespace {

// Table indexed by the input byte read as uint8 (TFLM's layout).
using Table = std::array<int8_t, 256>;

Result<Table> Prepare(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckUnaryActivation(ctx, {DType::kInt8}));
  const float input_scale = ctx.In(0)->scale();
  const int32_t input_zero_point = ctx.In(0)->zero_point();
  const int32_t output_zero_point = ctx.Out(0)->zero_point();
  const float inverse_scale = 1 / ctx.Out(0)->scale();
  // A subnormal output scale makes 1 / scale infinite and 0 * inf a NaN in the table:
  // TFLM's cast of that NaN is undefined, so refuse the model.
  if (!std::isfinite(inverse_scale)) {
    return ctx.Error(fmt::format("output scale {} is too small (1 / scale is not finite)",
                                 ctx.Out(0)->scale()),
                     ctx.Out(0));
  }
  Table table{};
  for (int32_t v = -128; v <= 127; ++v) {
    const float dequantized = input_scale * static_cast<float>(v - input_zero_point);
    const float transformed = dequantized < 0.0f ? std::exp(dequantized) - 1.0f : dequantized;
    const float rescaled = std::round(transformed * inverse_scale);
    const float shifted = rescaled + static_cast<float>(output_zero_point);
    // TFLM converts with static_cast<int32_t> (undefined beyond int32); saturate here.
    const int32_t quantized = shifted >= 2147483648.0f ? INT32_MAX
                              : shifted < -2147483648.0f ? INT32_MIN
                                                         : static_cast<int32_t>(shifted);
    table[static_cast<uint8_t>(static_cast<int8_t>(v))] =
        static_cast<int8_t>(std::clamp<int32_t>(quantized, -128, 127));
  }
  return table;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "elu");
  auto table = Prepare(ctx);
  if (!table.ok()) return table.status();
  out->kernels = {"tml_elu.h"};
  out->decls = "/* ELU of every int8 input v, at index (uint8_t)v: 0..127, then -128..-1. */\n" +
               CArray("int8_t", ctx.Sym("table"),
                      std::vector<int32_t>(table->begin(), table->end())) +
               CStruct("tml_elu_s8_params_t", ctx.Sym("params"))
                   .Field("size", ctx.In(0)->NumElements())
                   .Field("table", ctx.Sym("table"))
                   .Str();
  out->body = fmt::format("tml_elu_s8(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(ctx.In(0)),
                          ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "elu", out);
  const LowerContext ctx(g, op, "fold");
  auto table = Prepare(ctx);
  if (!table.ok()) return table.status();
  tml_elu_s8_params_t p{};
  p.size = static_cast<int32_t>(g.tensors[op.inputs[0]].NumElements());
  p.table = table->data();
  *out = FoldUnary<int8_t>(g, op, p, tml_elu_s8);
  return Status::Ok();
}

}  // namespace

extern const OpDef kElu = {111, "ELU", "int8, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
