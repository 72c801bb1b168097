"""Benchmark the stack: Varnish against nginx, publish-to-visible, mixed load.

    .venv/bin/python bench/stack_bench.py [--rounds 5] [--seconds 10]
        [--publishes 50] [--load-seconds 60] [--load-connections 64]
        [--skip hits,publish,load]

Needs Debian's varnish, varnish-modules, nginx and wrk (`make bench-deps`),
PostgreSQL (DATABASE_URL, default a throwaway `nadsite_stack_bench` database
on 127.0.0.1:5432, dropped and created afresh) and Redis (REDIS_URL, default
db 12 of the local server). Starts the real stack with deploy/stack.py (two
gunicorn instances, the worker, Varnish) on loopback, then measures:

1. **Hits.** The demo article as a Varnish cache hit against nginx (one
   worker process) serving the same bytes from a file, with wrk at 8
   connections, interleaved round by round (nginx, Varnish, nginx, ...):
   requests/s, p50 and p99 for each and the ratio Varnish / nginx. Twice:
   for readers that accept gzip (browsers; both servers send Varnish's
   gzipped copy) and for those that do not (the plain copy).
2. **Publish-to-visible.** An article is edited, its passage approved and
   published through instance A's API, 50 times; each time the clock runs
   from the publish request until Varnish serves the new wording (p50, p95,
   max). Before each publish the old version is confirmed cached.
3. **Mixed load.** 64 keep-alive connections for 60 s through Varnish:
   cache hits on the home page, index and articles, cache-busted renders
   (a fresh query string each time) and editors saving drafts through the
   API. Counts responses by status, and every response is checked to be the
   page asked for (its <title> or the article id in the JSON).

Only loopback is used and every run is bounded. Figures go in
bench/README.md.
"""

import argparse
import gzip
import http.client
import importlib.util
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/articles/nad-iv-therapy-and-ageing/"
# Both servers are loaded this long before the measured rounds: the stack has
# just started (a fresh database, threads and memory still being set up), and
# its first seconds under load were measurably slower than its steady state.
WARM_UP_SECONDS = 15
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nadsite_stack_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)


def load_runner():
    spec = importlib.util.spec_from_file_location(
        "nadsite_stack_runner", ROOT / "deploy" / "stack.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def need(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path is None:
        sys.exit(f"{binary} is missing: `make bench-deps` (apt-get install {package})")
    return path


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parts.path.lstrip("/"))
            )
        )


# -- HTTP helpers -------------------------------------------------------------


class Client:
    """One keep-alive connection; reconnects after the server closes it."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.port = port
        self.host = host
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, dict(response.getheaders()), data
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
        status, _, data = self.request(method, path, body, headers)
        return status, (json.loads(data) if data else None)


def token(client: Client, user: str) -> str:
    status, data = client.json(
        "POST",
        "/api/v1/auth/token/",
        {"username": user, "password": f"{user}-demo-pass"},
    )
    if status != 200:
        raise RuntimeError(f"token for {user}: {status} {data}")
    return data["token"]


def title_of(body: bytes) -> bytes:
    match = TITLE.search(body)
    return match.group(1).strip() if match else b""


# -- 1. hits: Varnish against nginx ------------------------------------------


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    types {{ text/html html; }}
    map $http_accept_encoding $copy {{ ~gzip gz; default plain; }}
    map $copy $encoding {{ gz gzip; default ""; }}
    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
        location = {path} {{
            default_type "text/html; charset=utf-8";
            add_header Content-Encoding $encoding;
            try_files /article.$copy.html =404;
        }}
    }}
}}
"""


def start_nginx(runner, copies: dict, workdir: Path):
    """nginx serving Varnish's two copies of the page: `copies` maps "plain"
    and "gz" to their bytes, chosen by Accept-Encoding as Varnish does."""
    binary = need("nginx", "nginx")
    # nginx's worker runs as www-data when started as root: it must be able
    # to read the page (mkdtemp makes the run's directory private).
    for folder in (workdir.parent, workdir):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
    (workdir / "www").mkdir(parents=True)
    (workdir / "tmp").mkdir()
    for copy, body in copies.items():
        (workdir / "www" / f"article.{copy}.html").write_bytes(body)
    port = runner.free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=workdir, port=port, path=ARTICLE))
    process = subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            status, _, got = Client(port).request(
                "GET", ARTICLE, headers={"Accept-Encoding": "identity"}
            )
            if status == 200 and got == copies["plain"]:
                return process, port
        except OSError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(
        f"nginx did not serve the page:\n{(workdir / 'error.log').read_text()}"
    )


