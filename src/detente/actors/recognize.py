"""Actor recognition in a parsed document: countries, seats of government, organisations,
titled officials (with coreference by surname and pronoun), sector groups and dictionary actors.

    rec = ActorRecognizer.load(dictionaries=["Phoenix.Countries.actors.txt"])
    actors = rec.find(doc, date="2024-05-01")
    actors.at(token.i)               # -> the Mention covering a token, or None
"""
from __future__ import annotations

import os
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Sequence

from detente.actors.dictionaries import split_code
from detente.actors.lexicon import Entry, Lexicon, load_lexicon, norm
from detente.coding.lexicon import word_class
from detente.words import word_class as word_class_of
from detente.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["ActorRecognizer", "DocumentActors", "PERSON_PRONOUNS", "PRONOUN_LOOK_BACK", "THING_PRONOUNS"]

#: pronouns that stand for a person named before (:meth:`_Finder.pronoun_person`)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her"})
#: pronouns that may stand for a country or an organisation
THING_PRONOUNS = frozenset({"it", "its", "they", "their"})
#: how many sentences back a person pronoun looks for the person it stands for (the
#: selective parser, detente.parse, parses that far back too)
PRONOUN_LOOK_BACK = 3
_PRONOUNS = PERSON_PRONOUNS
_POSS_COUNTRY = {"its", "their"}
_THING_PRONOUNS = THING_PRONOUNS
_POSS_MARKS = {"'s", "'"}  # compared with norm()ed tokens, so curly apostrophes count too
_COUNTRY_NOUNS = {"country", "nation", "state", "republic", "kingdom", "government"}
_CONNECT = {"of", "on", "for", "and", "-", "&"}
_LOC_PREPS = {"in", "at", "near", "to", "into", "from", "across", "inside", "outside", "throughout", "toward", "towards"}
_GROUP_PREPS = {"in", "of", "from", "for"}
# the two US parties' words before an office ("Democratic Sen. X", "GOP Rep. Y")
_US_PARTY_WORDS = frozenset({"Democratic", "Democrat", "Republican", "GOP"})
_JUNIOR = {"jr", "jr.", "junior"}
_NAME_PARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "abu", "abd", "bin", "ibn"}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "madam", "mister"}
_FORMER = {"former", "ex", "ex-", "ousted", "deposed", "late", "then"}
_PEOPLE_PREPS = {"in", "of", "from"}
# prepositions after an apposed title that name whom its holder serves ("spokesman for", "adviser to")
_SERVED_PREPS = {"of", "to", "for"}
# dependents that open a clause or a second description inside a noun phrase
_CLAUSE_DEPS = {"relcl", "acl", "appos", "advcl", "ccomp", "conj", "cc", "punct", "parataxis"}
# Titles naming the other side of a relation: "Putin's counterpart" is not Russian.
_RELATIVE_TITLES = {"counterpart", "counterparts"}
# Words tying a group to another actor: "fighters loyal to", "workers affiliated with".
_AFFILIATED = {"loyal", "affiliated", "linked", "allied", "tied", "aligned", "belonging", "attached"}
# "the Russian-occupied Crimea", "Kurdish-held areas": the adjective names the holder, not the place.
_HELD = {"occupied", "held", "controlled", "administered", "annexed", "run", "dominated", "led"}
# Collective nouns whose country adjective places a group in them ("members of Kenyan unions").
_COLLECTIVE_POBJ = {"group", "groups", "organization", "organizations", "organisation", "organisations",
                    "union", "unions", "charity", "charities", "agency", "agencies", "team", "teams",
                    "company", "companies", "firm", "firms", "association", "associations", "party",
                    "parties", "community", "communities", "village", "villages", "town", "towns", "city"}
# nationality plurals that name citizens whatever their origin ("Turkish Cypriots", "Arab Israelis")
_CITIZENSHIP = {"cypriots", "israelis", "americans", "canadians", "australians", "britons", "belgians",
                "swiss", "lebanese", "bosnians", "iraqis", "syrians"}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "madam", "madame", "monsieur", "herr",
               "frau", "comrade", "prof", "president", "premier", "chancellor", "senator", "sheikh", "sheik",
               "prince", "king", "queen", "emir", "sultan", "ayatollah", "mullah", "general", "marshal"}
_NAMED = {"country", "seat", "org", "actor"}
_SKIP_IN_ENTS = {"PERSON", "FAC", "WORK_OF_ART", "PRODUCT"}
# heads that take the actor of their of-phrase ("thousands of", "a group of", "members of")
_QUANTITY = {"thousands", "hundreds", "dozens", "scores", "millions", "tens", "hundred", "thousand", "dozen",
             "group", "groups", "members", "member", "number", "crowd", "crowds", "band", "bands", "handful",
             "majority", "minority", "some", "many", "several", "most", "all", "few", "none", "one", "two",
             "three", "four", "five", "ten", "team", "teams", "contingent", "unit", "units", "busloads"}


_MONTH_WORDS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                "january", "february", "march", "april", "june", "july", "august", "september", "october",
                "november", "december"}


def _dateline(doc: "Doc", start: int, end: int) -> bool:
    """A place opening a paragraph as a news dateline: "MOSCOW, March 15. /TASS/.", "BRUSSELS
    (AP) -", "Kinshasa, Nov 20 (Reuters) -"."""
    if start > 0 and "\n" not in doc[start - 1].text_with_ws and not doc[start - 1].is_space:
        return False
    if end >= len(doc):
        return False
    nxt = doc[end]
    upper = all(t.is_upper or not t.is_alpha for t in doc[start:end])
    if upper and nxt.text in (",", "(", "-", "\u2014", "\u2013"):
        return True
    return nxt.text == "," and end + 1 < len(doc) and doc[end + 1].lower_.rstrip(".") in _MONTH_WORDS


def _headline_case(doc: "Doc", i: int) -> bool:
    """Token ``i`` is in a headline: a line (or sentence) without a closing full stop, set in
    title case ("Envoy Slams Donald Trump's Claims"): most of its longer words capitalised."""
    sent = doc[i].sent
    lo, hi = i, i
    while lo > sent.start and "\n" not in doc[lo - 1].text_with_ws:
        lo -= 1
    while hi < sent.end - 1 and "\n" not in doc[hi].text_with_ws:
        hi += 1
    last = next((t for t in reversed(doc[lo:hi + 1]) if not t.is_space), None)
    if last is None or last.text in (".", "!", "?", '"', "\u201d", "'"):
        return False  # a headline ends without a full stop
    words = [t for t in doc[lo:hi + 1] if t.is_alpha and len(t.text) > 3]
    if len(words) < 3:
        return False
    return sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    entry: Entry
    used: bool = False


_OPEN_QUOTES = frozenset(["\u201c", "``"])
_CLOSE_QUOTES = frozenset(["\u201d", "''"])


def _quoted_tokens(doc: "Doc") -> list[bool]:
    """For each token, whether it stands inside quotation marks of its sentence (straight
    quotes alternate open and close; an unclosed quote runs to the sentence's end)."""
    out = [False] * len(doc)
    for s in doc.sents:
        inside = False
        for t in s:
            if t.text in _OPEN_QUOTES:
                inside = True
            elif t.text in _CLOSE_QUOTES:
                inside = False
            elif t.text == '"':
                inside = not inside
            else:
                out[t.i] = inside
    return out


def _code(country: str | None, sector: str | None, role: str | None = None) -> str | None:
    if role and role.endswith("~") and not role.startswith("~"):
        return role[:-1] + (country or "")
    suffix = role.replace("~", "") if role else (sector or "")
    return f"{country or ''}{suffix}" or None


class DocumentActors:
    """The actor mentions of one document, with lookups for the event coder."""

    def __init__(self, doc: "Doc", mentions: list[Mention], dated: dict[tuple[int, int], Entry]):
        self.doc = doc
        self.mentions: list[Mention] = mentions
        self._starts = [m.start for m in mentions]
        self._dated = dated

    def at(self, token_i: int) -> Mention | None:
        """The mention whose span contains token ``token_i``, or None."""
        k = bisect_right(self._starts, token_i) - 1
        if k >= 0 and self.mentions[k].start <= token_i < self.mentions[k].end:
            return self.mentions[k]
        return None

    def resolve(self, mention: Mention, date: str | None) -> Actor:
        """The mention's actor with date-limited dictionary codes resolved at ``date``."""
        entry = self._dated.get((mention.start, mention.end))
        if entry is None or not date:
            return mention.actor
        code = entry.code_at(date)
        if code == mention.actor.code:
            return mention.actor
        country, sector = split_code(code)
        return replace(mention.actor, code=code, country=country, sector=sector)


