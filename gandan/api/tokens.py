"""/tokens: the caller's own personal API tokens. Someone else's token answers 404, as a missing one.

A token cannot mint another token: creating one needs the browser session (sign in, then call
this or use the /me/tokens/ page), so that a leaked token cannot outlive its own revocation.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from gandan.api.auth import by_token, user_of
from gandan.api.schemas import TokenCreatedOut, TokenIn, TokenOut
from gandan.core.input_types import Id
from gandan.core.models import ApiKey
from gandan.people import scoping, tokens

router = Router(tags=["tokens"])


@router.get("", response=list[TokenOut], summary="My tokens, revoked ones included")
def token_list(request: HttpRequest) -> list[ApiKey]:
    return list(tokens.tokens_of(user_of(request)))


@router.post("", response={201: TokenCreatedOut}, summary="Create a token; its key is shown this once")
def token_create(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    if by_token(request):
        raise HttpError(403, _("Khóa API không tạo được khóa mới; hãy đăng nhập"))
    token, key = tokens.token_create(actor=user_of(request), name=payload.name)
    return {**TokenOut.model_validate(token).model_dump(), "key": key}


@router.delete("/{token_id}", response={204: None}, summary="Revoke one of my tokens")
def token_revoke(request: HttpRequest, token_id: Id) -> None:
    user = user_of(request)
    tokens.token_revoke(actor=user, token=scoping.get_visible_or_404(tokens.tokens_of(user), user, pk=token_id))
