/*
 * tml_add.h - ADD of two int8 tensors with their own scales, as TFLM's reference
 * integer add (left_shift 20, inputs rescaled to twice the larger input scale).
 *
 * Per element: a = (in1 + input1_offset) << left_shift, b likewise;
 *   a = mbqm_smaller_than_one(a, input1_multiplier, input1_shift), b likewise;
 *   out = clamp(mbqm_smaller_than_one(a + b, output_multiplier, output_shift)
 *               + output_offset, act_min, act_max).
 * tml_add_s8 handles equal shapes (`size` elements), in a short form of the same
 * arithmetic where the parameters allow it (tml_add_short_ok(): every layer TFLM accepts),
 * with Arm DSP or Helium instructions where the target has them, bit-exact with the form
 * above for every input. tml_add_broadcast_s8 walks the output in row-major order with
 * the shared broadcast walk (tml_broadcast.h, `shape`), reading each input through its
 * strides, a stride of 0 marking a broadcast dimension.
 */
#ifndef TML_ADD_H
#define TML_ADD_H

#include "tml_broadcast.h"
#include "tml_fast_common.h"

#define TML_ADD_MAX_RANK 6 /* the ranks TFLM's ADD takes; the compiler checks them */

typedef struct {
  int32_t size;  /* elements, for tml_add_s8 */
  int32_t input1_offset, input2_offset, output_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift;  /* shift <= 0 */
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
  tml_broadcast_t shape; /* broadcast only */
} tml_add_s8_params_t;

/* Table form (tml_add_table_s8). For x an int8 input value, table1[(uint8_t)x] =
 * 2 * mbqm_smaller_than_one((x + input1_offset) << left_shift, input1_multiplier,
 * input1_shift), table2 likewise: twice the rescaled input, what the short form's output
 * rescale takes. With s2 = table1[x1] + table2[x2], e = -output_shift >= 1:
 *   out = clamp((((s2 * output_multiplier + 2^31) >> 32) + output_round - (s2 < 0)) >> e)
 * where output_round = 2^(e-1) + output_offset * 2^e carries both the rounding and the
 * output zero point (floor((X + zp * 2^e) / 2^e) = floor(X / 2^e) + zp). The compiler
 * uses it where tml_add_short_ok() holds, e >= 1 and that sum stays in int32 for every
 * table entry (compiler/src/ops/add.cc); it equals the short form there. */
typedef struct {
  int32_t size;                    /* elements */
  const int32_t *table1, *table2;  /* [256], indexed by the input byte as uint8_t */
  int32_t output_multiplier;       /* >= 0 */
  int32_t output_round;            /* 2^(e-1) + output_offset * 2^e */
  int32_t output_shift;            /* e = -output_shift, in [1, 31] */
  int32_t act_min, act_max;
} tml_add_table_s8_params_t;

TML_KERNEL void tml_add_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output);
TML_KERNEL void tml_add_table_s8(const tml_add_table_s8_params_t *p, const int8_t *input1,
                                 const int8_t *input2, int8_t *output);
/* Entry x of table1 (input 1's offset, multiplier and shift; table2: input 2's), for
 * tests and hand-written callers; the compiler computes the same values itself. */
TML_KERNEL int32_t tml_add_table_entry(const tml_add_s8_params_t *p, int input, int8_t x);
TML_KERNEL void tml_add_broadcast_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                                     const int8_t *input2, int8_t *output);
TML_KERNEL int tml_add_short_ok(const tml_add_s8_params_t *p);

/* One output element from one element of each input, TFLM's arithmetic as written. */
TML_KERNEL int8_t tml_add_s8_element(const tml_add_s8_params_t *p, int8_t x1, int8_t x2);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL int8_t tml_add_s8_element(const tml_add_s8_params_t *p, int8_t x1, int8_t x2) {
  /* |x + offset| <= 255, so the shift by left_shift (20) cannot overflow. */
  const int32_t a = ((int32_t)x1 + p->input1_offset) * ((int32_t)1 << p->left_shift);
  const int32_t b = ((int32_t)x2 + p->input2_offset) * ((int32_t)1 << p->left_shift);
  /* All shifts are <= 0 here, where TFLM's MultiplyByQuantizedMultiplierSmallerThanOneExp
   * and MultiplyByQuantizedMultiplier coincide. */
  const int32_t a_scaled =
      tml_multiply_by_quantized_multiplier(a, p->input1_multiplier, p->input1_shift);
  const int32_t b_scaled =
      tml_multiply_by_quantized_multiplier(b, p->input2_multiplier, p->input2_shift);
  const int32_t sum = tml_multiply_by_quantized_multiplier(a_scaled + b_scaled,
                                                           p->output_multiplier,
                                                           p->output_shift) +
                      p->output_offset;
  return (int8_t)tml_clamp(sum, p->act_min, p->act_max);
}

