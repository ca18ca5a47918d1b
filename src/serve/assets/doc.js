// The document page (`/doc/ID?q=…`): metadata, the text as written with
// every entity mention highlighted by kind (each a link to its filter), the
// query's matches marked and scrolled to, the original file beside the
// text, and the orders it cites or that cite it.
//
// Mention offsets are Unicode scalar offsets: the text is split with
// Array.from (code points), never indexed as UTF-16.

import {
  $, el, link, TYPE_TH, dateText, num, tokens, isFilter, filterToken, searchUrl,
  arabicDigits, monthRange, api, errorNode, hitNode, orderUrl,
} from "./util.js";

/** Kinds of mention: JSON list, label, and the filter a mention links to. */
const KINDS = [
  ["provinces", "จังหวัด (province)", (m) => m.name && filterToken("province", m.name)],
  ["officials", "เจ้าหน้าที่ (official)", (m) => m.name && filterToken("official", m.name)],
  ["orders", "คำสั่ง/มติ (order)", (m) => m.number && filterToken(m.self ? "number" : "order", m.number)],
  ["doc_numbers", "เลขที่หนังสือ (letter no.)", (m) => m.number && `"${String(m.number).replace(/"/g, "")}"`],
  ["plans", "แผน (plan)", (m) => m.name && filterToken("plan", m.name)],
  ["dates", "วันที่ (date)", (m) => dateFilter(m.value)],
];

/** The `date:`/`fy:` filter of a date mention's value, when it has one. */
function dateFilter(v) {
  if (!v) return null;
  let m;
  if ((m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(v))) return `date:${m[1]}..${m[1]}`;
  if (/^\d{4}-\d{2}$/.test(v)) return `date:${monthRange(v)}`;
  if (/^\d{4}$/.test(v)) return `date:${parseInt(v, 10) + 543}`;
  if ((m = /^FY(\d{4})$/.exec(v))) return `fy:${parseInt(m[1], 10) + 543}`;
  return null;
}

function mentionTitle(kind, m) {
  switch (kind) {
    case "provinces": return `จังหวัด${m.name}`;
    case "officials": return [m.title, m.name, m.position].filter(Boolean).join(" ");
    case "orders": return [m.self ? "เลขที่คำสั่งของเอกสารนี้" : "อ้างถึง", m.number, m.issuer, m.subject].filter(Boolean).join(" · ");
    case "doc_numbers": return `ที่ ${m.number}`;
    case "plans": return [m.name, m.edition && `ฉบับที่ ${m.edition}`, m.period].filter(Boolean).join(" ");
    case "dates": return String(m.value || "");
    default: return "";
  }
}

/** The literal words and phrases of a query (not filters, operators or
 * excluded terms), to mark in the text. */
function queryTerms(q) {
  const out = [];
  let negate = false;
  for (let t of tokens(q)) {
    if (t === "NOT" || t === "-") { negate = true; continue; }
    if (t === "AND" || t === "OR") continue;
    t = t.replace(/^\(+|\)+$/g, "");
    if (!t) continue;
    if (t.startsWith("-") || negate || isFilter(t)) { negate = false; continue; }
    const phrase = t.replace(/^"|"$/g, "").trim();
    if (phrase) out.push(phrase);
  }
  return out;
}

/** Values of the query's entity filters, per kind, to mark mentions. */
function queryEntities(q) {
  const want = { provinces: new Set(), officials: new Set(), orders: new Set(), plans: new Set() };
  for (const t of tokens(q)) {
    const m = /^(province|official|order|number|plan):(.*)$/.exec(t.replace(/^\(+|\)+$/g, ""));
    if (!m) continue;
    const v = arabicDigits(m[2].replace(/^"|"$/g, "")).replace(/^(จังหวัด|จ\.)\s*/, "").replace(/\s+/g, " ");
    const kind = { province: "provinces", official: "officials", order: "orders", number: "orders", plan: "plans" }[m[1]];
    want[kind].add(v);
  }
  return want;
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Code-point intervals of the query's literal terms in `cps` (compared
 * with Thai digits as Arabic, case folded, any run of whitespace for a
 * space, spaces around "/" ignored, a line break allowed anywhere). */
