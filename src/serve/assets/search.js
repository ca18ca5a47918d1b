// The search page (`/?q=…&sort=…&n=…`): results with "load more" paging
// over every hit, facets, filter chips, year/month histogram, province map
// and export links. Every filter is a link to a new address, so each state
// of the page can be shared; `n` (hits shown) is kept in the address as
// more pages load.

import {
  $, el, link, TYPE_TH, MONTHS_TH, num, tokens, isFilter, filterToken, toggle,
  without, state, searchUrl, monthRange, api, errorNode, hitNode,
} from "./util.js";
import { renderMap } from "./map.js";

const PAGE = 20;
const MAX_LIMIT = 1000;

// Headings of the facets; the side lists the answer's facets in its order,
// one without a heading here under its name (`month` is a histogram).
const FACET_HEADINGS = {
  type: "ประเภทเอกสาร (type)",
  province: "จังหวัด (province)",
  year: "ปี พ.ศ. (year)",
  fy: "ปีงบประมาณ (fiscal year)",
  order: "คำสั่งที่อ้างถึง (cited orders)",
  official: "เจ้าหน้าที่ (officials)",
};
const SHOWN_VALUES = 8;

const EXAMPLES = [
  ["order:2/2566", "เอกสารที่อ้างถึงคำสั่งที่ 2/2566 (เท่ากับ ๒/๒๕๖๖)"],
  ["type:order order:2/2566", "คำสั่งที่อ้างถึงคำสั่งที่ 2/2566"],
  ["province:ภูเก็ต type:news", "ข่าวที่กล่าวถึงจังหวัดภูเก็ต"],
  ["\"สิทธิมนุษยชน\" fy:2566", "วลีนี้ในเอกสารปีงบประมาณ 2566"],
  ["plan:\"แผนสิทธิมนุษยชนแห่งชาติ\"", "เอกสารที่อ้างถึงแผนสิทธิมนุษยชนแห่งชาติ"],
];

const EXPORTS = [
  ["provinces", "จังหวัด"], ["officials", "เจ้าหน้าที่"], ["orders", "คำสั่ง"],
  ["doc-numbers", "เลขที่หนังสือ"], ["plans", "แผน"], ["dates", "วันที่"], ["all", "ทั้งหมด"],
];

/** The filter token a facet value stands for. */
function facetToken(name, f) {
  switch (name) {
    case "year": return `date:${f.be || parseInt(f.value, 10) + 543}`;
    case "month": return `date:${monthRange(f.value)}`;
    default: return filterToken(name, f.value);
  }
}

function facetLabel(name, f) {
  switch (name) {
    case "type": return `${TYPE_TH[f.value] || f.value} (${f.value})`;
    case "year": return `${f.be || parseInt(f.value, 10) + 543} (${f.value})`;
    case "fy": return `ปีงบ ${f.value}`;
    default: return f.value;
  }
}

export function searchPage(view) {
  const params = new URLSearchParams(window.location.search);
  const q = (params.get("q") || "").trim();
  const sort = params.get("sort") === "date" ? "date" : "relevance";
  const wanted = Math.max(PAGE, Math.min(MAX_LIMIT, parseInt(params.get("n") || "0", 10) || 0));
  $("q").value = q;
  $("sort").value = sort;
  document.title = q ? `${q} · สารบรรณ` : "สารบรรณ · ค้นหาเอกสารราชการ";

  const side = el("aside", null, "side");
  side.id = "facets";
  side.setAttribute("aria-label", "ตัวกรอง (facets)");
  const body = el("section", null, "results");
  const chips = el("div", null, "chips"); chips.id = "chips";
  const status = el("p", null, "status"); status.id = "status"; status.setAttribute("role", "status");
  const hist = el("div", null, "histograms"); hist.id = "histogram";
  const exports = el("div", null, "exports"); exports.id = "exports";
  const hits = el("ol", null, "hits"); hits.id = "hits";
  const more = el("button", "แสดงเพิ่ม (load more)", "more"); more.id = "more"; more.type = "button"; more.hidden = true;
  const shown = el("p", null, "shown"); shown.id = "shown";
  body.append(chips, status, hist, exports, hits, more, shown);
  view.append(side, body);
  view.className = "search-view";

  if (!q) return landing(side, status, hist, hits);
  renderChips(chips, q, sort);
  renderExports(exports, q);

  let cursor = null;
  let total = 0;
  let count = 0;
  const load = async (limit, first) => {
    more.disabled = true;
    const p = new URLSearchParams({ q, limit: String(limit) });
    if (sort !== "relevance") p.set("sort", sort);
    if (cursor) p.set("cursor", cursor);
    if (!first) p.set("facets", "false");
    const r = await api("/api/v1/search?" + p.toString());
    more.disabled = false;
    if (!r.ok) {
      status.replaceChildren(errorNode(r.body.error || `HTTP ${r.status}`));
      more.hidden = true;
      return false;
    }
    const b = r.body;
    if (first) {
      total = b.total;
      const exact = b.total_exact !== false;
      status.textContent = exact
        ? `พบ ${num(b.total)} เอกสาร (${b.total} documents)`
        : `พบอย่างน้อย ${num(b.total)} เอกสาร (at least ${b.total} documents)`;
      if (typeof b.took_ms === "number") status.append(el("small", ` · ${b.took_ms.toFixed(1)} ms`));
      await renderFacets(side, b.facets, q, sort);
      renderHistograms(hist, b.facets, q, sort);
    }
    for (const h of b.hits || []) hits.append(hitNode(h, q));
    count += (b.hits || []).length;
    cursor = b.next_cursor || null;
    more.hidden = !cursor;
    shown.textContent = cursor
      ? `แสดง ${num(count)} จาก ${num(total)} (showing ${count})`
      : count > 0 ? `แสดงครบ ${num(count)} รายการ (all ${count} shown)` : "ไม่พบเอกสาร (no documents)";
    return true;
  };
  more.addEventListener("click", async () => {
    if (!cursor) return;
    if (await load(PAGE, false)) {
      const p = new URLSearchParams(window.location.search);
      p.set("n", String(count));
      history.replaceState(null, "", "/?" + p.toString());
    }
  });
  return load(wanted, true);
}

