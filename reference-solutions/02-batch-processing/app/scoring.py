"""Scoring a whole batch with the provided model: plain blocking code, run in a worker thread."""

from model import ModelError, Prediction, SentimentModel


class ItemRejectedError(Exception):
    """The model could not classify one item, so the whole batch is rejected."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"item {index}: {reason}")
        self.index = index
        self.reason = reason


def score_all(model: SentimentModel, texts: list[str]) -> list[Prediction]:
    """Every item's prediction, in input order; stops at the first item the model rejects.

    Called once per batch through the threadpool: one hop off the event loop for the whole
    batch instead of one per item.
    """
    predictions: list[Prediction] = []
    for index, text in enumerate(texts):
        try:
            predictions.append(model.predict(text))
        except ModelError as error:
            raise ItemRejectedError(index, str(error)) from error
    return predictions
