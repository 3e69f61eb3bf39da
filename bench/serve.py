"""Benchmark: the map layers, the filter JSON, the API lists and the HTML pages served by
the production stack (gunicorn, PostgreSQL, DEBUG off, production settings) beside the
same bytes served as a static file by the same server, at one or more data sizes, and
the map's first view in headless Chromium.

    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/serve.py \
        [--scales 1,10 | --scale N] [--requests 400] [--concurrency 8] [--at HEAD]

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sharedmap_bench;
created if missing and the real data loaded into it). Each data size has its own
database: `sharedmap_bench` holds the real data (1x), `sharedmap_bench_x10` the real
data and nine synthetic copies of every partnership (bench/scale.py, a few seconds),
and so on; a database is built once and reused (`--rebuild` drops and builds it again).
Each size has its own cache prefix and static folder too. With REDIS_URL the cache is
Redis, as in production (docker-compose.yml); without it each gunicorn worker keeps its
own. Work queued when data changes runs eagerly (CELERY_TASK_ALWAYS_EAGER): no worker.
`--at HEAD` measures the code as committed rather than a working tree being edited.

Every request accepts gzip, as browsers do; the static copy of each response is its
exact bytes (the gzipped ones as WhiteNoise's `.gz`), so both sides send the same bytes.
The uncached rows are measured on a second server whose cache is Django's dummy cache
(bench/settings_nocache.py): every request builds its page from the database. Each
address gets `--requests` requests, or as many as start in `--max-seconds`.

The rows measured are `ROWS` below; a row whose address answers 404 (an endpoint that
does not exist yet) is reported as missing. Prints, for each size, the table; then the
sizes side by side with the issue's goals, met or not; the first view; the machine's
load at start and end; and the rows in Markdown for the README.
"""

import argparse
import datetime
import gzip
import html
import http.client
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sharedmap_bench"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Goal:
    """One of the issue's goals: a ratio of throughputs (app / static, at every size) or
    a growth of p50 (largest size / smallest) held against a bound."""

    name: str
    measure: str  # "ratio" (at least `bound`) or "growth" (at most `bound`)
    bound: float

    @property
    def text(self) -> str:
        return f"ratio ≥ {self.bound:g}" if self.measure == "ratio" else f"p50 ×{self.bound:g} max"


GEOMETRY = Goal("geometry files", "ratio", 0.95)
FILTER_JSON = Goal("filter JSON", "ratio", 0.8)
API_CACHED = Goal("cached API", "ratio", 0.5)
API_UNCACHED = Goal("uncached API", "growth", 2.0)
HTML_PAGE = Goal("HTML", "growth", 1.5)
FIRST_VIEW_BYTES = 200 * 1024
FIRST_VIEW_SECONDS = 1.0


@dataclass(frozen=True)
class Row:
    """One address to measure. `path` may name what is found at run time: {partnership}
    and {council} (bench/scale.py's samples, the same at every size), {layer_file} (one
    row per layer file the map page names) and {counts} (the filter counts JSON the map
    page names). `query` is added to the path with ? or &. `uncached` rows run on the
    server without a cache."""

    label: str
    path: str
    goal: Goal | None = None
    query: str = ""
    uncached: bool = False


