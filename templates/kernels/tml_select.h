/*
 * tml_select.h - SELECT_V2 as TFLM's select.cc (Select / BroadcastSelect5DSlow): output =
 * condition ? x : y elementwise, the three inputs broadcast to the output
 * (tml_broadcast3_t: input 0 the bool condition, 1 = x, 2 = y). Values are copied as
 * they are (int8 and int16 without requantization, as TFLM), so the kernel is
 * type-blind: tml_select_<bits> for elements of 8, 16 or 32 bits.
 */
#ifndef TML_SELECT_H
#define TML_SELECT_H

#include "tml_broadcast.h"

typedef struct {
  tml_broadcast3_t shape;
} tml_select_params_t;

#ifdef TML_DECLARATIONS_ONLY
#define TML_SELECT_FN(NAME, T)                                                      \
  TML_KERNEL void NAME(const tml_select_params_t *p, const uint8_t *condition,      \
                       const void *x, const void *y, void *output);
#else
#define TML_SELECT_FN(NAME, T)                                                      \
  TML_KERNEL void NAME(const tml_select_params_t *p, const uint8_t *condition,      \
                       const void *x, const void *y, void *output);                 \
  TML_KERNEL void NAME(const tml_select_params_t *p, const uint8_t *condition,      \
                       const void *x, const void *y, void *output) {                \
    const int32_t last = p->shape.rank - 1;                                         \
    const int32_t inner = p->shape.dims[last];                                      \
    const int32_t step_c = p->shape.strides[0][last];                               \
    const int32_t step_x = p->shape.strides[1][last];                               \
    const int32_t step_y = p->shape.strides[2][last];                               \
    const T *xs = (const T *)x;                                                     \
    const T *ys = (const T *)y;                                                     \
    T *out = (T *)output;                                                           \
    tml_broadcast3_iter_t it;                                                       \
    const int32_t rows = tml_broadcast3_begin(&p->shape, &it);                      \
    int32_t r, i;                                                                   \
    for (r = 0; r < rows; ++r) {                                                    \
      const uint8_t *c = condition + it.offset[0];                                  \
      const T *a = xs + it.offset[1];                                               \
      const T *b = ys + it.offset[2];                                               \
      for (i = 0; i < inner; ++i) {                                                 \
        out[i] = c[i * step_c] ? a[i * step_x] : b[i * step_y];                     \
      }                                                                             \
      out += inner;                                                                 \
      tml_broadcast3_next_row(&p->shape, &it);                                      \
    }                                                                               \
  }
#endif

TML_SELECT_FN(tml_select_8, uint8_t)
TML_SELECT_FN(tml_select_16, uint16_t)
TML_SELECT_FN(tml_select_32, uint32_t)

#undef TML_SELECT_FN

#endif /* TML_SELECT_H */
