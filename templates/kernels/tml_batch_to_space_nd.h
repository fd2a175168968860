/*
 * tml_batch_to_space_nd.h - BATCH_TO_SPACE_ND (TFLM reference BatchToSpaceND), NHWC
 * (a 3-D NHC tensor is the same with width 1 and block_width 1).
 *
 * Input batch n is output batch n % out_batches at the block position
 * s = n / out_batches (row s / block_width, column s % block_width): input pixel
 * (n, h, w) goes to (n % out_batches, h * block_height + s / block_width - crop_top,
 * w * block_width + s % block_width - crop_left) unless that falls in the crops.
 * One pixel (depth_bytes) per memcpy.
 */
#ifndef TML_BATCH_TO_SPACE_ND_H
#define TML_BATCH_TO_SPACE_ND_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t in_batches, in_height, in_width;
  int32_t out_batches, out_height, out_width;
  int32_t block_height, block_width;
  int32_t crop_top, crop_left;
  int32_t depth_bytes;
} tml_batch_to_space_nd_params_t;

TML_KERNEL void tml_batch_to_space_nd(const tml_batch_to_space_nd_params_t *p,
                                      const void *input, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_batch_to_space_nd(const tml_batch_to_space_nd_params_t *p,
                                      const void *input, void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t pixel = (size_t)p->depth_bytes;
  int32_t n, h, w;
  for (n = 0; n < p->in_batches; ++n) {
    const int32_t out_b = n % p->out_batches;
    const int32_t spatial = n / p->out_batches;
    for (h = 0; h < p->in_height; ++h) {
      const int32_t out_h = h * p->block_height + spatial / p->block_width - p->crop_top;
      if (out_h < 0 || out_h >= p->out_height) {
        continue;
      }
      for (w = 0; w < p->in_width; ++w) {
        const int32_t out_w = w * p->block_width + spatial % p->block_width - p->crop_left;
        if (out_w < 0 || out_w >= p->out_width) {
          continue;
        }
        memcpy(out + (size_t)((out_b * p->out_height + out_h) * p->out_width + out_w) * pixel,
               in + (size_t)((n * p->in_height + h) * p->in_width + w) * pixel, pixel);
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_BATCH_TO_SPACE_ND_H */
