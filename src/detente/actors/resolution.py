"""Actor resolution: the one stage where an event's source and target are decided.

Recognition (:mod:`detente.actors.recognize`) finds the actors the text names and the coder
picks, for each event, the mentions that are its source and target. What those mentions
leave open -- an unnamed perpetrator, a generic group with no country, a target the text only
implies -- is decided here, after dates and places, by named rules applied in a declared
order. Each rule is a function ``rule(sides, ctx) -> sides`` with every input explicit in
``ctx`` (:class:`Context`); the order is :data:`PLACE_RULES` then :data:`DOCUMENT_RULES`.

::

    ctx = Context(act="1823", cameo="1823", own_place=None, place=kabul, home="AFG", ...)
    res = resolve(Sides(source=None, target=Actor("civilians", None, None, "CVL", "CVL")), ctx)
    res.target.code   # "AFGCVL"

The place rules read the place of the event's own clause (else the one place its sentence
names); the document rules read the country the article is set in (:func:`home_country`).
An event whose two sides end up the same actor is no event (``resolve`` gives None).
Last, once the coder has decided which events an article keeps, :func:`own_country_target`
aims each kept event that still names no target at its source's country.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from detente.model import Actor, Place

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "Context",
    "DOCUMENT_RULES",
    "PLACE_RULES",
    "Resolution",
    "Sides",
    "anchored",
    "country_label",
    "own_country_target",
    "home_country",
    "resolve",
    "threatened_place_of",
    "DOMESTIC_SECTORS",
    "HOME_SECTORS",
    "HOME_PEOPLE_SECTORS",
    "VIOLENCE_ROOTS",
]

# CAMEO roots whose target, when the text names none, is the country where the event happens.
PLACE_TARGET_ROOTS = frozenset(["07", "08", "09", "14", "15", "16", "17", "18", "19", "20"])
# CAMEO roots whose generic source is not assumed to be of the place where the event happens.
FOREIGN_ROOTS = frozenset(["04", "06", "07"])
# CAMEO roots whose unnamed perpetrator is taken to be of the country where the event happens
# ("a missionary was arrested in Lebanon", "a roadside bomb near Samarra killed a soldier").
UNNAMED_SOURCE_ROOTS = frozenset(["09", "16", "17", "18", "19", "20"])
# Sectors of bodies that are not assumed to be of the place where they act.
TRANSNATIONAL_SECTORS = frozenset(["IGO", "NGO"])

# and finer codes of the same kind: people set free ("the students were freed on bail") are
# freed by those who held them, the authorities of the place
UNNAMED_SOURCE_CODES = UNNAMED_SOURCE_ROOTS | frozenset(["0841"])
# Codes of acts of the authorities on people (arrest, detention, charge, expulsion,
# repression, release): the people, when the text gives no nationality, are of the country.
CUSTODY_CODES = frozenset(["173", "174", "175", "0841"])
# Sectors that act at home: their generic targets are of their own country.
DOMESTIC_SECTORS = frozenset(["GOV", "COP", "JUD", "LEG"])
# Sectors of unnamed groups that belong to the country an article is set in.
HOME_SECTORS = frozenset(["GOV", "COP", "JUD", "LEG", "MIL", "SPY", "PTY"])
# Sectors of unnamed groups of a country's people that act in its politics at home
# (protesters, demonstrators, activists, critics): of the country an article is set in.
HOME_PEOPLE_SECTORS = frozenset(["OPP"])
# Sectors of a country's forces, which its state moves ("troops were deployed").
FORCE_SECTORS = frozenset(["MIL", "COP"])
# CAMEO roots of violence: an attack by an unnamed perpetrator on a named side is an event.
VIOLENCE_ROOTS = frozenset(["18", "19", "20"])
_POSSESSIVES = ("its", "their", "his", "her", "our", "my")


@dataclass(frozen=True)
class Sides:
    """An event's source and target as far as they are decided."""

    source: Actor | None
    target: Actor | None


@dataclass(frozen=True)
class Context:
    """What the rules may read about one event.

    ``act`` is the CAMEO code the lexicon gave the predicate; ``cameo`` the code after a
    refusal is recoded ("would not meet" is a rejection); ``named_source`` / ``named_target``
    whether the text gave a mention for each side; ``place_target`` whether the predicate's
    lexicon row lets a place be its target ("travelled to Baku"); ``own_place`` where the
    event's own clause places it; ``place`` that, else the one place its sentence names;
    ``home`` the country the article is set in; ``threatened`` the country where a threatened
    act would happen (computed on demand).
    """

    act: str
    cameo: str
    named_source: bool
    named_target: bool
    place_target: bool = False
    own_place: Place | None = None
    place: Place | None = None
    home: str | None = None
    threatened: Callable[[], Actor | None] = lambda: None


