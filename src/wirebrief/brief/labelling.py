"""The model's labelling step: labels proposed by code, decided by the model, checked by code.

In one grammar-constrained call per article the model reads each figure's sentence, the figure marked in it, and
the label the rules propose, and writes the figure's ``what`` as an editor would title a table row. What comes
back is checked like prose: its content words must be words of the figure's sentence or paragraph, it may name no
event its clause does not (killed ≠ detained), and it holds no number; a label that fails keeps the rules' label,
with a warning. A larger model behind the openai backend gets better labels for free: the check is the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, create_model

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
    sentence: str
    rules: str


def items(figures: list[Figure]) -> list[Item]:
    """Each figure with its sentence, the figure marked in it (⟦…⟧), and the rules' label."""
    found = []
    for n, f in enumerate(figures, 1):
        at = f.span[0] - f.quote_span[0]
        sentence = f.quote[:at] + _MARK.format(f.raw) + f.quote[at + len(f.raw):]
        found.append(Item(n, f.raw, " ".join(sentence.split()), f.what or "-"))
    return found


def labels_model(n: int) -> type[BaseModel]:
    """The answer's schema: exactly ``n`` labels, in the figures' order, each at most LABEL_CAP characters."""
    label = Annotated[str, StringConstraints(max_length=LABEL_CAP)]
    model: type[BaseModel] = create_model(
        "FigureLabels",
        __doc__="What each figure is about, in the order the figures are listed.",
        what=(list[label], Field(min_length=n, max_length=n, description=(
            "One label per figure, in order: 2 to 8 words of its sentence naming whose figure it is and what it "
            "measures, e.g. 'Fiat share price rise', 'people killed in the quake', 'vehicles recalled by GM'."))),
    )
    return model


def _paragraph(text: str, f: Figure) -> str:
    start = text.rfind("\n", 0, f.quote_span[0]) + 1
    end = text.find("\n", f.quote_span[1])
    return text[start: end if end >= 0 else len(text)]


def refusal(label: str, f: Figure, text: str) -> str | None:
    """Why a model label cannot stand for ``f`` (None: it can): a number in it, a word neither its sentence nor
    its paragraph says, an event its clause does not name, or none of the events its clause and the rules' label
    agree on (the killing of seven militants is not 'individuals linked')."""
    if not label.strip():
        return "it is empty"
    if any(ch.isdigit() for ch in label):
        return "it holds a number"
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
    labels: list[str] = list(getattr(answer, "what", []))
    out, warnings = [], []
    for f, label in zip(figures, labels, strict=False):
        label = " ".join(label.split()).strip(" .,;:")
        why = refusal(label, f, text)
        if why is None and label.lower() != (f.what or "").lower():
            f = f.model_copy(update={"what": label, "label_from": {**f.label_from, "what": "model"}})
        elif why is not None:
            warnings.append(f"kept the rules' label {f.what!r} for {f.raw!r}: the model's {label[:LABEL_CAP]!r} "
                            f"was refused ({why})")
        out.append(f)
    return out + figures[len(out):], warnings


def prompt_variables(figures: list[Figure]) -> dict[str, Any]:
    return {"figures": items(figures)}
