"""tinymlc from Python: compile a TensorFlow Lite model to C99, look at it, run the generated C
on this machine and check it against TensorFlow Lite Micro, layer by layer.

    import tinymlc
    tinymlc.compile("model.tflite", "out/")               # out/model.c, model.h, tinyml_runtime.h
    tinymlc.inspect("model.tflite")["totals"]             # arena, weights, estimated M4 cycles
    outputs = tinymlc.run("model.tflite", [x])            # the generated C, built with cc
    tinymlc.validate("model.tflite")                      # ... against TFLM, every layer

The compiler is linked in (tinymlc._core); `run` needs a C compiler (cc, or $CC), `validate`
the `tflite-micro` package and `convert` TensorFlow (both optional).
"""

from ._core import __version__
from ._api import CompileResult, Report, compile, inspect, report
from ._host import run
from ._validate import Validation, validate
from ._convert import convert

__all__ = ["__version__", "compile", "inspect", "report", "run", "validate", "convert",
           "CompileResult", "Report", "Validation"]
