"""Rate limits of identity's doors that cost a password hash or send a mail: sign-in, password
reset and registration, per client address and per target (user name, e-mail address).

Counted in memory by each process (``shared/web/ratelimit.py``); the limits that must hold
across processes are counted in the database: the lock-out after failed sign-ins, the wrong
shared secrets (``handlers/secrets.py``) and the reset links in force
(``handlers/security.py``); ``secrets`` carries the figures of the second to the handler.
Values: ``settings.py``; figures: docs/security.md. The API and the pages share one
``IdentityLimits`` through the service's context.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request

from services.identity.handlers.secrets import AttemptLimit
from services.identity.settings import IdentitySettings
from shared.web.ratelimit import Limit, RateLimiter, client_of


class IdentityLimits:
    def __init__(self, settings: IdentitySettings):
        self.sign_in_client = RateLimiter(Limit(settings.sign_ins_per_client_minute, 60))
        self.sign_in_user = RateLimiter(Limit(settings.sign_ins_per_user_minute, 60))
        self.reset_client = RateLimiter(Limit(settings.resets_per_client_15_minutes, 900))
        self.reset_target = RateLimiter(Limit(settings.resets_per_target_hour, 3600))
        self.register_client = RateLimiter(Limit(settings.registrations_per_client_10_minutes,
                                                 600))
        # wrong shared secrets: counted in the database by handlers/secrets.py
        self.secrets = AttemptLimit(settings.max_secret_failures,
                                    timedelta(minutes=settings.secret_window_minutes),
                                    settings.max_account_secret_failures)

    def sign_in(self, request: Request, username: str) -> None:
        """Per client first (a flood from one address), then per user name."""
        fix = "Wait a minute before signing in again."
        self.sign_in_client.hit(client_of(request), "ID-SIGN-IN-RATE", "Too many sign-ins "
                                "from your address.", fix)
        self.sign_in_user.hit(username.strip().lower(), "ID-SIGN-IN-RATE", "Too many sign-ins "
                              "for this user name.", fix)

    def reset(self, request: Request, who: str) -> None:
        fix = "Check your mailbox for the link already sent, or wait before asking again."
        self.reset_client.hit(client_of(request), "ID-RESET-RATE", "Too many password reset "
                              "requests from your address.", fix)
        self.reset_target.hit(who.strip().lower(), "ID-RESET-RATE", "Too many password reset "
                              "requests for this web profile.", fix)

    def register(self, request: Request) -> None:
        self.register_client.hit(client_of(request), "ID-REGISTER-RATE", "Too many "
                                 "registrations from your address.", "Wait a few minutes.")
