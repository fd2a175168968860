"""The example's audio, in integers only so that main.c makes exactly the same samples:
a tone from a fixed-point oscillator y[n] = (c * y[n-1] >> 14) - y[n-2] (c = 2 cos(w) in
Q14) plus noise from a 32-bit linear congruential generator, saturated to int16."""

import math

import numpy as np

RATE = 16000
FRAME = 256       # samples per front end invoke (16 ms)
FRAMES = 32       # feature frames per clip (0.512 s)
LABELS = ["noise", "low", "mid", "high"]


def clip_params(label, freq, tone_amp, noise_amp, seed):
    """The integers main.c's clip table holds: label index, c, y1, noise amplitude, seed."""
    w = 2 * math.pi * freq / RATE
    c = int(round(2 * math.cos(w) * 16384))
    y1 = int(round(tone_amp * math.sin(w)))
    return [LABELS.index(label), c, y1, int(noise_amp), int(seed) & 0xFFFFFFFF]


def synthesize(params, n=FRAME * FRAMES):
    _, c, y1, noise_amp, seed = params
    out = np.zeros(n, dtype=np.int16)
    y_prev, y = 0, y1
    state = seed
    for i in range(n):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        noise = (((state >> 16) - 32768) * noise_amp) >> 15
        v = y + noise
        out[i] = max(-32768, min(32767, v))
        y_prev, y = y, ((c * y) >> 14) - y_prev
    return out
