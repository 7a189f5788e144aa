"""Text folded for matching, never for showing: what a disguised word would read as.

The injection guard reads a sentence folded: compatibility forms (full-width letters) to plain ones, format
characters (soft hyphens, zero-width characters) removed, and Cyrillic or Greek look-alikes in a word that is
otherwise Latin ("Ignоre" with a Cyrillic о) read as Latin. A word written wholly in Cyrillic or Greek stays as it
is: "Игнорируй" is Russian, read by the Russian patterns. The table is the look-alikes of Unicode's confusables
list (confusables.txt) that map to one basic Latin letter; a dependency for some forty letters is not worth it.
"""

from __future__ import annotations

import re
import unicodedata

_CONFUSABLE = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y",
    "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I",
    # Greek
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
})
_LOOKALIKES = frozenset(ch for ch in _CONFUSABLE if isinstance(ch, int))
_WORD = re.compile(r"\w+")
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]")
"""Format characters and fillers that show nothing; normalization removes most already (this reads any text)."""


def folded(text: str) -> str:
    """``text`` as a disguised word would read: NFKC, invisible characters out, look-alikes in Latin words
    folded to Latin, lower case. Not the same length as ``text``: match on it, never take spans from it."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return _WORD.sub(_fold_word, text).lower()


def _fold_word(m: re.Match[str]) -> str:
    """A word with a Latin letter and a look-alike is one disguised Latin word; a word without Latin letters is
    another language's (or a look-alike alone in a Latin sentence, an 'о' that must read as 'o': folded too)."""
    word = m.group(0)
    if not any(ord(ch) in _LOOKALIKES for ch in word):
        return word
    has_latin = any("a" <= ch.lower() <= "z" for ch in word)
    all_lookalike = all(ord(ch) in _LOOKALIKES for ch in word if ch.isalpha())
    if has_latin or (all_lookalike and _latin_around(m.string, m.start(), m.end())):
        return word.translate(_CONFUSABLE)
    return word


def _latin_around(text: str, start: int, end: int) -> bool:
    """Whether the words next to a word made only of look-alikes are Latin ('Dear моdеl' spelt all Cyrillic
    in an English sentence)."""
    near = text[max(0, start - 40):start] + text[end:end + 40]
    letters = [ch for ch in near if ch.isalpha()]
    return bool(letters) and sum("a" <= ch.lower() <= "z" for ch in letters) > len(letters) / 2
