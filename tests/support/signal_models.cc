#include "signal_models.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tinymlc::testing {
namespace {

TensorSpec Plain(const std::string& name, DT dtype, std::vector<int32_t> shape) {
  TensorSpec t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  return t;
}

TensorSpec ConstInt16(const std::string& name, const std::vector<int16_t>& v) {
  TensorSpec t = Plain(name, DT::kInt16, {static_cast<int32_t>(v.size())});
  t.data = PackInt16(v);
  return t;
}

std::vector<int16_t> RandomInt16(size_t n, Rng& rng, int lo = -32768, int hi = 32767) {
  std::vector<int16_t> v(n);
  for (auto& x : v) x = static_cast<int16_t>(rng.Int(lo, hi));
  return v;
}

// A Hann window in Q14 (the front end's 'shift' 14 brings the product back to int16).
std::vector<int16_t> HannQ14(int n) {
  std::vector<int16_t> w(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double v = 0.5 - 0.5 * std::cos(2.0 * 3.14159265358979323846 * (i + 0.5) / n);
    w[static_cast<size_t>(i)] = static_cast<int16_t>(std::lround(v * 16384.0));
  }
  return w;
}

// Triangular mel filters over `bins` spectrum bins, in TFLM's layout: channel i
// (0..channels) covers bins [fstart[i], fstart[i] + width[i]) with weights (Q12) rising
// towards its center; unweights = 4096 - weights feed channel i + 1. Channel 0 is the
// scratch channel below the first band.
struct MelTables {
  std::vector<int16_t> weights, unweights, fstart, wstart, width;
};
MelTables Mel(int bins, int channels, int fft_length, int rate, float lo, float hi) {
  auto mel = [](double f) { return 1127.0 * std::log(1.0 + f / 700.0); };
  const double mlo = mel(lo), mhi = mel(hi);
  // Band edges: channels + 1 center frequencies in mel, as bins.
  std::vector<int> edge(static_cast<size_t>(channels) + 2);
  for (int i = 0; i <= channels + 1; ++i) {
    const double m = mlo + (mhi - mlo) * i / (channels + 1);
    const double f = 700.0 * (std::exp(m / 1127.0) - 1.0);
    edge[static_cast<size_t>(i)] = std::min(bins - 1, static_cast<int>(f * fft_length / rate + 0.5));
  }
  MelTables t;
  for (int i = 0; i <= channels; ++i) {
    const int a = edge[static_cast<size_t>(i)], b = std::max(a + 1, edge[static_cast<size_t>(i) + 1]);
    t.fstart.push_back(static_cast<int16_t>(a));
    t.wstart.push_back(static_cast<int16_t>(t.weights.size()));
    t.width.push_back(static_cast<int16_t>(std::min(b, bins) - a));
    for (int k = a; k < std::min(b, bins); ++k) {
      const int w = static_cast<int>(4096.0 * (k - a + 1) / (b - a + 1));
      t.weights.push_back(static_cast<int16_t>(w));
      t.unweights.push_back(static_cast<int16_t>(4096 - w));
    }
  }
  return t;
}

// The PCAN gain table: gain(x) = 2^gain_bits * (x / 2^input_bits + offset)^-strength at
// the points TFLM's WideDynamicFunction interpolates (x <= 2, then per bit: the start,
// the middle and the end of the bit's range, as a quadratic's coefficients).
std::vector<int16_t> PcanLut(int input_bits, float strength = 0.95f, float offset = 80.0f,
                             int gain_bits = 21) {
  auto gain = [&](uint32_t x) -> int16_t {
    const double g = std::ldexp(1.0, gain_bits) *
                     std::pow(static_cast<double>(x) / std::ldexp(1.0, input_bits) + offset, -strength);
    return static_cast<int16_t>(g > 32767 ? 32767 : g + 0.5);
  };
  std::vector<int16_t> lut(125, 0);
  lut[0] = gain(0);
  lut[1] = gain(1);
  lut[2] = gain(2);
  for (int bits = 2; bits <= 32; ++bits) {
    const uint32_t x0 = uint32_t{1} << (bits - 1);
    const uint32_t x1 = x0 + (x0 >> 1);
    const uint32_t x2 = bits == 32 ? x0 + (x0 - 1) : 2 * x0;
    const int32_t y0 = gain(x0), y1 = gain(x1), y2 = gain(x2);
    const int32_t a1 = 4 * (y1 - y0) - (y2 - y0);
    const int32_t a2 = (y2 - y0) - a1;
    const size_t k = static_cast<size_t>(4 * bits - 6);
    if (k + 2 < lut.size()) {
      lut[k] = static_cast<int16_t>(y0);
      lut[k + 1] = static_cast<int16_t>(a1);
      lut[k + 2] = static_cast<int16_t>(a2);
    }
  }
  return lut;
}

struct SpectralSubtraction {
  int smoothing = 655, one_minus_smoothing = 15729, alternate_smoothing = 655,
      alternate_one_minus_smoothing = 15729, min_signal_remaining = 819, smoothing_bits = 10,
      spectral_subtraction_bits = 14;
  bool clamping = false;
};

std::vector<uint8_t> SpectralOptions(int channels, const SpectralSubtraction& s) {
  return FlexMapBuilder()
      .Int("num_channels", channels).Int("smoothing", s.smoothing)
      .Int("one_minus_smoothing", s.one_minus_smoothing).Int("alternate_smoothing", s.alternate_smoothing)
      .Int("alternate_one_minus_smoothing", s.alternate_one_minus_smoothing)
      .Int("smoothing_bits", s.smoothing_bits).Int("min_signal_remaining", s.min_signal_remaining)
      .Bool("clamping", s.clamping).Int("spectral_subtraction_bits", s.spectral_subtraction_bits)
      .Finish();
}

ModelSpec Window(int frames, int size, int shift, uint64_t seed) {
  Rng rng(seed);
  ModelSpec m;
  const int in = m.AddTensor(Plain("audio", DT::kInt16, {frames, size}));
  const int w = m.AddTensor(ConstInt16("window", RandomInt16(static_cast<size_t>(size), rng)));
  const int out = m.AddTensor(Plain("windowed", DT::kInt16, {frames, size}));
  m.AddCustomOp("SignalWindow", {in, w}, {out}, FlexMapBuilder().Int("shift", shift).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec FftAutoScale(int n) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("frame", DT::kInt16, {n}));
  const int out = m.AddTensor(Plain("scaled", DT::kInt16, {n}));
  const int bits = m.AddTensor(Plain("scale_bits", DT::kInt32, {}));
  m.AddCustomOp("SignalFftAutoScale", {in}, {out, bits}, {});
  m.inputs = {in};
  m.outputs = {out, bits};
  return m;
}

ModelSpec Rfft(int frames, int input_length, int fft_length, DT dt = DT::kInt16) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("frame", dt, {frames, input_length}));
  const int out = m.AddTensor(Plain("spectrum", dt, {frames, fft_length + 2}));
  m.AddCustomOp("SignalRfft", {in}, {out},
                FlexMapBuilder().Int("T", dt == DT::kInt32 ? 2 : (dt == DT::kFloat32 ? 0 : 7)).Int("fft_length", fft_length).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec Irfft(int frames, int fft_length, DT dt = DT::kInt16) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("spectrum", dt, {frames, fft_length + 2}));
  const int out = m.AddTensor(Plain("signal", dt, {frames, fft_length}));
  m.AddCustomOp("SignalIrfft", {in}, {out},
                FlexMapBuilder().Int("T", dt == DT::kInt32 ? 2 : (dt == DT::kFloat32 ? 0 : 7)).Int("fft_length", fft_length).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec Energy(int bins, int start, int end) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("spectrum", DT::kInt16, {2 * bins}));
  const int out = m.AddTensor(Plain("energy", DT::kUInt32, {bins}));
  m.AddCustomOp("SignalEnergy", {in}, {out},
                FlexMapBuilder().Int("start_index", start).Int("end_index", end).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec FilterBank(int bins, int channels, int out_channels, uint64_t seed) {
  Rng rng(seed);
  MelTables t = Mel(bins, channels, 2 * (bins - 1), 16000, 100.0f, 7000.0f);
  // Random weights (either sign) over the same layout, to reach the wrapping sums.
  for (size_t i = 0; i < t.weights.size(); ++i) {
    t.weights[i] = static_cast<int16_t>(rng.Int(-32768, 32767));
    t.unweights[i] = static_cast<int16_t>(rng.Int(-32768, 32767));
  }
  ModelSpec m;
  const int in = m.AddTensor(Plain("energy", DT::kUInt32, {bins}));
  const int w = m.AddTensor(ConstInt16("weights", t.weights));
  const int u = m.AddTensor(ConstInt16("unweights", t.unweights));
  const int fs = m.AddTensor(ConstInt16("channel_frequency_starts", t.fstart));
  const int ws = m.AddTensor(ConstInt16("channel_weight_starts", t.wstart));
  const int wd = m.AddTensor(ConstInt16("channel_widths", t.width));
  const int out = m.AddTensor(Plain("mel", DT::kUInt64, {out_channels}));
  m.AddCustomOp("SignalFilterBank", {in, w, u, fs, ws, wd}, {out},
                FlexMapBuilder().Int("num_channels", channels).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec SquareRoot(int channels, int scale_bits) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("mel", DT::kUInt64, {channels}));
  TensorSpec bits = Plain("scale_bits", DT::kInt32, {});
  bits.data = PackInt32({scale_bits});
  const int b = m.AddTensor(bits);
  const int out = m.AddTensor(Plain("root", DT::kUInt32, {channels}));
  m.AddCustomOp("SignalFilterBankSquareRoot", {in, b}, {out}, {});
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec Spectral(int channels, const SpectralSubtraction& s) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("root", DT::kUInt32, {channels}));
  const int out = m.AddTensor(Plain("subtracted", DT::kUInt32, {channels}));
  const int noise = m.AddTensor(Plain("noise_estimate", DT::kUInt32, {channels}));
  m.AddCustomOp("SignalFilterBankSpectralSubtraction", {in}, {out, noise}, SpectralOptions(channels, s));
  m.inputs = {in};
  m.outputs = {out, noise};
  return m;
}

