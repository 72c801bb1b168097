"""The hash chain: each event's hash covers its content and the hash before.

An event is a JSON object with these keys, and nothing else:

    {"article": 12, "seq": 3, "kind": "decision", "at": "2026-…Z",
     "actor": {"id": 4, "name": "…", "credentials": "…"} or null,
     "data": {…}, "prev": "<hash of event 2, or 64 zeros for event 1>"}

Its hash is the SHA-256, in hex, of its canonical JSON: keys sorted, no
spaces, UTF-8, non-ASCII characters as themselves (`canonical`). Anyone can
recompute it with any JSON library that sorts keys; `verify_events` does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from evidence.models import GENESIS, AuditEvent

EVENT_KEYS = ("actor", "article", "at", "data", "kind", "prev", "seq")


def canonical(value) -> str:
    """The canonical JSON text of `value` (what hashes are taken of)."""
    return json.dumps(
        value,
        cls=DjangoJSONEncoder,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def digest(value) -> str:
    """SHA-256 (hex) of the canonical JSON of `value`."""
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def event_hash(event: dict) -> str:
    """The hash of an event: of its canonical JSON without its own hash."""
    return digest({key: event.get(key) for key in EVENT_KEYS})


def _lock_page(page_id: int) -> None:
    from wagtail.models import Page

    # Appends to one page's chain queue behind each other (a no-op on SQLite,
    # whose writes are serialised anyway); the unique (page, seq) constraint
    # is the backstop.
    list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk"))


def append(page_id: int, kind: str, data: dict, actor: dict | None = None, at=None):
    """Append an event to page `page_id`'s chain and return it (saved).

    Runs in the caller's transaction (or its own), so the event is written
    together with what it records, or not at all.
    """
    at = at or timezone.now()
    with transaction.atomic():
        _lock_page(page_id)
        last = (
            AuditEvent.objects.filter(page_id=page_id)
            .order_by("-seq")
            .only("seq", "hash")
            .first()
        )
        event = {
            "article": page_id,
            "seq": (last.seq + 1) if last else 1,
            "kind": kind,
            "at": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "actor": actor,
            "data": data,
            "prev": last.hash if last else GENESIS,
        }
        # Round-trip through JSON so what is stored is exactly what is hashed.
        payload = canonical(event)
        stored = json.loads(payload)
        return AuditEvent.objects.create(
            page_id=page_id,
            seq=stored["seq"],
            kind=kind,
            occurred_at=at,
            payload=payload,
            prev_hash=stored["prev"],
            hash=event_hash(stored),
        )


def as_exported(event: AuditEvent) -> dict:
    """The event as a bundle carries it: its content and its hash."""
    return {**json.loads(event.payload), "hash": event.hash}


@dataclass(frozen=True)
class Mismatch:
    """The first event of a chain that does not match, and why."""

    seq: object
    kind: str
    reason: str

    def __str__(self):
        return f"Event {self.seq} ({self.kind or 'unknown kind'}): {self.reason}"


def verify_events(events: Iterable[dict], article=None) -> Mismatch | None:
    """Recompute a chain; the first event that does not match, or None.

    Each event must be an object with exactly the chain's keys and its
    hash, numbered 1, 2, 3… with no gap, name the same article, name the
    previous event's hash and carry the hash of its own content.
    """
    prev = GENESIS
    for position, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            return Mismatch(position, "", "is not a JSON object")
        seq, kind = event.get("seq"), str(event.get("kind") or "")
        extra = set(event) - {*EVENT_KEYS, "hash"}
        missing = {*EVENT_KEYS, "hash"} - set(event)
        if missing or extra:
            names = ", ".join(sorted(missing | extra))
            return Mismatch(seq, kind, f"has missing or unknown fields ({names})")
        if seq != position:
            return Mismatch(seq, kind, f"is numbered {seq}, expected {position}")
        if article is not None and event["article"] != article:
            return Mismatch(seq, kind, "names a different article")
        if event["prev"] != prev:
            return Mismatch(seq, kind, "does not name the previous event's hash")
        recomputed = event_hash(event)
        if event["hash"] != recomputed:
            return Mismatch(
                seq,
                kind,
                f"its content does not match its hash (stored {event['hash']}, "
                f"recomputed {recomputed})",
            )
        prev = event["hash"]
    return None


def stored_chain(page_id: int) -> list[dict]:
    """Page `page_id`'s chain as stored, oldest first, as exported."""
    return [as_exported(e) for e in AuditEvent.objects.filter(page_id=page_id)]
