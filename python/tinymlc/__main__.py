"""python -m tinymlc validate MODEL [--inputs x.npy ...] [--cases N]
   python -m tinymlc compile MODEL -o DIR [--name NAME]
   python -m tinymlc run MODEL --inputs x.npy ... [--out-prefix P]"""

import argparse
import sys

import numpy as np

import tinymlc


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tinymlc", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="the generated C against TFLM, every layer")
    v.add_argument("model")
    v.add_argument("--inputs", nargs="*", help=".npy files, one per model input (one case)")
    v.add_argument("--cases", type=int, default=5, help="random cases without --inputs")
    c = sub.add_parser("compile", help="write NAME.c, NAME.h, tinyml_runtime.h")
    c.add_argument("model")
    c.add_argument("-o", "--out", required=True)
    c.add_argument("--name")
    r = sub.add_parser("run", help="run the generated C on .npy inputs, write .npy outputs")
    r.add_argument("model")
    r.add_argument("--inputs", nargs="+", required=True)
    r.add_argument("--out-prefix", default="output")
    a = p.parse_args(argv)
    try:
        if a.command == "validate":
            inputs = [np.load(f) for f in a.inputs] if a.inputs else None
            result = tinymlc.validate(a.model, inputs=inputs, cases=a.cases)
            return 0 if result.bit_exact else 1
        if a.command == "compile":
            print(tinymlc.compile(a.model, a.out, name=a.name))
            return 0
        outs = tinymlc.run(a.model, [np.load(f) for f in a.inputs])
        for j, o in enumerate(outs):
            np.save("%s%d.npy" % (a.out_prefix, j), o)
            print("%s%d.npy: %s %s" % (a.out_prefix, j, o.dtype, list(o.shape)))
        return 0
    except (ValueError, RuntimeError, OSError) as e:
        print("tinymlc: error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
