// TFLM_DECODE (TFLM's kernels/decode.cc with decode_state_lut.cc and
// decode_state_prune.cc): decoded at compile time. See ops/tflm_decode.h.
#include "ops/tflm_decode.h"

#include <cstring>

#include <fmt/format.h>

#include "ops/op.h"

namespace tinymlc {
namespace {

constexpr int kDecodeCode = kCustomOpCodeBase + 15;

// The 16-byte header (DCM): byte 0 the method, byte 1 the DCM version, bytes 4..15 the
// method's own (LUT: 4 its version, 5 the index width in bits 2..0, 6 the value table's
// stride in elements per channel; pruning: 4 its version). The data follow it.
constexpr size_t kDcmBytes = 16;
enum : uint8_t { kLut = 0, kHuffman = 1, kPrune = 2 };

// The channels TFLM's decoders walk, from the output's quantization: one table (LUT) or
// zero point (pruning) per channel along axis 0, or along the last axis ("alternate":
// channels interleaved element by element).
struct Channels {
  int64_t count = 1;
  bool alternate = false;
};

Status OutputChannels(const Tensor& out, Channels* ch) {
  if (!out.quant.present()) return Status::Ok();
  ch->count = static_cast<int64_t>(out.quant.scale.size());
  const int rank = static_cast<int>(out.shape.size());
  if (out.quant.axis == rank - 1 && ch->count > 1) {
    ch->alternate = true;
  } else if (out.quant.axis != 0) {
    return Status::Error(fmt::format("decoded tensor quantized along axis {} (TFLM's decoders take "
                                     "axis 0 or the last one)",
                                     out.quant.axis));
  }
  return Status::Ok();
}

// Bits [e * width, (e + 1) * width) of the encoded bytes, most significant bit first.
uint32_t IndexAt(const uint8_t* bytes, int64_t e, int width) {
  uint32_t v = 0;
  for (int b = 0; b < width; ++b) {
    const int64_t bit = e * width + b;
    v = (v << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1u);
  }
  return v;
}

Status DecodeLut(const Tensor& enc, const Tensor& anc, const Tensor& out, size_t esize,
                 std::vector<uint8_t>* bytes) {
  const uint8_t* a = anc.data.data();
  if (a[4] != 1) return Status::Error(fmt::format("LUT version {} (TFLM decodes version 1)", a[4]));
  Channels ch;
  TINYMLC_RETURN_IF_ERROR(OutputChannels(out, &ch));
  LutLayout lut;
  lut.width = a[5] & 0x07;
  lut.channels = ch.count;
  lut.alternate = ch.alternate;
  lut.stride = a[6];
  return DecodeLutIndices(enc.data.data(), enc.data.size(), a + kDcmBytes, anc.data.size() - kDcmBytes,
                          lut, esize, out.NumElements(), bytes);
}

Status DecodePrune(const Tensor& enc, const Tensor& anc, const Tensor& out, size_t esize,
                   std::vector<uint8_t>* bytes) {
  const uint8_t* a = anc.data.data();
  if (a[4] != 1) return Status::Error(fmt::format("pruning version {} (TFLM decodes version 1)", a[4]));
  Channels ch;
  TINYMLC_RETURN_IF_ERROR(OutputChannels(out, &ch));
  // Zero points: TFLM keeps them as int8 (one, or one per channel for int8 tensors with
  // a nonzero one); other dtypes must have all zero.
  std::vector<int8_t> zps;
  int8_t single_zp = 0;
  if (out.quant.present()) {
    bool nonzero = false;
    for (int64_t z : out.quant.zero_point) nonzero = nonzero || z != 0;
    if (out.dtype != DType::kInt8 && nonzero) {
      return Status::Error("pruned tensor with nonzero zero points (TFLM requires 0 for non-int8)");
    }
    if (ch.count > 1 && nonzero) {
      if (static_cast<int64_t>(out.quant.zero_point.size()) < ch.count) {
        return Status::Error("fewer zero points than scales");
      }
      for (int64_t c = 0; c < ch.count; ++c) zps.push_back(static_cast<int8_t>(out.quant.zero_point[c]));
    } else if (!out.quant.zero_point.empty()) {
      single_zp = static_cast<int8_t>(out.quant.zero_point[0]);
    }
  }
  const int64_t n = out.NumElements();
  if (!zps.empty() && n % ch.count != 0) {
    return Status::Error(fmt::format("{} elements do not divide into {} channels", n, ch.count));
  }
  if (static_cast<int64_t>(enc.data.size()) * 8 < n) {
    return Status::Error(fmt::format("{} mask bytes hold fewer than {} bits", enc.data.size(), n));
  }
  const int64_t values = static_cast<int64_t>((anc.data.size() - kDcmBytes) / esize);
  const int64_t per_channel = ch.alternate ? 1 : n / ch.count;
  bytes->resize(static_cast<size_t>(n) * esize);
  int64_t next = 0;
  for (int64_t e = 0; e < n; ++e) {
    uint8_t* dst = bytes->data() + e * esize;
    if (IndexAt(enc.data.data(), e, 1)) {
      if (next >= values) return Status::Error(fmt::format("the mask sets more than the {} values", values));
      std::memcpy(dst, a + kDcmBytes + next * esize, esize);
      ++next;
      continue;
    }
    // The zero point, widened to the element as TFLM's int8 -> T conversion does (a
    // float's zero is the int32 0, all bits clear).
    const int8_t zp = zps.empty() ? single_zp : zps[static_cast<size_t>(ch.alternate ? e % ch.count
                                                                                      : e / per_channel)];
    const int64_t wide = zp;
    for (size_t b = 0; b < esize; ++b) dst[b] = static_cast<uint8_t>(static_cast<uint64_t>(wide) >> (8 * b));
  }
  return Status::Ok();
}

Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  if (op.outputs.empty() || op.inputs.size() != 2 * op.outputs.size()) {
    return Status::Error(fmt::format("{} inputs for {} outputs (TFLM_DECODE takes an encoded and an "
                                     "ancillary tensor per output)",
                                     op.inputs.size(), op.outputs.size()));
  }
  out->resize(op.outputs.size());
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    const int ei = op.inputs[2 * i], ai = op.inputs[2 * i + 1];
    const Tensor& o = g.tensors[op.outputs[i]];
    if (ei < 0 || ai < 0) return AtTensor(Status::Error("an omitted encoded or ancillary input"), o);
    Status s = DecodeTflmTensor(g.tensors[ei], g.tensors[ai], o, &(*out)[i]);
    if (!s.ok()) return AtTensor(s, o);
  }
  return Status::Ok();
}

