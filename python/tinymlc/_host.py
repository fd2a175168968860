"""run(): the generated C built for this machine with its C compiler into a shared library
(cached by content), loaded with ctypes and run on numpy arrays."""

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _api, _core

_NAME = "tml_model"
_MAX_RANK = 8
# tinyml_type_t -> numpy dtype
_TYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.uint8, 5: np.int64,
          6: np.bool_, 7: np.uint32, 8: np.uint64}
_DTYPES = {"float32": np.float32, "int8": np.int8, "int16": np.int16, "int32": np.int32,
           "uint8": np.uint8, "int64": np.int64, "bool": np.bool_, "uint32": np.uint32,
           "uint64": np.uint64}


class _TensorInfo(ctypes.Structure):
    """tinyml_tensor_info_t (runtime_stub/tinyml_runtime.h)."""
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_int), ("rank", ctypes.c_int32),
                ("dims", ctypes.c_int32 * _MAX_RANK), ("bytes", ctypes.c_size_t),
                ("scale", ctypes.c_float), ("zero_point", ctypes.c_int32),
                ("tensor_index", ctypes.c_int32)]


_LAYER_FN = ctypes.CFUNCTYPE(None, ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_size_t)

# Every layer's output reaches Python through TINYML_LAYER_END (README "Layer hooks").
_HOOKS_H = """#include <stddef.h>
void tml_py_layer_end(long op_index, long tensor_index, const void *data, size_t bytes);
#define TINYML_LAYER_END(op_index, op_name, tensor_index, data, bytes) \\
  tml_py_layer_end((long)(op_index), (long)(tensor_index), (const void *)(data), (size_t)(bytes))
"""
_SHIM_C = """#include <stddef.h>
typedef void (*tml_py_layer_fn)(long, long, const void *, size_t);
static tml_py_layer_fn tml_py_callback;
void tml_py_set_layer_callback(tml_py_layer_fn fn) { tml_py_callback = fn; }
void tml_py_layer_end(long op_index, long tensor_index, const void *data, size_t bytes) {
  if (tml_py_callback != NULL) tml_py_callback(op_index, tensor_index, data, bytes);
}
"""

_lock = threading.Lock()
_loaded: Dict[str, "HostModel"] = {}


def cache_dir() -> str:
    """$TINYMLC_CACHE, else $XDG_CACHE_HOME/tinymlc, else ~/.cache/tinymlc."""
    root = os.environ.get("TINYMLC_CACHE")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "tinymlc")
    return root


def _c_compiler() -> List[str]:
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        raise RuntimeError("tinymlc.run needs a C compiler: none found (set CC)")
    return cc.split()


class HostModel:
    """One compiled model loaded into this process."""

    def __init__(self, lib_path: str, facts: dict):
        self.lib = ctypes.CDLL(lib_path)
        self.facts = facts
        for fn in ("input", "output"):
            f = getattr(self.lib, "%s_%s" % (_NAME, fn))
            f.restype, f.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
            g = getattr(self.lib, "%s_%s_info" % (_NAME, fn))
            g.restype, g.argtypes = ctypes.POINTER(_TensorInfo), [ctypes.c_size_t]
        self.lib.tml_model_invoke.restype = ctypes.c_int
        self.lib.tml_model_reset.restype = None
        self.lib.tml_py_set_layer_callback.argtypes = [_LAYER_FN]
        self.inputs = self._infos("input")
        self.outputs = self._infos("output")

    def _infos(self, kind: str) -> List[_TensorInfo]:
        get = getattr(self.lib, "%s_%s_info" % (_NAME, kind))
        infos, i = [], 0
        while True:
            p = get(i)
            if not p:
                return infos
            infos.append(p.contents)
            i += 1

    def invoke(self, inputs: Sequence[np.ndarray], layers: bool = False
               ) -> Tuple[List[np.ndarray], Dict[int, np.ndarray]]:
        if len(inputs) != len(self.inputs):
            raise ValueError("the model has %d input(s), got %d" % (len(self.inputs), len(inputs)))
        self.lib.tml_model_reset()
        for i, (info, x) in enumerate(zip(self.inputs, inputs)):
            q = to_tensor(x, info, "input %d" % i)
            ctypes.memmove(self.lib.tml_model_input(i), q.ctypes.data, info.bytes)
        seen: Dict[int, bytes] = {}

        def on_layer(op_index, tensor_index, data, nbytes):
            seen[int(tensor_index)] = ctypes.string_at(data, nbytes)

        callback = _LAYER_FN(on_layer)
        self.lib.tml_py_set_layer_callback(callback if layers else _LAYER_FN())
        try:
            status = self.lib.tml_model_invoke()
        finally:
            self.lib.tml_py_set_layer_callback(_LAYER_FN())
        if status != 0:
            raise RuntimeError("the generated model's invoke returned status %d" % status)
        outs = []
        for j, info in enumerate(self.outputs):
            dtype = _TYPES[info.type]
            raw = ctypes.string_at(self.lib.tml_model_output(j), info.bytes)
            outs.append(np.frombuffer(raw, dtype=dtype).reshape(list(info.dims[:info.rank])).copy())
        tensors = {}
        for index, raw in seen.items():
            t = self.facts["tensors"][index]
            dtype = _DTYPES.get(t["dtype"])
            if dtype is not None and len(raw) == np.dtype(dtype).itemsize * int(np.prod(t["shape"] or [1])):
                tensors[index] = np.frombuffer(raw, dtype=dtype).reshape(t["shape"]).copy()
        return outs, tensors


