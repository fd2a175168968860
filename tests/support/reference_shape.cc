// Reference implementations: shape and data-movement operators (see
// reference_internal.h). Written from TFLM's micro kernels and reference_ops
// (tflite-micro 90b983c), following their loop structure, independently of the C
// kernels in templates/ and of the compiler's constant folding.
//
// Data movement does not look at values, so every op works on elements of the
// tensor's byte size (TFLM does the same in TRANSPOSE); float32 moves as 4-byte words.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "reference_internal.h"

namespace tinymlc::testing {
namespace {

// ---- Helpers ------------------------------------------------------------------------

// Calls fn.template operator()<T>() with T the unsigned integer of the dtype's size.
template <typename Fn>
std::string BySize(DT dtype, Fn fn) {
  switch (DTSize(dtype)) {
    case 1: return fn(uint8_t{});
    case 2: return fn(uint16_t{});
    case 4: return fn(uint32_t{});
    case 8: return fn(uint64_t{});
  }
  return "unsupported element size";
}

std::string TypeIn(const TensorSpec& t, std::initializer_list<DT> allowed, const char* op) {
  for (DT d : allowed) {
    if (t.dtype == d) return "";
  }
  return std::string(op) + ": type " + DTName(t.dtype) + " is not supported by TFLM";
}

std::vector<int32_t> Ints(const OpContext& c, int input) {
  const TensorSpec& t = c.in(input);
  std::vector<int32_t> v(static_cast<size_t>(t.num_elements()));
  if (t.dtype == DT::kInt64) {
    const int64_t* p = c.in_data<int64_t>(input);
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int32_t>(p[i]);
  } else {
    std::memcpy(v.data(), c.values[c.op.inputs[input]].data(), v.size() * 4);
  }
  return v;
}

// RuntimeShape::ExtendedShape: leading 1s up to `rank`.
std::vector<int> Extended(const std::vector<int32_t>& s, size_t rank) {
  std::vector<int> out(rank - s.size(), 1);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Offset() of a 4-D NHWC shape.
int64_t Offset4(const std::vector<int>& s, int b, int h, int w, int c) {
  return ((static_cast<int64_t>(b) * s[1] + h) * s[2] + w) * s[3] + c;
}

// ---- PAD / PADV2 (reference_ops::PadImpl) ----
std::string Pad(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8, DT::kInt16, DT::kInt32}, "PAD"); !e.empty())
    return e;
  if (input.shape.size() > 5) return "PAD: rank above 5";
  const std::vector<int32_t> paddings = Ints(c, 1);
  const int n = static_cast<int>(input.shape.size());
  int left[5] = {0, 0, 0, 0, 0}, right[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < n; ++i) {
    left[5 - n + i] = paddings[2 * i];
    right[5 - n + i] = paddings[2 * i + 1];
  }
  const std::vector<int> out = Extended(output.shape, 5);
  return BySize(input.dtype, [&](auto tag) {
    using T = decltype(tag);
    T pad_value{};
    if (c.has_input(2)) {
      pad_value = *c.in_data<T>(2);
    } else if (input.dtype == DT::kInt8) {
      pad_value = static_cast<T>(static_cast<uint8_t>(output.zero_point0()));
    }
    const T* in = c.in_data<T>(0);
    T* o = c.out_data<T>();
    for (int b = 0; b < out[0]; ++b)
      for (int p = 0; p < out[1]; ++p)
        for (int h = 0; h < out[2]; ++h)
          for (int w = 0; w < out[3]; ++w)
            for (int d = 0; d < out[4]; ++d) {
              const bool padded = b < left[0] || b >= out[0] - right[0] || p < left[1] ||
                                  p >= out[1] - right[1] || h < left[2] ||
                                  h >= out[2] - right[2] || w < left[3] ||
                                  w >= out[3] - right[3] || d < left[4] ||
                                  d >= out[4] - right[4];
              *o++ = padded ? pad_value : *in++;
            }
    return std::string();
  });
}

