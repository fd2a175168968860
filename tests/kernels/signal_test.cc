// The signal library kernels (TFLM signal/) against hand-computed values; the oracle test
// (tests/oracle/signal_test.py) checks them against TFLM itself on random inputs.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

TEST(SignalCommon, MostSignificantBit) {
  EXPECT_EQ(tml_signal_msb32(0), 32u);  // TFLM's gcc build: 32 - clz, 32 for 0
  EXPECT_EQ(tml_signal_msb32(1), 1u);
  EXPECT_EQ(tml_signal_msb32(0x80000000u), 32u);
  EXPECT_EQ(tml_signal_msb32(1000), 10u);
  EXPECT_EQ(tml_signal_msb64(0), 64u);
  EXPECT_EQ(tml_signal_msb64(uint64_t{1} << 40), 41u);
}

TEST(SignalCommon, SquareRootRounds) {
  EXPECT_EQ(tml_signal_sqrt32(0), 0);
  EXPECT_EQ(tml_signal_sqrt32(9), 3);
  EXPECT_EQ(tml_signal_sqrt32(12), 3);   // 3.46: remainder 3 is not above 3
  EXPECT_EQ(tml_signal_sqrt32(13), 4);   // 3.61: remainder 4 > 3
  EXPECT_EQ(tml_signal_sqrt32(0xFFFFFFFFu), 0xFFFF);  // 65535.99: held at 0xFFFF
  EXPECT_EQ(tml_signal_sqrt64(uint64_t{1} << 40), 1u << 20);
  EXPECT_EQ(tml_signal_sqrt64((uint64_t{3} << 40) + 5), 1816187u);  // 1816186.58 -> rounds up
}

TEST(SignalWindow, ShiftsAndSaturates) {
  const int16_t in[4] = {100, -100, 32767, -32768};
  const int16_t w[2] = {16384, 32767};
  int16_t out[4];
  const tml_signal_window_params_t p = {4, 2, 14};
  tml_signal_window(&p, in, w, out);
  EXPECT_EQ(out[0], 100);                // 100 * 2^14 >> 14
  EXPECT_EQ(out[1], -200);               // -100 * 32767 >> 14 = -199.99 -> -200 (floor)
  EXPECT_EQ(out[2], 32767);              // 32767 * 2^14 >> 14
  EXPECT_EQ(out[3], -32768);             // -32768 * 32767 >> 14 = -65534 saturates
}

TEST(SignalFftAutoScale, ScalesToTheTopBit) {
  const int16_t in[3] = {3, -100, 50};
  int16_t out[3];
  int32_t bits = -1;
  tml_signal_fft_auto_scale(3, in, out, &bits);
  EXPECT_EQ(bits, 8);  // |max| 100 has 7 bits: 16 - 7 - 1
  EXPECT_EQ(out[0], 768);
  EXPECT_EQ(out[1], -25600);
  const int16_t zeros[2] = {0, 0};
  tml_signal_fft_auto_scale(2, zeros, out, &bits);
  EXPECT_EQ(bits, 0);  // MostSignificantBit32(0) is 32 in TFLM's build
}