/** The page without a query: what the index holds, with links into it. */
async function landing(side, status, hist, hits) {
  const r = await api("/api/v1/stats");
  if (!r.ok) { status.replaceChildren(errorNode(r.body.error || `HTTP ${r.status}`)); return; }
  const s = r.body;
  status.textContent = `คลังเอกสารมี ${num(s.documents)} เอกสาร (${s.documents} documents) — พิมพ์คำค้นด้านบน หรือเลือกจากรายการ`;
  const byType = Object.entries(s.by_type || {}).map(([value, count]) => ({ value, count }));
  const byProv = Object.entries(s.by_province || {}).map(([value, count]) => ({ value, count }));
  const byYear = Object.entries(s.by_year || {}).filter(([y]) => /^\d{4}$/.test(y))
    .map(([value, count]) => ({ value, count }));
  const mapBox = el("div", null, "map"); mapBox.id = "map";
  side.append(mapBox);
  const drawn = renderMap(mapBox, byProv, "", "relevance");
  const lists = [["type", byType], ["province", byProv], ["year", byYear]];
  for (const [name, values] of lists) {
    values.sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
    const label = FACET_HEADINGS[name] || name;
    side.append(facetBlock(name, label, values, "", "relevance"));
  }
  renderHistograms(hist, { year: byYear }, "", "relevance");
  const examples = el("div", null, "examples");
  examples.append(el("h2", "ตัวอย่างคำค้น (examples)"));
  const ul = el("ul");
  for (const [ex, what] of EXAMPLES) {
    const li = el("li");
    li.append(link(searchUrl(ex), ex, "example"), el("span", ` — ${what}`, "muted"));
    ul.append(li);
  }
  examples.append(ul);
  hits.replaceWith(examples);
  await drawn;
}

function renderChips(box, q, sort) {
  const filters = tokens(q).filter(isFilter);
  if (filters.length === 0) return;
  box.append(el("span", "ตัวกรอง: ", "chips-label"));
  for (const t of filters) {
    const neg = t.startsWith("-");
    const a = link(searchUrl(without(q, t), sort), null, neg ? "chip neg" : "chip");
    a.title = "เอาตัวกรองออก (remove filter)";
    a.append(el("span", neg ? `ไม่เอา ${t.slice(1)}` : t), el("span", " ×", "x"));
    box.append(a);
  }
}

function renderExports(box, q) {
  box.append(el("span", "ส่งออกผลการค้น (export): ", "exports-label"));
  const table = el("span", null, "export-links");
  for (const [kind, label] of EXPORTS) {
    const group = el("span", null, "export");
    group.append(el("span", label + " "));
    for (const format of ["csv", "jsonl"]) {
      const a = link(`/api/v1/export/${kind}?${new URLSearchParams({ q, format })}`,
        format.toUpperCase(), `dl dl-${kind}-${format}`);
      a.setAttribute("download", `saraban-${kind}.${format}`);
      group.append(a, document.createTextNode(" "));
    }
    table.append(group);
  }
  box.append(table);
}