// ---- TRANSPOSE (reference_ops::Transpose, recursive as in TFLM) ----
template <typename T>
void TransposeImpl(int depth, int dims, const int32_t* perm, const T* in, const int64_t* in_stride,
                   T* out, const int64_t* out_stride, const int32_t* out_shape) {
  const int size = out_shape[depth];
  if (depth == dims - 1) {
    for (int i = 0; i < size; ++i, in += in_stride[perm[depth]]) out[i] = *in;
    return;
  }
  for (int i = 0; i < size; ++i) {
    TransposeImpl(depth + 1, dims, perm, in, in_stride, out, out_stride, out_shape);
    in += in_stride[perm[depth]];
    out += out_stride[depth];
  }
}

std::vector<int64_t> Strides(const std::vector<int32_t>& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i) st[i] = st[i + 1] * s[i + 1];
  return st;
}

std::string Transpose(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8, DT::kInt16}, "TRANSPOSE"); !e.empty())
    return e;
  const std::vector<int32_t> perm = Ints(c, 1);
  if (perm.size() != input.shape.size() || perm.size() > 5) return "TRANSPOSE: bad perm";
  if (input.num_elements() == 0) return "";
  if (perm.empty()) {
    std::memcpy(c.out_data<uint8_t>(), c.in_data<uint8_t>(0), DTSize(input.dtype));
    return "";
  }
  const std::vector<int64_t> in_st = Strides(input.shape), out_st = Strides(output.shape);
  return BySize(input.dtype, [&](auto tag) {
    using T = decltype(tag);
    TransposeImpl<T>(0, static_cast<int>(perm.size()), perm.data(), c.in_data<T>(0), in_st.data(),
                     c.out_data<T>(), out_st.data(), output.shape.data());
    return std::string();
  });
}

// ---- CONCATENATION (reference_ops::Concatenation) and PACK (PackImpl) ----
std::string Concatenation(OpContext& c) {
  const TensorSpec& output = c.out();
  const auto* o = Options<ConcatenationOpts>(c.op);
  if (auto e = TypeIn(output, {DT::kFloat32, DT::kInt8, DT::kInt16, DT::kInt32, DT::kInt64,
                               DT::kBool},
                      "CONCATENATION");
      !e.empty())
    return e;
  if (o && o->activation != kActNone) return "CONCATENATION: activation must be NONE";
  if (c.num_inputs() > 10) return "CONCATENATION: more than 10 inputs";
  const int dims = static_cast<int>(output.shape.size());
  const int axis = o ? (o->axis < 0 ? o->axis + dims : o->axis) : 0;
  for (int i = 0; i < c.num_inputs(); ++i) {
    if (output.dtype == DT::kInt8 &&
        (c.in(i).scale0() != output.scale0() || c.in(i).zero_point0() != output.zero_point0()))
      return "CONCATENATION: int8 inputs must share the output's quantization";
  }
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= output.shape[i];
  for (int i = axis + 1; i < dims; ++i) inner *= output.shape[i];
  const size_t es = static_cast<size_t>(DTSize(output.dtype));
  uint8_t* out = c.out_data<uint8_t>();
  for (int64_t k = 0; k < outer; ++k) {
    for (int i = 0; i < c.num_inputs(); ++i) {
      const int64_t copy = c.in(i).shape[axis] * inner;
      std::memcpy(out, c.in_data<uint8_t>(i) + k * copy * es, copy * es);
      out += copy * es;
    }
  }
  return "";
}

std::string Pack(OpContext& c) {
  const TensorSpec& output = c.out();
  const auto* o = Options<PackOpts>(c.op);
  if (!o) return "PACK: no options";
  if (auto e = TypeIn(output, {DT::kFloat32, DT::kInt8, DT::kInt16, DT::kInt32, DT::kInt64},
                      "PACK");
      !e.empty())
    return e;
  const int dims = static_cast<int>(output.shape.size());
  const int axis = o->axis < 0 ? o->axis + dims : o->axis;
  int outer = 1, copy = 1;
  for (int i = 0; i < axis; ++i) outer *= output.shape[i];
  for (int i = axis + 1; i < dims; ++i) copy *= output.shape[i];
  return BySize(output.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* out = c.out_data<T>();
    for (int i = 0; i < o->values_count; ++i) {
      const T* in = c.in_data<T>(i);
      for (int k = 0; k < outer; ++k) {
        for (int j = 0; j < copy; ++j) out[k * o->values_count * copy + i * copy + j] = in[copy * k + j];
      }
    }
    return std::string();
  });
}

