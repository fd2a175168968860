"""convert(): the TensorFlow Lite converter with the settings that are easy to get wrong."""

from typing import Iterable, Optional

import numpy as np

_MODES = ("int8", "int16x8", "float32", "int4")


def convert(model, representative_data: Optional[Iterable] = None, mode: str = "int8",
            io: str = "int8") -> bytes:
    """A .tflite from a Keras model (tf_keras or Keras 3: exported to a SavedModel first,
    the path TF 2.21's converter handles) or a SavedModel directory.

    mode: "int8" (full integer, int8 activations and weights), "int16x8" (int16 activations,
    int8 weights), "float32", or "int4" (4-bit weights: not compiled by tinymlc yet, raises
    NotImplementedError). io: "int8" (quantized inputs and outputs; int16 in int16x8 mode) or
    "float32". representative_data: an iterable of input batches (each an array, or a list
    of arrays for several inputs, with the batch dimension), needed by every mode but
    float32. Needs TensorFlow (tensorflow-cpu, with tf_keras for tf_keras models)."""
    if mode not in _MODES:
        raise ValueError("mode must be one of %s, not %r" % (", ".join(_MODES), mode))
    if io not in ("int8", "float32"):
        raise ValueError("io must be 'int8' or 'float32', not %r" % (io,))
    if mode == "int4":
        return _int4_weights(b"")
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


def _int4_weights(int8_model: bytes) -> bytes:
    raise NotImplementedError(
        "mode 'int4': tinymlc does not compile int4 weights yet (issue 12); convert with "
        "mode='int8' for now")
