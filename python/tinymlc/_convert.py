"""convert(): the TensorFlow Lite converter with the settings that are easy to get wrong."""

import copy
from typing import Iterable, Optional

import numpy as np

_MODES = ("int8", "int16x8", "float32", "int4")


def convert(model, representative_data: Optional[Iterable] = None, mode: str = "int8",
            io: str = "int8") -> bytes:
    """A .tflite from a Keras model (tf_keras or Keras 3: exported to a SavedModel first,
    the path TF 2.21's converter handles) or a SavedModel directory.

    mode: "int8" (full integer, int8 activations and weights), "int16x8" (int16 activations,
    int8 weights), "float32", or "int4" (int8 activations, 4-bit weights per channel:
    the float model quantized by ai-edge-quantizer, an optional dependency; int8 inputs
    and outputs only). io: "int8" (quantized inputs and outputs; int16 in int16x8 mode) or
    "float32". representative_data: an iterable of input batches (each an array, or a list
    of arrays for several inputs, with the batch dimension), needed by every mode but
    float32. Needs TensorFlow (tensorflow-cpu, with tf_keras for tf_keras models)."""
    if mode not in _MODES:
        raise ValueError("mode must be one of %s, not %r" % (", ".join(_MODES), mode))
    if io not in ("int8", "float32"):
        raise ValueError("io must be 'int8' or 'float32', not %r" % (io,))
    if mode == "int4":
        if io != "int8":
            raise ValueError("mode 'int4' gives int8 inputs and outputs (ai-edge-quantizer's "
                             "static recipe); io must be 'int8'")
        if representative_data is None:
            raise ValueError("mode 'int4' needs representative_data (a few hundred typical inputs)")
        data = list(representative_data)
        return _int4_weights(convert(model, mode="float32", io="float32"), data)
    import os
    import tempfile
    import tensorflow as tf
    if mode != "float32" and representative_data is None:
        raise ValueError("mode %r needs representative_data (a few hundred typical inputs)" % mode)
    tmp = None
    if isinstance(model, (str, os.PathLike)):
        converter = tf.lite.TFLiteConverter.from_saved_model(os.fspath(model))
    else:
        tmp = tempfile.mkdtemp(prefix="tinymlc_convert_")
        path = os.path.join(tmp, "saved_model")
        if hasattr(model, "export"):          # Keras 3 (and tf_keras >= 2.13)
            model.export(path)
        else:
            tf.saved_model.save(model, path)
        converter = tf.lite.TFLiteConverter.from_saved_model(path)
    if mode != "float32":
        data = list(representative_data)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ([np.asarray(a, dtype=np.float32) for a in
                                                     (x if isinstance(x, (list, tuple)) else [x])]
                                                    for x in data)
        if mode == "int16x8":
            converter.target_spec.supported_ops = [
                tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
            io_type = tf.int16
        else:
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            io_type = tf.int8
        if io == "int8":
            converter.inference_input_type = io_type
            converter.inference_output_type = io_type
    result = converter.convert()
    if tmp is not None:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return bytes(result)


def _int4_weights(float_model: bytes, data) -> bytes:
    """ai-edge-quantizer's static recipe (int8 activations) with 4-bit weights, calibrated
    on `data`."""
    try:
        from ai_edge_quantizer import calibrator, quantizer, recipe
        from ai_edge_litert import interpreter as litert
    except ImportError as e:
        raise ImportError(
            "mode 'int4' needs ai-edge-quantizer (pip install ai-edge-quantizer; "
            "tests/oracle/requirements-int4.txt pins the tested versions): %s" % e) from e
    # int8 everywhere, then 4-bit weights for the ops ai-edge-quantizer quantizes that way
    # with int8 activations (its static_wi4_ai8 policy: CONV_2D and FULLY_CONNECTED; a
    # 4-bit recipe for every op would leave the other ops in float).
    rcp = recipe.static_wi8_ai8()
    for op in ("CONV_2D", "FULLY_CONNECTED"):
        entry = copy.deepcopy(rcp[0])
        entry["operation"] = op
        entry["op_config"]["weight_tensor_config"]["num_bits"] = 4
        if op == "FULLY_CONNECTED":
            # TFLM takes int4 FULLY_CONNECTED weights per tensor only.
            entry["op_config"]["weight_tensor_config"]["granularity"] = "TENSORWISE"
        rcp.append(entry)
    sigs = litert.Interpreter(model_content=float_model).get_signature_list()
    sname = list(sigs.keys())[0]
    names = sigs[sname]["inputs"]
    samples = []
    for x in data:
        arrays = x if isinstance(x, (list, tuple)) else [x]
        if len(arrays) != len(names):
            raise ValueError("a representative batch has %d arrays; the model has %d inputs (%s)"
                             % (len(arrays), len(names), ", ".join(names)))
        samples.append({n: np.asarray(a, dtype=np.float32) for n, a in zip(names, arrays)})
    q = quantizer.Quantizer(float_model)
    q.load_quantization_recipe(rcp)
    # The profiler-based calibration: the default one (every tensor preserved) fails on
    # some small graphs ("Tensor data is null").
    cal = q.calibrate({sname: samples}, num_threads=1,
                      mode=calibrator.CalibrationMode.CALIBRATION_PROFILER_BASED)
    return bytes(q.quantize(cal, enable_progress_report=False).quantized_model)
