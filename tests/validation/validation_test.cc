// Hostile and broken models: the real tinymlc executable on models built with the test
// model builder (tests/support/model_builder.h), each broken in one way. Every test
// expects exit status 2 and one line on stderr naming the file and, where it applies,
// the subgraph, operator, tensor and what is wrong. FuzzRegressions replays every input
// that the fuzzers once crashed on (tests/fuzz/regressions/): exit 0 or 2, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "e2e_support.h"
#include "model_builder.h"
#include "flatbuffers/flexbuffers.h"
#include "tflite_subset_generated.h"

namespace {

namespace fs = std::filesystem;
using e2e::ProcResult;
using e2e::RunProcess;
using e2e::TempDir;
using namespace tinymlc::testing;  // NOLINT(google-build-using-namespace)

// --- Models --------------------------------------------------------------------------

// x [1,4,4,2] -> CONV_2D 3x3 SAME (per-channel weights, 3 channels) -> y [1,4,4,3].
// Tensors: 0 x, 1 w, 2 bias, 3 y. Compiles as is (checked by ValidModelCompiles).
ModelSpec ConvModel() {
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {1, 4, 4, 2}, 0.05f, 1));
  std::vector<int8_t> w(3 * 3 * 3 * 2);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>(static_cast<int>(i % 21) - 10);
  const int wt = m.AddTensor(ConstInt8("w", {3, 3, 3, 2}, w, {0.01f, 0.02f, 0.03f}, {0, 0, 0}, 0));
  const int b = m.AddTensor(ConstInt32("bias", {3}, {10, -20, 30}, {0.0005f, 0.001f, 0.0015f}));
  const int y = m.AddTensor(Int8Tensor("y", {1, 4, 4, 3}, 0.1f, -3));
  Conv2DOpts o;
  o.padding = kSame;
  m.AddOp(op::kConv2D, {x, wt, b}, {y}, o);
  m.inputs = {x};
  m.outputs = {y};
  return m;
}

Conv2DOpts& ConvOptions(ModelSpec& m) { return std::get<Conv2DOpts>(m.ops[0].options); }

// a, b [1,8] -> ADD -> c -> ADD(c, a) -> d. Tensors: 0 a, 1 b, 2 c, 3 d.
ModelSpec AddChain() {
  ModelSpec m;
  const int a = m.AddTensor(Int8Tensor("a", {1, 8}, 0.05f, 0));
  const int b = m.AddTensor(Int8Tensor("b", {1, 8}, 0.05f, 0));
  const int c = m.AddTensor(Int8Tensor("c", {1, 8}, 0.1f, 0));
  const int d = m.AddTensor(Int8Tensor("d", {1, 8}, 0.1f, 0));
  m.AddOp(op::kAdd, {a, b}, {c}, AddOpts{});
  m.AddOp(op::kAdd, {c, a}, {d}, AddOpts{});
  m.inputs = {a, b};
  m.outputs = {d};
  return m;
}

// --- Running tinymlc -----------------------------------------------------------------

class Validation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(e2e::IsExecutable(e2e::TinymlcExe().string())) << "no " << e2e::TinymlcExe();
  }

  // Writes `bytes` to <tmp>/<file> and compiles it; returns the process result.
  ProcResult Compile(const std::vector<uint8_t>& bytes, const std::string& file = "bad.tflite") {
    model_path_ = tmp_.path() / file;
    e2e::WriteFile(model_path_, bytes.data(), bytes.size());
    return RunProcess({e2e::TinymlcExe().string(), "compile", model_path_.string(), "-o",
                       (tmp_.path() / "gen").string(), "--name", "bad"});
  }

  // Exit status 2, one line on stderr that names the file and contains every `part`.
  void ExpectError(const ModelSpec& m, const std::vector<std::string>& parts) {
    ExpectError(m.Serialize(), parts);
  }
  void ExpectError(const std::vector<uint8_t>& bytes, const std::vector<std::string>& parts) {
    const ProcResult r = Compile(bytes);
    EXPECT_EQ(r.exit_code, 2) << r.Describe();
    EXPECT_FALSE(r.signaled) << r.Describe();
    std::string err = r.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    EXPECT_EQ(err.find('\n'), std::string::npos) << "more than one line:\n" << r.err;
    EXPECT_EQ(err.rfind("tinymlc: error: " + model_path_.string() + ": ", 0), 0u)
        << "does not start with the file: " << err;
    for (const std::string& p : parts) {
      EXPECT_NE(err.find(p), std::string::npos) << "stderr lacks \"" << p << "\": " << err;
    }
  }

  TempDir tmp_{"validation"};
  fs::path model_path_;
};