function termIntervals(cps, terms) {
  const folded = cps.map((c) => arabicDigits(c).toLowerCase());
  const str = folded.join("");
  const cpAt = new Int32Array(str.length + 1);
  let u = 0;
  folded.forEach((c, i) => { for (let k = 0; k < c.length; k++) cpAt[u + k] = i; u += c.length; });
  cpAt[str.length] = cps.length;
  const out = [];
  for (const term of terms) {
    const chars = Array.from(arabicDigits(term).toLowerCase().trim());
    if (chars.length === 0) continue;
    let pattern = "";
    chars.forEach((c, i) => {
      if (/\s/.test(c)) { if (!/\\s\+$/.test(pattern)) pattern += "\\s+"; return; }
      if (c === "/") { pattern = pattern.replace(/\\s\+$/, "") + "\\s*/\\s*"; return; }
      if (i > 0 && !/\\s[+*]$/.test(pattern)) pattern += "\\n?";
      pattern += escapeRe(c);
    });
    let re;
    try { re = new RegExp(pattern, "gu"); } catch (_) { continue; }
    for (const m of str.matchAll(re)) {
      if (m[0].length === 0) continue;
      out.push({ start: cpAt[m.index], end: cpAt[m.index + m[0].length - 1] + 1, kind: "q" });
    }
  }
  return out;
}

/** Renders `cps[0..]` into `box` with `intervals` as nested elements;
 * intervals that cross are split so the elements nest. */
function renderText(box, cps, intervals, makeNode) {
  const n = cps.length;
  const iv = intervals
    .map((i) => ({ ...i, start: Math.max(0, i.start), end: Math.min(n, i.end) }))
    .filter((i) => i.start < i.end);
  iv.sort((a, b) => a.start - b.start || b.end - a.end || (a.kind === "q") - (b.kind === "q"));
  const bounds = new Set([0, n]);
  for (const i of iv) { bounds.add(i.start); bounds.add(i.end); }
  const pos = [...bounds].sort((a, b) => a - b);
  let open = [];
  let next = 0;
  const stack = [];
  for (let k = 0; k + 1 < pos.length; k++) {
    const a = pos[k];
    const b = pos[k + 1];
    open = open.filter((i) => i.end > a);
    while (next < iv.length && iv[next].start <= a) {
      if (iv[next].end > a) open.push(iv[next]);
      next++;
    }
    let c = 0;
    while (c < stack.length && c < open.length && stack[c].iv === open[c]) c++;
    stack.length = c;
    for (let j = c; j < open.length; j++) {
      const node = makeNode(open[j]);
      (stack.length ? stack[stack.length - 1].node : box).append(node);
      stack.push({ iv: open[j], node });
    }
    (stack.length ? stack[stack.length - 1].node : box).append(document.createTextNode(cps.slice(a, b).join("")));
  }
}

