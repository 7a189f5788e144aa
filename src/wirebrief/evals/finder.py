"""The number finder's yardstick: Microsoft Recognizers-Text English specs (MIT), scored by value and value+unit.

Each spec case is a sentence with the quantities a recognizer must find (text, value, unit, character span).
A finder mention matches an expected quantity when the values are equal (relative 1e-5) and the spans overlap;
a range (`[20,100)`) expects both ends. value+unit also needs the unit, mapped to wirebrief's names below.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirebrief.figures.finder import find_numbers
from wirebrief.figures.mention import NON_FIGURE_KINDS

FILES = ("NumberModel", "PercentModel", "CurrencyModel", "DimensionModel", "AgeModel", "TemperatureModel",
         "NumberRangeModel")
KINDS: dict[str, set[str] | None] = {
    "PercentModel": {"percent"}, "CurrencyModel": {"money"}, "DimensionModel": {"measure"}, "AgeModel": {"age"},
    "TemperatureModel": {"temperature"}, "NumberModel": None, "NumberRangeModel": None,
}
"""The mention kinds each spec file asks for (a currency spec does not want the year in its sentence); None: every
quantity."""
UNITS_SCORED = {"CurrencyModel", "DimensionModel", "AgeModel", "TemperatureModel", "PercentModel"}

_SUBUNITS = {"Cent": ("USD", 0.01), "Pence": ("GBP", 0.01), "Penny": ("GBP", 0.01), "Sen": ("JPY", 0.01),
             "Satoshi": ("BTC", 1e-8)}
"""Recognizers-Text reads "50 cents" as 50 Cent; wirebrief as 0.50 USD."""
_UNIT_NAMES = {
    # currency
    "Dollar": "USD", "United States dollar": "USD", "Euro": "EUR", "Chinese yuan": "CNY", "Pound": "GBP",
    "British pound": "GBP", "Canadian dollar": "CAD", "Japanese yen": "JPY", "Franc": "CHF", "Swiss franc": "CHF",
    "Australian dollar": "AUD", "Bitcoin": "BTC", "Turkish lira": "TRY", "Rupee": "INR", "Mexican peso": "MXN",
    "Finnish markka": "FIM", "Hong Kong dollar": "HKD", "Peseta": "ESP", "Netherlands guilder": "NLG",
    "Costa Rican colón": "CRC", "Georgian lari": "GEL", "Lao kip": "LAK", "Sri Lankan rupee": "LKR",
    "New Zealand dollar": "NZD",
    # dimension
    "Foot": "ft", "Meter": "m", "Mile": "mile", "Gallon": "gallon", "Ton": "ton", "Metric ton": "tonne",
    "Kilometer per hour": "km/h", "Kilogram": "kg", "Microgram": "µg", "Inch": "inch", "Square meter": "sq m",
    "Kilometer": "km", "Millimeter": "mm", "Decimeter": "dm", "Picometer": "pm", "Degree": "degree", "Turn": "turn",
    "Milliliter": "ml", "Barrel": "barrel", "Ounce": "oz", "Acre": "acre", "Cubic foot": "cu ft", "Bit": "bit",
    "Mile per hour": "mph", "Square kilometer": "sq km", "Megabit": "Mb", "Megabyte": "MB", "Tablespoon": "tbsp",
    "Cup": "cup", "Teaspoon": "tsp", "Dram": "dram", "Meter per millisecond": "m/ms",
    "Centimeter per millisecond": "cm/ms", "Kilometer per millisecond": "km/ms", "Gram": "g", "Radian": "rad",
    # temperature and age
    "C": "°C", "F": "°F", "Year": "year", "Month": "month", "Week": "week", "Day": "day", "Age": "year",
}
_DIMENSION_POUND = "lb"


@dataclass(frozen=True)
class Expected:
    value: float
    unit: str | None
    start: int
    end: int
    text: str


@dataclass
class FileScore:
    name: str
    expected: int = 0
    predicted: int = 0
    value_hits: int = 0
    unit_hits: int = 0
    misses: list[str] | None = None
    spurious: list[str] | None = None

    def f1(self, hits: int) -> float:
        p = hits / self.predicted if self.predicted else 1.0
        r = hits / self.expected if self.expected else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict[str, Any]:
        p = self.value_hits / self.predicted if self.predicted else 1.0
        r = self.value_hits / self.expected if self.expected else 1.0
        return {"file": self.name, "expected": self.expected, "predicted": self.predicted, "precision": p,
                "recall": r, "value_f1": self.f1(self.value_hits),
                "value_unit_f1": self.f1(self.unit_hits) if self.name in UNITS_SCORED else None}


def _values(resolution: dict[str, Any]) -> list[float]:
    raw = str(resolution.get("value"))
    if raw in ("None", "null"):
        return []  # a bare unit word ("dollars", "percent"): no number to find
    if raw[:1] in "[(":
        ends = [float(x) for x in re.findall(r"-?[\d.]+(?:E-?\d+)?", raw)]
        return sorted(set(ends))  # "[20,20]" ("equals 20") is one quantity
    return [float(raw.rstrip("%"))]


def expected_of(case: dict[str, Any], name: str) -> list[Expected]:
    found = []
    for r in case["Results"]:
        res = r["Resolution"]
        unit = res.get("unit")
        scale = 1.0
        if unit in _SUBUNITS:
            unit, scale = _SUBUNITS[unit]
        elif unit == "Pound" and name == "DimensionModel":
            unit = _DIMENSION_POUND
        elif unit is not None:
            unit = _UNIT_NAMES.get(unit, unit)
        elif name == "PercentModel":
            unit = "percent"
        for v in _values(res):
            found.append(Expected(v * scale, unit, r["Start"], r["End"] + 1, r["Text"]))
    return found


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-5 * max(1.0, abs(a), abs(b))


def score_file(path: Path) -> FileScore:
    name = path.stem
    score = FileScore(name, misses=[], spurious=[])
    for case in json.loads(path.read_text(encoding="utf-8")):
        text = case["Input"]
        want = expected_of(case, name)
        kinds = KINDS.get(name)
        got = [m for m in find_numbers(text) if m.kind not in NON_FIGURE_KINDS and (kinds is None or m.kind in kinds)]
        score.expected += len(want)
        score.predicted += len(got)
        used: set[int] = set()
        for e in want:
            hit = next((i for i, m in enumerate(got) if i not in used and _close(m.value, e.value)
                        and m.start < e.end and e.start < m.end), None)
            if hit is None:
                assert score.misses is not None
                score.misses.append(f"{text.strip()[:70]!r}: {e.text!r}={e.value:g}")
                continue
            used.add(hit)
            score.value_hits += 1
            score.unit_hits += got[hit].unit == e.unit
        assert score.spurious is not None
        score.spurious += [f"{text.strip()[:70]!r}: {m.raw!r}" for i, m in enumerate(got) if i not in used]
    return score


def score_all(directory: Path) -> list[FileScore]:
    return [score_file(directory / f"{name}.json") for name in FILES if (directory / f"{name}.json").is_file()]
