"""What the registry can refuse, each with the HTTP status that says it (mapped in main.py)."""

from fastapi import status


class RegistryError(Exception):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class VersionNotFoundError(RegistryError):
    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, version: str) -> None:
        super().__init__(f"no registered version {version!r}")


class VersionExistsError(RegistryError):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, version: str) -> None:
        super().__init__(f"version {version} is already registered; versions are immutable, register a new one")


class EvaluationExistsError(RegistryError):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, version: str, dataset: str) -> None:
        super().__init__(f"version {version} already has a result for dataset {dataset!r}; results are immutable")


class NoProductionVersionError(RegistryError):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self) -> None:
        super().__init__("no version is in production: promote one, or pin a version in the request")


class NothingToRollBackError(RegistryError):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self) -> None:
        super().__init__("there is no earlier production version to roll back to")


class PredictionFailedError(Exception):
    """The model raised; the answer names the version that was serving."""

    def __init__(self, version: str, reason: str) -> None:
        super().__init__(reason)
        self.version = version
        self.reason = reason
