"""Event dates (detente.when): expression resolution, attachment, narrative, background."""
from __future__ import annotations

from datetime import date

import pytest

from detente.model import When
from detente.when import Resolved, Timeline, load_cues, resolve_expression

slow = pytest.mark.slow

DAY = lambda s: (date.fromisoformat(s), "day")  # noqa: E731  an anchor of day precision


def res(text, doc=None, narrative=None, future=False):
    """Resolve ``text`` and return (date string, precision), or None / "background"."""
    r = resolve_expression(text, DAY(doc) if doc else None, DAY(narrative) if narrative else None, future)
    if r is None:
        return None
    if r.kind == "background":
        return "background"
    w = r.when()
    return (w.date, w.precision)


# --------------------------------------------------------------------------- rule 1: expressions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("April 1, 2025", ("2025-04-01", "day")),
        ("on 3 March 2024", ("2024-03-03", "day")),
        ("Tuesday, 4 June 2024", ("2024-06-04", "day")),
        ("the 5th of May 2022", ("2022-05-05", "day")),
        ("5th of May 2022", ("2022-05-05", "day")),
        ("in January 2023", ("2023-01", "month")),
        ("mid-March 2024", ("2024-03", "month")),
        ("in 2021", ("2021", "year")),
        ("late 2019", ("2019", "year")),
        ("2019-05-04", ("2019-05-04", "day")),
    ],
)
def test_absolute_expressions(text, expected):
    assert res(text, doc="2025-03-30") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yesterday", ("2025-04-09", "day")),
        ("today", ("2025-04-10", "day")),
        ("tomorrow", ("2025-04-11", "day")),
        ("last night", ("2025-04-09", "day")),
        ("two days ago", ("2025-04-08", "day")),
        ("3 days ago", ("2025-04-07", "day")),
        ("last month", ("2025-03", "month")),
        ("earlier this month", ("2025-04", "month")),
        ("this year", ("2025", "year")),
        ("next year", ("2026", "year")),
        ("last year", ("2024", "year")),
        ("two years ago", ("2023", "year")),
        ("last April", ("2024-04", "month")),
        ("next March", ("2026-03", "month")),
    ],
)
def test_relative_expressions(text, expected):
    # 2025-04-10 is a Thursday
    assert res(text, doc="2025-04-10") == expected


def test_week_expressions_have_month_precision():
    # the week of Thursday 2025-04-03 lies in April
    assert res("last week", doc="2025-04-10") == ("2025-04", "month")
    # the week before 2025-04-02 is 24-30 March: its Thursday is 27 March
    assert res("last week", doc="2025-04-02") == ("2025-03", "month")
    # 29 Sep - 5 Oct 2025 straddles two months; its Thursday (2 Oct) decides
    assert res("this week", doc="2025-09-30") == ("2025-10", "month")
    assert res("next week", doc="2025-04-10") == ("2025-04", "month")


def test_weekday_past_and_future():
    # anchor Thursday 2025-04-10
    assert res("on Tuesday", doc="2025-04-10") == ("2025-04-08", "day")
    assert res("Thursday", doc="2025-04-10") == ("2025-04-10", "day")
    assert res("on Tuesday", doc="2025-04-10", future=True) == ("2025-04-15", "day")
    assert res("last Friday", doc="2025-04-10") == ("2025-04-04", "day")
    assert res("next Monday", doc="2025-04-10") == ("2025-04-14", "day")
    assert res("Sunday night", doc="2025-04-10") == ("2025-04-06", "day")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the next day", ("2024-03-04", "day")),
        ("the following day", ("2024-03-04", "day")),
        ("the day before", ("2024-03-02", "day")),
        ("the same day", ("2024-03-03", "day")),
        ("that same day", ("2024-03-03", "day")),
        ("later that same month", ("2024-03", "month")),
        ("that month", ("2024-03", "month")),
        ("the following month", ("2024-04", "month")),
        ("the following week", ("2024-03", "month")),
        ("a week later", ("2024-03", "month")),
        ("three days later", ("2024-03-06", "day")),
        ("two months later", ("2024-05", "month")),
        ("the following year", ("2025", "year")),
        ("the following Friday", ("2024-03-08", "day")),
    ],
)
def test_anaphoric_expressions_use_the_narrative(text, expected):
    # narrative 2024-03-03 (a Sunday), document 2025-06-01: the narrative wins
    assert res(text, doc="2025-06-01", narrative="2024-03-03") == expected


