"""/fieldwork routes (see gandan/fieldwork)."""

from ninja import Router

router = Router(tags=["fieldwork"])
