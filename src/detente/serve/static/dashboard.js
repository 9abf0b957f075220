// The dashboard of `detente serve` (detente/serve/static/dashboard.js, inlined into the page by
// detente.serve.dashboard.dashboard_html). Its data come from the API; the names and colours of
// the chart from detente.charts.chart_style(), put into the page as JSON (#chart-style).
"use strict";
const $ = (id) => document.getElementById(id);
const STYLE = JSON.parse($("chart-style").textContent);
const Q = STYLE.quads;  // quad class -> [name, colour]
const tone = (v) => v >= 0 ? STYLE.tone.cooperation : STYLE.tone.conflict;
document.documentElement.style.setProperty("--cooperation", STYLE.tone.cooperation);
document.documentElement.style.setProperty("--conflict", STYLE.tone.conflict);
const SVG = "http://www.w3.org/2000/svg";
function el(tag, attrs, text) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function row(cells) { const tr = el("tr"); for (const c of cells) tr.append(c instanceof Node ? c : el("td", {}, c)); return tr; }
function num(v) { return el("td", {class: "n"}, v); }
function verdictCell(v) { return el("td", {class: "v " + v.split(" ")[0]}, v); }
async function api(path) {
  const t = sessionStorage.getItem("detente-token");
  const r = await fetch(path, t ? {headers: {Authorization: "Bearer " + t}} : {});
  if (r.status === 401) {
    const given = prompt("This server needs a token (detente serve --token):");
    if (given) { sessionStorage.setItem("detente-token", given.trim()); return api(path); }
  }
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}
function fmt(x) { return (x >= 0 ? "+" : "") + x.toFixed(2); }
function cameoCell(code, name) { const td = el("td", {class: "c"}); td.append(el("b", {}, code)); if (name) td.append(" " + name); return td; }

function chart(res) {
  const ser = res.series, W = 860, H = 330, L = 48, R = 12, T = 10, h1 = 120, gap = 34, h2 = 130;
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img"});
  if (!ser.length) { $("chart").replaceChildren(el("p", {class: "muted"}, "No dated events for this pair.")); return; }
  // one slot per period from the first to the last, so that gaps in time show as gaps
  const idx = (p) => { const m = /^(\d{4})(?:-Q(\d)|-(\d{2}))?$/.exec(p);
    return m[2] ? m[1] * 4 + (m[2] - 1) : m[3] ? m[1] * 12 + (m[3] - 1) : +m[1]; };
  const i0 = idx(ser[0].period), n = idx(ser[ser.length - 1].period) - i0 + 1;
  const bw = (W - L - R) / n, x = (i) => L + bw * (idx(ser[i].period) - i0 + 0.5);
  const gmax = Math.min(10, Math.ceil(Math.max(1, ...ser.map(s => Math.abs(s.goldstein_mean))) * 1.2));
  const y1 = (v) => T + h1 / 2 - v / gmax * h1 / 2, top2 = T + h1 + gap;
  const top = Math.max(...ser.map(s => s.events)), nmax = Math.max(4, top <= 10 ? top + 1 : top * 1.1);
  const y2 = (v) => top2 + h2 - v / nmax * h2;
  const win = ((res.uncertainty || {}).windows || {}).recent;
  if (win) {
    const left = L + bw * Math.max(0, idx(win[0]) - i0);
    svg.append(el("svg:rect", {x: left, y: T, width: W - R - left, height: h1 + gap + h2, fill: STYLE.window}));
    svg.append(el("svg:text", {x: left + 3, y: T + 11}, "recent window"));
  }
  for (const v of [-gmax, 0, gmax]) {
    svg.append(el("svg:line", {x1: L, x2: W - R, y1: y1(v), y2: y1(v), stroke: v ? "#e3e3e3" : "#999"}));
    svg.append(el("svg:text", {x: L - 5, y: y1(v) + 4, "text-anchor": "end"}, (v > 0 ? "+" : "") + v));
  }
  for (const v of [...new Set([0, Math.round(top / 2), top])]) {
    svg.append(el("svg:line", {x1: L, x2: W - R, y1: y2(v), y2: y2(v), stroke: "#e3e3e3"}));
    svg.append(el("svg:text", {x: L - 5, y: y2(v) + 4, "text-anchor": "end"}, Math.round(v)));
  }
  svg.append(el("svg:text", {x: L, y: T + h1 + 14}, "mean Goldstein (top) and " + res.counting + " per " + res.freq + " by quad class (bottom)"));
  // one line per run of consecutive periods: no line across a period without events
  let run = [];
  const flush = () => { if (run.length > 1) svg.append(el("svg:polyline", {class: "trend", points: run.join(" "), fill: "none", stroke: STYLE.line})); run = []; };
  ser.forEach((s, i) => { if (i && idx(s.period) !== idx(ser[i - 1].period) + 1) flush(); run.push(`${x(i)},${y1(s.goldstein_mean)}`); });
  flush();
  let lastLabel = -1e9;
  ser.forEach((s, i) => {
    const tip = `${s.period}: ${s.events} ${res.counting}, mean Goldstein ${fmt(s.goldstein_mean)}; ` +
      Object.keys(Q).map(q => `${Q[q][0]} ${s.quad[q]}`).join(", ");
    const c = el("svg:circle", {cx: x(i), cy: y1(s.goldstein_mean), r: 3.5, fill: tone(s.goldstein_mean)});
    c.append(el("svg:title", {}, tip)); svg.append(c);
    let py = top2 + h2;  // stacked from the bottom; a segment of 1 event is at least 4 px high
    for (const q of Object.keys(Q)) {
      const v = s.quad[q]; if (!v) continue;
      const bh = Math.max(4, v / nmax * h2), bwid = Math.max(3, bw * 0.8);
      const r = el("svg:rect", {class: "bar", x: x(i) - bwid / 2, width: bwid, y: py - bh, height: bh, fill: Q[q][1]});
      r.append(el("svg:title", {}, tip)); svg.append(r); py -= bh;
    }
    if (x(i) - lastLabel >= 58 && (lastLabel = x(i))) svg.append(el("svg:text", {x: Math.min(x(i), W - R - 22), y: top2 + h2 + 14, "text-anchor": "middle"}, s.period));
  });
  $("chart").replaceChildren(svg);
  $("legend").replaceChildren(...Object.keys(Q).map(q => { const s = el("span", {class: "leg"}); s.append(el("i", {style: "background:" + Q[q][1]}), Q[q][0]); return s; }));
}

