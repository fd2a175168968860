"""The Python package (python/tinymlc), installed with `pip install .` into a fresh venv by
tests/python/run_tests.sh: compile, inspect, report, run and validate on the bundled
models, on ../shared/golden (bit-exact with TFLM's frozen outputs and every layer) and,
when the `tflite-micro` package imports, against TFLM itself."""

import json
import os
import re

import numpy as np
import pytest

import tinymlc
from tinymlc import _host

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = os.path.join(ROOT, "examples", "models")
SHARED = os.environ.get("TINYMLC_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
GOLDEN = os.path.join(SHARED, "golden")
GOLDEN_MODELS = sorted(d for d in os.listdir(GOLDEN)) if os.path.isdir(GOLDEN) else []

try:
    from tflite_micro.python.tflite_micro import runtime as _tflm  # noqa: F401
    HAVE_TFLM = True
except Exception:
    HAVE_TFLM = False
needs_tflm = pytest.mark.skipif(not HAVE_TFLM, reason="tflite-micro does not import here")
needs_shared = pytest.mark.skipif(not GOLDEN_MODELS, reason="no ../shared/golden beside the repository")


def example(name):
    return os.path.join(EXAMPLES, name)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("TINYMLC_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


def test_import_and_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", tinymlc.__version__)


def test_compile_writes_the_files_and_the_summary(tmp_path):
    r = tinymlc.compile(example("example_cnn.tflite"), tmp_path)
    names = sorted(os.path.basename(p) for p in r.paths)
    assert names == ["example_cnn.c", "example_cnn.h", "tinyml_runtime.h"]
    facts = tinymlc.inspect(example("example_cnn.tflite"))
    assert r.arena_bytes == facts["memory_plan"]["arena_bytes"]
    assert r.weight_bytes == facts["memory_plan"]["weight_bytes"]
    assert r.macs == facts["total_macs"] and r.operators == len(facts["operators"])
    assert "EXAMPLE_CNN_ARENA_SIZE" in (tmp_path / "example_cnn.h").read_text()


def test_compile_is_deterministic_and_takes_bytes(tmp_path):
    data = open(example("example_sine.tflite"), "rb").read()
    a = tinymlc.compile(data, tmp_path / "a", name="sine")
    b = tinymlc.compile(data, tmp_path / "b", name="sine")
    assert (tmp_path / "a" / "sine.c").read_bytes() == (tmp_path / "b" / "sine.c").read_bytes()
    assert a.arena_bytes == b.arena_bytes


def test_compile_options_as_on_the_command_line(tmp_path):
    r = tinymlc.compile(example("example_sine.tflite"), tmp_path, name="s", weights_file=True,
                        arena="external", float_io=True, align=32)
    assert sorted(os.path.basename(p) for p in r.paths) == ["s.c", "s.h", "s_weights.c",
                                                            "tinyml_runtime.h"]
    header = (tmp_path / "s.h").read_text()
    assert "s_set_arena" in header and "s_set_input_float" in header
    with pytest.raises(ValueError, match="--align '12'"):
        tinymlc.compile(example("example_sine.tflite"), tmp_path, align=12)
    with pytest.raises(TypeError, match="unknown option"):
        tinymlc.compile(example("example_sine.tflite"), tmp_path, optimise="speed")
    tinymlc.compile(example("example_sine.tflite"), tmp_path / "speed", name="s", optimize="speed")
    assert "#define TML_SPEED_PATHS 1\n" in (tmp_path / "speed" / "s.c").read_text()
    with pytest.raises(ValueError, match="--optimize 'fast'"):
        tinymlc.compile(example("example_sine.tflite"), tmp_path, optimize="fast")


def test_bad_model_raises_with_the_compilers_message(tmp_path):
    with pytest.raises(ValueError, match="<bytes>"):
        tinymlc.compile(b"not a flatbuffer at all", tmp_path)
    bad = tmp_path / "bad.tflite"
    data = bytearray(open(example("example_cnn.tflite"), "rb").read())
    bad.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(ValueError, match="bad.tflite"):
        tinymlc.inspect(bad)


def test_report_is_a_page_with_the_plan(tmp_path):
    rep = tinymlc.report(example("example_cnn.tflite"), tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text()
    assert html == rep._repr_html_() and html.startswith("<!DOCTYPE html>")
    facts = tinymlc.inspect(example("example_cnn.tflite"))
    assert len(re.findall(r'<rect class="buffer[^"]*"', html)) == len(facts["memory_plan"]["buffers"])


def test_run_sine_quantizes_floats_like_tflm():
    facts = tinymlc.inspect(example("example_sine.tflite"))
    t = facts["tensors"][facts["inputs"][0]]
    scale, zp = t["quantization"]["scale"][0], t["quantization"]["zero_point"][0]
    xs = np.linspace(0.0, 2 * np.pi, 40, dtype=np.float32)
    for x in xs:
        q = int(np.clip(np.trunc(np.float32(x) / np.float32(scale) + np.float32(0.5)) + zp, -128, 127))
        from_float = tinymlc.run(example("example_sine.tflite"), np.array([[x]], dtype=np.float32))
        from_int = tinymlc.run(example("example_sine.tflite"), np.array([[q]], dtype=np.int8))
        assert from_float[0].tobytes() == from_int[0].tobytes()
    y = tinymlc.run(example("example_sine.tflite"), np.array([[np.pi / 2]], dtype=np.float32))[0]
    o = facts["tensors"][facts["outputs"][0]]["quantization"]
    real = (int(y.reshape(-1)[0]) - o["zero_point"][0]) * o["scale"][0]
    assert abs(real - 1.0) < 0.1


def test_run_rejects_wrong_inputs():
    with pytest.raises(ValueError, match="has 1 elements"):
        tinymlc.run(example("example_sine.tflite"), np.zeros(3, dtype=np.int8))
    with pytest.raises(ValueError, match="model has 1 input"):
        tinymlc.run(example("example_sine.tflite"), [np.zeros(1, np.int8), np.zeros(1, np.int8)])


def golden_cases(model):
    d = os.path.join(GOLDEN, model)
    meta = json.load(open(os.path.join(d, "meta.json")))
    for k in range(meta["cases"]):
        case = os.path.join(d, "case%d" % k)
        ins = [np.fromfile(os.path.join(case, "in%d.bin" % i), dtype=t["dtype"]).reshape(t["shape"])
               for i, t in enumerate(meta["inputs"])]
        outs = [open(os.path.join(case, "out%d.bin" % j), "rb").read()
                for j in range(len(meta["outputs"]))]
        yield k, case, ins, outs, meta


@needs_shared
@pytest.mark.parametrize("model", GOLDEN_MODELS)
def test_run_is_bit_exact_with_the_golden_data(model):
    path = os.path.join(SHARED, "models", model + ".tflite")
    layers_checked = 0
    for k, case, ins, outs, meta in golden_cases(model):
        got, layers = tinymlc.run(path, ins, layers=True)
        assert [o.tobytes() for o in got] == outs, "case %d" % k
        for index, arr in layers.items():
            f = os.path.join(case, "t%d.bin" % index)
            if not os.path.exists(f):
                continue
            t = next(t for t in meta["tensors"] if t["index"] == index)
            if t.get("undefined_byte_ranges"):
                continue
            assert arr.tobytes() == open(f, "rb").read(), "case %d tensor %d" % (k, index)
            layers_checked += 1
    assert layers_checked > 0


@needs_tflm
def test_validate_bundled_models_bit_exact():
    for name in ("example_cnn.tflite", "example_stripes.tflite", "example_tone.tflite"):
        v = tinymlc.validate(example(name), cases=3)
        assert v.bit_exact and len(v.layers) >= 3, v.table()


@needs_tflm
def test_validate_points_at_the_first_broken_layer(capsys):
    # One byte of the second layer's weights (its constant tensor's array) changed in the
    # generated C.
    facts = tinymlc.inspect(example("example_cnn.tflite"))
    weights = facts["operators"][1]["inputs"][1]

    def break_dw_weight(source):
        m = re.search(r"static const int8_t \w*_t%d\[\d+\] = \{\s*(-?\d+)" % weights, source)
        assert m, "no array of tensor %d in the generated C" % weights
        v = int(m.group(1))
        return source[:m.start(1)] + str(v + 7 if v < 100 else v - 7) + source[m.end(1):]

    v = tinymlc.validate(example("example_cnn.tflite"), cases=3, _patch_source=break_dw_weight)
    assert not v.bit_exact
    assert v.first_difference.op_index == 1
    assert facts["operators"][1]["op"] == v.first_difference.op == "DEPTHWISE_CONV_2D"
    assert all(l.exact for l in v.layers if l.op_index < 1)
    assert "first at op 1 DEPTHWISE_CONV_2D" in capsys.readouterr().out


@needs_tflm
@needs_shared
def test_python_m_tinymlc_validate_on_vww(capsys):
    from tinymlc.__main__ import main
    path = os.path.join(SHARED, "models", "vww_96_int8.tflite")
    if not os.path.exists(path):
        pytest.skip("no vww_96_int8 in ../shared")
    assert main(["validate", path, "--cases", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("bit-exact") >= 30 and "every layer and output bit-exact" in out


@needs_tflm
def test_validate_factory_models_from_the_converter(tmp_path):
    """Converter-made models of the oracle's factory (tests/oracle/factory.py) in three
    modes: every one tinymlc compiles is bit-exact with TFLM in every layer."""
    import sys
    sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))
    try:
        import factory
    except Exception as e:  # TensorFlow missing in this environment
        pytest.skip("the model factory needs TensorFlow: %s" % e)
    validated, refused = [], []
    for mode in ("int8", "int16x8", "float32"):
        for seed in (1, 2, 3):
            try:
                data, description = factory.make_model(seed, mode)
            except factory.ConversionError:
                continue
            try:
                tinymlc.compile(data, tmp_path / ("%s_%d" % (mode, seed)), name="m")
            except ValueError as e:
                assert "not supported" in str(e) or "unsupported" in str(e), str(e)
                refused.append((mode, seed))
                continue
            v = tinymlc.validate(data, cases=2, verbose=False)
            assert v.bit_exact, "%s seed %d (%s):\n%s" % (mode, seed, description, v.table())
            validated.append((mode, seed))
    print("factory models validated bit-exact: %s; refused: %s" % (validated, refused))
    assert len(validated) >= 5


@needs_tflm
def test_validate_int4_weights_from_convert(tmp_path):
    """convert(mode="int4") through ai-edge-quantizer: the CONV_2D and FULLY_CONNECTED
    weights are int4, stay 4 bits in the generated C (int4 words), and every layer is
    bit-exact with TFLM."""
    pytest.importorskip("ai_edge_quantizer")
    keras = pytest.importorskip("tf_keras")
    keras.utils.set_random_seed(1)
    inp = keras.Input((8, 8, 2), batch_size=1)
    x = keras.layers.Conv2D(6, 3, activation="relu")(inp)
    out = keras.layers.Dense(5)(keras.layers.Flatten()(x))
    rs = np.random.RandomState(0)
    data = tinymlc.convert(keras.Model(inp, out),
                           [rs.uniform(-1, 1, (1, 8, 8, 2)).astype(np.float32) for _ in range(16)],
                           mode="int4")
    tinymlc.compile(data, tmp_path, name="m")
    source = (tmp_path / "m.c").read_text()
    # 4 bits per weight as int4 words (tml_int4w_s8.h): rows in pairs, a word per 4 taps
    # (conv: 3 pairs x 5 words for 54 packed bytes; dense: its 5th row pairs with zeros).
    assert re.search(r"6 x 18 weights in \[-8, 7\].*\nstatic const uint32_t m_op0_weights\[15\]",
                     source), "conv weights not 4 bits"
    assert re.search(r"5 x 216 weights in \[-8, 7\].*\nstatic const uint32_t m_op2_weights\[162\]",
                     source), "dense weights not 4 bits"
    v = tinymlc.validate(data, cases=3, verbose=False)
    assert v.bit_exact, v.table()
