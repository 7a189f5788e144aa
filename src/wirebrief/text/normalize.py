"""Input → one normalized text. Every span wirebrief reports is an offset into this text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from wirebrief.errors import EmptyInput, InputTooLarge, UndecodableInput

Kind = Literal["text", "markdown", "html"]

_HTML_HINT = re.compile(r"<(html|body|article|p|div|h[1-6]|span|br|!doctype)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_ZERO_WIDTH = re.compile(
    "[\u00ad\u034f\u061c\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f"
    "\ufeff\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
"""Characters that show nothing and mean nothing to a reader: zero-width characters, the soft hyphen, the
combining grapheme joiner, the invisible operators and separator (U+2061–2064), direction marks (LRM, RLM, ALM),
the Mongolian selectors and vowel separator (U+180B–180F), variation selectors, tag characters, and the bidi
embeddings, overrides and isolates that make a quote display other than it reads. Left in, they cut a number
in two ('1\u2063000' read as 1 and 0) or hide a word from the injection guard; removed, every span points
into text as a reader sees it."""
_ARABIC_SEPARATOR = re.compile(r"(?<=\d)([\u066b\u066c])(?=\d)")
"""The Arabic decimal (U+066B) and thousands (U+066C) separators between digits: read as '.' and ','."""
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\(<?[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*>?(?: \"[^\"\n]*\")?\)")
"""A Markdown link or image, ``[label](target "title")``: its label is article text, its target is not (no
figure '1' from ``javascript:alert(1)``, no markup in labels)."""
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


_UNSEEN = ("//template | //script | //style | //noscript | //*[@hidden] | "
           "//*[translate(@aria-hidden, 'TRUE', 'true') = 'true'] | "
           "//*[contains(translate(@style, 'NOEDISPLAYVIBLTH ', 'noedisplayviblth'), 'display:none') or "
           "contains(translate(@style, 'NOEDISPLAYVIBLTH ', 'noedisplayviblth'), 'visibility:hidden')]")
"""What a browser does not show: templates, scripts, ``hidden`` and ``aria-hidden="true"`` elements, inline
``display:none`` and ``visibility:hidden``. Not article text, and a place to hide instructions."""
_BLOCKS = frozenset("p div br li tr h1 h2 h3 h4 h5 h6 section article blockquote pre header footer main "
                    "figcaption dd dt table ul ol".split())


def html_to_text(html: str) -> str:
    """Main text of an HTML page: trafilatura drops navigation, ads and boilerplate, after what a browser does not
    show is removed. When it finds nothing or little (it drops a one-paragraph page whole), the page's visible
    text is read instead: an article of one paragraph is still an article."""
    import copy

    import trafilatura

    tree = _visible_tree(html)
    if tree is None:
        return ""
    body = _plain_text(copy.deepcopy(tree))
    extracted = trafilatura.extract(tree, include_comments=False, include_tables=False, favor_recall=True) or ""
    if len(extracted.split()) < min(25, len(body.split()) // 2):
        return body
    return extracted


def _visible_tree(html: str) -> Any:
    """The page parsed (a fragment too), without what a browser does not show; None if nothing parses."""
    import lxml.etree  # type: ignore[import-untyped]  # trafilatura's own parser (a dependency of it)
    import lxml.html  # type: ignore[import-untyped]

    try:
        try:
            tree = lxml.html.document_fromstring(html)
        except ValueError:  # a str that declares its encoding
            tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"))
    except (lxml.etree.ParserError, ValueError):
        return None
    for element in tree.xpath(_UNSEEN):
        if element.getparent() is not None:
            element.drop_tree()
    return tree


def _plain_text(tree: Any) -> str:
    """The text of a parsed page's body, a line per block."""
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    body = tree.find("body")
    return str((body if body is not None else tree).text_content())


def clean(text: str) -> str:
    """Whitespace and Unicode normalization; idempotent. Invisible characters go first (one between ESC and '['
    would otherwise leave a '[31m' behind), and NFC last of the removals (what they leave may compose)."""
    text = _ANSI.sub("", _ZERO_WIDTH.sub("", text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _without_link_targets(_CONTROL.sub("", text))
    text = unicodedata.normalize("NFC", _ARABIC_SEPARATOR.sub(lambda m: "." if m[1] == "\u066b" else ",", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _without_link_targets(text: str, passes: int = 8) -> str:
    """Markdown links and images replaced by their labels; a link inside a label is one more pass (bounded: a
    60 KB nest of brackets costs a few scans, not one per level)."""
    for _ in range(passes):
        text, n = _MARKDOWN_LINK.subn(r"\1", text)
        if not n:
            break
    return text


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
