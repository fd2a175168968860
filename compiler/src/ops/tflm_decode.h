// TFLM's weight compression: the custom operator TFLM_DECODE (kernels/decode.cc) that
// TFLM's compression tool (tflite_micro ... compression/compress.py) puts before each
// operator reading a compressed constant. Its inputs come in pairs: the encoded tensor
// (uint8) and an ancillary tensor (uint8: a 16-byte header, the "DCM", then the
// method's data); output i is the decoded tensor, with the original dtype, shape and
// quantization. Both inputs are constants, so tinymlc decodes at compile time (constant
// folding): the consumers read ordinary constants. Methods: LUT (DCM type 0: indices of
// 1 to 7 bits into value tables, one per channel of the output's quantization) and
// pruning (type 2: a bit per element, set where the value is not the zero point, and the
// values that are). Huffman (type 1, Xtensa decode tables) and custom types are refused.
//
// A CONV_2D or FULLY_CONNECTED whose int8 weights were LUT-compressed keeps them
// compressed in flash: ops/sparse_weights.h makes the clustered form its baseline
// (LutIndexBits), the way int4 weights keep the int4 words.
#pragma once

#include <cstdint>
#include <vector>

#include "tinymlc/ir.h"
#include "tinymlc/status.h"

namespace tinymlc {

// Bytes per element of the dtypes TFLM's decoders write (bool, int8, int16, int32, int64,
// float32); 0 for any other.
size_t LutElementBytes(DType t);

// TFLM's LUT layout (both TFLM_DECODE's and the older COMPRESSION_METADATA's): indices of
// `width` bits, most significant bit first, element after element; element e reads
// table[c * stride + index] (in elements), c = e / (n / channels), or c = e % channels
// when the channels are interleaved along the last axis (`alternate`).
struct LutLayout {
  int width = 0;
  int64_t channels = 1;
  bool alternate = false;
  int64_t stride = 0;
};
// Decodes n elements of `esize` bytes; errors when the indices are short or one reads
// past the table.
Status DecodeLutIndices(const uint8_t* indices, size_t index_bytes, const uint8_t* table,
                        size_t table_bytes, const LutLayout& lut, size_t esize, int64_t n,
                        std::vector<uint8_t>* bytes);

// Decodes one (encoded, ancillary) pair into `out`'s bytes, exactly as TFLM's
// DecodeStateLut / DecodeStatePrune fill the output tensor. Errors name the problem
// (the caller adds the operator and tensor).
Status DecodeTflmTensor(const Tensor& encoded, const Tensor& ancillary, const Tensor& out,
                        std::vector<uint8_t>* bytes);

// The LUT index width (1..7) when `t` is the output of a TFLM_DECODE operator whose
// method is LUT, or a tensor the model's COMPRESSION_METADATA compresses
// (Tensor::lut_index_bits); 0 otherwise.
int LutIndexBits(const Graph& graph, const Tensor& t);

}  // namespace tinymlc
