from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirebrief.figures import (
    NON_FIGURE_KINDS,
    NumberMention,
    figure_candidates,
    find_numbers,
    mark,
    unmark,
    unverified_numbers,
    word_value,
)


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
        ("for two decades", 2, "two", "exact", "decade"),
        ("a record of eight minutes, 04.69 seconds", 484.69, "eight minutes, 04.69 seconds", "exact", "second"),
        ("finished in 2 hours 5 minutes", 125, "2 hours 5 minutes", "exact", "minute"),
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
    from wirebrief.figures.number_words import _UNITS as units

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


# --- news notation, as data: (text, raw, value, kind, unit, qualifier) of the one quantity in the text ---------

NEWS = [
    # scales and currencies
    ("raised $5m", "$5m", 5e6, "money", "USD", "exact"),
    ("some 3.5m people", "some 3.5m", 3.5e6, "count", None, "approximately"),
    ("a 10k run", "10k", 1e4, "count", None, "exact"),
    ("a $7.1b deal", "$7.1b", 7.1e9, "money", "USD", "exact"),
    ("EUR12m in fines", "EUR12m", 12e6, "money", "EUR", "exact"),
    ("AUD3.2m was paid", "AUD3.2m", 3.2e6, "money", "AUD", "exact"),
    ("RM8,500 a month", "RM8,500", 8500, "money", "MYR", "exact"),
    ("a $US1,240,000 grant", "$US1,240,000", 1_240_000, "money", "USD", "exact"),
    ("¥500 million in aid", "¥500 million", 5e8, "money", "JPY", "exact"),
    ("£1.2bn for schools", "£1.2bn", 1.2e9, "money", "GBP", "exact"),
    ("costs 5 cents", "5 cents", 0.05, "money", "USD", "exact"),
    ("470 pence a share", "470 pence", 4.7, "money", "GBP", "exact"),
    ("up 2.5 percentage points", "2.5 percentage points", 2.5, "percent", "percentage points", "exact"),
    ("for 420 million finnish markka", "420 million finnish markka", 4.2e8, "money", "FIM", "exact"),
    ("125 million australian dollars of bonds", "125 million australian dollars", 1.25e8, "money", "AUD", "exact"),
    ("it cost 30 euros", "30 euros", 30, "money", "EUR", "exact"),
    ("it only cost 3 dollars 50 cents.", "3 dollars 50 cents", 3.5, "money", "USD", "exact"),
    ("They lost 75 USD million", "75 USD million", 7.5e7, "money", "USD", "exact"),
    ("US$ 1MM target", "US$ 1MM", 1e6, "money", "USD", "exact"),
    ("Rs 500 crore", "Rs 500 crore", 5e9, "money", "INR", "exact"),
    ("fined 500 pounds", "500 pounds", 500, "money", "GBP", "exact"),
    # signs
    ("GDP fell -0.8% last year", "-0.8%", -0.8, "percent", "percent", "exact"),
    ("it was minus 5 outside", "minus 5", -5, "count", None, "exact"),
    ("a reading of −3", "−3", -3, "count", None, "exact"),
    ("negative ten", "negative ten", -10, "count", None, "exact"),
    # fractions and number words
    ("half", "half", 0.5, "count", None, "exact"),
    ("more than half the staff", "more than half", 0.5, "count", None, "more than"),
    ("½ teaspoon", "½ teaspoon", 0.5, "measure", "tsp", "exact"),
    ("3/4 of voters", "3/4", 0.75, "count", None, "exact"),
    ("10 1/2", "10 1/2", 10.5, "count", None, "exact"),
    ("one in five adults", "one in five", 0.2, "ratio", None, "exact"),
    ("two out of three", "two out of three", 2 / 3, "ratio", None, "exact"),
    ("a hundred", "a hundred", 100, "count", None, "exact"),
    ("twenty one", "twenty one", 21, "count", None, "exact"),
    ("6 hundred thousand", "6 hundred thousand", 600_000, "count", None, "exact"),
    ("one hundred and three", "one hundred and three", 103, "count", None, "exact"),
    ("a dozen", "a dozen", 12, "count", None, "exact"),
    ("3 dozens", "3 dozens", 36, "count", None, "exact"),
    ("half a dozen eggs", "half a dozen", 6, "count", None, "exact"),
    ("Half a million people", "Half a million", 500_000, "count", None, "exact"),
    ("two thirds of a million", "two thirds of a million", 2e6 / 3, "count", None, "exact"),
    ("five and a half million", "five and a half million", 5.5e6, "count", None, "exact"),
    ("three million four hundred and twelve thousand", "three million four hundred and twelve thousand",
     3_412_000, "count", None, "exact"),
    ("two hundred point zero three", "two hundred point zero three", 200.03, "count", None, "exact"),
    ("one soldier was killed", "one", 1, "count", None, "exact"),
    ("3 lakh", "3 lakh", 300_000, "count", None, "exact"),
    # digit notations
    ("1.234.567 euro-area jobs", "1.234.567", 1_234_567, "count", None, "exact"),
    ("1,234,567 votes", "1,234,567", 1_234_567, "count", None, "exact"),
    ("40 000 troops", "40 000", 40_000, "count", None, "exact"),
    ("a .08 limit", ".08", 0.08, "count", None, "exact"),
    ("1e10 operations", "1e10", 1e10, "count", None, "exact"),
    ("2.33 k", "2.33 k", 2330, "count", None, "exact"),
    ("12,34,567.89 rupees", "12,34,567.89 rupees", 1_234_567.89, "money", "INR", "exact"),
    # measures, temperatures, ages
    ("a 3-inch blade", "3-inch", 3, "measure", "inch", "exact"),
    ("it weighs 2.4 billion gallons", "2.4 billion gallons", 2.4e9, "measure", "gallon", "exact"),
    ("a 45-acre farm", "45-acre", 45, "measure", "acre", "exact"),
    ("190,000 square meters", "190,000 square meters", 190_000, "measure", "sq m", "exact"),
    ("at over 188 miles an hour", "over 188 miles an hour", 188, "measure", "mph", "more than"),
    ("cars did about 80 m.p.h. then", "about 80 m.p.h.", 80, "measure", "mph", "approximately"),
    ("grid frequency fell to 49.55 HZ on", "49.55 HZ", 49.55, "measure", "Hz", "exact"),
    ("a 2.4GHz chip", "2.4GHz", 2.4, "measure", "GHz", "exact"),
    ("a 5 W charger", "5 W", 5, "measure", "W", "exact"),
    ("a 4,500 mAh battery", "4,500 mAh", 4500, "measure", "mAh", "exact"),
    ("with 275 pound-feet of torque", "275 pound-feet", 275, "measure", "lb ft", "exact"),
    ("carbon at 1200 parts per million", "1200 parts per million", 1200, "measure", "ppm", "exact"),
    ("a 352 μm pixel pitch", "352 μm", 352, "measure", "µm", "exact"),
    ("runs at 240 volts", "240 volts", 240, "measure", "V", "exact"),
    ("a net loss of minus-8 yards", "minus-8 yards", -8, "measure", "yard", "exact"),
    ("Nikkei 225 -0.9% at the close", "-0.9%", -0.9, "percent", "percent", "exact"),  # a market line: a fall
    ("a 22 mpg engine", "22 mpg", 22, "measure", "mpg", "exact"),
    ("it boils in 12min", "12min", 12, "measure", "minute", "exact"),
    ("10kph", "10kph", 10, "measure", "km/h", "exact"),
    ("16,000 metric tons", "16,000 metric tons", 16_000, "measure", "tonne", "exact"),
    ("he is 5 ft 2 in", "5 ft 2 in", 5 + 2 / 12, "measure", "ft", "exact"),
    ("I'm 1.8m tall", "1.8m", 1.8, "measure", "m", "exact"),
    ("a 100 MB file", "100 MB", 100, "measure", "MB", "exact"),
    ("the temperature outside is 40 deg celsius", "40 deg celsius", 40, "temperature", "°C", "exact"),
    ("98.6 degrees f is normal", "98.6 degrees f", 98.6, "temperature", "°F", "exact"),
    ("-5 degree fahrenheit", "-5 degree fahrenheit", -5, "temperature", "°F", "exact"),
    ("temperatures reached 40°", "40°", 40, "temperature", "degree", "exact"),
    ("rotate 90 degrees", "90 degrees", 90, "measure", "degree", "exact"),
    ("he lost 20 pounds", "20 pounds", 20, "measure", "lb", "exact"),
    ("I'm only 29 years old!", "29", 29, "age", "year", "exact"),
    ("when the baby was ten months old", "ten", 10, "age", "month", "exact"),
    ("diagnosed at eighteen months of age", "eighteen", 18, "age", "month", "exact"),
    ("a 29-year-old man", "29-year-old", 29, "age", "year", "exact"),
    ("John Smith, 29, of Boston", "29", 29, "age", "year", "exact"),
    # reversed and other percent forms
    ("per cent of twenty-two", "per cent of twenty-two", 22, "percent", "percent", "exact"),
    ("rates rose 50 basis points", "50 basis points", 50, "percent", "basis points", "exact"),
]


