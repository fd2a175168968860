// tinymlc_make_signal_models OUTDIR: writes the signal library test models
// (signal_models.h) as OUTDIR/<name>.tflite, byte-identical on every run.
#include <cstdio>
#include <string>

#include "signal_models.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
    return 2;
  }
  for (const auto& m : tinymlc::testing::SignalModels()) {
    std::string error;
    if (!m.spec.WriteFile(std::string(argv[1]) + "/" + m.name + ".tflite", &error)) {
      std::fprintf(stderr, "error: %s: %s\n", m.name.c_str(), error.c_str());
      return 1;
    }
  }
  return 0;
}