ModelSpec Log(int channels, int correction_bits, int output_scale) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("pcan", DT::kUInt32, {channels}));
  const int out = m.AddTensor(Plain("log_mel", DT::kInt16, {channels}));
  m.AddCustomOp("SignalFilterBankLog", {in}, {out},
                FlexMapBuilder().Int("output_scale", output_scale)
                    .Int("input_correction_bits", correction_bits).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec Pcan(int channels, int snr_shift, bool random_lut, uint64_t seed) {
  Rng rng(seed);
  ModelSpec m;
  const int in = m.AddTensor(Plain("subtracted", DT::kUInt32, {channels}));
  const int noise = m.AddTensor(Plain("noise_estimate", DT::kUInt32, {channels}));
  const int lut = m.AddTensor(ConstInt16("gain_lut", random_lut ? RandomInt16(125, rng) : PcanLut(10)));
  const int out = m.AddTensor(Plain("pcan", DT::kUInt32, {channels}));
  m.AddCustomOp("SignalPCAN", {in, noise, lut}, {out}, FlexMapBuilder().Int("snr_shift", snr_shift).Finish());
  m.inputs = {in, noise};
  m.outputs = {out};
  return m;
}

ModelSpec Delay(std::vector<int32_t> shape, int delay) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("x", DT::kInt16, shape));
  const int out = m.AddTensor(Plain("delayed", DT::kInt16, shape));
  m.AddCustomOp("SignalDelay", {in}, {out}, FlexMapBuilder().Int("delay_length", delay).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSpec Framer(std::vector<int32_t> shape, int size, int step, bool prefill) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("x", DT::kInt16, shape));
  std::vector<int32_t> oshape(shape.begin(), shape.end() - 1);
  oshape.push_back(shape.back() / step);
  oshape.push_back(size);
  const int out = m.AddTensor(Plain("frames", DT::kInt16, oshape));
  const int valid = m.AddTensor(Plain("valid", DT::kBool, {}));
  m.AddCustomOp("SignalFramer", {in}, {out, valid},
                FlexMapBuilder().Int("frame_size", size).Int("frame_step", step).Bool("prefill", prefill).Finish());
  m.inputs = {in};
  m.outputs = {out, valid};
  return m;
}

