"""The demo article rendered in process: cold, cache-busted and its queries.

    .venv/bin/python bench/render_bench.py [--runs 200] [--site DIR]

Builds a throwaway demo site (SQLite, DEBUG off, as `page_bench.py` does)
unless `--site` names one kept with `--keep`, then renders the demo article
through Django's test client in this process (page cache off):

- **first render after a publish**: every cache is emptied (the Django
  cache, which holds the fragments, and the per-Source memo), as after a
  publish that changed every key, and the next request is timed; repeated
  `--cold` times;
- **cache-busted**: the page cache missed, content-keyed fragment caches
  allowed: the median and p95 of `--runs` requests;
- the number of queries of one request (fragments cached, and cold).

Wall-clock times on a shared machine are mostly waiting for a CPU; the CPU
time of this process (`time.process_time`) is printed beside them. Figures
go in bench/README.md.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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

    cache.clear()
    for name in dir(reading):
        memo = getattr(getattr(reading, name), "cache_clear", None)
        if memo is not None and callable(memo):
            memo()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--site", help="a demo site directory kept with --keep")
    parser.add_argument("--keep", action="store_true", help="keep the temp site")
    args = parser.parse_args()

    var_dir = Path(args.site or tempfile.mkdtemp(prefix="nadsite-render-"))
    env = site_env(var_dir)
    if not args.site:
        print(f"Building the demo site in {var_dir} …", flush=True)
        build(var_dir, env)
    os.environ.update(env)
    for key in ("DEBUG", "DATABASE_URL", "REDIS_URL"):
        os.environ.pop(key, None)
    try:
        import django

        django.setup()
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