// ---- SPLIT / SPLIT_V (SplitImpl) and UNPACK (UnpackImpl) ----
std::string SplitAlong(OpContext& c, int input, int axis) {
  const TensorSpec& in = c.in(input);
  if (auto e = TypeIn(in, {DT::kFloat32, DT::kInt8, DT::kInt16, DT::kInt32}, "SPLIT"); !e.empty())
    return e;
  const int dims = static_cast<int>(in.shape.size());
  if (axis < 0) axis += dims;
  if (axis < 0 || axis >= dims) return "SPLIT: axis out of range";
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= in.shape[i];
  for (int i = axis + 1; i < dims; ++i) inner *= in.shape[i];
  const size_t es = static_cast<size_t>(DTSize(in.dtype));
  const uint8_t* src = c.in_data<uint8_t>(input);
  const int outputs = static_cast<int>(c.op.outputs.size());
  for (int64_t k = 0; k < outer; ++k) {
    for (int i = 0; i < outputs; ++i) {
      // SPLIT uses output i's own extent along the axis (SplitV) -- equal for SPLIT.
      const int64_t copy = c.out(i).shape[axis] * inner;
      std::memcpy(c.out_data<uint8_t>(i) + k * copy * es, src, copy * es);
      src += copy * es;
    }
  }
  return "";
}

std::string Split(OpContext& c) { return SplitAlong(c, 1, Ints(c, 0)[0]); }
std::string SplitV(OpContext& c) { return SplitAlong(c, 0, Ints(c, 2)[0]); }

std::string Unpack(OpContext& c) {
  const TensorSpec& input = c.in(0);
  const auto* o = Options<UnpackOpts>(c.op);
  if (!o) return "UNPACK: no options";
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8, DT::kInt16, DT::kInt32}, "UNPACK"); !e.empty())
    return e;
  const int dims = static_cast<int>(input.shape.size());
  const int axis = o->axis < 0 ? o->axis + dims : o->axis;
  int outer = 1, copy = 1;
  for (int i = 0; i < axis; ++i) outer *= input.shape[i];
  for (int i = axis + 1; i < dims; ++i) copy *= input.shape[i];
  return BySize(input.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* in = c.in_data<T>(0);
    for (int i = 0; i < o->num; ++i) {
      T* out = c.out_data<T>(i);
      for (int k = 0; k < outer; ++k) {
        for (int j = 0; j < copy; ++j) out[copy * k + j] = in[k * o->num * copy + i * copy + j];
      }
    }
    return std::string();
  });
}

// ---- STRIDED_SLICE (micro BuildStridedSliceParams + reference_ops::StridedSlice) ----
int ClampInt(int v, int lo, int hi) { return v > hi ? hi : (v < lo ? lo : v); }