FILTER = "category=legal&region=south-east"
# The table: add a row here and it is measured, printed and judged against its goal.
ROWS = [
    Row("layer file", "{layer_file}", GEOMETRY),
    Row("map layer (districts, light)", "/map/councils.geojson", GEOMETRY),
    Row("map layer (counties, detailed)", "/map/councils.geojson?layer=counties&detail=high",
        GEOMETRY),
    Row("API councils layer", "/api/councils.geojson", GEOMETRY),
    Row("API regions layer", "/api/regions.geojson", GEOMETRY),
    Row("API council boundary (detailed)", "/api/councils/E07000223/boundary/?detail=high",
        GEOMETRY),
    Row("filter counts JSON", "{counts}", FILTER_JSON),
    Row("filter counts JSON (filtered)", "{counts}", FILTER_JSON, query=FILTER),
    Row("partnership highlight JSON", "/partnerships/{partnership}/map.json", FILTER_JSON),
    Row("partnerships API (page 1, cached)", "/api/partnerships/", API_CACHED),
    Row("partnerships API (filtered, cached)", "/api/partnerships/", API_CACHED, query=FILTER),
    Row("savings API (page 1, cached)", "/api/savings/", API_CACHED),
    Row("partnerships API (page 1, uncached)", "/api/partnerships/", API_UNCACHED,
        uncached=True),
    Row("partnerships API (filtered, uncached)", "/api/partnerships/", API_UNCACHED,
        query=FILTER, uncached=True),
    Row("savings API (page 1, uncached)", "/api/savings/", API_UNCACHED, uncached=True),
    Row("map page", "/", HTML_PAGE),
    Row("partnership list", "/partnerships/", HTML_PAGE),
    Row("partnership page", "/partnerships/{partnership}/", HTML_PAGE),
    Row("council list", "/councils/", HTML_PAGE),
    Row("council page", "/councils/{council}/", HTML_PAGE),
    Row("figures", "/figures/", HTML_PAGE),
    # The same pages built from the database, as the first request after a publish is:
    # reported beside the stored ones, not judged (the goal is met by the stored bytes).
    Row("map page (uncached)", "/", uncached=True),
    Row("partnership list (uncached)", "/partnerships/", uncached=True),
    Row("partnership page (uncached)", "/partnerships/{partnership}/", uncached=True),
    Row("council list (uncached)", "/councils/", uncached=True),
    Row("council page (uncached)", "/councils/{council}/", uncached=True),
    Row("figures (uncached)", "/figures/", uncached=True),
]  # fmt: skip


# --- Options -------------------------------------------------------------------------


def scales_parse(text: str) -> list[int]:
    """'1,10' -> [1, 10]: whole numbers from 1 to 100, each once, smallest first."""
    try:
        scales = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole numbers, as 1,10") from None
    if not scales or scales[0] < 1 or scales[-1] > 100:
        raise argparse.ArgumentTypeError(f"{text!r}: give data sizes from 1 to 100, as 1,10")
    return scales


def options_parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument(
        "--scale",
        type=lambda text: scales_parse(text)[0],
        default=None,
        help="one data size: the real data and N - 1 synthetic copies (default 1)",
    )
    sizes.add_argument(
        "--scales",
        type=scales_parse,
        default=None,
        help="several data sizes, comma-separated (1,10), printed side by side",
    )
    parser.add_argument("--requests", type=int, default=400, help="per address")
    parser.add_argument(
        "--uncached-requests",
        type=int,
        default=100,
        help="per uncached address (each one builds its page)",
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=20,
        help="per address and side: stop sending after this long (slow pages at 10x)",
    )
    parser.add_argument("--rebuild", action="store_true", help="drop and build the databases")
    parser.add_argument("--no-browser", action="store_true", help="skip the first view")
    parser.add_argument(
        "--at",
        metavar="REVISION",
        default=None,
        help="measure the code as committed at REVISION (git archive into a temporary"
        " folder), not the working tree, which others may be editing",
    )
    options = parser.parse_args(argv)
    if options.requests < 1 or options.concurrency < 1 or options.uncached_requests < 1:
        parser.error("--requests, --uncached-requests and --concurrency must be at least 1")
    if options.scales is None:
        options.scales = [options.scale or 1]
    del options.scale
    return options


def database_url_for(base: str, scale: int) -> str:
    """The database of one data size: the base one at 1x, `<name>_x<N>` at Nx."""
    if scale == 1:
        return base
    head, name = base.rsplit("/", 1)
    name, question, query = name.partition("?")
    return f"{head}/{name}_x{scale}{question}{query}"