@pytest.mark.parametrize(("text", "raw", "value", "kind", "unit", "qualifier"), NEWS)
def test_news_notation(text: str, raw: str, value: float, kind: str, unit: str | None, qualifier: str) -> None:
    found = [m for m in find_numbers(text) if m.kind not in NON_FIGURE_KINDS]
    assert len(found) == 1, found
    m = found[0]
    assert (m.raw, m.kind, m.unit, m.qualifier) == (raw, kind, unit, qualifier)
    assert m.value == pytest.approx(value, rel=1e-9)
    assert text[m.start : m.end] == m.raw


RANGES = [
    # (text, (low raw, low value), (high raw, high value), kind, unit)
    ("10-15 people", ("10", 10), ("15", 15), "count", None),
    ("30–45 mph", ("30", 30), ("45 mph", 45), "measure", "mph"),
    ("from $2 to $3 billion", ("$2", 2e9), ("$3 billion", 3e9), "money", "USD"),
    ("between 20 and 30", ("20", 20), ("30", 30), "count", None),
    ("between 1 million and 2 million", ("1 million", 1e6), ("2 million", 2e6), "count", None),
    ("5-10%", ("5", 5), ("10%", 10), "percent", "percent"),
    ("$5-10 billion", ("$5", 5e9), ("10 billion", 10e9), "money", "USD"),
    ("eight to 10 feet tall", ("eight", 8), ("10 feet", 10), "measure", "ft"),
    ("5k-20k", ("5k", 5e3), ("20k", 2e4), "count", None),
    ("He is about 40 - 50 years old.", ("about 40", 40), ("50", 50), "age", "year"),
    ("The 2019-20 season", ("2019", 2019), ("20", 2020), "year", None),
    ("some 2000 - 2400 calories", ("some 2000", 2000), ("2400", 2400), "count", None),  # no year below a count
    ("bake for 35 – 50min", ("35", 35), ("50min", 50), "measure", "minute"),
    ("flats in sizes from 450 sq ft up to 900 sq ft", ("450 sq ft", 450), ("up to 900 sq ft", 900), "measure", "sq ft"),
]


