#!/usr/bin/env python3
"""Bit-exact check of tinymlc's float32 kernels against the pip TFLM (tflite-micro).

Builds small float Keras models (tf_keras 2.21: MLP, CNN, a DS-CNN keyword spotter,
activations, residual / elementwise / data-movement layers) plus int8-inside versions
with float inputs and outputs (QUANTIZE / DEQUANTIZE at the edges), converts them with
the TFLite converter, compiles each with tinymlc, builds the generated C with gcc
(-std=c99 and -std=gnu11, -O2 and -Os, strict warnings) and compares every graph output
and every layer's output byte for byte with TFLM's interpreter on random inputs.

  python3 scripts/float_check.py --tinymlc build/compiler/tinymlc [--cases 20] [--keep DIR]

Needs numpy, tensorflow-cpu 2.21.0, tf_keras 2.21.0 and tflite-micro in the Python
environment. Prints one line per model and build, then a total; exit status 1 on any
mismatch.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

HOOKS = r"""
#include <stddef.h>
void fc_layer_end(long tensor_index, const void *data, size_t bytes);
#define TINYML_LAYER_END(op_index, op_name, tensor_index, data, bytes) \
  fc_layer_end((long)(tensor_index), (const void *)(data), (size_t)(bytes))
"""

RUNNER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

static FILE *layers;
void fc_layer_end(long tensor_index, const void *data, size_t bytes) {
  fprintf(layers, "%ld %lu\n", tensor_index, (unsigned long)bytes);
  fwrite(data, 1, bytes, layers);
  fputc('\n', layers);
}

/* argv: input files..., then the output prefix. */
int main(int argc, char **argv) {
  size_t i;
  char path[4096];
  if (argc != (int)MODEL_NUM_INPUTS + 2) return 2;
  for (i = 0; i < MODEL_NUM_INPUTS; ++i) {
    FILE *f = fopen(argv[1 + i], "rb");
    size_t n = model_input_info(i)->bytes;
    if (!f || fread(model_input(i), 1, n, f) != n) return 3;
    fclose(f);
  }
  snprintf(path, sizeof path, "%s.layers", argv[argc - 1]);
  layers = fopen(path, "wb");
  if (!layers) return 4;
  if (model_invoke() != TINYML_OK) return 5;
  fclose(layers);
  for (i = 0; i < MODEL_NUM_OUTPUTS; ++i) {
    FILE *f;
    snprintf(path, sizeof path, "%s.out%lu", argv[argc - 1], (unsigned long)i);
    f = fopen(path, "wb");
    fwrite(model_output(i), 1, model_output_info(i)->bytes, f);
    fclose(f);
  }
  return 0;
}
"""

BUILDS = [("c99-O2", ["-std=c99", "-O2"]), ("gnu11-O2", ["-std=gnu11", "-O2"]),
          ("gnu11-Os", ["-std=gnu11", "-Os"])]
# With an FMA unit the compiler could contract a * b + c (gcc does in the GNU dialects
# unless the generated file's pragma stops it): build that way too where the CPU has one.
FMA_BUILD = ("gnu11-O2-fma", ["-std=gnu11", "-O2", "-march=haswell"])


def cpu_has_fma():
    try:
        with open("/proc/cpuinfo") as f:
            return " fma " in f.read()
    except OSError:
        return False
STRICT = ["-Wall", "-Wextra", "-Wpedantic", "-Werror"]


