#include <cstring>

#include "embedded_templates.h"

namespace tinymlc {

const char* FindEmbeddedFile(const std::string& name) {
  for (int i = 0; i < kNumEmbeddedFiles; ++i) {
    if (name == kEmbeddedFiles[i].name) return kEmbeddedFiles[i].text;
  }
  return nullptr;
}

}  // namespace tinymlc
