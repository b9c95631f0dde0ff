"""HTTP endpoints: thin handlers over the message service."""

from fastapi import APIRouter, HTTPException, Response, status

from app.deps import MessagesDep
from app.queues import BrokerUnavailableError
from app.schemas import Accepted, MessageRead, PublishRequest, StatsRead

router = APIRouter()


@router.post(
    "/messages",
    status_code=status.HTTP_202_ACCEPTED,
    responses={503: {"description": "The broker cannot take messages right now"}},
)
async def publish(body: PublishRequest, messages: MessagesDep, response: Response) -> Accepted:
    try:
        record = await messages.publish(body.text, body.id)
    except BrokerUnavailableError as exc:
        # Nothing was accepted: say so at once, so the caller can retry later.
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=f"the queue is unavailable: {exc}") from exc
    response.headers["Location"] = f"/messages/{record.id}"
    return Accepted(id=record.id, status=record.status)


@router.get("/messages/{message_id}")
async def read_message(message_id: str, messages: MessagesDep) -> MessageRead:
    record = messages.records.get(message_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no message with id {message_id}")
    return MessageRead.model_validate(record)


@router.get("/stats")
async def stats(messages: MessagesDep) -> StatsRead:
    return StatsRead.model_validate(messages.stats)
