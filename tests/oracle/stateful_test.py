"""Stateful models through tinymlc and TFLM (tests/oracle, ctest label `oracle`).

Each model is made here with TensorFlow + tf_keras (the oracle environment), converted
to .tflite, compiled by tinymlc, built with gcc (-Werror) with stateful_runner.c, and
run over consecutive invokes: INVOKES invokes, then NAME_reset(), then AFTER_RESET
more. TFLM's Python interpreter runs the same inputs (interpreter.reset() between the
two runs). Every output of every invoke must be byte-identical.

After a reset, tinymlc runs the CALL_ONCE init subgraph again (NAME_reset() re-arms it)
while TFLM's MicroInterpreter::Reset() only sets resource variables to their default
(the zero point) and does not re-arm CALL_ONCE. The two agree whenever the variable's
initial value is its default (zeros, the usual Keras streaming state); for a model whose
initial value is not (`accum_ones_*`), the invokes after the reset are compared with a
fresh TFLM interpreter instead, and the test checks that TFLM's own reset indeed differs
(so the comparison stays meaningful).

  stateful_test.py --tinymlc PATH [--work DIR] [--only NAME,...]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "stateful_runner.c")
CFLAGS = ["-std=c99", "-O1", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]
INVOKES = 10
AFTER_RESET = 3

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


# ---- Model makers -------------------------------------------------------------------

def _tf():
    import tensorflow as tf  # noqa: WPS433 (imported lazily: slow)
    import tf_keras as keras
    return tf, keras


def _convert(model_or_fn, int8, rep_shape, tf, concrete=None):
    if concrete is not None:
        c = tf.lite.TFLiteConverter.from_concrete_functions([concrete], model_or_fn)
    else:
        c = tf.lite.TFLiteConverter.from_keras_model(model_or_fn)
    c.experimental_enable_resource_variables = True
    if int8:
        def rep():
            r = np.random.RandomState(7)
            for _ in range(50):
                yield [r.uniform(-1, 1, rep_shape).astype(np.float32)]
        c.optimizations = [tf.lite.Optimize.DEFAULT]
        c.representative_dataset = rep
        c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        c.inference_input_type = tf.int8
        c.inference_output_type = tf.int8
    return c.convert()


def make_stream(int8):
    """Keras streaming model: a tf.Variable keeps the last N frames (a ring shifted by
    one frame per invoke), followed by two dense layers."""
    tf, keras = _tf()
    n, f = 4, 3

    class Frames(keras.layers.Layer):
        def build(self, shape):
            self.buf = self.add_weight(name="frames", shape=(1, n, f), initializer="zeros",
                                       trainable=False)

        def call(self, x):
            nb = tf.concat([self.buf[:, 1:, :], x], axis=1)
            self.buf.assign(nb)
            return nb

    keras.utils.set_random_seed(1)
    inp = keras.Input(batch_size=1, shape=(1, f))
    h = keras.layers.Flatten()(Frames()(inp))
    h = keras.layers.Dense(8, activation="relu")(h)
    out = keras.layers.Dense(2)(h)
    return _convert(keras.Model(inp, out), int8, (1, 1, f), tf)


def make_accum_ones(int8):
    """A leaky accumulator whose tf.Variable starts at ones: s = 0.5 * s + x; y = dense(s)."""
    tf, keras = _tf()
    f = 4

    class Accum(keras.layers.Layer):
        def build(self, shape):
            self.s = self.add_weight(name="acc", shape=(1, f), initializer="ones", trainable=False)

        def call(self, x):
            ns = self.s * 0.5 + x
            self.s.assign(ns)
            return ns

    keras.utils.set_random_seed(2)
    inp = keras.Input(batch_size=1, shape=(f,))
    out = keras.layers.Dense(3)(Accum()(inp))
    return _convert(keras.Model(inp, out), int8, (1, f), tf)


def _module_model(module, int8, rep_shape):
    tf, _ = _tf()
    return _convert(module, int8, rep_shape, tf, concrete=module.__call__.get_concrete_function())


def make_if(int8):
    """tf.cond (IF): a dense layer, then x * 2 or x - 1 depending on its maximum."""
    tf, _ = _tf()
    f = 4

    class IfModel(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.constant(np.random.RandomState(3).uniform(-1, 1, (f, f)).astype(np.float32))

        @tf.function(input_signature=[tf.TensorSpec([1, f], tf.float32)])
        def __call__(self, x):
            h = tf.matmul(x, self.w)
            return tf.cond(tf.reduce_max(h) > 0.2, lambda: h * 2.0, lambda: h - 1.0)

    return _module_model(IfModel(), int8, (1, f))


def make_while(int8):
    """tf.while_loop (WHILE): v = 1.5 v + 0.25 while max(v) < 3 (0 to ~9 iterations)."""
    tf, _ = _tf()
    f = 4

    class WhileModel(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([1, f], tf.float32)])
        def __call__(self, x):
            return tf.while_loop(lambda v: tf.reduce_max(v) < 3.0,
                                 lambda v: [v * 1.5 + 0.25], [x])[0]

    return _module_model(WhileModel(), int8, (1, f))


MODELS = {
    "stream_f32": lambda: make_stream(False),
    "stream_int8": lambda: make_stream(True),
    "accum_ones_f32": lambda: make_accum_ones(False),
    "accum_ones_int8": lambda: make_accum_ones(True),
    "if_f32": lambda: make_if(False),
    "if_int8": lambda: make_if(True),
    "while_f32": lambda: make_while(False),
}
# The models whose initial state is not the variable's default (see the module comment).
INIT_NOT_DEFAULT = {"accum_ones_f32", "accum_ones_int8"}


# ---- Running ------------------------------------------------------------------------

def _inputs(interp, n_in, count, seed):
    """`count` frames of random inputs: a list (per invoke) of arrays (per input)."""
    rng = np.random.RandomState(seed)
    frames = []
    for _ in range(count):
        frame = []
        for i in range(n_in):
            d = interp.get_input_details(i)
            dt = np.dtype(d["dtype"])
            if dt.kind == "f":
                v = rng.uniform(-1, 1, d["shape"]).astype(dt)
            else:
                info = np.iinfo(dt)
                v = rng.randint(info.min, info.max + 1, d["shape"]).astype(dt)
            frame.append(v)
        frames.append(frame)
    return frames


def tflm_run(interp, frames, n_out):
    outs = []
    for frame in frames:
        for i, v in enumerate(frame):
            interp.set_input(v, i)
        interp.invoke()
        outs.append(b"".join(np.array(interp.get_output(k)).tobytes() for k in range(n_out)))
    return outs


def run_model(name, tflite, tinymlc, work):
    from tflite_micro.python.tflite_micro import runtime
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, name + ".tflite")
    with open(path, "wb") as f:
        f.write(tflite)
    sys.path.insert(0, HERE)
    import tflm_oracle  # noqa: E402 (this folder)
    info = tflm_oracle.read_model(tflite)
    n_in, n_out = len(info["inputs"]), len(info["outputs"])
    interp = runtime.Interpreter.from_bytes(tflite)
    frames = _inputs(interp, n_in, INVOKES + AFTER_RESET, seed=len(name))
    before = tflm_run(interp, frames[:INVOKES], n_out)
    interp.reset()
    after_reset = tflm_run(interp, frames[INVOKES:], n_out)
    fresh = tflm_run(runtime.Interpreter.from_bytes(tflite), frames[INVOKES:], n_out)
    if name in INIT_NOT_DEFAULT:
        if after_reset == fresh:
            return "FAIL", "TFLM's reset equals a fresh interpreter: the model does not test the init"
        expected = before + fresh
        ref = "fresh TFLM interpreter"
    else:
        if after_reset != fresh:
            return "FAIL", "TFLM's reset differs from a fresh interpreter for a zero-init model"
        expected = before + after_reset
        ref = "TFLM interpreter.reset()"
    # Outputs must change between invokes, or the test shows nothing.
    if len(set(before)) < 2:
        return "FAIL", "every invoke gave the same output: no state visible"

    gen = os.path.join(work, "gen_" + name)
    p = subprocess.run([tinymlc, "compile", path, "-o", gen, "--name", "m"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return "FAIL", "tinymlc: " + (p.stderr or p.stdout).strip()[:300]
    exe = os.path.join(work, "run_" + name)
    p = subprocess.run(["gcc"] + CFLAGS + ["-I", gen, os.path.join(gen, "m.c"), RUNNER, "-o", exe,
                        "-lm"], capture_output=True, text=True)
    if p.returncode != 0:
        return "FAIL", "gcc: " + p.stderr.strip()[:300]
    fin = os.path.join(work, name + ".in.bin")
    fout = os.path.join(work, name + ".out.bin")
    with open(fin, "wb") as f:
        for frame in frames:
            for v in frame:
                f.write(np.ascontiguousarray(v).tobytes())
    p = subprocess.run([exe, fin, fout, str(INVOKES + AFTER_RESET), str(INVOKES)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return "FAIL", "runner: " + p.stderr.strip()[:300]
    got = open(fout, "rb").read()
    per = len(expected[0])
    for k, want in enumerate(expected):
        have = got[k * per:(k + 1) * per]
        if have != want:
            return "FAIL", "invoke %d (%s): tinymlc %s, TFLM %s" % (
                k, "after reset" if k >= INVOKES else "before reset", have.hex(), want.hex())
    if len(got) != per * len(expected):
        return "FAIL", "runner wrote %d bytes, expected %d" % (len(got), per * len(expected))
    return "PASS", "%d invokes + reset + %d invokes identical (after reset vs %s)" % (
        INVOKES, AFTER_RESET, ref)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tinymlc", required=True)
    ap.add_argument("--work", default=None)
    ap.add_argument("--only", default="")
    args = ap.parse_args(argv)
    names = [n for n in MODELS if not args.only or n in args.only.split(",")]
    work = args.work or tempfile.mkdtemp(prefix="tinymlc_stateful_")
    failed = 0
    for name in names:
        status, detail = run_model(name, MODELS[name](), args.tinymlc, os.path.join(work, name))
        print("%-18s %s  %s" % (name, status, detail), flush=True)
        failed += status != "PASS"
    print("%d of %d models match TFLM" % (len(names) - failed, len(names)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
