"""Issue 17's label families, each on sentences of its own kind (not the dev set's): which way a figure moved and
from what, where it is (its sentence, its paragraph, the article only when it is about one place), when, who says
so, and whose figure it is. Every filled label records where it came from."""

from __future__ import annotations

import pytest

from wirebrief.brief.schema import Figure
from wirebrief.pipeline import Pipeline


def figures(pipeline: Pipeline, text: str) -> dict[str, Figure]:
    return {f.raw: f for f in pipeline.summarize(f"Headline\n{text}").figures}


@pytest.mark.parametrize(("text", "raw", "change"), [
    ("Acme's shares rose 4.5% to 6.2 euros in early trading.", "4.5%", "up"),
    ("Acme's shares rose 4.5% to 6.2 euros in early trading.", "6.2 euros", None),  # a level beside an amount
    ("Exports to Brazil dropped 7% to $2.3 billion.", "7%", "down"),
    ("The grid's frequency fell to 49.55 Hz on Monday.", "49.55 Hz", "down"),  # only the level: it carries the way
    ("The crude contract was up 19 cents at $58.24 a barrel.", "19 cents", "up"),
    ("Card spending showed a rise of 14.8% year-on-year.", "14.8%", "up"),
    ("There was a fall in exports of 3% last year.", "3%", "down"),
    ("Sales of the console posted a 10% increase.", "10%", "up"),
    ("Employment grew by 125,600 positions last year.", "125,600", "up"),
    ("Shares of the coal producer slid 0.8% after the fire.", "0.8%", "down"),
    ("The index lost 1.1% to end at 1,334.", "1.1%", "down"),
    ("The firm lost $5m on the deal.", "$5m", None),  # a loss, not a fall
    ("The start-up raised £30m from investors.", "£30m", None),  # money raised, not a rise
    ("Floods followed after 150mm of rain fell in 24 hours.", "150mm", None),  # rain that fell
    ("The average house price fell by 1.2% to £285,000, Halifax said.", "£285,000", None),  # a level
    ("Rainfall fell 20% below the average.", "20%", "down"),
    ("Waiting lists reached a record 7.6 million in September, up from 7.4 million.", "7.6 million", "up"),
    ("The chain raised prices by £5 a night.", "£5", "up"),
    ("The bank raised its stake 5% to 15%.", "5%", "up"),
    ("On Wall Street: Dow +0.2% and Nasdaq +0.8%.", "0.2%", "up"),
    ("The company employs 600 people in Texas.", "600", None),
    ("The chain set up 30 shops in the north.", "30", None),  # a particle of a verb that moves nothing
    ("Police picked up 12 suspects overnight.", "12", None),
    ("More than 9,000 fans signed up for the ballot.", "More than 9,000", None),
    ("Its shares shot up more than 7% in early trading.", "more than 7%", "up"),
    ("Fares were revised down 2% in May.", "2%", "down"),
])
def test_which_way_a_figure_moved(pipeline: Pipeline, text: str, raw: str, change: str | None) -> None:
    assert figures(pipeline, text)[raw].change == change


