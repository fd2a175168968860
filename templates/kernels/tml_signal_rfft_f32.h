/*
 * tml_signal_rfft_f32.h - SignalRfft and SignalIrfft on float32 (TFLM signal library):
 * kiss_fft in float, the same stages as the fixed-point kernels without their scaling:
 * complex products a.r * b.r - a.i * b.i and a.r * b.i + a.i * b.r, the real split
 * halving by * 0.5f, every operation rounded to float (C99, no contraction into fused
 * multiply-adds: build without -ffp-contract=fast). Twiddles (float)cos|sin from the
 * compiler. The inverse divides its output by fft_length, as TFLM's IrfftFloatApply.
 */
#ifndef TML_SIGNAL_RFFT_F32_H
#define TML_SIGNAL_RFFT_F32_H

#include "tml_common.h"

#define TML_RFFTF_MAX_STAGES 16

typedef struct {
  int32_t fft_length;     /* a power of two, >= 4 */
  int32_t input_length;   /* RFFT: samples per input frame, <= fft_length */
  int32_t frames;
  int32_t num_stages;
  int16_t stages[2 * TML_RFFTF_MAX_STAGES];  /* radix (4 or 2), then sub-FFT length m */
  const float *twiddles;        /* fft_length / 2 complex values */
  const float *super_twiddles;  /* fft_length / 4 complex values */
  int32_t inverse;                /* SignalIrfft */
} tml_signal_rfft_f32_params_t;

/* scratch: 2 * fft_length float. */
TML_KERNEL void tml_signal_rfft_f32(const tml_signal_rfft_f32_params_t *p, const float *input,
                                    float *output, float *scratch);
/* scratch: fft_length float. */
TML_KERNEL void tml_signal_irfft_f32(const tml_signal_rfft_f32_params_t *p, const float *input,
                                     float *output, float *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_HELPER float tml_rfftf_add(float a, float b) { return a + b; }
TML_HELPER float tml_rfftf_sub(float a, float b) { return a - b; }

/* d = a * b (complex). */
TML_HELPER void tml_rfftf_cmul(float *d, const float *a, const float *b) {
  const float re = a[0] * b[0] - a[1] * b[1];
  const float im = a[0] * b[1] + a[1] * b[0];
  d[0] = re;
  d[1] = im;
}

TML_HELPER void tml_rfftf_bfly2(float *f, int32_t fstride, const float *tw, int32_t m) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    float *a = f + 2 * k, *b = f + 2 * (k + m);
    float t[2];
    tml_rfftf_cmul(t, b, tw + 2 * k * fstride);
    b[0] = tml_rfftf_sub(a[0], t[0]);
    b[1] = tml_rfftf_sub(a[1], t[1]);
    a[0] = tml_rfftf_add(a[0], t[0]);
    a[1] = tml_rfftf_add(a[1], t[1]);
  }
}

TML_HELPER void tml_rfftf_bfly4(float *f, int32_t fstride, const float *tw, int32_t m,
                                 int32_t inverse) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    float *f0 = f + 2 * k, *f1 = f + 2 * (k + m), *f2 = f + 2 * (k + 2 * m),
            *f3 = f + 2 * (k + 3 * m);
    float s0[2], s1[2], s2[2], s3[2], s4[2], s5[2];
    tml_rfftf_cmul(s0, f1, tw + 2 * k * fstride);
    tml_rfftf_cmul(s1, f2, tw + 4 * k * fstride);
    tml_rfftf_cmul(s2, f3, tw + 6 * k * fstride);
    s5[0] = tml_rfftf_sub(f0[0], s1[0]);
    s5[1] = tml_rfftf_sub(f0[1], s1[1]);
    f0[0] = tml_rfftf_add(f0[0], s1[0]);
    f0[1] = tml_rfftf_add(f0[1], s1[1]);
    s3[0] = tml_rfftf_add(s0[0], s2[0]);
    s3[1] = tml_rfftf_add(s0[1], s2[1]);
    s4[0] = tml_rfftf_sub(s0[0], s2[0]);
    s4[1] = tml_rfftf_sub(s0[1], s2[1]);
    f2[0] = tml_rfftf_sub(f0[0], s3[0]);
    f2[1] = tml_rfftf_sub(f0[1], s3[1]);
    f0[0] = tml_rfftf_add(f0[0], s3[0]);
    f0[1] = tml_rfftf_add(f0[1], s3[1]);
    if (inverse) {
      f1[0] = tml_rfftf_sub(s5[0], s4[1]);
      f1[1] = tml_rfftf_add(s5[1], s4[0]);
      f3[0] = tml_rfftf_add(s5[0], s4[1]);
      f3[1] = tml_rfftf_sub(s5[1], s4[0]);
    } else {
      f1[0] = tml_rfftf_add(s5[0], s4[1]);
      f1[1] = tml_rfftf_sub(s5[1], s4[0]);
      f3[0] = tml_rfftf_sub(s5[0], s4[1]);
      f3[1] = tml_rfftf_add(s5[1], s4[0]);
    }
  }
}

