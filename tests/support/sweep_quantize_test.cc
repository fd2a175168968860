// `tinymlc quantize` end to end: random small float32 CNNs and MLPs built with the model
// builder are quantized by the tinymlc executable from calibration folders (.npy and raw
// float32 files); then
//   (a) the int8 model compiles, and its C output equals the independent C++ reference
//       (reference_ops.h, TFLM's integer arithmetic) byte for byte on every layer, and
//   (b) its dequantized outputs are close to the float model's (the C++ float reference).
// Also: the tensors are typed and quantized as the converter's rules say, and a model with
// an operator the quantizer does not take is refused with the operator named.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "reference_ops.h"
#include "sweep_util.h"
#include "tflite_loader.h"

namespace tinymlc::testing {
namespace {

namespace fs = std::filesystem;

TensorSpec F(const std::string& name, std::vector<int32_t> shape) {
  return Plain(name, DT::kFloat32, std::move(shape));
}

TensorSpec FConst(const std::string& name, std::vector<int32_t> shape, Rng& r, float range) {
  TensorSpec t = F(name, std::move(shape));
  t.data = PackFloat(RandomFloats(static_cast<size_t>(t.num_elements()), r.Next(), -range, range));
  return t;
}

TensorSpec I32Const(const std::string& name, const std::vector<int32_t>& v) {
  TensorSpec t = Plain(name, DT::kInt32, {static_cast<int32_t>(v.size())});
  t.data = PackInt32(v);
  return t;
}

int OutSize(int padding, int in, int f, int stride) {
  return ref::ComputePadding(padding, in, f, stride, 1).out_size;
}

// A random float CNN: CONV_2D -> DEPTHWISE_CONV_2D -> (ADD | MUL | CONCATENATION with the
// conv output) -> (PAD) -> pool -> (LOGISTIC | TANH | nothing) -> RESHAPE or MEAN ->
// FULLY_CONNECTED (RELU) -> FULLY_CONNECTED -> SOFTMAX.
ModelSpec RandomCnn(Rng& r, std::string* desc) {
  ModelSpec m;
  const int h = r.Int(5, 10), w = r.Int(5, 10), c = r.Int(1, 3), c1 = r.Int(2, 6);
  const int stride = r.Int(1, 2);
  const int x = m.AddTensor(F("x", {1, h, w, c}));
  m.inputs = {x};
  Conv2DOpts co;
  co.stride_h = co.stride_w = stride;
  co.padding = kSame;
  co.activation = r.Int(0, 3) == 2 ? kActNone : r.Int(0, 1) ? kActRelu : kActRelu6;
  const int h1 = OutSize(kSame, h, 3, stride), w1 = OutSize(kSame, w, 3, stride);
  const int cw = m.AddTensor(FConst("conv_w", {c1, 3, 3, c}, r, 0.5f));
  const int cb = m.AddTensor(FConst("conv_b", {c1}, r, 0.3f));
  const int y1 = m.AddTensor(F("conv", {1, h1, w1, c1}));
  m.AddOp(op::kConv2D, {x, cw, cb}, {y1}, co);
  DepthwiseOpts dwo;
  dwo.padding = kSame;
  dwo.activation = kActRelu;
  const int dw = m.AddTensor(FConst("dw_w", {1, 3, 3, c1}, r, 0.6f));
  const int db = m.AddTensor(FConst("dw_b", {c1}, r, 0.2f));
  const int y2 = m.AddTensor(F("dw", {1, h1, w1, c1}));
  m.AddOp(op::kDepthwiseConv2D, {y1, dw, db}, {y2}, dwo);
  const int join = r.Int(0, 3);
  int y3 = y2, c3 = c1;
  if (join == 1) {
    y3 = m.AddTensor(F("add", {1, h1, w1, c1}));
    m.AddOp(op::kAdd, {y1, y2}, {y3}, AddOpts{});
  } else if (join == 2) {
    const int k = m.AddTensor(FConst("mul_k", {c1}, r, 2.0f));
    y3 = m.AddTensor(F("mul", {1, h1, w1, c1}));
    m.AddOp(op::kMul, {y2, k}, {y3}, MulOpts{});
  } else if (join == 3) {
    c3 = 2 * c1;
    y3 = m.AddTensor(F("concat", {1, h1, w1, c3}));
    ConcatenationOpts o;
    o.axis = 3;
    m.AddOp(op::kConcatenation, {y1, y2}, {y3}, o);
  }
  int hp = h1, wp = w1;
  if (r.Int(0, 2) == 0) {
    const int pads = m.AddTensor(Plain("pads", DT::kInt32, {4, 2}));
    m.tensors[pads].data = PackInt32({0, 0, 1, 1, 1, 1, 0, 0});
    hp += 2;
    wp += 2;
    const int yp = m.AddTensor(F("pad", {1, hp, wp, c3}));
    m.AddOp(op::kPad, {y3, pads}, {yp});
    y3 = yp;
  }
  PoolOpts po;
  po.filter_h = po.filter_w = 2;
  po.stride_h = po.stride_w = 2;
  po.padding = kValid;
  const int ph = OutSize(kValid, hp, 2, 2), pw = OutSize(kValid, wp, 2, 2);
  const bool max_pool = r.Int(0, 1) == 1;
  const int y4 = m.AddTensor(F("pool", {1, ph, pw, c3}));
  m.AddOp(max_pool ? op::kMaxPool2D : op::kAveragePool2D, {y3}, {y4}, po);
  int y5 = y4;
  const int squash = r.Int(0, 3);
  if (squash == 1 || squash == 2) {
    y5 = m.AddTensor(F(squash == 1 ? "logistic" : "tanh", {1, ph, pw, c3}));
    m.AddOp(squash == 1 ? op::kLogistic : op::kTanh, {y4}, {y5});
  }
  const bool mean = r.Int(0, 2) == 0;
  int flat = 0, n = 0;
  if (mean) {
    n = c3;
    const int axes = m.AddTensor(I32Const("axes", {1, 2}));
    flat = m.AddTensor(F("mean", {1, n}));
    m.AddOp(op::kMean, {y5, axes}, {flat}, ReducerOpts{});
  } else {
    n = ph * pw * c3;
    const int shape = m.AddTensor(I32Const("shape", {1, n}));
    flat = m.AddTensor(F("flat", {1, n}));
    ReshapeOpts ro;
    ro.new_shape = {1, n};
    ro.has_new_shape = true;
    m.AddOp(op::kReshape, {y5, shape}, {flat}, ro);
  }
  const int hidden = r.Int(4, 16), classes = r.Int(2, 6);
  const int f1w = m.AddTensor(FConst("fc1_w", {hidden, n}, r, 0.5f));
  const int f1b = m.AddTensor(FConst("fc1_b", {hidden}, r, 0.2f));
  const int f1 = m.AddTensor(F("fc1", {1, hidden}));
  FcOpts fo;
  fo.activation = kActRelu;
  m.AddOp(op::kFullyConnected, {flat, f1w, f1b}, {f1}, fo);
  const int f2w = m.AddTensor(FConst("fc2_w", {classes, hidden}, r, 0.8f));
  const int f2b = m.AddTensor(FConst("fc2_b", {classes}, r, 0.2f));
  const int logits = m.AddTensor(F("logits", {1, classes}));
  m.AddOp(op::kFullyConnected, {f1, f2w, f2b}, {logits}, FcOpts{});
  const int probs = m.AddTensor(F("probs", {1, classes}));
  m.AddOp(op::kSoftmax, {logits}, {probs}, SoftmaxOpts{});
  m.outputs = {probs};
  *desc = Fmt("CNN x[1,%d,%d,%d] conv%d s%d act%d join%d pool%s squash%d %s fc%d->%d", h, w, c, c1,
              stride, co.activation, join, max_pool ? "max" : "avg", squash, mean ? "mean" : "reshape",
              hidden, classes);
  return m;
}

std::vector<float> Sample(Rng& r, int64_t n) {
  return RandomFloats(static_cast<size_t>(n), r.Next(), -1.0f, 1.0f);
}

// A .npy file (float32, C order) of `rows` samples of `n` values.
void WriteNpy(const std::string& path, const std::vector<float>& v, int64_t rows, int64_t n) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) +
                       ", " + std::to_string(n) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  f.write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  f.put(static_cast<char>(len & 0xff));
  f.put(static_cast<char>(len >> 8));
  f << header;
  f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
}

