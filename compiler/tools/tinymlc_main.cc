// tinymlc command line: `compile`, `quantize`, `inspect`, `report` and `ops`. All failures are reported as one
// line on stderr with exit status 2; the library never exits.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <numeric>
#include <tuple>

#include "tinymlc/compiler.h"
#include "tinymlc/importer.h"
#include "tinymlc/options.h"
#include "tinymlc/quantize.h"
#include "tinymlc/report.h"

namespace {

constexpr int kExitModelError = 2;

int Fail(const tinymlc::Status& s) {
  std::fprintf(stderr, "tinymlc: error: %s\n", s.ToString().c_str());
  return kExitModelError;
}

std::string Shape(const std::vector<int32_t>& s) { return fmt::format("[{}]", fmt::join(s, ",")); }

void AddFirmwareOptions(CLI::App* compile, tinymlc::FirmwareFlags* f) {
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
  compile->add_option("--optimize", f->optimize,
                      "balanced (default): fast kernel paths unless the C compiler optimizes for "
                      "size; speed: always the fast paths; size: always the small ones; ram: "
                      "the smallest arena (patch-based execution of the first layers)");
  compile->add_option("--memory-budget", f->memory_budget,
                      "Arena budget in bytes: the patch plan with the fewest extra MACs that fits "
                      "(an error naming the smallest reachable arena if none does)");
  compile->add_option("--input", f->input,
                      "arena (default): the input lives in the arena; external: the model reads "
                      "it from the caller's buffer (NAME_set_input_buffer())");
  compile->add_option("--sparse", f->sparse,
                      "auto (default): store int8 weights sparse or clustered where that wins in "
                      "flash and estimated cycles; off: always dense; force: compressed wherever "
                      "a form applies (the smallest); size: the smallest form; fast: compressed "
                      "wherever a form applies (the fastest)");
}

// The quantizer's options as `quantize` and `compile --calibration` take them.
struct QuantizeFlags {
  std::string calibration;
  std::string method = "minmax";
  double percentile = 99.99;
  bool int8_io = false;
  bool per_tensor_fc = false;
  std::string activations = "int8";
};

void AddQuantizeOptions(CLI::App* sub, QuantizeFlags* q, bool required) {
  auto* c = sub->add_option("--calibration", q->calibration,
                            "Folder of calibration inputs: .npy files or raw float32 files, one or "
                            "more samples each, read in name order");
  if (required) c->required();
  sub->add_option("--calibrate", q->method,
                  "How activation ranges are taken from the calibration values: minmax (default, "
                  "as the TF converter), percentile or mse");
  sub->add_option("--percentile", q->percentile,
                  "--calibrate percentile: the upper percentile kept (default 99.99; the lower is "
                  "100 minus it)");
  sub->add_flag("--int8-io", q->int8_io,
                "Integer graph inputs and outputs, int8 (int16 with --activations int16) (default: "
                "float32 ones with QUANTIZE and DEQUANTIZE)");
  sub->add_option("--activations", q->activations,
                  "int8 (default) or int16: symmetric int16 activations, int8 weights and int64 "
                  "bias (the TF converter's 16x8 mode)");
  sub->add_flag("--per-tensor-fc", q->per_tensor_fc,
                "One weight scale per FULLY_CONNECTED tensor (default: one per output channel)");
}

// "" or what is wrong with the flags.
std::string ToQuantizeOptions(const QuantizeFlags& q, tinymlc::QuantizeOptions* o) {
  if (q.method == "minmax") {
    o->method = tinymlc::CalibrationMethod::kMinMax;
  } else if (q.method == "percentile") {
    o->method = tinymlc::CalibrationMethod::kPercentile;
  } else if (q.method == "mse") {
    o->method = tinymlc::CalibrationMethod::kMse;
  } else {
    return fmt::format("--calibrate '{}' is not minmax, percentile or mse", q.method);
  }
  if (!(q.percentile > 50.0 && q.percentile <= 100.0)) {
    return fmt::format("--percentile {} is not in (50, 100]", q.percentile);
  }
  o->percentile = q.percentile;
  o->int8_io = q.int8_io;
  if (q.activations != "int8" && q.activations != "int16") {
    return fmt::format("--activations '{}' is not int8 or int16", q.activations);
  }
  o->int16_activations = q.activations == "int16";
  o->per_tensor_fully_connected = q.per_tensor_fc;
  return "";
}

int RunQuantize(const std::string& model_path, const std::string& out_path, const QuantizeFlags& flags) {
  tinymlc::QuantizeOptions opts;
  const std::string bad = ToQuantizeOptions(flags, &opts);
  if (!bad.empty()) return Fail(tinymlc::Status::Error(bad));
  auto bytes = tinymlc::QuantizeTfliteFile(model_path, flags.calibration, opts);
  if (!bytes.ok()) return Fail(bytes.status());
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  out.close();
  if (!out) return Fail(tinymlc::Status::Error(fmt::format("cannot write '{}'", out_path)));
  std::printf("tinymlc: %s -> %s: %s, calibrated on %s (%s), %zu bytes\n", model_path.c_str(),
              out_path.c_str(), opts.int16_activations ? "int16x8" : "int8", flags.calibration.c_str(),
              flags.method.c_str(), bytes->size());
  return 0;
}

int RunCompile(const std::string& model_path, const std::string& out_dir, std::string name,
               const std::string& command_line, const tinymlc::CompileOptions& firmware = {},
               const QuantizeFlags* quantize = nullptr) {
  tinymlc::Result<tinymlc::Graph> graph = tinymlc::Status::Error("no model");
  if (quantize) {
    // compile --calibration: the float model quantized in memory, then compiled.
    tinymlc::QuantizeOptions qopts;
    const std::string bad = ToQuantizeOptions(*quantize, &qopts);
    if (!bad.empty()) return Fail(tinymlc::Status::Error(bad));
    auto bytes = tinymlc::QuantizeTfliteFile(model_path, quantize->calibration, qopts);
    if (!bytes.ok()) return Fail(bytes.status());
    graph = tinymlc::ImportTfliteBuffer(bytes->data(), bytes->size(), model_path);
  } else {
    graph = tinymlc::ImportTfliteFile(model_path);
  }
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

// `compile a.tflite b.tflite ... -o DIR`: every model with CompileOptions::shared_kernels
// and the kernels once in DIR/tinyml_kernels.c (README "Several models in one firmware").
// `names` has one C identifier per model ("" for the default: the file's stem).
int RunCompileSeveral(const std::vector<std::string>& model_paths, const std::string& out_dir,
                      std::vector<std::string> names, const std::string& firmware_cmd,
                      const tinymlc::CompileOptions& firmware) {
  std::vector<tinymlc::CompiledModel> compiled;
  for (size_t i = 0; i < model_paths.size(); ++i) {
    const std::string& path = model_paths[i];
    auto graph = tinymlc::ImportTfliteFile(path);
    if (!graph.ok()) return Fail(graph.status());
    std::string& name = names[i];
    if (name.empty()) name = tinymlc::ModelNameFromPath(path);
    if (name == "tinyml_kernels" || name == "tinyml_runtime") {
      return Fail(tinymlc::Status::Error(fmt::format(
          "{}: the model name '{}' is the shared file's (give another with --name)", path, name)));
    }
    for (size_t k = 0; k < i; ++k) {
      if (names[k] == name) {
        return Fail(tinymlc::Status::Error(fmt::format(
            "{} and {} have the same name '{}' (give each its own with --name a,b,...)",
            model_paths[k], path, name)));
      }
    }
    tinymlc::CompileOptions opts = firmware;
    opts.name = name;
    opts.shared_kernels = true;
    opts.command_line = "--name " + name + (firmware_cmd.empty() ? "" : " " + firmware_cmd) +
                        " (kernels in tinyml_kernels.c)";
    auto model = tinymlc::CompileGraph(graph.value(), opts);
    if (!model.ok()) return Fail(tinymlc::Status(model.status()).WithFile(path));
    compiled.push_back(std::move(model.value()));
  }
  std::vector<const tinymlc::CompiledModel*> ptrs;
  for (const auto& m : compiled) ptrs.push_back(&m);
  auto kernels = tinymlc::EmitSharedKernels(ptrs, firmware_cmd);
  if (!kernels.ok()) return Fail(kernels.status());
  for (size_t i = 0; i < compiled.size(); ++i) {
    const tinymlc::Status w = tinymlc::WriteCompiledModel(compiled[i], out_dir);
    if (!w.ok()) return Fail(w);
    std::printf("tinymlc: %s -> %s/%s.c: arena %lld bytes (lower bound %lld), weights %lld bytes\n",
                model_paths[i].c_str(), out_dir.c_str(), names[i].c_str(),
                static_cast<long long>(compiled[i].arena_bytes),
                static_cast<long long>(compiled[i].lower_bound),
                static_cast<long long>(compiled[i].weight_bytes));
  }
  const tinymlc::Status w = tinymlc::WriteSharedKernels(kernels.value(), out_dir);
  if (!w.ok()) return Fail(w);
  std::printf("tinymlc: %zu kernel templates once in %s/tinyml_kernels.c\n", kernels->files.size(),
              out_dir.c_str());
  return 0;
}

int RunInspect(const std::string& model_path, tinymlc::CompileOptions opts) {
  auto graph = tinymlc::ImportTfliteFile(model_path);
  if (!graph.ok()) return Fail(graph.status());
  opts.name = tinymlc::ModelNameFromPath(model_path);
  auto compiled = tinymlc::CompileGraph(graph.value(), opts);
  if (!compiled.ok()) return Fail(tinymlc::Status(compiled.status()).WithFile(model_path));
  const tinymlc::CompiledModel& m = compiled.value();
  // With patches, the layers and buffers are those of the rewritten graph.
  const tinymlc::Graph& g = m.patched_graph ? *m.patched_graph : graph.value();

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
  fmt::print("\nPatch plan: {}\n", m.patch_plan.empty() ? "none (the whole graph runs layer by layer)"
                                                          : m.patch_plan);
  fmt::print("\nMemory plan (arena {} bytes, lower bound {} bytes, weights {} bytes):\n",
             m.arena_bytes, m.lower_bound, m.weight_bytes);
  fmt::print("{:>8} {:>8} {:>9}  {:<5} {}\n", "offset", "bytes", "lifetime", "", "buffer (tensors)");
  for (const auto& b : m.buffers) {
    fmt::print("{:>8} {:>8} {:>4}..{:<4}  {} ({})\n", b.offset, b.bytes, b.first, b.last, b.label,
               fmt::join(b.tensors, ","));
  }
  fmt::print("\n{}", m.plan_dump);
  // Last, so that readers of the sections above see them unchanged.
  bool forms = false;
  for (const auto& l : m.layers) {
    if (l.weight_form.empty()) continue;
    if (!forms) fmt::print("\nWeight forms (--sparse: dense, sparse, 2:4, 2:4 pairs or clustered, and why):\n");
    forms = true;
    fmt::print("{:>4}  {:<20} {}\n", l.op_index, l.op_name, l.weight_form);
  }
  return 0;
}

// --- inspect --json and report: one set of facts (tinymlc/report.h) -----------------------

// Compiles the model as `inspect` does and writes the facts through `form`.
int RunFacts(const std::string& model_path, std::string (*form)(const tinymlc::ModelFacts&),
             const std::string& out_path, tinymlc::CompileOptions opts) {
  auto graph = tinymlc::ImportTfliteFile(model_path);
  if (!graph.ok()) return Fail(graph.status());
  opts.name = tinymlc::ModelNameFromPath(model_path);
  auto compiled = tinymlc::CompileGraph(graph.value(), opts);
  if (!compiled.ok()) return Fail(tinymlc::Status(compiled.status()).WithFile(model_path));
  const tinymlc::Graph& g = compiled->patched_graph ? *compiled->patched_graph : graph.value();
  const tinymlc::ModelFacts facts = tinymlc::CollectFacts(model_path, g, compiled.value());
  const std::string text = form(facts);
  if (out_path.empty()) {
    fmt::print("{}", text);
    return 0;
  }
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return Fail(tinymlc::Status::Error(fmt::format("cannot write '{}'", out_path)));
  std::printf("tinymlc: %s -> %s: %zu buffers, arena %lld bytes\n", model_path.c_str(), out_path.c_str(),
              compiled->buffers.size(), static_cast<long long>(compiled->arena_bytes));
  return 0;
}

}  // namespace

static int Main(int argc, char** argv) {
  CLI::App app{"tinymlc " TINYMLC_VERSION
               ": compiles int8 TensorFlow Lite models to self-contained C99"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(TINYMLC_VERSION));

  std::vector<std::string> models;
  std::string out_dir, name;
  CLI::App* compile = app.add_subcommand(
      "compile", "Compile MODEL into DIR/NAME.c, DIR/NAME.h and DIR/tinyml_runtime.h (several "
                 "models: also DIR/tinyml_kernels.c and .h, every kernel once)");
  compile->add_option("model", models, "Path of the .tflite model (or several)")->required();
  compile->add_option("-o,--output", out_dir, "Output folder (created if missing)")->required();
  compile->add_option("--name", name,
                      "C identifier prefixed to every symbol (default: the model file's stem); "
                      "several models: one per model, separated by commas");
  tinymlc::FirmwareFlags firmware;
  AddFirmwareOptions(compile, &firmware);
  QuantizeFlags compile_quant;
  AddQuantizeOptions(compile, &compile_quant, /*required=*/false);

  std::string quantize_model, quantize_out;
  QuantizeFlags quant;
  CLI::App* quantize = app.add_subcommand(
      "quantize", "Quantize a float32 model to full int8 or 16x8 (per-channel weights, calibrated "
                  "activations) and write a .tflite that TFLM runs and tinymlc compiles");
  quantize->add_option("model", quantize_model, "Path of the float32 .tflite model")->required();
  quantize->add_option("-o,--output", quantize_out, "The int8 .tflite to write")->required();
  AddQuantizeOptions(quantize, &quant, /*required=*/true);

  std::string inspect_model;
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Print operators, tensors, quantization, the memory plan and MACs per layer");
  inspect->add_option("model", inspect_model, "Path of the .tflite model")->required();
  bool inspect_json = false;
  inspect->add_flag("--json", inspect_json,
                    "Print JSON (schema tinymlc-inspect/1, README \"inspect --json\")");
  // The options that change the memory plan, as `compile` takes them.
  tinymlc::FirmwareFlags plan_flags;
  auto add_plan_options = [&](CLI::App* sub) {
    sub->add_option("--optimize", plan_flags.optimize, "As for compile (ram: the patch plan)");
    sub->add_option("--memory-budget", plan_flags.memory_budget, "As for compile");
    sub->add_option("--input", plan_flags.input, "As for compile (arena or external)");
    sub->add_option("--sparse", plan_flags.sparse, "As for compile (the weight forms)");
  };
  add_plan_options(inspect);

  std::string report_model, report_out;
  CLI::App* report = app.add_subcommand(
      "report", "Write one self-contained HTML page: memory plan, live set, layers, totals");
  report->add_option("model", report_model, "Path of the .tflite model")->required();
  report->add_option("-o,--output", report_out, "The HTML file to write")->required();
  add_plan_options(report);

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
  if (*quantize) return RunQuantize(quantize_model, quantize_out, quant);
  if (*compile && models.size() > 1 && !compile_quant.calibration.empty()) {
    std::fprintf(stderr, "tinymlc: error: --calibration takes one model\n");
    return kExitModelError;
  }
  if (*compile && models.size() > 1) {
    std::vector<std::string> names(models.size());
    if (!name.empty()) {
      names.clear();
      for (size_t start = 0;;) {
        const size_t comma = name.find(',', start);
        names.push_back(name.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      if (names.size() != models.size()) {
        std::fprintf(stderr, "tinymlc: error: --name '%s' gives %zu name%s for %zu models\n",
                     name.c_str(), names.size(), names.size() == 1 ? "" : "s", models.size());
        return kExitModelError;
      }
      for (const std::string& n : names) {
        if (!tinymlc::IsCIdentifier(n)) {
          std::fprintf(stderr, "tinymlc: error: --name '%s' is not a C identifier\n", n.c_str());
          return kExitModelError;
        }
      }
    }
    std::string cmd;
    tinymlc::CompileOptions firmware_opts;
    const std::string bad = tinymlc::ApplyFirmwareFlags(firmware, &firmware_opts, &cmd);
    if (!bad.empty()) {
      std::fprintf(stderr, "tinymlc: error: %s\n", bad.c_str());
      return kExitModelError;
    }
    return RunCompileSeveral(models, out_dir, names, cmd, firmware_opts);
  }
  const std::string model = models.empty() ? std::string() : models[0];
  if (*compile) {
    if (!name.empty() && !tinymlc::IsCIdentifier(name)) {
      std::fprintf(stderr, "tinymlc: error: --name '%s' is not a C identifier\n", name.c_str());
      return kExitModelError;
    }
    // Recorded in the generated files: options only, no paths (output stays identical
    // wherever the model and the output folder are).
    std::string cmd = name.empty() ? "" : "--name " + name;
    tinymlc::CompileOptions firmware_opts;
    const std::string bad = tinymlc::ApplyFirmwareFlags(firmware, &firmware_opts, &cmd);
    if (!bad.empty()) {
      std::fprintf(stderr, "tinymlc: error: %s\n", bad.c_str());
      return kExitModelError;
    }
    if (!compile_quant.calibration.empty()) {
      // Recorded like the other options (no paths).
      cmd += (cmd.empty() ? "" : " ") + std::string("--calibrate ") + compile_quant.method +
             (compile_quant.int8_io ? " --int8-io" : "") +
             (compile_quant.activations != "int8" ? " --activations " + compile_quant.activations : "") +
             (compile_quant.per_tensor_fc ? " --per-tensor-fc" : "");
      return RunCompile(model, out_dir, name, cmd, firmware_opts, &compile_quant);
    }
    return RunCompile(model, out_dir, name, cmd, firmware_opts);
  }
  tinymlc::CompileOptions plan_opts;
  if (*inspect || *report) {
    std::string cmd;
    const std::string bad = tinymlc::ApplyFirmwareFlags(plan_flags, &plan_opts, &cmd);
    if (!bad.empty()) {
      std::fprintf(stderr, "tinymlc: error: %s\n", bad.c_str());
      return kExitModelError;
    }
  }
  if (*inspect) {
    return inspect_json ? RunFacts(inspect_model, tinymlc::InspectJson, "", plan_opts)
                        : RunInspect(inspect_model, plan_opts);
  }
  if (*report) return RunFacts(report_model, tinymlc::ReportHtml, report_out, plan_opts);
  if (*ops) {
    if (markdown) {
      fmt::print("{}", tinymlc::SupportedOperatorsMarkdown());
    } else {
      for (const auto& o : tinymlc::SupportedOperators()) {
        fmt::print("{:<30} {:>4}  {}{}{}\n", o.name, o.builtin_code, o.types,
                   o.folds ? " (folded when constant)" : "", o.custom ? " (custom op)" : "");
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
