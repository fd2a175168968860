// UNIDIRECTIONAL_SEQUENCE_LSTM: int8 input/output, int8 weights, int32 biases, int8
// hidden (output) state and int16 cell state as VARIABLE tensors (arena, persist
// across invokes, restored by NAME_reset()). TFLM micro (90b983c) supports only the
// standard LSTM: all 4 gates (no CIFG), no peephole, projection or layer norm, cell
// gate TANH. Its integer path ignores the `intermediates` tensors: the gate
// pre-activations are in Q3.12 (scale 2^-12) and the gate outputs in Q0.15, so
//   gate FC:   double(x_scale) * double(w_scale) / 2^-12      (x = input or hidden)
//   forget*cell -> cell: 2^-15 * cell_scale / cell_scale
//   input*cell_gate -> cell: 2^-15 * 2^-15 / cell_scale
//   tanh(cell)*output -> hidden: 2^-15 * 2^-15 / hidden_scale, + hidden zero point
// (all through QuantizeMultiplier), tanh of the cell state with the cell scale's
// rounded log2 (CheckedLog2, float), cell clip = int16(cell_clip / cell_scale).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

// TFLite's input indices.
enum : int {
  kInput = 0,
  kInputToInput = 1,   // 1..4: input, forget, cell, output gate
  kRecurrentToInput = 5,  // 5..8
  kInputBias = 12,     // 12..15
  kHiddenState = 18,
  kCellState = 19,
};
constexpr const char* kGateNames[4] = {"input", "forget", "cell", "output"};
constexpr float kGateInputScale = 0.000244140625f;       // 2^-12
constexpr double kGateOutputScale = 0.000030517578125;   // 2^-15

Status CheckAbsent(const LowerContext& ctx, int first, int last, const char* what) {
  for (int i = first; i <= last; ++i) {
    if (ctx.In(i)) {
      return ctx.Error(fmt::format("{} (input {}) is not supported (TFLM's integer LSTM has "
                                   "none)",
                                   what, i),
                       ctx.In(i));
    }
  }
  return Status::Ok();
}

Status CheckWeights(const LowerContext& ctx, const Tensor* w, int32_t rows, int32_t cols) {
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, w, DType::kInt8));
  if (w->shape != std::vector<int32_t>{rows, cols}) {
    return ctx.Error(fmt::format("weights have shape [{}], expected [{},{}]",
                                 fmt::join(w->shape, ","), rows, cols),
                     w);
  }
  if (w->quant.per_channel()) {
    return ctx.Error("per-channel weights are not supported (TFLM's LSTM uses one scale)", w);
  }
  return CheckWeightQuant(ctx, w, 0, rows);
}

// QuantizeMultiplier(double(a) * double(b) / double(c)): TFLM's per-tensor FC
// (GetQuantizedConvolutionMultipler, in double in the TFLM that runs).
QuantizedMultiplier FcMultiplier(float a, float b, float c) {
  return QuantizeMultiplier(static_cast<double>(a) * static_cast<double>(b) / static_cast<double>(c));
}

