#!/usr/bin/env python3
"""Writes the committed MNIST and Fashion-MNIST subsets as gzipped IDX files.

Standard library only. Output is byte-for-byte reproducible: fixed seed, gzip mtime 0.
Called by make-vision-data.sh, which fetches the sources.
"""
import argparse
import gzip
import json
import os
import random
import struct

SEED = 20261203
FASHION_PER_CLASS = 200


def write_idx_gz(path, magic_type, dims, payload):
    """IDX: 0x0000, type byte, rank byte, big-endian int32 dims, then unsigned bytes."""
    header = struct.pack(">HBB", 0, magic_type, len(dims)) + b"".join(
        struct.pack(">I", d) for d in dims)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(header)
            gz.write(payload)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def mnist_10k(digits_dir, out):
    images = bytearray()
    labels = bytearray()
    for digit in range(10):
        with open(os.path.join(digits_dir, f"{digit}.json")) as f:
            values = json.load(f)["data"]
        if len(values) % 784 != 0:
            raise SystemExit(f"{digit}.json: {len(values)} values is not a multiple of 784")
        images.extend(max(0, min(255, round(255 * v))) for v in values)
        labels.extend([digit] * (len(values) // 784))
    n = len(labels)
    write_idx_gz(os.path.join(out, "mnist-10k-images-idx3-ubyte.gz"), 0x08, [n, 28, 28],
                 bytes(images))
    write_idx_gz(os.path.join(out, "mnist-10k-labels-idx1-ubyte.gz"), 0x08, [n], bytes(labels))


def read_idx_gz(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def fashion_subset(fashion_dir, out):
    """200 images per class from the t10k (test) split, drawn with a fixed seed."""
    dims, pixels = read_idx_gz(os.path.join(fashion_dir, "t10k-images-idx3-ubyte.gz"))
    _, labels = read_idx_gz(os.path.join(fashion_dir, "t10k-labels-idx1-ubyte.gz"))
    rng = random.Random(SEED)
    chosen = []
    for c in range(10):
        idx = [i for i, y in enumerate(labels) if y == c]
        chosen.extend(rng.sample(idx, FASHION_PER_CLASS))
    rng.shuffle(chosen)
    size = dims[1] * dims[2]
    images = b"".join(pixels[i * size:(i + 1) * size] for i in chosen)
    sub_labels = bytes(labels[i] for i in chosen)
    n = len(chosen)
    write_idx_gz(os.path.join(out, "fashion-mnist-2k-images-idx3-ubyte.gz"), 0x08,
                 [n, dims[1], dims[2]], images)
    write_idx_gz(os.path.join(out, "fashion-mnist-2k-labels-idx1-ubyte.gz"), 0x08, [n],
                 sub_labels)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mnist-digits", required=True)
    p.add_argument("--fashion-dir", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    mnist_10k(a.mnist_digits, a.out)
    fashion_subset(a.fashion_dir, a.out)


if __name__ == "__main__":
    main()
