// DEPTHWISE_CONV_2D: int8 input/output, int8 or int4 weights (per-channel or per-tensor),
// int32 bias; any depth multiplier, stride and dilation. int16 input/output (16x8) with
// an int64 bias: ops/int16x8.cc.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "ops/conv_gemm.h"
#include "ops/float_ops.h"
#include "ops/int16x8.h"
#include "ops/op_util.h"
#include "tml_depthwise_3x3.h"
#include "tml_depthwise_conv_2d_s4.h"
#include "tml_depthwise_fast.h"

namespace tinymlc {
namespace {

// The fast kernel (templates/kernels/tml_depthwise_fast.h): depth multiplier 1 with
// channels a multiple of 4, or a depth multiplier that is a multiple of 4; right-shift requantization whose short form (tml_fast_common.h) is
// exact for every input, as the constant weights and bias prove. False: not applicable.
bool LowerFast(LowerContext& ctx, const Tensor& input, const Tensor& filter, const Tensor* bias,
               const Tensor& output, const std::vector<int32_t>& mult,
               const std::vector<int32_t>& shift, int32_t f_h, int32_t f_w, int32_t out_h,
               int32_t out_w, int32_t pad_h, int32_t pad_w, int32_t act_min, int32_t act_max,
               const DepthwiseConv2DOptions& o, LayerCode* out) {
  const int64_t in_c = input.shape[3];
  const int64_t c = filter.shape[3];  // output channels
  if (in_c <= 0 || c % in_c != 0) return false;
  const int64_t depth_multiplier = c / in_c;
  if (!(depth_multiplier == 1 && c % 4 == 0) && depth_multiplier % 4 != 0) return false;
  const int64_t taps = static_cast<int64_t>(f_h) * f_w;
  const int64_t off = -static_cast<int64_t>(input.zero_point());
  const int64_t zp_out = output.zero_point();
  std::vector<int64_t> scale(c, 2);  // 1: TFLM's requantization for that channel
  std::vector<int64_t> bias64(c);
  // The padded path's records (tml_depthwise_fast_s8_padded()): per group of 4 channels
  // the 4 biases with the input offset folded in, then per channel m, r = 2^(e-1) + zp 2^e
  // and e; only where every channel takes the short form with r inside int32 for every
  // input and the activation range is all of int8.
  bool rq_ok = act_min == -128 && act_max == 127;
  std::vector<int32_t> rq_folded(c), rq_r(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    if (mult[ch] < 0 || shift[ch] < -31 || shift[ch] > 30) return false;
    int64_t b = 0, hi = 0, lo = 0;
    if (bias) {
      int32_t v;
      std::memcpy(&v, bias->data.data() + 4 * ch, 4);
      b = v;
    }
    bias64[ch] = b;
    for (int64_t t = 0; t < taps; ++t) {
      const int64_t w = static_cast<int8_t>(filter.data[t * c + ch]);
      // x + off over x in [-128, 127]; a padding tap contributes 0.
      const int64_t p1 = w * (127 + off), p2 = w * (-128 + off);
      hi += std::max<int64_t>(std::max<int64_t>(p1, p2), 0);
      lo += std::min<int64_t>(std::min<int64_t>(p1, p2), 0);
    }
    if (b + hi > INT32_MAX || b + lo < INT32_MIN) return false;
    // Runs of interior pixels fold the input offset into the bias and add the raw
    // products after it: every partial sum stays within |b| + (|off| + 128) * sum|w|.
    int64_t abs_sum = 0, sum = 0;
    for (int64_t t = 0; t < taps; ++t) {
      const int64_t w = static_cast<int8_t>(filter.data[t * c + ch]);
      abs_sum += std::abs(w);
      sum += w;
    }
    if (std::abs(b) + (std::abs(off) + 128) * abs_sum > INT32_MAX) return false;
    const int64_t amax = 2 * (b + hi), amin = 2 * (b + lo);
    const int64_t e = -shift[ch];
    if (shift[ch] > -1 || mult[ch] < (1 << 30) || amax > INT32_MAX || amin < INT32_MIN) {
      scale[ch] = 1;
      continue;
    }
    const int64_t xmax = (std::max(amax, -amin) * static_cast<int64_t>(mult[ch]) >> 32) + 1;
    if (xmax + (int64_t{1} << (e - 1)) + 1 > INT32_MAX) scale[ch] = 1;
    const int64_t r = (int64_t{1} << (e - 1)) + zp_out * (int64_t{1} << e);
    if (xmax + 1 + r > INT32_MAX || r - xmax - 2 < INT32_MIN) rq_ok = false;
    rq_folded[ch] = static_cast<int32_t>(b + off * sum);
    rq_r[ch] = static_cast<int32_t>(r);
  }
  if (std::count(scale.begin(), scale.end(), 1) > 0) rq_ok = false;
  std::vector<int32_t> bias32(c), shifts(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    bias32[ch] = static_cast<int32_t>(bias64[ch]);
    shifts[ch] = scale[ch] == 1 ? shift[ch] - 64 : -shift[ch];
  }
  // The int8 filter [taps][c], 4 channels per word, the taps of 4 channels consecutive:
  // word (q * taps + t) holds channels 4q..4q+3 of tap t.
  std::vector<uint32_t> packed(static_cast<size_t>(taps * c / 4));
  for (int64_t q = 0; q < c / 4; ++q) {
    for (int64_t t = 0; t < taps; ++t) {
      const uint8_t* b = &filter.data[static_cast<size_t>(t * c + 4 * q)];
      packed[static_cast<size_t>(q * taps + t)] =
          static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) |
          (static_cast<uint32_t>(b[2]) << 16) | (static_cast<uint32_t>(b[3]) << 24);
    }
  }
  out->kernels = {"tml_fast_common.h", "tml_depthwise_fast.h"};
  out->decls += fmt::format("/* {}x{} x {} int8 weights, 4 channels per word, per group of 4 channels and tap */\n",
                            f_h, f_w, c);
  out->decls += CArrayU32(ctx.Sym("weights"), packed);
  out->weight_bytes += static_cast<int64_t>(packed.size() * 4 + bias32.size() * 4);
  // A 3x3 layer (depth multiplier 1, dilation 1) whose padded input is small (at most
  // 16 KiB and 3 times the input: the late layers of image models, mostly edge pixels)
  // takes tml_depthwise_fast_s8_padded() with that copy as its scratch: the M4/M7 speed
  // path computes every pixel from it in assembly, reading the records below. Not under
  // --optimize ram / size.
  std::string rq = "NULL";
  tml_depthwise_fast_s8_params_t pg{};
  pg.output_h = out_h, pg.output_w = out_w, pg.channels = static_cast<int32_t>(c);
  pg.stride_h = o.stride_h, pg.stride_w = o.stride_w;
  const int64_t padded = tml_depthwise_fast_padded_bytes(&pg);
  const int64_t in_bytes = input.shape[0] * input.shape[1] * input.shape[2] * in_c;
  const bool use_padded = rq_ok && f_h == 3 && f_w == 3 && depth_multiplier == 1 &&
                          o.dilation_h == 1 && o.dilation_w == 1 && !ctx.small_scratch() &&
                          padded <= 16384 && padded <= 3 * in_bytes;
  if (use_padded) {
    std::vector<int32_t> records;
    for (int64_t g = 0; g < c; g += 4) {
      for (int64_t i = 0; i < 4; ++i) records.push_back(rq_folded[g + i]);
      for (int64_t i = 0; i < 4; ++i) {
        records.insert(records.end(), {mult[g + i], rq_r[g + i], -shift[g + i]});
      }
    }
    // Only where the kernel reads them (TML_DW_PADDED_RECORDS).
    out->decls += "#if TML_DW_PADDED_RECORDS\n";
    out->decls += "/* per group of 4 channels: the biases with the input offset folded in, then per channel m, 2^(e-1) + zp 2^e, e */\n";
    out->decls += CArray("int32_t", ctx.Sym("rq"), records);
    out->decls += "#endif\n";
    rq = "TML_DW_PADDED_RQ(" + ctx.Sym("rq") + ")";
    out->scratch_bytes = padded;
  }
  // With the records, the builds that read them read nothing else of the requantization:
  // there the arrays are left out (TML_DW_PADDED_W8()).
  auto kept = [&](const std::string& sym) {
    return use_padded ? "TML_DW_PADDED_W8(" + sym + ")" : sym;
  };
  if (use_padded) out->decls += "#if !TML_DW_PADDED_RECORDS\n";
  out->decls += CArray("int32_t", ctx.Sym("bias"), bias32);
  out->decls += CArray("int32_t", ctx.Sym("multiplier"), mult);
  out->decls += CArray("int8_t", ctx.Sym("shift"), shifts);
  if (use_padded) out->decls += "#endif\n";
  out->decls += CStruct("tml_depthwise_fast_s8_params_t", ctx.Sym("params"))
                    .Field("batches", input.shape[0])
                    .Field("input_h", input.shape[1]).Field("input_w", input.shape[2])
                    .Field("channels", c)
                    .Field("input_c", in_c).Field("depth_multiplier", depth_multiplier)
                    .Field("filter_h", f_h).Field("filter_w", f_w)
                    .Field("output_h", out_h).Field("output_w", out_w)
                    .Field("stride_h", o.stride_h).Field("stride_w", o.stride_w)
                    .Field("dilation_h", o.dilation_h).Field("dilation_w", o.dilation_w)
                    .Field("pad_h", pad_h).Field("pad_w", pad_w)
                    .Field("input_offset", off)
                    .Field("output_offset", zp_out)
                    .Field("act_min", act_min).Field("act_max", act_max)
                    .Field("weights", ctx.Sym("weights"))
                    .Field("bias", kept(ctx.Sym("bias")))
                    .Field("multiplier", kept(ctx.Sym("multiplier")))
                    .Field("shift", kept(ctx.Sym("shift")))
                    .Field("rq", rq)
                    .Str();
  out->body = use_padded
                  ? fmt::format("tml_depthwise_fast_s8_padded(&{}, {}, {}, (int8_t *)(void *)@S@);",
                                ctx.Sym("params"), ctx.Ptr(&input), ctx.Ptr(&output))
                  : fmt::format("tml_depthwise_fast_s8(&{}, {}, {});", ctx.Sym("params"),
                                ctx.Ptr(&input), ctx.Ptr(&output));
  // The kernel's paths this layer takes.
  out->options = {depth_multiplier == 1 ? "TML_OPT_DW_MULT1" : "TML_OPT_DW_BCAST"};
  if (std::count(scale.begin(), scale.end(), 1) > 0) out->options.push_back("TML_OPT_FAST_TFLM");
  tml_depthwise_fast_s8_params_t geo{};
  geo.input_w = static_cast<int32_t>(input.shape[2]);
  geo.depth_multiplier = static_cast<int32_t>(depth_multiplier);
  geo.filter_w = f_w;
  geo.output_w = out_w;
  geo.stride_w = o.stride_w;
  geo.dilation_w = o.dilation_w;
  geo.pad_w = pad_w;
  for (int32_t oy = 0; oy < out_h; ++oy) {
    int32_t ky0 = 0, ky1 = 0, lo = 0, hi = 0;
    tml_depthwise_fast_range(oy * o.stride_h - pad_h, o.dilation_h, f_h,
                             static_cast<int32_t>(input.shape[1]), &ky0, &ky1);
    tml_depthwise_fast_run_bounds(&geo, ky1 - ky0, &lo, &hi);
    if (lo < hi) {
      out->options.push_back("TML_OPT_DW_RUN");
      break;
    }
  }
  return true;
}

// The 3x3 kernel (templates/kernels/tml_depthwise_3x3.h): depth multiplier 1, dilation 1,
// stride 1 or 2 both ways, every channel within the bounds of its short requantization
// (a = 2 acc and the output zero point folded into the rounding constant). False: not
// applicable.
bool Lower3x3(LowerContext& ctx, const Tensor& input, const Tensor& filter, const Tensor* bias,
              const Tensor& output, const std::vector<int32_t>& mult,
              const std::vector<int32_t>& shift, const WindowGeometry& wg, int32_t act_min,
              int32_t act_max, LayerCode* out) {
  const int64_t c = filter.shape[3];
  if (input.shape[3] != c || wg.filter_h != 3 || wg.filter_w != 3 || wg.dilation_h != 1 ||
      wg.dilation_w != 1 || wg.stride_h != wg.stride_w || wg.stride_h < 1 || wg.stride_h > 2 ||
      wg.pad_h < 0 || wg.pad_w < 0 || wg.pad_h > 2 || wg.pad_w > 2) {
    return false;
  }
  // Measured on the Cortex-M4 model (benchmarks/bench_m4.sh): per channel and output row
  // the plane costs a setup that narrower rows do not repay (VWW's 3 x 3 outputs: twice the
  // cycles of tml_depthwise_fast_s8); those stay with tml_depthwise_fast_s8.
  if (wg.output_w < (wg.stride_w == 1 ? 5 : 12)) return false;
  const int64_t off = -static_cast<int64_t>(input.zero_point());
  const int64_t zp = output.zero_point();
  std::vector<uint32_t> weights;
  std::vector<int32_t> bias32(c), e32(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    int64_t b = 0, hi = 0, lo = 0;
    if (bias) {
      int32_t v;
      std::memcpy(&v, bias->data.data() + 4 * ch, 4);
      b = v;
    }
    int8_t w[9];
    for (int t = 0; t < 9; ++t) {
      w[t] = static_cast<int8_t>(filter.data[static_cast<size_t>(t * c + ch)]);
      // x + off over x in [-128, 127]; a padding tap contributes 0. Every partial sum
      // lies between b + lo and b + hi.
      const int64_t p1 = w[t] * (127 + off), p2 = w[t] * (-128 + off);
      hi += std::max<int64_t>(std::max<int64_t>(p1, p2), 0);
      lo += std::min<int64_t>(std::min<int64_t>(p1, p2), 0);
    }
    const int64_t amax = 2 * (b + hi), amin = 2 * (b + lo), e = -static_cast<int64_t>(shift[ch]);
    if (amax > INT32_MAX || amin < INT32_MIN || mult[ch] < (1 << 30) || e < 1 || e > 30) {
      return false;
    }
    const int64_t x = (std::max(amax, -amin) * static_cast<int64_t>(mult[ch]) >> 32) + 1;
    if (x + (int64_t{1} << (e - 1)) + 1 + std::abs(zp) * (int64_t{1} << e) > INT32_MAX) return false;
    for (int ky = 0; ky < 3; ++ky) {
      const uint8_t b0 = static_cast<uint8_t>(w[3 * ky]), b1 = static_cast<uint8_t>(w[3 * ky + 1]),
                    b2 = static_cast<uint8_t>(w[3 * ky + 2]);
      weights.push_back(static_cast<uint32_t>(b0) | (static_cast<uint32_t>(b1) << 8) |
                        (static_cast<uint32_t>(b1) << 16) | (static_cast<uint32_t>(b2) << 24));
    }
    bias32[ch] = static_cast<int32_t>(b);
    e32[ch] = static_cast<int32_t>(e);
  }
  const int32_t s = wg.stride_h;
  const int32_t words = s == 1 ? (wg.output_w + 1) / 2 + 1 : wg.output_w + 1;
  tml_dw3x3_s8_params_t geo{};
  geo.batches = static_cast<int32_t>(wg.batches);
  geo.input_h = wg.input_h, geo.input_w = wg.input_w, geo.channels = static_cast<int32_t>(c);
  geo.output_h = wg.output_h, geo.output_w = wg.output_w, geo.stride = s;
  geo.pad_h = wg.pad_h, geo.pad_w = wg.pad_w, geo.words = words;
  // The column plane (the kernel's NL interleaved columns, the narrowest of 8, 16, 32, 64
  // that holds the padded row): stride 1 planes no wider than tall, the long dimension
  // inner. At 8 the whole plane (at most 32 words a column); above, bands of it on the M4
  // assembly path, which takes 4 channels at a time over the whole int8 range (elsewhere
  // the kernel takes the row plane).
  // --optimize ram / size: one plane at a time (the 4-plane paths need 4 times the
  // scratch), so no bands.
  geo.quad = ctx.small_scratch() ? 0 : 1;
  geo.cols = 0;
  if (s == 1 && wg.output_h >= wg.output_w) {
    for (const int32_t nl : {8, 16, 32, 64}) {
      if (wg.output_w + 2 > nl) continue;
      if (nl == 8 ? (wg.output_h + 1) / 2 + 1 <= 32
                  : geo.quad && c % 4 == 0 && act_min == -128 && act_max == 127) {
        geo.cols = nl;
      }
      break;
    }
  }
  out->kernels = {"tml_fast_common.h", "tml_depthwise_3x3.h"};
  out->decls += fmt::format("/* 3x3 x {} int8 weights, per channel and row (w0, w1, w1, w2) */\n", c);
  out->decls += CArrayU32(ctx.Sym("weights"), weights);
  out->decls += CArray("int32_t", ctx.Sym("bias"), bias32);
  out->weight_bytes += static_cast<int64_t>(weights.size() * 4 + bias32.size() * 4);
  out->decls += CArray("int32_t", ctx.Sym("multiplier"), mult);
  out->decls += CArray("int8_t", ctx.Sym("shift"), e32);
  out->decls += CStruct("tml_dw3x3_s8_params_t", ctx.Sym("params"))
                    .Field("batches", wg.batches)
                    .Field("input_h", wg.input_h).Field("input_w", wg.input_w)
                    .Field("channels", c)
                    .Field("output_h", wg.output_h).Field("output_w", wg.output_w)
                    .Field("stride", s)
                    .Field("pad_h", wg.pad_h).Field("pad_w", wg.pad_w)
                    .Field("input_offset", off)
                    .Field("output_offset", zp)
                    .Field("act_min", act_min).Field("act_max", act_max)
                    .Field("words", words)
                    .Field("weights", ctx.Sym("weights"))
                    .Field("bias", ctx.Sym("bias"))
                    .Field("multiplier", ctx.Sym("multiplier"))
                    .Field("shift", ctx.Sym("shift"))
                    .Field("cols", geo.cols)
                    .Field("quad", geo.quad)
                    .Str();
  // The kernel's scratch in the arena: the M4 plane and its row sums, or the Helium lines
  // (the kernel sizes both; the larger is planned).
  out->scratch_bytes = tml_dw3x3_scratch_bytes(&geo);
  out->body = fmt::format("tml_dw3x3_s8(&{}, {}, {}, (uint32_t *)(void *)@S@);", ctx.Sym("params"),
                          ctx.Ptr(&input), ctx.Ptr(&output));
  out->options = {geo.cols ? "TML_OPT_DW3X3_COLS" : s == 1 ? "TML_OPT_DW3X3_S1" : "TML_OPT_DW3X3_S2"};
  // Interleaves above 8 take the row plane without the kernel's speed paths (-Os, size).
  if (geo.cols > 8) out->options.push_back("TML_OPT_DW3X3_S1");
  if (act_min != -128 || act_max != 127) out->options.push_back("TML_OPT_DW3X3_CLAMP");
  // In place (the kernel's order contract): output row oy of a channel is written once
  // that channel's input rows up to oy * s - pad_h + 2 are read, and only its own bytes,
  // so the output may sit m whole pixels below the input.
  int64_t m = 0;
  for (int64_t b = 0; b < wg.batches; ++b) {
    for (int64_t oy = 0; oy < wg.output_h; ++oy) {
      const int64_t last = std::min<int64_t>(wg.input_h - 1, oy * s - wg.pad_h + 2);
      const int64_t read_end = b * wg.input_h * wg.input_w + (last + 1) * wg.input_w;
      const int64_t out_end = b * wg.output_h * wg.output_w + (oy + 1) * wg.output_w;
      m = std::max(m, out_end - read_end);
    }
  }
  out->in_place = {{ctx.op().inputs[0], m * c, c}};
  return true;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatDepthwiseConv2D(ctx, out);
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* filter = ctx.In(1);
  const Tensor* bias = ctx.In(2);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<DepthwiseConv2DOptions>(ctx.op().options);
  const bool s16 = input->dtype == DType::kInt16;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, s16 ? DType::kInt16 : DType::kInt8));
  // int4 weights (packed, two per byte) under int8 activations, as TFLM takes them.
  const bool s4 = !s16 && filter->dtype == DType::kInt4;
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, filter, s4 ? DType::kInt4 : DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, input->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, filter, 4));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, output, 4));
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, filter));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input));
  TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output));
  TINYMLC_RETURN_IF_ERROR(CheckStride(ctx, o.stride_h, o.stride_w));
  if (o.dilation_h < 1 || o.dilation_w < 1) {
    return ctx.Error(fmt::format("dilation {}x{} is invalid", o.dilation_h, o.dilation_w));
  }
  const int32_t batches = input->shape[0], in_h = input->shape[1], in_w = input->shape[2],
                in_c = input->shape[3];
  const int32_t f_h = filter->shape[1], f_w = filter->shape[2], out_c = filter->shape[3];
  if (filter->shape[0] != 1) return ctx.Error("filter's first dimension must be 1", filter);
  if (in_c <= 0 || out_c % in_c != 0) {
    return ctx.Error(fmt::format("filter depth {} is not a multiple of input depth {}", out_c, in_c),
                     filter);
  }
  // TFLM derives the multiplier from the shapes; the option is only cross-checked.
  const int32_t depth_multiplier = out_c / in_c;
  if (o.depth_multiplier > 0 && o.depth_multiplier != depth_multiplier) {
    return ctx.Error(fmt::format("depth_multiplier option {} does not match filter depth {} / input depth {}",
                                 o.depth_multiplier, out_c, in_c));
  }
  TINYMLC_RETURN_IF_ERROR(CheckWeightQuant(ctx, filter, 3, out_c));
  if (s16) {
    // TFLM's int16 depthwise kernel reads the bias as int64 only (an int32 bias, which the
    // converter can write, is read past its end there: no defined result to match).
    TINYMLC_RETURN_IF_ERROR(CheckBiasS16(ctx, bias, out_c, /*allow_int32=*/false));
  } else if (bias) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, bias, DType::kInt32));
    TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, bias));
    if (bias->NumElements() != out_c) {
      return ctx.Error(fmt::format("bias has {} elements, expected {}", bias->NumElements(), out_c), bias);
    }
  }
  // A band of rows of a patched layer (passes/patch.h): its own height and top padding.
  const bool band = o.band_pad_h >= 0;
  const int32_t out_h = band ? output->shape[1] : ComputeOutSize(o.padding, in_h, f_h, o.stride_h, o.dilation_h);
  const int32_t out_w = ComputeOutSize(o.padding, in_w, f_w, o.stride_w, o.dilation_w);
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, {batches, out_h, out_w, out_c}));
  auto act = Int8ActivationRange(ctx, o.activation, output);
  if (!act.ok()) return act.status();

  std::vector<int32_t> mult, shift;
  ConvPerChannelMultipliers(*input, *filter, *output, out_c, &mult, &shift);
  const int32_t pad_h = band ? o.band_pad_h : ComputePadding(o.stride_h, o.dilation_h, in_h, f_h, out_h);
  const int32_t pad_w = ComputePadding(o.stride_w, o.dilation_w, in_w, f_w, out_w);
  if (s16) {
    ConvS16Geometry g;
    g.batches = batches, g.input_h = in_h, g.input_w = in_w, g.input_c = in_c;
    g.filter_h = f_h, g.filter_w = f_w, g.filter_c = 1;
    g.output_h = out_h, g.output_w = out_w, g.output_c = out_c;
    g.depth_multiplier = depth_multiplier;
    g.stride_h = o.stride_h, g.stride_w = o.stride_w;
    g.dilation_h = o.dilation_h, g.dilation_w = o.dilation_w, g.pad_h = pad_h, g.pad_w = pad_w;
    return LowerConvS16(ctx, g, /*depthwise=*/true, 0, act.value(), out);
  }
  const WindowGeometry wg{batches, in_h, in_w, out_h, out_w, f_h, f_w, o.stride_h, o.stride_w,
                          o.dilation_h, o.dilation_w, pad_h, pad_w};
  if (!s4 && Lower3x3(ctx, *input, *filter, bias, *output, mult, shift, wg, act->min, act->max, out)) {
    return Status::Ok();
  }
  if (!s4 && LowerFast(ctx, *input, *filter, bias, *output, mult, shift, f_h, f_w, out_h, out_w, pad_h,
                pad_w, act->min, act->max, o, out)) {
    // In place: tml_depthwise_fast_s8 goes through the output pixels in order, a row's
    // interior run at a time (at most output_w pixels), reading only their windows.
    out->in_place = {{ctx.op().inputs[0], InPlaceMinDelta(wg, in_c, out_c, out_w)}};
    return Status::Ok();
  }
  if (s4) {
    // tml_depthwise_conv_2d_s4 goes a block of channels at a time over every pixel: never
    // in place. Scratch: the block's unpacked taps.
    out->kernels = {"tml_fast_common.h", "tml_s4_common.h", "tml_depthwise_conv_2d.h",
                    "tml_depthwise_conv_2d_s4.h"};
    out->scratch_bytes = static_cast<int64_t>(f_h) * f_w *
                         std::min<int64_t>(out_c, TML_S4_DW_BLOCK);
  } else {
    // tml_depthwise_conv_2d_s8 finishes each output pixel before the next.
    out->in_place = {{ctx.op().inputs[0], InPlaceMinDelta(wg, in_c, out_c, 1)}};
    out->kernels = {"tml_depthwise_conv_2d.h"};
  }
  out->decls += CArray("int32_t", ctx.Sym("multiplier"), mult);
  out->decls += CArray("int32_t", ctx.Sym("shift"), shift);
  out->decls += CStruct("tml_depthwise_conv_2d_s8_params_t", ctx.Sym("params"))
                    .Field("batches", batches)
                    .Field("input_h", in_h).Field("input_w", in_w).Field("input_c", in_c)
                    .Field("filter_h", f_h).Field("filter_w", f_w)
                    .Field("depth_multiplier", depth_multiplier)
                    .Field("output_h", out_h).Field("output_w", out_w).Field("output_c", out_c)
                    .Field("stride_h", o.stride_h).Field("stride_w", o.stride_w)
                    .Field("dilation_h", o.dilation_h).Field("dilation_w", o.dilation_w)
                    .Field("pad_h", pad_h)
                    .Field("pad_w", pad_w)
                    .Field("input_offset", -input->zero_point())
                    .Field("output_offset", output->zero_point())
                    .Field("act_min", act->min).Field("act_max", act->max)
                    .Field("output_multiplier", ctx.Sym("multiplier"))
                    .Field("output_shift", ctx.Sym("shift"))
                    .Str();
  out->body = fmt::format("tml_depthwise_conv_2d_s{}(&{}, {}, {}, {}, {}{});", s4 ? 4 : 8,
                          ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(filter), ctx.Ptr(bias),
                          ctx.Ptr(output), s4 ? ", (int8_t *)(void *)@S@" : "");
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  const Tensor& f = g.tensors[op.inputs[1]];
  const Tensor& o = g.tensors[op.outputs[0]];
  return o.NumElements() * f.shape[1] * f.shape[2];
}

}  // namespace

extern const OpDef kDepthwiseConv2D = {
    4, "DEPTHWISE_CONV_2D",
    "int8 (int8 or int4 weights per channel or per tensor, int32 bias); int16 x int8 weights (int64 bias); float32", Lower,
    Macs};

}  // namespace tinymlc
