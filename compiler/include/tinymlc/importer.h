// Importer: TFLite flatbuffer -> tinymlc IR. Runs the flatbuffers Verifier on every
// input and converts subgraph 0 into a Graph. Nothing past this layer sees
// flatbuffers types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// Reads and imports a .tflite file. Errors name the file.
Result<Graph> ImportTfliteFile(const std::string& path);

// Imports a model held in memory; `source_name` is used in messages.
Result<Graph> ImportTfliteBuffer(const uint8_t* data, size_t size, const std::string& source_name);

// Graph-level checks after import: tensor indices, graph inputs/outputs, tensors read
// before they are written or written twice, byte sizes that overflow.
Status ValidateGraph(const Graph& graph);

}  // namespace tinymlc
