"""Event dates over whole articles (detente.when): how a time expression reaches, or does not
reach, the events of the sentences around it. Sentences written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from detente.model import When
from detente.when import Timeline, load_cues, resolve_expression

slow = pytest.mark.slow


def run(nlp, text, doc_date):
    """{(sentence index, predicate text): When} for every verb and event noun of ``text``."""
    doc = nlp(text)
    timeline = Timeline(doc_date)
    cues = load_cues()
    out: dict[tuple[int, str], When] = {}
    for k, sent in enumerate(doc.sents):
        times = timeline.sentence(sent)
        for tok in sent:
            if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.lemma_ in cues.event_nouns):
                out.setdefault((k, tok.text), times.for_event(tok))
    return out


def W(d, p="day", b="text"):
    return When(d, p, b)


# ------------------------------------------------------------ a yearless month in a past story


def test_yearless_month_after_the_narrative_and_before_publication():
    # the story is in August 2024, the article of February 2025: "in December" is December
    # 2024 (between the two), not December 2023
    august = (date(2024, 8, 15), "month")
    doc = (date(2025, 2, 10), "day")
    r = resolve_expression("in December", doc, august, False, True)
    assert r.when() == W("2024-12", "month")
    # never after publication (a month of slack for a late header date)
    r = resolve_expression("in April", doc, august, False, True)
    assert r.when() == W("2024-04", "month")
    # a year-long narrative keeps its year
    r = resolve_expression("in March", doc, (date(2022, 7, 1), "year"), False, True)
    assert r.when() == W("2022-03", "month")


@slow
def test_yearless_month_in_text(nlp):
    text = (
        "In August 2024 the navy of Ruritania held drills off the coast of Freedonia. "
        "In December the Ruritanian defence minister said his government was ready to talk."
    )
    got = run(nlp, text, "2025-02-10")
    assert got[(0, "held")] == W("2024-08", "month")
    assert got[(1, "said")] == W("2024-12", "month")


# ------------------------------------------------------------ the pluperfect of a recent report


@slow
def test_pluperfect_reported_on_a_recent_day_takes_that_day(nlp):
    text = (
        "Gunmen attacked a customs post near the Freedonian border on Sunday. "
        "Officials said the gunmen had also wounded a farmer at a checkpoint. "
        "The ministry said on Saturday that soldiers had detained two smugglers."
    )
    got = run(nlp, text, "2025-06-02")  # a Monday
    assert got[(0, "attacked")] == W("2025-06-01")
    assert got[(1, "wounded")] == W("2025-06-01")  # before Sunday's story, not undated
    assert got[(2, "detained")] in (W("2025-05-31"), W("2025-06-01"))


@slow
def test_pluperfect_is_not_dated_at_publication_in_flashbacks_and_old_stories(nlp):
    text = (
        "In 2019 rebels attacked a customs post near the Freedonian border. "
        "Officials said the rebels had also wounded a farmer at a checkpoint."
    )
    got = run(nlp, text, "2025-06-02")
    assert got[(1, "wounded")] == When.unknown()  # the reference is years before publication
    text = (
        "Gunmen attacked a customs post near the Freedonian border on Sunday. "
        "The two governments had signed a border treaty."
    )
    got = run(nlp, text, "2025-06-02")
    assert got[(1, "signed")] == When.unknown()  # a flashback of the main clause, before Sunday's story
    # with no story date, a flashback lies before publication: the article's month, not its day
    got = run(nlp, "The two governments had signed a border treaty.", "2025-06-02")
    assert got[(0, "signed")] == W("2025-06", "month", "document")
    # reported, but no date in the text: not dated at publication
    got = run(nlp, "Officials said soldiers had detained two smugglers.", "2025-06-02")
    assert got[(0, "detained")] == W("2025-06", "month", "document")


# ------------------------------------------------------------ back to the present after a flashback


@slow
def test_a_report_after_an_old_story_is_made_at_the_time_of_writing(nlp):
    text = (
        "Ruritania and Freedonia resumed border talks. "
        "In March 2019 the two countries broke off negotiations over a fishing dispute. "
        "The Ruritanian foreign minister said the next round would be held in the capital. "
        "Freedonia welcomed the decision."
    )
    got = run(nlp, text, "2025-06-04")
    assert got[(1, "broke")] == W("2019-03", "month")
    assert got[(2, "said")] == W("2025-06-04", "day", "document")
    assert got[(3, "welcomed")] == W("2025-06-04", "day", "document")


@slow
def test_a_report_in_a_recent_or_dated_story_keeps_its_date(nlp):
    text = (
        "In March 2019 the two countries broke off negotiations over a fishing dispute. "
        "The Ruritanian foreign minister said in April 2019 that talks were over. "
        "On Monday rebels shelled a village in the north. "
        "The governor said the army returned fire."
    )
    got = run(nlp, text, "2025-06-04")
    assert got[(1, "said")] == W("2019-04", "month")
    assert got[(3, "said")] == W("2025-06-02")
    assert got[(3, "returned")] == W("2025-06-02")


# ------------------------------------------------------------ a present-perfect lead retold with its day


@slow
def test_a_present_perfect_lead_takes_the_day_it_is_retold_with(nlp):
    text = (
        "Ruritania has accused Freedonia of sabotaging a gas pipeline. "
        "The Ruritanian ambassador told reporters that the attack was planned abroad. "
        "Freedonia wanted to weaken the country, the envoy said on Monday in Geneva."
    )
    got = run(nlp, text, "2025-06-04")  # a Wednesday
    assert got[(0, "accused")] == W("2025-06-02")


@slow
def test_a_present_perfect_lead_is_otherwise_at_the_document_date(nlp):
    text = (
        "Ruritania has accused Freedonia of sabotaging a gas pipeline. "
        "The Ruritanian ambassador told reporters that the attack was planned abroad."
    )
    got = run(nlp, text, "2025-06-04")
    assert got[(0, "accused")] == W("2025-06-04", "day", "document")
    # a retelling dated long before is another report, not the lead's
    text = (
        "Ruritania has accused Freedonia of sabotaging a gas pipeline. "
        "Freedonia wanted to weaken the country, the envoy said in March 2019."
    )
    got = run(nlp, text, "2025-06-04")
    assert got[(0, "accused")] == W("2025-06-04", "day", "document")


# ------------------------------------------------------------ an act inside a dated event noun


@slow
def test_act_during_a_dated_event_noun_takes_its_date(nlp):
    text = "A grenade was thrown during a march in Tirana, the capital, on Tuesday, wounding six people."
    got = run(nlp, text, "2019-05-10")  # a Friday
    assert got[(0, "thrown")] == W("2019-05-07")
    # without the preposition of overlap the date stays with the noun it belongs to
    text = "Officials in Skopje called off a march planned for Tuesday and arrested two organisers."
    got = run(nlp, text, "2019-05-10")
    assert got[(0, "arrested")] == W("2019-05-10", b="document")


# ------------------------------------------------------------ "N days after" opening a clause


@slow
def test_days_after_a_clause_count_back_from_the_clause_above(nlp):
    text = "The curfew comes three days after rioters burned a police station in Tirana."
    got = run(nlp, text, "2019-05-10")
    assert got[(0, "burned")] == W("2019-05-07")
    text = "The curfew was lifted on Thursday, four days after rioters burned a police station."
    got = run(nlp, text, "2019-05-10")
    assert got[(0, "burned")] == W("2019-05-05")


@slow
def test_days_after_a_clause_with_an_undated_clause_above_dates_nothing(nlp):
    # the clause above has no date of its own: counting from the narrative would be a guess
    text = "The curfew was lifted four days after rioters burned a police station."
    got = run(nlp, text, "2019-05-10")
    assert got[(0, "burned")] == W("2019-05-10", b="document")


# ------------------------------------------------------------ the header date's lag


@slow
def test_a_past_act_is_not_dated_weeks_after_publication(nlp):
    # a date two weeks ahead belongs to something planned, not to the past act nor the story
    text = "The interior minister signed the decree on 24 May. The opposition denounced it."
    got = run(nlp, text, "2019-05-10")
    assert got[(0, "signed")] == W("2019-05-10", b="document")
    assert got[(1, "denounced")] == W("2019-05-10", b="document")
    # a dateline a few days after the header date is the story's own time
    text = "The opposition leader was summoned by a magistrate on 12 May. He denounced the summons."
    got = run(nlp, text, "2019-05-10")
    assert got[(0, "summoned")] == W("2019-05-12")
    assert got[(1, "denounced")] == W("2019-05-12")


# ------------------------------------------------------------ a dated list inside an article


@slow
def test_a_dated_list_takes_the_years_before_publication(nlp):
    text = ("The dispute so far.\n\nAugust 14: Ruritania closes its border with Freedonia.\n\n"
            "November 2: Freedonia recalls its ambassador.\n\nFebruary 20: Ruritania expels two diplomats.")
    got = {pred: when for (_, pred), when in run(nlp, text, "2020-03-05").items()}
    assert got["closes"] == W("2019-08-14")
    assert got["recalls"] == W("2019-11-02")
    assert got["expels"] == W("2020-02-20")
    # a yearless date in running text keeps the nearest year
    got = run(nlp, "The two leaders meet again on August 14 in Geneva.", "2020-03-05")
    assert got[(0, "meet")] == W("2020-08-14")


@slow
def test_a_list_runs_forward_from_its_year_heading(nlp):
    # a flattened timeline: a year heading before an entry gives it its year, and the entries
    # after it run forward from it, whatever the story told before the list
    text = ("The border war of 2009 still weighs on both capitals. "
            "2018 November 3: Ruritania closes its border with Freedonia. "
            "The two countries fought a war over the island in 2009. "
            "January 9: Freedonia recalls its ambassador. "
            "March 2: Ruritania expels two diplomats.")
    got = {pred: when for (_, pred), when in run(nlp, text, "2020-03-05").items()}
    assert got["closes"] == W("2018-11-03")
    assert got["recalls"] == W("2019-01-09")
    assert got["expels"] == W("2019-03-02")


# ------------------------------------------------------------ the day of the story, told again


def test_earlier_in_the_day_and_hours_later_are_the_storys_day():
    story = (date(2019, 5, 8), "day")
    doc = (date(2019, 5, 10), "day")
    for text in ("earlier in the day", "later in the day", "hours later", "a few hours earlier",
                 "three hours after"):
        assert resolve_expression(text, doc, story, False, True).when() == W("2019-05-08"), text
    assert resolve_expression("later in the week", doc, story, False, True).when() == W("2019-05", "month")
    # a count of hours that may cross midnight dates nothing
    assert resolve_expression("30 hours later", doc, story, False, True) is None


@slow
def test_a_pluperfect_act_earlier_in_the_day_is_of_the_storys_day(nlp):
    text = ("Gunmen attacked a border post in Ruritania on Tuesday. "
            "The governor said the attackers had also robbed a bank earlier in the day.")
    got = run(nlp, text, "2019-05-10")
    assert got[(0, "attacked")] == W("2019-05-07")
    assert got[(1, "robbed")] == W("2019-05-07")


# ------------------------------------------------------------ the present after an old story


@slow
def test_a_present_main_clause_after_an_old_story_is_at_the_time_of_writing(nlp):
    text = (
        "Smuggling across the lake dates back to 2006. "
        "Raids on fishing boats have been falling since a joint patrol began in 2009. "
        "Ugandan ministers are preparing to announce a plan to guard the ports. "
        "The navy seized a smuggling boat near Entebbe."
    )
    got = run(nlp, text, "2025-06-02")
    assert got[(0, "dates")] == W("2006", "year")
    assert got[(2, "preparing")] == W("2025-06-02", "day", "document")
    assert got[(2, "announce")] == W("2025-06-02", "day", "document")  # the infinitive of a present verb
    # the story is back at the time of writing: the next act is not dated 2009
    assert got[(3, "seized")] == W("2025-06-02", "day", "document")
    # told in the past, such a sentence stays in the old story
    got = run(nlp, "Smuggling across the lake dates back to 2006. "
              "Ugandan ministers were preparing to announce a plan to guard the ports.", "2025-06-02")
    assert got[(1, "preparing")].date == "2006"


# ------------------------------------------------------------ the document's own month


def test_the_documents_own_month_sets_no_narrative_date(nlp):
    # "earlier this month" dates its own clause only: the sentences after it, told with no
    # date, are at the time of writing, not "2024-11"
    got = run(nlp, "Earlier this month, Chad expelled two Sudanese diplomats. Sudan's envoy accused "
                   "Chad of bad faith. The two ministers met in Doha.", "2024-11-20")
    assert got[(0, "expelled")] == W("2024-11", "month")
    assert got[(1, "accused")].date == "2024-11-20"
    assert got[(2, "met")].date == "2024-11-20"


def test_another_month_still_sets_the_narrative(nlp):
    got = run(nlp, "In September, Chad expelled two Sudanese diplomats. Sudan's envoy accused "
                   "Chad of bad faith.", "2024-11-20")
    assert got[(1, "accused")].date == "2024-09"


# ------------------------------------------------------------ a "when" clause


def test_a_when_clause_dates_the_clause_it_hangs_on(nlp):
    # the soldiers died when the post was stormed, on the Thursday the "when" clause names
    got = run(nlp, "Gunmen killed five soldiers when they stormed an army post near Gao last "
                   "Thursday.", "2024-11-20")
    assert got[(0, "killed")].date == "2024-11-14"


def test_a_while_clause_does_not_date_the_clause_it_hangs_on(nlp):
    # "while" mostly contrasts two facts: its date is its own
    got = run(nlp, "Ghana released the two activists, while Togo arrested a journalist last "
                   "Thursday.", "2024-11-20")
    assert got[(0, "released")].date == "2024-11-20"


def test_last_month_name_is_told_from_the_time_of_writing(nlp):
    # "last September" is deictic, like "last week": not the September before the story's 2013
    got = run(nlp, "The prisoner wrote to the governor of Ohio in 2013. Last September, the "
                   "governor wrote back to him.", "2017-03-01")
    assert got[(1, "wrote")] == W("2016-09", "month")
