// Builtin operator names, taken from the schema so they match the TFLite format.
#include <string>

#include "tflite_subset_generated.h"
#include "tinymlc/ir.h"

namespace tinymlc {

std::string BuiltinName(int builtin_code) {
  const auto e = static_cast<tflite::BuiltinOperator>(builtin_code);
  const char* name = (builtin_code >= 0 && builtin_code <= static_cast<int>(tflite::BuiltinOperator::MAX))
                         ? tflite::EnumNameBuiltinOperator(e)
                         : "";
  if (name == nullptr || name[0] == '\0') return "BUILTIN_" + std::to_string(builtin_code);
  return name;
}

}  // namespace tinymlc
