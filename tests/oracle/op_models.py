"""Single-op models, built by hand with the TFLite schema, for the op and dtype forms that
the converter does not make (it folds FILL, ZEROS_LIKE, BROADCAST_ARGS, LOGICAL_NOT, and
converts float graphs only to float ops): CAST between every type pair TFLM runs, FILL,
ZEROS_LIKE, LOGICAL_*, SELECT_V2 on int8/int16, ARG_MAX/ARG_MIN on int8, REDUCE_MIN on
int8, REVERSE_V2 on int8/int16/int32/bool, ADD_N on int8, BROADCAST_TO on several
dtypes, BROADCAST_ARGS, and the custom TFLite_Detection_PostProcess (fast and regular
NMS). Each model runs through TFLM (tflm_oracle.py) and tinymlc (difftest.py's replay:
inputs case 0 = zero points, cases 1-2 random) and must match.

  op_models.py --tinymlc BIN [--out DIR]     exit 0 when every model matches
"""

import argparse
import os
import sys
import tempfile

import flatbuffers
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tflm_oracle import schema_fb as S  # noqa: E402

BO = S.BuiltinOperator
TT = S.TensorType
BOPT = S.BuiltinOptions
NP = {TT.FLOAT32: np.float32, TT.INT8: np.int8, TT.INT16: np.int16, TT.INT32: np.int32,
      TT.INT64: np.int64, TT.BOOL: np.bool_, TT.UINT8: np.uint8}


class Model:
    """One subgraph under construction."""

    def __init__(self):
        self.tensors, self.buffers, self.ops, self.codes = [], [S.BufferT()], [], []
        self.inputs, self.outputs = [], []

    def tensor(self, ttype, shape, data=None, scale=None, zp=0, name=None):
        t = S.TensorT()
        t.type, t.shape = ttype, list(shape)
        t.name = (name or "t%d" % len(self.tensors)).encode()
        b = S.BufferT()
        if data is not None:
            b.data = list(np.asarray(data, dtype=NP[ttype]).reshape(-1).tobytes())
        self.buffers.append(b)
        t.buffer = len(self.buffers) - 1
        if scale is not None:
            q = S.QuantizationParametersT()
            q.scale, q.zeroPoint = [float(scale)], [int(zp)]
            t.quantization = q
        self.tensors.append(t)
        return len(self.tensors) - 1

    def input(self, *a, **k):
        i = self.tensor(*a, **k)
        self.inputs.append(i)
        return i

    def op(self, code, ins, outs, opt_type=0, opt=None):
        if code not in self.codes:
            self.codes.append(code)
        o = S.OperatorT()
        o.opcodeIndex = self.codes.index(code)
        o.inputs, o.outputs = list(ins), list(outs)
        if opt is not None:
            o.builtinOptionsType, o.builtinOptions = opt_type, opt
        self.ops.append(o)

    def custom_op(self, name, ins, outs, options):
        """A custom operator (builtin code CUSTOM) with flexbuffer options."""
        code = ("custom", name)
        if code not in self.codes:
            self.codes.append(code)
        o = S.OperatorT()
        o.opcodeIndex = self.codes.index(code)
        o.inputs, o.outputs = list(ins), list(outs)
        o.customOptions = list(options)
        o.customOptionsFormat = S.CustomOptionsFormat.FLEXBUFFERS
        self.ops.append(o)

    def output(self, i):
        self.outputs.append(i)

    def bytes(self):
        m = S.ModelT()
        m.version = 3
        m.operatorCodes = []
        for c in self.codes:
            oc = S.OperatorCodeT()
            if isinstance(c, tuple):  # custom
                oc.builtinCode, oc.deprecatedBuiltinCode, oc.version = BO.CUSTOM, BO.CUSTOM, 1
                oc.customCode = c[1]
            else:
                oc.builtinCode, oc.deprecatedBuiltinCode, oc.version = c, min(c, 127), 1
            m.operatorCodes.append(oc)
        sg = S.SubGraphT()
        sg.tensors, sg.operators = self.tensors, self.ops
        sg.inputs, sg.outputs = self.inputs, self.outputs
        m.subgraphs, m.buffers = [sg], self.buffers
        b = flatbuffers.Builder(0)
        b.Finish(m.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())


