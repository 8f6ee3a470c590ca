"""The top navigation: every area the signed-in person may use, the current one marked.

An area is a catalogue key (``portal.nav.<key>``), the page it opens and the paths that belong
to it. Licensees (and their agents and sub-users) see theirs; ISED staff see the officer's;
administrators also the administration. The pages themselves still check who may see them:
the menu only shows the way.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import Principal

ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class Area:
    key: str
    href: str
    covers: tuple[str, ...] = ()  # path prefixes of the area's pages (its href by default)

    def depth(self, path: str) -> int:
        """How closely ``path`` belongs to the area (0: not at all)."""
        best = 0
        for prefix in self.covers or (self.href,):
            if path == prefix or (prefix != "/" and path.startswith(prefix.rstrip("/") + "/")):
                best = max(best, len(prefix))
        return best


BROWSER = Area("browser", "/reports/browser", ("/reports/browser", "/reports/licences",
                                               "/reports/analytics"))
PROFILE = Area("profile", "/identity/profile", ("/identity/profile", "/identity/accounts"))

VISITOR = (Area("home", "/"), Area("register", "/identity/register",
                                   ("/identity/register", "/identity/register-done")), BROWSER)
LICENSEE = (
    Area("home", "/"),
    Area("applications", "/licensing/applications", ("/licensing/applications",
                                                     "/licensing/broadcasting")),
    Area("licences", "/licensing/accounts", ("/licensing/accounts",)),
    Area("uploads", "/sitedata/uploads", ("/sitedata",)),
    Area("status", "/reports/status", ("/reports/status",)),
    BROWSER,
    Area("profile", "/identity/profile", ("/identity/profile", "/identity/accounts",
                                          "/identity/registrations")),
)
OFFICER = (
    Area("officer", "/", ("/", "/officer")),
    Area("registrations", "/identity/officer/queue", ("/identity/officer",)),
    Area("queues", "/licensing/queues", ("/licensing/queues", "/licensing/applications")),
    Area("accounts", "/licensing/accounts", ("/licensing/accounts",)),
    Area("dashboard", "/reports", ("/reports",)),
    Area("letters", "/notifications/letters", ("/notifications",)),
    BROWSER,
    PROFILE,
)
ADMINISTRATION = Area("admin", "/identity/admin", ("/identity/admin",))


def areas_for(principal: Principal | None) -> tuple[Area, ...]:
    if principal is None:
        return VISITOR
    if not principal.is_staff:
        return LICENSEE
    if ADMIN_ROLE in principal.roles:
        return (*OFFICER[:-1], ADMINISTRATION, OFFICER[-1])
    return OFFICER


def menu(principal: Principal | None, path: str) -> list[tuple[Area, str | None]]:
    """The areas in order, each with its ``aria-current`` value: ``page`` on the area's own
    page, ``true`` inside it, None elsewhere (only the closest area is marked)."""
    areas = areas_for(principal)
    depths = [area.depth(path) for area in areas]
    closest = max(depths, default=0)
    return [(area, ("page" if path == area.href else "true")
             if closest and depth == closest else None)
            for area, depth in zip(areas, depths, strict=True)]
