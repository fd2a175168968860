// Shared by the signal library's ops (signal_*.cc): TFLM's signal kernels are custom ops
// whose parameters sit in a flexbuffer map (ir.h CustomOptions). TFLM reads most of them
// by position in the key-sorted map (FlexbufferWrapper::ElementAsInt32(i)), so each is
// looked up by that position and its key checked against the name TFLM expects there.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ops/op_util.h"

namespace tinymlc {

// The int32 TFLM reads at `index` (the inline value, sign-extended at the map's width,
// truncated to 32 bits); an error names the option if it is absent, has another key or
// is not an inline integer or bool.
Status SignalIntOption(const LowerContext& ctx, int index, const char* key, int32_t* value);
// ElementAsBool: the inline value zero-extended, nonzero.
Status SignalBoolOption(const LowerContext& ctx, int index, const char* key, bool* value);
// A value looked up by key (m["T"].AsInt32()), for the options TFLM reads that way.
Status SignalIntOptionByKey(const LowerContext& ctx, const char* key, int32_t* value);

// A constant 1-D int16 tensor's values (the filter bank's tables).
Status SignalConstInt16(const LowerContext& ctx, const Tensor* t, std::vector<int16_t>* values);

// The params of tml_signal_[i]rfft_s16 / _s32 / _f32 (kiss_fftr in 16- or 32-bit fixed
// point, or float: (float)cos|sin)
// and their twiddle tables, computed as kiss_fft_alloc / kiss_fftr_alloc do:
// floor(0.5 + SAMP_MAX * cos|sin(phase)) in double, the phases negated for the inverse.
// Appends the C declarations to *decls and their size to *table_bytes.
Status SignalFftParams(const LowerContext& ctx, int32_t fft_length, int32_t input_length,
                       int64_t frames, bool inverse, DType dt, std::string* decls,
                       int64_t* table_bytes);

// Rank 1 (the signal kernels read dims->data[0]).
Status SignalCheckRank1(const LowerContext& ctx, const Tensor* t);

}  // namespace tinymlc
