// libFuzzer target: the whole compiler (importer with the flatbuffers Verifier,
// validation, op lowering, constant folding, planner, emitter) on arbitrary bytes.
// Nothing may crash, leak, hang or allocate without bound; bad input must come back
// as an error Status whose message is non-empty and one line. A model that compiles
// must have its whole memory plan inside an arena of at most 2^31 bytes.
//
// Two modes, chosen at build time:
//  - raw: libFuzzer's byte mutations (most inputs die in the Verifier; that is tested too);
//  - structured (TINYMLC_FUZZ_STRUCTURED): a custom mutator decodes the input as a model
//    (tests/support loader), changes one thing the way broken or hostile models do
//    (dimensions, scales, zero points, tensor indices, dtypes, options, constant
//    buffer sizes, opcodes) and re-serializes it, so inputs get past the Verifier and
//    exercise validation, lowering and planning.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "tinymlc/compiler.h"
#include "tinymlc/importer.h"

#ifdef TINYMLC_FUZZ_STRUCTURED
#include <vector>

#include "model_builder.h"
#include "tflite_loader.h"
#include "tflite_subset_generated.h"
#endif

namespace {

// An error must say something, on one line (the command line prints it as one line).
void CheckError(const tinymlc::Status& s) {
  const std::string text = s.ToString();
  if (s.message().empty() || text.find('\n') != std::string::npos) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto graph = tinymlc::ImportTfliteBuffer(data, size, "fuzz.tflite");
  if (!graph.ok()) {
    CheckError(graph.status());
    return 0;
  }
  tinymlc::CompileOptions options;
  options.name = "fuzz";
  auto compiled = tinymlc::CompileGraph(graph.value(), options);
  if (!compiled.ok()) {
    CheckError(compiled.status());
    return 0;
  }
  // A compiled model's plan stays inside its arena, and the arena inside 2^31 bytes.
  const tinymlc::CompiledModel& m = compiled.value();
  if (m.arena_bytes < 0 || m.arena_bytes > (int64_t{1} << 31)) __builtin_trap();
  for (const tinymlc::BufferReport& b : m.buffers) {
    if (b.bytes > 0 && (b.offset < 0 || b.offset + b.bytes > m.arena_bytes)) __builtin_trap();
  }
  if (m.source.empty() || m.header.empty()) __builtin_trap();
  return 0;
}

#ifdef TINYMLC_FUZZ_STRUCTURED
namespace {

using tinymlc::testing::DT;
using tinymlc::testing::ModelSpec;
using tinymlc::testing::Rng;

int32_t NastyInt(Rng& r) {
  static const int32_t kValues[] = {-1, 0, 1, 2, 3, 7, 64, 255, 256, 65535, 1 << 20,
                                    std::numeric_limits<int32_t>::max(),
                                    std::numeric_limits<int32_t>::min()};
  return r.Int(0, 3) == 0 ? r.Int(-4, 300) : kValues[r.Int(0, sizeof(kValues) / sizeof(kValues[0]) - 1)];
}

float NastyFloat(Rng& r) {
  static const float kValues[] = {0.0f, -1.0f, 1e-30f, 1e30f, std::numeric_limits<float>::infinity(),
                                  std::numeric_limits<float>::quiet_NaN(), 1.0f / 256, 0.5f};
  return kValues[r.Int(0, sizeof(kValues) / sizeof(kValues[0]) - 1)];
}

void MutateOptions(tinymlc::testing::OpOptions& o, Rng& r) {
  if (auto* c = std::get_if<tinymlc::testing::Conv2DOpts>(&o)) {
    int* f[] = {&c->padding, &c->stride_w, &c->stride_h, &c->dilation_w, &c->dilation_h, &c->activation};
    *f[r.Int(0, 5)] = NastyInt(r);
  } else if (auto* d = std::get_if<tinymlc::testing::DepthwiseOpts>(&o)) {
    int* f[] = {&d->padding, &d->stride_w, &d->stride_h, &d->dilation_w, &d->dilation_h,
                &d->depth_multiplier, &d->activation};
    *f[r.Int(0, 6)] = NastyInt(r);
  } else if (auto* p = std::get_if<tinymlc::testing::PoolOpts>(&o)) {
    int* f[] = {&p->padding, &p->stride_w, &p->stride_h, &p->filter_w, &p->filter_h, &p->activation};
    *f[r.Int(0, 5)] = NastyInt(r);
  } else if (auto* s = std::get_if<tinymlc::testing::SoftmaxOpts>(&o)) {
    s->beta = NastyFloat(r);
  } else if (auto* fc = std::get_if<tinymlc::testing::FcOpts>(&o)) {
    fc->activation = NastyInt(r);
    fc->keep_num_dims = !fc->keep_num_dims;
  } else if (auto* a = std::get_if<tinymlc::testing::AddOpts>(&o)) {
    a->activation = NastyInt(r);
  }
}

void Mutate(ModelSpec& m, Rng& r) {
  const int nt = static_cast<int>(m.tensors.size());
  const int no = static_cast<int>(m.ops.size());
  auto any_tensor = [&]() { return r.Int(0, 9) == 0 ? NastyInt(r) : r.Int(-1, nt); };
  switch (r.Int(0, 15)) {
    case 0:
      if (nt) {
        auto& t = m.tensors[r.Int(0, nt - 1)];
        if (!t.shape.empty()) t.shape[r.Int(0, static_cast<int>(t.shape.size()) - 1)] = NastyInt(r);
      }
      break;
    case 1:
      if (nt) {
        auto& t = m.tensors[r.Int(0, nt - 1)];
        if (r.Int(0, 1)) t.shape.push_back(r.Int(0, 4)); else if (!t.shape.empty()) t.shape.pop_back();
      }
      break;
    case 2:
      if (nt) {
        auto& t = m.tensors[r.Int(0, nt - 1)];
        if (!t.scale.empty()) t.scale[r.Int(0, static_cast<int>(t.scale.size()) - 1)] = NastyFloat(r);
        else t.scale.push_back(NastyFloat(r)), t.zero_point.push_back(0);
      }
      break;
    case 3:
      if (nt) {
        auto& t = m.tensors[r.Int(0, nt - 1)];
        if (!t.zero_point.empty()) t.zero_point[0] = NastyInt(r);
        if (r.Int(0, 1)) t.quant_axis = NastyInt(r);
        if (r.Int(0, 1) && !t.scale.empty()) t.scale.push_back(t.scale[0]), t.zero_point.push_back(0);
      }
      break;
    case 4:
      if (nt) {
        auto& t = m.tensors[r.Int(0, nt - 1)];
        if (!t.data.empty()) t.data.resize(static_cast<size_t>(r.Int(1, static_cast<int>(t.data.size()) * 2)));
      }
      break;
    case 5:
      if (nt) m.tensors[r.Int(0, nt - 1)].dtype = static_cast<DT>(r.Int(0, 6));
      break;
    case 6:
      if (no) {
        auto& o = m.ops[r.Int(0, no - 1)];
        if (!o.inputs.empty()) o.inputs[r.Int(0, static_cast<int>(o.inputs.size()) - 1)] = any_tensor();
      }
      break;
    case 7:
      if (no) {
        auto& o = m.ops[r.Int(0, no - 1)];
        if (!o.outputs.empty()) o.outputs[0] = any_tensor();
        else o.outputs.push_back(any_tensor());
      }
      break;
    case 8:
      if (no) {
        auto& o = m.ops[r.Int(0, no - 1)];
        if (r.Int(0, 2) == 0) o.builtin_code = r.Int(0, 160);
        else if (r.Int(0, 1)) o.omit_options = !o.omit_options;
        else MutateOptions(o.options, r);
      }
      break;
    case 9:
      if (no > 1) std::swap(m.ops[r.Int(0, no - 1)], m.ops[r.Int(0, no - 1)]);  // cycles / order
      break;
    case 10:
      if (!m.inputs.empty()) m.inputs[0] = any_tensor();
      if (!m.outputs.empty() && r.Int(0, 1)) m.outputs[0] = any_tensor();
      break;
    case 11:
      if (nt) m.tensors[r.Int(0, nt - 1)].is_variable ^= true;
      break;
    case 12:
      if (nt) {  // names reach messages and the generated C (comments, string literals)
        static const char* const kNames[] = {"", "a\nb", "*/ int x; /*", "\"\\?\?/", "\x01\xff",
                                             "//", "%s%n"};
        m.tensors[r.Int(0, nt - 1)].name = kNames[r.Int(0, 6)];
      }
      break;
    case 13:
      if (no) {  // the same op twice, or an op dropped
        if (r.Int(0, 1)) m.ops.push_back(m.ops[r.Int(0, no - 1)]);
        else m.ops.erase(m.ops.begin() + r.Int(0, no - 1));
      }
      break;
    case 14:
      if (nt) {  // a constant becomes an activation, or an activation gets data
        auto& t = m.tensors[r.Int(0, nt - 1)];
        if (!t.data.empty()) t.data.clear();
        else t.data.assign(static_cast<size_t>(r.Int(1, 64)), static_cast<uint8_t>(r.Int(0, 255)));
      }
      break;
    default:
      if (no) {
        auto& o = m.ops[r.Int(0, no - 1)];
        if (r.Int(0, 1) && !o.inputs.empty()) o.inputs.pop_back();
        else o.inputs.push_back(any_tensor());
      }
      break;
  }
}

// The test loader reads int64 vectors (zero points) in place and multiplies dimensions
// in int64: only hand it verified models whose int64 vectors are aligned (the
// compiler's importer copies them instead) and whose shapes are not absurd.
bool LoadableByTestLoader(const uint8_t* data, size_t size) {
  flatbuffers::Verifier verifier(data, size);
  if (!tflite::VerifyModelBuffer(verifier)) return false;
  const tflite::Model* model = tflite::GetModel(data);
  if (!model->subgraphs()) return true;
  for (const tflite::SubGraph* sg : *model->subgraphs()) {
    if (!sg->tensors()) continue;
    for (const tflite::Tensor* t : *sg->tensors()) {
      // Its element counts are plain int64 products: keep them far from overflow.
      if (t->shape()) {
        double elements = 1;
        for (int32_t d : *t->shape()) {  // |d|, and 0 as 1: a late 0 comes after overflow
          elements *= std::max(std::fabs(static_cast<double>(d)), 1.0);
        }
        if (elements > 1e15) return false;
      }
      const auto* q = t->quantization();
      if (q && q->zero_point() && reinterpret_cast<uintptr_t>(q->zero_point()->Data()) % 8 != 0) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  ModelSpec spec;
  std::string error;
  Rng rng(seed);
  // One time in eight, plain byte mutations on a valid model (flatbuffer-level damage
  // that the Verifier must catch, or odd but valid layouts).
  std::vector<uint64_t> aligned((size + 7) / 8);
  if (size > 0) std::memcpy(aligned.data(), data, size);
  const uint8_t* copy = reinterpret_cast<const uint8_t*>(aligned.data());
  if (rng.Int(0, 7) == 0 || !LoadableByTestLoader(copy, size) ||
      !tinymlc::testing::LoadTfliteBuffer(copy, size, &spec, &error)) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  const int steps = rng.Int(1, 3);
  for (int i = 0; i < steps; ++i) Mutate(spec, rng);
  const std::vector<uint8_t> bytes = spec.Serialize();
  if (bytes.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}
#endif
