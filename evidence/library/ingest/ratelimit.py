"""A request rate shared by every process that talks to one service.

NCBI allows 3 E-utilities requests a second from one site (10 with an API
key), counted across all its workers: the web process importing a PMID, the
task worker checking retractions and the one running saved searches. A
limiter inside one process cannot keep that promise, so this one keeps its
state in a store every process sees.

Time is cut into slots one interval long (a third of a second at 3/s). A
caller claims the first free slot from now on, with an atomic "add if
absent" in the store, and waits until that slot begins. Two callers can
never claim the same slot, so requests start at least one interval apart
whichever process sends them. Slots are claimed a little wider than the
bare interval (``MARGIN``), so a request sent a few milliseconds late still
keeps the promise.

The store is injected (``SlotStore``): the database in production (see
``evidence.library.ratelimits``), a dict in tests. Nothing here touches Django.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

Sleep = Callable[[float], None]
MARGIN = 1.05
# How far ahead a caller may book before giving up: a queue of 10 minutes
# at 3 requests a second means something is wrong.
MAX_SLOTS_AHEAD = 1800


class SlotStore(Protocol):
    def claim(self, name: str, slot: int) -> bool:
        """Take slot ``slot`` of limiter ``name``; False if already taken."""


class MemorySlots:
    """Slots kept in this process only (tests, one-off scripts)."""

    def __init__(self):
        self.taken: set[tuple[str, int]] = set()
        self._lock = threading.Lock()

    def claim(self, name: str, slot: int) -> bool:
        with self._lock:
            if (name, slot) in self.taken:
                return False
            self.taken.add((name, slot))
            return True


class LimiterBusy(RuntimeError):
    """No free slot in the next ``MAX_SLOTS_AHEAD`` intervals."""


class SharedRateLimiter:
    """At most ``rate`` requests a second under ``name``, across processes.

    ``clock`` must be a wall clock shared by the processes (``time.time``),
    not a monotonic one, because slot numbers are compared between them.
    Has the same ``wait(sleep)`` method as ``http.RateLimiter``, so
    ``http.get`` takes either.
    """

    def __init__(
        self,
        name: str,
        rate: float,
        store: SlotStore,
        clock: Callable[[], float] = time.time,
        sleep: Sleep = time.sleep,
    ):
        self.name = name
        self.rate = rate
        self.interval = MARGIN / rate
        self.store = store
        self.clock = clock
        self.sleep = sleep

    def wait(self, sleep: Sleep | None = None) -> float:
        """Wait for this caller's slot; returns the seconds waited."""
        now = self.clock()
        first = math.ceil(now / self.interval)
        for slot in range(first, first + MAX_SLOTS_AHEAD):
            if self.store.claim(self.name, slot):
                delay = max(slot * self.interval - now, 0.0)
                if delay:
                    (sleep or self.sleep)(delay)
                return delay
        raise LimiterBusy(
            f"No free request slot for {self.name} in the next "
            f"{MAX_SLOTS_AHEAD} intervals."
        )
