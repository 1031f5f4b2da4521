#!/usr/bin/env python3
"""Writes the Keras 2 HDF5 fixtures of tl-core's Keras importer tests, and their expected outputs.

No TensorFlow is needed: the files are laid out by hand with h5py exactly as Keras 2.x's
`model.save("x.h5")` writes them (root attributes keras_version, backend, model_config with the
functional model's JSON; group model_weights with layer_names, one group per layer with
weight_names and the datasets <layer>/<weight>:0). The expected outputs are computed with NumPy
following Keras's own formulas (MultiHeadAttention's einsum equations, LayerNormalization,
Dense, Conv2D), independently of tl4j. Seeded, so the output is reproducible.

Fixtures: two post-LayerNorm encoder blocks (with and without biases), a tiny vision transformer
in vit-keras's layout (Conv2D patch embedding, Reshape, ClassToken, AddPositionEmbs, one pre-LN
block, the class-token slice x[:, 0] and a Dense head), and files that must fail to import.

Usage (Debian's python3 with python3-h5py and python3-numpy):
    /usr/bin/python3 scripts/make_keras_fixtures.py [OUT_DIR]
"""
import json
import math
import os
import sys
import zipfile

import h5py
import numpy as np

SEED = 20261203
BATCH = 3
TIME = 5
HIDDEN = 8


def erf(x):
    return np.vectorize(math.erf)(x)


ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0),
    "gelu": lambda x: 0.5 * x * (1 + erf(x / math.sqrt(2))),
    "linear": lambda x: x,
}


def node(*tensors, kwargs=None):
    """One inbound node: each tensor [layer, node_index, tensor_index, kwargs]."""
    return [[[t, 0, 0, kwargs or {}] for t in tensors]]


def input_layer(name, shape):
    return {"class_name": "InputLayer", "name": name, "inbound_nodes": [],
            "config": {"batch_input_shape": [None] + list(shape), "dtype": "float32",
                       "sparse": False, "ragged": False, "name": name}}


def layer(cls, name, inbound, **config):
    config = {"name": name, "trainable": True, "dtype": "float32", **config}
    return {"class_name": cls, "name": name, "config": config, "inbound_nodes": inbound}


def glorot(rng, *shape):
    return rng.uniform(-0.6, 0.6, size=shape).astype(np.float32)


