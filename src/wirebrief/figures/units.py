"""What a number in the news is a number of: the words right around it that make it money, a percentage, a
measure, a temperature or an age, and the scale abbreviations that multiply it.

The finder (:mod:`wirebrief.figures.finder`) asks here, for each number: which currency stands right before or after it
("$", "US$", "EUR12m", "30 euros", "50 cents"), which scale follows its digits ("$5m", "2.33 k"), and which
percent sign, unit of measure ("30 mph", "40 deg celsius") or age ("29 years old") follows it. Unit names are
the short ones the yardstick and the brief use: ISO 4217 codes, "percent", "km", "mph", "°C", "sq m", "year"…
A unit that reads two ways is settled by the words of its sentence: "pounds" are money in a sentence about
paying and weight otherwise, bare "degrees" a temperature in one about weather and an angle in one about turning,
and "48m" millions unless it is tall, long or deep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from wirebrief.figures import lexicon

MeasureKind = Literal["measure", "temperature"]

SYMBOLS = {
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS",
    "₦": "NGN", "₱": "PHP", "฿": "THB", "₫": "VND", "₴": "UAH", "₿": "BTC", "₡": "CRC", "₾": "GEL", "₭": "LAK",
    "元": "CNY", "ரூ": "LKR",
}
_DOLLAR_PREFIXES = {
    "us": "USD", "u.s.": "USD", "u.s": "USD", "usd": "USD", "c": "CAD", "ca": "CAD", "can": "CAD", "cad": "CAD",
    "a": "AUD", "au": "AUD", "aud": "AUD", "nz": "NZD", "nzd": "NZD", "hk": "HKD", "hkd": "HKD", "s": "SGD",
    "sgd": "SGD", "nt": "TWD", "r": "BRL", "mex": "MXN", "mx": "MXN", "mxn": "MXN",
}
"""Letters before a dollar sign: US$, C$, HK$, A$… ("a $5 fee" is not Australian: A$ needs a capital, no space)."""
CODES = {
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "CHF", "AUD", "CAD", "NZD", "HKD", "SGD", "INR", "MXN", "BRL", "ZAR",
    "RUB", "TRY", "KRW", "SEK", "NOK", "DKK", "PLN", "MYR", "IDR", "THB", "PHP", "VND", "AED", "SAR", "ILS", "EGP",
    "NGN", "KES", "PKR", "BDT", "LKR", "BTC", "ARS", "CLP", "COP", "TWD", "UAH", "QAR", "KWD",
}
_LETTER_PREFIXES = {"rm": "MYR", "rs": "INR", "rs.": "INR", "rp": "IDR", "ksh": "KES"}
_WORDS = {
    "dollar": "USD", "pound": "GBP", "us dollar": "USD", "u.s. dollar": "USD", "american dollar": "USD",
    "australian dollar": "AUD",
    "canadian dollar": "CAD", "hong kong dollar": "HKD", "new zealand dollar": "NZD", "singapore dollar": "SGD",
    "taiwan dollar": "TWD", "euro": "EUR", "pound sterling": "GBP", "pounds sterling": "GBP",
    "british pound": "GBP", "yen": "JPY", "japanese yen": "JPY", "yuan": "CNY", "chinese yuan": "CNY",
    "renminbi": "CNY", "rmb": "CNY", "franc": "CHF", "swiss franc": "CHF", "cfa franc": "XOF",
    "rupee": "INR", "indian rupee": "INR", "sri lankan rupee": "LKR", "pakistani rupee": "PKR",
    "mexican peso": "MXN", "philippine peso": "PHP", "finnish markka": "FIM", "markka": "FIM", "guilder": "NLG",
    "dutch guilder": "NLG", "peseta": "ESP", "deutsche mark": "DEM", "deutschmark": "DEM", "german mark": "DEM",
    "turkish lira": "TRY", "lira": "TRY", "rand": "ZAR", "ringgit": "MYR", "baht": "THB", "south korean won": "KRW",
    "rouble": "RUB", "ruble": "RUB", "shekel": "ILS", "naira": "NGN", "rupiah": "IDR", "dirham": "AED",
    "riyal": "SAR", "zloty": "PLN", "swedish krona": "SEK", "bitcoin": "BTC", "hryvnia": "UAH",
}
"""Currency names after a number; a plural adds s (or is the same word: yen, markka)."""
_SUBUNITS = {"cent": ("USD", "0.01"), "pence": ("GBP", "0.01"), "penny": ("GBP", "0.01"),
             "satoshi": ("BTC", "0.00000001"), "sen": ("MYR", "0.01")}

_SAFE_LOWER = ("usd", "eur", "gbp", "rmb", "jpy", "cny", "chf", "aud", "cad", "inr", "btc", "sek")
"""Codes also read in lower case ("20 usd"); the others are English words in lower case (try, cop, ars)."""


def _alternatives(words: list[str] | set[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_SYMBOL = _alternatives(list(SYMBOLS))
_CODE = rf"(?:{_alternatives(CODES)}|{_alternatives(_SAFE_LOWER)})"
_PREFIX = re.compile(
    rf"""(?:(?<![\w.'’])(?P<dollar>(?i:{_alternatives([p for p in _DOLLAR_PREFIXES if len(p) > 1])}|c)\s?
             |(?P<capital>[CASR]))\$
        |\$\s?(?P<dollar_after>US|A|NZ|HK|C)
        |(?P<symbol>{_SYMBOL})
        |(?<![\w.])M(?P<mcode>{_alternatives(CODES)})
        |(?<![\w.])(?P<code>{_CODE})
        |(?<![\w.])(?P<letters>RM|Rs\.?|Rp|KSh))\s?\Z""",
    re.VERBOSE,
)
"""A currency right before a number ("$", "US$ ", "EUR", "RM", "$US"); single-letter prefixes are capitals with no
space ("C$5"; "a $5 fee" and "it's $5" are dollars), except PTB's lower-case "c $ 16.4"."""
_SUFFIX = re.compile(
    rf"""(?P<sep>\s?)(?:(?P<symbol>{_SYMBOL})(?!\s?\d)
        |M(?P<mcode>{_alternatives(CODES)})\b|(?P<code>{_CODE})(?![A-Za-z\d])
        |-?(?P<word>(?i:{_alternatives(list(_WORDS))}))(?i:e?s)?\b(?!-\w)
        |-?(?P<sub>(?i:cents?|pence|penny|pennies|satoshis?)|sen(?!\.))\b|(?P<c>c)(?=\s+(?:a|to|per)\b)|(?P<p>p)(?![\w-]))""",
    re.VERBOSE,
)
"""A currency right after a number ("10 €", "115USD", "420 million finnish markka", "50 cents", "12-cent", "164p")."""
_PENCE_WORDS = re.compile(r"\b(?:shares?|stock|traded|trading|FTSE|pence|pound|litre|fare|ticket)\b|£", re.IGNORECASE)
_RINGGIT = re.compile(r"\bRM\s?\d|\bringgit|\bMYR\b|\bMalaysia", re.IGNORECASE)
_SCREEN_LINES = re.compile(r"(?<![\d.])(?:240|360|480|576|720|1080|1440|2160|4320)\Z")
"""'164p' is pence in a sentence about prices or shares, unless it counts a screen's lines ('1080p')."""
_MONEY_WORDS = re.compile(
    r"\b(?:cost\w*|paid|pay\w*|price\w*|fine[ds]?|worth|spen[dt]\w*|sold|buy\w*|bought|budget|deal|fund\w*|"
    r"earn\w*|salar\w*|wage\w*|profit\w*|revenue\w*|sterling|bid|loan\w*|debt\w*|tax\w*|bonus\w*|"
    r"compensation|damages|settlement|£)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Currency:
    """A currency read next to a number: its ISO code, and what the number is multiplied by (cents: 0.01)."""

    code: str
    factor: Decimal
    edge: int
    """Where the currency's words start (before the number) or end (after it)."""
    written_out: bool = False
    """A word or code after the number, not a symbol or a cent: '3 dollars 50 cents' may follow."""


def currency_before(text: str, start: int, floor: int = 0) -> Currency | None:
    """The currency that ends right where a number starts (and after ``floor``, where the mention before ends)."""
    m = _PREFIX.search(text, max(floor, start - 9), start)
    if m is None:
        return None
    if m.group("dollar") or m.group("capital") or m.group("dollar_after"):
        prefix = (m.group("dollar") or m.group("capital") or m.group("dollar_after")).strip().lower()
        return Currency(_DOLLAR_PREFIXES[prefix], Decimal(1), m.start())
    if m.group("symbol"):
        return Currency(SYMBOLS[m.group("symbol")], Decimal(1), m.start())
    if m.group("mcode"):
        return Currency(_code(m.group("mcode")), Decimal(10**6), m.start())
    if m.group("code"):
        return Currency(_code(m.group("code")), Decimal(1), m.start())
    return Currency(_LETTER_PREFIXES[m.group("letters").lower()], Decimal(1), m.start())


def currency_after(text: str, end: int, sentence: str, scaled: bool) -> Currency | None:
    """The currency right after a number ending at ``end``. "Pounds" are money after a scale word ("361 million
    pounds") or in a sentence about money; else weight."""
    m = _SUFFIX.match(text, end)
    if m is None:
        return None
    if m.group("symbol"):
        return Currency(SYMBOLS[m.group("symbol")], Decimal(1), m.end())
    if m.group("mcode"):
        return Currency(_code(m.group("mcode")), Decimal(10**6), m.end(), written_out=True)
    if m.group("code"):
        return Currency(_code(m.group("code")), Decimal(1), m.end(), written_out=True)
    if m.group("word"):
        name = " ".join(m.group("word").lower().split())
        if name == "pound" and not (scaled or _MONEY_WORDS.search(sentence)):
            return None
        return Currency(_WORDS[name], Decimal(1), m.end(), written_out=True)
    if m.group("c") and m.group("sep"):
        return None
    if m.group("p"):
        if m.group("sep") or _SCREEN_LINES.search(text, 0, end) or not (
                _MONEY_WORDS.search(sentence) or _PENCE_WORDS.search(sentence)):
            return None
        return Currency("GBP", Decimal("0.01"), m.end())
    sub = (m.group("sub") or "cent").lower()
    if sub == "sen" and not _RINGGIT.search(sentence):
        return None  # sen are money beside ringgit: 'rose 18 sen to RM23.50'
    sub = "penny" if sub.startswith("penn") else sub.rstrip("s")
    code, factor = _SUBUNITS[sub]
    return Currency(code, Decimal(factor), m.end())


def _code(code: str) -> str:
    return "CNY" if code.upper() == "RMB" else code.upper()


# --- measures ------------------------------------------------------------------------------------------------

_TIME = {"h": "h", "hr": "h", "hour": "h", "s": "s", "sec": "s", "second": "s", "ms": "ms", "millisecond": "ms",
         "min": "min", "minute": "min"}
_MEASURES: list[tuple[str, str]] = [
    # (pattern, unit); patterns are regex, longest listed first within a family
    (r"square\s+kilomet(?:er|re)s?|sq\.?\s?km|km2|km²", "sq km"),
    (r"square\s+met(?:er|re)s?|sq\.?\s?m|m2|m²", "sq m"),
    (r"square\s+(?:feet|foot)|sq\.?\s?ft|ft2|ft²", "sq ft"), (r"square\s+miles?|sq\.?\s?mi", "sq mile"),
    (r"cubic\s+(?:feet|foot)|cu\.?\s?ft", "cu ft"), (r"cubic\s+met(?:er|re)s?|m3|m³", "cu m"),
    (r"hectares?|ha", "hectare"), (r"acres?", "acre"),
    (r"miles\s+(?:an|per)\s+hour|mph|m\.p\.h\.?", "mph"), (r"miles\s+(?:a|per)\s+gallon|mpg", "mpg"),
    (r"knots?", "knot"),
    (r"kilomet(?:er|re)s\s+(?:an|per)\s+hour|km/h(?:r|our)?|kph|kmph", "km/h"),
    (r"kilomet(?:er|re)s?|km", "km"), (r"centimet(?:er|re)s?|cm", "cm"), (r"millimet(?:er|re)s?|mm", "mm"),
    (r"decimet(?:er|re)s?|dm", "dm"), (r"picomet(?:er|re)s?", "pm"), (r"nanomet(?:er|re)s?|nm", "nm"),
    (r"micromet(?:er|re)s?|microns?|µm|μm", "µm"),
    (r"met(?:er|re)s?|(?-i:m)", "m"), (r"nautical\s+miles?", "nautical mile"), (r"light[-\s]years?", "light-year"),
    (r"miles?|mi", "mile"), (r"feet|foot|ft", "ft"), (r"inch(?:es)?|in\.", "inch"), (r"yards?|yds?", "yard"),
    (r"pound[-\s]f(?:ee|oo)t|lbs?[-\s.]{0,2}ft", "lb ft"), (r"kilo(?:gram(?:me)?s?|s)?|kgs?", "kg"),
    (r"milligram(?:me)?s?|mg", "mg"),
    (r"microgram(?:me)?s?|µg|μg|mcg", "µg"), (r"gram(?:me)?s?|(?-i:g)", "g"), (r"lbs?|pounds?", "lb"),
    (r"ounces?|oz", "oz"), (r"metric\s+tons?|tonnes?|(?-i:t)", "tonne"), (r"tons?", "ton"), (r"drams?", "dram"),
    (r"millilit(?:er|re)s?|ml", "ml"), (r"lit(?:er|re)s?|(?-i:l|L)", "l"), (r"gallons?|gal", "gallon"),
    (r"barrels?|bbl", "barrel"), (r"tablespoons?|tbsp", "tbsp"), (r"teaspoons?|tsp", "tsp"), (r"cups?", "cup"),
    (r"pints?", "pint"), (r"(?-i:[kMGT]W)h", "kWh"), (r"(?-i:[kMG]W)", "MW"), (r"horsepower|hp", "hp"),
    (r"(?-i:Gb|GB|Mb|MB|kB|KB|TB|mb)", "MB"), (r"bits?", "bit"), (r"bytes?", "byte"),
    (r"(?-i:[kMG]bps)", "Mbps"), (r"radians?|rad", "rad"),
    (r"parts\s+per\s+million|ppm", "ppm"),
    (r"(?-i:mins?)", "minute"), (r"(?-i:hrs?)", "hour"), (r"(?-i:secs?)", "second"),
    (r"[kmgt]?hz|(?:kilo|mega|giga)?hertz", "Hz"), (r"(?-i:mAh)", "mAh"), (r"(?-i:W)|(?:kilo|mega)?watts?", "W"),
    (r"(?-i:[km]?V)|(?:kilo)?volts?", "V"),
]
"""Units of measure after a number (length, area, volume, weight, speed, energy, data, angle)."""
_AS_WRITTEN = {"kWh", "MW", "MB", "Mbps"}
"""Units whose name is the text as written (MWh, GW, Mb vs MB)."""
_SI = {"Hz", "W", "V"}
"""Units named by their symbol and prefix however written: 'KHZ' → 'kHz', '49.55 HZ', '5 watts', '3 kilovolts'."""
MEASURE = re.compile(
    r"(?P<sep>-|\s?[(\[{<]\s?|\s{0,2})(?:"
    + "|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_MEASURES))
    + r")(?P<close>\s?[)\]}>])?(?![\w/²³])",
    re.IGNORECASE,
)
_SPEED = re.compile(
    r"(?P<sep>\s?)(?P<len>kilomet(?:er|re)s?|km|met(?:er|re)s?|m|centimet(?:er|re)s?|cm)\s?(?:/|\s+per\s+)"
    r"(?P<time>hours?|hr|h|seconds?|sec|s|milliseconds?|ms|minutes?|min)\b",
    re.IGNORECASE,
)
TEMPERATURE = re.compile(
    r"""(?P<sep>\s?)(?:(?:°|º|deg\.?|degrees?)\s?(?P<scale>c(?:elsius|elcius|entigrade|entigrate)?
        |f(?:ahrenheit|arenheit|ahrenheight)?)(?![a-z])
        |(?P<word>celsius|celcius|centigrade|centigrate|fahrenheit|farenheit)\b
        |(?P<bare>°|º|deg\.|degrees?\b|deg\b))""",
    re.VERBOSE | re.IGNORECASE,
)
_LETTER_SCALE = re.compile(r"[CF](?![\w'’&/-])")
_IDENTIFIED = re.compile(r"(?:\b[A-Z][\w.-]*|\b(?i:seat|room|gate|platform|flat|unit|form|bay|block|row|section|page"
                         r"|chapter|no\.|number|apartment|suite|level|grade|type|class|model|size|version))\s+-?\d+"
                         r"(?:\.\d+)?\Z")
_LEVEL_BEFORE = re.compile(r"(?:-|−|\b(?i:of|to|at|hit|hitting|reached|reaching|was|were|is|are|be|been|around|about"
                           r"|nearly|almost|than|and|or|between|from|under|over|above|below|highs?|lows?|near|topped)\s+)"
                           r"-?\d+(?:\.\d+)?\Z")
"""'30C' is a temperature in a sentence about heat or cold, or as a level ('highs of 30C', 'It was -5C in Oslo');
'Seat 30C', 'Boeing 777F', 'room 19C' name a place or a model, and 'must 13F be filed' a form."""
_DECIMAL_END = re.compile(r"\d\.\d+\Z")
_SECONDS = re.compile(r"s\b")
_TEMPERATURE_WORDS = re.compile(
    r"\b(?:temperatures?|thermostat|weather|heat(?:wave)?|hot|hotter|cold|colder|warm\w*|cool\w*|climate|frost"
    r"|freez\w*|boil\w*|fever|forecast|celsius|fahrenheit)\b",
    re.IGNORECASE,
)
_ANGLE_WORDS = re.compile(r"\b(?:rotat\w*|turn\w*|angle|tilt\w*|slope|incline|heading|bearing|latitude|longitude)\b",
                          re.IGNORECASE)
_METRE_CONTEXT = re.compile(
    r"[\s-]?(?:tall|high|long|wide|deep|away|below|above|in\s+(?:height|length|diameter|depth)|x\b|×|squared"
    r"|sprint|race|hurdles|freestyle|backstroke|breaststroke|butterfly|medley|relay|dash|swim|dive|platform)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Measure:
    """A unit of measure after a number."""

    unit: str
    kind: MeasureKind
    end: int


def measure_after(text: str, end: int, sentence: str) -> Measure | None:
    """The unit of measure right after a number ending at ``end``; ``sentence`` settles pounds and degrees."""
    if t := TEMPERATURE.match(text, end):
        return _temperature(t, sentence)
    if (t := _LETTER_SCALE.match(text, end)) and not _IDENTIFIED.search(text, max(0, end - 24), end) and (
            _TEMPERATURE_WORDS.search(sentence) or _LEVEL_BEFORE.search(text, max(0, end - 24), end)):
        return Measure("°F" if t.group(0) == "F" else "°C", "temperature", t.end())  # 'highs of 30C', 'at -19C'
    if _DECIMAL_END.search(text, max(0, end - 16), end) and (secs := _SECONDS.match(text, end)):
        return Measure("second", "measure", secs.end())  # 'ran 9.58s'; a whole number's 's' is a decade ('1990s')
    if s := _SPEED.match(text, end):
        return Measure(_speed(s.group("len"), s.group("time")), "measure", s.end())
    m = MEASURE.match(text, end)
    if m is None or (m.group("sep").strip(" -") and not m.group("close")):
        return None
    stop = m.end() if m.group("sep").strip(" -") else _unit_end(m)
    index = next(int(k[1:]) for k, v in m.groupdict().items() if v and k[0] == "u")
    unit, written = _MEASURES[index][1], m.group(f"u{index}")
    if unit in _AS_WRITTEN:
        unit = "Mb" if written == "mb" else written
    elif unit in _SI:
        unit = _si(written, unit)
    if written in ("t", "l", "L") and m.group("sep"):
        return None  # "100t" is tonnes; "100 t" is not said
    return Measure(unit, "measure", stop)


def _si(written: str, symbol: str) -> str:
    """'KHZ' → 'kHz', 'megawatts' → 'MW', 'mV' → 'mV' (milli only for volts: nobody reports millihertz)."""
    w = written.lower()
    for word, short in (("kilo", "k"), ("mega", "M"), ("giga", "G")):
        if w.startswith(word):
            return short + symbol
    if len(written) > len(symbol) and not w.startswith(("watt", "volt", "hertz")):
        prefix = written[0]
        if symbol == "V" and prefix == "m":
            return "mV"
        return {"k": "k", "m": "M", "g": "G", "t": "T"}.get(prefix.lower(), "") + symbol
    return symbol


def _unit_end(m: re.Match[str]) -> int:
    """Where the unit ends: before a closing bracket that no opening one matches ('4 inches)')."""
    return m.start("close") if m.group("close") else m.end()


def _speed(length: str, time: str) -> str:
    length, time = length.lower(), time.lower()
    short = "km" if length.startswith("k") else "cm" if length.startswith("c") else "m"
    per = _TIME.get(time) or _TIME.get(time[:-1], "s")
    return "km/h" if (short, per) == ("km", "h") else f"{short}/{per}"


def _temperature(t: re.Match[str], sentence: str) -> Measure | None:
    """'40 deg celsius' is °C; a bare '98 degrees' or '85°' is a temperature in a sentence about heat, an angle
    in one about turning, else (degrees) nothing: 'two degrees' may be diplomas."""
    scale = (t.group("scale") or t.group("word") or "").lower()
    if scale:
        return Measure("°F" if scale.startswith("f") else "°C", "temperature", t.end())
    if _TEMPERATURE_WORDS.search(sentence):
        return Measure("degree", "temperature", t.end())
    if _ANGLE_WORDS.search(sentence):
        return Measure("degree", "measure", t.end())
    if t.group("bare") in ("°", "º"):
        return Measure("degree", "temperature", t.end())
    return None


def metre_context(text: str, end: int) -> bool:
    """After '1.8m': words that make it metres, not millions ('1.8m tall')."""
    return _METRE_CONTEXT.match(text, end) is not None


_TURNS = re.compile(r"\s(?:turns?)\b", re.IGNORECASE)
_ROTATING = re.compile(r"\b(?:rotat\w*|spin\w*|twist\w*)", re.IGNORECASE)


def turns_after(text: str, end: int, sentence: str) -> Measure | None:
    """'rotate 3 turns'."""
    m = _TURNS.match(text, end)
    return Measure("turn", "measure", m.end()) if m and _ROTATING.search(sentence) else None


# --- scales, percent, age: the rest of what can follow a number ----------------------------------------------

_SCALE_ABBR = re.compile(r"(?P<space>[ ]{0,2})(?P<abbr>bn|bln|mln|mn|mil|MM|tn|trn|tln|[kK]|[mM]|[bB]|G)(?![A-Za-z\d])")
SCALES = {"k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "mil": 10**6, "mm": 10**6, "b": 10**9, "bn": 10**9,
          "bln": 10**9, "g": 10**9, "tn": 10**12, "trn": 10**12, "tln": 10**12, "hundred": 100, "thousand": 10**3,
          "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALE_WORD = re.compile(r"\s+(?P<w>(?i:hundred|thousand|million|billion|trillion))\b")
_PERCENT = re.compile(r"\s?-?(?:(?P<pct>%)|(?i:(?P<pp>percentage\s+points?|pp\b)|(?P<bp>basis\s+points?|bps\b)"
                      r"|per\s?cents?\b|percent(?:age)?s?\b|pct\b|pc\b))")
_PERCENT_OF = re.compile(r"(?i:\b(?:per\s?cents?|percents?)\s+of\s+)\Z")
_CLAUSE_END = re.compile(r"\s*(?:$|[.,;!?])")
_AGE_AFTER = re.compile(r"(?i:(?P<sep>\s?-?)(?P<u>year|month|week|day)s?[\s-]old\b|\s(?P<u2>year|month|week|day)s?"
                        r"\s+of\s+age\b|\s?(?:yo|y/o|y\.o\.)(?![\w.]))")
_AGE_BEFORE = re.compile(r"\b(?i:aged?)\s+\Z")
_NAME_AND_AGE = re.compile(r"\b[A-Z][a-z]+,\s\Z")


@dataclass(frozen=True)
class Scale:
    """A scale after digits: '$5m', '10k', '2.33 k', '1.2b', '10 bln', '1,674.5 G'."""

    factor: int
    end: int
    maybe_metres: bool
    """'48m' with nothing to say millions or metres: millions, unless the sentence measures things."""


def scale_after(text: str, end: int, plain: bool) -> Scale | None:
    """The scale abbreviation after digits ending at ``end``; ``plain``: digits without separators or decimals,
    for which 'G' is a model name ('5G'), not giga."""
    m = _SCALE_ABBR.match(text, end)
    if m is None:
        return None
    abbr, spaced = m.group("abbr"), bool(m.group("space"))
    if (spaced and abbr in ("m", "b", "B")) or (abbr == "G" and plain):
        return None
    if abbr == "m" and metre_context(text, m.end()):
        return None
    return Scale(SCALES[abbr.lower()], m.end(), maybe_metres=abbr == "m")


def scale_word_after(text: str, end: int) -> Scale | None:
    """A scale word after a currency code: '75 USD million'."""
    m = _SCALE_WORD.match(text, end)
    return Scale(SCALES[m.group("w").lower()], m.end(), False) if m else None


@dataclass(frozen=True)
class Reading:
    """What stands next to a number and makes it a quantity of something."""

    kind: Literal["money", "percent", "measure", "temperature", "age"]
    unit: str
    start: int
    end: int
    factor: Decimal = Decimal(1)
    written_out: bool = False


def percent_around(text: str, start: int, end: int) -> Reading | None:
    """'4.5%', '100 percent', '2.5 percentage points', '50 basis points'; reversed 'percent of 10' at a clause
    end."""
    m = _PERCENT.match(text, end)
    if m:
        unit = "percentage points" if m.group("pp") else "basis points" if m.group("bp") else "percent"
        return Reading("percent", unit, start, m.end())
    before = _PERCENT_OF.search(text, max(0, start - 20), start)
    if before and _CLAUSE_END.match(text, end):
        return Reading("percent", "percent", before.start(), end)
    return None


def age_around(text: str, start: int, end: int, plain: bool) -> Reading | None:
    """'29 years old', 'a 29-year-old', 'eighteen months of age', '87 yo', 'aged 87', 'John Smith, 29,'."""
    m = _AGE_AFTER.match(text, end)
    if m:
        unit = (m.group("u") or m.group("u2") or "year").lower()
        return Reading("age", unit, start, m.end() if m.group("sep") == "-" else end)
    before = text[max(0, start - 24) : start]
    if plain and (_AGE_BEFORE.search(before) or (_NAME_AND_AGE.search(before) and text.startswith(",", end))):
        return Reading("age", "year", start, end)
    return None


def money_around(text: str, start: int, end: int, sentence: str, scaled: bool, floor: int) -> Reading | None:
    """A currency before ('$', 'US$', 'EUR', 'RM') or after ('10 €', '30 euros', '50 cents') the number."""
    before = currency_before(text, start, floor)
    if before is not None:
        return Reading("money", before.code, before.edge, end, before.factor)
    after = currency_after(text, end, sentence, scaled)
    if after is None:
        return None
    return Reading("money", after.code, start, after.edge, after.factor, after.written_out)


def reading_around(text: str, start: int, end: int, sentence: str, scaled: bool, plain: bool,
                   floor: int) -> Reading | None:
    """Money, percent, a measure or an age: the first that the words around the number say."""
    if r := money_around(text, start, end, sentence, scaled, floor) or percent_around(text, start, end):
        return r
    if m := measure_after(text, end, sentence) or turns_after(text, end, sentence):
        return Reading(m.kind, m.unit, start, m.end)
    return age_around(text, start, end, plain)


_INCHES = re.compile(r"\s+(?:and\s+)?(\d{1,2}(?:\.\d+)?)\s?(?:inch(?:es)?\b|in\b\.?|\"|″)")


def inches_after(text: str, end: int) -> tuple[Decimal, int] | None:
    """The inches of '5 ft 2 in', '5 feet and 2 inches'."""
    m = _INCHES.match(text, end)
    return (Decimal(m.group(1)), m.end()) if m else None


# --- rates: what an amount is per ------------------------------------------------------------------------------

_PER_NOUNS = {
    "second", "minute", "hour", "day", "night", "week", "fortnight", "month", "quarter", "year", "season", "decade",
    "century", "game", "match", "shift", "barrel", "share", "tonne", "ton", "kilogram", "pound", "ounce", "litre",
    "gallon", "mile", "kilometre", "unit", "head", "person", "passenger", "household", "student", "pupil", "patient",
    "resident", "employee", "worker", "vehicle", "car", "ticket", "bottle", "pack", "dose", "flight", "trip", "visit",
    "user", "subscriber", "customer", "item", "square foot", "square metre", "square mile", "acre", "hectare", "kWh",
}
_PER_FORMS = {"annum": "year", "yr": "year", "hr": "hour", "bbl": "barrel", "capita": "person", "people": "person",
              "feet": "foot", "liter": "litre", "kilometer": "kilometre", "km": "kilometre", "kg": "kilogram",
              "kilo": "kilogram", "kwh": "kWh", "square feet": "square foot", "square meter": "square metre",
              "sq ft": "square foot", "sq m": "square metre", "sq mile": "square mile"}
"""Other spellings of the nouns a rate is per."""
_RATE = re.compile(
    r"(?:\s+|-)(?:a|an|per|each)(?:\s+|-)(?P<per>(?:square|sq\.?)\s+(?:feet|foot|met(?:re|er)s?|miles?|ft|m)\b"
    r"|[a-z]+\b)(?!\s+(?:ago|earlier|before|after|later|on|from|since|or)\b)(?!-)"
    r"|\s?/\s?(?P<per_slash>day|week|month|year|yr|hour|hr|share|barrel|bbl|tonne|kg|night)\b",
    re.IGNORECASE,
)


def rate_after(text: str, end: int) -> str | None:
    """What an amount ending at ``end`` is per, when the words right after say: '$52 a barrel' → 'barrel',
    '800,000 barrels a day' → 'day', '$1,100 per square foot' → 'square foot', '£9/hour' → 'hour'. 'A year ago',
    'a year earlier' date the number; they are no rate."""
    m = _RATE.match(text, end)
    if m is None:
        return None
    written = " ".join((m.group("per") or m.group("per_slash")).lower().replace(".", "").split())
    *first, last = written.split()
    for form in (written, " ".join([*first, lexicon.singular(last)])):  # 'per square metres', 'a head'
        form = _PER_FORMS.get(form, form)
        if form in _PER_NOUNS:
            return form
    return None
