"""Benchmark: the map layers and the partnerships API served by the production stack
(gunicorn, PostgreSQL, DEBUG off, production settings) beside the same bytes served as a
static file by the same server, as a ratio measured in the same run.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/serve.py \
        [--requests 400] [--concurrency 8]

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sharedmap_bench;
the database is created if missing and the real data loaded into it). With REDIS_URL the
cache is Redis, as in production (docker-compose.yml); without it each gunicorn worker
keeps its own in-memory cache. Every request accepts gzip, as browsers do; the static
copy of each response is its exact bytes (the gzipped ones as WhiteNoise's `.gz`), so
both sides send the same number of bytes. Prints the table and the same rows in
Markdown for the README.
"""

import argparse
import datetime
import gzip
import http.client
import os
import shutil
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
ENDPOINTS = [
    ("map layer (districts, light)", "/map/councils.geojson"),
    ("map layer (counties, detailed)", "/map/councils.geojson?layer=counties&detail=high"),
    ("API councils layer", "/api/councils.geojson"),
    ("API regions layer", "/api/regions.geojson"),
    ("API council boundary (detailed)", "/api/councils/E07000223/boundary/?detail=high"),
    ("partnerships API (page 1)", "/api/partnerships/"),
    ("partnerships API (filtered)", "/api/partnerships/?category=legal&region=south-east"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


class Server:
    def __init__(self, env: dict, port: int):
        self.port = port
        self.process = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "sharedmap.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", "2", "--threads", "4", "--log-level", "warning",
            ],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def fetch(port: int, path: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, body, headers


def load(port: int, path: str, requests: int, concurrency: int) -> dict:
    """Send `requests` GETs over `concurrency` keep-alive connections; time each one."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_worker = requests // concurrency

    def worker():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_worker):
            start = time.perf_counter()
            conn.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                with lock:
                    errors += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()

    static_root = Path(tempfile.mkdtemp(prefix="sharedmap-bench-static-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sharedmap.settings.production",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sharedmap_bench"
        ),
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        "MAP_TILE_URL": "",
        # Throttling protects the public API from abuse; the benchmark measures the server.
        "API_ANON_RATE": "1000000/min",
        "API_ANON_BURST_RATE": "1000000/min",
        "API_USER_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "CACHE_KEY_PREFIX": "sharedmap-bench",
        # Persistent database connections, as docker-compose.yml runs the site.
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
    }
    try:
        print("Preparing PostgreSQL, the real data and the static files…", flush=True)
        ensure_database(env["DATABASE_URL"])
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        run([PYTHON, "manage.py", "load_reference_data"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput"], env)

        # First pass: capture each response's bytes to serve again as static files.
        port = free_port()
        server = Server(env, port)
        bench_dir = static_root / "bench"
        bench_dir.mkdir()
        copies = []
        try:
            for index, (label, path) in enumerate(ENDPOINTS):
                status, body, headers = fetch(port, path)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}: {body[:200]!r}")
                gzipped = headers.get("content-encoding") == "gzip"
                raw = gzip.decompress(body) if gzipped else body
                name = f"copy{index}.json"
                (bench_dir / name).write_bytes(raw)
                if gzipped:
                    # WhiteNoise serves the .gz beside a file to clients that accept gzip:
                    # the very bytes the app sent.
                    (bench_dir / f"{name}.gz").write_bytes(body)
                copies.append((label, path, f"/static/bench/{name}", len(raw), len(body)))
        finally:
            server.stop()

        # Second pass: the same server, now also holding the copies as static files.
        port = free_port()
        server = Server(env, port)
        try:
            cache = "Redis" if env.get("REDIS_URL") else "per-process memory"
            print(
                f"\n{datetime.date.today()}, {os.cpu_count()} CPUs: {options.requests} requests"
                f" per URL over {options.concurrency} connections, gzip accepted; gunicorn"
                f" 2 workers x 4 threads, DEBUG off, PostgreSQL, {cache} cache.\n"
            )
            markdown = [
                "| endpoint | bytes (sent) | app req/s | static req/s | ratio "
                "| app p50 / p95 ms | static p50 ms |",
                "|---|---:|---:|---:|---:|---:|---:|",
            ]
            header = (
                f"{'endpoint':34} {'bytes':>9} {'gzip':>8} {'app req/s':>10} {'static req/s':>13}"
                f" {'ratio':>6} {'app p50 ms':>11} {'app p95 ms':>11} {'static p50 ms':>14}"
            )
            print(header)
            print("-" * len(header))
            for label, path, static_path, size, sent in copies:
                load(port, path, options.concurrency * 2, options.concurrency)  # warm up
                app = load(port, path, options.requests, options.concurrency)
                static = load(port, static_path, options.requests, options.concurrency)
                if app["errors"] or static["errors"]:
                    print(f"  ({app['errors']} app errors, {static['errors']} static errors)")
                ratio = app["rps"] / static["rps"]
                print(
                    f"{label:34} {size:>9,} {sent:>8,} {app['rps']:>10.0f} {static['rps']:>13.0f}"
                    f" {ratio:>6.2f} {app['p50']:>11.1f} {app['p95']:>11.1f}"
                    f" {static['p50']:>14.1f}"
                )
                markdown.append(
                    f"| {label} (`{path}`) | {size:,} ({sent:,}) | {app['rps']:.0f}"
                    f" | {static['rps']:.0f} | {ratio:.2f} | {app['p50']:.1f} / {app['p95']:.1f}"
                    f" | {static['p50']:.1f} |"
                )
            print(
                "\nratio = app throughput / static-file throughput for the same bytes"
                " (1.00 = as fast).\n"
            )
            print("\n".join(markdown))
        finally:
            server.stop()
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
