"""Cache keys: one entry per model version and per text, up to case and spacing."""

import hashlib

KEY_PREFIX = "predict"


def normalise(text: str) -> str:
    # The model ignores case and spacing, so "Great  service" and "great service" get the same
    # answer; sharing one entry raises the hit rate. Nothing else is folded: punctuation stays.
    return " ".join(text.split()).lower()


def cache_key(model_version: str, text: str) -> str:
    # The model version is part of the key: after an upgrade the old model's answers are never
    # read again (they expire), instead of being served as the new model's. Hashing bounds the
    # key's length and keeps user text out of Redis key names.
    digest = hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
    return f"{KEY_PREFIX}:{model_version}:{digest}"
