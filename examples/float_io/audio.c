/*
 * audio - an audio model fed from float samples: the bundled tone detector
 * (examples/models/example_tone.tflite: 64 samples at 8 kHz in [-1, 1] -> a 3-bin DFT as
 * FULLY_CONNECTED -> ABS -> FULLY_CONNECTED -> SOFTMAX) names the tone in each frame: 500,
 * 1000 or 2000 Hz. The application has samples as floats in [-1, 1] (a PCM int16 sample
 * divided by 32768); `--float-io` quantizes them exactly as TFLM's QUANTIZE would. Exit
 * status 1 on any wrong answer.
 *
 *   tinymlc compile examples/models/example_tone.tflite -o build/audio --name tone --float-io
 *   gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I build/audio \
 *       examples/float_io/audio.c build/audio/tone.c -o build/audio/audio -lm
 *   build/audio/audio
 *
 * Or with CMake: add_tinyml_model(tone_model MODEL example_tone.tflite NAME tone FLOAT_IO)
 * (CMakeLists.txt here).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "tone.h"

#define SAMPLES 64
#define RATE_HZ 8000.0
#define TWO_PI 6.283185307179586

static uint32_t rng_state = 777u;

/* Uniform in [0, 1). */
static double uniform(void) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return (double)(rng_state >> 8) / 16777216.0;
}

int main(void) {
  static const int tones_hz[3] = {500, 1000, 2000};
  float samples[SAMPLES];
  float probs[3];
  int frame, wrong = 0;
  const int frames = 24;
  printf("%5s %9s %9s   %7s %7s %7s   %s\n", "frame", "tone (Hz)", "amplitude", "p(500)",
         "p(1000)", "p(2000)", "answer");
  for (frame = 0; frame < frames; ++frame) {
    const int tone = frame % 3;
    const double amplitude = 0.2 + 0.7 * uniform();
    const double phase = TWO_PI * uniform();
    int n, answer = 0, k;
    for (n = 0; n < SAMPLES; ++n) {
      const double t = n / RATE_HZ;
      const double noise = (uniform() - 0.5) * 0.1;
      samples[n] = (float)(amplitude * sin(TWO_PI * tones_hz[tone] * t + phase) + noise);
    }
    if (tone_set_input_float(0, samples) != TINYML_OK || tone_invoke() != TINYML_OK ||
        tone_get_output_float(0, probs) != TINYML_OK) {
      printf("the model failed\n");
      return 2;
    }
    for (k = 1; k < 3; ++k) {
      if (probs[k] > probs[answer]) answer = k;
    }
    printf("%5d %9d %9.2f   %7.3f %7.3f %7.3f   %d Hz%s\n", frame, tones_hz[tone], amplitude,
           (double)probs[0], (double)probs[1], (double)probs[2], tones_hz[answer],
           answer == tone ? "" : "  <- wrong");
    wrong += answer != tone;
  }
  printf("%d of %d frames right\n", frames - wrong, frames);
  return wrong == 0 ? 0 : 1;
}
