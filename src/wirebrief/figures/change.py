"""Which way a figure moved, and from what: ``change`` (up/down) and ``baseline`` (the from-value), read off the
parse and the words around the number, after CQE's change rules.

A figure states a change when the text says it moved: a verb of movement governs it ('shares rose 6.5%', 'grew
by 125,600', 'lost 1.1%'), a noun of movement measures it ('a rise of 14.8%', 'a 5% increase'), ``up``/``down``
stand before it ('up 19 cents', 'down 9.2%'), or its sign says it in a market line ('Dow +0.2%'). A level the
text gives only as where a movement ended ('fell to 49.55Hz') carries the direction when the sentence gives no
amount of change; beside an amount ('rose 6.5% to 164p') the level is just a level. The baseline is the value a
changed figure moved from: 'from 20 to 29 mpg', 'up from 5.4%', 'compared with £2.1bn a year earlier'. Nothing
here is inferred from values alone: two numbers in one sentence are not a change unless the words say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from wirebrief.figures.mention import NumberMention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

Direction = Literal["up", "down"]

RISE_VERBS = {"rise", "increase", "grow", "gain", "climb", "jump", "surge", "soar", "advance", "rally", "boost",
              "raise", "lift", "expand", "double", "triple", "rocket", "spike", "rebound", "recover", "swell",
              "widen", "accelerate", "improve", "balloon", "leap", "hike", "mount", "top"}
FALL_VERBS = {"fall", "drop", "decline", "decrease", "slide", "slip", "shrink", "plunge", "plummet", "tumble",
              "sink", "cut", "reduce", "lower", "slump", "dip", "ease", "shed", "retreat", "crash", "collapse",
              "halve", "contract", "dive", "tank", "erode", "narrow", "slow", "lose", "trim", "downgrade"}
RISE_NOUNS = {"rise", "increase", "growth", "gain", "jump", "surge", "hike", "boost", "rebound", "upturn", "climb",
              "improvement", "uplift", "rally"}
FALL_NOUNS = {"fall", "drop", "decline", "decrease", "cut", "reduction", "slump", "dip", "downturn", "contraction",
              "slide", "plunge"}
PAST_FORMS = {"rose", "risen", "fell", "grew", "grown", "lost", "sank", "shrank", "slid", "dove", "leapt", "swung",
              "went", "gone"}
"""Past forms of the verbs of movement that their stem does not start: 'rose from 5% to 10%'."""
_LOSE_ONLY = {"lose", "top"}
"""Verbs of movement only for a share or points ('lost 1.1%', 'lost 162 points'); 'lost $5m' is a loss."""
_FALLING_WEATHER = {"rain", "rainfall", "snow", "snowfall", "hail", "sleet", "precipitation", "ash", "meteorite"}
_NEUTRAL_CHANGE = {"change", "move", "revise", "shift", "adjust", "go", "creep", "swing"}
"""Verbs that say a figure moved but not which way: the values of 'from X to Y' do."""

_MOVED_WITH_A_PARTICLE = {"shoot", "go", "push", "drive", "mark", "bid", "jack", "ramp", "tick", "edge", "inch",
                          "creep", "move", "drift", "come", "bring", "force", "send", "pull", "knock", "revise",
                          "price", "trade", "nudge", "ratchet", "scale", "tip", "head", "bump", "notch", "talk",
                          "spike", "trend"}
"""Verbs whose 'up' or 'down' moves a figure ('shot up 7%', 'revised down to 2%'); 'signed up', 'set up', 'picked
up', 'laid off' and 'stepped down' move nothing."""
_PARTICLE_MOVERS = _MOVED_WITH_A_PARTICLE | RISE_VERBS | FALL_VERBS

_WORD_BEFORE = re.compile(r"\b(up|down|higher|lower)(?:\s+by)?\s*\Z", re.IGNORECASE)
_WORD_AFTER = re.compile(r"\s*(higher|lower|up|down)\b(?!\s+(?:from|to)\b)", re.IGNORECASE)
_FROM_AFTER = re.compile(r"\A(?:\s+(?:in|on|at|by|for|during|over|last|this)\s+[\w ]{1,24}?)?[\s,]*(up|down)\s+"
                         r"from\s+\Z", re.IGNORECASE)  # '7.6 million in September, up from 7.4 million': past its date
_TIME_AFTER = re.compile(r"[^.;]{0,12}?\b(?:a\s+year\s+(?:earlier|ago|before)|last\s+year|the\s+previous\s+"
                         r"(?:year|quarter|month)|the\s+same\s+(?:period|quarter|month|time)|previously|in\s+(?:19|20)"
                         r"\d\d|a\s+(?:month|quarter|week)\s+(?:earlier|ago))", re.IGNORECASE)
