"""Words about figures: stems, units, persons nouns, event words and place aliases.

Shared by the evals (does a label say what the gold says?) and the verifier (does a sentence attach a number
to the right fact?). Plain tables and a light suffix stemmer: every rule here is readable and testable, and the
vocabulary is news in general, not one subject.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
STOP = frozenset(
    "the of and in a an to by for on at from with s its it their his her this that these those as was were is are "
    "be been has have had which who whom into than over under about some all per cent percent each more less "
    "up down out off new last first next year years said says say".split()
)
"""Words that never carry what a figure counts (time and attribution words have their own fields)."""

PERSONS = frozenset(
    "people person persons individual worker employee staff voter fan player fighter operative militant member "
    "soldier troop civilian resident child children kid student pupil customer user subscriber victim patient "
    "migrant refugee official officer teacher doctor nurse driver passenger visitor tourist adult citizen man "
    "men woman women boy girl baby infant detainee prisoner inmate protester supporter viewer listener reader "
    "spectator athlete candidate delegate mp lawmaker senator minister leader executive manager director "
    "shareholder investor buyer seller consumer household family families elector participant applicant "
    "immigrant casualty casualties survivor hostage suspect militant jihadist terrorist insurgent combatant "
    "police policeman personnel crew volunteer farmer bishop peer hereditary hereditaries msp mep pensioner "
    "homeowner taxpayer motorist commuter shopper guest mourner journalist reporter scientist engineer pilot guard "
    "agent activist campaigner rebel gunman gunmen follower lord councillor judge lawyer nun priest monk "
    "graduate trainee apprentice recruit conscript veteran diplomat envoy".split()
)
"""Nouns for persons: a count of any of them has the unit ``people``."""

EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "kill": ("kill", "killed", "elimination", "dead", "death", "deaths", "die", "died", "dying", "eliminated",
             "eliminate", "slain", "fatality", "fatalities", "killing", "killings", "neutralized", "neutralised"),
    "detain": ("detain", "detained", "detention", "detentions", "custody", "captured", "capture",
               "jailed", "imprisoned"),
    "arrest": ("arrest", "arrested", "arrests"),
    "injure": ("injure", "injured", "injuries", "injury", "wounded", "wound", "hurt"),
    "missing": ("missing",),
    "displace": ("displaced", "displace", "evacuated", "evacuate", "homeless"),
    "revenue": ("revenue", "revenues", "sales", "turnover"),
    "profit": ("profit", "profits", "earnings", "income"),
    "loss": ("loss", "losses", "deficit"),
    "cut": ("cut", "cuts", "axed", "shed", "redundancies", "layoffs"),
    "create": ("created", "create", "creation", "hired", "new"),
    "rise": ("rise", "rose", "risen", "increase", "increased", "up", "growth", "grew", "gain", "gained", "jump",
             "jumped", "climbed", "surge", "surged"),
    "fall": ("fall", "fell", "fallen", "decrease", "decreased", "down", "drop", "dropped", "decline", "declined",
             "slump", "slumped", "slid"),
    "recall": ("recall", "recalled", "recalling"),
    "sell": ("sold", "sell", "selling"),
    "buy": ("bought", "buy", "acquire", "acquired", "acquisition", "purchase", "purchased"),
    "attack": ("attack", "attacks", "attacked", "strike", "strikes", "raid", "raids", "bombing", "bombings"),
    "pay": ("pay", "paid", "payment", "payments", "payout", "pays", "compensation"),
    "bid": ("bid", "bids", "offer", "offered", "takeover"),
    "borrow": ("borrow", "borrowed", "loan", "loans", "lend", "lent", "lending"),
    "vote": ("vote", "votes", "voted", "ballot", "ballots"),
    "win": ("win", "won", "wins", "victory", "victories"),
    "score": ("scored", "score", "goal", "goals"),
    "steal": ("stolen", "steal", "stole", "theft", "thefts"),
    "owe": ("owe", "owed", "owes", "owing", "debt", "debts"),
}
"""Words that carry the event of a figure. Figures of different groups are different facts: killed ≠ detained ≠
injured; revenue ≠ profit; a rise is not a fall."""
_EVENT_OF = {word: group for group, words in EVENT_GROUPS.items() for word in words}

_CURRENCY_WORDS = {
    "$": "USD", "us$": "USD", "dollar": "USD", "usd": "USD", "€": "EUR", "euro": "EUR", "eur": "EUR", "£": "GBP",
    "pound": "GBP", "sterling": "GBP", "gbp": "GBP", "¥": "JPY", "yen": "JPY", "jpy": "JPY", "yuan": "CNY",
    "renminbi": "CNY", "rmb": "CNY", "cny": "CNY",
}
_UNIT_ALIASES = {
    "%": "percent", "per cent": "percent", "pct": "percent", "percentage": "percent", "percent": "percent",
    "percentage point": "percentage points", "point": "point", "kilometre": "km", "kilometer": "km", "metre": "m",
    "meter": "m", "centimetre": "cm", "millimetre": "mm", "kilogram": "kg", "kilo": "kg", "gram": "g",
    "tonne": "tonne", "metric ton": "tonne", "pound weight": "lb", "lbs": "lb", "mile per hour": "mph",
    "kilometre per hour": "km/h", "litre": "l", "liter": "l", "foot": "ft", "feet": "ft",
    "square kilometre": "sq km", "square metre": "sq m", "yr": "year",
}
PLACE_ALIASES = {
    "u s": "us", "united states": "us", "america": "us", "usa": "us", "united states of america": "us",
    "u k": "uk", "united kingdom": "uk", "britain": "uk", "great britain": "uk",
}


TIME_NOUNS = {"year", "month", "week", "day", "hour", "minute", "second", "quarter", "decade", "century"}
MEASURES = TIME_NOUNS | {"point", "mile", "foot", "feet", "ft", "metre", "meter", "m", "km", "yard", "inch", "acre",
                         "hectare", "tonne", "ton", "barrel", "gallon", "litre", "degree"}
"""Words that name a measure, not a counted thing: a modifier makes another unit of them ('basis point', 'square
mile'), and a fraction of one is one of them ('half an hour', 'a third of a mile')."""


def is_measure(word: str) -> bool:
    """A unit of measure by its head word ('percentage point', 'hours'), or one the unit aliases name ('km')."""
    head = singular(word.lower().split(" of ")[0].split()[-1]) if word.strip() else ""
    return head in MEASURES or head in _UNIT_ALIASES


def words(text: str | None) -> list[str]:
    """Lower-case words of ``text``."""
    return _WORD.findall(text.lower()) if text else []


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix stemmer: 'vehicles' and 'vehicle' → 'vehicl'; 'injuries' and 'injury' → 'injur'; a doubled
    last letter is undoubled, so 'killed' and 'kill' → 'kil'."""
    w = word.lower()
    for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s", "e", "y"):
        if len(w) - len(suffix) >= 3 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w[:-1] if len(w) > 3 and w[-1] == w[-2] else w


def content(text: str | None) -> set[str]:
    """Stems of the words that can carry meaning."""
    return {stem(w) for w in words(text) if w not in STOP and len(w) > 1}


_PERIOD_WORD = re.compile(r"[a-z]+|\d+")
_PERIOD_STOP = frozenset("the of and a an in on at to from for during between over within throughout".split())


def period_key(text: str | None) -> set[str]:
    """The words of a period that tell periods apart, numbers and 'last'/'next'/'this' kept: '2004' ≠ '2005', 'last
    year' ≠ 'next year'; 'between 2005 and 2008' = '2005 to 2008'."""
    return {stem(w) for w in _PERIOD_WORD.findall(text.lower())} - _PERIOD_STOP if text else set()


def events(text: str | None) -> set[str]:
    """The event groups a phrase names, in any inflection ('operatives killed' → {'kill'}; 'gaining' → {'rise'})."""
    return {group for w in words(text) if (group := _EVENT_OF.get(w) or _event_stems().get(w)
                                           or _event_stems().get(stem(w)))}


@lru_cache(maxsize=1)
def _event_stems() -> dict[str, str]:
    """Stem → event group, for the inflections EVENT_GROUPS does not list ('gaining', 'recalls'); a three-letter
    word by its own inflections only ('buying', 'paying', 'cutting'; 'news' is no 'new'), so that no longer word
    reaches its stem ('cuts' stems to 'cut', and so does 'cute'; 'wine' to 'win')."""
    short = {w for words in EVENT_GROUPS.values() for w in words if len(w) == 3}
    found = {stem(word): group for group, words in EVENT_GROUPS.items() for word in words
             if len(word) > 3 and stem(word) not in short}
    for group, words in EVENT_GROUPS.items():
        for word in (w for w in words if len(w) == 3 and w != "new"):
            found.update(dict.fromkeys((f"{word}s", f"{word}ing", f"{word}{word[-1]}ing"), group))
    return found


def singular(word: str) -> str:
    """'missions' → 'mission', 'casualties' → 'casualty', 'buses' → 'bus'; 'status' and 'analysis' stay."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "uses")):
        return w[:-2]
    return w[:-1] if w.endswith("s") and not w.endswith(("ss", "us", "is")) else w


def is_currency_word(word: str) -> bool:
    """'euros', 'yen', 'dollar', '$': a word that names a currency."""
    w = word.lower()
    return w in _CURRENCY_WORDS or singular(w) in _CURRENCY_WORDS


def is_person(word: str) -> bool:
    w = word.lower()
    return w in PERSONS or singular(w) in PERSONS


def unit_key(unit: str | None) -> str | None:
    """A unit normalized for comparison: ISO currency, 'percent', a measure's short form, 'people' for any
    persons noun, else the singular stem ('vehicles' and 'vehicle' agree)."""
    if unit is None or not unit.strip():
        return None
    u = " ".join(unit.lower().replace("-", " ").split())
    if u.upper() in {"USD", "EUR", "GBP", "JPY", "CNY"} or u in _CURRENCY_WORDS:
        return _CURRENCY_WORDS.get(u, u.upper())
    one = singular(u)
    if u in _UNIT_ALIASES or one in _UNIT_ALIASES:
        return _UNIT_ALIASES.get(u) or _UNIT_ALIASES[one]
    if is_person(u):
        return "people"
    return " ".join(stem(w) for w in u.split())


def place_key(text: str | None) -> set[str]:
    """Content stems of a place, with 'United States' and 'US' the same."""
    if not text:
        return set()
    t = " ".join(words(text))
    for alias, key in sorted(PLACE_ALIASES.items(), key=lambda kv: -len(kv[0])):
        t = re.sub(rf"\b{alias}\b", key, t)
    return content(t)


COUNTRIES = frozenset(x.strip() for x in """
Afghanistan, Albania, Algeria, Andorra, Angola, Argentina, Armenia, Australia, Austria, Azerbaijan, Bahamas, Bahrain,
Bangladesh, Barbados, Belarus, Belgium, Belize, Benin, Bhutan, Bolivia, Bosnia, Botswana, Brazil, Brunei, Bulgaria,
Burkina Faso, Burundi, Cambodia, Cameroon, Canada, Chad, Chile, China, Colombia, Comoros, Congo, Costa Rica, Croatia,
Cuba, Cyprus, Czech Republic, Denmark, Djibouti, Dominica, Ecuador, Egypt, El Salvador, Eritrea, Estonia, Eswatini,
Ethiopia, Fiji, Finland, France, Gabon, Gambia, Georgia, Germany, Ghana, Greece, Grenada, Guatemala, Guinea, Guyana,
Haiti, Honduras, Hungary, Iceland, India, Indonesia, Iran, Iraq, Ireland, Israel, Italy, Jamaica, Japan, Jordan,
Kazakhstan, Kenya, Kiribati, Kosovo, Kuwait, Kyrgyzstan, Laos, Latvia, Lebanon, Lesotho, Liberia, Libya,
Liechtenstein, Lithuania, Luxembourg, Madagascar, Malawi, Malaysia, Maldives, Mali, Malta, Mauritania, Mauritius,
Mexico, Moldova, Monaco, Mongolia, Montenegro, Morocco, Mozambique, Myanmar, Namibia, Nauru, Nepal, Netherlands,
New Zealand, Nicaragua, Niger, Nigeria, North Korea, North Macedonia, Norway, Oman, Pakistan, Palau, Palestine,
Panama, Papua New Guinea, Paraguay, Peru, Philippines, Poland, Portugal, Qatar, Romania, Russia, Rwanda, Samoa,
San Marino, Saudi Arabia, Senegal, Serbia, Seychelles, Sierra Leone, Singapore, Slovakia, Slovenia, Somalia,
South Africa, South Korea, South Sudan, Spain, Sri Lanka, Sudan, Suriname, Swaziland, Sweden, Switzerland, Syria,
Taiwan, Tajikistan, Tanzania, Thailand, Togo, Tonga, Tunisia, Turkey, Turkmenistan, Tuvalu, Uganda, Ukraine,
United Arab Emirates, United Kingdom, United States, Uruguay, Uzbekistan, Vanuatu, Venezuela, Vietnam, Yemen, Zambia,
Zimbabwe, UK, US, USA, Britain, England, Scotland, Wales, Northern Ireland, Africa, Europe, Asia, Middle East,
Latin America, North America, South America, Gaza, West Bank, Kurdistan
""".split(","))
"""Countries and regions by name: a place even where the small parser misses it ('In Niger, 30 soldiers…' read as a
date or a person)."""

REPORTING = {"say", "report", "announce", "estimate", "expect", "project", "tell", "reveal", "disclose", "state",
              "claim", "add", "note", "predict", "forecast", "show", "find", "confirm", "warn", "insist", "calculate",
              "believe", "publish", "suggest", "argue", "admit", "explain", "affirm"}
"""Verbs that report a figure: 'officials said', 'the survey found'."""


PEOPLE_OF = {
    "britons": "Britain", "brits": "Britain", "americans": "US", "canadians": "Canada", "mexicans": "Mexico",
    "brazilians": "Brazil", "argentines": "Argentina", "germans": "Germany", "italians": "Italy",
    "spaniards": "Spain", "portuguese": "Portugal", "greeks": "Greece", "swedes": "Sweden", "danes": "Denmark",
    "norwegians": "Norway", "finns": "Finland", "poles": "Poland", "ukrainians": "Ukraine", "russians": "Russia",
    "turks": "Turkey", "iraqis": "Iraq", "syrians": "Syria", "iranians": "Iran", "afghans": "Afghanistan",
    "israelis": "Israel", "palestinians": "Palestine", "egyptians": "Egypt", "nigerians": "Nigeria",
    "kenyans": "Kenya", "indians": "India", "pakistanis": "Pakistan", "australians": "Australia",
    "new zealanders": "New Zealand", "japanese": "Japan", "chinese": "China", "koreans": "Korea",
    "europeans": "Europe", "africans": "Africa", "asians": "Asia", "scots": "Scotland", "welsh": "Wales",
    "irish": "Ireland", "english": "England", "french": "France", "dutch": "Netherlands", "belgians": "Belgium",
    "swiss": "Switzerland", "austrians": "Austria", "londoners": "London", "new yorkers": "New York",
    "parisians": "Paris", "californians": "California", "texans": "Texas", "scandinavians": "Scandinavia",
}
"""The people of a place, as a counted noun names them: '25% of Britons' is about Britain, '1,000 Americans' about
the US. Only the plural noun of persons; an adjective ('Syrian detention facilities') says less."""


STAT_RATES = {"ppg": ("point", "game"), "rpg": ("rebound", "game"), "apg": ("assist", "game"),
              "spg": ("steal", "game"), "bpg": ("block", "game"), "gpg": ("goal", "game")}
"""A sports line's averages as unit and rate: '15.3 ppg' is 15.3 points per game."""

