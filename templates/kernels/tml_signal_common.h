/*
 * tml_signal_common.h - helpers of the signal library kernels (TFLM's signal/src): the
 * most significant bit and the integer square roots, with TFLM's semantics as built by
 * gcc/clang (MostSignificantBit32/64 of 0 is 32/64 there, the __builtin_clz path).
 */
#ifndef TML_SIGNAL_COMMON_H
#define TML_SIGNAL_COMMON_H

#include "tml_common.h"

/* The number of significant bits of x (1 + the index of its top set bit); 32 for 0. */
TML_HELPER uint32_t tml_signal_msb32(uint32_t x) {
  uint32_t n = 0;
  if (x == 0) return 32;
  while (x) {
    x >>= 1;
    ++n;
  }
  return n;
}

TML_HELPER uint32_t tml_signal_msb64(uint64_t x) {
  uint32_t n = 0;
  if (x == 0) return 64;
  while (x) {
    x >>= 1;
    ++n;
  }
  return n;
}

/* Rounded integer square root, bit by bit from the top pair of bits (TFLM's Sqrt32). */
TML_HELPER uint16_t tml_signal_sqrt32(uint32_t num) {
  uint32_t res = 0, bit;
  int32_t top, steps;
  if (num == 0) return 0;
  top = (int32_t)(32 - tml_signal_msb32(num)) | 1;
  bit = (uint32_t)1 << (31 - top);
  steps = (31 - top) / 2 + 1;
  while (steps-- > 0) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  if (num > res && res != 0xFFFFu) ++res;
  return (uint16_t)res;
}

/* The 64-bit version; values below 2^32 take the 32-bit path, as TFLM's Sqrt64 does. */
TML_HELPER uint32_t tml_signal_sqrt64(uint64_t num) {
  uint64_t res = 0, bit;
  int32_t top, steps;
  if ((num >> 32) == 0) return tml_signal_sqrt32((uint32_t)num);
  top = (int32_t)(64 - tml_signal_msb64(num)) | 1;
  bit = (uint64_t)1 << (63 - top);
  steps = (63 - top) / 2 + 1;
  while (steps-- > 0) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  if (num > res && res != 0xFFFFFFFFu) ++res;
  return (uint32_t)res;
}

#endif /* TML_SIGNAL_COMMON_H */
