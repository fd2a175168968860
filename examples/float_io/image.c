/*
 * image - an image model fed from float pixels: the bundled stripes classifier
 * (examples/models/example_stripes.tflite: 16x16 grey image with pixels in [0, 1] ->
 * Sobel CONV_2D -> AVERAGE_POOL_2D -> FULLY_CONNECTED -> SOFTMAX) told whether an image
 * has vertical or horizontal stripes. The application has pixels as floats in [0, 1], as a
 * camera pipeline normalizes them; `--float-io` quantizes them with the model's own scale
 * and zero point, so the application never sees either. Exit status 1 on any wrong answer.
 *
 *   tinymlc compile examples/models/example_stripes.tflite -o build/image --name stripes --float-io
 *   gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I build/image \
 *       examples/float_io/image.c build/image/stripes.c -o build/image/image
 *   build/image/image
 *
 * Or with CMake: add_tinyml_model(stripes_model MODEL example_stripes.tflite NAME stripes
 * FLOAT_IO) (CMakeLists.txt here).
 */
#include <stdint.h>
#include <stdio.h>

#include "stripes.h"

#define SIZE 16

static uint32_t rng_state = 12345u;

/* Uniform in [-0.1, 0.1): sensor noise. */
static float noise(void) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return ((float)(rng_state >> 8) / 16777216.0f - 0.5f) * 0.2f;
}

/* Stripes of the given period (4 pixels or more: a 3x3 Sobel filter cannot see period-2
 * stripes, whose pixels have equal neighbours) and phase, dark 0.2 and light 0.8, plus noise. */
static void make_image(int vertical, int period, int phase, float *pixels) {
  int x, y;
  for (y = 0; y < SIZE; ++y) {
    for (x = 0; x < SIZE; ++x) {
      const int along = vertical ? x : y;
      float v = ((along + phase) / (period / 2)) % 2 == 0 ? 0.2f : 0.8f;
      v += noise();
      pixels[y * SIZE + x] = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
    }
  }
}

int main(void) {
  static const char *const names[2] = {"vertical", "horizontal"};
  float pixels[SIZE * SIZE];
  float probs[2];
  int vertical, period, phase, wrong = 0, total = 0;
  printf("%-10s %6s %5s   %8s %10s   %s\n", "stripes", "period", "phase", "p(vert)", "p(horiz)",
         "answer");
  for (vertical = 1; vertical >= 0; --vertical) {
    for (period = 4; period <= 8; period += 2) {
      for (phase = 0; phase < period; phase += 2) {
        const int expected = vertical ? 0 : 1;
        int answer;
        make_image(vertical, period, phase, pixels);
        if (stripes_set_input_float(0, pixels) != TINYML_OK || stripes_invoke() != TINYML_OK ||
            stripes_get_output_float(0, probs) != TINYML_OK) {
          printf("the model failed\n");
          return 2;
        }
        answer = probs[1] > probs[0] ? 1 : 0;
        printf("%-10s %6d %5d   %8.3f %10.3f   %s%s\n", names[expected], period, phase,
               (double)probs[0], (double)probs[1], names[answer],
               answer == expected ? "" : "  <- wrong");
        wrong += answer != expected;
        ++total;
      }
    }
  }
  printf("%d of %d images right\n", total - wrong, total);
  return wrong == 0 ? 0 : 1;
}
