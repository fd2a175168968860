/*
 * tml_signal_rfft.h - SignalRfft on int16 (TFLM signal library): the real FFT of each
 * frame (zero-padded to fft_length) in kiss_fft's 16-bit fixed point, as TFLM builds
 * kiss_fftr: a complex FFT of fft_length / 2 points (mixed radix 4 and 2, decimation in
 * time, each butterfly stage dividing by its radix with Q15 rounding) and a split pass
 * with the "super twiddles", halving. Output: fft_length / 2 + 1 complex int16 values
 * (re, im interleaved) per frame.
 *
 * Q15 arithmetic as kiss_fft's FIXED_POINT 16: products in int32, rounded by
 * (x + 2^14) >> 15; sums of two int16 stored back into int16 (wrapping). The twiddle
 * tables (round(32767 cos), round(32767 sin)) are computed by the compiler.
 */
#ifndef TML_SIGNAL_RFFT_H
#define TML_SIGNAL_RFFT_H

#include "tml_common.h"

#define TML_RFFT_MAX_STAGES 16

typedef struct {
  int32_t fft_length;     /* a power of two, >= 4 */
  int32_t input_length;   /* samples per input frame, <= fft_length */
  int32_t frames;
  int32_t num_stages;     /* of the fft_length / 2 point complex FFT */
  int16_t stages[2 * TML_RFFT_MAX_STAGES];  /* radix (4 or 2), then sub-FFT length m */
  const int16_t *twiddles;        /* fft_length / 2 complex values */
  const int16_t *super_twiddles;  /* fft_length / 4 complex values */
  int32_t inverse;                /* SignalIrfft: the inverse tables and butterflies */
} tml_signal_rfft_s16_params_t;

/* scratch: 2 * fft_length int16 (the padded frame, then the complex FFT's result). */
TML_KERNEL void tml_signal_rfft_s16(const tml_signal_rfft_s16_params_t *p, const int16_t *input,
                                    int16_t *output, int16_t *scratch);
/* SignalIrfft (kiss_fftri): each frame of fft_length / 2 + 1 complex values back to
 * fft_length real samples. scratch: fft_length int16. */
TML_KERNEL void tml_signal_irfft_s16(const tml_signal_rfft_s16_params_t *p, const int16_t *input,
                                     int16_t *output, int16_t *scratch);

#ifndef TML_DECLARATIONS_ONLY

TML_HELPER int16_t tml_rfft_q15_round(uint32_t x) {
  return (int16_t)((int32_t)(x + 16384u) >> 15);
}

/* d = a * b (complex, Q15). */
TML_HELPER void tml_rfft_cmul(int16_t *d, const int16_t *a, const int16_t *b) {
  const int16_t re = tml_rfft_q15_round((uint32_t)(a[0] * b[0]) - (uint32_t)(a[1] * b[1]));
  const int16_t im = tml_rfft_q15_round((uint32_t)(a[0] * b[1]) + (uint32_t)(a[1] * b[0]));
  d[0] = re;
  d[1] = im;
}

/* c = c / k in Q15 (times 32767 / k, rounded). */
TML_HELPER void tml_rfft_fixdiv(int16_t *c, int32_t k) {
  const int32_t f = 32767 / k;
  c[0] = tml_rfft_q15_round((uint32_t)(c[0] * f));
  c[1] = tml_rfft_q15_round((uint32_t)(c[1] * f));
}

TML_HELPER void tml_rfft_bfly2(int16_t *f, int32_t fstride, const int16_t *tw, int32_t m) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    int16_t *a = f + 2 * k, *b = f + 2 * (k + m);
    int16_t t[2];
    tml_rfft_fixdiv(a, 2);
    tml_rfft_fixdiv(b, 2);
    tml_rfft_cmul(t, b, tw + 2 * k * fstride);
    b[0] = (int16_t)(a[0] - t[0]);
    b[1] = (int16_t)(a[1] - t[1]);
    a[0] = (int16_t)(a[0] + t[0]);
    a[1] = (int16_t)(a[1] + t[1]);
  }
}

