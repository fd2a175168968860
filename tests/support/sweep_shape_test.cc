// Random configuration sweeps of the shape and data-movement operators (PAD ...
// SPACE_TO_BATCH_ND): random ranks, shapes, axes, masks, block sizes, element types
// (every type TFLM's kernel takes) and quantization. Every configuration is built with
// model_builder, compiled with tinymlc, run as C, and every layer compared with the
// independent C++ reference (compile_harness.h).
//
// About 1 configuration in 7 makes the op's data input constant: the op is then folded
// at compile time and its (constant) result is packed together with a graph input, so
// the folding code is checked against the reference too. The SHAPE sweep builds the
// usual constant shape computation SHAPE -> STRIDED_SLICE / SLICE -> PACK /
// CONCATENATION -> RESHAPE on an activation.
//
// Counts: 80 configurations per op by default (two batches of 40: the whole file takes
// about a minute of two cores; TINYMLC_SWEEP_COUNT=500 for a long run); seeds are fixed. A failing configuration is saved to
// tests/support/regressions/<OP>/ and replayed by regression_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "sweep_util.h"

namespace tinymlc::testing {
namespace {

// ---- Random helpers (the shared ones: sweep_util.h) -------------------------------------

template <typename T>
T Pick(Rng& r, std::initializer_list<T> v) {
  return *(v.begin() + r.Int(0, static_cast<int>(v.size()) - 1));
}

int64_t Elements(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int32_t d : s) n *= d;
  return n;
}

// A shape of `rank` dims in [1, max_dim] with at most ~max_elems elements.
std::vector<int32_t> RandomShape(Rng& r, int rank, int max_dim, int64_t max_elems = 3000) {
  std::vector<int32_t> s(rank);
  for (auto& d : s) d = r.Int(1, max_dim);
  while (Elements(s) > max_elems) {
    auto it = std::max_element(s.begin(), s.end());
    *it = std::max(1, *it / 2);
  }
  return s;
}

// Random values of any element type (floats finite, bools 0/1).
std::vector<uint8_t> RandomBytes(Rng& r, DT dt, int64_t n) {
  std::vector<uint8_t> b(static_cast<size_t>(n) * DTSize(dt));
  for (int64_t i = 0; i < n; ++i) {
    uint8_t* p = b.data() + i * DTSize(dt);
    if (dt == DT::kFloat32) {
      const float f = r.Uniform(-100.0f, 100.0f);
      std::memcpy(p, &f, 4);
    } else if (dt == DT::kBool) {
      *p = static_cast<uint8_t>(r.Int(0, 1));
    } else {
      for (int k = 0; k < DTSize(dt); ++k) p[k] = static_cast<uint8_t>(r.Int(0, 255));
    }
  }
  return b;
}

struct Quant {
  float scale = 0.0f;
  int32_t zero_point = 0;
};

// int8: any scale and zero point; int16: zero point 0; other types unquantized.
Quant RandomQuant(Rng& r, DT dt) {
  if (dt == DT::kInt8) return {r.Uniform(0.001f, 0.5f), r.Int(-128, 127)};
  if (dt == DT::kInt16) return {r.Uniform(0.0001f, 0.01f), 0};
  return {};
}

// Builds one configuration: data tensors are graph inputs, or constants (with random
// data) in a folding configuration.
struct Builder {
  Builder(Rng& rng, bool fold_data) : r(rng), fold(fold_data) {}
  Rng& r;
  bool fold;
  ModelSpec m;
  std::string desc;

  int Tensor(const std::string& name, DT dt, const std::vector<int32_t>& shape, Quant q) {
    TensorSpec t;
    t.name = name;
    t.dtype = dt;
    t.shape = shape;
    if (q.scale > 0.0f) {
      t.scale = {q.scale};
      t.zero_point = {q.zero_point};
    }
    return m.AddTensor(t);
  }
  // A data input of the op: a graph input, or a constant when folding.
  int Data(const std::string& name, DT dt, const std::vector<int32_t>& shape, Quant q) {
    const int t = Tensor(name, dt, shape, q);
    if (fold) {
      m.tensors[t].data = RandomBytes(r, dt, Elements(shape));
    } else {
      m.inputs.push_back(t);
    }
    return t;
  }
  int Input(const std::string& name, DT dt, const std::vector<int32_t>& shape, Quant q) {
    const int t = Tensor(name, dt, shape, q);
    m.inputs.push_back(t);
    return t;
  }
  int Ints(const std::string& name, const std::vector<int32_t>& shape,
           const std::vector<int64_t>& v, DT dt = DT::kInt32) {
    const int t = Tensor(name, dt, shape, {});
    if (dt == DT::kInt64) {
      m.tensors[t].data.resize(v.size() * 8);
      std::memcpy(m.tensors[t].data.data(), v.data(), v.size() * 8);
    } else {
      std::vector<int32_t> w(v.begin(), v.end());
      m.tensors[t].data = PackInt32(w);
    }
    return t;
  }

