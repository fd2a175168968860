// tinymlc._core: the compiler linked into Python (nanobind). Thin: every function takes
// the model's bytes and a label for messages, runs the same library calls as the command
// line, and raises ValueError with the library's message (file, subgraph, operator,
// tensor) on bad input. The Python side (tinymlc/__init__.py) builds the user API on it.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <string>

#include "tinymlc/compiler.h"
#include "tinymlc/importer.h"
#include "tinymlc/options.h"
#include "tinymlc/report.h"

namespace nb = nanobind;

namespace {

tinymlc::Graph Import(const nb::bytes& model, const std::string& label) {
  auto graph = tinymlc::ImportTfliteBuffer(reinterpret_cast<const uint8_t*>(model.c_str()),
                                           model.size(), label);
  if (!graph.ok()) throw nb::value_error(graph.status().ToString().c_str());
  return std::move(graph).value();
}

tinymlc::CompiledModel Compile(const tinymlc::Graph& g, const tinymlc::CompileOptions& opts,
                               const std::string& label) {
  auto compiled = tinymlc::CompileGraph(g, opts);
  if (!compiled.ok()) {
    throw nb::value_error(tinymlc::Status(compiled.status()).WithFile(label).ToString().c_str());
  }
  return std::move(compiled).value();
}

// compile(model, label, name, weights_section, arena_section, align, arena, weights_file,
// float_io, profile, optimize) -> dict of the generated files and the summary.
nb::dict CompileModel(const nb::bytes& model, const std::string& label, const std::string& name,
                      const std::string& weights_section, const std::string& arena_section,
                      const std::string& align, const std::string& arena, bool weights_file,
                      bool float_io, bool profile, const std::string& optimize) {
  if (!tinymlc::IsCIdentifier(name)) {
    throw nb::value_error(("name '" + name + "' is not a C identifier").c_str());
  }
  tinymlc::FirmwareFlags flags;
  flags.weights_section = weights_section;
  flags.arena_section = arena_section;
  flags.align = align;
  flags.arena = arena;
  flags.weights_file = weights_file;
  flags.float_io = float_io;
  flags.profile = profile;
  flags.optimize = optimize;
  tinymlc::CompileOptions opts;
  std::string cmd;
  const std::string bad = tinymlc::ApplyFirmwareFlags(flags, &opts, &cmd);
  if (!bad.empty()) throw nb::value_error(bad.c_str());
  opts.name = name;
  opts.command_line = "tinymlc.compile(" + label + (cmd.empty() ? "" : ", " + cmd) + ")";
  const tinymlc::Graph g = Import(model, label);
  const tinymlc::CompiledModel m = Compile(g, opts, label);
  nb::dict files;
  files[(name + ".c").c_str()] = nb::bytes(m.source.data(), m.source.size());
  files[(name + ".h").c_str()] = nb::bytes(m.header.data(), m.header.size());
  files["tinyml_runtime.h"] = nb::bytes(m.runtime_header.data(), m.runtime_header.size());
  if (!m.weights_source.empty()) {
    files[(name + "_weights.c").c_str()] = nb::bytes(m.weights_source.data(), m.weights_source.size());
  }
  nb::list layers;
  int64_t macs = 0;
  for (const tinymlc::LayerReport& l : m.layers) {
    nb::dict d;
    d["op_index"] = l.op_index;
    d["op"] = l.op_name;
    d["output_tensor"] = l.output_tensor;
    d["macs"] = l.macs;
    d["kernel"] = l.kernel;
    d["folded"] = l.folded;
    d["aliased"] = l.aliased;
    layers.append(d);
    macs += l.macs;
  }
  nb::dict out;
  out["files"] = files;
  out["name"] = name;
  out["arena_bytes"] = m.arena_bytes;
  out["lower_bound"] = m.lower_bound;
  out["weight_bytes"] = m.weight_bytes;
  out["operators"] = static_cast<int64_t>(g.ops.size());
  out["macs"] = macs;
  out["layers"] = layers;
  out["needs_math"] = m.needs_math;
  return out;
}

// The facts of `inspect --json` / `report`, compiled with the default options.
std::string Facts(const nb::bytes& model, const std::string& label, bool html) {
  const tinymlc::Graph g = Import(model, label);
  tinymlc::CompileOptions opts;
  opts.name = tinymlc::ModelNameFromPath(label);
  if (!tinymlc::IsCIdentifier(opts.name)) opts.name = "model";
  const tinymlc::CompiledModel m = Compile(g, opts, label);
  const tinymlc::ModelFacts facts = tinymlc::CollectFacts(label, g, m);
  return html ? tinymlc::ReportHtml(facts) : tinymlc::InspectJson(facts);
}

}  // namespace

NB_MODULE(_core, m) {
  m.doc() = "The tinymlc compiler (C++), linked into Python.";
  m.attr("__version__") = TINYMLC_VERSION;
  m.def("compile_model", &CompileModel, nb::arg("model"), nb::arg("label"), nb::arg("name"),
        nb::arg("weights_section") = "", nb::arg("arena_section") = "", nb::arg("align") = "",
        nb::arg("arena") = "", nb::arg("weights_file") = false, nb::arg("float_io") = false,
        nb::arg("profile") = false, nb::arg("optimize") = "");
  m.def("inspect_json",
        [](const nb::bytes& model, const std::string& label) { return Facts(model, label, false); },
        nb::arg("model"), nb::arg("label"));
  m.def("report_html",
        [](const nb::bytes& model, const std::string& label) { return Facts(model, label, true); },
        nb::arg("model"), nb::arg("label"));
  m.def("model_name_from_path", &tinymlc::ModelNameFromPath, nb::arg("path"));
}
