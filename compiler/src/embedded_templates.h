// The C templates (kernels and runtime header) compiled into the tinymlc binary.
#pragma once

#include <string>

namespace tinymlc {

struct EmbeddedFile {
  const char* name;  // file name, e.g. "tml_conv_2d.h"
  const char* text;
};
extern const EmbeddedFile kEmbeddedFiles[];
extern const int kNumEmbeddedFiles;

// The text of an embedded file, or nullptr if there is none by that name.
const char* FindEmbeddedFile(const std::string& name);

}  // namespace tinymlc
