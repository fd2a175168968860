"""TFLM's signal library ops through tinymlc and TFLM (tests/oracle, ctest label `oracle`).

The models come from the C++ model builder (tests/support/signal_models.cc, written by
tinymlc_make_signal_models): each signal op alone over several parameter sets, and the
chained audio front end. Each is compiled by tinymlc, built with gcc (-Werror, ASan and
UBSan) with stateful_runner.c and run over INVOKES consecutive invokes, NAME_reset(),
AFTER_RESET more; TFLM's Python interpreter runs the same inputs (interpreter.reset() between the
two runs). Every output of every invoke must be byte-identical (the spectral
subtraction's noise estimate is state: it shows in later invokes and after the reset).

Inputs are random over each dtype's full range (int16, uint32, uint64), every fourth
invoke shifted down to small values; int16 inputs are also a tone and a draw from
powers of two and the extremes (structured values reach kiss_fft's rounding ties); the
front end's audio is a tone plus noise at a random level per invoke.

  signal_test.py --tinymlc PATH --make-models PATH [--work DIR] [--only NAME,...]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "stateful_runner.c")
# Under AddressSanitizer and UBSan: an out-of-bounds access or undefined arithmetic in
# a signal kernel fails the model.
CFLAGS = ["-std=c99", "-O1", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
          "-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
INVOKES = 8
AFTER_RESET = 3


def draw(rng, dtype, shape, name, k):
    dt = np.dtype(dtype)
    n = int(np.prod(shape)) if len(shape) else 1
    if name.startswith("frontend"):
        t = np.arange(n)
        level = 10 ** rng.uniform(1, 4)
        v = level * np.sin(2 * np.pi * rng.uniform(200, 4000) * t / 16000) + rng.normal(0, level / 4, n)
        return np.clip(np.round(v), -32768, 32767).astype(dt).reshape(shape)
    raw = rng.bytes(n * dt.itemsize)
    v = np.frombuffer(raw, dtype=dt).copy()
    if k % 4 == 1 and dt.kind in "iu":
        v = v >> (dt.itemsize * 4)  # smaller values
    elif k % 4 == 2 and dt == np.int16:
        # A tone: structured values, whose products hit kiss_fft's rounding ties.
        t = np.arange(n)
        v = np.round(rng.uniform(100, 32767) * np.sin(2 * np.pi * rng.uniform(0, 0.5) * t)).astype(dt)
    elif k % 4 == 2 and dt == np.int32:
        t = np.arange(n)
        v = np.round(rng.uniform(100, 2**31 - 1) * np.sin(2 * np.pi * rng.uniform(0, 0.5) * t)).astype(dt)
    elif k % 4 == 3 and dt == np.int16:
        # Powers of two and the extremes.
        v = rng.choice(np.array([-32768, -16384, -1024, 0, 1, 512, 16384, 32767], dtype=dt), n)
    elif k % 4 == 3 and dt == np.int32:
        v = rng.choice(np.array([-2**31, -2**30, -1024, 0, 1, 2**20, 2**30, 2**31 - 1], dtype=dt), n)
    if dt.kind == "f":
        v = rng.uniform(-1000, 1000, n).astype(dt)
    return v.reshape(shape)


def tflm_run(interp, frames, n_out):
    outs = []
    for frame in frames:
        for i, v in enumerate(frame):
            interp.set_input(v, i)
        interp.invoke()
        outs.append(b"".join(np.array(interp.get_output(k)).tobytes() for k in range(n_out)))
    return outs


def run_model(name, path, tinymlc, work):
    from tflite_micro.python.tflite_micro import runtime
    os.makedirs(work, exist_ok=True)
    tflite = open(path, "rb").read()
    sys.path.insert(0, HERE)
    import tflm_oracle  # noqa: E402 (this folder)
    info = tflm_oracle.read_model(tflite)
    n_in, n_out = len(info["inputs"]), len(info["outputs"])
    # The default arena (10 x the file) is too small for the RFFT's state and scratch.
    arena = max(10 * len(tflite), 1 << 18)
    interp = runtime.Interpreter.from_bytes(tflite, arena_size=arena)
    rng = np.random.RandomState(len(name) * 7919 + sum(map(ord, name)))
    frames = []
    for k in range(INVOKES + AFTER_RESET):
        frames.append([draw(rng, interp.get_input_details(i)["dtype"],
                            list(interp.get_input_details(i)["shape"]), name, k) for i in range(n_in)])
    before = tflm_run(interp, frames[:INVOKES], n_out)
    interp.reset()
    after = tflm_run(interp, frames[INVOKES:], n_out)
    expected = before + after
    if len(set(before)) < 2:
        return "FAIL", "every invoke gave the same output: the test shows nothing"

    gen = os.path.join(work, "gen")
    p = subprocess.run([tinymlc, "compile", path, "-o", gen, "--name", "m"], capture_output=True, text=True)
    if p.returncode != 0:
        return "FAIL", "tinymlc: " + (p.stderr or p.stdout).strip()[:300]
    exe = os.path.join(work, "run")
    p = subprocess.run(["gcc"] + CFLAGS + ["-I", gen, os.path.join(gen, "m.c"), RUNNER, "-o", exe, "-lm"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return "FAIL", "gcc: " + p.stderr.strip()[:300]
    fin, fout = os.path.join(work, "in.bin"), os.path.join(work, "out.bin")
    with open(fin, "wb") as f:
        for frame in frames:
            for v in frame:
                f.write(np.ascontiguousarray(v).tobytes())
    p = subprocess.run([exe, fin, fout, str(INVOKES + AFTER_RESET), str(INVOKES)], capture_output=True, text=True)
    if p.returncode != 0:
        return "FAIL", "runner: " + p.stderr.strip()[:300]
    got = open(fout, "rb").read()
    per = len(expected[0])
    if len(got) != per * len(expected):
        return "FAIL", "runner wrote %d bytes, expected %d" % (len(got), per * len(expected))
    # SignalFramer and SignalStacker leave their output untouched while 'valid' (a bool,
    # the last output) is false, as TFLM: such invokes compare only that flag.
    valid_flag = info["tensors"][info["outputs"][-1]]["dtype"] == "bool"
    flag_only = 0
    for k, want in enumerate(expected):
        have = got[k * per:(k + 1) * per]
        if valid_flag and want[-1] == 0:
            have, want = have[-1:], want[-1:]
            flag_only += 1
        if have != want:
            diff = [i for i in range(per) if have[i] != want[i]]
            return "FAIL", "invoke %d: %d of %d bytes differ, first at byte %d" % (k, len(diff), per, diff[0])
    if flag_only >= len(expected) - 2:
        return "FAIL", "valid was false in %d of %d invokes: nothing compared" % (flag_only, len(expected))
    return "PASS", "%d invokes + reset + %d invokes identical (%d output bytes each%s)" % (
        INVOKES, AFTER_RESET, per, ", %d with valid false: the flag only" % flag_only if flag_only else "")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tinymlc", required=True)
    ap.add_argument("--make-models", required=True)
    ap.add_argument("--work", default=None)
    ap.add_argument("--only", default="")
    args = ap.parse_args(argv)
    work = args.work or tempfile.mkdtemp(prefix="tinymlc_signal_")
    models = os.path.join(work, "models")
    os.makedirs(models, exist_ok=True)
    subprocess.run([args.make_models, models], check=True)
    names = sorted(f[:-7] for f in os.listdir(models) if f.endswith(".tflite"))
    if args.only:
        names = [n for n in names if any(n.startswith(o) for o in args.only.split(","))]
    failed = 0
    for name in names:
        try:
            status, detail = run_model(name, os.path.join(models, name + ".tflite"), args.tinymlc,
                                       os.path.join(work, name))
        except Exception as e:  # noqa: BLE001 (reported as a failure)
            status, detail = "FAIL", "exception: %s" % e
        print("%-34s %s  %s" % (name, status, detail), flush=True)
        failed += status != "PASS"
    print("%d of %d signal models match TFLM" % (len(names) - failed, len(names)))
    return 1 if failed or not names else 0


if __name__ == "__main__":
    sys.exit(main())