function facetBlock(name, label, values, q, sort) {
  const block = el("div", null, "facet");
  block.dataset.facet = name;
  block.append(el("h3", label));
  const ul = el("ul");
  values.forEach((f, i) => {
    const tok = facetToken(name, f);
    const st = state(q, tok);
    const li = el("li", null, st ? `fv ${st}` : "fv");
    if (i >= SHOWN_VALUES && !st) li.classList.add("extra");
    const a = link(searchUrl(toggle(q, tok, false), sort), facetLabel(name, f), "add");
    a.dataset.token = tok;
    a.title = st === "on" ? "คลิกอีกครั้งเพื่อเอาออก (remove)" : "กรองเฉพาะค่านี้ (filter)";
    const minus = link(searchUrl(toggle(q, tok, true), sort), "−", "exclude");
    minus.title = "ไม่เอาค่านี้ (exclude)";
    minus.setAttribute("aria-label", `ไม่เอา ${facetLabel(name, f)}`);
    li.append(a, el("span", num(f.count), "count"), minus);
    ul.append(li);
  });
  block.append(ul);
  if (values.length > SHOWN_VALUES) {
    const all = el("button", `ดูทั้งหมด ${values.length} (all)`, "all");
    all.type = "button";
    all.addEventListener("click", () => { block.classList.toggle("open"); });
    block.append(all);
  }
  return block;
}

async function renderFacets(side, facets, q, sort) {
  side.replaceChildren();
  if (!facets) return;
  const mapBox = el("div", null, "map"); mapBox.id = "map";
  side.append(mapBox);
  const drawn = renderMap(mapBox, facets.province || [], q, sort);
  for (const [name, values] of Object.entries(facets)) {
    if (name === "month" || !Array.isArray(values) || values.length === 0) continue;
    side.append(facetBlock(name, FACET_HEADINGS[name] || name, values, q, sort));
  }
  await drawn;
}

/** Bars of counts per year (and per month when the answer has a `month`
 * facet); a bar links to the search narrowed to its period. */
function renderHistograms(box, facets, q, sort) {
  box.replaceChildren();
  if (!facets) return;
  const years = Array.isArray(facets.year) ? facets.year.slice() : [];
  if (years.length > 0) {
    years.sort((a, b) => parseInt(a.value, 10) - parseInt(b.value, 10));
    // Fill the gaps of a short span so the bars keep their place in time.
    const lo = parseInt(years[0].value, 10);
    const hi = parseInt(years[years.length - 1].value, 10);
    let series = years;
    if (hi - lo < 40) {
      const by = new Map(years.map((y) => [parseInt(y.value, 10), y]));
      series = [];
      for (let y = lo; y <= hi; y++) {
        series.push(by.get(y) || { value: String(y), be: String(y + 543), count: 0 });
      }
    }
    box.append(histogram("year", "จำนวนเอกสารตามปี พ.ศ. (by year)", series, q, sort,
      (f) => String(f.be || parseInt(f.value, 10) + 543)));
  }
  const months = Array.isArray(facets.month) ? facets.month.filter((m) => /^\d{4}-\d{2}$/.test(String(m.value))) : [];
  if (months.length > 0) {
    months.sort((a, b) => String(a.value).localeCompare(String(b.value)));
    box.append(histogram("month", "ตามเดือน (by month)", months, q, sort, (f) => {
      const [y, m] = String(f.value).split("-");
      return `${MONTHS_TH[parseInt(m, 10) - 1]} ${String(parseInt(y, 10) + 543).slice(2)}`;
    }));
  }
}

function histogram(name, label, series, q, sort, short) {
  const fig = el("figure", null, `histogram h-${name}`);
  fig.dataset.facet = name;
  fig.append(el("figcaption", label));
  const bars = el("div", null, "bars");
  const max = Math.max(1, ...series.map((f) => f.count));
  for (const f of series) {
    const tok = facetToken(name, f);
    const st = state(q, tok);
    // An empty year keeps its place in time but leads nowhere.
    const a = f.count > 0
      ? link(searchUrl(toggle(q, tok, false), sort), null, st ? `bar ${st}` : "bar")
      : el("span", null, "bar");
    a.dataset.token = tok;
    a.dataset.count = String(f.count);
    a.title = `${short(f)} (${f.value}): ${num(f.count)} เอกสาร`;
    const fill = el("span", null, "fill");
    fill.style.height = `${Math.round((f.count / max) * 100)}%`;
    a.append(el("span", f.count ? num(f.count) : "", "n"), fill, el("span", short(f), "label"));
    if (f.count === 0) a.classList.add("empty");
    bars.append(a);
  }
  fig.append(bars);
  return fig;
}
