// Random configuration sweeps of the layer operators (issue 4): TRANSPOSE_CONV,
// BATCH_MATMUL, L2_NORMALIZATION, SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM. Every
// configuration is built with model_builder, compiled with tinymlc, run as C, and every
// layer compared with the independent C++ reference (compile_harness.h).
//
// Recurrent state: the sweeps start every case from the initial state (the runner
// calls NAME_reset(), the reference starts fresh), which checks NAME_reset(); the
// *StatePersists tests run all cases of a model without reset and compare case k with
// the reference started from the state the reference left after case k-1.
//
// Counts: ~100 configurations per op by default (TINYMLC_SWEEP_COUNT=500 for a long
// run); seeds are fixed. A failing configuration is saved to
// tests/support/regressions/<OP>/ and replayed by regression_test.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "reference_ops.h"
#include "sweep_util.h"
#include "tflite_loader.h"

namespace tinymlc::testing {
namespace {

namespace fs = std::filesystem;

// ---- Random helpers (the shared ones: sweep_util.h) -------------------------------------

// An int16 constant (scale only, zero point 0).
TensorSpec ConstInt16(const std::string& name, std::vector<int32_t> shape,
                      const std::vector<int16_t>& v, float scale) {
  TensorSpec t = Quantized(name, DT::kInt16, std::move(shape), scale, 0);
  t.data = PackInt16(v);
  return t;
}

// ---- TRANSPOSE_CONV ---------------------------------------------------------------------

// Adds a TRANSPOSE_CONV after tensor x (NHWC int8); returns its output.
int AddTransposeConv(Rng& r, ModelSpec& m, int x, bool constant_input, std::string* desc) {
  const std::vector<int32_t> in_shape = m.tensors[x].shape;
  const int batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], in_c = in_shape[3];
  static const int kFilters[][2] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5},
                                    {1, 3}, {3, 1}, {2, 3}, {3, 2}};
  const auto& f = kFilters[r.Int(0, static_cast<int>(std::size(kFilters)) - 1)];
  TransposeConvOpts o;
  o.padding = Chance(r, 50) ? kSame : kValid;
  o.stride_h = r.Int(1, 3);
  o.stride_w = Chance(r, 70) ? o.stride_h : r.Int(1, 3);
  o.activation = RandomAct(r);
  const int fh = f[0], fw = f[1];
  const int out_c = Chance(r, 10) ? r.Int(9, 16) : r.Int(1, 8);
  // The size TFLite's converter gives; now and then any size (TFLM takes the output
  // tensor's shape as it is and derives the padding from it).
  auto natural = [&](int in, int filter, int stride) {
    return o.padding == kSame ? in * stride : (in - 1) * stride + filter;
  };
  int out_h = natural(in_h, fh, o.stride_h), out_w = natural(in_w, fw, o.stride_w);
  const bool odd_size = Chance(r, 20);
  if (odd_size) {
    out_h = r.Int(1, out_h + 2);
    out_w = r.Int(1, out_w + 2);
  }
  const bool per_channel = Chance(r, 50);
  const int bias_kind = r.Int(0, 3);  // 0, 1: bias; 2: -1; 3: three inputs
  const int64_t k = std::max<int64_t>(1, int64_t{fh} * fw * in_c / (o.stride_h * o.stride_w));
  const std::vector<float> ws = WeightScales(r, out_c, per_channel, /*tiny_channel=*/false);
  const float in_scale = m.tensors[x].scale0();
  const float out_scale = AccOutputScale(r, in_scale, ws[0], k);
  const int32_t out_zp = RandomZeroPoint(r);

  const int shape = m.AddTensor(
      ConstInt32("tconv/output_shape", {4}, {batches, out_h, out_w, out_c}));
  const int w = m.AddTensor(ConstInt8("tconv/filter", {out_c, fh, fw, in_c},
                                      Weights(r, int64_t{out_c} * fh * fw * in_c), ws));
  std::vector<int> inputs = {shape, w, x};
  if (bias_kind <= 1) {
    std::vector<float> bs;
    for (float s : ws) bs.push_back(in_scale * s);
    inputs.push_back(m.AddTensor(ConstInt32("tconv/bias", {out_c}, Bias(r, out_c, k), bs)));
  } else if (bias_kind == 2) {
    inputs.push_back(-1);
  }
  const int y =
      m.AddTensor(Int8Tensor("tconv/out", {batches, out_h, out_w, out_c}, out_scale, out_zp));
  m.AddOp(op::kTransposeConv, inputs, {y}, o);
  *desc += Fmt("TRANSPOSE_CONV%s in%s filter %dx%d -> %d out %dx%d%s %s stride %dx%d act %d %s%s "
               "in(s=%g,zp=%d) out(s=%g,zp=%d); ",
               constant_input ? " (constant input)" : "", Shape(in_shape).c_str(), fh, fw, out_c,
               out_h, out_w, odd_size ? " (any size)" : "", o.padding == kSame ? "SAME" : "VALID",
               o.stride_h, o.stride_w, o.activation, per_channel ? "per-channel" : "per-tensor",
               bias_kind <= 1 ? " bias" : " no-bias", in_scale, m.tensors[x].zero_point0(),
               out_scale, out_zp);
  return y;
}

SweepConfig GenTransposeConv(Rng& r, int) {
  ModelSpec m;
  const int batches = Chance(r, 80) ? 1 : 2;
  const std::vector<int32_t> shape = {batches, r.Int(1, 6), r.Int(1, 6), r.Int(1, 8)};
  const int x = m.AddTensor(Int8Tensor("x", shape, LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r)));
  m.inputs = {x};
  std::string desc;
  const int y = AddTransposeConv(r, m, x, false, &desc);
  return Finish(r, std::move(m), y, desc);
}

// ---- BATCH_MATMUL -----------------------------------------------------------------------

struct MatMulShapes {
  std::vector<int32_t> lhs, rhs, out;
  bool adj_x = false, adj_y = false;
};

// Random ranks 2..5 with broadcast batch dimensions, adj_x / adj_y.
MatMulShapes RandomMatMulShapes(Rng& r, int rows, int depth, int cols) {
  MatMulShapes s;
  const int out_rank = r.Int(2, 5);
  const int lhs_rank = Chance(r, 60) ? out_rank : r.Int(2, out_rank);
  const int rhs_rank = lhs_rank == out_rank && Chance(r, 50) ? r.Int(2, out_rank) : out_rank;
  std::vector<int32_t> lb(lhs_rank - 2), rb(rhs_rank - 2), ob(out_rank - 2);
  for (int d = 0; d < out_rank - 2; ++d) {
    const int dim = r.Int(1, 3);
    const int li = d - (out_rank - lhs_rank), ri = d - (out_rank - rhs_rank);
    int l = 1, rr = 1;
    if (li >= 0) l = lb[li] = Chance(r, 30) ? 1 : dim;
    if (ri >= 0) rr = rb[ri] = Chance(r, 30) ? 1 : dim;
    ob[d] = std::max(l, rr);
  }
  s.adj_x = Chance(r, 50);
  s.adj_y = Chance(r, 50);
  s.lhs = lb;
  s.rhs = rb;
  s.out = ob;
  const std::vector<int32_t> lm = s.adj_x ? std::vector<int32_t>{depth, rows}
                                          : std::vector<int32_t>{rows, depth};
  const std::vector<int32_t> rm = s.adj_y ? std::vector<int32_t>{cols, depth}
                                          : std::vector<int32_t>{depth, cols};
  s.lhs.insert(s.lhs.end(), lm.begin(), lm.end());
  s.rhs.insert(s.rhs.end(), rm.begin(), rm.end());
  s.out.push_back(rows);
  s.out.push_back(cols);
  return s;
}