  // Graph outputs; a model without inputs (everything folded) gets one: its first
  // output is joined with a graph input of the same kind (PACK; CONCATENATION for bool,
  // which PACK lacks), so that code runs and reads the folded constant.
  SweepConfig Finish(const std::vector<int>& outputs) {
    m.outputs = outputs;
    if (m.inputs.empty()) {
      const TensorSpec y = m.tensors[outputs[0]];
      Quant q{y.scale0(), y.zero_point0()};
      const int x = Input("x", y.dtype, y.shape, q);
      const bool concat = y.dtype == DT::kBool && !y.shape.empty();
      std::vector<int32_t> joined = y.shape;
      if (concat) {
        joined[0] *= 2;
      } else {
        joined.insert(joined.begin(), 2);
      }
      const int z = Tensor("joined", y.dtype, joined, q);
      if (concat) {
        m.AddOp(op::kConcatenation, {x, outputs[0]}, {z}, ConcatenationOpts{0, kActNone});
      } else {
        m.AddOp(op::kPack, {x, outputs[0]}, {z}, PackOpts{2, 0});
      }
      m.outputs.push_back(z);
      desc += concat ? " (folded, then CONCATENATION with an input)"
                     : " (folded, then PACK with an input)";
    }
    m.description = desc;
    SweepConfig c;
    c.spec = m;
    for (int k = 0; k < 3; ++k) {
      std::vector<std::vector<uint8_t>> in;
      for (int t : m.inputs) {
        const TensorSpec& ts = m.tensors[t];
        in.push_back(RandomBytes(r, ts.dtype, ts.num_elements()));
      }
      c.cases.push_back(in);
    }
    return c;
  }
};

bool FoldThis(Rng& r, DT dt) { return dt != DT::kBool && Chance(r, 15); }

DT RandomType(Rng& r, std::initializer_list<DT> others) {
  if (Chance(r, 60)) return DT::kInt8;
  return Pick(r, others);
}

// ---- PAD / PADV2 ---------------------------------------------------------------------------
SweepConfig GenPad(Rng& r, int code) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const int rank = Pick(r, {1, 2, 3, 4, 4, 4, 5});
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 6, 800);
  std::vector<int64_t> pads;
  std::vector<int32_t> out_shape;
  for (int d = 0; d < rank; ++d) {
    const int l = Chance(r, 30) ? 0 : r.Int(0, 3), h = Chance(r, 30) ? 0 : r.Int(0, 3);
    pads.push_back(l);
    pads.push_back(h);
    out_shape.push_back(in_shape[d] + l + h);
  }
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  std::vector<int> inputs = {x, b.Ints("paddings", {rank, 2}, pads)};
  std::string value = "default";
  if (code == op::kPadV2 && Chance(r, 80)) {
    const std::vector<int32_t> vshape = Chance(r, 50) ? std::vector<int32_t>{} : std::vector<int32_t>{1};
    int v;
    if (!b.fold && Chance(r, 25)) {
      v = b.Input("constant_values", dt, vshape, q);
      value = "input";
    } else {
      v = b.Tensor("constant_values", dt, vshape, q);
      b.m.tensors[v].data = RandomBytes(r, dt, 1);
      value = "constant";
    }
    inputs.push_back(v);
  }
  const int y = b.Tensor("y", dt, out_shape, q);
  b.m.AddOp(code, inputs, {y});
  b.desc = std::string(code == op::kPad ? "PAD" : "PADV2") + " " + DTName(dt) + " " +
           Shape(in_shape) + " -> " + Shape(out_shape) + " value " + value;
  return b.Finish({y});
}

// ---- TRANSPOSE -----------------------------------------------------------------------------
SweepConfig GenTranspose(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const int rank = Pick(r, {1, 2, 3, 4, 4, 5, 5});
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 7, 2000);
  std::vector<int64_t> perm(rank);
  for (int d = 0; d < rank; ++d) perm[d] = d;
  for (int d = rank - 1; d > 0; --d) std::swap(perm[d], perm[r.Int(0, d)]);
  std::vector<int32_t> out_shape;
  for (int64_t p : perm) out_shape.push_back(in_shape[p]);
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  const int y = b.Tensor("y", dt, out_shape, q);
  b.m.AddOp(op::kTranspose, {x, b.Ints("perm", {rank}, perm)}, {y});
  std::string p;
  for (int64_t v : perm) p += std::to_string(v);
  b.desc = std::string("TRANSPOSE ") + DTName(dt) + " " + Shape(in_shape) + " perm " + p;
  return b.Finish({y});
}

// ---- CONCATENATION -------------------------------------------------------------------------
SweepConfig GenConcatenation(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32, DT::kInt64, DT::kBool});
  Builder b(r, FoldThis(r, dt));
  const int rank = Pick(r, {1, 2, 3, 4, 4, 5, 6});
  const int n = Chance(r, 10) ? 10 : r.Int(1, 5);
  const std::vector<int32_t> base = RandomShape(r, rank, 5, 300);
  const int axis = r.Int(0, rank - 1);
  const Quant q = RandomQuant(r, dt);
  std::vector<int> inputs;
  std::vector<int32_t> out_shape = base;
  out_shape[axis] = 0;
  for (int i = 0; i < n; ++i) {
    std::vector<int32_t> s = base;
    s[axis] = r.Int(1, 4);
    out_shape[axis] += s[axis];
    const std::string name = "in" + std::to_string(i);
    int t;
    if (!b.fold && Chance(r, 20)) {  // a constant among activations: not folded
      t = b.Tensor(name, dt, s, q);
      b.m.tensors[t].data = RandomBytes(r, dt, Elements(s));
    } else {
      t = b.Data(name, dt, s, q);
    }
    inputs.push_back(t);
  }
  const int y = b.Tensor("y", dt, out_shape, q);
  const int written_axis = Chance(r, 30) ? axis - rank : axis;
  b.m.AddOp(op::kConcatenation, inputs, {y}, ConcatenationOpts{written_axis, kActNone});
  b.desc = std::string("CONCATENATION ") + DTName(dt) + " " + std::to_string(n) + " inputs -> " +
           Shape(out_shape) + " axis " + std::to_string(written_axis);
  return b.Finish({y});
}