// Reached only when the inputs are not constant, or the decoded tensors exceed the
// compile-time folding budget (passes/fold_constants.h).
Status Lower(LowerContext& ctx, LayerCode*) {
  for (int t : ctx.op().inputs) {
    if (t >= 0 && !ctx.graph().tensors[t].is_constant) {
      return ctx.Error("TFLM_DECODE reads a tensor that is not constant (TFLM requires constant "
                       "encoded and ancillary tensors)",
                       &ctx.graph().tensors[t]);
    }
  }
  return ctx.Error("TFLM_DECODE: the decoded tensors exceed the compiler's constant budget (16 MiB)");
}

}  // namespace

size_t LutElementBytes(DType t) {
  switch (t) {
    case DType::kBool:
    case DType::kInt8: return 1;
    case DType::kInt16: return 2;
    case DType::kInt32:
    case DType::kFloat32: return 4;
    case DType::kInt64: return 8;
    default: return 0;
  }
}

Status DecodeLutIndices(const uint8_t* indices, size_t index_bytes, const uint8_t* table,
                        size_t table_bytes, const LutLayout& lut, size_t esize, int64_t n,
                        std::vector<uint8_t>* bytes) {
  if (lut.width < 1 || lut.width > 7) {
    return Status::Error(fmt::format("LUT index width {} (TFLM decodes 1 to 7 bits)", lut.width));
  }
  if (lut.channels < 1 || n % lut.channels != 0) {
    return Status::Error(fmt::format("{} elements do not divide into {} channels", n, lut.channels));
  }
  if (static_cast<int64_t>(index_bytes) * 8 < n * lut.width) {
    return Status::Error(fmt::format("{} encoded bytes hold fewer than {} indices of {} bits",
                                     index_bytes, n, lut.width));
  }
  const int64_t table_elems = static_cast<int64_t>(table_bytes / esize);
  const int64_t per_channel = lut.alternate ? 1 : n / lut.channels;
  bytes->resize(static_cast<size_t>(n) * esize);
  for (int64_t e = 0; e < n; ++e) {
    const int64_t c = lut.alternate ? e % lut.channels : e / per_channel;
    const int64_t at = c * lut.stride + IndexAt(indices, e, lut.width);
    if (at >= table_elems) {
      return Status::Error(fmt::format("element {} reads value {} of a table of {}", e, at, table_elems));
    }
    std::memcpy(bytes->data() + e * esize, table + at * esize, esize);
  }
  return Status::Ok();
}

