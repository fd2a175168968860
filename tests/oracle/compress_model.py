"""TFLM's weight compression applied to a converted model (the factory's "compressed" modes).

Each constant tensor an operator reads (weights, biases, other constants; not the shape
and parameter inputs TFLM's kernels read in Prepare) is, at random:
  - LUT-compressed with TFLM's own compressor (tflite_micro's compression/lut.py): its
    values are first reduced to at most 2^bits per table (a table per channel of its
    quantization, on axis 0 or the last axis, else one), bits drawn from 1..7;
  - pruned: a random share of its values set to the zero point, then encoded in TFLM's
    pruning format (DCM type 2: a bit per element, set where the value is not the zero
    point, most significant bit first, then those values), which TFLM decodes
    (kernels/decode_state_prune.cc) but whose compressor is not written yet;
  - or left as it is.
TFLM's decode_insert then puts a TFLM_DECODE before each consumer, as compress.py does.
"""

import importlib

import numpy as np

from tflite_micro.tensorflow.lite.micro.compression import compressor
from tflite_micro.tensorflow.lite.micro.compression import constant_inputs
from tflite_micro.tensorflow.lite.micro.compression import decode
from tflite_micro.tensorflow.lite.micro.compression import decode_insert
from tflite_micro.tensorflow.lite.micro.compression import lut
from tflite_micro.tensorflow.lite.micro.compression import model_editor
from tflite_micro.tensorflow.lite.micro.compression import spec
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as tflite

# the package's __init__ exports the function compress() under the module's name
tflm_compress = importlib.import_module("tflite_micro.tensorflow.lite.micro.compression.compress")

_TYPES = (tflite.TensorType.INT8, tflite.TensorType.INT16, tflite.TensorType.INT32,
          tflite.TensorType.FLOAT32)


def _channels(t):
    """(axis, zero points) of the tensor's quantization as TFLM's decoders see it:
    axis None for one table."""
    q = t.quantization
    if q is None:
        return None, [0]
    scales = [q.scales] if isinstance(q.scales, (int, float)) else list(q.scales)
    zps = [q.zero_points] if isinstance(q.zero_points, int) else list(q.zero_points)
    if len(scales) > 1:
        return (q.axis or 0), zps
    if q.axis:
        return -1, zps  # TFLM's decoders refuse a quantized dimension other than 0
    return None, zps[:1] or [0]


def _reduce_values(arr, levels, axis, rs):
    """At most `levels` distinct values per slice along axis (or in all of arr)."""
    out = arr.copy()
    slices = [out] if axis is None else [np.moveaxis(out, axis, 0)[c] for c in range(out.shape[axis])]
    for s in slices:  # views into out
        u = np.unique(s)
        if len(u) <= levels:
            continue
        keep = np.sort(rs.choice(u, size=levels, replace=False))
        flat = s.reshape(-1)
        nearest = np.abs(flat[:, None].astype(np.float64) - keep[None, :].astype(np.float64)).argmin(axis=1)
        s[...] = keep[nearest].reshape(s.shape)
    return out


def _prune(t, axis, zps, rs):
    """Zeroes (sets to the zero point) a random share of t's values and encodes it."""
    arr = t.array.copy()
    zp = np.zeros(arr.shape, dtype=np.int64)
    if axis is not None and len(zps) > 1:
        shape = [1] * arr.ndim
        shape[axis] = arr.shape[axis]
        zp = zp + np.asarray(zps, dtype=np.int64).reshape(shape)
    elif arr.dtype != np.float32:
        zp = zp + int(zps[0])
    share = rs.uniform(0.1, 0.9)
    drop = rs.uniform(size=arr.shape) < share
    arr[drop] = zp[drop].astype(arr.dtype)
    t.array = arr
    if arr.dtype == np.float32:
        keep = arr.view(np.uint32) != 0
    else:
        keep = arr.astype(np.int64) != zp
    bits = np.packbits(keep.reshape(-1).astype(np.uint8))  # most significant bit first
    dcm = decode.DecodeCommonMetadata(decode_type=decode.DecodeType.PRUNING,
                                      user_data=bytes([1]) + bytes(11))
    values = arr.reshape(-1)[keep.reshape(-1)].astype(arr.dtype.newbyteorder("<"))
    return compressor.CompressionResult(encoded_data=bits.tobytes(),
                                        ancillary_data=dcm.to_bytes() + values.tobytes())


