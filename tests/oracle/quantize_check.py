"""`tinymlc quantize` with TFLM as the judge: random float32 Keras models of the factory
(factory.py, mode float32: convolutions, depthwise, dense, pools, residual adds,
concatenations, activations, ...) are quantized by `tinymlc quantize` from a calibration
folder (16 samples uniform in [-1, 1], one .npy), alternating the options (float or int8
graph I/O; minmax, percentile, mse), and the int8 model goes through difftest's check:
the pip TFLM runs it, tinymlc compiles it, every output and every layer byte for byte.

Outcomes per model:
  match              TFLM runs the quantized model and tinymlc's C agrees on every byte
  mismatch, crash    a defect (the model is kept under --save)
  invalid            TFLM or `tinymlc compile` refuses what `tinymlc quantize` wrote
  tflm_abort         TFLM aborts while running the int8 model (its int8 SOFTMAX checks fail
                     when a row's sum of exponentials reaches 512, e.g. a softmax over
                     hundreds of equal values, see templates/kernels/tml_softmax.h: a limit of
                     TFLM's kernel on such graphs, whoever quantized them); reported, not
                     counted as a failure
  refused_quantizer  `tinymlc quantize` refuses the float model (an operator outside its
                     set: grouped by the reason)
  not_converted      the TF converter refused the Keras graph

  quantize_check.py --tinymlc BIN --count N [--seed S] [--activations int8|int16]
                    [--report FILE] [--save DIR]

Exit status 1 on any mismatch, crash or invalid model, or when no model matched.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import difftest  # noqa: E402
import tflm_oracle  # noqa: E402

METHODS = (["--calibrate", "minmax"], ["--calibrate", "percentile", "--percentile", "99.9"],
           ["--calibrate", "mse"])


ACTIVATIONS = "int8"  # main(): --activations


def flags_for(seed):
    act = ["--activations", "int16"] if ACTIVATIONS == "int16" else []
    return (["--int8-io"] if seed % 2 else []) + METHODS[seed % 3] + act


def one(tinymlc, seed, work):
    import factory
    try:
        data, desc = factory.make_model(seed, "float32")
    except factory.ConversionError as e:
        return "not_converted", str(e)[:160], ""
    info = tflm_oracle.read_model(data)
    cal = os.path.join(work, "cal")
    os.makedirs(cal, exist_ok=True)
    src, dst = os.path.join(work, "float.tflite"), os.path.join(work, "int8.tflite")
    with open(src, "wb") as f:
        f.write(data)
    shape = info["tensors"][info["inputs"][0]]["shape"] if len(info["inputs"]) == 1 else [1]
    rs = np.random.RandomState(seed)
    np.save(os.path.join(cal, "x.npy"), rs.uniform(-1.0, 1.0, size=[16] + shape).astype(np.float32))
    p = subprocess.run([tinymlc, "quantize", src, "--calibration", cal, "-o", dst] + flags_for(seed),
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        line = (p.stderr.strip().splitlines() or ["?"])[0]
        m = re.search(r"operator \d+ \(([A-Z0-9_]+)\): (.*)", line)
        reason = "%s: %s" % (m.group(1), m.group(2)[:60]) if m else line.split(": error: ")[-1][:100]
        return "refused_quantizer", reason, desc
    with open(dst, "rb") as f:
        qdata = f.read()
    res = difftest.check_model(tinymlc, qdata, os.path.join(work, "check"), seed=seed)
    outcome = {"refused_tinymlc": "invalid", "refused_both": "invalid",
               "refused_tflm": "invalid"}.get(res["outcome"], res["outcome"])
    if outcome == "invalid" and res["detail"].startswith("TFLM crashed (signal 6)"):
        outcome = "tflm_abort"
    return outcome, res["detail"], desc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tinymlc", required=True)
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report", default="")
    ap.add_argument("--save", default="")
    ap.add_argument("--activations", choices=("int8", "int16"), default="int8",
                    help="int16: `tinymlc quantize --activations int16` (16x8 models)")
    a = ap.parse_args(argv)
    global ACTIVATIONS
    ACTIVATIONS = a.activations
    try:
        import factory  # noqa: F401
    except ImportError as e:
        print("SKIPPED: %s (run: bash scripts/oracle_env.sh)" % e)
        return 77
    tinymlc = os.path.abspath(a.tinymlc)
    t0 = time.time()
    counts = collections.Counter()
    reasons = collections.Counter()
    lines = []
    for seed in range(a.seed, a.seed + a.count):
        work = tempfile.mkdtemp(prefix="quantize-check-%d-" % seed)
        outcome, detail, desc = one(tinymlc, seed, work)
        counts[outcome] += 1
        if outcome == "refused_quantizer":
            reasons[detail] += 1
        line = "seed %d [%s]: %s%s" % (seed, " ".join(flags_for(seed)), outcome,
                                        (": " + detail) if detail and outcome != "match" else "")
        lines.append(line + ("  (" + desc[:80] + ")" if desc else ""))
        print(line, file=sys.stderr)
        if outcome in ("mismatch", "crash", "invalid", "tflm_abort") and a.save:
            dst = os.path.join(a.save, "seed%d" % seed)
            shutil.copytree(work, dst, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    summary = ["quantize_check: %d float32 factory models (seeds %d..%d), %.0f s" % (
        a.count, a.seed, a.seed + a.count - 1, time.time() - t0)]
    for k in ("match", "mismatch", "crash", "invalid", "tflm_abort", "refused_quantizer", "not_converted"):
        summary.append("  %-18s %d" % (k, counts[k]))
    if reasons:
        summary.append("refused by the quantizer (operator: reason):")
        for r, n in reasons.most_common():
            summary.append("  %3d  %s" % (n, r))
    text = "\n".join(summary + [""] + lines) + "\n"
    print("\n".join(summary))
    if a.report:
        with open(a.report, "w") as f:
            f.write(text)
    bad = counts["mismatch"] + counts["crash"] + counts["invalid"]
    return 1 if bad or counts["match"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