// the places of a dyad's events: points by longitude and latitude over the countries' shapes
// (Natural Earth 1:110m, served by detente at /static/world-110m.json; no tiles, offline), in
// one equirectangular projection; the dyad's own countries are shaded darker
let WORLD = null;
function world() {
  if (!WORLD) WORLD = fetch("/static/world-110m.json").then(r => r.ok ? r.json() : null).catch(() => null);
  return WORLD;
}
async function showMap(events, dyad) {
  const W = 860, H = 430, P = {}, svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", id: "mapsvg"});
  const px = (lon) => (lon + 180) / 360 * W, py = (lat) => (90 - lat) / 180 * H;
  svg.append(el("svg:rect", {x: 0, y: 0, width: W, height: H, fill: "#eef3f8"}));
  const shapes = await world();
  if (shapes) {  // paths in tenths of a degree: x = (lon + 180) * 10, y = (90 - lat) * 10
    const land = el("svg:g", {id: "land", transform: `scale(${W / 3600} ${H / 1800})`});
    for (const c of shapes.countries) {
      const p = el("svg:path", {d: c.d, class: "country" + (dyad.includes(c.iso3) ? " dyad" : ""),
                                "data-iso3": c.iso3 || "", "vector-effect": "non-scaling-stroke"});
      p.append(el("svg:title", {}, c.name)); land.append(p);
    }
    svg.append(land);
  }
  for (let lon = -180; lon <= 180; lon += 30) svg.append(el("svg:line", {x1: px(lon), x2: px(lon), y1: 0, y2: H, stroke: lon ? "#d5dde6" : "#aab6c4", "stroke-opacity": 0.6}));
  for (let lat = -90; lat <= 90; lat += 30) svg.append(el("svg:line", {x1: 0, x2: W, y1: py(lat), y2: py(lat), stroke: lat ? "#d5dde6" : "#aab6c4", "stroke-opacity": 0.6}));
  let placed = 0;
  for (const e of events) {
    const l = e.location; if (!l || l.lat === null || l.lon === null || l.lat === undefined) continue;
    const k = `${l.lat},${l.lon}`; placed++;
    (P[k] = P[k] || {l, n: 0, ids: []}).n++; P[k].ids.push(e.event_id);
  }
  for (const k in P) {
    const {l, n, ids} = P[k], a = el("svg:a", {href: "/event/" + encodeURIComponent(ids[0]) + "#evidence", class: "place"});
    const c = el("svg:circle", {cx: px(l.lon), cy: py(l.lat), r: 3 + 2 * Math.sqrt(n), fill: "#1f3a5f", "fill-opacity": 0.6, stroke: "#fff"});
    c.append(el("svg:title", {}, `${l.name}${l.country ? ", " + l.country : ""}: ${n} event${n > 1 ? "s" : ""}`));
    a.append(c); svg.append(a);
  }
  $("mapnote").textContent = `(${placed} of ${events.length} events with a known place; longitude across, latitude up)`;
  $("map").replaceChildren(svg);
}