# --- The stack -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict) -> str:
    return subprocess.run(
        args, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout


def ensure_database(url: str, *, rebuild: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].partition("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if rebuild:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def stack_env(scale: int, static_root: Path) -> dict:
    base = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sharedmap.settings.production",
        "DATABASE_URL": database_url_for(base, scale),
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        # The map's layer files, where the app writes them (deploy/nginx.conf's /layers/).
        "LAYER_FILES_ROOT": str(static_root / "_layers"),
        "MAP_TILE_URL": "",
        # The API's throttles as deployed, counting each reader by the address the proxy
        # names: the benchmark's requests come from many readers (`reader_headers`),
        # each within the limits, as the public's do. (One reader at a million a minute
        # would make each request rewrite a throttle history of thousands of entries.)
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
        # Each data size its own cache, so one size's pages never answer for another's.
        "CACHE_KEY_PREFIX": f"sharedmap-bench-x{scale}",
        # Work queued after a change (building layers) runs here: no worker is started.
        "CELERY_TASK_ALWAYS_EAGER": "true",
        # Persistent database connections, as docker-compose.yml runs the site.
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
    }


# What the deployment runs after loading the data, where the code has it: the map's
# layer files (partnerships/management/commands/layers_build.py).
AFTER_LOAD_COMMANDS = ["layers_build"]


def prepare(scale: int, env: dict, *, rebuild: bool) -> dict:
    """Build (or reuse) this size's database and collect the static files; returns
    bench/scale.py's report and samples."""
    ensure_database(env["DATABASE_URL"], rebuild=rebuild)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env)
    run([PYTHON, "manage.py", "load_reference_data"], env)
    started = time.monotonic()
    report = json.loads(run([PYTHON, "-m", "bench.scale", "--scale", str(scale), "--json"], env))
    report["seconds"] = time.monotonic() - started
    for command in AFTER_LOAD_COMMANDS:
        if (ROOT / "partnerships" / "management" / "commands" / f"{command}.py").exists():
            run([PYTHON, "manage.py", command], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput"], env)
    return report


class Server:
    def __init__(self, env: dict, port: int):
        self.port = port
        self.process = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "sharedmap.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", "2", "--threads", "4", "--log-level", "warning",
                "--access-logfile", "/dev/null",
            ],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


_readers = itertools.count()
_readers_lock = threading.Lock()


def reader_headers() -> dict[str, str]:
    """A browser's request headers, from the next of 65,536 readers (as the proxy in
    front names them in X-Forwarded-For), so no one reader passes the API's limits."""
    with _readers_lock:
        n = next(_readers) % 65536
    return {
        "Accept-Encoding": "gzip",
        "Host": "127.0.0.1",
        "X-Forwarded-For": f"10.1.{n >> 8}.{n & 255}",
    }


def fetch(port: int, path: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=reader_headers())
        response = conn.getresponse()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, body, headers
    finally:
        conn.close()


def load(port: int, path: str, requests: int, concurrency: int, seconds: float = 600) -> dict:
    """Send `requests` GETs over `concurrency` keep-alive connections, or as many as
    start within `seconds` (at least one each); time each one."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_worker = max(1, requests // concurrency)
    deadline = time.perf_counter() + seconds

    def worker():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for _ in range(per_worker):
            if mine and time.perf_counter() > deadline:
                break
            start = time.perf_counter()
            conn.request("GET", path, headers=reader_headers())
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
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "errors": errors,
        "n": len(latencies),
    }


# --- What the map page names ---------------------------------------------------------

_JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)
_ATTRIBUTE_URL = re.compile(r'\s(?:data-[\w-]*url|href|src)="([^"]+)"', re.I)
MAX_LAYER_FILES = 6
_VERSION_PART = re.compile(r"[.-][0-9a-f]{8,}(?=[./]|$)")


def _strings(value, path: str = ""):
    """Every (key path, string) in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def page_addresses(page: str) -> dict[str, list[tuple[str, str]]]:
    """The layer files and the filter counts JSON a map page names, as (name, address)
    lists: in its JSON data (`json_script`, named by key path) or in its data-*-url,
    href and src attributes (named by file). Templates holding {…} are left out."""
    found: list[tuple[str, str]] = []
    for block in _JSON_SCRIPT.findall(page):
        try:
            found += list(_strings(json.loads(block)))
        except ValueError:
            continue
    found += [(None, html.unescape(url)) for url in _ATTRIBUTE_URL.findall(page)]
    layers, counts, seen = [], [], set()
    for name, url in found:
        if not url.startswith("/") or url.startswith("//") or "{" in url or url in seen:
            continue
        address = url.split("?")[0]
        file_name = _VERSION_PART.sub("", address.rstrip("/").rsplit("/", 1)[-1])
        if "/layers/" in address or address.endswith((".topojson", ".geojson")):
            if address.startswith(("/map/councils.geojson", "/api/")):
                continue  # measured by their own rows
            seen.add(url)
            layers.append((name or file_name, url))
        elif "count" in (name or "").lower() or "count" in file_name.lower():
            seen.add(url)
            counts.append((name or file_name, url))
    # A handful is enough to show their speed; each takes a row at every size.
    return {"layer_file": layers[:MAX_LAYER_FILES], "counts": counts}


