#include "generated_c_support.h"

#include <algorithm>

#include "e2e_support.h"

namespace generated_c {

std::vector<TestModel> AllModels() {
  std::vector<TestModel> out;
  const fs::path dirs[] = {e2e::SharedDir() / "models", fs::path(TINYMLC_SOURCE_DIR) / "examples" / "models"};
  for (const fs::path& dir : dirs) {
    std::vector<TestModel> group;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() != ".tflite") continue;
      TestModel m;
      m.name = e2e::ModelCName(e.path().stem().string());
      m.tflite = e.path();
      m.example = dir == dirs[1];
      const fs::path golden = e2e::SharedDir() / "golden" / e.path().stem();
      if (!m.example && fs::exists(golden / "meta.json")) m.golden = golden;
      group.push_back(m);
    }
    std::sort(group.begin(), group.end(),
              [](const TestModel& a, const TestModel& b) { return a.name < b.name; });
    out.insert(out.end(), group.begin(), group.end());
  }
  return out;
}

std::string ParamName(const TestModel& m) { return m.name; }

std::string CompileModel(const TestModel& m, const fs::path& dir,
                         const std::vector<std::string>& options) {
  std::vector<std::string> argv = {e2e::TinymlcExe().string(), "compile", m.tflite.string(),
                                   "-o", dir.string(), "--name", m.name};
  argv.insert(argv.end(), options.begin(), options.end());
  const e2e::ProcResult r = e2e::RunProcess(argv);
  return r.exit_code == 0 ? "" : r.Describe();
}

std::string CompilerPath(const std::string& which) {
  std::string path = which == "gcc"     ? TINYMLC_GC_GCC
                     : which == "clang" ? TINYMLC_GC_CLANG
                                        : TINYMLC_GC_ARM_GCC;
  if (path.empty() || path.find("NOTFOUND") != std::string::npos) return "";
  return path;
}

}  // namespace generated_c
