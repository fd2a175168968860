"""The converter-made CNN of benchmarks/results/int4_vs_int8.txt: one small tf_keras CNN
(32x32x3 input; 3x3 convolutions, a depthwise 3x3, a 1x1 convolution, average pool,
dense), converted by tinymlc.convert() with mode="int8" (the TFLite converter, full
integer) and mode="int4" (ai-edge-quantizer: int8 activations, 4-bit weights for CONV_2D
and FULLY_CONNECTED, int8 for the depthwise layer), from the same float weights (seed 0)
and the same 64 random calibration inputs; mode="int16x8" (the TFLite converter's 16x8
mode: int16 activations, int8 weights) for the 16x8 vs 8x8 figures. Run in the oracle environment
(scripts/oracle_env.sh --int4) with python/ on the path of an installed tinymlc or with
the package's _convert module alone:

  python benchmarks/int4_cnn.py OUT_DIR   ->  OUT_DIR/cnn_int8.tflite, OUT_DIR/cnn_int4.tflite,
                                              OUT_DIR/cnn_int16x8.tflite
"""
import importlib.util
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location(
    "_convert", os.path.join(root, "python", "tinymlc", "_convert.py"))
_convert = importlib.util.module_from_spec(spec)
spec.loader.exec_module(_convert)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(0)
L = keras.layers
inp = keras.Input((32, 32, 3), batch_size=1)
x = L.Conv2D(16, 3, padding="same", activation="relu")(inp)
x = L.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
x = L.DepthwiseConv2D(3, padding="same", activation="relu")(x)
x = L.Conv2D(64, 1, activation="relu")(x)
x = L.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
x = L.AveragePooling2D(8)(x)
x = L.Flatten()(x)
x = L.Dense(10)(x)
model = keras.Model(inp, x)
rs = np.random.RandomState(0)
data = [rs.uniform(-1, 1, (1, 32, 32, 3)).astype(np.float32) for _ in range(64)]
for mode in ("int8", "int4", "int16x8"):
    tfl = _convert.convert(model, data, mode=mode)
    path = os.path.join(out, "cnn_%s.tflite" % mode)
    with open(path, "wb") as f:
        f.write(tfl)
    print(path, len(tfl), "bytes")
