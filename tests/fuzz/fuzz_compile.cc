// libFuzzer target: the whole compiler (importer with the flatbuffers Verifier,
// validation, op lowering, constant folding, planner, emitter) on arbitrary bytes.
// Nothing may crash, leak, hang or allocate without bound; bad input must come back
// as an error Status.
//
// Two modes, chosen at build time:
//  - raw: libFuzzer's byte mutations (most inputs die in the Verifier; that is tested too);
//  - structured (TINYMLC_FUZZ_STRUCTURED): a custom mutator decodes the input as a model
//    (tests/support loader), changes one thing the way broken or hostile models do
//    (dimensions, scales, zero points, tensor indices, dtypes, options, constant
//    buffer sizes, opcodes) and re-serializes it, so inputs get past the Verifier and
//    exercise validation, lowering and planning.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "tinymlc/compiler.h"
#include "tinymlc/importer.h"

#ifdef TINYMLC_FUZZ_STRUCTURED
#include "model_builder.h"
#include "tflite_loader.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto graph = tinymlc::ImportTfliteBuffer(data, size, "fuzz.tflite");
  if (!graph.ok()) {
    if (graph.status().message().empty()) __builtin_trap();  // errors must say something
    return 0;
  }
  tinymlc::CompileOptions options;
  options.name = "fuzz";
  auto compiled = tinymlc::CompileGraph(graph.value(), options);
  if (!compiled.ok() && compiled.status().message().empty()) __builtin_trap();
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
  switch (r.Int(0, 11)) {
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
    default:
      if (nt) m.tensors[r.Int(0, nt - 1)].is_variable ^= true;
      break;
  }
}

}  // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  ModelSpec spec;
  std::string error;
  if (!tinymlc::testing::LoadTfliteBuffer(data, size, &spec, &error)) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  Rng rng(seed);
  const int steps = rng.Int(1, 3);
  for (int i = 0; i < steps; ++i) Mutate(spec, rng);
  const std::vector<uint8_t> bytes = spec.Serialize();
  if (bytes.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}
#endif
