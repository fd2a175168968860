// RSQRT: int8 -> int8, as TFLM's RsqrtEvalQuantized. TFLM computes 1/sqrt at run time
// in fixed point (GetInvSqrtQuantizedMultiplierExp: Newton-Raphson in gemmlowp
// arithmetic); the result depends only on the int8 input value, so it is evaluated
// here for all 256 values and emitted as a table. float32: 1.0f / sqrtf(x) (float_ops).
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_rsqrt.h"

namespace tinymlc {
namespace {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int kShift = 20;  // TFLM's kShift: keeps the intermediate result integer

// gemmlowp primitives on raw int32 values.
int32_t DoublingHighMul(int32_t a, int32_t b) {  // SaturatingRoundingDoublingHighMul
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : 1 - (int64_t{1} << 30);
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}
int32_t HalveRounded(int32_t x) {  // RoundingDivideByPOT(x, 1)
  return (x >> 1) + ((x & 1) > (x < 0 ? 1 : 0) ? 1 : 0);
}
int32_t SaturatingShiftLeft(int32_t x, int e) {  // SaturatingRoundingMultiplyByPOT<e>, e > 0
  const int32_t limit = static_cast<int32_t>((int64_t{1} << (31 - e)) - 1);
  if (x > limit) return kInt32Max;
  if (x < -limit) return kInt32Min;
  return static_cast<int32_t>(static_cast<uint32_t>(x) << e);
}

// TFLM's GetInvSqrtQuantizedMultiplierExp(value, kReverseShift): 1/sqrt(value) as a
// Q0.31 multiplier and a (non-positive) shift, for value >= 0.
QuantizedMultiplier InvSqrt(int32_t value) {
  if (value <= 1) return {kInt32Max, 0};
  int shift = 11;
  while (value >= (1 << 29)) {
    value /= 4;
    ++shift;
  }
  int leading_zeros = 0;
  while (!(static_cast<uint32_t>(value) & (0x80000000u >> leading_zeros))) ++leading_zeros;
  const int pairs = (leading_zeros - 1) / 2 - 1;  // bit pairs to shift left
  shift -= pairs;
  value <<= 2 * pairs;
  // Q3.28 Newton-Raphson from x = 1: x <- 1.5 x - (value / 2) x^3, five times.
  const int32_t half_value = HalveRounded(value >> 1);
  const int32_t three_halves = (1 << 28) + (1 << 27);
  int32_t x = 1 << 28;
  for (int i = 0; i < 5; ++i) {
    const int32_t x3 = SaturatingShiftLeft(DoublingHighMul(DoublingHighMul(x, x), x), 6);
    x = SaturatingShiftLeft(DoublingHighMul(three_halves, x) - DoublingHighMul(half_value, x3), 3);
  }
  x = DoublingHighMul(x, 1518500250);  // * sqrt(2) / 2 in Q0.31
  if (shift < 0) {
    x = static_cast<int32_t>(static_cast<uint32_t>(x) << -shift);
    shift = 0;
  }
  return {x, -shift};
}

Status Prepare(const LowerContext& ctx, tml_rsqrt_s8_params_t* p, std::vector<int32_t>* table) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, input->shape));
  // TFLM (SetRsqrtOutputMultiplier): 1 / (sqrt(double(input_scale)) * double(output_scale)),
  // all in double in the build that runs (pip tflite-micro 0.dev20261023182759: cvtss2sd,
  // sqrtsd, mulsd, divsd; older sources took sqrtf and multiplied in float).
  const double denominator =
      std::sqrt(static_cast<double>(input->scale())) * static_cast<double>(output->scale());
  const QuantizedMultiplier m = QuantizeMultiplier(1.0 / denominator);
  if (m.shift - kShift < -31) {
    return ctx.Error(fmt::format("output multiplier 1 / (sqrt(input scale) * scale) = {} is too "
                                 "small for TFLM's RSQRT arithmetic",
                                 1.0 / denominator),
                     output);
  }
  const int32_t in_zp = input->zero_point();
  table->assign(256, 0);
  for (int q = std::max(-128, in_zp); q <= 127; ++q) {
    const int32_t value = q - in_zp;
    int32_t result = 127;  // TFLM: a zero input gives the largest output
    if (value != 0) {
      const QuantizedMultiplier inv = InvSqrt(value);
      const int32_t data = MultiplyByQuantizedMultiplier(1, inv.multiplier, inv.shift + kShift);
      const int32_t scaled = MultiplyByQuantizedMultiplier(data, m.multiplier, m.shift - kShift);
      result = static_cast<int32_t>(static_cast<uint32_t>(scaled) +
                                    static_cast<uint32_t>(output->zero_point()));
      result = std::min(std::max(result, -128), 127);
    }
    (*table)[q + 128] = result;
  }
  p->size = static_cast<int32_t>(input->NumElements());
  p->input_zero_point = in_zp;
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatUnary(ctx, out, "rsqrt");
  tml_rsqrt_s8_params_t p{};
  std::vector<int32_t> table;
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p, &table));
  out->kernels = {"tml_rsqrt.h"};
  out->decls = CArray("int8_t", ctx.Sym("table"), table) +
               CStruct("tml_rsqrt_s8_params_t", ctx.Sym("params"))
                   .Field("size", p.size)
                   .Field("input_zero_point", p.input_zero_point)
                   .Field("table", ctx.Sym("table"))
                   .Str();
  // TFLM fails the invoke on an input below the zero point (a negative real value).
  out->body = fmt::format("if (tml_rsqrt_s8(&{}, {}, {}) != 0) return TINYML_ERROR;",
                          ctx.Sym("params"), ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) return FoldFloatUnary(g, op, "rsqrt", out);
  LowerContext ctx(g, op, "fold");
  tml_rsqrt_s8_params_t p{};
  std::vector<int32_t> table;
  TINYMLC_RETURN_IF_ERROR(Prepare(ctx, &p, &table));
  const std::vector<int8_t> table8(table.begin(), table.end());
  p.table = table8.data();
  const std::vector<int8_t> in = ConstValues<int8_t>(*ctx.In(0));
  std::vector<int8_t> result(in.size());
  if (tml_rsqrt_s8(&p, in.data(), result.data()) != 0) {
    return ctx.Error("a constant input is below the zero point (RSQRT of a negative value; "
                     "TFLM fails the invoke)",
                     ctx.In(0));
  }
  out->emplace_back(result.size());
  if (!result.empty()) std::memcpy(out->back().data(), result.data(), result.size());
  return Status::Ok();
}

}  // namespace

extern const OpDef kRsqrt = {76, "RSQRT", "int8, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