TEST_F(Validation, ValidModelCompiles) {
  const ProcResult r = Compile(ConvModel().Serialize(), "good.tflite");
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  const ProcResult r2 = Compile(AddChain().Serialize(), "good2.tflite");
  EXPECT_EQ(r2.exit_code, 0) << r2.Describe();
}

// --- Tensor indices ------------------------------------------------------------------

TEST_F(Validation, OperatorInputIndexOutOfRange) {
  ModelSpec m = ConvModel();
  m.ops[0].inputs[1] = 99;
  ExpectError(m, {"subgraph 0: operator 0 (CONV_2D): input tensor index 99 out of range (4 tensors)"});
}

TEST_F(Validation, OperatorOutputIndexNegative) {
  ModelSpec m = AddChain();
  m.ops[1].outputs[0] = -1;
  ExpectError(m, {"subgraph 0: operator 1 (ADD): output tensor index -1 out of range"});
}

TEST_F(Validation, GraphOutputIndexOutOfRange) {
  ModelSpec m = AddChain();
  m.outputs = {7};
  ExpectError(m, {"subgraph 0: graph output tensor index 7 out of range (4 tensors)"});
}

// --- Constant buffers and dimensions ---------------------------------------------------

TEST_F(Validation, ConstantBufferSizeMismatch) {
  ModelSpec m = ConvModel();
  m.tensors[1].data.resize(50);  // 3x3x3x2 int8 needs 54 bytes
  ExpectError(m, {"subgraph 0: tensor 1 'w': constant buffer has 50 bytes but shape and dtype need 54"});
}

TEST_F(Validation, Int4ConstantBufferSizeMismatch) {
  ModelSpec m = ConvModel();
  m.tensors[1].dtype = DT::kInt4;  // 3x3x3x2 = 54 values: 27 bytes packed
  m.tensors[1].data.resize(54);    // stored one per byte
  ExpectError(m, {"subgraph 0: tensor 1 'w': constant buffer has 54 bytes but shape and dtype "
                  "need 27 (54 int4 values, two per byte)"});
}

TEST_F(Validation, NegativeDimension) {
  ModelSpec m = ConvModel();
  m.tensors[0].shape = {1, -4, 4, 2};
  ExpectError(m, {"tensor 0 'x': negative dimension -4 in shape"});
}

TEST_F(Validation, ZeroDimension) {
  ModelSpec m = AddChain();
  for (int t : {0, 1, 2, 3}) m.tensors[static_cast<size_t>(t)].shape = {1, 0};
  ExpectError(m, {"tensor 0 'a': dimension 1 of shape [1,0] is 0: empty tensors are not supported"});
}

TEST_F(Validation, ElementCountOverflow) {
  ModelSpec m = AddChain();
  m.tensors[2].shape = {65536, 65536, 65536};
  ExpectError(m, {"tensor 2 'c': shape has more than 2^31 elements"});
}

TEST_F(Validation, ByteSizeOverflow) {
  ModelSpec m = AddChain();
  m.tensors[2].dtype = DT::kInt32;
  m.tensors[2].shape = {1, 1 << 30};  // 2^30 elements, 2^32 bytes
  ExpectError(m, {"tensor 2 'c': tensor is larger than 2^31 bytes"});
}

TEST_F(Validation, ArenaOver2GiB) {
  // Three live int8 tensors of 2^30 bytes each (a and b are also graph outputs, so the
  // sum cannot be computed in place): no plan fits in 2^31 bytes.
  ModelSpec m = AddChain();
  for (TensorSpec& t : m.tensors) t.shape = {1, 1 << 30};
  m.ops.pop_back();
  m.outputs = {2, 0, 1};
  ExpectError(m, {"arena of 3221225472 bytes exceeds 2^31 bytes"});
}

// --- Quantization ----------------------------------------------------------------------

