"""int16x8 models made by the TF converter (Keras layers chosen to reach every 16x8 kernel:
conv, depthwise, dense with and without bias, grouped conv, add, sub, mul, pools, in both
bias forms: int64 and int32), compiled by tinymlc, built with gcc -Werror and compared with
the pip TFLM on the outputs of 4 inputs each (zeros and 3 random).

  .venv-oracle/bin/python scripts/int16x8_check.py build/compiler/tinymlc OUTDIR [model ...]

(scripts/oracle_env.sh makes .venv-oracle). Exit status 1 on any mismatch. Models tinymlc
or TFLM refuse are reported and skipped."""
import os, subprocess, sys, numpy as np
os.environ["TF_USE_LEGACY_KERAS"] = "1"
import tensorflow as tf
import tf_keras as keras
from tflite_micro.python.tflite_micro import runtime

tinymlc, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
rng = np.random.default_rng(7)
L = keras.layers

def functional(build, shape):
    x = keras.Input(shape)
    return keras.Model(x, build(x))

def models():
    yield "add", functional(lambda x: L.Add()([L.Conv2D(4, 1)(x), L.Conv2D(4, 3, padding="same")(x)]), (6, 6, 3))
    yield "add_bcast", functional(lambda x: L.Add()([L.Conv2D(4, 1)(x), L.GlobalAveragePooling2D(keepdims=True)(L.Conv2D(4, 1)(x))]), (5, 5, 2))
    yield "sub", functional(lambda x: L.Subtract()([L.Dense(6)(x), L.Dense(6)(x)]), (10,))
    yield "mul", functional(lambda x: L.Multiply()([L.Dense(6)(x), L.Dense(6)(x)]), (10,))
    yield "pools", keras.Sequential([L.Input((8, 8, 3)), L.Conv2D(4, 3), L.MaxPooling2D(2), L.AveragePooling2D(2, padding="same")])
    yield "softmax", keras.Sequential([L.Input((12,)), L.Dense(8), L.Softmax()])
    yield "mean", keras.Sequential([L.Input((6, 6, 3)), L.Conv2D(4, 3), L.GlobalAveragePooling2D()])
    yield "conv", keras.Sequential([L.Input((12, 12, 3)), L.Conv2D(8, 3, padding="same", activation="relu"), L.Conv2D(6, 3, strides=2)])
    yield "dw", keras.Sequential([L.Input((10, 10, 4)), L.DepthwiseConv2D(3, padding="same", depth_multiplier=2, activation="relu6"), L.DepthwiseConv2D(3, strides=2)])
    yield "fc", keras.Sequential([L.Input((20,)), L.Dense(16, activation="relu"), L.Dense(5)])
    yield "fc_nobias", keras.Sequential([L.Input((20,)), L.Dense(16, use_bias=False), L.Dense(5, use_bias=False)])
    yield "grouped", keras.Sequential([L.Input((8, 8, 8)), L.Conv2D(8, 3, groups=4, padding="same"), L.Conv2D(4, 1, groups=2)])
    yield "cnn", keras.Sequential([L.Input((16, 16, 1)), L.Conv2D(8, 3, activation="relu"), L.DepthwiseConv2D(3, activation="relu"), L.Conv2D(8, 1), L.Flatten(), L.Dense(10)])
    yield "dilated", keras.Sequential([L.Input((14, 14, 2)), L.Conv2D(4, 3, dilation_rate=2, padding="same"), L.DepthwiseConv2D(3, dilation_rate=2)])

def convert(model, shape, bias32=False):
    def rep():
        for _ in range(64):
            yield [rng.normal(0, 1.5, (1,) + shape).astype(np.float32)]
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = rep
    conv.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    conv.inference_input_type = tf.int16
    conv.inference_output_type = tf.int16
    if bias32:
        conv._experimental_full_integer_quantization_bias_type = tf.int32
    return conv.convert()

RUNNER = r'''
#include <stdio.h>
#include "m.h"
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb"); const tinyml_tensor_info_t *ii = m_input_info(0);
  (void)argc;
  if (fread(m_input(0), 1, ii->bytes, f) != ii->bytes) return 3;
  fclose(f);
  if (m_invoke() != 0) return 4;
  f = fopen(argv[2], "wb"); fwrite(m_output(0), 1, m_output_info(0)->bytes, f); fclose(f);
  return 0;
}
'''
total = bad = 0
only = set(sys.argv[3:])
for name, model in models():
    if only and name not in only: continue
    for bias32 in (False, True):
        tag = name + ("_b32" if bias32 else "")
        shape = tuple(model.input_shape[1:])
        try:
            data = convert(model, shape, bias32)
        except Exception as e:
            print(f"{tag}: converter failed: {str(e)[:200]}"); continue
        d = os.path.join(outdir, tag); os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "m.tflite"); open(path, "wb").write(data)
        r = subprocess.run([tinymlc, "compile", path, "-o", d, "--name", "m"], capture_output=True, text=True)
        if r.returncode:
            print(f"{tag}: tinymlc refused: {r.stderr.strip()[:300]}"); continue
        with open(os.path.join(d, "run.c"), "w") as f: f.write(RUNNER)
        exe = os.path.join(d, "run")
        subprocess.run(["gcc", "-O1", "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-I", d,
                        os.path.join(d, "m.c"), os.path.join(d, "run.c"), "-o", exe], check=True)
        interp = runtime.Interpreter.from_bytes(data, arena_size=1 << 22)
        ind = interp.get_input_details(0)
        for case in range(4):
            x = rng.integers(-32768, 32768, ind["shape"], dtype=np.int16) if case else np.zeros(ind["shape"], np.int16)
            interp.set_input(x, 0); interp.invoke(); want = interp.get_output(0)
            x.tofile(os.path.join(d, "in.bin"))
            subprocess.run([exe, os.path.join(d, "in.bin"), os.path.join(d, "out.bin")], check=True)
            got = np.fromfile(os.path.join(d, "out.bin"), dtype=want.dtype).reshape(want.shape)
            total += 1
            if not np.array_equal(got, want):
                bad += 1
                print(f"{tag} case {case}: MISMATCH {np.count_nonzero(got != want)}/{got.size} max diff {np.abs(got.astype(int) - want.astype(int)).max()}")
        print(f"{tag}: ok" if True else "")
print(f"int16x8 check: {total} cases, {bad} mismatching")
sys.exit(1 if bad else 0)