std::string StridedSlice(OpContext& c) {
  const TensorSpec& input = c.in(0);
  const auto* o = Options<StridedSliceOpts>(c.op);
  const StridedSliceOpts opts = o ? *o : StridedSliceOpts{};
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8, DT::kInt16, DT::kInt32, DT::kBool},
                      "STRIDED_SLICE");
      !e.empty())
    return e;
  const int dims = static_cast<int>(input.shape.size());
  if (dims > 4) return "STRIDED_SLICE: rank above 4";
  const std::vector<int32_t> b = Ints(c, 1), e = Ints(c, 2), s = Ints(c, 3);
  // Pad to 5 dims at the front (StridedSlicePadIndices); ellipsis/new_axis/offset are
  // zeroed by the micro kernel.
  const int pad = 5 - dims;
  int start[5], stop[5], stride[5];
  unsigned begin_mask = (static_cast<unsigned>(opts.begin_mask) << pad) | ((1u << pad) - 1);
  unsigned end_mask = (static_cast<unsigned>(opts.end_mask) << pad) | ((1u << pad) - 1);
  const unsigned shrink = static_cast<unsigned>(opts.shrink_axis_mask) << pad;
  for (int i = 0; i < 5; ++i) {
    start[i] = i < pad ? 0 : b[i - pad];
    stop[i] = i < pad ? 1 : e[i - pad];
    stride[i] = i < pad ? 1 : s[i - pad];
    if (stride[i] == 0) return "STRIDED_SLICE: zero stride";
  }
  const std::vector<int> shape = Extended(input.shape, 5);
  int first[5], last[5];
  for (int a = 0; a < 5; ++a) {
    const int size = shape[a];
    int st = start[a];
    if (st < 0) st += size;
    st = stride[a] > 0 ? ClampInt(st, 0, size) : ClampInt(st, -1, size - 1);
    if (begin_mask & (1u << a)) st = stride[a] > 0 ? 0 : size - 1;
    int en;
    if (shrink & (1u << a)) {
      en = st >= size ? st : st + 1;
    } else {
      en = stop[a];
      if (en < 0) en += size;
      en = stride[a] > 0 ? ClampInt(en, 0, size) : ClampInt(en, -1, size - 1);
      if (end_mask & (1u << a)) en = stride[a] > 0 ? size : -1;
    }
    first[a] = st;
    last[a] = en;
  }
  auto more = [](int index, int end, int step) { return step > 0 ? index < end : index > end; };
  const size_t es = static_cast<size_t>(DTSize(input.dtype));
  const uint8_t* in = c.in_data<uint8_t>(0);
  uint8_t* out = c.out_data<uint8_t>();
  const int64_t total = c.out().num_bytes();
  int64_t written = 0;
  for (int i0 = first[0]; more(i0, last[0], stride[0]); i0 += stride[0])
    for (int i1 = first[1]; more(i1, last[1], stride[1]); i1 += stride[1])
      for (int i2 = first[2]; more(i2, last[2], stride[2]); i2 += stride[2])
        for (int i3 = first[3]; more(i3, last[3], stride[3]); i3 += stride[3])
          for (int i4 = first[4]; more(i4, last[4], stride[4]); i4 += stride[4]) {
            const int64_t index =
                (((static_cast<int64_t>(i0) * shape[1] + i1) * shape[2] + i2) * shape[3] + i3) *
                    shape[4] + i4;
            if (written + static_cast<int64_t>(es) > total) return "STRIDED_SLICE: output overflow";
            std::memcpy(out + written, in + index * es, es);
            written += static_cast<int64_t>(es);
          }
  return written == total ? "" : "STRIDED_SLICE: output not fully written";
}

// ---- SLICE (reference_ops::Slice, 5-D) ----
std::string Slice(OpContext& c) {
  const TensorSpec& input = c.in(0);
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8, DT::kInt16, DT::kInt32, DT::kBool}, "SLICE");
      !e.empty())
    return e;
  const int dims = static_cast<int>(input.shape.size());
  if (dims > 5) return "SLICE: rank above 5";
  const std::vector<int32_t> begin = Ints(c, 1), size = Ints(c, 2);
  const std::vector<int> shape = Extended(input.shape, 5);
  int start[5], stop[5];
  for (int i = 0; i < 5; ++i) {
    const int k = i - (5 - dims);
    start[i] = k < 0 ? 0 : begin[k];
    stop[i] = (k < 0 || size[k] == -1) ? shape[i] : start[i] + size[k];
  }
  const size_t es = static_cast<size_t>(DTSize(input.dtype));
  const uint8_t* in = c.in_data<uint8_t>(0);
  uint8_t* out = c.out_data<uint8_t>();
  for (int i0 = start[0]; i0 < stop[0]; ++i0)
    for (int i1 = start[1]; i1 < stop[1]; ++i1)
      for (int i2 = start[2]; i2 < stop[2]; ++i2)
        for (int i3 = start[3]; i3 < stop[3]; ++i3)
          for (int i4 = start[4]; i4 < stop[4]; ++i4) {
            const int64_t index =
                (((static_cast<int64_t>(i0) * shape[1] + i1) * shape[2] + i2) * shape[3] + i3) *
                    shape[4] + i4;
            std::memcpy(out, in + index * es, es);
            out += es;
          }
  return "";
}

