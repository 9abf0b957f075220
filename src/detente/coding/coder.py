"""Event coding: predicates in a parsed document -> coded events.

For each sentence, each token that the predicate lexicon knows (a verb, or an event noun with
a light verb or with its own actors) becomes an event frame: its source from the subject (or
the passive agent, or the governing clause's subject for conjoined, infinitive and participle
predicates), its targets from the object, dative or prepositional objects (one event per
coordinated target), or from the subject of a clause complement ("demanded that Iran end").
Reciprocal acts with a compound or plural subject ("A and B agreed", "the two discussed") are
coded in both directions. Dates come from the Timeline, places from the DocumentPlaces,
modality from cue words (data/coding/modality.tsv).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, Protocol, Sequence

from detente.actors.resolution import DOMESTIC_SECTORS as _DOMESTIC_SECTORS
from detente.actors.resolution import HOME_SECTORS as _HOME_SECTORS
from detente.actors.resolution import VIOLENCE_ROOTS as _VIOLENCE_ROOTS
from detente.actors.resolution import Context, Sides, country_label, home_country, own_country_target, \
    resolve, threatened_place_of
from detente.actors.resolution import anchored as _anchored
from detente.coding.lexicon import (
    Lexicon,
    ModalityCues,
    Predicate,
    Speech,
    cameo_table,
    load_lexicon,
    load_modality_cues,
    load_speech,
    load_acts,
    load_intent,
    spelling_variant,
    word_class,
)
from detente.model import Actor, Event, Evidence, Mention, Place, When

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Coder", "Frame", "PAIR_ANAPHORA"]

# Determiners of a noun naming something told before: "the strike", "this attack".
_DEFINITE = frozenset(["the", "this", "that", "these", "those"])
# Prepositions whose object is the target of an event, in order of preference.
_TARGET_PREPS = ("with", "against", "on", "upon", "into", "at", "outside", "to", "toward", "towards", "from", "over", "for", "about")
# Head nouns that stand for a group of an actor: "members of X", "the head of X".
_GROUP_HEADS = frozenset(
    "group groups member members head heads leader leaders part representative representatives delegation "
    "official officials citizen citizens minister ministers envoy ambassador embassy government "
    "army forces troops people supporters spokesman spokeswoman spokesperson negotiator negotiators".split()
)
# Words of readiness: "is ready to talk" announces an act.
_READY = frozenset(["ready", "prepared", "willing"])
# Nouns for one's own country: "his country", "their nation".
_OWN_COUNTRY = frozenset(["country", "nation", "homeland"])
# Sectors whose words are not political statements: media, business, health, education, civilians.
_NOT_SPEAKERS = frozenset(["MED", "BUS", "HLT", "EDU", "CVL", "REF"])
# First-person pronouns: in quoted words they are the quote's speaker.
_FIRST_PERSON = frozenset(["i", "we", "me", "us"])
_QUOTES = frozenset(['"', "\u201c", "\u201d", "''", "``"])
# Group heads that act on behalf of the actor of a "for" phrase ("a spokeswoman for the navy").
_BEHALF_HEADS = frozenset(
    "spokesman spokeswoman spokesperson representative representatives envoy negotiator negotiators".split()
)
# Prepositions inside an object noun's phrase that may hold the target ("calls by X", "sanctions
# against X", "the release of X").
_INNER_PREPS = frozenset(["by", "from", "against", "on", "to", "with", "of", "for"])
# Nouns that make a "with" phrase name a helper, not a party acted on ("with Chile's help").
_HELP_NOUNS = frozenset(
    "help support backing assistance aid approval blessing consent cooperation participation".split()
)
# Plural anaphora that refer to the two parties of the last encounter.
PAIR_ANAPHORA = frozenset(["two", "both", "sides", "they", "leaders", "parties", "counterparts"])
_PAIR_ANAPHORA = PAIR_ANAPHORA  # public: the selective parser (detente.parse) asks for these words too
_SUBJ = ("nsubj", "csubj")
_OBJ = ("dobj", "dative", "attr", "oprd")
# offices whose holders fight in words, not arms: an attack of one on another is a criticism
_CIVIL_SECTORS = frozenset({"GOV", "LEG", "PTY", "OPP", "ELI", "JUD", "MED"})
_SKIP_EMBEDDED = frozenset(
    "urge call demand ask appeal threaten agree promise pledge vow refuse decline reject propose "
    "offer invite press order warn accuse blame".split()
)
# Verbs of going somewhere: "travelled to Moscow for talks" is the traveller's talks (a request
# "called for talks" is not).
_TRAVEL = frozenset("travel go come arrive return fly head visit gather convene meet".split())
# Verbs whose infinitive complement is refused: "declined to resign" is a rejection.
_REFUSALS = frozenset(["refuse", "decline", "reject", "fail"])
# Verbs denying an allegation ("denies the allegation", "rejected the charges")
_DENIALS = frozenset(["deny", "reject", "dismiss", "refute"])
# Nouns naming an allegation: "denies the charges" after an accusation denies the act accused.
_CLAIM_NOUNS = frozenset(
    "report claim allegation accusation charge suggestion rumour rumor speculation assertion".split()
)
# CAMEO roots of reactions to another's act (comment, appeal, support, demand, criticism,
# rejection, threat, protest, cut in relations): aimed at the act's doer when they name the act.
_REACTION_ROOTS = frozenset(["01", "02", "05", "10", "11", "12", "13", "14", "16"])
# Prepositions naming the circumstance of an act: "withdrew the bill amid criticism from X".
_CIRCUMSTANCE_PREPS = frozenset(["after", "amid", "amidst", "following", "despite", "under"])
# CAMEO roots of acts done with or to another party: intents to cooperate, consultations,
# diplomatic and material cooperation, aid, concessions, demands and assaults.
_PARTY_ROOTS = frozenset(["03", "04", "05", "06", "07", "08", "10", "18"])
# ... except the acts of those roots that one side does alone: leaving office (0831; an
# intent of reform or of a change of leadership, 034/0341), declaring a truce (0871), laying
# down arms (0873), and the intent to de-escalate (0356), when done or announced (one asked
# for, "calling for the minister to step down", is the appeal's, not an act of its own).
# Sectors of a country's own politics whose members a statement by another of them is aimed
# at ("the prime minister said the opposition had failed ..."): a national speaker's words
# naming an actor of its own country of another of these sectors.
_RIVAL_SECTORS = frozenset(["GOV", "OPP", "PTY", "LEG", "JUD"])
_SOLO_ACTS = frozenset(["0831", "034", "0341", "0871", "0873", "0356"])
# The least confidence an event of an article needs (a lone sentence keeps all its events).
_ARTICLE_MIN_CONFIDENCE = 0.25
# auxiliaries of an announced act ("said it will not share power with X")
_FUTURE_AUX = frozenset(["will", "would", "shall", "'ll"])
# and "wo" of "won't", where a negated future is read (a refused partnership)
_FUTURE_OR_WONT = _FUTURE_AUX | {"wo"}
# present-tense verb tags: a clause "until X steps down" tells a time yet to come
_PRESENT_TAGS = frozenset(["VBZ", "VBP"])
_MODALITY_RANK = {"negated": 3, "hypothetical": 2, "planned": 1, "asserted": 0}


class ActorSource(Protocol):
    """What the coder needs from the actor stage (detente.actors.DocumentActors)."""

    mentions: list[Mention]

    def at(self, token_i: int) -> Mention | None:
        """The mention covering token ``token_i``, if any."""

    def resolve(self, mention: Mention, date: str | None) -> Actor:
        """The mention's actor with date-limited codes resolved at ``date``."""


class TimeSource(Protocol):
    """What the coder needs from the date stage, per sentence (detente.when.SentenceTimes)."""

    def for_event(self, pred: "Token") -> When:
        """When the event whose predicate is ``pred`` happened."""


class PlaceSource(Protocol):
    """What the coder needs from the place stage (detente.places.DocumentPlaces)."""

    def at(self, token_i: int) -> Place | None:
        """The place token ``token_i`` belongs to, if any."""

    def locate(self, pred: "Token") -> Place | None:
        """Where the event whose predicate is ``pred`` happened, if the text says."""


@dataclass
class _State:
    """What the coder remembers across a document: the parties of the last encounter, the
    doer of the last coded act, the last act someone was accused of."""

    last_pair: tuple[Mention, Mention] | None = None
    last_actor: Actor | None = None  # the source of the last coded act (not a statement)
    accused: "Frame | None" = None  # the act of the last "X accused Y of doing Z": Y's Z
    # the acts told so far, as (token index, act class, doer): "Y fired a missile", "Y's test"
    acts: list[tuple[int, str, Mention]] = field(default_factory=list)
    alone_statements: set[int] = field(default_factory=set)  # statements whose words name no one
    aimless: set[str] = field(default_factory=set)  # the events of such statements answering no act


@dataclass(frozen=True)
class Frame:
    """An event before dating and placing: predicate token, lexicon row, actors."""

    pred: "Token"
    anchor: "Token"  # the token whose clause dates and locates the event (light verb or pred)
    row: Predicate
    source: Mention | None
    target: Mention | None
    nominal: bool
    modality: str | None = None  # set when the frame's own clause does not tell it (a denial)
    place: Place | None = None  # set when the coder, not the place stage, knows where it happened
    occasion: bool = False  # a meeting told as the occasion of its clause's act ("said at talks with Y")


def _is_parsed(sent: "Span") -> bool:
    """Whether the sentence has any annotation (the selective parse leaves some without)."""
    return any(t.tag or t.pos or t.dep for t in sent)

