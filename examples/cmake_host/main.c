/*
 * sine_demo - the bundled sine model (examples/models/example_sine.tflite, y ~ sin(x) for
 * x in [0, 2*pi]) through the API that tinymlc generates: quantize x with the input's
 * scale and zero point, invoke, dequantize y. Prints a table and the largest error, and
 * fails if the model is off by more than 0.1 anywhere.
 */
#include <math.h>
#include <stdio.h>

#include "sine.h"

#define STEPS 16
#define TWO_PI 6.28318530718f

static int8_t quantize(const tinyml_tensor_info_t *info, float real) {
  long q = lroundf(real / info->scale) + info->zero_point;
  return (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
}

static float dequantize(const tinyml_tensor_info_t *info, int8_t q) {
  return info->scale * (float)(q - info->zero_point);
}

int main(void) {
  const tinyml_tensor_info_t *in = sine_input_info(0);
  const tinyml_tensor_info_t *out = sine_output_info(0);
  float max_error = 0.0f;
  int step;

  printf("model sine: arena %u bytes; input '%s' scale %g zero point %d; output '%s' scale %g zero point %d\n",
         (unsigned)SINE_ARENA_SIZE, in->name, (double)in->scale, (int)in->zero_point, out->name,
         (double)out->scale, (int)out->zero_point);
  printf("%8s %8s %8s %8s\n", "x", "model", "sin(x)", "error");
  for (step = 0; step <= STEPS; ++step) {
    const float x = TWO_PI * (float)step / (float)STEPS;
    float y, error;
    *(int8_t *)sine_input(0) = quantize(in, x);
    if (sine_invoke() != TINYML_OK) {
      fprintf(stderr, "sine_invoke failed\n");
      return 1;
    }
    y = dequantize(out, *(const int8_t *)sine_output(0));
    error = fabsf(y - sinf(x));
    if (error > max_error) max_error = error;
    printf("%8.4f %8.4f %8.4f %8.4f\n", (double)x, (double)y, (double)sinf(x), (double)error);
  }
  printf("max error %.4f\n", (double)max_error);
  return max_error <= 0.1f ? 0 : 1;
}