class Block:
    """A post-LayerNorm transformer encoder block: MHA + residual + LayerNorm, FFN + residual +
    LayerNorm, with its Keras config, weights and a NumPy forward pass."""

    def __init__(self, rng, heads, key_dim, value_dim, ffn, use_bias, activation, eps):
        self.heads, self.key_dim, self.value_dim = heads, key_dim, value_dim
        self.ffn, self.use_bias, self.activation, self.eps = ffn, use_bias, activation, eps
        h, n, k, v = HIDDEN, heads, key_dim, value_dim
        w = {}
        w["mha/query/kernel:0"] = glorot(rng, h, n, k)
        w["mha/query/bias:0"] = glorot(rng, n, k) if use_bias else None
        w["mha/key/kernel:0"] = glorot(rng, h, n, k)
        w["mha/key/bias:0"] = glorot(rng, n, k) if use_bias else None
        w["mha/value/kernel:0"] = glorot(rng, h, n, v)
        w["mha/value/bias:0"] = glorot(rng, n, v) if use_bias else None
        w["mha/attention_output/kernel:0"] = glorot(rng, n, v, h)
        w["mha/attention_output/bias:0"] = glorot(rng, h) if use_bias else None
        w["norm1/gamma:0"] = (1 + 0.3 * rng.standard_normal(h)).astype(np.float32)
        w["norm1/beta:0"] = (0.2 * rng.standard_normal(h)).astype(np.float32)
        w["ffn1/kernel:0"] = glorot(rng, h, ffn)
        w["ffn1/bias:0"] = glorot(rng, ffn)
        w["ffn2/kernel:0"] = glorot(rng, ffn, h)
        w["ffn2/bias:0"] = glorot(rng, h)
        w["norm2/gamma:0"] = (1 + 0.3 * rng.standard_normal(h)).astype(np.float32)
        w["norm2/beta:0"] = (0.2 * rng.standard_normal(h)).astype(np.float32)
        self.weights = {key: val for key, val in w.items() if val is not None}

    def layers(self):
        mask_node = {"value": ["x", 0, 0], "attention_mask": ["mask", 0, 0]}
        mha = layer("MultiHeadAttention", "mha", node("x", kwargs=mask_node),
                    num_heads=self.heads, key_dim=self.key_dim, value_dim=self.value_dim,
                    dropout=0.1, use_bias=self.use_bias, output_shape=None, attention_axes=[1],
                    kernel_initializer={"class_name": "GlorotUniform",
                                        "config": {"seed": None}},
                    bias_initializer={"class_name": "Zeros", "config": {}},
                    kernel_regularizer=None, bias_regularizer=None,
                    activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                    query_shape=[None, TIME, HIDDEN], key_shape=[None, TIME, HIDDEN],
                    value_shape=[None, TIME, HIDDEN])
        return [
            input_layer("x", [TIME, HIDDEN]),
            input_layer("mask", [1, TIME]),
            mha,
            layer("Dropout", "drop", node("mha"), rate=0.1, noise_shape=None, seed=None),
            layer("Add", "add1", node("x", "drop")),
            layer("LayerNormalization", "norm1", node("add1"), axis=[2], epsilon=self.eps,
                  center=True, scale=True),
            layer("Dense", "ffn1", node("norm1"), units=self.ffn,
                  activation=self.activation, use_bias=True),
            layer("Dense", "ffn2", node("ffn1"), units=HIDDEN, activation="linear",
                  use_bias=True),
            layer("Add", "add2", node("norm1", "ffn2")),
            layer("LayerNormalization", "norm2", node("add2"), axis=[2], epsilon=self.eps,
                  center=True, scale=True),
        ]

    def forward(self, x, mask):
        w = self.weights
        zero = np.float32(0)

        def proj(name, t):
            out = np.einsum("abc,cde->abde", t, w[f"mha/{name}/kernel:0"])
            return out + w.get(f"mha/{name}/bias:0", zero)

        q = proj("query", x) / np.float32(math.sqrt(self.key_dim))
        k = proj("key", x)
        v = proj("value", x)
        scores = np.einsum("aecd,abcd->acbe", k, q)                # [B, N, T, S]
        m = mask[:, None, :, :]                                    # [B, 1, 1, S]
        scores = scores + (1.0 - m) * np.float32(-1e9)             # Keras's masked softmax
        scores = scores - scores.max(axis=-1, keepdims=True)
        p = np.exp(scores)
        p = p / p.sum(axis=-1, keepdims=True)
        ctx = np.einsum("acbe,aecd->abcd", p, v)                   # [B, T, N, V]
        att = np.einsum("abcd,cde->abe", ctx, w["mha/attention_output/kernel:0"])
        att = att + w.get("mha/attention_output/bias:0", zero)
        h1 = self.norm(x + att, "norm1")
        f = ACTIVATIONS[self.activation](h1 @ w["ffn1/kernel:0"] + w["ffn1/bias:0"])
        f = f @ w["ffn2/kernel:0"] + w["ffn2/bias:0"]
        return self.norm(h1 + f, "norm2")

    def norm(self, t, name):
        mean = t.mean(axis=-1, keepdims=True)
        var = ((t - mean) ** 2).mean(axis=-1, keepdims=True)
        out = (t - mean) / np.sqrt(var + self.eps)
        return out * self.weights[f"{name}/gamma:0"] + self.weights[f"{name}/beta:0"]


def model_config(layers, inputs=("x", "mask"), output="norm2"):
    return {"class_name": "Functional", "keras_version": "2.11.0", "backend": "tensorflow",
            "config": {"name": "encoder", "layers": layers,
                       "input_layers": [[name, 0, 0] for name in inputs],
                       "output_layers": [[output, 0, 0]]}}


def as_attr(text, variable_length):
    """Keras writes encoded bytes (a fixed-length HDF5 string); h5py writes str as
    variable-length UTF-8. Both occur in the wild, so the fixtures use both."""
    return text if variable_length else text.encode("utf8")