function showVerdict(res) {
  const u = res.uncertainty || {}, d = $("verdict");
  d.className = ""; d.replaceChildren();
  d.append("Verdict: ", el("span", {class: "v " + res.verdict.split(" ")[0]}, res.verdict));
  if (u.confidence) d.append(` (confidence ${u.confidence})`);
  const small = el("small");
  if (u.difference !== null && u.difference !== undefined) {
    const w = u.windows;
    small.textContent = `mean Goldstein ${fmt(u.recent_mean)} in ${w.recent[0]}..${w.recent[1]} (n=${u.n_recent}) vs ` +
      `${fmt(u.baseline_mean)} in ${w.baseline[0]}..${w.baseline[1]} (n=${u.n_baseline}); difference ${fmt(u.difference)}, ` +
      `95% interval [${fmt(u.ci95[0])}, ${fmt(u.ci95[1])}]`;
  } else small.textContent = "Too few dated events before and after the recent window to compare.";
  small.append(el("br"), `${res.counted} ${res.counting} counted; ${res.undated} undated, ${res.imprecise} with a coarser date, ${res.excluded_modality} hypothetical/negated left out, ${res.after_publication || 0} dated after their article left out.`);
  d.append(small);
  const body = $("evidence").tBodies[0];
  body.replaceChildren(...(res.evidence_events || []).map(e => {
    const s = el("td", {class: "s"}), go = el("a", {href: "/event/" + encodeURIComponent(e.event_id) + "#evidence", class: "ev"}, e.sentence);
    s.append(go);
    if (/^https?:\/\//i.test(e.url || "")) s.append(" ", el("a", {href: e.url, class: "art", rel: "noreferrer noopener"}, "[article]"));
    return row([e.window, e.date, cameoCell(e.cameo, e.cameo_name), num(fmt(e.goldstein)), num(e.mentions), s]);
  }));
  if (!body.rows.length) body.append(row([el("td", {colspan: 6, class: "muted"}, "No evidence.")]));
}

async function load(a, b, freq) {
  $("err").textContent = ""; $("a").value = a; $("b").value = b; $("freq").value = freq;
  $("title").textContent = `Relations ${a} – ${b}, per ${freq}`;
  for (const tr of $("dyads").tBodies[0].rows) tr.classList.toggle("sel", tr.dataset.key === a + "-" + b);
  try {
    const res = await api(`/api/relations?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}&freq=${freq}`);
    chart(res); showVerdict(res);
    history.replaceState(null, "", `#${a}-${b}-${freq}`);
    const ev = await api(`/api/events?dyad=${encodeURIComponent(a)},${encodeURIComponent(b)}&limit=5000`);
    await showMap(ev.events, [a, b]);
  } catch (e) { $("err").textContent = e.message; }
}

async function init() {
  try {
    const h = await api("/api/health");
    $("health").textContent = `${h.documents} documents · ${h.events} event reports · ${h.canonical_events} events`;
  } catch (e) { $("health").textContent = "database unavailable: " + e.message; }
  let first = null;
  try {
    const d = await api("/api/dyads?top=15&freq=quarter");
    $("dyads").tBodies[0].replaceChildren(...d.dyads.map(r => {
      const tr = row([r.dyad.join("–"), num(r.events), verdictCell(r.verdict), r.confidence || "–"]);
      tr.dataset.key = r.dyad.join("-");
      tr.onclick = () => load(r.dyad[0], r.dyad[1], $("freq").value);
      return tr;
    }));
    if (d.dyads.length) first = d.dyads[0].dyad;
  } catch (e) { $("err").textContent = e.message; }
  $("pick").onsubmit = (ev) => { ev.preventDefault(); load($("a").value.trim().toUpperCase(), $("b").value.trim().toUpperCase(), $("freq").value); };
  const m = /^#([A-Za-z0-9]+)-([A-Za-z0-9]+)-(month|quarter|year)$/.exec(location.hash);
  if (m) load(m[1].toUpperCase(), m[2].toUpperCase(), m[3]);
  else if (first) load(first[0], first[1], "quarter");
}
init();
