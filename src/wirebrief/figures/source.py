"""Who says so: the source of a figure, read from the attribution of its sentence that covers it, else from the
paragraph that quoted the pronoun's antecedent (:func:`wirebrief.figures.labels.propose`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from wirebrief.figures import lexicon
from wirebrief.figures.parse import PRONOUNS, before, ents_of, is_named, memo, name_of, noun_phrase, sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from wirebrief.figures.scope import Origin

SOURCE_NOUNS = {"official", "analyst", "economist", "spokesman", "spokeswoman", "spokesperson", "minister", "police",
                 "ministry", "department", "government", "survey", "poll", "report", "study", "figure", "data",
                 "statistic", "research", "researcher", "company", "firm", "bank", "regulator", "agency", "union",
                 "group", "expert", "commission", "committee", "council", "office", "authority", "military", "army",
                 "chairman", "chief", "executive", "president", "director", "secretary", "boss", "organiser",
                 "organizer", "watchdog", "institute", "association", "federation", "board", "court", "command",
                 "statement", "filing"}
"""Nouns that can state a figure: 'officials said', 'the survey found'. Other subjects of 'said' are not sources."""


_NAME_WORD = r"(?:[A-Z][\w.&'-]*|of|for|and|on)"


_DEFINED = re.compile(rf"({_NAME_WORD}(?:\s+{_NAME_WORD})*)\s+\(([A-Z][A-Za-z]*[A-Z])\)")


def abbreviations(text: str) -> dict[str, str]:
    """Names the article shortens itself, long form (lower case, no leading 'the') → short: 'US Central Command
    (CENTCOM)', 'The National Highway Traffic Safety Administration (NHTSA)'. A source is named as the article
    goes on to name it."""
    found: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        words = m.group(1).split()
        while words and words[0].lower() in ("the", "of", "for", "and", "on"):
            words = words[1:]
        initials = {w[0].upper() for w in words}
        if words and m.group(2)[0].upper() in initials:
            for i in range(max(1, len(words) - 1)):  # 'US Central Command' and 'Central Command', not 'Command'
                if words[i][0].isupper():
                    found.setdefault(name_key(" ".join(words[i:])), m.group(2))
    return found


def name_key(name: str) -> str:
    """A name as :func:`abbreviations` keys it, written either way: lower case, no dots, no leading 'the' ('The
    U.S. Central Command' → 'us central command')."""
    return re.sub(r"^the\s+", "", name.lower().replace(".", ""))


def source_of(sent: Span, figure: Token, *, share: bool = False) -> tuple[str | None, Origin | None]:
    """Who states the figure: the attribution of its sentence that covers it ('according to CENTCOM', 'NHTSA
    said'); a pronoun ('he said') is who the paragraph quoted last, up to three sentences back; the survey behind a
    share of its respondents ('40% think …') or its sample ('a poll of 1,313 people'); nothing else is a source."""
    found = attribution(sent, figure)
    if found is None:
        survey = _the_survey_behind(figure, share=share)
        return (survey, "context") if survey else (None, None)
    if found.lower() not in PRONOUNS:
        return found, "sentence"
    for earlier in reversed(before(sent, 3)):
        named = attribution(earlier)
        if named is not None and named.lower() not in PRONOUNS:
            return named, "context"
    return None, None


def attribution(sent: Span, figure: Token | None = None) -> str | None:
    """Who the sentence attributes its facts to: 'according to X', 'X said'. With ``figure``, only an attribution
    that covers it: the figure is in what X said ('NHTSA said the recall involves 155,465 pickups'), or X's
    saying hangs off the figure's clause ('…155,465 pickups, NHTSA said'); 'Van Gisbergen added 18 points' and
    'Irish trailed by two points and Gold said: …' attribute nothing to the figure."""
    according, sayings = memo(sent.doc, ("sayings", sent.start, sent.end), lambda: _sayings(sent))
    if according is not None:
        return according
    for tok, subject in sayings:
        if figure is None or _covers(tok, figure):
            return source_name(subject)
    return None


_ISSUING = {"provide", "release", "publish", "issue", "unveil", "present", "announce", "reveal", "outline", "give",
            "produce", "table", "file", "circulate"}
_DOCUMENTS = {"statement", "report", "update", "release", "bulletin", "bill", "plan", "proposal", "document",
              "review", "briefing", "survey", "study", "poll", "paper"}


def issuer(sent: Span) -> str | None:
    """Who the sentence says issued a document whose content the article goes on to give: 'CENTCOM provided in a
    statement an update on …', 'The cross-party group has unveiled a draft bill proposing …'."""
    for verb in (t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in _ISSUING):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.i < verb.i:
            subject = verb.head  # the small parser reads 'The agency provided …' as a noun phrase
        if subject is None or not (is_named(subject) or subject.lemma_.lower() in SOURCE_NOUNS):
            continue
        if any(t.lemma_.lower() in _DOCUMENTS and t.dep_ in ("dobj", "pobj") for t in verb.subtree):
            return source_name(subject)
    return None


def source_name(tok: Token) -> str:
    """A source as the article names it: the name a common noun stands beside ('the communications regulator
    Ofcom', 'the Turkish economics minister, Ali Babacan'), the agent of what it names ('market statistics gathered
    by Websidestory'), else its own name or noun phrase."""
    if tok.pos_ == "NOUN" and not is_named(tok):
        owner = next((c for c in tok.children if c.dep_ == "poss" and is_named(c)), None)
        if owner is not None:  # "CENTCOM's statement said"
            return name_of(owner)
        if tok.lemma_.lower() in SURVEYS and (survey := _survey_name(tok)) is not None:
            return survey  # 'A survey for the charity suggests' → 'Age Concern survey'
        if (named := _named_beside(tok)) is not None:
            return name_of(named)
        if (earlier := memo(tok.doc, ("antecedent", tok.i), lambda: _antecedent(tok))) is not None:
            return earlier
    return name_of(tok)


def _named_beside(tok: Token) -> Token | None:
    """The name a common noun stands beside: its apposition, or who made it ('gathered by X', 'a survey by X')."""
    for child in tok.children:
        if child.dep_ == "appos" and is_named(child):
            return child
        by = next((c for c in child.children if c.dep_ == "agent"), None) if child.dep_ == "acl" else \
            child if child.dep_ == "prep" and (child.lower_ == "by" or child.lower_ == "for"
                                               and tok.lemma_.lower() in SURVEYS) else None
        obj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if obj is not None and (is_named(obj) or obj.pos_ == "PROPN"):
            return obj
        if obj is not None and by is not None and by.lower_ == "for" and (org := _the_organisation(obj)):
            return org  # 'A survey for the charity', after 'says Age Concern'
    return None


_ORGANISATIONS = {"charity", "company", "firm", "newspaper", "paper", "broadcaster", "union", "bank", "group",
                  "council", "party", "campaign", "organisation", "organization", "agency", "ministry", "department"}
"""Nouns that stand for an organisation the article has named: 'the charity' after 'Age Concern'."""


def _the_organisation(tok: Token) -> Token | None:
    """The organisation 'the charity' stands for: the last one named before it, within the three sentences before
    (an organisation, or a name the small parser calls a person that is the subject of its clause: 'says Age
    Concern')."""
    if tok.lemma_.lower() not in _ORGANISATIONS or not any(c.dep_ == "det" and c.lower_ == "the"
                                                           for c in tok.children):
        return None
    sent = sentence_of(tok)
    names = [e for s in [*before(sent, 3), sent] for e in ents_of(s) if e.end <= tok.i and (
        e.label_ == "ORG" or e.label_ == "PERSON" and len(e) > 1 and e.root.dep_ in ("nsubj", "nsubjpass"))]
    return names[-1].root if names else None


_KINDS = {"poll": "survey", "survey": "survey", "study": "study", "research": "study", "report": "report"}


def _antecedent(tok: Token) -> str | None:
    """What a bare definite noun ('The group says', 'The poll … found') stands for: the nearest earlier mention of
    the same thing (a poll is a survey) that the article names more fully ('The cross-party group', 'a survey by
    GMIPoll')."""
    if any(c.dep_ in ("compound", "amod", "poss") for c in tok.lefts) or not any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
        return None
    kind = _KINDS.get(tok.lemma_.lower(), tok.lemma_.lower())
    doc = tok.doc
    for i in range(tok.i - 1, -1, -1):
        t = doc[i]
        if t.pos_ != "NOUN" or _KINDS.get(t.lemma_.lower(), t.lemma_.lower()) != kind:
            continue
        if (named := _named_beside(t)) is not None:
            return name_of(named)
        if any(c.dep_ in ("compound", "amod") for c in t.lefts):
            return noun_phrase(t)
    return _the_company(tok) if kind in _COMPANIES else None


_COMPANIES = {"company", "firm", "carrier", "airline", "maker", "manufacturer", "retailer", "insurer", "lender",
              "broadcaster", "publisher", "developer", "giant", "chain", "operator", "supermarket", "bank"}
"""Nouns for a business: 'the company said' stands for the business the article named last."""


def _the_company(tok: Token) -> str | None:
    """The organisation 'the company' stands for: the last one that was the subject of a clause before it, in
    its sentence or the two before ('Microsoft is celebrating sales of Halo 2. The game has sold five million
    copies, the company said'); none when two share the subject ('Acme and Bolt met')."""
    sent = sentence_of(tok)
    names = [e for s in [*before(sent, 2), sent] for e in ents_of(s) if e.label_ == "ORG" and e.end <= tok.i
             and e.root.dep_ in ("nsubj", "nsubjpass")]
    if not names or any(c.dep_ == "conj" for c in names[-1].root.children):
        return None
    return str(names[-1].text).removeprefix("the ").removeprefix("The ")


def _sayings(sent: Span) -> tuple[str | None, list[tuple[Token, Token]]]:
    """A sentence's 'according to X', and its reporting verbs with a subject that can be a source."""
    for tok in sent:
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None:
                return source_name(obj), []
    found = []
    for tok in sent:
        if tok.pos_ == "VERB" and tok.lemma_ in lexicon.REPORTING and not _adds_an_amount(tok):
            subject = _subject(tok)
            if subject is not None and (is_named(subject) or subject.pos_ == "PROPN"
                                        or subject.lemma_.lower() in SOURCE_NOUNS
                                        or subject.lower_ in PRONOUNS):
                found.append((tok, subject))
    return None, found


def _adds_an_amount(verb: Token) -> bool:
    """'Hextar added 15 sen to RM2.70', 'Van Gisbergen added 18 points': 'add' with an amount for its object says
    nothing ('he added that …' does)."""
    return verb.lemma_ == "add" and any(c.dep_ == "dobj" and (c.like_num or any(t.like_num for t in c.children))
                                        for c in verb.children)


def _subject(verb: Token) -> Token | None:
    """A verb's subject, or for a verb that shares one ('Nintendo has a 95% share … and said …') its head's."""
    for _ in range(3):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or verb.dep_ != "conj" or verb.head.pos_ not in ("VERB", "AUX"):
            return subject
        verb = verb.head
    return None


_FORECASTS = {"predict", "forecast", "expect", "estimate", "project"}
"""Verbs whose object is what the subject states: 'the central bank predicting 4% growth'."""


def _covers(saying: Token, figure: Token) -> bool:
    """The reporting verb ``saying`` reports the clause ``figure`` is in."""
    if saying.lemma_ in _FORECASTS and any(c.dep_ == "dobj" and figure in c.subtree for c in saying.children):
        return True
    objects = any(c.dep_ == "dobj" for c in saying.children)  # 'added the conversion to become …' says nothing
    reports = any(c.dep_ in ("ccomp", "parataxis") or c.dep_ == "xcomp" and not objects
                  or c.dep_ == "punct" and c.text == ":" for c in saying.children)
    if reports and saying.i != figure.i and figure in saying.subtree:
        return not any(t.dep_ in ("nsubj", "nsubjpass") and figure in t.subtree for t in saying.children)
    if saying.dep_ in ("parataxis", "ccomp", "advcl"):
        head = saying.head
        return figure in head.subtree and not (saying.i < figure.i and saying.dep_ == "ccomp")
    return False


SURVEYS = {"survey", "poll", "study", "questionnaire", "census"}
_OPINING = {"say", "think", "believe", "want", "support", "prefer", "plan", "expect", "agree", "oppose", "feel",
            "back", "favour", "favor", "choose", "intend", "vote", "rate", "rank", "trust", "worry", "fear"}
"""What respondents do in a survey's findings: '40% think …', 'Almost a quarter, 22%, said they would …'."""


def _the_survey_behind(figure: Token, *, share: bool) -> str | None:
    """The survey a figure comes from, when the sentence says it only by its shape: the sample of the survey's own
    phrase ('A poll of 1,313 people', 'The poll of 20,000 people in 20 countries'), or a share of respondents that
    is the subject of what they think or say, after the article has named a survey."""
    for tok in figure.ancestors:
        if tok.dep_ == "prep" and tok.lower_ == "of" and tok.head.lemma_.lower() in SURVEYS:
            return _survey_name(tok.head)
        if tok.pos_ in ("VERB", "AUX"):
            break
    verb = next((t for t in figure.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if not share or verb is None or verb.lemma_ not in _OPINING or not any(
            c.dep_ in ("nsubj", "nsubjpass") and figure in c.subtree for c in verb.children):
        return None
    doc = figure.doc
    surveys = memo(doc, "surveys", lambda: [t.i for t in doc if t.pos_ == "NOUN" and t.lemma_.lower() in SURVEYS])
    for i in reversed(surveys[:bisect_left(surveys, figure.i)]):
        if name := memo(doc, ("survey name", i), lambda i=i: _survey_name(doc[i])):  # type: ignore[misc]
            return name
    return None


def _survey_name(survey: Token) -> str | None:
    """A survey as the article names it: by who made it ('ICM Research survey'), by its own words ('Daily Telegraph
    poll'), else as the survey it refers back to ('The poll … found' after 'a survey by GMIPoll')."""
    if (named := _named_beside(survey)) is not None:
        return f"{name_of(named)} {survey.lemma_.lower()}"
    if any(c.dep_ in ("compound", "amod", "poss") and c.pos_ in ("PROPN", "NOUN") for c in survey.lefts):
        return noun_phrase(survey)
    return memo(survey.doc, ("antecedent", survey.i), lambda: _antecedent(survey))
