"""Every error, whoever raises it, leaves in one envelope that carries the request id."""

import logging
from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.request_id import REQUEST_ID_HEADER, new_request_id
from app.schemas import ErrorBody, ErrorEnvelope, FieldError
from model import ModelError

logger = logging.getLogger(__name__)


def request_id_of(request: Request) -> str:
    # Set by ObservabilityMiddleware; the fallback only matters if that middleware is missing.
    request_id = getattr(request.state, "request_id", None)
    return request_id if isinstance(request_id, str) else new_request_id()


def error_response(
    request: Request,
    status_code: int,
    code: str,
    message: str,
    *,
    details: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    request_id = request_id_of(request)
    body = ErrorEnvelope(error=ErrorBody(code=code, message=message, request_id=request_id, details=details))
    # The middleware adds X-Request-ID to what passes through it, but the 500 handler runs in
    # ServerErrorMiddleware, outside it: the envelope sets the header itself so 500s carry it too.
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status_code,
        headers={**(headers or {}), REQUEST_ID_HEADER: request_id},
    )


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    # Starlette's HTTPException, not only FastAPI's subclass: the router raises Starlette's own
    # for an unknown path (404) and a wrong method (405, whose Allow header is in exc.headers).
    code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
    return error_response(request, exc.status_code, code, str(exc.detail), headers=exc.headers)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    # Only loc, msg and type: Pydantic's `input` and `ctx` can echo the whole body back or hold
    # objects that are not JSON.
    details = [FieldError(loc=list(error["loc"]), msg=error["msg"], type=error["type"]) for error in exc.errors()]
    return error_response(
        request,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "validation_error",
        "the request is not valid",
        details=details,
    )


async def model_error(request: Request, exc: ModelError) -> Response:
    # A domain error: the model could not answer this text. Its message is ours to show.
    return error_response(request, status.HTTP_503_SERVICE_UNAVAILABLE, "model_error", str(exc))


async def unhandled_error(request: Request, exc: Exception) -> Response:
    # The details go to the log, tied to the request id; the client gets the id and nothing about
    # our internals. ServerErrorMiddleware re-raises after this, so uvicorn logs the traceback too.
    fields = {"request_id": request_id_of(request), "exception": f"{type(exc).__name__}: {exc}"}
    logger.error("unhandled exception", extra={"fields": fields})
    return error_response(request, status.HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "internal server error")


ExceptionHandler = Callable[[Request, Any], Coroutine[Any, Any, Response]]

EXCEPTION_HANDLERS: dict[int | type[Exception], ExceptionHandler] = {
    StarletteHTTPException: http_error,
    RequestValidationError: validation_error,
    ModelError: model_error,
    # FastAPI hands the handler for Exception to ServerErrorMiddleware, the outermost layer.
    Exception: unhandled_error,
}
