"""nginx in front of ``make stack``, as in production (``deploy/nginx``): ``/api/<service>/``
goes straight to that service's api; everything else (pages, ``/healthz``, the combined
OpenAPI document, static files) to the Python gateway (``services.gateway.serve``).

Used when an ``nginx`` binary is installed (``make stack-deps``); without one the Python
gateway alone answers on the gateway port, with the same paths and answers.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from shared.web.policy import COMMON
from shared.web.problems import problem_body

UPSTREAM_IDLE_S = 2  # below every service's keep-alive (30 s), as the Python gateway does
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
# what the Python gateway answers when a service does not (proxy.py: _upstream_down)
UNAVAILABLE = json.dumps(problem_body(503, "UPSTREAM-DOWN", "The service is not reachable.",
                                      "The service did not answer.", fix="Try again shortly."),
                         separators=(",", ":"))


# nginx's own answers carry the headers the services put on theirs (shared/web/headers.py)
OWN_HEADERS = "".join(f"            add_header {name.decode()} \"{value.decode()}\" always;\n"
                      for name, value in [(b"Content-Security-Policy",
                                           b"default-src 'none'; frame-ancestors 'none'"),
                                          *COMMON])


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def _upstream(name: str, base: str) -> str:
    address = base.removeprefix("http://").rstrip("/")
    return (f"    upstream {name} {{ server {address}; keepalive 64; "
            f"keepalive_timeout {UPSTREAM_IDLE_S}s; }}\n")


def stack_conf(root: Path, port: int, services: Mapping[str, str], gateway: str) -> str:
    """The configuration for ``nginx -p root -c conf``: every path under ``root``."""
    upstreams = "".join(_upstream(name, base) for name, base in services.items())
    locations = "".join(f"        location /api/{name}/ {{ proxy_pass http://{name}; }}\n"
                        for name in services)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {root}/temp/{kind};\n"
                   for kind in TEMP_KINDS)
    return f"""{user}daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
{temp}{upstreams}{_upstream("python_gateway", gateway)}    server {{
        listen 127.0.0.1:{port};
        # uploads stream through (never buffered here); the sitedata API refuses > 60 MB
        client_max_body_size 61m;
        proxy_request_buffering off;
        proxy_buffering off;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        # the apis believe this from the gateway (forwarded_allow_ips): rate limits count the
        # client, not the gateway
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_read_timeout 120s;
        error_page 502 504 = @unavailable;
        location @unavailable {{
            default_type application/problem+json;
            add_header Retry-After 5 always;
{OWN_HEADERS}
            return 503 '{UNAVAILABLE}';
        }}
{locations}        location / {{ proxy_pass http://python_gateway; }}
    }}
}}
"""


def prepare(root: Path) -> None:
    for kind in TEMP_KINDS:
        (root / "temp" / kind).mkdir(parents=True, exist_ok=True)
    (root / "logs").mkdir(parents=True, exist_ok=True)