TML_HELPER void tml_rfft_bfly4(int16_t *f, int32_t fstride, const int16_t *tw, int32_t m,
                               int32_t inverse) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    int16_t *f0 = f + 2 * k, *f1 = f + 2 * (k + m), *f2 = f + 2 * (k + 2 * m),
            *f3 = f + 2 * (k + 3 * m);
    int16_t s0[2], s1[2], s2[2], s3[2], s4[2], s5[2];
    tml_rfft_fixdiv(f0, 4);
    tml_rfft_fixdiv(f1, 4);
    tml_rfft_fixdiv(f2, 4);
    tml_rfft_fixdiv(f3, 4);
    tml_rfft_cmul(s0, f1, tw + 2 * k * fstride);
    tml_rfft_cmul(s1, f2, tw + 4 * k * fstride);
    tml_rfft_cmul(s2, f3, tw + 6 * k * fstride);
    s5[0] = (int16_t)(f0[0] - s1[0]);
    s5[1] = (int16_t)(f0[1] - s1[1]);
    f0[0] = (int16_t)(f0[0] + s1[0]);
    f0[1] = (int16_t)(f0[1] + s1[1]);
    s3[0] = (int16_t)(s0[0] + s2[0]);
    s3[1] = (int16_t)(s0[1] + s2[1]);
    s4[0] = (int16_t)(s0[0] - s2[0]);
    s4[1] = (int16_t)(s0[1] - s2[1]);
    f2[0] = (int16_t)(f0[0] - s3[0]);
    f2[1] = (int16_t)(f0[1] - s3[1]);
    f0[0] = (int16_t)(f0[0] + s3[0]);
    f0[1] = (int16_t)(f0[1] + s3[1]);
    if (inverse) {
      f1[0] = (int16_t)(s5[0] - s4[1]);
      f1[1] = (int16_t)(s5[1] + s4[0]);
      f3[0] = (int16_t)(s5[0] + s4[1]);
      f3[1] = (int16_t)(s5[1] - s4[0]);
    } else {
      f1[0] = (int16_t)(s5[0] + s4[1]);
      f1[1] = (int16_t)(s5[1] - s4[0]);
      f3[0] = (int16_t)(s5[0] - s4[1]);
      f3[1] = (int16_t)(s5[1] + s4[0]);
    }
  }
}

/* One stage of the complex FFT: its `radix` sub-FFTs (recursively, inputs `fstride`
 * complex values apart), then its butterflies. Depth: the number of stages. */
TML_HELPER void tml_rfft_stage(const tml_signal_rfft_s16_params_t *p, int16_t *out,
                               const int16_t *in, int32_t fstride, int32_t stage) {
  const int32_t radix = p->stages[2 * stage], m = p->stages[2 * stage + 1];
  int32_t k;
  if (m == 1) {
    for (k = 0; k < radix; ++k) {
      out[2 * k] = in[2 * k * fstride];
      out[2 * k + 1] = in[2 * k * fstride + 1];
    }
  } else {
    for (k = 0; k < radix; ++k) {
      tml_rfft_stage(p, out + 2 * k * m, in + 2 * k * fstride, fstride * radix, stage + 1);
    }
  }
  if (radix == 2) {
    tml_rfft_bfly2(out, fstride, p->twiddles, m);
  } else {
    tml_rfft_bfly4(out, fstride, p->twiddles, m, p->inverse);
  }
}

