#!/usr/bin/env python3
"""The train-to-MCU pipeline, measured (issue 15): scikit-learn's digits (8x8 images,
10 classes), and a synthetic machine-vibration task the script makes (4 classes from the
spectrum of 256-sample windows: normal, imbalance, misalignment, bearing fault; its student
pruned 75 % and 2:4 and clustered, not with --small) -> a teacher and a smaller student
trained with knowledge distillation
(tf_keras) -> the student pruned (50 %, 75 %, 90 % unstructured and 2:4) and clustered
(16 clusters per layer) with tensorflow-model-optimization, wrappers stripped -> full
int8 with the TF converter, and the float model quantized by `tinymlc quantize` on the same
calibration data (the first 200 training images) -> tinymlc (--sparse off: the dense-stored weights; auto: the
compiler's choice; size: the smallest form) -> the compiled C on the host (accuracy and
outputs byte for byte against the pip TFLM running the same .tflite on the whole test
split) -> the emulated Cortex-M4 (benchmarks/bench_m4.sh: qemu-system-arm mps2-an386 and
../shared/tools/qemu-cycles; its printed outputs checked against TFLM's).

    ORACLE_VENV=/work/main/.venv-oracle
    $ORACLE_VENV/bin/python examples/optimize/optimize.py --tinymlc build/compiler/tinymlc \\
        [--out benchmarks/results/optimize.txt] [--small] [--no-m4]

--small: a quick run for the test suite (fewer epochs; the distilled student, 90 %
pruning and 16 clusters; no M4). Both runs fail unless every compiled model matches TFLM
byte for byte on every test input, `tinymlc quantize` is within 0.5 points of the TF
converter's int8 accuracy on every model, the 90 %-pruned and clustered models store fewer
weight-matrix bytes than dense under --sparse size, and the 16-value models (per-channel
and per-tensor int8) at most 55 % of them; with the M4 run, --sparse auto's bytes and
cycles fall below dense at 75 % and 2:4. Exit 77 (skip) without the packages.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_USE_LEGACY_KERAS"] = "1"

try:
    import numpy as np
    import tensorflow as tf
    import tf_keras as keras
    import tensorflow_model_optimization as tfmot
    from sklearn.datasets import load_digits
    from tflite_micro.python.tflite_micro import runtime
except ImportError as e:  # pragma: no cover
    print(f"SKIPPED: {e} (run: bash scripts/oracle_env.sh)")
    sys.exit(77)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED = 15


def data():
    d = load_digits()
    x = (d.images.reshape(-1, 64) / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    idx = np.random.RandomState(SEED).permutation(len(x))
    x, y = x[idx], y[idx]
    n_test = 360
    return (x[n_test:], y[n_test:]), (x[:n_test], y[:n_test])


def vibration_data(n_per_class=500):
    """A synthetic machine-vibration task (made here, nothing downloaded): windows of 256
    accelerometer samples at 2 kHz of a shaft turning at 20-30 Hz, 4 classes: normal (1x
    and a little 2x), imbalance (a strong 1x), misalignment (a strong 2x and 3x), bearing
    fault (decaying 3.2 kHz-resonance bursts at 3.6x the shaft rate, aliased into the
    band); random amplitudes, phases and noise. Features: the magnitudes of the first 64
    FFT bins (0-500 Hz), log-scaled and standardized on the training split."""
    rs = np.random.RandomState(SEED + 1)
    fs, n = 2000.0, 256
    t = np.arange(n) / fs
    xs, ys = [], []
    for label in range(4):
        for _ in range(n_per_class):
            f0 = rs.uniform(20.0, 30.0)
            a1, a2, a3 = rs.uniform(0.5, 1.0), rs.uniform(0.05, 0.2), rs.uniform(0.0, 0.05)
            if label == 1:
                a1 *= rs.uniform(2.0, 3.0)
            elif label == 2:
                a2, a3 = rs.uniform(0.6, 1.2), rs.uniform(0.2, 0.5)
            p = rs.uniform(0, 2 * np.pi, 3)
            s = (a1 * np.sin(2 * np.pi * f0 * t + p[0]) + a2 * np.sin(4 * np.pi * f0 * t + p[1]) +
                 a3 * np.sin(6 * np.pi * f0 * t + p[2]))
            if label == 3:
                period = 1.0 / (3.6 * f0)
                tau = np.mod(t - rs.uniform(0, period), period)
                s += rs.uniform(0.4, 0.9) * np.exp(-tau * 400.0) * np.sin(2 * np.pi * 3200.0 * tau)
            s += rs.normal(0.0, rs.uniform(0.05, 0.3), n)
            spec = np.abs(np.fft.rfft(s * np.hanning(n)))[:64]
            xs.append(np.log1p(spec))
            ys.append(label)
    x, y = np.array(xs, dtype=np.float32), np.array(ys, dtype=np.int64)
    idx = rs.permutation(len(x))
    x, y = x[idx], y[idx]
    n_test = len(x) // 5
    mu, sd = x[n_test:].mean(axis=0), x[n_test:].std(axis=0) + 1e-6
    x = ((x - mu) / sd).astype(np.float32)
    return (x[n_test:], y[n_test:]), (x[:n_test], y[:n_test])


def mlp(hidden, name, n_out=10):
    keras.utils.set_random_seed(SEED)
    layers = [keras.Input(shape=(64,))]
    for i, h in enumerate(hidden):
        layers.append(keras.layers.Dense(h, activation="relu", name=f"{name}_d{i}"))
    layers.append(keras.layers.Dense(n_out, name=f"{name}_out"))
    return keras.Sequential(layers, name=name)


def cnn():
    """A small CNN on the 8x8 images: CONV_2D, DEPTHWISE_CONV_2D, a residual ADD, pools,
    FULLY_CONNECTED (only in the quantization table)."""
    keras.utils.set_random_seed(SEED)
    L = keras.layers
    inp = keras.Input(shape=(8, 8, 1))
    x = L.Conv2D(16, 3, padding="same", activation="relu")(inp)
    y = L.DepthwiseConv2D(3, padding="same", activation="relu")(x)
    y = L.Conv2D(16, 1, activation="relu")(y)
    x = L.MaxPooling2D(2)(L.Add()([x, y]))
    x = L.Conv2D(32, 3, padding="same", activation="relu6")(x)
    x = L.AveragePooling2D(2)(x)
    x = L.Dense(10)(L.Flatten()(x))
    return keras.Model(inp, x, name="cnn")


def compile_model(m, lr=2e-3):
    m.compile(optimizer=keras.optimizers.Adam(lr),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])


def distill(student, teacher, x, y, epochs, temperature=4.0, alpha=0.3):
    """Knowledge distillation: alpha * CE(labels) + (1 - alpha) * T^2 * KL(teacher_T || student_T)."""
    keras.utils.set_random_seed(SEED)
    opt = keras.optimizers.Adam(2e-3)
    soft = tf.nn.softmax(teacher(x, training=False) / temperature)
    ds = tf.data.Dataset.from_tensor_slices((x, y, soft)).shuffle(2048, seed=SEED).batch(64)
    ce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    kl = keras.losses.KLDivergence()
    for _ in range(epochs):
        for xb, yb, sb in ds:
            with tf.GradientTape() as tape:
                logits = student(xb, training=True)
                loss = alpha * ce(yb, logits) + (1 - alpha) * temperature ** 2 * kl(
                    sb, tf.nn.softmax(logits / temperature))
            grads = tape.gradient(loss, student.trainable_variables)
            opt.apply_gradients(zip(grads, student.trainable_variables))
    return student


def prune(base, x, y, epochs, sparsity=None, m_by_n=None):
    m = keras.models.clone_model(base)
    m.set_weights(base.get_weights())
    steps = int(np.ceil(len(x) / 64)) * epochs
    if m_by_n:
        kw = {"sparsity_m_by_n": m_by_n}
    else:
        kw = {"pruning_schedule": tfmot.sparsity.keras.PolynomialDecay(
            initial_sparsity=0.0, final_sparsity=sparsity, begin_step=0,
            end_step=max(1, steps * 2 // 3), frequency=max(1, steps // 20))}
    pm = tfmot.sparsity.keras.prune_low_magnitude(m, **kw)
    compile_model(pm, 1e-3)
    keras.utils.set_random_seed(SEED)
    pm.fit(x, y, epochs=epochs, batch_size=64, verbose=0,
           callbacks=[tfmot.sparsity.keras.UpdatePruningStep()])
    return tfmot.sparsity.keras.strip_pruning(pm)


def cluster(base, x, y, epochs, clusters=16):
    m = keras.models.clone_model(base)
    m.set_weights(base.get_weights())
    cm = tfmot.clustering.keras.cluster_weights(
        m, number_of_clusters=clusters,
        cluster_centroids_init=tfmot.clustering.keras.CentroidInitialization.KMEANS_PLUS_PLUS)
    compile_model(cm, 1e-4)
    keras.utils.set_random_seed(SEED)
    cm.fit(x, y, epochs=epochs, batch_size=64, verbose=0)
    return tfmot.clustering.keras.strip_clustering(cm)


def to_int8(model, x_cal, per_tensor=False):
    """Full int8 with the TF converter. per_tensor: one scale per FULLY_CONNECTED weight
    tensor (the converter's default is one per output channel), which keeps a clustered
    layer's 16 values 16 int8 values for the whole tensor (one table instead of one per
    channel)."""
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    if per_tensor:
        conv._experimental_disable_per_channel_quantization_for_dense_layers = True
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([x_cal[i:i + 1]] for i in range(200))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return conv.convert()


def to_int16x8(model, x_cal):
    """The converter's 16x8 mode (int16 activations, int8 weights, int16 graph I/O)."""
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([x_cal[i:i + 1]] for i in range(200))
    conv.target_spec.supported_ops = [
        tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    conv.inference_input_type = tf.int16
    conv.inference_output_type = tf.int16
    return conv.convert()


def to_float(model):
    """The float32 .tflite (the converter without optimizations)."""
    return tf.lite.TFLiteConverter.from_keras_model(model).convert()


def float_accuracy(tfl, x, y):
    interp = tf.lite.Interpreter(model_content=tfl)
    interp.allocate_tensors()
    i, o = interp.get_input_details()[0]["index"], interp.get_output_details()[0]["index"]
    hits = 0
    for row, label in zip(x, y):
        interp.set_tensor(i, row[None, ...])
        interp.invoke()
        hits += int(np.argmax(interp.get_tensor(o)) == label)
    return hits / len(x)


def tinymlc_quantize(tinymlc, float_tfl, x_cal, work, name, per_tensor=False, int16=False):
    """`tinymlc quantize` on the float model with the converter's calibration inputs
    (one .npy of 200 samples), int8 graph inputs and outputs like to_int8() (int16 ones
    with --activations int16, like to_int16x8())."""
    d = os.path.join(work, f"{name}_quantize{'16' if int16 else ''}")
    os.makedirs(os.path.join(d, "cal"), exist_ok=True)
    src, dst = os.path.join(d, "float.tflite"), os.path.join(d, "int8.tflite")
    with open(src, "wb") as f:
        f.write(float_tfl)
    np.save(os.path.join(d, "cal", "x.npy"), x_cal[:200].astype(np.float32))
    flags = ["--int8-io"] + (["--per-tensor-fc"] if per_tensor else []) + \
        (["--activations", "int16"] if int16 else [])
    subprocess.run([tinymlc, "quantize", src, "--calibration", os.path.join(d, "cal"), "-o", dst] + flags,
                   check=True, capture_output=True, text=True)
    with open(dst, "rb") as f:
        return f.read()


def quantize_inputs(tfl, x):
    interp = tf.lite.Interpreter(model_content=tfl)
    d = interp.get_input_details()[0]
    scale, zp = d["quantization"]
    info = np.iinfo(d["dtype"])
    return np.clip(np.round(x / scale) + zp, info.min, info.max).astype(d["dtype"])


def tflm_outputs(tfl, xq):
    interp = runtime.Interpreter.from_bytes(bytes(tfl), arena_size=1 << 20)
    outs = []
    for row in xq:
        interp.set_input(row[None, ...], 0)
        interp.invoke()
        outs.append(np.array(interp.get_output(0)).reshape(-1).copy())
    return np.stack(outs)


def weight_sparsity(model):
    w = [v.numpy() for v in model.trainable_variables if "kernel" in v.name]
    total = sum(a.size for a in w)
    return 1.0 - sum(int(np.count_nonzero(a)) for a in w) / total


def host_run(tinymlc, tfl, name, xq, flags, work):
    """Compiles with tinymlc, builds the C for the host, runs every input. Returns
    (outputs, weight bytes, forms) where forms lists the layers' weight forms."""
    d = os.path.join(work, f"{name}_{flags.replace('--sparse ', '')}")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"{name}.tflite")
    with open(path, "wb") as f:
        f.write(tfl)
    out = subprocess.run([tinymlc, "compile", path, "-o", d, "--name", name] + flags.split(),
                         check=True, capture_output=True, text=True).stdout
    wbytes = int(re.search(r"weights (\d+) bytes", out).group(1))
    insp = subprocess.run([tinymlc, "inspect", path] + flags.split(), check=True,
                          capture_output=True, text=True).stdout
    # "Weight forms" lines: "  <op> FULLY_CONNECTED <form> (... weight bytes dense D / sparse S
    # / 2:4 T / 2:4 pairs P / clustered C; ...)": the chosen form and its matrix bytes.
    forms, matrix = [], 0
    for m in re.finditer(r"^ +\d+ +FULLY_CONNECTED +([a-z0-9:]+(?: pairs)?)[, ].*weight bytes dense "
                         r"([\d,]+) / sparse ([\d,-]+) / 2:4 ([\d,-]+) / 2:4 pairs ([\d,-]+) / "
                         r"clustered ([\d,-]+)", insp, re.M):
        form = m.group(1)
        b = {k: int(v.replace(",", "")) if v != "-" else 0
             for k, v in zip(("dense", "sparse", "2:4", "2:4 pairs", "clustered"), m.group(2, 3, 4, 5, 6))}
        forms.append(form.replace(" ", "-"))
        matrix += b[form]
    main = os.path.join(d, "run.c")
    with open(main, "w") as f:
        f.write(f"""#include <stdio.h>
#include "{name}.h"
int main(int argc, char **argv) {{
  FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
  const size_t n = {name}_input_info(0)->bytes, m = {name}_output_info(0)->bytes;
  (void)argc;
  if (!in || !out) return 2;
  while (fread({name}_input(0), 1, n, in) == n) {{
    if ({name}_invoke() != TINYML_OK) return 1;
    fwrite({name}_output(0), 1, m, out);
  }}
  fclose(out);
  return 0;
}}
""")
    exe = os.path.join(d, "run")
    subprocess.run(["cc", "-std=c99", "-O1", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                    "-I", d, main, os.path.join(d, f"{name}.c"), "-o", exe, "-lm"], check=True)
    xin, xout = os.path.join(d, "x.bin"), os.path.join(d, "y.bin")
    xq.tofile(xin)
    subprocess.run([exe, xin, xout], check=True)
    return np.fromfile(xout, dtype=xq.dtype).reshape(len(xq), -1), wbytes, forms, matrix


