"""keras_to_mcu.py - from training to the microcontroller in one script, as a notebook would do it.

1. Trains a small CNN on scikit-learn's handwritten digits (8x8 images, shipped inside the
   scikit-learn package: nothing is downloaded) with tf_keras.
2. Converts it to a full-int8 .tflite with tinymlc.convert (representative data from the
   training set).
3. Validates the generated C against TensorFlow Lite Micro, layer by layer (tinymlc.validate).
4. Compiles it (tinymlc.compile) and runs the generated C on the whole test set on this
   machine (tinymlc.run), and, when arm-none-eabi-gcc and qemu-system-arm are installed, on
   the emulated Cortex-M4 (QEMU mps2-an386) for a few test images.
5. Prints the accuracy of the float Keras model, of TFLM running the .tflite, and of the
   generated C; the last two must be equal (the outputs are byte-identical).

Run it with the oracle environment's python (scripts/oracle_env.sh) after
`pip install -r examples/python/requirements.txt` and `pip install .`:

    .venv-oracle/bin/python examples/python/keras_to_mcu.py [--out build/keras_to_mcu]
"""

import argparse
import os
import shutil
import subprocess
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import tinymlc  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load_digits():
    from sklearn.datasets import load_digits as sk_digits
    d = sk_digits()
    x = (d.images.astype(np.float32) / 16.0)[..., None]  # [n, 8, 8, 1] in [0, 1]
    y = d.target.astype(np.int64)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    return x[:split], y[:split], x[split:], y[split:]


def train(x, y):
    import tf_keras as keras
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.layers.Input((8, 8, 1)),
        keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
        keras.layers.DepthwiseConv2D(3, padding="same", activation="relu"),
        keras.layers.Conv2D(32, 1, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, epochs=25, batch_size=32, verbose=0)
    return model


def tflm_predict(tflite, x_int8):
    from tflite_micro.python.tflite_micro import runtime
    interp = runtime.Interpreter.from_bytes(tflite, arena_size=1 << 20)
    preds = []
    for img in x_int8:
        interp.set_input(img[None, ...], 0)
        interp.invoke()
        preds.append(int(np.argmax(interp.get_output(0))))
    return np.array(preds)


def run_on_m4(out_dir, tflite_path, x_int8, count):
    """The generated C on the emulated Cortex-M4: examples/firmware built for QEMU's
    mps2-an386 with the model and the first `count` test images as its cases (the
    firmware's golden-input layout). Returns each case's output bytes, or None when the
    Arm toolchain, QEMU or a host tinymlc (build/compiler/tinymlc, or $TINYMLC) is missing."""
    host = os.environ.get("TINYMLC") or os.path.join(ROOT, "build", "compiler", "tinymlc")
    if not (shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm") and
            os.path.exists(host)):
        return None
    shared = os.path.join(out_dir, "m4_shared")
    name = os.path.splitext(os.path.basename(tflite_path))[0]
    for k in range(count):
        case = os.path.join(shared, "golden", name, "case%d" % k)
        os.makedirs(case, exist_ok=True)
        x_int8[k].tofile(os.path.join(case, "in0.bin"))
    build = os.path.join(out_dir, "m4_firmware")
    subprocess.run(["cmake", "-S", os.path.join(ROOT, "examples", "firmware"), "-B", build,
                    "-DCMAKE_TOOLCHAIN_FILE=" + os.path.join(ROOT, "cmake", "arm-none-eabi.cmake"),
                    "-DTINYMLC_ARM_CPU=cortex-m4", "-DTINYMLC_HOST_TINYMLC=" + host,
                    "-DTINYMLC_FW_MODELS=" + os.path.abspath(tflite_path),
                    "-DTINYMLC_SHARED_DIR=" + shared, "-DCMAKE_BUILD_TYPE=MinSizeRel"],
                   check=True, capture_output=True)
    subprocess.run(["cmake", "--build", build, "-j2"], check=True, capture_output=True)
    p = subprocess.run(["qemu-system-arm", "-M", "mps2-an386", "-nographic",
                        "-semihosting-config", "enable=on,target=native",
                        "-kernel", os.path.join(build, "fw_%s.elf" % name)],
                       capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    outs = {}
    for line in (p.stdout + p.stderr).splitlines():
        f = line.split()
        if len(f) == 5 and f[0] == "case" and f[2] == "out" and f[3] == "0":
            outs[int(f[1])] = bytes.fromhex(f[4])
    return [outs.get(k) for k in range(count)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "keras_to_mcu"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    x_train, y_train, x_test, y_test = load_digits()
    model = train(x_train, y_train)
    float_acc = float(np.mean(np.argmax(model.predict(x_test, verbose=0), axis=1) == y_test))

    tflite = tinymlc.convert(model, representative_data=[x_train[i:i + 1] for i in range(300)],
                             mode="int8", io="int8")
    path = os.path.join(a.out, "digits_int8.tflite")
    with open(path, "wb") as f:
        f.write(tflite)

    print("== tinymlc.validate (generated C against TFLM, every layer) ==")
    v = tinymlc.validate(path, cases=3)
    print()
    r = tinymlc.compile(path, os.path.join(a.out, "c"), name="digits")
    print("== tinymlc.compile ==\n%s\n" % r)

    facts = tinymlc.inspect(path)
    q = facts["tensors"][facts["inputs"][0]]["quantization"]
    x_int8 = tinymlc._host.quantize(x_test, q["scale"][0], q["zero_point"][0], np.int8)
    tflm = tflm_predict(tflite, x_int8)
    ours = np.array([int(np.argmax(tinymlc.run(path, img[None, ...])[0])) for img in x_int8])
    same = int(np.sum(tflm == ours))

    m4_count = 20
    m4 = run_on_m4(a.out, path, x_int8, m4_count)
    if m4 is None:
        m4_line = "not run (needs arm-none-eabi-gcc, qemu-system-arm and build/compiler/tinymlc)"
    else:
        host_bytes = [tinymlc.run(path, img[None, ...])[0].tobytes() for img in x_int8[:m4_count]]
        m4_same = sum(1 for k in range(m4_count) if m4[k] == host_bytes[k])
        m4_pred = np.array([int(np.argmax(np.frombuffer(o, np.int8))) if o else -1 for o in m4])
        m4_line = ("%d of %d digits: outputs byte-identical to the host run in %d, accuracy %.4f"
                   % (m4_count, m4_count, m4_same, float(np.mean(m4_pred == y_test[:m4_count]))))

    print("== accuracy on %d test digits ==" % len(y_test))
    print("float Keras model:         %.4f" % float_acc)
    print("int8 .tflite on TFLM:      %.4f" % float(np.mean(tflm == y_test)))
    print("generated C (tinymlc.run): %.4f" % float(np.mean(ours == y_test)))
    print("TFLM and the generated C predict the same class on %d of %d digits; layers %s"
          % (same, len(y_test), "bit-exact" if v.bit_exact else "DIFFER"))
    print("generated C on the emulated Cortex-M4 (QEMU mps2-an386): %s" % m4_line)
    ok = v.bit_exact and same == len(y_test) and (m4 is None or m4_same == m4_count)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
