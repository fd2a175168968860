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

// Decodes one (encoded, ancillary) pair into `out`'s bytes, exactly as TFLM's
// DecodeStateLut / DecodeStatePrune fill the output tensor. Errors name the problem
// (the caller adds the operator and tensor).
Status DecodeTflmTensor(const Tensor& encoded, const Tensor& ancillary, const Tensor& out,
                        std::vector<uint8_t>* bytes);

// The LUT index width (1..7) when `t` is the output of a TFLM_DECODE operator whose
// method is LUT; 0 otherwise.
int LutIndexBits(const Graph& graph, const Tensor& t);

}  // namespace tinymlc