struct ShellRun {
  int status = -1;
  std::string output;
};

ShellRun Shell(const std::string& cmd) {
  ShellRun run;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return run;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) run.output += buf;
  const int st = pclose(p);
  run.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return run;
}

fs::path TempDir(const std::string& tag) {
  const fs::path d = fs::temp_directory_path() / ("tinymlc_quantize_" + tag + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d / "cal");
  return d;
}

float Dequantize(const TensorSpec& t, const std::vector<uint8_t>& bytes, size_t i) {
  if (t.dtype == DT::kFloat32) return UnpackFloat(bytes)[i];
  return (static_cast<int8_t>(bytes[i]) - t.zero_point0()) * t.scale0();
}

// Quantizes `count` random models with `flags` and runs checks (a) and (b).
void QuantizeAndCheck(const std::string& tag, int count, uint64_t seed, const std::string& flags,
                      double max_err_limit, double mean_err_limit) {
  const fs::path dir = TempDir(tag);
  std::vector<ModelSpec> quantized;
  std::vector<std::vector<uint8_t>> files;  // the quantized .tflite bytes, compiled as written
  std::vector<ModelSpec> floats;
  std::vector<std::string> descs;
  std::vector<Cases> float_cases, run_cases;
  for (int i = 0; i < count; ++i) {
    Rng r(seed * 1000 + static_cast<uint64_t>(i));
    std::string desc;
    ModelSpec m = RandomCnn(r, &desc);
    const int64_t n = m.tensors[m.inputs[0]].num_elements();
    const fs::path mdir = dir / ("m" + std::to_string(i));
    fs::create_directories(mdir / "cal");
    std::string err;
    ASSERT_TRUE(m.WriteFile((mdir / "float.tflite").string(), &err)) << err;
    // 24 samples in one .npy, 8 more as raw float32 (two files of 4).
    std::vector<float> npy;
    for (int k = 0; k < 24; ++k) {
      const std::vector<float> s = Sample(r, n);
      npy.insert(npy.end(), s.begin(), s.end());
    }
    WriteNpy((mdir / "cal" / "a.npy").string(), npy, 24, n);
    for (int f = 0; f < 2; ++f) {
      std::vector<float> raw;
      for (int k = 0; k < 4; ++k) {
        const std::vector<float> s = Sample(r, n);
        raw.insert(raw.end(), s.begin(), s.end());
      }
      std::ofstream((mdir / "cal" / ("b" + std::to_string(f) + ".bin")).string(), std::ios::binary)
          .write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size() * 4));
    }
    const std::string q = (mdir / "int8.tflite").string();
    const ShellRun run = Shell(TinymlcPath() + " quantize " + (mdir / "float.tflite").string() + " --calibration " +
                          (mdir / "cal").string() + " -o " + q + " " + flags);
    ASSERT_EQ(run.status, 0) << desc << "\n" << run.output;
    ModelSpec qm;
    ASSERT_TRUE(LoadTfliteFile(q, &qm, &err)) << desc << ": " << err;
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(ReadFileBytes(q, &bytes));
    files.push_back(bytes);
    // Test inputs: fresh samples from the calibration distribution.
    Cases fc, qc;
    const TensorSpec& qin = qm.tensors[qm.inputs[0]];
    for (int k = 0; k < 6; ++k) {
      const std::vector<float> s = Sample(r, n);
      fc.push_back({PackFloat(s)});
      if (qin.dtype == DT::kInt8) {
        std::vector<int8_t> v(s.size());
        for (size_t j = 0; j < s.size(); ++j) {
          const long x = std::lround(s[j] / qin.scale0()) + qin.zero_point0();
          v[j] = static_cast<int8_t>(std::min(127L, std::max(-128L, x)));
        }
        qc.push_back({PackInt8(v)});
      } else {
        qc.push_back({PackFloat(s)});
      }
    }
    floats.push_back(m);
    quantized.push_back(qm);
    descs.push_back(desc);
    float_cases.push_back(fc);
    run_cases.push_back(qc);
  }
  const BatchResult batch = CompileAndRunTfliteBatch(files, run_cases);
  ASSERT_TRUE(batch.ok) << batch.error;
  double worst = 0.0;
  for (size_t i = 0; i < quantized.size(); ++i) {
    const ModelSpec& qm = quantized[i];
    // The rules: every float activation became int8 per tensor; weights per channel.
    for (const OpSpec& o : qm.ops) {
      if (o.builtin_code == op::kConv2D || o.builtin_code == op::kFullyConnected ||
          o.builtin_code == op::kDepthwiseConv2D) {
        const TensorSpec& wt = qm.tensors[o.inputs[1]];
        EXPECT_EQ(wt.dtype, DT::kInt8) << descs[i];
        const bool per_tensor = o.builtin_code == op::kFullyConnected &&
                                flags.find("--per-tensor-fc") != std::string::npos;
        EXPECT_EQ(static_cast<int32_t>(wt.scale.size()),
                  per_tensor ? 1 : o.builtin_code == op::kDepthwiseConv2D ? wt.shape[3] : wt.shape[0])
            << descs[i];
        for (int64_t zp : wt.zero_point) EXPECT_EQ(zp, 0) << descs[i];
        EXPECT_EQ(qm.tensors[o.inputs[2]].dtype, DT::kInt32) << descs[i];
      }
      if (o.builtin_code == op::kSoftmax) {
        EXPECT_EQ(qm.tensors[o.outputs[0]].scale0(), 1.0f / 256.0f) << descs[i];
        EXPECT_EQ(qm.tensors[o.outputs[0]].zero_point0(), -128) << descs[i];
      }
    }
    double max_err = 0.0, sum_err = 0.0;
    int64_t count_err = 0;
    for (size_t k = 0; k < run_cases[i].size(); ++k) {
      // (a) bit-exact with the C++ reference, every layer.
      const std::string diff = CompareWithReference(qm, run_cases[i][k], batch.results[i][k]);
      EXPECT_EQ(diff, "") << descs[i] << " case " << k;
      // (b) close to the float model.
      const std::vector<std::vector<uint8_t>> want = RunReference(floats[i], float_cases[i][k]);
      const TensorSpec& out_t = qm.tensors[qm.outputs[0]];
      const std::vector<uint8_t>& got = batch.results[i][k].outputs[0];
      const size_t elems = want[0].size() / 4;
      ASSERT_EQ(static_cast<int64_t>(elems), out_t.num_elements());
      const std::vector<float> wf = UnpackFloat(want[0]);
      for (size_t j = 0; j < elems; ++j) {
        const double e = std::fabs(static_cast<double>(Dequantize(out_t, got, j)) - wf[j]);
        max_err = std::max(max_err, e);
        sum_err += e;
        ++count_err;
      }
    }
    const double mean_err = sum_err / static_cast<double>(count_err);
    worst = std::max(worst, max_err);
    EXPECT_LE(max_err, max_err_limit) << descs[i];
    EXPECT_LE(mean_err, mean_err_limit) << descs[i];
  }
  std::printf("quantize %s: %d models, worst |int8 - float| of a softmax output %.4f\n", tag.c_str(),
              count, worst);
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

