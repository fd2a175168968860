#include "ops/op_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace tinymlc {

const Tensor* LowerContext::In(int i) const {
  if (i < 0 || i >= NumInputs()) return nullptr;
  return graph_.TensorOrNull(op_.inputs[i]);
}

const Tensor* LowerContext::Out(int i) const {
  if (i < 0 || i >= NumOutputs()) return nullptr;
  return graph_.TensorOrNull(op_.outputs[i]);
}

std::string LowerContext::Ptr(const Tensor* t) const {
  return t ? fmt::format("@T{}@", t->index) : "NULL";
}

std::string LowerContext::Sym(const std::string& suffix) const {
  return fmt::format("{}_op{}_{}", prefix_, op_.index, suffix);
}

Status LowerContext::Error(const std::string& message, const Tensor* t) const {
  Status s = Status::Error(message);
  AtOp(s, op_);
  if (t) AtTensor(s, *t);
  return s;
}

Status CheckArity(const LowerContext& ctx, int min_in, int max_in, int outs) {
  if (ctx.NumInputs() < min_in || ctx.NumInputs() > max_in) {
    return ctx.Error(min_in == max_in
                         ? fmt::format("expects {} inputs, has {}", min_in, ctx.NumInputs())
                         : fmt::format("expects {} to {} inputs, has {}", min_in, max_in,
                                       ctx.NumInputs()));
  }
  for (int i = 0; i < min_in; ++i) {
    if (!ctx.In(i)) return ctx.Error(fmt::format("required input {} is missing", i));
  }
  if (ctx.NumOutputs() != outs) {
    return ctx.Error(fmt::format("expects {} outputs, has {}", outs, ctx.NumOutputs()));
  }
  return Status::Ok();
}

Status CheckDType(const LowerContext& ctx, const Tensor* t, DType want) {
  if (!t) return ctx.Error(fmt::format("a {} tensor is missing (index -1)", DTypeName(want)));
  if (t->dtype != want) {
    return ctx.Error(fmt::format("dtype {} is not supported here (expected {})",
                                 t->dtype == DType::kUnsupported
                                     ? fmt::format("#{}", t->tflite_type)
                                     : std::string(DTypeName(t->dtype)),
                                 DTypeName(want)),
                     t);
  }
  return Status::Ok();
}

Status CheckRank(const LowerContext& ctx, const Tensor* t, int rank) {
  if (static_cast<int>(t->shape.size()) != rank) {
    return ctx.Error(fmt::format("expected rank {}, got rank {}", rank, t->shape.size()), t);
  }
  return Status::Ok();
}

namespace {
bool ScaleOk(float s) { return std::isfinite(s) && s > 0.0f; }
int64_t QMin(DType t) { return t == DType::kInt16 ? -32768 : (t == DType::kUInt8 ? 0 : -128); }
int64_t QMax(DType t) { return t == DType::kInt16 ? 32767 : (t == DType::kUInt8 ? 255 : 127); }
}  // namespace

Status CheckPerTensorQuant(const LowerContext& ctx, const Tensor* t) {
  if (!t->quant.present()) return ctx.Error("tensor is not quantized (no scale)", t);
  if (t->quant.scale.size() != 1) {
    return ctx.Error(fmt::format("expected per-tensor quantization, got {} scales",
                                 t->quant.scale.size()),
                     t);
  }
  if (!ScaleOk(t->quant.scale[0])) {
    return ctx.Error(fmt::format("scale {} is not finite and positive", t->quant.scale[0]), t);
  }
  const int64_t zp = t->quant.zero_point[0];
  if (zp < QMin(t->dtype) || zp > QMax(t->dtype)) {
    return ctx.Error(fmt::format("zero point {} is outside the range of {}", zp, DTypeName(t->dtype)),
                     t);
  }
  return Status::Ok();
}

Status CheckWeightQuant(const LowerContext& ctx, const Tensor* t, int axis, int64_t channels) {
  if (!t->quant.present()) return ctx.Error("weights are not quantized (no scale)", t);
  const size_t n = t->quant.scale.size();
  if (n != 1 && static_cast<int64_t>(n) != channels) {
    return ctx.Error(fmt::format("has {} per-channel scales but {} channels", n, channels), t);
  }
  if (n > 1 && t->quant.axis != axis) {
    return ctx.Error(fmt::format("per-channel quantization along dimension {}, expected {}",
                                 t->quant.axis, axis),
                     t);
  }
  for (size_t i = 0; i < n; ++i) {
    if (!ScaleOk(t->quant.scale[i])) {
      return ctx.Error(fmt::format("scale[{}] = {} is not finite and positive", i, t->quant.scale[i]), t);
    }
    if (t->quant.zero_point[i] != 0) {
      return ctx.Error(fmt::format("zero point[{}] = {}: int8 weights must be symmetric", i,
                                   t->quant.zero_point[i]),
                       t);
    }
  }
  return Status::Ok();
}

Status CheckConstant(const LowerContext& ctx, const Tensor* t) {
  if (!t->is_constant) return ctx.Error("must be a constant tensor", t);
  return Status::Ok();
}

Status CheckShape(const LowerContext& ctx, const Tensor* t, const std::vector<int32_t>& want) {
  if (!t) return ctx.Error("a tensor is missing (index -1)");
  if (t->shape != want) {
    return ctx.Error(fmt::format("shape [{}] does not match the expected [{}]",
                                 fmt::join(t->shape, ","), fmt::join(want, ",")),
                     t);
  }
  return Status::Ok();
}