Status DecodeTflmTensor(const Tensor& encoded, const Tensor& ancillary, const Tensor& out,
                        std::vector<uint8_t>* bytes) {
  if (encoded.dtype != DType::kUInt8 || ancillary.dtype != DType::kUInt8) {
    return Status::Error(fmt::format("encoded and ancillary tensors are {} and {} (TFLM_DECODE takes uint8)",
                                     DTypeName(encoded.dtype), DTypeName(ancillary.dtype)));
  }
  if (!encoded.is_constant || !ancillary.is_constant) {
    return Status::Error("encoded and ancillary tensors must be constant");
  }
  if (ancillary.data.size() < kDcmBytes) {
    return Status::Error(fmt::format("ancillary tensor of {} bytes (the header alone is {})",
                                     ancillary.data.size(), kDcmBytes));
  }
  const uint8_t* a = ancillary.data.data();
  if (a[1] != 1) return Status::Error(fmt::format("decode header version {} (TFLM decodes version 1)", a[1]));
  const size_t esize = LutElementBytes(out.dtype);
  if (esize == 0) {
    return Status::Error(fmt::format("decoded tensor of dtype {} (TFLM decodes bool, int8, int16, "
                                     "int32, int64 and float32)",
                                     DTypeName(out.dtype)));
  }
  switch (a[0]) {
    case kLut: return DecodeLut(encoded, ancillary, out, esize, bytes);
    case kPrune: return DecodePrune(encoded, ancillary, out, esize, bytes);
    case kHuffman:
      return Status::Error("Huffman-compressed tensor (TFLM_DECODE type 1, Xtensa decode tables): "
                           "not supported; compress with LUT or pruning");
    default:
      return Status::Error(fmt::format("decode type {} (TFLM knows LUT 0, Huffman 1, pruning 2; "
                                       "custom types need the application's decoder)",
                                       a[0]));
  }
}

int LutIndexBits(const Graph& graph, const Tensor& t) {
  if (t.lut_index_bits > 0) return t.lut_index_bits;
  for (const Operator& op : graph.ops) {
    if (op.builtin_code != kDecodeCode) continue;
    for (size_t i = 0; i < op.outputs.size(); ++i) {
      if (op.outputs[i] != t.index || 2 * i + 1 >= op.inputs.size()) continue;
      const Tensor* anc = graph.TensorOrNull(op.inputs[2 * i + 1]);
      if (!anc || anc->data.size() < kDcmBytes || anc->data[0] != kLut) return 0;
      return anc->data[5] & 0x07;
    }
  }
  return 0;
}

extern const OpDef kTflmDecode = {kDecodeCode, "TFLM_DECODE",
                                  "uint8 -> int8, int16, int32, int64, float32, bool (decoded at compile time)",
                                  Lower, nullptr, Fold};

}  // namespace tinymlc
