"""tinymlc's TFLM runner: runs a .tflite model on TensorFlow Lite Micro's Python interpreter
(the pip `tflite-micro`, reference kernels) and writes the outputs and every intermediate
tensor in the format of ../shared/golden:

  OUTDIR/meta.json                 inputs, outputs, tensors (producer, consumers), cases
  OUTDIR/case<k>/in<i>.bin         graph input i (raw little-endian bytes)
  OUTDIR/case<k>/out<j>.bin        graph output j
  OUTDIR/case<k>/t<index>.bin      every non-constant tensor TFLM materialises: graph inputs,
                                   operator outputs, variable tensors (after the Invoke)

Each case runs on a fresh interpreter (state tensors at their initial values), one Invoke(),
with kPreserveAllTensors so that no tensor's memory is reused.

Command line (run with the oracle environment's python, scripts/oracle_env.sh):
  tflm_oracle.py run MODEL.tflite OUTDIR [--cases K] [--seed S] [--inputs-from GOLDEN_DIR]
"""

import argparse
import json
import os
import random
import struct
import sys

import numpy as np

from tflite_micro.python.tflite_micro import runtime
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema_fb

# TensorType -> (name, numpy dtype or None)
DTYPES = {
    0: ("float32", np.float32), 1: ("float16", np.float16), 2: ("int32", np.int32),
    3: ("uint8", np.uint8), 4: ("int64", np.int64), 5: ("string", None),
    6: ("bool", np.bool_), 7: ("int16", np.int16), 9: ("int8", np.int8),
    10: ("float64", np.float64), 12: ("uint64", np.uint64), 15: ("uint32", np.uint32),
    16: ("uint16", np.uint16), 17: ("int4", None),
}
BUILTIN_NAMES = {v: k for k, v in vars(schema_fb.BuiltinOperator).items()
                 if not k.startswith("_") and isinstance(v, int)}


def _s(x):
    return x.decode("utf-8", "replace") if isinstance(x, bytes) else (x or "")


def read_model(data):
    """Subgraph 0 of a .tflite: tensors, operators, inputs, outputs (plain dicts)."""
    model = schema_fb.ModelT.InitFromObj(schema_fb.Model.GetRootAsModel(bytearray(data), 0))
    sg = model.subgraphs[0]
    ops = []
    for k, op in enumerate(sg.operators or []):
        code = model.operatorCodes[op.opcodeIndex]
        builtin = max(code.builtinCode, code.deprecatedBuiltinCode)
        name = BUILTIN_NAMES.get(builtin, str(builtin))
        if builtin == schema_fb.BuiltinOperator.CUSTOM:
            name = "CUSTOM:" + _s(code.customCode)
        ops.append({"index": k, "op": name,
                    "inputs": [int(i) for i in (op.inputs if op.inputs is not None else [])],
                    "outputs": [int(i) for i in (op.outputs if op.outputs is not None else [])]})
    tensors = []
    for idx, t in enumerate(sg.tensors or []):
        dname, npd = DTYPES.get(t.type, (str(t.type), None))
        buf = model.buffers[t.buffer] if t.buffer < len(model.buffers) else None
        const = buf is not None and ((buf.data is not None and len(buf.data) > 0) or
                                     (getattr(buf, "size", 0) or 0) > 0)
        shape = [int(d) for d in (t.shape if t.shape is not None else [])]
        q = t.quantization
        scale = [float(s) for s in q.scale] if q is not None and q.scale is not None else []
        zp = [int(z) for z in q.zeroPoint] if q is not None and q.zeroPoint is not None else []
        elems = int(np.prod(shape)) if shape else 1
        nbytes = elems * np.dtype(npd).itemsize if npd is not None else None
        tensors.append({"index": idx, "name": _s(t.name), "dtype": dname, "np": npd,
                        "shape": shape, "bytes": nbytes, "const": const,
                        "is_variable": bool(t.isVariable), "scale": scale, "zero_point": zp,
                        "axis": int(q.quantizedDimension) if q is not None else 0})
    return {"tensors": tensors, "operators": ops, "subgraphs": len(model.subgraphs),
            "inputs": [int(i) for i in sg.inputs], "outputs": [int(i) for i in sg.outputs]}


def draw_inputs(info, seed):
    """The golden input rule: seed None gives every element the zero point (0 for floats and
    unquantized integers); otherwise one random.Random(seed) drawn over the inputs in order,
    elements row-major: integers uniform over the dtype's range, float32 uniform(-1, 1)."""
    rng = random.Random(seed) if seed is not None else None
    arrays = []
    for idx in info["inputs"]:
        t = info["tensors"][idx]
        npd = t["np"]
        n = int(np.prod(t["shape"])) if t["shape"] else 1
        if rng is None:
            zp = t["zero_point"][0] if t["zero_point"] and np.issubdtype(npd, np.integer) else 0
            a = np.full(n, zp, dtype=npd)
        elif np.issubdtype(npd, np.floating):
            a = np.array([rng.uniform(-1.0, 1.0) for _ in range(n)], dtype=npd)
        elif npd == np.bool_:
            a = np.array([rng.randint(0, 1) for _ in range(n)], dtype=npd)
        else:
            ii = np.iinfo(npd)
            a = np.array([rng.randint(int(ii.min), int(ii.max)) for _ in range(n)], dtype=npd)
        arrays.append(a.reshape(t["shape"]))
    return arrays


def arena_size_for(data, info):
    total = sum((t["bytes"] or 0) + 64 for t in info["tensors"] if not t["const"])
    return 2 * total + 4 * len(data) + (1 << 20)