// Adds BATCH_MATMUL(lhs, rhs); rhs (and lhs) may be constants made here.
int AddBatchMatMul(Rng& r, ModelSpec& m, int lhs, int rhs, const MatMulShapes& s, int depth,
                   std::string* desc) {
  const float ls = m.tensors[lhs].scale0(), rs = m.tensors[rhs].scale0();
  const float out_scale = AccOutputScale(r, ls, rs, depth);
  const int32_t out_zp = RandomZeroPoint(r);
  const int y = m.AddTensor(Int8Tensor("bmm/out", s.out, out_scale, out_zp));
  m.AddOp(op::kBatchMatMul, {lhs, rhs}, {y}, BatchMatMulOpts{s.adj_x, s.adj_y});
  *desc += Fmt("BATCH_MATMUL lhs%s%s%s rhs%s%s%s out%s lhs(s=%g,zp=%d) rhs(s=%g,zp=%d) "
               "out(s=%g,zp=%d); ",
               Shape(s.lhs).c_str(), s.adj_x ? " adj_x" : "",
               m.tensors[lhs].is_constant() ? " const" : "", Shape(s.rhs).c_str(),
               s.adj_y ? " adj_y" : "", m.tensors[rhs].is_constant() ? " const" : "",
               Shape(s.out).c_str(), ls, m.tensors[lhs].zero_point0(), rs,
               m.tensors[rhs].zero_point0(), out_scale, out_zp);
  return y;
}

TensorSpec RandomInt8Const(Rng& r, const std::string& name, const std::vector<int32_t>& shape) {
  TensorSpec t = Int8Tensor(name, shape, LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r));
  t.data = Int8Data(r, t.num_elements(), 0, 0);
  return t;
}

SweepConfig GenBatchMatMul(Rng& r, int) {
  ModelSpec m;
  const int rows = r.Int(1, 6), cols = r.Int(1, 6);
  const int depth = Chance(r, 10) ? r.Int(16, 40) : r.Int(1, 10);
  const MatMulShapes s = RandomMatMulShapes(r, rows, depth, cols);
  const int lhs = m.AddTensor(Int8Tensor("lhs", s.lhs, LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r)));
  m.inputs = {lhs};
  int rhs;
  if (Chance(r, 40)) {
    rhs = m.AddTensor(RandomInt8Const(r, "rhs", s.rhs));
  } else {
    rhs = m.AddTensor(Int8Tensor("rhs", s.rhs, LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r)));
    m.inputs.push_back(rhs);
  }
  std::string desc;
  const int y = AddBatchMatMul(r, m, lhs, rhs, s, depth, &desc);
  return Finish(r, std::move(m), y, desc);
}

// ---- L2_NORMALIZATION -------------------------------------------------------------------

int AddL2Norm(ModelSpec& m, int x, std::string* desc) {
  const TensorSpec& in = m.tensors[x];
  const int y = m.AddTensor(Int8Tensor("l2/out", in.shape, 1.0f / 128.0f, 0));
  m.AddOp(op::kL2Normalization, {x}, {y}, L2NormOpts{});
  *desc += Fmt("L2_NORMALIZATION%s in%s(s=%g,zp=%d); ", in.is_constant() ? " (constant input)" : "",
               Shape(in.shape).c_str(), in.scale0(), in.zero_point0());
  return y;
}

SweepConfig GenL2Norm(Rng& r, int) {
  ModelSpec m;
  std::vector<int32_t> shape(r.Int(1, 4));
  for (auto& d : shape) d = r.Int(1, 4);
  shape.back() = Chance(r, 10) ? r.Int(100, 300) : r.Int(1, 40);
  const int x = m.AddTensor(Int8Tensor("x", shape, LogUniform(r, 0.001f, 1.0f), RandomZeroPoint(r)));
  m.inputs = {x};
  std::string desc;
  const int y = AddL2Norm(m, x, &desc);
  SweepConfig c = Finish(r, std::move(m), y, desc);
  // Rows with a single non-zero element (|x| = 1: the sum-of-squares <= 1 branch).
  std::vector<int8_t> v(static_cast<size_t>(c.spec.tensors[x].num_elements()),
                        static_cast<int8_t>(c.spec.tensors[x].zero_point0()));
  const int32_t zp = c.spec.tensors[x].zero_point0();
  for (size_t i = 0; i < v.size(); i += static_cast<size_t>(shape.back())) {
    v[i] = static_cast<int8_t>(zp < 127 ? zp + 1 : zp - 1);
  }
  c.cases.push_back({PackInt8(v)});
  return c;
}

// ---- SVDF -------------------------------------------------------------------------------