@pytest.mark.parametrize(("text", "raw", "value"), [
    ("Shares in the bank rose 3p to 164p in London trading.", "164p", 1.64),
    ("The FTSE firm's stock closed at 87.5p.", "87.5p", 0.875),
])
def test_pence_after_a_number_in_a_sentence_about_prices(text: str, raw: str, value: float) -> None:
    m = next(m for m in find_numbers(text) if m.raw == raw)
    assert (m.kind, m.unit, m.value) == ("money", "GBP", pytest.approx(value))


def test_sen_beside_ringgit_are_money() -> None:
    m = find_numbers("Heineken Malaysia rose 18 sen to RM23.50.")[0]
    assert (m.raw, m.kind, m.unit, m.value) == ("18 sen", "money", "MYR", pytest.approx(0.18))
    assert find_numbers("He had 15 sen for it.")[0].kind == "count"  # no ringgit in sight: not read as money


@pytest.mark.parametrize("text", ["See page 4p of the report.", "The TV shows 1080p video at a price of $300.",
                                  "He found a 2p coin."])
def test_a_p_that_is_no_pence_stays_off_money(text: str) -> None:
    assert not any(m.unit == "GBP" for m in find_numbers(text))


@pytest.mark.parametrize("text", ["profit increased by $4.1 billion to $12.9 billion", "up 12 cents to $3.40",
                                  "shares rose 9 pence to 150 pence"])
