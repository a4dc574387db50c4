"""/assignments routes (see gandan/assignments)."""

from ninja import Router

router = Router(tags=["assignments"])