COUNTS_ADDRESS = "/map/counts.json"


def manifest_layer_files(root: Path) -> list[tuple[str, str]]:
    """The latest generation's layer files named by the manifest under `root`, as
    (name, address); none if there is no manifest."""
    try:
        files = json.loads((root / "manifest.json").read_text())["files"]
        latest = files[list(files)[-1]]
        return [
            (f"{layer} {detail}, manifest", f"/layers/{path}")
            for layer, details in latest.items()
            for detail, path in details.items()
        ][:MAX_LAYER_FILES]
    except (OSError, ValueError, KeyError, IndexError, AttributeError):
        return []


@dataclass
class Measured:
    """A row as measured at one data size (or why it was not)."""

    row: Row
    label: str
    path: str | None
    note: str = ""
    size: int = 0
    sent: int = 0
    static_path: str = ""
    app: dict = field(default_factory=dict)
    static: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.app["rps"] / self.static["rps"] if self.app and self.static else None


def with_query(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}" if query else path


def rows_expand(rows: list[Row], found: dict[str, list[tuple[str, str]]]) -> list[Measured]:
    """Each row with its address filled in from `found` (a row per layer file), or
    noted as missing when the map page names nothing for it."""
    out = []
    for row in rows:
        names = [
            n for n in ("layer_file", "counts", "partnership", "council") if f"{{{n}}}" in row.path
        ]
        name = names[0] if names else None
        if name is None:
            out.append(Measured(row, row.label, with_query(row.path, row.query)))
            continue
        values = found.get(name) or []
        if not values:
            out.append(Measured(row, row.label, None, note="missing (not named on the map page)"))
            continue
        for value_name, value in values:
            label = (
                f"{row.label} ({value_name})"
                if len(values) > 1 or name == "layer_file"
                else row.label
            )
            path = with_query(row.path.replace(f"{{{name}}}", value), row.query)
            out.append(Measured(row, label, path))
    return out


# --- Measuring -----------------------------------------------------------------------


def snapshot_bytes(port: int, measured: list[Measured], static_dir: Path) -> None:
    """Fetch each row once; keep its bytes as a static file to serve beside it. A 404
    marks the row missing; another status is noted and the row not measured."""
    static_dir.mkdir(exist_ok=True)
    for index, m in enumerate(measured):
        if m.path is None:
            continue
        try:
            status, body, headers = fetch(port, m.path)
        except OSError as error:
            m.note, m.path = f"no answer ({error})", None
            continue
        if status == 404:
            m.note, m.path = "missing (404)", None
            continue
        if status != 200:
            where = headers.get("location", "")
            m.note, m.path = f"answered {status}{' → ' + where if where else ''}", None
            continue
        gzipped = headers.get("content-encoding") == "gzip"
        raw = gzip.decompress(body) if gzipped else body
        kind = headers.get("content-type", "")
        name = f"copy{index}.{'html' if 'html' in kind else 'json'}"
        (static_dir / name).write_bytes(raw)
        if gzipped:
            # WhiteNoise serves the .gz beside a file to clients that accept gzip: the
            # very bytes the app sent.
            (static_dir / f"{name}.gz").write_bytes(body)
        m.size, m.sent, m.static_path = len(raw), len(body), f"/static/bench/{name}"


