/*
 * tml_signal_rfft_s32.h - SignalRfft and SignalIrfft on int32 (TFLM signal library):
 * kiss_fft's 32-bit fixed point (FIXED_POINT 32), the same stages as the int16 kernel
 * (tml_signal_rfft.h): products in int64 rounded by (x + 2^30) >> 31, division by a
 * radix k as a product with 2147483647 / k, sums of two int32 wrapping (as TFLM's int
 * arithmetic does in practice). Twiddles round(2147483647 cos|sin) from the compiler.
 */
#ifndef TML_SIGNAL_RFFT_S32_H
#define TML_SIGNAL_RFFT_S32_H

#include "tml_common.h"

#define TML_RFFT32_MAX_STAGES 16

typedef struct {
  int32_t fft_length;     /* a power of two, >= 4 */
  int32_t input_length;   /* RFFT: samples per input frame, <= fft_length */
  int32_t frames;
  int32_t num_stages;
  int16_t stages[2 * TML_RFFT32_MAX_STAGES];  /* radix (4 or 2), then sub-FFT length m */
  const int32_t *twiddles;        /* fft_length / 2 complex values */
  const int32_t *super_twiddles;  /* fft_length / 4 complex values */
  int32_t inverse;                /* SignalIrfft */
} tml_signal_rfft_s32_params_t;

/* scratch: 2 * fft_length int32. */
TML_KERNEL void tml_signal_rfft_s32(const tml_signal_rfft_s32_params_t *p, const int32_t *input,
                                    int32_t *output, int32_t *scratch);
/* scratch: fft_length int32. */
TML_KERNEL void tml_signal_irfft_s32(const tml_signal_rfft_s32_params_t *p, const int32_t *input,
                                     int32_t *output, int32_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_HELPER int32_t tml_rfft32_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
TML_HELPER int32_t tml_rfft32_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

TML_HELPER int32_t tml_rfft32_round(uint64_t x) {
  return (int32_t)((int64_t)(x + 1073741824u) >> 31);
}

TML_HELPER uint64_t tml_rfft32_mul(int32_t a, int32_t b) { return (uint64_t)((int64_t)a * b); }

/* d = a * b (complex, Q31). */
TML_HELPER void tml_rfft32_cmul(int32_t *d, const int32_t *a, const int32_t *b) {
  const int32_t re = tml_rfft32_round(tml_rfft32_mul(a[0], b[0]) - tml_rfft32_mul(a[1], b[1]));
  const int32_t im = tml_rfft32_round(tml_rfft32_mul(a[0], b[1]) + tml_rfft32_mul(a[1], b[0]));
  d[0] = re;
  d[1] = im;
}

TML_HELPER void tml_rfft32_fixdiv(int32_t *c, int32_t k) {
  const int32_t f = 2147483647 / k;
  c[0] = tml_rfft32_round(tml_rfft32_mul(c[0], f));
  c[1] = tml_rfft32_round(tml_rfft32_mul(c[1], f));
}

TML_HELPER void tml_rfft32_bfly2(int32_t *f, int32_t fstride, const int32_t *tw, int32_t m) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    int32_t *a = f + 2 * k, *b = f + 2 * (k + m);
    int32_t t[2];
    tml_rfft32_fixdiv(a, 2);
    tml_rfft32_fixdiv(b, 2);
    tml_rfft32_cmul(t, b, tw + 2 * k * fstride);
    b[0] = tml_rfft32_sub(a[0], t[0]);
    b[1] = tml_rfft32_sub(a[1], t[1]);
    a[0] = tml_rfft32_add(a[0], t[0]);
    a[1] = tml_rfft32_add(a[1], t[1]);
  }
}

TML_HELPER void tml_rfft32_bfly4(int32_t *f, int32_t fstride, const int32_t *tw, int32_t m,
                                 int32_t inverse) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    int32_t *f0 = f + 2 * k, *f1 = f + 2 * (k + m), *f2 = f + 2 * (k + 2 * m),
            *f3 = f + 2 * (k + 3 * m);
    int32_t s0[2], s1[2], s2[2], s3[2], s4[2], s5[2];
    tml_rfft32_fixdiv(f0, 4);
    tml_rfft32_fixdiv(f1, 4);
    tml_rfft32_fixdiv(f2, 4);
    tml_rfft32_fixdiv(f3, 4);
    tml_rfft32_cmul(s0, f1, tw + 2 * k * fstride);
    tml_rfft32_cmul(s1, f2, tw + 4 * k * fstride);
    tml_rfft32_cmul(s2, f3, tw + 6 * k * fstride);
    s5[0] = tml_rfft32_sub(f0[0], s1[0]);
    s5[1] = tml_rfft32_sub(f0[1], s1[1]);
    f0[0] = tml_rfft32_add(f0[0], s1[0]);
    f0[1] = tml_rfft32_add(f0[1], s1[1]);
    s3[0] = tml_rfft32_add(s0[0], s2[0]);
    s3[1] = tml_rfft32_add(s0[1], s2[1]);
    s4[0] = tml_rfft32_sub(s0[0], s2[0]);
    s4[1] = tml_rfft32_sub(s0[1], s2[1]);
    f2[0] = tml_rfft32_sub(f0[0], s3[0]);
    f2[1] = tml_rfft32_sub(f0[1], s3[1]);
    f0[0] = tml_rfft32_add(f0[0], s3[0]);
    f0[1] = tml_rfft32_add(f0[1], s3[1]);
    if (inverse) {
      f1[0] = tml_rfft32_sub(s5[0], s4[1]);
      f1[1] = tml_rfft32_add(s5[1], s4[0]);
      f3[0] = tml_rfft32_add(s5[0], s4[1]);
      f3[1] = tml_rfft32_sub(s5[1], s4[0]);
    } else {
      f1[0] = tml_rfft32_add(s5[0], s4[1]);
      f1[1] = tml_rfft32_sub(s5[1], s4[0]);
      f3[0] = tml_rfft32_sub(s5[0], s4[1]);
      f3[1] = tml_rfft32_add(s5[1], s4[0]);
    }
  }
}