int AddSvdf(Rng& r, ModelSpec& m, int x, std::string* desc) {
  const TensorSpec in = m.tensors[x];
  const int batches = in.shape[0], input_size = in.shape[1];
  SvdfOpts o;
  o.rank = r.Int(1, 3);
  o.activation = Chance(r, 80) ? kActNone : kActRelu;  // TFLM's integer SVDF ignores it
  const int units = r.Int(1, 8), memory = r.Int(1, 10), filters = units * o.rank;
  // int8 time weights and state (TFLM's EvalInt8SvdfReference) in a third of the models.
  const bool s8 = Chance(r, 33);
  const double state_steps = s8 ? 60.0 : 4000.0;
  const float wf_scale = LogUniform(r, 1e-3f, 0.05f);
  const double acc1 = 5400.0 * std::sqrt(static_cast<double>(input_size));
  // The feature sums land in about +-state_steps state steps (sometimes saturating).
  const float state_scale =
      static_cast<float>(in.scale0() * wf_scale * acc1 / state_steps * LogUniform(r, 0.25f, 4.0f));
  const int32_t state_zp = Chance(r, 85) ? 0 : s8 ? r.Int(-40, 40) : r.Int(-300, 300);
  const float wt_scale = LogUniform(r, 1e-5f, 1e-3f);
  const int wt_span = s8 ? (Chance(r, 20) ? 127 : r.Int(10, 127))
                         : (Chance(r, 20) ? 32767 : r.Int(100, 20000));
  std::vector<int16_t> wt(static_cast<size_t>(filters) * memory);
  for (auto& v : wt) v = static_cast<int16_t>(r.Int(-wt_span, wt_span));
  const double acc2 = state_steps * wt_span / 1.7 * std::sqrt(static_cast<double>(memory * o.rank));
  const float out_scale = static_cast<float>(state_scale * wt_scale * acc2 / 50.0 *
                                             LogUniform(r, 0.25f, 4.0f));
  const int32_t out_zp = RandomZeroPoint(r);
  const float bias_scale = state_scale * wt_scale;
  std::vector<int32_t> bias(units);
  for (auto& b : bias) b = r.Int(-200000, 200000);

  const int wf = m.AddTensor(ConstInt8("svdf/weights_feature", {filters, input_size},
                                       Weights(r, int64_t{filters} * input_size), {wf_scale}));
  std::vector<int8_t> wt8(wt.begin(), wt.end());
  const int wtt = m.AddTensor(s8 ? ConstInt8("svdf/weights_time", {filters, memory}, wt8, {wt_scale})
                                 : ConstInt16("svdf/weights_time", {filters, memory}, wt, wt_scale));
  const int bt = m.AddTensor(ConstInt32("svdf/bias", {units}, bias, {bias_scale}));
  TensorSpec state = Quantized("svdf/state", s8 ? DT::kInt8 : DT::kInt16,
                               {batches, memory * filters}, state_scale, state_zp);
  state.is_variable = true;
  const bool initial_state = Chance(r, 40);
  if (initial_state) {
    std::vector<int16_t> s0(static_cast<size_t>(batches) * memory * filters);
    for (auto& v : s0) v = static_cast<int16_t>(s8 ? r.Int(-128, 127) : r.Int(-8000, 8000));
    state.data = s8 ? PackInt8(std::vector<int8_t>(s0.begin(), s0.end())) : PackInt16(s0);
  }
  const int st = m.AddTensor(state);
  const int y = m.AddTensor(Int8Tensor("svdf/out", {batches, units}, out_scale, out_zp));
  m.AddOp(op::kSvdf, {x, wf, wtt, bt, st}, {y}, o);
  *desc += Fmt("SVDF%s batches %d input %d rank %d units %d memory %d act %d in(s=%g,zp=%d) "
               "feature s=%g state(s=%g,zp=%d%s) time(s=%g,span %d) out(s=%g,zp=%d); ",
               s8 ? " (int8 time/state)" : "", batches, input_size, o.rank, units, memory,
               o.activation, in.scale0(),
               in.zero_point0(), wf_scale, state_scale, state_zp,
               initial_state ? ", initial data" : "", wt_scale, wt_span, out_scale, out_zp);
  return y;
}

SweepConfig GenSvdf(Rng& r, int) {
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {r.Int(1, 3), r.Int(1, 20)}, LogUniform(r, 0.005f, 0.1f),
                                       RandomZeroPoint(r)));
  m.inputs = {x};
  std::string desc;
  const int y = AddSvdf(r, m, x, &desc);
  return Finish(r, std::move(m), y, desc);
}

// ---- UNIDIRECTIONAL_SEQUENCE_LSTM ---------------------------------------------------------

// Adds an int8 LSTM (24 inputs, TANH cell gate) after x [batch, time, in] (or [time,
// batch, in]); returns its output.
int AddLstm(Rng& r, ModelSpec& m, int x, bool time_major, std::string* desc) {
  const TensorSpec in = m.tensors[x];
  const int batches = time_major ? in.shape[1] : in.shape[0];
  const int n_in = in.shape[2], n_state = r.Int(1, 8);
  LstmOpts o;
  o.time_major = time_major;
  // Cell state scale: usually a power of two (2^-11 from the converter), sometimes not
  // (TFLM rounds its log2).
  const int cell_pow = r.Int(-15, -8);
  const float cell_scale = std::ldexp(Chance(r, 80) ? 1.0f : r.Uniform(0.8f, 1.3f), cell_pow);
  o.cell_clip = Chance(r, 50) ? 0.0f : LogUniform(r, 0.05f, 10.0f);
  const float h_scale = LogUniform(r, 0.003f, 0.02f);
  const int32_t h_zp = RandomZeroPoint(r);
  std::vector<int> inputs(24, -1);
  inputs[0] = x;
  std::string gates;
  for (int g = 0; g < 4; ++g) {
    // Pre-activations of a few units in Q3.12 (sometimes saturating the int16 sums).
    const float w_s = static_cast<float>(2.0 / (in.scale0() * 5400.0 * std::sqrt(double(n_in))) *
                                         LogUniform(r, 0.1f, 4.0f));
    const float r_s = static_cast<float>(2.0 / (h_scale * 5400.0 * std::sqrt(double(n_state))) *
                                         LogUniform(r, 0.1f, 4.0f));
    inputs[1 + g] = m.AddTensor(ConstInt8("lstm/input_w" + std::to_string(g), {n_state, n_in},
                                          Weights(r, int64_t{n_state} * n_in), {w_s}));
    inputs[5 + g] = m.AddTensor(ConstInt8("lstm/recurrent_w" + std::to_string(g), {n_state, n_state},
                                          Weights(r, int64_t{n_state} * n_state), {r_s}));
    inputs[12 + g] = m.AddTensor(ConstInt32("lstm/bias" + std::to_string(g), {n_state},
                                            Bias(r, n_state, n_in), {in.scale0() * w_s}));
    gates += Fmt(" w%d=%g r%d=%g", g, w_s, g, r_s);
  }
  TensorSpec h = Int8Tensor("lstm/output_state", {batches, n_state}, h_scale, h_zp);
  TensorSpec cs = Quantized("lstm/cell_state", DT::kInt16, {batches, n_state}, cell_scale, 0);
  h.is_variable = cs.is_variable = true;
  const bool initial_state = Chance(r, 40);
  if (initial_state) {
    h.data = Int8Data(r, h.num_elements(), 0, 0);
    std::vector<int16_t> c0(static_cast<size_t>(cs.num_elements()));
    for (auto& v : c0) v = static_cast<int16_t>(r.Int(-20000, 20000));
    cs.data = PackInt16(c0);
  }
  inputs[18] = m.AddTensor(h);
  inputs[19] = m.AddTensor(cs);
  const int y = m.AddTensor(Int8Tensor("lstm/out", {in.shape[0], in.shape[1], n_state}, h_scale, h_zp));
  m.AddOp(op::kUnidirectionalSequenceLstm, inputs, {y}, o);
  *desc += Fmt("UNIDIRECTIONAL_SEQUENCE_LSTM in%s%s state %d in(s=%g,zp=%d) hidden(s=%g,zp=%d) "
               "cell s=%g clip %g%s scales%s; ",
               Shape(in.shape).c_str(), time_major ? " time-major" : "", n_state, in.scale0(),
               in.zero_point0(), h_scale, h_zp, cell_scale, o.cell_clip,
               initial_state ? " initial state" : "", gates.c_str());
  return y;
}

SweepConfig GenLstm(Rng& r, int) {
  ModelSpec m;
  const bool time_major = Chance(r, 30);
  const int batches = r.Int(1, 3), steps = r.Int(1, 5);
  const std::vector<int32_t> shape = time_major ? std::vector<int32_t>{steps, batches, r.Int(1, 10)}
                                                : std::vector<int32_t>{batches, steps, r.Int(1, 10)};
  const int x = m.AddTensor(Int8Tensor("x", shape, LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r)));
  m.inputs = {x};
  std::string desc;
  const int y = AddLstm(r, m, x, time_major, &desc);
  return Finish(r, std::move(m), y, desc);
}