ENCODINGS = {"gzip": "gzip, deflate, br, zstd", "identity": "identity"}


def wrk(port: int, seconds: int, connections: int, encoding: str) -> dict:
    result = subprocess.run(
        [
            need("wrk", "wrk"),
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            "-H",
            "Host: 127.0.0.1",
            "-H",
            f"Accept-Encoding: {ENCODINGS[encoding]}",
            f"http://127.0.0.1:{port}{ARTICLE}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout

    def millis(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": millis("50"),
        "p99": millis("99"),
        "bad": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def varnish_counters(stack) -> dict:
    out = subprocess.run(
        [
            "varnishstat",
            "-n",
            str(stack.varnish_dir),
            "-1",
            "-f",
            "MAIN.cache_hit",
            "-f",
            "MAIN.cache_miss",
            "-f",
            "MAIN.s_pass",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split()[0]: int(line.split()[1]) for line in out.splitlines() if line}


def varnish_copy(client: "Client", encoding: str) -> bytes:
    """The copy Varnish keeps for readers sending `encoding`, read twice so
    the second read is a hit."""
    for _ in range(2):
        status, headers, body = client.request(
            "GET", ARTICLE, headers={"Accept-Encoding": ENCODINGS[encoding]}
        )
    if status != 200 or headers.get("X-Cache") != "hit":
        raise RuntimeError(
            f"the demo article is not a Varnish hit ({status}, X-Cache "
            f"{headers.get('X-Cache')}): is the app sending Cache-Control?"
        )
    gzipped = headers.get("Content-Encoding") == "gzip"
    if gzipped != (encoding == "gzip"):
        raise RuntimeError(
            f"Varnish sent Content-Encoding {headers.get('Content-Encoding')!r} "
            f"to a reader sending Accept-Encoding {ENCODINGS[encoding]!r}"
        )
    return body


def bench_hits(
    runner, stack, rounds: int, seconds: int, workdir: Path, encodings: list
) -> list:
    client = Client(stack.port)
    copies = {
        "plain": varnish_copy(client, "identity"),
        "gz": varnish_copy(client, "gzip"),
    }
    if gzip.decompress(copies["gz"]) != copies["plain"]:
        raise RuntimeError("Varnish's gzipped copy is not the plain copy")
    nginx, nginx_port = start_nginx(runner, copies, workdir / "nginx")
    try:
        print(
            f"Page {len(copies['plain']):,} bytes, {len(copies['gz']):,} gzipped;"
            " warming up both servers …",
            flush=True,
        )
        for encoding in encodings:
            wrk(nginx_port, WARM_UP_SECONDS, 8, encoding)
            wrk(stack.port, WARM_UP_SECONDS, 8, encoding)
        rows = []
        before = varnish_counters(stack)
        for n in range(1, rounds + 1):
            for encoding in encodings:
                for name, port in (("nginx", nginx_port), ("varnish", stack.port)):
                    figures = wrk(port, seconds, 8, encoding)
                    rows.append((n, encoding, name, figures))
                    print(
                        f"  round {n} {encoding:8} {name:8} {figures['rps']:9.0f} "
                        f"req/s  p50 {figures['p50']:.3f} ms  p99 "
                        f"{figures['p99']:.3f} ms"
                        + (f"  non-2xx {figures['bad']}" if figures["bad"] else ""),
                        flush=True,
                    )
        after = varnish_counters(stack)
        misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
        passes = after["MAIN.s_pass"] - before["MAIN.s_pass"]
        hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
        print(
            f"  Varnish during the rounds: {hits} hits, {misses} misses, "
            f"{passes} passes"
        )
        return rows
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


# -- 2. publish-to-visible ------------------------------------------------------


def make_article(api: Client, tokens: dict, slug: str, text: str) -> dict:
    status, sources = api.json(
        "GET", "/api/v1/sources/?page_size=1", token=tokens["writer"]
    )
    source = sources["results"][0]["id"]
    status, article = api.json(
        "POST",
        "/api/v1/articles/",
        {
            "title": f"Bench article {slug}",
            "slug": slug,
            "standfirst": "An article the benchmark edits and publishes.",
            "body": [
                {
                    "type": "paragraph",
                    "value": {
                        "text": f"<p>{text}</p>",
                        "role": "claim",
                        "citations": [{"source": source, "stance": "supports"}],
                    },
                }
            ],
        },
        token=tokens["writer"],
    )
    if status != 201:
        raise RuntimeError(f"creating the bench article: {status} {article}")
    publish(api, tokens, article, text, live=False)
    return article


def publish(
    api: Client, tokens: dict, article: dict, text: str, live: bool = True
) -> tuple:
    """Save `text` as the passage, approve it, publish; returns when the
    publish request was sent and when it was answered (perf_counter)."""
    [block] = [p for p in article["passages"] if p["type"] == "paragraph"]
    status, saved = api.json(
        "PATCH",
        f"/api/v1/articles/{article['id']}/",
        {
            "body": [
                {
                    "type": "paragraph",
                    "id": block["block_id"],
                    "value": {
                        "text": f"<p>{text}</p>",
                        "role": "claim",
                        "citations": [
                            {
                                "source": c["source"]["id"]
                                if isinstance(c["source"], dict)
                                else c["source"],
                                "stance": "supports",
                            }
                            for c in block["citations"]
                        ],
                    },
                }
            ]
        },
        token=tokens["writer"],
    )
    if status != 200:
        raise RuntimeError(f"saving a draft: {status} {saved}")
    review_every_unit(api, tokens, article)
    started = time.perf_counter()
    status, published = api.json(
        "POST",
        f"/api/v1/articles/{article['id']}/publish/",
        {"change_kind": "minor"} if live else None,
        token=tokens["editor"],
    )
    if status != 200:
        raise RuntimeError(f"publishing: {status} {published}")
    return started, time.perf_counter()


def review_every_unit(api: Client, tokens: dict, article: dict) -> None:
    """The reviewer decides every unit the gate says is undecided, pinned to
    the fingerprint shown: the claim approved, the rest (title, standfirst)
    confirmed as not a claim."""
    status, ready = api.json(
        "GET", f"/api/v1/articles/{article['id']}/readiness/", token=tokens["writer"]
    )
    waiting = {p["block_id"] for p in ready["problems"] if p.get("block_id")}
    if not waiting:
        return
    status, shown = api.json(
        "GET",
        f"/api/v1/articles/{article['id']}/?revision=latest",
        token=tokens["reviewer"],
    )
    for unit in shown["passages"]:
        if unit["block_id"] not in waiting:
            continue
        decision = "approve" if unit["role"] == "claim" else "not_a_claim"
        status, review = api.json(
            "POST",
            f"/api/v1/articles/{article['id']}/passages/{unit['block_id']}/reviews/",
            {"decision": decision, "fingerprint": unit["fingerprint"]},
            token=tokens["reviewer"],
        )
        if status != 201:
            raise RuntimeError(f"deciding {unit['block_id']}: {status} {review}")


def bench_publish(stack, publishes: int) -> list[tuple]:
    api = Client(stack.app_ports[0])  # instance A
    tokens = {user: token(api, user) for user in ("writer", "reviewer", "editor")}
    slug = f"bench-publish-{os.getpid()}"
    article = make_article(api, tokens, slug, "Wording 0 of the benchmark.")
    url = f"/articles/{slug}/"
    reader = Client(stack.port)
    times, stale = [], []
    for n in range(1, publishes + 1):
        # The old version must be a Varnish hit before the publish. A
        # settling purge of an earlier publish (articles/purging.py sends one
        # a few seconds after each) may drop the copy between two reads.
        for _attempt in range(5):
            status, headers, body = reader.request("GET", url)
            if headers.get("X-Cache") == "hit":
                break
        if headers.get("X-Cache") != "hit":
            raise RuntimeError(
                f"publish {n}: the old version is not cached: {status} {headers}"
            )
        if n % 10 == 0:
            print(f"  {n} publishes", flush=True)
        wording = f"Wording {n} of the benchmark.".encode()
        started, answered = publish(api, tokens, article, wording.decode())
        while True:
            sent = time.perf_counter()
            status, headers, body = reader.request("GET", url)
            if status == 200 and wording in body:
                seen = time.perf_counter()
                times.append((seen - started, seen - answered))
                break
            if sent > answered:
                stale.append(n)  # asked after the publish answered: old page
            if time.perf_counter() - started > 10:
                raise RuntimeError(f"publish {n} not visible after 10 s")
            time.sleep(0.005)
    print(f"  reads after a publish answered that got the old page: {len(stale)}")
    return times


# -- 3. mixed load ------------------------------------------------------------


def bench_load(stack, seconds: int, connections: int) -> dict:
    api = Client(stack.app_ports[0])
    tokens = {user: token(api, user) for user in ("writer", "editor")}
    pages = {}
    for path in ("/", "/articles/", ARTICLE):
        status, _, body = Client(stack.port).request("GET", path)
        pages[path] = title_of(body)
    drafts = []
    for n in range(4):
        slug = f"bench-load-{os.getpid()}-{n}"
        tokens_all = {**tokens, "reviewer": token(api, "reviewer")}
        article = make_article(api, tokens_all, slug, f"Load article {n}.")
        path = f"/articles/{slug}/"
        status, _, body = Client(stack.port).request("GET", path)
        pages[path] = title_of(body)
        drafts.append(article)
    paths = list(pages)
    statuses: Counter = Counter()
    kinds: Counter = Counter()
    wrong: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(n: int):
        rng = random.Random(n)
        client = Client(stack.port)
        mine_status: Counter = Counter()
        mine_kinds: Counter = Counter()
        mine_wrong = []
        count = 0
        while time.monotonic() < deadline:
            count += 1
            roll = rng.random()
            try:
                if roll < 0.05:
                    article = drafts[n % len(drafts)]
                    status, data = client.json(
                        "PATCH",
                        f"/api/v1/articles/{article['id']}/",
                        {"standfirst": f"Draft {n}-{count} saved under load."},
                        token=tokens["writer"],
                    )
                    kind = "draft save"
                    if status == 200 and data.get("id") != article["id"]:
                        mine_wrong.append(f"draft save answered for {data.get('id')}")
                elif roll < 0.20:
                    path = rng.choice(paths)
                    status, _, body = client.request("GET", f"{path}?bust={n}-{count}")
                    kind = "cache-busted render"
                    if status == 200 and title_of(body) != pages[path]:
                        mine_wrong.append(f"{path}: {title_of(body)[:60]!r}")
                else:
                    path = rng.choice(paths)
                    status, _, body = client.request("GET", path)
                    kind = "cached page"
                    if status == 200 and title_of(body) != pages[path]:
                        mine_wrong.append(f"{path}: {title_of(body)[:60]!r}")
            except (OSError, http.client.HTTPException) as error:
                status, kind = f"error {type(error).__name__}", "error"
            mine_status[status] += 1
            mine_kinds[kind] += 1
        with lock:
            statuses.update(mine_status)
            kinds.update(mine_kinds)
            wrong.extend(mine_wrong)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "statuses": statuses,
        "kinds": kinds,
        "wrong": wrong,
        "total": sum(statuses.values()),
    }


# -- main -------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(fraction * len(ordered))) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--publishes", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-connections", type=int, default=64)
    parser.add_argument("--skip", default="", help="comma list: hits,publish,load")
    parser.add_argument(
        "--encodings",
        default="gzip,identity",
        help="readers measured for hits, comma list: gzip,identity",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    for binary, package in (
        ("varnishd", "varnish"),
        ("nginx", "nginx"),
        ("wrk", "wrk"),
    ):
        need(binary, package)

    runner = load_runner()
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if database_url == DEFAULT_DATABASE_URL:
        drop_database(database_url)
    workdir = Path(tempfile.mkdtemp(prefix="nadsite-stack-bench-"))
    stack = runner.Stack(
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        port=runner.free_port(),
        var_dir=workdir / "stack",
        log_to_files=True,
        extra_env={
            "STATIC_ROOT": str(ROOT / "var" / "stack-bench-static"),
            # The API's throttles would otherwise refuse the benchmark's editors.
            "API_USER_RATE": "1000000/min",
            "API_ANON_RATE": "1000000/min",
            "LOG_LEVEL": "WARNING",
        },
    )
    print(f"Starting the stack ({workdir}) …", flush=True)
    stack.start()
    try:
        results = {}
        if "hits" not in skip:
            print(
                f"1. Hits: nginx vs Varnish, {args.rounds} rounds × "
                f"{args.seconds} s, 8 connections"
            )
            results["hits"] = bench_hits(
                runner,
                stack,
                args.rounds,
                args.seconds,
                workdir,
                [e for e in args.encodings.split(",") if e],
            )
        if "publish" not in skip:
            print(
                f"2. Publish-to-visible, {args.publishes} publishes through instance A"
            )
            results["publish"] = bench_publish(stack, args.publishes)
        if "load" not in skip:
            print(
                f"3. Mixed load: {args.load_connections} connections × "
                f"{args.load_seconds} s"
            )
            results["load"] = bench_load(
                stack, args.load_seconds, args.load_connections
            )
        dead = stack.first_dead()
        if dead is not None:
            print(f"!! {dead.name} died during the run:\n{dead.tail()}")
    finally:
        stack.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            if database_url == DEFAULT_DATABASE_URL:
                drop_database(database_url)

    print("\nSummary")
    if "hits" in results:
        rows = results["hits"]
        for encoding in dict.fromkeys(r[1] for r in rows):
            mine = [r for r in rows if r[1] == encoding]
            ratios = []
            for n in sorted({r[0] for r in mine}):
                by = {name: f for m, _, name, f in mine if m == n}
                ratios.append(by["varnish"]["rps"] / by["nginx"]["rps"])
            v99 = [f["p99"] for _, _, name, f in mine if name == "varnish"]
            n99 = [f["p99"] for _, _, name, f in mine if name == "nginx"]
            per_round = ", ".join(f"{r:.2f}×" for r in ratios)
            under = sum(p < 2 for p in v99)
            print(
                f"  hits, {encoding} readers: Varnish / nginx per round {per_round}"
                f" (median {statistics.median(ratios):.2f}×, lowest "
                f"{min(ratios):.2f}×); Varnish p99 median "
                f"{statistics.median(v99):.2f} ms ({min(v99):.2f}–{max(v99):.2f}, "
                f"{under} of {len(v99)} rounds under 2 ms), nginx p99 "
                f"{min(n99):.2f}–{max(n99):.2f} ms. Targets: ≥ 0.9×, p99 < 2 ms."
            )
    if "publish" in results:
        times = [t * 1000 for t, _ in results["publish"]]
        after = [t * 1000 for _, t in results["publish"]]
        print(
            f"  publish-to-visible over {len(times)} publishes (from sending the "
            f"publish): p50 {statistics.median(times):.0f} ms, p95 "
            f"{percentile(times, 0.95):.0f} ms, max {max(times):.0f} ms; after the "
            f"publish answered: p50 {statistics.median(after):.1f} ms, p95 "
            f"{percentile(after, 0.95):.1f} ms. Target: p95 < 1000 ms."
        )
    if "load" in results:
        load = results["load"]
        fives = sum(
            n for s, n in load["statuses"].items() if isinstance(s, int) and s >= 500
        )
        print(
            f"  mixed load: {load['total']} requests in {load['elapsed']:.0f} s "
            f"({load['total'] / load['elapsed']:.0f} req/s); by kind "
            f"{dict(load['kinds'])}; by status {dict(load['statuses'])}; "
            f"5xx {fives}; wrong pages {len(load['wrong'])}. Target: 0 and 0."
        )
        for line in load["wrong"][:10]:
            print(f"    wrong: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