TEST(SignalRfft, ConstantFrameIsDcOnly) {
  // 8 samples of 1024: kiss_fft's fixed point divides by N overall: bin 0 = 1024.
  tml_signal_rfft_s16_params_t p{};
  p.fft_length = 8, p.input_length = 8, p.frames = 1, p.num_stages = 1;
  p.stages[0] = 4, p.stages[1] = 1;
  const int16_t tw[8] = {32767, 0, 0, -32767, -32767, 0, 0, 32767};
  const int16_t super[4] = {-23170, -23170, -32767, 0};
  p.twiddles = tw, p.super_twiddles = super;
  std::vector<int16_t> in(8, 1024), out(10, -1), scratch(16);
  tml_signal_rfft_s16(&p, in.data(), out.data(), scratch.data());
  EXPECT_EQ(out, (std::vector<int16_t>{1024, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(SignalEnergy, SquaresInRange) {
  const int16_t in[6] = {3, 4, -32768, -32768, 1, 1};
  uint32_t out[3] = {7, 7, 7};
  const tml_signal_energy_params_t p = {0, 2};
  tml_signal_energy(&p, in, out);
  EXPECT_EQ(out[0], 25u);
  EXPECT_EQ(out[1], 0x80000000u);  // 2^30 + 2^30
  EXPECT_EQ(out[2], 7u);           // outside [start, end): untouched
}

TEST(SignalFilterBank, WeightsAndUnweights) {
  // Channel 0 (dropped) covers bin 0, channel 1 bins 1-2, channel 2 bin 3.
  const uint32_t in[4] = {10, 20, 30, 40};
  const int16_t w[4] = {1, 2, 3, 4}, u[4] = {5, 6, 7, 8};
  const int16_t fs[3] = {0, 1, 3}, ws[3] = {0, 1, 3}, width[3] = {1, 2, 1};
  uint64_t out[2];
  const tml_signal_filter_bank_params_t p = {2, 2};
  tml_signal_filter_bank(&p, in, w, u, fs, ws, width, out);
  EXPECT_EQ(out[0], 5u * 10 + 2u * 20 + 3u * 30);  // channel 0's unweights + channel 1's weights
  EXPECT_EQ(out[1], 6u * 20 + 7u * 30 + 4u * 40);
}

TEST(SignalFilterBankLog, NaturalLogScaled) {
  const uint32_t in[3] = {65536, 1, 0};
  int16_t out[3];
  const tml_signal_filter_bank_log_params_t p = {3, 0, 1000};
  tml_signal_filter_bank_log(&p, in, out);
  EXPECT_EQ(out[0], 11090);  // ln(2^16) * 1000 = 11090.35, in TFLM's fixed point
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 0);
}

TEST(SignalSpectralSubtraction, NoiseEstimatePersists) {
  tml_signal_spectral_subtraction_params_t p{};
  p.num_channels = 1, p.noise_output_size = 1;
  p.smoothing = 8192, p.one_minus_smoothing = 8192;  // 0.5 in Q14
  p.min_signal_remaining = 0, p.smoothing_bits = 0, p.spectral_subtraction_bits = 14;
  uint32_t state = 0, out = 0, noise = 0;
  const uint32_t in = 1000;
  tml_signal_filter_bank_spectral_subtraction(&p, &in, &out, &noise, &state);
  EXPECT_EQ(state, 500u);
  EXPECT_EQ(out, 500u);
  tml_signal_filter_bank_spectral_subtraction(&p, &in, &out, &noise, &state);
  EXPECT_EQ(state, 750u);
  EXPECT_EQ(noise, 750u);
  EXPECT_EQ(out, 250u);
}

TEST(SignalPcan, ShrinkBelowAndAboveTwo) {
  // Noise estimate 0 reads lut[0] = 4096 (gain 1 in Q12); snr_shift 0.
  std::vector<int16_t> lut(125, 0);
  lut[0] = 4096;
  const uint32_t in[2] = {1, 4}, noise[2] = {0, 0};
  uint32_t out[2];
  const tml_signal_pcan_params_t p = {2, 0};
  tml_signal_pcan(&p, in, noise, lut.data(), out);
  EXPECT_EQ(out[0], (4096u * 4096u) >> 20);         // x < 2 in Q12: x^2 / 4 in Q6 = 16
  EXPECT_EQ(out[1], (16384u >> 6) - 64u);           // x = 4 in Q12 >= 2: x - 1 in Q6 = 192
}

}  // namespace

namespace {

TEST(SignalDelay, ShiftsAcrossCalls) {
  const tml_signal_delay_params_t p = {1, 3, 2};
  int16_t state[2] = {0, 0}, out[3];
  const int16_t a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
  tml_signal_delay(&p, a, out, state);
  EXPECT_EQ(std::vector<int16_t>(out, out + 3), (std::vector<int16_t>{0, 0, 1}));
  tml_signal_delay(&p, b, out, state);
  EXPECT_EQ(std::vector<int16_t>(out, out + 3), (std::vector<int16_t>{2, 3, 4}));
  EXPECT_EQ(state[0], 5);
  EXPECT_EQ(state[1], 6);
}

TEST(SignalFramer, PrefillThenOverlappingFrames) {
  // frame 4, step 2, prefill 2 zeros; 2 frames per call.
  const tml_signal_framer_params_t p = {1, 2, 4, 2, 4, 2};
  std::vector<uint8_t> state(4 * 2 + 4, 0);
  int16_t out[8];
  uint8_t valid = 9;
  const int16_t a[4] = {1, 2, 3, 4};
  tml_signal_framer(&p, a, out, &valid, state.data());
  EXPECT_EQ(valid, 1);
  EXPECT_EQ(std::vector<int16_t>(out, out + 8), (std::vector<int16_t>{0, 0, 1, 2, 1, 2, 3, 4}));
}

TEST(SignalStacker, FirstFrameRepeatedLeft) {
  // 2 channels, left 1, right 0, step 1: the first call already stacks (f0, f0).
  const tml_signal_stacker_params_t p = {2, 1, 4, 2};
  std::vector<uint8_t> state(4 * 2 + 8, 0);
  int16_t out[4] = {0, 0, 0, 0};
  uint8_t valid = 0;
  const int16_t f0[2] = {1, 2}, f1[2] = {3, 4};
  tml_signal_stacker(&p, f0, out, &valid, state.data());
  EXPECT_EQ(valid, 1);
  EXPECT_EQ(std::vector<int16_t>(out, out + 4), (std::vector<int16_t>{1, 2, 1, 2}));
  tml_signal_stacker(&p, f1, out, &valid, state.data());
  EXPECT_EQ(std::vector<int16_t>(out, out + 4), (std::vector<int16_t>{1, 2, 3, 4}));
}

TEST(SignalOverlapAdd, AddsSaturatesAndShifts) {
  const tml_signal_overlap_add_params_t p = {1, 2, 4, 2};
  int16_t state[4] = {0, 0, 0, 0}, out[4];
  const int16_t in[8] = {1, 2, 3, 4, 10, 20, 32767, 1};
  tml_signal_overlap_add_s16(&p, in, out, state);
  // Frame 0: buffer (1,2,3,4) -> out (1,2), buffer (3,4,0,0); frame 1: (13,24,32767,1).
  EXPECT_EQ(std::vector<int16_t>(out, out + 4), (std::vector<int16_t>{1, 2, 13, 24}));
  EXPECT_EQ(state[0], 32767);
  EXPECT_EQ(state[1], 1);
  EXPECT_EQ(state[2], 0);
}

}  // namespace

namespace {

TEST(SignalIrfft, DcSpectrumIsConstant) {
  // Bin 0 = 1024: kiss_fftri's fixed point divides by N: every sample 1024 / 8 = 128.
  tml_signal_rfft_s16_params_t p{};
  p.fft_length = 8, p.input_length = 8, p.frames = 1, p.num_stages = 1, p.inverse = 1;
  p.stages[0] = 4, p.stages[1] = 1;
  const int16_t tw[8] = {32767, 0, 0, 32767, -32767, 0, 0, -32767};
  const int16_t super[4] = {-23170, 23170, -32767, 0};
  p.twiddles = tw, p.super_twiddles = super;
  std::vector<int16_t> in(10, 0), out(8, -1), scratch(8);
  in[0] = 1024;
  tml_signal_irfft_s16(&p, in.data(), out.data(), scratch.data());
  EXPECT_EQ(out, std::vector<int16_t>(8, 128));
}

}  // namespace

namespace {

TEST(SignalRfftS32, ConstantFrameIsDcOnly) {
  // 8 samples of 2^20: kiss_fft's 32-bit fixed point divides by N overall: bin 0 = 2^20.
  tml_signal_rfft_s32_params_t p{};
  p.fft_length = 8, p.input_length = 8, p.frames = 1, p.num_stages = 1;
  p.stages[0] = 4, p.stages[1] = 1;
  const int32_t tw[8] = {2147483647, 0, 0, -2147483647, -2147483647, 0, 0, 2147483647};
  const int32_t super[4] = {-1518500250, -1518500250, -2147483647, 0};
  p.twiddles = tw, p.super_twiddles = super;
  std::vector<int32_t> in(8, 1 << 20), out(10, -1), scratch(16);
  tml_signal_rfft_s32(&p, in.data(), out.data(), scratch.data());
  EXPECT_EQ(out, (std::vector<int32_t>{1 << 20, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

}  // namespace

namespace {

TEST(SignalRfftF32, ImpulseIsFlatAndInverseRestoresIt) {
  // An impulse has a flat spectrum (1 + 0i in every bin, unscaled in float); the inverse
  // (divided by fft_length as TFLM's IrfftFloatApply) gives the impulse back.
  tml_signal_rfft_f32_params_t p{};
  p.fft_length = 8, p.input_length = 8, p.frames = 1, p.num_stages = 1;
  p.stages[0] = 4, p.stages[1] = 1;
  const float tw[8] = {1.0f, 0.0f, 0.0f, -1.0f, -1.0f, 0.0f, 0.0f, 1.0f};
  const float super[4] = {-0.70710677f, -0.70710677f, -1.0f, 0.0f};
  p.twiddles = tw, p.super_twiddles = super;
  std::vector<float> in(8, 0.0f), spec(10, -1.0f), scratch(16);
  in[0] = 1.0f;
  tml_signal_rfft_f32(&p, in.data(), spec.data(), scratch.data());
  for (int k = 0; k < 5; ++k) {
    EXPECT_FLOAT_EQ(spec[2 * k], 1.0f) << k;
    EXPECT_NEAR(spec[2 * k + 1], 0.0f, 1e-6f) << k;
  }
}

}  // namespace
