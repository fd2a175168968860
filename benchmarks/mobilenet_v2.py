"""Converter-made MobileNetV2 models for benchmarks/results/ram.txt (patch-based execution,
tinymlc --optimize ram): tf_keras.applications.MobileNetV2(weights=None, no softmax)
with random weights (seed 0), batch 1, converted full-integer (int8 input and output, int8
activations and weights) by the TFLite converter with 8 random calibration inputs in
[-1, 1). Run in the oracle environment (ORACLE_VENV, TF 2.21):

  python benchmarks/mobilenet_v2.py OUT_DIR
      -> OUT_DIR/mobilenet_v2_1.0_224_int8.tflite   (alpha 1.0, 224 x 224 x 3)
         OUT_DIR/mobilenet_v2_0.35_160_int8.tflite  (alpha 0.35, 160 x 160 x 3)

The .tflite files are not committed (about 3.5 MB and 0.5 MB).
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for alpha, size in ((1.0, 224), (0.35, 160)):
    keras.utils.set_random_seed(0)
    inp = keras.Input((size, size, 3), batch_size=1)
    # No softmax: with random weights the logits span so little that TFLM refuses the
    # softmax's input scale (beta * scale must exceed 2^-26).
    model = keras.applications.MobileNetV2(input_tensor=inp, alpha=alpha, weights=None,
                                           classes=1000, classifier_activation=None)
    rs = np.random.RandomState(0)
    data = [rs.uniform(-1, 1, (1, size, size, 3)).astype(np.float32) for _ in range(8)]
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([d] for d in data)
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    tfl = conv.convert()
    path = os.path.join(out, "mobilenet_v2_%s_%d_int8.tflite" % (alpha, size))
    with open(path, "wb") as f:
        f.write(tfl)
    print(path, len(tfl), "bytes")
