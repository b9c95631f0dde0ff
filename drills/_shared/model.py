"""The provided ML model. You wrap it; you do not change it.

A small sentiment classifier: a bag-of-words logistic regression whose weights load from
``model_weights.json`` beside this file. It is deterministic (the same text always gives the
same answer) and, like real CPU inference, it *blocks* the calling thread for
``MODEL_LATENCY_MS`` milliseconds per prediction. Call it from async code accordingly.

    from model import ModelError, SentimentModel

    model = SentimentModel.load()          # slow-ish: reads the weights file
    model.version                          # "sentiment-1.4.0"
    model.predict("great service")         # {"label": "positive", "score": 0.8455}

The model can fail, as real ones do, and it fails on purpose so that failure paths can be
tried: ``predict()`` raises ``ModelError`` (after its usual latency) when the text contains

- ``[fail]``: every time;
- ``[fail-first:N]`` (N from 1 to 9): on the first N calls with that exact text in this
  process, then it answers normally (a transient failure).
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Literal, TypedDict

WEIGHTS_FILE = Path(__file__).with_name("model_weights.json")
FAILURE_MARKER = "[fail]"
_TRANSIENT_MARKER = re.compile(r"\[fail-first:([1-9])\]")
_TOKEN = re.compile(r"[a-z']+")


class ModelError(RuntimeError):
    """The model could not classify a text (raised by ``predict``)."""


class Prediction(TypedDict):
    label: Literal["positive", "negative"]
    score: float


class SentimentModel:
    """Load once (``SentimentModel.load()``), then call ``predict`` as often as needed."""

    #: How many times weights were loaded in this process (each load is also logged to stderr).
    loads = 0

    def __init__(self, version: str, bias: float, weights: dict[str, float], latency_ms: int) -> None:
        self.version = version
        self._bias = bias
        self._weights = weights
        self._latency_s = latency_ms / 1000
        self._failures: dict[str, int] = {}
        self._failures_lock = threading.Lock()

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE, latency_ms: int | None = None) -> SentimentModel:
        """Read the weights file. ``latency_ms`` defaults to the MODEL_LATENCY_MS env var (or 100)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if latency_ms is None:
            latency_ms = int(os.environ.get("MODEL_LATENCY_MS", "100"))
        SentimentModel.loads += 1
        print(
            f"model: loaded {data['version']} from {path.name} (load #{SentimentModel.loads} in this process)",
            file=sys.stderr,
            flush=True,
        )
        return cls(data["version"], float(data["bias"]), dict(data["weights"]), latency_ms)

    def predict(self, text: str) -> Prediction:
        """Classify ``text``. Blocks the calling thread for MODEL_LATENCY_MS (CPU-bound work).

        Raises ``ModelError`` for a text with a failure marker (see the module's docstring).
        """
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        time.sleep(self._latency_s)
        self._fail_if_marked(text)
        logit = self._bias + sum(self._weights.get(token, 0.0) for token in _TOKEN.findall(text.lower()))
        positive = 1.0 / (1.0 + math.exp(-logit))
        label: Literal["positive", "negative"] = "positive" if positive >= 0.5 else "negative"
        score = positive if label == "positive" else 1.0 - positive
        return {"label": label, "score": round(score, 4)}

    def _fail_if_marked(self, text: str) -> None:
        if FAILURE_MARKER in text:
            raise ModelError(f"the model cannot classify this text (it contains {FAILURE_MARKER})")
        transient = _TRANSIENT_MARKER.search(text)
        if transient is None:
            return
        with self._failures_lock:
            failed = self._failures.get(text, 0)
            if failed >= int(transient.group(1)):
                return
            self._failures[text] = failed + 1
        raise ModelError(f"the model failed on this text (transient failure {failed + 1} of {transient.group(1)})")
