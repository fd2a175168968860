"""Makes the example's speech model and test clips (run with the oracle environment:
/work/main/.venv-oracle or scripts/oracle_env.sh's .venv-oracle; TensorFlow + pip TFLM).

  make_models.py [OUTDIR]                  train, convert, write the files (default: here)
  make_models.py --expected-only OUTDIR    re-derive expected.txt and clips.h with TFLM for
                                           the committed models; exit 1 if they differ

frontend.tflite (the audio front end of TFLM signal library ops, written by the model
builder: tinymlc_make_signal_models, model frontend_256_256_16) turns each 256-sample
frame into 16 log-mel features. Synthesized clips of four kinds (noise alone; a low, a middle
or a high tone with some noise; audio.py) go through it on TFLM's interpreter; a small Keras CNN
learns the kind from the 32 x 16 features of a clip, and the converter makes it an int8
model (speech.tflite). Writes speech.tflite, clips.h (main.c's test clips) and
expected.txt (TFLM's features checksum, scores and label for every test clip).
"""

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import audio  # noqa: E402

FEATURE_DIV = 1024.0  # features / FEATURE_DIV are the speech model's float inputs


def frontend_features(interp, samples):
    """The front end over a clip (state reset first): int16 [FRAMES, 16]."""
    interp.reset()
    feats = []
    for f in range(audio.FRAMES):
        interp.set_input(samples[f * audio.FRAME:(f + 1) * audio.FRAME], 0)
        interp.invoke()
        feats.append(np.array(interp.get_output(0)).copy())
    return np.array(feats, dtype=np.int16)


def quantize_features(feats, scale, zero_point):
    """As main.c: q = floor(f / (FEATURE_DIV * scale) + 0.5) + zero_point, in double."""
    d = FEATURE_DIV * float(scale)
    q = np.floor(feats.astype(np.float64) / d + 0.5) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def random_clip(rng, label):
    f = {"low": rng.uniform(150, 500), "mid": rng.uniform(800, 1600)}.get(label, rng.uniform(2500, 5000))
    tone = 0 if label == "noise" else rng.uniform(1500, 12000)
    noise = rng.uniform(5, 12000) if label == "noise" else rng.uniform(0, tone / 8)
    return audio.clip_params(label, f, tone, noise, rng.randint(0, 2**31))


TEST_CLIPS = [("noise", 440, 0, 20, 11), ("low", 300, 6000, 100, 12), ("high", 3500, 5000, 150, 13),
              ("noise", 440, 0, 9000, 14), ("low", 420, 10000, 300, 15), ("high", 2600, 3000, 50, 16),
              ("mid", 1000, 4000, 200, 17), ("mid", 1400, 9000, 600, 18)]


def write_expectations(fe, speech, out):
    """Runs the test clips through TFLM: writes clips.h and expected.txt; returns the lines."""
    from tflite_micro.python.tflite_micro import runtime
    sp = runtime.Interpreter.from_bytes(speech)
    d = sp.get_input_details(0)
    scale, zp = d["quantization_parameters"]["scales"][0], d["quantization_parameters"]["zero_points"][0]
    rows, lines = [], []
    for k, (label, f, tone, noise, seed) in enumerate(TEST_CLIPS):
        p = audio.clip_params(label, f, tone, noise, seed)
        rows.append(p)
        feats = frontend_features(fe, audio.synthesize(p))
        sp.set_input(quantize_features(feats, scale, zp)[None, ..., None], 0)
        sp.invoke()
        scores = np.array(sp.get_output(0)).reshape(-1)
        checksum = int(np.sum(feats.astype(np.int64) * (np.arange(feats.size).reshape(feats.shape) % 251 + 1)))
        lines.append("clip %d features %d scores %s label %s" % (
            k, checksum, " ".join(str(int(s)) for s in scores), audio.LABELS[int(np.argmax(scores))]))
    with open(os.path.join(out, "clips.h"), "w") as f:
        f.write("/* clips.h - the example's test clips (made by make_models.py; audio.py: label,\n"
                " * oscillator coefficient c (2 cos(w), Q14), first sample y1, noise amplitude, seed). */\n")
        f.write("#define AUDIO_CLIPS %d\n" % len(rows))
        f.write("static const int32_t audio_clips[AUDIO_CLIPS][5] = {\n")
        for r in rows:
            f.write("    {%d, %d, %d, %d, (int32_t)%du},\n" % tuple(r))
        f.write("};\n#define FEATURE_DIV %.1f\n" % FEATURE_DIV)
    with open(os.path.join(out, "expected.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return lines


def main():
    from tflite_micro.python.tflite_micro import runtime
    fe = runtime.Interpreter.from_bytes(open(os.path.join(HERE, "frontend.tflite"), "rb").read(),
                                        arena_size=1 << 18)
    if sys.argv[1:2] == ["--expected-only"]:
        # The committed speech model's expectations re-derived with TFLM: must equal the
        # committed expected.txt and clips.h.
        out = sys.argv[2]
        os.makedirs(out, exist_ok=True)
        write_expectations(fe, open(os.path.join(HERE, "speech.tflite"), "rb").read(), out)
        bad = [f for f in ("expected.txt", "clips.h")
               if open(os.path.join(out, f)).read() != open(os.path.join(HERE, f)).read()]
        if bad:
            print("differs from the committed file(s): " + ", ".join(bad))
            return 1
        print("expected.txt and clips.h re-derived with TFLM: identical")
        return 0
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    import tensorflow as tf
    import tf_keras as keras
    rng = np.random.RandomState(1)
    xs, ys = [], []
    for k in range(600):
        label = audio.LABELS[k % 4]
        xs.append(frontend_features(fe, audio.synthesize(random_clip(rng, label))) / FEATURE_DIV)
        ys.append(k % 4)
    x = np.array(xs, dtype=np.float32)[..., None]
    y = np.array(ys)
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.layers.Input((audio.FRAMES, 16, 1)),
        keras.layers.Conv2D(8, 3, strides=2, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(4),
        keras.layers.Softmax()])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=60, batch_size=16, verbose=0)
    print("training accuracy %.3f" % model.evaluate(x, y, verbose=0)[1])
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([x[i:i + 1]] for i in range(0, len(x), 4))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    speech = conv.convert()
    open(os.path.join(out, "speech.tflite"), "wb").write(speech)

    write_expectations(fe, speech, out)


if __name__ == "__main__":
    sys.exit(main())
