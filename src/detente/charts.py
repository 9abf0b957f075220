"""Charts of a relations result (``detente.relations.relations``): PNG and self-contained HTML.

Both show, per period on a true time axis (gaps stay gaps), the mean Goldstein score (top)
and the events by quad class as stacked bars (bottom), with the recent window shaded and the
verdict in the title. The HTML is one file: inline SVG, inline CSS and a few lines of inline
JavaScript (tooltips, legend toggles); it loads nothing from the network.
"""
from __future__ import annotations

import html as _html
import json
from typing import Any

__all__ = ["QUAD_COLORS", "QUAD_NAMES", "TONE_COLORS", "LINE_COLOR", "WINDOW_COLOR", "chart_style",
           "period_index", "write_png", "render_html", "write_html"]

#: the series' quad classes: names and the colours of their bars (the dashboard draws with these too)
QUAD_NAMES = {"1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict",
              "4": "material conflict"}
QUAD_COLORS = {"1": "#74c476", "2": "#238b45", "3": "#fd8d3c", "4": "#d7301f"}
#: the colour of a period's point by the sign of its mean Goldstein score (and of the verdicts)
TONE_COLORS = {"cooperation": "#238b45", "conflict": "#d7301f"}
#: the colour of the mean Goldstein line, and of the recent window's shading
LINE_COLOR = "#555"
WINDOW_COLOR = "#dbe9f6"


def chart_style() -> dict[str, Any]:
    """The names and colours the charts are drawn with, as JSON: ``quads`` (quad class ->
    ``[name, colour]``), ``tone`` (``cooperation`` / ``conflict`` -> colour), ``line`` and
    ``window``. The dashboard (``detente serve``) reads it, so its chart and these agree."""
    return {"quads": {q: [QUAD_NAMES[q], QUAD_COLORS[q]] for q in ("1", "2", "3", "4")},
            "tone": dict(TONE_COLORS), "line": LINE_COLOR, "window": WINDOW_COLOR}


def period_index(period: str, freq: str) -> int:
    """The slot of a series period on a true time axis (consecutive periods differ by one):
    ``"2024-03"`` by month, ``"2024-Q1"`` by quarter, ``"2024"`` by year."""
    return _index(period, freq)


def _index(period: str, freq: str) -> int:
    y = int(period[:4])
    if freq == "year":
        return y
    if freq == "quarter":
        return y * 4 + int(period[-1]) - 1
    return y * 12 + int(period[5:7]) - 1


def _tone(goldstein_mean: float) -> str:
    return TONE_COLORS["cooperation" if goldstein_mean >= 0 else "conflict"]


def _title(res: dict[str, Any]) -> str:
    a, b = res["dyad"]
    u = res.get("uncertainty") or {}
    conf = f", confidence {u['confidence']}" if u.get("confidence") else ""
    diff = f", Δ mean Goldstein {u['difference']:+.2f}" if u.get("difference") is not None else ""
    return f"{a} – {b}: {res['verdict']}{conf}{diff}"


