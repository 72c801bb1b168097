"""Mixed load against one gunicorn server on PostgreSQL: no 5xx, p99 per kind.

    .venv/bin/python bench/load_bench.py [--seconds 60] [--connections 64]
        [--workers 3] [--threads 8] [--database-url postgres://…]

Builds a throwaway site in a PostgreSQL database of its own (migrate,
collect static files, load the demo content; the database is dropped at the
end), with the page cache in Redis (db 14), and serves it with one gunicorn
server (gthread workers) on 127.0.0.1. Then `--connections` keep-alive
clients run for `--seconds`, each request drawn at random:

- 55 % anonymous reads of the demo's public pages (served from the page
  cache after the first),
- 15 % the same pages with a query string that bypasses the cache
  (rendered every time),
- 20 % searches with random queries (words, quotes, operators, NUL and
  other hostile characters),
- 10 % writers saving a draft's standfirst and body through the API
  (PATCH /api/v1/articles/{id}/, each writer on its own draft).

It prints the count, p50 and p99 latency of each kind and every status
seen; any 5xx or connection error makes it exit 1. Only loopback is used.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGES = ["/", "/articles/", "/articles/nad-iv-therapy-and-ageing/"]
WORDS = ["nad", "riboside", "ageing", "iv", "sirtuin", "trial", "mice", "dose"]
HOSTILE = ['"', "'", "\x00", "*", "(", ")", "NEAR", "AND", "-", ":", "\\", "%"]


def site_env(var_dir: Path, database_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nadsite.settings",
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "NADSITE_DEMO": "1",
            "NADSITE_VAR_DIR": str(var_dir),
            "STATIC_ROOT": str(var_dir / "static"),
            "DATABASE_URL": database_url,
            "REDIS_URL": "redis://127.0.0.1:6379/14",
            "API_USER_RATE": "1000000/min",
            "API_ANON_RATE": "1000000/min",
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


def database(url: str, action: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    name = sql.Identifier(parts.path.lstrip("/"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if action == "create":
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


class Client:
    """One keep-alive connection; reconnects after the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60
                )
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method, path, payload=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        body = json.dumps(payload).encode() if payload is not None else None
        status, data = self.request(method, path, body, headers)
        return status, (json.loads(data) if data else None)


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/robots.txt")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def random_query(rng: random.Random) -> str:
    parts = [
        rng.choice(WORDS) if rng.random() < 0.7 else rng.choice(HOSTILE)
        for _ in range(rng.randint(1, 5))
    ]
    return "".join(part + rng.choice(["", " ", '"']) for part in parts)


def drafts_for(client: Client, token: str, count: int) -> list[int]:
    ids = []
    for n in range(count):
        status, data = client.json(
            "POST",
            "/api/v1/articles/",
            {
                "title": f"Load draft {n}",
                "slug": f"load-draft-{os.getpid()}-{n}",
                "standfirst": "A draft saved under load.",
                "body": [
                    {
                        "type": "paragraph",
                        "value": {"text": "<p>NAD+ falls with age.</p>"},
                    }
                ],
            },
            token=token,
        )
        if status != 201:
            raise RuntimeError(f"creating a draft: {status} {data}")
        ids.append(data["id"])
    return ids


def run_load(port: int, seconds: int, connections: int) -> dict:
    setup = Client(port)
    status, data = setup.json(
        "POST",
        "/api/v1/auth/token/",
        {"username": "writer", "password": "writer-demo-pass"},
    )
    if status != 200:
        raise RuntimeError(f"writer token: {status} {data}")
    token = data["token"]
    drafts = drafts_for(setup, token, connections)
    for path in PAGES:  # the page cache holds each public page from here on
        setup.request("GET", path)
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter] = defaultdict(Counter)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(n: int):
        rng = random.Random(n)
        client = Client(port)
        mine_latencies = defaultdict(list)
        mine_statuses = defaultdict(Counter)
        count = 0
        while time.monotonic() < deadline:
            count += 1
            roll = rng.random()
            started = time.perf_counter()
            try:
                if roll < 0.10:
                    kind = "draft save (API PATCH)"
                    status, _ = client.json(
                        "PATCH",
                        f"/api/v1/articles/{drafts[n]}/",
                        {
                            "standfirst": f"Saved {count} times under load.",
                            "body": [
                                {
                                    "type": "paragraph",
                                    "value": {"text": f"<p>NAD+ edit {count}.</p>"},
                                }
                            ],
                        },
                        token=token,
                    )
                elif roll < 0.30:
                    kind = "search (random query)"
                    query = quote(random_query(rng))
                    status, _ = client.request("GET", f"/search/?q={query}")
                elif roll < 0.45:
                    kind = "read, cache-busted"
                    path = rng.choice(PAGES)
                    status, _ = client.request("GET", f"{path}?bust={n}-{count}")
                else:
                    kind = "read, cached"
                    status, _ = client.request("GET", rng.choice(PAGES))
            except (OSError, http.client.HTTPException) as error:
                kind, status = "connection error", type(error).__name__
            mine_latencies[kind].append(time.perf_counter() - started)
            mine_statuses[kind][status] += 1
        with lock:
            for kind, values in mine_latencies.items():
                latencies[kind].extend(values)
            for kind, counter in mine_statuses.items():
                statuses[kind].update(counter)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "elapsed": time.perf_counter() - started,
        "latencies": latencies,
        "statuses": statuses,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/nadsite_load_bench",
    )
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="nadsite-load-"))
    env = site_env(var_dir, args.database_url)
    server = None
    try:
        print("Setting up the site (PostgreSQL, demo content)…", flush=True)
        database(args.database_url, "create")
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        manage(env, "load_demo_content")
        with socket_port() as port:
            pass
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "nadsite.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_until_up(port)
        print(
            f"{args.connections} connections for {args.seconds} s against one "
            f"gunicorn ({args.workers} workers x {args.threads} threads)…",
            flush=True,
        )
        result = run_load(port, args.seconds, args.connections)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database(args.database_url, "drop")
        shutil.rmtree(var_dir, ignore_errors=True)
    total = sum(sum(c.values()) for c in result["statuses"].values())
    elapsed = result["elapsed"]
    print(f"\n{total} requests in {elapsed:.1f} s ({total / elapsed:.0f}/s)")
    print(f"{'kind':<26}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    failures = 0
    for kind in sorted(result["latencies"]):
        values = result["latencies"][kind]
        counts = result["statuses"][kind]
        failures += sum(
            n
            for status, n in counts.items()
            if not isinstance(status, int) or status >= 500
        )
        seen = ", ".join(
            f"{status}: {n}" for status, n in sorted(counts.items(), key=str)
        )
        print(
            f"{kind:<26}{len(values):>7}{percentile(values, 0.5) * 1000:>9.0f}"
            f"{percentile(values, 0.99) * 1000:>9.0f}  {seen}"
        )
    print(f"\n5xx and connection errors: {failures}")
    return 1 if failures else 0


class socket_port:
    """A free loopback port."""

    def __enter__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()


if __name__ == "__main__":
    sys.exit(main())