_COMPARED = re.compile(r"(?:compared\s+(?:with|to)|against|versus|vs\.?)\s+\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Movement:
    change: Direction | None = None
    baseline: float | None = None
    baseline_of: int | None = None
    """The candidate id whose value is the baseline (its figure is the from-value)."""


def _direction(word: Token) -> Direction | None:
    lemma = word.lemma_.lower()
    particle = next((c.lower_ for c in word.children if c.dep_ == "prt" and c.lower_ in ("up", "down")), None)
    if particle is not None and word.pos_ == "VERB" and lemma in _PARTICLE_MOVERS:
        return "up" if particle == "up" else "down"  # 'shot up', 'went down'; not 'signed up', 'set up'
    if word.pos_ in ("VERB", "AUX") and lemma in RISE_VERBS:
        return "up"
    if word.pos_ in ("VERB", "AUX") and lemma in FALL_VERBS:
        return "down"
    if word.pos_ == "NOUN" and lemma in RISE_NOUNS:
        return "up"
    if word.pos_ == "NOUN" and lemma in FALL_NOUNS:
        return "down"
    return None


def _a_particle_moving_nothing(span: Span, at: int) -> bool:
    """The 'up' before a figure belongs to a verb that moves nothing: 'set up 30 shops', 'picked up 12 suspects'."""
    word = span.doc.char_span(at, at + 2, alignment_mode="expand")
    tok = word[0] if word is not None and len(word) else None
    return tok is not None and tok.dep_ == "prt" and tok.head.lemma_ not in _PARTICLE_MOVERS


def movement_of(noun: Token) -> Token | None:
    """The noun of movement a noun is the object of: 'rise' for 'spending' in 'a rise in spending of 14.8%'."""
    prep = noun.head
    if noun.pos_ == "NOUN" and noun.dep_ == "pobj" and prep.lower_ in ("in", "of") and prep.head.pos_ == "NOUN" \
            and prep.head.lemma_.lower() in RISE_NOUNS | FALL_NOUNS:
        return prep.head
    return None


def _root(number: Token, span: Span) -> Token:
    """The token the figure hangs from the clause by: past its own words ('%', 'billion', 'cents', '$')."""
    tok = number
    while tok.head.i != tok.i and (tok.head.i in range(span.start, span.end) or tok.dep_ in
                                   ("nummod", "compound", "quantmod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN",
                                                                                                    "NUM", "SYM")):
        if tok.head.pos_ in ("VERB", "AUX"):
            break
        tok = tok.head
    return tok


def _governor(root: Token) -> tuple[Token | None, str]:
    """The verb or noun of movement the figure is the amount of, and how: 'amount' (object, 'by' …), 'level'
    (after 'to'), 'from' (after 'from')."""
    head = root.head
    if head.i == root.i:
        return None, ""
    if root.dep_ == "pobj" and head.pos_ == "ADP":
        prep, gov = head.lower_, head.head
        if prep == "of" and gov.pos_ == "NOUN":
            return gov, "amount"  # 'a rise of 14.8%'
        if prep == "by":
            return gov, "amount"
        if prep == "to":
            return gov, "level"
        if prep == "from":
            return gov, "from"
        return None, ""
    if root.dep_ == "npadvmod" and head.pos_ in ("ADP", "ADV") and head.head.i != head.i:
        return head.head, "amount"  # '0.8% after the fire' hangs off 'after', the verb is above it
    if root.dep_ in ("dobj", "npadvmod", "attr", "oprd", "advmod", "nsubj", "dative", "acomp"):
        return head, "amount"
    if root.dep_ in ("compound", "nummod", "amod", "nmod") and head.pos_ == "NOUN":
        return head, "amount"  # 'a 5% rise'
    return None, ""


def _has_amount(verb: Token, but: Token) -> bool:
    """The verb also takes an amount of change other than ``but`` ('rose 6.5% to 164p')."""
    for child in verb.children:
        if child.i == but.i:
            continue
        if child.dep_ in ("dobj", "npadvmod") and any(t.like_num for t in child.subtree):
            return True
        if child.dep_ == "prep" and child.lower_ == "by" and any(t.like_num for t in child.subtree):
            return True
    return False


def _not_moved(text: str, m: NumberMention, gov: Token, root: Token) -> bool:
    """A verb of movement that moves no figure here: 'lost $5m' is a loss, 'has raised 280 million shekels' is money
    raised ('raised prices by 5p', 'raised its stake 5%' move them), '150mm of rain fell' is rain."""
    verb, share = gov.lemma_.lower(), m.kind == "percent" or "point" in text[m.end:m.end + 8]
    if verb == "fall" and not share and any(w.lemma_.lower() in _FALLING_WEATHER for w in gov.subtree):
        return True  # '150mm of rain fell in 24 hours': rain that fell, not a fall
    raised = verb == "raise" and root.head.i == gov.i and root.dep_ in ("dobj", "npadvmod")
    return (verb in _LOSE_ONLY or raised) and not share


def _level_after_to(text: str, m: NumberMention, role: str) -> str:
    """'fell by 1.2% to £285,000', which the parse reads as one object of 'by': the level it fell to."""
    return "level" if role == "amount" and re.search(r"\bto\s+\Z", text[max(0, m.start - 4):m.start]) else role


def direction(text: str, m: NumberMention, number: Token, span: Span) -> Direction | None:
    """Up or down when the text says the figure moved, else None."""
    if (m.raw.startswith("+") or text[max(0, m.start - 1):m.start] == "+") and m.kind in ("percent", "money"):
        return "up"
    if m.raw[:1] in "-−" and m.kind == "percent" and re.search(r"[A-Z)\d]\s*\Z", text[max(0, m.start - 3):m.start]):
        return "down"  # a market line: 'FTSE -0.6%'
    if _FROM_AFTER.match(text[m.end:m.end + 16]) is None and (before := _WORD_BEFORE.search(
            text, max(0, m.start - 12), m.start)) and not _a_particle_moving_nothing(span, before.start(1)):
        return "up" if before.group(1).lower() in ("up", "higher") else "down"
    if after := _WORD_AFTER.match(text, m.end, min(len(text), m.end + 10)):
        if m.kind in ("percent", "money"):
            return "up" if after.group(1).lower() in ("up", "higher") else "down"
    root = _root(number, span)
    if root.pos_ == "NOUN" and root.i not in range(span.start, span.end) and (way := _direction(root)):
        return way  # 'a 10% increase': the figure modifies the noun of movement itself
    gov, role = _governor(root)
    if gov is None or role == "from":
        return None
    role = _level_after_to(text, m, role)
    way = _direction(gov)
    if way is None and (moved := movement_of(gov)) is not None:
        way = _direction(moved)  # 'a rise in spending of 14.8%'
    if way is None:
        return None
    if _not_moved(text, m, gov, root):
        return None
    if role == "level" and gov.pos_ in ("VERB", "AUX") and _has_amount(gov, root):
        return None
    return way


def _pairs(text: str, candidates: list[NumberMention]) -> list[tuple[NumberMention, NumberMention, str]]:
    """(from, to, how) for 'from X to Y' or 'to Y from X' with a word of movement before it, 'Y, up/down from X',
    and 'Y compared with X a year earlier'."""
    found = []
    for a, b in zip(candidates, candidates[1:], strict=False):
        between = text[a.end:b.start]
        if len(between) > 40 or "\n" in between or a.kind != b.kind and not (b.kind == "count" and b.unit is None):
            continue  # 'from 21 mpg combined to 23': a bare to-value measures what the from-value does
        if re.fullmatch(r"\s*(?:\S+\s+){0,2}?to\s+", between) and re.search(r"\bfrom\s+\Z", text[max(0, a.start - 6):
                                                                                                a.start]):
            found.append((a, b, "from"))
        elif re.fullmatch(r"\s*,?\s*from\s+", between) and re.search(r"\bto\s+\Z", text[max(0, a.start - 4):
                                                                                              a.start]):
            found.append((b, a, "from"))  # 'cut its forecast to 2.1% from 2.5%'
        elif _FROM_AFTER.match(between):
            found.append((b, a, "upfrom"))
        elif _COMPARED.search(between) and _TIME_AFTER.match(text, b.end):
            found.append((b, a, "compared"))
    return found


MOVEMENT_WORD = re.compile(
    rf"\b(?:{'|'.join(sorted(RISE_VERBS | FALL_VERBS | _NEUTRAL_CHANGE | RISE_NOUNS | FALL_NOUNS | PAST_FORMS))})\w*\b"
    r"|\bupward|\bdownward", re.IGNORECASE)


def moved_before(text: str, pos: int) -> bool:
    """Whether the clause before ``pos`` has a word of movement ('rose from 5% to 9%', not 'priced from …')."""
    return MOVEMENT_WORD.search(re.split(r"[.;!?]\s", text[max(0, pos - 90):pos])[-1]) is not None


def movements(text: str, candidates: list[NumberMention], directions: dict[int, Direction | None]) -> dict[
        int, Movement]:
    """Change and baseline of every candidate, by id: the directions read one by one, and the baselines of the
    pairs the words link ('from 350 to 400' after 'increase': 400 from 350, up)."""
    moved = {i: Movement(change=d) for i, d in directions.items() if d is not None}
    for base, figure, how in _pairs(text, sorted(candidates, key=lambda c: c.start)):
        if how == "from":
            if not moved_before(text, base.start):
                continue  # 'priced from RM120,000 to RM300,000' is a range, not a change
        way = directions.get(figure.id)
        if how == "upfrom":
            word = _FROM_AFTER.match(text[figure.end:base.start])
            way = "up" if word and word.group(1).lower() == "up" else "down"
        if way is None and base.value != figure.value:
            way = "up" if figure.value > base.value else "down"
        moved[figure.id] = Movement(change=way, baseline=base.value, baseline_of=base.id)
        if how == "from" and directions.get(base.id) is not None:
            moved[base.id] = Movement()  # the from-value did not move itself
    return moved