class Coder:
    """Codes the events of a parsed document. Build once, call :meth:`code` per document."""

    def __init__(self, lexicon: Lexicon | None = None, cues: ModalityCues | None = None, speech: Speech | None = None):
        self.lexicon = lexicon or load_lexicon()
        self.cues = cues or load_modality_cues()
        self.speech = speech or load_speech()
        self.intent = load_intent()
        self.acts = load_acts()
        self._state: _State | None = None  # the state of the document being coded
        self.table = cameo_table()
        self._responses = word_class("response_nouns")
        self._opponents = word_class("opponent_nouns")
        self._occasions = word_class("occasion_preps")
        self._sittings = word_class("sitting_nouns")
        self._documents = word_class("document_nouns")
        self._receiving = word_class("receiving_verbs")
        self._doc_places: PlaceSource | None = None
        self._statement_row = Predicate("<say>", "V", (), "010", frozenset(["weak"]), 0)
        # "X said it would work with Y": an announced act the lexicon does not code is an intent
        self._intent_row = Predicate("<say>", "V", (), "030", frozenset(["weak"]), 0)
        self._said_rows = (self._statement_row, self._intent_row)
        self._criticism_row = Predicate("<say>", "V", (), "111", frozenset(), 0)
        self._speech_row = {
            code: Predicate(f"<{w}>", "V", (), code, frozenset(), 0) for w, code in self.speech.modals.items()
        }

    # ----------------------------------------------------------------- public
    def code(
        self,
        doc_id: str,
        text: str,
        parsed: "Doc",
        actors: ActorSource,
        timeline: "object",
        places: PlaceSource | None = None,
        headline: "tuple[Doc, ActorSource] | None" = None,
    ) -> list[Event]:
        """All events of one document, in text order.

        ``headline`` is the parsed title with its actors, when the document has one: it codes no
        event, but the acts it names with their doers ("Y's missile launch") are remembered
        as told before the text.

        ``timeline`` is a detente.when.Timeline (``sentence(span) -> SentenceTimes``), called
        once per sentence in order. Offsets refer to ``text``, the cleaned document text.
        """
        events: list[Event] = []
        state = _State()
        self._state = state  # read by _act_doer while this document is coded
        self._doc_places = places  # read by _country_in_phrase while this document is coded
        home = home_country(places)
        if headline is not None:
            self._remember_headline(headline[0], headline[1], state)
        for sent in parsed.sents:
            if not _is_parsed(sent):
                # a sentence the selective parse skipped holds no event, and no date the
                # events need: it sets the narrative date of no later event (detente.parse)
                continue
            times = timeline.sentence(sent)  # type: ignore[attr-defined]
            frames = self._frames(sent, actors, state)
            events.extend(self._events(doc_id, text, sent, frames, actors, times, places, home, state))
        if _several_sentences(parsed):
            # in an article, an act whose doer neither the sentence nor the article before it
            # identifies (a passive without agent, an unknown person, "he" with no antecedent)
            # is left out, except violence against a named side; also where no political actor
            # acts at all (a trial of a private person: its denials and allegations are no
            # events); a lone sentence, with no context to identify its actors from, keeps
            # its events
            # An unnamed doer placed by where the act happened is kept only for an act on a
            # side someone identifies: a person no dictionary, title or context places, killed
            # or arrested by nobody named, gives the act no political side at all.
            events = [e for e in events if (_political_source(e) and not _placed_on_nobody(e))
                      or (e.cameo[:2] in _VIOLENCE_ROOTS and _anchored(e.target))]
            # an act done with or to another party (cooperation, aid, a concession, a demand,
            # an assault) that names no such party is no interaction the article tells
            events = [e for e in events if e.target is not None or e.cameo[:2] not in _PARTY_ROOTS
                      or (e.cameo in _SOLO_ACTS and e.modality in ("asserted", "planned"))]
            # and an event the coder itself rates least sure of (deep in a subordinate phrase,
            # read by a weak row, a side unnamed) is left to the article's clearer tellings
            events = [e for e in events if e.confidence >= _ARTICLE_MIN_CONFIDENCE]
            # a statement whose words name no actor, place or group besides the speaker and that
            # answers no act told before it ("'we recognise that,' the minister said") is aimed
            # at no one: no interaction
            events = [e for e in events if e.event_id not in state.aimless]
            # what the article keeps and aims at no one is aimed at its actor's own country
            events = [_at_own_country(e, home) for e in events]
        return _unique_ids(events)

    # ----------------------------------------------------------------- frames
    def _frames(self, sent: "Span", actors: ActorSource, state: "_State") -> list[Frame]:
        frames: list[Frame] = []
        n_before = 0
        consumed: set[int] = set()
        self._remember_named_acts(sent, actors, state)
        for tok in sent:
            if tok.i in consumed:
                continue
            pos = tok.pos_
            if tok.dep_ == "amod" and not self._misparsed_verb(tok):
                continue  # a participle used as an adjective: "the injured striker"
            if pos in ("VERB", "AUX") or (pos == "NOUN" and tok.tag_.startswith("VB")) or self._misparsed_verb(tok):
                # "dropped the pledge after opposition from X": X opposed the subject
                frames.extend(self._received(tok, actors, consumed, circumstance=True))
                received = self._received(tok, actors, consumed) if tok.lemma_.lower() in self._receiving else []
                if received:
                    frames.extend(received)  # "faced criticism from X": X criticised the subject
                    continue
                matched = self._match(tok, "V")
                if matched is not None and matched.cameo == "-":
                    continue
                row = matched
                if row is None and tok.lemma_.lower() in self.lexicon.light_verbs:
                    if self._embedded_in_event(tok):
                        continue  # "agreed to hold talks": the agreement is the event
                    light = self._light(tok, actors, consumed, state.last_pair)
                    if light:
                        frames.extend(light)
                        continue
                denied = self._denied_allegation(tok, actors, state) if tok.lemma_.lower() in _DENIALS else None
                if denied is not None:
                    frames.append(denied)  # and the denial's own row below, if the lexicon has one
                if row is None and tok.lemma_.lower() in self.speech.verbs:
                    frames.extend(self._reported_demand(tok, actors) or self._statement(tok, actors))
                    continue
                if row is None or self._embedded_in_event(tok):
                    continue
                if row.cameo.startswith("02") and _asks_a_question(tok) and self._document_of(tok) is None:
                    # "asked whether ...", "asked about ...": a question, no act requested (a
                    # letter asking how often ... is a written request for information)
                    continue
                frames.extend(self._verb_frames(tok, tok, row, actors, state.last_pair, nominal=False))
            elif pos == "NOUN" or (pos == "PROPN" and tok.ent_type_ not in ("DATE", "TIME", "PERSON", "GPE", "ORG")):
                row = self._event_row(tok, "N")
                if row is None:
                    continue
                frames.extend(self._noun_frames(tok, row, actors))
            for fr in frames[n_before:]:
                if fr.row.cameo.startswith("04") and fr.source and fr.target:
                    state.last_pair = (fr.source, fr.target)
            n_before = len(frames)
        for fr in frames:
            if fr.source is not None and fr.modality is None and _accused_act(fr.anchor):
                state.accused = fr
            if fr.source is not None and fr.row not in self._said_rows and _anchored(fr.source.actor):
                state.acts.append((fr.pred.i, self._act_class(fr.pred, verb=True), fr.source))
        # a politician attacking another politician, a party or a government attacks in words
        frames = [replace(fr, row=self._criticism_row) if self._verbal_attack(fr) else fr for fr in frames]
        # a statement is the speaker's event only when the sentence codes no other act of theirs
        # (a meeting the words were said at is no such act: "X said at talks with Y")
        other = [fr for fr in frames if fr.row not in self._said_rows and fr.source
                 and not fr.occasion]
        acting = {fr.source.start for fr in other}
        # ... nor another act of the side they speak for ("Tokyo has lodged a protest, he said")
        sides = {fr.source.actor.code for fr in other if fr.source.actor.code and fr.source.actor.country}
        return [fr for fr in frames if fr.row not in self._said_rows
                or (fr.source.start not in acting and fr.source.actor.code not in sides)]

    def _verbal_attack(self, fr: Frame) -> bool:
        """Whether an attack (the generic row, 180) is made in words: a person holding a civil
        office (government, legislature, party, opposition, court, press) attacking another
        such person or body ("the senator attacked the prime minister"), not an armed side."""
        if fr.row.cameo != "180" or fr.nominal or fr.pred.lemma_.lower() != "attack":
            return False
        src, tgt = fr.source, fr.target
        if src is None or tgt is None or src.actor.sector not in _CIVIL_SECTORS:
            return False
        if src.kind != "person" and src.actor.sector == "GOV":
            return False  # "the government attacked the rebels' town": its forces may have
        return tgt.actor.sector in _CIVIL_SECTORS or (tgt.kind == "person" and tgt.actor.sector is None)

    def _denied_allegation(self, verb: "Token", actors, state: "_State") -> Frame | None:
        """ "Y denies the allegation", after "X accused Y of doing Z": Y's Z, negated (a denial
        of an act is that act negated). Only an allegation with no words of its own (no "that"
        clause), denied by the one accused."""
        acc = state.accused
        if acc is None or acc.source is None:
            return None
        noun = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in _CLAIM_NOUNS), None)
        if noun is None or any(c.dep_ in ("acl", "ccomp", "relcl", "prep") for c in noun.children):
            return None
        src = next((m for m in (self._mention(t, actors) for t in self._subject_tokens(verb)) if m), None)
        if src is None or not src.actor.country or src.actor.country != acc.source.actor.country:
            return None
        tgt = acc.target if acc.target is None or acc.target.actor.country != src.actor.country else None
        return Frame(verb, verb, acc.row, src, tgt, False, "negated")

    # ----------------------------------------------------------------- acts and their doers
    def _act_class(self, tok: "Token", verb: bool = False) -> str | None:
        """The class of act a word names (data/coding/acts.txt), its own lemma for a noun the
        lexicon codes as an event; for a coded predicate (``verb``), always a class."""
        lemma = tok.lemma_.lower()
        if lemma in self.acts:
            return self.acts[lemma]
        if verb or (tok.pos_ == "NOUN" and self._event_row(tok, "N") is not None):
            return lemma
        return None

    @staticmethod
    def _led_by(tok: "Token", actors) -> Mention | None:
        """The country a "<country>-led" modifier names as leading a force or an act ("the
        US-led coalition", "a Saudi-led air strike"): that country's military. Not
        "<country>-backed": a force backed by a country is not its own."""
        for c in tok.children:
            if c.dep_ not in ("amod", "compound") or c.lower_ != "led":
                continue
            for g in c.children:
                m = actors.at(g.i) if g.dep_ in ("npadvmod", "compound", "nmod", "amod") else None
                if m is not None and m.actor.country and m.kind in ("country", "place"):
                    country = m.actor.country
                    start = min(m.start, tok.i)
                    return Mention(start, tok.i + 1, tok.i, Actor(tok.doc[start:tok.i + 1].text, None, country, "MIL",
                                                                   country + "MIL"), "group")
        return None

    def _act_phrase_actor(self, noun: "Token", actors) -> Mention | None:
        """The doer an act noun's own phrase names: a possessive ("Y's launch"), a country or
        named actor modifying it ("the Y test"), a "by" phrase ("the launch by Y"), or the
        subject of the light verb it is the object of ("Y carried out a test")."""
        led = self._led_by(noun, actors)
        if led is not None:
            return led
        for c in noun.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod"):
                m = actors.at(c.i)
                if m is not None and m.kind != "pronoun" and (c.dep_ == "poss" or m.actor.country or m.actor.name):
                    return m
        for c in noun.children:
            if c.dep_ in ("prep", "agent") and c.lower_ == "by":
                for g in c.children:
                    if g.dep_ == "pobj":
                        m = self._mention(g, actors)
                        if m is not None and m.kind != "pronoun":
                            return m
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.lexicon.light_verbs:
            return self._doer(noun.head, actors)
        return None

    def _doer(self, verb: "Token", actors) -> Mention | None:
        """The named actor doing a verb's act: its agent or subject, not a pronoun (whose
        antecedent is guessed); none for a passive without agent ("was launched")."""
        agent = self._agent_tokens(verb)
        if not agent and any(c.dep_ == "auxpass" for c in verb.children):
            return None
        for t in agent or self._subject_tokens(verb):
            m = self._mention(t, actors)
            if m is not None and m.kind != "pronoun":
                return m
        return None

    def _remember_named_acts(self, sent: "Span", actors, state: "_State") -> None:
        """Remember the acts a sentence names with their doer: an act noun with its doer in its
        phrase ("Y's launch", "the Y test"), a verb of acts.txt with its subject or agent ("Y
        tested a missile", "the ruling" after "a Y court ruled")."""
        for tok in sent:
            if tok.pos_ == "NOUN":
                cls = self._act_class(tok)
                m = self._act_phrase_actor(tok, actors) if cls is not None else None
            elif tok.pos_ == "VERB" and tok.lemma_.lower() in self.acts:
                cls = self.acts[tok.lemma_.lower()]
                m = self._doer(tok, actors)
            else:
                continue
            if m is not None and _anchored(m.actor):
                state.acts.append((tok.i, cls, m))

    def _remember_headline(self, title: "Doc", actors, state: "_State") -> None:
        """The acts a headline names with their doers, remembered as told before the text (at
        token index -1, as mentions of no span of the text)."""
        before = len(state.acts)
        places, self._doc_places = self._doc_places, None  # the text's places, not the title's
        try:
            for sent in title.sents:
                self._remember_named_acts(sent, actors, state)
        finally:
            self._doc_places = places
        state.acts[before:] = [(-1, cls, Mention(-1, -1, -1, m.actor, m.kind)) for _, cls, m in state.acts[before:]]

    def _act_doer(self, noun: "Token", actors, reacting: Sequence[Actor], remembered: bool = True) -> Mention | None:
        """Who did the act a noun names, when a reaction names the act and not its doer ("X
        condemned the launch"): the doer its phrase names, else the doer of the last act of its
        class told before it in the article ("Y fired a missile"), unless not ``remembered``;
        never of the country of a ``reacting`` side."""
        cls = self._act_class(noun)
        if cls is None:
            return None

        def fits(m: Mention) -> bool:
            a = m.actor
            return _anchored(a) and not any(a.country and a.country == r.country for r in reacting)

        m = self._act_phrase_actor(noun, actors)
        if m is not None:
            return m if fits(m) else None
        state = self._state
        if state is None or not remembered:
            return None
        best = None
        for i, c, m in state.acts:
            if i < noun.i and (c == cls or cls == "move") and fits(m) and (best is None or i > best[0]):
                best = (i, m)
        return best[1] if best else None

    def _match(self, tok: "Token", pos: str) -> Predicate | None:
        lemma = tok.lemma_.lower()
        rows = self.lexicon.rows(lemma, pos)
        if not rows:
            # British and American spellings are one word: "organise"/"organize", "defence"
            alt = spelling_variant(lemma)
            if alt is not None:
                rows = self.lexicon.rows(alt, pos)
        for row in rows:
            if all(self._holds(tok, c.key, c.values) for c in row.conditions):
                return row
        return None

    def _event_row(self, tok: "Token", pos: str) -> Predicate | None:
        """The lexicon row coding ``tok``, or None (also for a "-" row: known not to be an event)."""
        row = self._match(tok, pos)
        return None if row is None or row.cameo == "-" else row

    def _holds(self, tok: "Token", key: str, values: frozenset[str]) -> bool:
        def ok(t: "Token") -> bool:
            if not values or t.lemma_.lower() in values or t.lower_ in values:
                return True
            inner = self._measured(t)
            return inner is not None and (inner.lemma_.lower() in values or inner.lower_ in values)

        def qualified(t: "Token") -> bool:
            # a complement, or an adjective of a complement noun ("the worst possible candidate")
            adjs = [g for g in t.children if g.dep_ == "amod"] if t.pos_ == "NOUN" else []
            adjs += [x for g in adjs for x in g.children if x.dep_ in ("advmod", "amod")]
            return ok(t) or any(ok(g) for g in adjs)

        for c in tok.children:
            dep = c.dep_
            if key == "prt" and dep in ("prt", "advmod") and ok(c):
                return True
            if key == "prep" and dep in ("prep", "agent") and ok(c):
                return True
            if key == "prep" and _for_clause(c) and "for" in values:
                return True  # "called for Chile to withdraw": the clause is the for-phrase
            if key == "obj" and dep in ("dobj", "nsubjpass", "attr") and ok(c):
                return True
            if key == "xcomp" and (dep in ("xcomp", "ccomp") or _for_clause(c)) and ok(c):
                return True
            if key == "mod" and dep in ("amod", "compound", "nmod", "npadvmod") and ok(c):
                return True
            if key == "mod" and dep in ("nsubj", "nsubjpass") and any(
                g.dep_ in ("amod", "compound", "nmod") and ok(g) for g in c.children
            ):
                return True  # "peacekeeping troops arrived"
            if key == "mod" and dep in ("dobj", "prep"):
                # "halted aid deliveries", "went on hunger strike": the object's own modifiers
                objs = [c] if dep == "dobj" else [g for g in c.children if g.dep_ == "pobj"]
                if any(g.dep_ in ("amod", "compound", "nmod") and ok(g) for o in objs for g in o.children):
                    return True
            if key == "pred":
                # a predicative complement: "called the attack brutal", "described it as a sham",
                # or the adjective of a complement noun: "called him the worst possible candidate"
                if dep in ("oprd", "acomp", "ccomp", "xcomp", "advmod") and qualified(c):
                    return True
                if dep == "prep" and c.lower_ == "as" and any(g.dep_ == "pobj" and qualified(g) for g in c.children):
                    return True
                if dep == "dobj" and any(g.dep_ in ("oprd", "acomp", "ccomp", "amod", "appos") and g.i > c.i
                                         and ok(g) for g in c.children):
                    return True
            if key == "subj" and dep in ("nsubj", "nsubjpass", "csubj") and ok(c):
                return True
            if key in ("pobj", "of") and dep == "prep":
                if key == "of" and c.lower_ != "of":
                    continue
                if any(g.dep_ == "pobj" and ok(g) for g in c.children):
                    return True
                if key == "pobj" and c.lower_ in ("out", "away") and any(
                        p.dep_ == "prep" and any(g.dep_ == "pobj" and ok(g) for g in p.children) for p in c.children):
                    return True  # "pulled out of the treaty": the parser hangs "of" on "out"
                # "agree to a ceasefire" may attach the noun through the infinitive marker
        if key == "pobj":
            return any(c.dep_ in ("xcomp", "ccomp") and c.pos_ == "NOUN" and ok(c) for c in tok.children)
        return False

    def _reported_demand(self, verb: "Token", actors) -> list[Frame]:
        """ "X said Y must do Z": X demands of Y (the modal's code in speech.tsv)."""
        for comp in verb.children:
            if comp.dep_ != "ccomp":
                continue
            code = next((self.speech.modals[c.lower_] for c in comp.children
                         if c.dep_ == "aux" and c.lower_ in self.speech.modals), None)
            if code is None:
                continue
            src = [m for m in (self._mention(t, actors) for t in self._subject_tokens(verb)) if m]
            # the reported clause's subject, passive too ("X said Y should be denied access")
            tgt = [m for t in comp.children if t.dep_ in _SUBJ + ("nsubjpass",)
                   for m in [self._mention(t, actors)] if m]
            s0, t0 = (src[0] if src else None), (tgt[0] if tgt else None)
            if s0 is not None and t0 is not None and s0.start == t0.start:
                t0 = None
            return [Frame(comp, verb, self._speech_row[code], s0, t0, False)]
        return []

    def _statement(self, verb: "Token", actors) -> list[Frame]:
        """ "X said (that) ...": a public statement (CAMEO 010) of a political speaker, aimed at
        the first other political actor the reported words name, if any."""
        src = next((m for m in (self._mention(t, actors) for t in self._subject_tokens(verb)) if m), None)
        if src is None or not _anchored(src.actor) or src.kind == "place" or src.actor.sector in _NOT_SPEAKERS:
            return []  # a journalist, a company, a hospital, a private person: no political statement
        if src.kind == "person" and src.actor.sector is None:
            return []  # a person no title or dictionary gives an office ("a tourist from Chile")
        said = [c for c in verb.children if c.dep_ in ("ccomp", "dobj") and c.pos_ in ("VERB", "AUX", "NOUN", "PROPN")]
        if not said:
            # "said in a statement that ...": the words are the clause on the noun
            said = [c for p in verb.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"
                    for c in g.children if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX")
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if not said and verb.dep_ in ("parataxis", "ccomp") and verb.head.i != verb.i:
            said = [verb.head]  # "..., the minister said": the clause it comments on
        skip = set(range(src.start, src.end))
        if verb.dep_ in ("parataxis", "ccomp"):
            skip.update(x.i for x in verb.subtree)
        tgt = generic = domestic = None
        if _refused_partnership(verb):
            # "said it will not share power with X": X is refused, of whatever country
            tgt = next((m for p in _partnership_phrases(verb) for g in p.children if g.dep_ == "pobj"
                        for m in [actors.at(g.i)] if m is not None and m.kind not in ("place", "pronoun") and _anchored(m.actor)
                        and m.start != src.start), None)
        if tgt is None:
            # "X said of Y", "wrote of Y": the words are about Y, whoever Y is
            tgt = next((m for p in verb.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj"
                        for m in [self._mention(g, actors)] if m is not None and m.kind not in ("place", "pronoun")
                        and m.start != src.start), None)
        for clause in said if tgt is None else ():
            for t in clause.subtree:
                m = actors.at(t.i) if t.i not in skip else None
                if m is None or m.kind in ("place", "pronoun"):
                    continue
                if not _anchored(m.actor):
                    # an institution with no country named in a national speaker's words
                    # ("the court", "parliament"): the speaker's own (resolution.domestic_target)
                    if generic is None and m.actor.sector in _DOMESTIC_SECTORS and not m.actor.name:
                        generic = m
                    elif domestic is None and not m.actor.name and src.actor.sector in _DOMESTIC_SECTORS \
                            and self._rival(m, src, said, verb):
                        domestic = m  # "the opposition" in a government's words: its own
                    continue
                if m.actor.country and m.actor.country == src.actor.country:
                    if domestic is None and self._rival(m, src, said, verb):
                        domestic = m
                    continue
                tgt = m
                break
            if tgt is not None:
                break
        if tgt is None and generic is None:
            # words about an act that name the act, not its doer ("said the launch was a
            # provocation", "said none of the accusations were proven"): aimed at its doer
            tgt = self._discussed_act_doer(said, src, actors)
        tgt = tgt or domestic or generic
        if tgt is not None and any(self._disapproving(c) for c in said):
            # "said the launch was reckless", "said Y's approach was to blame": a criticism
            return [Frame(verb, verb, self._criticism_row, src, tgt, False)]
        if tgt is None and not any(m.kind != "pronoun" and m.start != src.start
                                   for m in actors.mentions if verb.sent.start <= m.start < verb.sent.end):
            # words that name no actor, place or group besides their speaker ("'we recognise
            # that,' the minister said"): in an article, no interaction unless the statement
            # answers an act told before it (_events)
            self._state.alone_statements.add(verb.i)
        # an announced act is an intent towards someone: with no one named, a plain statement
        announced = next((c for c in said if self._announced(c)), None) if tgt is not None else None
        if announced is not None:
            # dated when the act is to happen, as far as its clause tells ("will present it on
            # Saturday, he said on Thursday": Saturday); the modality stays the statement's
            frame = Frame(verb, verb, self._intent_row, src, tgt, False)
            return [replace(frame, anchor=announced, modality=self._modality(frame))]
        return [Frame(verb, verb, self._statement_row, src, tgt, False)]

    @staticmethod
    def _rival(m: Mention, src: Mention, said: list["Token"], src_verb: "Token") -> bool:
        """Whether an actor of the speaker's own country is what reported words are about and
        another side of its politics: the subject of the words (or its owner: "said the
        opposition's plan failed"), of another of the sectors of `_RIVAL_SECTORS` than the
        speaker's (the opposition, a party, the legislature or a court for a government's
        speaker, the government for the opposition's). Not the clause a verb of saying is the
        complement of ("X told reporters Y should say sorry": X's words, not Y's)."""
        sector, own = m.actor.sector, src.actor.sector
        if not sector or sector not in _RIVAL_SECTORS or own not in _RIVAL_SECTORS or sector == own:
            return False
        clauses = [c for c in said if c.i != src_verb.head.i or src_verb.dep_ != "ccomp"]
        for clause in clauses:  # and the clauses the words report in turn ("said X showed Y ...")
            clauses.extend(c for c in clause.children if c.dep_ in ("ccomp", "conj") and c.pos_ in ("VERB", "AUX"))
            for c in clause.children:
                if c.dep_ in _SUBJ + ("nsubjpass",) and (
                        m.start <= c.i < m.end
                        or any(p.dep_ == "poss" and m.start <= p.i < m.end for p in c.children)):
                    return True
        return False

    def _disapproving(self, clause: "Token") -> bool:
        """Whether reported words hold a word of disapproval anywhere (data/coding/disapproval.txt)
        or lay blame ("was to blame"), not negated."""
        words = word_class("disapproval")
        if any(c.dep_ == "neg" for c in clause.children):
            return False
        return any((t.lemma_.lower() in words or t.lemma_.lower() == "blame")
                   and not any(c.dep_ == "neg" for c in (*t.children, *t.head.children))
                   for t in clause.subtree if t.pos_ in ("ADJ", "NOUN", "VERB"))

    def _discussed_act_doer(self, said: list["Token"], src: Mention, actors) -> Mention | None:
        """The doer of the act that is the subject or object of reported words, when their
        phrase or the article names one (:meth:`_act_doer`)."""
        for clause in said:
            nouns = [clause] if clause.pos_ == "NOUN" else []
            for c in clause.children:
                if c.dep_ in _SUBJ + ("nsubjpass",) + _OBJ:
                    nouns.append(c)
                    # "none of the accusations", "some of the strikes"
                    nouns.extend(g for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                                 for g in p.children if g.dep_ == "pobj")
            for n in nouns:
                if n.pos_ != "NOUN":
                    continue
                m = self._act_doer(n, actors, [src.actor])
                if m is not None and m.start != src.start:
                    return m
        return None

    def _announced(self, clause: "Token") -> bool:
        """Whether a reported clause announces an act of its own ("would work together",
        "is ready to consider"): a future auxiliary or a word of readiness governing it."""
        if clause.pos_ not in ("VERB", "AUX"):
            return False
        for c in clause.children:
            if c.dep_ == "aux" and c.lower_ in _FUTURE_AUX:
                return True
            if c.dep_ in ("acomp", "xcomp") and c.lower_ in _READY:
                return True
        return False

    def _quoted_speaker(self, tok: "Token", actors) -> Mention | None:
        """ "I" or "we" in quoted words: whoever the sentence, else the next or the previous
        one, says spoke them ('"We will respond," the minister said.')."""
        sent = tok.sent
        doc = tok.doc
        marks = [t.i for t in doc if t.text in _QUOTES]
        before = [i for i in marks if i < tok.i]
        quoted = len(before) % 2 == 1  # inside a quotation opened before the word
        if not any(t.text in _QUOTES for t in sent) and not quoted:
            return None
        order = [sent]
        if sent.end < len(doc):
            order.append(doc[sent.end].sent)
        if sent.start > 0:
            order.append(doc[sent.start - 1].sent)
        if quoted:
            # a quotation of several sentences: its speaker is told where it opens
            # ('X said: "...') or where it closes ('..." X said')
            after = [i for i in marks if i > tok.i]
            order.append(doc[before[-1]].sent)
            if after:
                order.append(doc[after[0]].sent)
        for s in order:
            for v in s:
                if v.lemma_.lower() not in self.speech.verbs or v.pos_ not in ("VERB", "AUX"):
                    continue
                for c in v.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in _FIRST_PERSON:
                        m = self._mention(c, actors)
                        if m is not None and m.kind != "place":
                            return m
        return None

    def _speaker(self, tok: "Token", actors) -> Mention | None:
        """The speaker a pronoun subject of reported speech stands for ("Syria says it will ...")."""
        clause = tok.head
        hops = 0
        while clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i and hops < 3:
            clause = clause.head
            hops += 1
        if tok.dep_ not in _SUBJ or clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in self.speech.verbs:
            return None
        for c in clause.head.children:
            if c.dep_ in _SUBJ and c.i != tok.i:
                return self._mention(c, actors)
        return None

    def _embedded_in_event(self, tok: "Token") -> bool:
        """True for "urged X to release", "agreed to meet", "its demand that Israel ease",
        "said Iraq must cooperate": the governing act is the event, not the act it asks for."""
        if _for_clause(tok) and tok.head.i != tok.i:
            # "called for Chile to withdraw (, and for Peru to ...)": what is asked for
            head = tok.head
            while _for_clause(head) and head.head.i != head.i:
                head = head.head
            if head.lemma_.lower() in _SKIP_EMBEDDED or self._event_row(head, "V") is not None:
                return True
        if tok.dep_ == "conj" and tok.head.i != tok.i:
            return self._embedded_in_event(tok.head)
        if tok.dep_ not in ("xcomp", "ccomp", "acl"):
            return False
        head = tok.head
        lemma = head.lemma_.lower()
        if tok.dep_ == "ccomp" and lemma in self.speech.verbs:
            return any(c.dep_ == "aux" and c.lower_ in self.speech.modals for c in tok.children)
        if lemma not in _SKIP_EMBEDDED:
            return False
        if _fronted_clause(tok):
            return False  # "Troops clashed with rebels, the army said, after X urged ...": a misparse
        return self._event_row(head, "N" if head.pos_ == "NOUN" else "V") is not None

    def _measured(self, t: "Token", depth: int = 0) -> "Token | None":
        """For a quantity or support noun ("700 kg of medicine", "$5 million of aid",
        "mediation efforts", "part of an aid programme"), the noun that names the act."""
        if depth > 2 or (t.lemma_.lower() not in self.lexicon.measure_nouns and not t.like_num and t.tag_ != "$"):
            return None
        inner = None
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "in"):
                inner = next((g for g in c.children if g.dep_ == "pobj"), None)
                break
        if inner is None:
            inner = next((c for c in t.children if c.dep_ == "compound" and c.pos_ == "NOUN"), None)
        if inner is None:
            return None
        return self._measured(inner, depth + 1) or inner

    def _received(self, verb: "Token", actors, consumed: set[int], circumstance: bool = False) -> list[Frame]:
        """ "The minister faced criticism from X", "drew praise from X", "received aid from X",
        "met with opposition from X", "came under pressure from X" (receiving_verbs.txt): the act
        the object noun names, done by its from/by phrase to the verb's subject. With
        ``circumstance``, a reaction named as the circumstance of any verb: "withdrew the bill
        after opposition from X", "resigned amid criticism from X" (X's reaction to the subject)."""
        if circumstance:
            nouns = [g for c in verb.children if c.dep_ == "prep" and c.lower_ in _CIRCUMSTANCE_PREPS
                     for g in c.children if g.dep_ == "pobj" and g.i not in consumed]
        else:
            nouns = [c for c in verb.children if c.dep_ == "dobj"]
            nouns += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "under")
                      for g in c.children if g.dep_ == "pobj"]
        out: list[Frame] = []
        for noun in nouns:
            row = self._event_row(noun, "N")
            if row is None or (circumstance and (row.cameo[:2] not in _REACTION_ROOTS or row.cameo.startswith("01"))):
                continue
            if circumstance and not any(c.dep_ == "prep" and c.lower_ in ("from", "by") for c in noun.children):
                continue
            # the from/by phrase of the noun, or of the verb where the parser hangs it there
            doers = [g for c in (*noun.children, *verb.children) if c.dep_ in ("prep", "agent")
                     and c.lower_ in ("from", "by") for g in c.children if g.dep_ == "pobj"]
            # "from several states including Chile": the states named
            doers += [g for d in doers for c in d.children if c.dep_ == "prep" and c.lemma_.lower() == "include"
                      for g in c.children if g.dep_ == "pobj"]
            sources = []
            for t in (t for d in doers for t in self._conjuncts(d)):
                m = self._mention(t, actors)
                if m is not None and m.start <= noun.i < m.end and m.actor.country:
                    # "opposition from Germany" read as one group: the country is the doer
                    m = Mention(t.i, t.i + 1, t.i, Actor(t.text, None, m.actor.country, None, m.actor.country), "country")
                if m is not None:
                    sources.append(m)
            sources = self._with_coordinated(sources, actors, verb.doc)
            if not sources:
                continue
            subj = self._subject_tokens(verb)
            targets = [m for m in (self._mention(t, actors) for t in subj) if m]
            if not targets and row.cameo[:2] in _REACTION_ROOTS:
                # "the plan drew criticism from X": aimed at whoever made the plan
                targets = [m for m in (self._act_doer(t, actors, [s.actor for s in sources])
                                       for t in subj if t.pos_ == "NOUN") if m]
            consumed.add(noun.i)
            for s in sources:
                for t in targets or [None]:
                    if t is None or t.start != s.start:
                        out.append(Frame(noun, verb, row, s, t, True))
        return out

    def _light(self, verb: "Token", actors, consumed: set[int], last_pair) -> list[Frame]:
        out = []
        # the object, or the object of "in" ("engaged in ethnic cleansing", "took part in talks")
        objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        objs += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children if g.dep_ == "pobj"]
        if self._relative_light(verb):
            # "the talks he held with X", "the visit she paid to Y": the noun the relative clause
            # is set on is the light verb's object
            objs.append(verb.head)
        for obj in objs:
            obj = self._measured(obj) or obj
            row = self._event_row(obj, "N")
            if row is None:
                continue
            consumed.add(obj.i)
            out.extend(self._verb_frames(obj, verb, row, actors, last_pair, nominal=True))
        return out

    def _relative_light(self, verb: "Token") -> bool:
        """A light verb in a relative clause set on a noun, with no object of its own but the
        relative word ("the talks (that) she had with X")."""
        kids = list(verb.children)
        return (verb.dep_ == "relcl" and verb.head.pos_ == "NOUN" and verb.lemma_.lower() in self.lexicon.light_verbs
                and any(c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP") for c in kids)  # not "a war that led to"
                and not any(c.dep_ in ("dobj", "nsubjpass") and c.tag_ not in ("WDT", "WP") for c in kids)
                # not "the inquiry where the dots continue to connect"
                and not any(c.tag_ == "WRB" or c.dep_ in ("xcomp", "ccomp") for c in kids))

    # ----------------------------------------------------------------- arguments
    def _mention(self, tok: "Token | None", actors: ActorSource, deep: bool = True) -> Mention | None:
        """The actor a syntactic argument stands for: its own mention, a possessive, compound or
        adjective on it ("Azerbaijan's embassy", "Iranian officials"), or for a group head the
        actor of its "of" phrase ("members of the community"). A generic group found first
        takes the country its phrase gives ("the Bush administration", "opposition groups in
        Zimbabwe")."""
        m = self._find_mention(tok, actors, deep)
        if m is not None and m.actor.country and _opposed_to(m, tok.doc):
            # "an anti-Syria journalist" opposes Syria and is not of it: a generic group
            a = m.actor
            return Mention(m.start, m.end, m.head, Actor(a.text, None, None, a.sector, a.sector), "group")
        if m is None or m.actor.country or m.kind == "pronoun" or not deep:
            return m
        if m.kind == "org" and m.actor.sector in ("IGO", "NGO"):
            return m  # "the OAS meeting in Lima": an international body is of no country its phrase names
        owner = self._country_in_phrase(tok, actors, m)
        if owner is None:
            return m
        a = m.actor
        sector = a.sector or owner.actor.sector
        start, end = min(m.start, owner.start), max(m.end, owner.end)
        text = tok.doc[start:end].text if end - start <= 12 else a.text
        actor = Actor(text, a.name, owner.actor.country, sector, owner.actor.country + (sector or ""))
        return Mention(start, end, m.head, actor, m.kind)

    def _country_in_phrase(self, tok: "Token", actors: ActorSource, found: Mention) -> Mention | None:
        """A mention with a country among the argument's modifiers, its in/of/from phrase or
        its apposition ("X, Algeria's leading activist"); else a named place there ("the
        government of Sindh province": the province's country)."""
        def country_of(t: "Token") -> Mention | None:
            m = actors.at(t.i)
            if m is not None and m.actor.country and m.start != found.start:
                return m
            return None

        phrase: list["Token"] = []
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod"):
                phrase.append(c)
            elif c.dep_ == "prep" and c.lower_ in ("of", "in", "from"):
                phrase.extend(g for g in c.children if g.dep_ == "pobj")
            elif c.dep_ == "appos":
                phrase.extend(g for g in c.children if g.dep_ in ("poss", "compound", "amod", "nmod"))
        for t in phrase:
            m = country_of(t)
            if m is not None:
                return m
        places = self._doc_places
        if places is not None:
            for t in phrase:
                for u in (t, *[g for g in t.children if g.dep_ == "compound"]):
                    p = places.at(u.i)
                    if p is not None and p.country:
                        return Mention(u.i, u.i + 1, u.i, Actor(u.text, None, p.country, None, p.country), "place")
        return None

    def _find_mention(self, tok: "Token | None", actors: ActorSource, deep: bool) -> Mention | None:
        if tok is None:
            return None
        if tok.pos_ == "PRON" and tok.lower_ in ("it", "they", "he", "she", "we"):
            m = self._speaker(tok, actors)
            if m is not None:
                return m
        if tok.pos_ == "PRON" and tok.lower_ in _FIRST_PERSON:
            return self._quoted_speaker(tok, actors)
        m = actors.at(tok.i)
        if m is not None and m.kind == "person" and not m.actor.country and not m.actor.sector \
                and self._doc_places is not None:
            p = self._doc_places.at(tok.i)
            if p is not None and p.country:
                # an unknown "person" the gazetteer knows as a place ("the city of Goma")
                return Mention(m.start, m.end, m.head, Actor(m.actor.text, None, p.country, None, p.country), "place")
        if m is not None:
            return m
        led = self._led_by(tok, actors)
        if led is not None:
            return led
        generic = None
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod"):
                m = actors.at(c.i)
                # "his finances" is not him; "his government" is his country's; "a general
                # strike" is no general: a modifier names an actor only with a country or a name
                if m is not None and m.kind == "pronoun" and c.dep_ == "poss" and tok.lower_ in _OWN_COUNTRY \
                        and m.actor.country:
                    # "his country will ...": the country of whoever "his" is
                    a = m.actor
                    return Mention(c.i, tok.i + 1, tok.i, Actor(tok.doc[c.i:tok.i + 1].text, None, a.country, None,
                                                                 a.country), "country")
                if m is not None and c.dep_ == "poss" and m.actor.country and tok.pos_ == "NOUN" \
                        and tok.lemma_.lower() in self._opponents:
                    # "his opponents", "the president's rivals": the opposition of the owner's country
                    a = m.actor
                    # (the span starts at the noun: they are not the owner's own, as "his troops" are)
                    return Mention(tok.i, tok.i + 1, tok.i, Actor(tok.doc[c.i:tok.i + 1].text, None, a.country, "OPP",
                                                                   a.country + "OPP"), "group")
                if m is not None and (m.kind != "pronoun" or tok.lower_ in _GROUP_HEADS):
                    if c.dep_ == "poss" or m.actor.country or m.actor.name:
                        return m
                    generic = generic or m
        # ... or when the phrase gives it a country: "opposition groups in Zimbabwe"
        if deep and generic is not None and self._country_in_phrase(tok, actors, generic) is not None:
            return generic
        if generic is not None and tok.pos_ == "PROPN" and tok.ent_type_ == "ORG" and generic.kind == "group" \
                and generic.actor.sector in _HOME_SECTORS and tok.doc[generic.head].dep_ == "compound" \
                and tok.doc[generic.head].ent_iob_ == "I":
            # a named body with a group word in its name ("the Upper Nile Security Committee")
            return generic
        if deep:
            for c in tok.children:
                group = tok.lower_ in _GROUP_HEADS | {"authorities", "authority", "community"} \
                    or tok.lemma_.lower() in self._sittings  # "an address to a sitting of X": X
                # "members of X", "officials in X"; and anyone "from X" ("doctors from X")
                if c.dep_ == "prep" and (c.lower_ == "from" or (group and c.lower_ in ("of", "in"))
                                         or (c.lower_ == "for" and tok.lower_ in _BEHALF_HEADS)
                                         or (c.lower_ == "by" and tok.lemma_.lower() in self._documents)):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            m = self._mention(g, actors, deep=False)
                            if m is not None:
                                return m
            if tok.dep_ == "appos" or any(c.dep_ == "appos" for c in tok.children):
                for c in tok.children:
                    if c.dep_ == "appos":
                        m = self._mention(c, actors, deep=False)
                        if m is not None:
                            return m
        return None

    @classmethod
    def _conjuncts(cls, tok: "Token") -> list["Token"]:
        """The token and its coordinated nouns ("A, B and C")."""
        out = [tok]
        stack = [tok]
        while stack:
            t = stack.pop()
            nxt = [c for c in t.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON")]
            if t is out[-1] or not nxt:
                orphan = cls._orphan_conjunct(t)
                if orphan is not None and orphan not in out:
                    nxt.append(orphan)
            for c in nxt:
                out.append(c)
                stack.append(c)
        return sorted(out, key=lambda t: t.i)

    @staticmethod
    def _orphan_conjunct(t: "Token") -> "Token | None":
        """A noun the parser hung on the verb instead of on the list it continues: in
        "met with A, B, and C", B or C attached to the verb as conj or parataxis."""
        if t.pos_ not in ("NOUN", "PROPN"):
            return None
        doc = t.doc
        if max((x.i for x in t.subtree if not x.is_punct), default=t.i) != t.i:
            return None  # something else ends t's phrase: the list, if any, is not t's
        j = t.right_edge.i + 1
        start = j
        while j < len(doc) and doc[j].lower_ in (",", "and", "or"):
            j += 1
        if j == start or j >= len(doc):
            return None
        c = doc[j]
        hops = 0
        while c.dep_ in ("compound", "amod", "nmod", "det", "poss", "case") and c.head.i > c.i and hops < 6:
            c = c.head
            hops += 1
        if (
            c.dep_ in ("conj", "parataxis", "appos")
            and c.pos_ in ("NOUN", "PROPN")
            and c.head.pos_ in ("VERB", "AUX")
            and c.head.i < t.i
        ):
            return c
        return None

    @staticmethod
    def _misparsed_verb(tok: "Token") -> bool:
        """A past-tense verb parsed as an adjective in a sentence with no verb: "The two
        discussed issues of ..." parsed as one noun phrase."""
        head = tok.head
        return (
            tok.dep_ == "amod" and tok.tag_ in ("VBD", "VBN") and head.dep_ == "ROOT"
            and head.pos_ in ("NOUN", "PROPN") and head.i > tok.i
        )

    def _subject_tokens(self, tok: "Token", depth: int = 0) -> list["Token"]:
        if depth > 4:
            return []
        if self._misparsed_verb(tok):
            return [c for c in tok.head.children if c.i < tok.i and c.dep_ in ("nummod", "poss", "compound", "nmod")]
        if tok.lemma_.lower() in self.lexicon.light_verbs and not any(c.dep_ == "agent" for c in tok.children):
            # "Croatian units were engaged in heavy shelling": an adjectival passive of a light verb
            for c in tok.children:
                if c.dep_ == "nsubjpass":
                    return self._conjuncts(c)
        for c in tok.children:
            if c.dep_ in _SUBJ:
                if c.tag_ in ("WP", "WDT") or c.lower_ in ("who", "which", "that"):
                    if tok.dep_ == "relcl":
                        h = tok.head
                        if c.lower_ == "who" and h.dep_ == "pobj" and h.head.lower_ in ("in", "at", "near", "from"):
                            # "activists in Yerevan who protested": the people, not the place
                            before = tok.doc[h.head.i - 1]
                            if h.head.head.pos_ in ("NOUN", "PROPN"):
                                return [h.head.head]
                            if before.pos_ in ("NOUN", "PROPN"):
                                return [before]
                        return [h]
                    return []
                return self._conjuncts(c)
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return []
        dep, head = tok.dep_, tok.head
        if head.i == tok.i:
            return self._stranded_subject(tok)
        if _reduced_passive(tok):
            return []  # "X, when asked about Y, said": X was asked, by someone unnamed
        if dep == "conj":
            return self._subject_tokens(head, depth + 1)
        if dep == "xcomp":
            for c in head.children:
                if c.dep_ in ("dobj",):
                    return self._conjuncts(c)
            return self._subject_tokens(head, depth + 1)
        if dep in ("acomp", "attr") and head.pos_ in ("AUX", "VERB"):
            return self._subject_tokens(head, depth + 1)
        if dep in ("advcl", "acl") and tok.tag_ == "VBG":
            if dep == "acl":
                return self._author(head, depth) or [head]
            return self._subject_tokens(head, depth + 1)
        if dep == "pcomp" and tok.tag_ == "VBG" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
            # a gerund after a preposition is done by the verb's subject ("resorted to throwing
            # stones"), or by its object after of/for/from ("accused Iran of arming rebels")
            verb = head.head
            if head.lower_ in ("of", "for", "from"):
                for c in verb.children:
                    if c.dep_ == "dobj":
                        return self._conjuncts(c)
            return self._subject_tokens(verb, depth + 1)
        if dep == "advcl" and tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            return self._subject_tokens(head, depth + 1)  # purpose: "sent troops to help defend X"
        if dep in ("acl", "relcl") and tok.tag_ == "VB" and head.dep_ == "attr" and head.head.pos_ in ("AUX", "VERB") \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            # "X was the first country to recognise Y": the subject of the copula acts
            return self._subject_tokens(head.head, depth + 1)
        if dep == "relcl" and tok.tag_ != "VBN":
            return [head]
        if dep == "acl" and head.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "agent" for c in tok.children) \
                and (tok.tag_ == "VBD" or tok.tag_ == "VBN" and (
                    head.dep_ in ("ROOT", "dep") or tok.sent.root.pos_ in ("NOUN", "PROPN")
                    or head.dep_ == "nsubj" and sum(c.dep_ == "nsubj" for c in head.head.children) > 1)):
            # a main verb misparsed as a noun modifier: "Palestinian youths resorted to ...,
            # officials said" (a past tense is no reduced relative clause)
            return [head]
        return []

    def _document_of(self, tok: "Token") -> "Token | None":
        """The noun naming a written text (document_nouns.txt) that a participle tells the
        content of: "a letter asking ...", "a statement condemning ...", or, hung on the verb,
        "wrote a letter last week asking ..."."""
        if tok.tag_ != "VBG":
            return None
        if tok.dep_ == "acl" and tok.head.lemma_.lower() in self._documents:
            return tok.head
        if tok.dep_ == "advcl":
            return next((c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i
                         and c.lemma_.lower() in self._documents), None)
        return None

    def _author(self, noun: "Token", depth: int) -> list["Token"]:
        """Who wrote a text (document_nouns.txt) that a participle on it tells the acts of
        ("sent a letter to X urging ...", "issued a statement condemning ...", "in a report
        accusing ..."): none when the noun's own phrase names its author ("Chile's letter", "a
        letter from X": the noun's mention stands for them), else the subject of the verb it is the
        object of, or of the verb its preposition hangs on."""
        if noun.lemma_.lower() not in self._documents or any(
                c.dep_ in ("poss", "compound", "amod", "nmod") or (c.dep_ == "prep" and c.lower_ in ("by", "from"))
                for c in noun.children):
            return []
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head
        elif noun.dep_ != "dobj":
            return []
        if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            return []
        return self._subject_tokens(verb, depth + 1)

    @staticmethod
    def _stranded_subject(verb: "Token") -> list["Token"]:
        """A finite main verb the parser left without subject, whose subject was attached to an
        opening phrase ("With the signing of an accord, the government and the rebels have
        agreed"): the nouns between the last comma before the verb and the verb."""
        if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP", "VBN") or any(
            c.dep_ in ("expl", "csubj") for c in verb.children
        ):
            return []
        if verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
            return []
        doc, lo = verb.doc, verb.sent.start
        j = verb.i - 1
        while j >= lo and doc[j].dep_ in ("aux", "neg", "advmod"):
            j -= 1
        k = j
        while k >= lo and doc[k].text not in (",", ";", ":"):
            k -= 1
        if k < lo:
            return []  # no opening phrase: nothing was misattached
        region = range(k + 1, j + 1)
        return [doc[i] for i in region if doc[i].pos_ in ("NOUN", "PROPN")
                and (doc[i].head.i not in region or doc[i].dep_ == "conj")]

    def _target_groups(self, pred: "Token", clause: "Token", row: Predicate) -> Iterator[tuple[list["Token"], bool]]:
        """Candidate target arguments, best first: object, passive subject, prepositional
        objects, then the subject of a clause complement ("demanded that Iran end ...").
        Each group comes with a flag: True when only a mention of the token itself counts (the
        object of "discussed" is a topic unless it names an actor outright)."""
        consult = row.cameo.startswith("04") and row.cameo not in ("042", "043")
        passive = clause.i == pred.i and any(c.dep_ == "nsubjpass" for c in clause.children)
        if self._misparsed_verb(pred):
            yield self._conjuncts(pred.head), consult
        if not consult:
            for c in pred.children:
                if c.dep_ in _OBJ:
                    yield self._conjuncts(c), False
            # "up to" before a number is a quantifier, which the parser reads as particle and
            # preposition: "kidnapped up to 16 Chilean workers" has "workers" as its object
            for c in pred.children:
                if c.lower_ == "up" and c.dep_ in ("prt", "advmod", "prep"):
                    for p in c.children:
                        if p.lower_ == "to" and p.dep_ == "prep":
                            for g in p.children:
                                if g.dep_ == "pobj" and any(x.dep_ == "nummod" for x in g.children):
                                    yield self._conjuncts(g), False
        if passive:
            for c in pred.children:
                if c.dep_ == "nsubjpass":
                    yield self._conjuncts(c), False
        noun = self._document_of(pred)
        if noun is not None:
            # "sent a letter to the minister asking ...": the text's addressee
            around = list(noun.children) + (list(noun.head.children) if noun.dep_ == "dobj" else [])
            for c in around:
                if c.dep_ in ("prep", "dative") and c.lower_ == "to":
                    yield [g for g in c.children if g.dep_ == "pobj"], False
        preps: dict[str, list["Token"]] = {}
        for c in pred.children:
            if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP"):  # "sent arms to X" (dative "to")
                preps.setdefault(c.lower_, []).append(c)
            if c.dep_ == "prep" and c.lower_ in ("out", "away"):
                # "pulled out of the treaty": the parser hangs "of" on "out"; a "from" phrase
                preps.setdefault("from", []).extend(p for p in c.children if p.dep_ == "prep")
        # a light verb's own prepositions, and those of the object noun ("imposed sanctions on
        # X on Monday": every "on" phrase is a candidate, in this order)
        extra = list(clause.children) if pred.i != clause.i else []
        extra += [g for c in pred.children if c.dep_ == "dobj" for g in c.children]
        for c in extra:
            if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP"):
                preps.setdefault(c.lower_, []).append(c)
        # last the "of" phrase of a verb with no object ("warned of Chilean expansion")
        of = ("of",) if pred.pos_ == "VERB" and not any(c.dep_ == "dobj" for c in pred.children) else ()
        for p in (*_TARGET_PREPS, *of):
            for prep in preps.get(p, ()):
                stranded = _stranded_object(prep)
                if stranded is not None:
                    yield self._conjuncts(stranded), False
                for g in prep.children:
                    if g.dep_ == "pobj":
                        if p == "with" and g.lemma_.lower() in _HELP_NOUNS:
                            continue  # "with Chile's help", "with the backing of X": a helper
                        yield self._conjuncts(g), False
        if pred.i != clause.i and not consult:
            # an event noun's "of" phrase names who it is done to: "carried out killings of
            # suspects", "ordered the arrest of X" (as for an event noun standing alone)
            for c in pred.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            yield self._conjuncts(g), False
        if consult:
            for c in pred.children:
                if c.dep_ in _OBJ:
                    yield self._conjuncts(c), True
        for c in clause.children:
            if c.dep_ == "ccomp":
                for g in c.children:
                    if g.dep_ in _SUBJ:
                        yield self._conjuncts(g), False
        # "called for Chile to withdraw, and for Peru to ...": the subjects of the for-clauses
        fors = [c for c in clause.children if _for_clause(c)]
        fors += [g for c in fors for g in c.children if _for_clause(g)]
        if fors:
            yield [t for c in fors for g in c.children if g.dep_ in ("nsubj", "nsubjpass")
                   for t in self._conjuncts(g)], False
        # an object shifted after an "as" phrase: "denounced as a crime Chile's arrest of ..." (the
        # parser makes it an apposition of the "as" object)
        if not any(c.dep_ == "dobj" for c in pred.children):
            for prep in preps.get("as", ()):
                for g in prep.children:
                    if g.dep_ == "pobj":
                        for a in g.children:
                            if a.dep_ == "appos" and a.i > g.i:
                                yield self._conjuncts(a), False
        # last, an actor inside the object's own phrase: "rejected calls by Belarus", "an
        # offer from Kabul", "urged penalties against Myanmar", "the removal of X"
        if consult:
            return
        # (a passive subject is the verb's object: "a camp for refugees was attacked")
        nouns = [c for c in pred.children if c.dep_ in _OBJ or (passive and c.dep_ == "nsubjpass")]
        nouns += [g for ps in preps.values() for prep in ps for g in prep.children if g.dep_ == "pobj"]
        for n in nouns:
            if n.pos_ not in ("NOUN", "PROPN") or n.lemma_.lower() in self._responses:
                continue  # "in response to X": X is the reason of the act, not its target
            for c in n.children:
                if c.dep_ == "prep" and c.lower_ in _INNER_PREPS:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            yield self._conjuncts(g), False
            # the agent of a participle on the noun, its doer as "by X" would be: "prevented the
            # rally organised by the opposition", "an inquiry into crimes committed by X"
            for c in n.children:
                if c.dep_ == "acl" and c.tag_ == "VBN":
                    for a in c.children:
                        if a.dep_ == "agent":
                            for g in a.children:
                                if g.dep_ == "pobj":
                                    yield self._conjuncts(g), False
        # last, the subject of a "that" clause complementing the object noun, after the noun's own
        # phrase ("an admission by X that ..." is X's): "insisted on its demand that Peru's
        # government release ...", "repeated the call that Chile withdraw"
        for n in nouns:
            for c in n.children:
                if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                    for g in c.children:
                        if g.dep_ in _SUBJ:
                            yield self._conjuncts(g), False

    @staticmethod
    def _reflexive(m: Mention, doc) -> bool:
        """A mention that is, or starts with, a possessive or personal pronoun ("its troops")."""
        return m.kind == "pronoun" or doc[m.start].tag_ in ("PRP$", "PRP")

    def _agent_tokens(self, pred: "Token") -> list["Token"]:
        for c in pred.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return self._conjuncts(g)
        return []

    def _means_actor(self, clause: "Token", actors) -> Mention | None:
        """The actor named as the owner of the means of a passive act without agent: "killed
        in an Israeli airstrike", "died in a Russian warplane's attack", "wounded by a US
        drone" (a country, organisation or named actor modifying the in/by/during object,
        not a place)."""
        for prep in clause.children:
            if prep.dep_ not in ("prep", "agent") or prep.lower_ not in ("in", "by", "during", "from"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj" or pobj.pos_ not in ("NOUN", "PROPN"):
                    continue
                for t in pobj.subtree:
                    if t.i >= pobj.i:
                        break
                    m = actors.at(t.i)
                    if m is not None and m.kind != "place" and _anchored(m.actor):
                        return m
        return None

    @staticmethod
    def _means_nouns(clause: "Token") -> list["Token"]:
        """The objects of a passive's in/by/during phrases ("were hurt in the ambush")."""
        return [g for c in clause.children if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by", "during")
                for g in c.children if g.dep_ == "pobj"]

    def _doer_of_acts(self, nouns: Sequence["Token"], actors, targets: list[Mention]) -> Mention | None:
        """The doer of the act one of ``nouns`` names, where a violent act is told with the act
        and not its doer ("were hurt in the ambush", "the raid by Y wounded ..."): the act
        noun's own phrase, else, for a definite noun ("the strike", not "a strike"), the last
        act of its class told before it in the article (:meth:`_act_doer`); a remembered doer
        is never of the victims' own country. Not for the words naming any act ("the move")."""
        for noun in nouns:
            if noun.pos_ != "NOUN" or self._act_class(noun) in (None, "move"):
                continue
            # "the strike" is an act told before; "a bomb", "an attack" a new one
            told = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in noun.children)
            m = self._act_doer(noun, actors, [t.actor for t in targets], remembered=told)
            if m is not None and m.kind not in ("place", "pronoun"):
                return m
        return None

    @staticmethod
    def _with_coordinated(found: list[Mention], actors, doc) -> list[Mention]:
        """Add the other countries of a coordinated modifier: "French and Egyptian warships"
        are French warships and Egyptian warships, "Chinese and Indian negotiators" both sides."""
        out = list(found)
        for m in found:
            a = m.actor
            if not a.sector or a.name or m.start < 0:
                continue  # (a mention of the headline has no span in this text)
            head = doc[m.head]
            chains = []
            for c in head.children:
                if c.dep_ in ("amod", "compound", "nmod"):
                    chains.append([c] + [x for x in c.subtree if x.dep_ == "conj" and x.i < head.i])
                elif c.dep_ == "prep" and c.lower_ in ("from", "of"):
                    # "officials from Egypt and Qatar": the other coordinated objects of its phrase
                    chains.extend([x for x in g.subtree if x.dep_ == "conj"] for g in c.children if g.dep_ == "pobj")
            for chain in chains:
                for x in chain:
                    other = actors.at(x.i)
                    if other is None or other.kind != "country" or not other.actor.country:
                        continue
                    if m.start <= other.start < m.end or any(o.start == other.start for o in out):
                        continue
                    country = other.actor.country
                    actor = Actor(f"{doc[other.start:other.end].text} {head.text}", None, country, a.sector,
                                  country + a.sector)
                    out.append(Mention(other.start, other.end, other.head, actor, "group"))
        return sorted(out, key=lambda m: m.start) if len(out) > len(found) else found

    def _between(self, tok: "Token", actors) -> list[Mention]:
        for t in (tok.head.subtree if self._misparsed_verb(tok) else tok.subtree):
            if t.lower_ == "between" and t.dep_ == "prep":
                for g in t.children:
                    if g.dep_ == "pobj":
                        ms = [self._mention(x, actors) for x in self._conjuncts(g)]
                        ms = [m for m in ms if m is not None]
                        if len(ms) >= 2:
                            return ms
        return []

    def _verb_frames(self, pred, clause, row, actors, last_pair, nominal: bool) -> list[Frame]:
        subj_toks = self._subject_tokens(clause)
        # a "by" phrase is the agent only in a passive ("shortened by one hour" is not)
        is_passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in clause.children)
        agent_toks = self._agent_tokens(clause) if clause.i == pred.i and is_passive else []
        passive = bool(agent_toks) or any(c.dep_ == "nsubjpass" for c in clause.children)
        if row.stative and passive and not agent_toks and clause.i == pred.i:
            # "Israel is opposed to the plan": the passive subject is the one who opposes
            subj_toks = [t for c in clause.children if c.dep_ == "nsubjpass" for t in self._conjuncts(c)]
            passive = False
        sources = [m for m in (self._mention(t, actors) for t in (agent_toks or subj_toks)) if m]
        sources = self._with_coordinated(sources, actors, pred.doc)
        targets: list[Mention] = []
        own = {m.actor.country for m in sources if m.actor.country}
        taken = {m.start for m in sources} if row.stative else set()
        for group, direct in self._target_groups(pred, clause, row):
            found = (actors.at(t.i) if direct else self._mention(t, actors) for t in group)
            # "recalled its ambassador from France": "its" is the source's own; look further
            targets = [m for m in found if m and m.start not in taken
                       and not (self._reflexive(m, pred.doc) and m.actor.country in own)]
            if targets:
                break
        if not targets:
            # "threatened to impose restrictions against X": the target is in the complement
            for c in clause.children:
                if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
                    for group, direct in self._target_groups(c, c, row):
                        found = (actors.at(t.i) if direct else self._mention(t, actors) for t in group)
                        targets = [m for m in found if m and not (self._reflexive(m, pred.doc) and m.actor.country in own)]
                        if targets:
                            break
                if targets:
                    break
        if not targets and row.cameo.startswith("13"):
            # a conditional threat is addressed to the one whose act is the condition: "threatened
            # to cut ties if Chile expels the envoy", "... unless Peru withdraws" (target Chile, Peru)
            targets = self._condition_subjects(clause, actors, sources, own)
        if not targets:
            # an infinitive of purpose names what the act is aimed at: "opened fire to disperse
            # the protesters", "went on strike to protest the minister's decision"
            for c in clause.children:
                if _purpose(c):
                    for group, direct in self._target_groups(c, c, row):
                        found = (actors.at(t.i) if direct else self._mention(t, actors) for t in group)
                        targets = [m for m in found if m and all(m.start != s.start for s in sources)
                                   and not (self._reflexive(m, pred.doc) and m.actor.country in own)]
                        if targets:
                            break
                if targets:
                    break
        if not targets and not row.reciprocal:
            # "mediated between Syria and the Palestinians": both sides are targets
            pair = self._between(pred, actors) or (self._between(clause, actors) if clause.i != pred.i else [])
            targets = [m for m in pair if all(m.start != s.start for s in sources)]
        if not targets and row.cameo[:2] in _REACTION_ROOTS:
            # a reaction to an act that names the act, not its doer: "condemned the launch"
            # is aimed at whoever launched (its phrase, else the article before it)
            for group, _direct in self._target_groups(pred, clause, row):
                found = [self._act_doer(t, actors, [m.actor for m in sources]) for t in group if t.pos_ == "NOUN"]
                targets = [m for m in found if m is not None and all(m.start != x.start for x in sources)]
                if targets:
                    break
        targets = self._with_coordinated(targets, actors, pred.doc)
        frames: list[Frame] = []
        plural_subject = any(
            t.lower_ in _PAIR_ANAPHORA or any(c.dep_ in ("nummod", "det") and c.lower_ in ("two", "both") for c in t.children)
            for t in subj_toks
        )
        if row.reciprocal and not targets:
            if len(sources) >= 2:
                pairs = [(a, b) for a in sources for b in sources if a is not b]
                return [Frame(pred, clause, row, a, b, nominal) for a, b in pairs]
            if plural_subject and last_pair is not None and not any(m.actor.country for m in sources):
                a, b = last_pair
                return [Frame(pred, clause, row, a, b, nominal), Frame(pred, clause, row, b, a, nominal)]
            pair = self._between(pred, actors) if not sources else []
            if len(pair) >= 2:
                a, b = pair[0], pair[1]
                return [Frame(pred, clause, row, a, b, nominal), Frame(pred, clause, row, b, a, nominal)]
        if passive and not agent_toks and not sources and row.reciprocal and targets:
            # "X said a deal was struck with Y": an act done together, told
            # without agent by one of its sides, is the speaker's own with the other side
            speaker = self._reporter(clause, actors)
            if speaker is not None and all(m.start != speaker.start for m in targets):
                sources = [speaker]
        if passive and not agent_toks and not sources:
            # "were killed in an Israeli airstrike": the country behind the means is the agent
            means = self._means_actor(clause, actors)
            if means is None and row.cameo[:2] in _VIOLENCE_ROOTS:
                # "were wounded in the shelling", "died in an attack by Y": the act's doer, from its
                # phrase or the article before it (the last act of its class with a known doer)
                means = self._doer_of_acts(self._means_nouns(clause), actors, targets)
            sources = [means] if means is not None and all(m.start != means.start for m in targets) else []
        elif not sources and row.cameo[:2] in _VIOLENCE_ROOTS and clause.i == pred.i:
            # "the strike killed three people": the doer of the act its subject names (and a
            # passive whose subject the parser missed: "were hurt in the ambush")
            doer = self._doer_of_acts(self._means_nouns(clause) if is_passive else subj_toks, actors, targets)
            sources = [doer] if doer is not None and all(m.start != doer.start for m in targets) else []
        if not sources and not targets:
            # no actor at all: kept as a bare frame, a sentence's last-resort event (_events)
            return [Frame(pred, clause, row, None, None, nominal)]
        for s in sources or [None]:
            for t in targets or [None]:
                if s is not None and t is not None and s.start == t.start:
                    continue
                frames.append(Frame(pred, clause, row, s, t, nominal))
        return frames

    def _reporter(self, clause: "Token", actors) -> Mention | None:
        """The subject of the verb of saying a clause is reported by ("X said (that) ...")."""
        if clause.dep_ != "ccomp" or clause.head.i == clause.i:
            return None
        verb = clause.head
        if verb.lemma_.lower() not in self.speech.verbs:
            return None
        return next((m for m in (self._mention(t, actors) for t in self._subject_tokens(verb)) if m), None)

    def _condition_subjects(self, clause: "Token", actors, sources: list[Mention], own: set) -> list[Mention]:
        """The subjects of an if/unless clause on the verb or on its infinitive complement
        ("threatened to leave the talks if Chile expels ...": Chile)."""
        heads = [clause] + [c for c in clause.children if c.dep_ == "xcomp"]
        for h in heads:
            for c in h.children:
                if c.dep_ != "advcl" or not any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                    continue
                for s in c.children:
                    if s.dep_ in _SUBJ or s.dep_ == "nsubjpass":
                        found = [self._mention(t, actors) for t in self._conjuncts(s)]
                        out = [m for m in found if m and all(m.start != x.start for x in sources)
                               and not (self._reflexive(m, clause.doc) and m.actor.country in own)]
                        if out:
                            return out
        return []

    def _noun_frames(self, noun: "Token", row: Predicate, actors) -> list[Frame]:
        """A standalone event noun with its own actors: "Iran's attack on X", "talks between A and B"."""
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in self.lexicon.light_verbs:
            return []
        if any(c.dep_ == "relcl" and self._relative_light(c) for c in noun.children):
            return []  # told by the light verb of its relative clause (_light)
        happening = noun.dep_ == "ROOT" or (noun.dep_ == "nsubj" and noun.head.lemma_.lower() in self.lexicon.occurrence_verbs)
        pair = self._hyphen_pair(noun, actors) if row.reciprocal else []
        if pair and happening:
            # "A-B talks resumed": the two sides of the hyphenated pair, both directions
            a, b = pair
            return [Frame(noun, noun, row, a, b, True), Frame(noun, noun, row, b, a, True)]
        src = None
        for c in noun.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod"):
                src = actors.at(c.i)
                # "military aid": an adjective names the kind of act unless it names a country
                if src is not None and (c.dep_ == "poss" or src.actor.country):
                    break
                src = None
        if src is None:
            for c in noun.children:
                if c.dep_ == "prep" and c.lower_ == "by":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            src = self._mention(g, actors)
        tgt = None
        for p in (*_TARGET_PREPS, "of"):
            for c in noun.children:
                if c.dep_ == "prep" and c.lower_ == p:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            tgt = self._mention(g, actors)
            if tgt is not None:
                break
        if src is not None and tgt is not None and src.start != tgt.start:
            return [Frame(noun, noun, row, src, tgt, True)]
        if src is not None and tgt is None and row.cameo[:2] in _VIOLENCE_ROOTS and not self._told_by_verb(noun):
            # "the first Y raid in X", "Y's offensive in X": an act of violence named by its
            # doer, aimed at the country it happens in (resolution: target_at_own_place)
            place = self._doc_places.locate(noun) if self._doc_places is not None else None
            if place is not None and place.country and place.country != src.actor.country:
                return [Frame(noun, noun, row, src, None, True)]
            home = self._the_country(noun)
            if place is None and home is not None and home.country != src.actor.country:
                # "the first Y raid in the country": the country the article is set in
                return [Frame(noun, noun, row, src, None, True, place=home)]
        if src is None and noun.dep_ == "pobj" and noun.head.lower_ == "for" and noun.head.head.pos_ == "VERB" \
                and noun.head.head.lemma_.lower() in _TRAVEL:
            # "travelled to Moscow for talks with Russian officials": the traveller's talks,
            # dated, placed and qualified by the verb's clause
            verb = noun.head.head
            subj = [m for m in (self._mention(t, actors) for t in self._subject_tokens(verb)) if m]
            subj = self._with_coordinated(subj, actors, noun.doc)
            if tgt is not None:
                return [Frame(noun, verb, row, m, tgt, True) for m in subj if m.start != tgt.start]
            if row.reciprocal and len(subj) >= 2:
                return [Frame(noun, verb, row, a, b, True) for a in subj for b in subj if a is not b]
        occasion = self._occasion_of(noun, row)
        if src is None and occasion is not None:
            # "X said at a meeting with Y", "spoke after talks with Y": the meeting of the clause's
            # subject, dated, placed and qualified by that clause
            subj = [m for m in (self._mention(t, actors) for t in self._subject_tokens(occasion)) if m]
            ahead = "planned" if any(t.lower_ == "ahead" for t in (noun.head, noun.head.head)) else None
            if row.place_target:
                # "spoke in Nairobi ahead of stops in Kigali and Kampala": a visit to each place named
                places = [m for m in (self._mention(t, actors) for t in self._place_objects(noun)) if m]
                return [Frame(noun, occasion, row, m, p, True, ahead, occasion=True)
                        for m in subj[:1] for p in places if p.actor.country and p.actor.country != m.actor.country]
            partner = self._with_partner(noun, actors)
            if partner is None and pair and subj and _side(subj[0].actor) in {_side(m.actor) for m in pair}:
                # "X spoke after a sitting of the X-Y commission": the other side of the pair
                partner = next(m for m in pair if _side(m.actor) != _side(subj[0].actor))
            if partner is not None and partner.actor.sector != "MED":  # "a meeting with reporters": the press
                return [Frame(noun, occasion, row, m, partner, True, ahead, occasion=True)
                        for m in subj if m.start != partner.start]
        if row.reciprocal and src is None and happening:
            pair = self._between(noun, actors)
            if len(pair) >= 2:
                a, b = pair[0], pair[1]
                return [Frame(noun, noun, row, a, b, True), Frame(noun, noun, row, b, a, True)]
        # the event the sentence is about: "Palestinian riots against ... continue"
        if (src is not None or tgt is not None) and happening:
            return [Frame(noun, noun, row, src, tgt, True)]
        return []

    def _occasion_of(self, noun: "Token", row: Predicate) -> "Token | None":
        """For a meeting noun that is the occasion of a verb ("said at a meeting with X", "spoke
        after talks with X"; `occasion_preps.txt`), that verb."""
        if not row.cameo.startswith("04") or row.cameo == "043":
            return None
        prep = noun.head
        if noun.dep_ == "dobj" and prep.tag_ == "VBG" and prep.dep_ in ("prep", "advcl"):
            pass  # "following talks with X", parsed as a participle and its object
        elif noun.dep_ != "pobj":
            return None
        elif prep.lower_ == "of" and prep.head.dep_ == "advmod":
            prep = prep.head  # "ahead of talks with X"
        if prep.dep_ not in ("prep", "advcl", "advmod") or prep.lower_ not in self._occasions:
            return None
        verb = prep.head
        return verb if verb.pos_ in ("VERB", "AUX") else None

    def _hyphen_pair(self, noun: "Token", actors) -> list[Mention]:
        """The two sides a hyphenated pair of actors names on a noun or on the body of its "of"
        phrase ("A-B talks", "a sitting of the A-B commission"), else none."""
        heads = [noun] + [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"]
        for h in heads:
            left = [t for t in h.subtree if t.i < h.i and t.dep_ in ("compound", "amod", "nmod", "punct")]
            if not any(t.tag_ == "HYPH" for t in left):
                continue
            found: list[Mention] = []
            for t in left:
                m = actors.at(t.i)
                if m is not None and _side(m.actor) and m.kind != "pronoun" \
                        and all(_side(m.actor) != _side(f.actor) for f in found):
                    found.append(m)
            if len(found) == 2 and any(found[0].end <= t.i < found[1].start and t.tag_ == "HYPH" for t in left):
                return found
        return []

    def _place_objects(self, noun: "Token") -> list["Token"]:
        """The objects of a visit noun's "to" / "in" phrase ("stops in Kigali and Kampala")."""
        return [x for c in noun.children if c.dep_ == "prep" and c.lower_ in ("to", "in")
                for g in c.children if g.dep_ == "pobj" for x in self._conjuncts(g)]

    def _with_partner(self, noun: "Token", actors) -> Mention | None:
        """The actor of a noun's "with" phrase ("a meeting with X")."""
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return self._mention(g, actors)
        return None

    def _the_country(self, noun: "Token") -> Place | None:
        """ "in the country" on a noun, in an article set in one country: that country."""
        home = home_country(self._doc_places) if self._doc_places is not None else None
        if home is None:
            return None
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "in":
                for g in c.children:
                    if g.dep_ == "pobj" and g.lower_ == "country" and any(
                            d.dep_ == "det" and d.lower_ == "the" for d in g.children):
                        return Place(country_label(home), home, None, None)
        return None

    def _told_by_verb(self, noun: "Token") -> bool:
        """Whether an act noun is the means or subject of a verb of violence the lexicon codes
        ("killed in a Y raid", "a Y raid killed"): that verb's event tells the act."""
        verb = noun.head.head if noun.dep_ == "pobj" else noun.head
        if verb.pos_ != "VERB":
            return False
        row = self._event_row(verb, "V")
        return row is not None and row.cameo[:2] in _VIOLENCE_ROOTS

    # ----------------------------------------------------------------- modality
    def _modality(self, fr: Frame) -> str:
        found = "asserted"

        def bump(m: str | None) -> None:
            nonlocal found
            if m and _MODALITY_RANK[m] > _MODALITY_RANK[found]:
                found = m

        reported = fr.row.lemma.startswith("<")  # "X said Y must ...": X's demand happened
        tokens = [fr.anchor] if fr.anchor.i == fr.pred.i or reported else [fr.anchor, fr.pred]
        t = fr.anchor
        hops = 0
        while t.dep_ == "conj" and t.head.i != t.i and hops < 4:
            tokens.append(t.head)
            t = t.head
            hops += 1
        if t.dep_ == "advcl" and t.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            tokens.append(t.head)  # a purpose shares its act's modality: "will travel to X to meet Y"
        for tok in tokens:
            for c in tok.children:
                w = c.lower_
                if c.dep_ == "neg":
                    bump(self.cues.get("neg", w))
                elif c.dep_ in ("aux", "auxpass"):
                    bump(self.cues.get("aux", w) or self.cues.get("aux", c.lemma_.lower()))
                elif c.dep_ == "mark":
                    bump(self.cues.get("mark", w))
                    if tok.tag_ in _PRESENT_TAGS:
                        bump(self.cues.get("pending", w))
                elif c.dep_ == "amod":
                    bump(self.cues.get("amod", w))
        # governing verbs: "plans to visit", "is expected to meet", "denied attacking"
        t = fr.anchor
        hops = 0
        while t.dep_ in ("xcomp", "ccomp", "conj", "acl") and t.head.i != t.i and hops < 3:
            head = t.head
            if _fronted_clause(t):
                break  # "DRC accused Rwanda of X, a charge Kigali denies": not under "denies"
            if t.dep_ != "conj":
                cue = self.cues.get("govern", head.lemma_.lower())
                # "announced that it had reimposed": a finite clause keeps its own tense; a
                # governing verb makes it planned only through an infinitive ("plans to")
                if cue and (t.dep_ != "ccomp" or cue != "planned" or t.tag_ in ("VB", "VBG")):
                    bump(cue)
                for c in head.children:
                    if c.dep_ == "neg":
                        bump(self.cues.get("neg", c.lower_))
            t = head
            hops += 1
        # "denied reports that X had attacked Y": a denial of an act is that act negated
        t = fr.anchor
        for _ in range(3):
            if t.dep_ in ("acl", "ccomp") and t.head.lemma_.lower() in _CLAIM_NOUNS \
                    and t.head.dep_ in ("dobj", "nsubjpass") and t.head.head.lemma_.lower() in _DENIALS \
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in t.children):
                bump("negated")
                break
            if t.dep_ not in ("conj", "xcomp", "ccomp") or t.head.i == t.i:
                break
            t = t.head
        # an "if" clause anywhere above the predicate
        t = fr.anchor
        for _ in range(4):
            if t.dep_ == "advcl" and any(c.dep_ == "mark" and (self.cues.get("mark", c.lower_) or (
                    t.tag_ in _PRESENT_TAGS and self.cues.get("pending", c.lower_))) for c in t.children):
                bump("hypothetical")
            if t.head.i == t.i:
                break
            t = t.head
        return found

    @staticmethod
    def _sentence_place(sent: "Span", places: PlaceSource, actors: ActorSource | None = None) -> Place | None:
        """The one place where the sentence's events happen, when its clauses name exactly one
        ("Officials said on Sunday that rebels attacked a convoy in Kabul"); else, when the
        sentence names exactly one place that is not an actor ("aid to the Red Crescent in
        Bam"), that place."""
        def told_in_passing(t: "Token") -> bool:
            # inside a relative or participle clause on a noun ("Hajiyev, who posted that the
            # talks held during his visit to Iran ..."): not where the sentence's events happen
            hops = 0
            while t.head.i != t.i and hops < 12:
                if t.dep_ in ("relcl", "acl", "appos"):
                    return True
                t = t.head
                hops += 1
            return False

        found: dict[tuple, Place] = {}
        for t in sent:
            if (t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT") and not told_in_passing(t):
                p = places.locate(t)
                if p is not None:
                    found[(p.name, p.country)] = p
                    if len(found) > 1:
                        return None
        if found:
            return next(iter(found.values()))
        named: dict[tuple, Place] = {}
        for pm in getattr(places, "mentions", ()):
            if not (sent.start <= pm.start < sent.end):
                continue
            m = actors.at(pm.start) if actors is not None else None
            last = sent.doc[pm.end - 1]
            located = last.dep_ == "pobj" and last.head.lower_ in ("in", "at", "near", "inside", "outside", "within")
            if (m is not None and m.kind != "place" and not located) or told_in_passing(sent.doc[pm.start]):
                continue  # "Tehran said", "Iranian": an actor, not where something happened ("unrest in Serbia" is)
            named[(pm.place.name, pm.place.country)] = pm.place
        return next(iter(named.values())) if len(named) == 1 else None

    def _intended(self, code):
        """The CAMEO code of an announced act: intent to cooperate (03x) or threat (13x)."""
        for n in range(len(code.code), 1, -1):
            new = self.intent.get(code.code[:n])
            if new is not None:
                return self.table[new]
        return code

    def _refusal(self, fr: Frame, code, modality: str):
        """A cooperative act announced as not going to happen ("will not accept", "would not
        meet") is a rejection, coded as such (CAMEO 12x) and asserted: the refusal happened."""
        if code.code.startswith("03") and modality != "negated" and _refused_partnership(fr.pred):
            # "pledged not to govern with X", "said it will not share power with X": an intent
            # whose announced act, done with another party, is negated refuses that party
            return self.table["120"], "asserted"
        if modality != "negated" or code.quad_class not in (1, 2):
            return code, modality
        t = fr.anchor
        refused = t.dep_ in ("xcomp", "ccomp") and t.head.lemma_.lower() in _REFUSALS  # "declined to resign"
        if not refused and not any(
            c.dep_ == "aux" and c.lower_ in ("will", "would", "wo", "can", "could", "ca", "shall") for c in t.children
        ):
            return code, modality
        root = code.code[:2]
        new = {"04": "125", "08": "124"}.get(root, "120")
        if code.code.startswith("084"):
            new = "1243"
        return self.table[new], "asserted"

    # ----------------------------------------------------------------- events
    def _confidence(self, fr: Frame, modality: str) -> float:
        """How sure the coder is, and how central the event is to its sentence: the event of
        the main clause (reached from the root through conjuncts and complements only) ranks
        first, then events with both actors, then specific lexicon rows."""
        c = 0.45
        if fr.source is not None:
            c += 0.2
        if fr.target is not None:
            c += 0.1
        if fr.row.weak:
            c -= 0.15
        if fr.row.conditions:
            c += 0.05
        depth = 0
        t = fr.anchor
        hops = 0
        while t.head.i != t.i and hops < 12:
            if t.dep_ not in ("conj", "xcomp", "ccomp"):
                depth += 1
            t = t.head
            hops += 1
        c -= 0.08 * min(depth, 4)
        if depth == 0:
            c += 0.1
        if fr.nominal and fr.anchor.i == fr.pred.i:
            c -= 0.1
        if modality in ("hypothetical", "negated"):
            c -= 0.05
        if fr.row in self._said_rows:
            return min(c, 0.3)  # a bare statement ranks below every coded act
        return max(0.05, min(0.99, c))

    def _events(self, doc_id, text, sent, frames: Sequence[Frame], actors, times, places,
                home: str | None = None, state: "_State | None" = None) -> list[Event]:
        # the document's own words: the parse may have read a copy with scraping artifacts undone
        evidence = Evidence(text[sent.start_char:sent.end_char], sent.start_char, sent.end_char)
        best: dict[tuple, tuple[float, Event]] = {}
        order: list[tuple] = []
        fallback: Event | None = None
        sentence_place: list[Place | None] = []  # computed once, when first needed
        for fr in frames:
            code = self.table[fr.row.cameo]
            act = code.code
            when: When = times.for_event(fr.anchor)
            own_place = fr.place or (places.locate(fr.anchor) if places is not None else None)
            location = own_place
            if location is None and places is not None:
                if not sentence_place:
                    sentence_place.append(self._sentence_place(sent, places, actors))
                location = sentence_place[0]
            modality = fr.modality or self._modality(fr)
            code, modality = self._refusal(fr, code, modality)
            ctx = Context(
                act=act, cameo=code.code, named_source=fr.source is not None, named_target=fr.target is not None,
                place_target=fr.row.place_target, own_place=own_place, place=location, home=home,
                threatened=lambda a=fr.anchor: threatened_place_of(a, places),
            )
            decided = resolve(Sides(actors.resolve(fr.source, when.date) if fr.source else None,
                                    actors.resolve(fr.target, when.date) if fr.target else None), ctx)
            if decided is None:
                continue  # both sides are one actor
            src, tgt = decided.source, decided.target
            anchored = _anchored(src) or _anchored(tgt)
            if state is not None:
                if fr.row not in self._said_rows:
                    if _anchored(src) and src.country:
                        state.last_actor = src
                elif tgt is None and state.last_actor is not None and src is not None \
                        and state.last_actor.country != src.country:
                    # a statement that names no one answers the last act told before it
                    tgt = state.last_actor
            location = _home_location(location, src, tgt, home)
            extra = {"source_basis": "place"} if src is not None and fr.source is None else {}
            if modality == "planned":
                code = self._intended(code)
            conf = self._confidence(fr, modality) * (1.0 if anchored else 0.5)
            eid = hashlib.sha256(
                f"{doc_id}|{sent.start_char}|{fr.pred.i}|{code.code}|{_key(src)}|{_key(tgt)}".encode()
            ).hexdigest()[:16]
            if tgt is None and fr.row is self._statement_row and fr.pred.i in self._state.alone_statements:
                self._state.aimless.add(eid)  # a statement aimed at no one, about no one (left out of articles)
            ev = Event(
                event_id=eid,
                doc_id=doc_id,
                source=src,
                target=tgt,
                cameo=code.code,
                plover=code.plover,
                quad_class=code.quad_class,
                goldstein=code.goldstein,
                date=when.date,
                date_precision=when.precision,
                date_basis=when.basis,
                modality=modality,  # type: ignore[arg-type]
                location=location,
                evidence=evidence,
                confidence=conf,
                extra=extra,
            )
            # one event per actor pair and CAMEO root in a sentence ("stormed..., killing...")
            k = (_key(src), src.name if src else None, _key(tgt), tgt.name if tgt else None, code.code[:2], modality)
            if not anchored:
                # neither side is a country or a named organisation: kept only as the
                # sentence's one event when nothing better is found (below)
                if fallback is None or conf > fallback.confidence:
                    fallback = ev
                continue
            if k not in best:
                order.append(k)
                best[k] = (conf, ev)
            elif conf > best[k][0]:
                best[k] = (conf, ev)
        if not order and fallback is not None and (fallback.source or fallback.target or fallback.location):
            # an event with no actor and no place at all says nothing usable ("these winds
            # keep pounding"): left out
            return [fallback]
        return [best[k][1] for k in order]


def _accused_act(tok: "Token") -> bool:
    """The act one is accused or blamed of: "accused Pyongyang of killing Kim"."""
    if tok.dep_ not in ("pcomp", "pobj") or tok.head.lower_ not in ("of", "for"):
        return False
    return tok.head.head.lemma_.lower() in ("accuse", "blame")


def _for_clause(tok: "Token") -> bool:
    """An infinitive clause with its own subject opened by "for" ("called for Chile to release
    the prisoners", "pressed for both sides to resume talks"), which the parser hangs on the
    verb as an adverbial clause (or, for a second one, as a conjunct) marked by "for", or as an
    infinitive right after a "for" phrase of the verb, that phrase's object its subject."""
    if tok.dep_ not in ("advcl", "ccomp", "conj") or tok.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children):
        return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    return _for_phrase(tok) is not None