def _ticks(xs: list[int], labels: list[str], max_ticks: int = 12) -> tuple[list[int], list[str]]:
    step = max(1, -(-len(xs) // max_ticks))
    return xs[::step], labels[::step]


def write_png(res: dict[str, Any], path: str) -> str:
    """Write the chart of a relations result as a PNG (matplotlib, Agg backend); returns path."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    ser = res["series"]
    freq = res["freq"]
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True,
                                   gridspec_kw={"height_ratios": [1.1, 1]})
    try:
        fig.suptitle(_title(res), fontsize=13, fontweight="bold")
        if not ser:
            ax1.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax1.transAxes)
        xs = [_index(s["period"], freq) for s in ser]
        labels = [s["period"] for s in ser]
        win = ((res.get("uncertainty") or {}).get("windows") or {}).get("recent")
        if win and ser:
            lo, hi = _index(win[0], freq) - 0.5, _index(win[1], freq) + 0.5
            for ax in (ax1, ax2):
                ax.axvspan(lo, hi, color=WINDOW_COLOR, zorder=0)
            ax1.text(lo, 1.02, " recent window", transform=ax1.get_xaxis_transform(), fontsize=8,
                     color="#4a6f99", va="bottom")
        g = [s["goldstein_mean"] for s in ser]
        n = [s["events"] for s in ser]
        ax1.axhline(0, color="#888", lw=0.8)
        ax1.plot(xs, g, color=LINE_COLOR, lw=1, zorder=2)
        big = max(n) if n else 1
        ax1.scatter(xs, g, s=[30 + 170 * k / big for k in n],
                    c=[_tone(v) for v in g], zorder=3, edgecolor="white")
        ax1.set_ylabel("mean Goldstein")
        top = max([abs(v) for v in g] + [1.0])
        ax1.set_ylim(-min(10.5, top * 1.3), min(10.5, top * 1.3))
        ax1.grid(axis="y", alpha=0.3)
        bottom = [0] * len(ser)
        for q in ("1", "2", "3", "4"):
            vals = [s["quad"][q] for s in ser]
            ax2.bar(xs, vals, bottom=bottom, width=0.8, color=QUAD_COLORS[q], label=QUAD_NAMES[q])
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax2.set_ylabel(res.get("counting", "events"))
        ax2.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax2.legend(loc="upper left", fontsize=8, ncol=4, frameon=False)
        ax2.set_ylim(0, max(bottom + [1]) * 1.25)
        ax2.grid(axis="y", alpha=0.3)
        if ser:
            tx, tl = _ticks(xs, labels)
            ax2.set_xticks(tx, tl, rotation=45 if len(tl) > 6 else 0, ha="right" if len(tl) > 6 else "center")
            ax2.set_xlim(min(xs) - 1, max(xs) + 1)
        note = (f"{res.get('undated', 0)} undated and {res.get('imprecise', 0)} imprecisely dated events "
                f"left out; per {freq}")
        fig.text(0.01, 0.01, note, fontsize=8, color="#666")
        fig.tight_layout(rect=(0, 0.03, 1, 0.97))
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
    return path


def render_html(res: dict[str, Any]) -> str:
    """One self-contained HTML page: inline SVG chart, tooltips, the table and the evidence."""
    ser = res["series"]
    freq = res["freq"]
    W, H, L, R, T = 900, 470, 60, 20, 30
    h1, gap, h2 = 170, 40, 170
    esc = _html.escape
    xs = [_index(s["period"], freq) for s in ser]
    x0, x1 = (min(xs) - 1, max(xs) + 1) if xs else (0, 1)
    span = max(1, x1 - x0)

    def px(x: float) -> float:
        return L + (x - x0) / span * (W - L - R)

    band = (W - L - R) / span * 0.8
    gmax = min(10.0, max([abs(s["goldstein_mean"]) for s in ser] + [1.0]) * 1.25)

    def py1(v: float) -> float:
        return T + h1 / 2 - v / gmax * (h1 / 2)

    nmax = max([s["events"] for s in ser] + [1]) * 1.15
    y2 = T + h1 + gap

    def py2(v: float) -> float:
        return y2 + h2 - v / nmax * h2

    parts: list[str] = []
    win = ((res.get("uncertainty") or {}).get("windows") or {}).get("recent")
    if win and ser:
        a, b = px(_index(win[0], freq) - 0.5), px(_index(win[1], freq) + 0.5)
        a = max(a, L)
        parts.append(f'<rect x="{a:.1f}" y="{T}" width="{max(0, b - a):.1f}" height="{h1 + gap + h2}" '
                     f'fill="{WINDOW_COLOR}"/><text x="{a + 3:.1f}" y="{T + 12}" class="note">recent window</text>')
    # axes and grid
    for v in (-gmax, -gmax / 2, 0, gmax / 2, gmax):
        parts.append(f'<line x1="{L}" x2="{W - R}" y1="{py1(v):.1f}" y2="{py1(v):.1f}" '
                     f'class="{"zero" if v == 0 else "grid"}"/>'
                     f'<text x="{L - 6}" y="{py1(v) + 4:.1f}" class="ax" text-anchor="end">{v:+.1f}</text>')
    for k in range(5):
        v = nmax / 1.15 * k / 4
        parts.append(f'<line x1="{L}" x2="{W - R}" y1="{py2(v):.1f}" y2="{py2(v):.1f}" class="grid"/>'
                     f'<text x="{L - 6}" y="{py2(v) + 4:.1f}" class="ax" text-anchor="end">{v:.0f}</text>')
    parts.append(f'<text x="14" y="{T + h1 / 2}" class="ax" transform="rotate(-90 14 {T + h1 / 2})" '
                 f'text-anchor="middle">mean Goldstein</text>')
    parts.append(f'<text x="14" y="{y2 + h2 / 2}" class="ax" transform="rotate(-90 14 {y2 + h2 / 2})" '
                 f'text-anchor="middle">{esc(res.get("counting", "events"))}</text>')
    # goldstein line and points, stacked bars
    if ser:
        pts = " ".join(f"{px(x):.1f},{py1(s['goldstein_mean']):.1f}" for x, s in zip(xs, ser))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{LINE_COLOR}" stroke-width="1.2"/>')
    for i, (x, s) in enumerate(zip(xs, ser)):
        bottom = 0
        for q in ("1", "2", "3", "4"):
            v = s["quad"][q]
            if v:
                parts.append(f'<rect class="bar q{q}" data-i="{i}" x="{px(x) - band / 2:.1f}" '
                             f'y="{py2(bottom + v):.1f}" width="{band:.1f}" height="{py2(bottom) - py2(bottom + v):.1f}" '
                             f'fill="{QUAD_COLORS[q]}"/>')
            bottom += v
        color = _tone(s["goldstein_mean"])
        r = 4 + 6 * s["events"] / (nmax / 1.15)
        parts.append(f'<circle class="pt" data-i="{i}" cx="{px(x):.1f}" '
                     f'cy="{py1(s["goldstein_mean"]):.1f}" r="{r:.1f}" fill="{color}" stroke="#fff"/>')
    tx, tl = _ticks(xs, [s["period"] for s in ser])
    last = -1e9
    for x, lab in zip(tx, tl):
        if px(x) - last < 7 * len(lab) + 6:
            continue  # would overlap the previous label: the tooltip and the table give it
        last = px(x)
        parts.append(f'<text x="{px(x):.1f}" y="{y2 + h2 + 16}" class="ax" text-anchor="middle">{esc(lab)}</text>')
    legend = "".join(
        f'<span class="leg" data-q="{q}"><i style="background:{QUAD_COLORS[q]}"></i>{esc(QUAD_NAMES[q])}</span>'
        for q in ("1", "2", "3", "4"))
    svg = (f'<svg viewBox="0 0 {W} {H}" width="100%" role="img" '
           f'aria-label="{esc(_title(res))}">{"".join(parts)}</svg>')
    rows = "".join(
        f"<tr><td>{esc(s['period'])}</td><td>{s['events']}</td>"
        + "".join(f"<td>{s['quad'][q]}</td>" for q in ("1", "2", "3", "4"))
        + f"<td>{s['goldstein_mean']:+.2f}</td><td>{s['balance']:+.2f}</td></tr>" for s in ser)
    ev = "".join(
        f"<tr><td><code>{esc(e['event_id'])}</code></td><td>{esc(e['window'])}</td><td>{esc(str(e['date']))}</td>"
        f"<td>{esc(e['cameo'])}</td><td>{e['goldstein']:+.1f}</td><td>{esc(' '.join(e['sentence'].split()))}</td></tr>"
        for e in res.get("evidence_events", []))
    u = res.get("uncertainty") or {}
    if u.get("difference") is not None:
        w = u["windows"]
        method = (f"Mean Goldstein {u['recent_mean']:+.2f} in {w['recent'][0]}–{w['recent'][1]} "
                  f"(n={u['n_recent']}) against {u['baseline_mean']:+.2f} in {w['baseline'][0]}–"
                  f"{w['baseline'][1]} (n={u['n_baseline']}): difference {u['difference']:+.2f}, 95% interval "
                  f"[{u['ci95'][0]:+.2f}, {u['ci95'][1]:+.2f}] ({esc(u.get('interval', ''))}); "
                  f"|difference| ≤ {u['delta']} is stable.")
    else:
        method = "One side of the comparison has no dated event."
    data = json.dumps(ser, ensure_ascii=True).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(_title(res))}</title>
<style>
body{{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:960px;color:#222}}
h1{{font-size:1.3em}} .ax{{font-size:11px;fill:#555}} .note{{font-size:11px;fill:#4a6f99}}
.grid{{stroke:#e4e4e4}} .zero{{stroke:#888}} .bar:hover,.pt:hover{{opacity:.75;cursor:pointer}}
#tip{{position:fixed;pointer-events:none;background:#fff;border:1px solid #aaa;padding:4px 8px;
font-size:12px;display:none;box-shadow:0 1px 4px #0003}}
.leg{{margin-right:1.2em;cursor:pointer;user-select:none}} .leg.off{{opacity:.35}}
.leg i{{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}}
table{{border-collapse:collapse;margin:.8em 0}} td,th{{border-bottom:1px solid #ddd;padding:2px 8px;text-align:right}}
td:last-child{{text-align:left}} .small{{color:#666;font-size:12px}}
</style></head><body>
<h1>{esc(_title(res))}</h1>
<p class="small">{esc(method)} Per {esc(freq)}; counting {esc(res.get('counting', 'events'))};
{res.get('undated', 0)} undated and {res.get('imprecise', 0)} imprecisely dated events left out.</p>
<div>{legend}</div>
{svg}
<div id="tip"></div>
<h2>Series</h2>
<table><tr><th>period</th><th>events</th><th>verbal coop.</th><th>material coop.</th><th>verbal conflict</th>
<th>material conflict</th><th>mean Goldstein</th><th>balance</th></tr>{rows}</table>
<h2>Evidence</h2>
<table><tr><th>event</th><th>window</th><th>date</th><th>CAMEO</th><th>Goldstein</th><th>sentence</th></tr>{ev}</table>
<script>
(function(){{
var S={data};var tip=document.getElementById('tip');
function show(e){{var s=S[+e.target.getAttribute('data-i')];if(!s)return;
tip.innerHTML='<b>'+s.period+'</b><br>'+s.events+' events, mean Goldstein '+s.goldstein_mean.toFixed(2)+
'<br>verbal coop. '+s.quad['1']+', material coop. '+s.quad['2']+'<br>verbal conflict '+s.quad['3']+
', material conflict '+s.quad['4'];tip.style.display='block';tip.style.left=(e.clientX+12)+'px';
tip.style.top=(e.clientY+12)+'px';}}
document.querySelectorAll('.bar,.pt').forEach(function(n){{n.addEventListener('mousemove',show);
n.addEventListener('mouseleave',function(){{tip.style.display='none';}});}});
document.querySelectorAll('.leg').forEach(function(l){{l.addEventListener('click',function(){{
l.classList.toggle('off');var off=l.classList.contains('off');
document.querySelectorAll('.bar.q'+l.getAttribute('data-q')).forEach(function(b){{b.style.display=off?'none':'';}});}});}});
}})();
</script>
</body></html>
"""


def write_html(res: dict[str, Any], path: str) -> str:
    """Write :func:`render_html` to ``path`` (UTF-8); returns the path."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render_html(res))
    return path
