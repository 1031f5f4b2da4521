#!/usr/bin/env python3
"""Writes the Keras 2 HDF5 fixtures of tl-core's Keras importer tests, and their expected outputs.

No TensorFlow is needed: the files are laid out by hand with h5py exactly as Keras 2.x's
`model.save("x.h5")` writes them (root attributes keras_version, backend, model_config with the
functional model's JSON; group model_weights with layer_names, one group per layer with
weight_names and the datasets <layer>/<weight>:0). The expected outputs are computed with NumPy
following Keras's own formulas (MultiHeadAttention's einsum equations, LayerNormalization,
Dense), independently of tl4j. Seeded, so the output is reproducible.

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


def model_config(layers):
    return {"class_name": "Functional", "keras_version": "2.11.0", "backend": "tensorflow",
            "config": {"name": "encoder", "layers": layers,
                       "input_layers": [["x", 0, 0], ["mask", 0, 0]],
                       "output_layers": [["norm2", 0, 0]]}}


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


if __name__ == "__main__":
    main()