// ---- SQUEEZE / EXPAND_DIMS: a byte copy ----
std::string CopyBytes(OpContext& c) {
  if (c.in(0).num_bytes() != c.out().num_bytes()) return "element count changes";
  std::memcpy(c.out_data<uint8_t>(), c.in_data<uint8_t>(0), static_cast<size_t>(c.out().num_bytes()));
  return "";
}

// ---- SHAPE ----
std::string Shape(OpContext& c) {
  if (c.out().dtype != DT::kInt32) return "SHAPE: output must be int32";
  int32_t* out = c.out_data<int32_t>();
  for (size_t i = 0; i < c.in(0).shape.size(); ++i) out[i] = c.in(0).shape[i];
  return "";
}

// ---- GATHER (micro Gather) ----
std::string Gather(OpContext& c) {
  const TensorSpec &input = c.in(0), &coords = c.in(1);
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8}, "GATHER"); !e.empty()) return e;
  if (coords.dtype != DT::kInt32) return "GATHER: indices must be int32";
  const auto* o = Options<GatherOpts>(c.op);
  const GatherOpts opts = o ? *o : GatherOpts{};
  const int in_dims = static_cast<int>(input.shape.size());
  const int coord_dims = static_cast<int>(coords.shape.size());
  const int axis = opts.axis < 0 ? opts.axis + in_dims : opts.axis;
  const int batch_dims = opts.batch_dims < 0 ? opts.batch_dims + coord_dims : opts.batch_dims;
  int batch_size = 1, outer_size = 1, inner_size = 1, coord_size = 1;
  for (int i = 0; i < batch_dims; ++i) batch_size *= input.shape[i];
  for (int i = batch_dims; i < axis; ++i) outer_size *= input.shape[i];
  for (int i = axis + 1; i < in_dims; ++i) inner_size *= input.shape[i];
  for (int i = batch_dims; i < coord_dims; ++i) coord_size *= coords.shape[i];
  const int axis_size = input.shape[axis];
  const int32_t* idx = c.in_data<int32_t>(1);
  const size_t es = static_cast<size_t>(DTSize(input.dtype));
  const uint8_t* in = c.in_data<uint8_t>(0);
  uint8_t* out = c.out_data<uint8_t>();
  for (int b = 0; b < batch_size; ++b)
    for (int outer = 0; outer < outer_size; ++outer)
      for (int k = 0; k < coord_size; ++k) {
        const int32_t v = idx[b * coord_size + k];
        if (v < 0 || v >= axis_size) return "GATHER: index out of range";
        std::memcpy(out + (((b * outer_size) + outer) * coord_size + k) * inner_size * es,
                    in + (((b * outer_size) + outer) * axis_size + v) * inner_size * es,
                    es * inner_size);
      }
  return "";
}

// ---- SPACE_TO_DEPTH / DEPTH_TO_SPACE (reference_ops, element by element) ----
std::string SpaceToDepth(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8}, "SPACE_TO_DEPTH"); !e.empty()) return e;
  const auto* o = Options<SpaceToDepthOpts>(c.op);
  if (!o || o->block_size < 1) return "SPACE_TO_DEPTH: bad block size";
  const int bs = o->block_size;
  const std::vector<int> in = Extended(input.shape, 4), out = Extended(output.shape, 4);
  const size_t es = static_cast<size_t>(DTSize(input.dtype));
  for (int b = 0; b < in[0]; ++b)
    for (int h = 0; h < in[1]; ++h)
      for (int w = 0; w < in[2]; ++w)
        for (int d = 0; d < in[3]; ++d) {
          const int out_d = d + ((h % bs) * bs + w % bs) * in[3];
          std::memcpy(c.out_data<uint8_t>() + Offset4(out, b, h / bs, w / bs, out_d) * es,
                      c.in_data<uint8_t>(0) + Offset4(in, b, h, w, d) * es, es);
        }
  return "";
}