def compress(data, seed):
    """(compressed model bytes, description); raises ValueError when nothing compressed."""
    rs = np.random.RandomState(seed % (2 ** 32))
    model = model_editor.read(bytes(data))
    sg = model.subgraphs[0]
    uses = {}
    for t in model_editor.iter_tensors(model):
        if t.buffer is not None:
            uses[id(t.buffer)] = uses.get(id(t.buffer), 0) + 1
    results, desc = {}, []
    for ti, t in enumerate(sg.tensors):
        if t.buffer is None or not t.buffer.data or t.dtype not in _TYPES or t.is_variable:
            continue
        if uses.get(id(t.buffer), 0) > 1 or not sg.consumers_of(t) or constant_inputs.find_uses(sg, t):
            continue
        arr = t.array
        if arr is None or arr.size < 4:
            continue
        axis, zps = _channels(t)
        if axis is not None and axis not in (0, arr.ndim - 1):
            continue
        r = rs.uniform()
        if r < 0.15:
            continue
        if r < 0.75:
            bits = int(rs.randint(1, 8))
            t.array = _reduce_values(arr, 2 ** bits, axis, rs)
            mode = spec.PerTensor() if axis is None else spec.PerChannel(axis=axis)
            try:
                res = lut.LutCompressor().compress(t, spec.LookUpTableCompression(bits, mode))
            except compressor.CompressionError:
                continue
            desc.append("lut%d%s:t%d" % (bits, "" if axis is None else "/a%d" % axis, ti))
        else:
            if t.dtype == tflite.TensorType.INT16 and any(z != 0 for z in zps):
                continue
            res = _prune(t, axis, zps, rs)
            desc.append("prune:t%d" % ti)
        results[(0, ti)] = res
    if not results:
        raise ValueError("no tensor to compress")
    decode_insert.insert_decode_operators(model, results)
    return bytes(tflm_compress._apply_flatbuffer_alignment(model.build())), " ".join(desc)


# ---- TFLM's older scheme: COMPRESSION_METADATA ---------------------------------------------
# TFLM's compress.py wrote it until 2026-06 (tflite-micro c2accf5c8); TFLM still reads it
# (micro_allocator.cc, built with USE_TFLM_COMPRESSION as the pip wheel is): the tensor's
# buffer holds the indices (most significant bit first, C order), a new buffer the value
# tables (one per channel of a per-channel quantized tensor, each padded to 2^bits), and
# the model's metadata "COMPRESSION_METADATA" a flatbuffer naming them (metadata.fbs:
# Metadata{schema_version, subgraphs:[Subgraph{lut_tensors:[LutTensor{tensor,
# value_buffer, index_bitwidth}]}]}). Only the inputs TFLM's kernels decompress qualify.
_DECOMPRESSED_INPUTS = {
    tflite.BuiltinOperator.CONV_2D: (1, 2), tflite.BuiltinOperator.DEPTHWISE_CONV_2D: (1, 2),
    tflite.BuiltinOperator.FULLY_CONNECTED: (1, 2), tflite.BuiltinOperator.TRANSPOSE_CONV: (1, 3),
}
_NP = {tflite.TensorType.INT8: np.int8, tflite.TensorType.INT16: np.int16,
       tflite.TensorType.INT32: np.int32, tflite.TensorType.FLOAT32: np.float32}


