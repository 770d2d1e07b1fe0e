"""Gunicorn settings for production (see README.md, "Running at scale").

    gunicorn --config deploy/gunicorn.conf.py app:app

Each setting can be changed through the environment (in /etc/participate/env when the app runs
under systemd); otherwise the default written here applies:

    GUNICORN_BIND                  where to listen                    127.0.0.1:8000
    GUNICORN_WORKERS               how many worker processes          2 x CPU cores + 1, at most 12
    GUNICORN_THREADS               how many threads in each worker    4
    GUNICORN_LOGLEVEL              how much gunicorn itself says      info
    GUNICORN_FORWARDED_ALLOW_IPS   the proxy whose headers it trusts  127.0.0.1
"""

import os

MAX_DEFAULT_WORKERS = 12


def _cores() -> int:
    """The CPU cores this process may use (fewer than the machine has in a container)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None
    if number < 1:
        raise SystemExit(f"{name} must be 1 or more, not {number}.")
    return number


# Listen on this machine only: nginx (or another proxy on this machine) takes the traffic from
# the internet, handles HTTPS and passes requests on here.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Worker processes with a pool of threads each: a thread waiting on the database or on a slow
# phone does not hold up the whole process.
worker_class = "gthread"

# How many worker processes: the usual 2 x cores + 1, but no more than 12 unless asked for.
# Each worker keeps its own database connections and its own memory, so past that point more
# workers mostly cost PostgreSQL connections (it allows 100 by default) and RAM.
workers = _positive_int("GUNICORN_WORKERS", min(2 * _cores() + 1, MAX_DEFAULT_WORKERS))

# Threads in each worker: how many requests one worker handles at the same time.
threads = _positive_int("GUNICORN_THREADS", 4)

# A request that takes longer than 30 seconds is stopped and its worker restarted.
timeout = 30

# On a restart or stop, workers get 30 seconds to finish the requests they are handling.
graceful_timeout = 30

# Keep a connection from the proxy open for 5 seconds, for its next request.
keepalive = 5

# Replace each worker after about 2000 requests (between 2000 and 2200, so they do not all
# restart at once): a slow leak of memory cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200

# No access log from gunicorn. Its access log prints whole paths, and paths such as
# /sign-in/link/<secret> carry one-time secrets. The app logs one JSON line per request with
# the route pattern instead of the path (see participate/ops/logs.py).
accesslog = None

# Gunicorn's own messages (starting, stopping, a worker timing out) go to standard error,
# which systemd sends to the journal. They are plain text, not JSON.
errorlog = "-"

# How much gunicorn itself says: debug, info, warning, error or critical.
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Believe the X-Forwarded-Proto header (was the request HTTPS?) only from the proxy on this
# machine. The app reads X-Forwarded-For, -Proto and -Host from exactly one proxy as well.
# A proxy on another machine: set GUNICORN_FORWARDED_ALLOW_IPS to its address (and
# GUNICORN_BIND to an address it can reach).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Load the app in each worker, not once before the workers start: each worker opens its own
# database connection pool, and connections must not be shared between processes. It also
# means a reload (SIGHUP) starts workers with the new code.
preload_app = False

# No control socket for gunicornc: systemctl starts, stops, restarts and reloads the app.
control_socket_disable = True
