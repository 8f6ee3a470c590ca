"""Renders a message from its Jinja2 templates: subject, plain text and HTML, EN, FR or both."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifications.domain.messages import BILINGUAL, Message

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class Renderer:
    def __init__(self, folder: Path = TEMPLATES):
        self._env = Environment(loader=FileSystemLoader(folder), undefined=StrictUndefined,
                                autoescape=select_autoescape(["html"]), keep_trailing_newline=True)

    def _one(self, message: Message, lang: str) -> tuple[str, str]:
        body = self._env.get_template(f"{message.template}.{lang}.txt").render(message.context)
        subject, _, text = body.partition("\n")
        return subject.strip(), text.strip()

    def render(self, message: Message) -> Rendered:
        langs = ["en", "fr"] if message.language == BILINGUAL else [message.language]
        parts = [(lang, *self._one(message, lang)) for lang in langs]
        subject = " / ".join(subject for _, subject, _ in parts)
        text = "\n\n---\n\n".join(text for _, _, text in parts)
        html = self._env.get_template("layout.html").render(
            lang=langs[0], subject=subject,
            parts=[{"lang": lang, "paragraphs": [p for p in text.split("\n\n") if p]}
                   for lang, _, text in parts])
        return Rendered(subject, text, html)
