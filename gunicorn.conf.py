"""gunicorn's settings for the production image (gunicorn reads ./gunicorn.conf.py).

The access log is on, with the secret links' tokens masked in every line (the request
line, the path and the Referer), and so is the error log: core.logging.SecretPathFilter
sits on both. https://docs.gunicorn.org/en/stable/settings.html

How many requests a container serves at once comes from the environment, so the same
image fits a small VM and a large one (each unset or empty variable takes its default):

- WEB_CONCURRENCY: worker processes; default twice the CPUs this process may use, at
  most 8 (a container that wants more should be scaled out: more containers).
- WEB_THREADS: threads per worker; default 4. Above 1 the worker class is gthread, whose
  threads wait on the database and Redis in parallel; 1 is gunicorn's sync worker.
- WEB_TIMEOUT: seconds a request may take before its worker is restarted; default 30.
- WEB_KEEPALIVE: seconds an idle connection from the proxy is kept open; default 5, a
  little longer than nginx keeps it (deploy/nginx.conf: 4 s), so nginx always closes
  first and never reuses a connection gunicorn has just closed (a 502).

Each thread may hold a database connection (DB_CONN_MAX_AGE), so PostgreSQL's
max_connections must exceed containers x WEB_CONCURRENCY x WEB_THREADS (plus the
workers'): 3 web containers x 4 x 4 is 48 against PostgreSQL's default 100.
"""

import os

from gunicorn.glogging import Logger

from core.logging import SecretPathFilter


def env_count(name: str, default: int, *, low: int, high: int) -> int:
    """A whole number from the environment within [low, high]; refuses anything else, so
    a typo stops the container at start rather than running with a surprise."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {raw!r}.")
    return int(raw)


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS has no sched_getaffinity
        return os.cpu_count() or 1


bind = "0.0.0.0:8000"
accesslog = "-"
workers = env_count("WEB_CONCURRENCY", min(2 * usable_cpus(), 8), low=1, high=64)
threads = env_count("WEB_THREADS", 4, low=1, high=64)
worker_class = "gthread" if threads > 1 else "sync"
timeout = env_count("WEB_TIMEOUT", 30, low=1, high=3600)
# As long again to finish the requests in hand on a restart or scale-down.
graceful_timeout = timeout
keepalive = env_count("WEB_KEEPALIVE", 5, low=0, high=3600)
# The workers' heartbeat files in memory: a container's /tmp may be a slow overlay disk.
# https://docs.gunicorn.org/en/stable/settings.html#worker-tmp-dir
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


class MaskedLogger(Logger):
    """gunicorn's own logger, with the secret-path filter on its handlers."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            for handler in log.handlers:
                handler.addFilter(SecretPathFilter())


logger_class = MaskedLogger
