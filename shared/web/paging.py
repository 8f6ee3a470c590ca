"""Every list endpoint pages: ``?limit=&offset=`` in, ``{items, total, limit, offset}`` out."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

T = TypeVar("T")
# Past any real list, and inside a 64-bit integer: a larger offset is a 422, never a database
# overflow (found by the API fuzzer).
MAX_OFFSET = 2**31 - 1
# ``?offset=`` of every paged list, API and pages alike
PageOffset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


class PageParams(BaseModel):
    limit: int
    offset: int


async def page_params(limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: PageOffset = 0) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Paging = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