TML_HELPER void tml_rfftf_stage(const tml_signal_rfft_f32_params_t *p, float *out,
                                 const float *in, int32_t fstride, int32_t stage) {
  const int32_t radix = p->stages[2 * stage], m = p->stages[2 * stage + 1];
  int32_t k;
  if (m == 1) {
    for (k = 0; k < radix; ++k) {
      out[2 * k] = in[2 * k * fstride];
      out[2 * k + 1] = in[2 * k * fstride + 1];
    }
  } else {
    for (k = 0; k < radix; ++k) {
      tml_rfftf_stage(p, out + 2 * k * m, in + 2 * k * fstride, fstride * radix, stage + 1);
    }
  }
  if (radix == 2) {
    tml_rfftf_bfly2(out, fstride, p->twiddles, m);
  } else {
    tml_rfftf_bfly4(out, fstride, p->twiddles, m, p->inverse);
  }
}

TML_KERNEL void tml_signal_rfft_f32(const tml_signal_rfft_f32_params_t *p, const float *input,
                                    float *output, float *scratch) {
  const int32_t n = p->fft_length, half = n / 2;
  float *frame = scratch, *spec = scratch + n;
  int32_t f, i, k;
  for (f = 0; f < p->frames; ++f) {
    const float *in = input + f * p->input_length;
    float *out = output + f * (n + 2);
    float dc[2];
    for (i = 0; i < p->input_length; ++i) frame[i] = in[i];
    for (; i < n; ++i) frame[i] = 0.0f;
    tml_rfftf_stage(p, spec, frame, 1, 0);
    dc[0] = spec[0];
    dc[1] = spec[1];
    out[0] = tml_rfftf_add(dc[0], dc[1]);
    out[2 * half] = tml_rfftf_sub(dc[0], dc[1]);
    out[1] = 0.0f;
    out[2 * half + 1] = 0.0f;
    for (k = 1; k <= half / 2; ++k) {
      float fk[2], fnk[2], sum[2], diff[2], t[2];
      fk[0] = spec[2 * k];
      fk[1] = spec[2 * k + 1];
      fnk[0] = spec[2 * (half - k)];
      fnk[1] = -spec[2 * (half - k) + 1];
      sum[0] = tml_rfftf_add(fk[0], fnk[0]);
      sum[1] = tml_rfftf_add(fk[1], fnk[1]);
      diff[0] = tml_rfftf_sub(fk[0], fnk[0]);
      diff[1] = tml_rfftf_sub(fk[1], fnk[1]);
      tml_rfftf_cmul(t, diff, p->super_twiddles + 2 * (k - 1));
      out[2 * k] = (sum[0] + t[0]) * 0.5f;
      out[2 * k + 1] = (sum[1] + t[1]) * 0.5f;
      out[2 * (half - k)] = (sum[0] - t[0]) * 0.5f;
      out[2 * (half - k) + 1] = (t[1] - sum[1]) * 0.5f;
    }
  }
}

TML_KERNEL void tml_signal_irfft_f32(const tml_signal_rfft_f32_params_t *p, const float *input,
                                     float *output, float *scratch) {
  const int32_t n = p->fft_length, half = n / 2;
  int32_t f, k;
  for (f = 0; f < p->frames; ++f) {
    const float *in = input + f * (n + 2);
    float *spec = scratch;
    spec[0] = tml_rfftf_add(in[0], in[2 * half]);
    spec[1] = tml_rfftf_sub(in[0], in[2 * half]);
    for (k = 1; k <= half / 2; ++k) {
      float fk[2], fnkc[2], even[2], diff[2], odd[2];
      fk[0] = in[2 * k];
      fk[1] = in[2 * k + 1];
      fnkc[0] = in[2 * (half - k)];
      fnkc[1] = -in[2 * (half - k) + 1];
      even[0] = tml_rfftf_add(fk[0], fnkc[0]);
      even[1] = tml_rfftf_add(fk[1], fnkc[1]);
      diff[0] = tml_rfftf_sub(fk[0], fnkc[0]);
      diff[1] = tml_rfftf_sub(fk[1], fnkc[1]);
      tml_rfftf_cmul(odd, diff, p->super_twiddles + 2 * (k - 1));
      spec[2 * k] = tml_rfftf_add(even[0], odd[0]);
      spec[2 * k + 1] = tml_rfftf_add(even[1], odd[1]);
      spec[2 * (half - k)] = tml_rfftf_sub(even[0], odd[0]);
      spec[2 * (half - k) + 1] = -(even[1] - odd[1]);
    }
    tml_rfftf_stage(p, output + f * n, spec, 1, 0);
    /* TFLM's IrfftFloatApply: kiss_fft leaves the result scaled by the length. */
    for (k = 0; k < n; ++k) output[f * n + k] /= (float)n;
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_RFFT_F32_H */