def test_from_to_after_a_word_of_movement_is_a_change_with_a_baseline(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The plan will increase the number of sports colleges from 350 to 400.")
    assert found["400"].baseline == 350 and found["400"].change == "up"
    assert found["400"].range_id is None and found["350"].range_id is None  # a change, not a range
    found = figures(pipeline, "Turnout fell from 71% to 59% and membership grew from 3,000 to 4,200.")
    assert (found["59%"].change, found["59%"].baseline) == ("down", 71)  # past forms: fell, grew, rose
    assert (found["4,200"].change, found["4,200"].baseline) == ("up", 3000)


def test_from_to_without_movement_stays_a_range(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Flats could be priced from RM120,000 to RM300,000 in the valley.")
    assert found["RM300,000"].baseline is None and found["RM300,000"].change is None
    assert found["RM120,000"].range_id is not None and found["RM120,000"].range_id == found["RM300,000"].range_id


def test_a_bare_to_value_measures_what_its_from_value_does(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Fuel economy rose from 21 mpg combined to 23 on the new model.")
    assert (found["23"].change, found["23"].baseline) == ("up", 21)


def test_a_range_that_ends_is_not_paired_again(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Economy improved from 14-18 mpg to 24 mpg in the hybrid.")
    assert found["14"].range_id == found["18 mpg"].range_id is not None
    assert found["24 mpg"].range_id is None


def test_compared_with_an_earlier_value_is_the_baseline(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Pre-tax profit was £2.5bn, compared with £2.1bn a year earlier.")
    assert found["£2.5bn"].baseline == 2_100_000_000 and found["£2.5bn"].change == "up"


def test_compared_across_groups_is_no_baseline(pipeline: Pipeline) -> None:
    found = figures(pipeline, "In the poll 69% of pensioners voted, compared with 17% of students.")
    assert found["69%"].baseline is None


def test_where_comes_from_the_sentence_then_the_paragraph_never_another_place(pipeline: Pipeline) -> None:
    text = ("Rebels and troops fought across Chad and Niger this month.\n\nIn Chad, 40 soldiers were killed. "
            "Another 12 were wounded.\n\nIn Niger, 30 soldiers were killed.\n\nAid agencies sent 200 trucks.")
    found = figures(pipeline, text)
    assert (found["40"].where, found["40"].label_from["where"]) == ("Chad", "sentence")
    assert (found["12"].where, found["12"].label_from["where"]) == ("Chad", "context")
    assert found["30"].where == "Niger"
    assert found["200"].where is None and "where" not in found["200"].label_from  # two places: no article place


def test_the_article_place_only_when_the_article_is_about_one(pipeline: Pipeline) -> None:
    text = ("Floods hit Kenya\n\nFloods in Kenya have forced 20,000 people from their homes.\n\n"
            "Rescuers said 15 boats were in use. The Kenya Red Cross asked for help, and Kenya's army joined.")
    found = figures(pipeline, text)
    assert (found["15"].where, found["15"].label_from["where"]) == ("Kenya", "article")


def test_a_countrys_own_cities_and_states_are_mentions_of_it(pipeline: Pipeline) -> None:
    text = ("Canada adds jobs\n\nEmployers in Canada added 41,000 jobs last month. Hiring was strongest in Toronto "
            "and weakest in Alberta, while Canada's wages rose.\n\nCanada's central bank said 12 lenders had "
            "raised rates.")
    found = figures(pipeline, text)
    assert (found["12"].where, found["12"].label_from["where"]) == ("Canada", "article")


def test_cities_of_several_countries_leave_the_article_without_a_place(pipeline: Pipeline) -> None:
    text = ("Canada adds jobs\n\nEmployers in Canada added 41,000 jobs last month, and firms in Chicago, Boston and "
            "Dallas hired too, as Canada's wages rose.\n\nCanada's central bank said 12 lenders had raised rates.")
    assert figures(pipeline, text)["12"].where is None


def test_a_place_that_starts_a_name_is_no_place(pipeline: Pipeline) -> None:
    found = figures(pipeline, "US Airways cancelled 65 flights on Thursday, and US Airways staff were sick.")
    assert found["65"].where is None


def test_an_amount_the_parser_tags_as_a_place_is_no_place(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Volvo will receive 2bn euros now, with another 900m next year.")
    assert found["2bn euros"].where is None and found["900m"].where is None


def test_the_period_tied_to_each_figure_of_a_list(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The airline cancelled 65 flights on Thursday, 180 on Friday and 140 on Saturday.")
    assert (found["65"].period, found["180"].period, found["140"].period) == ("Thursday", "Friday", "Saturday")


def test_a_date_that_qualifies_a_noun_is_no_period(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The biggest hit among this year's nominees has taken $90m.")
    assert found["$90m"].period is None


@pytest.mark.parametrize(("text", "raw", "period"), [
    ("Donors have given more than $20 billion since 2014.", "more than $20 billion", "since 2014"),
    ("The deal lets Ankara defer loans worth $3.7m until 2006.", "$3.7m", "until 2006"),
    ("Volvo is recalling 9,300 wagons from the 2004 model year.", "9,300", None),  # the cars' name, not a time
    ("Volvo is also recalling 1,200 vans from the 2005 model years.", "1,200", None),
    ("On Tuesday, the agency reported that from March to May the rebels staged 41 raids.", "41", "March to May"),
    ("Rebels have staged 41 raids in the region in the last four weeks.", "41", "the last four weeks"),  # a length
    ("Wages have risen 3-4% over the past two years.", "3", "the past two years"),  # a range's ends share it
    ("Since 2001 12 branches have shut, the bank said.", "12", "since 2001"),  # the date the parser ran on
    ("The union has struck twice since 1998 when 300 miners were laid off.", "300", "1998"),  # 'when' the date
    ("By the end of 2008, it is thought that 30% of homes will have solar panels.", "30%", "by the end of 2008"),
    ("The mill hopes output will reach 900 tonnes (1,984,000 lb) by 2012.", "900 tonnes", "by 2012"),
])
def test_a_period_the_text_ties_to_the_figure(pipeline: Pipeline, text: str, raw: str, period: str | None) -> None:
    assert figures(pipeline, text)[raw].period == period


@pytest.mark.parametrize(("text", "raw", "source"), [
    ("The regulator said the largest recall involves 155,465 pickups.", "155,465", "regulator"),
    ("The largest recall involves 155,465 pickups, police said.", "155,465", "police"),
    ("Van Gisbergen added 18 points.", "18", None),  # adding points is no saying
    ("Irish trailed by two points at the break and Gold said: \"We lived with the best.\"", "two", None),
    ("Lopez kicked the penalty to become the first player to reach 500 points.", "500", None),
    ("Prices rose 3%, according to the energy regulator Enerwatch.", "3%", "Enerwatch"),  # the name beside the noun
    ("The farm minister, Anna Berg, said 40 farms had closed.", "40", "Anna Berg"),
    ("According to figures gathered by Statlane, 12% of homes use solar.", "12%", "Statlane"),
    ("\"We sold 90 buses,\" Veltra's statement said.", "90", "Veltra"),  # whose statement
    ("Korvex has a 60% share of the market and said it expected to sell two million units.", "two million",
     "Korvex"),  # the subject of the verb 'said' shares
    ("Growth was 4.7%, with the central bank predicting 4% growth this year.", "4%", "central bank"),
])
def test_a_source_only_for_what_it_says(pipeline: Pipeline, text: str, raw: str, source: str | None) -> None:
    assert figures(pipeline, text)[raw].source == source


SURVEY = ("A survey by Pollwise last month asked voters about transport. Some 38% said they would use the new "
          "tram, while 12% think it is a waste of money. Twenty people said they saw the blast.")

FINDINGS = ("A survey by Pollwise found 40% of drivers want lower tolls. For 62%, fuel prices matter most. Cars were "
            "the top purchase for most people (21%).\n\nThe council met on Monday. Tolls rose 9% last year.")


@pytest.mark.parametrize(("text", "raw", "source"), [
    (SURVEY, "Some 38%", "Pollwise survey"),  # a share of respondents saying what they think
    (SURVEY, "12%", "Pollwise survey"),
    (SURVEY, "Twenty", None),  # people who say something are no share of a survey's respondents
    ("A Daily Courier poll of 2,040 adults suggests most Scots back the plan.", "2,040", "Daily Courier poll"),
    ("Officials said 40% of the wells had run dry.", "40%", "Officials"),
    ("About 40% of the town's voters think the tram is a waste of money.", "About 40%", None),  # no survey named
    (FINDINGS, "62%", "Pollwise survey"),  # the survey's findings go on in the next sentence
    (FINDINGS, "21%", "Pollwise survey"),
    (FINDINGS, "9%", None),  # after a sentence with no share, the passage has ended
    ("Rail fares are a worry, says Fair Fares. A survey for the charity finds 61% of commuters pay more.", "61%",
     "Fair Fares survey"),  # the organisation 'the charity' stands for
])
def test_the_survey_behind_its_sample_and_its_respondents(pipeline: Pipeline, text: str, raw: str,
                                                           source: str | None) -> None:
    found = figures(pipeline, text)[raw]
    assert found.source == source
    assert source is None or found.label_from["source"] in ("sentence", "context")


def test_the_group_is_who_the_article_named_before(pipeline: Pipeline) -> None:
    text = ("A cross-party group of MPs published a plan. The group says it can win 92 votes.\n\n"
            "A separate survey by Pollmark last week asked shoppers. The poll found that 59% wanted more gadgets.")
    found = figures(pipeline, text)
    assert found["92"].source == "cross-party group" and found["59%"].source == "Pollmark"


def test_a_pronoun_source_is_who_the_paragraph_quoted(pipeline: Pipeline) -> None:
    text = "Ms Reyes said the mill would close. She said 800 jobs would go."
    found = figures(pipeline, text)
    assert (found["800"].source, found["800"].label_from["source"]) == ("Reyes", "context")


@pytest.mark.parametrize(("text", "raw", "words"), [
    ("Acme's shares on the Lima exchange rose 4.5% by noon.", "4.5%", {"acme", "shares"}),
    ("The US trade deficit hit a record, having increased by $43.6 billion.", "$43.6 billion", {"trade", "deficit"}),
    ("A poll suggests 69% of pensioners say they always vote in elections.", "69%", {"pensioners", "vote"}),
    ("The Aviator, which has taken $90m, leads the field.", "$90m", {"aviator"}),
    ("Acme's shares shot up more than 7% in early trading.", "more than 7%", {"acme", "shot", "up"}),  # particle
    ("Some 1,200 staff were laid off.", "Some 1,200", {"staff", "laid", "off"}),
    ("Acme shares are up nearly 57% after plummeting 65% last year.", "65%", {"acme", "shares", "plummeting"}),
    ("Two of Johnson's deputies were fired.", "Two", {"johnson", "deputies", "fired"}),  # the counted noun's owner
    ("Rolls-Royce sold 5,000 cars.", "5,000", {"rolls-royce", "cars", "sold"}),  # a name written with a hyphen
    ("The Bank of England raised interest rates to 5.25%.", "5.25%", {"bank", "of", "england", "rates"}),
    ("Walmart — Shares of the retail giant rose about 1.5% in premarket trading.", "about 1.5%",
     {"walmart", "shares", "retail", "giant"}),  # a market line: the company's name, then its subject
    ("The Galaxy has a larger battery than the Pixel's 3687 mAh.", "3687 mAh", {"pixel"}),  # the figure's owner
    ("Ben-Moshe has only raised 280 million shekels.", "280 million shekels", {"ben-moshe"}),
])
def test_what_names_whose_figure_it_is(pipeline: Pipeline, text: str, raw: str, words: set[str]) -> None:
    what = figures(pipeline, text)[raw].what
    assert words <= set(what.lower().split()), what
    assert not any(ch.isdigit() for ch in what)


def test_every_filled_label_says_where_it_came_from(pipeline: Pipeline) -> None:
    for f in figures(pipeline, "In Chad, 40 soldiers were killed last week, officials said.").values():
        filled = {k for k in ("what", "where", "period", "source") if getattr(f, k)}
        assert filled == set(f.label_from), (f.raw, f.label_from)


def test_a_source_is_named_as_the_article_shortens_it_however_it_is_dotted(pipeline: Pipeline) -> None:
    text = "The U.S. Central Command (CENTCOM) began the review. U.S. Central Command said 40 raids took place."
    assert figures(pipeline, text)["40"].source == "CENTCOM"


@pytest.mark.parametrize(("text", "raw", "subject"), [
    ("Apple said it sold 5 million iPhones in March.", "5 million", "Apple"),  # 'it' is the sayer
    ("Acme Corp is expected to announce it will cut 1,200 jobs.", "1,200", "Acme Corp"),
    ("Instagram, which has more than 1 billion users, was bought in 2012.", "more than 1 billion", "Instagram"),
    ("NASA has launched more than 160 crewed missions.", "more than 160", "NASA"),
])
def test_a_count_names_whose_it_is(pipeline: Pipeline, text: str, raw: str, subject: str) -> None:
    assert subject in figures(pipeline, text)[raw].what


def test_a_pronoun_is_no_subject_without_a_named_one_above_it(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The minister said they would hire 300 teachers.")
    assert "minister" not in found["300"].what  # 'they' is not the minister


@pytest.mark.parametrize(("text", "raw", "words"), [
    ("The central bank cut its inflation forecast to 3.1% from 3.4%.", "3.1%", {"inflation", "forecast"}),
    ("The club raised its season ticket price by £40.", "£40", {"ticket", "price"}),
    ("Shell lowered its spending plan for the year ended March to $21 billion.", "$21 billion", {"spending"}),
    ("Markets at noon: Hang Seng +1.1% Nikkei -0.4%.", "-0.4%", {"Nikkei"}),  # a market line
    ("There was a fall in exports of 3% last year.", "3%", {"fall", "exports"}),
    ("The regulator set the price cap at £1,834.", "£1,834", {"price", "cap"}),
])
def test_what_a_verb_moved_is_the_figures_what(pipeline: Pipeline, text: str, raw: str, words: set[str]) -> None:
    assert words <= set(figures(pipeline, text)[raw].what.split())


def test_to_y_from_x_is_a_baseline(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The central bank cut its inflation forecast to 3.1% from 3.4%.")
    assert (found["3.1%"].change, found["3.1%"].baseline) == ("down", 3.4)


def test_a_place_that_qualifies_the_counted_noun_is_the_figures(pipeline: Pipeline) -> None:
    text = ("About 3 million Canadian homes use oil heating. A third of all Brazil fans watched. The France team said "
            "40 players were tested, and Germany sold 2 million cars.")
    found = figures(pipeline, text)
    assert found["About 3 million"].where is None or found["About 3 million"].label_from["where"] != "sentence"
    assert (found["A third"].where, found["A third"].label_from["where"]) == ("Brazil", "sentence")
    assert found["40"].where is None  # 'France' qualifies the team that says it, not the players counted


def test_a_place_named_as_the_owner_of_a_place_noun_keeps_the_noun(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Floods displaced 4,000 people in Brazil's southern region. The strike closed 40 "
                              "schools in Chile's capital.")
    assert (found["4,000"].where, found["40"].where) == ("Brazil's southern region", "Chile's capital")


@pytest.mark.parametrize(("text", "raw", "period"), [
    ("Rebels said 30 soldiers were killed and 12 captured in the first week of March.", "30",
     "the first week of March"),  # a trailing date dates both clauses of figures
    ("He was out for two months and had hoped to return on 4 April.", "two", None),  # no figure in the second
    ("The firm restructured in 2019, cutting its workforce to 800.", "800", "2019"),
    ("Its market share is now about 12%.", "about 12%", "now"),
    ("Ryanair carried 17.6 million people in July, 11% more than a year earlier.", "11%", "a year earlier"),  # not
    # "more than a year earlier"
    ("The film has so far taken $30m.", "$30m", "so far"),
    ("Its shares rose 4.5% by 0900 GMT, having shot up 7% in early trading.", "4.5%", "by 0900 GMT"),  # market day
    ("Its shares rose 4.5% by 0900 GMT, having shot up 7% in early trading.", "7%", "early trading"),
    ("Shares of the retailer rose about 1.5% in premarket trading.", "about 1.5%", "premarket trading"),
    ("The index closed 45 points higher at 7,425 on Friday.", "7,425", "Friday"),
    ("The group sold its bank and restructured in 2019, cutting its stake to 12%.", "12%", "2019"),  # goes on
    ("The central bank may raise its main rate to 4% when it meets next month.", "4%", "next month"),  # when
    ("On the evening of the first day more than 5,000 fans were in the stadium, forcing the club to open 12 more "
     "gates.", "12", "the first day"),  # a date inside the phrase that opens the sentence
    ("Turnout was last this low in 1992, when 12 million people voted.", "12 million", "1992"),  # a 'when' clause
    ("Sales were higher in 2019, when the firm sold 12 million cars.", "12 million", "2019"),
])
def test_the_period_the_text_ties_to_a_figure(pipeline: Pipeline, text: str, raw: str, period: str | None) -> None:
    assert figures(pipeline, text)[raw].period == period


@pytest.mark.parametrize(("text", "raw"), [
    ("It was done differently 30 years ago.", "30"),  # the unit again
    ("Rival counters say the figure is nearer 12%.", "12%"),  # a word that stands for the number
    ("The proportion stood at 48% in March.", "48%"),
])
def test_a_what_that_names_nothing_but_the_unit_is_left_blank(pipeline: Pipeline, text: str, raw: str) -> None:
    assert not figures(pipeline, text)[raw].what


@pytest.mark.parametrize(("text", "raw", "what"), [
    ("They would sit for between 10 and 15 years.", "10", "sit"),  # what the verb says lasted it
    ("He has been injured for nearly four weeks.", "nearly four", "injured"),
    ("The striker has been out of action for two months.", "two", "striker out of action"),  # a state it holds
    ("The rest of the payment is to follow within 90 days.", "90", "rest of payment follow"),
    ("The partners ended their five-year alliance.", "five", "partners alliance"),  # what it modifies
    ("The Treasury will sell a 30-year bond.", "30", "Treasury bond"),
    ("Schools must offer up to three hours of extra sport a week.", "up to three", "Schools extra sport"),  # of
    ("The match attracted the biggest crowd in six years.", "six", "match biggest crowd"),  # time since a superlative
    ("Prices rose faster than at any time in 14 months.", "14", "Prices rose"),
])
def test_a_duration_is_the_length_of_what_lasts_it(pipeline: Pipeline, text: str, raw: str, what: str) -> None:
    assert figures(pipeline, text)[raw].what == what


@pytest.mark.parametrize(("text", "raw", "what"), [
    ("Some 69% of over-55s say they always vote, compared with just 17% of students.", "17%", "students vote"),
    ("About 460 cars have been stolen this year compared with 63 last year.", "63", "cars stolen"),
])
def test_a_compared_figure_counts_the_event_of_the_one_it_is_compared_with(
        pipeline: Pipeline, text: str, raw: str, what: str) -> None:
    assert figures(pipeline, text)[raw].what == what


def test_a_compared_figure_keeps_an_event_of_its_own(pipeline: Pipeline) -> None:
    what = figures(pipeline, "Sales rose 5% this year, versus a 3% fall in costs.")["3%"].what or ""
    assert "fall" in what and "rose" not in what


def test_a_number_before_a_date_phrase_does_not_count_its_time_word(pipeline: Pipeline) -> None:
    assert figures(pipeline, "About 460 cars have been stolen this year compared with 63 last year.")["63"].unit \
        == "car"


def test_a_what_that_names_the_thing_is_kept(pipeline: Pipeline) -> None:
    assert figures(pipeline, "The mill employs 300 workers.")["300"].what


@pytest.mark.parametrize(("text", "raw", "where"), [
    ("A poll suggests two-thirds of Canadians back the plan.", "two-thirds", "Canada"),  # whose people it counts
    ("Some 1,000 Americans were asked.", "Some 1,000", "US"),
    ("The film has taken $300m worldwide.", "$300m", "worldwide"),  # the adverb of the figure's clause
    ("The album has sold four million copies globally.", "four million", "globally"),
    ("Analysts in Boston said 300 Germans bought the car.", "300", "Boston"),  # the sentence's place comes first
])
def test_a_place_the_figure_itself_names(pipeline: Pipeline, text: str, raw: str, where: str) -> None:
    assert figures(pipeline, text)[raw].where == where


@pytest.mark.parametrize(("text", "raw", "what"), [
    ("The Riksbank left its repo rate at a record low of 0.25%.", "0.25%", "Riksbank repo rate record low"),
    ("Lenders kept mortgage rates at an all-time high of 7%.", "7%", "Lenders mortgage rates all-time high"),
])
def test_a_level_is_of_what_is_held_at_it(pipeline: Pipeline, text: str, raw: str, what: str) -> None:
    assert figures(pipeline, text)[raw].what == what


@pytest.mark.parametrize(("text", "what"), [
    ("Nokia posted its results on Monday. It sold 5m phones in the quarter.", "Nokia phones sold"),
    ("Nokia and Ericsson posted results. It sold 5m phones in the quarter.", "phones sold"),  # two: neither
    ("Sales fell at Nokia. It sold 5m phones in the quarter.", "phones sold"),  # no organisation as subject
])
def test_it_opening_a_sentence_is_the_organisation_before(pipeline: Pipeline, text: str, what: str) -> None:
    assert figures(pipeline, text)["5m"].what == what


def test_the_figure_is_what_the_figure_before_it_is_about(pipeline: Pipeline) -> None:
    text = ("Opera has a browser market share of about 3%. Rival counters say the figure is nearer 6%.\n\n"
            "Staff numbers rose by 40. Later in the year the figure was 75%.")
    found = figures(pipeline, text)
    assert found["6%"].what == found["about 3%"].what and found["6%"].label_from["what"] == "context"
    assert not found["75%"].what  # no percentage before it


def test_a_measure_converted_in_brackets_is_about_what_the_first_is_about(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The oil slick stretched for nearly nine miles (14 km) along the coast.")
    assert found["14 km"].what == found["nearly nine miles"].what and found["14 km"].unit == "km"


def test_a_restatement_lends_the_first_mention_what_it_adds(pipeline: Pipeline) -> None:
    text = ("Gearbox 3 sells four million copies\n\nVeltra Software is celebrating bumper sales of its racing game. "
            "The game has sold more than four million copies worldwide, the company said.")
    found = [f for f in pipeline.summarize(text).figures if f.value == 4e6]
    assert len(found) == 1 and found[0].raw == "four million"  # the headline, the first mention
    assert (found[0].where, found[0].source) == ("worldwide", "Veltra Software")
    assert found[0].label_from["where"] == "context"


def test_a_shared_unit_alone_is_no_restatement(pipeline: Pipeline) -> None:
    text = ("Plans include two hours of PE for every pupil by 2008.\n\n"
            "Currently only a third of children get two hours of sport a week.")
    assert [f.period for f in pipeline.summarize(text).figures if f.raw == "two"][0] != "Currently"


@pytest.mark.parametrize(("text", "raw", "unit", "per"), [
    ("The Kospi closed at 2,481.6 on Friday.", "2,481.6", "point", None),  # an index's level is in points
    ("The benchmark index slid to 7,120.4.", "7,120.4", "point", None),
    ("The index of 500 companies rose 2%.", "500", "company", None),  # a count the index is made of
    ("Hall averaged 18.4 ppg and 9.1 rpg last season.", "18.4", "point", "game"),  # a sports line's averages
    ("Hall averaged 18.4 ppg and 9.1 rpg last season.", "9.1", "rebound", "game"),
    ("Organisers expect six to seven thousand runners.", "six", "runner", None),  # a range's ends count alike
    ("Sony hopes to ship two million of the PSP by June.", "two million", "PSP", None),  # an acronym as it is
    ("The council will have 120 MEPs and 40 bishops.", "120", "people", None),  # an acronym of persons
    ("Volvo will receive 2bn euros now, with another 900m next year.", "900m", "EUR", None),  # the amount before's
    ("The bank paid £30m for the site and 2m for the fittings.", "2m", "GBP", None),
    ("The bank paid £30m, hired 45 staff and sold 2m shares.", "2m", "share", None),  # something counted
])
def test_units_the_words_imply(pipeline: Pipeline, text: str, raw: str, unit: str, per: str | None) -> None:
    found = figures(pipeline, text)[raw]
    assert (found.unit, found.per) == (unit, per)


def test_the_ages_that_bound_a_group_are_no_period(pipeline: Pipeline) -> None:
    found = figures(pipeline, "A survey found 69% of over-55s vote, compared with just 17% of 18 to 24 year olds.")
    assert found["17%"].period is None and "18" not in found and "24" not in found


def test_a_period_referred_back_to_is_the_last_one_named_before(pipeline: Pipeline) -> None:
    text = ("The agency reported on its mission in the region from January through March 2024. It praised its "
            "partners.\n\nDuring this period, 94 missions were executed and 18 fighters were detained.")
    found = figures(pipeline, text)
    assert "March 2024" in (found["94"].period or "") and found["94"].label_from.get("period") == "context"
    found = figures(pipeline, "The agency praised its partners. During this period, 94 missions were executed.")
    assert found["94"].period is None  # no period named before: none inferred


def test_a_date_in_a_participle_of_the_counted_noun_is_the_period(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Officials said many of the 71,000 new jobs added in October were temporary.")
    assert found["71,000"].period == "October"


def test_a_document_a_source_issued_is_the_source_of_the_passage_that_gives_it(pipeline: Pipeline) -> None:
    text = ("The agency provided in a statement an update on its mission in the region.\n\nDuring the mission, 94 "
            "raids were made. In the north, 66 raids led to 11 arrests.\n\nThe minister said 40 schools had shut."
            "\n\nLocal farmers planted 300 trees.")
    found = figures(pipeline, text)
    assert found["94"].source == found["66"].source == "agency" and found["66"].label_from["source"] == "context"
    assert found["40"].source == "minister"  # another source ends the passage
    assert found["300"].source is None  # the passage ended with the minister's sentence


def test_outside_a_place_is_not_in_it(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Eight leaders were killed, including men who planned attacks outside Syria and Iraq.")
    assert found["Eight"].where is None


def test_a_number_parsed_as_a_subject_counts_the_plural_noun_after_its_adjectives(pipeline: Pipeline) -> None:
    found = figures(pipeline, "In Iraq, 137 partnered operations resulted in 30 ISIS operatives killed.")
    assert found["137"].unit == "operation"


def test_adding_an_amount_is_no_saying(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Heineken rose 18 sen to RM23.50, Hextar Technologies added 15 sen to RM2.70.")
    assert found["18 sen"].source is None and found["RM2.70"].source is None
    assert figures(pipeline, "Prices rose 5%, the minister added.")["5%"].source == "minister"


def test_a_list_that_leaves_out_its_verb_moves_each_name_as_the_first(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Shares of Urban Outfitters and Ross were down 2.3%, Burlington by 2.6% and Foot "
                              "Locker by 1.1%.")
    assert (found["2.6%"].change, found["2.6%"].what) == ("down", "Burlington")
    assert (found["1.1%"].change, found["1.1%"].what) == ("down", "Foot Locker")


def test_a_report_that_goes_on_with_it_said_keeps_its_period(pipeline: Pipeline) -> None:
    text = ("In 2023 the airline carried 41 million passengers, the company said. "
            "It flew 250,000 flights, it said, up from 210,000.")
    found = figures(pipeline, text)
    assert found["250,000"].period == "2023" and found["250,000"].label_from["period"] == "context"


def test_a_report_that_goes_on_takes_no_period_from_another_source(pipeline: Pipeline) -> None:
    text = ("In 2023 the airline carried 41 million passengers, the company said. "
            "Rivals flew 250,000 flights, the regulator said.")
    assert figures(pipeline, text)["250,000"].period is None


@pytest.mark.parametrize("text", [
    "Both new releases failed to make it into the top 10, debuting at number 11.",
    "Roddick survived to reach the last eight of the SAP Open.",
    "The side has slipped towards the bottom three during a poor run.",
])
def test_a_band_of_places_in_a_ranking_is_no_figure(pipeline: Pipeline, text: str) -> None:
    assert not {"10", "eight", "three"} & set(figures(pipeline, text))


def test_the_last_few_of_something_counted_is_a_figure(pipeline: Pipeline) -> None:
    assert figures(pipeline, "The last 92 hereditaries would go.")["92"].unit == "people"


@pytest.mark.parametrize(("text", "raw", "what"), [
    ("Xstrata made a hostile 7.4bn Australian dollar ($5.8bn; £3bn) bid for the miner.", "7.4bn Australian dollar",
     "bid"),
    ("Xstrata made a hostile 7.4bn Australian dollar ($5.8bn; £3bn) bid for the miner.", "£3bn", "bid"),
    ("The firm won a €500m ($550m) defence contract on Monday.", "€500m", "defence contract"),
])
def test_an_amount_measures_the_noun_past_its_conversion(pipeline: Pipeline, text: str, raw: str, what: str) -> None:
    assert figures(pipeline, text)[raw].what == what


@pytest.mark.parametrize(("text", "raw", "what"), [
    ("On Thursday night, Prince Charles, 56, and Mrs Parker Bowles, 57, hosted a dinner.", "57",
     "Mrs Parker Bowles age"),
    ("It is the 12th time in 13 appearances that Agassi, now 34, has progressed.", "34", "Agassi age"),
])
def test_an_age_beside_a_name_is_that_persons_age(pipeline: Pipeline, text: str, raw: str, what: str) -> None:
    f = figures(pipeline, text)[raw]
    assert (f.unit, f.what) == ("year", what)


def test_a_pronoun_in_a_direct_quote_is_not_the_speaker(pipeline: Pipeline) -> None:
    text = '"If a bid is going to emerge it is likely in the next two weeks," said analyst Mark Pervan.'
    assert "Pervan" not in (figures(pipeline, text)["two"].what or "")


def test_a_share_of_people_who_say_what_something_is_counts_what_they_name(pipeline: Pipeline) -> None:
    what = figures(pipeline, "Some 30% of voters said the economy was their main concern.")["Some 30%"].what or ""
    assert {"economy", "concern"} <= set(what.split())


def test_the_ends_of_a_change_take_the_verb_that_moves_them(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The plan will increase the number of specialist colleges from 350 to 400.")
    assert "increase" in (found["350"].what or "") and "increase" in (found["400"].what or "")


def test_a_label_that_names_only_a_move_is_what_the_figure_before_is_about(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Fiat's market share is 5%, and the firm hopes this will rise to 8% by 2008.")
    assert found["8%"].what == found["5%"].what == "Fiat market share"


def test_numbers_listed_among_names_are_names(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Buyers can choose the 147, 156, 156 Sportwagon, 166, GTV, GT and Spider models.")
    assert not {"147", "156", "166"} & set(found)


@pytest.mark.parametrize(("text", "raw"), [
    ("The scores were 3, 5 and 7.", "5"),  # numbers alone are no names
    ("The ministers, Smith, 45, Jones, 52, and Brown, 61, resigned.", "52"),  # ages beside names
])
def test_a_list_of_numbers_or_ages_stays(pipeline: Pipeline, text: str, raw: str) -> None:
    assert raw in figures(pipeline, text)


def test_a_crucial_one_is_no_count(pipeline: Pipeline) -> None:
    assert "one" not in figures(pipeline, "The battle is a crucial one because films will bring in billions.")


def test_an_age_said_again_is_one_figure(pipeline: Pipeline) -> None:
    text = ("The actor died in Miami at the age of 87 on 4 February. "
            "The 87-year-old was found dead last weekend in his hotel room in Florida.")
    assert [f.value for f in pipeline.summarize(text, read_cache=False, write_cache=False).figures] == [87]


def test_a_span_of_time_that_dates_a_figure_is_the_length_of_what_it_counts(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The rebels have claimed 120 attacks in the north in the past nine months.")
    assert found["nine"].what == found["120"].what and found["120"].period == "the past nine months"


@pytest.mark.parametrize(("text", "raw", "unit"), [
    ("The Fed may raise rates by a quarter of a percentage point.", "a quarter", "percentage points"),
    ("The meeting lasted half an hour.", "half", "hour"),
    ("The town is a third of a mile away.", "a third", "mile"),
    ("A third of pupils walk to school.", "A third", None),  # a share of a group counts no unit
])
def test_a_share_of_a_unit_is_that_unit(pipeline: Pipeline, text: str, raw: str, unit: str | None) -> None:
    assert figures(pipeline, text)[raw].unit == unit


def test_a_market_trending_up_moved_up(pipeline: Pipeline) -> None:
    assert figures(pipeline, "The Nasdaq is trending up 0.2% in early trade.")["0.2%"].change == "up"


def test_figures_in_brackets_after_a_name_are_that_names(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Top scorers: F Ana Lopez (21.4 ppg, 9.1 rpg) and G Mia Chen (18.0 ppg).")
    assert found["21.4"].what.startswith("F Ana Lopez") and found["18.0"].what.startswith("G Mia Chen")


def test_a_conversion_in_brackets_is_not_named_by_the_words_before(pipeline: Pipeline) -> None:
    found = figures(pipeline, "Fiat will receive 1.55bn euros ($2bn) from General Motors (GM) next year.")
    assert not (found["$2bn"].what or "").startswith("Fiat will")


def test_a_move_with_a_subject_of_its_own_does_not_take_the_label_before(pipeline: Pipeline) -> None:
    found = figures(pipeline, "The Nasdaq is trending up 0.2% and the S&P 500 is poised to drop 0.3%.")
    assert "Nasdaq" not in (found["0.3%"].what or "")


def test_it_is_the_body_that_says_something_of_itself(pipeline: Pipeline) -> None:
    assert figures(pipeline, "The bank said it would cut 500 jobs.")["500"].what == "bank jobs cut"


def test_a_price_for_something_measures_it(pipeline: Pipeline) -> None:
    assert "unit" in (figures(pipeline, "The group sold its bank unit for $5bn.")["$5bn"].what or "")