// ---- STRIDED_SLICE -------------------------------------------------------------------------
// TFLM Prepare's output size for one axis (StartForAxis / StopForAxis).
int SliceDim(int size, int begin, int end, int stride, bool begin_masked, bool end_masked,
             bool shrink) {
  auto clamp = [](int v, int lo, int hi) { return std::max(lo, std::min(v, hi)); };
  int start = begin_masked ? (stride > 0 ? INT_MIN : INT_MAX) : begin;
  if (start < 0) start += size;
  start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
  int stop;
  if (shrink) {
    stop = start + 1;
  } else {
    stop = end_masked ? (stride > 0 ? INT_MAX : INT_MIN) : end;
    if (stop < 0) stop += size;
    stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
  }
  return std::max(0, static_cast<int>(std::ceil((stop - start) / static_cast<float>(stride))));
}

SweepConfig GenStridedSlice(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32, DT::kBool});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(1, 4);
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 8, 2000);
  StridedSliceOpts o;
  std::vector<int64_t> begin(rank), end(rank), strides(rank);
  std::vector<int32_t> out_shape;
  for (int d = 0; d < rank; ++d) {
    const int size = in_shape[d];
    for (int attempt = 0;; ++attempt) {
      const bool shrink = Chance(r, 15);
      const bool bm = Chance(r, 20), em = Chance(r, 20);
      int stride = shrink ? 1 : Pick(r, {1, 1, 1, 2, 3, -1, -2});
      int bg = r.Int(-size - 2, size + 1), en = r.Int(-size - 2, size + 1);
      if (shrink) bg = r.Int(-size, size - 1);
      if (attempt > 20) {  // fall back to the whole axis
        stride = 1;
        bg = 0;
        en = size;
      }
      const int n = SliceDim(size, bg, en, stride, bm && !shrink, em, shrink);
      if (!shrink && n == 0) continue;
      begin[d] = bg;
      end[d] = en;
      strides[d] = stride;
      if (bm && !shrink && attempt <= 20) o.begin_mask |= 1 << d;
      if (em && attempt <= 20) o.end_mask |= 1 << d;
      if (shrink && attempt <= 20) {
        o.shrink_axis_mask |= 1 << d;
      } else {
        out_shape.push_back(n);
      }
      break;
    }
  }
  o.offset = Chance(r, 10);  // ignored by TFLM micro
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  const int y = b.Tensor("y", dt, out_shape, q);
  b.m.AddOp(op::kStridedSlice,
            {x, b.Ints("begin", {rank}, begin), b.Ints("end", {rank}, end),
             b.Ints("strides", {rank}, strides)},
            {y}, o);
  std::string s;
  for (int d = 0; d < rank; ++d) {
    s += " " + std::to_string(begin[d]) + ":" + std::to_string(end[d]) + ":" + std::to_string(strides[d]);
  }
  b.desc = std::string("STRIDED_SLICE ") + DTName(dt) + " " + Shape(in_shape) + s + " masks b" +
           std::to_string(o.begin_mask) + " e" + std::to_string(o.end_mask) + " s" +
           std::to_string(o.shrink_axis_mask) + " -> " + Shape(out_shape);
  return b.Finish({y});
}

// ---- SLICE ---------------------------------------------------------------------------------
SweepConfig GenSlice(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32, DT::kBool});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(1, 5);
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 7, 2000);
  std::vector<int64_t> begin, size;
  std::vector<int32_t> out_shape;
  for (int d = 0; d < rank; ++d) {
    const int bg = r.Int(0, in_shape[d] - 1);
    const int n = r.Int(1, in_shape[d] - bg);
    const bool to_end = Chance(r, 20);
    begin.push_back(bg);
    size.push_back(to_end ? -1 : n);
    out_shape.push_back(to_end ? in_shape[d] - bg : n);
  }
  const DT index_type = Chance(r, 30) ? DT::kInt64 : DT::kInt32;
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  const int y = b.Tensor("y", dt, out_shape, q);
  b.m.AddOp(op::kSlice,
            {x, b.Ints("begin", {rank}, begin, index_type), b.Ints("size", {rank}, size, index_type)},
            {y});
  b.desc = std::string("SLICE ") + DTName(dt) + " " + Shape(in_shape) + " -> " + Shape(out_shape) +
           " (" + DTName(index_type) + " begin/size)";
  return b.Finish({y});
}