Result<ActivationRange> Int8ActivationRange(const LowerContext& ctx, Activation act,
                                            const Tensor* out) {
  switch (act) {
    case Activation::kNone:
    case Activation::kRelu:
    case Activation::kRelu6:
    case Activation::kReluN1To1: {
      // round(x / scale) for the clamp bounds must fit in int32 (TFLM's cast is undefined otherwise).
      for (float x : {1.0f, 6.0f}) {
        const float q = std::round(x / out->scale());
        if (act != Activation::kNone && act != Activation::kRelu && !(std::fabs(q) < 2147483520.0f)) {
          return ctx.Error(fmt::format("output scale {} is too small for fused {} (clamp bound overflows int32)",
                                       out->scale(), ActivationName(act)), out);
        }
      }
      if (out->dtype == DType::kInt16) {
        return ActivationRangeQuantized(act, out->scale(), out->zero_point(), -32768, 32767);
      }
      return ActivationRangeQuantized(act, out->scale(), out->zero_point(), -128, 127);
    }
    default:
      return ctx.Error(fmt::format("fused activation {} is not supported", ActivationName(act)));
  }
}

Status CheckStride(const LowerContext& ctx, int32_t stride_h, int32_t stride_w) {
  if (stride_h < 1 || stride_w < 1) {
    return ctx.Error(fmt::format("stride {}x{} is invalid (must be >= 1)", stride_h, stride_w));
  }
  return Status::Ok();
}

void ConvPerChannelMultipliers(const Tensor& input, const Tensor& filter, const Tensor& output,
                               int64_t channels, std::vector<int32_t>* multipliers,
                               std::vector<int32_t>* shifts) {
  multipliers->clear();
  shifts->clear();
  for (int64_t c = 0; c < channels; ++c) {
    const float fs = filter.quant.scale.size() > 1 ? filter.quant.scale[c] : filter.quant.scale[0];
    const double effective = static_cast<double>(input.scale()) * static_cast<double>(fs) /
                             static_cast<double>(output.scale());
    const QuantizedMultiplier q = QuantizeMultiplier(effective);
    multipliers->push_back(q.multiplier);
    shifts->push_back(q.shift);
  }
}

std::string CArray(const std::string& ctype, const std::string& name,
                   const std::vector<int32_t>& values) {
  std::string s = fmt::format("static const {} {}[{}] = {{", ctype, name, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (i % 12 == 0) s += "\n ";
    s += fmt::format(" {},", values[i]);
  }
  s += "\n};\n";
  return s;
}

CStruct& CStruct::Field(const std::string& field, int64_t value) {
  fields_.emplace_back(field, fmt::format("{}", value));
  return *this;
}

CStruct& CStruct::Field(const std::string& field, const std::string& expr) {
  fields_.emplace_back(field, expr);
  return *this;
}

CStruct& CStruct::FloatField(const std::string& field, float value) {
  fields_.emplace_back(field, CFloatLiteral(value));
  return *this;
}

std::string CStruct::Str() const {
  std::string s = fmt::format("static const {} {} = {{\n", type_, name_);
  for (const auto& [f, v] : fields_) s += fmt::format("  .{} = {},\n", f, v);
  s += "};\n";
  return s;
}

std::string CFloatLiteral(float v) {
  std::string s = fmt::format("{}", v);  // shortest representation that round-trips
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s + "f";
}

int64_t InPlaceMinDelta(const WindowGeometry& g, int64_t in_pixel_bytes, int64_t out_pixel_bytes,
                        int64_t block) {
  // first[p]: the lowest input pixel (linear NHWC index) output pixel p reads, or
  // none (a window entirely in the padding reads nothing).
  constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
  const int64_t n = static_cast<int64_t>(g.batches) * g.output_h * g.output_w;
  std::vector<int64_t> first(static_cast<size_t>(n), kNone);
  auto lowest = [](int32_t o, int32_t stride, int32_t pad, int32_t dilation, int32_t taps,
                   int32_t size) -> int64_t {
    for (int32_t k = 0; k < taps; ++k) {
      const int64_t i = static_cast<int64_t>(o) * stride - pad + static_cast<int64_t>(k) * dilation;
      if (i >= 0 && i < size) return i;
    }
    return -1;
  };
  for (int64_t p = 0; p < n; ++p) {
    const int64_t b = p / (static_cast<int64_t>(g.output_h) * g.output_w);
    const int32_t y = static_cast<int32_t>(p / g.output_w % g.output_h);
    const int32_t x = static_cast<int32_t>(p % g.output_w);
    const int64_t row = lowest(y, g.stride_h, g.pad_h, g.dilation_h, g.filter_h, g.input_h);
    const int64_t col = lowest(x, g.stride_w, g.pad_w, g.dilation_w, g.filter_w, g.input_w);
    if (row >= 0 && col >= 0) first[p] = (b * g.input_h + row) * g.input_w + col;
  }
  // Suffix minimum: input pixels below it are never read by output pixel p or later.
  for (int64_t p = n - 2; p >= 0; --p) first[p] = std::min(first[p], first[p + 1]);
  int64_t delta = 0;
  for (int64_t p = 0; p < n; ++p) {
    const int64_t still_read = first[static_cast<size_t>(std::max<int64_t>(0, p - block + 1))];
    if (still_read == kNone) continue;
    delta = std::max(delta, (p + 1) * out_pixel_bytes - still_read * in_pixel_bytes);
  }
  return delta;
}

}  // namespace tinymlc
