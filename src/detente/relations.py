"""Relations between two actors over time: a series per period, a verdict and its evidence.

Counts canonical events (``detente.dedup``) by default, reports with ``mentions=True``. The
verdict compares the mean Goldstein score of a recent window with that of everything
before it (the baseline); see docs/relations.md for the method and docs/settings.md ([relations])
for the thresholds.
"""
from __future__ import annotations

from typing import Any

from detente.store import check_codes, check_derived, event_filters, open_store, store_errors, suggest_codes
from detente.store.filters import where_clause

__all__ = ["FREQS", "period_of", "series", "verdict", "relations", "dyads", "actors", "format_table",
           "check_codes", "suggest_codes"]

FREQS = ("month", "quarter", "year")
_NEEDS = {"month": ("day", "month"), "quarter": ("day", "month"), "year": ("day", "month", "year")}


def period_of(date: str | None, precision: str, freq: str) -> tuple[int, str] | None:
    """(sortable index, label) of the period holding ``date``; None when the date is unknown
    or coarser than ``freq`` (a year-only date has no month)."""
    if not date or precision not in _NEEDS[freq]:
        return None
    y = int(date[:4])
    if freq == "year":
        return y, f"{y:04d}"
    m = int(date[5:7])
    if freq == "month":
        return y * 12 + m - 1, f"{y:04d}-{m:02d}"
    q = (m - 1) // 3 + 1
    return y * 4 + q - 1, f"{y:04d}-Q{q}"


def _label(index: int, freq: str) -> str:
    if freq == "year":
        return f"{index:04d}"
    if freq == "month":
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def series(rows: list[dict[str, Any]], freq: str) -> list[dict[str, Any]]:
    """Per period, in time order: ``period``, ``events``, ``quad`` counts ("1".."4"),
    ``goldstein_mean`` and ``balance`` ((cooperation - conflict) / events, in [-1, 1]).

    ``rows`` carry ``period`` (index, label) already; periods without events are left out.
    """
    import numpy as np

    return _series(np.array([r["period"][0] for r in rows], dtype=np.int64),
                   np.array([r["quad_class"] for r in rows], dtype=np.int64),
                   np.array([r["goldstein"] for r in rows], dtype=float), freq)


def _series(idx: Any, quad: Any, g: Any, freq: str) -> list[dict[str, Any]]:
    """:func:`series` of events given as arrays of period index, quad class and Goldstein."""
    import numpy as np

    periods, inverse = np.unique(idx, return_inverse=True)
    n_per = np.bincount(inverse, minlength=len(periods))
    g_sum = np.bincount(inverse, weights=g, minlength=len(periods))
    q_per = {str(q): np.bincount(inverse, weights=(quad == q), minlength=len(periods)).astype(int)
             for q in (1, 2, 3, 4)}
    out = []
    for k, p in enumerate(periods.tolist()):
        n = int(n_per[k])
        q = {key: int(v[k]) for key, v in q_per.items()}
        out.append({"period": _label(p, freq), "events": n, "quad": q,
                    "goldstein_mean": round(float(g_sum[k]) / n, 3),
                    "balance": round((q["1"] + q["2"] - q["3"] - q["4"]) / n, 3), "index": p})
    return out