def test_anaphoric_without_narrative_uses_document_date():
    assert res("the next day", doc="2025-06-01") == ("2025-06-02", "day")
    assert res("later that same month", doc="2025-06-01") == ("2025-06", "month")


def test_anaphoric_precision_is_capped_by_the_anchor():
    month_anchor = (date(2023, 1, 15), "month")
    r = resolve_expression("the next day", None, month_anchor, False)
    assert r.when() == When("2023-01", "month", "text")
    r = resolve_expression("the following month", None, month_anchor, False)
    assert r.when() == When("2023-02", "month", "text")


def test_deictic_expressions_prefer_the_document_date():
    # "yesterday" is the day before writing, whatever the story is about
    assert res("yesterday", doc="2025-04-10", narrative="2020-01-01") == ("2025-04-09", "day")
    # no document date: the narrative is the only anchor
    assert res("yesterday", narrative="2020-01-01") == ("2019-12-31", "day")


@pytest.mark.parametrize("text", ["three years", "weekly", "annual", "the weekend before last", "decade-long"])
def test_durations_and_frequencies_are_not_dates(text):
    assert res(text, doc="2025-04-10") is None


@pytest.mark.parametrize("text", ["years ago", "decades ago", "the 1990s", "recent years", "the past two decades"])
def test_vague_past_expressions_are_background(text):
    assert res(text, doc="2025-04-10") == "background"


def test_relative_expression_without_any_anchor_is_unresolved():
    assert res("yesterday") is None
    assert res("1 April") is None
    assert res("1 April 2025") == ("2025-04-01", "day")


# --------------------------------------------------------------------------- rule 2: year inference


def test_year_inference_nearest_to_anchor():
    assert res("1 April", doc="2025-03-30") == ("2025-04-01", "day")
    assert res("28 December", doc="2025-01-03") == ("2024-12-28", "day")
    assert res("January 3", doc="2024-12-20") == ("2025-01-03", "day")
    assert res("in December", doc="2025-03-30") == ("2024-12", "month")
    # a planned event lies on or after the anchor
    assert res("in December", doc="2025-03-30", future=True) == ("2025-12", "month")
    assert res("28 December", doc="2025-01-03", future=True) == ("2025-12-28", "day")
    # the narrative date is the anchor when set
    assert res("5 February", doc="2025-06-01", narrative="2023-01-20") == ("2023-02-05", "day")
    # invalid days are not dates
    assert res("31 February", doc="2025-06-01") is None


def test_year_inference_with_coarse_anchor():
    year_anchor = (date(2020, 7, 1), "year")
    r = resolve_expression("5 December", None, year_anchor, False)
    assert r.when() == When("2020-12-05", "day", "text")


def test_resolution_is_cached():
    resolve_expression.cache_clear()
    for _ in range(3):
        resolve_expression("the next day", DAY("2025-01-01"), None, False)
    assert resolve_expression.cache_info().hits == 2


def test_cues_file_loads():
    cues = load_cues()
    assert "previously" in cues.background_adverbs
    assert "since" in cues.start_preps
    assert "visit" in cues.event_nouns
    assert "will" in cues.future_aux


def test_resolved_when():
    assert Resolved("background").when() == When.unknown()
    assert Resolved("background").anchor() is None


def test_timeline_rejects_malformed_dates():
    with pytest.raises(ValueError):
        Timeline("30/03/2025")
    assert Timeline(None).narrative is None


# --------------------------------------------------------------------------- with the parser


def run(nlp, text, doc_date):
    """Parse ``text``; return {(sentence index, predicate text): When} for every verb and
    event noun, plus the Timeline."""
    doc = nlp(text)
    timeline = Timeline(doc_date)
    cues = load_cues()
    out: dict[tuple[int, str], When] = {}
    for k, sent in enumerate(doc.sents):
        times = timeline.sentence(sent)
        for tok in sent:
            if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.lemma_ in cues.event_nouns):
                out.setdefault((k, tok.text), times.for_event(tok))
    return out, timeline


