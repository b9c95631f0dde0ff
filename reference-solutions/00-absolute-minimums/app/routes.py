"""HTTP endpoints."""

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from app.deps import SessionDep
from app.models import Item
from app.schemas import ItemIn, ItemOut

router = APIRouter(prefix="/items")


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_item(body: ItemIn, session: SessionDep) -> ItemOut:
    item = Item(**body.model_dump())
    session.add(item)
    # Committed before the answer: a client that reads right after finds the row.
    await session.commit()
    return ItemOut.model_validate(item)


@router.get("")
async def list_items(session: SessionDep) -> list[ItemOut]:
    items = await session.scalars(select(Item).order_by(Item.id))
    return [ItemOut.model_validate(item) for item in items]


@router.get("/{item_id}")
async def read_item(item_id: int, session: SessionDep) -> ItemOut:
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no item with id {item_id}")
    return ItemOut.model_validate(item)
