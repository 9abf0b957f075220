"""Place mentions in a parsed document, their disambiguation, and where each event happened.

:class:`PlaceResolver` finds the place mentions of a spaCy ``Doc`` once (named entities GPE/LOC/FAC
plus gazetteer matching of capitalised tokens), resolves each to one gazetteer entry using the
countries the document mentions, and returns :class:`DocumentPlaces`, which answers
``at(token)`` (the place a token belongs to) and ``locate(predicate)`` (where the event of a
predicate happened).
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from detente.model import Place
from detente.words import word_class
from detente.places.gazetteer import Candidate, Gazetteer, normalize

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["PlaceMention", "PlaceResolver", "DocumentPlaces"]

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: supplement / curated feature types (not countries, cities or subdivisions)
_GAZ_FEATURES = {"country", "capital", "city", "admin1", "admin2"}
_SCAN_STOP = word_class("places/scan_stop", single=False)
_SCAN_MIN_POP = 100_000
#: a town below this size is taken in a document naming other countries only when its own
#: country is named (or a place in it)
_SMALL_TOWN = 10_000
#: a subdivision with fewer people in its towns is doubtful in a story that never names its country
_MINOR_REGION = 1_000_000
_US_CUES = word_class("places/us_cues")

_LOC_PREPS = word_class("places/locative_preps")
_BORDER_NOUNS = word_class("places/border_nouns")
_SAME_EVENT_MARKS = word_class("places/same_event_marks")
_MOTION_PREPS = word_class("places/motion_preps")
_AFTER_PREPS = word_class("places/preceding_preps")
_TOPIC_PREPS = word_class("places/topic_preps")
_ATTACK_PREPS = word_class("places/attack_preps")
_MOTION_VERBS = word_class("places/motion_verbs")
_VISIT_VERBS = word_class("places/visit_verbs")
_ATTACK_VERBS = word_class("places/attack_verbs")
_TRAVEL_VERBS = word_class("places/travel_verbs")
_EVENT_NOUNS = word_class("places/event_nouns")
_VISIT_NOUNS = word_class("places/visit_nouns")
_LEAVE_VERBS = word_class("places/leave_verbs")
_LEAVE_PREPS = word_class("places/leave_preps")
_THROUGH_PREPS = word_class("places/through_preps")
_GEO_NOUNS = word_class("places/geo_nouns")
_NAMING_NOUNS = word_class("places/naming_nouns")
_BLOCK_NOUNS = word_class("places/direction_nouns")
_FUTURE_AUX = {"will", "would", "shall", "may", "might", "could", "should", "to"}
_INHERIT_DEPS = {"advcl", "xcomp", "conj"}
_MAX_DEPTH = 4


@dataclass
class PlaceMention:
    """A place named in the document: tokens [start, end), the text and the resolved place."""

    start: int
    end: int
    text: str
    place: Place
    feature: str = "city"
    candidates: list[Candidate] = field(default_factory=list, repr=False)


class PlaceResolver:
    """Finds and resolves the place mentions of documents against one :class:`Gazetteer`."""

    def __init__(self, gazetteer: Gazetteer):
        """Use ``gazetteer`` (normally ``Gazetteer.load()``) for every document."""
        self.gaz = gazetteer

    # ------------------------------------------------------------------ mentions
    def document(self, doc: "Doc") -> "DocumentPlaces":
        """The place mentions of ``doc``, disambiguated with the document's countries."""
        raw = self._find(doc)
        evidence = self._evidence(doc, raw)
        mentions = []
        chosen: list[tuple] = []  # (raw mention, best candidate, its choice was constrained)
        at_token: dict[int, Candidate] = {}  # chosen candidate of each token of a mention
        for m in raw:
            start, end, text, key, label, cands = m
            restricted = ""
            owner = next((at_token[c.i] for c in doc[end - 1].children
                          if c.dep_ == "poss" and c.i in at_token), None)
            if owner is not None and owner.country:
                # "Mosul's Old City": a place of the possessor's country, else the possessor
                inside = [c for c in cands if c.country == owner.country]
                cands = inside or [owner]
                restricted = "qualified"
            if end < len(doc) and doc[end].lower_ in ("state", "province", "region") \
                    and any(c.feature == "admin1" for c in cands):
                # "Washington state", "Punjab province": the region
                cands = [c for c in cands if c.feature == "admin1"]
                restricted = "state"  # said to set it apart from the bare name's usual sense
            qual = self._qualifier(doc, end, raw)
            best = self._choose(key, label, cands, evidence, qual)
            if best is not None:
                chosen.append((m, best, restricted or ("qualified" if qual else "")))
                for i in range(start, end):
                    at_token[i] = best
        # one sense per document: a name left unqualified means the same place throughout: the
        # one a qualified mention of it names, else the one chosen where the most candidates
        # were open (a capitalised word matched outside an
        # entity, or inside a facility name, sees only the strong entries: "Westminster Bridge"
        # after "Westminster" resolved in London)
        ref: dict[str, tuple[int, Candidate]] = {}
        for (_s, _e, _t, key, _l, cands), best, restricted in chosen:
            if restricted:
                # a qualified mention ("Paris, Texas", "Mosul's Old City") says which place
                # the document means by the bare name too; "Washington state" does not (it
                # sets the state apart from the usual "Washington")
                if restricted == "qualified" and (key not in ref or ref[key][0] < 10 ** 6):
                    ref[key] = (10 ** 6, best)
            elif key not in ref or len(cands) > ref[key][0]:
                ref[key] = (len(cands), best)
        for (start, end, text, key, label, cands), best, restricted in chosen:
            if not restricted and key in ref:
                best = ref[key][1]
            fac_end = _facility_end(doc, end) if best.feature in ("continent", "country") else None
            if fac_end is not None:
                # "the Europe Bridge", "Africa Hall": a facility named after a continent or a
                # country is a place of its own, not that continent or country (and its position
                # is unknown: it need not even be in the country it is named after)
                text = doc[start:fac_end].text
                mentions.append(PlaceMention(start, fac_end, text,
                                             Place(name=text, country=None, lat=None, lon=None),
                                             "facility", []))
                continue
            place = _to_place(best)
            # geonames towns, and regions named by another name ("Bavaria" for Bayern)
            as_written = best.alias and best.feature in ("city", "capital", "admin1")
            if (as_written or self.gaz.respelled(best.name, best.country)) and text.isascii() \
                    and not text.isupper() and "\n" not in text:
                # our name is a transliteration, or the text uses another name of the place:
                # the text's own plain spelling is kept ("Hodeidah" rather than "Al Hudaydah",
                # "Kiev" where the text says so; the geonameid identifies the place)
                place = Place(name=text, country=place.country, lat=place.lat, lon=place.lon,
                              geonameid=place.geonameid)
            mentions.append(PlaceMention(start, end, text, place, best.feature, cands))
        return DocumentPlaces(doc, mentions, self.gaz)

    def _find(self, doc: "Doc") -> list[tuple]:
        """Raw mentions: (start, end, text, key, ner_label, candidates), in text order."""
        gaz = self.gaz
        found: list[tuple] = []
        covered = bytearray(len(doc))
        doc_countries: set[str] | None = None  # computed when first needed
        for ent in doc.ents:
            label = ent.label_
            start, end = ent.start, ent.end
            while start < end and doc[start].lower_ in ("the", "'s", "’s"):
                start += 1
            while end > start and doc[end - 1].lower_ in ("'s", "’s", "'", "’"):
                end -= 1
            if start >= end:
                continue
            if not doc[start].text[:1].isupper() and not _article_name(doc, start, end):
                covered[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
                continue
            if label in _PLACE_LABELS:
                text = doc[start:end].text
                key = normalize(text)
                cands = gaz.lookup_key(key) if key not in _SCAN_STOP else []
                if cands and _first_name_before(doc, start, end, gaz) and not gaz.curated(key) \
                        and not any(_strong(c) for c in cands):
                    # "Kenzo Oshima": a surname tagged as a small town, after a first name
                    covered[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
                    continue
                if cands:
                    found.append((start, end, text, key, label, cands))
                    covered[start:end] = b"\x01" * (end - start)
                    continue
                # a place inside a longer facility / location name
                for hit in self._scan(doc, start, end, strong=True):
                    found.append((hit[0], hit[1], hit[2], hit[3], label, hit[4]))
                    covered[hit[0]:hit[1]] = b"\x01" * (hit[1] - hit[0])
                covered[start:end] = b"\x01" * (end - start)
            else:
                # PERSON / ORG taggings of a place name: a country's own name, or any place
                # right after a locative preposition or as the object of a visit-like verb
                text = doc[start:end].text
                key = normalize(text)
                cands = []
                if key in _SCAN_STOP:
                    pass  # "Western", "North": never a place alone
                elif _naming_context(doc, start, end) and not gaz.demonym(text):
                    # "the town of Samarra", "the Jaffna peninsula" tagged NORP / PERSON / ...
                    cands = gaz.lookup_key(key) if gaz.has(key) else []
                elif label in ("PERSON", "ORG") or (label == "NORP" and not gaz.demonym(text)):
                    # ("in Punjab" tagged NORP: a people's name is never a place)
                    cands = gaz.lookup_key(key) if gaz.has(key) else []
                    if cands and not any(c.feature == "country" and not c.alias for c in cands):
                        head = doc[end - 1]
                        placed = (start > 0 and doc[start - 1].lower_ in _AFTER_PREPS) or (
                            head.dep_ == "dobj" and head.head.lemma_.lower() in _VISIT_VERBS)
                        if not placed:
                            cands = []
                        elif not gaz.curated(key):
                            strong = [c for c in cands if _strong(c, entity=True)]
                            if not strong:
                                # "surrendered in Soroti" tagged ORG: a smaller place after a
                                # preposition or a visit-like verb, in a country the document names
                                if doc_countries is None:
                                    doc_countries = self._named_countries(doc)
                                strong = [c for c in cands if c.country in doc_countries
                                          and c.feature in _GAZ_FEATURES and c.feature != "country"]
                            cands = strong
                if cands:
                    found.append((start, end, text, key, "GPE", cands))
                covered[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
        # capitalised tokens outside entities
        i, n = 0, len(doc)
        while i < n:
            if covered[i]:
                i += 1
                continue
            tok = doc[i]
            if not (tok.is_title or (tok.is_upper and len(tok) > 1) or _article_name(doc, i, n)) \
                    or tok.lower_ in _SCAN_STOP:
                i += 1
                continue
            hit = self._match_at(doc, i, covered, strong=True)
            if hit is not None and hit[1] - hit[0] == 1 and tok.pos_ != "PROPN" \
                    and not any(c.feature == "country" for c in hit[4]):
                # one capitalised word the tagger does not take for a name ("Male voters") is
                # no place outside an entity, unless its context names it as one
                hit = None
            if hit is None:
                hit = self._match_at(doc, i, covered, strong=False)
                if hit is not None and not _naming_context(doc, hit[0], hit[1]):
                    hit = None
            if hit is None:
                i += 1
                continue
            found.append((hit[0], hit[1], hit[2], hit[3], "", hit[4]))
            i = hit[1]
        found.sort(key=lambda m: m[0])
        # an abbreviation in capitals ("UK", "U.K.", "EU") is not a village of that name ("Uk",
        # "Eu"): only entries for which it is a listed abbreviation (an alternate name) remain
        out = []
        for m in found:
            if _abbreviation(m[2]):
                cands = [c for c in m[5] if c.alias or c.feature not in ("city", "admin1", "admin2")]
                if not cands:
                    continue
                m = m[:5] + (cands,)
            out.append(m)
        return out

    def _named_countries(self, doc: "Doc") -> set[str]:
        """Countries the document names: by a demonym ("Ugandan", whatever its entity label) or
        by a place entity that is a country's own name."""
        gaz = self.gaz
        out: set[str] = set()
        for tok in doc:
            if tok.is_title:
                iso = gaz.demonym(tok.text)
                if iso:
                    out.add(iso)
        for ent in doc.ents:
            if ent.label_ in _PLACE_LABELS:
                out.update(c.country for c in gaz.lookup(ent.text)
                           if c.feature == "country" and not c.alias and c.country)
        return out

    def _match_at(self, doc: "Doc", i: int, covered: bytearray | None, strong: bool,
                  limit: int | None = None) -> tuple | None:
        """Longest gazetteer n-gram (up to 4 tokens) starting at token ``i``."""
        gaz = self.gaz
        stop = min(len(doc), i + 4, limit if limit is not None else len(doc))
        for j in range(stop, i, -1):
            if covered is not None and any(covered[i:j]):
                continue
            last = doc[j - 1]
            if last.is_punct or last.is_space:
                continue
            text = doc[i:j].text
            key = normalize(text)
            if not key or not gaz.has(key):
                continue
            cands = gaz.lookup_key(key)
            if strong and not gaz.curated(key):
                cands = [c for c in cands if _strong(c)]
            if cands:
                return (i, j, text, key, cands)
        return None

    def _scan(self, doc: "Doc", start: int, end: int, strong: bool) -> list[tuple]:
        hits = []
        i = start
        while i < end:
            tok = doc[i]
            if tok.is_title and tok.lower_ not in _SCAN_STOP:
                hit = self._match_at(doc, i, None, strong, limit=end)
                if hit:
                    hits.append(hit)
                    i = hit[1]
                    continue
            i += 1
        return hits

    # ------------------------------------------------------------------ context
    def _evidence(self, doc: "Doc", raw: list[tuple]) -> list[tuple[str, str, str, str | None]]:
        """Context facts (key, iso3, kind, admin1).

        ``kind`` is ``country`` (a country or demonym), ``admin`` (an admin-1 region named) or
        ``sub`` (another sub-national place).
        """
        gaz = self.gaz
        ev: list[tuple[str, str, str, str | None]] = []
        for ent in doc.ents:
            if ent.label_ == "NORP":
                iso = gaz.demonym(ent.text)
                if iso:
                    ev.append((normalize(ent.text), iso, "country", None))
        for _s, _e, _t, key, label, cands in raw:
            best = self._choose(key, label, cands, [], None)
            if best is None:
                continue
            others = [c for c in cands if c is not best]
            clear = not others or _base(best, label) - max(_base(c, label) for c in others) >= 1.5
            if not clear or not best.country:
                continue
            kind = {"country": "country", "admin1": "admin"}.get(best.feature, "sub")
            ev.append((key, best.country, kind, best.admin1))
            if kind != "country":
                ev.append((key, best.country, "country", None))
        from spacy.attrs import LOWER

        counts = doc.count_by(LOWER)  # in Cython: no Python token objects
        strings = doc.vocab.strings
        cues = sum(counts.get(strings[w], 0) for w in _US_CUES)
        if cues >= 2:
            ev.append(("#us-cues", "USA", "sub", None))
        return ev

    def _qualifier(self, doc: "Doc", end: int, raw: list[tuple]) -> tuple[str, ...] | None:
        """Countries / admin-1 keys of a ", Texas" or ", Lebanon" right after a mention."""
        if end + 1 >= len(doc) or doc[end].text != ",":
            return None
        pos = bisect_left([m[0] for m in raw], end + 1)
        if pos >= len(raw) or raw[pos][0] != end + 1:
            return None
        quals = []
        for c in raw[pos][5]:
            if c.feature == "country" and c.country:
                quals.append(c.country)
            elif c.feature == "admin1" and c.admin1:
                quals.append(c.admin1)
        return tuple(quals) or None

    def _choose(self, key: str, label: str, cands: list[Candidate], evidence: list[tuple],
                qual: tuple[str, ...] | None) -> Candidate | None:
        """The best candidate for a mention given the document context."""
        if not cands:
            return None
        # a city named like its own province is the city ("Tehran", "Gaza", "Kyiv"; "New York",
        # another name of a big city of the region); a national capital is meant rather than a
        # region of the same name elsewhere in its country ("Washington"), unless a place in the
        # region is named or the name is qualified
        cities = {(c.admin1, key) for c in cands if c.feature in ("city", "capital") and c.admin1
                  and (normalize(c.name) == key or c.population >= _SCAN_MIN_POP)}
        capitals = {c.country for c in cands if c.feature == "capital" and not c.alias}
        named_regions = {e[3] for e in evidence if e[3] and e[0] != key}
        pool = [c for c in cands if not (
            c.feature in ("admin1", "admin2") and ((c.admin1, key) in cities or (
                c.country in capitals and not qual and c.admin1 not in named_regions)))] or cands
        if self.gaz.curated(key):
            # a name from the curated supplement means the supplement's feature
            pool = [c for c in pool if c.feature not in _GAZ_FEATURES or c.geonameid is None] or pool
        if qual and not any(c.feature in ("country", "admin1") and not c.alias for c in pool):
            q = [c for c in pool if not c.alias and (c.country in qual or (c.admin1 and c.admin1 in qual))]
            pool = q or pool
        else:
            qual = None
        countries: Counter[str] = Counter()
        subs: Counter[str] = Counter()
        admins: Counter[str] = Counter()  # admin-1 regions with a place named in them
        named: Counter[str] = Counter()  # admin-1 regions named themselves ("Texas")
        for k, iso, kind, admin in evidence:
            if k == key:
                continue
            if kind == "country":
                countries[iso] += 1
            else:
                subs[iso] += 1
                if admin:
                    admins[admin] += 1
                    if kind == "admin":
                        named[admin] += 1
        # a name shared by several towns of one country, none of them dominant, needs its
        # region to point at one of them: a US story's unqualified "Geneva" is the Swiss city,
        # not one of the American ones (but "San Jose" is the big Californian city)
        by_country: dict[str, list[Candidate]] = {}
        for c in pool:
            if c.feature in ("city", "capital") and c.country and c.lat is not None:
                by_country.setdefault(c.country, []).append(c)
        crowded: set[str] = set()
        for iso, cs in by_country.items():
            cs.sort(key=lambda c: -c.population)
            far = [c for c in cs[1:] if abs(cs[0].lat - c.lat) > 0.5 or abs(cs[0].lon - c.lon) > 0.5]
            if far and far[0].population * 10 > cs[0].population:
                crowded.add(iso)
        has_country = any(c.feature == "country" for c in pool)
        best, best_score = None, -math.inf
        for c in pool:
            s = _base(c, label)
            if c.country and not (c.country in crowded and c.feature in ("city", "capital")
                                  and not (c.admin1 and (named[c.admin1] or admins[c.admin1]))):
                if c.feature == "admin1":
                    # sub-national evidence; a named country only when no country competes
                    # ("Georgia" with "U.S." named stays the country; "Ontario" with "Canada"
                    # named is the province, not the Californian city)
                    if subs[c.country] or (countries[c.country] and not has_country):
                        s += 2.5
                elif c.feature != "country" and countries[c.country]:
                    s += 2.5
                if subs[c.country] and c.feature != "country":
                    s += 1.0
                if c.admin1 and (named if c.feature in ("city", "capital") else admins)[c.admin1]:
                    s += 2.0
            if s > best_score:
                best, best_score = c, s
        # a minor subdivision (no population data, or under a million people in its towns) of
        # a country the document never names, while it names others, is a misreading ("the
        # Midlands" in a British story is not the Zimbabwean province)
        if best is not None and best.feature in ("admin1", "admin2") and best.population < _MINOR_REGION \
                and countries and not countries[best.country] and not subs[best.country] \
                and not self.gaz.curated(key):
            return None
        # likewise a village or small town (under 10,000) of a country the document never names
        # while it names others: mostly a person or a word ("Belt and Road", "Leland")
        if best is not None and best.feature == "city" and best.population < _SMALL_TOWN \
                and countries and not countries[best.country] and not subs[best.country] \
                and not qual and not self.gaz.curated(key):
            return None
        # context may favour a small namesake, but not over a far bigger capital elsewhere
        # (a US story's "Paris" is still the French capital unless Texas is named)
        if best is not None and not qual and not (best.admin1 and named[best.admin1]):
            for c in pool:
                if c.feature == "capital" and c.population > 50 * max(best.population, 1) \
                        and not countries[c.country] and best.feature in ("city", "capital"):
                    return c
        return best


def _naming_context(doc: "Doc", start: int, end: int) -> bool:
    """True when tokens [start, end) are named as a place by their context: "the town of X",
    "the X peninsula", "X province", "the capital, X"."""
    if start >= 2 and doc[start - 1].lower_ == "of":
        head = doc[start - 1].head
        if head.i < start - 1 and head.lemma_.lower() in _NAMING_NOUNS:
            return True
    last = doc[end - 1]
    head = last.head
    if last.dep_ in ("compound", "appos") and head.i != last.i \
            and head.lemma_.lower() in _NAMING_NOUNS and not head.text[:1].isupper():
        return True
    if end < len(doc) and doc[end].lemma_.lower() in _NAMING_NOUNS and doc[end].is_lower \
            and doc[end].lemma_.lower() not in ("state", "base", "area", "border", "camp"):
        return True
    return False


#: capitalised head nouns of a facility's name ("the Europe Bridge", "Africa Hall")
_FACILITY_HEADS = {"bridge", "hall", "street", "square", "avenue", "road", "boulevard", "highway",
                   "motorway", "tunnel", "dam", "stadium", "arena", "park", "hotel", "tower", "towers",
                   "palace", "gate", "station", "airport", "building", "plaza", "center", "centre",
                   "market", "mosque", "church", "cathedral", "monument", "memorial", "camp"}


def _facility_end(doc: "Doc", end: int) -> int | None:
    """The end of a facility name continuing a place name at token ``end`` ("Europe| Bridge",
    "Asia| Trade Center"): up to three capitalised words, the last a facility noun; else None."""
    for j in range(end, min(end + 3, len(doc))):
        tok = doc[j]
        if not tok.is_title:
            return None
        if tok.lower_ in _FACILITY_HEADS:
            return j + 1
    return None


#: Arabic articles written in lower case before a capitalised name ("al-Bab", "el-Arish")
_ARTICLES = {"al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "az"}


def _article_name(doc: "Doc", i: int, end: int) -> bool:
    """True when tokens from ``i`` are a lower-case Arabic article, a hyphen and a capitalised
    name ("al-Bab"): a name, although it does not start with a capital."""
    return i + 2 < end and doc[i].lower_ in _ARTICLES and doc[i].is_lower \
        and doc[i + 1].text == "-" and doc[i + 2].text[:1].isupper()


def _abbreviation(text: str) -> bool:
    """True for an abbreviation in capitals: "UK", "U.K.", "EU", "UAE" (not "GAZA", "ROME")."""
    letters = text.replace(".", "")
    return letters.isalpha() and letters.isupper() and (len(letters) <= 3 or "." in text)


def _first_name_before(doc: "Doc", start: int, end: int, gaz: Gazetteer) -> bool:
    """True when the entity [start, end) follows a capitalised proper noun outside any entity
    that modifies it and is no place name with it ("Kenzo| Oshima"): a person's name."""
    if start == 0:
        return False
    prev = doc[start - 1]
    return prev.pos_ == "PROPN" and prev.is_title and prev.dep_ == "compound" \
        and start <= prev.head.i < end and not prev.ent_type_ and prev.lower_ not in _SCAN_STOP \
        and not gaz.demonym(prev.text) and not gaz.has(normalize(doc[start - 1:end].text))


def _strong(c: Candidate, entity: bool = False) -> bool:
    """Entries reliable enough to match a capitalised word outside a named entity: not by an
    alternate name of a city, not even a capital's ("Soul" is also a name of Seoul), except in a
    name entity placed by its context (``entity``: "shut down Khatmandu" tagged ORG)."""
    if c.feature == "country" or c.feature not in _GAZ_FEATURES:
        return True
    if c.feature == "admin1":
        # not a small municipality listed as a first-level subdivision ("Bar", Montenegro)
        return not 0 < c.population < _SCAN_MIN_POP
    if c.feature == "capital":
        return entity or not c.alias
    return c.feature == "city" and not c.alias and c.population >= _SCAN_MIN_POP


def _base(c: Candidate, label: str) -> float:
    """Context-free score of a candidate: population, feature type, own name vs alias."""
    f = c.feature
    # a subdivision not matched to geonames has no population: counted as a small town's
    # (a British county with "Britain" named beats an American village of the same name)
    s = math.log10(c.population + 1) if c.population or f not in ("admin1", "admin2") else 4.0
    if f == "country":
        s += 3.0
    elif f in ("capital", "admin1"):
        s += 1.0
    elif f not in _GAZ_FEATURES:  # curated supplement row
        s += 6.0
        if label == "LOC":
            s += 0.5
    if c.alias and f in ("city", "admin1", "admin2"):
        s -= 1.0
    return s


def _to_place(c: Candidate) -> Place:
    return Place(name=c.name, country=c.country, lat=c.lat, lon=c.lon, geonameid=c.geonameid)


class DocumentPlaces:
    """The resolved place mentions of one document, and where its events happened."""

    def __init__(self, doc: "Doc", mentions: list[PlaceMention], gazetteer: Gazetteer):
        """Index ``mentions`` of ``doc``; built by :meth:`PlaceResolver.document`."""
        self.doc = doc
        self.mentions = mentions
        self.gaz = gazetteer
        self._by_token: dict[int, PlaceMention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self._by_token[i] = m
        self._visits: list[tuple[int, Place]] | None = None
        self._main: list[str | None] | None = None

    def _main_country(self) -> str | None:
        """The country the document is mostly about: the most mentioned country (place mentions
        and demonyms), when no other is mentioned as often."""
        if self._main is None:
            counts: Counter[str] = Counter()
            for m in self.mentions:
                if m.place.country:
                    counts[m.place.country] += 1
            for ent in self.doc.ents:
                if ent.label_ == "NORP":
                    iso = self.gaz.demonym(ent.text)
                    if iso:
                        counts[iso] += 1
            top = counts.most_common(2)
            self._main = [top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None]
        return self._main[0]

    def at(self, token_i: int) -> Place | None:
        """The place the token ``token_i`` is part of ("Baku" in "Baku demanded"), or None."""
        m = self._by_token.get(token_i)
        return m.place if m else None

    # ------------------------------------------------------------------ locating
    def locate(self, pred: "Token") -> Place | None:
        """Where the event of predicate ``pred`` happened, or None when the text does not say.

        In order: a locative prepositional phrase on the predicate (or on its event noun object),
        the object of a visit-like verb, a "where" clause whose head is a place, the narrative
        ("during his visit", "there", "while in" after a travel), then the governing clause of a
        participial / coordinated / adverbial clause without a subject of its own.
        """
        place = self._direct(pred) or self._where(pred) or self._narrative(pred) \
            or self._same_event(pred)
        if place is not None:
            return place
        if pred.dep_ not in _INHERIT_DEPS or pred.head is pred \
                or any(c.dep_ in ("nsubj", "nsubjpass") for c in pred.children):
            return self._actor(pred)
        head = pred.head  # one step up only: "stormed into X, killing ..." -> X
        return self._direct(head) or self._where(head) or self._narrative(head) \
            or self._actor(head)

    def _direct(self, pred: "Token") -> Place | None:
        """A place stated on the predicate itself."""
        lemma = pred.lemma_.lower()
        source = None
        for child in pred.children:
            dep = child.dep_
            if dep in ("prep", "dative") and child.lower_ in _LEAVE_PREPS and lemma in _LEAVE_VERBS:
                # the place left: "withdrew from the town of X", "shipped out of X"
                if source is None:
                    prep = child
                    if child.lower_ == "out":
                        prep = next((g for g in child.children if g.dep_ == "prep"
                                     and g.lower_ == "of"), child)
                    source = self._pobj_place(prep, 0)
                continue
            if dep in ("prep", "dative"):
                p = child.lower_
                if p in _LOC_PREPS or (p in _MOTION_PREPS and lemma in _MOTION_VERBS) \
                        or (p in _ATTACK_PREPS and lemma in _ATTACK_VERBS):
                    place = self._pobj_place(child, 0)
                    if place is not None:
                        return place
                elif p == "during":
                    place = self._pobj_place(child, 0, visit_only=True)
                    if place is not None:
                        return place
                elif p == "on" and any(o.dep_ == "pobj" and o.lemma_.lower() in _GEO_NOUNS
                                       for o in child.children):
                    # "on the Jaffna peninsula", "on the outskirts of X"
                    place = self._pobj_place(child, 0)
                    if place is not None:
                        return place
                elif p in _THROUGH_PREPS or p in ("as", "to", "under"):
                    # "used as hostages in the frontline districts of X", "met with rebels in X",
                    # "called on the parties to the conflict in X", "put under investigation in X"
                    for obj in child.children:
                        if obj.dep_ == "pobj" and obj.i not in self._by_token:
                            place = self._noun_preps(obj, 1)
                            if place is not None:
                                return place
                elif p in _TOPIC_PREPS:
                    # "talks on the construction of the bridge across the Aras": only a place
                    # located inside the topic phrase, never the topic itself ("sanctions on Iran")
                    for obj in child.children:
                        if obj.dep_ == "pobj" and obj.i not in self._by_token:
                            place = self._noun_preps(obj, 1)
                            if place is not None:
                                return place
            elif dep == "dobj":
                if lemma in _LEAVE_VERBS and source is None:
                    # "withdrew its troops from the town of X"
                    for g in child.children:
                        if g.dep_ == "prep" and g.lower_ == "from":
                            source = self._pobj_place(g, 0)
                            break
                if lemma in _VISIT_VERBS:
                    place = self._noun_place(child, 0)
                    if place is not None:
                        return place
                else:
                    # a locative phrase on the object: "fired shells at targets in Jericho",
                    # "held talks with rebels in Sanaa"
                    place = self._noun_preps(child, 0, through=True)
                    if place is not None:
                        return place
        if source is not None:
            return source
        # the event noun that is the subject: "a blast outside the village of Tal Afar wounded ..."
        for child in pred.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in _EVENT_NOUNS:
                place = self._noun_preps(child, 0)
                if place is not None:
                    return place
        return None

    def _pobj_place(self, prep: "Token", depth: int, visit_only: bool = False) -> Place | None:
        for obj in prep.children:
            if obj.dep_ in ("pobj", "pcomp"):
                if visit_only:
                    if obj.lemma_.lower() in _VISIT_NOUNS:
                        return self._noun_preps(obj, depth + 1)
                    return None
                place = self._noun_place(obj, depth + 1)
                if place is not None:
                    return place
        return None

    def _noun_place(self, noun: "Token", depth: int) -> Place | None:
        """The place a noun phrase names: the noun itself, or a place located by its own PPs."""
        m = self._by_token.get(noun.i)
        if m is not None:
            return m.place
        lemma = noun.lemma_.lower()
        if lemma in _BLOCK_NOUNS:
            return None
        if lemma == "capital":
            if all(c.dep_ in ("det", "prep", "punct", "case") and c.lower_ != "of"
                   for c in noun.children) and any(c.lower_ == "the" for c in noun.children):
                # "in the capital" in a story about one country: that country's capital
                iso = self._main_country()
                cap = self.gaz.capital(iso) if iso else None
                if cap is not None:
                    return _to_place(cap)
            for c in noun.children:
                if c.dep_ in ("appos",):
                    mm = self._by_token.get(c.i)
                    if mm is not None:
                        return mm.place
                if c.dep_ in ("poss", "amod", "compound"):
                    mm = self._by_token.get(c.i)
                    iso = mm.place.country if mm is not None and mm.feature == "country" \
                        else (self.gaz.demonym(c.text) if c.dep_ == "amod" else None)
                    if iso:
                        cap = self.gaz.capital(iso)
                        if cap is not None:
                            return _to_place(cap)
        for c in noun.children:
            if c.dep_ == "compound":
                mm = self._by_token.get(c.i)
                if mm is not None and mm.feature != "country":
                    return mm.place
        return self._noun_preps(noun, depth, through=lemma in _EVENT_NOUNS)

    def _noun_preps(self, noun: "Token", depth: int, through: bool = False) -> Place | None:
        """A place attached to ``noun`` by a locative PP, following "of" chains (and with
        ``through``, "with/between/against/for" chains too)."""
        if depth >= _MAX_DEPTH:
            return None
        geo = noun.lemma_.lower() in _GEO_NOUNS
        for c in noun.children:
            if c.dep_ != "prep":
                continue
            p = c.lower_
            if p in _LOC_PREPS or p in _MOTION_PREPS or (p == "of" and geo) \
                    or (p == "with" and noun.lemma_.lower() in _BORDER_NOUNS) \
                    or (p == "on" and any(o.dep_ == "pobj" and o.lemma_.lower() in _GEO_NOUNS
                                          for o in c.children)):
                place = self._pobj_place(c, depth)
                if place is not None:
                    return place
        chain = _THROUGH_PREPS if through else ("of",)
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in chain:
                for obj in c.children:
                    if obj.dep_ == "pobj" and obj.i not in self._by_token \
                            and obj.lemma_.lower() not in _BLOCK_NOUNS:
                        place = self._noun_preps(obj, depth + 1, through)
                        if place is not None:
                            return place
        # an event told by its own relative clause: "organized a strike that shut down X"
        if noun.lemma_.lower() in _EVENT_NOUNS:
            for c in noun.children:
                if c.dep_ == "relcl" and c.pos_ == "VERB":
                    place = self._direct(c)
                    if place is not None:
                        return place
        # an appositive is the same thing: "denounced as a crime the suppression of unrest in X"
        for c in noun.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i not in self._by_token:
                place = self._noun_preps(c, depth + 1, through)
                if place is not None:
                    return place
        return None

    def _same_event(self, pred: "Token") -> Place | None:
        """A clause below the predicate that tells how the event happened: "three people were
        killed when a bomb exploded in Kabul" -> Kabul; a subjectless xcomp or coordinated verb
        ("agreed to hold talks in Geneva")."""
        for c in pred.children:
            if c.dep_ in ("xcomp", "conj") and c.pos_ in ("VERB", "AUX") and not any(
                    g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                # "agreed to hold talks in Geneva", "attacked and burned a village in X"
                place = self._direct(c)
                if place is not None:
                    return place
            elif c.dep_ == "advcl" and c.i > pred.i and any(
                    g.lower_ in _SAME_EVENT_MARKS and g.dep_ in ("advmod", "mark") and g.i < c.i
                    for g in c.children):
                place = self._direct(c)
                if place is not None:
                    return place
        return None

    def _actor(self, pred: "Token") -> Place | None:
        """The place of the subject actor: "police in Hebron seized ..." -> Hebron; last, a
        place in a clause on the subject ("the aid agency working in Yemen said ...")."""
        subjects = [c for c in pred.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subj in subjects:
            if subj.i in self._by_token:
                continue
            place = self._noun_preps(subj, 1)
            if place is not None:
                return place
        for subj in subjects:
            if subj.pos_ == "VERB":
                clauses = [subj]
            else:
                # the subject, or the group of a partitive subject ("one third of the guerrillas
                # operating in X", "hundreds of refugees living in X")
                nouns = [subj] + [o for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"
                                  for o in c.children if o.dep_ == "pobj"]
                clauses = [c for n in nouns for c in n.children if c.dep_ in ("acl", "relcl")]
            for cl in clauses:
                for c in cl.children:
                    if c.dep_ == "prep" and c.lower_ in _LOC_PREPS:
                        place = self._pobj_place(c, 1)
                        if place is not None:
                            return place
        return None

    def _where(self, pred: "Token") -> Place | None:
        """A "where" clause: "traveled to Baku, where he met X" -> Baku."""
        if not any(c.lower_ == "where" and c.dep_ == "advmod" for c in pred.children):
            return None
        head = pred.head
        if head is pred or pred.dep_ not in ("relcl", "advcl", "conj", "ccomp"):
            return None
        m = self._by_token.get(head.i)
        if m is not None:
            return m.place
        if head.pos_ in ("NOUN", "PROPN"):
            return self._noun_place(head, 0)
        return None

    # ------------------------------------------------------------------ narrative
    def _narrative(self, pred: "Token") -> Place | None:
        """The place of the last travel before ``pred`` when ``pred`` refers back to it."""
        cue = False
        for c in pred.children:
            low = c.lower_
            if c.dep_ == "advmod" and low == "there":
                cue = True
            elif c.dep_ == "prep" and low == "during":
                cue = any(o.dep_ == "pobj" and o.lemma_.lower() in _VISIT_NOUNS
                          and not any(g.dep_ == "prep" for g in o.children) for o in c.children)
            elif c.dep_ == "prep" and low == "in" and c.i > 0 and c.doc[c.i - 1].lower_ == "while":
                cue = True
            elif c.dep_ in ("advcl", "mark") and low == "while":
                cue = any(g.lower_ in ("there", "in") for g in c.children)
            if cue:
                break
        if not cue:
            return None
        visits = self._travels()
        pos = bisect_left([v[0] for v in visits], pred.i)
        return visits[pos - 1][1] if pos else None

    def _travels(self) -> list[tuple[int, Place]]:
        """(token index, place) of every asserted travel / visit verb with a stated place."""
        if self._visits is None:
            visits = []
            for tok in self.doc:
                if tok.pos_ != "VERB" or tok.lemma_.lower() not in _TRAVEL_VERBS:
                    continue
                if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in tok.children):
                    continue
                if any(c.dep_ == "neg" for c in tok.children):
                    continue
                place = self._direct(tok)
                if place is not None:
                    visits.append((tok.i, place))
            self._visits = visits
        return self._visits