TML_KERNEL void tml_signal_rfft_s16(const tml_signal_rfft_s16_params_t *p, const int16_t *input,
                                    int16_t *output, int16_t *scratch) {
  const int32_t n = p->fft_length, half = n / 2;
  int16_t *frame = scratch, *spec = scratch + n;
  int32_t f, i, k;
  for (f = 0; f < p->frames; ++f) {
    const int16_t *in = input + f * p->input_length;
    int16_t *out = output + f * (n + 2);
    int16_t dc[2];
    for (i = 0; i < p->input_length; ++i) frame[i] = in[i];
    for (; i < n; ++i) frame[i] = 0;
    tml_rfft_stage(p, spec, frame, 1, 0);
    /* Split the half-length complex FFT into the real FFT's bins. */
    dc[0] = spec[0];
    dc[1] = spec[1];
    tml_rfft_fixdiv(dc, 2);
    out[0] = (int16_t)(dc[0] + dc[1]);
    out[2 * half] = (int16_t)(dc[0] - dc[1]);
    out[1] = 0;
    out[2 * half + 1] = 0;
    for (k = 1; k <= half / 2; ++k) {
      int16_t fk[2], fnk[2], sum[2], diff[2], t[2];
      fk[0] = spec[2 * k];
      fk[1] = spec[2 * k + 1];
      fnk[0] = spec[2 * (half - k)];
      fnk[1] = (int16_t)(-spec[2 * (half - k) + 1]);
      tml_rfft_fixdiv(fk, 2);
      tml_rfft_fixdiv(fnk, 2);
      sum[0] = (int16_t)(fk[0] + fnk[0]);
      sum[1] = (int16_t)(fk[1] + fnk[1]);
      diff[0] = (int16_t)(fk[0] - fnk[0]);
      diff[1] = (int16_t)(fk[1] - fnk[1]);
      tml_rfft_cmul(t, diff, p->super_twiddles + 2 * (k - 1));
      out[2 * k] = (int16_t)((sum[0] + t[0]) >> 1);
      out[2 * k + 1] = (int16_t)((sum[1] + t[1]) >> 1);
      out[2 * (half - k)] = (int16_t)((sum[0] - t[0]) >> 1);
      out[2 * (half - k) + 1] = (int16_t)((t[1] - sum[1]) >> 1);
    }
  }
}

TML_KERNEL void tml_signal_irfft_s16(const tml_signal_rfft_s16_params_t *p, const int16_t *input,
                                     int16_t *output, int16_t *scratch) {
  const int32_t n = p->fft_length, half = n / 2;
  int32_t f, k;
  for (f = 0; f < p->frames; ++f) {
    const int16_t *in = input + f * (n + 2);
    int16_t *spec = scratch;
    /* Merge the real spectrum into the half-length complex one. */
    spec[0] = (int16_t)(in[0] + in[2 * half]);
    spec[1] = (int16_t)(in[0] - in[2 * half]);
    tml_rfft_fixdiv(spec, 2);
    for (k = 1; k <= half / 2; ++k) {
      int16_t fk[2], fnkc[2], even[2], diff[2], odd[2];
      fk[0] = in[2 * k];
      fk[1] = in[2 * k + 1];
      fnkc[0] = in[2 * (half - k)];
      fnkc[1] = (int16_t)(-in[2 * (half - k) + 1]);
      tml_rfft_fixdiv(fk, 2);
      tml_rfft_fixdiv(fnkc, 2);
      even[0] = (int16_t)(fk[0] + fnkc[0]);
      even[1] = (int16_t)(fk[1] + fnkc[1]);
      diff[0] = (int16_t)(fk[0] - fnkc[0]);
      diff[1] = (int16_t)(fk[1] - fnkc[1]);
      tml_rfft_cmul(odd, diff, p->super_twiddles + 2 * (k - 1));
      spec[2 * k] = (int16_t)(even[0] + odd[0]);
      spec[2 * k + 1] = (int16_t)(even[1] + odd[1]);
      spec[2 * (half - k)] = (int16_t)(even[0] - odd[0]);
      spec[2 * (half - k) + 1] = (int16_t)(-(int16_t)(even[1] - odd[1]));
    }
    tml_rfft_stage(p, output + f * n, spec, 1, 0);
  }
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_SIGNAL_RFFT_H */
