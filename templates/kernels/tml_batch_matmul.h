/*
 * tml_batch_matmul.h - BATCH_MATMUL, int8 x int8 -> int8 with per-tensor
 * quantization, as TFLM's reference BatchMatMul (int32 accumulator).
 *
 * For every batch index (b0, b1, b2) of the output (the leading output dimensions,
 * padded with 1s to three) and every output element (i, j):
 *   acc = sum_k (lhs[i, k] + lhs_offset) * (rhs[k, j] + rhs_offset)   (int32, wrapping)
 *   out = clamp(mbqm(acc, output_multiplier, output_shift) + output_offset, -128, 127)
 * The compiler resolves broadcasting and adj_x / adj_y into strides (in elements):
 *   lhs[i, k] = lhs_base + i * lhs_row_stride + k * lhs_depth_stride
 *   rhs[k, j] = rhs_base + k * rhs_depth_stride + j * rhs_col_stride
 *   lhs_base  = sum_d b_d * lhs_batch_stride[d]   (0 stride: broadcast dimension)
 * The output is row-major [batch..., rows, cols].
 * Ranges: lhs_offset, rhs_offset = -zero point in [-127, 128]; output_offset in
 *         [-128, 127].
 */
#ifndef TML_BATCH_MATMUL_H
#define TML_BATCH_MATMUL_H

#include "tml_common.h"

typedef struct {
  int32_t batch[3];             /* output batch dimensions, outermost first */
  int32_t lhs_batch_stride[3];  /* 0 where lhs is broadcast */
  int32_t rhs_batch_stride[3];  /* 0 where rhs is broadcast */
  int32_t rows, cols, depth;
  int32_t lhs_row_stride, lhs_depth_stride;
  int32_t rhs_depth_stride, rhs_col_stride;
  int32_t lhs_offset;     /* -lhs zero point */
  int32_t rhs_offset;     /* -rhs zero point */
  int32_t output_offset;  /* output zero point */
  int32_t output_multiplier, output_shift;
} tml_batch_matmul_s8_params_t;

TML_KERNEL void tml_batch_matmul_s8(const tml_batch_matmul_s8_params_t *p, const int8_t *lhs,
                                    const int8_t *rhs, int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_batch_matmul_s8(const tml_batch_matmul_s8_params_t *p, const int8_t *lhs,
                                    const int8_t *rhs, int8_t *output) {
  int32_t b0, b1, b2, i, j, k;
  int8_t *out = output;
  for (b0 = 0; b0 < p->batch[0]; ++b0) {
    for (b1 = 0; b1 < p->batch[1]; ++b1) {
      for (b2 = 0; b2 < p->batch[2]; ++b2) {
        const int8_t *l = lhs + b0 * p->lhs_batch_stride[0] + b1 * p->lhs_batch_stride[1] +
                          b2 * p->lhs_batch_stride[2];
        const int8_t *r = rhs + b0 * p->rhs_batch_stride[0] + b1 * p->rhs_batch_stride[1] +
                          b2 * p->rhs_batch_stride[2];
        for (i = 0; i < p->rows; ++i) {
          const int8_t *l_row = l + i * p->lhs_row_stride;
          for (j = 0; j < p->cols; ++j) {
            const int8_t *r_col = r + j * p->rhs_col_stride;
            uint32_t acc = 0u; /* wraps like TFLM's int32 accumulator, without UB */
            int32_t v;
            for (k = 0; k < p->depth; ++k) {
              const int32_t a = (int32_t)l_row[k * p->lhs_depth_stride] + p->lhs_offset;
              const int32_t c = (int32_t)r_col[k * p->rhs_depth_stride] + p->rhs_offset;
              acc += (uint32_t)(a * c);
            }
            v = tml_multiply_by_quantized_multiplier((int32_t)acc, p->output_multiplier,
                                                     p->output_shift);
            *out++ = (int8_t)tml_clamp(v + p->output_offset, -128, 127);
          }
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_BATCH_MATMUL_H */