class ActorRecognizer:
    """Finds actor mentions in parsed documents using the lexicon (built-in + dictionaries)."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    @classmethod
    def load(cls, dictionaries: Sequence[str | os.PathLike] = ()) -> "ActorRecognizer":
        """Load the built-in lexicon plus user dictionary files (CSV, YAML, PETRARCH)."""
        return cls(load_lexicon(dictionaries))

    # ------------------------------------------------------------------ matching
    def _raw_matches(self, doc: "Doc", low: list[str]) -> list[_Raw]:
        lex = self.lexicon
        raws: list[_Raw] = []
        n = len(low)
        i = 0
        shadowed: set[int] = set()  # dictionary people whose surname belongs to another person here
        while i < n:
            m = lex.match(low, i) if low[i] in lex.first else None
            if m is not None:
                L, e = m
                if e.kind in ("actor", "org") and e.name:
                    full = e.name.lower().split()
                    if self._inside_other_name(doc, i, L):
                        shadowed.add(id(e))  # "Abdel Hamid al-Sarraj" is not Fayez al-Sarraj ...
                    elif id(e) in shadowed and [t.lower() for t in doc[i:i + L].text.split()] != full:
                        i += L  # ... and neither is the "al-Sarraj" after him
                        continue
                if self._accept(doc, i, L, e):
                    raws.append(_Raw(i, i + L, e))
                    i += L
                    continue
            i += 1
        return raws

    def _owner_of_next(self, doc: "Doc", i: int, L: int) -> bool:
        """A country starting an entity ("the"/nothing before it) and followed, within two
        words, by a group noun of the same entity: "the [Chinese Embassy]", "[Iraqi Army]",
        "the [Latvian Constitutional Court]"."""
        k = i - 1
        while k >= 0 and doc[k + 1].ent_iob_ == "I":
            if doc[k].lower_ != "the":
                return False
            k -= 1
        for j in range(i + L, min(i + L + 3, len(doc))):  # "the [Latvian Constitutional Court]"
            if doc[j].ent_iob_ != "I":
                return False
            m = self.lexicon.match([norm(t.text) for t in doc[j:j + 4]], 0)
            if m is not None and m[1].kind in ("sector", "title"):
                return True
        return False

    def _accept(self, doc: "Doc", i: int, L: int, e: Entry) -> bool:
        if e.case == "cap":
            t = doc[i]
            if not (t.text[:1].isupper() or t.is_upper):
                return False
        elif e.case == "upper":
            if not all(t.is_upper or not t.is_alpha for t in doc[i:i + L]):
                return False
            if self._among_capitals(doc, i, i + L):
                return False  # "WHO WILL PAY FOR IT?" on a placard: a word, not the WHO
        if e.kind in ("actor", "org") and self._inside_other_name(doc, i, L):
            return False
        if e.kind == "country" and i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].lower_ in word_class("region_words") \
                and (doc[i].ent_type_ == "NORP" or doc[i].tag_ == "JJ"):
            return False  # "Latin American", "Central American": a region's adjective ("South Lebanon" is a place)
        if e.kind in ("country", "seat"):
            t = doc[i]
            if t.ent_type_ in _SKIP_IN_ENTS or t.ent_type_ == "ORG":
                # inside a longer entity of another kind ("Jordan Peterson", "Bank of America")
                outside = []
                k = i
                while k > 0 and doc[k].ent_iob_ == "I":
                    k -= 1
                    outside.append(doc[k])
                k = i + L
                while k < len(doc) and doc[k].ent_iob_ == "I":
                    outside.append(doc[k])
                    k += 1
                if any(o.is_alpha and o.lower_ != "the" for o in outside):
                    if self._all_peoples(doc, i):
                        return True  # "Croatian Serbs", "Turkish Cypriots" tagged PERSON/ORG
                    if self._owner_of_next(doc, i, L):
                        return True  # "the Azerbaijani Embassy" tagged FAC: the country owns it
                    if t.ent_type_ != "ORG" or doc[i].ent_iob_ == "I":
                        return False
        return True

    @staticmethod
    def _among_capitals(doc: "Doc", start: int, end: int) -> bool:
        """Tokens ``start:end`` are part of a run of words set all in capitals (a shouted quote,
        a banner) with at least two other words in it: there an acronym ("IS", "WHO", "UN")
        cannot be told from the word it spells. Anything but a word in capitals (a comma, a
        word in lower case) ends the run."""
        sent = doc[start].sent
        k = start
        while k > sent.start and doc[k - 1].is_alpha and doc[k - 1].is_upper:
            k -= 1
        n = start - k
        k = end
        while k < sent.end and doc[k].is_alpha and doc[k].is_upper:
            k += 1
        return n + k - end >= 2

    def _all_peoples(self, doc: "Doc", i: int) -> bool:
        """Whether token ``i``'s entity is only country names/adjectives and peoples
        ("Croatian Serbs", "Kosovo Albanians"), ending in a plural."""
        s = i
        while s > 0 and doc[s].ent_iob_ == "I":
            s -= 1
        e = i + 1
        while e < len(doc) and doc[e].ent_iob_ == "I":
            e += 1
        if doc[e - 1].tag_ not in ("NNS", "NNPS"):
            return False
        low = [norm(t.text) for t in doc[s:e]]
        k = 1 if low[0] == "the" else 0
        n = 0
        while k < len(low):
            m = self.lexicon.match(low, k)
            if m is None or m[1].kind not in ("country", "ethnic"):
                return False
            k += m[0]
            n += 1
        return n >= 2

    def _inside_other_name(self, doc: "Doc", i: int, L: int) -> bool:
        """A dictionary name that is only the end of a longer PERSON name ("Ivanka Trump",
        "Elnur Aliyev") or has a "Jr." after it: another person. A title, country or
        honorific before it ("President Trump", "Mr Putin") is no first name."""
        j = i + L
        if j < len(doc) and doc[j].lower_ in _JUNIOR:
            return True
        if i >= 3 and doc[i - 1].text == "-" and doc[i - 2].lower_ in _NAME_PARTICLES:
            i -= 2  # "Ahmed Karim al-Sarraj": look before the particle
        if i == 0:
            return False
        p = doc[i - 1]
        if not (p.is_alpha and p.text[:1].isupper()) or p.lower_ in _HONORIFICS or p.lower_ in ("the", "a", "an"):
            return False
        if _headline_case(doc, i):
            return False  # "Ambassador Slams Donald Trump": every word is capitalised in a headline
        same_ent = doc[i].ent_iob_ == "I"
        first_name = p.pos_ == "PROPN" and p.dep_ == "compound" and i <= p.head.i < i + L \
            and p.ent_type_ not in ("DATE", "TIME", "GPE", "LOC", "FAC", "ORG")
        if not (same_ent or first_name):
            return False
        low = [norm(t.text) for t in doc[max(0, i - 4):i]]
        for k in range(len(low)):
            e = self.lexicon.phrases.get(tuple(low[k:]))
            if e is not None and e.kind in ("title", "sector", "country", "seat", "org"):
                return False
        return True

    # ------------------------------------------------------------------ main
    def find(self, doc: "Doc", date: str | None = None) -> DocumentActors:
        """Find the actor mentions of ``doc``; dictionary codes are resolved at ``date``."""
        return _Finder(self, doc, date).run()


class _Finder:
    """One document's recognition state (internal)."""

    def __init__(self, rec: ActorRecognizer, doc: "Doc", date: str | None):
        self.rec = rec
        self.doc = doc
        self.date = date
        self.low = [norm(t.text) for t in doc]
        self.raws = rec._raw_matches(doc, self.low)
        self.end_at: dict[int, _Raw] = {r.end: r for r in self.raws}
        self.cover: dict[int, _Raw] = {}
        for r in self.raws:
            for k in range(r.start, r.end):
                self.cover[k] = r
        self.cands: list[tuple[Mention, Entry | None]] = []
        self.persons: list[tuple[int, Actor, tuple | None, int]] = []  # (start, actor, title key, head)
        self.sent_start = [0] * len(doc)
        self.sent_index = [0] * len(doc)
        for si, s in enumerate(doc.sents):
            for k in range(s.start, s.end):
                self.sent_start[k] = s.start
                self.sent_index[k] = si
        self._owned: dict[int, str | None] | None = None
        self.quoted = _quoted_tokens(doc)
        # countries named, and those of named bodies whose code carries one (a party "IRLPTY")
        self.countries: list[tuple[int, str]] = [
            (r.start, c) for r in self.raws if r.entry.kind in _NAMED
            for c in [r.entry.country or (split_code(r.entry.code)[0] if r.entry.kind in ("org", "actor") else None)]
            if c
        ]

    # helpers
    def text(self, s: int, e: int) -> str:
        return self.doc[s:e].text

    def head(self, s: int, e: int) -> int:
        return self.doc[s:e].root.i

    def add(self, s: int, e: int, actor: Actor, kind: str, entry: Entry | None = None) -> None:
        self.cands.append((Mention(s, e, self.head(s, e), actor, kind), entry))

    def recent_country(self, i: int) -> str | None:
        best = None
        for pos, c in self.countries:
            if pos >= i:
                break
            best = c
        return best

    def recent_owner_country(self, i: int) -> str | None:
        """The country "its"/"their" refers to: the country of the nearest actor mention before
        ``i`` (a place is not an owner: "the embassy in Tehran ... its head"), else the most
        recent country mentioned."""
        best = None
        for m, _ in self.cands:
            if m.start < i and m.kind != "place" and m.actor.country and (best is None or m.start > best.start):
                best = m
        if best is not None and self.sent_index[best.start] >= self.sent_index[i] - 1:
            return best.actor.country
        return self.recent_country(i)

    def sentence_countries(self, i: int) -> set[str]:
        """The distinct countries named (as countries or seats) in token ``i``'s sentence."""
        si = self.sent_index[i]
        return {c for pos, c in self.countries if self.sent_index[pos] == si}

    def near_country(self, i: int, sector: str | None = None) -> str | None:
        """The country a titled person without one most likely serves: the most named (then
        nearest) in the sentence, else in the two before, else in the document, counting first
        only the countries named as actors (`_acted_on`). A country
        that already qualifies another group or title ("South African leader"), or is the
        object of "against", belongs to someone else and is not counted."""
        si = self.sent_index[i]
        taken = self._owned_countries(sector)
        if not self.quoted[i]:
            # countries named in quoted words are those the speaker talks about, not the speaker's
            taken = taken | {pos for pos, _ in self.countries if self.quoted[pos]}
        # a country an act is done to or a phrase places ("urged Peru to ...", "the crisis in
        # Chile", "talks on Syria") is not one served: the countries named as actors (subject,
        # owner, modifier) come first, in the same window; the rest only when there is none
        acted_on = {pos for pos, _ in self.countries if self._acted_on(pos)}
        first = self._near_country(i, si, taken | acted_on, window_only=True)
        return first or self._near_country(i, si, taken, window_only=False)

    def _acted_on(self, pos: int) -> bool:
        t = self.doc[pos]
        while t.dep_ in ("compound", "amod") and t.head.i != t.i and t.head.ent_type_ == t.ent_type_:
            t = t.head
        return t.dep_ in ("pobj", "dobj", "dative") and t.head.lower_ != "of"

    def _near_country(self, i: int, si: int, taken: set[int], window_only: bool) -> str | None:
        counts: Counter = Counter()
        nearest: dict[str, int] = {}
        same = any(self.sent_index[pos] == si and pos not in taken for pos, _ in self.countries)
        for pos, c in self.countries:
            if pos in taken:
                continue
            if (si - 2 <= self.sent_index[pos] <= si) and (not same or self.sent_index[pos] == si):
                counts[c] += 1
                nearest[c] = min(nearest.get(c, 10**9), abs(pos - i))
        if not counts:
            if window_only:
                return None
            counts.update(c for pos, c in self.countries if pos not in taken)
            if not counts:
                return None
            return counts.most_common(1)[0][0]
        return min(counts, key=lambda c: (-counts[c], nearest[c]))

    def _owned_countries(self, sector: str | None) -> set[int]:
        """Positions of countries that belong to someone else for a person of ``sector``: a
        country qualifying another title or group of the same sector (two presidents are of
        two countries; a minister and a general may serve the same one), or after "against"."""
        if self._owned is None:
            raws = self.raws
            # a generic title ("South African leader") is of any sector
            self._owned = {a.start: b.entry.sector or "*" for a, b in zip(raws, raws[1:])
                           if a.entry.kind == "country" and b.start == a.end and b.entry.kind in ("title", "sector")}
            doc = self.doc
            for r in raws:
                if r.entry.kind == "actor" and r.entry.person:
                    self._owned[r.start] = r.entry.sector  # another leader's nationality
                if r.entry.kind == "country" and r.end < len(doc) and doc[r.end].pos_ == "PROPN" \
                        and doc[r.end].is_title and r.end not in self.cover \
                        and doc[r.end].ent_type_ not in ("ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"):
                    self._owned[r.start] = "*"  # "Vietnamese Doan Thi Huong": that person's nationality
                if r.start > 0 and self.low[r.start - 1] == "against":
                    self._owned[r.start] = "*"
        same = {"GOV", "ELI"} if sector in ("GOV", "ELI") else {sector}  # an office-holder is either
        return {pos for pos, sec in self._owned.items() if sec == "*" or sec in same}

    # ------------------------------------------------------------------ persons
    def _title_left(self, ps: int):
        doc = self.doc
        lo = self.sent_start[ps]
        j = ps - 1
        if j >= lo and doc[j].text == ",":
            j -= 1
        title = country = org = located = located_org = None
        start = ps
        steps = 0
        while j >= lo and steps < 12:
            r = self.end_at.get(j + 1)
            tok = doc[j]
            if r is not None and r.start >= lo:
                k = r.entry.kind
                if k in ("title", "sector"):
                    if title is None and k == "title":
                        title = r
                    if k == "title" or title is not None:
                        start = r.start
                    j = r.start - 1
                    steps += 1
                    continue
                if k in ("country", "seat"):
                    p = r.start - 1
                    if p > lo and self.low[p] == "the":
                        p -= 1  # "envoy in the Hashemite Kingdom"
                    t2 = self.end_at.get(p)
                    if title is None and p > lo and self.low[p] in ("in", "to", "at") and t2 is not None \
                            and t2.entry.kind == "title" and t2.start >= lo:
                        # "Azerbaijan's ambassador in Tehran, X": the place is not the owner
                        located = located or r.entry.country
                        j = p - 1
                        steps += 1
                        continue
                    country = country or r.entry.country
                    start = r.start
                    if title is not None:
                        break
                    j = r.start - 1
                    steps += 1
                    continue
                if k in ("org", "actor"):
                    if any(self.low[x] in ("and", "&", "or") for x in range(r.end, ps)):
                        break  # "Putin and Erdogan": two actors, not an office before a name
                    if title is None and r.end < ps and doc[r.end].text == "," \
                            and self._adverbial_phrase(doc[self.head(r.start, r.end)]):
                        # "in an interview with the BBC, X said": the body ends a phrase of the
                        # verb, not an office ("a director at Amnesty, X" keeps it)
                        break
                    p = r.start - 1
                    if p > lo and self.low[p] == "the":
                        p -= 1
                    t2 = self.end_at.get(p)
                    if title is None and p > lo and self.low[p] in ("to", "at") and t2 is not None \
                            and t2.entry.kind == "title" and t2.start >= lo:
                        # "Norway's envoy to the UN X": the body the office is accredited to
                        # serves only when nothing names the office's own country
                        located_org = located_org or r
                        j = p - 1
                        steps += 1
                        continue
                    org = org or r
                    start = r.start
                    if title is None and r.end >= ps - 1 and r.entry.sector:
                        title = r  # a dictionary office ("US Secretary of State") before the name
                    break
            if self.low[j] in _POSS_MARKS and j - 1 >= lo:
                r2 = self.end_at.get(j)
                if r2 is not None and r2.entry.kind in _NAMED:
                    if r2.entry.kind in ("org", "actor") and not r2.entry.country:
                        org = org or r2
                    else:
                        country = country or r2.entry.country
                    start = r2.start
                    break
                if r2 is not None and r2.entry.kind == "title" and r2.start - 1 >= lo:
                    # "the Chilean president's envoy to Bolivia, X": the office of the owner's
                    # country, not of where it is posted
                    r3 = self.end_at.get(r2.start)
                    if r3 is not None and r3.entry.kind in ("country", "seat") and r3.start >= lo:
                        country = country or r3.entry.country
                        start = r3.start
                        break
                if self.low[j - 1] in _COUNTRY_NOUNS:
                    country = country or self.recent_country(j)
                    start = j - 1
                    break
            if tok.lower_ in _POSS_COUNTRY and title is not None:
                country = country or self.recent_country(j)
                start = j
                break
            if (tok.is_title or tok.is_upper) and tok.ent_type_ != "PERSON" and tok.is_alpha:
                j -= 1
                steps += 1
                continue
            if title is None and tok.text == "," and j - 1 > lo and doc[j - 1].is_title and doc[j - 1].is_alpha \
                    and j + 1 < ps and doc[j + 1].is_title:
                # "Minister for Housing, Planning and Local Government X": a list of portfolios
                j -= 1
                steps += 1
                continue
            if tok.lower_ in _CONNECT and not (title is not None and tok.lower_ in ("and", "&")):
                # "Minister of Labour and Social Affairs", but not "Ghana and President X"
                j -= 1
                steps += 1
                continue
            if title is None and tok.lower_ in ("the", "country", "capital") and j - 2 >= lo:
                # "the Chilean envoy in the Plurinational State X", "... in the country X":
                # the place an office is held in, named by no country word, is no owner
                p = j - 1 if tok.lower_ == "the" else j - 2 if self.low[j - 1] == "the" else -1
                t2 = self.end_at.get(p) if p > lo and self.low[p] in ("in", "to", "at") else None
                if t2 is not None and t2.entry.kind == "title" and t2.start >= lo:
                    j = p - 1
                    steps += 1
                    continue
            break
        if title is None:
            return None
        if country is None and org is None:
            country, org = self._whose_owner(title)
        if country is None and org is None:
            country, org = located, located_org
        for r in (self.cover.get(k) for k in range(start, ps)):
            if r is not None:
                r.used = True
        return start, title, country, org

    @staticmethod
    def _adverbial_phrase(t: "Token") -> bool:
        """Whether ``t`` ends a chain of prepositional phrases set on a verb."""
        if t.dep_ != "pobj":
            return False
        for _ in range(8):
            if t.dep_ not in ("pobj", "prep") or t.head is t:
                break
            t = t.head
            if t.dep_ == "pobj" or t.dep_ == "prep":
                continue
            break
        return t.pos_ in ("VERB", "AUX")

    def _whose_owner(self, title: _Raw) -> tuple[str | None, _Raw | None]:
        """ "the Foreign Ministry, whose spokesman X said": an office owned by "whose" belongs to
        the actor the relative word follows (its country, or the body itself)."""
        t = self.doc[self.head(title.start, title.end)]
        w = next((c for c in t.children if c.dep_ == "poss" and c.lower_ == "whose"), None)
        if w is None:
            return None, None
        k = w.i - 1
        while k > self.sent_start[w.i] and self.doc[k].is_punct:
            k -= 1
        r = self.cover.get(k)
        if r is not None and r.entry.kind == "sector":
            # "the Turkish Foreign Ministry, whose ...": the body's country word
            owner = self.doc[self.head(r.start, r.end)]
            r = next((self.cover[c.i] for c in owner.children if c.dep_ in ("amod", "compound", "poss")
                      and c.i in self.cover and self.cover[c.i].entry.kind in ("country", "seat")), None)
        if r is None or r.entry.kind not in _NAMED:
            return None, None
        if r.entry.kind in ("org", "actor") and not r.entry.country:
            return None, r
        return r.entry.country, None

    def _title_right(self, pe: int):
        doc = self.doc
        n = len(doc)
        if pe >= n or doc[pe].text != ",":
            return None
        j = pe + 1
        if j < n and doc[j].lower_ in ("and", "or", "but", "while", "nor"):
            return None  # "... with Kislyak, and Attorney General Jeff Sessions": someone else
        if j < n and doc[j].lower_ in ("the", "a", "an"):
            j += 1
        title = country = org = None
        steps = 0
        while j < n and steps < 10:
            r = self.cover.get(j)
            tok = doc[j]
            if r is not None and r.start == j:
                k = r.entry.kind
                if k == "title":
                    title = r
                    j = r.end
                    if j < n and doc[j].ent_type_ == "PERSON":
                        return None  # "X, Foreign Minister Y": the title is Y's
                    if j < n and doc[j].pos_ in ("VERB", "AUX"):
                        return None  # "... of Goma, a spokesman said": a reporting clause
                    # "minister of Iran", "a counsellor to the Peruvian premier": a following
                    # of- or to-phrase may name the country or organisation served
                    if j + 1 < n and doc[j].lower_ in _SERVED_PREPS:
                        r2 = self._served_named(j + 1)
                        if r2 is not None:
                            if r2.entry.country:
                                country = country or r2.entry.country
                            else:
                                org = org or r2
                    break
                if k in ("country", "seat"):
                    country = country or r.entry.country
                elif k in ("org", "actor"):
                    org = org or r
                j = r.end
                steps += 1
                continue
            if self.low[j] in _POSS_MARKS or tok.lower_ in _CONNECT or tok.pos_ in ("ADJ", "PROPN") or tok.is_title:
                j += 1
                steps += 1
                continue
            break
        if title is None:
            return None
        return title, country, org

    def _served_named(self, k: int) -> _Raw | None:
        """The country or organisation named at the start of the phrase after an apposed title
        ("a spokesman for the Iranian foreign ministry", "an adviser to the Peruvian premier"):
        a determiner and lower-case adjectives may come before it."""
        doc = self.doc
        stop = min(len(doc), k + 4)
        while k < stop:
            r2 = self.cover.get(k)
            if r2 is not None and r2.start == k:
                return r2 if r2.entry.kind in _NAMED else None
            if doc[k].pos_ in ("DET", "ADJ") and doc[k].is_lower:
                k += 1
                continue
            return None
        return None

    def person_actor(self, text: str, name: str, title: _Raw | None, country: str | None, org: _Raw | None,
                     at: int, end: int | None = None) -> tuple[Actor, tuple | None]:
        key = tuple(self.low[title.start:title.end]) if title is not None else None
        if country is None and org is None and end is not None \
                and self._us_party_tagged(title.start if title is not None else at, end):
            country = "USA"
        sector = title.entry.sector if title is not None else None
        if title is not None and title.entry.weak:
            sector = self._modifier_sector(title) or sector
        if org is not None:
            oe = org.entry
            code = oe.code_at(self.date)
            c, s = split_code(code)
            return Actor(text, name, c or country, s or sector, code), key
        if sector == "IGO":
            return Actor(text, name, None, sector, sector), key  # "the Secretary-General X": of what?
        if country is None and key is not None and title is not None:
            country = self._apposed_office_country(title.start) or self._named_body_country(title)
        if country is None and key is not None:
            for _, a, k, _h in reversed(self.persons):
                if k == key and a.country:
                    country = a.country
                    break
            if country is None:
                country = self.near_country(at, sector)
        return Actor(text, name, country, sector, _code(country, sector)), key

    def _us_party_tagged(self, start: int, end: int) -> bool:
        """Whether a person is told the way the press tells American politicians: a party
        letter and a state after the name ("Sen. Ann Cole, D-Del.", "Rep. Tim Ray (R-Texas)";
        `data/actors/us_states.txt`), or a US party word right before the office ("Democratic
        Sen. X", "Republican Rep. Y")."""
        doc, states = self.doc, word_class_of("actors/us_states", single=False)
        j = end
        if j < len(doc) and doc[j].text in (",", "("):
            j += 1
        if j + 2 < len(doc) and doc[j].text in ("D", "R", "I") and doc[j + 1].text == "-":
            # the state: one token ("Texas", "S.C.") or two ("New York")
            if any(" ".join(self.low[j + 2:j + 2 + n]) in states for n in (1, 2)):
                return True
        return start > 0 and doc[start - 1].text in _US_PARTY_WORDS

    def _named_body_country(self, title: _Raw) -> str | None:
        """The country of the body an office is of, when the text named that body with its
        country before: "the Egyptian Foreign Ministry ... Foreign Ministry spokesman X" (the
        same words, right before the office), or None."""
        body = self.end_at.get(title.start)
        if body is None or body.entry.kind != "sector":
            return None
        words = self.low[body.start:body.end]
        for r in reversed(self.raws):
            if r.start >= body.start or r.entry.kind != "sector" or self.low[r.start:r.end] != words:
                continue
            c = self.end_at.get(r.start)
            if c is not None and c.entry.kind in ("country", "seat") and c.entry.country:
                return c.entry.country
        return None

    def _apposed_office_country(self, ts: int) -> str | None:
        """ "The spokesman, Gen. X, said" after "the spokesman for the Chilean army": a name set
        in apposition to a definite office noun is the person that office was told of earlier
        (in this or the five sentences before), and takes the country that earlier mention gave
        it (its for/of/to phrase, a country word before it, or its possessor)."""
        doc = self.doc
        lo = self.sent_start[ts]
        while ts - 1 > lo and doc[ts - 1].is_title and doc[ts - 1].is_alpha and doc[ts - 1].pos_ == "PROPN":
            ts -= 1  # a rank the title list does not hold ("Rear Admiral")
        if ts - 2 < lo or doc[ts - 1].text != ",":
            return None
        noun = doc[ts - 2]
        if noun.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children):
            return None
        lemma = noun.lemma_.lower()
        si = self.sent_index[ts]
        for k in range(noun.i - 1, -1, -1):
            if self.sent_index[k] < si - 5:
                break
            t = doc[k]
            if t.pos_ != "NOUN" or t.lemma_.lower() != lemma:
                continue
            span: list[int] = []
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("for", "of", "to"):
                    span.extend(x.i for x in c.subtree)
                elif c.dep_ in ("amod", "compound", "poss", "nmod"):
                    span.extend(x.i for x in c.subtree)
            found = {self.cover[x].entry.country for x in span
                     if x in self.cover and self.cover[x].entry.kind in _NAMED and self.cover[x].entry.country}
            if len(found) == 1:
                return found.pop()
            return None  # the nearest earlier mention of the office decides
        return None

    def _modifier_sector(self, head: _Raw) -> str | None:
        """The sector of the group noun right before a weak title ("union leader" -> LAB,
        "army spokesman" -> MIL); None if there is none."""
        j = head.start
        lo = self.sent_start[head.start]
        if j > lo:
            r = self.end_at.get(j)
            if r is None or r.entry.kind not in ("sector", "title") or self._pro_prefixed(r):
                return None
            return r.entry.sector
        return None

    def _misread_name(self, ent) -> bool:
        """A name the NER tagged as a place or body, set off by commas after an office ("the
        Latvian interior minister, Ivars Ozols,"): capitalised proper nouns, two or more, that
        no dictionary knows, in apposition to the office. The office's person."""
        doc = self.doc
        if ent.label_ not in ("GPE", "ORG", "LOC", "NORP") or len(ent) < 2:
            return False
        ps, pe = ent.start, ent.end
        if ps < 2 or doc[ps - 1].text != "," or pe >= len(doc) or doc[pe].text not in (",", "."):
            return False
        if not all(t.pos_ == "PROPN" and t.is_title and t.is_alpha for t in ent):
            return False
        if any(k in self.cover for k in range(ps, pe)):
            return False
        if ent.root.dep_ != "appos":
            return False
        r = self.end_at.get(ps - 1)
        return r is not None and r.entry.kind == "title" and ent.root.head.i in range(r.start, r.end)

    def find_persons(self) -> None:
        doc = self.doc
        pending = []
        for ent in doc.ents:
            if ent.label_ != "PERSON" and not self._misread_name(ent):
                continue
            ps, pe = ent.start, ent.end
            # trim a title or country that the entity swallowed ("President Ilham Aliyev")
            while ps < pe and ps in self.cover and self.cover[ps].entry.kind in ("title", "country", "seat", "sector"):
                ps = self.cover[ps].end
            # "Homeland Security Secretary John Kelly" tagged whole: the name follows the last title
            inner = [self.cover[k] for k in range(ps, pe) if k in self.cover and self.cover[k].entry.kind == "title"]
            if inner and inner[-1].end < pe:
                ps = inner[-1].end
            while pe > ps and self.low[pe - 1] in _POSS_MARKS:
                pe -= 1
            if ps >= pe:
                continue
            if any(k in self.cover and self.cover[k].entry.kind in ("actor", "org") for k in range(ps, pe)):
                continue  # a dictionary actor; handled with the dictionary matches
            if any(k in self.cover for k in range(ps, pe)):
                continue
            name = doc[ps:pe].text
            left = self._title_left(ps)
            if left is not None:
                start, title, country, org = left
                actor, key = self.person_actor(self.text(start, pe), name, title, country, org, ps, pe)
                self.add(start, pe, actor, "person")
                self.persons.append((start, actor, key, self.head(start, pe)))
                continue
            right = self._title_right(pe)
            if right is not None:
                title, country, org = right
                title.used = True
                actor, key = self.person_actor(name, name, title, country, org, ps, pe)
                self.add(ps, pe, actor, "person")
                self.persons.append((ps, actor, key, self.head(ps, pe)))
                continue
            pending.append((ps, pe, name))
        # dictionary actors that are people, possibly with a title before them
        for r in self.raws:
            e = r.entry
            if e.kind not in ("actor", "org") or r.used:
                continue
            is_person = e.person or any(t.ent_type_ == "PERSON" for t in self.doc[r.start:r.end])
            start = r.start
            left = None
            if is_person:
                left = self._title_left(r.start)
                if left is not None:
                    start = left[0]
            code = e.code_at(self.date)
            if left is not None and is_person and left[3] is not None and left[1].entry.kind == "title" \
                    and left[1].entry.sector == "IGO" and left[3].entry.code \
                    and not any(self.low[k] in _FORMER for k in range(start, r.start)):
                code = left[3].entry.code_at(self.date)  # "Arab League Secretary-General X": the organisation
                dated = None
            else:
                dated = e if e.periods else None
            c, s = split_code(code)
            title = left[1].entry if left is not None and is_person and left[1].entry.kind == "title" else None
            if (title is not None and title.sector and title.sector != "IGO" and c and s in (None, "ELI")
                    and not any(self.low[k] in _FORMER for k in range(start, r.start))):
                # the text's own title ("Foreign Minister X") is the office at this date, whatever
                # the dictionary's dated code says
                s, dated = title.sector, None
                code = c + s
            actor = Actor(self.text(start, r.end), e.name, c, s, code)
            r.used = True
            earlier = self._earlier_by_surname(r, e)
            if earlier is not None:  # "Ilham Aliyev ... Aliyev": the person named before
                actor, dated = replace(earlier, text=actor.text), None
            self.add(start, r.end, actor, "person" if is_person else "org", dated)
            if is_person:
                # with the title it was named with, for "the minister" told of later
                key = tuple(self.low[left[1].start:left[1].end]) if title is not None else None
                self.persons.append((start, actor, key, self.head(start, r.end)))
        # a title followed by capitalised proper nouns the NER did not tag ("aide Hikmat Hajiyev")
        for r in self.raws:
            if r.used or r.entry.kind != "title" or doc[r.start].ent_type_ in ("ORG", "PERSON"):
                continue
            if _headline_case(doc, r.start):
                continue  # "Ambassador Slams ...": in a headline every word is capitalised
            j = r.end
            k = j
            while k < len(doc) and k - j < 4 and k not in self.cover and doc[k].pos_ == "PROPN" \
                    and doc[k].is_title and doc[k].ent_type_ not in ("GPE", "NORP", "DATE", "LOC", "FAC"):
                k += 1
            if k == j or any(m.start < k and j < m.end for m, _ in self.cands):
                continue
            left = self._title_left(j)
            if left is None:
                continue
            start, title, country, org = left
            actor, key = self.person_actor(self.text(start, k), doc[j:k].text, title, country, org, j, k)
            self.add(start, k, actor, "person")
            self.persons.append((start, actor, key, self.head(start, k)))
        self.persons.sort(key=lambda p: p[0])
        # surname / full-name coreference
        names: dict[str, list[tuple[int, Actor]]] = {}
        for pos, a, _k, _h in self.persons:
            if a.name:
                parts = a.name.split()
                for key in {a.name.lower(), parts[-1].lower()}:
                    names.setdefault(key, []).append((pos, a))
        for ps, pe, name in pending:
            # a full name, or a lone surname; "Anar Guliyev" is not "Rashad Guliyev"
            hit = names.get(name.lower())
            if not hit and " " not in name:
                # "Mr Park" or "Park" after "Park Jae-sung": a family name written first
                hit = self._family_name_first(name.lower(), ps)
            if hit:
                a = self._nearest(hit, ps)
                actor = replace(a, text=name)
            else:
                actor = self._described(ps, pe, name) or Actor(name, name, None, None, None)
                parts = name.split()
                if len(parts) > 1:  # "Jonathan Trump ... Trump said": his surname is his
                    for key in {name.lower(), parts[-1].lower()}:
                        names.setdefault(key, []).append((ps, actor))
            self.add(ps, pe, actor, "person")
            self.persons.append((ps, actor, None, self.head(ps, pe)))
        # the surname (or name) of a person mentioned earlier, whatever the NER made of it
        # ("Guliyev" tagged GPE or ORG, or not at all), unless it is part of a longer name
        if names:
            covered = {k for m, _ in self.cands for k in range(m.start, m.end)}
            for t in doc:
                if t.i in covered or t.i in self.cover or len(t.text) <= 2 or not t.text[:1].isupper():
                    continue
                hit = names.get(self.low[t.i]) or self._family_name_first(self.low[t.i], t.i)
                if not hit or hit[0][0] >= t.i or self._in_longer_name(t.i):
                    continue
                actor = replace(self._nearest(hit, t.i), text=t.text)
                self.add(t.i, t.i + 1, actor, "person")
                self.persons.append((t.i, actor, None, t.i))
        self.persons.sort(key=lambda p: p[0])

    def _described(self, ps: int, pe: int, name: str) -> Actor | None:
        """A person no dictionary knows, described by the noun phrase in apposition to the name
        ("France's nominee for minister of labour, Paul X", "Paul X, Italy's candidate for finance
        minister"): an office word of the phrase gives the sector and the one country it names
        (a country, or a person whose country is known) gives the country."""
        doc = self.doc
        h = doc[self.head(ps, pe)]
        if h.dep_ == "appos" and h.head.pos_ in ("NOUN", "PROPN"):
            d = h.head
        else:
            d = next((c for c in h.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
        if d is None or d.i in range(ps, pe):
            return None
        while d.dep_ == "pobj" and d.head.dep_ == "prep" and d.head.head.pos_ in ("NOUN", "PROPN"):
            d = d.head.head  # "nominee for minister of labour, X": the whole phrase describes X
        own = set(range(ps, pe))
        toks = []
        stack = [d]
        while stack:  # the phrase without its clauses or its other appositions
            t = stack.pop()
            if t.i in own:
                continue
            toks.append(t.i)
            stack.extend(c for c in t.children if c.dep_ not in _CLAUSE_DEPS and c.i not in own)
        toks = set(toks)
        sector = None
        countries = set()
        named = {k for m, _ in self.cands if m.kind == "person" for k in range(m.start, m.end)}
        for k in sorted(toks):
            r = self.cover.get(k)
            if r is not None and r.start == k and k not in named:  # not another person's title
                if r.entry.kind == "title" and not r.entry.weak and sector is None:
                    sector = r.entry.sector
                elif r.entry.kind in ("country", "seat") and r.entry.country:
                    countries.add(r.entry.country)
        for m, _ in self.cands:
            if m.kind == "person" and m.head in toks and m.actor.country:
                countries.add(m.actor.country)
        if sector is None or len(countries) != 1 or any(self.low[k] in _FORMER for k in toks):
            return None
        c = countries.pop()
        return Actor(name, name, c, sector, c + sector)

    def _family_name_first(self, word: str, i: int) -> list[tuple[int, Actor]]:
        """The persons with a country named before token ``i`` whose name of several words
        begins with ``word`` ("Park" after "Park Jae-sung": a family name written first)."""
        return [(pos, a) for pos, a, _k, _h in self.persons
                if a.name and len(a.name.split()) > 1 and a.name.split()[0].lower() == word
                and a.country and pos < i]

    def _earlier_by_surname(self, r: _Raw, e: Entry) -> Actor | None:
        """A one-word dictionary name (a surname) after a person of that surname was named
        in full: that person."""
        if r.end - r.start != 1:
            return None
        for pos, a, _k, _h in reversed(self.persons):
            if pos < r.start and a.name and a.name != e.name and len(a.name.split()) > 1 \
                    and norm(a.name.split()[-1]) == self.low[r.start]:
                return a
        return None

    def _in_longer_name(self, i: int) -> bool:
        """Whether token ``i`` has a capitalised proper-noun neighbour of the same name
        ("Guliyev" in "Anar Guliyev"), not counting a sentence-initial word or a date."""
        doc = self.doc
        for k in (i - 1, i + 1):
            if not 0 <= k < len(doc) or k in self.cover:
                continue
            t = doc[k]
            if t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha and t.ent_type_ not in ("DATE", "TIME") \
                    and not (k == i - 1 and k == self.sent_start[k] and t.ent_type_ != "PERSON"):
                return True
        return False

    @staticmethod
    def _nearest(hits: list[tuple[int, Actor]], i: int) -> Actor:
        before = [h for h in hits if h[0] <= i]
        return (before[-1] if before else hits[0])[1]

    def pronoun_person(self, i: int) -> Actor | None:
        si = self.sent_index[i]
        # a pronoun outside quotation marks does not refer to a person named inside them: the
        # quoted words talk about that person, the reporting clause about the speaker
        persons = self.persons if self.quoted[i] else [p for p in self.persons if not self.quoted[p[0]]]
        same = [p for p in persons if p[0] < i and self.sent_index[p[0]] == si]
        if same:
            return same[-1][1]
        for back in range(1, PRONOUN_LOOK_BACK + 1):
            prev = [p for p in persons if self.sent_index[p[0]] == si - back]
            if prev:
                subj = [p for p in prev if self.doc[p[3]].dep_ in ("nsubj", "nsubjpass")]
                return (subj[0] if subj else prev[-1])[1]
        return None

    # ------------------------------------------------------------------ groups
    def find_groups(self) -> None:
        raws = self.raws
        for idx, r in enumerate(raws):
            e = r.entry
            if r.used or e.kind not in ("sector", "title"):
                continue
            nxt = raws[idx + 1] if idx + 1 < len(raws) else None
            if nxt is not None and nxt.start == r.end and nxt.entry.kind in ("sector", "title") and not nxt.used:
                continue  # a modifier of the next noun
            self._group(r)

    def _pro_prefixed(self, r: _Raw) -> bool:
        s = r.start
        return s >= 2 and self.doc[s - 1].text == "-" and self.low[s - 2] in ("pro", "anti", "non")

    def _group(self, head: _Raw) -> None:
        doc = self.doc
        lo = self.sent_start[head.start]
        start = head.start
        end = head.end
        mods: list[_Raw] = []
        country = None
        org = None
        person = None
        ethnic = None
        j = head.start - 1
        steps = 0
        steps_paren = False
        if self._pro_prefixed(head):
            return
        while j >= lo and steps < 6:
            r = self.end_at.get(j + 1)
            tok = doc[j]
            # a named organisation or person right before the noun owns it even when already
            # taken as a mention of its own ("Hamas negotiators", "Putin aides")
            if r is not None and r.start >= lo and (not r.used or r.entry.kind in ("org", "actor")):
                k = r.entry.kind
                if k in ("sector", "title"):
                    if not self._pro_prefixed(r):
                        mods.append(r)
                    start = r.start
                    j = r.start - 1
                    steps += 1
                    continue
                if k in ("country", "seat"):
                    country = r.entry.country
                    start = r.start
                    break
                if k in ("org", "actor"):
                    org = r
                    start = r.start
                    break
                if k == "ethnic" and ethnic is None:
                    ethnic = r  # "Druze inhabitants", "Rohingya refugees"
                    start = r.start
                    j = r.start - 1
                    steps += 1
                    continue
            if self.low[j] in _POSS_MARKS and j - 1 >= lo:
                r2 = self.end_at.get(j)
                if r2 is not None and r2.entry.kind in _NAMED:
                    if r2.entry.country:
                        country = r2.entry.country
                    else:
                        org = r2
                    start = r2.start
                    break
                if self.low[j - 1] in _COUNTRY_NOUNS:
                    country = self.recent_country(j)
                    start = j - 1
                    if j - 2 >= lo and self.low[j - 2] == "the":
                        start = j - 2
                    break
                break
            if tok.lower_ in _POSS_COUNTRY:
                country = self.recent_owner_country(j)
                start = j
                break
            if tok.lower_ in ("his", "her"):
                person = self.pronoun_person(j)
                country = person.country if person else None
                start = j
                break
            if tok.text == ")" and not steps_paren:
                # "the Municipality Association (AKK) officials": step over a short parenthesis
                k = j - 1
                while k > lo and k >= j - 4 and doc[k].text != "(":
                    k -= 1
                if k > lo and doc[k].text == "(":
                    steps_paren = True
                    j = k - 1
                    continue
                break
            if self.low[j] == "led" and j - 1 > lo and doc[j - 1].text == "-":
                j -= 1  # "Vietnamese-led forces", "the Saudi-led coalition": the leader's
                continue
            if tok.text == "-" or tok.lower_ in ("pro", "anti") or tok.pos_ in ("ADJ", "NUM") or (
                tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("compound", "amod", "nmod") and not tok.ent_type_ == "PERSON"
            ):
                j -= 1
                steps += 1
                continue
            break
        if self.low[head.end - 1] in _RELATIVE_TITLES:
            # "Putin's counterpart", "his counterpart": of the other side, not the possessor's;
            # "his Greek counterpart" keeps its own adjective
            before = range(start, head.start)
            possessed = person is not None or any(
                self.low[k] in _POSS_MARKS or self.low[k] in ("his", "her", "its", "their") for k in before)
            own = any(k in self.cover and self.cover[k].entry.kind == "country" and self.low[k + 1] not in _POSS_MARKS
                      for k in before)
            if possessed and not own:
                country, org, person = None, None, None
        # "the authorities in Azerbaijan", "officials from Iran", "the government of Iran"
        if country is None and org is None:
            h = doc[head.end - 1]
            for child in h.children:
                if child.dep_ == "prep" and child.lower_ in _GROUP_PREPS and child.i == head.end:
                    for gc in child.children:
                        r = self.cover.get(gc.i)
                        if gc.dep_ == "pobj" and r is None and gc.lower_ in _COLLECTIVE_POBJ:
                            # "engineers from three Canadian relief groups": the country of the group
                            left = [self.cover.get(x.i) for x in gc.lefts if x.dep_ in ("amod", "compound", "nmod")]
                            r = next((q for q in left if q is not None and q.entry.kind in ("country", "seat")), None)
                            if r is not None:
                                end = max(end, gc.i + 1)
                        if gc.dep_ == "pobj" and r is not None and r.entry.kind in _NAMED:
                            if r.entry.country:
                                country = r.entry.country
                            else:
                                org = r
                            end = max(end, r.end)
                            r.used = True
        if country is None and org is None:
            country = self._affiliation_country(doc[head.end - 1])
        for k in range(start, end):
            rr = self.cover.get(k)
            if rr is not None:
                rr.used = True
        text = self.text(start, end)
        if org is not None:
            code = org.entry.code_at(self.date)
            c, s = split_code(code)
            self.add(start, end, Actor(text, org.entry.name, c, s, code), "org",
                     org.entry if org.entry.periods else None)
            return
        he = head.entry
        sector, role = he.sector, he.role
        strong = [m for m in mods if not m.entry.weak]
        if he.weak and strong:
            sector, role = strong[0].entry.sector, strong[0].entry.role
        elif he.weak and ethnic is not None:
            sector, role = ethnic.entry.sector, None
        if country is None and ethnic is not None and org is None:
            country = self._ethnic_country(ethnic)
        if country is None and org is None and self.low[head.start:head.end] == ["congress"] \
                and doc[head.start].text == "Congress" and self.near_country(head.start) == "USA":
            country = "USA"  # "Congress" in a story about the United States
        # a bare singular title ("the president said"): the person with that title
        if he.kind == "title" and country is None and start >= head.start:
            key = tuple(self.low[head.start:head.end])
            for pos, a, k, _h in reversed(self.persons):
                # "the minister" after "Chile's foreign minister X": the office's head noun
                if k is not None and (k == key or (len(key) == 1 and key[0] == k[-1])) and pos < head.start:
                    self.add(start, end, replace(a, text=text), "person")
                    return
        if he.kind == "title" and he.weak and country is None and not strong and person is None:
            return  # "the head", "a chief": too generic alone
        actor = Actor(text, None, country, sector, _code(country, sector, role))
        self.add(start, end, actor, "group")
        if he.kind == "title" and country and doc[head.end - 1].tag_ == "NN" and self.low[head.end - 1] not in _RELATIVE_TITLES:
            # "the Spanish ambassador ... he said", "... the ambassador said": one person
            self.persons.append((start, actor, tuple(self.low[head.start:head.end]), self.head(start, end)))
            self.persons.sort(key=lambda p: p[0])

    def _affiliation_country(self, h: "Token") -> str | None:
        """The country of what a group is tied to: "miners affiliated with the Polish union",
        "fighters loyal to Libya's eastern commander" (a country name or adjective in the object
        of the tie), else None. The tie may hang on a quantity head ("thousands of workers
        affiliated with ...")."""
        heads = [h, h.head.head] if h.dep_ == "pobj" and h.head.lower_ == "of" else [h]
        for child in (c for x in heads for c in x.children):
            if child.dep_ not in ("acl", "amod") or child.lower_ not in _AFFILIATED:
                continue
            for prep in child.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("with", "to"):
                    continue
                for gc in prep.children:
                    if gc.dep_ != "pobj":
                        continue
                    for t in [gc, *(x for x in gc.subtree if x.i < gc.i)]:
                        r = self.cover.get(t.i)
                        if r is not None and r.entry.kind in ("country", "seat") and r.entry.country:
                            return r.entry.country
        return None

    # ------------------------------------------------------------------ the rest
    def find_named(self) -> None:
        doc = self.doc
        for r in self.raws:
            if r.used:
                continue
            e = r.entry
            if e.kind not in ("country", "seat"):
                continue
            if _dateline(doc, r.start, r.end):
                continue  # "MOSCOW, March 15 (Reuters) -": where the report was filed, no actor
            text = self.text(r.start, r.end)
            tok = doc[r.start]
            prev = self.low[r.start - 1] if r.start > 0 else ""
            locative = prev in _LOC_PREPS or (tok.dep_ == "pobj" and tok.head.lower_ in _LOC_PREPS)
            if e.kind == "seat" and self._names_a_thing(r):
                continue  # "the Vienna meeting": where it happens, no actor
            if locative and e.kind == "seat":
                self.add(r.start, r.end, Actor(text, None, e.country, None, e.country), "place")
            elif locative and doc[r.end - 1].pos_ == "PROPN":
                self.add(r.start, r.end, Actor(text, None, e.country, None, e.country), "place")
            elif e.kind == "seat":
                self.add(r.start, r.end, Actor(text, None, e.country, "GOV", e.code), "country")
            elif r.end < len(doc) and doc[r.end].is_title and self.low[r.end] in word_class("media_names"):
                # "Peru Radio reported": a news outlet named after its country
                self.add(r.start, r.end + 1, Actor(self.text(r.start, r.end + 1), None, e.country, "MED",
                                                   e.country + "MED"), "org")
            elif self._people_of(r):
                # "Palestinians", "Iraqi Kurds": the people of a country are the country + CVL
                end = r.end + 1 if doc[r.end - 1].tag_ not in ("NNS", "NNPS") else r.end
                self.add(r.start, end, Actor(self.text(r.start, end), None, e.country, "CVL",
                                             e.country + "CVL"), "group")
            else:
                self.add(r.start, r.end, Actor(text, None, e.country, None, e.country), "country")

    def _names_a_thing(self, r: _Raw) -> bool:
        """A capital set before a common noun that is no office, body or group ("the Vienna
        meeting", "the Minsk process", "the Doha round"): it names where the thing happens,
        not a government acting ("Moscow officials", "the Kabul government" stay actors)."""
        last = self.doc[r.end - 1]
        head = last.head
        if last.dep_ != "compound" or head.i < r.end or head.pos_ != "NOUN":
            return False
        for k in range(r.end, head.i + 1):
            q = self.cover.get(k)
            if q is not None and q.entry.kind not in ("country", "seat"):
                return False
        return True

    def find_peoples(self) -> None:
        """Peoples: a nationality plural or an ethnic/religious group ("Serbs", "Kurds",
        "Druze"). A country adjective or name right before it ("Bosnian Serbs", "Kosovo
        Albanians", "the Syrian Druze") or else an in/of/from phrase after it ("ethnic
        Albanians in south Serbia", "Kurds in Turkey") gives the country where they live; the
        nationality of the plural noun itself is only used without either. An ethnic group
        without such a phrase takes :meth:`_ethnic_country`."""
        doc = self.doc
        for idx, r in enumerate(self.raws):
            e = r.entry
            if r.used:
                continue
            if e.kind == "ethnic":
                pass
            elif e.kind == "country" and doc[r.end - 1].text[-1:] == "s" and doc[r.end - 1].text[:1].isupper() \
                    and idx > 0 and self.raws[idx - 1].end == r.start and self.raws[idx - 1].entry.kind == "country" \
                    and not self.raws[idx - 1].used:
                pass  # "Bosnian Serbs", "Turkish Cypriots"
            elif e.kind == "country" and self._people_of(r) and self._people_place(r) is not None:
                pass  # "ethnic Uzbeks in southern Kyrgyzstan"
            else:
                continue
            nxt = self.raws[idx + 1] if idx + 1 < len(self.raws) else None
            if nxt is not None and nxt.start == r.end and nxt.entry.kind in ("sector", "title") and e.kind == "ethnic":
                continue  # "Druze inhabitants": a modifier of the group noun (see _group)
            start = r.start
            country = None
            prev = self.raws[idx - 1] if idx > 0 else None
            if prev is not None and prev.end == r.start and prev.entry.kind == "country" and not prev.used:
                # "Turkish Cypriots", "Arab Israelis": the noun is a citizenship, the adjective an origin
                country = e.country if self.low[r.end - 1] in _CITIZENSHIP else prev.entry.country
                start = prev.start
                prev.used = True
            if country is None:
                country = self._people_place(r)
            if country is None:
                country = e.country if e.kind == "country" else self._ethnic_country(r)
            sector = e.sector if e.kind == "ethnic" else "CVL"
            r.used = True
            self.add(start, r.end, Actor(self.text(start, r.end), None, country, sector, _code(country, sector)), "group")

    def _people_place(self, r: _Raw) -> str | None:
        """The country of an in/of/from phrase right after a people noun ("in south Serbia",
        "of the Golan Heights" if the lexicon knows it), else None."""
        j = r.end
        if j >= len(self.doc) or self.low[j] not in _PEOPLE_PREPS:
            return None
        k = j + 1
        limit = j + 3
        while k < len(self.doc) and k <= limit:
            q = self.cover.get(k)
            if q is not None and q.end + 1 < len(self.doc) and self.doc[q.end].text == "-" \
                    and self.low[q.end + 1] in _HELD:
                k, limit = q.end + 2, limit + 3  # "of the Russian-occupied Crimea": where, not who
                continue
            if q is not None:
                return q.entry.country if q.start == k and q.entry.kind in ("country", "seat") else None
            t = self.doc[k]
            if not (self.low[k] == "the" or t.pos_ in ("ADJ", "PROPN", "NOUN") and t.ent_type_ != "PERSON"):
                return None
            k += 1
        return None

    def _ethnic_country(self, r: _Raw) -> str | None:
        """An ethnic group's country without a phrase placing it: its usual country, else the
        only country of its sentence that it mostly lives in (any country for a religious
        community listed without countries), else None."""
        e = r.entry
        if e.country:
            return e.country
        named = self.sentence_countries(r.start)
        if e.countries:
            named &= set(e.countries)
        return next(iter(named)) if len(named) == 1 else None

    def _people_of(self, r: _Raw) -> bool:
        """A nationality plural noun ("Palestinians") or a country adjective before a plural
        NORP noun the lexicon does not know ("Iraqi Kurds")."""
        doc = self.doc
        last = doc[r.end - 1]
        if r.entry.kind != "country":
            return False
        if last.tag_ in ("NNS", "NNPS") and last.ent_type_ == "NORP":
            return True
        if r.end < len(doc) and r.end not in self.cover:
            nxt = doc[r.end]
            return nxt.tag_ in ("NNS", "NNPS") and nxt.ent_type_ == "NORP" and last.tag_ in ("JJ", "NNP")
        return False

    def _quantity_heads(self) -> None:
        """"thousands of Iraqi Kurds", "a group of Syrian refugees", "members of Hamas": a
        quantity or collective head takes the actor of its of-phrase; the mention covers it."""
        doc = self.doc
        out = []
        for m, e in self.cands:
            j = m.start - 1
            if m.kind not in ("group", "org", "country") or j < 1 or self.low[j] != "of":
                out.append((m, e))
                continue
            q = doc[j - 1]
            if not (self.low[j - 1] in _QUANTITY or q.ent_type_ == "CARDINAL" and q.tag_ == "NNS") \
                    or (j - 1) in self.cover:
                out.append((m, e))
                continue
            if m.kind == "country" and m.actor.sector is None:
                out.append((m, e))  # "thousands of Iran" is not a phrase; keep the country as is
                continue
            s = j - 1
            while s - 1 >= self.sent_start[j] and doc[s - 1].pos_ in ("DET", "NUM", "ADJ") \
                    and (s - 1) not in self.cover and s - 1 > j - 5:
                s -= 1
            a = replace(m.actor, text=self.text(s, m.end))
            out.append((Mention(s, m.end, self.head(s, m.end), a, m.kind), e))
        self.cands = out

    def find_pronouns(self) -> None:
        covered = {k for m, _ in self.cands for k in range(m.start, m.end)}
        subjects = None
        for t in self.doc:
            if t.i in covered or t.pos_ != "PRON":
                continue
            low = t.lower_
            if low in _PRONOUNS:
                a = self.pronoun_person(t.i)
            elif low == "them" and t.dep_ in ("dobj", "pobj"):
                if subjects is None:
                    subjects = self._collective_subjects()
                a = self.pronoun_them(t, subjects)
            elif low in _THING_PRONOUNS:
                if subjects is None:
                    subjects = self._collective_subjects()
                a = self.pronoun_collective(t, subjects)
            else:
                continue
            if a is not None:
                self.add(t.i, t.i + 1, replace(a, text=t.text), "pronoun")

    def _collective_subjects(self) -> list[Mention]:
        """Country, organisation and group mentions that are the subject of their clause."""
        out = []
        for m, _e in self.cands:
            if m.kind in ("country", "org", "group") and m.actor.code and (m.actor.country or m.kind == "org") \
                    and self.doc[m.head].dep_ in ("nsubj", "nsubjpass"):
                out.append(m)
        out.sort(key=lambda m: m.start)
        return out

    def pronoun_collective(self, t: "Token", subjects: list[Mention]) -> Actor | None:
        """it/its -> the most recent country/organisation (or singular group) subject before it
        in the same sentence, else (when no other subject precedes the pronoun) the main one of
        the previous sentence; they/their may also take a plural group. "it"/"they" only as
        subjects. None when there is no such subject (conservative)."""
        if t.lower_ in ("it", "they") and t.dep_ not in ("nsubj", "nsubjpass"):
            return None  # an object "it" is mostly a thing
        si = self.sent_index[t.i]
        plural = t.lower_ in ("they", "their")

        def fits(m: Mention) -> bool:
            if m.kind != "group":
                return True
            singular = self.doc[m.head].tag_ in ("NN", "NNP")
            return singular != plural

        same = [m for m in subjects if m.end <= t.i and self.sent_index[m.start] == si and fits(m)]
        if same:
            return same[-1].actor
        if any(self.doc[k].dep_ in ("nsubj", "nsubjpass") for k in range(self.sent_start[t.i], t.i)):
            return None  # another subject comes first ("Yilmaz said it was late")
        prev = [m for m in subjects if self.sent_index[m.start] == si - 1 and fits(m)]
        if prev:
            main = [m for m in prev if self.doc[m.head].head.dep_ == "ROOT"]
            return (main[0] if main else prev[-1]).actor
        if plural and not any(self.sent_index[m.start] == si - 1 for m in subjects):
            # "The decision angered the Kurds. They ...": with no actor as subject before it,
            # "they" is the people or group the previous sentence's main verb acted on
            objs = [m for m, _e in self.cands if self.sent_index[m.start] == si - 1
                    and m.kind in ("country", "group") and m.actor.code and m.actor.country
                    and self.doc[m.head].dep_ == "dobj" and self.doc[m.head].head.dep_ == "ROOT"
                    and self.doc[m.head].tag_ in ("NNS", "NNPS")]
            if len(objs) == 1:
                return objs[0].actor
        return None

    def pronoun_them(self, t: "Token", subjects: list[Mention]) -> Actor | None:
        """An object "them": the plural group of people (not a country, not things) that is the
        subject of the previous sentence, when its own sentence names no other plural group
        before it ("Two soldiers shot back. I praised them.")."""
        si = self.sent_index[t.i]
        if any(self.sent_index[m.start] == si and m.end <= t.i and self.doc[m.head].tag_ in ("NNS", "NNPS")
               and self.doc[m.head].dep_ not in ("nsubj", "nsubjpass") for m, _e in self.cands):
            return None  # a plural group named before it in its own sentence may be what it means
        prev = [m for m, _e in self.cands if self.sent_index[m.start] == si - 1 and m.kind == "group"
                and m.actor.sector and self.doc[m.head].dep_ in ("nsubj", "nsubjpass")
                and self.doc[m.head].tag_ in ("NNS", "NNPS")]
        return prev[-1].actor if len(prev) == 1 else None

    def _office_of(self, g: Mention, mentions: list[Mention]) -> Actor | None:
        """The actor a title or group mention stands for, with the country of its own of/to/for
        phrase when it names none ("the former president of Chile")."""
        a = g.actor
        if a.country or (a.code and a.sector in ("IGO", "NGO")):
            return a
        if not a.sector:
            return None
        head = self.doc[g.head]
        inner = {t.i for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "to", "for") for t in c.subtree}
        for m in mentions:
            if m.start in inner and m.actor.country and m.kind in ("country", "place", "group"):
                c = m.actor.country
                return Actor(a.text, a.name, c, a.sector, c + a.sector)
        return None

    @staticmethod
    def _ends_phrase(office: "Token", name: "Token", end: int) -> bool:
        """Whether the name closes the office's own phrase, reached through its of/to/in
        phrases ("envoy to the talks in Lima Ana Soto": the parser hangs the name there)."""
        t, hops = name, 0
        while t.i != office.i and hops < 6:
            if t.dep_ not in ("pobj", "prep", "compound") or t.head.i == t.i:
                return False
            t, hops = t.head, hops + 1
        if t.i != office.i:
            return False
        last = max(x.i for x in office.subtree if not x.is_punct)
        return last == end - 1

    def _titled_names(self, chosen: list[tuple[Mention, Entry | None]]) -> list[tuple[Mention, Entry | None]]:
        """A name no dictionary or title before it placed, written in one noun phrase with an
        office ("Chile's envoy to the talks in Lima Ana Soto", "the former president of Chile
        Ana Soto"): the office's actor, kept under the person's name; later mentions of that
        name (a surname) are the same person."""
        doc = self.doc
        mentions = [m for m, _ in chosen]
        found: dict[str, Actor] = {}
        for k, m in enumerate(mentions):
            a = m.actor
            if m.kind != "person" or a.country or a.code or not a.name:
                continue
            if a.name in found:
                continue
            p_head = doc[m.head]
            for g in reversed(mentions[:k]):
                if self.sent_index[g.start] != self.sent_index[m.start] or m.start - g.end > 10:
                    break
                if g.kind not in ("group", "person", "org"):
                    continue
                g_head = doc[g.head]
                linked = (g_head.head.i == p_head.i and g_head.dep_ in ("compound", "appos", "nmod", "amod")) \
                    or (p_head.head.i == g_head.i and p_head.dep_ in ("appos", "compound")) \
                    or self._ends_phrase(g_head, p_head, m.end)
                if not linked:
                    continue
                office = self._office_of(g, mentions)
                if office is not None and office.name is None:
                    found[a.name] = office
                break
        if not found:
            return chosen
        out = []
        for m, e in chosen:
            a = m.actor
            o = found.get(a.name or "") if m.kind == "person" and not a.country and not a.code else None
            if o is None:
                names = [n for n in found if a.name and m.kind == "person" and not a.country and not a.code
                         and len(a.name.split()) == 1 and n.split()[-1] == a.name]
                o = found[names[0]] if names else None
            if o is not None:
                m = Mention(m.start, m.end, m.head, Actor(a.text, a.name, o.country, o.sector, o.code), m.kind)
            out.append((m, e))
        return out

    def _definite_descriptions(self, chosen: list[tuple[Mention, Entry | None]]) -> list[tuple[Mention, Entry | None]]:
        """ "The ministry", "the regime", "the army" with no country of their own: the actor
        last named with that head noun in this or the five sentences before ("Peru's foreign
        ministry said ... The ministry added"); "the bloc": the international
        body last named."""
        doc = self.doc
        out: list[tuple[Mention, Entry | None]] = []
        for k, (m, e) in enumerate(chosen):
            a = m.actor
            if m.kind == "group" and not a.country and not a.name and a.sector \
                    and (self.low[m.start] == "the" or (m.start > 0 and self.low[m.start - 1] == "the")):
                lemma = doc[m.head].lemma_.lower()
                si = self.sent_index[m.start]
                for p, _ in reversed(out):
                    if self.sent_index[p.start] < si - 5:
                        break
                    same_body = a.sector == "IGO" and (p.actor.code or "").startswith("IGO") and p.actor.code != "IGO"
                    if p.kind in ("group", "org") and (doc[p.head].lemma_.lower() == lemma or same_body) \
                            and (p.actor.country or p.actor.sector in ("IGO", "NGO")):
                        m = Mention(m.start, m.end, m.head, replace(p.actor, text=a.text), m.kind)
                        break
            out.append((m, e))
        return out

    def run(self) -> DocumentActors:
        self.find_persons()
        self.find_peoples()  # before groups: "Bosnian Serbs said their forces ..." owns "their"
        self.find_groups()
        self.find_named()
        self.find_pronouns()
        self._quantity_heads()
        # longest match wins, then the earliest
        chosen: list[tuple[Mention, Entry | None]] = []
        taken: set[int] = set()
        for m, e in sorted(self.cands, key=lambda c: (-(c[0].end - c[0].start), c[0].start)):
            if any(k in taken for k in range(m.start, m.end)):
                continue
            taken.update(range(m.start, m.end))
            chosen.append((m, e))
        chosen.sort(key=lambda c: c[0].start)
        chosen = self._titled_names(chosen)
        chosen = self._definite_descriptions(chosen)
        dated = {(m.start, m.end): e for m, e in chosen if e is not None and e.periods}
        return DocumentActors(self.doc, [m for m, _ in chosen], dated)