std::string Gate(const QuantizedMultiplier& in, const QuantizedMultiplier& rec) {
  return fmt::format("{{ .input_multiplier = {}, .input_shift = {}, .recurrent_multiplier = {}, "
                     ".recurrent_shift = {} }}",
                     in.multiplier, in.shift, rec.multiplier, rec.shift);
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (ctx.NumInputs() != 24 || ctx.NumOutputs() != 1) {
    return ctx.Error(fmt::format("expects 24 inputs and 1 output, has {} and {}", ctx.NumInputs(),
                                 ctx.NumOutputs()));
  }
  const auto& o = std::get<SequenceLstmOptions>(ctx.op().options);
  const Tensor* input = ctx.In(kInput);
  const Tensor* hidden = ctx.In(kHiddenState);
  const Tensor* cell = ctx.In(kCellState);
  const Tensor* output = ctx.Out(0);
  if (!input || !hidden || !cell) {
    return ctx.Error("the input, output state (18) and cell state (19) are required");
  }
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, hidden, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, cell, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, DType::kInt8));
  for (const Tensor* t : {input, hidden, cell}) TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, t));
  for (const Tensor* t : {hidden, cell}) {
    if (!t->is_variable) return ctx.Error("state tensors must be variable tensors", t);
  }
  TINYMLC_RETURN_IF_ERROR(CheckAbsent(ctx, 9, 11, "a peephole weight"));
  TINYMLC_RETURN_IF_ERROR(CheckAbsent(ctx, 16, 17, "projection"));
  TINYMLC_RETURN_IF_ERROR(CheckAbsent(ctx, 20, 23, "layer normalization"));
  if (o.activation != Activation::kTanh) {
    return ctx.Error(fmt::format("cell gate activation {} is not supported (TFLM: TANH)",
                                 ActivationName(o.activation)));
  }
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 3));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, hidden, 2));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 3));
  const int32_t batches = o.time_major ? input->shape[1] : input->shape[0];
  const int32_t steps = o.time_major ? input->shape[0] : input->shape[1];
  const int32_t input_size = input->shape[2], state = hidden->shape[1];
  for (int g = 0; g < 4; ++g) {
    const Tensor* w = ctx.In(kInputToInput + g);
    const Tensor* r = ctx.In(kRecurrentToInput + g);
    const Tensor* b = ctx.In(kInputBias + g);
    if (!w || !r || !b) {
      return ctx.Error(fmt::format("the {} gate's weights and bias are required (CIFG is not "
                                   "supported)",
                                   kGateNames[g]));
    }
    TINYMLC_RETURN_IF_ERROR(CheckWeights(ctx, w, state, input_size));
    TINYMLC_RETURN_IF_ERROR(CheckWeights(ctx, r, state, state));
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, b, DType::kInt32));
    if (b->shape != std::vector<int32_t>{state}) {
      return ctx.Error(fmt::format("bias has shape [{}], expected [{}]", fmt::join(b->shape, ","), state),
                       b);
    }
  }
  if (hidden->NumElements() != int64_t{batches} * state || cell->NumElements() != int64_t{batches} * state) {
    return ctx.Error(fmt::format("state tensors must hold {} x {} values", batches, state), cell);
  }
  if (output->shape != std::vector<int32_t>{input->shape[0], input->shape[1], state}) {
    return ctx.Error(fmt::format("output shape [{}] does not match input [{}] and state size {}",
                                 fmt::join(output->shape, ","), fmt::join(input->shape, ","), state),
                     output);
  }

  // Tanh of the cell state: TFLM's CheckedLog2 (float log, rounded), then
  // tanh_input_left_shift = 15 + power - 3; a negative shift becomes multiplier 3
  // with a right shift, otherwise the multiplier is 3 << shift (no right shift).
  const float cell_scale = cell->scale();
  const float log2_scale = std::log(cell_scale) * (1.0f / std::log(2.0f));
  const int32_t power = static_cast<int32_t>(std::round(log2_scale));
  const int32_t tanh_shift = 15 + power - 3;
  if (tanh_shift > 13) {
    return ctx.Error(fmt::format("cell state scale {} is too large for TFLM's int16 tanh "
                                 "(at most 2^1)",
                                 cell_scale),
                     cell);
  }
  const int32_t tanh_multiplier = tanh_shift >= 0 ? 3 << tanh_shift : 3;
  const int32_t tanh_right_shift = tanh_shift >= 0 ? 0 : -tanh_shift;
  const double clip = static_cast<double>(o.cell_clip) / static_cast<double>(cell_scale);
  const int16_t cell_clip = static_cast<int16_t>(std::min(std::max(clip, -32768.0), 32767.0));

  const QuantizedMultiplier forget_cell =
      QuantizeMultiplier(kGateOutputScale * static_cast<double>(cell_scale) / static_cast<double>(cell_scale));
  const QuantizedMultiplier input_cell =
      QuantizeMultiplier(kGateOutputScale * kGateOutputScale / static_cast<double>(cell_scale));
  const QuantizedMultiplier hidden_mul =
      QuantizeMultiplier(kGateOutputScale * kGateOutputScale / static_cast<double>(hidden->scale()));
  std::string gates[4];
  for (int g = 0; g < 4; ++g) {
    gates[g] = Gate(FcMultiplier(input->scale(), ctx.In(kInputToInput + g)->scale(), kGateInputScale),
                    FcMultiplier(hidden->scale(), ctx.In(kRecurrentToInput + g)->scale(), kGateInputScale));
  }

  out->kernels = {"tml_fixedpoint.h", "tml_sigmoid_lut.h", "tml_logistic.h", "tml_tanh.h",
                  "tml_lstm.h"};
  out->decls =
      CStruct("tml_lstm_s8_params_t", ctx.Sym("params"))
          .Field("batches", batches).Field("time_steps", steps)
          .Field("input_size", input_size).Field("state_size", state)
          .Field("time_major", o.time_major ? 1 : 0)
          .Field("input_offset", -input->zero_point())
          .Field("hidden_offset", -hidden->zero_point())
          .Field("input_gate", gates[0]).Field("forget_gate", gates[1])
          .Field("cell_gate", gates[2]).Field("output_gate", gates[3])
          .Field("forget_cell_multiplier", forget_cell.multiplier)
          .Field("forget_cell_shift", forget_cell.shift)
          .Field("input_cell_multiplier", input_cell.multiplier)
          .Field("input_cell_shift", input_cell.shift)
          .Field("hidden_multiplier", hidden_mul.multiplier)
          .Field("hidden_shift", hidden_mul.shift)
          .Field("hidden_zero_point", hidden->zero_point())
          .Field("use_cell_clip", o.cell_clip > 0.0f ? 1 : 0)
          .Field("cell_clip", o.cell_clip > 0.0f ? cell_clip : 0)
          .Field("cell_tanh", fmt::format("{{ .size = {}, .input_multiplier = {}, .input_left_shift = {} }}",
                                          state, tanh_multiplier, tanh_right_shift))
          .Field("gate_sigmoid", fmt::format("{{ .size = {}, .input_multiplier = 3, .input_left_shift = 0 }}", state))
          .Field("gate_tanh", fmt::format("{{ .size = {}, .input_multiplier = 3, .input_left_shift = 0 }}", state))
          .Str();
  std::string tensors;
  auto field = [&](const char* name, const Tensor* t) {
    tensors += fmt::format("\n      .{} = {},", name, ctx.Ptr(t));
  };
  field("input", input);
  static const char* kIn[4] = {"input_to_input", "input_to_forget", "input_to_cell", "input_to_output"};
  static const char* kRec[4] = {"recurrent_to_input", "recurrent_to_forget", "recurrent_to_cell",
                                "recurrent_to_output"};
  static const char* kBias[4] = {"input_bias", "forget_bias", "cell_bias", "output_bias"};
  for (int g = 0; g < 4; ++g) field(kIn[g], ctx.In(kInputToInput + g));
  for (int g = 0; g < 4; ++g) field(kRec[g], ctx.In(kRecurrentToInput + g));
  for (int g = 0; g < 4; ++g) field(kBias[g], ctx.In(kInputBias + g));
  field("hidden", hidden);
  field("cell", cell);
  field("output", output);
  // TFLM requests four [batches x state] int16 buffers; one step of one batch row
  // needs three [state] ones here.
  out->scratch_bytes = int64_t{3} * state * 2;
  out->body = fmt::format("{{\n    const tml_lstm_s8_tensors_t tensors = {{{}\n    }};\n"
                          "    tml_lstm_s8(&{}, &tensors, (int16_t *)(void *)@S@);\n  }}",
                          tensors, ctx.Sym("params"));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  const Tensor& in = g.tensors[op.inputs[kInput]];
  const Tensor& hidden = g.tensors[op.inputs[kHiddenState]];
  const int64_t rows = in.NumElements() / std::max(1, in.shape.back());
  const int64_t state = hidden.shape.size() == 2 ? hidden.shape[1] : 0;
  return rows * 4 * state * (in.shape.back() + state);
}

}  // namespace

extern const OpDef kUnidirectionalSequenceLstm = {
    44, "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "int8 (int16 cell state, int8 weights, TFLM integer LSTM)", Lower, Macs};

}  // namespace tinymlc