TEST_F(Validation, MissingScale) {
  ModelSpec m = ConvModel();
  m.tensors[0].scale.clear();
  m.tensors[0].zero_point.clear();
  ExpectError(m, {"operator 0 (CONV_2D): tensor 0 'x': tensor is not quantized (no scale)"});
}

TEST_F(Validation, NonFiniteScale) {
  ModelSpec m = ConvModel();
  m.tensors[3].scale = {std::numeric_limits<float>::quiet_NaN()};
  ExpectError(m, {"operator 0 (CONV_2D): tensor 3 'y': scale[0] = nan is not finite"});
  m.tensors[3].scale = {std::numeric_limits<float>::infinity()};
  ExpectError(m, {"tensor 3 'y': scale[0] = inf is not finite"});
}

TEST_F(Validation, NonPositiveScale) {
  ModelSpec m = ConvModel();
  m.tensors[1].scale[2] = 0.0f;
  ExpectError(m, {"operator 0 (CONV_2D): tensor 1 'w': scale[2] = 0 is not positive"});
  m.tensors[1].scale[2] = -0.5f;
  ExpectError(m, {"tensor 1 'w': scale[2] = -0.5 is not positive"});
}

TEST_F(Validation, ZeroPointOutsideDType) {
  ModelSpec m = ConvModel();
  m.tensors[0].zero_point = {200};
  ExpectError(m, {"tensor 0 'x': zero point[0] = 200 is outside the range of int8 [-128, 127]"});
}

TEST_F(Validation, PerChannelCountMismatch) {
  ModelSpec m = ConvModel();
  m.tensors[1].scale = {0.01f, 0.02f};
  m.tensors[1].zero_point = {0, 0};
  ExpectError(m, {"tensor 1 'w': 2 per-channel scales, but dimension 0 has 3 channels"});
}

TEST_F(Validation, PerChannelAxisOutOfRange) {
  ModelSpec m = ConvModel();
  m.tensors[1].quant_axis = 4;
  ExpectError(m, {"tensor 1 'w': per-channel quantization along dimension 4, but the tensor has rank 4"});
}

// --- Operator inputs and outputs (checked by each op's Lower()) --------------------------

TEST_F(Validation, WrongInputCount) {
  ModelSpec m = ConvModel();
  m.ops[0].inputs = {0};
  ExpectError(m, {"subgraph 0: operator 0 (CONV_2D): expects 2 to 3 inputs, has 1"});
}

TEST_F(Validation, WrongOutputCount) {
  ModelSpec m = ConvModel();
  m.ops[0].outputs.push_back(m.AddTensor(Int8Tensor("extra", {1, 4, 4, 3}, 0.1f, 0)));
  ExpectError(m, {"operator 0 (CONV_2D): expects 1 outputs, has 2"});
}

TEST_F(Validation, WrongRank) {
  ModelSpec m = ConvModel();
  m.tensors[0].shape = {4, 4, 2};
  ExpectError(m, {"operator 0 (CONV_2D): tensor 0 'x': expected rank 4, got rank 3"});
}

TEST_F(Validation, WrongDType) {
  ModelSpec m = ConvModel();
  m.tensors[0].dtype = DT::kUInt8;  // int16 inputs are the 16x8 form, with an int16 output
  ExpectError(m, {"operator 0 (CONV_2D): tensor 0 'x': dtype uint8 is not supported here (expected int8)"});
}

TEST_F(Validation, Int16InputNeedsInt16Output) {
  ModelSpec m = ConvModel();
  m.tensors[0].dtype = DT::kInt16;
  m.tensors[0].zero_point = {0};
  ExpectError(m, {"operator 0 (CONV_2D): tensor 3 'y': dtype int8 is not supported here (expected int16)"});
}

TEST_F(Validation, WrongOutputShape) {
  ModelSpec m = ConvModel();
  m.tensors[3].shape = {1, 4, 4, 4};
  ExpectError(m, {"tensor 3 'y': shape [1,4,4,4] does not match the expected [1,4,4,3]"});
}

// --- Options -------------------------------------------------------------------------

TEST_F(Validation, StrideZero) {
  ModelSpec m = ConvModel();
  ConvOptions(m).stride_h = 0;
  ExpectError(m, {"operator 0 (CONV_2D): stride 0x1 is invalid (must be >= 1)"});
}

