/*
 * tml_resize_bilinear.h - RESIZE_BILINEAR int8 (TFLM reference
 * ResizeBilinearInteger, double rounding build), NHWC. Integer only.
 *
 * Positions are in 1/1024 input pixels. height_scale_10 / width_scale_10 are the
 * compiler's round(1024 * in / out) (or (in - 1) / (out - 1) with align_corners),
 * computed as TFLM does. For output row y:
 *   iy = y * scale (+ scale / 2 - 512 with half_pixel_centers),
 *   y0 = max(iy / 1024, 0), y1 = min((iy + 1023) / 1024, in_height - 1)
 * (C division, truncating toward zero), likewise for columns, and
 *   out = round(sum of the 4 neighbours * weights / 2^20), ties away from zero,
 * with weights (1024 - (iy - 1024 y0)) for y0 and (iy - 1024 y0) for y1 (same for x).
 * The compiler rejects sizes for which y0 or x0 would fall outside the input.
 */
#ifndef TML_RESIZE_BILINEAR_H
#define TML_RESIZE_BILINEAR_H

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t in_height, in_width;
  int32_t out_height, out_width;
  int32_t depth;
  int32_t height_scale_10, width_scale_10;
  int32_t half_pixel_centers;  /* 0 or 1 */
} tml_resize_bilinear_params_t;

TML_KERNEL void tml_resize_bilinear_s8(const tml_resize_bilinear_params_t *p,
                                       const int8_t *input, int8_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* Scaled position (1/1024 units) and its two neighbours along one axis. */
TML_KERNEL void tml_resize_bilinear_axis(int32_t value, int32_t scale_10, int32_t half_pixel,
                                         int32_t size, int32_t *pos, int32_t *lower,
                                         int32_t *upper);

TML_KERNEL void tml_resize_bilinear_axis(int32_t value, int32_t scale_10, int32_t half_pixel,
                                         int32_t size, int32_t *pos, int32_t *lower,
                                         int32_t *upper) {
  const int32_t v = half_pixel ? value * scale_10 + scale_10 / 2 - (1 << 9) : value * scale_10;
  const int32_t lo = v / (1 << 10);
  const int32_t hi = (v + (1 << 10) - 1) / (1 << 10);
  *pos = v;
  *lower = lo > 0 ? lo : 0;
  *upper = hi < size - 1 ? hi : size - 1;
}

TML_KERNEL void tml_resize_bilinear_s8(const tml_resize_bilinear_params_t *p,
                                       const int8_t *input, int8_t *output) {
  const int32_t depth = p->depth;
  int32_t b, y, x, c;
  for (b = 0; b < p->batches; ++b) {
    const int8_t *image = input + (size_t)b * (size_t)(p->in_height * p->in_width * depth);
    for (y = 0; y < p->out_height; ++y) {
      int32_t iy, y0, y1;
      int32_t wy1, wy0;
      tml_resize_bilinear_axis(y, p->height_scale_10, p->half_pixel_centers, p->in_height,
                               &iy, &y0, &y1);
      wy1 = iy - (1 << 10) * y0;
      wy0 = (1 << 10) - wy1;
      for (x = 0; x < p->out_width; ++x) {
        int32_t ix, x0, x1;
        int32_t wx1, wx0;
        const int8_t *p00, *p10, *p01, *p11;
        tml_resize_bilinear_axis(x, p->width_scale_10, p->half_pixel_centers, p->in_width,
                                 &ix, &x0, &x1);
        wx1 = ix - (1 << 10) * x0;
        wx0 = (1 << 10) - wx1;
        p00 = image + (size_t)((y0 * p->in_width + x0) * depth);
        p10 = image + (size_t)((y1 * p->in_width + x0) * depth);
        p01 = image + (size_t)((y0 * p->in_width + x1) * depth);
        p11 = image + (size_t)((y1 * p->in_width + x1) * depth);
        for (c = 0; c < depth; ++c) {
          const int64_t sum = (int64_t)p00[c] * wy0 * wx0 + (int64_t)p10[c] * wy1 * wx0 +
                              (int64_t)p01[c] * wy0 * wx1 + (int64_t)p11[c] * wy1 * wx1;
          const int64_t round = sum > 0 ? ((int64_t)1 << 19) : -((int64_t)1 << 19);
          *output++ = (int8_t)((sum + round) / ((int64_t)1 << 20));
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_RESIZE_BILINEAR_H */