def measure(port: int, measured: list[Measured], options, *, uncached: bool) -> None:
    for m in measured:
        if m.path is None or m.row.uncached != uncached:
            continue
        requests = options.uncached_requests if uncached else options.requests
        load(port, m.path, options.concurrency * 2, options.concurrency)  # warm up
        m.app = load(port, m.path, requests, options.concurrency, options.max_seconds)
        m.static = load(
            port, m.static_path, options.requests, options.concurrency, options.max_seconds
        )
        notes = []
        if m.app["errors"] or m.static["errors"]:
            notes.append(f"{m.app['errors']} app errors, {m.static['errors']} static errors")
        if m.app["n"] < max(1, requests // options.concurrency) * options.concurrency:
            notes.append(f"{m.app['n']} app requests in {options.max_seconds:g} s")
        m.note = "; ".join(notes)
        print(f"  {m.label}: {m.app['rps']:.0f} req/s, p50 {m.app['p50']:.1f} ms", flush=True)


# The first view: the time from navigation start until the council shapes are painted.
# The map sets data-loaded on its container once a layer is drawn (static/js/map/layers.js);
# interactive Leaflet paths are the fallback sign. Two animation frames later the frame
# holding them has been painted.
_PAINT_WATCH = """
(() => {
  const drawn = () => {
    const map = document.getElementById("council-map");
    return (map && map.hasAttribute("data-loaded"))
      || document.querySelector("path.leaflet-interactive") !== null;
  };
  const observer = new MutationObserver(() => {
    if (window.__benchDrawnAt === undefined && drawn()) {
      window.__benchDrawnAt = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => {
        window.__benchPaintedAt = performance.now();
      }));
    }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ["data-loaded"]});
})();
"""


def first_view(port: int, tries: int = 3) -> dict:
    """Load / in headless Chromium with an empty cache, `tries` times (a fresh context
    each): the bytes transferred compressed (response bodies as sent) by the first, and
    the median time to the shapes painted."""
    from playwright.sync_api import sync_playwright

    times, transfers = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"],
        )  # fmt: skip
        try:
            for _ in range(tries):
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                context.add_init_script(_PAINT_WATCH)
                page = context.new_page()
                responses = []
                page.on("response", lambda response, kept=responses: kept.append(response))
                page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
                # Polled from here: the site's CSP refuses the eval wait_for_function uses.
                painted, deadline = None, time.monotonic() + 30
                while painted is None and time.monotonic() < deadline:
                    page.wait_for_timeout(20)
                    painted = page.evaluate("window.__benchPaintedAt")
                if painted is None:
                    raise RuntimeError("the map's council shapes were not drawn in 30 s")
                page.wait_for_load_state("networkidle")
                sizes = [(r.url, r.request.sizes()) for r in responses if r.url.startswith("http")]
                transfers.append(
                    {
                        "bytes": sum(s["responseBodySize"] for _, s in sizes),
                        "headers": sum(s["responseHeadersSize"] for _, s in sizes),
                        "requests": len(sizes),
                        "largest": sorted(
                            ((s["responseBodySize"], url) for url, s in sizes), reverse=True
                        )[:3],
                    }
                )
                times.append(painted / 1000)
                context.close()
        finally:
            browser.close()
    return {**transfers[0], "seconds": statistics.median(times), "all_seconds": times}


def run_scale(scale: int, options) -> dict:
    """Prepare one data size, then measure every row and the first view."""
    static_root = Path(tempfile.mkdtemp(prefix=f"sharedmap-bench-x{scale}-static-"))
    env = stack_env(scale, static_root)
    try:
        print(f"\nPreparing {scale}x data ({env['DATABASE_URL'].rsplit('/', 1)[1]})…", flush=True)
        report = prepare(scale, env, rebuild=options.rebuild)
        print(
            f"  {report['line']} ({report['added']:,} copies added in {report['seconds']:.0f} s)",
            flush=True,
        )

        # First pass: find the addresses and keep each response's bytes.
        server = Server(env, free_port())
        try:
            found = {
                "partnership": [(report["partnership"], report["partnership"])],
                "council": [(report["council"], report["council"])],
            }
            status, body, headers = fetch(server.port, "/")
            if status == 200:
                text = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
                found.update(page_addresses(text.decode("utf-8", "replace")))
            # Files the page does not name yet: the current ones from the layer files'
            # manifest (partnerships/layer_files.py), and the counts at their address.
            found["layer_file"] = found.get("layer_file") or manifest_layer_files(
                Path(env["LAYER_FILES_ROOT"])
            )
            found["counts"] = found.get("counts") or [("", COUNTS_ADDRESS)]
            measured = rows_expand(ROWS, found)
            snapshot_bytes(server.port, measured, static_root / "bench")
        finally:
            server.stop()

        # Second pass: the same server, now also holding the copies as static files.
        server = Server(env, free_port())
        try:
            measure(server.port, measured, options, uncached=False)
            view = None
            if not options.no_browser:
                try:
                    view = first_view(server.port)
                except Exception as error:  # a page that never draws is a result too
                    view = {"error": f"{type(error).__name__}: {error}"}
        finally:
            server.stop()
        if any(m.row.uncached and m.path for m in measured):
            server = Server({**env, "DJANGO_SETTINGS_MODULE": "bench.settings_nocache"},
                            free_port())  # fmt: skip
            try:
                measure(server.port, measured, options, uncached=True)
            finally:
                server.stop()
        return {"scale": scale, "report": report, "rows": measured, "first_view": view}
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