def write_h5(path, layers, weights, variable_length=False, config=None, shape_override=None):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = as_attr("2.11.0", variable_length)
        f.attrs["backend"] = as_attr("tensorflow", variable_length)
        cfg = config if config is not None else model_config(layers)
        f.attrs["model_config"] = as_attr(json.dumps(cfg), variable_length)
        g = f.create_group("model_weights")
        names = [l["name"] for l in layers]
        g.attrs["layer_names"] = np.array([n.encode("utf8") for n in names])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.11.0"
        for name in sorted(names):
            lg = g.create_group(name)
            own = [k for k in weights if k.split("/")[0] == name]
            lg.attrs["weight_names"] = np.array([k.encode("utf8") for k in own],
                                                dtype=f"S{max([len(k) for k in own] + [1])}")
            for key in own:
                value = weights[key]
                if shape_override and key in shape_override:
                    value = np.zeros(shape_override[key], dtype=np.float32)
                lg.create_dataset(key, data=value)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def write_fixture(out, name, block, rng, variable_length):
    x = rng.standard_normal((BATCH, TIME, HIDDEN)).astype(np.float32)
    mask = np.ones((BATCH, 1, TIME), dtype=np.float32)
    mask[1, 0, 3:] = 0     # second sequence: 3 tokens, 2 padding
    mask[2, 0, 1:] = 0     # third: a single token
    expected = block.forward(x.astype(np.float64), mask.astype(np.float64)).astype(np.float32)
    write_h5(os.path.join(out, f"{name}.h5"), block.layers(), block.weights, variable_length)
    np.save(os.path.join(out, f"{name}-x.npy"), x)
    np.save(os.path.join(out, f"{name}-mask.npy"), mask)
    np.save(os.path.join(out, f"{name}-expected.npy"), expected)


def write_bad_inputs(out, block):
    # An HDF5 file that is not a Keras model
    with h5py.File(os.path.join(out, "not-a-keras-model.h5"), "w") as f:
        f.attrs["title"] = b"measurements"
        f.create_dataset("temperature", data=np.arange(4, dtype=np.float32))
    # A Keras 3 .keras archive (a zip holding config.json, metadata.json, model.weights.h5)
    with zipfile.ZipFile(os.path.join(out, "keras3-model.keras"), "w") as z:
        for name, content in [
                ("metadata.json", {"keras_version": "3.3.3"}),
                ("config.json", {"module": "keras", "class_name": "Functional"})]:
            # A fixed time stamp keeps the archive byte-for-byte reproducible
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), json.dumps(content))
    # Custom layers tl4j does not know, anywhere in the model
    layers = block.layers()
    layers.insert(4, layer("MyGatedUnit", "gate", node("drop")))
    layers[5]["inbound_nodes"] = node("x", "gate")
    layers.append(layer("Lambda", "scale", node("norm2"), function="lambda x: 2 * x"))
    layers.append(layer("MyGatedUnit", "gate2", node("scale")))
    cfg = model_config(layers)
    cfg["config"]["output_layers"] = [["gate2", 0, 0]]
    write_h5(os.path.join(out, "unknown-layers.h5"), layers, block.weights, config=cfg)
    # A value kernel whose shape does not match num_heads/value_dim
    bad = {"mha/value/kernel:0": (HIDDEN, block.heads, block.value_dim + 1)}
    write_h5(os.path.join(out, "wrong-weight-shape.h5"), block.layers(), block.weights,
             shape_override=bad)


def layer_norm(t, gamma, beta, eps):
    mean = t.mean(axis=-1, keepdims=True)
    var = ((t - mean) ** 2).mean(axis=-1, keepdims=True)
    return (t - mean) / np.sqrt(var + eps) * gamma + beta


