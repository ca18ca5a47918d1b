// Search page: reads ?q= from the address, asks /api/v1/search, renders
// with DOM calls (text is set with textContent; the snippet is the API's
// escaped HTML whose only markup is <b>, rebuilt here element by element).
"use strict";

const params = new URLSearchParams(window.location.search);
const query = (params.get("q") || "").trim();
const $ = (id) => document.getElementById(id);
let cursor = null;

const TYPE_TH = {
  order: "คำสั่ง", circular: "หนังสือเวียน", letter: "หนังสือ",
  announcement: "ประกาศ", news: "ข่าว", other: "อื่น ๆ",
};
const FACETS = [
  ["type", "ประเภท (type)"], ["province", "จังหวัด (province)"],
  ["year", "ปี (year)"], ["fy", "ปีงบประมาณ (fiscal year)"],
  ["order", "คำสั่งที่อ้างถึง (cited orders)"], ["official", "เจ้าหน้าที่ (officials)"],
];

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

// Decodes the five entities the API escapes.
function unescapeHtml(s) {
  return s.replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_, n) =>
    ({ lt: "<", gt: ">", quot: "\"", "#39": "'", "#x27": "'", amp: "&" })[n]);
}

function snippetNode(snippet) {
  const p = el("p", null, "snippet");
  const parts = String(snippet).split(/(<b>|<\/b>)/);
  let bold = false;
  for (const part of parts) {
    if (part === "<b>") { bold = true; continue; }
    if (part === "</b>") { bold = false; continue; }
    const text = unescapeHtml(part);
    p.appendChild(bold ? el("b", text) : document.createTextNode(text));
  }
  return p;
}

function dateText(d) {
  if (!d) return "ไม่ระบุวันที่";
  const y = parseInt(d.slice(0, 4), 10);
  return `${d} (พ.ศ. ${y + 543})`;
}

function quoteValue(v) {
  return /[\s"()]/.test(v) ? `"${v.replace(/"/g, "")}"` : v;
}

function filterFor(name, f) {
  switch (name) {
    case "year": return `date:${f.be}`;
    case "fy": return `fy:${f.value}`;
    default: return `${name}:${quoteValue(f.value)}`;
  }
}

function searchUrl(q) {
  return "/?" + new URLSearchParams({ q }).toString();
}

function renderFacets(facets) {
  const box = $("facets");
  box.replaceChildren();
  if (!facets) return;
  for (const [name, label] of FACETS) {
    const values = facets[name] || [];
    if (values.length === 0) continue;
    box.appendChild(el("h3", label));
    const ul = el("ul");
    for (const f of values) {
      const filter = filterFor(name, f);
      const on = query.split(/\s+/).includes(filter);
      const li = el("li");
      const a = el("a", (name === "type" ? TYPE_TH[f.value] || f.value : f.value) +
        (name === "year" ? ` / ${f.be}` : ""));
      a.href = searchUrl(on ? query.replace(filter, "").trim() || query : `${query} ${filter}`);
      if (on) a.className = "on";
      const minus = el("a", "−");
      minus.title = "ไม่เอา (exclude)";
      minus.href = searchUrl(`${query} -${filter}`);
      li.append(a, el("span", f.count, "count"), minus);
      ul.appendChild(li);
    }
    box.appendChild(ul);
  }
}

function renderHits(hits) {
  const ol = $("hits");
  for (const h of hits) {
    const li = el("li");
    const title = el("a", h.title || h.source);
    title.href = "/api/v1/documents/" + encodeURIComponent(h.id);
    const meta = el("div", [TYPE_TH[h.type] || h.type, dateText(h.date),
      (h.provinces || []).join(", ")].filter(Boolean).join(" · "), "meta");
    li.append(title, meta, snippetNode(h.snippet));
    ol.appendChild(li);
  }
}

function renderExports() {
  const p = $("exports");
  p.replaceChildren(document.createTextNode("ส่งออก (export): "));
  for (const format of ["csv", "jsonl"]) {
    const a = el("a", format.toUpperCase());
    a.href = `/api/v1/export/all?${new URLSearchParams({ q: query, format })}`;
    p.append(a, document.createTextNode(" "));
  }
}

async function load() {
  const url = new URLSearchParams({ q: query, limit: "20" });
  if (cursor) { url.set("cursor", cursor); url.set("facets", "false"); }
  const resp = await fetch("/api/v1/search?" + url.toString());
  const body = await resp.json();
  if (!resp.ok) {
    $("status").replaceChildren(el("span", body.error || resp.statusText, "error"));
    return;
  }
  if (!cursor) {
    $("status").textContent = `พบ ${body.total.toLocaleString("th-TH")} เอกสาร (${body.total} documents)`;
    renderFacets(body.facets);
    renderExports();
  }
  renderHits(body.hits);
  cursor = body.next_cursor;
  $("more").hidden = !cursor;
}

$("q").value = query;
$("more").addEventListener("click", () => { load(); });
if (query) load();