/* The short form applies: |(x + offset) * 2^left_shift| < 2^29, so twice it fits in
 * int32; multipliers >= 0; shifts in [-31, 0]. Then each rescale is exactly
 *   RoundingDivideByPOT(SRDHM(a, m), e) = (round + ((2a * m + 2^31) >> 32) - neg) >> e
 * with round = 2^(e-1), neg = (a < 0) for e >= 1 and both 0 for e = 0 (the argument of
 * tml_fast_common.h's short requantization), and the sum of two rescaled inputs stays
 * below 2^30 in magnitude, so the output rescale takes twice the sum as well. */
TML_KERNEL int tml_add_short_ok(const tml_add_s8_params_t *p) {
  return p->left_shift >= 0 && p->left_shift <= 21 && p->input1_multiplier >= 0 &&
         p->input2_multiplier >= 0 && p->output_multiplier >= 0 && p->input1_shift <= 0 &&
         p->input1_shift >= -31 && p->input2_shift <= 0 && p->input2_shift >= -31 &&
         p->output_shift <= 0 && p->output_shift >= -31;
}

#if !TML_HAVE_MVE
/* One rescale of the short form: a2 = 2a; round = 2^(e-1) and nz = 1 for e >= 1, both
 * 0 for e = 0. */
TML_INLINE int32_t tml_add_rescale(int32_t a2, int32_t m, int32_t e, int32_t round, uint32_t nz) {
  return (tml_mul_high_round_add(a2, m, round) - (int32_t)(((uint32_t)a2 >> 31) & nz)) >> e;
}
#endif

TML_KERNEL void tml_add_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output) {
  int32_t i;
  if (!tml_add_short_ok(p)) {
    for (i = 0; i < p->size; ++i) {
      output[i] = tml_add_s8_element(p, input1[i], input2[i]);
    }
    return;
  }
  {
#if TML_HAVE_MVE
    /* 4 elements per vector: TFLM's arithmetic as written (VQRDMULH is SRDHM). */
    const int32x4_t m1 = vdupq_n_s32(p->input1_multiplier), s1 = vdupq_n_s32(p->input1_shift);
    const int32x4_t m2 = vdupq_n_s32(p->input2_multiplier), s2 = vdupq_n_s32(p->input2_shift);
    const int32x4_t mo = vdupq_n_s32(p->output_multiplier), so = vdupq_n_s32(p->output_shift);
    const int32x4_t lo = vdupq_n_s32(p->act_min), hi = vdupq_n_s32(p->act_max);
    const int32_t scale = (int32_t)1 << p->left_shift;
    for (i = 0; i < p->size; i += 4) {
      const mve_pred16_t live = vctp32q((uint32_t)(p->size - i));
      int32x4_t a = vmulq_n_s32(vaddq_n_s32(vldrbq_z_s32(input1 + i, live), p->input1_offset), scale);
      int32x4_t b = vmulq_n_s32(vaddq_n_s32(vldrbq_z_s32(input2 + i, live), p->input2_offset), scale);
      a = tml_mve_rounding_divide(vqrdmulhq_s32(a, m1), s1);
      b = tml_mve_rounding_divide(vqrdmulhq_s32(b, m2), s2);
      a = tml_mve_rounding_divide(vqrdmulhq_s32(vaddq_s32(a, b), mo), so);
      a = vminq_s32(vmaxq_s32(vaddq_n_s32(a, p->output_offset), lo), hi);
      vstrbq_p_s32(output + i, a, live);
    }
#else
    const int32_t off1 = p->input1_offset, off2 = p->input2_offset, zp = p->output_offset;
    const int32_t m1 = p->input1_multiplier, m2 = p->input2_multiplier, mo = p->output_multiplier;
    const int32_t e1 = -p->input1_shift, e2 = -p->input2_shift, eo = -p->output_shift;
    const int32_t r1 = e1 > 0 ? (int32_t)((uint32_t)1 << (e1 - 1)) : 0;
    const int32_t r2 = e2 > 0 ? (int32_t)((uint32_t)1 << (e2 - 1)) : 0;
    const int32_t ro = eo > 0 ? (int32_t)((uint32_t)1 << (eo - 1)) : 0;
    const uint32_t nz1 = e1 > 0 ? 1u : 0u, nz2 = e2 > 0 ? 1u : 0u, nzo = eo > 0 ? 1u : 0u;
    const int32_t s = p->left_shift + 1, act_min = p->act_min, act_max = p->act_max;
    const int8_t *const end = input1 + p->size;
    while (input1 != end) {
      const int32_t a = tml_add_rescale((int32_t)((uint32_t)(*input1++ + off1) << s), m1, e1, r1, nz1);
      const int32_t b = tml_add_rescale((int32_t)((uint32_t)(*input2++ + off2) << s), m2, e2, r2, nz2);
      const int32_t y = tml_add_rescale((int32_t)((uint32_t)(a + b) << 1), mo, eo, ro, nzo) + zp;
      *output++ = (int8_t)(y < act_min ? act_min : y > act_max ? act_max : y);
    }
#endif
  }
}

