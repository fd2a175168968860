"""The model factory: seeded random Keras graphs (tf_keras) built from the layers real MCU
models use, converted with the real TensorFlow Lite converter in one of its modes.

  make_model(seed, mode) -> (tflite bytes, description)

Modes:
  int8       full integer, int8 weights and activations; int8 graph inputs/outputs for even
             seeds, float32 inputs/outputs (QUANTIZE/DEQUANTIZE at the edges) for odd seeds
  int16x8    int16 activations, int8 weights (EXPERIMENTAL_..._ACTIVATIONS_INT16_WEIGHTS_INT8)
  float32    no quantization
  hybrid     dynamic range: int8 weights, float activations (no representative dataset)
  int4       int4 weights, int8 activations, through ai-edge-quantizer (from the float model)
  math       float32, with TFLM's float math (EXP, LOG, SQRT, RSQRT, SQUARE, SIN, COS, ABS,
             FLOOR, CEIL, ROUND) drawn as half of the activations
  ops2_float32, ops2_int8
             the float32 / int8 conversion of graphs where about half the steps are one of
             MIRROR_PAD (tf.pad REFLECT/SYMMETRIC), GATHER_ND (constant indices), CUMSUM
             (exclusive/reverse), DIV (int8 DIV in ops2_int8) or DYNAMIC_UPDATE_SLICE
             (xla.dynamic_update_slice, constant start)
  ops2_int16x8
             the int16x8 conversion of graphs where about half the rank-4 steps are a
             Conv2DTranspose (int16 TRANSPOSE_CONV)
  misc       float32 chains of the small TFLM ops: CAST (float32/int32/int16/int8/bool),
             ARG_MAX/ARG_MIN, LOGICAL_AND/OR/NOT, SELECT_V2 (broadcasting), FLOOR_DIV,
             FLOOR_MOD, REDUCE_MIN, REVERSE_V2, ADD_N, BROADCAST_TO, FILL (tf functions in
             Lambda layers; see _MiscBuilder)
  misc_int8  the int8-capable subset of misc (ARG_MAX/ARG_MIN, SELECT_V2, REDUCE_MIN,
             REVERSE_V2, ADD_N) around conv/dense layers, full int8 quantization

The same (seed, mode) gives the same model on the same package versions. A representative
dataset of random data (uniform(-1, 1), shape of the inputs) calibrates the quantized modes.
Raises ConversionError when the converter refuses the graph.
"""

import os
import random

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

MODES = ("int8", "int16x8", "float32", "hybrid", "int4", "math", "ops2_float32", "ops2_int8",
         "ops2_int16x8", "misc", "misc_int8", "compressed", "compressed_float32",
         "compressed_metadata")
ACTIVATIONS = ("relu", "relu6", "leaky", "prelu", "elu", "hard_swish", "sigmoid", "tanh", None)
ACTIVATION_WEIGHTS = {"relu": 4, "relu6": 3, "leaky": 2, "prelu": 2, "elu": 0.3,
                      "hard_swish": 2, "sigmoid": 2, "tanh": 2, None: 6}


class ConversionError(Exception):
    pass