def verdict(recent: list[float], baseline: list[float], cfg: dict[str, Any] | None = None,
            sources: tuple[int, int] | None = None) -> tuple[str, dict[str, Any]]:
    """("easing" | "escalating" | "stable" | "insufficient data", uncertainty).

    ``recent`` and ``baseline`` are the Goldstein scores of the two windows' events;
    ``sources`` the number of independent sources (distinct articles, copies counted once) of
    each window (default: one per event). A window with fewer than ``min_window_events`` events
    or ``min_window_sources`` sources gives "insufficient data".

    Otherwise the two window means are shrunk towards the dyad's own mean (a normal-normal
    model: each window's true mean has the prior N(dyad mean, ``prior_sd``^2); the events'
    spread is their pooled standard deviation, at least ``noise_sd_min``), so that a handful of
    events moves the estimate only part of the way and the interval is never zero-width. The
    verdict compares the difference of the posterior means (recent - baseline) with ``delta``;
    ``ci95`` is its 95 % posterior interval, ``p_easing`` the posterior probability that it is
    above 0. ``confidence``: "high" when the interval lies on the verdict's side (beyond 0 for
    easing/escalating, inside +-delta for stable), "medium" when the posterior probability of the
    verdict's direction is at least 0.9, else "low"; always "low" when a window has fewer than
    ``min_events`` events or fewer than ``min_sources`` sources. Deterministic: the result does
    not depend on the order of the events.
    """
    from math import erf, sqrt

    import numpy as np

    from detente.dedup import load_config

    rc = (cfg or load_config())["relations"]
    delta = float(rc["delta"])
    nr, nb = len(recent), len(baseline)
    sr, sb = sources if sources is not None else (nr, nb)
    info: dict[str, Any] = {"method": "difference of mean Goldstein, recent window - baseline, "
                                      "shrunk towards the dyad's mean",
                            "n_recent": nr, "n_baseline": nb, "sources_recent": int(sr),
                            "sources_baseline": int(sb), "delta": delta}
    min_n, min_s = int(rc["min_window_events"]), int(rc["min_window_sources"])
    short = [f"{n} event{'s' if n != 1 else ''} in the {w} window" for n, w in ((nr, "recent"), (nb, "baseline"))
             if n < min_n]
    short += [f"{k} source{'s' if k != 1 else ''} in the {w} window" for k, n, w in
              ((sr, nr, "recent"), (sb, nb, "baseline")) if n >= min_n and k < min_s]
    if short:
        info.update({"confidence": None, "difference": None, "ci95": None,
                     "reason": f"{' and '.join(short)} (a verdict needs at least {min_n} events"
                               f"{f' from {min_s} sources' if min_s > 1 else ''} in each)"})
        return "insufficient data", info
    r = np.asarray(recent, dtype=float)
    b = np.asarray(baseline, dtype=float)
    prior_mean = float(np.concatenate([r, b]).mean())
    ss = float(((r - r.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())
    dof = nr + nb - 2
    noise = max(sqrt(ss / dof) if dof > 0 else 0.0, float(rc["noise_sd_min"]))
    tau2, s2 = float(rc["prior_sd"]) ** 2, noise ** 2

    def posterior(x: Any) -> tuple[float, float]:
        prec = 1 / tau2 + len(x) / s2
        return (prior_mean / tau2 + x.sum() / s2) / prec, 1 / prec

    mr, vr = posterior(r)
    mb, vb = posterior(b)
    diff, sd = mr - mb, sqrt(vr + vb)
    lo, hi = diff - 1.96 * sd, diff + 1.96 * sd
    p_up = 0.5 * (1 + erf(diff / (sd * sqrt(2))))
    if diff > delta:
        v = "easing"
        agree, high = p_up, lo > 0
    elif diff < -delta:
        v = "escalating"
        agree, high = 1 - p_up, hi < 0
    else:
        v = "stable"
        high = -delta <= lo and hi <= delta
        agree = 1.0 if lo <= 0 <= hi else 0.0
    if min(nr, nb) < int(rc["min_events"]) or min(sr, sb) < int(rc["min_sources"]):
        conf = "low"
    elif high:
        conf = "high"
    elif agree >= 0.9:
        conf = "medium"
    else:
        conf = "low"
    info.update({"interval": "normal posterior (shrinkage)", "confidence": conf, "difference": round(diff, 3),
                 "ci95": [round(lo, 3), round(hi, 3)], "p_easing": round(p_up, 3),
                 "recent_mean": round(float(r.mean()), 3), "baseline_mean": round(float(b.mean()), 3),
                 "raw_difference": round(float(r.mean() - b.mean()), 3)})
    return v, info


class _Columns:
    """The events of one dyad as numpy columns (what the relations analysis reads), in a
    fixed order; ``take(idx)`` selects rows (repeated indices repeat them)."""

    NAMES = ("event_id", "date", "date_precision", "quad_class", "goldstein", "modality", "cameo",
             "mentions", "sentence", "y", "m", "after", "source")

    def __init__(self, cols: dict[str, Any]) -> None:
        import numpy as np

        self.c = {k: np.asarray(cols[k]) for k in self.NAMES}

    def __len__(self) -> int:
        return len(self.c["event_id"])

    def take(self, idx: Any) -> "_Columns":
        """The rows at positions ``idx``, in that order."""
        return _Columns({k: v[idx] for k, v in self.c.items()})

    def row(self, i: int) -> dict[str, Any]:
        """Row ``i`` as a dict (for the evidence)."""
        return {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in self.c.items()}


# an event dated after the publication of the first document reporting it (its date's first
# day more than ``after_publication_days`` after that publication: a misread date or a
# future plan) is never counted; the slack absorbs publication dates given a day or two early


def _after_sql(rc: dict[str, Any]) -> str:
    """SQL truth of "canonical event ``c`` is dated after its first report's publication"."""
    days = int(rc["after_publication_days"])
    first_day = "(c.\"date\" || substr('0000-01-01', length(c.\"date\") + 1))"
    return (f"coalesce({first_day} > strftime(try_cast(c.first_date AS DATE) + INTERVAL {days} DAY, "
            f"'%Y-%m-%d'), false)")


# the independent source of a canonical event: the article group of its first document
_SOURCE_SQL = "hash(coalesce(g.group_id, c.first_doc_id))"


def _col_sql(rc: dict[str, Any], mentions: str = "c.mentions", sentence: str = "c.evidence_sentence",
             report: str = "c", cameo: str = "c", source: str = _SOURCE_SQL) -> str:
    """The columns of _Columns, from canonical_events ``c`` (NULLs made plain values in SQL);
    ``report`` is the alias giving the event id, quad class, Goldstein and modality (a report
    of event_map when counting mentions), ``cameo`` the one giving the code, ``source`` the
    expression of the independent source (by default the article group of the first document:
    the query joins doc_groups as ``g`` on ``c.first_doc_id``)."""
    return (f'{report}.event_id AS event_id, coalesce(c."date", \'\') AS "date", '
            f"coalesce(c.date_precision, 'unknown') AS date_precision, "
            f"{report}.quad_class::INTEGER AS quad_class, {report}.goldstein::DOUBLE AS goldstein, "
            f"coalesce({report}.modality, '') AS modality, coalesce({cameo}.cameo, '') AS cameo, "
            f"{mentions}::INTEGER AS mentions, coalesce({sentence}, '') AS sentence, "
            f'coalesce(try_cast(left(c."date", 4) AS INTEGER), -1) AS y, '
            f'coalesce(try_cast(substr(c."date", 6, 2) AS INTEGER), 1) AS m, '
            f"{_after_sql(rc)} AS after, {source} AS source")


def _groups_join(s: str) -> str:
    """The join giving ``g.group_id``, the article group of a canonical event's first document."""
    return f" LEFT JOIN {s}.doc_groups g ON g.doc_id = c.first_doc_id"


_PRECISION_CODE = {"day": 0, "month": 1, "year": 2}  # anything else: 3 (unknown)


class _Core:
    """The order-free part of the analysis of one dyad, on numeric columns: which events count,
    the series, the windows, the recent and baseline Goldstein scores and the verdict.

    ``ok`` (modality counted), ``undated`` (no date, or precision unknown), ``prec`` (0 day,
    1 month, 2 year, 3 unknown), ``y``/``m`` (year, month of the date), ``quad``, ``g``,
    ``after`` (dated after the publication of its first report: never counted), ``source``
    (a number naming the event's independent source): one entry per event."""

    def __init__(self, ok: Any, undated: Any, prec: Any, y: Any, m: Any, quad: Any, g: Any,
                 after: Any, source: Any, freq: str, cfg: dict[str, Any]) -> None:
        import numpy as np

        rc = cfg["relations"]
        valid = np.asarray(ok, dtype=bool)
        self.excluded = int((~valid).sum())
        undated_mask = valid & np.asarray(undated, dtype=bool)
        late = valid & ~undated_mask & np.asarray(after, dtype=bool)
        candidates = valid & ~undated_mask & ~late
        fine = np.isin(prec, [_PRECISION_CODE[p] for p in _NEEDS[freq]])
        dated = np.flatnonzero(candidates & fine)
        self.undated, self.imprecise = int(undated_mask.sum()), int((candidates & ~fine).sum())
        self.after_publication = int(late.sum())
        self.dated = dated
        y, m = np.asarray(y)[dated].astype(np.int64), np.asarray(m)[dated].astype(np.int64)
        if freq == "year":
            idx = y
        elif freq == "month":
            idx = y * 12 + m - 1
        else:
            idx = y * 4 + (m - 1) // 3
        self.idx = idx
        g = np.asarray(g)[dated].astype(float)
        ser = self.series = _series(idx, np.asarray(quad)[dated], g, freq)
        window = int(rc[f"recent_{freq}"])
        self.recent = self.base = np.zeros(0, dtype=np.int64)  # positions in ``dated``
        self.start: int | None = None
        self.windows: dict[str, Any] = {}
        if ser:
            last = ser[-1]["index"]
            start = last - window + 1
            if ser[0]["index"] >= start and len(ser) >= 2:
                start = last  # all data within the window: compare the last period with the rest
            self.start = start
            self.recent = np.flatnonzero(idx >= start)
            self.base = np.flatnonzero(idx < start)
            self.windows = {"recent": [_label(start, freq), _label(last, freq)],
                            "baseline": [ser[0]["period"], _label(start - 1, freq)] if len(self.base) else None}
        src = np.asarray(source)[dated]
        n_sources = (len(np.unique(src[self.recent])), len(np.unique(src[self.base])))
        self.verdict, self.info = verdict(g[self.recent], g[self.base], cfg, n_sources)
        self.info["windows"] = self.windows

    def result(self, evidence: list[dict]) -> dict[str, Any]:
        """The analysis of the dyad with these evidence events."""
        for s_ in self.series:
            s_.pop("index", None)
        return {"series": self.series, "verdict": self.verdict, "uncertainty": self.info,
                "evidence_events": evidence, "evidence": [e["event_id"] for e in evidence],
                "undated": self.undated, "imprecise": self.imprecise,
                "excluded_modality": self.excluded, "after_publication": self.after_publication,
                "counted": len(self.dated)}


def _analyse(rows: "_Columns", freq: str, cfg: dict[str, Any]) -> dict[str, Any]:
    """Series, verdict, uncertainty and evidence for the events of one dyad (vectorised: a
    dyad may hold a million events)."""
    import numpy as np

    c = rows.c
    prec = np.array([_PRECISION_CODE.get(p, 3) for p in c["date_precision"].tolist()], dtype=np.int8)
    core = _Core(np.isin(c["modality"], list(cfg["relations"]["modalities"])),
                 (c["date"] == "") | (prec == 3), prec, c["y"], c["m"], c["quad_class"], c["goldstein"],
                 c["after"], c["source"], freq, cfg)
    dated = core.dated
    evidence = _evidence(core.verdict, rows.take(dated[core.recent]), rows.take(dated[core.base]),
                         cfg["relations"])
    return core.result(evidence)


def _ranked(rows: "_Columns", sign: int, k: int, seen: set[str]) -> list[int]:
    """Positions of the first ``k`` rows not ``seen`` (event ids) in the order (-sign *
    goldstein, or -|goldstein| when sign is 0; then most mentions, earliest date, event id)."""
    import numpy as np

    c = rows.c
    g = c["goldstein"].astype(float)
    primary = -sign * g if sign else -np.abs(g)
    order = np.argsort(primary, kind="stable")
    picks: list[int] = []
    taken: set[str] = set()
    i = 0
    n = len(order)
    while i < n and len(picks) < k:
        j = i + 1
        value = primary[order[i]]
        while j < n and primary[order[j]] == value:
            j += 1
        group = order[i:j]  # ties on the primary key: ordered by the other keys
        if len(group) > 1:
            ranked = sorted(group.tolist(), key=lambda r: (-int(c["mentions"][r]), c["date"][r], c["event_id"][r]))
        else:
            ranked = group.tolist()
        for r in ranked:
            if len(picks) >= k:
                break
            eid = c["event_id"][r]
            if eid in seen or eid in taken:
                continue
            taken.add(eid)
            picks.append(r)
        i = j
    seen |= taken
    return picks


def _evidence(v: str, recent: "_Columns", base: "_Columns", rc: dict[str, Any]) -> list[dict]:
    """The events that drive the verdict: the recent window's most cooperative (easing) or
    most conflictual (escalating) events, and the baseline's most opposite ones; for
    stable and insufficient data, the largest |Goldstein| on each side."""
    sign = {"easing": 1, "escalating": -1}.get(v, 0)
    picks: list[tuple[str, dict]] = []
    seen: set[str] = set()
    for window, rows, s, k in (("recent", recent, sign, int(rc["evidence_recent"])),
                               ("baseline", base, -sign, int(rc["evidence_baseline"]))):
        for i in _ranked(rows, s, k, seen):
            picks.append((window, rows.row(i)))
    return [{"event_id": r["event_id"], "window": w, "date": r["date"], "cameo": r["cameo"],
             "quad_class": r["quad_class"], "goldstein": r["goldstein"], "mentions": r.get("mentions", 1),
             "sentence": (r.get("sentence") or "").strip()} for w, r in picks]


def _rows(con, where: str, params: list[Any], mentions: bool, rc: dict[str, Any]) -> "_Columns":
    s = "main"
    if mentions:
        cols = _col_sql(rc, mentions="1", sentence="e.evidence_sentence", report="m", cameo="e",
                        source="hash(m.doc_group)")
        sql = (f"SELECT {cols} "
               f"FROM {s}.canonical_events c JOIN {s}.event_map m ON m.canonical_id = c.event_id "
               f"JOIN main.events e ON e.event_id = m.event_id AND e.doc_id = m.doc_id"
               f"{where}{' AND' if where else ' WHERE'} m.counted "
               f"QUALIFY row_number() OVER (PARTITION BY m.doc_id, m.event_id ORDER BY e.evidence_start) = 1 "
               f"ORDER BY m.event_id")
    else:
        cols = _col_sql(rc)
        sql = f"SELECT {cols} FROM {s}.canonical_events c{_groups_join(s)}{where} ORDER BY c.event_id"
    return _Columns(con.execute(sql, params).fetchnumpy())


@store_errors
def relations(db: Any, a: str, b: str, freq: str = "month", mentions: bool = False,
              config: str | None = None) -> dict[str, Any]:
    """The relations between actors ``a`` and ``b`` (ISO3 or actor codes), both directions.

    Returns the object of ``detente relations --format json`` (shared/spec/cli.md):
    ``dyad``, ``freq``, ``series``, ``verdict``, ``evidence``, plus ``uncertainty``,
    ``evidence_events`` (details of the evidence), ``counting`` ("events" or "mentions"),
    ``undated``, ``imprecise`` (dates coarser than ``freq``), ``excluded_modality``
    (hypothetical or negated events) and ``counted``.
    """
    from detente.dedup import load_config
    from detente.errors import UsageError

    if freq not in FREQS:
        raise UsageError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}", params=("freq",))
    cfg = load_config(config)
    a, b = a.upper(), b.upper()
    with open_store(db) as store:
        check_codes(store.con, (a, b))
        check_derived(store)
        conditions, params = event_filters((a, b), None, None, None, alias="c")
        rows = _rows(store.con, where_clause(conditions), params, mentions, cfg["relations"])
    res = _analyse(rows, freq, cfg)
    return {"dyad": [a, b], "freq": freq, "series": res.pop("series"), "verdict": res.pop("verdict"),
            "evidence": res.pop("evidence"), "counting": "mentions" if mentions else "events", **res}


@store_errors
def dyads(db: Any, top: int = 10, freq: str = "quarter", mentions: bool = False,
          config: str | None = None) -> list[dict[str, Any]]:
    """The busiest country pairs (unordered, both known and different), busiest first, each
    with ``events``, ``verdict``, ``confidence``, ``difference`` and ``last_period``."""
    from detente.dedup import load_config

    cfg = load_config(config)
    with open_store(db) as store:
        check_derived(store)
        con, s = store.con, "main"
        if mentions:
            return _dyads_of_reports(con, s, max(0, int(top)), freq, cfg)
        if "dyad_a" in _column_names(con, f"{s}.canonical_events"):
            return _dyads_by_column(con, s, max(0, int(top)), freq, cfg)
        # a store deduplicated before canonical_events had its dyad columns
        weight = "count(*)"
        pair = "[least(c.source_country, c.target_country), greatest(c.source_country, c.target_country)]"
        cols = _col_sql(cfg["relations"])
        data = con.execute(
            f"WITH pairs AS (SELECT {pair} AS p, {weight} AS n FROM {s}.canonical_events c "
            f"WHERE c.source_country IS NOT NULL AND c.target_country IS NOT NULL "
            f"AND c.source_country <> c.target_country "
            f"GROUP BY ALL ORDER BY n DESC, p LIMIT ?) "
            f"SELECT pairs.p[1] AS a, pairs.p[2] AS b, pairs.n::BIGINT AS n, {cols} "
            f"FROM pairs JOIN {s}.canonical_events c ON {pair} = pairs.p{_groups_join(s)} "
            f"ORDER BY pairs.n DESC, a, b, c.event_id", [max(0, int(top))]).fetchnumpy()
    import numpy as np

    cols_all = _Columns(data)
    keys = [f"{a}\x00{b}" for a, b in zip(data["a"].tolist(), data["b"].tolist())]
    out = []
    start = 0
    while start < len(keys):  # rows come grouped by pair, busiest first
        end = start
        while end < len(keys) and keys[end] == keys[start]:
            end += 1
        idx = np.arange(start, end)
        a, b, n = str(data["a"][start]), str(data["b"][start]), int(data["n"][start])
        out.append(_pair_result(a, b, n, _analyse(cols_all.take(idx), freq, cfg), False))
        start = end
    return out


def _dyads_of_reports(con, s: str, top: int, freq: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """``dyads`` counting reports (``mentions``): the busiest pairs by reports, each analysed on
    its counted reports as ``relations --mentions`` reads them (every report with its own code,
    Goldstein score and article group), so that the two give the same verdict and evidence.
    One query per pair."""
    pairs = con.execute(
        f"SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b, "
        f"sum(mentions)::BIGINT AS n FROM {s}.canonical_events WHERE source_country IS NOT NULL "
        f"AND target_country IS NOT NULL AND source_country <> target_country "
        f"GROUP BY ALL ORDER BY n DESC, a, b LIMIT ?", [top]).fetchall()
    out = []
    for a, b, n in pairs:
        conditions, params = event_filters((a, b), None, None, None, alias="c")
        rows = _rows(con, where_clause(conditions), params, True, cfg["relations"])
        out.append(_pair_result(a, b, int(n), _analyse(rows, freq, cfg), True))
    return out


def _column_names(con, table: str) -> list[str]:
    return [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]


def _pair_result(a: str, b: str, n: int, res: dict[str, Any], mentions: bool) -> dict[str, Any]:
    """One row of ``dyads``: ``events`` is every canonical event of the pair (reports with
    ``mentions``: ``counting`` says which), ``counted`` those in its series and verdict."""
    u = res["uncertainty"]
    return {"dyad": [a, b], "events": n, "counting": "mentions" if mentions else "events",
            "counted": res["counted"], "verdict": res["verdict"], "confidence": u["confidence"],
            "difference": u.get("difference"), "last_period": res["series"][-1]["period"] if res["series"] else None,
            "evidence": res["evidence"]}


def _dyads_by_column(con, s: str, top: int, freq: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """``dyads`` on canonical_events' ``dyad_a``/``dyad_b`` columns, for stores of millions of
    events: the busiest pairs by one GROUP BY; their events fetched as numbers only (no order,
    no text) for the series and the verdict; the evidence candidates (the first of each window
    in the evidence order) by one windowed query. The verdict does not depend on the order of
    the events, so the results are those of reading every pair whole."""
    import numpy as np

    rc = cfg["relations"]
    pairs = con.execute(
        f"SELECT dyad_a, dyad_b, count(*)::BIGINT AS n FROM {s}.canonical_events WHERE dyad_a IS NOT NULL "
        f"GROUP BY ALL ORDER BY n DESC, dyad_a, dyad_b LIMIT ?", [top]).fetchall()
    if not pairs:
        return []
    keys = [f"{a}|{b}" for a, b, _ in pairs]
    sides = sorted({x for a, b, _ in pairs for x in (a, b)})
    modalities = sorted(rc["modalities"])
    in_pairs = (f"(SELECT list_position(?, c.dyad_a || '|' || c.dyad_b)::INTEGER AS k, c.* "
                f"FROM {s}.canonical_events c WHERE c.dyad_a IN ? AND c.dyad_b IN ?)")
    num = con.execute(
        f"SELECT k, quad_class::INTEGER AS q, goldstein::DOUBLE AS g, mentions::INTEGER AS w, "
        f"coalesce(modality, '') IN ? AS ok, coalesce(\"date\", '') = '' AS nodate, "
        f"CASE date_precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 WHEN 'year' THEN 2 ELSE 3 END::TINYINT AS prec, "
        f"coalesce(try_cast(left(\"date\", 4) AS INTEGER), -1) AS y, "
        f"coalesce(try_cast(substr(\"date\", 6, 2) AS INTEGER), 1) AS m, {_after_sql(rc)} AS after, {_SOURCE_SQL} AS src "
        f"FROM {in_pairs} c{_groups_join(s)} WHERE k > 0", [modalities, keys, sides, sides]).fetchnumpy()
    order = np.argsort(num["k"], kind="stable")
    bounds = np.searchsorted(num["k"][order], np.arange(1, len(keys) + 2))
    cores: dict[int, _Core] = {}
    for i in range(len(keys)):
        pos = order[bounds[i]:bounds[i + 1]]
        cores[i + 1] = _Core(num["ok"][pos], num["nodate"][pos] | (num["prec"][pos] == 3), num["prec"][pos],
                             num["y"][pos], num["m"][pos], num["q"][pos], num["g"][pos], num["after"][pos],
                             num["src"][pos], freq, cfg)
    cols = _col_sql(cfg["relations"])
    evidence_rows: dict[tuple[int, bool], _Columns] = {}
    if cores:
        idx = {"year": "y", "month": "y * 12 + m - 1", "quarter": "y * 4 + (m - 1) // 3"}[freq]
        plan = [(k, {"easing": 1, "escalating": -1}.get(c.verdict, 0), c.start if c.start is not None else 0)
                for k, c in cores.items()]
        values = ", ".join("(?, ?, ?)" for _ in plan)
        n_keep = int(rc["evidence_recent"]) + int(rc["evidence_baseline"])
        picked = con.execute(
            f"WITH p(k, sgn, start) AS (VALUES {values}), "
            f"d AS (SELECT c.k, c.rid, c.goldstein, c.mentions, c.\"date\", c.event_id, p.sgn, "
            f"  ({idx}) >= p.start AS recent FROM ("
            f"  SELECT c.k, c.rowid AS rid, c.goldstein, c.mentions, c.\"date\", c.event_id, c.modality, "
            f"  c.date_precision, c.first_date, coalesce(try_cast(left(c.\"date\", 4) AS INTEGER), -1) AS y, "
            f"  coalesce(try_cast(substr(c.\"date\", 6, 2) AS INTEGER), 1) AS m "
            f"  FROM (SELECT list_position(?, c.dyad_a || '|' || c.dyad_b)::INTEGER AS k, c.rowid AS rowid, c.* "
            f"  FROM {s}.canonical_events c WHERE c.dyad_a IN ? AND c.dyad_b IN ?) c) c "
            f"  JOIN p ON p.k = c.k "
            f"  WHERE coalesce(c.modality, '') IN ? AND coalesce(c.\"date\", '') <> '' AND c.date_precision IN ? "
            f"  AND NOT {_after_sql(rc)}) "
            # the first rows of each window in the evidence order (a heap, not a sort of all)
            f"SELECT d.k, d.recent, min_by(d.rid, {{'a': CASE WHEN d.sgn = 0 THEN -abs(d.goldstein) "
            f"WHEN d.recent THEN -d.sgn * d.goldstein ELSE d.sgn * d.goldstein END, 'b': -d.mentions, "
            f"'c': d.\"date\", 'd': d.event_id}}, ?) FROM d GROUP BY d.k, d.recent",
            [x for row in plan for x in row] + [keys, sides, sides, modalities, list(_NEEDS[freq]), n_keep]
        ).fetchall()
        rids = sorted({r for _k, _recent, rs in picked for r in rs})
        ev = con.execute(f"SELECT c.rowid AS rid, {cols} FROM {s}.canonical_events c{_groups_join(s)} WHERE c.rowid IN ? "
                         f"ORDER BY c.rowid", [rids]).fetchnumpy() if rids else None
        for k in cores:
            for recent in (True, False):
                evidence_rows[(k, recent)] = _Columns({n: [] for n in _Columns.NAMES})
        for k, recent, rs in picked:
            pos = np.searchsorted(ev["rid"], np.asarray(sorted(rs), dtype=ev["rid"].dtype))
            evidence_rows[(k, bool(recent))] = _Columns(ev).take(pos)
    out = []
    for i, (a, b, n) in enumerate(pairs):
        k = i + 1
        core = cores[k]
        res = core.result(_evidence(core.verdict, evidence_rows[(k, True)], evidence_rows[(k, False)], rc))
        out.append(_pair_result(a, b, int(n), res, False))
    return out


@store_errors
def actors(db: Any, top: int = 20, by: str = "country", mentions: bool = False) -> list[dict[str, Any]]:
    """Actors by number of canonical events with the actor on either side (``by`` "country"
    or "code"), busiest first: ``{"actor", "events", "as_source", "as_target"}``."""
    from detente.errors import UsageError

    if by not in ("country", "code"):
        raise UsageError(f"by must be country or code, not {by!r}", params=("by",))
    with open_store(db) as store:
        check_derived(store)
        s = "main"
        w = "mentions" if mentions else "1"
        rows = store.con.execute(
            f"WITH sides AS ("
            f"SELECT event_id, source_{by} AS actor, {w} AS w, 1 AS src, 0 AS tgt FROM {s}.canonical_events "
            f"UNION ALL SELECT event_id, target_{by}, {w}, 0, 1 FROM {s}.canonical_events), "
            f"per AS (SELECT actor, event_id, any_value(w) AS w, max(src) AS src, max(tgt) AS tgt "
            f"FROM sides WHERE actor IS NOT NULL GROUP BY actor, event_id) "
            f"SELECT actor, sum(w) AS n, sum(w * src) AS s, sum(w * tgt) AS t FROM per "
            f"GROUP BY actor ORDER BY n DESC, actor LIMIT ?", [max(0, int(top))]).fetchall()
    return [{"actor": a, "events": int(n), "as_source": int(s_), "as_target": int(t)} for a, n, s_, t in rows]


def format_table(res: dict[str, Any]) -> str:
    """A relations result as a plain-text table for the terminal."""
    a, b = res["dyad"]
    u = res["uncertainty"]
    what = "reports (mentions)" if res["counting"] == "mentions" else "canonical events"
    lines = [f"{a} - {b}, per {res['freq']}: {res['counted']} {what} counted ({res['undated']} undated, "
             f"{res['imprecise']} with a date coarser than a {res['freq']}, "
             f"{res['excluded_modality']} hypothetical/negated and {res.get('after_publication', 0)} dated after "
             f"publication left out)",
             f"{'period':<8} {'events':>6} {'verb.coop':>9} {'mat.coop':>8} {'verb.conf':>9} {'mat.conf':>8} "
             f"{'goldstein':>9} {'balance':>7}"]
    for s in res["series"]:
        q = s["quad"]
        lines.append(f"{s['period']:<8} {s['events']:>6} {q['1']:>9} {q['2']:>8} {q['3']:>9} {q['4']:>8} "
                     f"{s['goldstein_mean']:>+9.2f} {s['balance']:>+7.2f}")
    if u.get("difference") is None:
        lines.append(f"verdict: {res['verdict']}" + (f" ({u['reason']})" if u.get("reason") else ""))
    else:
        w = u["windows"]
        lines.append(
            f"verdict: {res['verdict']} (confidence {u['confidence']}): mean Goldstein {u['recent_mean']:+.2f} "
            f"in {w['recent'][0]}..{w['recent'][1]} (n={u['n_recent']}) vs {u['baseline_mean']:+.2f} in "
            f"{w['baseline'][0]}..{w['baseline'][1]} (n={u['n_baseline']}); difference {u['difference']:+.2f} "
            f"(shrunk from {u['raw_difference']:+.2f}), "
            f"95% interval [{u['ci95'][0]:+.2f}, {u['ci95'][1]:+.2f}]")
    if res.get("evidence_events"):
        lines.append("evidence:")
        for e in res["evidence_events"]:
            sent = " ".join(e["sentence"].split())
            lines.append(f"  {e['event_id']} {e['window']:<8} {e['date']:<10} {e['cameo']:<4} "
                         f"{e['goldstein']:+5.1f}  {sent[:90]}")
    return "\n".join(lines)


# -- actor codes ---------------------------------------------------------------------------
# ``check_codes`` and ``suggest_codes`` (imported above) are queries of the store,
# ``detente.store.query``'s; their names stay here for the code written against them.