def bench_m4(models, flags, work, golden):
    """benchmarks/bench_m4.sh on the models (one firmware build per --sparse mode);
    returns {name: (instructions, cycles, arena, weights, code)}."""
    shared = os.path.join(work, f"shared_{flags.replace('--sparse ', '')}")
    os.makedirs(os.path.join(shared, "golden"), exist_ok=True)
    tools = os.path.join(shared, "tools")
    if not os.path.exists(tools):
        os.symlink(os.path.join(ROOT, "..", "shared", "tools"), tools)
    for name, (xq0, y0) in golden.items():
        g = os.path.join(shared, "golden", name, "case0")
        os.makedirs(g, exist_ok=True)
        xq0.tofile(os.path.join(g, "in0.bin"))
        y0.tofile(os.path.join(g, "out0.bin"))
    out_dir = os.path.join(work, f"m4_{flags.replace('--sparse ', '')}")
    env = dict(os.environ, SHARED_DIR=shared, WORK_DIR=out_dir + "_work", OUT_DIR=out_dir,
               OPTS="-O2", LAYERS="0", TINYMLC_OPTIONS=flags, JOBS="2",
               TINYMLC=os.environ["TINYMLC_EXE"])
    subprocess.run(["bash", os.path.join(ROOT, "benchmarks", "bench_m4.sh")] + models, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    res = {}
    txt = [f for f in os.listdir(out_dir) if f.startswith("m4") and f.endswith(".txt")
           and "layers" not in f][0]
    for line in open(os.path.join(out_dir, txt)):
        f = line.split()
        if len(f) == 13 and f[1] == "-O2":
            res[f[0]] = (int(f[3]), int(f[4]), int(f[9]), int(f[11]), int(f[12]))
    return res


def compare_quantizers(tinymlc, model, step, name, ref, acc, xtr, xte, yte, work, tf_weights,
                       int16=False):
    """The float model quantized by `tinymlc quantize` on the TF converter's calibration data,
    run by TFLM and compiled by tinymlc (dense), against the TF converter's int8 outputs
    `ref` (accuracy `acc`; with int16, its 16x8 ones and `tinymlc quantize --activations
    int16`). Returns (row, failures)."""
    failures = []
    per_tensor = step.endswith("per-tensor")
    ftfl = to_float(model)
    facc = float_accuracy(ftfl, xte, yte)
    qtfl = tinymlc_quantize(tinymlc, ftfl, xtr, work, name, per_tensor=per_tensor, int16=int16)
    qxq = quantize_inputs(qtfl, xte)
    qref = tflm_outputs(qtfl, qxq)
    qacc = float(np.mean(np.argmax(qref, axis=1) == yte))
    qgot, qw, _, _ = host_run(tinymlc, qtfl, name + ("q16" if int16 else "q"), qxq, "--sparse off", work)
    qsame = np.array_equal(qgot, qref)
    if not qsame:
        failures.append(f"{step} tinymlc quantize: {int(np.sum(qgot != qref))} output bytes differ from TFLM")
    if abs(qacc - acc) > 0.005 + 1e-9:
        failures.append(f"{step}: tinymlc quantize accuracy {qacc:.4f}, TF converter {acc:.4f}: more "
                        f"than 0.5 points apart")
    # How often the two int8 models give the same output bytes on a test image.
    agree = float(np.mean(np.all(qref == ref, axis=1))) if qref.shape == ref.shape else 0.0
    return ({"step": step, "float": facc, "tf": acc, "tinymlc": qacc, "weights": qw, "agree": agree,
             "tf_weights": tf_weights, "exact": qsame}, failures)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tinymlc", required=True)
    ap.add_argument("--out", default="")
    ap.add_argument("--work", default="")
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--no-m4", action="store_true")
    a = ap.parse_args()
    tinymlc = os.path.abspath(a.tinymlc)
    os.environ["TINYMLC_EXE"] = tinymlc
    work = a.work or tempfile.mkdtemp(prefix="tinymlc_optimize_")
    os.makedirs(work, exist_ok=True)
    (xtr, ytr), (xte, yte) = data()
    ep = 8 if a.small else 40
    fine = 4 if a.small else 12

    steps = []  # (step, keras model)
    teacher = mlp([256, 256], "teacher")
    compile_model(teacher)
    teacher.fit(xtr, ytr, epochs=ep, batch_size=64, verbose=0)
    if not a.small:
        steps.append(("teacher 64-256-256-10", teacher))
        plain = mlp([128, 128], "plain")
        compile_model(plain)
        plain.fit(xtr, ytr, epochs=ep, batch_size=64, verbose=0)
        steps.append(("student 64-128-128-10", plain))
    student = distill(mlp([128, 128], "student"), teacher, xtr, ytr, ep)
    steps.append(("student, distilled (KD)", student))
    for s in ([0.9] if a.small else [0.5, 0.75, 0.9]):
        steps.append((f"KD + pruned {int(s * 100)}%", prune(student, xtr, ytr, fine, sparsity=s)))
    if not a.small:
        steps.append(("KD + pruned 2:4", prune(student, xtr, ytr, fine, m_by_n=(2, 4))))
    clustered = cluster(student, xtr, ytr, fine)
    if not a.small:
        steps.append(("KD + clustered 16", clustered))
    steps.append(("KD + clustered 16, per-tensor", clustered))
    digits = (xtr, ytr, xte, yte)
    steps = [(s, m, digits) for s, m in steps]
    if not a.small:
        # The synthetic vibration task (4 classes, 64 spectral features): the same student
        # shape distilled from a wider teacher, pruned 75 % and 2:4, clustered.
        vib = vibration_data()
        (vxtr, vytr), (vxte, vyte) = vib
        vteacher = mlp([256, 256], "vteacher", 4)
        compile_model(vteacher)
        vteacher.fit(vxtr, vytr, epochs=ep, batch_size=64, verbose=0)
        vstudent = distill(mlp([128, 128], "vstudent", 4), vteacher, vxtr, vytr, ep)
        vdata = (vxtr, vytr, vxte, vyte)
        steps += [("vibration: teacher", vteacher, vdata),
                  ("vibration: student (KD)", vstudent, vdata),
                  ("vibration: KD + pruned 75%", prune(vstudent, vxtr, vytr, fine, sparsity=0.75), vdata),
                  ("vibration: KD + pruned 2:4", prune(vstudent, vxtr, vytr, fine, m_by_n=(2, 4)), vdata),
                  ("vibration: KD + clustered 16", cluster(vstudent, vxtr, vytr, fine), vdata)]

    rows, golden, names, failures, qrows = [], {}, [], [], []
    modes = ["--sparse off", "--sparse auto", "--sparse size"]
    for i, (step, model, (sxtr, sytr, sxte, syte)) in enumerate(steps):
        name = f"opt{i}"
        tfl = to_int8(model, sxtr, per_tensor=step.endswith("per-tensor"))
        xq = quantize_inputs(tfl, sxte)
        ref = tflm_outputs(tfl, xq)
        acc = float(np.mean(np.argmax(ref, axis=1) == syte))
        golden[name] = (xq[0], ref[0])
        names.append(name)
        sp = weight_sparsity(model)
        for flags in modes:
            got, wbytes, forms, matrix = host_run(tinymlc, tfl, name, xq, flags, work)
            same = np.array_equal(got, ref)
            if not same:
                failures.append(f"{step} {flags}: {int(np.sum(got != ref))} output bytes differ from TFLM")
            rows.append({"step": step, "name": name, "mode": flags.split()[-1], "acc": acc,
                         "sparsity": sp, "weights": wbytes, "matrix": matrix, "forms": ",".join(forms),
                         "exact": same})
        qrow, qfail = compare_quantizers(tinymlc, model, step, name, ref, acc, sxtr, sxte, syte, work,
                                         [r["weights"] for r in rows if r["name"] == name][0])
        qrows.append(qrow)
        failures += qfail
        qacc, facc = qrow["tinymlc"], qrow["float"]
        print(f"optimize: {step}: accuracy {acc:.4f} (tinymlc quantize {qacc:.4f}, float {facc:.4f}), "
              f"sparsity {sp:.2f}", file=sys.stderr)

    # A small CNN, only in the quantization table: TF converter against tinymlc quantize.
    c = cnn()
    compile_model(c)
    x4tr, x4te = xtr.reshape(-1, 8, 8, 1), xte.reshape(-1, 8, 8, 1)
    c.fit(x4tr, ytr, epochs=ep // 2, batch_size=64, verbose=0)
    ctfl = to_int8(c, x4tr)
    cxq = quantize_inputs(ctfl, x4te)
    cref = tflm_outputs(ctfl, cxq)
    cacc = float(np.mean(np.argmax(cref, axis=1) == yte))
    cgot, cw, _, _ = host_run(tinymlc, ctfl, "cnn", cxq, "--sparse off", work)
    if not np.array_equal(cgot, cref):
        failures.append(f"CNN (TF converter): {int(np.sum(cgot != cref))} output bytes differ from TFLM")
    qrow, qfail = compare_quantizers(tinymlc, c, "CNN conv-dw-add-pools-dense", "cnn", cref, cacc, x4tr,
                                     x4te, yte, work, cw)
    qrows.append(qrow)
    failures += qfail
    print(f"optimize: CNN: accuracy {cacc:.4f} (tinymlc quantize {qrow['tinymlc']:.4f}, float "
          f"{qrow['float']:.4f})", file=sys.stderr)

    # 16x8: the TF converter's mode against `tinymlc quantize --activations int16`, on the
    # distilled student and the CNN; both 16x8 models compiled by tinymlc and equal to TFLM.
    for step16, m16, x16tr, x16te in (("student, distilled (KD),", student, xtr, xte),
                                      ("CNN conv-dw-add-pools-dense,", c, x4tr, x4te)):
        n16 = "s16" if m16 is student else "c16"
        t16 = to_int16x8(m16, x16tr)
        xq16 = quantize_inputs(t16, x16te)
        ref16 = tflm_outputs(t16, xq16)
        acc16 = float(np.mean(np.argmax(ref16, axis=1) == yte))
        got16, w16, _, _ = host_run(tinymlc, t16, n16, xq16, "--sparse off", work)
        if not np.array_equal(got16, ref16):
            failures.append(f"{step16} (TF converter 16x8): {int(np.sum(got16 != ref16))} output values differ "
                            f"from TFLM")
        qrow, qfail = compare_quantizers(tinymlc, m16, step16.replace(" conv-dw-add-pools-dense", "") + " 16x8",
                                         n16, ref16, acc16, x16tr, x16te, yte,
                                         work, w16, int16=True)
        qrow["exact"] = qrow["exact"] and np.array_equal(got16, ref16)
        qrows.append(qrow)
        failures += qfail
        print(f"optimize: {step16} 16x8: accuracy {acc16:.4f} (tinymlc quantize {qrow['tinymlc']:.4f})",
              file=sys.stderr)

    m4 = {}
    if not a.no_m4 and not a.small:
        paths = [os.path.join(work, f"{n}_off", f"{n}.tflite") for n in names]
        for flags in modes:
            m4[flags.split()[-1]] = bench_m4(paths, flags, work, golden)

    lines = ["# examples/optimize/optimize.py: scikit-learn digits (train 1437 / test 360), tf_keras,",
             "# and 'vibration:' rows, a synthetic machine-vibration task made by the script (4 classes,",
             "# 64 log-FFT features of 256-sample windows; train 1600 / test 400; vibration_data()),",
             "# tensorflow-model-optimization 0.8.1, TF converter full int8, tinymlc --sparse MODE;",
             "# accuracy: int8 model on the test split (the compiled C on the host, equal byte for byte",
             "# to the pip TFLM on every test input: 'exact'); weights: constant bytes tinymlc emits;",
             "# M4: one invoke on qemu mps2-an386 at -O2 (benchmarks/bench_m4.sh; outputs checked",
             "# against TFLM's), cycles = qemu-cycles' Cortex-M4 estimate; code = text - weights.",
             "# matrix: the weight matrices' bytes in their chosen forms (dense: 1 per weight);",
             "# forms: the FULLY_CONNECTED layers' weight forms (inspect --sparse MODE). 'per-tensor':",
             "# the same clustered model converted with one weight scale per FULLY_CONNECTED tensor.",
             ""]
    hdr = (f"{'step':<30} {'mode':<5} {'acc':>6} {'zeros':>5} {'matrix':>7} {'weights':>8} {'code':>6} "
           f"{'arena':>6} {'M4 insns':>9} {'M4 cycles':>10} {'exact':<5} forms")
    lines += [hdr, "-" * len(hdr)]
    for r in rows:
        mm = m4.get(r["mode"], {}).get(r["name"])
        lines.append(
            f"{r['step']:<30} {r['mode']:<5} {r['acc']:>6.4f} {r['sparsity']:>5.2f} {r['matrix']:>7} {r['weights']:>8} "
            f"{mm[4] if mm else '-':>6} {mm[2] if mm else '-':>6} {mm[0] if mm else '-':>9} "
            f"{mm[1] if mm else '-':>10} {'yes' if r['exact'] else 'NO':<5} {r['forms']}")
    lines += ["",
              "# Quantization: the float model (TF converter, no optimizations) quantized by the TF",
              "# converter (full int8 above) and by `tinymlc quantize --int8-io` (per-tensor rows:",
              "# --per-tensor-fc) on the same 200 calibration images (the CNN: 8x8x1 images, trained",
              "# for half the epochs, only here); accuracy on the test split run",
              "# by the pip TFLM; exact: tinymlc's compiled C equals TFLM byte for byte on every test",
              "# input; weights: constant bytes tinymlc emits (--sparse off), TF converter's | tinymlc's;",
              "# same: share of test images on which both int8 models give the same output bytes.",
              "# 16x8 rows: the converter's 16x8 mode (int16 activations and I/O) and `tinymlc quantize",
              "# --int8-io --activations int16`; exact: tinymlc's C equals TFLM on both 16x8 models.",
              ""]
    qhdr = (f"{'step':<30} {'float':>6} {'TF int8':>8} {'tinymlc':>8} {'diff':>7} {'weights':>15} {'same':>6} exact")
    lines += [qhdr, "-" * len(qhdr)]
    for q in qrows:
        lines.append(f"{q['step']:<30} {q['float']:>6.4f} {q['tf']:>8.4f} {q['tinymlc']:>8.4f} "
                     f"{q['tinymlc'] - q['tf']:>+7.4f} {str(q['tf_weights']) + ' | ' + str(q['weights']):>15} "
                     f"{q['agree']:>6.3f} {'yes' if q['exact'] else 'NO'}")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)

    # Checks (both runs): bit-exact everywhere; weights fall with pruning and clustering.
    dense = {r["step"]: r["matrix"] for r in rows if r["mode"] == "off"}
    size = {r["step"]: r["matrix"] for r in rows if r["mode"] == "size"}
    for step in size:
        if "pruned 90" in step or "clustered" in step or "2:4" in step:
            if size[step] >= dense[step]:
                failures.append(f"{step}: --sparse size stores {size[step]} matrix bytes, not fewer "
                                f"than dense {dense[step]}")
    # With the M4 run: the default mode's weight bytes and cycles fall at 75 % and at 2:4.
    for r in rows:
        if m4 and r["mode"] == "auto" and ("pruned 75" in r["step"] or "2:4" in r["step"]):
            cyc, cyc_off = m4["auto"][r["name"]][1], m4["off"][r["name"]][1]
            if r["matrix"] >= dense[r["step"]] or cyc >= cyc_off:
                failures.append(f"{r['step']}: --sparse auto {r['matrix']} matrix bytes and {cyc} est. M4 "
                                f"cycles, not below dense {dense[r['step']]} and {cyc_off}")
    for cl in [s for s in size if "clustered" in s]:
        if size[cl] > 0.55 * dense[cl]:
            failures.append(f"{cl}: {size[cl]} matrix bytes, more than 55 % of dense {dense[cl]}")
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("optimize: FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print("optimize: every compiled model equals TFLM byte for byte", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
