"""TFLM (the pip tflite-micro) on the configurations a sweep exported
(TINYMLC_SWEEP_EXPORT=DIR tests/support/tinymlc_sweep_tests --gtest_filter=...): each
DIR/<SWEEP>/<i>.tflite run on its exported inputs, every output compared with the
exported one (the generated C, equal to the C++ reference). The tensor arena is 10x the
model size (the pip default) but at least TFLM_ARENA bytes (default 65536). Run in the
oracle environment:

  TF_CPP_MIN_LOG_LEVEL=3 .venv-oracle/bin/python tests/oracle/check_sweep_exports.py DIR
"""
import glob, os, sys
import numpy as np
from tflite_micro.python.tflite_micro import runtime
root = sys.argv[1]
stats = {}
for m in sorted(glob.glob(os.path.join(root, "*", "*.tflite"))):
    op = os.path.basename(os.path.dirname(m))
    base = m[:-len(".tflite")]
    s = stats.setdefault(op, [0, 0, 0])
    try:
        data = open(m, "rb").read()
        arena = max(len(data) * 10, int(os.environ.get("TFLM_ARENA", "65536")))
        it = runtime.Interpreter.from_bytes(data, arena_size=arena)
    except Exception as e:
        s[2] += 1
        print("TFLM refused", m, str(e)[:100])
        continue
    ok = True
    for case in sorted(glob.glob(base + ".case*.in0.bin")):
        pre = case[:-len("in0.bin")]
        ins = sorted(glob.glob(pre + "in*.bin"))
        for i, f in enumerate(ins):
            d = it.get_input_details(i)
            it.set_input(np.fromfile(f, dtype=d["dtype"]).reshape(d["shape"]), i)
        it.invoke()
        outs = sorted(glob.glob(pre + "out*.bin"))
        for j, f in enumerate(outs):
            got = it.get_output(j).tobytes()
            if got != open(f, "rb").read():
                ok = False
        it.reset()
    s[0 if ok else 1] += 1
    if not ok:
        print("MISMATCH", m)
for op, (a, b, c) in stats.items():
    print("%-26s TFLM equal %d, differ %d, refused %d" % (op, a, b, c))
