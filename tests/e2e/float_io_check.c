/*
 * float_io_check.c - checks the --float-io helpers of one generated model against the
 * reference formulas (the project's QUANTIZE/DEQUANTIZE kernels, which the golden tests
 * hold bit-exact with TFLM):
 *   quantize:   clamp((int32_t)roundf(value / scale) + zero_point, min, max), NaN -> 0
 *               before the zero point (tml_quantize_f32_value)
 *   dequantize: (float)((double)scale * (q - zero_point)) (TFLM's formula, in double)
 * for input 0 and output 0 (int8 or int16): ties k + 0.5 and their neighbours, random
 * floats of every magnitude, denormals, infinities, NaN, and every int8 value (a sweep of
 * the int16 range). Then the statuses: a bad index, NULL.
 *
 *   cc -std=c99 -O2 -I GENDIR -DMODEL_NAME=x '-DMODEL_HEADER="x.h"' GENDIR/x.c
 *      float_io_check.c -lm
 * Prints "float_io_check: N values, 0 mismatches" and exits 0, or 1 with the first ones.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include MODEL_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FN(suffix) CAT(MODEL_NAME, suffix)

static long g_checked = 0, g_bad = 0;

static int32_t reference_quantize(float value, const tinyml_tensor_info_t *info) {
  const int32_t lo = info->type == TINYML_INT8 ? -128 : -32768;
  const int32_t hi = info->type == TINYML_INT8 ? 127 : 32767;
  float r = roundf(value / info->scale);
  int32_t q;
  if (isnan(r)) r = 0.0f;
  if (r > 131072.0f) r = 131072.0f;
  if (r < -131072.0f) r = -131072.0f;
  q = (int32_t)r + info->zero_point;
  return q < lo ? lo : (q > hi ? hi : q);
}

static uint32_t rng = 2463534242u;
static uint32_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* Quantizes `n` values through NAME_set_input_float and compares every element. */
static void check_inputs(const float *values, size_t n) {
  const tinyml_tensor_info_t *info = FN(_input_info)(0);
  const size_t es = info->type == TINYML_INT8 ? 1 : 2;
  const size_t count = info->bytes / es;
  static float buf[65536];
  size_t done = 0, i;
  while (done < n) {
    const size_t chunk = n - done < count ? n - done : count;
    for (i = 0; i < count; ++i) buf[i] = i < chunk ? values[done + i] : 0.0f;
    if (FN(_set_input_float)(0, buf) != TINYML_OK) {
      printf("set_input_float failed\n");
      ++g_bad;
      return;
    }
    for (i = 0; i < chunk; ++i) {
      int32_t got;
      const int32_t want = reference_quantize(buf[i], info);
      if (es == 1) {
        got = ((const int8_t *)FN(_input)(0))[i];
      } else {
        got = ((const int16_t *)FN(_input)(0))[i];
      }
      ++g_checked;
      if (got != want && g_bad++ < 10) {
        uint32_t bits;
        memcpy(&bits, &buf[i], sizeof(bits));
        printf("quantize %.9g (bits %08lx): got %ld, want %ld\n", (double)buf[i],
               (unsigned long)bits, (long)got, (long)want);
      }
    }
    done += chunk;
  }
}

static void check_outputs(void) {
  const tinyml_tensor_info_t *info = FN(_output_info)(0);
  const size_t es = info->type == TINYML_INT8 ? 1 : 2;
  const size_t count = info->bytes / es;
  static float got[65536];
  int32_t q = info->type == TINYML_INT8 ? -128 : -32768;
  const int32_t hi = info->type == TINYML_INT8 ? 127 : 32767;
  const int32_t step = info->type == TINYML_INT8 ? 1 : 7;
  while (q <= hi) {
    size_t i;
    int32_t first = q;
    for (i = 0; i < count; ++i) {
      const int32_t v = q <= hi ? q : hi;
      if (es == 1) {
        ((int8_t *)FN(_output)(0))[i] = (int8_t)v;
      } else {
        ((int16_t *)FN(_output)(0))[i] = (int16_t)v;
      }
      q += step;
    }
    if (FN(_get_output_float)(0, got) != TINYML_OK) {
      printf("get_output_float failed\n");
      ++g_bad;
      return;
    }
    for (i = 0; i < count; ++i) {
      int32_t v = first + (int32_t)i * step;
      float want;
      if (v > hi) v = hi;
      want = (float)((double)info->scale * (double)(v - info->zero_point));
      ++g_checked;
      if (memcmp(&got[i], &want, sizeof(float)) != 0 && g_bad++ < 10) {
        printf("dequantize %ld: got %.9g, want %.9g\n", (long)v, (double)got[i], (double)want);
      }
    }
  }
}

int main(void) {
  static float values[200000];
  const tinyml_tensor_info_t *info = FN(_input_info)(0);
  size_t n = 0;
  long k;
  float f = 1.0f;
  if (info == NULL || (info->type != TINYML_INT8 && info->type != TINYML_INT16)) {
    printf("float_io_check: input 0 is not int8/int16\n");
    return 1;
  }
  /* Ties (k + 0.5) * scale and their float neighbours, over and beyond the range. */
  for (k = -70000; k <= 70000; k += (k > -300 && k < 300) ? 1 : 97) {
    const float t = ((float)k + 0.5f) * info->scale;
    values[n++] = t;
    values[n++] = nextafterf(t, INFINITY);
    values[n++] = nextafterf(t, -INFINITY);
  }
  /* Random bit patterns (every magnitude, NaNs, infinities, denormals). */
  for (k = 0; k < 40000; ++k) {
    uint32_t bits = next_random();
    float v;
    memcpy(&v, &bits, sizeof(v));
    values[n++] = v;
  }
  values[n++] = INFINITY;
  values[n++] = -INFINITY;
  values[n++] = NAN;
  values[n++] = 0.0f;
  values[n++] = -0.0f;
  values[n++] = 1e-45f;
  values[n++] = 131072.0f * info->scale;
  values[n++] = -131072.5f * info->scale;
  values[n++] = 2147483648.0f;
  values[n++] = -2147483648.0f;
  for (k = 0; k < 30; ++k, f *= 2.0f) {
    values[n++] = f * info->scale;
    values[n++] = -f * info->scale;
  }
  check_inputs(values, n);
  if (FN(_output_info)(0) != NULL) check_outputs();

  /* Statuses. */
  if (FN(_set_input_float)((size_t)1000, values) != TINYML_BAD_ARGUMENT ||
      FN(_set_input_float)(0, NULL) != TINYML_BAD_ARGUMENT ||
      FN(_get_output_float)(99, values) != TINYML_BAD_ARGUMENT) {
    printf("a bad index or NULL was not refused\n");
    ++g_bad;
  }
  printf("float_io_check: %ld values, %ld mismatches\n", g_checked, g_bad);
  return g_bad == 0 ? 0 : 1;
}
