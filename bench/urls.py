"""The product's URLs plus the reference the write path is measured against: a bare Django view
doing one idempotent INSERT into `bench_bare` (made by bench/national.py). Only the bench serves it."""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

BARE_TABLE = ("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, client_uuid uuid UNIQUE, "
              "body jsonb)")


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (client_uuid, body) VALUES (%s, %s) ON CONFLICT (client_uuid)"
                       " DO NOTHING RETURNING id", [body["client_uuid"], json.dumps(body)])
        row = cursor.fetchone()
    return JsonResponse({"id": row[0] if row else None}, status=201 if row else 200)


urlpatterns = [path("bench/bare", bare), path("", include("gandan.urls"))]