class TinyVit:
    """A vision transformer in vit-keras's layout: Conv2D patch embedding (kernel = strides =
    patch, 'valid'), Reshape to [patches, hidden], ClassToken (weight cls [1, 1, hidden]),
    AddPositionEmbs (weight pos_embedding [1, tokens, hidden]), one pre-LayerNorm encoder block,
    a final LayerNormalization, the class token x[:, 0] (Keras saves the slice as a
    SlicingOpLambda layer) and a Dense head."""

    IMAGE, CHANNELS, PATCH, HEADS, KEY_DIM, MLP, CLASSES, EPS = 8, 3, 4, 2, 4, 16, 3, 1e-6

    def __init__(self, rng):
        h, p, n, k = HIDDEN, self.PATCH, self.HEADS, self.KEY_DIM
        self.tokens = (self.IMAGE // p) ** 2 + 1
        w = {}
        w["embedding/kernel:0"] = glorot(rng, p, p, self.CHANNELS, h)
        w["embedding/bias:0"] = glorot(rng, h)
        w["class_token/cls:0"] = glorot(rng, 1, 1, h)
        w["posembed_input/pos_embedding:0"] = glorot(rng, 1, self.tokens, h)
        for norm in ["block_norm1", "block_norm2", "encoder_norm"]:
            w[f"{norm}/gamma:0"] = (1 + 0.3 * rng.standard_normal(h)).astype(np.float32)
            w[f"{norm}/beta:0"] = (0.2 * rng.standard_normal(h)).astype(np.float32)
        for proj in ["query", "key", "value"]:
            w[f"block_mha/{proj}/kernel:0"] = glorot(rng, h, n, k)
            w[f"block_mha/{proj}/bias:0"] = glorot(rng, n, k)
        w["block_mha/attention_output/kernel:0"] = glorot(rng, n, k, h)
        w["block_mha/attention_output/bias:0"] = glorot(rng, h)
        w["block_mlp1/kernel:0"] = glorot(rng, h, self.MLP)
        w["block_mlp1/bias:0"] = glorot(rng, self.MLP)
        w["block_mlp2/kernel:0"] = glorot(rng, self.MLP, h)
        w["block_mlp2/bias:0"] = glorot(rng, h)
        w["head/kernel:0"] = glorot(rng, h, self.CLASSES)
        w["head/bias:0"] = glorot(rng, self.CLASSES)
        self.weights = w

    def layers(self):
        p, eps = self.PATCH, self.EPS
        patches = (self.IMAGE // p) ** 2
        mha = layer("MultiHeadAttention", "block_mha",
                    node("block_norm1", kwargs={"value": ["block_norm1", 0, 0]}),
                    num_heads=self.HEADS, key_dim=self.KEY_DIM, value_dim=self.KEY_DIM,
                    dropout=0.0, use_bias=True, output_shape=None, attention_axes=[1])
        # A TensorFlow-op layer on one tensor: Keras writes its inbound node unwrapped
        first_token = {
            "class_name": "SlicingOpLambda", "name": "tf.__operators__.getitem",
            "config": {"name": "tf.__operators__.getitem", "trainable": True,
                       "dtype": "float32", "function": "__operators__.getitem"},
            "inbound_nodes": [["encoder_norm", 0, 0, {"slice_spec": [
                {"start": None, "stop": None, "step": None}, 0]}]]}
        return [
            input_layer("image", [self.IMAGE, self.IMAGE, self.CHANNELS]),
            layer("Conv2D", "embedding", node("image"), filters=HIDDEN, kernel_size=[p, p],
                  strides=[p, p], padding="valid", data_format="channels_last",
                  dilation_rate=[1, 1], groups=1, activation="linear", use_bias=True),
            layer("Reshape", "patches", node("embedding"), target_shape=[patches, HIDDEN]),
            layer("ClassToken", "class_token", node("patches")),
            layer("AddPositionEmbs", "posembed_input", node("class_token")),
            layer("LayerNormalization", "block_norm1", node("posembed_input"), axis=[2],
                  epsilon=eps, center=True, scale=True),
            mha,
            layer("Add", "block_add1", node("posembed_input", "block_mha")),
            layer("LayerNormalization", "block_norm2", node("block_add1"), axis=[2],
                  epsilon=eps, center=True, scale=True),
            layer("Dense", "block_mlp1", node("block_norm2"), units=self.MLP,
                  activation="gelu", use_bias=True),
            layer("Dense", "block_mlp2", node("block_mlp1"), units=HIDDEN,
                  activation="linear", use_bias=True),
            layer("Add", "block_add2", node("block_add1", "block_mlp2")),
            layer("LayerNormalization", "encoder_norm", node("block_add2"), axis=[2],
                  epsilon=eps, center=True, scale=True),
            first_token,
            layer("Dense", "head", node("tf.__operators__.getitem"), units=self.CLASSES,
                  activation="linear", use_bias=True),
        ]

    def config(self):
        return model_config(self.layers(), inputs=("image",), output="head")

    def forward(self, x):
        w = {key: val.astype(np.float64) for key, val in self.weights.items()}
        b, p, g = x.shape[0], self.PATCH, self.IMAGE // self.PATCH
        # Conv2D with kernel = strides = p over channels-last images
        grid = x.reshape(b, g, p, g, p, self.CHANNELS)
        y = np.einsum("birjsc,rsco->bijo", grid, w["embedding/kernel:0"])
        y = (y + w["embedding/bias:0"]).reshape(b, g * g, HIDDEN)
        cls = np.broadcast_to(w["class_token/cls:0"], (b, 1, HIDDEN))
        y = np.concatenate([cls, y], axis=1) + w["posembed_input/pos_embedding:0"]
        y = y + self.attention(self.norm(y, "block_norm1", w), w)
        h = self.norm(y, "block_norm2", w)
        h = ACTIVATIONS["gelu"](h @ w["block_mlp1/kernel:0"] + w["block_mlp1/bias:0"])
        y = y + h @ w["block_mlp2/kernel:0"] + w["block_mlp2/bias:0"]
        y = self.norm(y, "encoder_norm", w)[:, 0]
        return y @ w["head/kernel:0"] + w["head/bias:0"]

    def norm(self, t, name, w):
        return layer_norm(t, w[f"{name}/gamma:0"], w[f"{name}/beta:0"], self.EPS)

    def attention(self, t, w):
        def proj(name):
            out = np.einsum("abc,cde->abde", t, w[f"block_mha/{name}/kernel:0"])
            return out + w[f"block_mha/{name}/bias:0"]

        q = proj("query") / math.sqrt(self.KEY_DIM)
        scores = np.einsum("aecd,abcd->acbe", proj("key"), q)
        scores = scores - scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs = probs / probs.sum(axis=-1, keepdims=True)
        ctx = np.einsum("acbe,aecd->abcd", probs, proj("value"))
        att = np.einsum("abcd,cde->abe", ctx, w["block_mha/attention_output/kernel:0"])
        return att + w["block_mha/attention_output/bias:0"]


def write_vit_fixtures(out, rng):
    vit = TinyVit(rng)
    shape = (BATCH, TinyVit.IMAGE, TinyVit.IMAGE, TinyVit.CHANNELS)
    x = rng.uniform(0, 1, size=shape).astype(np.float32)
    expected = vit.forward(x.astype(np.float64)).astype(np.float32)
    write_h5(os.path.join(out, "vit-tiny.h5"), vit.layers(), vit.weights, config=vit.config())
    np.save(os.path.join(out, "vit-tiny-x.npy"), x)
    np.save(os.path.join(out, "vit-tiny-expected.npy"), expected)
    # A position table for 6 tokens where the model has 4 patches + the class token
    bad = {"posembed_input/pos_embedding:0": (1, vit.tokens + 1, HIDDEN)}
    write_h5(os.path.join(out, "vit-wrong-weight-shape.h5"), vit.layers(), vit.weights,
             config=vit.config(), shape_override=bad)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "tl-core", "src", "test", "resources", "org", "tl4j", "core", "keras")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    with_bias = Block(rng, heads=2, key_dim=3, value_dim=5, ffn=16, use_bias=True,
                      activation="relu", eps=1e-3)
    write_fixture(out, "encoder-block-bias", with_bias, rng, variable_length=False)
    no_bias = Block(rng, heads=4, key_dim=2, value_dim=2, ffn=12, use_bias=False,
                    activation="gelu", eps=1e-6)
    write_fixture(out, "encoder-block-nobias", no_bias, rng, variable_length=True)
    write_bad_inputs(out, with_bias)
    write_vit_fixtures(out, np.random.default_rng(SEED + 1))


if __name__ == "__main__":
    main()