ModelSpec Stacker(int channels, int left, int right, int step) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("frame", DT::kInt16, {channels}));
  const int out = m.AddTensor(Plain("stacked", DT::kInt16, {channels * (left + right + 1)}));
  const int valid = m.AddTensor(Plain("valid", DT::kBool, {}));
  m.AddCustomOp("SignalStacker", {in}, {out, valid},
                FlexMapBuilder().Int("num_channels", channels).Int("stacker_left_context", left)
                    .Int("stacker_right_context", right).Int("stacker_step", step).Finish());
  m.inputs = {in};
  m.outputs = {out, valid};
  return m;
}

ModelSpec OverlapAdd(DT dtype, std::vector<int32_t> shape, int step) {
  ModelSpec m;
  const int in = m.AddTensor(Plain("frames", dtype, shape));
  std::vector<int32_t> oshape(shape.begin(), shape.end() - 2);
  oshape.push_back(shape[shape.size() - 2] * step);
  const int out = m.AddTensor(Plain("signal", dtype, oshape));
  m.AddCustomOp("SignalOverlapAdd", {in}, {out},
                FlexMapBuilder().Int("T", dtype == DT::kInt16 ? 7 : 0).Int("frame_step", step).Finish());
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

}  // namespace

ModelSpec AudioFrontEnd(const FrontEndConfig& c) {
  const int bins = c.fft_length / 2 + 1;
  const MelTables t = Mel(bins, c.channels, c.fft_length, c.sample_rate, c.lower_hz, c.upper_hz);
  ModelSpec m;
  m.description = "tinymlc audio front end (TFLM signal library ops)";
  const int audio = m.AddTensor(Plain("audio", DT::kInt16, {c.frame_length}));
  const int window = m.AddTensor(ConstInt16("window", HannQ14(c.frame_length)));
  const int windowed = m.AddTensor(Plain("windowed", DT::kInt16, {c.frame_length}));
  m.AddCustomOp("SignalWindow", {audio, window}, {windowed}, FlexMapBuilder().Int("shift", 14).Finish());
  const int scaled = m.AddTensor(Plain("scaled", DT::kInt16, {c.frame_length}));
  const int scale_bits = m.AddTensor(Plain("scale_bits", DT::kInt32, {}));
  m.AddCustomOp("SignalFftAutoScale", {windowed}, {scaled, scale_bits}, {});
  const int spectrum = m.AddTensor(Plain("spectrum", DT::kInt16, {c.fft_length + 2}));
  m.AddCustomOp("SignalRfft", {scaled}, {spectrum},
                FlexMapBuilder().Int("T", 7).Int("fft_length", c.fft_length).Finish());
  const int energy = m.AddTensor(Plain("energy", DT::kUInt32, {bins}));
  m.AddCustomOp("SignalEnergy", {spectrum}, {energy},
                FlexMapBuilder().Int("start_index", 0).Int("end_index", bins).Finish());
  const int w = m.AddTensor(ConstInt16("weights", t.weights));
  const int u = m.AddTensor(ConstInt16("unweights", t.unweights));
  const int fs = m.AddTensor(ConstInt16("channel_frequency_starts", t.fstart));
  const int ws = m.AddTensor(ConstInt16("channel_weight_starts", t.wstart));
  const int wd = m.AddTensor(ConstInt16("channel_widths", t.width));
  const int mel = m.AddTensor(Plain("mel", DT::kUInt64, {c.channels}));
  m.AddCustomOp("SignalFilterBank", {energy, w, u, fs, ws, wd}, {mel},
                FlexMapBuilder().Int("num_channels", c.channels).Finish());
  const int root = m.AddTensor(Plain("mel_root", DT::kUInt32, {c.channels}));
  m.AddCustomOp("SignalFilterBankSquareRoot", {mel, scale_bits}, {root}, {});
  const int sub = m.AddTensor(Plain("subtracted", DT::kUInt32, {c.channels}));
  const int noise = m.AddTensor(Plain("noise_estimate", DT::kUInt32, {c.channels}));
  SpectralSubtraction s;
  s.clamping = false;
  m.AddCustomOp("SignalFilterBankSpectralSubtraction", {root}, {sub, noise}, SpectralOptions(c.channels, s));
  const int lut = m.AddTensor(ConstInt16("gain_lut", PcanLut(s.smoothing_bits)));
  const int pcan = m.AddTensor(Plain("pcan", DT::kUInt32, {c.channels}));
  m.AddCustomOp("SignalPCAN", {sub, noise, lut}, {pcan}, FlexMapBuilder().Int("snr_shift", 6).Finish());
  const int features = m.AddTensor(Plain("features", DT::kInt16, {c.channels}));
  m.AddCustomOp("SignalFilterBankLog", {pcan}, {features},
                FlexMapBuilder().Int("output_scale", 1600).Int("input_correction_bits", 3).Finish());
  m.inputs = {audio};
  m.outputs = {features};
  return m;
}

