"""The security headers of every answer (``headers.py`` adds them; ``problems.py`` too, on
the 500 answers Starlette sends from outside the middleware). See docs/security.md."""

from __future__ import annotations

GCDS_FONTS = "https://fonts.googleapis.com"
GCDS_FONT_FILES = "https://fonts.gstatic.com https://cdn.design-system.canada.ca"
SWAGGER = "https://cdn.jsdelivr.net"
# style 'unsafe-inline': the GC Design System components put <style> in their shadow roots
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; "
    f"style-src 'self' 'unsafe-inline' {GCDS_FONTS}; "
    f"font-src 'self' data: {GCDS_FONT_FILES}; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' {SWAGGER}; "
    f"style-src 'self' 'unsafe-inline' {SWAGGER}; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
DOCS_PATHS = ("/docs",)


def policy_for(path: str) -> str:
    return DOCS_POLICY if path in DOCS_PATHS else PAGE_POLICY