def test_an_amount_of_change_and_the_level_it_reached_are_no_range(text: str) -> None:
    a, b = find_numbers(text)
    assert a.range_id is None and b.range_id is None


def test_the_other_end_of_a_range_of_days_is_a_day() -> None:
    assert [m.kind for m in find_numbers("open June 3-7 and Oct. 18 to 22")] == ["date"] * 4
    assert [m.kind for m in find_numbers("from 2008 to 29 mpg")] == ["year", "measure"]  # '2008-09' needs a dash


@pytest.mark.parametrize(("text", "low", "high", "kind", "unit"), RANGES)
def test_ranges_are_two_linked_mentions(text: str, low: tuple[str, float], high: tuple[str, float], kind: str,
                                        unit: str | None) -> None:
    a, b = find_numbers(text)
    assert (a.raw, b.raw) == (low[0], high[0])
    assert (a.value, b.value) == (pytest.approx(low[1]), pytest.approx(high[1]))
    assert (a.kind, a.unit) == (b.kind, b.unit) == (kind, unit)
    assert a.range_id == b.range_id == a.id


NOT_FIGURES = [
    # (text, raw, kind): numbers, but no quantities
    ("the 1990s", "1990s", "decade"),
    ("in the '90s", "'90s", "decade"),
    ("the 21st century", "21st", "ordinal"),
    ("the 5000th visitor", "5000th", "ordinal"),
    ("No. 10 Downing Street", "10", "identifier"),
    ("call 555-123-4567", "555-123-4567", "identifier"),
    ("call +44 20 7946 0958", "+44 20 7946 0958", "identifier"),
    ("the 5G network", "5G", "identifier"),
    ("F-16 jets", "F-16", "identifier"),
    ("the X-5000 drone", "X-5000", "identifier"),
    ("COVID-19 cases", "COVID-19", "identifier"),
    ("Flight MH17", "MH17", "identifier"),
    ("at 10:30 today", "10:30", "time"),
    ("at 7 a.m.", "7 a.m.", "time"),
    ("shares rose by 0900 GMT", "0900", "time"),  # a 24-hour clock before a time zone, not 900 of anything
    ("the polls close at 2200 local time", "2200", "time"),
    ("trading resumed at 3.30pm", "3.30pm", "time"),
    ("on 9/11", "9/11", "date"),
    ("on July 16", "16", "date"),
    ("the 192.168.1.2 address", "192.168.1.2", "identifier"),
    ("the men's 4x100m relay team", "4x100m", "identifier"),  # a relay, not four of anything
]


@pytest.mark.parametrize(("text", "bounds"), [
    ("just 17% of 18 to 24 year olds", ["18", "24"]),
    ("3,028 adults aged 18 or over were interviewed", ["18"]),
    ("14% of people aged between 18 and 34 said so", ["18", "34"]),
    ("compared with 39% of people under 55", ["under 55"]),
    ("employment for women aged 25 to 54 grew", ["25", "54"]),
])
def test_the_ages_that_bound_a_group_are_no_figures(text: str, bounds: list[str]) -> None:
    assert [m.raw for m in find_numbers(text) if m.kind == "band"] == bounds
    assert all(not m.is_figure_candidate for m in find_numbers(text) if m.raw in bounds)


@pytest.mark.parametrize("text", ["A man aged 18 was arrested.", "a 12-year-old boy", "He is 40 years old."])
def test_a_persons_age_stays_an_age(text: str) -> None:
    assert [m.kind for m in find_numbers(text)] == ["age"]


def test_a_race_in_a_list_of_titles_names_an_event() -> None:
    assert [m.kind for m in find_numbers("Britain's 800m and 1500m champion Kelly Holmes")] == ["identifier"] * 2