def run_case(data, info, inputs):
    """One fresh interpreter, one Invoke. Returns {"outputs": [bytes], "tensors": {idx: bytes}}
    or raises RuntimeError/ValueError when TFLM refuses the model."""
    interp = runtime.Interpreter.from_bytes(
        bytes(data), arena_size=arena_size_for(data, info),
        intrepreter_config=runtime.InterpreterConfig.kPreserveAllTensors)
    for i, a in enumerate(inputs):
        interp.set_input(a, i)
    interp.invoke()
    outs = [np.ascontiguousarray(interp.get_output(j)).tobytes()
            for j in range(len(info["outputs"]))]
    produced = set(info["inputs"])
    for op in info["operators"]:
        produced.update(i for i in op["outputs"] if i >= 0)
    produced.update(t["index"] for t in info["tensors"] if t["is_variable"])
    tens = {}
    for idx in sorted(produced):
        t = info["tensors"][idx]
        if t["const"] or t["np"] is None:
            continue
        d = interp.GetTensor(idx, 0)
        raw = d["tensor_data"] if isinstance(d, dict) else d
        tens[idx] = np.ascontiguousarray(raw).tobytes()
    return {"outputs": outs, "tensors": tens}


def _tensor_meta(t):
    return {"name": t["name"], "dtype": t["dtype"], "shape": t["shape"],
            "scale": t["scale"][0] if len(t["scale"]) == 1 else (t["scale"] or None),
            "zero_point": t["zero_point"][0] if len(t["zero_point"]) == 1 else (
                t["zero_point"] or None),
            "bytes": t["bytes"], "tensor_index": t["index"]}


def meta_for(info, model_name, cases, input_rule):
    prod, cons = {}, {}
    for op in info["operators"]:
        for i in op["outputs"]:
            prod[i] = op
        for i in op["inputs"]:
            cons.setdefault(i, []).append(op["index"])
    tensors = []
    for t in info["tensors"]:
        if t["const"]:
            continue
        p = prod.get(t["index"])
        m = _tensor_meta(t)
        m.update({"index": t["index"], "producer_op_index": p["index"] if p else None,
                  "producer_op": p["op"] if p else None,
                  "consumer_op_indices": cons.get(t["index"], []),
                  "graph_input": t["index"] in info["inputs"],
                  "graph_output": t["index"] in info["outputs"],
                  "is_variable": t["is_variable"]})
        tensors.append(m)
    from tflite_micro.python.tflite_micro import _version  # noqa: E402
    return {"model": model_name,
            "inputs": [_tensor_meta(info["tensors"][i]) for i in info["inputs"]],
            "outputs": [_tensor_meta(info["tensors"][i]) for i in info["outputs"]],
            "cases": cases, "generator": "pip tflite-micro " + getattr(
                _version, "__version__", "?") + " (tests/oracle/tflm_oracle.py)",
            "input_rule": input_rule, "tensors": tensors}


def write_case(outdir, k, inputs, result):
    d = os.path.join(outdir, "case%d" % k)
    os.makedirs(d, exist_ok=True)
    for i, a in enumerate(inputs):
        with open(os.path.join(d, "in%d.bin" % i), "wb") as f:
            f.write(np.ascontiguousarray(a).tobytes())
    for j, b in enumerate(result["outputs"]):
        with open(os.path.join(d, "out%d.bin" % j), "wb") as f:
            f.write(b)
    for idx, b in result["tensors"].items():
        with open(os.path.join(d, "t%d.bin" % idx), "wb") as f:
            f.write(b)


def read_inputs(info, case_dir):
    arrays = []
    for i, idx in enumerate(info["inputs"]):
        t = info["tensors"][idx]
        with open(os.path.join(case_dir, "in%d.bin" % i), "rb") as f:
            arrays.append(np.frombuffer(f.read(), dtype=t["np"]).reshape(t["shape"]))
    return arrays


def run_model(model_path, outdir, cases=5, seed=0, inputs_from=None):
    with open(model_path, "rb") as f:
        data = f.read()
    info = read_model(data)
    if inputs_from:
        cases = len([d for d in os.listdir(inputs_from) if d.startswith("case")])
        rule = "inputs read from " + os.path.basename(os.path.normpath(inputs_from))
    else:
        rule = ("case0: zero points; case k>0: random.Random(%d*1000+k), integers uniform over "
                "the dtype's range, float32 uniform(-1, 1)" % seed)
    os.makedirs(outdir, exist_ok=True)
    for k in range(cases):
        if inputs_from:
            inputs = read_inputs(info, os.path.join(inputs_from, "case%d" % k))
        else:
            inputs = draw_inputs(info, None if k == 0 else seed * 1000 + k)
        write_case(outdir, k, inputs, run_case(data, info, inputs))
    with open(os.path.join(outdir, "meta.json"), "w") as f:
        json.dump(meta_for(info, os.path.basename(model_path), cases, rule), f, indent=1)
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a model, write golden-format files")
    r.add_argument("model")
    r.add_argument("outdir")
    r.add_argument("--cases", type=int, default=5)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--inputs-from", help="a golden folder whose case<k>/in<i>.bin to use")
    a = ap.parse_args(argv)
    try:
        run_model(a.model, a.outdir, a.cases, a.seed, a.inputs_from)
    except Exception as e:  # TFLM reports refusals as RuntimeError/ValueError
        print("tflm_oracle: TFLM refused %s: %s" % (a.model, str(e).splitlines()[0] if str(e)
                                                     else type(e).__name__), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
