/*
 * tml_sparse_s8.h - CONV_2D (ungrouped, incl. pointwise) and FULLY_CONNECTED with int8
 * activations and int8 weights stored sparse: only the nonzero weights, each with the
 * distance to the previous one (the compiler picks this form per layer when its weights
 * are sparse enough, ops/sparse_weights.cc). Computes what TFLM's reference kernels
 * compute: skipping a zero weight removes a zero term of the integer sum.
 *
 * The layer is a matrix product: output channel oc of column j is
 *   acc = bias[oc] + sum over the entries e of row oc of w(e) * col_j[pos(e)],
 *   out = clamp(mbqm(acc, multiplier[oc], shift[oc]) + output_offset, act_min, act_max)
 * (TFLM's requantization, or its short form where equal, see below)
 * where bias already holds the input offset times the sum of ALL the row's weights (TFLM's
 * bias + sum w * (x + input_offset) = bias + input_offset * sum w + sum w * x), so the
 * padded taps of a convolution read the input zero point (w * zp cancels its share of the
 * folded offset). multiplier/shift per channel, or entry 0 for all when per_channel == 0,
 * in the fast kernels' encoding (tml_fast_output(), tml_fast_common.h): shift >= 1 the
 * short form with that right shift, shift < -32 TFLM's form with shift + 64 (the compiler
 * picks the short form per channel where the weights and bias prove it exact).
 *
 * Columns: FULLY_CONNECTED (im2col == 0): column j is input + j * k (j < columns = batches).
 *          CONV_2D (im2col == 1): column j is output pixel j's window, [filter_h][filter_w]
 *          [input_c] gathered into scratch (k = filter_h * filter_w * input_c int8, two
 *          columns at a time: scratch 2 * k bytes); a pointwise layer (1x1, stride 1, no
 *          padding) reads its columns in place (im2col == 0, k = input_c). On Helium
 *          (__ARM_FEATURE_MVE) such a layer over two or more columns with k <= 9362 takes
 *          scratch of TML_SPARSE_MVE_STRIDE(columns) * k bytes (NULL: the portable path),
 *          where it transposes the columns (tml_sparse_s8_mve()).
 * Entries: int16, (weight << 8) | delta: delta (0..255, the low byte) is how far the tap
 *          lies after the previous entry's tap (the first: after tap 0), weight (the high
 *          byte, int8) its value; a gap over 255 is bridged by entries of weight 0.
 *          row_entries[oc] entries per output channel (an even count: a row with an odd
 *          number of nonzeros ends with an entry of weight 0 and distance 0), rows one after
 *          the other, the array 4-byte aligned (each row a whole number of words).
 * Order: two columns at a time, every channel of both before the next pair; columns are
 *        read before any output of theirs is written, but the output must not overlap
 *        the input (the compiler keeps them apart).
 * Ranges: |bias| + 128 * sum |w| within int32 (checked by the compiler).
 */
#ifndef TML_SPARSE_S8_H
#define TML_SPARSE_S8_H

#include <string.h>

#include "tml_common.h"
#include "tml_fast_common.h"

/* The columns of the matrix product (shared with tml_clustered_s8.h). */
typedef struct {
  int32_t columns;     /* FULLY_CONNECTED batches, or CONV_2D output pixels (all batches) */
  int32_t k;           /* column length */
  int32_t im2col;      /* 1: gather CONV_2D windows (geometry below) */
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w;
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  int32_t input_zero_point;
} tml_gemm_columns_t;

typedef struct {
  tml_gemm_columns_t cols;
  int32_t output_c;
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t per_channel;                /* 0: multiplier[0], shift[0] for every channel */
  const uint16_t *row_entries;        /* [output_c] */
  const int16_t *entries;             /* (weight << 8) | delta */
  const int32_t *bias;                /* [output_c] bias + input_offset * sum(w) */
  const int32_t *multiplier;          /* [output_c] or [1] */
  const int32_t *shift;               /* [output_c] or [1], encoded (see above) */
} tml_sparse_s8_params_t;

TML_KERNEL void tml_sparse_s8(const tml_sparse_s8_params_t *p, const int8_t *input,
                              int8_t *output, int8_t *scratch);