// ---- SQUEEZE / EXPAND_DIMS -----------------------------------------------------------------
SweepConfig GenSqueeze(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32, DT::kInt64, DT::kBool});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(1, 6);
  std::vector<int32_t> in_shape = RandomShape(r, rank, 5, 1000);
  for (auto& d : in_shape) {
    if (Chance(r, 40)) d = 1;
  }
  SqueezeOpts o;
  std::vector<int32_t> out_shape;
  const bool all = Chance(r, 30);
  for (int d = 0; d < rank; ++d) {
    const bool squeeze = in_shape[d] == 1 && (all || Chance(r, 60));
    if (squeeze && !all) o.squeeze_dims.push_back(Chance(r, 30) ? d - rank : d);
    if (!squeeze) out_shape.push_back(in_shape[d]);
  }
  if (!all && o.squeeze_dims.empty()) {  // nothing chosen: squeeze every 1 instead
    out_shape.clear();
    for (int32_t d : in_shape) {
      if (d != 1) out_shape.push_back(d);
    }
  }
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  const int y = b.Tensor("y", dt, out_shape, q);
  b.m.AddOp(op::kSqueeze, {x}, {y}, o);
  b.desc = std::string("SQUEEZE ") + DTName(dt) + " " + Shape(in_shape) + " -> " + Shape(out_shape);
  return b.Finish({y});
}

SweepConfig GenExpandDims(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(0, 4);
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 6, 1000);
  const int axis = r.Int(-rank - 1, rank);
  std::vector<int32_t> out_shape = in_shape;
  out_shape.insert(out_shape.begin() + (axis < 0 ? axis + rank + 1 : axis), 1);
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  const int y = b.Tensor("y", dt, out_shape, q);
  const std::vector<int32_t> axis_shape = Chance(r, 50) ? std::vector<int32_t>{} : std::vector<int32_t>{1};
  b.m.AddOp(op::kExpandDims, {x, b.Ints("axis", axis_shape, {axis})}, {y});
  b.desc = std::string("EXPAND_DIMS ") + DTName(dt) + " " + Shape(in_shape) + " axis " +
           std::to_string(axis);
  return b.Finish({y});
}

// ---- PACK / UNPACK -------------------------------------------------------------------------
SweepConfig GenPack(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32, DT::kInt64});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(0, 4);
  const std::vector<int32_t> part = RandomShape(r, rank, 6, 500);
  const int n = r.Int(1, 5);
  const int axis = r.Int(-rank - 1, rank);
  std::vector<int32_t> out_shape = part;
  out_shape.insert(out_shape.begin() + (axis < 0 ? axis + rank + 1 : axis), n);
  const Quant q = RandomQuant(r, dt);
  std::vector<int> inputs;
  for (int i = 0; i < n; ++i) inputs.push_back(b.Data("in" + std::to_string(i), dt, part, q));
  const int y = b.Tensor("y", dt, out_shape, q);
  b.m.AddOp(op::kPack, inputs, {y}, PackOpts{n, axis});
  b.desc = std::string("PACK ") + DTName(dt) + " " + std::to_string(n) + " x " + Shape(part) +
           " axis " + std::to_string(axis);
  return b.Finish({y});
}

SweepConfig GenUnpack(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(1, 5);
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 5, 1000);
  const int axis = r.Int(-rank, rank - 1);
  const int a = axis < 0 ? axis + rank : axis;
  std::vector<int32_t> part = in_shape;
  part.erase(part.begin() + a);
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  std::vector<int> outs;
  for (int i = 0; i < in_shape[a]; ++i) outs.push_back(b.Tensor("y" + std::to_string(i), dt, part, q));
  b.m.AddOp(op::kUnpack, {x}, outs, UnpackOpts{in_shape[a], axis});
  b.desc = std::string("UNPACK ") + DTName(dt) + " " + Shape(in_shape) + " axis " + std::to_string(axis);
  return b.Finish(outs);
}