def _for_phrase(tok: "Token") -> "Token | None":
    """The "for" phrase of the verb an infinitive hangs on, ending right before its "to"
    ("called for Chile to withdraw": "for Chile")."""
    to = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ == "to" and c.i < tok.i), None)
    if to is None or tok.dep_ != "advcl":
        return None
    return next((c for c in tok.head.children if c.dep_ == "prep" and c.lower_ == "for"
                 and c.i < to.i and c.right_edge.i == to.i - 1
                 and any(g.dep_ == "pobj" for g in c.children)), None)


def _fronted_clause(tok: "Token") -> bool:
    """A clause complement before its verb and set off by a comma ("Troops clashed with
    rebels, the army said"): reported speech at most, never the object of a request, plan or
    denial (the parser's reading of "..., a charge Kigali denies")."""
    return tok.dep_ == "ccomp" and tok.i < tok.head.i and any(
        t.text == "," for t in tok.doc[tok.right_edge.i:tok.head.i]
    )


def _stranded_object(prep: "Token") -> "Token | None":
    """The object the parser took from a preposition and made the subject of the participle
    that follows it: in "granted asylum to five officers holed up in the embassy", "officers"
    hangs on "holed" as its subject and "to" has no object. A past participle right after its
    noun there is a reduced relative clause ("officers [who were] holed up"), never a finite
    verb, so the noun is the preposition's object."""
    if any(c.dep_ == "pobj" for c in prep.children) or prep.i + 1 >= len(prep.doc):
        return None
    doc = prep.doc
    for t in doc[prep.i + 1:min(len(doc), prep.i + 8)]:
        if t.dep_ == "nsubj" and t.pos_ in ("NOUN", "PROPN") and t.left_edge.i == prep.i + 1:
            verb = t.head
            if verb.i == t.i + 1 and verb.tag_ in ("VBD", "VBN") and verb.head.i in (prep.i, prep.head.i):
                return t
    return None