std::string DepthToSpace(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8}, "DEPTH_TO_SPACE"); !e.empty()) return e;
  const auto* o = Options<DepthToSpaceOpts>(c.op);
  if (!o || o->block_size < 1) return "DEPTH_TO_SPACE: bad block size";
  const int bs = o->block_size;
  const std::vector<int> in = Extended(input.shape, 4), out = Extended(output.shape, 4);
  const size_t es = static_cast<size_t>(DTSize(input.dtype));
  for (int b = 0; b < out[0]; ++b)
    for (int h = 0; h < out[1]; ++h)
      for (int w = 0; w < out[2]; ++w)
        for (int d = 0; d < out[3]; ++d) {
          const int in_d = d + ((h % bs) * bs + w % bs) * out[3];
          std::memcpy(c.out_data<uint8_t>() + Offset4(out, b, h, w, d) * es,
                      c.in_data<uint8_t>(0) + Offset4(in, b, h / bs, w / bs, in_d) * es, es);
        }
  return "";
}

// ---- RESIZE_NEAREST_NEIGHBOR (reference_ops::ResizeNearestNeighbor) ----
int32_t GetNearestNeighbor(int input_value, int32_t input_size, int32_t output_size,
                           bool align_corners, bool half_pixel_centers) {
  const float scale = (align_corners && output_size > 1)
                          ? (input_size - 1) / static_cast<float>(output_size - 1)
                          : input_size / static_cast<float>(output_size);
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  int32_t v = std::min(align_corners
                           ? static_cast<int32_t>(std::round((input_value + offset) * scale))
                           : static_cast<int32_t>(std::floor((input_value + offset) * scale)),
                       input_size - 1);
  if (half_pixel_centers) v = std::max(static_cast<int32_t>(0), v);
  return v;
}

std::string ResizeNearestNeighbor(OpContext& c) {
  const TensorSpec& input = c.in(0);
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8, DT::kInt16}, "RESIZE_NEAREST_NEIGHBOR");
      !e.empty())
    return e;
  const auto* o = Options<ResizeNearestNeighborOpts>(c.op);
  const ResizeNearestNeighborOpts opts = o ? *o : ResizeNearestNeighborOpts{};
  const std::vector<int> in = Extended(input.shape, 4);
  const std::vector<int32_t> size = Ints(c, 1);
  const int out_h = size[0], out_w = size[1];
  const size_t pixel = static_cast<size_t>(in[3]) * DTSize(input.dtype);
  const uint8_t* src = c.in_data<uint8_t>(0);
  uint8_t* out = c.out_data<uint8_t>();
  for (int b = 0; b < in[0]; ++b) {
    for (int y = 0; y < out_h; ++y) {
      const int in_y = GetNearestNeighbor(y, in[1], out_h, opts.align_corners,
                                          opts.half_pixel_centers);
      for (int x = 0; x < out_w; ++x) {
        const int in_x = GetNearestNeighbor(x, in[2], out_w, opts.align_corners,
                                            opts.half_pixel_centers);
        std::memcpy(out, src + (static_cast<size_t>(in_y) * in[2] + in_x) * pixel, pixel);
        out += pixel;
      }
    }
    src += static_cast<size_t>(in[1]) * in[2] * pixel;
  }
  return "";
}

// ---- RESIZE_BILINEAR int8 (reference_ops::ResizeBilinearInteger, double rounding) ----
void InterpolationInteger(int32_t value, int32_t scale_10, bool half_pixel_centers,
                          int32_t input_size, int32_t* scaled, int32_t* lower, int32_t* upper) {
  *scaled = half_pixel_centers ? value * scale_10 + scale_10 / 2 - (1 << 9) : value * scale_10;
  *lower = std::max(*scaled / (1 << 10), 0);
  *upper = std::min((*scaled + (1 << 10) - 1) / (1 << 10), input_size - 1);
}

