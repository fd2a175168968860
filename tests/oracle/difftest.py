"""The differential test: factory models (factory.py) or saved models through `tinymlc
compile`, the generated C built with gcc and run on the host (tests/e2e/golden_runner.c),
compared byte for byte with TFLM (tflm_oracle.py): every output and every layer tinymlc
reports.

Outcomes per model:
  match              tinymlc and TFLM agree on every byte
  mismatch           they differ (a defect): the model and TFLM's files are saved
  refused_tinymlc    TFLM runs it, tinymlc refuses it (grouped by operator and reason)
  refused_both       TFLM refuses it too
  refused_tflm       tinymlc accepts what TFLM refuses
  not_converted      the converter (or the quantizer) refused the graph

  difftest.py --tinymlc BIN --count N --seed S --mode MODE [--jobs J] [--budget SEC]
              [--save DIR] [--report FILE] [--min-count M] [--min-match M]
  difftest.py --tinymlc BIN --replay DIR...    (regressions: DIR/model.tflite [+ DIR/case<k>/])

Exit status: 0 when nothing mismatched (and at least --min-count models ran), 1 otherwise.
"""

import argparse
import collections
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
E2E = os.path.join(ROOT, "tests", "e2e")
CASES = 3
CFLAGS = ["-std=c99", "-O1", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]

sys.path.insert(0, HERE)
import tflm_oracle  # noqa: E402


def _first_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def refusal_reason(stderr):
    """'OP: reason' from tinymlc's error line, without tensor names and numbers."""
    line = next((ln for ln in stderr.splitlines() if "error:" in ln), _first_line(stderr))
    m = re.search(r"operator \d+ \(([^)]+)\)(?:: tensor \d+ '(?:[^'\\]|\\.)*')?: (.*)", line)
    if not m:
        return re.sub(r"^.*error: [^:]*: ", "", line)[:160]
    reason = re.sub(r"(?<![A-Za-z_\d])-?\d+(\.\d+)?(e-?\d+)?", "N", m.group(2))
    return "%s: %s" % (m.group(1), reason[:160])


def tflm_reason(err):
    text = str(err).strip()
    return (text.splitlines()[0] if text else type(err).__name__)[:160]


