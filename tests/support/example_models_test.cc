// The bundled example models: deterministic, in sync with examples/models/, valid,
// and doing what they claim when run by the reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

#include "example_models.h"
#include "reference_ops.h"
#include "tflite_loader.h"

namespace tinymlc::testing {
namespace {

TEST(ExampleModels, AreDeterministic) {
  const auto a = ExampleModels();
  const auto b = ExampleModels();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].spec.Serialize(), b[i].spec.Serialize());
}

TEST(ExampleModels, MatchCommittedFiles) {
  const std::filesystem::path dir = std::filesystem::path(TINYMLC_SOURCE_DIR) / "examples" / "models";
  for (const ExampleModel& m : ExampleModels()) {
    std::vector<uint8_t> committed;
    ASSERT_TRUE(ReadFileBytes((dir / m.file_name).string(), &committed))
        << "missing " << (dir / m.file_name) << ": run tinymlc_make_models examples/models";
    EXPECT_TRUE(committed == m.spec.Serialize())
        << m.file_name << " is stale: run tinymlc_make_models " << dir.string();
  }
}

TEST(ExampleModels, LoadBackAndRun) {
  for (const ExampleModel& m : ExampleModels()) {
    const std::vector<uint8_t> bytes = m.spec.Serialize();
    ModelSpec back;
    std::string error;
    ASSERT_TRUE(LoadTfliteBuffer(bytes.data(), bytes.size(), &back, &error)) << error;
    std::vector<std::vector<uint8_t>> in;
    for (int i : back.inputs) in.push_back(std::vector<uint8_t>(back.tensors[i].num_bytes(), 0));
    const ReferenceResult r = RunReferenceAll(back, in);
    EXPECT_TRUE(r.ok) << m.file_name << ": " << r.error;
  }
}

TEST(ExampleModels, SineFollowsSin) {
  const ModelSpec m = MakeSineModel();
  const TensorSpec& x = m.tensors[m.inputs[0]];
  const TensorSpec& y = m.tensors[m.outputs[0]];
  double max_err = 0.0;
  for (int q = -128; q <= 127; ++q) {
    const double xv = (q - x.zero_point0()) * static_cast<double>(x.scale0());
    const auto out = RunReference(m, {PackInt8({static_cast<int8_t>(q)})});
    const double yv = (static_cast<int8_t>(out[0][0]) - y.zero_point0()) * static_cast<double>(y.scale0());
    max_err = std::max(max_err, std::fabs(yv - std::sin(xv)));
  }
  EXPECT_LT(max_err, 0.08);
  std::cout << "[example_sine] max |y - sin(x)| over all 256 inputs: " << max_err << std::endl;
}

TEST(ExampleModels, CnnProducesADistribution) {
  const ModelSpec m = MakeCnnModel();
  ASSERT_EQ(m.ops.size(), 6u);
  const std::vector<int> codes = {op::kConv2D, op::kDepthwiseConv2D, op::kAveragePool2D,
                                  op::kReshape, op::kFullyConnected, op::kSoftmax};
  for (size_t k = 0; k < codes.size(); ++k) EXPECT_EQ(m.ops[k].builtin_code, codes[k]);
  std::set<std::vector<uint8_t>> distinct;
  for (uint64_t s = 0; s < 8; ++s) {
    const auto out = RunReference(m, {PackInt8(RandomInt8(64, 5000 + s))});
    int sum = 0;
    for (int8_t v : UnpackInt8(out[0])) sum += v + 128;
    EXPECT_NEAR(sum, 256, 3);  // probabilities sum to ~1
    distinct.insert(out[0]);
  }
  EXPECT_GT(distinct.size(), 1u) << "the classifier should react to its input";
}

// Quantizes floats with the input tensor's parameters (round half away from zero, saturate).
std::vector<uint8_t> QuantizeInput(const ModelSpec& m, const std::vector<float>& v) {
  const TensorSpec& t = m.tensors[m.inputs[0]];
  std::vector<int8_t> q;
  for (float f : v) {
    const long r = std::lround(f / t.scale0()) + t.zero_point0();
    q.push_back(static_cast<int8_t>(std::clamp<long>(r, -128, 127)));
  }
  return PackInt8(q);
}

int ArgMax(const std::vector<uint8_t>& probs) {
  const std::vector<int8_t> p = UnpackInt8(probs);
  return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
}

// Images the calibration never saw: every period 4..8 and phase, both orientations (a
// Sobel filter does not see period-2 stripes: both neighbours of a pixel are alike).
TEST(ExampleModels, StripesTellsOrientation) {
  const ModelSpec m = MakeStripesModel();
  int wrong = 0, total = 0;
  for (int vertical = 0; vertical < 2; ++vertical) {
    for (int period = 4; period <= 8; period += 2) {
      for (int phase = 0; phase < period; ++phase) {
        const auto out = RunReference(
            m, {QuantizeInput(m, StripesImage(vertical != 0, period, phase, 9000 + total))});
        wrong += ArgMax(out[0]) != (vertical ? 0 : 1);
        ++total;
      }
    }
  }
  EXPECT_EQ(wrong, 0) << "of " << total << " stripe images";
}

TEST(ExampleModels, ToneFindsTheTone) {
  const ModelSpec m = MakeToneModel();
  int wrong = 0, total = 0;
  for (int tone = 0; tone < 3; ++tone) {
    for (int k = 0; k < 12; ++k) {
      const float amplitude = 0.2f + 0.06f * static_cast<float>(k);
      const auto out = RunReference(
          m, {QuantizeInput(m, ToneSamples(tone, amplitude, 0.5f * static_cast<float>(k), 8000 + total))});
      wrong += ArgMax(out[0]) != tone;
      ++total;
    }
  }
  EXPECT_EQ(wrong, 0) << "of " << total << " tones";
}

}  // namespace
}  // namespace tinymlc::testing