/* The same for one column read in place (columns == 1, im2col == 0: a FULLY_CONNECTED
 * layer over one batch, a pointwise CONV_2D over one pixel). */
TML_KERNEL void tml_sparse_s8_vec(const tml_sparse_s8_params_t *p, const int8_t *input,
                                  int8_t *output);

/* The Helium path's row length in scratch: the columns rounded up to 8, at most 16 (it
 * transposes and computes 16 columns at a time). */
#define TML_SPARSE_MVE_STRIDE(columns) ((columns) < 16 ? ((columns) + 7) & ~7 : 16)

#ifndef TML_DECLARATIONS_ONLY

/* Output pixel `pix` (batch-major) of a CONV_2D window gathered into dst (k int8). */
TML_INLINE void tml_gemm_im2col(const tml_gemm_columns_t *p, const int8_t *input, int32_t pix,
                                int8_t *dst) {
  const int32_t ox = pix % p->output_w;
  const int32_t oy = (pix / p->output_w) % p->output_h;
  const int32_t b = pix / (p->output_w * p->output_h);
  const int32_t iy0 = oy * p->stride_h - p->pad_h, ix0 = ox * p->stride_w - p->pad_w;
  int32_t ky, kx;
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = iy0 + ky * p->dilation_h;
    for (kx = 0; kx < p->filter_w; ++kx) {
      const int32_t ix = ix0 + kx * p->dilation_w;
      if (iy < 0 || iy >= p->input_h || ix < 0 || ix >= p->input_w) {
        memset(dst, p->input_zero_point, (size_t)p->input_c);
      } else {
        memcpy(dst, input + ((b * p->input_h + iy) * p->input_w + ix) * p->input_c,
               (size_t)p->input_c);
      }
      dst += p->input_c;
    }
  }
}

/* Columns j and j + 1 (or j twice when j is the last): pointers into the input, or
 * gathered into scratch (2 * k bytes). Returns 1 when there are two. */
TML_INLINE int tml_gemm_column_pair(const tml_gemm_columns_t *p, const int8_t *input, int32_t j,
                                    int8_t *scratch, const int8_t **c0, const int8_t **c1) {
  const int two = j + 1 < p->columns;
  if (p->im2col) {
    tml_gemm_im2col(p, input, j, scratch);
    if (two) {
      tml_gemm_im2col(p, input, j + 1, scratch + p->k);
    }
    *c0 = scratch;
  } else {
    *c0 = input + j * p->k;
  }
  *c1 = two ? *c0 + p->k : *c0;
  return two;
}

/* The output of one channel (tml_fast_output(): the short form or TFLM's). */
TML_INLINE int8_t tml_gemm_out(int32_t acc, int32_t multiplier, int32_t shift,
                               int32_t output_offset, int32_t act_min, int32_t act_max) {
  return tml_fast_output(acc, multiplier, shift, output_offset, act_min, act_max);
}

/* The weights of entries 2i and 2i + 1 (bytes 1 and 3 of their word v) as an int16 pair,
 * and `off` plus the distance in byte 2 (SXTB16 / UXTAB with a rotation on the DSP). */
TML_INLINE uint32_t tml_sparse_weights2(uint32_t v) {
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__))
  uint32_t w;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(w) : "r"(v));
  return w;
#else
  return (uint32_t)(((int32_t)(v << 16) >> 24) & 0xFFFF) | ((uint32_t)((int32_t)v >> 24) << 16);
#endif
}
TML_INLINE uint32_t tml_sparse_step_hi(uint32_t off, uint32_t v) {
#if TML_HAVE_DSP && (defined(__GNUC__) || defined(__clang__))
  uint32_t r;
  __asm__("uxtab %0, %1, %2, ror #16" : "=r"(r) : "r"(off), "r"(v));
  return r;
#else
  return off + ((v >> 16) & 255u);
#endif
}
/* acc + x0 * w.lo + x1 * w.hi (SMLABB, SMLABT). */
TML_INLINE int32_t tml_sparse_mac2(int32_t x0, int32_t x1, uint32_t w, int32_t acc) {
#if TML_HAVE_DSP
  return __smlabt(x1, (int32_t)w, __smlabb(x0, (int32_t)w, acc));
#else
  return acc + x0 * tml_pair_lo(w) + x1 * tml_pair_hi(w);
#endif
}