// ---- Small multi-op models ----------------------------------------------------------------

// A constant subgraph folded by the compiler (TRANSPOSE_CONV, BATCH_MATMUL or
// L2_NORMALIZATION with constant inputs) feeding a BATCH_MATMUL with a graph input.
SweepConfig GenFolded(Rng& r, int i) {
  ModelSpec m;
  std::string desc;
  int folded = -1;
  switch (i % 3) {
    case 0: {
      const int x = m.AddTensor(RandomInt8Const(r, "x", {1, r.Int(1, 3), r.Int(1, 3), r.Int(1, 4)}));
      folded = AddTransposeConv(r, m, x, true, &desc);
      break;
    }
    case 1: {
      const int rows = r.Int(1, 4), depth = r.Int(1, 6), cols = r.Int(1, 4);
      MatMulShapes s = RandomMatMulShapes(r, rows, depth, cols);
      const int lhs = m.AddTensor(RandomInt8Const(r, "lhs", s.lhs));
      const int rhs = m.AddTensor(RandomInt8Const(r, "rhs", s.rhs));
      folded = AddBatchMatMul(r, m, lhs, rhs, s, depth, &desc);
      break;
    }
    default: {
      std::vector<int32_t> shape(r.Int(2, 4));
      for (auto& d : shape) d = r.Int(1, 5);
      const int x = m.AddTensor(RandomInt8Const(r, "x", shape));
      folded = AddL2Norm(m, x, &desc);
      break;
    }
  }
  MatMulShapes s;
  s.lhs = m.tensors[folded].shape;
  const int depth = s.lhs.back(), cols = r.Int(1, 4);
  s.rhs = {depth, cols};
  s.out = s.lhs;
  s.out.back() = cols;
  const int z = m.AddTensor(Int8Tensor("z", s.rhs, LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r)));
  m.inputs = {z};
  const int y = AddBatchMatMul(r, m, folded, z, s, depth, &desc);
  return Finish(r, std::move(m), y, desc);
}

// x -> TRANSPOSE_CONV -> L2_NORMALIZATION -> BATCH_MATMUL(., y) -> SVDF-free tail, or
// x -> SVDF -> BATCH_MATMUL with a constant rhs -> L2_NORMALIZATION.
SweepConfig GenChain(Rng& r, int i) {
  ModelSpec m;
  std::string desc;
  int out;
  if (i % 2 == 0) {
    const int x = m.AddTensor(Int8Tensor("x", {1, r.Int(1, 4), r.Int(1, 4), r.Int(1, 6)},
                                         LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r)));
    m.inputs = {x};
    int t = AddTransposeConv(r, m, x, false, &desc);
    t = AddL2Norm(m, t, &desc);
    MatMulShapes s;
    s.lhs = m.tensors[t].shape;
    const int depth = s.lhs.back(), cols = r.Int(1, 5);
    s.adj_y = Chance(r, 50);
    s.rhs = s.adj_y ? std::vector<int32_t>{cols, depth} : std::vector<int32_t>{depth, cols};
    s.out = s.lhs;
    s.out.back() = cols;
    const int y = m.AddTensor(Int8Tensor("y", s.rhs, LogUniform(r, 0.005f, 0.1f), RandomZeroPoint(r)));
    m.inputs.push_back(y);
    out = AddBatchMatMul(r, m, t, y, s, depth, &desc);
  } else {
    const int x = m.AddTensor(Int8Tensor("x", {r.Int(1, 2), r.Int(1, 12)}, LogUniform(r, 0.005f, 0.1f),
                                         RandomZeroPoint(r)));
    m.inputs = {x};
    int t = AddSvdf(r, m, x, &desc);
    MatMulShapes s;
    s.lhs = m.tensors[t].shape;
    const int depth = s.lhs.back(), cols = r.Int(1, 6);
    s.rhs = {depth, cols};
    s.out = {s.lhs[0], cols};
    const int w = m.AddTensor(RandomInt8Const(r, "w", s.rhs));
    t = AddBatchMatMul(r, m, t, w, s, depth, &desc);
    out = AddL2Norm(m, t, &desc);
  }
  return Finish(r, std::move(m), out, desc);
}

// ---- Tests ------------------------------------------------------------------------------

TEST(SweepLayers, TransposeConv) {
  ExpectClean(RunSweep("TRANSPOSE_CONV", SweepCount(100), 4001, GenTransposeConv));
}

TEST(SweepLayers, BatchMatMul) {
  ExpectClean(RunSweep("BATCH_MATMUL", SweepCount(100), 4002, GenBatchMatMul));
}

TEST(SweepLayers, L2Normalization) {
  ExpectClean(RunSweep("L2_NORMALIZATION", SweepCount(100), 4003, GenL2Norm));
}

TEST(SweepLayers, Svdf) { ExpectClean(RunSweep("SVDF", SweepCount(100), 4004, GenSvdf)); }

TEST(SweepLayers, UnidirectionalSequenceLstm) {
  ExpectClean(RunSweep("UNIDIRECTIONAL_SEQUENCE_LSTM", SweepCount(100), 4005, GenLstm));
}

TEST(SweepLayers, ConstantSubgraphsFolded) {
  ExpectClean(RunSweep("LAYERS_FOLDED", SweepCount(30), 4006, GenFolded));
}

TEST(SweepLayers, Chains) { ExpectClean(RunSweep("LAYERS_CHAIN", SweepCount(30), 4007, GenChain)); }

// One batch of every kind through clang (other warnings and optimiser).
TEST(SweepLayers, MixedWithClang) {
  if (!ProgramAvailable("clang")) GTEST_SKIP() << "clang not installed";
  HarnessOptions opts;
  opts.cc = "clang";
  const auto gen = [](Rng& r, int i) {
    switch (i % 6) {
      case 0: return GenTransposeConv(r, i);
      case 1: return GenBatchMatMul(r, i);
      case 2: return GenL2Norm(r, i);
      case 3: return GenSvdf(r, i);
      case 4: return GenLstm(r, i);
      default: return GenChain(r, i);
    }
  };
  ExpectClean(RunSweep("LAYERS_MIXED_CLANG", SweepCount(24), 4008, gen, opts));
}