std::string ResizeBilinear(OpContext& c) {
  const TensorSpec& input = c.in(0);
  if (input.dtype != DT::kInt8) return "RESIZE_BILINEAR: only int8 is implemented here";
  const auto* o = Options<ResizeBilinearOpts>(c.op);
  const ResizeBilinearOpts opts = o ? *o : ResizeBilinearOpts{};
  if (opts.align_corners && opts.half_pixel_centers) return "RESIZE_BILINEAR: both options set";
  const std::vector<int> in = Extended(input.shape, 4);
  const std::vector<int32_t> size = Ints(c, 1);
  const int32_t out_h = size[0], out_w = size[1];
  int32_t hs = ((1 << 10) * in[1] + out_h / 2) / out_h;
  int32_t ws = ((1 << 10) * in[2] + out_w / 2) / out_w;
  if (opts.align_corners && out_h > 1) hs = ((1 << 10) * (in[1] - 1) + (out_h - 1) / 2) / (out_h - 1);
  if (opts.align_corners && out_w > 1) ws = ((1 << 10) * (in[2] - 1) + (out_w - 1) / 2) / (out_w - 1);
  const std::vector<int> out = {in[0], out_h, out_w, in[3]};
  const int8_t* src = c.in_data<int8_t>(0);
  int8_t* dst = c.out_data<int8_t>();
  for (int b = 0; b < in[0]; ++b)
    for (int y = 0; y < out_h; ++y) {
      int32_t iy, y0, y1;
      InterpolationInteger(y, hs, opts.half_pixel_centers, in[1], &iy, &y0, &y1);
      if (y0 >= in[1]) return "RESIZE_BILINEAR: row outside the input";
      for (int x = 0; x < out_w; ++x) {
        int32_t ix, x0, x1;
        InterpolationInteger(x, ws, opts.half_pixel_centers, in[2], &ix, &x0, &x1);
        if (x0 >= in[2]) return "RESIZE_BILINEAR: column outside the input";
        for (int ch = 0; ch < in[3]; ++ch) {
          const int64_t ll = static_cast<int64_t>(src[Offset4(in, b, y0, x0, ch)]) *
                             ((1 << 10) - (iy - (1 << 10) * y0)) * ((1 << 10) - (ix - (1 << 10) * x0));
          const int64_t lu = static_cast<int64_t>(src[Offset4(in, b, y1, x0, ch)]) *
                             (iy - (1 << 10) * y0) * ((1 << 10) - (ix - (1 << 10) * x0));
          const int64_t rl = static_cast<int64_t>(src[Offset4(in, b, y0, x1, ch)]) *
                             ((1 << 10) - (iy - (1 << 10) * y0)) * (ix - (1 << 10) * x0);
          const int64_t ru = static_cast<int64_t>(src[Offset4(in, b, y1, x1, ch)]) *
                             (iy - (1 << 10) * y0) * (ix - (1 << 10) * x0);
          const int64_t sum = ll + lu + rl + ru;
          const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
          dst[Offset4(out, b, y, x, ch)] = static_cast<int8_t>((sum + round) / (1 << 20));
        }
      }
    }
  return "";
}

// ---- BATCH_TO_SPACE_ND / SPACE_TO_BATCH_ND (reference_ops, NHC -> NH1C) ----
std::vector<int> As4D(const std::vector<int32_t>& s) {
  return s.size() == 4 ? std::vector<int>(s.begin(), s.end())
                       : std::vector<int>{s[0], s[1], 1, s[2]};
}

