"""compile, inspect and report: the compiler's own work, no C compiler needed."""

import dataclasses
import json
import os
from typing import Dict, List, Optional, Tuple, Union

from . import _core

Model = Union[str, os.PathLike, bytes, bytearray]

# Keyword options of compile(), as the command line spells them (README "Using tinymlc in
# firmware"): weights_section="--weights-section NAME", align=16, arena="external", ...
_OPTIONS = ("weights_section", "arena_section", "align", "arena", "weights_file", "float_io",
            "profile", "optimize")


def model_bytes(model: Model) -> Tuple[bytes, str]:
    """The model's bytes and the label messages name it by (its path, or '<bytes>')."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        return bytes(model), "<bytes>"
    path = os.fspath(model)
    with open(path, "rb") as f:
        return f.read(), path


def compile_to_memory(model: Model, name: Optional[str] = None, **options) -> dict:
    """The generated files as {file name: bytes} and the summary, nothing written."""
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError("unknown option(s) %s; tinymlc.compile takes %s" %
                        (", ".join(unknown), ", ".join(_OPTIONS)))
    data, label = model_bytes(model)
    if name is None:
        name = _core.model_name_from_path(label) if label != "<bytes>" else "model"
    align = options.get("align")
    return _core.compile_model(
        data, label, name,
        weights_section=options.get("weights_section") or "",
        arena_section=options.get("arena_section") or "",
        align="" if align is None else str(align),
        arena=options.get("arena") or "",
        weights_file=bool(options.get("weights_file", False)),
        float_io=bool(options.get("float_io", False)),
        profile=bool(options.get("profile", False)),
        optimize=options.get("optimize") or "")


@dataclasses.dataclass
class CompileResult:
    """What tinymlc.compile() wrote and what the model needs."""
    name: str
    paths: List[str]
    arena_bytes: int
    lower_bound: int
    weight_bytes: int
    operators: int
    macs: int
    layers: List[Dict]

    def __str__(self) -> str:
        return ("%s: %d operators, %d MACs, arena %d bytes (lower bound %d), weights %d bytes; %s"
                % (self.name, self.operators, self.macs, self.arena_bytes, self.lower_bound,
                   self.weight_bytes, ", ".join(self.paths)))


def compile(model: Model, out_dir: Union[str, os.PathLike], name: Optional[str] = None,
            **options) -> CompileResult:
    """Compiles `model` (a path or the .tflite bytes) into `out_dir`: NAME.c, NAME.h and
    tinyml_runtime.h (and NAME_weights.c with weights_file=True). `name` is the C prefix
    (default: the file's stem, 'model' for bytes); options as on the command line:
    weights_section, arena_section, align, arena ('static' or 'external'), weights_file,
    float_io, profile, optimize ('balanced', 'speed', 'size' or 'ram'). Raises ValueError with
    the compiler's message for a bad model."""
    r = compile_to_memory(model, name, **options)
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for file_name in sorted(r["files"]):
        path = os.path.join(os.fspath(out_dir), file_name)
        with open(path, "wb") as f:
            f.write(r["files"][file_name])
        paths.append(path)
    return CompileResult(name=r["name"], paths=paths, arena_bytes=r["arena_bytes"],
                         lower_bound=r["lower_bound"], weight_bytes=r["weight_bytes"],
                         operators=r["operators"], macs=r["macs"], layers=list(r["layers"]))


def inspect(model: Model) -> dict:
    """The data of `tinymlc inspect --json` (schema tinymlc-inspect/1, README)."""
    data, label = model_bytes(model)
    return json.loads(_core.inspect_json(data, label))


class Report:
    """The page of `tinymlc report`; a notebook shows it inline."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: Union[str, os.PathLike]) -> str:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html)
        return os.fspath(path)


def report(model: Model, path: Optional[Union[str, os.PathLike]] = None) -> Report:
    """The HTML report of `tinymlc report` (memory plan, live set, layers, totals); written
    to `path` when given."""
    data, label = model_bytes(model)
    r = Report(_core.report_html(data, label))
    if path is not None:
        r.save(path)
    return r