/* The sum of a row's n entries (n even) against one column, four entries per step (two
 * words: entry 2i in the low half, 2i + 1 in the high one, so that the distances are bytes
 * 0 and 2 and the weights bytes 1 and 3). */
TML_INLINE int32_t tml_sparse_dot1(const int16_t *e, int32_t n, const int8_t *x, int32_t acc) {
  uint32_t off = 0;
  for (; n >= 4; n -= 4) {
    uint32_t v, u, o0, o1, o2, o3;
    memcpy(&v, e, 4);
    memcpy(&u, e + 2, 4);
    e += 4;
    o0 = off + (v & 255u);
    o1 = tml_sparse_step_hi(o0, v);
    o2 = o1 + (u & 255u);
    o3 = tml_sparse_step_hi(o2, u);
    off = o3;
    acc = tml_sparse_mac2(x[o0], x[o1], tml_sparse_weights2(v), acc);
    acc = tml_sparse_mac2(x[o2], x[o3], tml_sparse_weights2(u), acc);
  }
  if (n > 0) {  /* n is even: one last pair */
    uint32_t v, o0, o1;
    memcpy(&v, e, 4);
    o0 = off + (v & 255u);
    o1 = tml_sparse_step_hi(o0, v);
    acc = tml_sparse_mac2(x[o0], x[o1], tml_sparse_weights2(v), acc);
  }
  return acc;
}

/* The same against two columns, two entries (one word) per step. */
TML_INLINE void tml_sparse_dot2(const int16_t *e, int32_t n, const int8_t *x0, const int8_t *x1,
                                int32_t *acc0, int32_t *acc1) {
  uint32_t off = 0;
  int32_t a0 = *acc0, a1 = *acc1;
  for (; n > 0; n -= 2) {
    uint32_t v, w, o0, o1;
    memcpy(&v, e, 4);
    e += 2;
    o0 = off + (v & 255u);
    o1 = tml_sparse_step_hi(o0, v);
    off = o1;
    w = tml_sparse_weights2(v);
    a0 = tml_sparse_mac2(x0[o0], x0[o1], w, a0);
    a1 = tml_sparse_mac2(x1[o0], x1[o1], w, a1);
  }
  *acc0 = a0;
  *acc1 = a1;
}

#if TML_HAVE_MVE
/* Helium path of a pointwise layer over several columns (im2col == 0, columns >= 2, the
 * compiler's scratch of tml_sparse_s8_mve_scratch() bytes): the columns are transposed once
 * into scratch as rows [k][stride] (stride = columns rounded up to 8, the pad zero), so that
 * one entry's tap of 4 consecutive columns is one contiguous VLDRB.S32 and its weight the
 * scalar of a vector-by-scalar VMLA: the inner loop has no gathers. Each output channel
 * takes the columns 16 at a time (4 accumulator vectors), requantizes them with its own
 * multiplier and shift (vector-by-scalar VQRDMULH, VRSHL) and stores them channel-strided. */
/* TFLM's requantization of 4 sums of one channel (enc as tml_fast_output() takes it), plus
 * the output zero point, clamped. */