TEST_F(Validation, MissingOptionsTable) {
  ModelSpec m = ConvModel();
  m.ops[0].omit_options = true;  // TFLM then sees stride 0
  ExpectError(m, {"operator 0 (CONV_2D): stride 0x0 is invalid"});
}

TEST_F(Validation, WindowArithmeticOverflow) {
  // Positions in the kernels are int32: stride 2^30 over a 4-pixel input would overflow.
  ModelSpec m = ConvModel();
  ConvOptions(m).stride_w = 1 << 30;
  ExpectError(m, {"operator 0 (CONV_2D): width: input size 4, filter size 3, stride 1073741824 "
                  "and dilation 1 overflow 32-bit window arithmetic"});
}

TEST_F(Validation, DilationZero) {
  ModelSpec m = ConvModel();
  ConvOptions(m).dilation_w = 0;
  ExpectError(m, {"operator 0 (CONV_2D): dilation 1x0 is invalid (must be >= 1)"});
}

TEST_F(Validation, UnknownPadding) {
  ModelSpec m = ConvModel();
  ConvOptions(m).padding = 7;
  ExpectError(m, {"operator 0 (CONV_2D): unknown padding 7 (expected SAME (0) or VALID (1))"});
}

TEST_F(Validation, UnknownActivation) {
  ModelSpec m = ConvModel();
  ConvOptions(m).activation = 9;
  ExpectError(m, {"operator 0 (CONV_2D): unknown fused activation function 9"});
}

TEST_F(Validation, PoolFilterZero) {
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {1, 4, 4, 2}, 0.05f, 0));
  const int y = m.AddTensor(Int8Tensor("y", {1, 4, 4, 2}, 0.05f, 0));
  PoolOpts p;
  p.filter_h = 0;
  m.AddOp(op::kMaxPool2D, {x}, {y}, p);
  m.inputs = {x};
  m.outputs = {y};
  ExpectError(m, {"operator 0 (MAX_POOL_2D): filter size 0x1 is invalid (must be >= 1)"});
}

TEST_F(Validation, SoftmaxBetaNotFinite) {
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {1, 8}, 0.05f, 0));
  const int y = m.AddTensor(Int8Tensor("y", {1, 8}, 1.0f / 256, -128));
  m.AddOp(op::kSoftmax, {x}, {y}, SoftmaxOpts{std::numeric_limits<float>::infinity()});
  m.inputs = {x};
  m.outputs = {y};
  ExpectError(m, {"operator 0 (SOFTMAX): beta inf is not finite"});
}

// beta * input scale * 2^26 at or below 1: TFLM's QuantizeMultiplierGreaterThanOne refuses
// it (found by the raw fuzzer: the scaling's negative shift reached a C++ shift).
TEST_F(Validation, SoftmaxInputScalingNotAboveOne) {
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {1, 8}, 1e-9f, 0));
  const int y = m.AddTensor(Int8Tensor("y", {1, 8}, 1.0f / 256, -128));
  m.AddOp(op::kSoftmax, {x}, {y}, SoftmaxOpts{1.0f});
  m.inputs = {x};
  m.outputs = {y};
  ExpectError(m, {"operator 0 (SOFTMAX): tensor 0 'x': beta 1 times input scale 1e-09 is not above 2^-26"});
}

// --- Graph structure -------------------------------------------------------------------

TEST_F(Validation, TensorReadBeforeWritten) {
  ModelSpec m = AddChain();
  std::swap(m.ops[0], m.ops[1]);  // the second ADD now runs first and reads c
  ExpectError(m, {"subgraph 0: operator 0 (ADD): tensor 2 'c': tensor is read before it is written"});
}

TEST_F(Validation, Cycle) {
  // op0: c = ADD(a, d); op1: d = ADD(c, a): each reads what the other writes.
  ModelSpec m = AddChain();
  m.ops[0].inputs = {0, 3};
  ExpectError(m, {"operator 0 (ADD): tensor 3 'd': tensor is read before it is written "
                  "(operators out of order, or a cycle)"});
}

TEST_F(Validation, TensorNeverWritten) {
  ModelSpec m = AddChain();
  m.inputs = {0};  // b is neither an input nor produced
  ExpectError(m, {"operator 0 (ADD): tensor 1 'b': tensor is read but never written"});
}

