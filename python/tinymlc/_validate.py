"""validate(): the generated C and TensorFlow Lite Micro (the `tflite-micro` package, its
reference kernels) on the same inputs, compared output by output and layer by layer."""

import dataclasses
import random
from typing import List, Optional, Sequence

import numpy as np

from . import _api, _host

_NP = {"float32": np.float32, "int8": np.int8, "int16": np.int16, "int32": np.int32,
       "uint8": np.uint8, "int64": np.int64, "bool": np.bool_}


def _tflm():
    try:
        from tflite_micro.python.tflite_micro import runtime
    except Exception as e:  # ImportError, or the wheel's own import failures
        raise RuntimeError(
            "tinymlc.validate needs TensorFlow Lite Micro's Python package: pip install "
            "--no-deps tflite-micro (scripts/oracle_env.sh pins a version that imports): %s" % e)
    return runtime


def random_inputs(facts: dict, seed: int) -> List[np.ndarray]:
    """The rule of ../shared/golden: one random.Random(seed) drawn over the inputs in order,
    integers uniform over the type's range, floats uniform in [-1, 1)."""
    rng = random.Random(seed)
    arrays = []
    for idx in facts["inputs"]:
        t = facts["tensors"][idx]
        dtype = _NP[t["dtype"]]
        n = int(np.prod(t["shape"] or [1]))
        if dtype == np.float32:
            a = np.array([rng.uniform(-1.0, 1.0) for _ in range(n)], dtype=dtype)
        elif dtype == np.bool_:
            a = np.array([rng.randint(0, 1) for _ in range(n)], dtype=dtype)
        else:
            ii = np.iinfo(dtype)
            a = np.array([rng.randint(int(ii.min), int(ii.max)) for _ in range(n)], dtype=dtype)
        arrays.append(a.reshape(t["shape"]))
    return arrays


@dataclasses.dataclass
class LayerCheck:
    op_index: int
    op: str
    tensor: int
    shape: List[int]
    max_steps: float          # largest |difference| in quantized steps (raw units for floats)
    max_real: Optional[float]  # the same in real units (scale x steps), None if unquantized

    @property
    def exact(self) -> bool:
        return self.max_steps == 0


@dataclasses.dataclass
class Validation:
    model: str
    cases: int
    layers: List[LayerCheck]
    outputs_exact: bool

    @property
    def bit_exact(self) -> bool:
        return self.outputs_exact and all(l.exact for l in self.layers)

    @property
    def first_difference(self) -> Optional[LayerCheck]:
        return next((l for l in self.layers if not l.exact), None)

    def table(self) -> str:
        lines = ["%4s  %-22s %6s  %-18s %s" % ("op", "operator", "tensor", "shape", "result")]
        for l in self.layers:
            if l.exact:
                result = "bit-exact"
            else:
                result = "max |diff| %g steps" % l.max_steps
                if l.max_real is not None:
                    result += " (%.6g real)" % l.max_real
            lines.append("%4d  %-22s %6d  %-18s %s" % (l.op_index, l.op, l.tensor,
                                                       "[%s]" % ",".join(map(str, l.shape)), result))
        first = self.first_difference
        verdict = ("every layer and output bit-exact with TFLM over %d case(s)" % self.cases
                   if self.bit_exact else
                   "DIFFERS from TFLM%s" % (": first at op %d %s (tensor %d)" %
                                            (first.op_index, first.op, first.tensor) if first else
                                            " in the outputs"))
        lines.append("%s: %s" % (self.model, verdict))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    if a.dtype == np.bool_:
        return float(np.count_nonzero(a != b))
    if np.issubdtype(a.dtype, np.floating):
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if same.all():
            return 0.0
        return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))[~same]))
    return float(np.max(np.abs(a.astype(np.int64) - b.astype(np.int64)))) if a.size else 0.0


def validate(model: _api.Model, inputs: Optional[Sequence] = None, cases: int = 5,
             verbose: bool = True, _patch_source=None) -> Validation:
    """Runs the generated C and TFLM on the same inputs (`inputs`: one list of arrays per
    case, or one list for one case; default `cases` random cases, seeds 1..cases, as in
    ../shared/golden) and compares every output and every layer's output. Prints the table
    (verbose) and returns a Validation (bit_exact, first_difference, layers)."""
    runtime = _tflm()
    data, label = _api.model_bytes(model)
    facts = _api.inspect(data)
    host = _host.load(data, _patch_source=_patch_source)
    if inputs is None:
        case_inputs = [random_inputs(facts, seed) for seed in range(1, cases + 1)]
    elif len(inputs) and isinstance(inputs[0], (list, tuple)):
        case_inputs = [list(c) for c in inputs]
    else:
        case_inputs = [list(inputs)]
    op_of = {}
    for op in facts["operators"]:
        for t in op["outputs"]:
            op_of[t] = op
    worst = {}
    outputs_exact = True
    arena = 2 * sum(t["bytes"] + 64 for t in facts["tensors"] if t["kind"] != "const") + \
        4 * len(data) + (1 << 20)
    for xs in case_inputs:
        quantized = [_host.to_tensor(x, info, "input %d" % i).reshape(
            list(info.dims[:info.rank])) for i, (info, x) in enumerate(zip(host.inputs, xs))]
        ours, layers = host.invoke(quantized, layers=True)
        interp = runtime.Interpreter.from_bytes(
            data, arena_size=arena, intrepreter_config=runtime.InterpreterConfig.kPreserveAllTensors)
        for i, q in enumerate(quantized):
            interp.set_input(q, i)
        interp.invoke()
        for j, o in enumerate(ours):
            ref = np.asarray(interp.get_output(j)).reshape(o.shape)
            if _diff(o, ref.astype(o.dtype)) != 0:
                outputs_exact = False
        for index, mine in layers.items():
            if index not in op_of:
                continue
            got = interp.GetTensor(index, 0)
            raw = got["tensor_data"] if isinstance(got, dict) else got
            ref = np.asarray(raw).reshape(mine.shape).astype(mine.dtype)
            worst[index] = max(worst.get(index, 0.0), _diff(mine, ref))
    checks = []
    for op in facts["operators"]:
        for t in op["outputs"]:
            if t not in worst:
                continue
            tensor = facts["tensors"][t]
            q = tensor.get("quantization")
            scale = q["scale"][0] if q and len(q["scale"]) == 1 and tensor["dtype"] != "float32" else None
            checks.append(LayerCheck(op["index"], op["op"], t, tensor["shape"], worst[t],
                                     None if scale is None else worst[t] * scale))
    v = Validation(label, len(case_inputs), checks, outputs_exact)
    if verbose:
        print(v.table())
    return v
