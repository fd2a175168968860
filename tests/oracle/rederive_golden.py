"""Re-derives ../shared/golden with the pip TFLM (tflm_oracle.py) and compares every frozen
file byte for byte: each case's outputs and intermediate tensors computed from the frozen
inputs, and the inputs themselves re-drawn by the input rule of meta.json (its seeds).
Bytes meta.json lists as undefined_byte_ranges (no kernel writes them) are ignored.

  rederive_golden.py [SHARED_DIR] [--keep DIR]

Prints one line per model and a total; exit status 0 when every file is identical, 1 when
any differs, 77 (ctest's skip) when SHARED_DIR/golden is missing.
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tflm_oracle  # noqa: E402

SKIP = 77


def undefined_ranges(meta):
    r = {}
    for t in meta.get("tensors", []):
        if t.get("undefined_byte_ranges"):
            r[t["index"]] = t["undefined_byte_ranges"]
    return r


def compare(frozen, fresh, ranges):
    """None when equal, else a one-line description of the difference."""
    if len(frozen) != len(fresh):
        return "size %d, frozen %d" % (len(fresh), len(frozen))
    a = np.frombuffer(frozen, np.uint8).copy()
    b = np.frombuffer(fresh, np.uint8).copy()
    for lo, hi in ranges:
        a[lo:hi] = 0
        b[lo:hi] = 0
    d = np.nonzero(a != b)[0]
    if d.size == 0:
        return None
    return "%d of %d bytes differ, first at %d (frozen %d, pip TFLM %d)" % (
        d.size, a.size, d[0], a[d[0]], b[d[0]])


def draw_like_meta(info, meta, k, seed):
    """The inputs meta.json's rule draws for case k: the uniform rule of
    tflm_oracle.draw_inputs for cases 0-4, and input_rule_extra_cases (integers drawn
    around the zero point, sigma 8/20/40, x256 for int16) for cases 5-7."""
    if k < 5 or "input_rule_extra_cases" not in meta:
        return tflm_oracle.draw_inputs(info, None if k == 0 else seed)
    import random
    rng = random.Random(seed)
    sigma = {5: 8, 6: 20, 7: 40}[k]
    out = []
    for idx in info["inputs"]:
        t = info["tensors"][idx]
        ii = np.iinfo(t["np"])
        s = sigma * (256 if t["np"] == np.int16 else 1)
        zp = t["zero_point"][0] if t["zero_point"] else 0
        n = int(np.prod(t["shape"])) if t["shape"] else 1
        out.append(np.array([min(max(round(rng.gauss(zp, s)), int(ii.min)), int(ii.max))
                             for _ in range(n)], dtype=t["np"]).reshape(t["shape"]))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("shared", nargs="?", default=os.environ.get("TINYMLC_SHARED_DIR", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")))
    a = ap.parse_args(argv)
    golden = os.path.join(a.shared, "golden")
    if not os.path.isdir(golden):
        print("rederive_golden: SKIPPED: no %s" % golden)
        return SKIP
    total = {"files": 0, "same": 0, "diff": 0, "inputs": 0, "inputs_same": 0, "missing": 0}
    details = []
    for model in sorted(os.listdir(golden)):
        gdir = os.path.join(golden, model)
        mpath = os.path.join(a.shared, "models", model + ".tflite")
        if not os.path.isfile(os.path.join(gdir, "meta.json")) or not os.path.isfile(mpath):
            continue
        meta = json.load(open(os.path.join(gdir, "meta.json")))
        ranges = undefined_ranges(meta)
        with open(mpath, "rb") as f:
            data = f.read()
        info = tflm_oracle.read_model(data)
        n = {"files": 0, "same": 0, "diff": 0, "inputs": 0, "inputs_same": 0, "missing": 0}
        cases = sorted((d for d in os.listdir(gdir) if d.startswith("case")),
                       key=lambda d: int(d[4:]))
        for case in cases:
            cdir = os.path.join(gdir, case)
            k = int(case[4:])
            inputs = tflm_oracle.read_inputs(info, cdir)
            seed = meta.get("seeds", {}).get(case)
            if k == 0 or seed is not None:
                drawn = draw_like_meta(info, meta, k, seed)
                for i, (x, y) in enumerate(zip(inputs, drawn)):
                    n["inputs"] += 1
                    if x.tobytes() == y.tobytes():
                        n["inputs_same"] += 1
                    else:
                        details.append("%s/%s/in%d.bin: the input rule draws other bytes" % (
                            model, case, i))
            res = tflm_oracle.run_case(data, info, inputs)
            fresh = {"out%d.bin" % j: b for j, b in enumerate(res["outputs"])}
            fresh.update({"t%d.bin" % i: b for i, b in res["tensors"].items()})
            for name in sorted(os.listdir(cdir)):
                if name.startswith("in"):
                    continue
                n["files"] += 1
                if name not in fresh:
                    n["missing"] += 1
                    details.append("%s/%s/%s: not produced by the pip TFLM" % (model, case, name))
                    continue
                idx = int(name[1:-4]) if name.startswith("t") else None
                with open(os.path.join(cdir, name), "rb") as f:
                    why = compare(f.read(), fresh[name], ranges.get(idx, []))
                if why is None:
                    n["same"] += 1
                else:
                    n["diff"] += 1
                    details.append("%s/%s/%s: %s" % (model, case, name, why))
        print("rederive_golden: %-24s %d cases, %4d files: %4d identical, %d differ, %d missing; "
              "inputs %d/%d re-drawn identical" % (model, len(cases), n["files"], n["same"],
                                                   n["diff"], n["missing"], n["inputs_same"],
                                                   n["inputs"]))
        for key in total:
            total[key] += n[key]
    for d in details:
        print("  " + d)
    print("rederive_golden: total %d files: %d identical, %d differ, %d missing; inputs %d/%d "
          "re-drawn identical" % (total["files"], total["same"], total["diff"], total["missing"],
                                  total["inputs_same"], total["inputs"]))
    bad = total["diff"] + total["missing"] + (total["inputs"] - total["inputs_same"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