TEST_F(Validation, TensorWrittenTwice) {
  ModelSpec m = AddChain();
  m.ops[1].outputs = {2};
  m.outputs = {2};
  ExpectError(m, {"operator 1 (ADD): tensor 2 'c': tensor is written more than once (also by operator 0)"});
}

TEST_F(Validation, OperatorWritesConstant) {
  ModelSpec m = ConvModel();
  m.ops[0].outputs = {2};
  ExpectError(m, {"operator 0 (CONV_2D): tensor 2 'bias': operator writes a constant tensor"});
}

TEST_F(Validation, RankAboveRuntimeLimit) {
  // tinyml_tensor_info_t has TINYML_MAX_RANK (8) dims; the IR never holds more.
  ModelSpec m;
  const int x = m.AddTensor(Int8Tensor("x", {1, 1, 1, 1, 1, 1, 1, 1, 8}, 0.05f, 0));
  const int shape = m.AddTensor(ConstInt32("shape", {2}, {1, 8}));
  const int y = m.AddTensor(Int8Tensor("y", {1, 8}, 0.05f, 0));
  m.AddOp(op::kReshape, {x, shape}, {y});
  m.inputs = {x};
  m.outputs = {y};
  ExpectError(m, {"subgraph 0: tensor 0 'x': rank 9 is not supported (max 8)"});
}

TEST_F(Validation, NameWithNewlineStaysOnOneLine) {
  ModelSpec m = ConvModel();
  m.tensors[0].name = "x\nerror: forged";
  m.tensors[0].zero_point = {999};
  ExpectError(m, {"tensor 0 'x\\x0aerror: forged': zero point[0] = 999"});
}

TEST_F(Validation, CallOnceSubgraphIndexOutOfRange) {
  // Several subgraphs are read (control flow, README "Stateful models"); an operator that
  // calls a subgraph the file does not have is refused naming it.
  ModelSpec m = ConvModel();
  OpSpec call;
  call.builtin_code = op::kCallOnce;
  call.options = CallOnceOpts{3};
  m.ops.insert(m.ops.begin(), call);
  m.subgraphs = {ModelSpec{}};
  ExpectError(m, {"subgraph 0: operator 0 (CALL_ONCE): init subgraph index 3 out of range (the "
                  "model has 2 subgraphs"});
}

TEST_F(Validation, UnsupportedSchemaVersion) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto model = tflite::CreateModel(fbb, 2);
  tflite::FinishModelBuffer(fbb, model);
  ExpectError(std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()),
              {"unsupported TFLite schema version 2 (expected 3)"});
}

TEST_F(Validation, CorruptFlatbuffer) {
  // A valid model with an offset pointing outside the file: the Verifier must stop it.
  std::vector<uint8_t> bytes = ConvModel().Serialize();
  bytes[0] = 0xF0;
  bytes[1] = 0xFF;
  bytes[2] = 0xFF;
  bytes[3] = 0x7F;
  ExpectError(bytes, {"malformed TFLite model: the flatbuffers verifier rejected the file"});
}

// --- Fuzz regressions --------------------------------------------------------------------

TEST(FuzzRegressions, NeverCrash) {
  const fs::path dir = fs::path(TINYMLC_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  std::vector<fs::path> files;
  if (fs::exists(dir)) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".tflite") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  TempDir tmp("fuzz_regressions");
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.filename().string());
    const ProcResult r = RunProcess({e2e::TinymlcExe().string(), "compile", f.string(), "-o",
                                     (tmp.path() / "gen").string(), "--name", "regression"});
    EXPECT_FALSE(r.signaled) << r.Describe();
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << r.Describe();
    if (r.exit_code == 2) {
      EXPECT_NE(r.err.find("tinymlc: error: "), std::string::npos) << r.Describe();
    }
  }
  RecordProperty("regressions", static_cast<int>(files.size()));
}

}  // namespace

