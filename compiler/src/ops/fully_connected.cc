// FULLY_CONNECTED: int8 input/output, int8 weights (per-tensor or per-channel) or int4
// weights (per tensor, as TFLM),
// optional int32 bias, keep_num_dims; int16 input/output (16x8) with an int64 or int32
// bias (ops/int16x8.cc).
#include <fmt/format.h>

#include "ops/conv_gemm.h"
#include "ops/float_ops.h"
#include "ops/int16x8.h"
#include "ops/op_util.h"
#include "ops/sparse_weights.h"
#include "ops/tflm_decode.h"

namespace tinymlc {
namespace {

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatFullyConnected(ctx, out);
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<FullyConnectedOptions>(ctx.op().options);
  const bool s16 = input->dtype == DType::kInt16;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, s16 ? DType::kInt16 : DType::kInt8));
  // int4 weights (packed, two per byte) under int8 activations, as TFLM takes them.
  const bool s4 = !s16 && filter->dtype == DType::kInt4;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, filter, s4 ? DType::kInt4 : DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, filter, 2));
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, filter));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  if (o.weights_format != 0) return ctx.Error("shuffled weights format is not supported", filter);
  const int32_t out_depth = filter->shape[0], accum = filter->shape[1];
  TINYMLC_RETURN_IF_ERROR(CheckWeightQuant(ctx, filter, 0, out_depth));
  if (s4 && filter->quant.per_channel()) {
    // TFLM's CalculateOpDataFullyConnected: per-channel quantization only with int8 weights.
    return ctx.Error("int4 weights quantized per channel: TFLM's FULLY_CONNECTED takes int4 "
                     "weights per tensor only",
                     filter);
  }
  if (accum <= 0 || input->NumElements() % accum != 0) {
    return ctx.Error(fmt::format("input has {} elements, not a multiple of the filter depth {}",
                                 input->NumElements(), accum),
                     input);
  }
  const int64_t batches = input->NumElements() / accum;
  if (output->NumElements() != batches * out_depth || output->shape.empty() ||
      output->shape.back() != out_depth) {
    return ctx.Error(fmt::format("output shape [{}] does not hold {} x {} values",
                                 fmt::join(output->shape, ","), batches, out_depth),
                     output);
  }
  if (s16) {
    TINYMLC_RETURN_IF_ERROR(CheckBiasS16(ctx, bias, out_depth, /*allow_int32=*/true));
  } else if (bias) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bias, DType::kInt32));
    TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, bias));
    if (bias->NumElements() != out_depth) {
      return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_depth), bias);
    }
  }
  auto act = Int8ActivationRange(ctx, o.activation, output);
  if (!act.ok()) return act.status();
  if (s16) {
    return LowerFullyConnectedS16(ctx, batches, accum, out_depth, o.quantized_bias_type, act.value(), out);
  }

  if (!s4 || filter->zero_point() == 0) {
    // Fast path: a 1x1 convolution over [1, 1, batches, accum]. TFLM's per-channel
    // variant ignores the filter offset; its per-tensor one adds it. int4 weights (per
    // tensor, zero point 0) as int4 words, or a smaller compressed form.
    std::vector<int32_t> mult, shift;
    int32_t filter_offset = 0;
    if (filter->quant.per_channel()) {
      ConvPerChannelMultipliers(*input, *filter, *output, out_depth, &mult, &shift);
    } else {
      const double product = static_cast<double>(input->scale()) * static_cast<double>(filter->scale());
      const QuantizedMultiplier q = QuantizeMultiplier(product / static_cast<double>(output->scale()));
      mult.assign(out_depth, q.multiplier);
      shift.assign(out_depth, q.shift);
      filter_offset = -filter->zero_point();
    }
    ConvGemmShape gs{1, 1, static_cast<int32_t>(batches), accum, 1, 1, 1,
                     static_cast<int32_t>(batches), out_depth};
    // Sparse or clustered weights (--sparse), when the cost model picks them.
    if (filter_offset == 0) {
      CompressedGemm cg{gs, input, bias, output, s4 ? Int4Weights(*filter) : Int8Weights(*filter, 0),
                        mult, shift, act->min, act->max};
      cg.int4_source = s4;
      cg.lut_source = LutIndexBits(ctx.graph(), *filter) > 0;
      if (LowerCompressedGemm(ctx, cg, out)) return Status::Ok();
    }
    if (!s4 && LowerConvGemm(ctx, gs, *input, Int8Weights(*filter, filter_offset), bias, *output, mult,
                      shift, act->min, act->max, out)) {
      return Status::Ok();
    }
  }
  CStruct params("tml_fully_connected_s8_params_t", ctx.Sym("params"));
  params.Field("batches", batches).Field("accum_depth", accum).Field("output_depth", out_depth)
      .Field("input_offset", -input->zero_point())
      .Field("filter_offset", -filter->zero_point())
      .Field("output_offset", output->zero_point());
  if (filter->quant.per_channel()) {
    std::vector<int32_t> mult, shift;
    ConvPerChannelMultipliers(*input, *filter, *output, out_depth, &mult, &shift);
    out->decls += CArray("int32_t", ctx.Sym("multiplier"), mult);
    out->decls += CArray("int32_t", ctx.Sym("shift"), shift);
    params.Field("output_multiplier", 0).Field("output_shift", 0)
        .Field("per_channel_multiplier", ctx.Sym("multiplier"))
        .Field("per_channel_shift", ctx.Sym("shift"));
  } else {
    // TFLM (GetQuantizedConvolutionMultipler as built in pip tflite-micro
    // 0.dev20261023182759): the input*filter scale product in double.
    const double product = static_cast<double>(input->scale()) * static_cast<double>(filter->scale());
    const QuantizedMultiplier q = QuantizeMultiplier(product / static_cast<double>(output->scale()));
    params.Field("output_multiplier", q.multiplier).Field("output_shift", q.shift)
        .Field("per_channel_multiplier", "NULL").Field("per_channel_shift", "NULL");
  }
  params.Field("act_min", act->min).Field("act_max", act->max);
  out->decls += params.Str();
  if (s4) {
    // Row by row over every batch: never in place. Scratch: one unpacked row.
    out->kernels = {"tml_fast_common.h", "tml_s4_common.h", "tml_fully_connected.h",
                    "tml_fully_connected_s4.h"};
    out->scratch_bytes = accum;
  } else {
    out->kernels = {"tml_fully_connected.h"};
  }
  out->body = fmt::format("tml_fully_connected_s{}(&{}, {}, {}, {}, {}{});", s4 ? 4 : 8,
                          ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(filter), ctx.Ptr(bias),
                          ctx.Ptr(output), s4 ? ", (int8_t *)(void *)@S@" : "");
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  return g.tensors[op.outputs[0]].NumElements() * g.tensors[op.inputs[1]].shape[1];
}

}  // namespace

extern const OpDef kFullyConnected = {9, "FULLY_CONNECTED",
    "int8 (int8 weights per tensor or per channel, int4 weights per tensor, int32 bias); int16 x int8 weights (int64 or int32 bias); float32",
    Lower, Macs};

}  // namespace tinymlc