class _Builder:
    """Grows one random graph. `x` is the current tensor; rank 4 (N,H,W,C), 3 (N,T,C) or
    2 (N,F)."""

    def __init__(self, rng, math=False, ops2=False, ops2_convt=False):
        self.r = rng
        self.desc = []
        self.math = math  # mode "math": half the activations are float math functions
        self.ops2 = ops2  # modes "ops2_*": half the steps are one of ops2_layer's ops
        self.ops2_convt = ops2_convt  # mode "ops2_int16x8": ops2_layer is a Conv2DTranspose

    def ops2_layer(self, x):
        """One of MIRROR_PAD, GATHER_ND, CUMSUM, DIV, DYNAMIC_UPDATE_SLICE on x (rank 2..4),
        keeping the rank."""
        r, L = self.r, keras.layers
        rank = len(x.shape)
        dims = [int(d) for d in x.shape[1:]]
        if self.ops2_convt:
            if rank != 4 or dims[0] * dims[1] > 64:
                return self.layer4(x) if rank == 4 else x
            f, kt, st = r.choice([2, 4, 8]), r.choice([1, 2, 3]), r.choice([1, 2])
            pad = r.choice(["same", "valid"])
            self.desc.append("Conv2DTranspose(f%d,k%d,s%d,%s)" % (f, kt, st, pad))
            return self.act(L.Conv2DTranspose(f, kt, strides=st, padding=pad, **self.init())(x))
        kind = r.choice(["mirrorpad", "mirrorpad", "gathernd", "cumsum", "cumsum", "div", "div",
                         "dus"])
        if kind == "mirrorpad":
            mode = r.choice(["REFLECT", "SYMMETRIC"])
            limit = [d - (1 if mode == "REFLECT" else 0) for d in dims]
            pads = [[0, 0]] + [[r.randint(0, min(2, m)), r.randint(0, min(2, m))] if i < len(dims) - 1
                               or rank == 2 else [0, 0] for i, m in enumerate(limit)]
            self.desc.append("MirrorPad(%s,%s)" % (mode, pads[1:]))
            return L.Lambda(lambda t: tf.pad(t, pads, mode=mode))(x)
        if kind == "gathernd" and rank > 2:
            k = r.randint(1, 4)
            idx = [[[0, r.randrange(dims[0])] for _ in range(k)]]
            self.desc.append("GatherNd(%s)" % [i[1] for i in idx[0]])
            return L.Lambda(lambda t: tf.gather_nd(t, tf.constant(idx, tf.int32)))(x)
        if kind == "cumsum" or kind == "gathernd":
            axis = r.randint(1, rank - 1)
            ex, rev = r.random() < 0.5, r.random() < 0.5
            self.desc.append("Cumsum(axis%d,ex%d,rev%d)" % (axis, ex, rev))
            return L.Lambda(lambda t: tf.cumsum(t, axis=axis, exclusive=ex, reverse=rev) * 0.25)(x)
        if kind == "div":
            other = self.same_shape(x) if r.random() < 0.5 else x
            self.desc.append("Div")
            return L.Lambda(lambda ab: tf.math.divide(ab[0], tf.abs(ab[1]) + 0.5))([x, other])
        from tensorflow.compiler.tf2xla.python import xla
        size = [1] + [r.randint(1, d) for d in dims]
        start = [0] + [r.randint(0, d - s) for d, s in zip(dims, size[1:])]
        self.desc.append("DynamicUpdateSlice(%s at %s)" % (size[1:], start[1:]))
        return L.Lambda(lambda t: xla.dynamic_update_slice(
            t, tf.slice(t, [0] * rank, size) * -0.5, tf.constant(start, tf.int32)))(x)

    # TFLM's float-only elementwise math, kept in their domains (the converter keeps each
    # tf function as one builtin: EXP, LOG, SQRT, RSQRT, SQUARE, SIN, COS, ABS, FLOOR,
    # CEIL, ROUND; the guards add ABS, ADD, MINIMUM, MUL).
    MATH = {
        "exp": lambda t: tf.exp(tf.minimum(t, 8.0)),
        "log": lambda t: tf.math.log(tf.abs(t) + 0.01),
        "sqrt": lambda t: tf.sqrt(tf.abs(t)),
        "rsqrt": lambda t: tf.math.rsqrt(tf.abs(t) + 0.01),
        "square": tf.square,
        "sin": lambda t: tf.sin(t * 3.0),
        "cos": tf.cos,
        "abs": tf.abs,
        "floor": lambda t: tf.floor(t * 4.0),
        "ceil": lambda t: tf.math.ceil(t * 4.0),
        "round": lambda t: tf.round(t * 4.0),
    }

    def math_fn(self, x):
        name = self.r.choice(sorted(self.MATH))
        self.desc.append(name)
        return keras.layers.Lambda(self.MATH[name])(x)

    def ch(self, x):
        return int(x.shape[-1])

    def act(self, x, allow_none=True):
        r = self.r
        if self.math and r.random() < 0.5:
            return self.math_fn(x)
        # ELU stays float32 in converted int8 models (tinymlc refuses it): drawn rarely, so
        # that it does not hide the rest of the graph
        weights = [ACTIVATION_WEIGHTS[n] for n in ACTIVATIONS]
        if not allow_none:
            weights[-1] = 0
        a = r.choices(ACTIVATIONS, weights)[0]
        if a is None:
            return x
        self.desc.append(a)
        L = keras.layers
        if a == "relu":
            return L.ReLU()(x)
        if a == "relu6":
            return L.ReLU(max_value=6.0)(x)
        if a == "leaky":
            return L.LeakyReLU(alpha=r.choice([0.01, 0.1, 0.3]))(x)
        if a == "prelu":
            shared = list(range(1, len(x.shape) - 1))
            return L.PReLU(alpha_initializer=keras.initializers.RandomUniform(-0.5, 0.5,
                                                                              seed=r.randrange(1 << 30)),
                           shared_axes=shared or None)(x)
        if a == "elu":
            return L.ELU()(x)
        if a == "hard_swish":
            return L.Lambda(lambda t: t * tf.nn.relu6(t + 3.0) * (1.0 / 6.0))(x)
        return L.Activation(a)(x)

    def init(self):
        return {"kernel_initializer": keras.initializers.GlorotUniform(seed=self.r.randrange(1 << 30)),
                "bias_initializer": keras.initializers.RandomUniform(-0.3, 0.3,
                                                                     seed=self.r.randrange(1 << 30))}

    # ---- rank 4 -------------------------------------------------------------------------
    def layer4(self, x):
        r, L = self.r, keras.layers
        h, w, c = int(x.shape[1]), int(x.shape[2]), self.ch(x)
        kind = r.choice(["conv", "conv", "conv", "dwconv", "dwconv", "sepconv", "pool", "bn",
                         "act", "zeropad", "upsample", "convT", "permute", "branch", "branch",
                         "slice", "reduce"])
        k = r.choice([1, 2, 3, 3, 5])
        s = r.choice([1, 1, 2])
        dil = 1 if s > 1 or r.random() < 0.7 else r.choice([2, 3])
        pad = r.choice(["same", "valid"])
        span = (k - 1) * dil + 1
        if pad == "valid" and (span > h or span > w):
            pad = "same"
        if kind == "conv":
            groups = 1
            f = r.choice([2, 4, 8, 12, 16])
            if r.random() < 0.15 and c > 1:
                groups = r.choice([g for g in (2, 4, c) if c % g == 0] or [1])
                f = groups * r.choice([1, 2])
            self.desc.append("Conv2D(f%d,k%d,s%d,d%d,%s,g%d)" % (f, k, s, dil, pad, groups))
            x = L.Conv2D(f, k, strides=s, padding=pad, dilation_rate=dil, groups=groups,
                         use_bias=r.random() < 0.85, **self.init())(x)
            return self.act(x)
        if kind == "dwconv":
            m = r.choice([1, 1, 2])
            self.desc.append("DepthwiseConv2D(k%d,s%d,d%d,%s,m%d)" % (k, s, dil, pad, m))
            x = L.DepthwiseConv2D(k, strides=s, padding=pad, dilation_rate=dil,
                                  depth_multiplier=m, use_bias=r.random() < 0.85,
                                  depthwise_initializer=keras.initializers.GlorotUniform(
                                      seed=r.randrange(1 << 30)),
                                  bias_initializer=self.init()["bias_initializer"])(x)
            return self.act(x)
        if kind == "sepconv":
            f = r.choice([4, 8, 16])
            self.desc.append("SeparableConv2D(f%d,k%d,s%d,%s)" % (f, k, s, pad))
            return self.act(L.SeparableConv2D(f, k, strides=s, padding=pad,
                                              bias_initializer=self.init()["bias_initializer"])(x))
        if kind == "pool":
            p = r.choice([2, 3])
            ps = r.choice([1, 2, p])
            ppad = "same" if p > min(h, w) else r.choice(["same", "valid"])
            t = r.choice(["max", "avg"])
            self.desc.append("%sPool2D(%d,s%d,%s)" % (t, p, ps, ppad))
            P = L.MaxPooling2D if t == "max" else L.AveragePooling2D
            return P(p, strides=ps, padding=ppad)(x)
        if kind == "bn":
            self.desc.append("BatchNorm")
            return L.BatchNormalization()(x)
        if kind == "act":
            return self.act(x, allow_none=False)
        if kind == "zeropad":
            self.desc.append("ZeroPadding2D")
            return L.ZeroPadding2D(((r.randint(0, 2), r.randint(0, 2)),
                                    (r.randint(0, 2), r.randint(0, 2))))(x)
        if kind == "upsample":
            if h * w > 64:
                return x
            interp = r.choice(["nearest", "bilinear"])
            self.desc.append("UpSampling2D(%s)" % interp)
            return L.UpSampling2D(2, interpolation=interp)(x)
        if kind == "convT":
            if h * w > 64:
                return x
            f = r.choice([2, 4, 8])
            kt = r.choice([2, 3])
            st = r.choice([1, 2])
            self.desc.append("Conv2DTranspose(f%d,k%d,s%d)" % (f, kt, st))
            return self.act(L.Conv2DTranspose(f, kt, strides=st, padding=r.choice(["same", "valid"]),
                                              **self.init())(x))
        if kind == "permute":
            self.desc.append("Permute")
            return L.Permute(r.choice([(2, 1, 3), (1, 3, 2), (3, 1, 2)]))(x)
        if kind == "slice":
            if c >= 2 and r.random() < 0.5:
                n = r.choice([d for d in (2, 3, 4) if c % d == 0] or [1])
                if n > 1:
                    self.desc.append("Split(%d)" % n)
                    parts = L.Lambda(lambda t: tf.split(t, n, axis=-1))(x)
                    return L.Concatenate()(list(reversed(parts))) if r.random() < 0.5 else parts[0]
            if h >= 2:
                self.desc.append("StridedSlice")
                b = r.randint(0, h // 2)
                st = r.choice([1, 2])
                return L.Lambda(lambda t: t[:, b::st, :, :])(x)
            return x
        if kind == "reduce":
            t = r.choice(["mean", "max"])
            keep = r.random() < 0.5
            self.desc.append("Reduce%s(keep%d)" % (t, keep))
            fn = tf.reduce_mean if t == "mean" else tf.reduce_max
            return L.Lambda(lambda v: fn(v, axis=[1, 2], keepdims=keep))(x)
        if kind == "branch":
            return self.branch(x)
        return x

    def same_shape(self, x):
        """A layer that keeps x's shape (a branch's second arm)."""
        r, L = self.r, keras.layers
        if len(x.shape) == 4 and r.random() < 0.6:
            if r.random() < 0.5:
                return self.act(L.Conv2D(self.ch(x), r.choice([1, 3]), padding="same",
                                         **self.init())(x))
            return self.act(L.DepthwiseConv2D(3, padding="same",
                                              bias_initializer=self.init()["bias_initializer"])(x))
        if len(x.shape) == 2 and r.random() < 0.6:
            return self.act(L.Dense(self.ch(x), **self.init())(x))
        return self.act(x, allow_none=False)

    def branch(self, x):
        r, L = self.r, keras.layers
        merge = r.choice(["add", "add", "sub", "mul", "concat", "concat", "max", "min"])
        a = self.same_shape(x)
        b = self.same_shape(x) if r.random() < 0.5 else x
        self.desc.append("Branch(%s)" % merge)
        if merge == "concat":
            return L.Concatenate(axis=r.choice([-1, 1]) if len(x.shape) > 2 else -1)([a, b])
        return {"add": L.Add, "sub": L.Subtract, "mul": L.Multiply, "max": L.Maximum,
                "min": L.Minimum}[merge]()([a, b])

    # ---- rank 3 -------------------------------------------------------------------------
    def layer3(self, x):
        r, L = self.r, keras.layers
        t, c = int(x.shape[1]), self.ch(x)
        kind = r.choice(["conv1d", "conv1d", "pool1d", "rnn", "act", "branch", "dense"])
        if kind == "conv1d":
            k = r.choice([1, 2, 3, 5])
            s = r.choice([1, 1, 2])
            d = 1 if s > 1 or r.random() < 0.7 else 2
            pad = r.choice(["same", "valid", "causal"])
            if pad == "valid" and (k - 1) * d + 1 > t:
                pad = "same"
            if pad == "causal" and s > 1:
                pad = "same"
            f = r.choice([4, 8, 16])
            self.desc.append("Conv1D(f%d,k%d,s%d,d%d,%s)" % (f, k, s, d, pad))
            return self.act(L.Conv1D(f, k, strides=s, padding=pad, dilation_rate=d,
                                     **self.init())(x))
        if kind == "pool1d":
            if t < 2:
                return x
            self.desc.append("Pool1D")
            P = r.choice([L.MaxPooling1D, L.AveragePooling1D])
            return P(2, padding=r.choice(["same", "valid"]))(x)
        if kind == "rnn":
            if t > 12:
                return x
            units = r.choice([4, 8, 12])
            cell = r.choice(["lstm", "gru", "simple"])
            seq = r.random() < 0.6
            self.desc.append("%s(%d,unrolled,seq%d)" % (cell, units, seq))
            R = {"lstm": L.LSTM, "gru": L.GRU, "simple": L.SimpleRNN}[cell]
            return R(units, return_sequences=seq, unroll=True)(x)
        if kind == "dense":
            self.desc.append("Dense3D")
            return self.act(L.Dense(r.choice([4, 8, 16]), **self.init())(x))
        if kind == "act":
            return self.act(x, allow_none=False)
        return self.branch(x)

    # ---- rank 2 -------------------------------------------------------------------------
    def layer2(self, x):
        r, L = self.r, keras.layers
        kind = r.choice(["dense", "dense", "dense", "act", "branch", "bn"])
        if kind == "dense":
            u = r.choice([4, 8, 10, 16, 32])
            self.desc.append("Dense(%d)" % u)
            return self.act(L.Dense(u, use_bias=r.random() < 0.9, **self.init())(x))
        if kind == "bn":
            self.desc.append("BatchNorm")
            return L.BatchNormalization()(x)
        if kind == "act":
            return self.act(x, allow_none=False)
        return self.branch(x)

    def build(self):
        r, L = self.r, keras.layers
        shape_kind = r.choice(["image", "image", "image", "sequence", "vector"])
        if shape_kind == "image":
            shape = (r.randint(3, 16), r.randint(3, 16), r.choice([1, 2, 3, 4, 8]))
        elif shape_kind == "sequence":
            shape = (r.randint(4, 16), r.choice([1, 3, 8]))
        else:
            shape = (r.choice([1, 4, 10, 16, 32]),)
        inp = keras.Input(shape=shape, batch_size=1)
        self.desc.append("in%s" % (shape,))
        x = inp
        for _ in range(r.randint(2, 7)):
            rank = len(x.shape)
            if isinstance(x, list):
                x = x[0]
            if self.ops2 and r.random() < 0.5:
                x = self.ops2_layer(x)
                continue
            if rank == 4:
                x = self.layer4(x)
                if isinstance(x, list):
                    x = x[0]
                if len(x.shape) == 4 and int(np.prod(x.shape[1:])) > 4096:
                    x = L.MaxPooling2D(2, padding="same")(x)
                if len(x.shape) == 4 and r.random() < 0.12:
                    x = r.choice([L.Flatten(), L.GlobalAveragePooling2D(),
                                  L.GlobalMaxPooling2D()])(x)
                    self.desc.append("ToVector")
                elif len(x.shape) == 4 and r.random() < 0.08:
                    x = L.Reshape((int(x.shape[1]) * int(x.shape[2]), self.ch(x)))(x)
                    self.desc.append("Reshape3D")
            elif rank == 3:
                x = self.layer3(x)
                if len(x.shape) == 3 and r.random() < 0.15:
                    x = r.choice([L.Flatten(), L.GlobalAveragePooling1D()])(x)
                    self.desc.append("ToVector")
            else:
                x = self.layer2(x)
        head = r.choice(["none", "dense", "softmax", "dense_softmax"])
        if head != "none":
            if len(x.shape) > 2:
                x = L.Flatten()(x)
            if head.startswith("dense"):
                x = L.Dense(r.choice([2, 4, 10, 12]), **self.init())(x)
            if head.endswith("softmax"):
                x = L.Softmax()(x)
            self.desc.append("head:" + head)
        model = keras.Model(inp, x)
        for layer in model.layers:
            if isinstance(layer, L.BatchNormalization):
                g, b, m, v = layer.get_weights()
                n = g.shape
                layer.set_weights([np.float32(self._u(0.5, 1.5, n)), np.float32(self._u(-0.5, 0.5, n)),
                                   np.float32(self._u(-0.5, 0.5, n)), np.float32(self._u(0.5, 1.5, n))])
        return model

    def _u(self, lo, hi, shape):
        return np.array([self.r.uniform(lo, hi) for _ in range(int(np.prod(shape)))]).reshape(shape)


class _MiscBuilder:
    """Mode misc / misc_int8: a Conv or Dense layer, then 2 to 5 blocks of small ops, each
    a tf function in a Lambda layer that keeps the tensor's shape (so blocks chain)."""

    FLOAT_ONLY = ("cast_int32", "cast_int16", "cast_int8", "cast_bool", "logical", "floordiv",
                  "floormod", "broadcast_to", "fill")
    INT8_OK = ("argmax", "argmin", "select", "select_bcast", "reduce_min", "reverse", "add_n")

    def __init__(self, rng, int8):
        self.r = rng
        self.int8 = int8
        self.desc = []

    def block(self, name, t):
        r = self.r
        rank = len(t.shape)
        ax = r.randrange(1, rank)
        if name == "cast_int32":
            # values kept in the target's range: out-of-range float -> int conversion is
            # undefined in C++ (TFLM's result then depends on how its compiler vectorized)
            return tf.cast(tf.cast(tf.clip_by_value(t * 8.0, -1e6, 1e6), tf.int32), tf.float32)
        if name == "cast_int16":
            return tf.cast(tf.cast(tf.clip_by_value(t * 300.0, -32000.0, 32000.0), tf.int16),
                           tf.float32) * (1.0 / 300.0)
        if name == "cast_int8":
            return tf.cast(tf.cast(tf.clip_by_value(t * 50.0, -120.0, 120.0), tf.int8), tf.float32)
        if name == "cast_bool":
            return tf.cast(t > 0.1, tf.float32) + t
        if name in ("argmax", "argmin"):
            f = tf.argmax if name == "argmax" else tf.argmin
            i = tf.cast(f(t, axis=ax, output_type=tf.int32), tf.float32)
            return t + tf.expand_dims(i, ax) * 0.25
        if name == "logical":
            a, b = t > r.uniform(-0.5, 0.5), t < r.uniform(0.0, 1.0)
            c = r.choice([tf.logical_and(a, b), tf.logical_or(a, tf.logical_not(b)),
                          tf.logical_not(tf.logical_and(a, b))])
            return tf.where(c, t, -0.5)
        if name == "select":
            # a scalar y: SELECT_V2 (equal shapes give SELECT, which TFLM does not register)
            return tf.where(t > r.uniform(-0.3, 0.3), t, r.choice([0.25, -1.0]))
        if name == "select_bcast":
            cond = tf.reduce_mean(t, axis=ax, keepdims=True) > 0.0
            return tf.where(cond, t, tf.reverse(t, axis=[ax]))
        if name == "floordiv":
            return tf.math.floordiv(t * 8.0, r.choice([3.0, -2.5, 0.75])) * 0.125
        if name == "floormod":
            d = np.array([r.choice([1.5, -0.7, 0.3]) for _ in range(int(t.shape[-1]))], np.float32)
            return tf.math.floormod(t * 4.0, d)
        if name == "reduce_min":
            return t - tf.reduce_min(t, axis=ax, keepdims=True) * 0.5
        if name == "reverse":
            return tf.reverse(t, axis=[ax])
        if name == "add_n":
            return tf.add_n([t, t * 0.5, tf.reverse(t, axis=[ax])][:r.choice([2, 3])])
        if name == "broadcast_to":
            m = tf.reduce_mean(t, axis=ax, keepdims=True)
            return tf.concat([tf.broadcast_to(m, t.shape), t], axis=-1)[..., :int(t.shape[-1])] + t
        if name == "fill":
            return t + tf.fill(tf.shape(t), tf.reduce_max(t))
        raise ValueError(name)

    def build(self):
        r, L = self.r, keras.layers
        if r.random() < 0.6:
            shape = (r.randint(2, 8), r.randint(2, 8), r.choice([1, 2, 3, 4]))
            inp = keras.Input(shape=shape, batch_size=1)
            x = L.Conv2D(r.choice([2, 3, 4]), 3, padding="same")(inp)
        else:
            shape = (r.randint(2, 12), r.choice([2, 3, 5]))
            inp = keras.Input(shape=shape, batch_size=1)
            x = L.Dense(r.choice([2, 4, 6]))(inp)
        self.desc.append("in%s" % (shape,))
        names = self.INT8_OK if self.int8 else self.INT8_OK + self.FLOAT_ONLY
        for _ in range(r.randint(2, 5)):
            name = r.choice(names)
            self.desc.append(name)
            x = L.Lambda(lambda t, n=name: self.block(n, t))(x)
        return keras.Model(inp, x)


def representative(model, seed, n=8):
    rs = np.random.RandomState(seed)
    shape = [1] + [int(d) for d in model.inputs[0].shape[1:]]

    def gen():
        for _ in range(n):
            yield [rs.uniform(-1.0, 1.0, size=shape).astype(np.float32)]
    return gen


def convert(model, mode, seed):
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode in ("int8", "int16x8"):
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative(model, seed)
        if mode == "int8":
            conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            if seed % 2 == 0:
                conv.inference_input_type = tf.int8
                conv.inference_output_type = tf.int8
        else:
            conv.target_spec.supported_ops = [
                tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
            conv.inference_input_type = tf.int16
            conv.inference_output_type = tf.int16
    elif mode == "hybrid":
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
    elif mode == "misc_int8":
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative(model, seed)
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    elif mode in ("float32", "int4", "math", "misc"):
        pass
    else:
        raise ValueError("unknown mode " + mode)
    try:
        data = conv.convert()
    except Exception as e:  # the converter raises many kinds
        raise ConversionError(str(e).strip().splitlines()[-1][:200] if str(e).strip() else
                              type(e).__name__)
    if mode == "int4":
        data = quantize_int4(data, model, seed)
    return data


def quantize_int4(float_tflite, model, seed):
    """int4 weights (per channel, symmetric), int8 activations: ai-edge-quantizer's
    static_wi8_ai8 recipe for every op, then 4-bit weights for CONV_2D and FULLY_CONNECTED
    (the ops its static_wi4_ai8 policy takes; a 4-bit recipe for every op leaves the
    others, DEPTHWISE_CONV_2D included, in float between DEQUANTIZE and QUANTIZE)."""
    import copy
    from ai_edge_quantizer import quantizer, recipe
    rcp = recipe.static_wi8_ai8()
    for op in ("CONV_2D", "FULLY_CONNECTED"):
        entry = copy.deepcopy(rcp[0])
        entry["operation"] = op
        entry["op_config"]["weight_tensor_config"]["num_bits"] = 4
        if op == "FULLY_CONNECTED":
            # TFLM takes int4 FULLY_CONNECTED weights per tensor only.
            entry["op_config"]["weight_tensor_config"]["granularity"] = "TENSORWISE"
        rcp.append(entry)
    q = quantizer.Quantizer(float_tflite)
    q.load_quantization_recipe(rcp)
    rs = np.random.RandomState(seed)
    shape = [1] + [int(d) for d in model.inputs[0].shape[1:]]
    try:
        import ai_edge_litert.interpreter as litert
        interp = litert.Interpreter(model_content=float_tflite)
        sigs = interp.get_signature_list()
        sname = list(sigs.keys())[0]
        iname = sigs[sname]["inputs"][0]
    except Exception as e:
        raise ConversionError("int4: no signature: %s" % e)
    data = [{iname: rs.uniform(-1.0, 1.0, size=shape).astype(np.float32)} for _ in range(8)]
    from ai_edge_quantizer import calibrator
    try:
        # the default calibration (XNNPACK with every tensor preserved) fails on many small
        # graphs ("Tensor data is null"); the profiler-based one does not
        cal = q.calibrate({sname: data}, num_threads=1,
                          mode=calibrator.CalibrationMode.CALIBRATION_PROFILER_BASED)
        res = q.quantize(cal, enable_progress_report=False)
    except Exception as e:
        raise ConversionError("ai-edge-quantizer: " + (str(e).strip().splitlines() or [""])[-1][:200])
    return bytes(res.quantized_model)


def make_model(seed, mode):
    """(tflite bytes, one-line description) for (seed, mode)."""
    rng = random.Random("%s:%d" % (mode, seed))
    keras.backend.clear_session()
    tf.random.set_seed(seed)
    if mode in ("misc", "misc_int8"):
        b = _MiscBuilder(rng, int8=mode == "misc_int8")
    else:
        b = _Builder(rng, math=mode == "math", ops2=mode.startswith("ops2_"),
                     ops2_convt=mode == "ops2_int16x8")
    try:
        model = b.build()
    except (ValueError, TypeError) as e:
        raise ConversionError("keras: " + str(e).splitlines()[0][:200])
    base = mode[len("ops2_"):] if mode.startswith("ops2_") else mode
    if mode.startswith("compressed"):
        # TFLM's weight compression (TFLM_DECODE) on an int8 or float32 model
        import compress_model
        data = convert(model, "float32" if mode == "compressed_float32" else "int8", seed)
        try:
            if mode == "compressed_metadata":  # TFLM's older scheme
                data, how = compress_model.compress_metadata(data, seed)
            else:
                data, how = compress_model.compress(data, seed)
        except ValueError as e:
            raise ConversionError("compression: %s" % e)
        return data, " ".join(b.desc) + " | " + how
    return convert(model, base, seed), " ".join(b.desc)


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description="write one factory model")
    ap.add_argument("seed", type=int)
    ap.add_argument("mode", choices=MODES)
    ap.add_argument("out")
    a = ap.parse_args(argv)
    data, desc = make_model(a.seed, a.mode)
    with open(a.out, "wb") as f:
        f.write(data)
    print(desc)


if __name__ == "__main__":
    main()