@dataclass(frozen=True)
class Resolution:
    """The decided sides of one event."""

    source: Actor | None
    target: Actor | None


def anchored(a: Actor | None) -> bool:
    """True for an actor with a country, or an international or named organisation."""
    if a is None:
        return False
    return bool(a.country) or a.sector in ("IGO", "NGO", "MNC") or bool(a.code and a.name)


def home_country(places: Any) -> str | None:
    """The country an article is set in: the country of most of the places it names (at
    least two, and at least two in five of them), e.g. its dateline city and the towns of
    its story. None when no country stands out. ``places`` is the document's place stage
    (its ``mentions``), or None."""
    counts: Counter = Counter()
    for pm in getattr(places, "mentions", ()) if places is not None else ():
        if pm.place.country:
            counts[pm.place.country] += 1
    if not counts:
        return None
    top, n = counts.most_common(1)[0]
    return top if n >= 2 and n * 5 >= 2 * sum(counts.values()) else None


@lru_cache(maxsize=None)
def country_label(iso3: str) -> str:
    """The common name of a country code, for the text of an actor the text leaves unnamed."""
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return getattr(c, "common_name", None) or getattr(c, "name", None) or iso3


def _of(a: Actor, country: str) -> Actor:
    return Actor(a.text, None, country, a.sector, country + (a.sector or ""))


def _generic(a: Actor | None) -> bool:
    return a is not None and not a.country and not a.name


# ------------------------------------------------------------------ place rules
def target_at_own_place(s: Sides, ctx: Context) -> Sides:
    """Where the text names no target, a visit, aid, concession, investigation, protest,
    force posture, cut in relations, coercion or assault targets the country where it
    happens ("demonstrated in Serbia", "visited Baku", "lifted a curfew in Montenegro"); a
    generic target with no country ("killed 23 people") is of the country where it happened."""
    loc, tgt = ctx.own_place, s.target
    if loc is None or not loc.country:
        return s
    if tgt is None and (ctx.place_target or ctx.act[:2] in PLACE_TARGET_ROOTS):
        return replace(s, target=Actor(loc.name, None, loc.country, None, loc.country))
    if _generic(tgt) and ctx.act[:2] == "15" and tgt.sector in ("MIL", "COP"):
        # "sent troops into X": the troops are the sender's own force; the place is the target
        return replace(s, target=Actor(loc.name, None, loc.country, None, loc.country))
    possessed = tgt is not None and tgt.text.split(" ", 1)[0].lower() in _POSSESSIVES
    if _generic(tgt) and not possessed and ctx.act[:2] in PLACE_TARGET_ROOTS:
        return replace(s, target=_of(tgt, loc.country))
    return s


def deployed_force(s: Sides, ctx: Context) -> Sides:
    """A country's force moved or put on alert by no named agent ("Kenyan troops were sent to
    the border", "Polish units have been put on alert") is moved by its country: the country
    is the source, and the place the force goes to, if the clause names one, the target."""
    src, tgt = s.source, s.target
    if src is not None or ctx.named_source or ctx.act[:2] != "15" or tgt is None:
        return s
    if not tgt.country or tgt.sector not in FORCE_SECTORS:
        return s
    loc = ctx.own_place
    target = Actor(loc.name, None, loc.country, None, loc.country) if loc is not None and loc.country else tgt
    return Sides(Actor(country_label(tgt.country), None, tgt.country, None, tgt.country), target)


def threatened_place(s: Sides, ctx: Context) -> Sides:
    """A threat with no named target targets the country where the threatened act would
    happen, as the act itself would ("threatened to impose a curfew in Lagos": Nigeria)."""
    if s.target is not None or not ctx.act.startswith("13"):
        return s
    return replace(s, target=ctx.threatened())


def source_at_own_place(s: Sides, ctx: Context) -> Sides:
    """A generic group acting where the event happens ("prisoners went on hunger strike in
    Turkey", "opposition leaders agreed to postpone the rally in Baku") is of that country,
    except for consultations, cooperation and aid, whose actors often come from abroad, and
    for an unnamed international or non-governmental body ("a rights watchdog accused police
    in Kenya"), which watches a country from outside as often as from within."""
    loc, src = ctx.own_place, s.source
    if src is None or not _generic(src) or loc is None or not loc.country or ctx.act[:2] in FOREIGN_ROOTS:
        return s
    if src.sector in TRANSNATIONAL_SECTORS:
        return s
    return replace(s, source=_of(src, loc.country))


