"""Tests for detente.clean (boilerplate removal, normalisation) and detente.lang."""
from __future__ import annotations

import hashlib

import pytest

from detente.clean import clean, clean_text, load_rules, split_sentences
from detente.errors import DictionaryError
from detente.lang import detect_language
from detente.model import RawDocument

LEAD = (
    "The foreign ministers of Armenia and Azerbaijan met in Almaty on Friday to discuss "
    "the text of a peace treaty, both ministries said."
)
SECOND = (
    "The talks, hosted by Kazakhstan, were the first since the border incident in March, "
    "and ended with an agreement to meet again."
)


def paras(text: str) -> list[str]:
    return text.split("\n\n")


# --- outlet styles -------------------------------------------------------------------------


def test_reader_funded_appeal_paragraph_removed():
    appeal = (
        "Rely on The Valley Courier? We rely on you too. Independent outlets like ours are "
        "closing every month. Help us stay independent and become a reader-funded newsroom. "
        "Become a member"
    )
    text, removed = clean_text(f"{appeal}\n\n{LEAD}\n\n{SECOND}")
    assert paras(text) == [LEAD, SECOND]
    assert removed == (appeal,)


def test_appeal_glued_to_first_sentence_keeps_article():
    appeal = "Rely on Northern Wire? We rely on you too. Small newsrooms like ours could close. Become a member"
    text, removed = clean_text(f"{appeal} {LEAD}")
    assert text == LEAD
    assert removed[0].startswith("Rely on Northern Wire?") and removed[0].endswith("Become a member")


def test_support_our_journalism_box_removed():
    box = (
        "Before you go, we have a small favour to ask. Millions turn to us for open, "
        "independent news. Unlike many news organisations, we have no paywall. "
        "Support our independent journalism today from as little as $2. It only takes a minute. "
        "Thank you."
    )
    text, removed = clean_text(f"{LEAD}\n\n{SECOND}\n\n{box}")
    assert paras(text) == [LEAD, SECOND]
    assert removed == (box,)


def test_newsletter_prompt_removed():
    prompt = "Sign up for our Morning Briefing newsletter, delivered straight to your inbox."
    text, removed = clean_text(f"{LEAD}\n\n{prompt}\n\nSubscribe now\n\n{SECOND}")
    assert paras(text) == [LEAD, SECOND]
    assert prompt in removed and "Subscribe now" in removed


def test_cookie_notice_removed():
    notice = (
        "We use cookies to improve your experience on our site. By continuing to browse, you "
        "agree to our use of cookies. Manage cookie preferences."
    )
    text, _ = clean_text(f"{notice}\n\n{LEAD}")
    assert text == LEAD


def test_share_follow_and_related_lines_removed():
    raw = "\n\n".join([
        LEAD,
        "Read more: Border clashes leave two soldiers dead",
        "Share this article",
        SECOND,
        "Related: What is in the draft peace treaty?",
        "Also read - Five things to know about the corridor",
        "Follow us on Twitter and Facebook for the latest updates.",
    ])
    text, removed = clean_text(raw)
    assert paras(text) == [LEAD, SECOND]
    assert len(removed) == 5


def test_share_widget_inside_a_paragraph_is_cut():
    # a scraped row of share buttons and a short link, glued between two sentences of a paragraph
    widget = "Pinterest Email Reddit Facebook Print Permalink https://example.com/p/3Zq9"
    text, removed = clean_text(f"{LEAD} {widget} {SECOND}")
    assert text == f"{LEAD} {SECOND}"
    assert list(removed) == [widget]
    # a sentence naming two networks is prose, not a widget
    prose = "The ministry posted the statement on Facebook and Twitter on Monday."
    assert clean_text(prose)[0] == prose


def test_wire_dateline_and_byline():
    raw = f"By Jane Doe and Omar Haddad, Reuters\n\nLONDON (Reuters) - {LEAD}\n\n{SECOND}"
    text, removed = clean_text(raw)
    assert paras(text) == [LEAD, SECOND]
    assert "By Jane Doe and Omar Haddad, Reuters" in removed
    assert "LONDON (Reuters) -" in removed


