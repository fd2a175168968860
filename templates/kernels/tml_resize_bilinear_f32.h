/*
 * tml_resize_bilinear_f32.h - RESIZE_BILINEAR on float32, NHWC, as TFLM's reference
 * float ResizeBilinear: the compiler gives the scales as TFLM computes them in float
 * (in / out, or (in - 1) / (out - 1) with align_corners). For output row y:
 *   iy = y * scale, or (y + 0.5f) * scale - 0.5f with half_pixel_centers,
 *   y0 = max((int)floorf(iy), 0), y1 = min((int)ceilf(iy), in_height - 1),
 * likewise for columns, and
 *   out = a*(1-dy)*(1-dx) + b*dy*(1-dx) + c*(1-dy)*dx + d*dy*dx + 0.0f
 * with dy = iy - y0, dx = ix - x0, evaluated left to right in float (the final + 0.0f
 * is TFLM's rounding offset for float; it turns -0.0f into +0.0f). Needs <math.h>
 * (floorf, ceilf).
 */
#ifndef TML_RESIZE_BILINEAR_F32_H
#define TML_RESIZE_BILINEAR_F32_H

#include "tml_float_common.h"

typedef struct {
  int32_t batches;
  int32_t in_height, in_width;
  int32_t out_height, out_width;
  int32_t depth;
  float height_scale, width_scale;
  int32_t half_pixel_centers; /* 0 or 1 */
} tml_resize_bilinear_f32_params_t;

TML_KERNEL void tml_resize_bilinear_f32(const tml_resize_bilinear_f32_params_t *p,
                                        const float *input, float *output);

#ifndef TML_DECLARATIONS_ONLY

/* Scaled position and its two neighbours along one axis (TFLM's float
 * ComputeInterpolationValues). */
TML_HELPER void tml_resize_bilinear_f32_axis(int32_t value, float scale, int32_t half_pixel,
                                             int32_t size, float *pos, int32_t *lower,
                                             int32_t *upper) {
  const float v = half_pixel ? ((float)value + 0.5f) * scale - 0.5f : (float)value * scale;
  const int32_t lo = (int32_t)floorf(v);
  const int32_t hi = (int32_t)ceilf(v);
  *pos = v;
  *lower = lo > 0 ? lo : 0;
  *upper = hi < size - 1 ? hi : size - 1;
}

TML_KERNEL void tml_resize_bilinear_f32(const tml_resize_bilinear_f32_params_t *p,
                                        const float *input, float *output) {
  const int32_t depth = p->depth;
  int32_t b, y, x, c;
  for (b = 0; b < p->batches; ++b) {
    const float *image = input + (size_t)b * (size_t)(p->in_height * p->in_width * depth);
    for (y = 0; y < p->out_height; ++y) {
      float iy, dy;
      int32_t y0, y1;
      tml_resize_bilinear_f32_axis(y, p->height_scale, p->half_pixel_centers, p->in_height,
                                   &iy, &y0, &y1);
      dy = iy - (float)y0;
      for (x = 0; x < p->out_width; ++x) {
        float ix, dx;
        int32_t x0, x1;
        const float *p00, *p10, *p01, *p11;
        tml_resize_bilinear_f32_axis(x, p->width_scale, p->half_pixel_centers, p->in_width,
                                     &ix, &x0, &x1);
        dx = ix - (float)x0;
        p00 = image + (size_t)((y0 * p->in_width + x0) * depth);
        p10 = image + (size_t)((y1 * p->in_width + x0) * depth);
        p01 = image + (size_t)((y0 * p->in_width + x1) * depth);
        p11 = image + (size_t)((y1 * p->in_width + x1) * depth);
        for (c = 0; c < depth; ++c) {
          *output++ = p00[c] * (1.0f - dy) * (1.0f - dx) + p10[c] * dy * (1.0f - dx) +
                      p01[c] * (1.0f - dy) * dx + p11[c] * dy * dx + 0.0f;
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_RESIZE_BILINEAR_F32_H */
