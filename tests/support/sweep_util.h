// Helpers shared by the random configuration sweeps (sweep_<op>_test.cc): random draws,
// int8 data, weights and quantization for generated models, description formatting,
// and the checks of a sweep's result and of models tinymlc must reject.
//
// The sweeps are seeded: every helper draws from the Rng in a fixed order, so changing
// one changes the configurations of every sweep that uses it (and the saved regressions
// no longer match the configurations named in old failure messages).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compile_harness.h"
#include "model_builder.h"

namespace tinymlc::testing {

using Cases = std::vector<std::vector<std::vector<uint8_t>>>;  // [case][input]

// ---- Random helpers -------------------------------------------------------------------

// True with probability percent / 100.
bool Chance(Rng& r, int percent);

// Log-uniform in [lo, hi).
float LogUniform(Rng& r, float lo, float hi);

// Zero points: often the ends and 0, otherwise anywhere in int8.
int32_t RandomZeroPoint(Rng& r);

// A fused activation: NONE, RELU, RELU6 or RELU_N1_TO_1.
int RandomAct(Rng& r);

// int8 input bytes for one tensor: kind 0 = uniform over the full range, 1 = every
// element at the zero point (real 0), 2 = only -128 / 127 (saturation paths).
std::vector<uint8_t> Int8Data(Rng& r, int64_t n, int kind, int32_t zp);

// Cases for a model whose inputs are all int8: random, random, zero point, extremes.
Cases Int8Cases(Rng& r, const ModelSpec& m);

// Symmetric int8 weights; now and then a -128 (legal in TFLM, outside [-127, 127]).
std::vector<int8_t> Weights(Rng& r, int64_t n);

// Weight scales: one (per tensor) or `channels` varying by up to 8x. With
// `tiny_channel`, a per-channel draw of 2+ channels sometimes gives one channel the
// tiny scale converters give an all-zero channel.
std::vector<float> WeightScales(Rng& r, int channels, bool per_channel, bool tiny_channel);

// Output scale for an accumulation over `k` products of int8 values: typical outputs
// land around +-50 steps, times a random factor (some configs saturate, some are flat).
// 10%: a real multiplier in [1, 3] (positive shift).
float AccOutputScale(Rng& r, float in_scale, float w_scale, int64_t k);

// Bias around the accumulator's spread (|bias| < 2^24: no int32 overflow).
std::vector<int32_t> Bias(Rng& r, int n, int64_t k);

// ---- Descriptions -----------------------------------------------------------------------

// "[1,2,3]".
std::string Shape(const std::vector<int32_t>& s);

// printf into a std::string.
std::string Fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));

// ---- Tensors and models -----------------------------------------------------------------

// A per-tensor quantized activation of any dtype.
TensorSpec Quantized(const std::string& name, DT dt, std::vector<int32_t> shape, float scale,
                     int64_t zp);

// An unquantized tensor (bool outputs, float, int32 axes and indices).
TensorSpec Plain(const std::string& name, DT dt, std::vector<int32_t> shape);

// A one-operator model; the inputs that are neither constant nor variable become graph
// inputs.
ModelSpec OneOp(int code, const std::vector<TensorSpec>& inputs,
                const std::vector<TensorSpec>& outs, OpOptions options = {});
ModelSpec OneOp(int code, const std::vector<TensorSpec>& inputs, const TensorSpec& out,
                OpOptions options = {});

// A configuration of a model with int8 inputs and the one output y: its description and
// Int8Cases.
SweepConfig Finish(Rng& r, ModelSpec m, int y, const std::string& desc);

// ---- Checks -----------------------------------------------------------------------------

// A sweep ran configurations and none failed.
void ExpectClean(const SweepStats& s);

// A model TFLM refuses (at prepare time, or aborts on): tinymlc must reject it too
// instead of generating code.
struct Rejection {
  const char* what;
  ModelSpec model;
  const char* message;  // expected in tinymlc's error
};

// Compiles every case in one batch (inputs all zero) and expects each model rejected
// with an error containing its message.
void ExpectRejected(const std::vector<Rejection>& cases);

}  // namespace tinymlc::testing