export async function docPage(view, id) {
  const params = new URLSearchParams(window.location.search);
  const q = (params.get("q") || "").trim();
  $("q").value = q;
  view.className = "doc-view";
  const r = await api(`/api/v1/documents/${encodeURIComponent(id)}`);
  if (!r.ok) {
    view.append(el("h1", "ไม่พบเอกสาร (document not found)"), errorNode(r.body.error || `HTTP ${r.status}`));
    return;
  }
  const d = r.body;
  document.title = `${d.title || d.source || id} · สารบรรณ`;

  const head = el("div", null, "doc-head");
  if (q) head.append(link(searchUrl(q), `← กลับไปผลการค้น "${q}" (back to results)`, "back"));
  const h1 = el("h1", d.title || d.source || id);
  h1.id = "doc-title";
  head.append(h1);
  const meta = el("dl", null, "doc-meta");
  const row = (k, v) => { meta.append(el("dt", k)); const dd = el("dd"); dd.append(v); meta.append(dd); };
  row("ประเภท (type)", link(searchUrl(`type:${d.type}`), `${TYPE_TH[d.type] || d.type} (${d.type})`));
  row("วันที่ (date)", document.createTextNode(dateText(d.doc_date)));
  const uniq = (list, key) => [...new Set((list || []).map((m) => m[key]).filter(Boolean))];
  const links = (values, name) => {
    const span = el("span", null, "values");
    values.forEach((v, i) => {
      if (i) span.append(document.createTextNode(", "));
      span.append(link(searchUrl(filterToken(name, v)), v));
    });
    return span;
  };
  const provinces = uniq(d.provinces, "name");
  if (provinces.length) row("จังหวัด (provinces)", links(provinces, "province"));
  const officials = uniq(d.officials, "name");
  if (officials.length) row("เจ้าหน้าที่ (officials)", links(officials, "official"));
  const plans = uniq(d.plans, "name");
  if (plans.length) row("แผน (plans)", links(plans, "plan"));
  row("ที่มา (source)", document.createTextNode(d.source || ""));
  row("รูปแบบ (format)", document.createTextNode([d.format, d.encoding].filter(Boolean).join(" · ")));
  row("รหัส (id)", document.createTextNode(d.id || id));
  head.append(meta);
  view.append(head);

  const relations = el("div", null, "relations");
  relations.id = "relations";
  view.append(relations);
  const related = orderRelations(relations, d);

  // Entity legend: count per kind, a switch to hide a kind's highlights.
  const textBox = el("div", null, "doc-text");
  textBox.id = "text";
  textBox.lang = "th";
  const legend = el("div", null, "legend");
  legend.id = "legend";
  for (const [kind, label] of KINDS) {
    const count = (d[kind] || []).length;
    const lab = el("label", null, `k-${kind}`);
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.disabled = count === 0;
    box.addEventListener("change", () => textBox.classList.toggle(`hide-${kind}`, !box.checked));
    lab.append(box, el("span", `${label} ${num(count)}`, "swatch"));
    legend.append(lab);
  }
  const qmark = el("span", "คำค้น (query)", "qhit");
  legend.append(qmark);

  const cps = Array.from(String(d.text || ""));
  const want = queryEntities(q);
  const intervals = [];
  for (const [kind, , filter] of KINDS) {
    for (const m of d[kind] || []) {
      if (typeof m.start !== "number" || typeof m.end !== "number") continue;
      const key = kind === "orders" ? arabicDigits(m.number || "") : m.name;
      intervals.push({ start: m.start, end: m.end, kind, filter: filter(m), title: mentionTitle(kind, m),
        hit: want[kind] ? want[kind].has(key) : false });
    }
  }
  intervals.push(...termIntervals(cps, queryTerms(q)));
  renderText(textBox, cps, intervals, (i) => {
    if (i.kind === "q") return el("mark", null, "qhit");
    const node = i.filter ? link(searchUrl(i.filter), null, `ent k-${i.kind}`) : el("span", null, `ent k-${i.kind}`);
    node.title = i.title;
    node.dataset.kind = i.kind;
    if (i.hit) node.classList.add("qm");
    return node;
  });

  const body = el("div", null, "doc-body");
  const main = el("div", null, "doc-main");
  main.append(legend, textBox);
  const orig = el("aside", null, "original");
  orig.id = "original";
  body.append(main, orig);
  view.append(body);
  const shown = original(orig, d.id || id, body);

  // Scroll once the boxes above the text have their final size.
  await Promise.all([related, shown]);
  const first = textBox.querySelector(".qhit, .qm");
  if (first) {
    first.classList.add("current");
    first.id = "first-match";
    first.scrollIntoView({ block: "center" });
  }
}