// Runs every case of each model in sequence WITHOUT NAME_reset() in between and checks
// case k against the reference started from the variable tensors' values after case
// k-1: the state written by one invoke is what the next invoke reads.
void ExpectStatePersists(const std::function<SweepConfig(Rng&, int)>& gen, int count,
                         uint64_t seed) {
  std::vector<ModelSpec> models;
  std::vector<Cases> inputs;
  for (int i = 0; i < count; ++i) {
    Rng r(seed + static_cast<uint64_t>(i) * 7919);
    SweepConfig c = gen(r, i);
    models.push_back(c.spec);
    inputs.push_back(c.cases);
  }
  HarnessOptions opts;
  opts.reset_each_case = false;
  const BatchResult br = CompileAndRunBatch(models, inputs, opts);
  ASSERT_TRUE(br.ok) << br.error;
  int carried = 0;
  for (size_t i = 0; i < models.size(); ++i) {
    ModelSpec spec = models[i];
    ASSERT_EQ(br.results[i].size(), inputs[i].size());
    for (size_t k = 0; k < inputs[i].size(); ++k) {
      const std::string d = CompareWithReference(spec, inputs[i][k], br.results[i][k]);
      EXPECT_EQ(d, "") << "model " << i << " case " << k << ": " << d << "\n" << DescribeModel(spec);
      if (!d.empty()) break;
      // The next invoke starts from the state this one left.
      const ReferenceResult ref = RunReferenceAll(spec, inputs[i][k]);
      ASSERT_TRUE(ref.ok) << ref.error;
      for (size_t t = 0; t < spec.tensors.size(); ++t) {
        if (!spec.tensors[t].is_variable) continue;
        if (spec.tensors[t].data != ref.tensors[t]) ++carried;
        spec.tensors[t].data = ref.tensors[t];
      }
    }
  }
  EXPECT_GT(carried, 0) << "no invoke changed a variable tensor: the test checks nothing";
}

TEST(SweepLayers, SvdfStatePersistsAcrossInvokes) { ExpectStatePersists(GenSvdf, 12, 4104); }

TEST(SweepLayers, LstmStatePersistsAcrossInvokes) { ExpectStatePersists(GenLstm, 12, 4105); }

// ---- TFLM's own LSTM unit test ---------------------------------------------------------------
// tflite-micro's unidirectional_sequence_lstm_test.cc (TestUnidirectionalLSTMInt8): the
// 2x3x2x2 model of testdata/lstm_test_data.cc quantized as its test quantizes it; TFLM
// accepts outputs within 1e-2 of the float goldens. An independent check of the gate
// order, the state handling and the scales (the sweeps compare with this project's own
// reference only).
TEST(SweepLayersTflm, LstmUnitTestGoldens) {
  // FloatToQuantizedType / FloatToSymmetricQuantizedType (micro_utils.h).
  auto quantize = [](const std::vector<float>& v, float scale, int zp, int lo, int hi) {
    std::vector<int32_t> q;
    for (float x : v) q.push_back(std::min(hi, std::max(lo, static_cast<int32_t>(std::round(x / scale)) + zp)));
    return q;
  };
  auto to8 = [](const std::vector<int32_t>& v) { return std::vector<int8_t>(v.begin(), v.end()); };
  const float in_s = 0.00784313725490196f, h_s = 0.004705882165580988f, cell_s = 0.00024414062f;
  const int h_zp = -21;
  struct Gate {
    std::vector<float> w, r, b;
    float w_s, b_s;
  };
  // TFLite input order: input, forget, cell, output gate.
  const Gate gates[4] = {
      {{10, 10, 20, 20}, {10, 10, 20, 20}, {-1, -2}, 0.15748031496062992f, 0.0012351397251814111f},
      {{-10, -10, -20, -20}, {-10, -10, -20, -20}, {1, 2}, 0.15748031496062992f, 0.0012351397251814111f},
      {{1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0}, 0.007874015748031496f, 6.175698625907056e-5f},
      {{1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0}, 0.007874015748031496f, 6.175698625907056e-5f}};
  ModelSpec m;
  std::vector<int> inputs(24, -1);
  inputs[0] = m.AddTensor(Int8Tensor("input", {2, 3, 2}, in_s, 0));
  for (int g = 0; g < 4; ++g) {
    inputs[1 + g] = m.AddTensor(ConstInt8("w", {2, 2}, to8(quantize(gates[g].w, gates[g].w_s, 0, -127, 127)), {gates[g].w_s}));
    inputs[5 + g] = m.AddTensor(ConstInt8("r", {2, 2}, to8(quantize(gates[g].r, gates[g].w_s, 0, -127, 127)), {gates[g].w_s}));
    inputs[12 + g] = m.AddTensor(ConstInt32("b", {2}, quantize(gates[g].b, gates[g].b_s, 0, -2147483647, 2147483647), {gates[g].b_s}));
  }
  TensorSpec h = Int8Tensor("output_state", {2, 2}, h_s, h_zp);
  h.is_variable = true;
  h.data = PackInt8(std::vector<int8_t>(4, static_cast<int8_t>(h_zp)));  // real 0
  TensorSpec cs = Quantized("cell_state", DT::kInt16, {2, 2}, cell_s, 0);
  cs.is_variable = true;
  inputs[18] = m.AddTensor(h);
  inputs[19] = m.AddTensor(cs);
  const int y = m.AddTensor(Int8Tensor("output", {2, 3, 2}, h_s, h_zp));
  LstmOpts o;
  o.cell_clip = 6.0f;
  o.proj_clip = 3.0f;
  m.AddOp(op::kUnidirectionalSequenceLstm, inputs, {y}, o);
  m.inputs = {inputs[0]};
  m.outputs = {y};
  const std::vector<float> x = {0.2f, 0.3f, 0.2f, 0.3f, 0.2f, 0.3f, -0.98f, 0.62f, 0.01f, 0.99f, 0.49f, -0.32f};
  const std::vector<float> expected = {0.26455893f, 0.26870455f, 0.47935803f, 0.47937014f,
                                       0.58013272f, 0.58013278f, -1.41184672e-3f, -1.43329117e-5f,
                                       0.46887168f, 0.46891281f, 0.50054074f, 0.50054148f};
  const Cases cases = {{PackInt8(to8(quantize(x, in_s, 0, -128, 127)))}};
  const BatchResult br = CompileAndRunBatch({m}, {cases});
  ASSERT_TRUE(br.ok) << br.error;
  const std::vector<int8_t> got = UnpackInt8(br.results[0][0].outputs[0]);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(h_s * static_cast<float>(got[i] - h_zp), expected[i], 1e-2f) << "output " << i;
  }
  EXPECT_EQ(CompareWithReference(m, cases[0], br.results[0][0]), "");
}

