"""The NCBI request rate, shared by every process through the database.

``ncbi_limiter()`` gives a ``SharedRateLimiter`` whose slots are rows of
``RateSlot``: inserting a row is the atomic "claim" on SQLite and
PostgreSQL alike, and every web process and task worker sees the same
table. Old slots are deleted now and then, so the table stays small.
"""

from __future__ import annotations

import random

from django.db import IntegrityError, transaction

from evidence.library.ingest import http
from evidence.library.ingest.ratelimit import SharedRateLimiter
from evidence.models import RateSlot

NCBI = "ncbi"
# Slots older than this many intervals are of no use to anyone.
KEEP_SLOTS = 1000
CLEANUP_CHANCE = 0.02


class DatabaseSlots:
    def claim(self, name: str, slot: int) -> bool:
        try:
            with transaction.atomic():
                RateSlot.objects.create(name=name, slot=slot)
        except IntegrityError:
            return False
        if random.random() < CLEANUP_CHANCE:  # noqa: S311
            RateSlot.objects.filter(name=name, slot__lt=slot - KEEP_SLOTS).delete()
        return True


def ncbi_rate() -> float:
    """NCBI's limit: 10 requests a second with an API key, else 3."""
    return 10.0 if http.ncbi_api_key() else 3.0


def ncbi_limiter(**kwargs) -> SharedRateLimiter:
    return SharedRateLimiter(NCBI, ncbi_rate(), DatabaseSlots(), **kwargs)
