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
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
"""Zero-width characters, and the bidi embeddings, overrides and isolates that make a quote display other
than it reads (U+202A–202E, U+2066–2069)."""
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
"""Terminal escape sequences (CSI such as colours, OSC such as titles, two-character escapes): removed whole,
so that ``ESC[31m`` leaves no ``[31m`` (and no figure 31) behind."""
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


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16/32 told by a BOM or by the NULs of mostly-ASCII UTF-16, to str;
    binary junk raises :class:`UndecodableInput`."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)
    if encoding is not None and encoding != "utf-8-sig":
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise UndecodableInput(f"the input looks like {encoding.upper()} but does not decode as it "
                                   f"(byte {exc.start})") from exc
    if b"\x00" in data[:8192]:
        raise UndecodableInput("the input looks binary (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableInput(f"the input is not valid UTF-8 (byte {exc.start})") from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly-ASCII text has a NUL in every other byte (even bytes: big-endian, odd: little)."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.9 * half and even <= 0.1 * half:
        return "utf-16-le"
    if even >= 0.9 * half and odd <= 0.1 * half:
        return "utf-16-be"
    return None


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:4096]))


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura drops navigation, ads and boilerplate)."""
    import trafilatura

    extracted = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    return extracted or ""


def clean(text: str) -> str:
    """Whitespace and Unicode normalization; idempotent."""
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
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
    text = _ANSI.sub("", text)  # before the junk test: a coloured terminal capture is text, not binary
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


def script_warning(text: str) -> str | None:
    """For an article where no figure was found: a warning when most of its letters are in a script other than
    Latin (the number finder reads digits and English number words; numerals written in another script's
    words or characters may be missed), else None."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text[:20_000]:
        if ch.isalpha():
            letters += 1
            script = unicodedata.name(ch, "?").split(" ")[0]
            counts[script] = counts.get(script, 0) + 1
    if not letters:
        return None
    script, n = max(counts.items(), key=lambda item: item[1])
    if script == "LATIN" or n < letters / 2:
        return None
    name = script if len(script) <= 3 else script.title()  # CJK, Cyrillic, Arabic…
    return (f"no figures were found, and the article is written mostly in {name} script: numbers "
            "written in its words or characters may not be read (digits and English number words are)")