// tflite-micro's svdf_test.cc (SvdfQuantized2x2Input2x4OutputShouldMatchGoldenInt16):
// ten invokes on one model, the int16 state carried from one to the next, RELU in the
// options (ignored by TFLM's integer path: the goldens have negative values). TFLM
// accepts every output within 1 of the quantized float golden; the cases also match
// the reference bit for bit with the state chained.
TEST(SweepLayersTflm, SvdfUnitTestGoldens) {
  const std::vector<float> input = {
      0.12609188f,  -0.46347019f, 0.35867718f,  0.36897406f,  0.14278367f,  -1.64410412f,
      -0.57290924f, 0.12729003f,  0.49837467f,  0.19278903f,  0.17660543f,  0.52949083f,
      -0.11186574f, 0.13164264f,  -0.72674477f, -0.5683046f,  -0.68892461f, 0.37783599f,
      -0.63690937f, 0.44483393f,  -0.81299269f, -0.86831826f, -0.95760226f, 1.82078898f,
      -1.45006323f, -0.82251364f, -1.65087092f, -1.89238167f, 0.03966608f,  -0.24936394f,
      2.06740379f,  -1.51439476f, 0.11771342f,  -0.23761693f, 0.31088525f,  -1.55601168f,
      -0.89477462f, 1.67204106f,  -0.6230064f,  0.29819036f};
  const std::vector<float> feature = {
      -0.31930989f, 0.0079667f,  0.39296314f,  0.37613347f, 0.12416199f,  0.15785322f,
      0.27901134f,  0.3905206f,  0.21931258f,  -0.36137494f, -0.10640851f, 0.31053296f,
      -0.36118156f, -0.0976817f, -0.36916667f, 0.22197971f};
  const std::vector<float> time = {
      -0.31930989f, 0.37613347f,  0.27901134f,  -0.36137494f, -0.36118156f, 0.22197971f,
      0.27557442f,  -0.06634006f, 0.0079667f,   0.12416199f,  0.3905206f,   -0.10640851f,
      -0.0976817f,  0.15294972f,  0.39635518f,  -0.02702999f, 0.39296314f,  0.15785322f,
      0.21931258f,  0.31053296f,  -0.36916667f, 0.38031587f,  -0.21580373f, 0.27072677f,
      0.23622236f,  0.34936687f,  0.18174365f,  0.35907319f,  -0.17493086f, 0.324846f,
      -0.10781813f, 0.27201805f,  0.14324132f,  -0.23681851f, -0.27115166f, -0.01580888f,
      -0.14943552f, 0.15465137f,  0.09784451f,  -0.0337657f,  -0.14884081f, 0.19931212f,
      -0.36002168f, 0.34663299f,  -0.11405486f, 0.12672701f,  0.39463779f,  -0.07886535f,
      -0.06384811f, 0.08249187f,  -0.26816407f, -0.19905911f, 0.29211238f,  0.31264046f,
      -0.28664589f, 0.05698794f,  0.11613581f,  0.14078894f,  0.02187902f,  -0.21781836f,
      -0.15567942f, 0.08693647f,  -0.38256618f, 0.36580828f,  -0.22922277f, -0.0226903f,
      0.12878349f,  -0.28122205f, -0.10850525f, -0.11955214f, 0.27179423f,  -0.04710215f,
      0.31069002f,  0.22672787f,  0.09580326f,  0.08682203f,  0.1258215f,   0.1851041f,
      0.29228821f,  0.12366763f};
  const std::vector<float> golden = {
      -0.044205f, -0.013757f, 0.050369f,  -0.018447f, 0.073010f,  0.025142f,  -0.021154f,
      0.013551f,  -0.209613f, -0.062421f, 0.150209f,  -0.108334f, 0.028256f,  -0.006950f,
      -0.030885f, 0.009603f,  -0.076800f, -0.037075f, -0.087198f, -0.155183f, 0.091069f,
      0.098446f,  -0.016083f, 0.106475f,  -0.082123f, -0.162238f, -0.084434f, -0.141074f,
      -0.029340f, -0.090685f, 0.053302f,  -0.030604f, -0.201440f, 0.088424f,  0.139877f,
      0.012416f,  -0.113212f, 0.103893f,  -0.100842f, 0.122780f,  -0.166632f, -0.116705f,
      0.175298f,  -0.047163f, 0.313077f,  -0.166485f, -0.285860f, 0.129069f,  -0.625911f,
      0.046134f,  0.138081f,  -0.129581f, -0.521455f, -0.061579f, 0.230289f,  0.114963f,
      -0.216693f, -0.161643f, -0.179177f, -0.052599f, -0.213239f, 0.029502f,  0.260858f,
      0.275045f,  -0.213689f, -0.323608f, -0.285635f, -0.317687f, -0.324092f, -0.317972f,
      -0.208450f, -0.462504f, -0.255126f, -0.218576f, -0.041528f, 0.179421f,  -0.440583f,
      0.072127f,  -0.284136f, 0.241570f};
  // FloatToQuantizedType (micro_utils.h): round(x / scale) + zp, clamped.
  auto quantize = [](const std::vector<float>& v, float scale, int lo, int hi) {
    std::vector<int32_t> q;
    for (float x : v) q.push_back(std::min(hi, std::max(lo, static_cast<int32_t>(std::round(x / scale)))));
    return q;
  };
  const float in_s = 2.5f / 127, wf_s = 1.0f / 127, wt_s = 1.0f / 32767, st_s = 1.49f / 32767,
              out_s = 1.0f / 127;
  const std::vector<int32_t> wf = quantize(feature, wf_s, -128, 127);
  const std::vector<int32_t> wt = quantize(time, wt_s, -32768, 32767);
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("input", {2, 2}, in_s, 0));
  const int wft = m.AddTensor(ConstInt8("weights_feature", {8, 2}, std::vector<int8_t>(wf.begin(), wf.end()), {wf_s}));
  const int wtt = m.AddTensor(ConstInt16("weights_time", {8, 10}, std::vector<int16_t>(wt.begin(), wt.end()), wt_s));
  const int b = m.AddTensor(ConstInt32("bias", {4}, {0, 0, 0, 0}, {wt_s * st_s}));
  TensorSpec state = Quantized("activation_state", DT::kInt16, {2, 80}, st_s, 0);
  state.is_variable = true;
  const int st = m.AddTensor(state);
  const int y = m.AddTensor(Int8Tensor("output", {2, 4}, out_s, 0));
  m.AddOp(op::kSvdf, {x, wft, wtt, b, st}, {y}, SvdfOpts{2, kActRelu});
  m.inputs = {x};
  m.outputs = {y};
  const std::vector<int32_t> in_q = quantize(input, in_s, -128, 127);
  const std::vector<int32_t> golden_q = quantize(golden, out_s, -128, 127);
  Cases cases;
  for (size_t i = 0; i < in_q.size(); i += 4) {
    cases.push_back({PackInt8(std::vector<int8_t>(in_q.begin() + static_cast<long>(i),
                                                  in_q.begin() + static_cast<long>(i) + 4))});
  }
  HarnessOptions opts;
  opts.reset_each_case = false;
  const BatchResult br = CompileAndRunBatch({m}, {cases}, opts);
  ASSERT_TRUE(br.ok) << br.error;
  ModelSpec chained = m;
  for (size_t k = 0; k < cases.size(); ++k) {
    const std::vector<int8_t> got = UnpackInt8(br.results[0][k].outputs[0]);
    for (size_t j = 0; j < got.size(); ++j) {
      EXPECT_NEAR(got[j], golden_q[k * 8 + j], 1) << "invoke " << k << " output " << j;
    }
    EXPECT_EQ(CompareWithReference(chained, cases[k], br.results[0][k]), "") << "invoke " << k;
    chained.tensors[st].data = RunReferenceAll(chained, cases[k]).tensors[st];
  }
}

