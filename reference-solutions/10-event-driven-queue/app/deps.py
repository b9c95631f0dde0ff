"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Request

from app.service import MessageService


def get_messages(request: Request) -> MessageService:
    messages: MessageService = request.app.state.messages
    return messages


MessagesDep = Annotated[MessageService, Depends(get_messages)]
