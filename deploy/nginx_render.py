"""The gateway's nginx configuration, for compose (a file) and Kubernetes (a ConfigMap)."""

from __future__ import annotations

from deploy.model import API_PORT, HEADER, NAMES

# HSTS on every answer (the TLS front terminates https in front of this nginx); the services
# set the other security headers themselves (shared/web/headers.py), and nginx's own answers
# (health, 404) get them here: an add_header in a location replaces the server's.
HSTS = 'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;'
OWN_ANSWER_HEADERS = " ".join([
    HSTS, "add_header Content-Security-Policy \"default-src 'none'; frame-ancestors 'none'\" "
    "always;", "add_header X-Content-Type-Options nosniff always;",
    "add_header X-Frame-Options DENY always;",
    "add_header Referrer-Policy same-origin always;"])


def nginx_conf(host: str = "{name}-api") -> str:
    """The gateway: /api/<service>/ to that service's api; /openapi.json and /docs to docs."""
    locations = "".join(
        f"        location /api/{name}/ {{ proxy_pass http://{host.format(name=name)}:"
        f"{API_PORT}; }}\n" for name in NAMES)
    return HEADER + f"""worker_processes auto;
events {{ worker_connections 4096; }}
http {{
    access_log /dev/stdout;
    error_log /dev/stderr warn;
    server {{
        listen 8080;
        # uploads stream through (never buffered here); the sitedata API refuses > 60 MB
        client_max_body_size 61m;
        proxy_request_buffering off;
        proxy_buffering off;
        proxy_http_version 1.1;
        proxy_read_timeout 120s;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Request-ID $request_id;
        {HSTS}
        location = /nginx-health {{ {OWN_ANSWER_HEADERS} return 200 "ok"; }}
        location = /healthz {{ proxy_pass http://docs:{API_PORT}; }}
        location = /openapi.json {{ proxy_pass http://docs:{API_PORT}; }}
        location = /docs {{ proxy_pass http://docs:{API_PORT}; }}
        # /docs starts Swagger UI from /static/portal/swagger.js (no inline script, the CSP)
        location /static/ {{ proxy_pass http://docs:{API_PORT}; }}
{locations}        location / {{ {OWN_ANSWER_HEADERS} return 404; }}
    }}
}}
"""
