"""Do two tinymlc binaries generate the same C for the same factory models?

A differential campaign (difftest.py) is long; when the compiler changes in a way that
should not touch some modes (a new kernel for another dtype, say), this check shows
whether a campaign run on the older binary still speaks for the newer one: every model
either compiles to byte-identical files with both, or both refuse it with the same message.

  same_code.py OLD_TINYMLC NEW_TINYMLC --mode int8,float32 --count N --seed S

Seeds as difftest.py draws them (S * 100000 + i). Prints one line per difference and a
summary; exit status 1 when anything differs.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def compile_to(tinymlc, model, out):
    p = subprocess.run([tinymlc, "compile", model, "-o", out, "--name", "m"], capture_output=True,
                       text=True, timeout=300)
    return p.returncode, p.stderr.strip()


def same_files(a, b):
    names = sorted(os.listdir(a))
    if names != sorted(os.listdir(b)):
        return False
    for n in names:
        with open(os.path.join(a, n), "rb") as fa, open(os.path.join(b, n), "rb") as fb:
            if fa.read() != fb.read():
                return False
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--mode", default="int8")
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    import factory  # TensorFlow: after the arguments are known good
    same = refused = not_converted = differ = 0
    for mode in a.mode.split(","):
        for i in range(a.count):
            seed = a.seed * 100000 + i
            try:
                data, _ = factory.make_model(seed, mode)
            except factory.ConversionError:
                not_converted += 1
                continue
            with tempfile.TemporaryDirectory(prefix="same-code-") as work:
                model = os.path.join(work, "model.tflite")
                with open(model, "wb") as f:
                    f.write(data)
                (rc0, err0), (rc1, err1) = (compile_to(a.old, model, os.path.join(work, "old")),
                                            compile_to(a.new, model, os.path.join(work, "new")))
                if rc0 != 0 or rc1 != 0:
                    # the messages name the model's temporary path: compare what follows it
                    if rc0 != 0 and rc1 != 0 and err0.replace(work + "/old", "") == \
                            err1.replace(work + "/new", ""):
                        refused += 1
                    else:
                        differ += 1
                        print("%s seed %d: refusals differ: old %r, new %r" % (mode, seed, err0[:160],
                                                                                err1[:160]))
                elif same_files(os.path.join(work, "old"), os.path.join(work, "new")):
                    same += 1
                else:
                    differ += 1
                    print("%s seed %d: generated C differs" % (mode, seed))
    print("same_code: %d identical, %d refused alike by both, %d differ, %d not converted" % (
        same, refused, differ, not_converted))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