TML_KERNEL int32_t tml_add_table_entry(const tml_add_s8_params_t *p, int input, int8_t x) {
  const int32_t offset = input == 1 ? p->input1_offset : p->input2_offset;
  const int32_t a = ((int32_t)x + offset) * ((int32_t)1 << p->left_shift);
  const int32_t m = input == 1 ? p->input1_multiplier : p->input2_multiplier;
  const int32_t e = input == 1 ? p->input1_shift : p->input2_shift;
  return (int32_t)((uint32_t)tml_multiply_by_quantized_multiplier(a, m, e) << 1);
}

TML_KERNEL void tml_add_table_s8(const tml_add_table_s8_params_t *p, const int8_t *input1,
                                 const int8_t *input2, int8_t *output) {
  const int32_t *const t1 = p->table1, *const t2 = p->table2;
  const int32_t m = p->output_multiplier, round = p->output_round, e = -p->output_shift;
  const int32_t act_min = p->act_min, act_max = p->act_max;
#if TML_HAVE_MVE
  /* 4 elements per vector: the table entries gathered by input byte, VRMULH is
   * (s2 * m + 2^31) >> 32, VSHL by -e an arithmetic right shift. */
  const int32x4_t vm = vdupq_n_s32(m), ve = vdupq_n_s32(-e);
  const int32x4_t lo = vdupq_n_s32(act_min), hi = vdupq_n_s32(act_max);
  int32_t i;
  for (i = 0; i < p->size; i += 4) {
    const mve_pred16_t live = vctp32q((uint32_t)(p->size - i));
    const uint32x4_t x1 = vldrbq_z_u32((const uint8_t *)input1 + i, live);
    const uint32x4_t x2 = vldrbq_z_u32((const uint8_t *)input2 + i, live);
    const int32x4_t s2 = vaddq_s32(vldrwq_gather_shifted_offset_z_s32(t1, x1, live),
                                   vldrwq_gather_shifted_offset_z_s32(t2, x2, live));
    int32x4_t y = vaddq_n_s32(vrmulhq_s32(s2, vm), round);
    y = vsubq_s32(y, vreinterpretq_s32_u32(vshrq_n_u32(vreinterpretq_u32_s32(s2), 31)));
    y = vminq_s32(vmaxq_s32(vshlq_s32(y, ve), lo), hi);
    vstrbq_p_s32(output + i, y, live);
  }
#else
  const int8_t *const end = input1 + p->size;
#define TML_ADD_TABLE_Y()                                                                   \
  const int32_t s2 = t1[(uint8_t)*input1++] + t2[(uint8_t)*input2++];                      \
  const int32_t y = (tml_mul_high_round_add(s2, m, round) - (int32_t)((uint32_t)s2 >> 31)) >> e
#if TML_HAVE_DSP
  if (act_min == -128 && act_max == 127) {
    while (input1 != end) {
      TML_ADD_TABLE_Y();
      *output++ = (int8_t)__builtin_arm_ssat(y, 8);
    }
    return;
  }
#endif
  while (input1 != end) {
    TML_ADD_TABLE_Y();
    *output++ = (int8_t)(y < act_min ? act_min : y > act_max ? act_max : y);
  }
#undef TML_ADD_TABLE_Y
#endif
}

/* The body of tml_add_broadcast_s8 and its int16 form: the broadcast walk of
 * tml_broadcast.h, ELEMENT(p, x1, x2) per output element. */
#define TML_ADD_BROADCAST_BODY(T, ELEMENT)                                    \
  const int32_t inner = p->shape.dims[p->shape.rank - 1];                     \
  const int32_t step1 = p->shape.strides1[p->shape.rank - 1];                 \
  const int32_t step2 = p->shape.strides2[p->shape.rank - 1];                 \
  tml_broadcast_iter_t it;                                                    \
  const int32_t rows = tml_broadcast_begin(&p->shape, &it);                   \
  int32_t r, i;                                                               \
  for (r = 0; r < rows; ++r) {                                                \
    const T *a = input1 + it.offset1;                                         \
    const T *b = input2 + it.offset2;                                         \
    for (i = 0; i < inner; ++i) {                                             \
      output[i] = ELEMENT(p, a[i * step1], b[i * step2]);                     \
    }                                                                         \
    output += inner;                                                          \
    tml_broadcast_next_row(&p->shape, &it);                                   \
  }

TML_KERNEL void tml_add_broadcast_s8(const tml_add_s8_params_t *p, const int8_t *input1,
                                     const int8_t *input2, int8_t *output) {
  TML_ADD_BROADCAST_BODY(int8_t, tml_add_s8_element)
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_ADD_H */
