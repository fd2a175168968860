// SVDF: int8 input/output, int8 weights_feature, int16 (or int8) weights_time, int32 bias
// and an activation state of the time weights' type that is a VARIABLE tensor (it lives in the arena for the
// whole run, persists across invokes and is restored by NAME_reset()). As TFLM
// micro's PrepareSvdf / EvalIntegerSvdfReference:
//   effective_scale_1 = double(float(input_scale * feature_scale / state_scale))
//   effective_scale_2 = double(float(state_scale * time_scale / output_scale))
// both via QuantizeMultiplier; the bias scale must equal state_scale * time_scale
// within 1e-5; no fused activation is applied. TFLM's int8 SVDF needs the bias (its
// Prepare reads the bias scale) and only per-tensor scales are used.
#include <fmt/format.h>

#include <cmath>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

Status CheckDims(const LowerContext& ctx, const Tensor* t, const std::vector<int32_t>& want,
                 const char* what) {
  if (t->shape != want) {
    return ctx.Error(fmt::format("{} has shape [{}], expected [{}]", what,
                                 fmt::join(t->shape, ","), fmt::join(want, ",")),
                     t);
  }
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  // Inputs 0-2 are checked here, the bias (3) and state (4) below with their reasons.
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 5, 1));
  if (ctx.NumInputs() != 5) return ctx.Error(fmt::format("expects 5 inputs, has {}", ctx.NumInputs()));
  const Tensor* input = ctx.In(0);
  const Tensor* feature = ctx.In(1);
  const Tensor* time = ctx.In(2);
  const Tensor* bias = ctx.In(3);
  const Tensor* state = ctx.In(4);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<SvdfOptions>(ctx.op().options);
  if (!state) return ctx.Error("the activation state (input 4) is missing");
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, feature, DType::kInt8));
  // TFLM picks the kernel by the time weights' type (int16 or int8) and reads the state
  // as that type.
  const bool int8_time = time->dtype == DType::kInt8;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, time, int8_time ? DType::kInt8 : DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, state, int8_time ? DType::kInt8 : DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt8));
  for (const Tensor* t : {input, feature, time, state, output}) {
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, t));
  }
  if (!state->is_variable) {
    return ctx.Error("the activation state must be a variable tensor", state);
  }
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 2));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, feature, 2));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, time, 2));
  const int32_t batches = input->shape[0], input_size = input->shape[1];
  const int32_t filters = feature->shape[0], memory = time->shape[1];
  if (o.rank <= 0 || filters % o.rank != 0) {
    return ctx.Error(fmt::format("rank {} does not divide the {} filters", o.rank, filters), feature);
  }
  const int32_t units = filters / o.rank;
  TINYMLC_RETURN_IF_ERROR(CheckDims(ctx, feature, {filters, input_size}, "weights_feature"));
  TINYMLC_RETURN_IF_ERROR(CheckDims(ctx, time, {filters, memory}, "weights_time"));
  TINYMLC_RETURN_IF_ERROR(CheckDims(ctx, state, {batches, memory * filters}, "activation state"));
  TINYMLC_RETURN_IF_ERROR(CheckDims(ctx, output, {batches, units}, "output"));
  if (!bias) {
    return ctx.Error("the bias (input 3) is required: TFLM's int8 SVDF reads its scale");
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bias, DType::kInt32));
  if (bias->shape.empty() || bias->shape[0] != units || bias->NumElements() != units) {
    return ctx.Error(fmt::format("bias has shape [{}], expected [{}]", fmt::join(bias->shape, ","), units),
                     bias);
  }
  // TFLM checks the bias scale against state_scale * time_scale (in double).
  const double state_time = static_cast<double>(state->scale()) * static_cast<double>(time->scale());
  if (std::abs(static_cast<double>(bias->scale()) - state_time) >= 1e-5) {
    return ctx.Error(fmt::format("bias scale {} differs from state scale x weights_time scale = {} "
                                 "(TFLM requires them within 1e-5)",
                                 bias->scale(), state_time),
                     bias);
  }
  // The effective scales in double (PrepareSvdf as built in the TFLM that runs, pip
  // tflite-micro 0.dev20261023182759: each float operand widened, mulsd, divsd).
  const double scale_1 = static_cast<double>(input->scale()) * static_cast<double>(feature->scale()) /
                         static_cast<double>(state->scale());
  const double scale_2 = static_cast<double>(state->scale()) * static_cast<double>(time->scale()) /
                         static_cast<double>(output->scale());
  const QuantizedMultiplier m1 = QuantizeMultiplier(scale_1);
  const QuantizedMultiplier m2 = QuantizeMultiplier(scale_2);

  out->kernels = {"tml_svdf.h"};
  out->decls = CStruct("tml_svdf_s8_params_t", ctx.Sym("params"))
                   .Field("batches", batches).Field("input_size", input_size)
                   .Field("num_filters", filters).Field("num_units", units)
                   .Field("rank", o.rank).Field("memory_size", memory)
                   .Field("input_zero_point", input->zero_point())
                   .Field("state_zero_point", state->zero_point())
                   .Field("output_zero_point", output->zero_point())
                   .Field("feature_multiplier", m1.multiplier).Field("feature_shift", m1.shift)
                   .Field("output_multiplier", m2.multiplier).Field("output_shift", m2.shift)
                   .Str();
  // TFLM's scratch for the per-filter time sums.
  out->scratch_bytes = int64_t{batches} * filters * 4;
  out->body = fmt::format("{}(&{}, {}, {}, {}, {}, {}, {}, (int32_t *)(void *)@S@);",
                          int8_time ? "tml_svdf_s8_s8state" : "tml_svdf_s8", ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(feature), ctx.Ptr(time),
                          ctx.Ptr(bias), ctx.Ptr(state), ctx.Ptr(output));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  const Tensor& in = g.tensors[op.inputs[0]];
  const Tensor& feature = g.tensors[op.inputs[1]];
  const Tensor& time = g.tensors[op.inputs[2]];
  return in.NumElements() * feature.shape[0] + in.shape[0] * time.NumElements();
}

}  // namespace

extern const OpDef kSvdf = {27, "SVDF", "int8 (int16 or int8 state and time weights)", Lower, Macs};

}  // namespace tinymlc
