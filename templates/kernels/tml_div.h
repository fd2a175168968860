/*
 * tml_div.h - int8 and int32 DIV (TFLM reference Div / BroadcastDivSlow), with NumPy
 * broadcasting through tml_broadcast.h and a fused activation clamp.
 *
 * int8, per element (TFLM's DivElementwise):
 *   a = x1 + input1_offset, b = x2 + input2_offset; if b < 0, both are negated;
 *   inv = 1 / (1 + f) in Q0.31 where b = (1 + f) * 2^recip_shift (gemmlowp
 *     one_over_one_plus_x_for_x_in_0_1; b = 0 gives f = -1, recip_shift = -1, as TFLM's
 *     code does for a zero divisor);
 *   h = leading sign bits of a; q = SRDHM(a << h, inv);
 *   out = output_offset + RDBPOT(SRDHM(q, output_multiplier), e),
 *     e = h + recip_shift - output_shift, clamped to [act_min, act_max].
 * e can exceed 31 (results that round to about 0): RDBPOT then behaves as TFLM's build
 * for x86-64 does, a 64-bit mask (1 << e) - 1 cut to 32 bits and a 32-bit arithmetic
 * shift by e mod 32 (tml_div_rdbpot). The compiler keeps e in [0, 63].
 *
 * int32 (TFLM's templated Div): out = x1 / x2 (C truncation) clamped to [act_min,
 * act_max]. A zero divisor (and INT32_MIN / -1) makes the kernel return -1 (TFLM's
 * division would trap); 0 otherwise.
 */
#ifndef TML_DIV_H
#define TML_DIV_H

#include "tml_broadcast.h"
#include "tml_fixedpoint.h"

typedef struct {
  tml_broadcast_t shape;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} tml_div_s8_params_t;

typedef struct {
  tml_broadcast_t shape;
  int32_t act_min, act_max;
} tml_div_s32_params_t;

TML_KERNEL int8_t tml_div_s8_element(const tml_div_s8_params_t *p, int32_t x1, int32_t x2);
TML_KERNEL void tml_div_s8(const tml_div_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output);
TML_KERNEL int32_t tml_div_s32(const tml_div_s32_params_t *p, const int32_t *input1,
                               const int32_t *input2, int32_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* Leading zeros of x (32 for 0). */
TML_INLINE int32_t tml_div_clz(uint32_t x) {
  int32_t n = 0;
  if (x == 0) {
    return 32;
  }
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

/* RoundingDivideByPOT as TFLM's x86-64 build computes it for exponent e in [0, 63]. */
TML_INLINE int32_t tml_div_rdbpot(int32_t x, int32_t e) {
  const int32_t mask = e >= 32 ? -1 : (int32_t)(((uint32_t)1 << e) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> (e & 31)) + (remainder > threshold ? 1 : 0);
}

TML_KERNEL int8_t tml_div_s8_element(const tml_div_s8_params_t *p, int32_t x1, int32_t x2) {
  int32_t a = x1 + p->input1_offset;
  int32_t b = x2 + p->input2_offset;
  int32_t hp1, recip_shift, inv, headroom, q;
  uint32_t shifted;
  if (b < 0) {
    a = -a;
    b = -b;
  }
  hp1 = tml_div_clz((uint32_t)b);
  recip_shift = 31 - hp1;
  shifted = hp1 >= 32 ? 0u : (uint32_t)b << hp1;
  inv = tml_fp_one_over_one_plus_x((int32_t)(shifted - 0x80000000u));
  headroom = (a >= 0 ? tml_div_clz((uint32_t)a) : tml_div_clz(~(uint32_t)a)) - 1;
  q = tml_sat_rounding_doubling_high_mul((int32_t)((uint32_t)a << headroom), inv);
  q = tml_div_rdbpot(tml_sat_rounding_doubling_high_mul(q, p->output_multiplier),
                     headroom + recip_shift - p->output_shift);
  return (int8_t)tml_clamp(q + p->output_offset, p->act_min, p->act_max);
}

TML_KERNEL void tml_div_s8(const tml_div_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const int8_t *a = input1 + it.offset1;
    const int8_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      output[i] = tml_div_s8_element(p, a[i * step1], b[i * step2]);
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
}

TML_KERNEL int32_t tml_div_s32(const tml_div_s32_params_t *p, const int32_t *input1,
                               const int32_t *input2, int32_t *output) {
  const int32_t inner = p->shape.dims[p->shape.rank - 1];
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];
  tml_broadcast_iter_t it;
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);
  int32_t r, i;
  for (r = 0; r < rows; ++r) {
    const int32_t *a = input1 + it.offset1;
    const int32_t *b = input2 + it.offset2;
    for (i = 0; i < inner; ++i) {
      const int32_t x = a[i * step1], y = b[i * step2];
      if (y == 0 || (x == INT32_MIN && y == -1)) {
        return -1;
      }
      output[i] = tml_clamp(x / y, p->act_min, p->act_max);
    }
    output += inner;
    tml_broadcast_next_row(&p->shape, &it);
  }
  return 0;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DIV_H */