def quantize(x: np.ndarray, scale: float, zero_point: int, dtype) -> np.ndarray:
    """TFLM's QUANTIZE: x / scale in single precision, rounded half away from zero, plus the
    zero point, saturated (NaN gives the zero point)."""
    v = np.asarray(x, dtype=np.float32) / np.float32(scale)
    t = np.trunc(v)
    r = np.where(np.abs(v - t) >= np.float32(0.5), t + np.sign(v), t)
    r = np.where(np.isnan(r), 0.0, r).astype(np.float64) + zero_point
    ii = np.iinfo(dtype)
    return np.clip(r, ii.min, ii.max).astype(dtype)


def to_tensor(x, info: _TensorInfo, what: str) -> np.ndarray:
    """`x` as the bytes of the tensor: floats are quantized when the tensor is quantized
    integer; integers must already have the tensor's type."""
    dtype = _TYPES[info.type]
    a = np.asarray(x)
    count = int(info.bytes) // np.dtype(dtype).itemsize
    if a.size != count:
        raise ValueError("%s ('%s') has %d elements (shape %s), got %d" %
                         (what, info.name.decode(), count, list(info.dims[:info.rank]), a.size))
    if np.issubdtype(a.dtype, np.floating) and dtype != np.float32:
        if info.scale == 0.0:
            raise ValueError("%s ('%s') is %s without quantization: give %s values" %
                             (what, info.name.decode(), np.dtype(dtype).name, np.dtype(dtype).name))
        a = quantize(a, info.scale, info.zero_point, dtype)
    elif a.dtype != dtype:
        if not np.can_cast(a.dtype, dtype, casting="same_kind") or (
                np.issubdtype(a.dtype, np.integer) and
                (a.min(initial=0) < np.iinfo(dtype).min or a.max(initial=0) > np.iinfo(dtype).max)):
            raise ValueError("%s ('%s') is %s, got %s values" %
                             (what, info.name.decode(), np.dtype(dtype).name, a.dtype))
        a = a.astype(dtype)
    return np.ascontiguousarray(a.reshape(-1))


def _build(data: bytes, label: str, cc: List[str], lib: str, patch_source=None) -> None:
    """Compiles the model and builds the shared library at `lib` (atomically)."""
    d = os.path.dirname(lib)
    os.makedirs(d, exist_ok=True)
    r = _api.compile_to_memory(data, _NAME)
    work = tempfile.mkdtemp(dir=d)
    try:
        for file_name, content in r["files"].items():
            if patch_source is not None and file_name == _NAME + ".c":
                content = patch_source(content.decode()).encode()
            with open(os.path.join(work, file_name), "wb") as f:
                f.write(content)
        with open(os.path.join(work, "tml_py_hooks.h"), "w") as f:
            f.write(_HOOKS_H)
        with open(os.path.join(work, "tml_py_shim.c"), "w") as f:
            f.write(_SHIM_C)
        out = os.path.join(work, "lib.so")
        cmd = cc + ["-std=c99", "-O2", "-fPIC", "-shared", "-Wl,-Bsymbolic", "-include",
                    os.path.join(work, "tml_py_hooks.h"), "-I", work,
                    os.path.join(work, _NAME + ".c"), os.path.join(work, "tml_py_shim.c"),
                    "-o", out, "-lm"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("building the generated C of %s failed:\n%s\n%s" %
                               (label, " ".join(cmd), p.stderr[-4000:]))
        os.replace(out, lib)  # atomic: a concurrent run sees the whole library or none
    finally:
        shutil.rmtree(work, ignore_errors=True)


def load(model: _api.Model, _patch_source=None) -> HostModel:
    """The model compiled, built with the C compiler (once per model, compiler version and
    C compiler: cached in cache_dir()) and loaded. `_patch_source` (tests only) edits the
    generated C before it is built; such a build is never cached."""
    data, label = _api.model_bytes(model)
    cc = _c_compiler()
    facts = _api.inspect(data)
    if _patch_source is not None:
        lib = os.path.join(tempfile.mkdtemp(prefix="tinymlc_patched_"), "lib%s.so" % _NAME)
        _build(data, label, cc, lib, _patch_source)
        return HostModel(lib, facts)
    key = hashlib.sha256(data + _core.__version__.encode() + " ".join(cc).encode() +
                         _SHIM_C.encode() + _HOOKS_H.encode()).hexdigest()[:24]
    with _lock:
        if key not in _loaded:
            lib = os.path.join(cache_dir(), key, "lib%s.so" % _NAME)
            if not os.path.exists(lib):
                _build(data, label, cc, lib)
            _loaded[key] = HostModel(lib, facts)
        return _loaded[key]


def run(model: _api.Model, inputs, layers: bool = False
        ) -> Union[List[np.ndarray], Tuple[List[np.ndarray], Dict[int, np.ndarray]]]:
    """Runs the generated C of `model` on `inputs` (one array per model input, or one array
    for a one-input model) and returns the outputs as numpy arrays (quantized values for
    quantized outputs). Float arrays given for a quantized input are quantized with its
    scale and zero point exactly as TFLM's QUANTIZE does. layers=True also returns
    {tensor index: array} of every layer's output (the layer hooks)."""
    m = load(model)
    if isinstance(inputs, np.ndarray) or not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    outs, tensors = m.invoke(list(inputs), layers=layers)
    return (outs, tensors) if layers else outs