def _metadata_flatbuffer(entries):
    import flatbuffers
    b = flatbuffers.Builder(0)
    luts = []
    for ti, vb, bits in entries:
        b.StartObject(3)
        b.PrependInt32Slot(0, ti, 0)
        b.PrependUint32Slot(1, vb, 0)
        b.PrependUint8Slot(2, bits, 0)
        luts.append(b.EndObject())
    b.StartVector(4, len(luts), 4)
    for o in reversed(luts):
        b.PrependUOffsetTRelative(o)
    vec = b.EndVector()
    b.StartObject(1)
    b.PrependUOffsetTRelativeSlot(0, vec, 0)
    sg = b.EndObject()
    b.StartVector(4, 1, 4)
    b.PrependUOffsetTRelative(sg)
    sgs = b.EndVector()
    b.StartObject(2)
    b.PrependUint32Slot(0, 1, 0)
    b.PrependUOffsetTRelativeSlot(1, sgs, 0)
    b.Finish(b.EndObject())
    return bytes(b.Output())


def compress_metadata(data, seed):
    """(model bytes in TFLM's COMPRESSION_METADATA form, description); ValueError when no
    tensor qualifies."""
    import flatbuffers
    rs = np.random.RandomState(seed % (2 ** 32))
    m = tflite.ModelT.InitFromObj(tflite.Model.GetRootAsModel(bytearray(data), 0))
    sg = m.subgraphs[0]
    codes = [max(c.builtinCode, c.deprecatedBuiltinCode) for c in m.operatorCodes]
    readers = {}
    for op in sg.operators:
        for pos, t in enumerate(op.inputs if op.inputs is not None else []):
            if t >= 0:
                readers.setdefault(t, []).append((codes[op.opcodeIndex], pos))
    buffer_users = {}
    for s in m.subgraphs:
        for t in s.tensors:
            buffer_users[t.buffer] = buffer_users.get(t.buffer, 0) + 1
    entries, desc = [], []
    for ti, t in enumerate(sg.tensors):
        uses = readers.get(ti)
        if not uses or t.type not in _NP or t.buffer == 0 or buffer_users[t.buffer] > 1:
            continue
        if not all(pos in _DECOMPRESSED_INPUTS.get(code, ()) for code, pos in uses):
            continue
        raw = m.buffers[t.buffer].data
        if raw is None or len(raw) == 0 or t.shape is None or len(t.shape) == 0:
            continue
        arr = np.frombuffer(bytes(bytearray(raw)), dtype=_NP[t.type]).reshape(list(t.shape)).copy()
        q = t.quantization
        scales = 0 if q is None or q.scale is None else len(q.scale)
        axis = None
        if scales > 1:
            axis = q.quantizedDimension
            if axis not in (0, arr.ndim - 1):
                continue
        if rs.uniform() < 0.2:
            continue
        bits = int(rs.randint(1, 8))
        arr = _reduce_values(arr, 2 ** bits, axis, rs)
        slices = [arr] if axis is None else [np.moveaxis(arr, axis, 0)[c] for c in range(arr.shape[axis])]
        tables = [np.unique(s) for s in slices]
        # indices in C order, each looked up in its channel's table
        idx = np.zeros(arr.shape, dtype=np.int64)
        if axis is None:
            idx = np.searchsorted(tables[0], arr)
        else:
            moved = np.moveaxis(idx, axis, 0)
            for c, s in enumerate(slices):
                moved[c] = np.searchsorted(tables[c], s)
        packed = lut.pack_indices(idx.reshape(-1), bits)
        width = 2 ** bits
        values = b"".join(np.pad(tb, (0, width - len(tb))).astype(arr.dtype).tobytes() for tb in tables)
        m.buffers[t.buffer].data = list(packed)
        vb = tflite.BufferT()
        vb.data = list(values)
        m.buffers.append(vb)
        entries.append((ti, len(m.buffers) - 1, bits))
        desc.append("meta-lut%d%s:t%d" % (bits, "" if axis is None else "/a%d" % axis, ti))
    if not entries:
        raise ValueError("no tensor to compress")
    mb = tflite.BufferT()
    mb.data = list(_metadata_flatbuffer(entries))
    m.buffers.append(mb)
    md = tflite.MetadataT()
    md.name = "COMPRESSION_METADATA"
    md.buffer = len(m.buffers) - 1
    m.metadata = (m.metadata or []) + [md]
    b = flatbuffers.Builder(0)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(tflm_compress._apply_flatbuffer_alignment(bytes(b.Output()))), " ".join(desc)