def _opposed_to(m: Mention, doc) -> bool:
    """A country word under the prefix "anti-" or "pro-" ("anti-American protesters", "pro-Kenyan
    bloggers"): the attitude, not the nationality, of the people named."""
    first = doc[m.start]
    if first.lower_.startswith(("anti-", "pro-")):
        return True
    return m.start >= 2 and doc[m.start - 1].text == "-" and doc[m.start - 2].lower_ in ("anti", "pro")


# Words opening an indirect question: "asked whether", "asked why".
_QUESTION_WORDS = frozenset("whether if why how what who whom whose which when where".split())


def _asks_a_question(verb: "Token") -> bool:
    """Whether a verb of asking asks a question rather than for an act: its clause
    complement is an indirect question ("asked whether X would come", "asked why") or a quoted
    one ending in a question mark, or its topic is an about-phrase ("asked about the case");
    an infinitive ("asked X to leave") or a for-phrase ("asked for aid") is a request."""
    kids = list(verb.children)
    if any(c.dep_ in ("xcomp",) or (c.dep_ == "prep" and c.lower_ == "for") for c in kids):
        return False
    for c in kids:
        if c.dep_ == "ccomp" and c.i > verb.i:
            first = c.doc[c.left_edge.i]
            k = first.i - 1
            while k > verb.i and c.doc[k].is_punct:
                k -= 1  # 'asked, "Is there ...?"'
            before = c.doc[k]
            # right after the verb or its object ("asked the minister whether")
            adjacent = before.i == verb.i or any(
                o.dep_ in ("dobj", "dative") and o.left_edge.i <= before.i <= o.right_edge.i for o in kids)
            if not adjacent:
                continue
            if first.lower_ in _QUESTION_WORDS or any(
                    g.dep_ in ("mark", "advmod", "nsubj", "dobj") and g.lower_ in _QUESTION_WORDS and g.i < c.i
                    for g in c.children):
                return True
            if any(t.text == "?" for t in c.doc[c.i:c.sent.end]):
                return True
        if c.dep_ == "prep" and c.lower_ == "about":
            return True
    return False


