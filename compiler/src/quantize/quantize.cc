// `tinymlc quantize`: calibration, the converter's rules per operator, and the writer
// (tinymlc/quantize.h). The writer edits the model's own flatbuffer through flatc's
// object API, so every table the quantizer does not touch is written back as read.
#include "tinymlc/quantize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <optional>

#include "quantize/calibrate.h"
#include "tflite_subset_generated.h"
#include "tinymlc/importer.h"

namespace tinymlc {

namespace {

using namespace qop;  // NOLINT: the builtin codes
constexpr size_t kHistogramBins = 2048;

std::vector<float> FloatsOf(const Tensor& t) {
  std::vector<float> v(t.data.size() / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), t.data.data(), v.size() * sizeof(float));
  return v;
}

template <typename T>
std::vector<uint8_t> BytesOf(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// What becomes of one tensor.
struct TensorPlan {
  // kConstInt8: weights (int8 in both modes); kConstAct: a constant in the activations'
  // type (int8, or int16 in 16x8); kConstBias: int32 bias (int64 in 16x8).
  enum Kind { kKeep, kActivation, kConstInt8, kConstAct, kConstBias } kind = kKeep;
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t axis = 0;
  std::vector<uint8_t> data;  // constants
};

struct Plan {
  std::vector<TensorPlan> tensors;
  // Requantizing QUANTIZE before operator `op` for its input `slot` (CONCATENATION).
  struct Requant {
    int op, slot;
    QuantParams q;
  };
  std::vector<Requant> requants;
  // A constant input `slot` of operator `op` that gets its own copy of the tensor.
  struct Copy {
    int op, slot;
    TensorPlan plan;
  };
  std::vector<Copy> copies;
};

// A constant input's quantization. A constant that another operator already quantized
// differently (converters share equal constants, e.g. zero biases) gets a copy of its own.
void PlanConstant(const Operator& op, size_t slot, TensorPlan plan, Plan* out) {
  const int t = op.inputs[slot];
  TensorPlan& cur = out->tensors[t];
  if (cur.kind != TensorPlan::kKeep) {
    if (cur.kind == plan.kind && cur.scales == plan.scales && cur.zero_points == plan.zero_points &&
        cur.data == plan.data) {
      return;
    }
    out->copies.push_back({op.index, static_cast<int>(slot), std::move(plan)});
    return;
  }
  cur = std::move(plan);
}

TensorPlan ActivationPlan(const QuantParams& q) {
  TensorPlan p;
  p.kind = TensorPlan::kActivation;
  p.scales = {q.scale};
  p.zero_points = {q.zero_point};
  return p;
}

// A float constant in the activations' type (int16 in 16x8) with parameters q.
TensorPlan ConstActPlan(const std::vector<float>& v, const QuantParams& q, bool int16) {
  TensorPlan p = ActivationPlan(q);
  p.kind = TensorPlan::kConstAct;
  const double lo = int16 ? -32768.0 : -128.0, hi = int16 ? 32767.0 : 127.0;
  std::vector<int16_t> values(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const double r = std::round(static_cast<double>(v[i]) / q.scale) + q.zero_point;
    values[i] = static_cast<int16_t>(std::min(hi, std::max(lo, r)));
  }
  if (int16) {
    p.data = BytesOf(values);
  } else {
    std::vector<int8_t> bytes(values.begin(), values.end());
    p.data = BytesOf(bytes);
  }
  return p;
}

// A float constant quantized over its own range, like an activation.
TensorPlan OwnRangePlan(const std::vector<float>& v, bool int16) {
  float lo = 0.0f, hi = 0.0f;
  for (float x : v) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  return ConstActPlan(v, int16 ? ChooseActivationParams16(lo, hi) : ChooseActivationParams(lo, hi), int16);
}

QuantParams ParamsOf(const TensorPlan& p) {
  return {p.scales.empty() ? 1.0f : p.scales[0],
          p.zero_points.empty() ? 0 : static_cast<int32_t>(p.zero_points[0])};
}

// The converter's rules, operator by operator.
Result<Plan> MakePlan(const Graph& g, const std::vector<TensorRange>& ranges,
                      const QuantizeOptions& opts) {
  Plan plan;
  plan.tensors.resize(g.tensors.size());
  const bool int16 = opts.int16_activations;
  auto calibrated = [&](int t) {
    float lo = 0.0f, hi = 0.0f;
    ChooseRange(ranges[t], opts.method, opts.percentile, &lo, &hi, int16);
    return int16 ? ChooseActivationParams16(lo, hi) : ChooseActivationParams(lo, hi);
  };
  for (int t : g.inputs) plan.tensors[t] = ActivationPlan(calibrated(t));
  const int num_ops = g.subgraphs.empty() ? static_cast<int>(g.ops.size()) : g.subgraphs[0].num_ops;
  for (int i = 0; i < num_ops; ++i) {
    const Operator& op = g.ops[i];
    const int out = op.outputs[0];
    // Every non-constant input has parameters by now (validated: written before read).
    const QuantOpRule* rule = FindQuantOpRule(op.builtin_code);
    if (int16 && !rule->int16) {
      return AtOp(Status::Error("TFLM has no int16 kernel for this operator (16x8): quantize with "
                                "--activations int8"),
                  op);
    }
    const int data = op.inputs[static_cast<size_t>(rule->data_input)];
    if (rule->rule == OutputRule::kSameAsInput && g.tensors[data].is_constant &&
        g.tensors[data].dtype == DType::kFloat32) {
      // Data from a float constant (a GATHER table, a padded constant): its own range.
      PlanConstant(op, static_cast<size_t>(rule->data_input), OwnRangePlan(FloatsOf(g.tensors[data]), int16),
                   &plan);
    }
    QuantParams out_q;
    switch (rule->rule) {
      case OutputRule::kFixed:
        out_q = int16                        ? QuantParams{1.0f / 32768.0f, 0}
                : op.builtin_code == kTanh ? QuantParams{1.0f / 128.0f, 0}
                                             : QuantParams{1.0f / 256.0f, -128};
        break;
      case OutputRule::kSameAsInput:
        out_q = ParamsOf(plan.tensors[data]);
        break;
      default:
        out_q = calibrated(out);
    }
    for (int o : op.outputs) plan.tensors[o] = ActivationPlan(out_q);
    const bool conv = op.builtin_code == kConv2D, dw = op.builtin_code == kDepthwiseConv2D,
               fc = op.builtin_code == kFullyConnected, tconv = op.builtin_code == kTransposeConv;
    // TRANSPOSE_CONV: output_shape, weights, input, bias; the others input, weights, bias.
    const size_t in_slot = tconv ? 2 : 0, bias_slot = tconv ? 3 : 2;
    for (size_t slot = 0; slot < op.inputs.size(); ++slot) {
      const int t = op.inputs[slot];
      if (t < 0) continue;
      const Tensor& tensor = g.tensors[t];
      if (!tensor.is_constant || tensor.dtype != DType::kFloat32) continue;
      if (rule->rule == OutputRule::kSameAsInput && t == data) continue;  // planned above
      const std::vector<float> v = FloatsOf(tensor);
      if ((conv || dw || fc || tconv) && slot == 1) {
        const int axis = dw ? 3 : 0;
        const bool per_channel = !(fc && opts.per_tensor_fully_connected);
        const SymmetricWeights w = QuantizeWeightsSymmetric(v, tensor.shape, axis, per_channel);
        TensorPlan p;
        p.kind = TensorPlan::kConstInt8;
        p.scales = w.scales;
        p.zero_points.assign(w.scales.size(), 0);
        p.axis = per_channel ? axis : 0;
        p.data = BytesOf(w.values);
        PlanConstant(op, slot, std::move(p), &plan);
      } else if ((conv || dw || fc || tconv) && slot == bias_slot) {
        const TensorPlan* wp = &plan.tensors[op.inputs[1]];
        for (const Plan::Copy& c : plan.copies) {
          if (c.op == op.index && c.slot == 1) wp = &c.plan;
        }
        if (wp->kind != TensorPlan::kConstInt8) {
          return AtOp(Status::Error("the weights (input 1) must be a float32 constant to quantize the bias"), op);
        }
        const float in_scale = ParamsOf(plan.tensors[op.inputs[in_slot]]).scale;
        TensorPlan p;
        p.kind = TensorPlan::kConstBias;
        if (int16) {
          const QuantizedBias64 b = QuantizeBiasInt64(v, in_scale, wp->scales);
          p.scales = b.scales;
          p.data = BytesOf(b.values);
        } else {
          const QuantizedBias b = QuantizeBiasInt32(v, in_scale, wp->scales);
          p.scales = b.scales;
          p.data = BytesOf(b.values);
        }
        p.zero_points.assign(p.scales.size(), 0);
        PlanConstant(op, slot, std::move(p), &plan);
      } else if (op.builtin_code == kAdd || op.builtin_code == kSub || op.builtin_code == kMul) {
        // A constant operand: its own range, like an activation.
        PlanConstant(op, slot, OwnRangePlan(v, int16), &plan);
      } else if (FindQuantOpRule(op.builtin_code)->rule == OutputRule::kSharedWithInputs ||
                 (op.builtin_code == kPadV2 && slot == 2)) {
        // Shares the output's parameters (PADV2: the padding value).
        PlanConstant(op, slot, ConstActPlan(v, out_q, int16), &plan);
      } else if (op.builtin_code == kPrelu && slot == 1) {
        // alpha: its own range.
        PlanConstant(op, slot, OwnRangePlan(v, int16), &plan);
      } else {
        Status s = Status::Error(fmt::format("float32 constant input {} has no quantization rule", slot));
        AtOp(s, op);
        return AtTensor(s, tensor);
      }
    }
    if (FindQuantOpRule(op.builtin_code)->rule == OutputRule::kSharedWithInputs) {
      for (size_t slot = 0; slot < op.inputs.size(); ++slot) {
        const int t = op.inputs[slot];
        if (t < 0 || g.tensors[t].is_constant) continue;
        const QuantParams q = ParamsOf(plan.tensors[t]);
        if (q.scale != out_q.scale || q.zero_point != out_q.zero_point) {
          plan.requants.push_back({i, static_cast<int>(slot), out_q});
        }
      }
    }
  }
  return plan;
}

std::unique_ptr<tflite::QuantizationParametersT> QuantOf(const TensorPlan& p) {
  auto q = std::make_unique<tflite::QuantizationParametersT>();
  q->scale = p.scales;
  q->zero_point = p.zero_points;
  q->quantized_dimension = p.axis;
  return q;
}

uint32_t OpcodeIndex(tflite::ModelT* m, int builtin) {
  for (size_t i = 0; i < m->operator_codes.size(); ++i) {
    const auto& c = *m->operator_codes[i];
    if (std::max<int>(c.deprecated_builtin_code, static_cast<int>(c.builtin_code)) == builtin) {
      return static_cast<uint32_t>(i);
    }
  }
  auto c = std::make_unique<tflite::OperatorCodeT>();
  c->deprecated_builtin_code = static_cast<int8_t>(builtin < 127 ? builtin : 127);
  c->builtin_code = static_cast<tflite::BuiltinOperator>(builtin);
  c->version = 1;
  m->operator_codes.push_back(std::move(c));
  return static_cast<uint32_t>(m->operator_codes.size() - 1);
}

std::unique_ptr<tflite::OperatorT> MakeOp(tflite::ModelT* m, int builtin, int in, int out) {
  auto op = std::make_unique<tflite::OperatorT>();
  op->opcode_index = OpcodeIndex(m, builtin);
  op->inputs = {in};
  op->outputs = {out};
  return op;
}

int AddActTensor(tflite::SubGraphT* sg, const tflite::TensorT& like, const std::string& suffix,
                 const QuantParams& q, tflite::TensorType type) {
  auto t = std::make_unique<tflite::TensorT>();
  t->shape = like.shape;
  t->shape_signature = like.shape_signature;
  t->type = type;
  t->buffer = 0;
  t->name = like.name + suffix;
  t->quantization = QuantOf(ActivationPlan(q));
  sg->tensors.push_back(std::move(t));
  return static_cast<int>(sg->tensors.size() - 1);
}

// Applies the plan to the model's flatbuffer and serializes it.
Result<std::vector<uint8_t>> Write(const std::vector<uint8_t>& bytes, const Graph& g, const Plan& plan,
                                   const QuantizeOptions& opts) {
  std::unique_ptr<tflite::ModelT> m = tflite::UnPackModel(bytes.data());
  if (!m || m->subgraphs.size() != 1) return Status::Error("internal error: the model has no single subgraph");
  tflite::SubGraphT* sg = m->subgraphs[0].get();
  const bool int16 = opts.int16_activations;
  const tflite::TensorType act_type = int16 ? tflite::TensorType::INT16 : tflite::TensorType::INT8;
  auto const_type = [&](TensorPlan::Kind k) {
    return k == TensorPlan::kConstInt8 ? tflite::TensorType::INT8
           : k == TensorPlan::kConstAct ? act_type
           : int16                      ? tflite::TensorType::INT64
                                        : tflite::TensorType::INT32;
  };
  std::vector<bool> replaced_buffer(m->buffers.size(), false);
  for (size_t t = 0; t < plan.tensors.size(); ++t) {
    const TensorPlan& p = plan.tensors[t];
    tflite::TensorT& tt = *sg->tensors[t];
    switch (p.kind) {
      case TensorPlan::kKeep: continue;
      case TensorPlan::kActivation: tt.type = act_type; break;
      case TensorPlan::kConstInt8:
      case TensorPlan::kConstAct:
      case TensorPlan::kConstBias: {
        tt.type = const_type(p.kind);
        if (tt.buffer < replaced_buffer.size()) replaced_buffer[tt.buffer] = true;
        auto b = std::make_unique<tflite::BufferT>();
        b->data = p.data;
        m->buffers.push_back(std::move(b));
        tt.buffer = static_cast<uint32_t>(m->buffers.size() - 1);
        break;
      }
    }
    tt.quantization = QuantOf(p);
  }
  for (const Plan::Copy& c : plan.copies) {
    const tflite::TensorT& orig = *sg->tensors[static_cast<size_t>(sg->operators[c.op]->inputs[c.slot])];
    auto t = std::make_unique<tflite::TensorT>();
    t->shape = orig.shape;
    t->shape_signature = orig.shape_signature;
    t->name = fmt::format("{}_op{}", orig.name, g.ops[c.op].local_index);
    t->type = const_type(c.plan.kind);
    auto b = std::make_unique<tflite::BufferT>();
    b->data = c.plan.data;
    m->buffers.push_back(std::move(b));
    t->buffer = static_cast<uint32_t>(m->buffers.size() - 1);
    t->quantization = QuantOf(c.plan);
    sg->tensors.push_back(std::move(t));
    sg->operators[c.op]->inputs[c.slot] = static_cast<int32_t>(sg->tensors.size() - 1);
  }
  // Buffers no tensor reads any more lose their float bytes.
  std::vector<bool> used(m->buffers.size(), false);
  for (const auto& s : m->subgraphs) {
    for (const auto& t : s->tensors) {
      if (t->buffer < used.size()) used[t->buffer] = true;
    }
  }
  for (const auto& md : m->metadata) {
    if (md->buffer < used.size()) used[md->buffer] = true;
  }
  for (int b : m->metadata_buffer) {
    if (b >= 0 && static_cast<size_t>(b) < used.size()) used[b] = true;
  }
  for (size_t b = 0; b < replaced_buffer.size(); ++b) {
    if (replaced_buffer[b] && !used[b]) m->buffers[b]->data.clear();
  }

  // Float graph edges: QUANTIZE after each input, DEQUANTIZE before each output.
  std::vector<std::unique_ptr<tflite::OperatorT>> first, last;
  if (!opts.int8_io) {
    std::map<int, int> remap;  // float tensor -> its int8 twin
    for (int in : g.inputs) {
      tflite::TensorT& t = *sg->tensors[in];
      const int q = AddActTensor(sg, t, int16 ? "_int16" : "_int8", ParamsOf(plan.tensors[in]), act_type);
      t.type = tflite::TensorType::FLOAT32;
      t.quantization.reset();
      remap[in] = q;
      first.push_back(MakeOp(m.get(), kQuantize, in, q));
    }
    for (int out : g.outputs) {
      if (remap.count(out)) continue;  // a graph input passed through: stays float
      tflite::TensorT& t = *sg->tensors[out];
      const int q = AddActTensor(sg, t, int16 ? "_int16" : "_int8", ParamsOf(plan.tensors[out]), act_type);
      t.type = tflite::TensorType::FLOAT32;
      t.quantization.reset();
      remap[out] = q;
      last.push_back(MakeOp(m.get(), kDequantize, q, out));
    }
    for (auto& op : sg->operators) {
      for (int32_t& t : op->inputs) {
        if (remap.count(t)) t = remap[t];
      }
      for (int32_t& t : op->outputs) {
        if (remap.count(t)) t = remap[t];
      }
    }
  }
  std::vector<std::unique_ptr<tflite::OperatorT>> ops = std::move(first);
  for (size_t i = 0; i < sg->operators.size(); ++i) {
    for (const Plan::Requant& r : plan.requants) {
      if (r.op != static_cast<int>(i)) continue;
      int32_t& in = sg->operators[i]->inputs[static_cast<size_t>(r.slot)];
      const int q = AddActTensor(sg, *sg->tensors[in], fmt::format("_requant{}", i), r.q, act_type);
      ops.push_back(MakeOp(m.get(), kQuantize, in, q));
      in = q;
    }
    ops.push_back(std::move(sg->operators[i]));
  }
  for (auto& op : last) ops.push_back(std::move(op));
  sg->operators = std::move(ops);

  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(tflite::Model::Pack(fbb, m.get()), tflite::ModelIdentifier());
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace

Result<std::vector<uint8_t>> QuantizeModel(const std::vector<uint8_t>& model,
                                           const std::string& source_name,
                                           const CalibrationData& calibration,
                                           const QuantizeOptions& options) {
  auto imported = ImportTfliteBuffer(model.data(), model.size(), source_name);
  if (!imported.ok()) return imported.status();
  const Graph& g = imported.value();
  auto fail = [&](Status s) { return s.WithFile(source_name); };
  if (g.subgraphs.size() > 1) {
    return fail(Status::Error(fmt::format("the model has {} subgraphs; the quantizer takes one",
                                          g.subgraphs.size())));
  }
  for (const std::vector<int>* list : {&g.inputs, &g.outputs}) {
    for (int t : *list) {
      if (g.tensors[t].dtype != DType::kFloat32) {
        return fail(AtTensor(Status::Error(fmt::format("graph input/output is {}; the quantizer takes "
                                                       "float32 models",
                                                       DTypeName(g.tensors[t].dtype))),
                             g.tensors[t]));
      }
    }
  }
  if (options.method == CalibrationMethod::kPercentile &&
      !(options.percentile > 50.0 && options.percentile <= 100.0)) {
    return fail(Status::Error(fmt::format("percentile {} is not in (50, 100]", options.percentile)));
  }
  if (calibration.samples.empty()) return fail(Status::Error("no calibration samples"));
  FloatEvaluator eval;
  Status s = eval.Init(g);
  if (!s.ok()) return fail(s);

  // Pass 1: min/max of every float tensor; pass 2 (percentile, MSE): histograms.
  std::vector<TensorRange> ranges(g.tensors.size());
  bool non_finite = false;
  int bad_tensor = -1;
  auto record = [&](int t, const float* v, size_t n) {
    TensorRange& r = ranges[t];
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(v[i])) {
        non_finite = true;
        bad_tensor = t;
        continue;
      }
      if (!r.seen) {
        r.min = r.max = v[i];
        r.seen = true;
      }
      r.min = std::min(r.min, v[i]);
      r.max = std::max(r.max, v[i]);
    }
  };
  for (const auto& sample : calibration.samples) {
    s = eval.Run(sample, record);
    if (!s.ok()) return fail(s);
  }
  if (non_finite) {
    return fail(AtTensor(Status::Error("the float model computes a non-finite value on the calibration "
                                       "data"),
                         g.tensors[bad_tensor]));
  }
  if (options.method != CalibrationMethod::kMinMax) {
    for (TensorRange& r : ranges) {
      if (r.seen && r.max > r.min) r.histogram.assign(kHistogramBins, 0);
    }
    auto bin = [&](int t, const float* v, size_t n) {
      TensorRange& r = ranges[t];
      if (r.histogram.empty()) return;
      const double width = (static_cast<double>(r.max) - r.min) / kHistogramBins;
      for (size_t i = 0; i < n; ++i) {
        const double k = (static_cast<double>(v[i]) - r.min) / width;
        r.histogram[std::min(kHistogramBins - 1, static_cast<size_t>(std::max(0.0, k)))] += 1;
      }
    };
    for (const auto& sample : calibration.samples) {
      s = eval.Run(sample, bin);
      if (!s.ok()) return fail(s);
    }
  }

  auto plan = MakePlan(g, ranges, options);
  if (!plan.ok()) return fail(plan.status());
  auto out = Write(model, g, plan.value(), options);
  if (!out.ok()) return fail(out.status());
  // The result must import (a self-check of the writer).
  auto check = ImportTfliteBuffer(out->data(), out->size(), source_name + " (quantized)");
  if (!check.ok()) return check.status();
  return out;
}

Result<std::vector<uint8_t>> QuantizeTfliteFile(const std::string& float_path,
                                                const std::string& calibration_dir,
                                                const QuantizeOptions& options) {
  std::ifstream f(float_path, std::ios::binary);
  if (!f) return Status::Error(fmt::format("{}: cannot read the model", float_path));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto graph = ImportTfliteBuffer(bytes.data(), bytes.size(), float_path);
  if (!graph.ok()) return graph.status();
  auto data = LoadCalibrationDir(calibration_dir, graph.value());
  if (!data.ok()) return data.status();
  return QuantizeModel(bytes, float_path, data.value(), options);
}

}  // namespace tinymlc