/** The original file beside the text, when the index has it. */
async function original(box, id, body) {
  const url = `/api/v1/documents/${encodeURIComponent(id)}/original`;
  let resp;
  try { resp = await fetch(url, { method: "HEAD" }); } catch (_) { resp = null; }
  if (!resp || !resp.ok) {
    box.append(el("p", resp && resp.status === 409
      ? "ไฟล์ต้นฉบับถูกแก้ไขหลังนำเข้า จึงไม่แสดง (the file changed since it was indexed)"
      : "ไม่มีไฟล์ต้นฉบับในคลัง มีเฉพาะข้อความ (text only)", "muted"));
    return;
  }
  const type = (resp.headers.get("content-type") || "").split(";")[0].trim();
  box.append(el("h2", "ไฟล์ต้นฉบับ (original)"));
  const dl = link(`${url}?download=1`, `ดาวน์โหลดต้นฉบับ (download, ${type || "file"})`, "download");
  dl.setAttribute("download", "");
  box.append(dl);
  // Shown beside the text when the browser can display it (not TIFF, DOCX).
  const viewable = /^image\/(png|jpeg|gif|webp)$/.test(type) || type === "application/pdf" || type.startsWith("text/");
  if (viewable) body.classList.add("with-original");
  if (!viewable) {
    box.append(el("p", "เบราว์เซอร์แสดงไฟล์ชนิดนี้ไม่ได้ ดาวน์โหลดเพื่อเปิด", "muted"));
  } else if (type.startsWith("image/")) {
    const img = el("img");
    img.src = url;
    img.alt = "ภาพต้นฉบับ (original scan)";
    box.append(img);
  } else if (type === "application/pdf") {
    const f = el("iframe");
    f.src = url;
    f.title = "ต้นฉบับ PDF";
    box.append(f);
  } else if (type.startsWith("text/")) {
    // Sandboxed: an HTML original is shown without running anything in it.
    const f = el("iframe");
    f.setAttribute("sandbox", "");
    f.src = url;
    f.title = "ต้นฉบับ";
    box.append(f);
  }
}

/** For an order: what cites it; for a document citing orders: links. */
async function orderRelations(box, d) {
  const own = [...new Set((d.orders || []).filter((o) => o.self && o.number).map((o) => o.number))];
  const cited = new Map();
  for (const o of d.orders || []) {
    if (!o.self && o.number && !cited.has(o.number)) cited.set(o.number, o);
  }
  if (cited.size) {
    const sec = el("section", null, "cites");
    sec.append(el("h2", `อ้างถึงคำสั่ง/มติ ${cited.size} รายการ (orders cited)`));
    const ul = el("ul");
    for (const [number, o] of cited) {
      const li = el("li");
      li.append(link(orderUrl(number), number, "order-link"));
      const what = [o.issuer, o.subject].filter(Boolean).join(" · ");
      if (what) li.append(el("span", ` ${what}`, "muted"));
      ul.append(li);
    }
    sec.append(ul);
    box.append(sec);
  }
  for (const number of own) {
    const sec = el("section", null, "cited-by");
    sec.append(el("h2", `เอกสารที่อ้างถึงคำสั่ง ${number} (cited by)`));
    box.append(sec);
    const r = await api(`/api/v1/orders/${String(number).split("/").map(encodeURIComponent).join("/")}`);
    if (!r.ok) { sec.append(errorNode(r.body.error || `HTTP ${r.status}`)); continue; }
    const hits = byDate(r.body.cited_by || []);
    if (!hits.length) { sec.append(el("p", "ยังไม่มีเอกสารในคลังที่อ้างถึง (none)", "muted")); continue; }
    const ol = el("ol", null, "hits");
    for (const h of hits) ol.append(hitNode(h, filterToken("order", number)));
    sec.append(ol, link(orderUrl(number), `หน้าคำสั่ง ${number} →`));
  }
}

/** Hits by date, oldest first; undated last. */
export function byDate(hits) {
  return hits.slice().sort((a, b) =>
    (a.date ? 0 : 1) - (b.date ? 0 : 1) || String(a.date || "").localeCompare(String(b.date || "")) ||
    String(a.id).localeCompare(String(b.id)));
}