def reducer(keep):
    o = S.ReducerOptionsT()
    o.keepDims = keep
    return BOPT.ReducerOptions, o


def cast_model():
    """Every (input, output) type pair of TFLM's CAST. float32 inputs are scaled by 100
    first (MUL) so that float -> int8 stays in range (out-of-range is undefined in C++)."""
    m = Model()
    srcs = []
    for tt in (TT.INT8, TT.INT16, TT.INT32, TT.BOOL):
        srcs.append((tt, m.input(tt, [2, 5])))
    f = m.input(TT.FLOAT32, [2, 5])
    hundred = m.tensor(TT.FLOAT32, [], data=[100.0])
    scaled = m.tensor(TT.FLOAT32, [2, 5])
    m.op(BO.MUL, [f, hundred], [scaled])
    srcs.append((TT.FLOAT32, scaled))
    for tin, src in srcs:
        for tout in (TT.INT8, TT.INT16, TT.INT32, TT.FLOAT32):
            o = m.tensor(tout, [2, 5])
            m.op(BO.CAST, [src], [o])
            m.output(o)
    return m


def fill_model():
    m = Model()
    for tt, dims_t in ((TT.FLOAT32, TT.INT32), (TT.INT32, TT.INT64), (TT.INT8, TT.INT32)):
        v = m.input(tt, [])
        d = m.tensor(dims_t, [3], data=[2, 1, 3])
        o = m.tensor(tt, [2, 1, 3])
        m.op(BO.FILL, [d, v], [o])
        m.output(o)
    for tt in (TT.INT8, TT.INT32, TT.INT64, TT.FLOAT32):
        x = m.input(tt, [3, 2])
        o = m.tensor(tt, [3, 2])
        m.op(BO.ZEROS_LIKE, [x], [o])
        m.output(o)
    return m


def logical_model():
    m = Model()
    a = m.input(TT.BOOL, [2, 1, 3])
    b = m.input(TT.BOOL, [4, 1])
    c = m.input(TT.BOOL, [2, 4, 3])
    for code in (BO.LOGICAL_AND, BO.LOGICAL_OR):
        o = m.tensor(TT.BOOL, [2, 4, 3])
        m.op(code, [a, b], [o])
        o2 = m.tensor(TT.BOOL, [2, 4, 3])
        m.op(code, [o, c], [o2])
        m.output(o2)
    n = m.tensor(TT.BOOL, [2, 4, 3])
    m.op(BO.LOGICAL_NOT, [c], [n])
    m.output(n)
    return m


def select_model():
    m = Model()
    cond = m.input(TT.BOOL, [2, 1, 4])
    for tt, scale in ((TT.INT8, 0.05), (TT.INT16, 0.001), (TT.FLOAT32, None)):
        x = m.input(tt, [2, 3, 4], scale=scale)
        y = m.input(tt, [3, 1], scale=scale)
        o = m.tensor(tt, [2, 3, 4], scale=scale)
        m.op(BO.SELECT_V2, [cond, x, y], [o])
        m.output(o)
    c2 = m.input(TT.BOOL, [5])
    x2 = m.input(TT.INT8, [5], scale=0.1)
    y2 = m.tensor(TT.INT8, [], data=[3], scale=0.1)
    o2 = m.tensor(TT.INT8, [5], scale=0.1)
    m.op(BO.SELECT_V2, [c2, x2, y2], [o2])
    m.output(o2)
    return m


