"""TFLM's weight compression on the converter-made CNN of benchmarks/int4_cnn.py
(benchmarks/results/compressed_vs_int8.txt). From its cnn_int8.tflite:

  cnn_lut4_plain.tflite  every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED weight
                         tensor reduced to 16 values per channel of its quantization
                         (per tensor where it has one scale), still plain int8;
  cnn_lut4.tflite        the same weights LUT-compressed by TFLM's own compressor
                         (tflite_micro compression: 4-bit indices, a value table per
                         channel) with a TFLM_DECODE before each layer, as compress.py
                         makes them.

Both compute the same outputs; TFLM runs both. Run in the oracle environment:

  python benchmarks/compressed_cnn.py OUT_DIR/cnn_int8.tflite OUT_DIR
"""
import os
import sys

import numpy as np

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "tests", "oracle"))
import compress_model  # noqa: E402
from tflite_micro.tensorflow.lite.micro.compression import decode_insert, lut, model_editor, spec  # noqa: E402
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as tflite  # noqa: E402

WEIGHTED = (tflite.BuiltinOperator.CONV_2D, tflite.BuiltinOperator.DEPTHWISE_CONV_2D,
            tflite.BuiltinOperator.FULLY_CONNECTED)


def weight_tensors(model):
    sg = model.subgraphs[0]
    return [(sg.tensors.index(op.inputs[1]), op.inputs[1]) for op in sg.operators
            if op.opcode in WEIGHTED and len(op.inputs) > 1]


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    data = open(src, "rb").read()
    rs = np.random.RandomState(0)
    model = model_editor.read(data)
    for _, t in weight_tensors(model):
        axis, _ = compress_model._channels(t)
        t.array = compress_model._reduce_values(t.array, 16, axis, rs)
    plain = bytes(compress_model.tflm_compress._apply_flatbuffer_alignment(model.build()))
    with open(os.path.join(out, "cnn_lut4_plain.tflite"), "wb") as f:
        f.write(plain)
    model = model_editor.read(plain)
    results = {}
    for ti, t in weight_tensors(model):
        axis, _ = compress_model._channels(t)
        mode = spec.PerTensor() if axis is None else spec.PerChannel(axis=axis)
        results[(0, ti)] = lut.LutCompressor().compress(t, spec.LookUpTableCompression(4, mode))
    decode_insert.insert_decode_operators(model, results)
    packed = bytes(compress_model.tflm_compress._apply_flatbuffer_alignment(model.build()))
    with open(os.path.join(out, "cnn_lut4.tflite"), "wb") as f:
        f.write(packed)
    print("cnn_lut4_plain.tflite %d bytes, cnn_lut4.tflite %d bytes, %d weight tensors compressed"
          % (len(plain), len(packed), len(results)))


if __name__ == "__main__":
    main()
