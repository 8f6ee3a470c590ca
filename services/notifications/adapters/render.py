"""Renders a message from its Jinja2 templates: subject, plain text and HTML, EN, FR or both.

``<template>.<lang>.txt``: the first line is the subject, the rest the plain-text body
(paragraphs separated by blank lines). The HTML part is the same text in ``layout.html``; a
letter to post is the same text in ``letter.html``, a printable page.

The ``link`` of each language's part opens the page in that language (``lang=en|fr``, which
the portal keeps through sign-in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifications.domain.documents import Letter
from services.notifications.domain.messages import BILINGUAL, Message

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def in_language(url: str, lang: str) -> str:
    """The page at ``url``, asked for in ``lang``."""
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


class Renderer:
    def __init__(self, folder: Path = TEMPLATES):
        self._env = Environment(loader=FileSystemLoader(folder), undefined=StrictUndefined,
                                autoescape=select_autoescape(["html"]), keep_trailing_newline=True)

    def _one(self, template: str, context: dict[str, Any], lang: str) -> tuple[str, str]:
        if context.get("link"):
            context = {**context, "link": in_language(str(context["link"]), lang)}
        body = self._env.get_template(f"{template}.{lang}.txt").render(context)
        subject, _, text = body.partition("\n")
        return subject.strip(), text.strip()

    def _parts(self, template: str, language: str,
               context: dict[str, Any]) -> tuple[list[str], str, str, list[dict[str, Any]]]:
        langs = ["en", "fr"] if language == BILINGUAL else [language]
        parts = [(lang, *self._one(template, context, lang)) for lang in langs]
        subjects = list(dict.fromkeys(subject for _, subject, _ in parts))
        subject = " / ".join(subjects)
        text = "\n\n---\n\n".join(text for _, _, text in parts)
        sections = [{"lang": lang, "paragraphs": [p for p in body.split("\n\n") if p]}
                    for lang, _, body in parts]
        return langs, subject, text, sections

    def render(self, message: Message) -> Rendered:
        langs, subject, text, sections = self._parts(message.template, message.language,
                                                     message.context)
        html = self._env.get_template("layout.html").render(
            lang=langs[0], subject=subject, parts=sections)
        return Rendered(subject, text, html)

    def render_letter(self, letter: Letter, today: date) -> Rendered:
        langs, subject, text, sections = self._parts(letter.template, letter.language,
                                                     letter.context)
        html = self._env.get_template("letter.html").render(
            lang=langs[0], subject=subject, parts=sections, addressee=letter.addressee,
            address=letter.address, account_number=letter.account_number,
            date=today.isoformat())
        return Rendered(subject, text, html)