@pytest.mark.parametrize("dateline", [
    "KYIV, Ukraine (AP) — ",
    "BEIJING, May 3 (Xinhua) -- ",
    "WASHINGTON — ",
    "(Reuters) - ",
])
def test_datelines_stripped_sentence_kept(dateline):
    text, _ = clean_text(dateline + LEAD)
    assert text == LEAD


def test_dateline_only_in_first_paragraph():
    later = "GENEVA (Reuters) - Negotiators will return next week, officials said."
    text, _ = clean_text(f"{LEAD}\n\n{later}")
    assert paras(text) == [LEAD, later]


def test_photo_credits_removed():
    raw = "\n\n".join([
        "Photo: Jane Doe/Example Agency",
        LEAD,
        "Image via Reuters",
        f"{SECOND} (AP Photo/Evan Example)",
        "(Reporting by Jane Doe; Editing by John Smith)",
    ])
    text, removed = clean_text(raw)
    assert paras(text) == [LEAD, SECOND]
    assert "(AP Photo/Evan Example)" in removed


def test_trailing_follow_prompt_glued_to_article():
    raw = f"{LEAD} {SECOND}- Follow Jane Doe on Twitter: @janedoe"
    text, removed = clean_text(raw)
    assert text == f"{LEAD} {SECOND}"
    assert removed == ("- Follow Jane Doe on Twitter: @janedoe",)


# --- what must survive ---------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "NATO members pledged support to Ukraine.",
    "The opposition called on members of parliament to support the bill.",
    "Japan will donate 2 million vaccine doses to Indonesia, the ministry said.",
    "He became a member of the Security Council delegation in 2019.",
    "The minister said the country would support the ceasefire.",
    "Photographs of the meeting were released by the presidency on Monday.",
    "By Friday, the two sides had agreed on a draft text.",
    "Related talks will be held in Vienna next month, diplomats said.",
])
def test_article_sentences_survive(sentence):
    text, removed = clean_text(f"{LEAD}\n\n{sentence}\n\n{SECOND}")
    assert paras(text) == [LEAD, sentence, SECOND]
    assert removed == ()


def test_single_cue_inside_article_paragraph_kept():
    p = f"{LEAD} Officials said readers like you had written in. {SECOND}"
    text, _ = clean_text(p)
    assert text == p


# --- normalisation -------------------------------------------------------------------------


def test_whitespace_normalised():
    raw = "\ufeff  First  line\nwrapped\there.  \n \n\n\n  Second\u00a0paragraph.  \r\n"
    text, removed = clean_text(raw)
    assert text == "First line wrapped here.\n\nSecond paragraph."
    assert removed == ()


def test_long_lines_without_blank_lines_are_paragraphs():
    raw = f"{LEAD} {LEAD}\nShare this article\n{SECOND} {SECOND}"
    text, _ = clean_text(raw)
    assert paras(text) == [f"{LEAD} {LEAD}", f"{SECOND} {SECOND}"]


def test_clean_document_fields():
    raw = RawDocument(
        id="d1", text=f"Follow us on Twitter\n\n{LEAD}", origin="x.txt", date="2024-01-02",
        date_source="header", title="T", url="u", source="s",
    )
    doc = clean(raw)
    assert doc.text == LEAD
    assert doc.content_hash == hashlib.sha256(LEAD.encode("utf-8")).hexdigest()
    assert doc.language == "en" and doc.is_english
    assert (doc.id, doc.origin, doc.date, doc.date_source, doc.title, doc.url, doc.source) == (
        "d1", "x.txt", "2024-01-02", "header", "T", "u", "s")
    assert doc.removed == ("Follow us on Twitter",)


def test_split_sentences():
    assert split_sentences("Mr. Smith met the U.S. envoy. Talks ended! Why? \"Good.\" Next") == [
        "Mr. Smith met the U.S. envoy.", "Talks ended!", "Why?", "\"Good.\"", "Next"]


# --- the cue file ----------------------------------------------------------------------------


def test_packaged_rules_load_and_cover_scopes():
    rules = load_rules()
    assert rules.paragraph and rules.sentence and rules.lead and rules.inline
    cats = {r.category for r in rules.sentence + rules.paragraph + rules.lead + rules.inline}
    assert {"appeal", "newsletter", "cookie", "share", "related", "photo", "byline", "dateline"} <= cats


