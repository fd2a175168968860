// Models of TFLM's signal library ops (custom ops with flexbuffer options), written with
// the model builder: each op alone over several parameter sets, and the micro_speech-style
// audio front end chained (window -> FFT auto scale -> RFFT -> energy -> filter bank ->
// square root -> spectral subtraction -> PCAN -> log). tests/oracle/signal_test.py runs
// them through tinymlc and TFLM's Python interpreter; examples/audio_frontend uses the
// front end.
#pragma once

#include <string>
#include <vector>

#include "model_builder.h"

namespace tinymlc::testing {

struct NamedModel {
  std::string name;
  ModelSpec spec;
};

// The front end: int16 [frame_length] audio in, int16 [channels] log-mel features out.
struct FrontEndConfig {
  int frame_length = 480;  // 30 ms at 16 kHz
  int fft_length = 512;
  int channels = 40;
  int sample_rate = 16000;
  float lower_hz = 125.0f, upper_hz = 7500.0f;
};
ModelSpec AudioFrontEnd(const FrontEndConfig& c);

// Every single-op model and a few front ends.
std::vector<NamedModel> SignalModels();

}  // namespace tinymlc::testing
