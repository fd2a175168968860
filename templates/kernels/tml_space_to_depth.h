/*
 * tml_space_to_depth.h - SPACE_TO_DEPTH (TFLM reference SpaceToDepth), NHWC:
 * output[b, h, w, (dy * block + dx) * depth + d] = input[b, h * block + dy,
 * w * block + dx, d].
 *
 * Output dims: [batches, out_height, out_width, block * block * depth] with the input
 * [batches, out_height * block, out_width * block, depth]. Written in output order,
 * one input pixel (depth_bytes = depth * element size) per memcpy.
 */
#ifndef TML_SPACE_TO_DEPTH_H
#define TML_SPACE_TO_DEPTH_H

#include <string.h>

#include "tml_common.h"

typedef struct {
  int32_t batches;
  int32_t out_height, out_width;
  int32_t block;
  int32_t depth_bytes;  /* one input pixel */
} tml_space_to_depth_params_t;

TML_KERNEL void tml_space_to_depth(const tml_space_to_depth_params_t *p, const void *input,
                                   void *output);

#ifndef TML_DECLARATIONS_ONLY

TML_KERNEL void tml_space_to_depth(const tml_space_to_depth_params_t *p, const void *input,
                                   void *output) {
  const uint8_t *in = (const uint8_t *)input;
  uint8_t *out = (uint8_t *)output;
  const size_t pixel = (size_t)p->depth_bytes;
  const size_t in_row = pixel * (size_t)(p->out_width * p->block);
  int32_t b, h, w, dy, dx;
  for (b = 0; b < p->batches; ++b) {
    for (h = 0; h < p->out_height; ++h) {
      for (w = 0; w < p->out_width; ++w) {
        for (dy = 0; dy < p->block; ++dy) {
          const uint8_t *src = in + ((size_t)(b * p->out_height + h) * (size_t)p->block +
                                     (size_t)dy) * in_row +
                               (size_t)(w * p->block) * pixel;
          for (dx = 0; dx < p->block; ++dx) {
            memcpy(out, src, pixel);
            src += pixel;
            out += pixel;
          }
        }
      }
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SPACE_TO_DEPTH_H */