# --- Printing ------------------------------------------------------------------------


def scale_table(result: dict) -> None:
    header = (
        f"{'endpoint':46} {'bytes':>10} {'gzip':>8} {'app req/s':>10} {'static req/s':>13}"
        f" {'ratio':>6} {'app p50 ms':>11} {'app p95 ms':>11} {'static p50':>11}"
    )
    print(f"\n{result['report']['line']}\n")
    print(header)
    print("-" * len(header))
    for m in result["rows"]:
        if not m.app:
            print(f"{m.label:46} {m.note}")
            continue
        print(
            f"{m.label:46} {m.size:>10,} {m.sent:>8,} {m.app['rps']:>10.0f}"
            f" {m.static['rps']:>13.0f} {m.ratio:>6.2f} {m.app['p50']:>11.1f}"
            f" {m.app['p95']:>11.1f} {m.static['p50']:>11.1f}" + (f"  ({m.note})" if m.note else "")
        )


def verdict(goal: Goal | None, ratios: list[float], growth: float | None) -> str:
    if goal is None:
        return ""
    if goal.measure == "ratio":
        return "met" if ratios and min(ratios) >= goal.bound else "not met"
    if growth is None:
        return "needs two sizes"
    return "met" if growth <= goal.bound else "not met"


def _cell(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def side_by_side(results: list[dict]) -> list[str]:
    """Print every row at every size with its goal; return the Markdown rows. Throughput
    is the largest size's; ratio goals must hold at every size."""
    small, large = f"{results[0]['scale']}x", f"{results[-1]['scale']}x"
    labels = list(dict.fromkeys(m.label for r in results for m in r["rows"]))
    by_size = [{m.label: m for m in r["rows"]} for r in results]
    sizes = [f"{r['scale']}x" for r in results]
    two = len(results) > 1  # the growth column compares the first size with the last
    header = (
        f"{'endpoint':46} {'app req/s':>9} {'static':>7} "
        + " ".join(f"{'ratio ' + s:>9}" for s in sizes)
        + " "
        + " ".join(f"{'p50 ' + s:>9}" for s in sizes)
        + (f" {large + '/' + small:>8}" if two else "")
        + f"  {'goal':<16} met"
    )
    print(f"\nSide by side ({', '.join(sizes)} data):\n")
    print(header)
    print("-" * len(header))
    markdown = [
        f"| endpoint | app req/s {large} | static req/s (same bytes) | "
        + " | ".join(f"ratio {s}" for s in sizes)
        + " | "
        + " | ".join(f"p50 ms {s}" for s in sizes)
        + (f" | {large}/{small} p50" if two else "")
        + " | goal | met |",
        "|---|---:|---:|" + "---:|" * (2 * len(sizes) + two) + "---|---|",
    ]
    for label in labels:
        rows = [size.get(label) for size in by_size]
        first = next(m for m in rows if m is not None)
        goal = first.row.goal
        done = [m if m is not None and m.app else None for m in rows]
        measured = [m for m in done if m]
        top = done[-1]
        growth = (
            done[-1].app["p50"] / done[0].app["p50"]
            if len(done) > 1 and done[0] and done[-1]
            else None
        )
        met = verdict(goal, [m.ratio for m in measured], growth) if measured else "missing"
        notes = "; ".join(dict.fromkeys(m.note for m in rows if m and m.note))
        cells = [
            _cell(top.app["rps"] if top else None, ".0f"),
            _cell(top.static["rps"] if top else None, ".0f"),
            *[_cell(m.ratio if m else None, ".2f") for m in done],
            *[_cell(m.app["p50"] if m else None, ".1f") for m in done],
            *([_cell(growth, ".2f")] if two else []),
        ]
        widths = [9, 7] + [9] * (2 * len(sizes)) + [8] * two
        print(
            f"{label:46} "
            + " ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
            + f"  {goal.text if goal else '':<16} "
            + (f"{met} ({notes})" if notes and met != "missing" else notes or met)
        )
        path = next((m.path for m in measured), None)
        name = f"{label} (`{path}`)" if path else label
        verdict_text = f"{met} ({notes})" if notes and met != "missing" else notes or met
        markdown.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {goal.text if goal else ''} | {verdict_text} |"
        )
    print(
        f"\nreq/s and static are at {large}; ratio = app throughput / static-file throughput"
        " for the same bytes (1.00 = as fast); ratio goals must hold at every size."
        + (f" {large}/{small} = p50 at {large} over p50 at {small}." if two else "")
    )
    return markdown