def W(d, p="day", b="text"):
    return When(d, p, b)


@slow
def test_attachment_and_narrative_in_a_visit_story(nlp):
    text = (
        "On 1 April, the foreign minister of Ruritania flew to Vienna, where she met the Austrian "
        "chancellor. During the meeting, Austrian officials announced that the chancellor would "
        "visit Ruritania later that same month, his first such visit since his election in 2024. "
        "The two leaders discussed energy supplies and trade. "
        "The minister returned home the next day."
    )
    got, timeline = run(nlp, text, "2025-03-30")
    assert got[(0, "flew")] == W("2025-04-01")
    assert got[(0, "met")] == W("2025-04-01")  # relative clause inherits from "flew"
    assert got[(1, "announced")] == W("2025-04-01")  # narrative
    assert got[(1, "visit")] == W("2025-04", "month")  # not 2024
    assert got[(2, "discussed")] == W("2025-04-01")
    assert got[(3, "returned")] == W("2025-04-02")
    assert timeline.narrative == W("2025-04-02")


@slow
def test_descendants_inherit_the_main_clause_date(nlp):
    text = (
        "In January 2023, an armed man stormed a consulate in the capital, killing a guard and "
        "wounding two others, leading officials to blame the rebels for the attack. "
        "In 2020, the authorities began to crack down on and arrest members of the opposition."
    )
    got, _ = run(nlp, text, "2025-02-11")
    for verb in ("stormed", "killing", "wounding", "leading", "blame"):
        assert got[(0, verb)] == W("2023-01", "month"), verb
    for verb in ("began", "crack", "arrest"):
        assert got[(1, verb)] == W("2020", "year"), verb


@slow
def test_year_inference_in_text(nlp):
    got, _ = run(nlp, "On 28 December, rebels attacked a police station in the north.", "2025-01-03")
    assert got[(0, "attacked")] == W("2024-12-28")
    got, _ = run(nlp, "The summit will take place in December.", "2025-03-30")
    assert got[(0, "take")] == W("2025-12", "month")
    got, _ = run(nlp, "The summit took place in December.", "2025-03-30")
    assert got[(0, "took")] == W("2024-12", "month")


@slow
def test_deictic_expressions_in_text(nlp):
    text = (
        "Police arrested ten protesters in the capital yesterday. "
        "The president met the envoy on Tuesday. "
        "The president will meet the envoy again on Tuesday. "
        "Two days ago, gunmen kidnapped a journalist. "
        "Last month, the army shelled the border town. "
        "Earlier this month, the opposition boycotted the vote."
    )
    got, _ = run(nlp, text, "2025-04-10")
    assert got[(0, "arrested")] == W("2025-04-09")
    assert got[(1, "met")] == W("2025-04-08")
    assert got[(2, "meet")] == W("2025-04-15")
    assert got[(3, "kidnapped")] == W("2025-04-08")
    assert got[(4, "shelled")] == W("2025-03", "month")
    assert got[(5, "boycotted")] == W("2025-04", "month")


@slow
def test_anaphoric_chain_moves_the_narrative(nlp):
    text = (
        "On 3 March 2024, government troops entered the city. "
        "Three days later, they withdrew to their bases. "
        "Rebel fighters looted the market. "
        "The following month, the two sides resumed talks in Geneva. "
        "That same month, the United Nations sent observers."
    )
    got, timeline = run(nlp, text, "2025-01-15")
    assert got[(0, "entered")] == W("2024-03-03")
    assert got[(1, "withdrew")] == W("2024-03-06")
    assert got[(2, "looted")] == W("2024-03-06")  # narrative, basis text
    assert got[(3, "resumed")] == W("2024-04", "month")
    assert got[(4, "sent")] == W("2024-04", "month")
    assert timeline.narrative == W("2024-04", "month")


