import threading

import pytest

from evidence.library.ingest import ratelimit
from evidence.library.ingest.searches import (
    common_mesh_terms,
    suggest_pubmed_query,
    suggest_trials_query,
)

NR_TRIAL = ["Humans", "Niacinamide", "NAD", "Aged", "Pyridinium Compounds"]
NR_REVIEW = ["NAD", "Niacinamide", "Aging", "Animals"]
MOUSE = ["Mice", "NAD", "Aging"]


def test_shared_mesh_headings_come_first_without_check_tags():
    assert common_mesh_terms([NR_TRIAL, NR_REVIEW, MOUSE]) == [
        "NAD",
        "Niacinamide",
        "Aging",
    ]


def test_query_searches_the_subject_within_the_sources_topic():
    assert suggest_pubmed_query("nicotinamide riboside", [NR_TRIAL, NR_REVIEW]) == (
        '"nicotinamide riboside"[tiab] AND ("Niacinamide"[mh] OR "NAD"[mh] OR '
        '"Pyridinium Compounds"[mh])'
    )


def test_query_without_a_subject_needs_the_two_most_shared_headings():
    assert suggest_pubmed_query("", [NR_TRIAL, NR_REVIEW]) == (
        '"Niacinamide"[mh] AND "NAD"[mh]'
    )


def test_query_without_sources_searches_the_subject_alone():
    assert suggest_pubmed_query(' NAD+ "IV" ', []) == '"NAD+ IV"[tiab]'
    assert suggest_pubmed_query("", []) == ""


def test_trials_query_is_the_subject_or_the_main_heading():
    assert suggest_trials_query("nicotinamide riboside", [NR_TRIAL]) == (
        "nicotinamide riboside"
    )
    assert suggest_trials_query("", [NR_REVIEW, MOUSE]) == "NAD"


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_two_workers_sharing_a_store_never_start_within_an_interval():
    store = ratelimit.MemorySlots()
    clock = Clock(1_000_000.0)
    workers = [
        ratelimit.SharedRateLimiter("ncbi", 3, store, clock=clock, sleep=lambda s: 0)
        for _ in range(2)
    ]
    starts = []
    for i in range(12):
        delay = workers[i % 2].wait()
        starts.append(clock.now + delay)
    starts.sort()
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 1 / 3
    # At most three requests begin in any one second.
    assert all(sum(s <= t < s + 1 for t in starts) <= 3 for s in starts)


def test_a_worker_alone_waits_only_for_its_own_rhythm():
    store = ratelimit.MemorySlots()
    clock = Clock(500.0)
    limiter = ratelimit.SharedRateLimiter(
        "ncbi", 10, store, clock=clock, sleep=clock.sleep
    )
    limiter.wait()
    before = clock.now
    limiter.wait()
    assert clock.now - before == pytest.approx(0.105, abs=1e-6)


def test_threads_claim_distinct_slots():
    store = ratelimit.MemorySlots()
    clock = Clock(42.0)
    limiter = ratelimit.SharedRateLimiter(
        "ncbi", 3, store, clock=clock, sleep=lambda s: None
    )
    threads = [threading.Thread(target=limiter.wait) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.taken) == 20
