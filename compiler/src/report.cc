// ModelFacts and its two forms: `tinymlc inspect --json` and `tinymlc report` (report.h).
#include "tinymlc/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#ifndef TINYMLC_VERSION
#define TINYMLC_VERSION "0.0.0"
#endif

namespace tinymlc {

// --- Cost and size tables ----------------------------------------------------------------

double M4CostModel::InstructionsPerMac(const std::string& op) {
  // Sum of instructions / sum of MACs per operator over the layers of
  // benchmarks/results/m4_layers.txt (-O2): ad01, kws, micro_speech, resnet, vww.
  static const std::map<std::string, double> table = {
      {"CONV_2D", 1.755},        {"DEPTHWISE_CONV_2D", 6.006}, {"FULLY_CONNECTED", 1.732},
      {"AVERAGE_POOL_2D", 6.970}, {"ADD", 35.295},              {"TRANSPOSE_CONV", 2.0},
      {"BATCH_MATMUL", 2.0},      {"UNIDIRECTIONAL_SEQUENCE_LSTM", 2.0}, {"SVDF", 2.0}};
  const auto it = table.find(op);
  return it == table.end() ? 0.0 : it->second;
}

int64_t M4CostModel::Cycles(const std::string& op, int64_t macs, int64_t output_elements) {
  const double per_mac = InstructionsPerMac(op);
  double insn = static_cast<double>(kInstructionsPerLayer);
  if (per_mac > 0 && macs > 0) {
    insn += per_mac * static_cast<double>(macs);
  } else {
    insn += kInstructionsPerElement * static_cast<double>(output_elements);
  }
  return static_cast<int64_t>(std::llround(insn * kCyclesPerInstruction));
}

KernelFootprint KernelFootprintM4(const std::string& file) {
  // benchmarks/results/kernel_size_m4.txt: text bytes of the template alone minus those of
  // the templates it includes; the deepest frame of its functions (-fstack-usage).
  static const std::map<std::string, KernelFootprint> table = {
      {"tml_abs.h", {72, 24}}, {"tml_add.h", {854, 96}}, {"tml_batch_matmul.h", {232, 64}},
      {"tml_batch_to_space_nd.h", {158, 48}}, {"tml_broadcast.h", {122, 20}},
      {"tml_common.h", {154, 8}}, {"tml_comparisons.h", {178, 104}},
      {"tml_concatenation.h", {64, 24}}, {"tml_conv_2d.h", {328, 88}},
      {"tml_conv_gemm.h", {1616, 112}}, {"tml_depth_to_space.h", {128, 40}},
      {"tml_depthwise_conv_2d.h", {332, 88}}, {"tml_depthwise_fast.h", {2488, 344}},
      {"tml_dequantize.h", {86, 16}}, {"tml_elu.h", {24, 12}}, {"tml_fast_common.h", {0, 8}},
      {"tml_fixedpoint.h", {506, 32}}, {"tml_fully_connected.h", {196, 56}},
      {"tml_gather.h", {124, 48}}, {"tml_hard_swish.h", {368, 48}},
      {"tml_l2_normalization.h", {346, 56}}, {"tml_leaky_relu.h", {162, 32}},
      {"tml_log_softmax.h", {626, 56}}, {"tml_logistic.h", {752, 36}}, {"tml_lstm.h", {692, 104}},
      {"tml_maximum_minimum.h", {128, 88}}, {"tml_mul.h", {156, 96}}, {"tml_neg.h", {26, 8}},
      {"tml_pad.h", {292, 88}}, {"tml_pool_2d.h", {1030, 136}}, {"tml_prelu.h", {464, 72}},
      {"tml_quantize.h", {696, 32}}, {"tml_reduce.h", {398, 128}}, {"tml_relu.h", {190, 24}},
      {"tml_resize_bilinear.h", {516, 136}}, {"tml_resize_nearest_neighbor.h", {90, 32}},
      {"tml_rsqrt.h", {42, 12}}, {"tml_sigmoid_lut.h", {0, 8}}, {"tml_softmax.h", {678, 72}},
      {"tml_space_to_batch_nd.h", {170, 56}}, {"tml_space_to_depth.h", {140, 48}},
      {"tml_split.h", {62, 32}}, {"tml_squared_difference.h", {188, 104}},
      {"tml_strided_slice.h", {226, 80}}, {"tml_sub.h", {192, 104}}, {"tml_svdf.h", {804, 72}},
      {"tml_tanh.h", {752, 36}}, {"tml_transpose.h", {270, 72}},
      {"tml_transpose_conv.h", {410, 96}}};
  const auto it = table.find(file);
  return it == table.end() ? KernelFootprint{512, 128} : it->second;  // unknown: a guess
}

// --- Facts ---------------------------------------------------------------------------------

ModelFacts CollectFacts(const std::string& model_path, const Graph& g, const CompiledModel& m) {
  ModelFacts f;
  f.model_path = model_path;
  f.graph = &g;
  f.model = &m;
  const int steps = std::max<int>(1, static_cast<int>(g.ops.size()));
  int64_t calls = 0;
  for (const LayerReport& l : m.layers) {
    LayerFacts lf;
    lf.layer = &l;
    const Operator& op = g.ops[l.op_index];
    lf.inputs = op.inputs;
    lf.outputs = op.outputs;
    for (int t : op.outputs) {
      if (t >= 0) lf.output_elements += g.tensors[t].NumElements();
    }
    if (!l.aliased && !l.folded) {
      lf.est_m4_cycles = M4CostModel::Cycles(l.op_name, l.macs, lf.output_elements);
      ++calls;
    }
    f.total_macs += l.macs;
    f.est_m4_cycles += lf.est_m4_cycles;
    f.layers.push_back(std::move(lf));
  }
  f.live_bytes.assign(steps, 0);
  for (const BufferReport& b : m.buffers) {
    for (int s = std::max(0, b.first); s <= b.last && s < steps; ++s) f.live_bytes[s] += b.bytes;
  }
  int64_t deepest = 0;
  for (const std::string& k : m.kernel_files) {
    const KernelFootprint fp = KernelFootprintM4(k);
    f.code_bytes_m4 += fp.code_bytes;
    deepest = std::max(deepest, fp.stack_bytes);
  }
  f.code_bytes_m4 += 24 * calls;
  f.stack_bytes_m4 = deepest + 32;
  return f;
}

// --- JSON ----------------------------------------------------------------------------------
namespace {

// A JSON string: '"', '\\' and control characters escaped; bytes >= 0x7f as \u00XX
// (tensor names are arbitrary bytes; the output stays valid JSON and ASCII).
std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

template <typename T>
std::string JsonArray(const std::vector<T>& v) {
  return fmt::format("[{}]", fmt::join(v, ", "));
}

std::string PathName(const std::string& option) {
  return option.substr(option.rfind("TML_OPT_", 0) == 0 ? 8 : 0);
}

const char* CodeKind(const LayerReport& l) { return l.aliased ? "alias" : l.folded ? "folded" : "kernel"; }

const char* TensorKind(const Tensor& t) {
  return t.is_constant ? "const" : (t.is_variable ? "variable" : "arena");
}

}  // namespace

std::string InspectJson(const ModelFacts& f) {
  const Graph& g = *f.graph;
  const CompiledModel& m = *f.model;
  std::string j = "{\n";
  j += "  \"schema\": \"tinymlc-inspect/1\",\n";
  j += fmt::format("  \"tinymlc_version\": {},\n", JsonString(TINYMLC_VERSION));
  j += fmt::format("  \"model\": {},\n", JsonString(f.model_path));
  j += fmt::format("  \"inputs\": {},\n  \"outputs\": {},\n", JsonArray(g.inputs), JsonArray(g.outputs));
  j += "  \"operators\": [";
  for (size_t i = 0; i < f.layers.size(); ++i) {
    const LayerReport& l = *f.layers[i].layer;
    std::vector<std::string> paths;
    for (const std::string& o : l.options) paths.push_back(JsonString(PathName(o)));
    j += fmt::format(
        "{}\n    {{\"index\": {}, \"op\": {}, \"inputs\": {}, \"outputs\": {}, \"macs\": {}, "
        "\"code\": \"{}\", \"kernel\": {}, \"kernel_paths\": {}, \"weight_bytes\": {}, "
        "\"est_m4_cycles\": {}, \"weight_form\": {}}}",
        i ? "," : "", l.op_index, JsonString(l.op_name), JsonArray(f.layers[i].inputs),
        JsonArray(f.layers[i].outputs), l.macs, CodeKind(l),
        l.aliased || l.folded ? "null" : JsonString(l.kernel), JsonArray(paths), l.weight_bytes,
        f.layers[i].est_m4_cycles, l.weight_form.empty() ? "null" : JsonString(l.weight_form));
  }
  j += fmt::format("\n  ],\n  \"total_macs\": {},\n", f.total_macs);
  j += "  \"tensors\": [";
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const auto& t = g.tensors[i];
    std::string q = "null";
    if (t.quant.present()) {
      std::vector<std::string> scales;
      for (float sc : t.quant.scale) scales.push_back(fmt::format("{}", sc));
      q = fmt::format("{{\"scale\": {}, \"zero_point\": {}, \"axis\": {}}}", JsonArray(scales),
                      JsonArray(t.quant.zero_point), t.quant.axis);
    }
    j += fmt::format(
        "{}\n    {{\"index\": {}, \"name\": {}, \"dtype\": \"{}\", \"shape\": {}, \"bytes\": {}, "
        "\"kind\": \"{}\", \"quantization\": {}}}",
        i ? "," : "", t.index, JsonString(t.name), DTypeName(t.dtype), JsonArray(t.shape), t.Bytes(),
        TensorKind(t), q);
  }
  j += "\n  ],\n";
  j += fmt::format("  \"memory_plan\": {{\n    \"arena_bytes\": {},\n    \"lower_bound\": {},\n"
                   "    \"weight_bytes\": {},\n    \"patch_plan\": {},\n    \"live_bytes\": {},\n"
                   "    \"buffers\": [",
                   m.arena_bytes, m.lower_bound, m.weight_bytes,
                   m.patch_plan.empty() ? std::string("null") : JsonString(m.patch_plan),
                   JsonArray(f.live_bytes));
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    const auto& b = m.buffers[i];
    j += fmt::format("{}\n      {{\"label\": {}, \"tensors\": {}, \"offset\": {}, \"bytes\": {}, "
                     "\"first\": {}, \"last\": {}}}",
                     i ? "," : "", JsonString(b.label), JsonArray(b.tensors), b.offset, b.bytes, b.first,
                     b.last);
  }
  j += "\n    ]\n  },\n";
  j += fmt::format(
      "  \"totals\": {{\"weight_bytes\": {}, \"code_bytes_m4\": {}, \"arena_bytes\": {}, "
      "\"stack_bytes_m4\": {}, \"est_m4_cycles\": {}}}\n}}\n",
      m.weight_bytes, f.code_bytes_m4, m.arena_bytes, f.stack_bytes_m4, f.est_m4_cycles);
  return j;
}