@pytest.mark.parametrize(("text", "raw", "kind"), NOT_FIGURES)
def test_not_figures(text: str, raw: str, kind: str) -> None:
    (m,) = find_numbers(text)
    assert (m.raw, m.kind) == (raw, kind)
    assert m.kind in NON_FIGURE_KINDS and not m.is_figure_candidate


def test_four_digits_before_hours_stay_a_count() -> None:
    (m,) = find_numbers("They filmed 1200 hours of footage.")
    assert (m.value, m.kind) == (1200, "count")


def test_a_score_is_a_linked_pair_of_non_figures() -> None:
    a, b = find_numbers("a 3-2 win over Chelsea")
    assert (a.value, b.value, a.kind, b.kind) == (3, 2, "score", "score") and a.range_id == b.range_id
    assert find_numbers("a trio of second-half tries from the fly-half") == []  # parts of a match, a position
    for text in ("the Olympic 10,000m champion", "the two mile world record", "Everitt for Mapletoft (53)"):
        assert [m.kind for m in find_numbers(text)] == ["identifier"], text  # an event's name, a line-up minute
    assert [m.kind for m in find_numbers("the 2004 and 2005 model years")] == ["year", "year"]
    for line in ("Wasps 31-37 Leicester", "London Irish 19-33 Wasps"):  # a result line: between two names
        assert [m.kind for m in find_numbers(line)] == ["score", "score"], line
    assert [m.kind for m in find_numbers("prices rose 10-15 percent")] == ["percent", "percent"]


def test_years_are_numbers_but_no_candidates() -> None:
    (m,) = find_numbers("since 2014")
    assert m.kind == "year" and "year" not in NON_FIGURE_KINDS and not m.is_figure_candidate


@pytest.mark.parametrize("text", ["no one came", "someone said", "it was one of the worst", "One day later",
                                  "the one you mentioned", "Which one do you prefer?", "the first half of 2024",
                                  "a third term", "the twenty-first century", "thousands fled", "a one-off fee",
                                  "sales are expected to grow this half"])
def test_idioms_are_no_numbers(text: str) -> None:
    assert [m for m in find_numbers(text) if m.is_figure_candidate] == []


@pytest.mark.parametrize("text", ["http://x.com/a?q=30%25%2020%", "see www.example.com/2024/05/report-100"])
def test_urls_hold_no_numbers(text: str) -> None:
    assert find_numbers(text) == []


def test_same_figure_in_two_places_is_two_candidates() -> None:
    text = "In Iraq, 14 ISIS operatives were killed. In Syria, 14 ISIS operatives were killed."
    assert [m.raw for m in figure_candidates(text, find_numbers(text))] == ["14", "14"]


def test_a_headline_restated_in_the_lede_is_one_candidate() -> None:
    text = "Coalition says 153 attacks foiled\n\nThe coalition says 153 attacks foiled in March were planned."
    assert [m.raw for m in figure_candidates(text, find_numbers(text))] == ["153"]


@pytest.mark.parametrize("prose", ["the 5000th visitor", "a 12-9,999 result", "the X-5000 jet", "3/9999 of them",
                                   "at 10:9999", "Half a million people", "Thousands fled", "several hundred came"])
def test_unverified_numbers_knows_every_form(prose: str) -> None:
    values = [m.value for m in find_numbers("12 soldiers and 5 officers met on 9 May. 3 in 10 agreed.")]
    assert unverified_numbers(prose, values) != []


def test_verified_forms_pass() -> None:
    article = "Half a million people fled; one in five homes, 3/4 of the town and the 5000th tent were hit at 10:30."
    values = [m.value for m in find_numbers(article)]
    prose = "Half a million fled; one in five homes and 3/4 of the town were hit; the 5000th tent, at 10:30."
    assert unverified_numbers(prose, values) == []
    assert unverified_numbers("no one knows; it was one of the worst", []) == []


# --- properties, per family -------------------------------------------------------------------------------------


@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from([".", "\u202f", "\u00a0"]))
def test_grouped_thousands_round_trip(n: int, sep: str) -> None:
    if sep == ".":
        n *= 1000  # one dot group is a decimal point ("4.800" is 4.8); two or more are European thousands
    written = f"{n:,}".replace(",", sep)
    m = one(f"the count was {written} operations")
    assert m.value == n and m.raw == written