def keras_models():
    import tensorflow as tf
    from tf_keras import layers, Model, Sequential, Input

    tf.random.set_seed(1234)
    np.random.seed(1234)
    models = {}

    models["mlp"] = Sequential([
        Input((20,)), layers.Dense(32, activation="relu"), layers.Dense(16, activation="tanh"),
        layers.Dense(16, activation="sigmoid"), layers.Dense(10), layers.Softmax()])

    models["cnn"] = Sequential([
        Input((16, 16, 3)), layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(),
        layers.DepthwiseConv2D(3, padding="same", activation="relu6"),
        layers.Conv2D(12, 3, strides=2, padding="same"), layers.AveragePooling2D(),
        layers.Flatten(), layers.Dense(10), layers.Softmax()])

    # A DS-CNN keyword spotter (49 x 10 MFCC input), batch norm folded by the converter.
    x = inp = Input((49, 10, 1))
    x = layers.Conv2D(16, (10, 4), strides=(2, 2), padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    for _ in range(2):
        x = layers.DepthwiseConv2D(3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.Conv2D(16, 1)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(12)(x)
    models["kws_dscnn"] = Model(inp, layers.Softmax()(x))

    x = inp = Input((24,))
    a = layers.Dense(24)(x)
    b = layers.ELU()(a)
    c = layers.LeakyReLU(0.2)(a)
    d = layers.PReLU()(a)
    e = layers.Activation("hard_swish")(a) if hasattr(tf.nn, "hard_swish") else \
        layers.Lambda(lambda t: t * tf.nn.relu6(t + 3.0) / 6.0)(a)
    f = layers.ReLU(max_value=6.0)(a)
    y = layers.Add()([b, c])
    y = layers.Subtract()([y, d])
    y = layers.Multiply()([y, e])
    y = layers.Add()([y, f])
    models["activations"] = Model(inp, layers.Dense(8, activation="sigmoid")(y))

    x = inp = Input((12, 12, 4))
    a = layers.Conv2D(4, 3, padding="same", activation="relu")(x)
    r = layers.Add()([x, a])
    p = layers.ZeroPadding2D(1)(r)
    m = layers.Conv2D(6, 5)(p)
    c = layers.Concatenate()([m, layers.Cropping2D(1)(layers.ZeroPadding2D(1)(m))])
    c = layers.Reshape((10 * 10, 12))(c)
    g = tf.reduce_mean(c, axis=1)
    h = layers.Dense(16, activation="relu")(g)
    models["residual"] = Model(inp, [layers.Dense(4)(h), layers.Activation("tanh")(h)])

    x = inp = Input((8, 8, 2))
    y = layers.Conv2D(4, 3, padding="same", activation="relu6", use_bias=False)(x)
    y = layers.DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding="valid")(y)
    y = layers.Activation("hard_swish")(y) if hasattr(tf.nn, "hard_swish") else y
    y = layers.MaxPooling2D(2, padding="same")(y)
    y = layers.Flatten()(y)
    models["mobile"] = Model(inp, layers.Dense(5, activation="softmax")(y))
    return models


def convert(model, int8_inside, rep_shape):
    import tensorflow as tf
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    if int8_inside:
        def rep():
            rng = np.random.default_rng(7)
            for _ in range(50):
                yield [rng.standard_normal((1,) + s).astype(np.float32) for s in rep_shape]
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = rep
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        # float input and output: the converter adds QUANTIZE / DEQUANTIZE
    return conv.convert()


def read_layers(path):
    out = {}
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        nl = data.index(b"\n", pos)
        t, n = map(int, data[pos:nl].split())
        out[t] = data[nl + 1:nl + 1 + n]
        pos = nl + 2 + n
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tinymlc", required=True)
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--keep", default=None)
    ap.add_argument("--cc", default="gcc,clang", help="comma-separated C compilers")
    args = ap.parse_args()
    from tflite_micro.python.tflite_micro import runtime

    work = args.keep or tempfile.mkdtemp(prefix="float_check_")
    os.makedirs(work, exist_ok=True)
    total_cases = total_layers = mismatches = models_run = 0
    failures = []
    for name, km in keras_models().items():
        in_shapes = [tuple(int(d) for d in t.shape[1:]) for t in km.inputs]
        for variant in ("f32", "int8io_f32"):
            mname = f"{name}_{variant}"
            mdir = os.path.join(work, mname)
            os.makedirs(mdir, exist_ok=True)
            tfl = os.path.join(mdir, "model.tflite")
            with open(tfl, "wb") as f:
                f.write(convert(km, variant != "f32", in_shapes))
            gen = os.path.join(mdir, "gen")
            r = subprocess.run([args.tinymlc, "compile", tfl, "-o", gen, "--name", "model"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"{mname}: tinymlc refused: {r.stderr.strip()}")
                failures.append(mname)
                mismatches += 1
                continue
            info = json.loads(subprocess.run([args.tinymlc, "inspect", tfl, "--json"],
                                             capture_output=True, text=True, check=True).stdout)
            op_outputs = sorted({t for o in info["operators"] for t in o["outputs"] if t >= 0})
            with open(os.path.join(mdir, "hooks.h"), "w") as f:
                f.write(HOOKS)
            with open(os.path.join(mdir, "runner.c"), "w") as f:
                f.write(RUNNER)
            interp = runtime.Interpreter.from_file(
                tfl, arena_size=4 << 20,
                intrepreter_config=runtime.InterpreterConfig.kPreserveAllTensors)
            rng = np.random.default_rng(99)
            cases = []
            for k in range(args.cases):
                ins = []
                for i, s in enumerate(in_shapes):
                    scale = [1.0, 4.0, 0.05][k % 3]
                    x = (rng.standard_normal((1,) + s) * scale).astype(np.float32)
                    ins.append(x)
                cases.append(ins)
            # TFLM: outputs and every tensor a layer writes.
            expected = []
            for ins in cases:
                for i, x in enumerate(ins):
                    interp.set_input(x, i)
                interp.invoke()
                outs = [np.array(interp.get_output(j)).tobytes()
                        for j in range(len(km.outputs))]
                expected.append((outs, {}))
                tensors = {t: np.array(interp.GetTensor(t, 0)["tensor_data"]).tobytes()
                           for t in op_outputs}
                expected[-1] = (outs, tensors)
            builds = BUILDS + ([FMA_BUILD] if cpu_has_fma() else [])
            for cc, (bname, flags) in [(c, b) for c in args.cc.split(",") if shutil.which(c)
                                       for b in builds]:
                bname = f"{cc} {bname}"
                exe = os.path.join(mdir, "run_" + bname.replace(" ", "_"))
                cmd = [cc] + flags + STRICT + ["-include", os.path.join(mdir, "hooks.h"),
                                                    "-I", gen, os.path.join(gen, "model.c"),
                                                    os.path.join(mdir, "runner.c"), "-o", exe,
                                                    "-lm"]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"{mname} [{bname}]: build failed:\n{r.stderr}")
                    failures.append(f"{mname}/{bname}")
                    mismatches += 1
                    continue
                bad = 0
                nlayers = 0
                first = None
                for k, ins in enumerate(cases):
                    files = []
                    for i, x in enumerate(ins):
                        p = os.path.join(mdir, f"c{k}_in{i}.bin")
                        x.tofile(p)
                        files.append(p)
                    prefix = os.path.join(mdir, f"c{k}_" + bname.replace(" ", "_"))
                    r = subprocess.run([exe] + files + [prefix], capture_output=True)
                    if r.returncode != 0:
                        bad += 1
                        first = first or f"case {k}: runner exit {r.returncode}"
                        continue
                    outs, tensors = expected[k]
                    for j, e in enumerate(outs):
                        with open(f"{prefix}.out{j}", "rb") as f:
                            got = f.read()
                        if got != e:
                            bad += 1
                            first = first or f"case {k}: output {j} differs"
                    for t, got in read_layers(prefix + ".layers").items():
                        nlayers += 1
                        if t in tensors and tensors[t] != got:
                            bad += 1
                            first = first or f"case {k}: tensor {t} differs"
                total_cases += len(cases)
                total_layers += nlayers
                mismatches += bad
                models_run += 1
                status = "bit-exact" if bad == 0 else f"{bad} MISMATCHES ({first})"
                print(f"{mname} [{bname}]: {len(cases)} cases, {nlayers} layer outputs: {status}")
                if bad:
                    failures.append(f"{mname}/{bname}")
    print(f"total: {models_run} model builds, {total_cases} cases, {total_layers} layer outputs "
          f"compared, {mismatches} mismatches")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