def first_view_lines(results: list[dict]) -> list[str]:
    lines = []
    for r in results:
        view = r["first_view"]
        if view is None:
            continue
        if "error" in view:
            lines.append(f"| first view of `/` at {r['scale']}x | failed | {view['error']} |")
            print(f"First view at {r['scale']}x failed: {view['error']}")
            continue
        kb = view["bytes"] / 1024
        met_bytes = "met" if view["bytes"] <= FIRST_VIEW_BYTES else "not met"
        met_time = "met" if view["seconds"] <= FIRST_VIEW_SECONDS else "not met"
        lines.append(
            f"| first view of `/` at {r['scale']}x (headless Chromium, empty cache) |"
            f" {kb:,.0f} KB compressed in {view['requests']} responses (goal ≤ 200 KB: {met_bytes})"
            f" | shapes painted {view['seconds'] * 1000:,.0f} ms after navigation"
            f" (goal ≤ 1 s: {met_time}) |"
        )
        largest = ", ".join(
            f"{size / 1024:,.0f} KB {urlsplit(url).path}" for size, url in view["largest"]
        )
        print(
            f"First view at {r['scale']}x: {kb:,.0f} KB of bodies compressed"
            f" (+{view['headers'] / 1024:,.0f} KB headers) in {view['requests']} responses,"
            f" goal ≤ 200 KB: {met_bytes}; shapes painted at"
            f" {', '.join(f'{s * 1000:,.0f}' for s in view['all_seconds'])} ms (median"
            f" {view['seconds'] * 1000:,.0f}), goal ≤ 1 s: {met_time}. Largest: {largest}."
        )
    return lines


def machine_load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def code_at(revision: str) -> tuple[Path, str]:
    """The project as committed at `revision`, in a temporary folder; and its commit."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", f"{revision}^{{commit}}"],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.strip()  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix=f"sharedmap-bench-{commit}-"))
    archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"git archive {commit} failed")
    return folder, commit


def main(argv: list[str] | None = None) -> None:
    global ROOT
    options = options_parse(argv)
    load_at_start = machine_load()
    print(f"Machine at start: {load_at_start}", flush=True)
    snapshot, commit = None, "the working tree"
    if options.at:
        snapshot, commit = code_at(options.at)
        ROOT = snapshot
        print(f"Code as committed at {commit} ({snapshot})", flush=True)
    try:
        results = [run_scale(scale, options) for scale in options.scales]
    finally:
        if snapshot:
            shutil.rmtree(snapshot, ignore_errors=True)
    load_at_end = machine_load()

    cache = "Redis" if os.environ.get("REDIS_URL") else "per-process memory"
    print(
        f"\n{datetime.date.today()}: {options.requests} requests per address"
        f" ({options.uncached_requests} uncached) over {options.concurrency} connections, gzip"
        f" accepted; gunicorn 2 workers x 4 threads, DEBUG off, PostgreSQL, {cache} cache;"
        " uncached rows on a second server with no cache."
    )
    for result in results:
        scale_table(result)
    markdown = side_by_side(results)
    print()
    views = first_view_lines(results)
    print(f"\nMachine at start: {load_at_start}; at end: {load_at_end}.")
    print("\nMarkdown for the README:\n")
    print(
        f"Measured {datetime.date.today()} on {commit}, {options.requests} requests per"
        f" address ({options.uncached_requests} uncached) over {options.concurrency}"
        f" connections; machine at start: {load_at_start}; at end: {load_at_end}. Data: "
        + "; ".join(r["report"]["line"] for r in results)
        + ".\n"
    )
    print("\n".join(markdown))
    if views:
        print("\n| first view | transferred | painted |\n|---|---|---|")
        print("\n".join(views))


if __name__ == "__main__":
    main()