_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_WORDS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell_below_1000(n: int, hyphen: bool) -> str:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    small = _ONES[rest] if rest < 20 else _TENS_WORDS[tens] + (("-" if hyphen else " ") + _ONES[ones] if ones else "")
    if hundreds and rest:
        return f"{_ONES[hundreds]} hundred and {small}"
    return f"{_ONES[hundreds]} hundred" if hundreds else small


def _spell(n: int, hyphen: bool) -> str:
    parts = []
    for scale, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"), (1, "")):
        group, n = divmod(n, scale)
        if group:
            parts.append(f"{_spell_below_1000(group, hyphen)} {name}".strip())
    return " ".join(parts)


@given(st.integers(min_value=2, max_value=10**12 - 1), st.booleans())
def test_number_words_to_any_size(n: int, hyphen: bool) -> None:
    words = _spell(n, hyphen)
    m = one(f"they counted {words} boats")
    assert (m.value, m.raw) == (n, words)
    assert word_value(words) == n


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9),
       st.sampled_from([("k", 10**3), ("m", 10**6), ("bn", 10**9), (" million", 10**6), (" billion", 10**9),
                        (" trillion", 10**12), ("mn", 10**6), ("tn", 10**12)]),
       st.sampled_from([("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("US$", "USD"), ("EUR ", "EUR"), ("", None)]))
def test_scales(whole: int, tenth: int, scale: tuple[str, int], currency: tuple[str, str | None]) -> None:
    m = one(f"worth {currency[0]}{whole}.{tenth}{scale[0]} in aid")
    assert m.value == pytest.approx((whole + tenth / 10) * scale[1], rel=1e-12)
    assert m.unit == currency[1] and m.kind == ("money" if currency[1] else "count")


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6),
       st.sampled_from(["{a}-{b}", "{a}–{b}", "{a} to {b}", "between {a} and {b}", "from {a} to {b}"]),
       st.sampled_from(["", "%", " km", " people"]))
def test_ranges_give_two_linked_ends(a: int, gap: int, form: str, unit: str) -> None:
    b = a + gap
    text = "estimates of " + form.format(a=f"{a:,}", b=f"{b:,}") + unit
    low, high = [m for m in find_numbers(text) if m.kind not in NON_FIGURE_KINDS]
    assert (low.value, high.value) == (a, b)
    assert low.range_id == high.range_id == low.id and low.unit == high.unit


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
       st.sampled_from(["-", "−", "minus ", "negative "]), st.sampled_from(["", "%", " degrees celsius"]))
def test_signs(x: object, sign: str, unit: str) -> None:
    m = one(f"a reading of {sign}{x}{unit} was taken")
    assert m.value == pytest.approx(-float(str(x)))
    assert m.raw.startswith(sign.strip())


@given(st.lists(st.sampled_from(["In 2019,", "70,000 people", "more than $3.5 million", "one", "half", "said", "six",
                                 "about 40%", "July 5", "80-plus", "and", "10-15", "3/4", "F-16", "1990s", "-5",
                                 "a dozen", "one in five", "40 deg celsius", "5 ft 2 in", "£1.2bn", "10:30"]),
                max_size=14))
def test_mentions_never_overlap(words: list[str]) -> None:
    text = " ".join(words)
    found: list[NumberMention] = find_numbers(text)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start and a.id + 1 == b.id
    for m in found:
        assert text[m.start : m.end] == m.raw


@pytest.mark.parametrize(("text", "raw"), [
    ("An office, Unit 3 at 16-18 Industrial Avenue, has been leased.", "16"),  # a street address
    ("An office, Unit 3 at 16-18 Industrial Avenue, has been leased.", "18"),
    ("He lives at 221 Baker Street.", "221"),
    ("In the 90049 ZIP Code, based on 37 sales, the median price rose.", "90049"),
    ("Homes in zip code 90210 cost more.", "90210"),
])
def test_an_address_or_a_zip_code_is_no_figure(text: str, raw: str) -> None:
    assert next(m.kind for m in find_numbers(text) if m.raw == raw) == "identifier"