def victims_at_sentence_place(s: Sides, ctx: Context) -> Sides:
    """People killed or wounded where the sentence's events happen (its one place, when the
    event's own clause names none) are of that country."""
    if ctx.own_place is not None or ctx.place is None or ctx.act[:2] not in VIOLENCE_ROOTS:
        return s
    return replace(s, target=_generic_of(s.target, ctx.place.country))


# --------------------------------------------------------------- document rules
def unnamed_perpetrator(s: Sides, ctx: Context) -> Sides:
    """An investigation, sanction or expulsion, coercion or assault whose perpetrator the text
    does not name (a passive without agent, a bomb as subject) against a named target is
    coded, as CAMEO and PLOVER coders do, with the country where it happened (else the
    country the article is set in) as its source; the event's ``extra`` says so
    (``source_basis: place``). People released with no one named as releasing them are freed
    by the same authorities, and the people arrested, detained, charged, expelled or released
    by them whose nationality the text does not give ("dozens of miners were detained") are of
    that country."""
    src, tgt, loc = s.source, s.target, ctx.place
    if src is not None or ctx.named_source or not ctx.named_target or tgt is None:
        return s
    if (loc is None or not loc.country) and ctx.home is not None:
        loc = Place(country_label(ctx.home), ctx.home, None, None)
    if loc is None or not loc.country or not ctx.cameo.startswith(tuple(UNNAMED_SOURCE_CODES)):
        return s
    if tgt.country == loc.country and not tgt.sector and not tgt.name:
        return s  # the target is that country or place itself: no one from it acted
    source = Actor(loc.name, None, loc.country, None, loc.country)
    if ctx.cameo.startswith(tuple(CUSTODY_CODES)):
        # the people its authorities hold or free, whose nationality the text does not give,
        # are of that country too ("dozens of miners were detained": its civilians)
        return Sides(source, _generic_of(tgt, loc.country))
    return replace(s, source=source)


def domestic_target(s: Sides, ctx: Context) -> Sides:
    """A generic group acted on by a country's government, police, courts or legislature
    ("the national police detained 40 strikers", "police dispersed demonstrators") is of that
    country, where nothing else gives it one."""
    src, tgt = s.source, s.target
    if tgt is None or not _generic(tgt) or not tgt.sector or src is None or not src.country:
        return s
    if src.sector not in DOMESTIC_SECTORS:
        return s
    return replace(s, target=_of(tgt, src.country))


def protested_institution(s: Sides, ctx: Context) -> Sides:
    """An unnamed government, parliament, court or police that a country's people protest
    against ("Chilean miners marched on parliament") is their own country's."""
    src, tgt = s.source, s.target
    if ctx.cameo[:2] != "14" or not _generic(tgt) or tgt.sector not in DOMESTIC_SECTORS:
        return s
    if src is None or not src.country:
        return s
    return replace(s, target=_of(tgt, src.country))


def institutions_at_home(s: Sides, ctx: Context) -> Sides:
    """An unnamed institution with no country ("police", "the court", "troops") in an article
    set in one country is of that country."""
    return Sides(_at_home(s.source, ctx.home), _at_home(s.target, ctx.home))


def opposition_at_home(s: Sides, ctx: Context) -> Sides:
    """An unnamed opposition with no country ("protesters", "demonstrators", "activists",
    "critics") in an article set in one country is of that country: "protesters vowed to
    march until the cabinet resigns" in an article set in Serbia are Serbia's."""
    def home(a: Actor | None) -> Actor | None:
        if a is None or ctx.home is None or not _generic(a) or a.sector not in HOME_PEOPLE_SECTORS:
            return a
        return _of(a, ctx.home)
    return Sides(home(s.source), home(s.target))


def victims_at_home(s: Sides, ctx: Context) -> Sides:
    """The victims of violence with no country, in an article set in one country, are of it."""
    if ctx.cameo[:2] not in VIOLENCE_ROOTS:
        return s
    return replace(s, target=_generic_of(s.target, ctx.home))


def persons_at_home(s: Sides, ctx: Context) -> Sides:
    """A person no dictionary, title or phrase places, acted on by an identified actor in an
    article set in one country, is of that country."""
    t = s.target
    if t is None or ctx.home is None or not t.name or t.country or t.sector or t.code:
        return s
    if not anchored(s.source) or not ctx.named_source:
        return s
    return replace(s, target=Actor(t.text, t.name, ctx.home, None, ctx.home))


# Words that name a government without naming its country ("the government").
_GOVERNMENT_WORDS = frozenset(["government", "administration", "cabinet", "regime"])