@slow
def test_anaphora_inside_one_sentence(nlp):
    text = "The senator was elected in 2019 and re-elected four years later. Between 2020 and 2022, the militia killed dozens of villagers."
    got, _ = run(nlp, text, "2025-03-06")
    assert got[(0, "elected")] == W("2019", "year")
    # the second "elected" token (re-elected) resolves against 2019, not the document date
    doc = nlp(text)
    times = Timeline("2025-03-06").sentence(next(doc.sents))
    re_elected = [t for t in doc if t.text == "elected"][1]
    assert times.for_event(re_elected) == W("2023", "year")
    # a range dates its events by its start
    assert got[(1, "killed")] == W("2020", "year")


@slow
def test_subordinate_dates_do_not_move_the_narrative(nlp):
    text = (
        "On 3 March 2024, the envoy told reporters that the talks held in January 2024 had collapsed. "
        "The general, who resigned in 2019, criticized the decision. "
        "The envoy then left for Geneva."
    )
    got, timeline = run(nlp, text, "2025-01-15")
    assert got[(0, "told")] == W("2024-03-03")
    assert got[(0, "held")] == W("2024-01", "month")
    assert got[(1, "resigned")] == W("2019", "year")
    assert got[(1, "criticized")] == W("2024-03-03")
    assert got[(2, "left")] == W("2024-03-03")
    assert timeline.narrative == W("2024-03-03")


@slow
def test_main_clause_conjuncts_move_the_narrative(nlp):
    text = (
        "The delegation arrived in Baku on 5 May 2024 and met the president on 6 May 2024. "
        "They signed a memorandum."
    )
    got, timeline = run(nlp, text, "2024-06-01")
    assert got[(0, "arrived")] == W("2024-05-05")
    assert got[(0, "met")] == W("2024-05-06")
    assert got[(1, "signed")] == W("2024-05-06")


@slow
def test_background_events_get_no_date(nlp):
    text = (
        "On 1 June, the two countries signed a trade agreement. "
        "The two governments had agreed on the outline at an earlier summit. "
        "The countries previously fought a border war. "
        "In the past, their leaders rarely met. "
        "Ruritania has blockaded the port since 2020. "
        "The neighbours had signed a ceasefire in 2019. "
        "The ministers praised the agreement."
    )
    got, _ = run(nlp, text, "2025-06-02")
    assert got[(0, "signed")] == W("2025-06-01")
    assert got[(1, "agreed")] == When.unknown()  # pluperfect
    assert got[(2, "fought")] == When.unknown()  # "previously"
    assert got[(3, "met")] == When.unknown()  # "in the past"
    assert got[(4, "blockaded")] == When.unknown()  # start point, not its date
    assert got[(5, "signed")] == W("2019", "year")  # background with its own date
    # background sentences do not disturb the narrative
    assert got[(6, "praised")] == W("2025-06-01")


@slow
def test_more_background_cues(nlp):
    text = (
        "On 2 June, the rebels attacked an army post. "
        "The rebels had long demanded autonomy. "
        "The group originally formed as a student movement. "
        "Its leader used to live in exile. "
        "The province has been under a curfew since January. "
        "The army responded with artillery."
    )
    got, timeline = run(nlp, text, "2025-06-03")
    assert got[(0, "attacked")] == W("2025-06-02")
    assert got[(1, "demanded")] == When.unknown()
    assert got[(2, "formed")] == When.unknown()
    assert got[(3, "live")] == When.unknown()
    assert got[(5, "responded")] == W("2025-06-02")
    assert timeline.narrative == W("2025-06-02")


@slow
def test_planned_events_do_not_move_the_narrative(nlp):
    text = (
        "On Monday, the leaders met in Paris. "
        "The leaders will hold a summit in December. "
        "The president plans to visit Cairo on Friday. "
        "The foreign minister criticized the plan."
    )
    got, timeline = run(nlp, text, "2025-04-10")  # a Thursday
    assert got[(0, "met")] == W("2025-04-07")
    assert got[(1, "hold")] == W("2025-12", "month")
    assert got[(2, "visit")] == W("2025-04-11")
    assert got[(3, "criticized")] == W("2025-04-07")


