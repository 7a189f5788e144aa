"""Labels proposed by code (labels.py): numbers that are not figures, units said earlier, ages, sources as the
article names them. Each rule was found on the development set (evals/gold/dev) and holds for any news."""

from __future__ import annotations

import pytest

from wirebrief.brief.schema import Figure
from wirebrief.pipeline import Pipeline


def figures(pipeline: Pipeline, text: str) -> dict[str, Figure]:
    return {f.raw: f for f in pipeline.summarize(f"Headline\n{text}").figures}


@pytest.mark.parametrize(("text", "not_figures", "figures_kept"), [
    ("Halo 2 sold five million copies, and Internet Explorer 7 is due.", {"2", "7"}, {"five million"}),
    ("GM is recalling 20,000 pickups from the 2004 and 2005 model years.", {"2004", "2005"}, {"20,000"}),
    ("The 1999 agreement created 2000 new jobs.", {"1999"}, {"2000"}),
    ("The Sony Xperia Tab 4 Max costs $300.", {"4"}, {"$300"}),  # a name that goes on after the number
    ("The airline is grounding two new 737 Max jets.", {"737"}, {"two"}),  # 'two' counts the jets
    ("Police seized 20 Apple phones.", set(), {"20"}),
    ("Bekele, the Olympic 10,000m champion, ran 400m in training.", {"10,000m"}, set()),
    ("Replacements: Everitt for Mapletoft (53), Reid for Murphy (47). The club sold 300 tickets.", {"53", "47"},
     {"300"}),
])
def test_numbers_that_are_not_figures(pipeline: Pipeline, text: str, not_figures: set[str],
                                      figures_kept: set[str]) -> None:
    found = figures(pipeline, text)
    assert not not_figures & set(found), found
    assert figures_kept <= set(found), found


def test_a_noun_said_earlier_is_the_unit(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The Labor Department revised up the number of jobs created in the two previous "
                              "months - to 139,000 in September instead of 96,000.")
    for raw in ("139,000", "96,000"):
        assert found[raw].unit == "job" and "created" in found[raw].what, found[raw]
    found = figures(pipeline, "The move will increase the number of specialist sport colleges from 350 to 400.")
    assert found["350"].unit == found["400"].unit == "college"
    found = figures(pipeline, "Members would serve terms of 12 or 14 years.")
    assert found["12"].unit == found["14"].unit == "year"


def test_ages(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The 31-year-old Dane lost to Agassi. Davis died at the age of 87 in Miami. Prince "
                              "Charles, 56, and Mrs Parker Bowles, 57, hosted a dinner. The 28-year-old has trained.")
    ages = {raw: (f.unit, f.what) for raw, f in found.items()}
    assert ages == {"31-year-old": ("year", "Dane age"), "87": ("year", "Davis age"),
                    "56": ("year", "Prince Charles age"), "57": ("year", "Mrs Parker Bowles age"),
                    "28-year-old": ("year", "age")}  # whose age it is, when the sentence says


@pytest.mark.parametrize(("text", "raw"), [
    ("He will be 35 by the end of the year.", "35"),
    ("They moved to Ohio when their older daughter was 10.", "10"),
    ("She is 29 and lives in Leeds.", "29"),
])
def test_the_number_a_person_is_is_an_age(pipeline: Pipeline, text: str, raw: str) -> None:
    found = figures(pipeline, text)[raw]
    assert found.unit == "year" and found.what in ("age", "older daughter age"), found  # a pronoun names nobody


@pytest.mark.parametrize(("text", "raw"), [
    ("He was 2 under par after the round.", "2"),  # a score
    ("The score was 2 at half-time.", "2"),  # no person
])
def test_a_number_a_person_is_not_is_no_age(pipeline: Pipeline, text: str, raw: str) -> None:
    assert figures(pipeline, text)[raw].what != "age"


def test_a_source_is_named_as_the_article_shortens_it(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The US Central Command (CENTCOM) said it had carried out 94 operations. Central "
                              "Command said 18 fighters were killed.")
    assert found["18"].source == "CENTCOM"


def test_a_capitalised_plural_unit_is_singular(pipeline: Pipeline) -> None:
    found = figures(pipeline, "During this period, a total of 94 Defeat ISIS Missions were executed.")
    assert found["94"].unit == "mission"


@pytest.mark.parametrize(("text", "raw"), [
    ("A third of pupils do two hours of sport a week.", "A third"),
    ("One in eight credit cards is in default.", "One in eight"),
    ("Half-Life 2 climbed to number nine in the chart.", "nine"),
])
def test_a_share_or_a_rank_has_no_unit(pipeline: Pipeline, text: str, raw: str) -> None:
    assert figures(pipeline, text)[raw].unit is None


def test_nationals_and_farmers_are_people(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The scheme helped 5,000 farmers. About 500 Americans live there.")
    assert found["5,000"].unit == found["About 500"].unit == "people"


def test_an_amount_converted_in_brackets_says_what_the_amount_says(pipeline: Pipeline) -> None:
    found = figures(pipeline, "WMC rejected a hostile 7.4bn Australian dollar ($5.8bn; £3bn) bid by rival Xstrata.")
    first = found["7.4bn Australian dollar"]
    assert found["$5.8bn"].what == found["£3bn"].what == first.what and first.what
    assert (found["$5.8bn"].unit, found["£3bn"].unit) == ("USD", "GBP")


@pytest.mark.parametrize(("text", "raw", "per"), [
    ("Brent crude rose to $71 a barrel in London.", "$71", "barrel"),
    ("Output was cut by 400,000 barrels a day.", "400,000 barrels", "day"),
    ("Homes sold for about $1,100 per square foot.", "about $1,100", "square foot"),
    ("The minimum wage goes up to £9.50 an hour.", "£9.50", "hour"),
    ("Police recorded 20 burglaries per week.", "20", "week"),
    ("The offer is priced between $62 and $68 a share.", "$62", "share"),  # both ends of the range
    ("Sales rose 10% a year earlier.", "10%", None),  # 'a year earlier' dates the figure; it is no rate
    ("The village has 300 people and a church.", "300", None),
])
def test_a_rate_says_what_it_is_per(pipeline: Pipeline, text: str, raw: str, per: str | None) -> None:
    found = figures(pipeline, text)
    assert found[raw].per == per, found[raw]


def test_one_sentence_states_each_of_its_figures(pipeline: Pipeline) -> None:
    """A value said twice in one sentence is two facts; the ends of two ranges that meet are four."""
    found = pipeline.summarize("Headline\nIt bought a 51% stake in a school and a 51% stake in a college.").figures
    assert [f.raw for f in found] == ["51%", "51%"]
    found = pipeline.summarize("Headline\nFlats from $200,000 to $300,000 sell in 40 days; $300,000 to $400,000, "
                               "in 55 days.").figures
    assert [f.value for f in found if f.unit == "USD"] == [200_000, 300_000, 300_000, 400_000]


@pytest.mark.parametrize(("text", "raw", "unit"), [
    ("A magnitude 6.8 earthquake struck central Morocco.", "6.8", None),  # it rates one earthquake
    ("Hall averaged 18.4 ppg last season.", "18.4", "point"),  # a sports average counts points
    ("The firm sold 2.5 million cars.", "2.5 million", "car"),
])
def test_a_decimal_before_a_singular_noun_counts_none_of_it(pipeline: Pipeline, text: str, raw: str,
                                                            unit: str | None) -> None:
    assert figures(pipeline, text)[raw].unit == unit
