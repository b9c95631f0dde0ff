"""Each user's saved predictions, in this process (the front end lists and deletes them)."""

from app.schemas import Prediction


class PredictionStore:
    def __init__(self) -> None:
        self._by_user: dict[str, dict[int, Prediction]] = {}
        self._last_id = 0

    def add(self, user: str, text: str, label: str, score: float) -> Prediction:
        self._last_id += 1
        prediction = Prediction.model_validate({"id": self._last_id, "text": text, "label": label, "score": score})
        self._by_user.setdefault(user, {})[prediction.id] = prediction
        return prediction

    def list_for(self, user: str) -> list[Prediction]:
        # Newest first: what the front end shows at the top.
        return sorted(self._by_user.get(user, {}).values(), key=lambda p: p.id, reverse=True)

    def delete(self, user: str, prediction_id: int) -> bool:
        return self._by_user.get(user, {}).pop(prediction_id, None) is not None
