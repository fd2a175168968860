// LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL: int8 x int8 -> bool with
// broadcasting, as TFLM's ComparisonWithScaling: each input is rescaled by its own
// scale (QuantizeMultiplierSmallerThanOneExp(scale), left shift 8) and the rescaled
// values are compared. One kernel; the op only picks the result of <, ==, >.
// float32 x float32 -> bool: tml_comparisons_f32.h, the plain C comparison (TFLM's
// float path).
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "ops/float_ops.h"
#include "tml_comparisons.h"
#include "tml_comparisons_f32.h"

namespace tinymlc {
namespace {

constexpr int kLeftShift = 8;

template <int kLess, int kEqual, int kGreater>
Status Prepare(const LowerContext& ctx, tml_compare_s8_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  for (const Tensor* t : {in1, in2}) TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, t));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kBool));
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p->shape));
  auto m1 = MultiplierSmallerThanOne(ctx, static_cast<double>(in1->scale()), "input 1 scale", in1);
  if (!m1.ok()) return m1.status();
  auto m2 = MultiplierSmallerThanOne(ctx, static_cast<double>(in2->scale()), "input 2 scale", in2);
  if (!m2.ok()) return m2.status();
  SetInputRescale(p, *in1, *in2, kLeftShift, m1.value(), m2.value());
  p->if_less = kLess;
  p->if_equal = kEqual;
  p->if_greater = kGreater;
  return Status::Ok();
}

template <int kLess, int kEqual, int kGreater>
Status PrepareF32(const LowerContext& ctx, tml_compare_f32_params_t* p) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  for (const Tensor* t : {in1, in2}) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kFloat32));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kBool));
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p->shape));
  p->if_less = kLess;
  p->if_equal = kEqual;
  p->if_greater = kGreater;
  p->if_unordered = kLess == 1 && kEqual == 0 && kGreater == 1 ? 1 : 0;  // NOT_EQUAL
  return Status::Ok();
}

template <int kLess, int kEqual, int kGreater>
Status LowerF32(LowerContext& ctx, LayerCode* out) {
  tml_compare_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR((PrepareF32<kLess, kEqual, kGreater>(ctx, &p)));
  out->kernels = {"tml_float_common.h", "tml_broadcast.h", "tml_comparisons_f32.h"};
  out->decls = CStruct("tml_compare_f32_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("if_less", p.if_less)
                   .Field("if_equal", p.if_equal)
                   .Field("if_greater", p.if_greater)
                   .Field("if_unordered", p.if_unordered)
                   .Str();
  out->body = fmt::format("tml_compare_f32(&{}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

template <int kLess, int kEqual, int kGreater>
Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerF32<kLess, kEqual, kGreater>(ctx, out);
  tml_compare_s8_params_t p{};
  TINYMLC_RETURN_IF_ERROR((Prepare<kLess, kEqual, kGreater>(ctx, &p)));
  out->kernels = {"tml_broadcast.h", "tml_comparisons.h"};
  CStruct params("tml_compare_s8_params_t", ctx.Sym("params"));
  out->decls = InputRescaleFields(params, p)
                   .Field("if_less", p.if_less)
                   .Field("if_equal", p.if_equal)
                   .Field("if_greater", p.if_greater)
                   .Str();
  out->body = fmt::format("tml_compare_s8(&{}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(ctx.In(0)), ctx.Ptr(ctx.In(1)), ctx.Ptr(ctx.Out(0)));
  return Status::Ok();
}

template <int kLess, int kEqual, int kGreater>
Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (IsFloat32Op(g, op)) {
    return FoldBinary<tml_compare_f32_params_t, uint8_t, float>(
        g, op, PrepareF32<kLess, kEqual, kGreater>, tml_compare_f32, out);
  }
  return FoldBinary<tml_compare_s8_params_t, uint8_t>(g, op, Prepare<kLess, kEqual, kGreater>,
                                                      tml_compare_s8, out);
}

}  // namespace

// Template arguments: the result for a < b, a == b, a > b.
extern const OpDef kLess = {58, "LESS", "int8, float32 -> bool", Lower<1, 0, 0>, nullptr, Fold<1, 0, 0>};
extern const OpDef kLessEqual = {63, "LESS_EQUAL", "int8, float32 -> bool",
    Lower<1, 1, 0>, nullptr, Fold<1, 1, 0>};
extern const OpDef kGreater = {61, "GREATER", "int8, float32 -> bool",
    Lower<0, 0, 1>, nullptr, Fold<0, 0, 1>};
extern const OpDef kGreaterEqual = {62, "GREATER_EQUAL", "int8, float32 -> bool",
    Lower<0, 1, 1>, nullptr, Fold<0, 1, 1>};
extern const OpDef kEqual = {71, "EQUAL", "int8, float32 -> bool", Lower<0, 1, 0>, nullptr, Fold<0, 1, 0>};
extern const OpDef kNotEqual = {72, "NOT_EQUAL", "int8, float32 -> bool",
    Lower<1, 0, 1>, nullptr, Fold<1, 0, 1>};

}  // namespace tinymlc
