/*
 * float_io - the sine example fed with floats and read back as floats through the
 * helpers of `tinymlc compile --float-io`: no scale, zero point or rounding in the
 * application. Prints x, the model's y and sin(x) for x over [0, 2*pi]; exit status 1 if
 * the model is further than 0.06 from sin(x) anywhere (the model's own error is 0.04).
 *
 *   tinymlc compile examples/models/example_sine.tflite -o build/float_io --name sine --float-io
 *   gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I build/float_io \
 *       examples/float_io/main.c build/float_io/sine.c -o build/float_io/float_io -lm
 *   build/float_io/float_io
 *
 * Or with CMake: add_tinyml_model(sine_model MODEL example_sine.tflite NAME sine FLOAT_IO)
 * (CMakeLists.txt here).
 */
#include <math.h>
#include <stdio.h>

#include "sine.h"

#define NUM_STEPS 25
#define TWO_PI 6.28318530718f

int main(void) {
  float worst = 0.0f;
  int i;
  printf("%8s %9s %9s\n", "x", "model y", "sin(x)");
  for (i = 0; i < NUM_STEPS; ++i) {
    const float x = TWO_PI * (float)i / (float)(NUM_STEPS - 1);
    float y;
    if (sine_set_input_float(0, &x) != TINYML_OK || sine_invoke() != TINYML_OK ||
        sine_get_output_float(0, &y) != TINYML_OK) {
      printf("the model failed\n");
      return 2;
    }
    printf("%8.4f %9.4f %9.4f\n", (double)x, (double)y, sin((double)x));
    if (fabsf(y - sinf(x)) > worst) worst = fabsf(y - sinf(x));
  }
  printf("largest |y - sin(x)|: %.4f\n", (double)worst);
  return worst <= 0.06f ? 0 : 1;
}