# Conjunctions opening a reduced clause: "when asked", "if elected", "once approved".
_REDUCING = frozenset(["when", "if", "once", "unless", "until", "while", "though", "although", "whenever"])


def _reduced_passive(tok: "Token") -> bool:
    """A past participle opened by a conjunction, with no subject and no auxiliary of its own
    ("when asked", "if elected"): a reduced passive clause, whose understood subject (the
    noun it hangs on, or the main clause's subject) is acted on, not acting."""
    return tok.tag_ in ("VBN", "VBD") and any(
        c.dep_ in ("advmod", "mark") and c.lower_ in _REDUCING and c.i < tok.i for c in tok.children
    ) and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "csubj") for c in tok.children)


def _purpose(tok: "Token") -> bool:
    """An infinitive of purpose on a verb: "to disperse" in "opened fire to disperse them"."""
    return tok.dep_ == "advcl" and tok.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children
    ) and not any(c.dep_ == "mark" for c in tok.children) and _for_phrase(tok) is None


def _domestic(src: Actor | None, tgt: Actor | None, home: str) -> bool:
    """Whether an event is among the actors of one country, ``home``: a side of it, and no
    side of another country."""
    countries = {a.country for a in (src, tgt) if a is not None and a.country}
    return countries == {home}


def _refused_partnership(verb: "Token") -> bool:
    """Whether a verb of intent or saying announces, negated, an act done with someone: its
    infinitive or clause complement has a negation and a "with" phrase ("vowed not to govern
    with X", "said it would never share power with X")."""
    return bool(_partnership_phrases(verb))


