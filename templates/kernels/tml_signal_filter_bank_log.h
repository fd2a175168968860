/*
 * tml_signal_filter_bank_log.h - SignalFilterBankLog (TFLM signal library): for each
 * uint32 channel, x = input << input_correction_bits; 0 if x <= 1, else
 * min(INT16_MAX, ln(x) * output_scale) in TFLM's fixed point: log2 from the top bit and a
 * piecewise-linear correction table of 128 segments (the table below holds TFLM's values:
 * bit-exactness needs the same correction), times ln 2 (45426 / 65536), times
 * output_scale / 65536, each step rounded, in uint32 arithmetic.
 */
#ifndef TML_SIGNAL_FILTER_BANK_LOG_H
#define TML_SIGNAL_FILTER_BANK_LOG_H

#include "tml_signal_common.h"

typedef struct {
  int32_t num_channels;
  int32_t input_correction_bits;  /* 0..31 */
  int32_t output_scale;
} tml_signal_filter_bank_log_params_t;

TML_KERNEL void tml_signal_filter_bank_log(const tml_signal_filter_bank_log_params_t *p,
                                           const uint32_t *input, int16_t *output);

#ifndef TML_DECLARATIONS_ONLY

/* log2(1 + f) - f over [0, 1) in 1/65536, at f = k / 128, k = 0..129. */
static const uint16_t tml_signal_log_correction[130] = {
    0,    224,  442,  654,  861,  1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490,
    2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272,
    4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178, 5231, 5280,
    5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637,
    5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439,
    5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762,
    4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848, 3759, 3668,
    3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207,
    2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094, 963,  830,  695,  559,  421,
    282,  142,  0,    0};

/* ln(x) * out_scale for x >= 2, with 16 fractional bits dropped at each scaling. */
TML_HELPER uint32_t tml_signal_log32(uint32_t x, uint32_t out_scale) {
  const uint32_t integer = tml_signal_msb32(x) - 1;
  /* The fraction x / 2^integer - 1 in 1/65536. */
  int32_t frac = (int32_t)(int64_t)((int64_t)x - ((int64_t)1 << integer));
  uint32_t seg, log2, loge;
  int32_t c0, c1, rel;
  if (integer < 16) {
    frac = (int32_t)((uint32_t)frac << (16 - integer));
  } else {
    frac >>= integer - 16;
  }
  seg = (uint32_t)frac >> 9;
  c0 = tml_signal_log_correction[seg];
  c1 = tml_signal_log_correction[seg + 1];
  rel = ((c1 - c0) * (frac - (int32_t)(512u * seg))) >> 16;
  log2 = (integer << 16) + (uint32_t)(frac + c0 + rel);
  loge = (uint32_t)(((uint64_t)45426 * log2 + 32768u) >> 16);
  return (out_scale * loge + 32768u) >> 16;
}

TML_KERNEL void tml_signal_filter_bank_log(const tml_signal_filter_bank_log_params_t *p,
                                           const uint32_t *input, int16_t *output) {
  int32_t i;
  for (i = 0; i < p->num_channels; ++i) {
    const uint32_t x = input[i] << p->input_correction_bits;
    if (x > 1) {
      const uint32_t v = tml_signal_log32(x, (uint32_t)p->output_scale);
      output[i] = (int16_t)(v < 32767u ? v : 32767u);
    } else {
      output[i] = 0;
    }
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_FILTER_BANK_LOG_H */
