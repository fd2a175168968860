// tinymlc_make_models OUTDIR: writes the example models (example_models.h) into
// OUTDIR. The output is byte-identical on every run; examples/models/ holds it.
#include <cstdio>
#include <string>

#include "example_models.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  for (const auto& m : tinymlc::testing::ExampleModels()) {
    const std::string path = dir + "/" + m.file_name;
    std::string error;
    if (!m.spec.WriteFile(path, &error)) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      return 1;
    }
    std::printf("wrote %s (%zu bytes): %s\n", path.c_str(), m.spec.Serialize().size(),
                m.summary.c_str());
  }
  return 0;
}
