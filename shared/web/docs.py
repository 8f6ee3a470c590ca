"""The API documentation page (Swagger UI) with no inline script: its start-up code is the
static file ``/static/portal/swagger.js``, so the page fits the Content-Security-Policy of
``shared/web/headers.py`` (FastAPI's own page has an inline script)."""

from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

SWAGGER_DIST = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"


def swagger_page(openapi_url: str, title: str) -> HTMLResponse:
    return HTMLResponse(f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="{SWAGGER_DIST}/swagger-ui.css">
<title>{escape(title)}</title>
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
<script src="{SWAGGER_DIST}/swagger-ui-bundle.js"></script>
<script src="/static/portal/swagger.js"></script>
</body>
</html>
""")