// SweepCount(n) runs TINYMLC_SWEEP_SCALE x n models (0.3 under ctest).
TEST(SweepQuantize, MinMaxFloatIo) { QuantizeAndCheck("minmax", SweepCount(40), 15, "", 0.08, 0.02); }

TEST(SweepQuantize, Int8IoPerTensorFc) {
  QuantizeAndCheck("int8io", SweepCount(20), 16, "--int8-io --per-tensor-fc", 0.08, 0.02);
}

TEST(SweepQuantize, PercentileAndMse) {
  QuantizeAndCheck("percentile", SweepCount(12), 17, "--calibrate percentile --percentile 99.9", 0.1, 0.03);
  QuantizeAndCheck("mse", SweepCount(12), 18, "--calibrate mse", 0.1, 0.03);
}

// The file's lines without those naming the model file and the options.
std::string Body(const fs::path& p) {
  std::ifstream f(p);
  std::string line, out;
  while (std::getline(f, line)) {
    if (line.find("generated by tinymlc") == std::string::npos &&
        line.find(" * Model ") == std::string::npos) {
      out += line + "\n";
    }
  }
  return out;
}

TEST(SweepQuantize, CompileWithCalibrationEqualsQuantizeThenCompile) {
  const fs::path dir = TempDir("compile");
  Rng r(21);
  std::string desc, err;
  const ModelSpec m = RandomCnn(r, &desc);
  ASSERT_TRUE(m.WriteFile((dir / "f.tflite").string(), &err)) << err;
  const int64_t n = m.tensors[m.inputs[0]].num_elements();
  std::vector<float> cal;
  for (int k = 0; k < 8; ++k) {
    const std::vector<float> s = Sample(r, n);
    cal.insert(cal.end(), s.begin(), s.end());
  }
  WriteNpy((dir / "cal" / "a.npy").string(), cal, 8, n);
  const std::string t = TinymlcPath(), f = (dir / "f.tflite").string(), c = (dir / "cal").string();
  ShellRun run = Shell(t + " compile " + f + " --calibration " + c + " --calibrate mse -o " +
                       (dir / "a").string() + " --name m");
  ASSERT_EQ(run.status, 0) << run.output;
  run = Shell(t + " quantize " + f + " --calibration " + c + " --calibrate mse -o " + (dir / "q.tflite").string());
  ASSERT_EQ(run.status, 0) << run.output;
  run = Shell(t + " compile " + (dir / "q.tflite").string() + " -o " + (dir / "b").string() + " --name m");
  ASSERT_EQ(run.status, 0) << run.output;
  const std::string a = Body(dir / "a" / "m.c"), b = Body(dir / "b" / "m.c");
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, b) << desc;
  EXPECT_EQ(Body(dir / "a" / "m.h"), Body(dir / "b" / "m.h")) << desc;
  // The int8 model: the generated C has no float convolution.
  EXPECT_EQ(a.find("tml_conv_2d_f32("), std::string::npos);
  fs::remove_all(dir);
}

