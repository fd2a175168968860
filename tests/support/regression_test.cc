// Replays every configuration a sweep once failed on (tests/support/regressions/<op>/
// <seed>_<i>.tflite with its .case<k>.in<j>.bin inputs): the .tflite is loaded with
// tflite_loader for the reference and compiled byte for byte with tinymlc; every case's
// outputs and every layer dump must equal the reference.
//
// A file stays here after the bug is fixed: it is the regression test for that bug.
// The .txt next to it says which sweep produced it and how it failed back then.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "tflite_loader.h"

namespace tinymlc::testing {
namespace {

TEST(Regressions, EveryStoredConfigurationMatchesReference) {
  const std::string dir = RegressionDir();
  const std::vector<RegressionCase> all = LoadRegressionCases(dir);
  std::printf("[ regress  ] %zu regression files in %s\n", all.size(), dir.c_str());
  if (all.empty()) GTEST_SKIP() << "no regression files in " << dir;

  std::vector<ModelSpec> specs(all.size());
  std::vector<bool> loaded(all.size(), false);
  for (size_t i = 0; i < all.size(); ++i) {
    std::string error;
    loaded[i] = LoadTfliteBuffer(all[i].tflite.data(), all[i].tflite.size(), &specs[i], &error);
    EXPECT_TRUE(loaded[i]) << all[i].path << ": " << error;
  }
  int failures = 0;
  constexpr size_t kBatch = 40;
  for (size_t begin = 0; begin < all.size(); begin += kBatch) {
    std::vector<size_t> idx;
    std::vector<std::vector<uint8_t>> files;
    std::vector<std::vector<std::vector<std::vector<uint8_t>>>> inputs;
    for (size_t i = begin; i < all.size() && i < begin + kBatch; ++i) {
      if (!loaded[i]) continue;
      idx.push_back(i);
      files.push_back(all[i].tflite);
      inputs.push_back(all[i].cases);
    }
    const BatchResult br = CompileAndRunTfliteBatch(files, inputs);
    for (size_t m = 0; m < idx.size(); ++m) {
      const RegressionCase& rc = all[idx[m]];
      if (!br.model_errors[m].empty() || (!br.ok && br.results[m].empty())) {
        ++failures;
        ADD_FAILURE() << rc.path << ":\n"
                      << (br.model_errors[m].empty() ? br.error : br.model_errors[m]) << "\n"
                      << DescribeModel(specs[idx[m]]);
        continue;
      }
      for (size_t k = 0; k < rc.cases.size(); ++k) {
        const std::string d = CompareWithReference(specs[idx[m]], rc.cases[k], br.results[m][k]);
        if (!d.empty()) {
          ++failures;
          ADD_FAILURE() << rc.path << " case " << k << ": " << d << "\n"
                        << DescribeModel(specs[idx[m]]);
          break;
        }
      }
    }
  }
  std::printf("[ regress  ] %zu regression files, %d failing\n", all.size(), failures);
}

}  // namespace
}  // namespace tinymlc::testing
