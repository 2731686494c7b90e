"""``/v1/api-keys``: create, list and revoke API keys (admin only)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel

from shopdb.api.deps import EngineDep, Principal, key_cache, needs
from shopdb.api.responses import ERRORS
from shopdb.api.schemas.common import Body, Timestamp, text
from shopdb.api.threads import ThreadedRoute
from shopdb.limits import MAX_ID
from shopdb.services.api_keys import ApiKey, create_api_key, list_api_keys, revoke_api_key

router = APIRouter(tags=["api keys"], route_class=ThreadedRoute)


class KeyCreate(Body):
    """A new key's role and label."""

    role: Literal["admin", "clerk", "analyst"]
    label: Annotated[str, text(100)] | None = None


class KeyPublic(BaseModel):
    """A key, without its secret."""

    api_key_id: int
    role: str
    label: str | None
    key_prefix: str
    created_at: Timestamp
    revoked_at: Timestamp | None

    @classmethod
    def of(cls, key: ApiKey) -> KeyPublic:
        """From the stored key."""
        return cls(**vars(key))


class KeyCreated(KeyPublic):
    """A new key with its secret, shown this once."""

    key: str


class KeyList(BaseModel):
    """Every key, revoked ones included."""

    data: list[KeyPublic]


@router.get("/api-keys")
def list_keys(engine: EngineDep, _: Annotated[Principal, needs("keys:admin")]) -> KeyList:
    """Every key, oldest first."""
    return KeyList(data=[KeyPublic.of(k) for k in list_api_keys(engine)])


@router.post("/api-keys", status_code=201)
def create_key(
    body: KeyCreate,
    response: Response,
    engine: EngineDep,
    _: Annotated[Principal, needs("keys:admin")],
) -> KeyCreated:
    """Create a key; its secret is in this response only."""
    key, secret = create_api_key(engine, body.role, body.label)
    response.headers["Location"] = f"/v1/api-keys/{key.api_key_id}"
    return KeyCreated(**vars(key), key=secret)


@router.delete("/api-keys/{api_key_id}", responses=ERRORS)
def revoke_key(
    request: Request,
    api_key_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    engine: EngineDep,
    _: Annotated[Principal, needs("keys:admin")],
) -> KeyPublic:
    """Revoke a key from now on (other workers refuse it within their key cache's time)."""
    revoked = revoke_api_key(engine, api_key_id)
    key_cache(request).drop(api_key_id)
    return KeyPublic.of(revoked)