// ---- Prepare-time parameters --------------------------------------------------------------
// TFLM forms some scale ratios in float (BATCH_MATMUL's lhs * rhs scale, both SVDF
// ratios). That changes a multiplier by an LSB, which output comparisons almost never
// see, so these tests compile models whose float and double derivations differ and
// compare the constants in the generated C with the reference's derivation.

// The integer fields (".name = value,") of the generated C of a one-op model.
std::map<std::string, int64_t> CompiledFields(const ModelSpec& m, int id) {
  const fs::path dir = fs::temp_directory_path() /
                       ("tinymlc_layer_params_" + std::to_string(::getpid()) + "_" + std::to_string(id));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string error;
  EXPECT_TRUE(m.WriteFile((dir / "m.tflite").string(), &error)) << error;
  const std::string cmd = "'" + TinymlcPath() + "' compile '" + (dir / "m.tflite").string() +
                          "' -o '" + (dir / "m").string() + "' --name m > '" +
                          (dir / "log.txt").string() + "' 2>&1";
  std::map<std::string, int64_t> fields;
  if (std::system(cmd.c_str()) != 0) {
    ADD_FAILURE() << "tinymlc failed on " << DescribeModel(m);
    return fields;
  }
  std::ifstream in(dir / "m" / "m.c");
  const std::regex field(R"(^\s*\.(\w+) = (-?\d+),$)");
  std::smatch match;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, match, field)) fields[match[1]] = std::stoll(match[2]);
  }
  fs::remove_all(dir);
  return fields;
}

// Multipliers from a product taken in float vs in double (the two derivations).
bool FloatProductMatters(float a, float b, float c) {
  const ref::Multiplier f = ref::QuantizeMultiplier(static_cast<double>(a * b) / c);
  const ref::Multiplier d = ref::QuantizeMultiplier(static_cast<double>(a) * b / c);
  return f.multiplier != d.multiplier || f.shift != d.shift;
}

TEST(SweepLayersParams, BatchMatMulMultiplierUsesDoubleProduct) {
  Rng r(4201);
  int tested = 0;
  for (int attempt = 0; attempt < 1000 && tested < 12; ++attempt) {
    const float ls = LogUniform(r, 1e-3f, 0.2f), rs = LogUniform(r, 1e-3f, 0.2f),
                os = LogUniform(r, 1e-3f, 1.0f);
    if (!FloatProductMatters(ls, rs, os)) continue;
    ModelSpec m;
    const int a = m.AddTensor(Int8Tensor("a", {2, 3}, ls, 1));
    const int b = m.AddTensor(Int8Tensor("b", {3, 4}, rs, -2));
    const int y = m.AddTensor(Int8Tensor("y", {2, 4}, os, 3));
    m.AddOp(op::kBatchMatMul, {a, b}, {y}, BatchMatMulOpts{});
    m.inputs = {a, b};
    m.outputs = {y};
    const auto fields = CompiledFields(m, tested);
    const ref::Multiplier want = ref::FullyConnectedMultiplier(ls, rs, os);
    EXPECT_EQ(fields.count("output_multiplier") ? fields.at("output_multiplier") : -1, want.multiplier);
    EXPECT_EQ(fields.count("output_shift") ? fields.at("output_shift") : -99, want.shift);
    ++tested;
  }
  EXPECT_EQ(tested, 12);
}

TEST(SweepLayersParams, SvdfMultipliersUseDoubleRatios) {
  Rng r(4202);
  int tested = 0;
  for (int attempt = 0; attempt < 2000 && tested < 12; ++attempt) {
    const float in_s = LogUniform(r, 1e-3f, 0.2f), wf_s = LogUniform(r, 1e-3f, 0.05f),
                st_s = LogUniform(r, 1e-4f, 0.05f), wt_s = LogUniform(r, 1e-5f, 1e-3f),
                out_s = LogUniform(r, 1e-3f, 1.0f);
    // TFLM (the build that runs): double(in) * wf / state and double(state) * wt / out;
    // only scale sets where the older float ratios would differ are tested.
    const float s1 = in_s * wf_s / st_s, s2 = st_s * wt_s / out_s;
    const ref::Multiplier d1 = ref::QuantizeMultiplier(static_cast<double>(s1));
    const ref::Multiplier d2 = ref::QuantizeMultiplier(static_cast<double>(s2));
    const ref::Multiplier m1 =
        ref::QuantizeMultiplier(static_cast<double>(in_s) * wf_s / st_s);
    const ref::Multiplier m2 =
        ref::QuantizeMultiplier(static_cast<double>(st_s) * wt_s / out_s);
    if (m1.multiplier == d1.multiplier || m2.multiplier == d2.multiplier) continue;
    ModelSpec m;
    const int x = m.AddTensor(Int8Tensor("x", {1, 3}, in_s, 0));
    const int wf = m.AddTensor(ConstInt8("wf", {2, 3}, {1, 2, 3, 4, 5, 6}, {wf_s}));
    const int wt = m.AddTensor(ConstInt16("wt", {2, 2}, {1, 2, 3, 4}, wt_s));
    const int b = m.AddTensor(ConstInt32("b", {2}, {0, 0}, {st_s * wt_s}));
    TensorSpec st = Quantized("state", DT::kInt16, {1, 4}, st_s, 0);
    st.is_variable = true;
    const int sv = m.AddTensor(st);
    const int y = m.AddTensor(Int8Tensor("y", {1, 2}, out_s, 0));
    m.AddOp(op::kSvdf, {x, wf, wt, b, sv}, {y}, SvdfOpts{1, kActNone});
    m.inputs = {x};
    m.outputs = {y};
    const auto f = CompiledFields(m, 100 + tested);
    EXPECT_EQ(f.count("feature_multiplier") ? f.at("feature_multiplier") : -1, m1.multiplier);
    EXPECT_EQ(f.count("feature_shift") ? f.at("feature_shift") : -99, m1.shift);
    EXPECT_EQ(f.count("output_multiplier") ? f.at("output_multiplier") : -1, m2.multiplier);
    EXPECT_EQ(f.count("output_shift") ? f.at("output_shift") : -99, m2.shift);
    ++tested;
  }
  EXPECT_EQ(tested, 12);
}

// The regression replay reads saved .tflite files back with the loader: every layer
// option must survive Serialize -> LoadTfliteBuffer.
TEST(SweepLayersParams, OptionsRoundTrip) {
  TransposeConvOpts tc;
  tc.padding = kValid, tc.stride_w = 2, tc.stride_h = 3, tc.activation = kActRelu6;
  LstmOpts lstm;
  lstm.cell_clip = 2.5f, lstm.proj_clip = 1.5f, lstm.time_major = true;
  const std::vector<std::pair<int, OpOptions>> ops = {
      {op::kTransposeConv, tc},
      {op::kBatchMatMul, BatchMatMulOpts{true, false}},
      {op::kL2Normalization, L2NormOpts{kActRelu}},
      {op::kSvdf, SvdfOpts{3, kActRelu}},
      {op::kUnidirectionalSequenceLstm, lstm}};
  for (const auto& [code, options] : ops) {
    ModelSpec m;
    const int x = m.AddTensor(Int8Tensor("x", {1, 2}, 0.1f, 0));
    const int y = m.AddTensor(Int8Tensor("y", {1, 2}, 0.1f, 0));
    m.AddOp(code, {x}, {y}, options);
    m.inputs = {x};
    m.outputs = {y};
    const std::vector<uint8_t> bytes = m.Serialize();
    ModelSpec back;
    std::string error;
    ASSERT_TRUE(LoadTfliteBuffer(bytes.data(), bytes.size(), &back, &error)) << error;
    const OpOptions& got = back.ops.at(0).options;
    ASSERT_EQ(got.index(), options.index()) << BuiltinName(code);
    EXPECT_EQ(m.Serialize(), back.Serialize()) << BuiltinName(code);
  }
}

