// What `tinymlc inspect --json` and `tinymlc report` show of a compiled model: one set of
// facts (ModelFacts), written as JSON (schema tinymlc-inspect/1, README) or as one
// self-contained HTML page (inline SVG and CSS, no script, nothing from the network).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinymlc/compiler.h"
#include "tinymlc/ir.h"

namespace tinymlc {

// The cost model of the estimated Cortex-M4 cycles (README "The report"): instructions
// per MAC of each operator, measured under QEMU on the MLPerf Tiny models
// (benchmarks/results/m4_layers.txt, -O2), or per output element for operators without
// MACs, times the CPI qemu-cycles measured on kws_ref_model and vww_96_int8
// (benchmarks/results/m4_cpi_calibration.txt). Approximate: a guide to where the time
// goes, not a timing.
struct M4CostModel {
  static constexpr double kCyclesPerInstruction = 1.38;
  static constexpr double kInstructionsPerElement = 8.0;   // operators without MACs
  static constexpr int64_t kInstructionsPerLayer = 60;     // call, parameter set-up
  // Instructions per MAC of an operator ("CONV_2D"); 0 when it has no entry.
  static double InstructionsPerMac(const std::string& op);
  static int64_t Cycles(const std::string& op, int64_t macs, int64_t output_elements);
};

// Code bytes and deepest stack frame of each kernel template compiled alone for the
// Cortex-M4 at -Os with every path on (benchmarks/kernel_size_m4.sh writes
// benchmarks/results/kernel_size_m4.txt): an upper bound of the kernels' flash.
struct KernelFootprint {
  int64_t code_bytes = 0;
  int64_t stack_bytes = 0;
};
KernelFootprint KernelFootprintM4(const std::string& template_file);

struct LayerFacts {
  const LayerReport* layer = nullptr;
  std::vector<int> inputs, outputs;  // tensor indices (-1: omitted optional input)
  int64_t output_elements = 0;
  int64_t est_m4_cycles = 0;         // 0 for layers without code
};

struct ModelFacts {
  std::string model_path;            // as given
  const Graph* graph = nullptr;
  const CompiledModel* model = nullptr;
  std::vector<LayerFacts> layers;    // execution order
  std::vector<int64_t> live_bytes;   // per operator step: bytes of the buffers live then
  int64_t total_macs = 0;
  int64_t est_m4_cycles = 0;
  int64_t code_bytes_m4 = 0;         // kernels (KernelFootprintM4) + 24 bytes per layer call
  int64_t stack_bytes_m4 = 0;        // deepest kernel frame + invoke's frame
};

ModelFacts CollectFacts(const std::string& model_path, const Graph& g, const CompiledModel& m);

// `tinymlc inspect --json` (schema tinymlc-inspect/1).
std::string InspectJson(const ModelFacts& f);

// `tinymlc report`: the page. One <rect class="buffer"> per planned buffer in the memory
// plan's SVG.
std::string ReportHtml(const ModelFacts& f);

}  // namespace tinymlc