def opposition_faces_own_government(s: Sides, ctx: Context) -> Sides:
    """An opposition acting on "the government" (a government the text names by that word
    alone, which recognition resolves to the government named last) acts on its own
    country's government: "the Kenyan opposition accused the government" is KENOPP ->
    KENGOV, even after a sentence about Uganda's government."""
    a, t = s.source, s.target
    if a is None or t is None or a.sector != "OPP" or not a.country or t.sector != "GOV" or t.country == a.country:
        return s
    words = t.text.lower().split()
    if not words or words[-1] not in _GOVERNMENT_WORDS or any(w not in ("the", "its", "their") for w in words[:-1]):
        return s
    return replace(s, target=Actor(t.text, t.name, a.country, "GOV", a.country + "GOV"))


# Sectors of the political actors a person's act on makes it a political event.
_POLITICAL = frozenset("GOV LEG JUD COP MIL PTY OPP IGO REB SPY".split())


def person_sources_at_home(s: Sides, ctx: Context) -> Sides:
    """A person no dictionary, title or phrase places, acting on a government, legislature,
    court, police, military, party, opposition, rebels or international body, or on a
    country, in an article set in one country, is of that country: the person takes part in
    its politics. Not a journey to a country (a verb whose target may be a place: "travelled to
    Niger"): that is private travel."""
    a = s.source
    if a is None or ctx.home is None or not a.name or a.country or a.sector or a.code:
        return s
    t = s.target
    if t is None or not (t.sector in _POLITICAL or (t.country and not t.name and not t.sector)):
        return s
    if ctx.place_target and not t.sector:
        return s
    return replace(s, source=Actor(a.text, a.name, ctx.home, None, ctx.home))


def own_country_target(source: Actor | None, target: Actor | None) -> Actor | None:
    """The target of an act in an article that names no one it is aimed at, by an actor with a
    country: that country ("the senators voted to reject the bill": USA -> USA; "the mayor
    condemned the cuts": his country), as the annotated articles code an act with no other
    side as domestic. Applied by the coder last, to the events an article keeps (an act that
    needs a partner and names none is already left out); returns the target unchanged
    otherwise."""
    if target is not None or source is None or not source.country:
        return target
    c = source.country
    return Actor(country_label(c), None, c, None, c)


def _generic_of(a: Actor | None, country: str | None) -> Actor | None:
    """A generic group with no country ("civilians", "people") made one of ``country``'s."""
    if a is None or country is None or not _generic(a) or not a.sector:
        return a
    return _of(a, country)


@lru_cache(maxsize=None)
def _foreign_missions() -> frozenset[str]:
    from detente.coding.lexicon import word_class

    return word_class("foreign_missions")


def _foreign_mission(a: Actor) -> bool:
    """Whether an actor's text is headed by a word for a foreign mission ("the embassy")."""
    words = a.text.lower().split()
    return bool(words) and words[-1] in _foreign_missions()


def _at_home(a: Actor | None, home: str | None) -> Actor | None:
    if a is None or home is None or not _generic(a) or a.sector not in HOME_SECTORS:
        return a
    if _foreign_mission(a):
        return a  # an embassy in the article's country is another country's
    return _of(a, home)


PLACE_RULES: tuple[Callable[[Sides, Context], Sides], ...] = (
    target_at_own_place,
    deployed_force,
    threatened_place,
    source_at_own_place,
    victims_at_sentence_place,
)
DOCUMENT_RULES: tuple[Callable[[Sides, Context], Sides], ...] = (
    unnamed_perpetrator,
    opposition_faces_own_government,
    domestic_target,
    protested_institution,
    institutions_at_home,
    opposition_at_home,
    victims_at_home,
    persons_at_home,
    person_sources_at_home,
)


def _same(s: Sides) -> bool:
    return s.source is not None and s.target is not None and s.source == s.target


def resolve(sides: Sides, ctx: Context) -> Resolution | None:
    """Apply the place rules, then the document rules, in their declared order. None when
    both sides are (or become) the same actor."""
    for rule in PLACE_RULES:
        sides = rule(sides, ctx)
    if _same(sides):
        return None
    for rule in DOCUMENT_RULES:
        sides = rule(sides, ctx)
    if _same(sides):
        return None
    return Resolution(sides.source, sides.target)


def threatened_place_of(anchor: "Token", places: Any) -> Actor | None:
    """The country where the act an anchor threatens ("threatened to impose a curfew in
    Lagos") would happen, as an actor; None if its clause names no place (or there is no
    place stage)."""
    if places is None:
        return None
    for c in anchor.children:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            p = places.locate(c)
            if p is not None and p.country:
                return Actor(p.name, None, p.country, None, p.country)
    return None