def compile_and_run(tinymlc, model_path, work, info, ncases):
    """tinymlc + gcc + golden_runner on work/tflm/case<k>/in*.bin. Returns (status, detail)."""
    gen = os.path.join(work, "gen")
    p = subprocess.run([tinymlc, "compile", model_path, "-o", gen, "--name", "m"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return "refused", refusal_reason(p.stderr or p.stdout)
    exe = os.path.join(work, "runner")
    cc = ["gcc"] + CFLAGS + ["-I", gen, "-I", E2E, "-include", "harness_hooks.h",
                             "-DMODEL_NAME=m", "-DMODEL_NAME_UPPER=M", '-DMODEL_HEADER="m.h"',
                             os.path.join(gen, "m.c"), os.path.join(E2E, "golden_runner.c"),
                             "-o", exe, "-lm"]
    p = subprocess.run(cc, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        return "crash", "gcc: " + _first_line(p.stderr)[:200]
    for k in range(ncases):
        cdir = os.path.join(work, "tflm", "case%d" % k)
        odir = os.path.join(work, "tml", "case%d" % k)
        os.makedirs(odir, exist_ok=True)
        ins = [os.path.join(cdir, "in%d.bin" % i) for i in range(len(info["inputs"]))]
        p = subprocess.run([exe, odir] + ins, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            return "crash", "runner exit %d: %s" % (p.returncode, _first_line(p.stderr)[:160])
        why = compare_case(cdir, odir, info)
        if why:
            return "mismatch", "case%d: %s" % (k, why)
    return "match", ""


def compare_case(tflm_dir, tml_dir, info):
    """None when every output and every reported layer equals TFLM's bytes."""
    ops_by_out = {}
    for op in info["operators"]:
        for o in op["outputs"]:
            ops_by_out[o] = op
    diffs = []
    for name in sorted(os.listdir(tml_dir)):
        if not name.endswith(".bin"):
            continue
        ref = os.path.join(tflm_dir, name)
        got = open(os.path.join(tml_dir, name), "rb").read()
        if not os.path.exists(ref):
            continue  # a tensor TFLM does not materialise
        want = open(ref, "rb").read()
        if got != want:
            order = -1
            label = name
            if name.startswith("t"):
                idx = int(name[1:-4])
                op = ops_by_out.get(idx)
                t = info["tensors"][idx]
                if op:
                    order = op["index"]
                    label = "operator %d (%s) output t%d %s%s" % (
                        op["index"], op["op"], idx, t["dtype"], t["shape"])
            else:
                order = 1 << 30
            nb = sum(1 for a, b in zip(got, want) if a != b) if len(got) == len(want) else -1
            diffs.append((order, "%s: %s" % (label, "%d of %d bytes differ" % (nb, len(want))
                                            if nb >= 0 else "size %d vs TFLM %d" % (
                                                len(got), len(want)))))
    if not diffs:
        return None
    diffs.sort()
    return diffs[0][1] + (" (+%d more)" % (len(diffs) - 1) if len(diffs) > 1 else "")


def check_model(tinymlc, data, work, inputs_from=None, seed=0, ncases=CASES):
    """Runs TFLM and tinymlc on one model. Returns dict(outcome, detail, ops)."""
    os.makedirs(work, exist_ok=True)
    model_path = os.path.join(work, "model.tflite")
    with open(model_path, "wb") as f:
        f.write(data)
    info = tflm_oracle.read_model(data)
    def int4_weights(op):  # "+int4w": input 1 is int4 (CONV_2D, DEPTHWISE_CONV_2D, FC)
        ins = op["inputs"]
        return len(ins) > 1 and ins[1] >= 0 and info["tensors"][ins[1]]["dtype"] == "int4"
    ops = sorted({"%s/%s%s" % (op["op"], info["tensors"][op["outputs"][0]]["dtype"]
                               if op["outputs"] else "-", "+int4w" if int4_weights(op) else "")
                  for op in info["operators"]})
    # TFLM runs in its own process: a kernel that crashes on a model must not take the
    # campaign down
    cmd = [sys.executable, os.path.join(HERE, "tflm_oracle.py"), "run", model_path,
           os.path.join(work, "tflm"), "--cases", str(ncases), "--seed", str(seed)]
    if inputs_from:
        cmd += ["--inputs-from", inputs_from]
        ncases = len([d for d in os.listdir(inputs_from) if d.startswith("case")])
    tflm_err = None
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                           env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
        if p.returncode < 0:
            tflm_err = "TFLM crashed (signal %d)" % -p.returncode
        elif p.returncode != 0:
            tflm_err = _first_line(p.stderr).replace("tflm_oracle: TFLM refused %s: " %
                                                     model_path, "")[:160] or "exit %d" % (
                                                         p.returncode)
    except subprocess.TimeoutExpired:
        tflm_err = "TFLM timed out"
    if tflm_err is not None:
        p = subprocess.run([tinymlc, "compile", model_path, "-o", os.path.join(work, "gen"),
                            "--name", "m"], capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            return {"outcome": "refused_both", "ops": ops,
                    "detail": "%s; TFLM: %s" % (refusal_reason(p.stderr), tflm_err)}
        return {"outcome": "refused_tflm", "detail": tflm_err, "ops": ops}
    status, detail = compile_and_run(tinymlc, model_path, work, info, ncases)
    outcome = {"refused": "refused_tinymlc"}.get(status, status)
    return {"outcome": outcome, "detail": detail, "ops": ops}


# ---- worker pool ----------------------------------------------------------------------------
_ARGS = {}


def _init(args):
    _ARGS.update(args)
    if not args.get("verbose"):
        # TensorFlow and the converter log to stderr from C++: keep the table readable
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    import factory  # noqa: F401  (imports TensorFlow once per worker)


def _one(job):
    seed, mode = job
    import factory
    t0 = time.time()
    work = tempfile.mkdtemp(prefix="difftest-%s-%d-" % (mode, seed), dir=_ARGS.get("tmp"))
    res = {"seed": seed, "mode": mode}
    try:
        try:
            data, desc = factory.make_model(seed, mode)
        except factory.ConversionError as e:
            res.update(outcome="not_converted", detail=str(e)[:200], ops=[], desc="")
            return res
        res["desc"] = desc
        res.update(check_model(_ARGS["tinymlc"], data, work, seed=seed))
        if res["outcome"] in ("mismatch", "crash") and _ARGS.get("save"):
            dst = os.path.join(_ARGS["save"], "%s_seed%d" % (mode, seed))
            shutil.rmtree(dst, ignore_errors=True)
            os.makedirs(dst)
            shutil.copy(os.path.join(work, "model.tflite"), dst)
            shutil.copytree(os.path.join(work, "tflm"), os.path.join(dst, "tflm"))
            with open(os.path.join(dst, "README.txt"), "w") as f:
                f.write("factory mode %s seed %d: %s\n%s: %s\n" % (
                    mode, seed, desc, res["outcome"], res["detail"]))
            res["saved"] = dst
    except Exception as e:  # a bug of the harness must not stop the campaign
        res.update(outcome="crash", detail="harness: %s: %s" % (type(e).__name__, e), ops=[])
    finally:
        res["seconds"] = round(time.time() - t0, 1)
        if not _ARGS.get("keep"):
            shutil.rmtree(work, ignore_errors=True)
    return res


TASK_LIMIT = 900  # seconds one model may take (conversion, TFLM, gcc, runs)
MODES = ("int8", "int16x8", "float32", "hybrid", "int4", "math", "ops2_float32",
         "ops2_int8", "ops2_int16x8", "misc", "misc_int8", "compressed",
         "compressed_float32", "compressed_metadata")  # factory.MODES, without TensorFlow
OUTCOMES = ("match", "mismatch", "crash", "refused_tinymlc", "refused_both", "refused_tflm",
            "not_converted")


def summarize(results, elapsed):
    lines = []
    by_mode = collections.OrderedDict()
    for r in results:
        by_mode.setdefault(r["mode"], []).append(r)
    hdr = "%-9s %6s %6s %8s %6s %10s %8s %8s %9s" % (
        "mode", "models", "match", "mismatch", "crash", "refused:tml", "both", "tflm", "no-conv")
    lines += [hdr, "-" * len(hdr)]
    for mode, rs in list(by_mode.items()) + [("total", results)]:
        c = collections.Counter(r["outcome"] for r in rs)
        lines.append("%-9s %6d %6d %8d %6d %10d %8d %8d %9d" % (
            mode, len(rs), c["match"], c["mismatch"], c["crash"], c["refused_tinymlc"],
            c["refused_both"], c["refused_tflm"], c["not_converted"]))
    lines.append("(%.0f s)" % elapsed)
    for outcome, title in (("mismatch", "mismatches"), ("crash", "crashes"),
                           ("refused_tinymlc", "refused by tinymlc, run by TFLM"),
                           ("refused_both", "refused by both"),
                           ("refused_tflm", "refused by TFLM only"),
                           ("not_converted", "not converted")):
        group = collections.Counter((r["mode"], r["detail"]) for r in results
                                    if r["outcome"] == outcome)
        if not group:
            continue
        lines.append("")
        lines.append(title + ":")
        for (mode, detail), n in sorted(group.items(), key=lambda kv: (-kv[1], kv[0])):
            seeds = [str(r["seed"]) for r in results if r["outcome"] == outcome and
                     r["mode"] == mode and r["detail"] == detail][:6]
            lines.append("  %4d  %-8s %s  (seeds %s)" % (n, mode, detail, ",".join(seeds)))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="tinymlc vs TFLM on converter-made models")
    ap.add_argument("--tinymlc", required=True)
    ap.add_argument("--count", type=int, default=100, help="models per mode")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mode", default="int8",
                    help="int8|int16x8|float32|hybrid|int4|math|all, or a comma-separated list")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--budget", type=float, default=0, help="stop starting models after SEC")
    ap.add_argument("--min-count", type=int, default=0,
                    help="fail when fewer models than this finished")
    ap.add_argument("--min-match", type=int, default=0,
                    help="fail when fewer models than this matched TFLM")
    ap.add_argument("--save", help="folder for mismatching/crashing models")
    ap.add_argument("--report", help="write the table and every result (JSON lines) here")
    ap.add_argument("--keep", action="store_true", help="keep the work folders")
    ap.add_argument("--replay", nargs="*", help="regression folders (model.tflite [+tflm/])")
    a = ap.parse_args(argv)
    tinymlc = os.path.abspath(a.tinymlc)
    if a.replay is not None:
        return replay(tinymlc, a.replay)
    modes = MODES if a.mode == "all" else a.mode.split(",")
    for m in modes:
        if m not in MODES:
            ap.error("unknown mode " + m)
    jobs = [(a.seed * 100000 + i, m) for i in range(a.count) for m in modes]
    # interleave modes so that a budget cut leaves every mode represented
    jobs.sort(key=lambda j: (j[0], modes.index(j[1])))
    start = time.time()
    results = []
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(a.jobs, initializer=_init, initargs=({"tinymlc": tinymlc, "save": a.save,
                                                        "keep": a.keep},)) as pool:
        pending = iter(jobs)
        inflight = []  # (job, async result, start time)
        while True:
            while len(inflight) < 2 * a.jobs and not (a.budget and time.time() - start > a.budget):
                job = next(pending, None)
                if job is None:
                    break
                inflight.append((job, pool.apply_async(_one, (job,)), time.time()))
            if not inflight:
                break
            done = [x for x in inflight if x[1].ready()]
            lost = [x for x in inflight if not x[1].ready() and time.time() - x[2] > TASK_LIMIT]
            if not done and not lost:
                time.sleep(0.2)
                continue
            for x in done + lost:
                inflight.remove(x)
                if x in lost:
                    r = {"seed": x[0][0], "mode": x[0][1], "outcome": "crash", "ops": [],
                         "detail": "harness: no result after %d s (worker died?)" % TASK_LIMIT}
                else:
                    r = x[1].get()
                results.append(r)
                mark = {"match": ".", "mismatch": "M", "crash": "C", "refused_tinymlc": "r",
                        "refused_both": "b", "refused_tflm": "t",
                        "not_converted": "n"}[r["outcome"]]
                sys.stdout.write(mark)
                if r["outcome"] in ("mismatch", "crash"):
                    sys.stdout.write("\n%s seed %d: %s: %s [%s]\n" % (
                        r["mode"], r["seed"], r["outcome"], r["detail"], r.get("desc", "")))
                sys.stdout.flush()
        if any(not x[1].ready() for x in inflight):
            pool.terminate()
    elapsed = time.time() - start
    table = summarize(results, elapsed)
    print("\n" + table)
    if a.report:
        with open(a.report, "w") as f:
            f.write("difftest --count %d --seed %d --mode %s (%d jobs)\n\n" % (
                a.count, a.seed, a.mode, a.jobs))
            f.write(table + "\n\nresults (JSON lines):\n")
            for r in results:
                f.write(json.dumps(r, sort_keys=True) + "\n")
    bad = [r for r in results if r["outcome"] in ("mismatch", "crash")]
    if len(results) < a.min_count:
        print("difftest: only %d models finished, fewer than --min-count %d" % (
            len(results), a.min_count))
        return 1
    matched = sum(1 for r in results if r["outcome"] == "match")
    if matched < a.min_match:
        print("difftest: only %d models matched TFLM, fewer than --min-match %d" % (
            matched, a.min_match))
        return 1
    return 1 if bad else 0


def replay(tinymlc, dirs, label="oracle_regressions"):
    """Each DIR holds model.tflite and optionally tflm/case<k>/in*.bin (inputs to use)."""
    folders = []
    for d in dirs:
        if os.path.isfile(os.path.join(d, "model.tflite")):
            folders.append(d)
        elif os.path.isdir(d):
            folders += sorted(os.path.join(d, s) for s in os.listdir(d)
                              if os.path.isfile(os.path.join(d, s, "model.tflite")))
    bad = 0
    for d in folders:
        data = open(os.path.join(d, "model.tflite"), "rb").read()
        ins = os.path.join(d, "tflm") if os.path.isdir(os.path.join(d, "tflm")) else None
        with tempfile.TemporaryDirectory(prefix="replay-") as work:
            r = check_model(tinymlc, data, work, inputs_from=ins, seed=7)
        expected = ["match"]
        exp_file = os.path.join(d, "expected.txt")
        if os.path.isfile(exp_file):
            expected = open(exp_file).read().split()
        ok = r["outcome"] in expected
        bad += not ok
        print("%-6s %s: %s%s" % ("ok" if ok else "FAIL", os.path.basename(d), r["outcome"],
                                 (": " + r["detail"]) if r["detail"] else ""))
    print("%s: %d of %d models as expected" % (label, len(folders) - bad, len(folders)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
