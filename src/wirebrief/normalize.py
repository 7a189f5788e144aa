"""Input → one normalized text. Every span wirebrief reports is an offset into this text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from wirebrief.errors import EmptyInput, InputTooLarge, UndecodableInput

Kind = Literal["text", "markdown", "html"]

_HTML_HINT = re.compile(r"<(html|body|article|p|div|h[1-6]|span|br|!doctype)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CC = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
"""Unicode category Cc except tab and newline (CR is folded into LF first)."""
_CONTROL = re.compile(f"[{_CC}]")
_JUNK = re.compile(rf"[{_CC}\ue000-\uf8ff\ud800-\udfff]")
"""Cc, private use (Co) and surrogates (Cs): what binary junk decodes to."""


@dataclass(frozen=True)
class Document:
    """An article ready for the pipeline."""

    text: str
    """Normalized text: NFC, LF line ends, single spaces, at most one blank line in a row."""
    kind: Kind
    """What the input was before normalization."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) to str; binary junk raises :class:`UndecodableInput`."""
    if b"\x00" in data[:8192]:
        raise UndecodableInput("the input looks binary (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableInput(f"the input is not valid UTF-8 (byte {exc.start})") from exc


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:4096]))


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura drops navigation, ads and boilerplate)."""
    import trafilatura

    extracted = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    return extracted or ""


def clean(text: str) -> str:
    """Whitespace and Unicode normalization; idempotent."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", text))
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    return len(_JUNK.findall(sample)) / max(1, len(sample))


def normalize(raw: str | bytes, *, kind: Kind | None = None, max_chars: int | None = None) -> Document:
    """Decode, extract (HTML), clean and bound an article.

    ``kind`` forces the reading; otherwise HTML is detected from its tags.
    """
    text = decode(raw) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    if _control_ratio(text) > 0.05:
        raise UndecodableInput("the input is mostly control characters, not text")
    kind = kind or ("html" if looks_like_html(text) else "text")
    if kind == "html":
        text = html_to_text(text)
    text = clean(text)
    if not text:
        raise EmptyInput("the article is empty" + (" after HTML extraction" if kind == "html" else ""))
    if max_chars is not None and len(text) > max_chars:
        raise InputTooLarge(
            f"the article has {len(text):,} characters; the limit is {max_chars:,}",
            chars=len(text),
            limit=max_chars,
        )
    return Document(text=text, kind=kind)