TML_ALWAYS_INLINE int32x4_t tml_sparse_mve_rq(int32x4_t acc, int32_t m, int32_t enc, int32_t zp,
                                              int32_t act_min, int32_t act_max) {
  int32x4_t x;
  int32_t right = enc;
#if TML_OPT_FAST_TFLM
  if (TML_FAST_UNLIKELY(enc < -32)) {
    const int32_t s = enc + 64;
    right = s < 0 ? -s : 0;
    acc = vshlq_r_s32(acc, s > 0 ? s : 0);  /* wraps as TFLM's x * 2^left */
  }
#endif
  x = vqrdmulhq_n_s32(acc, m);
  if (right > 0) {  /* RoundingDivideByPOT: x - 1 for negative x, round half up */
    x = vrshlq_n_s32(vqaddq_s32(x, vshrq_n_s32(x, 31)), -right);
  }
  x = vaddq_n_s32(x, zp);
  return vminq_s32(vmaxq_s32(x, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
}

/* Every channel's outputs of columns [j, j + 4 * nv) (n of them valid), nv = 1..4. */
TML_ALWAYS_INLINE void tml_sparse_mve_block(const tml_sparse_s8_params_t *p, const int8_t *xt,
                                            int32_t stride, int8_t *out, int32_t n,
                                            const int nv) {
  const int32_t output_c = p->output_c, zp = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max;
  const int32_t step = p->per_channel ? 1 : 0;
  const int32_t *multiplier = p->multiplier, *shift = p->shift;
  const uint16_t *const row_entries = p->row_entries;
  const int32_t *const bias = p->bias;
  const int16_t *e = p->entries;
  const uint32_t oc4 = 4u * (uint32_t)output_c;
  const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0u, 1), (uint32_t)output_c);
  int32_t oc;
  for (oc = 0; oc < output_c; ++oc) {
    const int16_t *const end = e + row_entries[oc];
    const int8_t *x = xt;
    int32x4_t a0 = vdupq_n_s32(bias[oc]), a1 = a0, a2 = a0, a3 = a0;
    for (; e < end; ++e) {
      const int32_t v = *e, w = v >> 8;
      x += (v & 255) * stride;
      a0 = vmlaq_n_s32(a0, vldrbq_s32(x), w);
      if (nv > 1) a1 = vmlaq_n_s32(a1, vldrbq_s32(x + 4), w);
      if (nv > 2) a2 = vmlaq_n_s32(a2, vldrbq_s32(x + 8), w);
      if (nv > 3) a3 = vmlaq_n_s32(a3, vldrbq_s32(x + 12), w);
    }
    {
      const int32_t m = *multiplier, s = *shift;
      int8_t *const o = out + oc;
      vstrbq_scatter_offset_p_s32(o, offs, tml_sparse_mve_rq(a0, m, s, zp, act_min, act_max),
                                  vctp32q((uint32_t)n));
      if (nv > 1) {
        vstrbq_scatter_offset_p_s32(o + oc4, offs,
                                    tml_sparse_mve_rq(a1, m, s, zp, act_min, act_max),
                                    vctp32q((uint32_t)(n - 4)));
      }
      if (nv > 2) {
        vstrbq_scatter_offset_p_s32(o + 2 * oc4, offs,
                                    tml_sparse_mve_rq(a2, m, s, zp, act_min, act_max),
                                    vctp32q((uint32_t)(n - 8)));
      }
      if (nv > 3) {
        vstrbq_scatter_offset_p_s32(o + 3 * oc4, offs,
                                    tml_sparse_mve_rq(a3, m, s, zp, act_min, act_max),
                                    vctp32q((uint32_t)(n - 12)));
      }
    }
    multiplier += step;
    shift += step;
  }
}

TML_INLINE void tml_sparse_s8_mve(const tml_sparse_s8_params_t *p, const int8_t *input,
                                  int8_t *output, int8_t *scratch) {
  const int32_t columns = p->cols.columns, k = p->cols.k;
  const int32_t stride = TML_SPARSE_MVE_STRIDE(columns);
  const uint16x8_t offs = vmulq_n_u16(vidupq_n_u16(0u, 1), (uint16_t)k);
  int32_t j0, j, i;
  /* 16 columns at a time (all of their input read before any of their outputs is
   * written): transposed, 8 columns' tap i per gather (16-bit offsets: 7 k <= 65535),
   * then computed. */
  for (j0 = 0; j0 < columns; j0 += 16) {
    const int32_t n = columns - j0 < 16 ? columns - j0 : 16;
    int8_t *const out = output + j0 * p->output_c;
    for (j = 0; j < n; j += 8) {
      const mve_pred16_t pr = vctp16q((uint32_t)(n - j));
      const int8_t *src = input + (j0 + j) * k;
      int8_t *dst = scratch + j;
      for (i = 0; i < k; ++i) {
        vstrbq_s16(dst, vldrbq_gather_offset_z_s16(src, offs, pr));
        ++src;
        dst += stride;
      }
    }
    if (n > 12) {
      tml_sparse_mve_block(p, scratch, stride, out, n, 4);
    } else if (n > 8) {
      tml_sparse_mve_block(p, scratch, stride, out, n, 3);
    } else if (n > 4) {
      tml_sparse_mve_block(p, scratch, stride, out, n, 2);
    } else {
      tml_sparse_mve_block(p, scratch, stride, out, n, 1);
    }
  }
}
#endif