def argminmax_reduce_model():
    m = Model()
    x = m.input(TT.INT8, [2, 3, 4], scale=0.1, zp=3)
    for code, axis, shape in ((BO.ARG_MAX, 1, [2, 4]), (BO.ARG_MIN, -1, [2, 3]),
                              (BO.ARG_MAX, 0, [3, 4]), (BO.ARG_MIN, 2, [2, 3])):
        a = m.tensor(TT.INT32, [1], data=[axis])
        o = m.tensor(TT.INT32, shape)
        if code == BO.ARG_MAX:
            opt = S.ArgMaxOptionsT()
            opt.outputType = TT.INT32
            m.op(code, [x, a], [o], BOPT.ArgMaxOptions, opt)
        else:
            opt = S.ArgMinOptionsT()
            opt.outputType = TT.INT32
            m.op(code, [x, a], [o], BOPT.ArgMinOptions, opt)
        m.output(o)
    for axes, keep, shape in (([1], True, [2, 1, 4]), ([0, 2], False, [3]), ([-1], False, [2, 3])):
        a = m.tensor(TT.INT32, [len(axes)], data=axes)
        o = m.tensor(TT.INT8, shape, scale=0.1, zp=3)
        m.op(BO.REDUCE_MIN, [x, a], [o], *reducer(keep))
        m.output(o)
    return m


def reverse_model():
    m = Model()
    for tt, axes in ((TT.INT8, [1]), (TT.INT16, [1, 2]), (TT.INT32, [0]), (TT.BOOL, [-1]),
                     (TT.FLOAT32, [2, 1]), (TT.INT64, [0, 1, 2])):
        x = m.input(tt, [2, 3, 4])
        a = m.tensor(TT.INT32, [len(axes)], data=axes)
        o = m.tensor(tt, [2, 3, 4])
        m.op(BO.REVERSE_V2, [x, a], [o])
        m.output(o)
    return m


def add_n_model():
    m = Model()
    ins = [m.input(TT.INT8, [3, 4], scale=0.02, zp=-5) for _ in range(3)]
    o = m.tensor(TT.INT8, [3, 4], scale=0.05, zp=2)
    m.op(BO.ADD_N, ins, [o])
    m.output(o)
    fins = [m.input(TT.FLOAT32, [6]) for _ in range(4)]
    fo = m.tensor(TT.FLOAT32, [6])
    m.op(BO.ADD_N, fins, [fo])
    m.output(fo)
    return m


def broadcast_model():
    m = Model()
    for tt, shape_t, ishape, oshape in ((TT.INT8, TT.INT32, [3, 1], [2, 3, 4]),
                                        (TT.INT16, TT.INT64, [1, 4], [3, 4]),
                                        (TT.BOOL, TT.INT32, [2, 1, 1], [2, 2, 3]),
                                        (TT.FLOAT32, TT.INT32, [5], [1, 2, 1, 3, 5])):
        x = m.input(tt, ishape)
        s = m.tensor(shape_t, [len(oshape)], data=oshape)
        o = m.tensor(tt, oshape)
        m.op(BO.BROADCAST_TO, [x, s], [o])
        m.output(o)
    for tt in (TT.INT32, TT.INT64):
        s1 = m.tensor(tt, [3], data=[2, 1, 4])
        s2 = m.tensor(tt, [2], data=[3, 1])
        o = m.tensor(tt, [3])
        m.op(BO.BROADCAST_ARGS, [s1, s2], [o])
        m.output(o)
    return m


def floor_model():
    """FLOOR_DIV / FLOOR_MOD broadcasting a constant [3] divisor over [2, 3] (an input
    divisor would be 0 in case 0, which TFLM's FLOOR_DIV fails), and FLOOR_MOD of two
    inputs (zeros give NaN, as in TFLM)."""
    m = Model()
    a = m.input(TT.FLOAT32, [2, 3])
    d = m.tensor(TT.FLOAT32, [3], data=[0.3, -0.7, 1.5])
    for code in (BO.FLOOR_DIV, BO.FLOOR_MOD):
        o = m.tensor(TT.FLOAT32, [2, 3])
        m.op(code, [a, d], [o])
        m.output(o)
    b = m.input(TT.FLOAT32, [2, 1])
    o = m.tensor(TT.FLOAT32, [2, 3])
    m.op(BO.FLOOR_MOD, [a, b], [o])
    m.output(o)
    return m


