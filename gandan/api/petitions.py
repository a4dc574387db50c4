"""/petitions routes (see gandan/petitions)."""

from ninja import Router

router = Router(tags=["petitions"])
