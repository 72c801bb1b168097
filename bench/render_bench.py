"""The demo article rendered in process: cold, cache-busted and its queries.

    .venv/bin/python bench/render_bench.py [--runs 200] [--site DIR]

Builds a throwaway demo site (SQLite, DEBUG off, as `page_bench.py` does)
unless `--site` names one kept with `--keep`, then renders the demo article
through Django's test client in this process (page cache off), set up as
the serving processes are (`nadsite/wsgi.py`):

- **first render after a publish**: every cache is emptied (the Django
  cache, which holds the fragments, and the per-Source memo), as after a
  publish that changed every key, and the next request is timed; repeated
  `--cold` times;
- **cache-busted**: the page cache missed, content-keyed fragment caches
  allowed: the median and p95 of `--runs` requests;
- the number of queries of one request (fragments cached, and cold).

Wall-clock times on a shared machine are mostly waiting for a CPU; the CPU
time of this process (`time.process_time`) is printed beside them.

    .venv/bin/python bench/render_bench.py --instructions [--site DIR]

counts instead the instructions of the same two requests under `valgrind
--tool=callgrind` (`PYTHONHASHSEED=0`), with instrumentation on only around
them (a small helper built with gcc and valgrind's callgrind.h, called
through ctypes), after 10 requests have warmed the process up: the first
render with every cache cold (`--cold` of them, each after the caches are
emptied) and a cache-busted request (20 of them). A count that does not
move with the machine's load. Figures go in bench/README.md.
"""

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import callgrind

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTICLE = "/articles/nad-iv-therapy-and-ageing/"


def site_env(var_dir: Path) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "nadsite.settings",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "NADSITE_DEMO": "1",
        "NADSITE_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "NADSITE_PAGE_CACHE_SECONDS": "0",
        "NADSITE_PROCESSES": "1",
        "LOG_LEVEL": "WARNING",
    }


def build(var_dir: Path, env: dict) -> None:
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    for key in ("DEBUG", "DATABASE_URL", "REDIS_URL"):
        full.pop(key, None)
    for args in (
        ("migrate", "--no-input"),
        ("collectstatic", "--no-input"),
        ("load_demo_content",),
    ):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=full,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def empty_caches() -> None:
    from django.core.cache import cache

    from articles import reading
    from evidence.passages import ContentMemo

    cache.clear()
    ContentMemo.clear_all()
    for name in dir(reading):
        memo = getattr(getattr(reading, name), "cache_clear", None)
        if memo is not None and callable(memo):
            memo()


def start_serving() -> None:
    """Django set up as a serving process has it (`nadsite/wsgi.py`): what
    start-up loaded set aside from the garbage collector."""
    import django

    django.setup()
    from nadsite.serving import freeze_loaded_objects

    freeze_loaded_objects()


BUSTED_COUNTED = 20  # cache-busted requests counted under callgrind


def counted(directory: Path, cold: int) -> None:
    """Inside valgrind: the first render with every cache cold, `cold`
    times, then `BUSTED_COUNTED` cache-busted requests, each set dumped
    under its own name."""
    start_serving()
    from django.test import Client

    zero, on, off, dump = callgrind.switch(directory)
    client = Client()

    def get() -> None:
        response = client.get(ARTICLE)
        if response.status_code != 200:
            raise RuntimeError(f"GET {ARTICLE} gave {response.status_code}")

    for _ in range(10):
        get()
    # Each window starts after a full collection, so that none of the
    # collector's rare full passes (one in hundreds of requests) lands in
    # it by chance: the count is the request's own.
    gc.collect()
    zero()
    for _ in range(cold):
        empty_caches()
        on()
        get()
        off()
    dump(b"cold")
    for _ in range(10):
        get()
    gc.collect()
    zero()
    on()
    for _ in range(BUSTED_COUNTED):
        get()
    off()
    dump(b"busted")


def instructions(site: Path, cold: int) -> dict[str, float]:
    """Instructions a request under callgrind: {"cold": …, "busted": …}."""
    with tempfile.TemporaryDirectory() as directory:
        found = callgrind.counted_totals(
            __file__, directory, "--site", str(site), "--cold", str(cold)
        )
    if set(found) != {"cold", "busted"}:
        raise SystemExit("callgrind wrote no dump of the counted requests")
    return {"cold": found["cold"] / cold, "busted": found["busted"] / BUSTED_COUNTED}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--site", help="a demo site directory kept with --keep")
    parser.add_argument("--keep", action="store_true", help="keep the temp site")
    parser.add_argument(
        "--instructions", action="store_true", help="count under callgrind"
    )
    parser.add_argument("--counted-inside", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()

    var_dir = Path(args.site or tempfile.mkdtemp(prefix="nadsite-render-"))
    env = site_env(var_dir)
    if not args.site:
        print(f"Building the demo site in {var_dir} …", flush=True)
        build(var_dir, env)
    os.environ.update(env)
    for key in ("DEBUG", "DATABASE_URL", "REDIS_URL"):
        os.environ.pop(key, None)
    if args.counted_inside:
        counted(Path(args.counted_inside), max(1, args.cold))
        return
    if args.instructions:
        try:
            counts = instructions(var_dir, max(1, args.cold))
        finally:
            if not args.keep and not args.site:
                shutil.rmtree(var_dir, ignore_errors=True)
        print(
            f"instructions a request (callgrind): first render, every cache "
            f"cold {counts['cold'] / 1e6:.1f} M; cache-busted "
            f"{counts['busted'] / 1e6:.1f} M"
        )
        return
    try:
        start_serving()
        from django.db import connection
        from django.test import Client

        client = Client()

        cpu: list[float] = []

        def get() -> float:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(ARTICLE)
            elapsed = (time.perf_counter() - start) * 1000
            cpu.append((time.process_time() - start_cpu) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"GET {ARTICLE} gave {response.status_code}")
            return elapsed

        size = len(client.get(ARTICLE).content)  # imports, templates
        cold, cold_cpu = [], []
        for _ in range(max(1, args.cold)):
            empty_caches()
            cold.append(get())
            cold_cpu.append(cpu[-1])

        def queries() -> list[str]:
            seen = []

            def count(execute, sql, params, many, context):
                seen.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                get()
            return seen

        empty_caches()
        cold_queries = queries()
        warm_queries = queries()
        for _ in range(20):
            get()
        cpu.clear()
        busted = sorted(get() for _ in range(max(1, args.runs)))
        busted_cpu = sorted(cpu)
    finally:
        if not args.keep and not args.site:
            shutil.rmtree(var_dir, ignore_errors=True)

    print()
    print(f"page {size:,} bytes; load average {os.getloadavg()[0]:.2f}")
    print(
        "first render after a publish (every cache cold): "
        + ", ".join(f"{ms:.1f}" for ms in cold)
        + f" ms (median {statistics.median(cold):.1f} ms, CPU "
        + f"{statistics.median(cold_cpu):.1f} ms; target < 40 ms)"
    )
    print(
        f"cache-busted, {len(busted)} requests: median "
        f"{statistics.median(busted):.2f} ms, p95 "
        f"{busted[int(len(busted) * 0.95) - 1]:.2f} ms; CPU median "
        f"{statistics.median(busted_cpu):.2f} ms"
    )
    print(
        f"queries: {len(warm_queries)} a request "
        f"({len(cold_queries)} with every cache cold; target ≤ 10)"
    )
    if os.environ.get("SHOW_QUERIES"):
        for query in warm_queries:
            print("  ", query[:200])


if __name__ == "__main__":
    main()