def detection_model(boxes, classes, background, options, box_stride=4, entries=None, seed=0):
    """TFLite_Detection_PostProcess (TFLM's SSD post-processing) alone: float32 box
    encodings and class scores as inputs, the anchors (y, x, h, w; positive sizes) a
    constant, the options a flexbuffer map."""
    from flatbuffers import flexbuffers
    rs = np.random.RandomState(seed)
    m = Model()
    enc = m.input(TT.FLOAT32, [1, boxes, box_stride])
    cls = m.input(TT.FLOAT32, [1, boxes, classes + background])
    anchors = np.concatenate([rs.uniform(0.1, 0.9, size=(boxes, 2)),
                              rs.uniform(0.05, 0.5, size=(boxes, 2))], axis=1)
    anc = m.tensor(TT.FLOAT32, [boxes, 4], data=anchors.astype(np.float32))
    n = entries or options["max_detections"]
    outs = [m.tensor(TT.FLOAT32, [1, n, 4]), m.tensor(TT.FLOAT32, [1, n]),
            m.tensor(TT.FLOAT32, [1, n]), m.tensor(TT.FLOAT32, [1])]
    m.custom_op("TFLite_Detection_PostProcess", [enc, cls, anc], outs,
                flexbuffers.Dumps(dict(options, num_classes=classes)))
    for o in outs:
        m.output(o)
    return m


SSD = {"y_scale": 10.0, "x_scale": 10.0, "h_scale": 5.0, "w_scale": 5.0}
DETECTION = {
    # fast NMS, the best class per anchor (SSD MobileNet's settings), 64 anchors: the
    # kept scores go through the merge sort (20 or more)
    "detection_fast": lambda: detection_model(64, 3, 1, dict(
        SSD, max_detections=10, max_classes_per_detection=1, nms_score_threshold=-0.5,
        nms_iou_threshold=0.5)),
    # regular NMS per class, 3 per class, wider box encodings
    "detection_regular": lambda: detection_model(40, 5, 1, dict(
        SSD, max_detections=8, max_classes_per_detection=1, detections_per_class=3,
        use_regular_nms=True, nms_score_threshold=0.1, nms_iou_threshold=0.4),
        box_stride=6, seed=2),
    # regular NMS, detections_per_class absent (TFLM's default 100)
    "detection_regular_default": lambda: detection_model(30, 2, 0, dict(
        SSD, max_detections=12, max_classes_per_detection=1, use_regular_nms=True,
        nms_score_threshold=-0.2, nms_iou_threshold=0.6), seed=3),
}


MODELS = {"cast": cast_model, "fill_zeros_like": fill_model, "logical": logical_model,
          "select_v2": select_model, "arg_min_max_reduce_min": argminmax_reduce_model,
          "reverse_v2": reverse_model, "add_n": add_n_model, "broadcast": broadcast_model,
          "floor_div_mod": floor_model, **DETECTION}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tinymlc", required=True)
    ap.add_argument("--out", help="keep the models here (default: a temporary folder)")
    ap.add_argument("--only", nargs="*", help="model names")
    a = ap.parse_args(argv)
    import difftest
    out = a.out or tempfile.mkdtemp(prefix="op_models-")
    dirs = []
    for name, fn in MODELS.items():
        if a.only and name not in a.only:
            continue
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "model.tflite"), "wb") as f:
            f.write(fn().bytes())
        dirs.append(d)
    return difftest.replay(os.path.abspath(a.tinymlc), dirs, label="oracle_op_models")


if __name__ == "__main__":
    sys.exit(main())
