from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirebrief.numbers import figure_candidates, find_numbers, mark, unmark, unverified_numbers, word_value


def one(text: str):  # type: ignore[no-untyped-def]
    found = [m for m in find_numbers(text) if m.kind not in ("year", "date")]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "raw", "qualifier", "unit"),
    [
        ("they found 1,150 mines", 1150, "1,150", "exact", None),
        ("a population of 1.4 million", 1_400_000, "1.4 million", "exact", None),
        ("a budget of $7.4 billion", 7_400_000_000, "$7.4 billion", "exact", "USD"),
        ("contributed more than $20 billion to", 20_000_000_000, "more than $20 billion", "more than", "USD"),
        ("it costs 60 cents", 0.6, "60 cents", "exact", "USD"),
        ("for two decades", 2, "two", "exact", "decades"),
        ("80-plus members of the coalition", 80, "80-plus", "at least", None),
        ("repatriate over 9,000 detainees", 9000, "over 9,000", "more than", None),
        ("an estimated 2,500 ISIS fighters", 2500, "an estimated 2,500", "approximately", None),
        ("Eight senior leaders were killed", 8, "Eight", "exact", None),
        ("unemployment rose to 4.5%", 4.5, "4.5%", "exact", "percent"),
        ("about 200 ISIS terrorists attacked", 200, "about 200", "approximately", None),
        ("forty-five people", 45, "forty-five", "exact", None),
    ],
)
def test_examples(text: str, value: float, raw: str, qualifier: str, unit: str | None) -> None:
    m = one(text)
    assert (m.value, m.raw, m.qualifier, m.unit) == (value, raw, qualifier, unit)
    assert text[m.start : m.end] == raw


@pytest.mark.parametrize("text", ["since 2014", "in the first half of 2024.", "Formed in September 2014, after",
                                  "On July 16, CENTCOM said", "Jan. 20, 2022",
                                  "Defeat ISIS Mission for first quarter 2024 in Iraq"])
def test_years_and_dates_are_not_figures(text: str) -> None:
    assert all(m.kind in ("year", "date") for m in find_numbers(text))


@pytest.mark.parametrize("text", ["the 82nd Airborne Division", "F-16 jets", "one example", "at 10:30 today"])
def test_not_numbers(text: str) -> None:
    assert [m for m in find_numbers(text) if m.kind == "count"] == []


def test_a_count_that_looks_like_a_year() -> None:
    assert one("There were 2000 people there").kind == "count"


@given(st.integers(min_value=1000, max_value=10**13))
def test_thousands_separators(n: int) -> None:
    text = f"the count was {n:,} operations"
    m = one(text)
    assert m.value == n and m.raw == f"{n:,}"


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9),
       st.sampled_from(["million", "billion", "trillion", "thousand"]))
def test_scaled_money(whole: int, tenth: int, scale: str) -> None:
    factor = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}[scale]
    m = one(f"worth ${whole}.{tenth} {scale} in aid")
    assert m.value == pytest.approx((whole + tenth / 10) * factor, rel=1e-12)
    assert m.unit == "USD" and m.kind == "money"


@given(st.integers(min_value=2, max_value=99))
def test_number_words(n: int) -> None:
    words = {2: "two", 3: "three", 7: "seven", 12: "twelve", 19: "nineteen"}
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    if n < 20:
        word = words.get(n) or [k for k, v in _UNITS().items() if v == n][0]
    else:
        word = tens[n // 10] + (f"-{units[n % 10]}" if n % 10 else "")
    assert word_value(word) == n
    assert one(f"they saw {word} boats").value == n


def _UNITS() -> dict[str, int]:  # noqa: N802
    from wirebrief.numbers import _UNITS as units

    return units


@given(st.lists(st.sampled_from(["In 2019,", "70,000 people", "more than $3.5 million", "the", "said", "six",
                                 "about 40%", "July 5", "80-plus", "and", "two decades."]), max_size=12))
def test_spans_always_cover_raw(words: list[str]) -> None:
    text = " ".join(words)
    for m in find_numbers(text):
        assert text[m.start : m.end] == m.raw
        assert m.raw.strip() == m.raw and m.raw


def test_marking_round_trip_and_repeats() -> None:
    text = "ISIS claimed 153 attacks. Later, ISIS claimed 153 attacks again, and 44 were killed in 2024."
    mentions = find_numbers(text)
    candidates = figure_candidates(text, mentions)
    assert [m.raw for m in candidates] == ["153", "44"]  # the restatement and the year are not offered
    marked = mark(text, candidates)
    assert "[#1] 153" in marked and "[#3] 44" in marked
    assert unmark(marked) == text


def test_unverified_numbers() -> None:
    values = [m.value for m in find_numbers("They gave $20 billion and 5,000 farmers were helped in 2014.")]
    assert unverified_numbers("Donors gave $20bn to 5,000 farmers since 2014.", values) == []
    assert unverified_numbers("Donors gave $25 billion to 55,000 farmers.", values) == ["$25 billion", "55,000"]
    assert unverified_numbers(".5,000 farmers were helped", values) == []  # a stray leading "." is not 0.5
