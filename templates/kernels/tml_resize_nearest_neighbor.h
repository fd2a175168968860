/*
 * tml_resize_nearest_neighbor.h - RESIZE_NEAREST_NEIGHBOR (TFLM reference
 * ResizeNearestNeighbor), NHWC.
 *
 * Which input row feeds output row y and which input column feeds output column x
 * depends only on the sizes and the align_corners / half_pixel_centers options; TFLM
 * computes it with float arithmetic, the compiler does the same at compile time and
 * passes the answers as byte offsets: row_offset[y] = in_y * in_width * depth_bytes,
 * col_offset[x] = in_x * depth_bytes. Each output pixel is one memcpy of depth_bytes.
 */
#ifndef TML_RESIZE_NEAREST_NEIGHBOR_H
#define TML_RESIZE_NEAREST_NEIGHBOR_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t out_height, out_width;
  int32_t depth_bytes;         /* one pixel */
  int32_t input_batch_bytes;   /* in_height * in_width * depth_bytes */
  const int32_t *row_offset;   /* out_height entries */
  const int32_t *col_offset;   /* out_width entries */
} tml_resize_nearest_neighbor_params_t;

TML_KERNEL void tml_resize_nearest_neighbor(const tml_resize_nearest_neighbor_params_t *p,
                                            const void *input, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_resize_nearest_neighbor(const tml_resize_nearest_neighbor_params_t *p,
                                            const void *input, void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t pixel = (size_t)p->depth_bytes;
  int32_t b, y, x;
  for (b = 0; b < p->batches; ++b) {
    for (y = 0; y < p->out_height; ++y) {
      const uint8_t *row = in + p->row_offset[y];
      for (x = 0; x < p->out_width; ++x) {
        memcpy(out, row + p->col_offset[x], pixel);
        out += pixel;
      }
    }
    in += p->input_batch_bytes;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_RESIZE_NEAREST_NEIGHBOR_H */
