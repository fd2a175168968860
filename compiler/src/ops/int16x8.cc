#include "ops/int16x8.h"

#include <fmt/format.h>

#include <vector>

#include "ops/op_util.h"

namespace tinymlc {

namespace {
constexpr int32_t kTfLiteTypeInt32 = 2;  // tflite::TensorType_INT32
}  // namespace

Status CheckBiasS16(const LowerContext& ctx, const Tensor* bias, int64_t channels,
                    bool allow_int32) {
  if (!bias) return Status::Ok();
  if (bias->dtype != DType::kInt64 && !(allow_int32 && bias->dtype == DType::kInt32)) {
    return ctx.Error(fmt::format("bias dtype {} is not supported with int16 activations "
                                 "(expected int64{})",
                                 DTypeName(bias->dtype), allow_int32 ? " or int32" : ""),
                     bias);
  }
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, bias));
  if (bias->NumElements() != channels) {
    return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), channels),
                     bias);
  }
  return Status::Ok();
}

bool UsesInt32Accumulator(const Tensor* bias, int32_t quantized_bias_type) {
  return bias ? bias->dtype == DType::kInt32 : quantized_bias_type == kTfLiteTypeInt32;
}

Status LowerConvS16(LowerContext& ctx, const ConvS16Geometry& g, bool depthwise,
                    int32_t quantized_bias_type, const ActivationRange& act, LayerCode* out) {
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const bool acc32 = !depthwise && UsesInt32Accumulator(bias, quantized_bias_type);
  std::vector<int32_t> mult, shift;
  ConvPerChannelMultipliers(*input, *filter, *output, g.output_c, &mult, &shift);
  // The fast paths (tml_conv_s16_fast.h: SMLALD on DSP cores for CONV_2D, int32 window
  // sums for DEPTHWISE_CONV_2D), the same sums as the reference.
  out->kernels = {"tml_fast_common.h", "tml_conv_s16.h", "tml_conv_s16_fast.h"};
  out->decls += CArray("int32_t", ctx.Sym("multiplier"), mult);
  out->decls += CArray("int32_t", ctx.Sym("shift"), shift);
  out->decls += CStruct("tml_conv_s16_params_t", ctx.Sym("params"))
                    .Field("batches", g.batches)
                    .Field("input_h", g.input_h).Field("input_w", g.input_w).Field("input_c", g.input_c)
                    .Field("filter_h", g.filter_h).Field("filter_w", g.filter_w)
                    .Field("filter_c", g.filter_c)
                    .Field("output_h", g.output_h).Field("output_w", g.output_w)
                    .Field("output_c", g.output_c)
                    .Field("depth_multiplier", g.depth_multiplier)
                    .Field("stride_h", g.stride_h).Field("stride_w", g.stride_w)
                    .Field("dilation_h", g.dilation_h).Field("dilation_w", g.dilation_w)
                    .Field("pad_h", g.pad_h).Field("pad_w", g.pad_w)
                    .Field("act_min", act.min).Field("act_max", act.max)
                    .Field("output_multiplier", ctx.Sym("multiplier"))
                    .Field("output_shift", ctx.Sym("shift"))
                    .Str();
  const char* fn = depthwise ? "tml_depthwise_conv_2d_s16_fast"
                             : (acc32 ? "tml_conv_2d_s16_fast_acc32" : "tml_conv_2d_s16_fast");
  out->body = fmt::format("{}(&{}, {}, {}, {}, {});", fn, ctx.Sym("params"), ctx.Ptr(input),
                          ctx.Ptr(filter), ctx.Ptr(bias), ctx.Ptr(output));
  return Status::Ok();
}

Status LowerFullyConnectedS16(LowerContext& ctx, int64_t batches, int32_t accum_depth,
                              int32_t output_depth, int32_t quantized_bias_type,
                              const ActivationRange& act, LayerCode* out) {
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  std::vector<int32_t> mult, shift;
  int32_t filter_offset = 0;
  if (filter->quant.per_channel()) {
    // TFLM's per-channel kernel leaves the (zero) filter offset out.
    ConvPerChannelMultipliers(*input, *filter, *output, output_depth, &mult, &shift);
  } else {
    // As for int8: the input*filter scale product in double.
    const double product = static_cast<double>(input->scale()) * static_cast<double>(filter->scale());
    const QuantizedMultiplier q = QuantizeMultiplier(product / static_cast<double>(output->scale()));
    mult.assign(output_depth, q.multiplier);
    shift.assign(output_depth, q.shift);
    filter_offset = -filter->zero_point();
  }
  // The fast path (tml_conv_s16_fast.h); it runs the reference loop for non-zero offsets.
  out->kernels = {"tml_fast_common.h", "tml_conv_s16.h", "tml_conv_s16_fast.h"};
  out->decls += CArray("int32_t", ctx.Sym("multiplier"), mult);
  out->decls += CArray("int32_t", ctx.Sym("shift"), shift);
  out->decls += CStruct("tml_fully_connected_s16_params_t", ctx.Sym("params"))
                    .Field("batches", batches)
                    .Field("accum_depth", accum_depth)
                    .Field("output_depth", output_depth)
                    .Field("input_offset", -input->zero_point())
                    .Field("filter_offset", filter_offset)
                    .Field("output_offset", output->zero_point())
                    .Field("act_min", act.min).Field("act_max", act.max)
                    .Field("output_multiplier", ctx.Sym("multiplier"))
                    .Field("output_shift", ctx.Sym("shift"))
                    .Str();
  const bool acc32 = UsesInt32Accumulator(bias, quantized_bias_type);
  out->body = fmt::format("{}(&{}, {}, {}, {}, {});",
                          acc32 ? "tml_fully_connected_s16_fast_acc32"
                                : "tml_fully_connected_s16_fast",
                          ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(filter), ctx.Ptr(bias),
                          ctx.Ptr(output));
  return Status::Ok();
}

}  // namespace tinymlc
