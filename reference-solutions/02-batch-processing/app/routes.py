"""HTTP endpoints: thin handlers over the batch service."""

from fastapi import APIRouter, HTTPException, Request, Response, status

from app.deps import BatchesDep, IdempotencyKeyDep, SettingsDep
from app.schemas import BatchIn, BatchOut, Stats
from app.scoring import ItemRejectedError
from app.service import KeyReusedError

router = APIRouter()


@router.post("/batches", status_code=status.HTTP_201_CREATED)
async def submit_batch(
    body: BatchIn,
    batches: BatchesDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKeyDep = None,
) -> BatchOut:
    if len(body.items) > settings.batch_max_items:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"a batch holds at most {settings.batch_max_items} items; this one has {len(body.items)}",
        )
    try:
        result = await batches.create(body.items, idempotency_key)
    except ItemRejectedError as rejected:
        # The shape of FastAPI's own validation errors, so a client reads one format for both.
        detail = [{"loc": ["body", "items", rejected.index, "text"], "msg": rejected.reason, "type": "model_error"}]
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail) from rejected
    except KeyReusedError as reused:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail="this Idempotency-Key was already used for a batch with different items",
        ) from reused
    response.headers["Location"] = request.app.url_path_for("read_batch", batch_id=result.batch.id)
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return result.batch


@router.get("/batches/{batch_id}", name="read_batch")
async def read_batch(batch_id: str, batches: BatchesDep) -> BatchOut:
    batch = await batches.get(batch_id)
    if batch is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no batch with id {batch_id}")
    return batch


@router.get("/stats")
async def stats(batches: BatchesDep) -> Stats:
    return await batches.stats()
