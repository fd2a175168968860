// The strongest check of the reference: real models from ../shared/models run on
// the golden inputs must reproduce TFLM's outputs and every intermediate tensor
// (../shared/golden/<model>/case<k>/{in<i>,out<j>,t<idx>}.bin) byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "mini_json.h"
#include "reference_ops.h"
#include "tflite_loader.h"

namespace tinymlc::testing {
namespace {

namespace fs = std::filesystem;

const char* const kModels[] = {"ad01_int8",        "hello_world_int8",       "kws_ref_model",
                               "micro_speech_quantized", "pretrainedResnet_quant",
                               "simple_add_model", "vww_96_int8"};

std::string ReadText(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// case directories sorted by number
std::vector<fs::path> CaseDirs(const fs::path& golden) {
  std::vector<std::pair<int, fs::path>> found;
  for (const auto& e : fs::directory_iterator(golden)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && name.rfind("case", 0) == 0) {
      found.emplace_back(std::stoi(name.substr(4)), e.path());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

// Byte ranges [begin, end) that TFLM never writes, per tensor (ignored in comparisons).
std::map<int, std::vector<std::pair<size_t, size_t>>> UndefinedRanges(const JsonValue& meta) {
  std::map<int, std::vector<std::pair<size_t, size_t>>> out;
  for (const JsonValue& t : meta["tensors"].array) {
    for (const JsonValue& r : t["undefined_byte_ranges"].array) {
      if (r.array.size() == 2) {
        out[t["index"].as_int()].emplace_back(static_cast<size_t>(r.array[0].number),
                                              static_cast<size_t>(r.array[1].number));
      }
    }
  }
  return out;
}

// "" when equal (outside undefined ranges), else a short description.
std::string Compare(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want,
                    const std::vector<std::pair<size_t, size_t>>& undefined, DT dtype) {
  if (got.size() != want.size()) {
    return "size " + std::to_string(got.size()) + " vs " + std::to_string(want.size());
  }
  size_t diffs = 0, first = 0;
  int max_abs = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    bool skip = false;
    for (const auto& r : undefined) skip = skip || (i >= r.first && i < r.second);
    if (skip || got[i] == want[i]) continue;
    if (diffs++ == 0) first = i;
    if (dtype == DT::kInt8) {
      max_abs = std::max(max_abs, std::abs(static_cast<int8_t>(got[i]) - static_cast<int8_t>(want[i])));
    }
  }
  if (diffs == 0) return "";
  std::ostringstream os;
  os << diffs << " of " << got.size() << " bytes differ (first at " << first;
  if (dtype == DT::kInt8) {
    os << ": got " << int(static_cast<int8_t>(got[first])) << ", want "
       << int(static_cast<int8_t>(want[first])) << "; max |diff| " << max_abs;
  }
  os << ")";
  return os.str();
}

class GoldenModel : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenModel, ReferenceMatchesTflmBitExact) {
  const std::string name = GetParam();
  const fs::path shared = TINYMLC_SHARED_DIR;
  const fs::path model_path = shared / "models" / (name + ".tflite");
  const fs::path golden = shared / "golden" / name;
  if (!fs::exists(model_path) || !fs::exists(golden / "meta.json")) {
    GTEST_SKIP() << "golden data not found (" << model_path << ", " << golden
                 << "): set -DTINYMLC_SHARED_DIR=<path to shared/> to run this test";
  }

  ModelSpec model;
  std::string error;
  ASSERT_TRUE(LoadTfliteFile(model_path.string(), &model, &error)) << error;
  JsonValue meta;
  ASSERT_TRUE(ParseJson(ReadText(golden / "meta.json"), &meta, &error)) << error;
  ASSERT_EQ(meta["inputs"].array.size(), model.inputs.size());
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    EXPECT_EQ(meta["inputs"].array[i]["tensor_index"].as_int(), model.inputs[i]);
  }
  ASSERT_EQ(meta["outputs"].array.size(), model.outputs.size());
  const auto undefined = UndefinedRanges(meta);

  // Which op produces each tensor, to report layers.
  std::map<int, int> producer;
  for (size_t k = 0; k < model.ops.size(); ++k) {
    for (int t : model.ops[k].outputs) producer[t] = static_cast<int>(k);
  }
  std::set<int> bad_ops;
  std::set<int> checked_ops;
  int cases = 0, cases_ok = 0;
  for (const fs::path& dir : CaseDirs(golden)) {
    ++cases;
    std::vector<std::vector<uint8_t>> inputs(model.inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      ASSERT_TRUE(ReadFileBytes((dir / ("in" + std::to_string(i) + ".bin")).string(), &inputs[i]));
    }
    const ReferenceResult r = RunReferenceAll(model, inputs);
    ASSERT_TRUE(r.ok) << name << ": " << r.error;
    bool case_ok = true;
    for (size_t j = 0; j < model.outputs.size(); ++j) {
      std::vector<uint8_t> want;
      ASSERT_TRUE(ReadFileBytes((dir / ("out" + std::to_string(j) + ".bin")).string(), &want));
      const int t = model.outputs[j];
      const std::string diff =
          Compare(r.outputs[j], want, undefined.count(t) ? undefined.at(t) : std::vector<std::pair<size_t, size_t>>{},
                  model.tensors[t].dtype);
      EXPECT_EQ(diff, "") << name << " " << dir.filename() << " output " << j;
      case_ok = case_ok && diff.empty();
    }
    // Every dumped tensor t<idx>.bin, in op order.
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string f = e.path().filename().string();
      if (f.size() < 6 || f[0] != 't' || f.substr(f.size() - 4) != ".bin") continue;
      const int idx = std::stoi(f.substr(1, f.size() - 5));
      ASSERT_LT(idx, static_cast<int>(model.tensors.size()));
      std::vector<uint8_t> want;
      ASSERT_TRUE(ReadFileBytes(e.path().string(), &want));
      const std::string diff =
          Compare(r.tensors[idx], want, undefined.count(idx) ? undefined.at(idx) : std::vector<std::pair<size_t, size_t>>{},
                  model.tensors[idx].dtype);
      const auto p = producer.find(idx);
      if (p != producer.end()) {
        checked_ops.insert(p->second);
        if (!diff.empty()) bad_ops.insert(p->second);
      }
      EXPECT_EQ(diff, "") << name << " " << dir.filename() << " tensor " << idx << " '"
                          << model.tensors[idx].name << "'"
                          << (p != producer.end()
                                  ? std::string(" (op ") + std::to_string(p->second) + " " +
                                        BuiltinName(model.ops[p->second].builtin_code) + ")"
                                  : std::string(" (graph input)"));
      case_ok = case_ok && diff.empty();
    }
    cases_ok += case_ok ? 1 : 0;
  }
  EXPECT_GT(cases, 0);
  EXPECT_EQ(checked_ops.size(), model.ops.size()) << "some operator outputs were not dumped";
  std::ostringstream summary;
  summary << "[golden] " << name << ": " << cases_ok << "/" << cases << " cases bit-exact, "
          << (checked_ops.size() - bad_ops.size()) << "/" << checked_ops.size()
          << " layers bit-exact (" << model.ops.size() << " ops)";
  for (int k : bad_ops) summary << "; mismatch in op " << k << " " << BuiltinName(model.ops[k].builtin_code);
  std::cout << summary.str() << std::endl;
  RecordProperty("summary", summary.str());
}

INSTANTIATE_TEST_SUITE_P(SharedModels, GoldenModel, ::testing::ValuesIn(kModels),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

}  // namespace
}  // namespace tinymlc::testing
