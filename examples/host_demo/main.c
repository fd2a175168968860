/*
 * host_demo - runs a tinymlc-generated model on the host and prints what goes in and
 * out, quantized and dequantized (real = scale * (q - zero_point)).
 *
 * Written for the sine example (scripts/quickstart.sh):
 *   tinymlc compile examples/models/example_sine.tflite -o build/example --name sine
 *   gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I build/example \
 *       examples/host_demo/main.c build/example/sine.c -o build/example/host_demo -lm
 * Any other model compiled with --name sine runs too: each step sets every input
 * element to x, for x sweeping [0, 2*pi).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sine.h"

#define NUM_STEPS 8
#define PI 3.14159265358979f

static const char *type_name(tinyml_type_t t) {
  switch (t) {
    case TINYML_FLOAT32: return "float32";
    case TINYML_INT8: return "int8";
    case TINYML_INT16: return "int16";
    case TINYML_INT32: return "int32";
    case TINYML_UINT8: return "uint8";
    case TINYML_INT64: return "int64";
    case TINYML_BOOL: return "bool";
    case TINYML_UINT32: return "uint32";
    case TINYML_UINT64: return "uint64";
  }
  return "?";
}

static size_t element_size(tinyml_type_t t) {
  switch (t) {
    case TINYML_INT8: case TINYML_UINT8: case TINYML_BOOL: return 1;
    case TINYML_INT16: return 2;
    case TINYML_INT64: case TINYML_UINT64: return 8;
    default: return 4;
  }
}

/* Stores `real` into element i, quantizing it if the tensor is int8. */
static void store(const tinyml_tensor_info_t *info, void *buf, size_t i, float real) {
  if (info->type == TINYML_FLOAT32) {
    ((float *)buf)[i] = real;
  } else if (info->type == TINYML_INT8) {
    long q = lroundf(real / info->scale) + info->zero_point;
    ((int8_t *)buf)[i] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
  }
}

/* Prints element i as stored, and as a real number. */
static void print_element(const tinyml_tensor_info_t *info, const void *buf, size_t i) {
  if (info->type == TINYML_FLOAT32) {
    printf("%10.5f", (double)((const float *)buf)[i]);
  } else if (info->type == TINYML_INT8) {
    int q = ((const int8_t *)buf)[i];
    printf("q=%4d -> %9.5f", q, (double)(info->scale * (float)(q - info->zero_point)));
  } else {
    printf("(%s)", type_name(info->type));
  }
}

static void describe(const char *kind, size_t index, const tinyml_tensor_info_t *info) {
  int32_t d;
  printf("%s %lu '%s': %s [", kind, (unsigned long)index, info->name, type_name(info->type));
  for (d = 0; d < info->rank; ++d) printf(d ? ",%ld" : "%ld", (long)info->dims[d]);
  printf("], scale %g, zero point %ld\n", (double)info->scale, (long)info->zero_point);
}

int main(void) {
  size_t i, j, e;
  int step;
  printf("arena: %lu bytes\n", (unsigned long)SINE_ARENA_SIZE);
  for (i = 0; i < SINE_NUM_INPUTS; ++i) describe("input ", i, sine_input_info(i));
  for (j = 0; j < SINE_NUM_OUTPUTS; ++j) describe("output", j, sine_output_info(j));
  printf("\n%9s  %-19s  %-19s  %9s\n", "x", "input[0]", "output[0]", "sin(x)");

  for (step = 0; step < NUM_STEPS; ++step) {
    const float x = 2.0f * PI * (float)step / (float)NUM_STEPS;
    tinyml_status_t status;
    for (i = 0; i < SINE_NUM_INPUTS; ++i) {
      const tinyml_tensor_info_t *info = sine_input_info(i);
      for (e = 0; e < info->bytes / element_size(info->type); ++e) store(info, sine_input(i), e, x);
    }
    status = sine_invoke();
    if (status != TINYML_OK) {
      fprintf(stderr, "invoke failed: status %d\n", (int)status);
      return 1;
    }
    printf("%9.5f  ", (double)x);
    print_element(sine_input_info(0), sine_input(0), 0);
    printf("  ");
    print_element(sine_output_info(0), sine_output(0), 0);
    printf("  %9.5f\n", (double)sinf(x));
  }
  return 0;
}