@slow
def test_document_date_only_when_text_is_silent(nlp):
    got, _ = run(nlp, "Protesters gathered outside parliament.", "2025-02-02")
    assert got[(0, "gathered")] == W("2025-02-02", "day", "document")
    got, _ = run(nlp, "Protesters gathered outside parliament.", None)
    assert got[(0, "gathered")] == When.unknown()
    # a relative expression with no anchor at all cannot be placed
    got, _ = run(nlp, "Protesters gathered outside parliament yesterday.", None)
    assert got[(0, "gathered")] == When.unknown()
    got, _ = run(nlp, "The army previously shelled the town.", "2025-02-02")
    assert got[(0, "shelled")] == When.unknown()


@slow
def test_regex_catches_what_ner_misses(nlp):
    text = "On 2019-05-04, the militia seized the airport. The ministry condemned the seizure."
    got, _ = run(nlp, text, "2025-01-01")
    assert got[(0, "seized")] == W("2019-05-04")
    assert got[(1, "condemned")] == W("2019-05-04")


@slow
def test_expressions_are_reported_with_their_predicate(nlp):
    doc = nlp("On 1 April, the minister said the visit in 2024 had been useful.")
    times = Timeline("2025-03-30").sentence(next(doc.sents))
    found = {text: doc[i].text for text, i in times.expressions}
    assert found["1 April"] == "said"
    assert found["in 2024"] == "visit"


@slow
def test_speed(nlp):
    import time

    text = " ".join(
        [
            "On 1 April, the minister flew to Vienna, where she met the chancellor.",
            "The two discussed trade the next day.",
            "In January 2023, an armed man stormed a consulate, killing a guard.",
            "The countries previously fought a border war.",
        ]
        * 50
    )
    doc = nlp(text)
    sents = list(doc.sents)
    start = time.perf_counter()
    timeline = Timeline("2025-03-30")
    for sent in sents:
        times = timeline.sentence(sent)
        for tok in sent:
            if tok.pos_ == "VERB":
                times.for_event(tok)
    elapsed = time.perf_counter() - start
    # the date stage must be a small share of a 2,000 words/s budget
    assert len(doc) / max(elapsed, 1e-9) > 20_000


def test_a_past_act_is_not_dated_years_after_publication(nlp):
    from detente.when import Timeline

    doc = nlp("The ministry plans to double exports by 2030. On Monday the two firms signed a deal. "
              "They signed it in 2031, officials said.")
    tl = Timeline("2017-03-01")
    sents = list(doc.sents)
    times = [tl.sentence(s) for s in sents]
    signed = [t for t in sents[1] if t.lemma_ == "sign"][0]
    assert times[1].for_event(signed).date == "2017-02-27"  # "On Monday": the last Monday
    signed2 = [t for t in sents[2] if t.lemma_ == "sign"][0]
    assert times[2].for_event(signed2).date != "2031"


def test_a_yearless_month_of_a_past_act_is_the_last_one(nlp):
    from detente.when import Timeline

    doc = nlp("The two ministers met in Rome in March. They will meet again in March.")
    tl = Timeline("2023-11-20")
    s1, s2 = list(doc.sents)
    t1, t2 = tl.sentence(s1), tl.sentence(s2)
    assert t1.for_event([t for t in s1 if t.lemma_ == "meet"][0]).date == "2023-03"
    assert t2.for_event([t for t in s2 if t.lemma_ == "meet"][0]).date == "2024-03"


def test_weekend_and_part_of_last_year():
    from datetime import date

    from detente.when import resolve_expression

    doc = (date(2024, 7, 1), "day")  # a Monday
    assert resolve_expression("over the weekend", doc, None).when().date == "2024-06"
    assert resolve_expression("late last year", doc, None).when().date == "2023"
    assert resolve_expression("early next month", doc, None).when().date == "2024-08"


def test_weekend_is_found_in_a_sentence(nlp):
    from detente.when import Timeline

    doc = nlp("Protesters clashed with police over the weekend.")
    times = Timeline("2024-07-01").sentence(list(doc.sents)[0])
    clashed = [t for t in doc if t.lemma_ == "clash"][0]
    assert times.for_event(clashed).date == "2024-06"


