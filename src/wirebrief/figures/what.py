"""What a figure is about, read off the parse: the counted noun phrase and the event that governs it, the thing an
amount measures, whose figure it is (the clause's subject, a possessor, the antecedent of 'which' or of a pronoun),
what a verb moved, and a market line's index. Called by :mod:`wirebrief.figures.labels` for every candidate."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wirebrief.figures import lexicon
from wirebrief.figures.change import movement_of
from wirebrief.figures.mention import NumberMention
from wirebrief.figures.parse import is_named, noun_phrase, sentence_of
from wirebrief.figures.source import SOURCE_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

LIGHT_VERBS = {"be", "have", "include", "involve", "remain", "make", "take", "reach", "see", "total", "get", "put",
                "stand", "give", "do", "come", "go", "show", "say", "add", "bring", "mean", "become", "hit", "leave",
                "represent", "account", "compare", "expect"}


GENERIC = {"figure", "number", "total", "level", "tally", "count", "estimate", "amount", "sum"}
"""Nouns that stand for a number, not a thing: 'the 169,000 figure', 'the number of jobs'."""




ANAPHORS = {"other", "more", "one", "many", "those", "some", "few", "these", "them", "all"}


_MARKET_NAME = re.compile(r"(?:^|(?<=[\s:;,(]))((?:[A-Z][\w&.]*)(?:[ ](?:[A-Z][\w&.]*|\d+))*)[ ]?[+]?\Z")


def market_name(text: str, m: NumberMention) -> str | None:
    """A signed move in a market line is the index's or the share's it follows: 'Dow +0.2%', 'Stoxx 50 -1.3%'."""
    signed = m.raw[:1] in "+-−" or text[max(0, m.start - 1):m.start] == "+"
    found = _MARKET_NAME.search(text, max(0, m.start - 30), m.start) if signed else None
    return meaningful(found.group(1)) if found else None  # a label holds no number: "S&P 500" → "S&P"


_SUBJECT_DEPS = ("nsubj", "nsubjpass")


def subject_of(number: Token, span: Span) -> Token | None:
    """The entity a figure belongs to when it is not the thing counted: the subject of its clause ('Fiat's shares
    rose 4.5%', 'Turkey … owing $23bn'), through a clause that has none of its own ('having increased by $43.6bn'
    takes 'the US trade deficit'), or the antecedent of 'which' ('The Aviator, which has taken $90m'); first, the
    figure's own possessor ('the iPhone's 3687 mAh')."""
    owner = next((c for c in span.root.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    if owner is not None and owner.i < span.start:
        return owner  # 'the iPhone 12 Pro Max's 3687 mAh': the figure's own owner, whatever the clause is about
    found = clause_subject(number)
    if found is None:
        return None
    verb, subject = found
    if subject.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
        subject = verb.head
    if subject.lower_ in _PRONOUNS:
        resolved = None if _quoted(subject) else _antecedent_subject(verb) or _subject_before(subject)
        if resolved is None:
            return None
        subject = resolved
    if not _names_a_thing(subject) or any(
            t.i in range(span.start, span.end) for t in subject.doc[subject.left_edge.i:subject.i + 1]):
        return None
    return subject


def clause_subject(number: Token) -> tuple[Token, Token] | None:
    """The verb of a figure's clause and its subject as the parse gives it (a pronoun unresolved), through clauses
    that have none of their own; None when no clause up the tree has one."""
    tok = number
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    verb = tok if tok.pos_ in ("VERB", "AUX") else None
    for _ in range(3):
        if verb is None:
            return None
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            return verb, subject
        if verb.dep_ not in ("advcl", "xcomp", "conj", "ccomp", "pcomp") or verb.head.i == verb.i:
            return None
        verb = verb.head
        if verb.pos_ == "ADP" and verb.dep_ == "prep":  # 'up nearly 57% after plummeting 65%': the clause the
            verb = verb.head  # participle's 'after' hangs on, through the word it qualifies ('up')
            if verb.pos_ in ("ADV", "ADJ") and verb.dep_ in ("advmod", "acomp"):
                verb = verb.head
            if verb.pos_ not in ("VERB", "AUX"):
                return None
    return None


_PRONOUNS = {"it", "he", "she", "they"}
_DASHES = ("—", "–", "-", ":")
_BODIES = {w for w in SOURCE_NOUNS if not lexicon.is_person(w)}
"""Common nouns for a body that 'it' can stand for when it says something of itself: the sources that are not
persons ('The company said it has')."""


def _names_a_thing(token: Token) -> bool:
    """A noun, a name, or a word the parser tags otherwise but knows as a named entity ('OHSU has performed')."""
    return token.pos_ in ("NOUN", "PROPN") or is_named(token) and token.pos_ not in ("PRON", "DET")


def _quoted(token: Token) -> bool:
    """Inside a direct quotation: an open quote mark before it in its sentence ('"If a bid is going to emerge it is
    likely in the next two weeks," said analyst Mark Pervan': 'it' is not the analyst)."""
    before = str(token.doc.text[sentence_of(token).start_char:token.idx])
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _antecedent_subject(verb: Token) -> Token | None:
    """What 'it' / 'he' / 'they' stands for when the clause is said by or of a named subject above it: 'Apple
    said it sold 5m iPhones', 'Musk uses his account, where he has 80m followers', 'British Airways is expected to
    announce it will suspend 36,000 staff'. Only a subject of an enclosing clause is taken, never a noun beside."""
    tok = verb
    for _ in range(4):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            subject = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
            if subject is not None and subject.lower_ not in _PRONOUNS:
                body = subject.pos_ == "NOUN" and subject.lemma_.lower() in _BODIES  # 'The company said it has'
                return subject if subject.pos_ == "PROPN" or is_named(subject) or body else None
    return None


def _subject_before(pronoun: Token) -> Token | None:
    """What 'It' opening a sentence stands for: the organisation that was the subject of the sentence before ('US
    Airways filed for bankruptcy. It is looking for paycuts totalling $800m'); none when that subject is two."""
    sent = sentence_of(pronoun)
    if pronoun.lower_ != "it" or pronoun.i != sent.start or sent.start == 0:
        return None
    prev = sentence_of(pronoun.doc[sent.start - 1])
    subject = next((t for t in prev if t.dep_ in _SUBJECT_DEPS and t.head.dep_ == "ROOT"), None)
    if subject is None or subject.ent_type_ != "ORG" or any(c.dep_ == "conj" for c in subject.children):
        return None
    return subject


def with_subject(what: str | None, number: Token, span: Span) -> str | None:
    """``what`` led by the entity the figure belongs to, when the sentence names one and ``what`` does not yet:
    'shares rose' → 'Fiat shares rose', 'deficit' → 'US trade deficit'. At most eight words."""
    subject = subject_of(number, span)
    if subject is None or subject.lemma_.lower() in GENERIC | ANAPHORS:
        return what
    both = _named_line(subject)
    phrase = meaningful(" ".join(_possessed(t) for t in both))  # 'Walmart — Shares of the retail giant rose',
    # 'Peabody Energy — Shares of the major coal producer slid' (a line's name, then its subject)
    if not phrase:
        return what
    named, said = phrase.split(), (what or "").split()
    names = {w.lower() for w in named}
    if names <= {w.lower() for w in said}:
        return what
    rest = [w for w in said if w.lower() not in names]  # the name kept whole: 'Bank of England', not 'of England Bank'
    joined = [*named, *rest] if subject.i < number.i else [*rest, *named]
    return " ".join(joined[:8])


_SAYING = {"say", "tell", "report", "believe", "think", "expect", "plan", "want", "admit", "claim", "agree"}
_VAGUE_NOUNS = {"sort", "kind", "type", "form", "lot", "range", "number", "piece", "bit"}


def with_reported(what: str | None, number: Token, span: Span) -> str | None:
    """A share of people who say something counts what they say they do: '69% of over-55s say they always vote
    in a general election' → 'over-55s vote general election'; '22% said they would be buying some sort of
    wireless device' → 'buying wireless device'."""
    root = number
    while root.head.i != root.i and root.head.i in range(span.start, span.end + 1) and root.dep_ != "nsubj":
        root = root.head
    if root.dep_ == "appos":
        root = root.head
    verb = root.head
    if root.dep_ != "nsubj" or verb.lemma_ not in _SAYING:
        return what
    done = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if done is not None and done.lemma_ == "be" and (named := _named_as(done)) is not None:
        return " ".join([*(what or "").split(), *named.split()][:8])  # 'said a camera would be their top purchase'
    for _ in range(3):
        if done is None or done.lemma_ not in LIGHT_VERBS | {"would", "will"}:
            break
        done = next((c for c in done.children if c.dep_ in ("xcomp", "acomp", "ccomp") and c.pos_ in ("VERB", "ADJ")),
                    None)
        if done is not None and done.pos_ == "ADJ":
            done = next((c for c in done.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if done is None or done.pos_ != "VERB":
        return what
    obj = next((c for c in done.children if c.dep_ == "dobj"), None)
    if obj is None:
        prep = next((c for c in done.children if c.dep_ == "prep"), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is not None and obj.lemma_.lower() in _VAGUE_NOUNS:
        of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    said = [str(done.text)] + ([noun_phrase(obj)] if obj is not None and obj.pos_ in ("NOUN", "PROPN") else [])
    return " ".join([*(what or "").split(), *said][:8])


def _named_as(be: Token) -> str | None:
    """What people say something is: 'a digital camera would be their top gadget purchase' → 'digital camera top
    gadget purchase'."""
    subject = next((c for c in be.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None)
    attr = next((c for c in be.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
    return f"{noun_phrase(subject)} {noun_phrase(attr)}" if subject is not None and attr is not None else None


def _owned(noun: Token) -> str:
    """A counted noun with its possessor: 'two of Johnson's deputies' → 'Johnson deputies'."""
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    return f"{noun_phrase(owner)} {noun_phrase(noun)}" if owner is not None else noun_phrase(noun)


def _named_line(subject: Token) -> list[Token]:
    """The subject, and the name a market line opens with before a dash ('Walmart — Shares of the retail giant
    rose', however the parse hangs the name), or the subject's apposition after one ('Peabody Energy — Shares of
    the major coal producer slid')."""
    doc = subject.doc
    both = [c for c in subject.head.children if c.dep_ in _SUBJECT_DEPS and c.pos_ in ("NOUN", "PROPN")]
    if len(both) == 2 and subject.head.i != subject.i and both[0].nbor(1).text in _DASHES:
        return both
    lead = doc[subject.left_edge.i - 1] if subject.left_edge.i > 0 else None
    if lead is not None and lead.text in _DASHES and lead.i > 0 and doc[lead.i - 1].pos_ == "PROPN":
        return [doc[lead.i - 1], subject]
    return [subject, *(c for c in subject.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")
                       and doc[c.left_edge.i - 1].text in _DASHES)]


def _possessed(noun: Token) -> str:
    """A noun with its possessor and its 'of' object: 'Fiat's shares' → 'Fiat shares', 'the population of earth'
    → 'population of earth'."""
    words = [_owned(noun)]
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    obj = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None) if of else None
    if of is not None and obj is not None and not obj.like_num:
        words += [str(of.text), noun_phrase(obj)]
    return " ".join(words)


def what_of(number: Token, noun: Token | None, own: Token | None, span: Span) -> str | None:
    """The counted noun phrase and the event that governs it: 'ISIS operatives elimination', 'vehicles
    recalled'; for money and percentages the thing measured: 'pre-tax profit', 'sales rose', 'stake'; for a
    duration what lasts it: 'a five-year alliance' → 'alliance'."""
    if noun is not None and noun.lemma_.lower() in lexicon.TIME_NOUNS and (lasting := _lasting(noun)):
        return lasting
    if noun is not None and (phrase := meaningful(_owned(noun))):
        parts = [phrase]
        event = _event(own if own is not None else number, span) or next(
            (verb_words(c) for c in noun.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"
             and c.lemma_ not in LIGHT_VERBS), None)  # 'the number of jobs created … to 139,000
        if event is not None and event.lower() not in parts[0].lower():
            parts.append(event)
        return " ".join(parts)
    for found in (_measured(_past_symbols(span.root), span), _event(number, span), _nearest_chunk(span)):
        if words := meaningful(found):
            return words
    return None


_DURING = {"for", "within", "over", "after"}


def _lasting(time: Token) -> str | None:
    """What a duration is the length of: what it modifies ('a five-year alliance', 'a new three year funding
    programme'), what it is of ('three hours of extra sport'), or what a verb says lasted it ('would serve for 12
    years', 'to follow within 90 days', 'has been out of action for nearly three months')."""
    of = next((c for c in time.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of is not None else None
    if obj is not None:
        return meaningful(noun_phrase(obj))
    head = time.head
    if time.dep_ in ("compound", "nmod", "amod", "npadvmod") and head.pos_ == "NOUN" and head.i > time.i:
        return meaningful(" ".join(w for w in noun_phrase(head).split() if w.lower() != time.lower_))
    if time.dep_ == "pobj" and head.lower_ == "in" and (since := _since(head.head)) is not None:
        return since
    if time.dep_ != "pobj" or head.lower_ not in _DURING or head.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = head.head
    if verb.lemma_ not in LIGHT_VERBS:
        return verb_words(verb)
    state = next((c for c in verb.children if c.dep_ in ("prep", "acomp") and c.i > verb.i
                  and c.i < head.i and c.lower_ not in _DURING), None)
    return str(time.doc[state.i:state.right_edge.i + 1].text) if state is not None and \
        state.right_edge.i - state.i <= 3 else None


def _since(gov: Token) -> str | None:
    """What a span after a superlative is the time since: 'attracted the highest audience in four years' →
    'highest audience'; 'grew slower than at any time in 17 months' → 'grew'."""
    if gov.lower_ == "time" and gov.dep_ == "pobj":
        verb = gov
        for _ in range(4):
            verb = verb.head
            if verb.pos_ == "VERB":
                return verb_words(verb)
        return None
    if gov.pos_ != "VERB":
        return None
    top = next((c for c in gov.children if c.dep_ in ("dobj", "attr") and any(
        a.tag_ in ("JJS", "RBS") for a in c.children)), None)
    return noun_phrase(top) if top is not None else None


_NUMBER_WORDS = re.compile(r"^(?:[%$€£¥]|per|cent|percent|m|bn|k|million|billion|trillion|thousand|[\d.,]+\w*)$",
                           re.IGNORECASE)


def meaningful(what: str | None) -> str | None:
    """A label without the pieces of a number ('%', 'm', '300bn', a currency): 'past years %' → 'past years';
    nothing left is no label."""
    if not what:
        return None
    kept = [w for w in what.split() if not _NUMBER_WORDS.match(w) and not lexicon.is_currency_word(w)]
    return " ".join(kept) or None


def _past_symbols(root: Token) -> Token:
    """A percent sign or a currency word outside the span stands for the number: read from there."""
    while root.head.i != root.i and (root.head.lower_ in ("%", "percent", "cent", "per") or root.head.pos_ == "SYM"):
        root = root.head
    return root


def _nearest_chunk(span: Span) -> str | None:
    """Failing a parse rule, the nearest noun phrase of the number's clause."""
    sent = sentence_of(span.root)
    chunks = [c for c in sent.noun_chunks if (c.end <= span.start or c.start >= span.end)
              and c.root.pos_ == "NOUN" and not any(t.like_num for t in c)]
    near = [c for c in chunks if abs(c.start - span.end) <= 6 or abs(span.start - c.end) <= 6]
    if not near:
        return None
    best = min(near, key=lambda c: min(abs(c.start - span.end), abs(span.start - c.end)))
    return noun_phrase(best.root)


def _measured(root: Token, span: Span) -> str | None:
    """What an amount or a percentage measures: '20% of voters', 'a 20% stake', 'a rise of 5%', 'sales rose 5%',
    'inflation was 0.7%'."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                return noun_phrase(obj)
    head = root.head
    if head.i == root.i:
        return None
    if root.dep_ in ("compound", "nummod", "amod", "nmod") and head.pos_ == "NOUN":
        return noun_phrase(head)
    if root.dep_ == "pobj" and head.pos_ == "ADP":
        gov = head.head
        if gov.pos_ == "NOUN" and gov.i not in range(span.start, span.end):
            return _in_movement(gov)
        root, head = head, gov
        if head.dep_ == "acl" and head.head.ent_type_ in ("DATE", "TIME") and head.head.head.dep_ == "prep":
            head = head.head.head.head  # 'lowered its guidance for the quarter ended December to $84bn'
    return _by_verb(head, root, span) if head.pos_ in ("VERB", "AUX") else None


def _by_verb(verb: Token, root: Token, span: Span) -> str | None:
    """An amount a verb governs measures its subject, what it moved, and the verb: 'sales rose', 'bank growth
    forecast cut'."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != root.i), None)
    if subject is not None and subject.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
        subject = verb.head  # 'The Aviator, which has taken $90m'
    if subject is not None and subject.pos_ not in ("NOUN", "PROPN"):
        subject = None
    said = "" if verb.lemma_ in LIGHT_VERBS else f" {verb_words(verb)}"
    moved = _object_moved(verb, root, span)
    if subject is not None:
        return f"{noun_phrase(subject)}{moved}{said}"
    return f"{moved}{said}".strip() or None


def _in_movement(noun: Token) -> str:
    """A noun the amount measures, with the movement it is the object of: 'a rise in spending of 14.8%' → 'rise in
    spending', 'a fall in sales of 5%' → 'fall in sales'; a level with what is held at it: 'kept interest rates at
    an all-time low of 3.25%' → 'interest rates all-time low'."""
    phrase = noun_phrase(noun)
    moved = movement_of(noun)
    if moved is not None:
        return f"{moved.text} {noun.head.text} {phrase}"
    held = _held_at(noun)
    return f"{noun_phrase(held)} {phrase}" if held is not None else phrase


_LEVELS = {"low", "high", "peak", "level", "record", "average", "rate", "minimum", "maximum", "ceiling", "floor"}


def _held_at(level: Token) -> Token | None:
    """What a verb holds, keeps or puts at a level: the object of 'keep interest rates at a low of 3.25%', 'left
    its main rate at a record low of 0.5%'."""
    prep = level.head
    if level.lemma_.lower() not in _LEVELS or level.dep_ != "pobj" or prep.lower_ not in ("at", "to", "near"):
        return None
    verb = prep.head
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None) \
        if verb.pos_ == "VERB" else None
    return obj if obj is not None and not any(t.like_num for t in obj.subtree) else None


def _object_moved(verb: Token, prep: Token, span: Span) -> str:
    """What a verb moved to or by the amount: its object, ' growth forecast' of 'the bank cut its growth forecast
    to 2.1%', ' fee' of 'increased the fee by $5'; '' when the amount is the object itself."""
    if prep.dep_ != "prep" or prep.lower_ not in ("to", "by", "from", "at", "for"):
        return ""
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    if obj is None or any(t.like_num or t.i in range(span.start, span.end) for t in obj.subtree):
        return ""
    return f" {_possessed(obj)}"


def verb_words(verb: Token) -> str:
    """A verb with its particle: 'shot up', 'signed up', 'laid off' (the particle carries the event)."""
    particle = next((c for c in verb.children if c.dep_ == "prt"), None)
    return f"{verb.text} {particle.text}" if particle is not None else str(verb.text)


def _event(anchor: Token, span: Span) -> str | None:
    for child in anchor.children:
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB" and child.lemma_ not in LIGHT_VERBS:
            return verb_words(child)
    x = anchor
    for _ in range(3):
        head = x.head
        if head.i == x.i:
            return None
        if x.dep_ == "pobj" and head.pos_ == "ADP":
            gov = head.head
            if gov.pos_ == "NOUN" and gov.i not in range(span.start, span.end):
                return noun_phrase(gov)  # 'the elimination of 18 operatives'
            x = head
            continue
        if head.pos_ == "VERB" and x.dep_ in ("dobj", "nsubj", "nsubjpass", "npadvmod", "attr", "oprd", "advmod",
                                             "dative"):
            return None if head.lemma_ in LIGHT_VERBS else verb_words(head)
        if head.pos_ == "VERB" and x.dep_ == "prep" and x.lower_ in ("from", "to", "by") and lexicon.events(head.text):
            return verb_words(head)  # 'increase the number of colleges from 350 to 400'
        x = head
    return None