def _partnership_phrases(verb: "Token") -> list["Token"]:
    """The "with" phrases of a negated infinitive or future clause complement of ``verb``, on
    the complement or on its object ("will not share power with X")."""
    found = []
    for c in verb.children:
        if c.dep_ not in ("xcomp", "ccomp") or c.pos_ not in ("VERB", "AUX"):
            continue
        if c.dep_ == "ccomp" and not any(g.dep_ == "aux" and g.lower_ in _FUTURE_OR_WONT for g in c.children):
            continue  # "said Y had not held talks with X": a past act denied, nothing refused
        if any(g.dep_ == "neg" for g in c.children):
            heads = [c] + [g for g in c.children if g.dep_ == "dobj"]
            found += [p for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ == "with"]
    return found


def _at_own_country(e: Event, home: str | None) -> Event:
    """The event with its missing target made its source's country (``own_country_target``),
    and placed as ``_home_location`` places it."""
    tgt = own_country_target(e.source, e.target)
    if tgt is e.target:
        return e
    return replace(e, target=tgt, location=_home_location(e.location, e.source, tgt, home))


def _home_location(location: Place | None, src: Actor | None, tgt: Actor | None, home: str | None) -> Place | None:
    """An act among the actors of the country the article is set in, placed nowhere, happened
    there; any other location is kept."""
    if location is None and home is not None and _domestic(src, tgt, home):
        return Place(country_label(home), home, None, None)
    return location