// ---- What TFLM rejects, tinymlc rejects with a clear message ------------------------------

TEST(SweepLayersErrors, RejectedLikeTflm) {
  const TensorSpec x8 = Quantized("x", DT::kInt8, {2, 3}, 0.05f, 3);
  const TensorSpec l2_out = Quantized("y", DT::kInt8, {2, 3}, 1.0f / 128, 0);
  // A valid SVDF: input [1, 4], 2 filters (rank 1, 2 units), memory 3.
  const TensorSpec sv_in = Quantized("x", DT::kInt8, {1, 4}, 0.05f, 0);
  const TensorSpec sv_wf = ConstInt8("wf", {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}, {0.01f});
  const TensorSpec sv_wt = ConstInt16("wt", {2, 3}, {1, 2, 3, 4, 5, 6}, 0.001f);
  const TensorSpec sv_bias = ConstInt32("b", {2}, {0, 0}, {0.001f * 0.01f});
  TensorSpec sv_state = Quantized("state", DT::kInt16, {1, 6}, 0.01f, 0);
  sv_state.is_variable = true;
  TensorSpec sv_state_const = sv_state;
  sv_state_const.is_variable = false;
  const TensorSpec sv_out = Quantized("y", DT::kInt8, {1, 2}, 0.1f, 0);
  TensorSpec sv_wt8 = ConstInt8("wt", {2, 3}, {1, 2, 3, 4, 5, 6}, {0.001f});
  TensorSpec sv_state8 = Quantized("state", DT::kInt8, {1, 6}, 0.01f, 0);
  sv_state8.is_variable = true;
  const TensorSpec bias_bad_scale = ConstInt32("b", {2}, {0, 0}, {0.5f});
  const TensorSpec tc_shape = ConstInt32("shape", {4}, {1, 4, 4, 2});
  const TensorSpec tc_filter = ConstInt8("f", {2, 3, 3, 5}, std::vector<int8_t>(90, 1), {0.01f});
  const TensorSpec tc_in = Quantized("x", DT::kInt8, {1, 2, 2, 3}, 0.05f, 0);
  const TensorSpec tc_out = Quantized("y", DT::kInt8, {1, 4, 4, 2}, 0.1f, 0);
  const std::vector<Rejection> cases = {
      {"L2_NORMALIZATION output not at scale 1/128",
       OneOp(op::kL2Normalization, {x8}, Quantized("y", DT::kInt8, {2, 3}, 0.01f, 0)), "1/128"},
      {"L2_NORMALIZATION with a fused activation",
       OneOp(op::kL2Normalization, {x8}, l2_out, L2NormOpts{kActRelu}), "fused activation RELU"},
      {"L2_NORMALIZATION of rank 5",
       OneOp(op::kL2Normalization, {Quantized("x", DT::kInt8, {1, 1, 1, 2, 3}, 0.05f, 3)},
             Quantized("y", DT::kInt8, {1, 1, 1, 2, 3}, 1.0f / 128, 0)),
       "rank 5 is not supported"},
      {"BATCH_MATMUL int16",
       OneOp(op::kBatchMatMul,
             {Quantized("a", DT::kInt16, {2, 3}, 0.01f, 0), Quantized("b", DT::kInt16, {3, 2}, 0.01f, 0)},
             Quantized("y", DT::kInt16, {2, 2}, 0.01f, 0)),
       "expected int8"},
      {"BATCH_MATMUL batch dimensions that do not broadcast",
       OneOp(op::kBatchMatMul,
             {Quantized("a", DT::kInt8, {2, 2, 3}, 0.01f, 0), Quantized("b", DT::kInt8, {3, 3, 2}, 0.01f, 0)},
             Quantized("y", DT::kInt8, {3, 2, 2}, 0.01f, 0)),
       "do not broadcast"},
      {"BATCH_MATMUL inner dimensions that differ",
       OneOp(op::kBatchMatMul,
             {Quantized("a", DT::kInt8, {2, 3}, 0.01f, 0), Quantized("b", DT::kInt8, {4, 2}, 0.01f, 0)},
             Quantized("y", DT::kInt8, {2, 2}, 0.01f, 0)),
       "inner dimensions differ"},
      {"TRANSPOSE_CONV filter depth other than the input depth",
       OneOp(op::kTransposeConv, {tc_shape, tc_filter, tc_in}, tc_out, TransposeConvOpts{}),
       "filter depth 5 differs"},
      {"SVDF without bias (TFLM's Prepare dereferences it)",
       [&] {
         ModelSpec m = OneOp(op::kSvdf, {sv_in, sv_wf, sv_wt, sv_bias, sv_state}, sv_out, SvdfOpts{});
         m.ops[0].inputs[3] = -1;
         return m;
       }(),
       "bias (input 3) is required"},
      {"SVDF with a state that is not a variable tensor",
       OneOp(op::kSvdf, {sv_in, sv_wf, sv_wt, sv_bias, sv_state_const}, sv_out, SvdfOpts{}),
       "must be a variable tensor"},
      {"SVDF with int8 weights_time but an int16 state (TFLM reads the state as the time weights' type)",
       OneOp(op::kSvdf, {sv_in, sv_wf, sv_wt8, sv_bias, sv_state}, sv_out, SvdfOpts{}),
       "(expected int8)"},
      {"SVDF with int16 weights_time but an int8 state",
       OneOp(op::kSvdf, {sv_in, sv_wf, sv_wt, sv_bias, sv_state8}, sv_out, SvdfOpts{}),
       "(expected int16)"},
      {"SVDF bias scale other than state scale x time scale",
       OneOp(op::kSvdf, {sv_in, sv_wf, sv_wt, bias_bad_scale, sv_state}, sv_out, SvdfOpts{}),
       "within 1e-5"},
      {"SVDF rank that does not divide the filters",
       OneOp(op::kSvdf, {sv_in, sv_wf, sv_wt, sv_bias, sv_state}, sv_out, SvdfOpts{3}),
       "rank 3 does not divide"},
      {"an operator outside the supported list (BIDIRECTIONAL_SEQUENCE_LSTM)",
       OneOp(52, {x8}, Quantized("y", DT::kInt8, {2, 3}, 0.05f, 0)), "unsupported operator"},
  };
  ExpectRejected(cases);
}

}  // namespace
}  // namespace tinymlc::testing