/* The columns two at a time (scratch: the im2col windows; NULL when the layer reads its
 * columns in place). */
TML_INLINE void tml_sparse_s8_cols(const tml_sparse_s8_params_t *p, const int8_t *input,
                                   int8_t *output, int8_t *scratch) {
  /* Locals: the int8 output stores may alias anything, which would reload every field. */
  const int32_t columns = p->cols.columns, output_c = p->output_c, zp = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max, per_channel = p->per_channel;
  const uint16_t *const row_entries = p->row_entries;
  const int32_t *const bias = p->bias;
  const int32_t *const multiplier = p->multiplier;
  const int32_t *const shift = p->shift;
  int32_t j, oc;
  for (j = 0; j < columns; j += 2) {
    const int8_t *c0, *c1;
    const int two = tml_gemm_column_pair(&p->cols, input, j, scratch, &c0, &c1);
    const int16_t *e = p->entries;
    int8_t *out0 = output + j * output_c;
    for (oc = 0; oc < output_c; ++oc) {
      const int32_t n = row_entries[oc];
      const int32_t c = per_channel ? oc : 0;
      int32_t a0 = bias[oc], a1 = a0;
      if (two) {
        tml_sparse_dot2(e, n, c0, c1, &a0, &a1);
        out0[output_c + oc] = tml_gemm_out(a1, multiplier[c], shift[c], zp, act_min, act_max);
      } else {
        a0 = tml_sparse_dot1(e, n, c0, a0);
      }
      e += n;
      out0[oc] = tml_gemm_out(a0, multiplier[c], shift[c], zp, act_min, act_max);
    }
  }
}

TML_KERNEL void tml_sparse_s8(const tml_sparse_s8_params_t *p, const int8_t *input,
                              int8_t *output, int8_t *scratch) {
#if TML_HAVE_MVE
  if (!p->cols.im2col && p->cols.columns >= 2 && p->cols.k <= 9362 && scratch != NULL) {
    tml_sparse_s8_mve(p, input, output, scratch);
    return;
  }
#endif
  /* A layer that reads its columns in place leaves the Helium path's scratch alone (the
   * call with NULL is the code it had before that path). */
  tml_sparse_s8_cols(p, input, output, p->cols.im2col ? scratch : NULL);
}

#if TML_HAVE_DSP && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
/* Rows per pass of tml_sparse_s8_vec()'s assembly (their sums wait on the stack). */
#define TML_SPARSE_VEC_ROWS 32
/* The sums of n >= 1 rows against one column x, rows[i] entries each from e on, bias
 * first, into acc[0..n): one assembly loop over the rows (14 registers: the end of the
 * rows waits on the stack), each row's entries a pair first when their count is not a
 * multiple of 4, then 4 per step (tml_sparse_dot1()'s steps). Returns the entries after
 * the last row. */