@pytest.mark.parametrize("line, message", [
    ("appeal\t(?i)become a (member\tsentence", "bad regex"),
    ("appeal\tdonate\teverywhere", "unknown scope"),
    ("appeal\tdonate", "3 tab-separated columns"),
])
def test_bad_rules_file(tmp_path, line, message):
    p = tmp_path / "cues.tsv"
    p.write_text(f"# comment\n\nshare\tfollow us\tsentence\n{line}\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=f"cues.tsv:4: .*{message}"):
        load_rules(str(p))


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, lang", [
    ("Les ministres des affaires étrangères se sont réunis à Paris pour discuter de la crise "
     "et ils ont appelé à un cessez-le-feu.", "fr"),
    ("Die Regierung hat am Montag neue Sanktionen gegen das Land beschlossen, sagte ein "
     "Sprecher in Berlin.", "de"),
    ("El gobierno anunció el lunes que enviará más tropas a la frontera con el país vecino.", "es"),
    ("Президент встретился с министром иностранных дел.", "ru"),
    (LEAD, "en"),
    ("The talks ended.", "en"),
    ("Russia attacked Ukraine.", "en"),
    ("Iran condemns sanctions", "en"),
    ("", "unknown"),
    ("12345 678 -- 2020", "unknown"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_non_english_document_flagged():
    doc = clean(RawDocument(id="f", origin="f.txt", text=(
        "Le président a reçu le premier ministre à l'Élysée pour parler de la réforme.")))
    assert doc.language == "fr" and not doc.is_english


@pytest.mark.parametrize("text,pieces", [
    # a subheading glued to the next sentence
    ("Ecuador recalled its envoy on Friday. Border row deepens The ministry said talks would resume.",
     ["Ecuador recalled its envoy on Friday. Border row deepens", "The ministry said talks would resume."]),
    # a caption ending in a place, then a pronoun opening the sentence
    ("Fishermen gather near the harbour in Valparaiso They had protested for a week.",
     ["Fishermen gather near the harbour in Valparaiso", "They had protested for a week."]),
    # a quoted title alone at a sentence's start
    ("The talks ended late. 'A hollow promise' The Uruguayan senate rejected the pact.",
     ["The talks ended late. 'A hollow promise'", "The Uruguayan senate rejected the pact."]),
])
def test_glued_subheadings_become_paragraphs(text, pieces):
    assert clean_text(text)[0].split("\n\n") == pieces


@pytest.mark.parametrize("text", [
    "Delegates met in The Hague on Monday.",
    "The minister said: The talks failed.",
    '"We will not yield," The senator said later.',
    "Officials said the new plan, which They Might Be Giants mocked, was dropped.",
])
def test_ordinary_sentences_are_not_split(text):
    assert "\n\n" not in clean_text(text)[0]


def test_parse_copy_undoes_the_mangled_quotation_mark():
    from detente.clean import parse_copy

    text = ('"We will stay,"?the envoy said. The unions"?leaders met "?at least twice "?in Lima.')
    out = parse_copy(text)
    assert len(out) == len(text)
    assert out == ('"We will stay," the envoy said. The unions\' leaders met - at least twice - in Lima.')


def test_parse_copy_leaves_a_real_question_mark():
    from detente.clean import parse_copy

    text = 'Who pays? "Nobody," he said. Is it "fair"? No.'
    assert parse_copy(text) == text



@pytest.mark.parametrize("text, copy", [
    ("The minister said-the talks failed.", "The minister said the talks failed."),
    ("Lima has repeatedly-criticised the plan.", "Lima has repeatedly criticised the plan."),
    ("They met for talks-Saturday in Quito.", "They met for talks Saturday in Quito."),
    ("The inquiry-and the trial went on.", "The inquiry and the trial went on."),
])
def test_parse_copy_reads_a_scraped_hyphen_as_a_space(text, copy):
    from detente.clean import parse_copy

    assert parse_copy(text) == copy


@pytest.mark.parametrize("text", [
    "A state-of-the-art radar, a would-be bomber and an in-house team.",
    "His son-in-law met Moon Jae-in on Super-Tuesday.",
])
def test_parse_copy_keeps_real_compounds(text):
    from detente.clean import parse_copy

    assert parse_copy(text) == text
