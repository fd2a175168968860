// ADD_N as TFLM's add_n.cc: two or more inputs of one shape, float32 or int8 (all inputs
// sharing one scale and zero point). int8 follows TFLM's prepare: left shift 20, input
// multiplier of 1/2, output multiplier 2 * input_scale / (2^20 * output_scale), both
// from QuantizeMultiplierSmallerThanOneExp; no fused activation. Kernel: tml_add_n.h.
#include <fmt/format.h>

#include "ops/elementwise_util.h"
#include "tml_add_n.h"

namespace tinymlc {
namespace {

constexpr int32_t kLeftShift = 20;

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (ctx.NumInputs() < 2) return ctx.Error("needs two or more inputs (TFLM)");
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, ctx.NumInputs(), ctx.NumInputs(), 1));
  const Tensor* first = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const bool f32 = first->dtype == DType::kFloat32;
  if (!f32) TINYMLC_RETURN_IF_ERROR(CheckQuantizedInt8(ctx, first));
  std::vector<std::string> ptrs;
  for (int i = 0; i < ctx.NumInputs(); ++i) {
    const Tensor* t = ctx.In(i);
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, first->dtype));
    TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, t, first->shape));
    if (!f32 && (t->scale() != first->scale() || t->zero_point() != first->zero_point())) {
      return ctx.Error("scale and zero point differ from input 0's (TFLM requires them equal)", t);
    }
    ptrs.push_back(ctx.Ptr(t));
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, first->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, first->shape));
  const int32_t n = ctx.NumInputs();
  const int64_t size = output->NumElements();
  const char* ctype = f32 ? "float" : "int8_t";
  std::string params;
  if (f32) {
    params = CStruct("tml_add_n_f32_params_t", ctx.Sym("params"))
                 .Field("num_inputs", n)
                 .Field("size", size)
                 .Str();
  } else {
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
    const double twice_max = 2 * static_cast<double>(first->scale());
    auto in_m = MultiplierSmallerThanOne(ctx, static_cast<double>(first->scale()) / twice_max,
                                         "input multiplier", first);
    if (!in_m.ok()) return in_m.status();
    auto out_m = MultiplierSmallerThanOne(
        ctx, twice_max / ((1 << kLeftShift) * static_cast<double>(output->scale())),
        "output multiplier", output);
    if (!out_m.ok()) return out_m.status();
    params = CStruct("tml_add_n_s8_params_t", ctx.Sym("params"))
                 .Field("num_inputs", n)
                 .Field("size", size)
                 .Field("input_offset", -first->zero_point())
                 .Field("output_offset", output->zero_point())
                 .Field("left_shift", kLeftShift)
                 .Field("input_multiplier", in_m->multiplier)
                 .Field("input_shift", in_m->shift)
                 .Field("output_multiplier", out_m->multiplier)
                 .Field("output_shift", out_m->shift)
                 .Field("act_min", -128)
                 .Field("act_max", 127)
                 .Str();
  }
  out->kernels = {"tml_add_n.h"};
  out->decls = params;
  out->body = fmt::format(
      "{{\n  const {} *const inputs[{}] = {{{}}};\n  tml_add_n_{}(&{}, inputs, {});\n}}", ctype,
      n, fmt::join(ptrs, ", "), f32 ? "f32" : "s8", ctx.Sym("params"), ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace

extern const OpDef kAddN = {106, "ADD_N", "int8, float32", Lower, nullptr};

}  // namespace tinymlc