def _several_sentences(doc: "Doc") -> bool:
    """Whether the parsed text has more than one sentence."""
    return next(iter(doc.sents)).end < len(doc)


def _political_source(e: Event) -> bool:
    """Whether the event's source is an identified actor: one with a country, an organisation
    or a sector code ("police", "rebels"), not None or a person no dictionary or title places."""
    return _anchored(e.source)


def _placed_on_nobody(e: Event) -> bool:
    """Whether the event's source is only the place it happened (``source_basis`` "place") and
    its target is no identified actor."""
    return e.extra.get("source_basis") == "place" and not _anchored(e.target)


def _side(a: Actor) -> str | None:
    """The side an actor stands for in a pair: its country, else its code (an IGO)."""
    return a.country or a.code


def report_id(event_id: str) -> str:
    """The report an event id belongs to: the hash of document, sentence, predicate, code and
    actor codes (the id without a ``-`` suffix). Events of one report differ only by the
    people or bodies named on a side ("met Trump and Pence"): one act, one report."""
    return event_id.split("-", 1)[0]


def _side_key(a: Actor | None) -> str:
    """A side as written and resolved, for telling events of one report apart."""
    return "-" if a is None else f"{a.text}\x1f{a.name or ''}\x1f{a.code or ''}\x1f{a.country or ''}"


def _unique_ids(events: list[Event]) -> list[Event]:
    """Unique event ids. An id is the hash of document, sentence offset, predicate, code and
    actor codes (:func:`report_id`); two events of one sentence that share all of these (the
    same act told of two people of one country) are told apart by a suffix on the later one:
    ``-`` and 8 hex digits of a hash of its report id, its sides as written and resolved (text,
    name, code, country) and its modality, and ``-2``, ``-3``... should even that repeat. The
    first event of a report keeps the bare hash, as before suffixes existed; everything is a
    function of the document, so ids are the same on every run."""
    seen: set[str] = set()
    out: list[Event] = []
    for ev in events:
        eid = ev.event_id
        if eid in seen:
            base = eid
            eid = base + "-" + hashlib.sha256(
                f"{base}|{_side_key(ev.source)}|{_side_key(ev.target)}|{ev.cameo}|{ev.modality}".encode()
            ).hexdigest()[:8]
            n = 1
            stem = eid
            while eid in seen:
                n += 1
                eid = f"{stem}-{n}"
            ev = replace(ev, event_id=eid)
        seen.add(eid)
        out.append(ev)
    return out


def _key(a: Actor | None) -> str:
    if a is None:
        return "-"
    return a.code or a.country or a.text
