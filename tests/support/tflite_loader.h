// Test-only: read a .tflite file (subgraph 0) into a ModelSpec, using the
// flatc-generated reader of compiler/schema/tflite_subset.fbs. Lets the reference
// (reference_ops.h) run real models, and round-trip tests read back what the builder
// wrote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model_builder.h"

namespace tinymlc::testing {

// Both return false and set *error on failure (not a TFLite file, unsupported tensor
// type, buffer stored outside the flatbuffer, ...). Operators keep their builtin code
// (max of builtin_code and deprecated_builtin_code, as TFLite); options of the
// builtins known to model_builder.h are decoded, others are left as monostate.
// An operator without a builtin_options table gets omit_options = true.
bool LoadTfliteBuffer(const uint8_t* data, size_t size, ModelSpec* model, std::string* error);
bool LoadTfliteFile(const std::string& path, ModelSpec* model, std::string* error);

// Reads a whole file; false if it cannot be read.
bool ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes);

}  // namespace tinymlc::testing