namespace {

// A graph input of an element type tinymlc does not know (found by the structure-aware
// fuzzer: with no operator to check it, its 0-byte elements reached the emitter, which
// wrote half a billion of them): refused with a message.
TEST(FuzzRegressions, UnsupportedDtypeGraphInputIsRefused) {
  const fs::path model = fs::path(TINYMLC_SOURCE_DIR) / "tests" / "fuzz" / "regressions" /
                         "unsupported_dtype_graph_input.tflite";
  TempDir tmp("fuzz_unsupported_dtype");
  const ProcResult r = RunProcess({e2e::TinymlcExe().string(), "compile", model.string(), "-o",
                                   (tmp.path() / "gen").string(), "--name", "regression"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find("tensor 0 "), std::string::npos) << r.Describe();
  EXPECT_NE(r.err.find("graph input has an unsupported dtype"), std::string::npos) << r.Describe();
}

}  // namespace

namespace {

// --- Custom ops (TFLM's signal library): flexbuffer options ----------------------------

// audio [40] int16 -> SignalWindow (window [40], shift 12) -> out [40].
ModelSpec WindowModel(std::vector<uint8_t> options) {
  ModelSpec m;
  TensorSpec audio{"audio", DT::kInt16, {40}, {}, {}, 0, {}, false};
  TensorSpec window{"window", DT::kInt16, {40}, {}, {}, 0, PackInt16(std::vector<int16_t>(40, 4096)), false};
  TensorSpec out{"out", DT::kInt16, {40}, {}, {}, 0, {}, false};
  const int a = m.AddTensor(audio), w = m.AddTensor(window), o = m.AddTensor(out);
  m.AddCustomOp("SignalWindow", {a, w}, {o}, std::move(options));
  m.inputs = {a};
  m.outputs = {o};
  return m;
}

TEST_F(Validation, SignalWindowCompiles) {
  const ProcResult r = Compile(WindowModel(FlexMapBuilder().Int("shift", 12).Finish()).Serialize(),
                               "good_window.tflite");
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
}

TEST_F(Validation, SignalOptionsTruncated) {
  std::vector<uint8_t> options = FlexMapBuilder().Int("shift", 12).Finish();
  options.resize(options.size() - 3);  // the root's width byte is gone
  ExpectError(WindowModel(options), {"operator 0 (CUSTOM 'SignalWindow')", "malformed flexbuffer options"});
}

TEST_F(Validation, SignalOptionsRootNotAMap) {
  ExpectError(WindowModel({0x0c, 0x04, 0x01}),  // the int 12 as root
              {"operator 0 (CUSTOM 'SignalWindow')", "expected a map"});
}

TEST_F(Validation, SignalOptionsMissing) {
  ExpectError(WindowModel({}), {"operator 0 (SignalWindow)", "custom option 'shift' missing"});
}

TEST_F(Validation, SignalOptionsWrongKey) {
  ExpectError(WindowModel(FlexMapBuilder().Int("shft", 12).Finish()),
              {"operator 0 (SignalWindow)", "entry 0 is 'shft': TFLM reads 'shift' there"});
}

TEST_F(Validation, SignalOptionsWrongType) {
  flexbuffers::Builder b;
  b.Map([&]() { b.String("shift", "12"); });
  b.Finish();
  ExpectError(WindowModel(b.GetBuffer()), {"operator 0 (SignalWindow)", "custom option 'shift' has flexbuffer type 5"});
}

TEST_F(Validation, SignalOptionOutOfRange) {
  ExpectError(WindowModel(FlexMapBuilder().Int("shift", 40).Finish()),
              {"operator 0 (SignalWindow)", "shift 40 is outside 0..31"});
}

TEST_F(Validation, SignalRfftLengthNotPowerOfTwo) {
  ModelSpec m;
  TensorSpec in{"frame", DT::kInt16, {48}, {}, {}, 0, {}, false};
  TensorSpec out{"spectrum", DT::kInt16, {50}, {}, {}, 0, {}, false};
  const int i = m.AddTensor(in), o = m.AddTensor(out);
  m.AddCustomOp("SignalRfft", {i}, {o}, FlexMapBuilder().Int("T", 7).Int("fft_length", 48).Finish());
  m.inputs = {i};
  m.outputs = {o};
  ExpectError(m, {"operator 0 (SignalRfft)", "fft_length 48 is not a power of two"});
}

TEST_F(Validation, UnknownCustomOpIsRefused) {
  ModelSpec m = WindowModel(FlexMapBuilder().Int("shift", 12).Finish());
  m.ops[0].custom_code = "SignalNoSuchOp";
  ExpectError(m, {"SignalNoSuchOp"});
}

}  // namespace
