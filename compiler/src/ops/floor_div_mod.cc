// FLOOR_DIV and FLOOR_MOD as TFLM's floor_div.cc / floor_mod.cc: float32 only (TFLM's
// micro kernels take no other type), broadcasting through BroadcastBinaryFunction4DSlow
// (inputs of different shapes: rank <= 4). Kernel: tml_floor_div_mod_f32.h. TFLM fails
// FLOOR_DIV's invoke on a zero divisor: a constant divisor holding 0 is refused here, a
// computed one makes NAME_invoke() return an error, as TFLM's invoke does.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "tml_floor_div_mod_f32.h"

namespace tinymlc {
namespace {

template <int kMod>
Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  for (const Tensor* t : {in1, in2, output}) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kFloat32));
  }
  if (in1->shape != in2->shape && output->shape.size() > 4) {
    return ctx.Error(fmt::format("broadcasting of rank {} (TFLM broadcasts this op up to rank 4)",
                                 output->shape.size()),
                     output);
  }
  if (!kMod && in2->is_constant) {
    for (float v : ConstValues<float>(*in2)) {
      if (v == 0.0f) return ctx.Error("divisor holds 0 (TFLM fails: division by 0)", in2);
    }
  }
  tml_floor_div_mod_f32_params_t p{};
  TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &p.shape));
  out->kernels = {"tml_float_common.h", "tml_broadcast.h", "tml_floor_div_mod_f32.h"};
  out->needs_math = true;
  out->decls = CStruct("tml_floor_div_mod_f32_params_t", ctx.Sym("params"))
                   .Field("shape", BroadcastInit(p.shape))
                   .Field("is_mod", kMod)
                   .Str();
  out->body = fmt::format("tml_floor_div_mod_f32(&{}, {}, {}, {});", ctx.Sym("params"),
                          ctx.Ptr(in1), ctx.Ptr(in2), ctx.Ptr(output));
  if (!kMod && !in2->is_constant) {
    out->body = fmt::format("if (tml_floor_div_has_zero({}, {}) != 0) return TINYML_ERROR;\n",
                            ctx.Ptr(in2), in2->NumElements()) +
                out->body;
  }
  return Status::Ok();
}

}  // namespace

extern const OpDef kFloorDiv = {90, "FLOOR_DIV", "float32", Lower<0>, nullptr};
extern const OpDef kFloorMod = {95, "FLOOR_MOD", "float32", Lower<1>, nullptr};

}  // namespace tinymlc