std::string BatchToSpaceNd(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8}, "BATCH_TO_SPACE_ND"); !e.empty()) return e;
  if (input.shape.size() < 3 || input.shape.size() > 4) return "BATCH_TO_SPACE_ND: rank 3 or 4";
  const bool four = input.shape.size() == 4;
  const std::vector<int32_t> block = Ints(c, 1), crops = Ints(c, 2);
  const std::vector<int> in = As4D(input.shape), out = As4D(output.shape);
  const int bh = block[0], bw = four ? block[1] : 1;
  const int crop_top = crops[0], crop_left = four ? crops[2] : 0;
  const size_t pixel = static_cast<size_t>(in[3]) * DTSize(input.dtype);
  for (int n = 0; n < in[0]; ++n) {
    const int out_b = n % out[0], spatial = n / out[0];
    for (int h = 0; h < in[1]; ++h) {
      const int out_h = h * bh + spatial / bw - crop_top;
      if (out_h < 0 || out_h >= out[1]) continue;
      for (int w = 0; w < in[2]; ++w) {
        const int out_w = w * bw + spatial % bw - crop_left;
        if (out_w < 0 || out_w >= out[2]) continue;
        std::memcpy(c.out_data<uint8_t>() + Offset4(out, out_b, out_h, out_w, 0) * DTSize(input.dtype),
                    c.in_data<uint8_t>(0) + Offset4(in, n, h, w, 0) * DTSize(input.dtype), pixel);
      }
    }
  }
  return "";
}

std::string SpaceToBatchNd(OpContext& c) {
  const TensorSpec &input = c.in(0), &output = c.out();
  if (auto e = TypeIn(input, {DT::kFloat32, DT::kInt8}, "SPACE_TO_BATCH_ND"); !e.empty()) return e;
  if (input.shape.size() < 3 || input.shape.size() > 4) return "SPACE_TO_BATCH_ND: rank 3 or 4";
  const bool four = input.shape.size() == 4;
  const std::vector<int32_t> block = Ints(c, 1), pads = Ints(c, 2);
  const std::vector<int> in = As4D(input.shape), out = As4D(output.shape);
  const int bh = block[0], bw = four ? block[1] : 1;
  const int pad_top = pads[0], pad_left = four ? pads[2] : 0;
  // SpaceToBatchParams::output_offset: never set by the micro kernel (zero arena).
  const int32_t pad_value = 0;
  const size_t es = static_cast<size_t>(DTSize(input.dtype));
  const size_t pixel = static_cast<size_t>(in[3]) * es;
  for (int ob = 0; ob < out[0]; ++ob) {
    const int in_b = ob % in[0];
    const int shift_w = (ob / in[0]) % bw, shift_h = (ob / in[0]) / bw;
    for (int oh = 0; oh < out[1]; ++oh)
      for (int ow = 0; ow < out[2]; ++ow) {
        uint8_t* dst = c.out_data<uint8_t>() + Offset4(out, ob, oh, ow, 0) * es;
        const int h = oh * bh + shift_h, w = ow * bw + shift_w;
        if (h < pad_top || h >= pad_top + in[1] || w < pad_left || w >= pad_left + in[2]) {
          std::memset(dst, pad_value, pixel);
        } else {
          std::memcpy(dst, c.in_data<uint8_t>(0) + Offset4(in, in_b, h - pad_top, w - pad_left, 0) * es,
                      pixel);
        }
      }
  }
  return "";
}

}  // namespace

void RegisterShapeOps(OpRegistry& r) {
  r[op::kPad] = Pad;
  r[op::kPadV2] = Pad;
  r[op::kTranspose] = Transpose;
  r[op::kConcatenation] = Concatenation;
  r[op::kStridedSlice] = StridedSlice;
  r[op::kSlice] = Slice;
  r[op::kSqueeze] = CopyBytes;
  r[op::kExpandDims] = CopyBytes;
  r[op::kPack] = Pack;
  r[op::kUnpack] = Unpack;
  r[op::kSplit] = Split;
  r[op::kSplitV] = SplitV;
  r[op::kShape] = Shape;
  r[op::kGather] = Gather;
  r[op::kSpaceToDepth] = SpaceToDepth;
  r[op::kDepthToSpace] = DepthToSpace;
  r[op::kResizeNearestNeighbor] = ResizeNearestNeighbor;
  r[op::kResizeBilinear] = ResizeBilinear;
  r[op::kBatchToSpaceNd] = BatchToSpaceNd;
  r[op::kSpaceToBatchNd] = SpaceToBatchNd;
}

}  // namespace tinymlc::testing
