/*
 * tml_depth_to_space.h - DEPTH_TO_SPACE (TFLM reference DepthToSpace), NHWC:
 * output[b, h, w, d] = input[b, h / block, w / block,
 * ((h % block) * block + w % block) * depth + d].
 *
 * Input dims: [batches, in_height, in_width, block * block * depth]; output
 * [batches, in_height * block, in_width * block, depth]. Written in output order,
 * one output pixel (depth_bytes = depth * element size) per memcpy.
 */
#ifndef TML_DEPTH_TO_SPACE_H
#define TML_DEPTH_TO_SPACE_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t in_height, in_width;
  int32_t block;
  int32_t depth_bytes;  /* one output pixel */
} tml_depth_to_space_params_t;

TML_KERNEL void tml_depth_to_space(const tml_depth_to_space_params_t *p, const void *input,
                                   void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_depth_to_space(const tml_depth_to_space_params_t *p, const void *input,
                                   void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t pixel = (size_t)p->depth_bytes;
  const size_t in_pixel = pixel * (size_t)(p->block * p->block);
  int32_t b, h, w;
  for (b = 0; b < p->batches; ++b) {
    for (h = 0; h < p->in_height * p->block; ++h) {
      for (w = 0; w < p->in_width * p->block; ++w) {
        const size_t src_pixel =
            (size_t)((b * p->in_height + h / p->block) * p->in_width + w / p->block);
        const size_t sub = (size_t)((h % p->block) * p->block + w % p->block);
        memcpy(out, in + src_pixel * in_pixel + sub * pixel, pixel);
        out += pixel;
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DEPTH_TO_SPACE_H */
