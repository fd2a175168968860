// tinymlc command line: `compile`, `inspect` and `ops`. All failures are reported as one
// line on stderr with exit status 2; the library never exits.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <numeric>

#include "tinymlc/compiler.h"
#include "tinymlc/importer.h"

namespace {

constexpr int kExitModelError = 2;

int Fail(const tinymlc::Status& s) {
  std::fprintf(stderr, "tinymlc: error: %s\n", s.ToString().c_str());
  return kExitModelError;
}

std::string Shape(const std::vector<int32_t>& s) { return fmt::format("[{}]", fmt::join(s, ",")); }

int RunCompile(const std::string& model_path, const std::string& out_dir, std::string name,
               const std::string& command_line) {
  auto graph = tinymlc::ImportTfliteFile(model_path);
  if (!graph.ok()) return Fail(graph.status());
  if (name.empty()) name = tinymlc::ModelNameFromPath(model_path);
  tinymlc::CompileOptions opts;
  opts.name = name;
  opts.command_line = command_line;
  auto compiled = tinymlc::CompileGraph(graph.value(), opts);
  if (!compiled.ok()) return Fail(tinymlc::Status(compiled.status()).WithFile(model_path));
  tinymlc::Status w = tinymlc::WriteCompiledModel(compiled.value(), out_dir);
  if (!w.ok()) return Fail(w);
  std::printf("tinymlc: %s -> %s/%s.c: %zu operators, arena %lld bytes (lower bound %lld), "
              "weights %lld bytes\n",
              model_path.c_str(), out_dir.c_str(), name.c_str(), graph->ops.size(),
              static_cast<long long>(compiled->arena_bytes),
              static_cast<long long>(compiled->lower_bound),
              static_cast<long long>(compiled->weight_bytes));
  return 0;
}

int RunInspect(const std::string& model_path) {
  auto graph = tinymlc::ImportTfliteFile(model_path);
  if (!graph.ok()) return Fail(graph.status());
  const tinymlc::Graph& g = graph.value();
  tinymlc::CompileOptions opts;
  opts.name = tinymlc::ModelNameFromPath(model_path);
  auto compiled = tinymlc::CompileGraph(g, opts);
  if (!compiled.ok()) return Fail(tinymlc::Status(compiled.status()).WithFile(model_path));
  const tinymlc::CompiledModel& m = compiled.value();

  fmt::print("Model {}: {} tensors, {} operators, inputs {}, outputs {}\n\n", model_path,
             g.tensors.size(), g.ops.size(), fmt::join(g.inputs, ","), fmt::join(g.outputs, ","));
  fmt::print("Operators:\n{:>4}  {:<20} {:<18} {:<10} {:>12}  {}\n", "#", "op", "inputs", "outputs",
             "MACs", "kernel [paths]");
  int64_t total_macs = 0;
  for (const auto& l : m.layers) {
    const auto& op = g.ops[l.op_index];
    std::vector<int> ins;
    for (int t : op.inputs) ins.push_back(t);
    std::string kernel = l.aliased ? "(alias, no code)" : l.folded ? "(folded, no code)" : l.kernel;
    if (!l.options.empty()) {
      std::vector<std::string> paths;
      for (const std::string& o : l.options) paths.push_back(o.substr(o.rfind("TML_OPT_") == 0 ? 8 : 0));
      kernel += fmt::format(" [{}]", fmt::join(paths, " "));
    }
    fmt::print("{:>4}  {:<20} {:<18} {:<10} {:>12}  {}\n", l.op_index, l.op_name,
               fmt::format("{}", fmt::join(ins, ",")), fmt::format("{}", fmt::join(op.outputs, ",")),
               l.macs, kernel);
    total_macs += l.macs;
  }
  fmt::print("{:>4}  {:<20} {:<18} {:<10} {:>12}\n\n", "", "total", "", "", total_macs);

  fmt::print("Tensors:\n{:>4}  {:<7} {:<16} {:>9}  {:<8} {}\n", "#", "dtype", "shape", "bytes", "kind",
             "quantization / name");
  for (const auto& t : g.tensors) {
    std::string q = "-";
    if (t.quant.per_channel()) {
      q = fmt::format("per-channel axis {} ({} scales)", t.quant.axis, t.quant.scale.size());
    } else if (t.quant.present()) {
      q = fmt::format("scale {} zp {}", t.scale(), t.zero_point());
    }
    fmt::print("{:>4}  {:<7} {:<16} {:>9}  {:<8} {}  '{}'\n", t.index, tinymlc::DTypeName(t.dtype),
               Shape(t.shape), t.Bytes(),
               t.is_constant ? "const" : (t.is_variable ? "variable" : "arena"), q, t.name);
  }
  fmt::print("\nMemory plan (arena {} bytes, lower bound {} bytes, weights {} bytes):\n",
             m.arena_bytes, m.lower_bound, m.weight_bytes);
  fmt::print("{:>8} {:>8} {:>9}  {:<5} {}\n", "offset", "bytes", "lifetime", "", "buffer (tensors)");
  for (const auto& b : m.buffers) {
    fmt::print("{:>8} {:>8} {:>4}..{:<4}  {} ({})\n", b.offset, b.bytes, b.first, b.last, b.label,
               fmt::join(b.tensors, ","));
  }
  fmt::print("\n{}", m.plan_dump);
  return 0;
}

}  // namespace

static int Main(int argc, char** argv) {
  CLI::App app{"tinymlc " TINYMLC_VERSION
               ": compiles int8 TensorFlow Lite models to self-contained C99"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(TINYMLC_VERSION));

  std::string model, out_dir, name;
  CLI::App* compile = app.add_subcommand(
      "compile", "Compile MODEL into DIR/NAME.c, DIR/NAME.h and DIR/tinyml_runtime.h");
  compile->add_option("model", model, "Path of the .tflite model")->required();
  compile->add_option("-o,--output", out_dir, "Output folder (created if missing)")->required();
  compile->add_option("--name", name,
                      "C identifier prefixed to every symbol (default: the model file's stem)");

  std::string inspect_model;
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Print operators, tensors, quantization, the memory plan and MACs per layer");
  inspect->add_option("model", inspect_model, "Path of the .tflite model")->required();

  bool markdown = false;
  CLI::App* ops = app.add_subcommand("ops", "List the supported operators and tensor types");
  ops->add_flag("--markdown", markdown, "Print the README's Markdown table");

  CLI11_PARSE(app, argc, argv);
  if (*compile) {
    if (!name.empty() && !tinymlc::IsCIdentifier(name)) {
      std::fprintf(stderr, "tinymlc: error: --name '%s' is not a C identifier\n", name.c_str());
      return kExitModelError;
    }
    // Recorded in the generated files: options only, no paths (output stays identical
    // wherever the model and the output folder are).
    const std::string cmd = name.empty() ? "" : "--name " + name;
    return RunCompile(model, out_dir, name, cmd);
  }
  if (*inspect) return RunInspect(inspect_model);
  if (*ops) {
    if (markdown) {
      fmt::print("{}", tinymlc::SupportedOperatorsMarkdown());
    } else {
      for (const auto& o : tinymlc::SupportedOperators()) {
        fmt::print("{:<30} {:>4}  {}{}\n", o.name, o.builtin_code, o.types,
                   o.folds ? " (folded when constant)" : "");
      }
    }
    return 0;
  }
  return 0;
}

// The library reports every model problem as a Status; what is left (out of memory, an
// unwritable output folder reported by the standard library) still ends as one line and
// exit status 2, never as an uncaught exception.
int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinymlc: error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "tinymlc: error: unknown internal error\n");
  }
  return kExitModelError;
}
