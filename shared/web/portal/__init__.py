"""The portal framework: server-rendered pages in English and French (see README.md)."""

from shared.web.portal.forms import FieldError, FormErrors
from shared.web.portal.portal import Portal, PortalSettings, safe_next
from shared.web.portal.routing import SignInRequired

__all__ = ["FieldError", "FormErrors", "Portal", "PortalSettings", "SignInRequired",
           "safe_next"]