def test_a_year_past_2100_after_by_is_a_year() -> None:
    assert next(m.kind for m in find_numbers("Coasts could be submerged by 2120, scientists warn.")) == "year"


@pytest.mark.parametrize(("text", "raw", "kind"), [
    ("Kelly Holmes is taking part in the 1000m.", "1000m", "identifier"),  # the race
    ("They will go head-to-head in the 60m on Sunday.", "60m", "identifier"),
    ("The wall is 100m long.", "100m", "measure"),
])
def test_the_race_a_distance_names(text: str, raw: str, kind: str) -> None:
    assert next(m.kind for m in find_numbers(text) if m.raw == raw) == kind


@pytest.mark.parametrize(("text", "value"), [
    ("There was a shortage, with nearly a fifth saying they were too sick to work.", 0.2),  # what they say
    ("A third said they would vote.", 1 / 3),
    ("He won a third term.", None),  # an ordinal before its noun
])
def test_a_fraction_after_a_before_what_its_people_say(text: str, value: float | None) -> None:
    found = [m.value for m in find_numbers(text)]
    assert found == ([] if value is None else [pytest.approx(value)])


@pytest.mark.parametrize(("text", "raw"), [
    ("Chipmakers will produce sub-7 nanometer chips.", "sub-7 nanometer"),
    ("Demand for sub-300 sq m office space has surged.", "sub-300 sq m"),
])
def test_sub_before_a_number_is_less_than(text: str, raw: str) -> None:
    assert [(m.raw, m.qualifier) for m in find_numbers(text)] == [(raw, "less than")]


@pytest.mark.parametrize(("text", "found"), [
    ("the production of eight million 250ml bottles", [("eight million", 8_000_000), ("250ml", 250)]),
    ("eight million 250 bottles", [("eight million", 8_000_000), ("250", 250)]),
    ("4 thousand 3 hundred and 21 is a valid number", [("4 thousand 3 hundred and 21", 4321)]),
    ("in the last half hour", [("half", 0.5)]),  # half an hour, not the half of a year
])
def test_a_number_ends_where_its_words_do(text: str, found: list[tuple[str, float]]) -> None:
    assert [(m.raw, m.value) for m in find_numbers(text)] == found


@pytest.mark.parametrize(("text", "value"), [
    ("The mass of the sun is approximately 1.99×10−30 kilograms.", 1.99e-30),  # a minus sign, no caret
    ("a wavelength of 2.5 × 10⁻⁶ m", 2.5e-6),  # superscripts
    ("about 1.3x10^6 cells", 1.3e6),
])
def test_scientific_notation_is_one_number(text: str, value: float) -> None:
    assert [m.value for m in find_numbers(text)] == [pytest.approx(value)]


@pytest.mark.parametrize(("text", "value", "kind", "unit"), [
    ("Temperatures fell to -19C overnight.", -19, "temperature", "°C"),
    ("It was 30C in Madrid.", 30, "temperature", "°C"),
    ("Lows of 14F are forecast.", 14, "temperature", "°F"),
    ("She sat in seat 30C.", 30, "identifier", None),  # a place, a model or a form, not a temperature
    ("Direct Relief chartered a Boeing 777F.", 777, "identifier", None),
    ("When must 13F be filed?", 13, "identifier", None),
])
def test_a_capital_c_or_f_after_a_number_is_a_temperature_where_one_is_spoken_of(
        text: str, value: float, kind: str, unit: str | None) -> None:
    assert [(m.value, m.kind, m.unit) for m in find_numbers(text)] == [(value, kind, unit)]


@pytest.mark.parametrize(("text", "found"), [
    ("Bolt ran 9.58s in Berlin.", [("9.58s", 9.58, "measure", "second")]),  # a decimal with an 's' is seconds
    ("Sales peaked in the 1990s.", [("1990s", 1990, "decade", None)]),  # a whole number with one is a decade
])
def test_a_decimal_with_an_s_is_a_time_in_seconds(text: str, found: list[tuple[str, float, str, str | None]]) -> None:
    assert [(m.raw, m.value, m.kind, m.unit) for m in find_numbers(text)] == found
