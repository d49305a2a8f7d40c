"""gunicorn settings for the `web` service; every value can be overridden by GUNICORN_*.

One worker process per CPU, each with a few threads (the `gthread` class). A page is mostly
Python (one CPU per process under the GIL), so more processes than CPUs only add memory and
switching; the threads let a process go on with another request while one waits for
PostgreSQL, Redis or a slow client, and keep the browser's connection open between clicks
(the `sync` class serves one request at a time per process and closes every connection: with
2 processes, one 300 ms page or one slow download stalled half the server, and each click
paid for a new connection). bench/peak.py measures this configuration as it is.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 1)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
# connections over them. On one shared socket, the worker that woke first accepted a whole
# burst of connections while the other sat idle: wrk's 4 to 16 keep-alive connections all
# went to one process in a third of the runs, and the server gave half its throughput. (A
# worker that dies takes the connections still waiting in its own queue with it.)
# (Not on port 0: each worker would be given a port of its own by the system.)
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "true").lower() in {"1", "true", "yes"} and (
    not bind.endswith(":0")
)
# How long a browser's idle connection is kept between two clicks (seconds).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# PDF previews and spreadsheet imports can take a few seconds; the slow ones go to Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# gunicorn's control socket (gunicornc: worker counts, reloads) is one path per user
# ($HOME/.gunicorn/gunicorn.ctl): a second server of the same user on the machine (a test, the
# bench) took it over. Nothing here uses it; the container's process manager restarts.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