// --- HTML ----------------------------------------------------------------------------------
namespace {

std::string Html(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += fmt::format("&#x{:02x};", c);  // names are bytes: shown as Latin-1
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string Shape(const std::vector<int32_t>& s) { return fmt::format("[{}]", fmt::join(s, ",")); }

// Thousands separated by a thin space, for the tables.
std::string Num(int64_t v) {
  std::string d = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += "&#8201;";
    out += d[i];
  }
  return (v < 0 ? "-" : "") + out;
}

// A colour per buffer: hues spread by the golden angle, two lightness levels.
std::string Colour(size_t i) {
  const double hue = std::fmod(static_cast<double>(i) * 137.508, 360.0);
  return fmt::format("hsl({:.0f},{}%,{}%)", hue, 62 + (i % 2) * 10, 48 + (i % 3) * 8);
}

}  // namespace

std::string ReportHtml(const ModelFacts& f) {
  const Graph& g = *f.graph;
  const CompiledModel& m = *f.model;
  const int steps = static_cast<int>(f.live_bytes.size());
  const int64_t arena = std::max<int64_t>(m.arena_bytes, 1);
  const std::string title = "tinymlc report: " + m.name;

  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += fmt::format("<title>{}</title>\n", Html(title));
  h += "<style>\n"
       "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1d2330;"
       "background:#fafbfc;max-width:1200px}\n"
       "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n"
       ".sub{color:#5a6270;font-size:13px}\n"
       ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}\n"
       ".card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:10px 14px;"
       "min-width:150px}\n.card b{display:block;font-size:20px}.card span{color:#5a6270;font-size:12px}\n"
       "svg{background:#fff;border:1px solid #dde1e7;border-radius:8px}\n"
       "svg text{font-size:11px;fill:#4a5260}\n"
       "rect.buffer{stroke:#1d2330;stroke-width:0.6;fill-opacity:0.85}\n"
       "rect.buffer.inplace{stroke-dasharray:3 2;stroke-width:1.4}\n"
       "rect.buffer:hover{fill-opacity:1;stroke-width:2}\n"
       "table{border-collapse:collapse;background:#fff;font-size:12px;width:100%}\n"
       "th,td{border:1px solid #dde1e7;padding:3px 6px;text-align:left;vertical-align:top}\n"
       "th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
       "tr.nocode td{color:#8a919c}\n"
       ".bar{background:#4e79a7;height:8px;display:inline-block;vertical-align:middle}\n"
       "p.note{font-size:12px;color:#5a6270;max-width:900px}\n"
       "</style>\n</head>\n<body>\n";
  h += fmt::format("<h1>{}</h1>\n", Html(title));
  h += fmt::format("<div class=\"sub\">{} &mdash; {} operators, {} tensors; tinymlc {}</div>\n",
                   Html(f.model_path), g.ops.size(), g.tensors.size(), TINYMLC_VERSION);

  // Totals.
  auto card = [](const std::string& value, const std::string& what) {
    return fmt::format("<div class=\"card\"><b>{}</b><span>{}</span></div>\n", value, what);
  };
  h += "<div class=\"cards\">\n";
  h += card(Num(m.weight_bytes + f.code_bytes_m4) + " B",
            fmt::format("flash (Cortex-M4): weights {} + code &le; {}", Num(m.weight_bytes),
                        Num(f.code_bytes_m4)));
  h += card(Num(m.arena_bytes + f.stack_bytes_m4) + " B",
            fmt::format("RAM: arena {} + stack &asymp; {}", Num(m.arena_bytes), Num(f.stack_bytes_m4)));
  h += card(Num(m.lower_bound) + " B", "live-set lower bound");
  h += card(Num(f.total_macs), "MACs per inference");
  h += card(Num(f.est_m4_cycles), "estimated Cortex-M4 cycles");
  h += "</div>\n";
  if (!m.patch_plan.empty()) {
    h += "<p><b>Patch plan</b> (patch-based execution, tinymlc --optimize ram / --memory-budget): " +
         Html(m.patch_plan) + "</p>\n";
  }

  // Memory plan: x = operator step, y = arena offset.
  const int W = 1000, H = 380, L = 70, R = 20, T = 14, B = 34;
  const double sx = static_cast<double>(W - L - R) / std::max(steps, 1);
  const double sy = static_cast<double>(H - T - B) / static_cast<double>(arena);
  h += "<h2>Memory plan</h2>\n<p class=\"note\">Each rectangle is one planned buffer: from the "
       "step it is first written to the step it is last read (x), at its offset in the arena "
       "(y). Buffers with a dashed outline run in place, overlapping the input they replace. "
       "Hover a rectangle for its tensors, shape and lifetime.</p>\n";
  h += fmt::format("<svg id=\"memory-plan\" width=\"{}\" "
                   "height=\"{}\" viewBox=\"0 0 {} {}\">\n",
                   W, H, W, H);
  for (int k = 0; k <= 4; ++k) {  // offset grid
    const int64_t off = arena * k / 4;
    const double y = T + sy * static_cast<double>(off);
    h += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#e4e7ec\"/>"
                     "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
                     L, y, W - R, y, L - 6, y + 4, off);
  }
  const int label_every = std::max(1, steps / 25);
  for (int s = 0; s < steps; s += label_every) {
    h += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     L + sx * (s + 0.5), H - B + 16, s);
  }
  h += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">operator step</text>\n",
                   L + (W - L - R) / 2, H - 4);
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    const BufferReport& b = m.buffers[i];
    const bool inplace = b.label.find("(in place") != std::string::npos;
    std::vector<std::string> what;
    for (int t : b.tensors) {
      const Tensor& tt = g.tensors[t];
      what.push_back(fmt::format("t{} '{}' {} {}", t, tt.name, DTypeName(tt.dtype), Shape(tt.shape)));
    }
    const std::string tip = fmt::format(
        "{}\n{}{}bytes {}, offset {}..{}\nlive at steps {}..{}", b.label, fmt::join(what, "\n"),
        what.empty() ? "" : "\n", b.bytes, b.offset, b.offset + b.bytes - 1, b.first, b.last);
    h += fmt::format(
        "<rect class=\"buffer{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"{}\"><title>{}</title></rect>\n",
        inplace ? " inplace" : "", L + sx * b.first, T + sy * static_cast<double>(b.offset),
        std::max(sx * (b.last - b.first + 1), 1.0), std::max(sy * static_cast<double>(b.bytes), 1.0),
        Colour(i), Html(tip));
  }
  h += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
                   "stroke=\"#1d2330\"/>\n</svg>\n",
                   L, T, W - L - R, H - T - B);

  // Live set over the steps against the arena.
  const int H2 = 220;
  int64_t top = arena;
  for (int64_t v : f.live_bytes) top = std::max(top, v);
  const double sy2 = static_cast<double>(H2 - T - B) / static_cast<double>(top);
  h += "<h2>Live set and arena</h2>\n<p class=\"note\">Bytes of the buffers live at each step "
       "(blue) against the arena (red line) and the live-set lower bound (grey, dashed). In-place "
       "layers count their shared bytes twice here, so the curve may pass the arena.</p>\n";
  h += fmt::format("<svg id=\"live-set\" width=\"{}\" "
                   "height=\"{}\" viewBox=\"0 0 {} {}\">\n",
                   W, H2, W, H2);
  auto y2 = [&](int64_t v) { return T + (H2 - T - B) - sy2 * static_cast<double>(v); };
  std::string pts;
  for (int s = 0; s < steps; ++s) {
    pts += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", L + sx * s, y2(f.live_bytes[s]), L + sx * (s + 1),
                       y2(f.live_bytes[s]));
  }
  h += fmt::format("<polygon points=\"{:.1f},{:.1f} {}{:.1f},{:.1f}\" fill=\"#4e79a7\" "
                   "fill-opacity=\"0.35\" stroke=\"#4e79a7\" stroke-width=\"1.5\"/>\n",
                   static_cast<double>(L), y2(0), pts, L + sx * steps, y2(0));
  h += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#e15759\" "
                   "stroke-width=\"2\"><title>arena {} bytes</title></line>\n",
                   L, y2(m.arena_bytes), W - R, y2(m.arena_bytes), m.arena_bytes);
  h += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#7f7f7f\" "
                   "stroke-dasharray=\"5 3\"><title>lower bound {} bytes</title></line>\n",
                   L, y2(m.lower_bound), W - R, y2(m.lower_bound), m.lower_bound);
  h += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>"
                   "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">0</text>\n",
                   L - 6, y2(m.arena_bytes) + 4, m.arena_bytes, L - 6, y2(0) + 4);
  h += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">arena {}</text>"
                   "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">lower bound {}</text>\n",
                   W - R - 4, y2(m.arena_bytes) - 4, m.arena_bytes, W - R - 170, y2(m.lower_bound) - 4,
                   m.lower_bound);
  h += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">operator step</text>\n</svg>\n",
                   L + (W - L - R) / 2, H2 - 4);

  // Per-layer table.
  int64_t max_cycles = 1;
  for (const LayerFacts& l : f.layers) max_cycles = std::max(max_cycles, l.est_m4_cycles);
  h += "<h2>Layers</h2>\n<table>\n<tr><th>#</th><th>operator</th><th>inputs</th><th>outputs</th>"
       "<th>MACs</th><th>weight bytes</th><th>kernel [paths]</th><th>est. M4 cycles</th></tr>\n";
  auto shapes = [&](const std::vector<int>& ts) {
    std::vector<std::string> out;
    for (int t : ts) {
      if (t < 0) continue;
      const Tensor& tt = g.tensors[t];
      out.push_back(fmt::format("t{}{} {}", t, tt.is_constant ? " (const)" : "", Shape(tt.shape)));
    }
    return fmt::format("{}", fmt::join(out, "<br>"));
  };
  for (const LayerFacts& lf : f.layers) {
    const LayerReport& l = *lf.layer;
    std::string kernel = l.aliased ? "alias, no code" : l.folded ? "folded at compile time" : Html(l.kernel);
    if (!l.options.empty()) {
      std::vector<std::string> paths;
      for (const std::string& o : l.options) paths.push_back(PathName(o));
      kernel += fmt::format(" [{}]", fmt::join(paths, " "));
    }
    if (!l.weight_form.empty()) kernel += "<br><small>weights: " + Html(l.weight_form) + "</small>";
    const int bar = static_cast<int>(80 * lf.est_m4_cycles / max_cycles);
    h += fmt::format(
        "<tr{}><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td>{}</td><td class=\"n\">{} <span class=\"bar\" "
        "style=\"width:{}px\"></span></td></tr>\n",
        l.aliased || l.folded ? " class=\"nocode\"" : "", l.op_index, Html(l.op_name), shapes(lf.inputs),
        shapes(lf.outputs), Num(l.macs), Num(l.weight_bytes), kernel, Num(lf.est_m4_cycles), bar);
  }
  h += fmt::format("<tr><th></th><th>total</th><th></th><th></th><th class=\"n\">{}</th>"
                   "<th class=\"n\">{}</th><th></th><th class=\"n\">{}</th></tr>\n</table>\n",
                   Num(f.total_macs), Num(m.weight_bytes), Num(f.est_m4_cycles));

  h += fmt::format(
      "<h2>How the estimates are made</h2>\n<p class=\"note\"><b>Cycles</b>: instructions per "
      "MAC of each operator type measured under QEMU on the Cortex-M4 firmware of the MLPerf "
      "Tiny models (benchmarks/results/m4_layers.txt, -O2: CONV_2D {:.2f}, DEPTHWISE_CONV_2D "
      "{:.2f}, FULLY_CONNECTED {:.2f}, AVERAGE_POOL_2D {:.2f}, ADD {:.2f}); operators without MACs "
      "{:.0f} instructions per output element; {} instructions per layer call; cycles = "
      "instructions &times; {:.2f}, the cycles per instruction that qemu-cycles (the Cortex-M4 "
      "TRM timing model, zero wait states) measured for kws_ref_model (1.366) and vww_96_int8 "
      "(1.391) at -O2 (benchmarks/results/m4_cpi_calibration.txt). Expect tens of percent of "
      "error per layer; measure with <code>tinymlc compile --profile</code> on the "
      "board.<br><b>Code</b>: each kernel template the model uses compiled alone for the "
      "Cortex-M4 at -Os with every path on (benchmarks/kernel_size_m4.sh), plus 24 bytes per "
      "layer call: an upper bound of the kernels' flash. <b>Stack</b>: the deepest kernel frame "
      "(-fstack-usage) plus 32 bytes for the invoke. <b>Weights</b> and <b>arena</b> are exact "
      "(what NAME.c holds). Per-layer weight bytes count a constant shared by two layers in each."
      "</p>\n",
      M4CostModel::InstructionsPerMac("CONV_2D"), M4CostModel::InstructionsPerMac("DEPTHWISE_CONV_2D"),
      M4CostModel::InstructionsPerMac("FULLY_CONNECTED"),
      M4CostModel::InstructionsPerMac("AVERAGE_POOL_2D"), M4CostModel::InstructionsPerMac("ADD"),
      M4CostModel::kInstructionsPerElement, M4CostModel::kInstructionsPerLayer,
      M4CostModel::kCyclesPerInstruction);
  h += "<p class=\"note\">The same data: <code>tinymlc inspect --json</code> (schema "
       "tinymlc-inspect/1).</p>\n</body>\n</html>\n";
  return h;
}

}  // namespace tinymlc
