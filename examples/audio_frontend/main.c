/* main.c - raw 16-bit audio -> audio front end -> speech model -> a label, on a
 * Cortex-M (QEMU mps2-an386) or the host.
 *
 * Two tinymlc-generated models: frontend (TFLM signal library ops: window, FFT auto
 * scale, RFFT, energy, mel filter bank, square root, spectral subtraction, PCAN, log;
 * one 256-sample frame -> 16 int16 features per invoke, with state across frames) and
 * speech (a converter-made int8 CNN over 32 frames x 16 features -> 4 scores). The audio
 * is synthesized here with integer arithmetic only (audio.py makes the same samples): a
 * tone from a fixed-point oscillator plus pseudo-random noise, per clips.h.
 *
 * Prints, per clip: a checksum of its 32 x 16 features, the 4 int8 scores and the label;
 * tests/audio_frontend compares the lines with TFLM's (expected.txt, make_models.py). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "clips.h"
#include "frontend.h"
#include "speech.h"
#include "tinymlc_board.h"

#define FRAME 256
#define FRAMES 32
#define CHANNELS 16

static const char *const kLabels[4] = {"noise", "low", "mid", "high"};

/* One output line, built without printf. */
static char line[160];
static size_t line_len;

static void put_str(const char *s) {
  while (*s && line_len < sizeof line - 2) line[line_len++] = *s++;
}

static void put_int(int64_t v) {
  char digits[24];
  int n = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  if (v < 0) put_str("-");
  do {
    digits[n++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u);
  while (n > 0 && line_len < sizeof line - 2) line[line_len++] = digits[--n];
}

static void end_line(void) {
  line[line_len++] = '\n';
  tinymlc_board_write(line, line_len);
  line_len = 0;
}

/* The clip's synthesizer (audio.py's synthesize()). */
typedef struct {
  int32_t c, y_prev, y, noise_amp;
  uint32_t state;
} synth_t;

static int16_t next_sample(synth_t *s) {
  int32_t noise, v, y_next;
  s->state = s->state * 1664525u + 1013904223u;
  noise = (((int32_t)(s->state >> 16) - 32768) * s->noise_amp) >> 15;
  v = s->y + noise;
  y_next = ((s->c * s->y) >> 14) - s->y_prev;
  s->y_prev = s->y;
  s->y = y_next;
  return (int16_t)(v < -32768 ? -32768 : (v > 32767 ? 32767 : v));
}

int main(void) {
  int16_t *audio = (int16_t *)frontend_input(0);
  const int16_t *features = (const int16_t *)frontend_output(0);
  int8_t *speech_in = (int8_t *)speech_input(0);
  const int8_t *scores = (const int8_t *)speech_output(0);
  const tinyml_tensor_info_t *in_info = speech_input_info(0);
  /* features / FEATURE_DIV are the speech model's real inputs: quantize them. */
  const double step = FEATURE_DIV * (double)in_info->scale;
  int errors = 0, k;
  for (k = 0; k < AUDIO_CLIPS; ++k) {
    synth_t s;
    int64_t checksum = 0;
    int f, i, best = 0;
    s.c = audio_clips[k][1];
    s.y_prev = 0;
    s.y = audio_clips[k][2];
    s.noise_amp = audio_clips[k][3];
    s.state = (uint32_t)audio_clips[k][4];
    frontend_reset(); /* a new stream: the noise estimates start over */
    for (f = 0; f < FRAMES; ++f) {
      for (i = 0; i < FRAME; ++i) audio[i] = next_sample(&s);
      if (frontend_invoke() != TINYML_OK) ++errors;
      for (i = 0; i < CHANNELS; ++i) {
        const int idx = f * CHANNELS + i;
        const double q = floor((double)features[i] / step + 0.5) + in_info->zero_point;
        checksum += (int64_t)features[i] * (idx % 251 + 1);
        speech_in[idx] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
      }
    }
    if (speech_invoke() != TINYML_OK) ++errors;
    for (i = 1; i < 4; ++i) {
      if (scores[i] > scores[best]) best = i;
    }
    put_str("clip ");
    put_int(k);
    put_str(" features ");
    put_int(checksum);
    put_str(" scores");
    for (i = 0; i < 4; ++i) {
      put_str(" ");
      put_int(scores[i]);
    }
    put_str(" label ");
    put_str(kLabels[best]);
    end_line();
  }
  put_str("done errors=");
  put_int(errors);
  end_line();
  tinymlc_board_exit(errors ? 1 : 0);
  return 0;
}