TML_INLINE const int16_t *tml_sparse_vec_sums(const int16_t *e, const uint16_t *rows, int32_t n,
                                              const int32_t *bias, const int8_t *x,
                                              int32_t *acc) {
  uint32_t end = (uint32_t)(uintptr_t)(rows + n), off, v, u, a, b, c, d;
  int32_t sum;
  __asm__ __volatile__(
      "str %[end], [sp, #-8]!\n"
      "1:\n\t"
      "ldrh %[end], [%[rows]], #2\n\t"
      "ldr %[sum], [%[bias]], #4\n\t"
      "mov %[off], #0\n\t"
      "add %[end], %[e], %[end], lsl #1\n\t"
      "sub %[a], %[end], %[e]\n\t"
      "tst %[a], #4\n\t" /* an odd number of pairs: one first */
      "beq 3f\n\t"
      "ldr %[v], [%[e]], #4\n\t"
      "uxtab %[a], %[off], %[v]\n\t"
      "uxtab %[off], %[a], %[v], ror #16\n\t"
      "ldrsb %[a], [%[x], %[a]]\n\t"
      "ldrsb %[b], [%[x], %[off]]\n\t"
      "sxtb16 %[v], %[v], ror #8\n\t"
      "smlabb %[sum], %[a], %[v], %[sum]\n\t"
      "smlabt %[sum], %[b], %[v], %[sum]\n"
      "3:\n\t"
      "cmp %[e], %[end]\n\t"
      "beq 5f\n"
      "4:\n\t"
      "ldrd %[v], %[u], [%[e]], #8\n\t"
      "uxtab %[a], %[off], %[v]\n\t"
      "uxtab %[b], %[a], %[v], ror #16\n\t"
      "uxtab %[c], %[b], %[u]\n\t"
      "uxtab %[off], %[c], %[u], ror #16\n\t"
      "ldrsb %[a], [%[x], %[a]]\n\t"
      "ldrsb %[b], [%[x], %[b]]\n\t"
      "ldrsb %[c], [%[x], %[c]]\n\t"
      "ldrsb %[d], [%[x], %[off]]\n\t"
      "sxtb16 %[v], %[v], ror #8\n\t"
      "sxtb16 %[u], %[u], ror #8\n\t"
      "smlabb %[sum], %[a], %[v], %[sum]\n\t"
      "smlabt %[sum], %[b], %[v], %[sum]\n\t"
      "smlabb %[sum], %[c], %[u], %[sum]\n\t"
      "smlabt %[sum], %[d], %[u], %[sum]\n\t"
      "cmp %[e], %[end]\n\t"
      "bne 4b\n"
      "5:\n\t"
      "str %[sum], [%[acc]], #4\n\t"
      "ldr %[a], [sp]\n\t"
      "cmp %[rows], %[a]\n\t"
      "bne 1b\n\t"
      "add sp, sp, #8"
      : [e] "+r"(e), [rows] "+r"(rows), [bias] "+r"(bias), [acc] "+r"(acc), [end] "+r"(end),
        [sum] "=&r"(sum), [off] "=&r"(off), [v] "=&r"(v), [u] "=&r"(u), [a] "=&r"(a),
        [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d)
      : [x] "r"(x)
      : "cc", "memory");
  return e;
}
#endif

TML_KERNEL void tml_sparse_s8_vec(const tml_sparse_s8_params_t *p, const int8_t *input,
                                  int8_t *output) {
  const int32_t output_c = p->output_c, zp = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max;
  const uint16_t *const row_entries = p->row_entries;
  const int32_t *const bias = p->bias;
  const int32_t *multiplier = p->multiplier;
  const int32_t *shift = p->shift;
  const int32_t step = p->per_channel ? 1 : 0;
  const int16_t *e = p->entries;
  int32_t oc;
#ifdef TML_SPARSE_VEC_ROWS
  /* Passes of up to TML_SPARSE_VEC_ROWS rows: their sums, then their outputs. */
  for (oc = 0; oc < output_c; oc += TML_SPARSE_VEC_ROWS) {
    int32_t acc[TML_SPARSE_VEC_ROWS], i;
    const int32_t n = output_c - oc < TML_SPARSE_VEC_ROWS ? output_c - oc : TML_SPARSE_VEC_ROWS;
    e = tml_sparse_vec_sums(e, row_entries + oc, n, bias + oc, input, acc);
    for (i = 0; i < n; ++i) {
      output[oc + i] = tml_gemm_out(acc[i], *multiplier, *shift, zp, act_min, act_max);
      multiplier += step;
      shift += step;
    }
  }
#else
  for (oc = 0; oc < output_c; ++oc) {
    const int32_t n = row_entries[oc];
    const int32_t acc = tml_sparse_dot1(e, n, input, bias[oc]);
    e += n;
    output[oc] = tml_gemm_out(acc, *multiplier, *shift, zp, act_min, act_max);
    multiplier += step;
    shift += step;
  }
#endif
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SPARSE_S8_H */