// ---- SPLIT / SPLIT_V -----------------------------------------------------------------------
SweepConfig GenSplit(Rng& r, int code) {
  const DT dt = RandomType(r, {DT::kInt16, DT::kInt32, DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(1, 5);
  std::vector<int32_t> in_shape = RandomShape(r, rank, 5, 600);
  const int axis = r.Int(-rank, rank - 1);
  const int a = axis < 0 ? axis + rank : axis;
  const int n = r.Int(1, 4);
  std::vector<int32_t> sizes(n);
  for (auto& s : sizes) s = code == op::kSplit ? in_shape[a] : r.Int(1, 4);
  in_shape[a] = 0;
  for (int32_t s : sizes) in_shape[a] += s;
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  std::vector<int> outs;
  for (int i = 0; i < n; ++i) {
    std::vector<int32_t> s = in_shape;
    s[a] = sizes[i];
    outs.push_back(b.Tensor("y" + std::to_string(i), dt, s, q));
  }
  const int axis_t = b.Ints("axis", Chance(r, 50) ? std::vector<int32_t>{} : std::vector<int32_t>{1}, {axis});
  if (code == op::kSplit) {
    b.m.AddOp(op::kSplit, {axis_t, x}, outs, SplitOpts{n});
  } else {
    std::vector<int64_t> ss(sizes.begin(), sizes.end());
    if (Chance(r, 30)) ss[r.Int(0, n - 1)] = -1;
    const DT st = Chance(r, 30) ? DT::kInt64 : DT::kInt32;
    b.m.AddOp(op::kSplitV, {x, b.Ints("size_splits", {n}, ss, st), axis_t}, outs, SplitVOpts{n});
  }
  b.desc = std::string(code == op::kSplit ? "SPLIT " : "SPLIT_V ") + DTName(dt) + " " +
           Shape(in_shape) + " axis " + std::to_string(axis) + " into " + std::to_string(n);
  return b.Finish(outs);
}

// ---- SHAPE: a constant shape computation feeding RESHAPE -----------------------------------
SweepConfig GenShape(Rng& r, int) {
  Builder b(r, false);
  const int rank = r.Int(1, 5);
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 6, 1500);
  const Quant q = RandomQuant(r, DT::kInt8);
  const int x = b.Input("x", DT::kInt8, in_shape, q);
  const int s = b.Tensor("shape", DT::kInt32, {rank}, {});
  b.m.AddOp(op::kShape, {x}, {s}, ShapeOpts{});
  // The new shape keeps dims 0..k-1 and flattens the rest: either a PACK of scalars
  // (STRIDED_SLICE with shrink_axis_mask) or a CONCATENATION of 1-element slices
  // (STRIDED_SLICE or SLICE); the flattened size is a constant.
  const int k = r.Int(0, rank - 1);
  const bool pack = Chance(r, 50);
  int64_t rest = 1;
  for (int d = k; d < rank; ++d) rest *= in_shape[d];
  std::vector<int> pieces;
  for (int d = 0; d < k; ++d) {
    const int e = b.Tensor("dim" + std::to_string(d), DT::kInt32,
                           pack ? std::vector<int32_t>{} : std::vector<int32_t>{1}, {});
    if (pack || Chance(r, 50)) {
      b.m.AddOp(op::kStridedSlice,
                {s, b.Ints("b", {1}, {d}), b.Ints("e", {1}, {d + 1}), b.Ints("st", {1}, {1})}, {e},
                StridedSliceOpts{0, 0, 0, 0, pack ? 1 : 0, false});
    } else {
      b.m.AddOp(op::kSlice, {s, b.Ints("b", {1}, {d}), b.Ints("n", {1}, {1})}, {e});
    }
    pieces.push_back(e);
  }
  pieces.push_back(b.Ints("rest", pack ? std::vector<int32_t>{} : std::vector<int32_t>{1}, {rest}));
  const int packed = b.Tensor("new_shape", DT::kInt32, {k + 1}, {});
  if (pack) {
    b.m.AddOp(op::kPack, pieces, {packed}, PackOpts{k + 1, 0});
  } else {
    b.m.AddOp(op::kConcatenation, pieces, {packed}, ConcatenationOpts{0, kActNone});
  }
  std::vector<int32_t> out_shape(in_shape.begin(), in_shape.begin() + k);
  out_shape.push_back(static_cast<int32_t>(rest));
  const int y = b.Tensor("y", DT::kInt8, out_shape, q);
  b.m.AddOp(op::kReshape, {x, packed}, {y});
  // The SHAPE output itself, concatenated with a constant, is a graph output too.
  const int c = b.Ints("extra", {2}, {7, -1});
  const int joined = b.Tensor("shape_and_extra", DT::kInt32, {rank + 2}, {});
  b.m.AddOp(op::kConcatenation, {s, c}, {joined}, ConcatenationOpts{0, kActNone});
  b.desc = "SHAPE " + Shape(in_shape) + (pack ? " -> PACK" : " -> CONCATENATION") +
           " -> RESHAPE to " + Shape(out_shape);
  return b.Finish({y, joined});
}

// ---- GATHER --------------------------------------------------------------------------------
SweepConfig GenGather(Rng& r, int) {
  const DT dt = RandomType(r, {DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const int rank = r.Int(1, 4);
  const std::vector<int32_t> in_shape = RandomShape(r, rank, 6, 1500);
  const int axis = r.Int(0, rank - 1);
  const int batch_dims = r.Int(0, std::min(axis, 2));
  std::vector<int32_t> idx_shape(in_shape.begin(), in_shape.begin() + batch_dims);
  const int extra = r.Int(0, 2);
  for (int i = 0; i < extra; ++i) idx_shape.push_back(r.Int(1, 4));
  std::vector<int32_t> out_shape(in_shape.begin(), in_shape.begin() + axis);
  out_shape.insert(out_shape.end(), idx_shape.begin() + batch_dims, idx_shape.end());
  out_shape.insert(out_shape.end(), in_shape.begin() + axis + 1, in_shape.end());
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  std::vector<int64_t> idx(static_cast<size_t>(Elements(idx_shape)));
  for (auto& v : idx) v = r.Int(0, in_shape[axis] - 1);
  int t;
  const bool runtime_indices = !b.fold && Chance(r, 50);
  if (runtime_indices) {
    t = b.Input("indices", DT::kInt32, idx_shape, {});
  } else {
    t = b.Ints("indices", idx_shape, idx);
  }
  const int y = b.Tensor("y", dt, out_shape, q);
  const int written_axis = Chance(r, 30) ? axis - rank : axis;
  b.m.AddOp(op::kGather, {x, t}, {y}, GatherOpts{written_axis, batch_dims});
  b.desc = std::string("GATHER ") + DTName(dt) + " " + Shape(in_shape) + " axis " +
           std::to_string(written_axis) + " batch_dims " + std::to_string(batch_dims) +
           " indices " + Shape(idx_shape) + (runtime_indices ? " (input)" : " (constant)");
  SweepConfig c = b.Finish({y});
  if (runtime_indices) {  // valid indices for every case
    for (auto& cs : c.cases) {
      std::vector<int32_t> v(idx.size());
      for (auto& e : v) e = r.Int(0, in_shape[axis] - 1);
      cs[1] = PackInt32(v);
    }
  }
  return c;
}

// ---- SPACE_TO_DEPTH / DEPTH_TO_SPACE -------------------------------------------------------
SweepConfig GenSpaceDepth(Rng& r, int code) {
  const DT dt = RandomType(r, {DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const int bs = r.Int(1, 4);
  const int n = r.Int(1, 2), h = r.Int(1, 4), w = r.Int(1, 4), c = r.Int(1, 5);
  // SPACE_TO_DEPTH: [n, h*bs, w*bs, c] -> [n, h, w, c*bs*bs]; DEPTH_TO_SPACE the reverse.
  std::vector<int32_t> space = {n, h * bs, w * bs, c}, depth = {n, h, w, c * bs * bs};
  const bool to_depth = code == op::kSpaceToDepth;
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, to_depth ? space : depth, q);
  const int y = b.Tensor("y", dt, to_depth ? depth : space, q);
  if (to_depth) {
    b.m.AddOp(code, {x}, {y}, SpaceToDepthOpts{bs});
  } else {
    b.m.AddOp(code, {x}, {y}, DepthToSpaceOpts{bs});
  }
  b.desc = std::string(to_depth ? "SPACE_TO_DEPTH " : "DEPTH_TO_SPACE ") + DTName(dt) + " " +
           Shape(to_depth ? space : depth) + " block " + std::to_string(bs);
  return b.Finish({y});
}

// ---- RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR ---------------------------------------------
SweepConfig GenResize(Rng& r, int code) {
  const bool bilinear = code == op::kResizeBilinear;
  const DT dt = bilinear ? DT::kInt8 : RandomType(r, {DT::kInt16, DT::kFloat32});
  Builder b(r, !bilinear && FoldThis(r, dt));
  const std::vector<int32_t> in_shape = {r.Int(1, 2), r.Int(1, 8), r.Int(1, 8), r.Int(1, 6)};
  const int oh = Chance(r, 20) ? 1 : r.Int(1, 17), ow = Chance(r, 20) ? 1 : r.Int(1, 17);
  bool align = Chance(r, 40), half = Chance(r, 40);
  if (bilinear && align && half) half = false;  // TFLM rejects both
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, in_shape, q);
  const int y = b.Tensor("y", dt, {in_shape[0], oh, ow, in_shape[3]}, q);
  const int size = b.Ints("size", {2}, {oh, ow});
  if (bilinear) {
    b.m.AddOp(code, {x, size}, {y}, ResizeBilinearOpts{align, half});
  } else {
    b.m.AddOp(code, {x, size}, {y}, ResizeNearestNeighborOpts{align, half});
  }
  b.desc = std::string(bilinear ? "RESIZE_BILINEAR " : "RESIZE_NEAREST_NEIGHBOR ") + DTName(dt) +
           " " + Shape(in_shape) + " -> " + std::to_string(oh) + "x" + std::to_string(ow) +
           (align ? " align_corners" : "") + (half ? " half_pixel_centers" : "");
  return b.Finish({y});
}

// ---- BATCH_TO_SPACE_ND / SPACE_TO_BATCH_ND -------------------------------------------------
SweepConfig GenBatchSpace(Rng& r, int code) {
  const DT dt = RandomType(r, {DT::kFloat32});
  Builder b(r, FoldThis(r, dt));
  const bool four = Chance(r, 70);
  const int spatial = four ? 2 : 1;
  std::vector<int64_t> block(spatial), pads(2 * spatial);
  std::vector<int32_t> space = {r.Int(1, 2)};  // the un-blocked side
  int64_t blocks = 1;
  for (int d = 0; d < spatial; ++d) {
    block[d] = r.Int(1, 3);
    blocks *= block[d];
  }
  // SPACE_TO_BATCH_ND: space [n, h, w, c] padded by pads to multiples of the block.
  // BATCH_TO_SPACE_ND: the reverse, with pads as crops.
  std::vector<int32_t> blocked = {static_cast<int32_t>(space[0] * blocks)};
  for (int d = 0; d < spatial; ++d) {
    const int cells = r.Int(1, 4);  // per block, after padding
    const int padded = cells * static_cast<int>(block[d]);
    const int total_pad = r.Int(0, std::min(padded - 1, 3));
    pads[2 * d] = r.Int(0, total_pad);
    pads[2 * d + 1] = total_pad - pads[2 * d];
    space.push_back(padded - total_pad);
    blocked.push_back(cells);
  }
  const int c = r.Int(1, 5);
  space.push_back(c);
  blocked.push_back(c);
  const bool to_batch = code == op::kSpaceToBatchNd;
  const Quant q = RandomQuant(r, dt);
  const int x = b.Data("x", dt, to_batch ? space : blocked, q);
  const int y = b.Tensor("y", dt, to_batch ? blocked : space, q);
  b.m.AddOp(code, {x, b.Ints("block_shape", {spatial}, block), b.Ints("pads", {spatial, 2}, pads)},
            {y});
  b.desc = std::string(to_batch ? "SPACE_TO_BATCH_ND " : "BATCH_TO_SPACE_ND ") + DTName(dt) + " " +
           Shape(to_batch ? space : blocked) + " -> " + Shape(to_batch ? blocked : space);
  return b.Finish({y});
}

// ---- The sweeps ----------------------------------------------------------------------------

struct SweepDef {
  const char* name;
  SweepConfig (*gen)(Rng&, int code);
  int code;
  int count;  // default configurations
};

const SweepDef kSweeps[] = {
    {"PAD", GenPad, op::kPad, 80},
    {"PADV2", GenPad, op::kPadV2, 80},
    {"TRANSPOSE", GenTranspose, op::kTranspose, 80},
    {"CONCATENATION", GenConcatenation, op::kConcatenation, 80},
    {"STRIDED_SLICE", GenStridedSlice, op::kStridedSlice, 80},
    {"SLICE", GenSlice, op::kSlice, 80},
    {"SQUEEZE", GenSqueeze, op::kSqueeze, 80},
    {"EXPAND_DIMS", GenExpandDims, op::kExpandDims, 80},
    {"PACK", GenPack, op::kPack, 80},
    {"UNPACK", GenUnpack, op::kUnpack, 80},
    {"SPLIT", GenSplit, op::kSplit, 80},
    {"SPLIT_V", GenSplit, op::kSplitV, 80},
    {"SHAPE", GenShape, op::kShape, 80},
    {"GATHER", GenGather, op::kGather, 80},
    {"SPACE_TO_DEPTH", GenSpaceDepth, op::kSpaceToDepth, 80},
    {"DEPTH_TO_SPACE", GenSpaceDepth, op::kDepthToSpace, 80},
    {"RESIZE_NEAREST_NEIGHBOR", GenResize, op::kResizeNearestNeighbor, 80},
    {"RESIZE_BILINEAR", GenResize, op::kResizeBilinear, 80},
    {"BATCH_TO_SPACE_ND", GenBatchSpace, op::kBatchToSpaceNd, 80},
    {"SPACE_TO_BATCH_ND", GenBatchSpace, op::kSpaceToBatchNd, 80},
};

class ShapeSweep : public ::testing::TestWithParam<SweepDef> {};

TEST_P(ShapeSweep, MatchesReference) {
  const SweepDef& d = GetParam();
  const int count = SweepCount(d.count);
  const SweepStats s = RunSweep(d.name, count, /*seed=*/0x5a9e0000u + static_cast<uint64_t>(d.code),
                                [&d](Rng& r, int) { return d.gen(r, d.code); });
  EXPECT_EQ(s.configs, count);
  EXPECT_EQ(s.failures, 0) << JoinMessages(s);
}

INSTANTIATE_TEST_SUITE_P(Ops, ShapeSweep, ::testing::ValuesIn(kSweeps),
                         [](const ::testing::TestParamInfo<SweepDef>& i) {
                           return std::string(i.param.name);
                         });

// ---- What TFLM rejects, tinymlc rejects with a clear message ------------------------------

TEST(SweepShapeErrors, RejectedLikeTflm) {
  const TensorSpec a = Int8Tensor("a", {2, 3}, 0.05f, 3);
  const TensorSpec a2 = Int8Tensor("a2", {2, 3}, 0.04f, 3);
  const TensorSpec y = Int8Tensor("y", {2, 3}, 0.05f, 3);
  const TensorSpec cat = Int8Tensor("y", {4, 3}, 0.05f, 3);
  const TensorSpec pads = ConstInt32("paddings", {2, 2}, {0, 0, 0, 0});
  const TensorSpec perm = ConstInt32("perm", {2}, {1, 0});
  const TensorSpec i2 = ConstInt32("begin", {2}, {0, 0}), s2 = ConstInt32("strides", {2}, {1, -1});
  const TensorSpec size = ConstInt32("size", {2}, {4, 6});
  const TensorSpec img = Int8Tensor("img", {1, 2, 3, 1}, 0.05f, 3);
  const std::vector<Rejection> cases = {
      {"CONCATENATION of int8 inputs with different scales",
       OneOp(op::kConcatenation, {a, a2}, {cat}), "TFLM requires them equal"},
      {"CONCATENATION with a fused RELU",
       OneOp(op::kConcatenation, {a, a}, {cat}, ConcatenationOpts{0, kActRelu}),
       "TFLM requires NONE"},
      {"PAD with paddings computed at run time",
       OneOp(op::kPad, {a, Plain("paddings", DT::kInt32, {2, 2})}, {y}), "must be a constant"},
      {"PADV2 int8 constant_values quantized differently",
       OneOp(op::kPadV2, {a, pads, ConstInt8("value", {1}, {0}, {0.1f}, {3})}, {y}),
       "must have the output's scale and zero point"},
      {"TRANSPOSE of int32 (TFLM: float32, int8, int16)",
       OneOp(op::kTranspose, {Plain("a", DT::kInt32, {2, 3}), perm}, {Plain("y", DT::kInt32, {3, 2})}),
       "TFLM's kernel takes float32, int8, int16"},
      {"TRANSPOSE of rank 6",
       OneOp(op::kTranspose,
             {Int8Tensor("a", {1, 1, 1, 1, 1, 2}, 0.05f, 0),
              ConstInt32("perm", {6}, {0, 1, 2, 3, 4, 5})},
             {Int8Tensor("y", {1, 1, 1, 1, 1, 2}, 0.05f, 0)}),
       "above TFLM's limit of 5"},
      {"STRIDED_SLICE shrinking an axis walked backwards",
       OneOp(op::kStridedSlice, {a, i2, ConstInt32("end", {2}, {2, 3}), s2},
             {Int8Tensor("y", {2}, 0.05f, 3)}, StridedSliceOpts{0, 0, 0, 0, 2, false}),
       "would leave the output unwritten"},
      {"STRIDED_SLICE of rank 5",
       OneOp(op::kStridedSlice,
             {Int8Tensor("a", {1, 1, 1, 1, 2}, 0.05f, 0), ConstInt32("b", {5}, {0, 0, 0, 0, 0}),
              ConstInt32("e", {5}, {1, 1, 1, 1, 2}), ConstInt32("s", {5}, {1, 1, 1, 1, 1})},
             {Int8Tensor("y", {1, 1, 1, 1, 2}, 0.05f, 0)}),
       "above TFLM's limit of 4"},
      {"RESIZE_BILINEAR with align_corners and half_pixel_centers",
       OneOp(op::kResizeBilinear, {img, size}, {Int8Tensor("y", {1, 4, 6, 1}, 0.05f, 3)},
             ResizeBilinearOpts{true, true}),
       "cannot both be set"},
      {"RESIZE_BILINEAR of int16 (TFLM has int8 and float32 only)",
       OneOp(op::kResizeBilinear, {Quantized("img", DT::kInt16, {1, 2, 3, 1}, 0.01f, 0), size},
             {Quantized("y", DT::kInt16, {1, 4, 6, 1}, 0.01f, 0)}),
       "expected int8"},
      {"GATHER with int64 indices",
       OneOp(op::kGather, {a, Plain("i", DT::kInt64, {2})}, {Int8Tensor("y", {2, 3}, 0.05f, 3)}),
       "expected int32"},
      {"SPLIT along an axis computed at run time",
       OneOp(op::kSplit, {Plain("axis", DT::kInt32, {}), a},
             {Int8Tensor("y0", {1, 3}, 0.05f, 3), Int8Tensor("y1", {1, 3}, 0.05f, 3)},
             SplitOpts{2}),
       "axis must be a constant"},
      {"SPACE_TO_DEPTH of a height that is not a multiple of the block",
       OneOp(op::kSpaceToDepth, {img}, {Int8Tensor("y", {1, 1, 1, 4}, 0.05f, 3)},
             SpaceToDepthOpts{2}),
       "multiples of block_size"},
      {"BATCH_TO_SPACE_ND whose output shape disagrees with block and crops",
       OneOp(op::kBatchToSpaceNd,
             {Int8Tensor("x", {4, 1, 1, 1}, 0.05f, 0), ConstInt32("block", {2}, {2, 2}),
              ConstInt32("crops", {2, 2}, {0, 0, 0, 0})},
             {Int8Tensor("y", {1, 2, 1, 2}, 0.05f, 0)}),
       "does not match"},
      {"an operator outside the supported list (LSH_PROJECTION)",
       OneOp(15, {a, pads}, {y}), "unsupported operator"},
  };
  ExpectRejected(cases);
}

// GATHER indices computed at run time: one out of range fails the generated invoke
// (TFLM would read outside the input); the other cases still match the reference.
TEST(SweepShapeErrors, GatherIndexOutOfRangeFailsInvoke) {
  const ModelSpec m = OneOp(op::kGather, {Int8Tensor("x", {3, 2}, 0.05f, 0), Plain("i", DT::kInt32, {2})},
                            {Int8Tensor("y", {2, 2}, 0.05f, 0)});
  const std::vector<uint8_t> x = PackInt8({1, 2, 3, 4, 5, 6});
  const std::vector<uint8_t> ok = PackInt32({2, 0}), bad = PackInt32({0, 3});
  const BatchResult r = CompileAndRunBatch({m}, {{{x, ok}, {x, bad}}});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("case 1: NAME_invoke() returned 1"), std::string::npos) << r.error;
  ASSERT_EQ(r.results.size(), 1u);
  ASSERT_EQ(r.results[0].size(), 2u);
  EXPECT_EQ(CompareWithReference(m, {x, ok}, r.results[0][0]), "");
}

// Folding accepts every element type, also those TFLM's kernel lacks (int32 TRANSPOSE
// in a shape computation): the constant result is what a transpose gives.
TEST(SweepShapeErrors, FoldsInt32TransposeAtCompileTime) {
  ModelSpec m;
  const int c = m.AddTensor(ConstInt32("c", {2, 3}, {1, 2, 3, 4, 5, 6}));
  const int t = m.AddTensor(Plain("t", DT::kInt32, {3, 2}));
  m.AddOp(op::kTranspose, {c, m.AddTensor(ConstInt32("perm", {2}, {1, 0}))}, {t});
  const int x = m.AddTensor(Plain("x", DT::kInt32, {3, 2}));
  const int y = m.AddTensor(Plain("y", DT::kInt32, {2, 3, 2}));
  m.AddOp(op::kPack, {x, t}, {y}, PackOpts{2, 0});
  m.inputs = {x};
  m.outputs = {t, y};
  const std::vector<uint8_t> in = PackInt32({-1, -2, -3, -4, -5, -6});
  const BatchResult r = CompileAndRunBatch({m}, {{{in}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(UnpackInt32(r.results[0][0].outputs[0]), (std::vector<int32_t>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(UnpackInt32(r.results[0][0].outputs[1]),
            (std::vector<int32_t>{-1, -2, -3, -4, -5, -6, 1, 4, 2, 5, 3, 6}));
}

}  // namespace
}  // namespace tinymlc::testing
