// tinymlc command line: `compile`, `inspect` and `ops`. All failures are reported as one
// line on stderr with exit status 2; the library never exits.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <numeric>
#include <tuple>

#include "tinymlc/compiler.h"
#include "tinymlc/importer.h"

namespace {

constexpr int kExitModelError = 2;

int Fail(const tinymlc::Status& s) {
  std::fprintf(stderr, "tinymlc: error: %s\n", s.ToString().c_str());
  return kExitModelError;
}

std::string Shape(const std::vector<int32_t>& s) { return fmt::format("[{}]", fmt::join(s, ",")); }

// The firmware options of `compile` (README "Using tinymlc in firmware"), as given.
struct FirmwareFlags {
  std::string weights_section, arena_section, align, arena;
  bool weights_file = false, float_io = false, profile = false;
};

void AddFirmwareOptions(CLI::App* compile, FirmwareFlags* f) {
  compile->add_option("--weights-section", f->weights_section,
                      "Put the weights and other constant arrays in this linker section");
  compile->add_option("--arena-section", f->arena_section, "Put the static arena in this linker section");
  compile->add_option("--align", f->align,
                      "Alignment of the arena and the weight arrays: a power of two >= 4 (default 16 "
                      "with the other placement options)");
  compile->add_flag("--weights-file", f->weights_file,
                    "Write the weights and constant arrays to DIR/NAME_weights.c");
  compile->add_option("--arena", f->arena,
                      "static (default): the model's own arena; external: NAME_set_arena() takes "
                      "the application's memory");
  compile->add_flag("--float-io", f->float_io,
                    "Add NAME_set_input_float() and NAME_get_output_float()");
  compile->add_flag("--profile", f->profile,
                    "Time every layer (NAME_profile(), NAME_profile_print(); DWT on Cortex-M)");
}

// Checks the flags into `opts` and appends them to the recorded command line. "" or the
// error message.
std::string ApplyFirmwareFlags(const FirmwareFlags& f, tinymlc::CompileOptions* opts,
                               std::string* cmd) {
  std::vector<std::string> recorded;
  for (const auto& [flag, value, field] :
       {std::make_tuple("--weights-section", &f.weights_section, &opts->weights_section),
        std::make_tuple("--arena-section", &f.arena_section, &opts->arena_section)}) {
    if (value->empty()) continue;
    if (!tinymlc::IsSectionName(*value)) {
      return fmt::format("{} '{}' is not a section name (letters, digits, '_', '.', '$'; "
                         "at most 63 characters)", flag, *value);
    }
    *field = *value;
    recorded.push_back(fmt::format("{} {}", flag, *value));
  }
  if (!f.weights_section.empty() && f.weights_section == f.arena_section) {
    return "--weights-section and --arena-section name the same section (constants and the "
           "writable arena cannot share one)";
  }
  if (!f.align.empty()) {
    int64_t a = 0;
    bool digits = f.align.size() <= 6 && f.align.find_first_not_of("0123456789") == std::string::npos;
    if (digits) a = std::stoll(f.align);
    if (!digits || a < 4 || (a & (a - 1)) != 0) {
      return fmt::format("--align '{}' is not a power of two >= 4 (at most 65536)", f.align);
    }
    if (a > 65536) return fmt::format("--align '{}' is not a power of two >= 4 (at most 65536)", f.align);
    opts->placement_align = a;
    recorded.push_back(fmt::format("--align {}", a));
  }
  if (f.weights_file) {
    opts->weights_file = true;
    recorded.push_back("--weights-file");
  }
  if (!f.arena.empty()) {
    if (f.arena != "static" && f.arena != "external") {
      return fmt::format("--arena '{}' must be 'static' or 'external'", f.arena);
    }
    opts->external_arena = f.arena == "external";
    if (opts->external_arena) recorded.push_back("--arena external");
  }
  if (opts->external_arena && !opts->arena_section.empty()) {
    return "--arena-section needs the static arena (--arena external: the application places its memory)";
  }
  if (f.float_io) {
    opts->float_io = true;
    recorded.push_back("--float-io");
  }
  if (f.profile) {
    opts->profile = true;
    recorded.push_back("--profile");
  }
  for (const std::string& r : recorded) *cmd += (cmd->empty() ? "" : " ") + r;
  return "";
}

int RunCompile(const std::string& model_path, const std::string& out_dir, std::string name,
               const std::string& command_line, const tinymlc::CompileOptions& firmware = {}) {
  auto graph = tinymlc::ImportTfliteFile(model_path);
  if (!graph.ok()) return Fail(graph.status());
  if (name.empty()) name = tinymlc::ModelNameFromPath(model_path);
  tinymlc::CompileOptions opts = firmware;
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

// --- inspect --json ---------------------------------------------------------------------
// Schema "tinymlc-inspect/1" (README "inspect --json"): the same facts as the text form.

// A JSON string: '"', '\\' and control characters escaped; bytes >= 0x80 as \u00XX
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

int RunInspectJson(const std::string& model_path) {
  auto graph = tinymlc::ImportTfliteFile(model_path);
  if (!graph.ok()) return Fail(graph.status());
  const tinymlc::Graph& g = graph.value();
  tinymlc::CompileOptions opts;
  opts.name = tinymlc::ModelNameFromPath(model_path);
  auto compiled = tinymlc::CompileGraph(g, opts);
  if (!compiled.ok()) return Fail(tinymlc::Status(compiled.status()).WithFile(model_path));
  const tinymlc::CompiledModel& m = compiled.value();

  std::string j = "{\n";
  j += "  \"schema\": \"tinymlc-inspect/1\",\n";
  j += fmt::format("  \"tinymlc_version\": {},\n", JsonString(TINYMLC_VERSION));
  j += fmt::format("  \"model\": {},\n", JsonString(model_path));
  j += fmt::format("  \"inputs\": {},\n  \"outputs\": {},\n", JsonArray(g.inputs), JsonArray(g.outputs));
  j += "  \"operators\": [";
  int64_t total_macs = 0;
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const auto& l = m.layers[i];
    const auto& op = g.ops[l.op_index];
    std::vector<std::string> paths;
    for (const std::string& o : l.options) paths.push_back(JsonString(o.substr(o.rfind("TML_OPT_") == 0 ? 8 : 0)));
    const char* code = l.aliased ? "alias" : l.folded ? "folded" : "kernel";
    j += fmt::format(
        "{}\n    {{\"index\": {}, \"op\": {}, \"inputs\": {}, \"outputs\": {}, \"macs\": {}, "
        "\"code\": \"{}\", \"kernel\": {}, \"kernel_paths\": {}}}",
        i ? "," : "", l.op_index, JsonString(l.op_name), JsonArray(op.inputs), JsonArray(op.outputs),
        l.macs, code, l.aliased || l.folded ? "null" : JsonString(l.kernel), JsonArray(paths));
    total_macs += l.macs;
  }
  j += fmt::format("\n  ],\n  \"total_macs\": {},\n", total_macs);
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
        i ? "," : "", t.index, JsonString(t.name), tinymlc::DTypeName(t.dtype), JsonArray(t.shape),
        t.Bytes(), t.is_constant ? "const" : (t.is_variable ? "variable" : "arena"), q);
  }
  j += "\n  ],\n";
  j += fmt::format("  \"memory_plan\": {{\n    \"arena_bytes\": {},\n    \"lower_bound\": {},\n"
                   "    \"weight_bytes\": {},\n    \"buffers\": [",
                   m.arena_bytes, m.lower_bound, m.weight_bytes);
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    const auto& b = m.buffers[i];
    j += fmt::format("{}\n      {{\"label\": {}, \"tensors\": {}, \"offset\": {}, \"bytes\": {}, "
                     "\"first\": {}, \"last\": {}}}",
                     i ? "," : "", JsonString(b.label), JsonArray(b.tensors), b.offset, b.bytes, b.first,
                     b.last);
  }
  j += "\n    ]\n  }\n}\n";
  fmt::print("{}", j);
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
  FirmwareFlags firmware;
  AddFirmwareOptions(compile, &firmware);

  std::string inspect_model;
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Print operators, tensors, quantization, the memory plan and MACs per layer");
  inspect->add_option("model", inspect_model, "Path of the .tflite model")->required();
  bool inspect_json = false;
  inspect->add_flag("--json", inspect_json,
                    "Print JSON (schema tinymlc-inspect/1, README \"inspect --json\")");

  bool markdown = false;
  CLI::App* ops = app.add_subcommand("ops", "List the supported operators and tensor types");
  ops->add_flag("--markdown", markdown, "Print the README's Markdown table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // A missing or unknown option: one line and exit status 2, as every other error.
    std::fprintf(stderr, "tinymlc: error: %s (see tinymlc --help)\n", e.what());
    return kExitModelError;
  }
  if (*compile) {
    if (!name.empty() && !tinymlc::IsCIdentifier(name)) {
      std::fprintf(stderr, "tinymlc: error: --name '%s' is not a C identifier\n", name.c_str());
      return kExitModelError;
    }
    // Recorded in the generated files: options only, no paths (output stays identical
    // wherever the model and the output folder are).
    std::string cmd = name.empty() ? "" : "--name " + name;
    tinymlc::CompileOptions firmware_opts;
    const std::string bad = ApplyFirmwareFlags(firmware, &firmware_opts, &cmd);
    if (!bad.empty()) {
      std::fprintf(stderr, "tinymlc: error: %s\n", bad.c_str());
      return kExitModelError;
    }
    return RunCompile(model, out_dir, name, cmd, firmware_opts);
  }
  if (*inspect) return inspect_json ? RunInspectJson(inspect_model) : RunInspect(inspect_model);
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
