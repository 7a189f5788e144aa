"""The model's labelling step: labels proposed by code, decided by the model, checked by code.

In one grammar-constrained call per article the model reads each figure's sentence (once, with all its figures
marked and numbered) and the label the rules propose, and writes the figure's ``what`` under its number, as an
editor would title a table row. What comes back is checked like prose: its content words must be words of the
figure's sentence or paragraph, it may name no event its clause does not (killed ≠ detained), and it holds no
number; a label that fails keeps the rules' label, with a warning. A larger model behind the openai backend gets
better labels for free: the check is the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from wirebrief.brief.schema import Figure
from wirebrief.figures import lexicon
from wirebrief.figures.claims import clause_around

LABEL_CAP = 60
"""Characters of one model label: a table row's title, not a sentence."""
_MARK = "⟦{}⟧"


@dataclass(frozen=True)
class Item:
    """One figure as the prompt shows it."""

    n: int
    raw: str
    rules: str


@dataclass(frozen=True)
class Passage:
    """A sentence, shown once, with each of its figures marked by its number (⟦3: 27⟧), and those figures."""

    sentence: str
    figures: list[Item]


def passages(figures: list[Figure]) -> list[Passage]:
    """The figures' sentences, each once and in the figures' order, every figure marked in its sentence with its
    number in the list: a sentence of five figures costs the prompt its tokens once, not five times."""
    groups: dict[tuple[int, int], list[tuple[int, Figure]]] = {}
    for n, f in enumerate(figures, 1):
        groups.setdefault(f.quote_span, []).append((n, f))
    found = []
    for members in groups.values():
        quote, start = members[0][1].quote, members[0][1].quote_span[0]
        marked, at = [], 0
        for n, f in sorted(members, key=lambda m: m[1].span):
            a, b = f.span[0] - start, f.span[1] - start
            if a < at or b > len(quote):
                continue  # overlapping marks: the figure is listed, unmarked
            marked += [quote[at:a], _MARK.format(f"{n}: {quote[a:b]}")]
            at = b
        marked.append(quote[at:])
        found.append(Passage(" ".join("".join(marked).split()),
                             [Item(n, f.raw, f.what or "-") for n, f in members]))
    return found


def labels_model(n: int) -> type[BaseModel]:
    """The answer's schema: one label per figure under the figure's number as its key ("1", "2", …), each at most
    LABEL_CAP characters. A plain list let a small model skip one and shift every later label onto the next
    figure (seen on a seed: the 66 operations labelled as the 11 deaths); a key ties each label to its figure."""
    label = Annotated[str, StringConstraints(max_length=LABEL_CAP)]
    fields: dict[str, Any] = {f"label_{k}": (label, Field(alias=str(k))) for k in range(1, n + 1)}
    model: type[BaseModel] = create_model(
        "FigureLabels",
        __doc__=("What each figure is about, under its number: 2 to 8 words of its sentence naming whose figure it "
                 "is and what it measures, e.g. 'Fiat share price rise', 'people killed in the quake'."),
        # No other key: the grammar built from the schema then ends the object after the last label (seen: the
        # embedded model went on with '"who":…,"what_happened":…' keys until max_tokens, on four seeds in five).
        __config__=ConfigDict(extra="forbid", populate_by_name=True),
        **fields,
    )
    return model


def labels_of(answer: BaseModel) -> list[str]:
    """The answer's labels in the figures' order."""
    return [getattr(answer, f"label_{k}") for k in range(1, len(type(answer).model_fields) + 1)]


def _paragraph(text: str, f: Figure) -> str:
    start = text.rfind("\n", 0, f.quote_span[0]) + 1
    end = text.find("\n", f.quote_span[1])
    return text[start: end if end >= 0 else len(text)]


def refusal(label: str, f: Figure, text: str) -> str | None:
    """Why a model label cannot stand for ``f`` (None: it can): a number in it, no word at all, a word neither its
    sentence nor its paragraph says, an event its clause does not name, or none of the events its clause and the
    rules' label agree on (the killing of seven militants is not 'individuals linked')."""
    if not label.strip():
        return "it is empty"
    if any(ch.isdigit() for ch in label):
        return "it holds a number"
    if not any(w not in lexicon.STOP and len(w) > 1 for w in lexicon.words(label)):
        return "it names nothing"  # '}', 'the', a stray mark of the grammar
    allowed = lexicon.content(_paragraph(text, f)) | lexicon.content(f.quote)
    foreign = sorted(w for w in lexicon.words(label) if w not in lexicon.STOP and len(w) > 1
                     and lexicon.stem(w) not in allowed)
    if foreign:
        return f"its sentence does not say {', '.join(foreign)}"
    at = f.span[0] - f.quote_span[0]
    clause = clause_around(f.quote, at, at + len(f.raw))
    other = lexicon.events(label) - lexicon.events(clause) - lexicon.events(f.what)
    if other:
        return f"it names another event ({', '.join(sorted(other))})"
    kept = lexicon.events(f.what) & lexicon.events(clause)
    if kept and not kept & lexicon.events(label):
        return f"it drops the event its sentence gives ({', '.join(sorted(kept))})"
    return None


def apply(figures: list[Figure], answer: BaseModel, text: str) -> tuple[list[Figure], list[str]]:
    """The figures with the model's labels that pass the checks (``label_from['what'] = 'model'``), the rest as the
    rules made them; a warning for each refused label."""
    labels = labels_of(answer)
    out, warnings = [], []
    for f, label in zip(figures, labels, strict=False):
        label = " ".join(_without_figure(label, f.raw).split()).strip(" .,;:")
        why = refusal(label, f, text)
        if why is None and label.lower() != (f.what or "").lower():
            f = f.model_copy(update={"what": label, "label_from": {**f.label_from, "what": "model"}})
        elif why is not None:
            warnings.append(f"kept the rules' label {f.what!r} for {f.raw!r}: the model's {label[:LABEL_CAP]!r} "
                            f"was refused ({why})")
        out.append(f)
    return out + figures[len(out):], warnings


def _without_figure(label: str, raw: str) -> str:
    """The label without the figure itself, which a model often writes first ('over 9,000 ISIS detainees held'):
    the row already shows the value."""
    return re.sub(rf"(?<!\w){re.escape(raw)}(?!\w)", " ", label, count=1, flags=re.IGNORECASE) if raw else label


def unsure(f: Figure) -> bool:
    """A figure whose rules' ``what`` is missing or one word ('Fiat' for 'Fiat is to get 1bn euros'): the ones the
    embedded model is asked about. Of the dev set's and seeds' matched figures, the rules' one-word labels agree
    with the gold 28 times in 37, their longer ones 150 in 168; and the model's labels measured worse than the
    rules' longer ones."""
    return len(lexicon.words(f.what or "")) <= 1


def prompt_variables(figures: list[Figure]) -> dict[str, Any]:
    return {"passages": passages(figures), "count": len(figures)}