std::vector<NamedModel> SignalModels() {
  std::vector<NamedModel> v;
  v.push_back({"window_1x40_s12", Window(1, 40, 12, 1)});
  v.push_back({"window_3x64_s8", Window(3, 64, 8, 2)});
  v.push_back({"window_2x480_s15", Window(2, 480, 15, 3)});
  for (int n : {16, 257, 480}) v.push_back({"fft_auto_scale_" + std::to_string(n), FftAutoScale(n)});
  for (int fft : {4, 8, 16, 32, 64, 128, 256, 512, 1024}) {
    v.push_back({"rfft_" + std::to_string(fft), Rfft(2, fft, fft)});
    v.push_back({"rfft_" + std::to_string(fft) + "_padded", Rfft(1, fft * 3 / 4, fft)});
  }
  for (int fft : {4, 8, 16, 32, 64, 128, 256, 512}) {
    v.push_back({"irfft_" + std::to_string(fft), Irfft(2, fft)});
  }
  for (int fft : {4, 16, 64, 256, 1024}) {
    v.push_back({"rfft_s32_" + std::to_string(fft), Rfft(2, fft, fft, DT::kInt32)});
    v.push_back({"irfft_s32_" + std::to_string(fft), Irfft(2, fft, DT::kInt32)});
  }
  v.push_back({"rfft_s32_128_padded", Rfft(1, 100, 128, DT::kInt32)});
  for (int fft : {4, 32, 256, 1024}) {
    v.push_back({"rfft_f32_" + std::to_string(fft), Rfft(2, fft, fft, DT::kFloat32)});
    v.push_back({"irfft_f32_" + std::to_string(fft), Irfft(2, fft, DT::kFloat32)});
  }
  v.push_back({"energy_257_all", Energy(257, 0, 257)});
  v.push_back({"energy_33_all", Energy(33, 0, 33)});
  v.push_back({"filter_bank_257x40", FilterBank(257, 40, 40, 5)});
  v.push_back({"filter_bank_33x8_out6", FilterBank(33, 8, 6, 6)});
  v.push_back({"square_root_40_s0", SquareRoot(40, 0)});
  v.push_back({"square_root_32_s7", SquareRoot(32, 7)});
  SpectralSubtraction s;
  v.push_back({"spectral_subtraction_40", Spectral(40, s)});
  s.clamping = true;
  s.alternate_smoothing = 1000;
  s.alternate_one_minus_smoothing = 15384;
  s.smoothing_bits = 4;
  v.push_back({"spectral_subtraction_17_clamp", Spectral(17, s)});
  v.push_back({"pcan_40_lut", Pcan(40, 6, false, 7)});
  v.push_back({"pcan_33_random_lut", Pcan(33, 9, true, 8)});
  v.push_back({"log_40", Log(40, 3, 1600)});
  v.push_back({"log_16_c0", Log(16, 0, 65535)});
  v.push_back({"delay_3x40_d17", Delay({3, 40}, 17)});
  v.push_back({"delay_32_d50", Delay({32}, 50)});
  v.push_back({"delay_16_d0", Delay({16}, 0)});
  v.push_back({"framer_2x160_400_160_prefill", Framer({2, 160}, 400, 160, true)});
  v.push_back({"framer_320_64_32", Framer({320}, 64, 32, false)});
  v.push_back({"framer_96_40_24_prefill", Framer({96}, 40, 24, true)});
  v.push_back({"stacker_16_l2_r1_s1", Stacker(16, 2, 1, 1)});
  v.push_back({"stacker_8_l0_r3_s2", Stacker(8, 0, 3, 2)});
  v.push_back({"overlap_add_s16_2x3x64_32", OverlapAdd(DT::kInt16, {2, 3, 64}, 32)});
  v.push_back({"overlap_add_f32_3x48_16", OverlapAdd(DT::kFloat32, {3, 48}, 16)});
  FrontEndConfig c;
  v.push_back({"frontend_480_512_40", AudioFrontEnd(c)});
  c.frame_length = 256;
  c.fft_length = 256;
  c.channels = 16;
  v.push_back({"frontend_256_256_16", AudioFrontEnd(c)});
  return v;
}

}  // namespace tinymlc::testing
