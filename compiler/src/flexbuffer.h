// A bounds-checked reader for the flexbuffer maps that hold a custom operator's options
// (TFLM's signal library writes its parameters this way). Every read is checked against
// the buffer: a truncated or hostile buffer gives a message, never an out-of-range read.
//
// Only what custom options use is read: the root must be a map; each value is kept as
// its inline bytes (sign- and zero-extended at the map's width, as TFLM's
// FlexbufferWrapper reads them) with its flexbuffer type; strings, vectors and nested
// maps are kept as kOther (no op reads them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// Reads the map at the root of `data[0, size)` into `out`, in the file's order.
Status ReadFlexMap(const uint8_t* data, size_t size,
                   std::vector<std::pair<std::string, FlexValue>>* out);

}  // namespace tinymlc
