#include "ops/conv_gemm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "ops/op_util.h"

namespace tinymlc {

std::vector<int32_t> Int8Weights(const Tensor& filter, int32_t offset) {
  std::vector<int32_t> w(filter.data.size());
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>(filter.data[i]) + offset;
  return w;
}

std::vector<int32_t> Int4Weights(const Tensor& filter) {
  std::vector<int32_t> w(static_cast<size_t>(filter.NumElements()));
  for (size_t i = 0; i < w.size() && i / 2 < filter.data.size(); ++i) {
    const uint32_t byte = static_cast<uint8_t>(filter.data[i / 2]);
    const uint32_t nibble = (i % 2 == 0 ? byte : byte >> 4) & 15u;
    w[i] = static_cast<int32_t>(nibble ^ 8u) - 8;
  }
  return w;
}

std::string CArrayU32(const std::string& name, const std::vector<uint32_t>& values) {
  std::string s = fmt::format("static const uint32_t {}[{}] = {{", name, std::max<size_t>(values.size(), 1));
  for (size_t i = 0; i < values.size(); ++i) {
    if (i % 8 == 0) s += "\n ";
    s += fmt::format(" 0x{:08x}u,", values[i]);
  }
  if (values.empty()) s += " 0";
  return s + "\n};\n";
}

void ConstantChannels(const Tensor* bias, const Tensor& output, int32_t act_min, int32_t act_max,
                      int64_t k, std::vector<int32_t>* weights, std::vector<int32_t>* bias_values,
                      std::vector<int32_t>* multiplier, std::vector<int32_t>* shift) {
  const int64_t oc = static_cast<int64_t>(multiplier->size());
  bias_values->assign(static_cast<size_t>(oc), 0);
  for (int64_t c = 0; c < oc && bias; ++c) std::memcpy(&(*bias_values)[c], bias->data.data() + 4 * c, 4);
  const bool uniform = std::all_of(multiplier->begin(), multiplier->end(),
                                   [&](int32_t m) { return m == (*multiplier)[0]; }) &&
                       std::all_of(shift->begin(), shift->end(), [&](int32_t e) { return e == (*shift)[0]; });
  if (uniform) return;
  const int32_t zp = output.zero_point();
  for (int64_t c = 0; c < oc; ++c) {
    int32_t* const row = weights->data() + c * k;
    const bool zero = std::all_of(row, row + k, [](int32_t w) { return w == 0; });
    if (!zero && (*multiplier)[c] != 0) continue;
    // The channel's output is one value for every input: TFLM's requantization of the
    // bias alone (a multiplier of 0 gives the zero point whatever the sum).
    const int32_t y = std::clamp(
        zp + ((*multiplier)[c] == 0 ? 0 : MultiplyByQuantizedMultiplier((*bias_values)[c], (*multiplier)[c], (*shift)[c])),
        act_min, act_max);
    // The same value from zero weights, bias 4 (y - zp), multiplier 2^30, shift -1:
    // SRDHM(4 v, 2^30) = 2 v exactly, halved exactly to v.
    std::fill(row, row + k, 0);
    (*bias_values)[c] = 4 * (y - zp);
    (*multiplier)[c] = 1 << 30;
    (*shift)[c] = -1;
  }
}

bool LowerConvGemm(LowerContext& ctx, const ConvGemmShape& s, const Tensor& input,
                   const std::vector<int32_t>& weights_in, const Tensor* bias_in, const Tensor& output,
                   const std::vector<int32_t>& multiplier_in, const std::vector<int32_t>& shift_in,
                   int32_t act_min, int32_t act_max, LayerCode* out) {
  const int64_t oc = s.output_c;
  const int64_t k = static_cast<int64_t>(s.filter_h) * s.filter_w * s.input_c;
  if (oc <= 0 || k <= 0 || static_cast<int64_t>(weights_in.size()) != oc * k) return false;
  if (static_cast<int64_t>(multiplier_in.size()) != oc || static_cast<int64_t>(shift_in.size()) != oc) return false;
  // Channels whose output is a constant (zero weights, or a multiplier of 0: a pruned
  // channel) rewritten to small equivalents, so that they keep the short requantization.
  std::vector<int32_t> weights = weights_in, multiplier = multiplier_in, shift = shift_in, bias_values;
  ConstantChannels(bias_in, output, act_min, act_max, k, &weights, &bias_values, &multiplier, &shift);
  const int64_t npix = static_cast<int64_t>(s.batches) * s.output_h * s.output_w;
  const bool pointwise = s.filter_h == 1 && s.filter_w == 1 && s.stride_h == 1 && s.stride_w == 1 &&
                         s.pad_h == 0 && s.pad_w == 0 && s.input_h == s.output_h &&
                         s.input_w == s.output_w;
  const bool direct = pointwise && npix == 1 && s.input_c % 4 == 0;
  // Rows per weight block: 4 for the direct path, 2 for the im2col one (tml_conv_gemm.h).
  const int64_t rows = direct ? 4 : 2;
  // Rows padded with zero rows to a multiple of 4 (the Helium path takes 4 at a time).
  const int64_t groups = (k + 3) / 4, blocks = (oc + 3) / 4 * (4 / rows);
  const int64_t input_offset = -static_cast<int64_t>(input.zero_point());
  const int64_t zp_out = output.zero_point();
  constexpr int64_t kMax = INT32_MAX, kMin = INT32_MIN;

  // Short requantization (the kernel doubles the accumulator) where a channel's bounds
  // allow it, else (per channel) TFLM's arithmetic as written. Layers with one multiplier
  // and shift for all channels keep one form for all, so that they store one value each.
  std::vector<int64_t> scale(oc, 2);  // 1: TFLM's requantization for that channel
  std::vector<int64_t> base(oc);
  std::vector<int64_t> xbound(oc, 0);  // bound on |x| (the rounded high product), short form
  for (int64_t c = 0; c < oc; ++c) {
    int64_t b = bias_values[c], sum = 0, hi = 0, lo = 0;
    for (int64_t i = 0; i < k; ++i) {
      const int64_t w = weights[c * k + i];
      if (w > INT8_MAX || w < INT8_MIN) return false;  // weights stay int8
      sum += w;
      hi += w > 0 ? 127 * w : -128 * w;  // largest sum(w * x) over x in [-128, 127]
      lo += w > 0 ? -128 * w : 127 * w;
    }
    base[c] = b + input_offset * sum;
    // The accumulator (bias first, then the taps) must never leave int32.
    if (base[c] + hi > kMax || base[c] + lo < kMin || base[c] > kMax || base[c] < kMin) return false;
    if (multiplier[c] < 0 || shift[c] < -31 || shift[c] > 30) return false;
    const int64_t amax = 2 * (base[c] + hi), amin = 2 * (base[c] + lo);
    const int64_t e = -shift[c];
    if (shift[c] > -1 || multiplier[c] < (1 << 30) || amax > kMax || amin < kMin) {
      scale[c] = 1;
      continue;
    }
    // |x| <= |a| * m / 2^32 + 1, plus 2^(e-1).
    const int64_t xmax = (std::max(amax, -amin) * static_cast<int64_t>(multiplier[c]) >> 32) + 1;
    if (xmax + (int64_t{1} << (e - 1)) + 1 > kMax) scale[c] = 1;
    xbound[c] = xmax;
  }
  const bool uniform =
      std::all_of(multiplier.begin(), multiplier.end(), [&](int32_t m) { return m == multiplier[0]; }) &&
      std::all_of(shift.begin(), shift.end(), [&](int32_t e) { return e == shift[0]; });
  if (uniform && std::count(scale.begin(), scale.end(), 1) > 0) scale.assign(oc, 1);
  std::vector<int32_t> folded(static_cast<size_t>(rows * blocks), 0);
  std::vector<int32_t> shifts(oc);
  for (int64_t c = 0; c < oc; ++c) {
    folded[c] = static_cast<int32_t>(base[c]);
    shifts[c] = scale[c] == 1 ? shift[c] - 64 : -shift[c];
  }

  // Rounding and output zero point in one constant (tml_fast_output_r()) for layers
  // whose activation range is all of int8 and whose channels in the short form all have
  // x + 2^(e-1) + zp * 2^e - 1 within int32 for every |x| <= bound (channels in TFLM's
  // form keep it; a uniform layer has one form for all).
  bool fold_zp = act_min == -128 && act_max == 127 && (!uniform || scale[0] == 2);
  for (int64_t c = 0; fold_zp && c < oc; ++c) {
    if (scale[c] != 2) continue;
    const int64_t e = -shift[c];
    const int64_t r = (int64_t{1} << (e - 1)) + zp_out * (int64_t{1} << e);
    if (xbound[c] + 1 + r > kMax || r - xbound[c] - 2 < kMin) fold_zp = false;
  }
  // A pointwise layer over 8 input channels with every channel in the short form and the
  // activation range all of int8: tml_conv_pw8.h (one pixel at a time, each channel's
  // record of bias, int16 weight pairs and requantization constants).
  if (pointwise && !direct && k == 8 && fold_zp &&
      std::count(scale.begin(), scale.end(), 1) == 0) {
    auto pair = [&](int64_t c, int64_t lo, int64_t hi) {
      return static_cast<int32_t>((static_cast<uint32_t>(weights[c * k + lo]) & 0xFFFFu) |
                                  (static_cast<uint32_t>(weights[c * k + hi]) << 16));
    };
    std::vector<int32_t> table;
    for (int64_t c = 0; c < oc; ++c) {
      const int64_t e = -shift[c];
      const int64_t r = (int64_t{1} << (e - 1)) + zp_out * (int64_t{1} << e);
      table.insert(table.end(), {static_cast<int32_t>(base[c]), pair(c, 0, 2), pair(c, 1, 3),
                                 pair(c, 4, 6), pair(c, 5, 7), multiplier[c],
                                 static_cast<int32_t>(r), static_cast<int32_t>(e)});
    }
    out->kernels = {"tml_fast_common.h", "tml_conv_pw8.h"};
    out->decls += fmt::format(
        "/* per output channel: bias + input_offset * sum(weights), weights (0,2) (1,3) (4,6) "
        "(5,7) as int16 pairs, multiplier, 2^(e-1) + zp 2^e, e */\n");
    out->decls += CArray("int32_t", ctx.Sym("table"), table);
    out->weight_bytes += static_cast<int64_t>(table.size() * 4);
    out->decls += CStruct("tml_conv_pw8_s8_params_t", ctx.Sym("params"))
                      .Field("pixels", npix)
                      .Field("output_c", oc)
                      .Field("table", ctx.Sym("table"))
                      .Str();
    out->body = fmt::format("tml_conv_pw8_s8(&{}, {}, {});", ctx.Sym("params"), ctx.Ptr(&input),
                            ctx.Ptr(&output));
    return true;
  }
  std::vector<uint32_t> packed(static_cast<size_t>(blocks * groups * rows), 0u);
  auto w8 = [&](int64_t c, int64_t i) -> uint32_t {
    if (c >= oc || i >= k) return 0u;
    return static_cast<uint8_t>(static_cast<int8_t>(weights[c * k + i]));
  };
  for (int64_t b = 0; b < blocks; ++b) {
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t c = rows * b + r, i = 4 * g;
        packed[static_cast<size_t>((b * groups + g) * rows + r)] =
            w8(c, i) | (w8(c, i + 1) << 8) | (w8(c, i + 2) << 16) | (w8(c, i + 3) << 24);
      }
    }
  }

  // The im2col path may requantize inside its multiply-accumulate loop (fold_zp 2,
  // tml_conv_gemm_acc3_rq()): per channel, every channel in the short form, the
  // activation range all of int8, and an even channel count (the loop stores both rows of
  // a block).
  const bool fused_rq = fold_zp && !direct && !uniform && oc % 2 == 0 &&
                        std::count(scale.begin(), scale.end(), 1) == 0;
  out->kernels = {"tml_fast_common.h", "tml_conv_gemm.h"};
  out->options = {direct ? "TML_OPT_GEMM_DIRECT" : "TML_OPT_GEMM_IM2COL"};
  if (!direct && s.input_c % 4 != 0) out->options.push_back("TML_OPT_GEMM_STAGE");
  if (!direct) {
    // The requantization loop's variant (tml_conv_gemm_requant3()).
    out->options.push_back(act_min == -128 && act_max == 127 ? "TML_OPT_GEMM_RQ_FULL"
                           : act_min == -128                 ? "TML_OPT_GEMM_RQ_UPPER"
                                                             : "TML_OPT_GEMM_RQ_CLAMP");
    if (uniform) out->options.push_back("TML_OPT_GEMM_RQ_UNIFORM");
  }
  if (std::count(scale.begin(), scale.end(), 1) > 0) out->options.push_back("TML_OPT_FAST_TFLM");
  if (fused_rq) out->options.push_back("TML_OPT_GEMM_FUSED");
  // --optimize speed (flash for cycles, the issue's rule for pre-widened weights): a fused
  // layer's weights as int16 pairs too (below); its int8 weights only where the int16 ones
  // are not read (TML_CONV_GEMM_RQ_RECORDS: those builds read p->w16 only).
  const bool w16 = fused_rq && ctx.wide_weights();
  if (w16) out->options.push_back("TML_OPT_GEMM_W16");
  if (w16) out->decls += "#if !TML_CONV_GEMM_RQ_RECORDS\n";
  out->decls += fmt::format("/* {} x {} int8 weights, 4 taps per word, {} channels per block */\n",
                            oc, k, rows);
  out->decls += CArrayU32(ctx.Sym("weights"), packed);
  if (w16) out->decls += "#endif\n";
  out->weight_bytes += static_cast<int64_t>(packed.size() * 4 + folded.size() * 4);
  // A fused layer's biases, multipliers and shifts are in its records where those are read
  // (TML_CONV_GEMM_RQ_RECORDS): there the arrays are left out.
  if (fused_rq) out->decls += "#if !TML_CONV_GEMM_RQ_RECORDS\n";
  out->decls += "/* bias + input_offset * sum(weights) */\n";
  out->decls += CArray("int32_t", ctx.Sym("bias"), folded);
  if (uniform) {
    out->decls += CArray("int32_t", ctx.Sym("multiplier"), std::vector<int32_t>{multiplier[0]});
    out->decls += CArray("int8_t", ctx.Sym("shift"), std::vector<int32_t>{shifts[0]});
  } else {
    out->decls += CArray("int32_t", ctx.Sym("multiplier"), multiplier);
    out->decls += CArray("int8_t", ctx.Sym("shift"), shifts);
  }
  if (fused_rq) out->decls += "#endif\n";

  // The fused layer's records per pair of channels (tml_conv_gemm_acc3_rq()): the two
  // folded biases, then per channel multiplier, r = 2^(e-1) + zp 2^e and e.
  // w16: the weights also widened to int16 pairs and doubled, per block of 2
  // rows and group of 4 taps (SXTB16 order: row 0 taps (0, 2), (1, 3), row 1 the same), so
  // that the assembly loop loads a group's 4 words with one LDM instead of widening them
  // (2 cycles a group less) and its sums are 2 acc already (one instruction per output
  // less); the records' biases are then doubled (within int32: amax, amin above).
  if (fused_rq) {
    std::vector<int32_t> records;
    const int32_t k2 = w16 ? 2 : 1;
    for (int64_t c = 0; c < oc; c += 2) {
      records.push_back(k2 * folded[c]);
      records.push_back(k2 * folded[c + 1]);
      for (int64_t i = c; i < c + 2; ++i) {
        const int64_t e = -shift[i];
        records.push_back(multiplier[i]);
        records.push_back(static_cast<int32_t>((int64_t{1} << (e - 1)) + zp_out * (int64_t{1} << e)));
        records.push_back(static_cast<int32_t>(e));
      }
    }
    // Only where the kernel reads them (TML_CONV_GEMM_RQ_RECORDS: not at -Os, not on Helium).
    out->decls += "#if TML_CONV_GEMM_RQ_RECORDS\n";
    out->decls += "/* per pair of channels: bias, bias, then per channel multiplier, 2^(e-1) + zp 2^e, e */\n";
    out->decls += CArray("int32_t", ctx.Sym("rq"), records);
    out->decls += "#endif\n";
  }
  if (w16) {
    std::vector<uint32_t> wide;
    auto doubled = [](uint32_t b) {
      return static_cast<uint32_t>(static_cast<uint16_t>(static_cast<int16_t>(2 * static_cast<int8_t>(b))));
    };
    for (uint32_t word : packed) {
      wide.push_back(doubled(word & 0xFFu) | (doubled((word >> 16) & 0xFFu) << 16));
      wide.push_back(doubled((word >> 8) & 0xFFu) | (doubled(word >> 24) << 16));
    }
    // packed: per block and group, row 0 then row 1: (row 0 even, odd), (row 1 even, odd).
    out->decls += "#if TML_CONV_GEMM_RQ_RECORDS\n";
    out->decls += "/* the weights doubled, as int16 pairs: per block of 2 rows and group of 4 taps, row 0 (0, 2), (1, 3), row 1 (0, 2), (1, 3) */\n";
    out->decls += CArrayU32(ctx.Sym("w16"), wide);
    out->decls += "#endif\n";
  }
  out->decls += CStruct("tml_conv_gemm_s8_params_t", ctx.Sym("params"))
                    .Field("batches", s.batches)
                    .Field("input_h", s.input_h).Field("input_w", s.input_w).Field("input_c", s.input_c)
                    .Field("filter_h", s.filter_h).Field("filter_w", s.filter_w)
                    .Field("output_h", s.output_h).Field("output_w", s.output_w).Field("output_c", s.output_c)
                    .Field("stride_h", s.stride_h).Field("stride_w", s.stride_w)
                    .Field("dilation_h", s.dilation_h).Field("dilation_w", s.dilation_w)
                    .Field("pad_h", s.pad_h).Field("pad_w", s.pad_w)
                    .Field("input_zero_point", input.zero_point())
                    .Field("groups", groups)
                    .Field("output_offset", zp_out)
                    .Field("act_min", act_min).Field("act_max", act_max)
                    .Field("per_channel", uniform ? 0 : 1)
                    .Field("weights", w16 ? "TML_CONV_GEMM_W8(" + ctx.Sym("weights") + ")" : ctx.Sym("weights"))
                    .Field("bias", fused_rq ? "TML_CONV_GEMM_W8(" + ctx.Sym("bias") + ")" : ctx.Sym("bias"))
                    .Field("multiplier", fused_rq ? "TML_CONV_GEMM_W8(" + ctx.Sym("multiplier") + ")" : ctx.Sym("multiplier"))
                    .Field("shift", fused_rq ? "TML_CONV_GEMM_W8(" + ctx.Sym("shift") + ")" : ctx.Sym("shift"))
                    .Field("fold_zp", !fold_zp ? 0 : fused_rq ? 2 : 1)
                    .Field("rq", fused_rq ? "TML_CONV_GEMM_RQ(" + ctx.Sym("rq") + ")" : "NULL")
                    .Field("w16", w16 ? "TML_CONV_GEMM_RQ(" + ctx.Sym("w16") + ")" : "NULL")
                    .Str();
  std::string scratch = "NULL", kernel = "tml_conv_gemm_s8";
  // The input widened once for all rows (tml_conv_gemm.h, Arm DSP path): one cycle less
  // per group and block of 4 rows against about five per group to widen, so for 8 blocks
  // or more, and at most 4 KiB of scratch.
  if (direct && groups % 4 == 0 && oc >= 32 && groups <= 512) {
    out->scratch_bytes = 8 * groups;
    scratch = "(uint32_t *)(void *)@S@";
    kernel = "tml_conv_gemm_s8_x16";
  } else if (!direct) {
    // Columns, staging, accumulators (tml_conv_gemm.h).
    out->scratch_bytes = 24 * groups + (s.input_c % 4 != 0 ? 4 * groups : 0) + 12 * ((oc + 1) / 2 * 2);
    scratch = "(uint32_t *)(void *)@S@";
  }
  out->body = fmt::format("{}(&{}, {}, {}, {});", kernel, ctx.Sym("params"), ctx.Ptr(&input),
                          ctx.Ptr(&output), scratch);
  return true;
}

}  // namespace tinymlc