TML_HELPER void tml_rfft32_stage(const tml_signal_rfft_s32_params_t *p, int32_t *out,
                                 const int32_t *in, int32_t fstride, int32_t stage) {
  const int32_t radix = p->stages[2 * stage], m = p->stages[2 * stage + 1];
  int32_t k;
  if (m == 1) {
    for (k = 0; k < radix; ++k) {
      out[2 * k] = in[2 * k * fstride];
      out[2 * k + 1] = in[2 * k * fstride + 1];
    }
  } else {
    for (k = 0; k < radix; ++k) {
      tml_rfft32_stage(p, out + 2 * k * m, in + 2 * k * fstride, fstride * radix, stage + 1);
    }
  }
  if (radix == 2) {
    tml_rfft32_bfly2(out, fstride, p->twiddles, m);
  } else {
    tml_rfft32_bfly4(out, fstride, p->twiddles, m, p->inverse);
  }
}

TML_KERNEL void tml_signal_rfft_s32(const tml_signal_rfft_s32_params_t *p, const int32_t *input,
                                    int32_t *output, int32_t *scratch) {
  const int32_t n = p->fft_length, half = n / 2;
  int32_t *frame = scratch, *spec = scratch + n;
  int32_t f, i, k;
  for (f = 0; f < p->frames; ++f) {
    const int32_t *in = input + f * p->input_length;
    int32_t *out = output + f * (n + 2);
    int32_t dc[2];
    for (i = 0; i < p->input_length; ++i) frame[i] = in[i];
    for (; i < n; ++i) frame[i] = 0;
    tml_rfft32_stage(p, spec, frame, 1, 0);
    dc[0] = spec[0];
    dc[1] = spec[1];
    tml_rfft32_fixdiv(dc, 2);
    out[0] = tml_rfft32_add(dc[0], dc[1]);
    out[2 * half] = tml_rfft32_sub(dc[0], dc[1]);
    out[1] = 0;
    out[2 * half + 1] = 0;
    for (k = 1; k <= half / 2; ++k) {
      int32_t fk[2], fnk[2], sum[2], diff[2], t[2];
      fk[0] = spec[2 * k];
      fk[1] = spec[2 * k + 1];
      fnk[0] = spec[2 * (half - k)];
      fnk[1] = tml_rfft32_sub(0, spec[2 * (half - k) + 1]);
      tml_rfft32_fixdiv(fk, 2);
      tml_rfft32_fixdiv(fnk, 2);
      sum[0] = tml_rfft32_add(fk[0], fnk[0]);
      sum[1] = tml_rfft32_add(fk[1], fnk[1]);
      diff[0] = tml_rfft32_sub(fk[0], fnk[0]);
      diff[1] = tml_rfft32_sub(fk[1], fnk[1]);
      tml_rfft32_cmul(t, diff, p->super_twiddles + 2 * (k - 1));
      out[2 * k] = tml_rfft32_add(sum[0], t[0]) >> 1;
      out[2 * k + 1] = tml_rfft32_add(sum[1], t[1]) >> 1;
      out[2 * (half - k)] = tml_rfft32_sub(sum[0], t[0]) >> 1;
      out[2 * (half - k) + 1] = tml_rfft32_sub(t[1], sum[1]) >> 1;
    }
  }
}

TML_KERNEL void tml_signal_irfft_s32(const tml_signal_rfft_s32_params_t *p, const int32_t *input,
                                     int32_t *output, int32_t *scratch) {
  const int32_t n = p->fft_length, half = n / 2;
  int32_t f, k;
  for (f = 0; f < p->frames; ++f) {
    const int32_t *in = input + f * (n + 2);
    int32_t *spec = scratch;
    spec[0] = tml_rfft32_add(in[0], in[2 * half]);
    spec[1] = tml_rfft32_sub(in[0], in[2 * half]);
    tml_rfft32_fixdiv(spec, 2);
    for (k = 1; k <= half / 2; ++k) {
      int32_t fk[2], fnkc[2], even[2], diff[2], odd[2];
      fk[0] = in[2 * k];
      fk[1] = in[2 * k + 1];
      fnkc[0] = in[2 * (half - k)];
      fnkc[1] = tml_rfft32_sub(0, in[2 * (half - k) + 1]);
      tml_rfft32_fixdiv(fk, 2);
      tml_rfft32_fixdiv(fnkc, 2);
      even[0] = tml_rfft32_add(fk[0], fnkc[0]);
      even[1] = tml_rfft32_add(fk[1], fnkc[1]);
      diff[0] = tml_rfft32_sub(fk[0], fnkc[0]);
      diff[1] = tml_rfft32_sub(fk[1], fnkc[1]);
      tml_rfft32_cmul(odd, diff, p->super_twiddles + 2 * (k - 1));
      spec[2 * k] = tml_rfft32_add(even[0], odd[0]);
      spec[2 * k + 1] = tml_rfft32_add(even[1], odd[1]);
      spec[2 * (half - k)] = tml_rfft32_sub(even[0], odd[0]);
      spec[2 * (half - k) + 1] = tml_rfft32_sub(0, tml_rfft32_sub(even[1], odd[1]));
    }
    tml_rfft32_stage(p, output + f * n, spec, 1, 0);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_RFFT_S32_H */