TEST(SweepQuantize, RefusesUnsupportedOperator) {
  const fs::path dir = TempDir("refuse");
  Rng r(7);
  ModelSpec m;
  const int x = m.AddTensor(F("x", {1, 4}));
  const int y = m.AddTensor(F("y", {1, 4}));
  const int z = m.AddTensor(F("z", {1, 4}));
  m.AddOp(op::kRelu, {x}, {y});
  m.AddOp(op::kExp, {y}, {z});
  m.inputs = {x};
  m.outputs = {z};
  std::string err;
  ASSERT_TRUE(m.WriteFile((dir / "f.tflite").string(), &err)) << err;
  WriteNpy((dir / "cal" / "a.npy").string(), Sample(r, 8), 2, 4);
  ShellRun run = Shell(TinymlcPath() + " quantize " + (dir / "f.tflite").string() + " --calibration " +
                  (dir / "cal").string() + " -o " + (dir / "q.tflite").string());
  EXPECT_EQ(run.status, 2) << run.output;
  EXPECT_NE(run.output.find("subgraph 0: operator 1 (EXP)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("does not support this operator"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir / "q.tflite"));
  // A calibration file that is not a whole number of samples.
  std::ofstream((dir / "cal" / "b.bin").string(), std::ios::binary).write("abcdefgh", 8);
  run = Shell(TinymlcPath() + " quantize " + (dir / "f.tflite").string() + " --calibration " +
              (dir / "cal").string() + " -o " + (dir / "q.tflite").string());
  EXPECT_EQ(run.status, 2) << run.output;
  EXPECT_NE(run.output.find("b.bin: 2 values, not a whole number of samples"), std::string::npos) << run.output;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tinymlc::testing
