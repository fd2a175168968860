#include "tinymlc/ir.h"

namespace tinymlc {

const char* DTypeName(DType t) {
  switch (t) {
    case DType::kFloat32: return "float32";
    case DType::kInt8: return "int8";
    case DType::kInt16: return "int16";
    case DType::kInt32: return "int32";
    case DType::kInt64: return "int64";
    case DType::kUInt8: return "uint8";
    case DType::kBool: return "bool";
    case DType::kInt4: return "int4";
    case DType::kResource: return "resource";
    case DType::kUInt32: return "uint32";
    case DType::kUInt64: return "uint64";
    case DType::kUnsupported: break;
  }
  return "unsupported";
}

const char* DTypeCName(DType t) {
  switch (t) {
    case DType::kFloat32: return "float";
    case DType::kInt8: return "int8_t";
    case DType::kInt16: return "int16_t";
    case DType::kInt32: return "int32_t";
    case DType::kInt64: return "int64_t";
    case DType::kUInt8: return "uint8_t";
    case DType::kBool: return "uint8_t";
    case DType::kInt4: return "int8_t";  // packed bytes
    case DType::kResource: return "uint8_t";
    case DType::kUInt32: return "uint32_t";
    case DType::kUInt64: return "uint64_t";
    case DType::kUnsupported: break;
  }
  return "uint8_t";
}

size_t DTypeSize(DType t) {
  switch (t) {
    case DType::kFloat32: return 4;
    case DType::kInt8: return 1;
    case DType::kInt16: return 2;
    case DType::kInt32: return 4;
    case DType::kInt64: return 8;
    case DType::kUInt8: return 1;
    case DType::kBool: return 1;
    case DType::kInt4: return 1;  // an upper bound: two per byte
    case DType::kResource: return 0;
    case DType::kUInt32: return 4;
    case DType::kUInt64: return 8;
    case DType::kUnsupported: break;
  }
  return 0;
}

const char* ActivationName(Activation a) {
  switch (a) {
    case Activation::kNone: return "NONE";
    case Activation::kRelu: return "RELU";
    case Activation::kReluN1To1: return "RELU_N1_TO_1";
    case Activation::kRelu6: return "RELU6";
    case Activation::kTanh: return "TANH";
    case Activation::kSignBit: return "SIGN_BIT";
  }
  return "UNKNOWN";
}

int64_t Tensor::NumElements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

}  // namespace tinymlc
