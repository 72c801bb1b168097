"""Benchmark the demo article page against a minimal Django view.

    .venv/bin/python bench/page_bench.py [--requests 2000] [--clients 2] [--repeat 3]

Builds a throwaway site in a temporary directory (SQLite; migrate, collect
static files, load the demo content), then serves it with gunicorn on
127.0.0.1 twice: once with the page cache off (cold) and once with it on
(warm). In each run it measures, on the same server, the demo article page
and /_bench/minimal/ (a plain Django view returning HTML of the same size,
through the same middleware), and prints requests/s, p50 and p99 latency and
the ratio article/minimal; with --repeat, each pair is measured several
times on the same server and the median and lowest ratios are printed too.
Only loopback is used; request counts are bounded.
"""

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ARTICLE = "/articles/nad-iv-therapy-and-ageing/"


def site_env(var_dir: Path, cache_seconds: int) -> dict:
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nadsite.settings",
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "NADSITE_DEMO": "1",
            "NADSITE_BENCH": "1",
            "NADSITE_VAR_DIR": str(var_dir),
            "STATIC_ROOT": str(var_dir / "static"),
            "NADSITE_PAGE_CACHE_SECONDS": str(cache_seconds),
            # The benchmark's server is the only one serving its throwaway
            # site, so its page cache may live in its memory.
            "NADSITE_PROCESSES": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path} gave {response.status}")
    return body


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            get(conn, "/robots.txt")
            conn.close()
            return
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def load(port: int, path: str, requests: int, clients: int) -> dict:
    """`requests` GETs over `clients` keep-alive connections."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = requests // clients

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_client):
            start = time.perf_counter()
            get(conn, path)
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "n": len(latencies),
    }


def run(
    env: dict, label: str, requests: int, clients: int, workers: int, repeat: int
) -> list:
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "nadsite.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(max(2, clients)),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(port)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        size = len(get(conn, ARTICLE))
        minimal = f"/_bench/minimal/?bytes={size}"
        if len(get(conn, minimal)) != size:
            raise RuntimeError("the minimal view's size does not match")
        conn.close()
        for path in (ARTICLE, minimal):  # warm up imports, templates, caches
            load(port, path, min(200, requests), clients)
        rows = []
        for n in range(1, repeat + 1):
            # Alternate the two pages so that a slow spell of the machine
            # falls on both, and report every round.
            name = f"{label} #{n}" if repeat > 1 else label
            article = load(port, ARTICLE, requests, clients)
            plain = load(port, minimal, requests, clients)
            rows += [(name, "article", size, article), (name, "minimal", size, plain)]
        return rows
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure each pair this many times on the same server",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp site")
    args = parser.parse_args()
    requests = max(args.clients, min(args.requests, 20_000))

    var_dir = Path(tempfile.mkdtemp(prefix="nadsite-bench-"))
    try:
        env = site_env(var_dir, 0)
        print(f"Building the demo site in {var_dir} …", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        manage(env, "load_demo_content")

        rows = []
        for label, seconds in (
            ("cold (page cache off)", 0),
            ("warm (page cache on)", 300),
        ):
            print(f"Measuring {label} …", flush=True)
            rows += run(
                site_env(var_dir, seconds),
                label,
                requests,
                args.clients,
                args.workers,
                max(1, min(args.repeat, 20)),
            )
    finally:
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)

    print()
    print(
        f"{requests} requests per row, {args.clients} keep-alive clients, "
        f"gunicorn {args.workers} worker(s), page size {rows[0][2]:,} bytes"
    )
    print(f"{'run':27} {'page':8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for label, page, _, r in rows:
        print(f"{label:27} {page:8} {r['rps']:9.1f} {r['p50']:8.2f} {r['p99']:8.2f}")
    print()
    ratios: dict[str, list[float]] = {}
    for n in range(0, len(rows), 2):
        label, _, _, article = rows[n]
        plain = rows[n + 1][3]
        ratio = article["rps"] / plain["rps"]
        ratios.setdefault(label.split(" #")[0], []).append(ratio)
        print(f"{label}: article / minimal = {ratio:.3f}×")
    if args.repeat > 1:
        for label, values in ratios.items():
            print(
                f"{label}: median {statistics.median(values):.3f}×, "
                f"lowest {min(values):.3f}× over {len(values)} rounds"
            )
    print("Targets: cold ≥ 0.06×, warm ≥ 0.9×.")


if __name__ == "__main__":
    main()
