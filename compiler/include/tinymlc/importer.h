// Importer: TFLite flatbuffer -> tinymlc IR. Runs the flatbuffers Verifier on every
// input and converts every subgraph into one Graph (ir.h, Subgraph). Nothing past this layer sees
// flatbuffers types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// Limits on what a model may hold: far above any microcontroller model (hundreds of
// operators), they keep the planner's and the emitter's work bounded on hostile files.
inline constexpr size_t kMaxTensors = 100000;
inline constexpr size_t kMaxOperators = 100000;
inline constexpr size_t kMaxSubgraphs = 1000;

// Reads and imports a .tflite file. Errors name the file.
Result<Graph> ImportTfliteFile(const std::string& path);

// Imports a model held in memory; `source_name` is used in messages.
Result<Graph> ImportTfliteBuffer(const uint8_t* data, size_t size, const std::string& source_name);

// Graph-level checks after import (validate.cc; ImportTflite* run it): limits, tensor
// indices, empty shapes, quantization parameters (finite positive scales, zero points
// in range of the dtype, per-channel counts matching the channel dimension), rank of
// graph inputs/outputs, options that TFLM rejects (unknown activation, stride, dilation
// or filter size below 1, non-finite floats), tensors read before they are written or
// written twice (which also rules out cycles).
Status ValidateGraph(const Graph& graph);

}  // namespace tinymlc