def test_a_flashback_does_not_date_the_present(nlp):
    from detente.when import Timeline

    doc = nlp("The two ministers met in Rome in March. Egypt has offered to host new talks.")
    tl = Timeline("2024-11-20")
    s1, s2 = list(doc.sents)
    tl.sentence(s1)
    t2 = tl.sentence(s2)
    offered = [t for t in s2 if t.lemma_ == "offer"][0]
    assert t2.for_event(offered).date == "2024-11-20"  # the present perfect is now


def test_last_met_is_background_and_keeps_the_narrative(nlp):
    from detente.when import Timeline

    doc = nlp("On Monday the envoy arrived in Cairo. The ministers last met in Rome in March. They talked for hours.")
    tl = Timeline("2024-11-20")
    sents = list(doc.sents)
    times = [tl.sentence(s) for s in sents]
    talked = [t for t in sents[2] if t.lemma_ == "talk"][0]
    assert times[2].for_event(talked).date == "2024-11-18"


def test_the_quick_start_test_of_the_time_expression_finder_loses_no_expression():
    import re

    from detente.when import _CANDIDATE_START, _MONTHS, _WEEKDAYS, _patterns

    fast = _patterns().candidates
    plain = re.compile(r"\b" + fast.pattern[len(_CANDIDATE_START):], re.IGNORECASE)
    numbers = "a couple of|a few|several|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|12"
    phrases = [f"{m} 5, 2024" for m in _MONTHS] + [f"5 {m.title()} 2024" for m in _MONTHS]
    phrases += [f"in {m}" for m in _MONTHS] + [f"last {w.upper()} morning" for w in _WEEKDAYS]
    phrases += [f"{n} weeks ago" for n in numbers.split("|")]
    phrases += [f"{q} month" for q in ("last", "past", "next", "coming", "previous", "preceding",
                                       "following", "same", "the same", "this", "that", "earlier this",
                                       "later that same")]
    phrases += ["2024-03-05", "05/03/2024", "Yesterday evening", "today", "tomorrow", "tonight",
                "last night", "decades ago", "years later", "the day before", "early last year",
                "the end of next month", "over the weekend", "during the weekend", "at the weekend",
                "since 2019", "until March", "by 2030", "between 1990", "from June", "mid-2023",
                "late 2024", "on Friday", "the following week"]
    text = " ... ".join(phrases)
    found = [(m.start(), m.end()) for m in fast.finditer(text)]
    assert found == [(m.start(), m.end()) for m in plain.finditer(text)]
    assert len(found) >= len(phrases)


@pytest.mark.parametrize("text,doc,expected", [
    # a season: its middle month; "last" the latest one over, "next" the first one not begun
    ("last summer", "2019-03-04", ("2018-07", "month")),
    ("last winter", "2019-03-04", ("2019-01", "month")),
    ("last winter", "2019-02-04", ("2018-01", "month")),
    ("this spring", "2019-03-04", ("2019-04", "month")),
    ("next summer", "2019-08-20", ("2020-07", "month")),
    ("next winter", "2019-03-04", ("2020-01", "month")),
    ("in the autumn of 2011", None, ("2011-10", "month")),
    ("fall 2012", None, ("2012-10", "month")),
    # "fall" after last/this/next/past is the season too (American usage)
    ("last fall", "2019-03-04", ("2018-10", "month")),
    ("next fall", "2019-03-04", ("2019-10", "month")),
])
def test_seasons(text, doc, expected):
    assert res(text, doc) == expected


@slow
def test_a_season_dates_the_verb_it_modifies(nlp):
    got, _ = run(nlp, "The rebel faction broke away from the alliance last summer.", "2019-03-04")
    assert got[(0, "broke")].date == "2018-07"


def test_the_documents_own_year_sets_no_narrative_date(nlp):
    from detente.when import Timeline

    doc = nlp("On Monday the envoy met the rebels in Doha. The talks are seen as a test ahead of "
              "elections later this year. Qatar condemned the attack.")
    tl = Timeline("2024-11-20")
    sents = list(doc.sents)
    times = [tl.sentence(s) for s in sents]
    condemned = [t for t in sents[-1] if t.lemma_ == "condemn"][0]
    # not "2024" (the year of the main clause before), not Monday: the time of writing
    assert times[-1].for_event(condemned).date == "2024-11-20"
