/*
 * tml_space_to_batch_nd.h - SPACE_TO_BATCH_ND (TFLM reference SpaceToBatchND), NHWC
 * (a 3-D NHC tensor is the same with width 1 and block_width 1).
 *
 * Output batch n takes input batch n % in_batches at the block position
 * s = n / in_batches (row s / block_width, column s % block_width): output pixel
 * (n, h, w) = input pixel (n % in_batches, h * block_height + s / block_width - pad_top,
 * w * block_width + s % block_width - pad_left), or, in the padding, every byte set to
 * pad_byte. (TFLM memsets with the low byte of an op parameter its micro kernel never
 * sets; the compiler passes the value that parameter holds, see space_to_batch_nd.cc.)
 */
#ifndef TML_SPACE_TO_BATCH_ND_H
#define TML_SPACE_TO_BATCH_ND_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t in_batches, in_height, in_width;
  int32_t out_batches, out_height, out_width;
  int32_t block_height, block_width;
  int32_t pad_top, pad_left;
  int32_t depth_bytes;
  int32_t pad_byte;
} tml_space_to_batch_nd_params_t;

TML_KERNEL void tml_space_to_batch_nd(const tml_space_to_batch_nd_params_t *p,
                                      const void *input, void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_space_to_batch_nd(const tml_space_to_batch_nd_params_t *p,
                                      const void *input, void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t pixel = (size_t)p->depth_bytes;
  int32_t n, h, w;
  for (n = 0; n < p->out_batches; ++n) {
    const int32_t in_b = n % p->in_batches;
    const int32_t spatial = n / p->in_batches;
    const int32_t shift_h = spatial / p->block_width;
    const int32_t shift_w = spatial % p->block_width;
    for (h = 0; h < p->out_height; ++h) {
      const int32_t in_h = h * p->block_height + shift_h - p->pad_top;
      for (w = 0; w < p->out_width; ++w) {
        const int32_t in_w = w * p->block_width + shift_w - p->pad_left;
        if (in_h < 0 || in_h >= p->in_height || in_w < 0 || in_w >= p->in_width) {
          memset(out, p->pad_byte, pixel);
        } else {
          memcpy(out, in + (size_t)((in_b * p->in_height + in_h) * p->in_width + in_w) * pixel,
                 pixel);
        }
        out += pixel;
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SPACE_TO_BATCH_ND_H */
